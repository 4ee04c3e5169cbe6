//! The module listings (`GET /univention/udm/` and `GET /univention/udm/<family>/`) and
//! which modules are aggregates of a family (`computers/computer` finds every computer).

use crate::udm::catalog::{title_case, Catalog};
use serde_json::{json, Value};

/// Read-only modules that stand for all modules of their family (or a part of it).
const AGGREGATES: [(&str, &[&str]); 10] = [
    ("computers/computer", &["computers/"]),
    ("dns/dns", &["dns/"]),
    ("dhcp/dhcp", &["dhcp/"]),
    ("mail/mail", &["mail/"]),
    ("nagios/nagios", &["nagios/"]),
    ("policies/policy", &["policies/"]),
    ("portals/all", &["portals/"]),
    ("blocklists/all", &["blocklists/"]),
    ("settings/settings", &["settings/"]),
    ("shares/print", &["shares/printer", "shares/printergroup"]),
];

/// Whether an object of module `actual` can be read through module `requested`.
pub(crate) fn covers(requested: &str, actual: &str) -> bool {
    if requested == actual {
        return true;
    }
    AGGREGATES
        .iter()
        .find(|(name, _)| *name == requested)
        .is_some_and(|(_, prefixes)| prefixes.iter().any(|p| actual.starts_with(p)))
}

/// `GET /univention/udm/`.
pub(crate) fn root(catalog: &Catalog, base: &str) -> Value {
    let modules: Vec<Value> = catalog
        .families()
        .into_iter()
        .map(|family| json!({"name": family, "href": format!("{base}/{family}/"), "title": title_case(family)}))
        .collect();
    json!({
        "_links": {
            "self": [{"href": format!("{base}/")}],
            "udm:object-modules": modules,
        },
        "_embedded": {},
    })
}

/// `GET /univention/udm/<family>/`, or `None` for an unknown family.
pub(crate) fn family(catalog: &Catalog, base: &str, family: &str) -> Option<Value> {
    let types: Vec<Value> = catalog
        .modules()
        .iter()
        .filter(|m| m.family() == family)
        .map(|m| json!({"name": m.name, "href": format!("{base}/{}/", m.name), "title": m.title()}))
        .collect();
    if types.is_empty() {
        return None;
    }
    Some(json!({
        "_links": {
            "self": [{"href": format!("{base}/{family}/")}],
            "up": [{"href": format!("{base}/")}],
            "udm:object-types": types,
        },
        "_embedded": {},
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregates_cover_their_family() {
        assert!(covers("computers/computer", "computers/windows"));
        assert!(covers("users/user", "users/user"));
        assert!(!covers("users/user", "users/ldap"));
        assert!(covers("shares/print", "shares/printer"));
        assert!(!covers("shares/print", "shares/share"));
    }
}
