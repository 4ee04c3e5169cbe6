//! The UDM module catalog: every module the vendored UDM OpenAPI document declares, with the
//! methods it allows, its typed properties (for the modules the document types), options and
//! policy types. The data is generated from `specs/udm/openapi.json` into `catalog.json`
//! (`tests/udm_catalog_fresh.rs` regenerates and checks it); nothing here is hand-maintained.

use serde::Deserialize;
use std::collections::HashMap;

const CATALOG_JSON: &str = include_str!("catalog.json");

/// One property of a typed module.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PropertySpec {
    /// Property name (`username`).
    pub name: String,
    /// JSON type: `string`, `integer`, `boolean`, `object` or `array`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Item type of arrays.
    #[serde(default)]
    pub items: Option<String>,
    /// Format (`date`, `email`, `dn`, ...) of the value or, for arrays, of the items.
    #[serde(default)]
    pub format: Option<String>,
}

impl PropertySpec {
    /// Whether the property holds a list.
    pub fn is_list(&self) -> bool {
        self.kind == "array"
    }
}

/// A UDM option with its default.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct OptionSpec {
    /// Option name (`ucsschoolStudent`).
    pub name: String,
    /// Default value.
    pub default: bool,
}

/// A policy type an object of the module can reference.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PolicySpec {
    /// Policy module (`policies/umc`).
    pub name: String,
    /// How many policies of this type may be referenced.
    pub max: u64,
}

/// Everything the spec says about one module.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ModuleSpec {
    /// `family/name`.
    pub name: String,
    /// Methods on the collection (`GET` search, `POST` create).
    pub collection: Vec<String>,
    /// Whether `GET <module>/add` exists.
    pub template: bool,
    /// Methods on an object.
    pub object: Vec<String>,
    /// Whether the document types the properties (otherwise any JSON object is accepted).
    pub typed: bool,
    /// Typed properties, in document order.
    pub properties: Vec<PropertySpec>,
    /// Options, in document order.
    pub options: Vec<OptionSpec>,
    /// Policy types, in document order.
    pub policies: Vec<PolicySpec>,
}

impl ModuleSpec {
    /// The property of that name, for typed modules.
    pub fn property(&self, name: &str) -> Option<&PropertySpec> {
        self.properties.iter().find(|p| p.name == name)
    }

    /// The family part (`users` of `users/user`).
    pub fn family(&self) -> &str {
        self.name.split('/').next().unwrap_or("")
    }

    /// A display title derived from the module name (`forward_zone` -> `Forward zone`).
    pub fn title(&self) -> String {
        title_case(self.name.split('/').nth(1).unwrap_or(&self.name))
    }
}

/// `forward_zone` -> `Forward zone`, `gpipsec-filter` -> `Gpipsec filter`.
pub(crate) fn title_case(name: &str) -> String {
    let spaced = name.replace(['_', '-'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[derive(Deserialize)]
struct CatalogFile {
    modules: Vec<ModuleSpec>,
}

/// All modules, indexed by name.
#[derive(Debug)]
pub(crate) struct Catalog {
    modules: Vec<ModuleSpec>,
    index: HashMap<String, usize>,
}

impl Catalog {
    /// Parses the embedded catalog.
    pub fn load() -> anyhow::Result<Self> {
        let file: CatalogFile = serde_json::from_str(CATALOG_JSON)?;
        let index = file
            .modules
            .iter()
            .enumerate()
            .map(|(i, m)| (m.name.clone(), i))
            .collect();
        Ok(Self {
            modules: file.modules,
            index,
        })
    }

    /// The module of that name.
    pub fn module(&self, name: &str) -> Option<&ModuleSpec> {
        self.index.get(name).map(|&i| &self.modules[i])
    }

    /// All modules in name order.
    pub fn modules(&self) -> &[ModuleSpec] {
        &self.modules
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_has_all_modules_and_typed_user_properties() {
        let catalog = Catalog::load().unwrap();
        assert_eq!(catalog.modules().len(), 128);
        let user = catalog.module("users/user").unwrap();
        assert!(user.typed);
        assert_eq!(
            user.property("groups").unwrap().format.as_deref(),
            Some("dn")
        );
        assert!(user.property("ucsschoolRecordUID").is_some());
        assert!(user.options.iter().any(|o| o.name == "ucsschoolStudent"));
        assert_eq!(user.collection, vec!["GET", "POST"]);
        let computer = catalog.module("computers/computer").unwrap();
        assert_eq!(computer.collection, vec!["GET"]);
        assert!(!computer.template);
        assert_eq!(title_case("forward_zone"), "Forward zone");
    }
}
