//! Module handles from a client: [`Udm::module`] by name (an unknown name is an
//! error with close matches), [`Udm::generic_module`] for a module the vendored
//! document does not describe, and shortcuts for the common ones
//! ([`Udm::users`], ...).

use super::module::Module;
use super::Udm;
use crate::error::{Error, Result};

impl Udm {
    /// A module by name. Unknown names are an error listing close matches;
    /// modules whose family feature is off in this build are a configuration
    /// error naming the feature. For a module the vendored document does not
    /// describe (an app's module, one of a newer server) use
    /// [`Udm::generic_module`].
    pub fn module(&self, name: &str) -> Result<Module> {
        match udm_raw::module_info(name) {
            Some(info) if info.enabled => Ok(Module::new(self.clone(), info)),
            Some(info) => Err(Error::Config(format!(
                "UDM module {name:?} needs the cargo feature `{}` of udm-raw (or `udm-all` of ucs)",
                info.family
            ))),
            None => Err(Error::UnknownModule {
                name: name.to_string(),
                suggestions: close_matches(name),
            }),
        }
    }

    /// Any module by name (`family/name`), also one the vendored document
    /// does not describe, reached through hand-written requests to the same
    /// URLs with the same parameters and the same object model (properties
    /// as JSON, ETag preconditions, paged searches, moves). Its operations
    /// are not known in advance: the server refuses what the module does not
    /// have. Only the name's syntax is checked (ASCII letters, digits, `_`
    /// and `-` on both sides of one `/`), so that it stays one path.
    ///
    /// ```
    /// # fn demo(udm: ucs::udm::Udm) -> ucs::Result<()> {
    /// let app = udm.generic_module("myapp/entry")?;
    /// assert!(!app.is_described());
    /// # Ok(()) }
    /// ```
    pub fn generic_module(&self, name: &str) -> Result<Module> {
        let valid = |part: &str| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        };
        match name.split_once('/') {
            Some((family, module)) if valid(family) && valid(module) => {
                Ok(Module::generic(self.clone(), name))
            }
            _ => Err(Error::InvalidInput(format!(
                "{name:?} is not a UDM module name (family/name, letters, digits, '_', '-')"
            ))),
        }
    }

    fn known(&self, name: &'static str) -> Module {
        match udm_raw::module_info(name) {
            Some(info) => Module::new(self.clone(), info),
            None => unreachable!("{name} is in the vendored document"),
        }
    }

    /// `users/user`.
    pub fn users(&self) -> Module {
        self.known("users/user")
    }

    /// `groups/group`.
    pub fn groups(&self) -> Module {
        self.known("groups/group")
    }

    /// `container/ou`.
    pub fn ous(&self) -> Module {
        self.known("container/ou")
    }

    /// `container/cn`.
    pub fn containers(&self) -> Module {
        self.known("container/cn")
    }

    /// `mail/domain`.
    pub fn mail_domains(&self) -> Module {
        self.known("mail/domain")
    }
}

/// Known module names close to `name`, best first.
fn close_matches(name: &str) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = udm_raw::MODULES
        .iter()
        .map(|m| (strsim::jaro_winkler(name, m.name), m.name))
        .filter(|(score, _)| *score > 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
        .into_iter()
        .take(3)
        .map(|(_, n)| n.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_modules_get_suggestions() {
        let udm = Udm::builder("http://127.0.0.1:1")
            .credentials("a", "b")
            .build()
            .unwrap();
        match udm.module("users/usr") {
            Err(Error::UnknownModule { suggestions, .. }) => {
                assert_eq!(suggestions.first().map(String::as_str), Some("users/user"))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(udm.module("groups/group").unwrap().name(), "groups/group");
        let generic = udm.generic_module("myapp/entry").unwrap();
        assert!(!generic.is_described());
        assert_eq!(generic.name(), "myapp/entry");
        assert!(generic.operations().contains(&"update"));
        for bad in [
            "myapp", "a/b/c", "/x", "x/", "a b/c", "a/../b", "a/b?x", "ä/b",
        ] {
            assert!(
                matches!(udm.generic_module(bad), Err(Error::InvalidInput(_))),
                "{bad}"
            );
        }
        assert_eq!(udm.base_url(), "http://127.0.0.1:1/univention/udm");
    }
}
