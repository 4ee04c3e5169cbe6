//! The generated client covers every operation of both Kelvin documents.

use std::collections::BTreeSet;

const GENERATED: &str = include_str!("../../src/generated.rs");

fn operation_ids(spec: &str) -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_str(spec).expect("spec is JSON");
    let mut ids = Vec::new();
    for item in doc["paths"].as_object().expect("paths").values() {
        for (method, op) in item.as_object().expect("path item") {
            if [
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&method.as_str())
            {
                ids.push(op["operationId"].as_str().expect("operationId").to_string());
            }
        }
    }
    ids
}

/// `pub async fn` names of the `impl Client` blocks inside `pub mod <module>`.
fn generated_methods(module: &str) -> BTreeSet<String> {
    let file = syn::parse_file(GENERATED).expect("generated code parses");
    let mut out = BTreeSet::new();
    for item in file.items {
        let syn::Item::Mod(m) = item else { continue };
        if m.ident != module {
            continue;
        }
        for item in m.content.map(|(_, items)| items).unwrap_or_default() {
            // inherent impls only: the `ClientHooks` impl has the `exec` hook
            let syn::Item::Impl(imp) = item else { continue };
            if imp.trait_.is_some() {
                continue;
            }
            for item in imp.items {
                if let syn::ImplItem::Fn(f) = item {
                    if f.sig.asyncness.is_some() {
                        out.insert(f.sig.ident.to_string());
                    }
                }
            }
        }
    }
    out
}

fn assert_covers(module: &str, spec: &str, expected_operations: usize) {
    let ids = operation_ids(spec);
    assert_eq!(
        ids.len(),
        expected_operations,
        "operations in the {module} document"
    );
    let methods = generated_methods(module);
    let wanted: BTreeSet<String> = ids
        .iter()
        .map(|id| openapi_surface::method_name(id))
        .collect();
    assert_eq!(
        wanted.len(),
        expected_operations,
        "operationIds map to distinct methods"
    );
    let missing: Vec<_> = wanted.difference(&methods).collect();
    assert!(
        missing.is_empty(),
        "operations without a generated method in {module}: {missing:?}"
    );
    let extra: Vec<_> = methods.difference(&wanted).collect();
    assert!(
        extra.is_empty(),
        "generated methods without an operation in {module}: {extra:?}"
    );
}

#[test]
fn v1_has_a_method_for_each_of_its_26_operations() {
    assert_covers(
        "v1",
        include_str!("../../../../specs/kelvin/openapi.json"),
        26,
    );
}

#[test]
fn v2_has_a_method_for_each_of_its_26_operations() {
    assert_covers(
        "v2",
        include_str!("../../../../specs/kelvin/openapi-v2.json"),
        26,
    );
}
