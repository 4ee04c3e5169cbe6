//! Checks that the embedded UDM module catalog (`src/catalog.json`) is exactly what the
//! vendored UDM OpenAPI document (`specs/udm/openapi.json`) declares.
//!
//! The catalog is generated, never hand-edited. After the spec changes, regenerate it with
//! `UCS_SIM_UPDATE_CATALOG=1 cargo test -p ucs-sim --test udm_catalog_fresh`.

use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Resolves a local `#/components/...` reference (one level is all the document uses here).
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.trim_start_matches('#');
            doc.pointer(pointer).unwrap_or(&Value::Null)
        }
        None => value,
    }
}

fn methods(item: Option<&Value>) -> Vec<String> {
    let mut out: Vec<String> = item
        .and_then(Value::as_object)
        .map(|ops| {
            ops.keys()
                .filter(|k| {
                    matches!(
                        k.as_str(),
                        "get" | "post" | "put" | "patch" | "delete" | "head"
                    )
                })
                .map(|k| k.to_uppercase())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn property_entry(name: &str, schema: &Value) -> Value {
    let mut entry = Map::new();
    entry.insert("name".into(), json!(name));
    let kind = schema
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("string");
    entry.insert("type".into(), json!(kind));
    if kind == "array" {
        let items = schema.get("items").cloned().unwrap_or(Value::Null);
        let item_kind = items
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("string");
        entry.insert("items".into(), json!(item_kind));
        if let Some(format) = items.get("format").and_then(Value::as_str) {
            entry.insert("format".into(), json!(format));
        }
    } else if let Some(format) = schema.get("format").and_then(Value::as_str) {
        entry.insert("format".into(), json!(format));
    }
    Value::Object(entry)
}

/// Builds the catalog from the OpenAPI document.
fn build_catalog(doc: &Value) -> Value {
    let paths = doc
        .get("paths")
        .and_then(Value::as_object)
        .expect("the UDM document has paths");
    let mut names = BTreeSet::new();
    for path in paths.keys() {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        if segments.len() >= 2 {
            names.insert(format!("{}/{}", segments[0], segments[1]));
        }
    }
    let schemas = doc
        .pointer("/components/schemas")
        .expect("the UDM document has schemas");
    let mut modules = Vec::new();
    for name in &names {
        let key = name.replace('/', "-");
        let collection = methods(paths.get(&format!("/{name}/")));
        let template = methods(paths.get(&format!("/{name}/add"))).contains(&"GET".to_string());
        let object = methods(paths.get(&format!("/{name}/{{dn}}")));
        let request = schemas.get(format!("{key}.request-patch"));
        let props_schema = request
            .and_then(|r| r.pointer("/properties/properties"))
            .map(|p| resolve(doc, p));
        let typed_props = props_schema
            .and_then(|p| p.get("properties"))
            .and_then(Value::as_object);
        let properties: Vec<Value> = typed_props
            .map(|props| {
                props
                    .iter()
                    .map(|(n, s)| property_entry(n, resolve(doc, s)))
                    .collect()
            })
            .unwrap_or_default();
        let options: Vec<Value> = schemas
            .get(format!("{key}.options"))
            .and_then(|o| o.get("properties"))
            .and_then(Value::as_object)
            .map(|opts| {
                opts.iter()
                    .map(|(n, s)| {
                        json!({"name": n, "default": s.get("default").and_then(Value::as_bool).unwrap_or(false)})
                    })
                    .collect()
            })
            .unwrap_or_default();
        let policies: Vec<Value> = schemas
            .get(format!("{key}.policies"))
            .and_then(|o| o.get("properties"))
            .and_then(Value::as_object)
            .map(|pols| {
                pols.iter()
                    .map(|(n, s)| json!({"name": n, "max": s.get("maxItems").and_then(Value::as_u64).unwrap_or(1)}))
                    .collect()
            })
            .unwrap_or_default();
        modules.push(json!({
            "name": name,
            "collection": collection,
            "template": template,
            "object": object,
            "typed": typed_props.is_some(),
            "properties": properties,
            "options": options,
            "policies": policies,
        }));
    }
    json!({
        "generated_from": "specs/udm/openapi.json",
        "modules": modules,
    })
}

#[test]
fn embedded_catalog_matches_the_vendored_udm_spec() {
    let spec_path = manifest_dir().join("../../specs/udm/openapi.json");
    let spec_text = std::fs::read_to_string(&spec_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", spec_path.display()));
    let doc: Value = serde_json::from_str(&spec_text).expect("the UDM spec is JSON");
    let catalog = build_catalog(&doc);
    let mut rendered = serde_json::to_string_pretty(&catalog).expect("serializable");
    rendered.push('\n');

    let modules = catalog["modules"].as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(modules, 128, "the vendored spec declares 128 UDM modules");

    let catalog_path = manifest_dir().join("src/catalog.json");
    if std::env::var_os("UCS_SIM_UPDATE_CATALOG").is_some() {
        std::fs::write(&catalog_path, &rendered).expect("write catalog");
        return;
    }
    let committed = std::fs::read_to_string(&catalog_path).unwrap_or_default();
    assert!(
        committed == rendered,
        "src/catalog.json is stale; regenerate it with \
         `UCS_SIM_UPDATE_CATALOG=1 cargo test -p ucs-sim --test udm_catalog_fresh`"
    );
}
