//! Snapshots of the public method lists of the generated raw clients, parsed
//! from `crates/*-raw/src/generated.rs` with `syn`. They change when the
//! generator (progenitor, the fixups) or a spec changes; the API surface
//! snapshots (`drift_surface.rs`) change only with the spec, so the two
//! together tell a generator upgrade from an API change.

use std::collections::BTreeMap;
use std::path::Path;

/// One module of a generated crate.
#[derive(Default)]
struct Module {
    /// Its `#[cfg(...)]` (e.g. `feature="users"`), if any.
    feature: Option<String>,
    /// The `pub async fn` names of its `impl Client` blocks, sorted.
    methods: Vec<String>,
}

/// `pub async fn` names of every `impl Client` block, by module path; each
/// module is annotated with its `#[cfg(feature = "...")]`, if any.
fn public_methods(file: &syn::File) -> BTreeMap<String, Module> {
    fn feature(attrs: &[syn::Attribute]) -> Option<String> {
        attrs.iter().find(|a| a.path().is_ident("cfg")).map(|a| {
            let tokens = a
                .meta
                .require_list()
                .map(|l| l.tokens.to_string())
                .unwrap_or_default();
            tokens.replace(' ', "")
        })
    }
    fn walk(items: &[syn::Item], path: &str, out: &mut BTreeMap<String, Module>) {
        for item in items {
            match item {
                syn::Item::Mod(m) => {
                    let Some((_, inner)) = &m.content else {
                        continue;
                    };
                    let child = if path.is_empty() {
                        m.ident.to_string()
                    } else {
                        format!("{path}::{}", m.ident)
                    };
                    walk(inner, &child, out);
                    if let Some(entry) = out.get_mut(&child) {
                        entry.feature = feature(&m.attrs);
                    }
                }
                syn::Item::Impl(imp) if imp.trait_.is_none() => {
                    let syn::Type::Path(ty) = imp.self_ty.as_ref() else {
                        continue;
                    };
                    if !ty.path.is_ident("Client") {
                        continue;
                    }
                    for member in &imp.items {
                        if let syn::ImplItem::Fn(f) = member {
                            if matches!(f.vis, syn::Visibility::Public(_))
                                && f.sig.asyncness.is_some()
                            {
                                let entry = out.entry(path.to_string()).or_default();
                                entry.methods.push(f.sig.ident.to_string());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&file.items, "", &mut out);
    for module in out.values_mut() {
        module.methods.sort();
    }
    out
}

fn method_list(krate: &str) -> (String, BTreeMap<String, Module>) {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../crates/{krate}/src/generated.rs"));
    let source = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let file = syn::parse_file(&source)
        .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
    let modules = public_methods(&file);
    let mut text = String::new();
    for (module, Module { feature, methods }) in &modules {
        let module = if module.is_empty() {
            "(crate root)"
        } else {
            module
        };
        let feature = feature
            .as_deref()
            .map(|f| format!(" #[{f}]"))
            .unwrap_or_default();
        text.push_str(&format!(
            "mod {module}{feature}: {} methods\n",
            methods.len()
        ));
        for m in methods {
            text.push_str(&format!("  {m}\n"));
        }
    }
    (text, modules)
}

fn snapshot(krate: &str) -> BTreeMap<String, Module> {
    let (text, modules) = method_list(krate);
    insta::with_settings!({
        description => format!("pub async fn names of crates/{krate}/src/generated.rs, per module"),
        omit_expression => true,
    }, {
        insta::assert_snapshot!(krate, text);
    });
    modules
}

/// The method names the snapshot tool predicts from a spec's operationIds.
fn predicted(spec: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../specs/{spec}"));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut names: Vec<String> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op.get("operationId").and_then(|id| id.as_str()))
        .map(openapi_surface::method_name)
        .collect();
    names.sort();
    names
}

#[test]
fn kelvin_raw_methods() {
    let modules = snapshot("kelvin-raw");
    // One method per operation, named as progenitor names operationIds.
    assert_eq!(modules["v1"].methods, predicted("kelvin/openapi.json"));
    assert_eq!(modules["v2"].methods, predicted("kelvin/openapi-v2.json"));
    assert_eq!(modules["v1"].methods.len(), 26);
}

#[test]
fn udm_raw_methods() {
    let modules = snapshot("udm-raw");
    let generated: usize = modules.values().map(|m| m.methods.len()).sum();
    assert!(
        modules
            .iter()
            .filter(|(m, _)| !m.is_empty())
            .all(|(_, m)| m.feature.is_some()),
        "every UDM module family is behind a cargo feature"
    );
    // Every operation of the document is a method (the fixups add a few more).
    let all: Vec<&String> = modules.values().flat_map(|m| &m.methods).collect();
    let predicted = predicted("udm/openapi.json");
    let missing: Vec<&String> = predicted.iter().filter(|p| !all.contains(p)).collect();
    assert!(
        missing.is_empty(),
        "operations without a generated method: {missing:?}"
    );
    assert!(
        generated >= predicted.len(),
        "{generated} methods for {} operations",
        predicted.len()
    );
}
