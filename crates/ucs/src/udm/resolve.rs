//! Following DN-valued properties (a user's `groups`, a group's `users`,
//! `nestedGroup`, ...) to the objects they name.

use futures::{StreamExt, TryStreamExt};
use serde_json::Value;

use super::object::Object;
use super::Udm;
use crate::error::{Error, Result};
use ucs_ldap::Dn;

/// The most DNs one [`Object::resolve`] follows.
pub const MAX_RESOLVE: usize = 10_000;

/// How many objects are read at the same time.
const CONCURRENT_READS: usize = 4;

impl Object {
    /// The objects a DN-valued property names (`user.resolve(&udm,
    /// "groups")` gives the user's groups), in the property's order, each
    /// read with [`Udm::object`] (so of any module). An absent or empty
    /// property gives none; DNs whose object no longer exists are left out.
    /// A value that is not a DN, or more than [`MAX_RESOLVE`] values, is an
    /// error before anything is read.
    pub async fn resolve(&self, udm: &Udm, property: &str) -> Result<Vec<Object>> {
        let dns = self.dn_values(property)?;
        let found: Vec<Option<Object>> = futures::stream::iter(dns)
            .map(|dn| async move {
                match udm.object(&dn).await {
                    Ok(object) => Ok(Some(object)),
                    Err(e) if e.is_not_found() => Ok(None),
                    Err(e) => Err(e),
                }
            })
            .buffered(CONCURRENT_READS)
            .try_collect()
            .await?;
        Ok(found.into_iter().flatten().collect())
    }

    /// The DNs in a property (one DN or a list of them).
    fn dn_values(&self, property: &str) -> Result<Vec<Dn>> {
        let values: Vec<&Value> = match self.get(property) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items.iter().collect(),
            Some(one) => vec![one],
        };
        if values.len() > MAX_RESOLVE {
            return Err(Error::InvalidInput(format!(
                "{property} has {} values; resolve follows at most {MAX_RESOLVE}",
                values.len()
            )));
        }
        values
            .into_iter()
            .filter(|v| v.as_str() != Some(""))
            .enumerate()
            .map(|(index, value)| {
                value
                    .as_str()
                    .and_then(|text| Dn::parse(text).ok())
                    .ok_or_else(|| {
                        Error::InvalidInput(format!(
                            "{property} value #{} is not a DN: {value}",
                            index + 1
                        ))
                    })
            })
            .collect()
    }
}
