//! Object documents as the server builds them (`Object.get_representation`): `dn`,
//! `objectType`, `id`, `position`, `properties`, `options`, `policies`, `superordinate` (only
//! for modules with superordinates), `uuid`; for a GET with the object's links in front, for a
//! search hit with `uri` and a `self` link behind.

use super::quote::quote_dn;
use crate::catalog::{Catalog, ModuleSpec};
use crate::directory::view;
use crate::store::{Object, Tree};
use serde_json::{json, Map, Value};
use ucs_ldap::canonical as dn;

/// `<api>/<module>/<quote_dn(dn)>`.
pub(crate) fn object_href(api: &str, module: &str, dn_text: &str) -> String {
    format!("{api}/{module}/{}", quote_dn(dn_text))
}

/// Modules whose objects have a superordinate (DNS records below zones, DHCP objects below
/// services), which the server shows as `superordinate`.
pub(crate) fn has_superordinate(module: &str) -> bool {
    let (family, name) = module.split_once('/').unwrap_or((module, ""));
    match family {
        "dns" => !matches!(name, "forward_zone" | "reverse_zone" | "dns"),
        "dhcp" => !matches!(name, "service" | "dhcp"),
        _ => false,
    }
}

/// Which properties a request wants (the `properties` parameter, repeated; `*` for all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Selection(Vec<String>);

impl Selection {
    /// From the parameter's values (none: all).
    pub fn new(values: Vec<String>) -> Self {
        if values.is_empty() {
            Selection(vec!["*".into()])
        } else {
            Selection(values)
        }
    }

    /// Whether `*` is among the names.
    pub fn is_all(&self) -> bool {
        self.0.iter().any(|n| n == "*")
    }

    /// The names.
    pub fn names(&self) -> &[String] {
        &self.0
    }
}

fn has_value(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => true,
    }
}

fn properties(
    tree: &Tree,
    catalog: &Catalog,
    object: &Object,
    selection: &Selection,
) -> Map<String, Value> {
    let all = view::properties(tree, catalog, object);
    let mut out = if selection.is_all() {
        all
    } else {
        all.into_iter()
            .filter(|(k, v)| selection.names().contains(k) && has_value(v))
            .collect()
    };
    if selection.is_all() || selection.names().iter().any(|n| n == "objectFlag") {
        let flags = if object.hidden {
            json!(["hidden"])
        } else {
            json!([])
        };
        out.entry("objectFlag").or_insert(flags);
    }
    out
}

/// The representation of an object (`opened`: with options and policies).
pub(crate) fn representation(
    tree: &Tree,
    catalog: &Catalog,
    object: &Object,
    selection: &Selection,
    opened: bool,
) -> Map<String, Value> {
    let mut doc = Map::new();
    doc.insert("dn".into(), json!(object.dn));
    doc.insert("objectType".into(), json!(object.module));
    doc.insert(
        "id".into(),
        json!(dn::rdn_value(&object.dn).unwrap_or_default()),
    );
    doc.insert("position".into(), json!(dn::parent(&object.dn)));
    let props = if opened {
        properties(tree, catalog, object, selection)
    } else {
        Map::new()
    };
    doc.insert("properties".into(), Value::Object(props));
    if opened {
        doc.insert(
            "options".into(),
            Value::Object(view::options(catalog, object)),
        );
        let policies = if selection.is_all() {
            view::policies(catalog, object)
        } else {
            Map::new()
        };
        doc.insert("policies".into(), Value::Object(policies));
    }
    if has_superordinate(&object.module) {
        doc.insert("superordinate".into(), json!(object.superordinate));
    }
    doc.insert("uuid".into(), json!(object.uuid));
    doc
}

/// A search hit: the representation with `uri` and a `self` link (`selection` `["dn"]`: not
/// opened; `requested`: the `properties` asked for, which a closed hit's URL repeats).
pub(crate) fn hit(
    tree: &Tree,
    catalog: &Catalog,
    object: &Object,
    api: &str,
    selection: &Selection,
    requested: &[String],
) -> Value {
    let opened = selection.names() != ["dn"];
    let mut doc = representation(tree, catalog, object, selection, opened);
    let mut uri = object_href(api, &object.module, &object.dn);
    doc.insert("uri".into(), json!(uri));
    let names: Vec<String> = requested.iter().filter(|n| *n != "dn").cloned().collect();
    if !opened && !names.is_empty() && names != ["*"] {
        let pairs: Vec<(String, String)> = names
            .into_iter()
            .map(|n| ("properties".into(), n))
            .collect();
        uri = format!("{uri}?{}", super::quote::urlencode(&pairs));
    }
    let id = doc.get("id").cloned().unwrap_or(Value::Null);
    doc.insert(
        "_links".into(),
        json!({"self": [{"name": object.dn, "title": id, "href": uri}]}),
    );
    Value::Object(doc)
}

/// Modules whose objects have children; a move of such an object runs as a background
/// operation (202 and a progress resource).
pub(crate) fn has_children(module: &str) -> bool {
    module.starts_with("container/")
        || matches!(
            module,
            "settings/cn"
                | "dns/forward_zone"
                | "dns/reverse_zone"
                | "dhcp/service"
                | "dhcp/shared"
                | "dhcp/subnet"
                | "dhcp/sharedsubnet"
        )
}

/// The links of an object document (`self_url`: the object's URL as requested).
pub(crate) fn object_links(
    api: &str,
    module: &ModuleSpec,
    object: &Object,
    self_url: &str,
) -> Value {
    let collection = format!("{api}/{}/", module.name);
    let family = format!("{api}/{}/", module.family());
    let title = module.title();
    let mut links = json!({
        "udm:object-modules": [{"title": "All modules", "href": format!("{api}/")}],
        "udm:object-module": [{"name": module.name, "title": format!("{title}s"), "href": family}],
        "type": [{"name": module.name, "title": title, "href": collection}],
        "up": [{"name": module.name, "title": title, "href": collection}],
        "self": [{"title": object.dn, "href": self_url}],
        "describedby": [{"title": format!("{} module", module.name), "method": "OPTIONS", "href": self_url}],
        "icon": [{"type": "image/x-icon", "href": format!("{collection}favicon.ico")}],
        "udm:object/remove": [{"method": "DELETE", "href": self_url}],
        "udm:object/edit": [{"method": "PUT", "href": self_url}],
    });
    let object_url = object_href(api, &module.name, &object.dn);
    if let Value::Object(map) = &mut links {
        if has_children(&module.name) {
            map.insert(
                "udm:children-types".into(),
                json!([{"name": module.name, "title": format!("Sub object types of {title}"), "href": format!("{object_url}/children-types")}]),
            );
        }
        map.insert("edit-form".into(), json!([{"title": format!("Modify, move or remove this {title}"), "href": format!("{object_url}/edit")}]));
        map.insert(
            "udm:layout".into(),
            json!([{"title": "Module layout", "href": format!("{object_url}/layout")}]),
        );
        map.insert(
            "udm:properties".into(),
            json!([{"title": "Module properties", "href": format!("{object_url}/properties")}]),
        );
    }
    links
}
