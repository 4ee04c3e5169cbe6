//! The generated client covers every operation and module of the UDM document.

use std::collections::BTreeSet;

const GENERATED: &str = include_str!("../../src/generated.rs");
const SPEC: &str = include_str!("../../../../specs/udm/openapi.json");

fn spec() -> serde_json::Value {
    serde_json::from_str(SPEC).expect("spec is JSON")
}

/// (family, operationId) of every operation.
fn operations() -> Vec<(String, String)> {
    let doc = spec();
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let family = path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default();
        for (method, op) in item.as_object().expect("path item") {
            if method != "parameters" {
                out.push((
                    family.to_string(),
                    op["operationId"].as_str().expect("id").to_string(),
                ));
            }
        }
    }
    out
}

/// (family module, method) of every async method of the generated families'
/// clients.
fn generated_methods() -> BTreeSet<(String, String)> {
    let file = syn::parse_file(GENERATED).expect("generated code parses");
    let mut out = BTreeSet::new();
    for item in file.items {
        let syn::Item::Mod(m) = item else { continue };
        let family = m.ident.to_string();
        for item in m.content.map(|(_, items)| items).unwrap_or_default() {
            // inherent impls only: the `ClientHooks` impl has the `exec` hook
            let syn::Item::Impl(imp) = item else { continue };
            if imp.trait_.is_some() {
                continue;
            }
            for item in imp.items {
                if let syn::ImplItem::Fn(f) = item {
                    if f.sig.asyncness.is_some() {
                        out.insert((family.clone(), f.sig.ident.to_string()));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_one_of_the_814_operations_became_a_method_of_its_family() {
    let ops = operations();
    assert_eq!(ops.len(), 814);
    let wanted: BTreeSet<(String, String)> = ops
        .iter()
        .map(|(family, id)| (family.clone(), openapi_surface::method_name(id)))
        .collect();
    assert_eq!(wanted.len(), 814, "distinct method names");
    let methods = generated_methods();
    let missing: Vec<_> = wanted.difference(&methods).collect();
    assert!(
        missing.is_empty(),
        "operations without a method: {missing:?}"
    );
    let extra: Vec<_> = methods.difference(&wanted).collect();
    assert!(extra.is_empty(), "methods without an operation: {extra:?}");
}

#[test]
fn the_module_table_lists_all_128_modules_with_their_operations() {
    assert_eq!(udm_raw::MODULES.len(), 128);
    let user = udm_raw::module_info("users/user").expect("users/user");
    assert_eq!(user.family, "users");
    for op in [
        "search", "create", "template", "get", "modify", "update", "remove",
    ] {
        assert!(user.supports(op), "users/user supports {op}");
    }
    assert!(user.typed_properties);
    assert!(user.enabled, "the default feature set enables every family");
    let computer = udm_raw::module_info("computers/computer").expect("computers/computer");
    assert!(computer.supports("search") && !computer.supports("create"));
    let restore = udm_raw::module_info("recyclebin/removedobject").expect("recyclebin");
    assert!(restore.supports("restore"));
    let typed: Vec<_> = udm_raw::MODULES
        .iter()
        .filter(|m| m.typed_properties)
        .map(|m| m.name)
        .collect();
    assert_eq!(typed.len(), 15, "{typed:?}");
    assert!(udm_raw::module_info("users/nosuch").is_none());
}
