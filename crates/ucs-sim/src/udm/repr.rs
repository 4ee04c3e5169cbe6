//! The JSON (HAL) representation of UDM objects and the HTTP metadata of one object.

use crate::directory::view;
use crate::query::encode_component;
use crate::store::{Object, Tree};
use crate::udm::catalog::Catalog;
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};
use ucs_ldap::canonical as dn;

/// `<base>/<module>/<percent-encoded DN>`.
pub(crate) fn object_href(base: &str, module: &str, dn_text: &str) -> String {
    format!("{base}/{module}/{}", encode_component(dn_text))
}

/// An HTTP date (`Last-Modified`).
pub(crate) fn http_date(time: &DateTime<Utc>) -> String {
    time.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// Which properties a request wants (`properties=a&properties=b`, `*` for all).
#[derive(Debug, Clone, Default)]
pub(crate) struct Selection(Option<Vec<String>>);

impl Selection {
    /// From the values of the `properties` query parameter.
    pub fn from_values(values: &[&str]) -> Self {
        if values.is_empty() || values.iter().any(|v| v.trim() == "*") {
            Selection(None)
        } else {
            Selection(Some(
                values
                    .iter()
                    .flat_map(|v| v.split(','))
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    .collect(),
            ))
        }
    }

    fn apply(&self, properties: Map<String, Value>) -> Map<String, Value> {
        match &self.0 {
            None => properties,
            Some(names) => properties
                .into_iter()
                .filter(|(k, _)| names.iter().any(|n| n == k))
                .collect(),
        }
    }
}

/// The document of an object.
pub(crate) fn object_json(
    tree: &Tree,
    catalog: &Catalog,
    object: &Object,
    base: &str,
    selection: &Selection,
) -> Value {
    let uri = object_href(base, &object.module, &object.dn);
    let parent = dn::parent(&object.dn).to_string();
    let mut links = json!({
        "self": [{"href": uri, "name": object.dn}],
        "type": [{"href": format!("{base}/{}/", object.module)}],
    });
    if let Some(parent_object) = tree.get(&dn::key_of_canonical(&parent)) {
        if let Some(map) = links.as_object_mut() {
            map.insert(
                "up".into(),
                json!([{"href": object_href(base, &parent_object.module, &parent_object.dn), "name": parent_object.dn}]),
            );
        }
    }
    // built field by field: `json!` would copy the property maps once more
    let mut doc = Map::new();
    doc.insert("dn".into(), Value::from(object.dn.as_str()));
    doc.insert(
        "id".into(),
        Value::from(dn::rdn_value(&object.dn).unwrap_or_default()),
    );
    doc.insert("uuid".into(), Value::from(object.uuid.as_str()));
    doc.insert("objectType".into(), Value::from(object.module.as_str()));
    doc.insert("position".into(), Value::from(parent));
    doc.insert(
        "superordinate".into(),
        object
            .superordinate
            .as_deref()
            .map_or(Value::Null, Value::from),
    );
    doc.insert(
        "properties".into(),
        Value::Object(selection.apply(view::properties(tree, catalog, object))),
    );
    doc.insert(
        "options".into(),
        Value::Object(view::options(catalog, object)),
    );
    doc.insert(
        "policies".into(),
        Value::Object(view::policies(catalog, object)),
    );
    doc.insert("uri".into(), Value::from(uri));
    doc.insert("_links".into(), links);
    doc.insert("_embedded".into(), Value::Object(Map::new()));
    Value::Object(doc)
}
