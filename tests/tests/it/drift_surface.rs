//! Snapshots of the normalized API surface of every vendored OpenAPI
//! document. A changed snapshot means the API changed: review it with
//! `cargo insta review` (see docs/api-drift.md). With `CI=true` insta fails on
//! a changed snapshot instead of writing it.

use std::path::{Path, PathBuf};

/// The vendored documents, relative to `specs/`; each has a snapshot named
/// after it (`/` becomes `__`).
const SPECS: [&str; 6] = [
    "udm/openapi.json",
    "kelvin/openapi.json",
    "kelvin/openapi-v2.json",
    "kelvin/history/1.10.3/openapi.json",
    "kelvin/history/2.0.0/openapi.json",
    "kelvin/history/3.3.1/openapi.json",
];

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

fn load(spec: &str) -> serde_json::Value {
    let path = specs_dir().join(spec);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn check(spec: &str) {
    let text =
        openapi_surface::surface(&load(spec)).unwrap_or_else(|e| panic!("specs/{spec}: {e}"));
    insta::with_settings!({
        description => format!("normalized API surface of specs/{spec}"),
        omit_expression => true,
    }, {
        insta::assert_snapshot!(spec.replace('/', "__"), text);
    });
}

#[test]
fn udm() {
    check(SPECS[0]);
}

#[test]
fn kelvin_v1() {
    check(SPECS[1]);
}

#[test]
fn kelvin_v2() {
    check(SPECS[2]);
}

#[test]
fn kelvin_history_1_10_3() {
    check(SPECS[3]);
}

#[test]
fn kelvin_history_2_0_0() {
    check(SPECS[4]);
}

#[test]
fn kelvin_history_3_3_1() {
    check(SPECS[5]);
}

/// Every `.json` file below `specs/` has a snapshot test above.
#[test]
fn every_vendored_document_has_a_snapshot() {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                walk(&path, base, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                let rel = path.strip_prefix(base).expect("below specs/");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut found = Vec::new();
    walk(&specs_dir(), &specs_dir(), &mut found);
    found.sort();
    let mut listed: Vec<String> = SPECS.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        found, listed,
        "add a snapshot test for each document in specs/"
    );
}

/// The surface says only what the API says: no title, description or
/// summary text of any document appears in it, and 1.10.3 and 2.0.0 (which
/// differ only in `info.version`) have the same surface.
#[test]
fn surfaces_hold_no_prose_and_no_version() {
    fn prose(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, child) in map {
                    match (key.as_str(), child) {
                        ("title" | "description" | "summary", serde_json::Value::String(text)) => {
                            // Multi-word prose only: one-word titles can equal field names.
                            if text.contains(' ') {
                                out.push(text.clone());
                            }
                        }
                        _ => prose(child, out),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| prose(v, out)),
            _ => {}
        }
    }
    let a = openapi_surface::surface(&load("kelvin/history/1.10.3/openapi.json")).unwrap();
    let b = openapi_surface::surface(&load("kelvin/history/2.0.0/openapi.json")).unwrap();
    assert_eq!(a, b);
    for spec in SPECS {
        let doc = load(spec);
        let text = openapi_surface::surface(&doc).unwrap();
        let mut texts = Vec::new();
        prose(&doc, &mut texts);
        assert!(!texts.is_empty(), "specs/{spec} has prose to look for");
        for t in texts {
            assert!(!text.contains(&t), "specs/{spec}: surface contains {t:?}");
        }
    }
}
