//! The modules a server offers (`GET /univention/udm/` and its families),
//! which the OpenAPI document does not describe.

use serde_json::Value;

use super::Udm;
use crate::error::Result;

/// A module the server offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleEntry {
    /// The module name (`users/user`).
    pub name: String,
    /// Its title, if the server sent one.
    pub title: Option<String>,
    /// Whether this build of the client has it (known and its family
    /// feature on); any other module is reached through
    /// [`Udm::generic_module`].
    pub supported: bool,
}

fn links<'v>(json: &'v Value, relation: &str) -> Vec<&'v Value> {
    match json.get("_links").and_then(|l| l.get(relation)) {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(item @ Value::Object(_)) => vec![item],
        _ => Vec::new(),
    }
}

impl Udm {
    /// The modules the server offers, sorted by name.
    pub async fn modules(&self) -> Result<Vec<ModuleEntry>> {
        let root_url = format!("{}/", self.base_url());
        let root = self.get_json(&root_url).await?;
        let mut out = Vec::new();
        for family in links(&root, "udm:object-modules") {
            let Some(href) = family.get("href").and_then(Value::as_str) else {
                continue;
            };
            let listing = self.get_json(&self.same_origin(href)?).await?;
            for module in links(&listing, "udm:object-types") {
                let Some(name) = module.get("name").and_then(Value::as_str) else {
                    continue;
                };
                out.push(ModuleEntry {
                    name: name.to_string(),
                    title: module
                        .get("title")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    supported: udm_raw::module_info(name).is_some_and(|m| m.enabled),
                });
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out.dedup_by(|a, b| a.name == b.name);
        Ok(out)
    }

    async fn get_json(&self, url: &str) -> Result<Value> {
        let answer = self.get_url(url).await?;
        serde_json::from_slice(answer.body()).map_err(|e| answer.decode_error(e.to_string()))
    }
}
