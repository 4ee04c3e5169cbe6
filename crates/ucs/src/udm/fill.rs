//! Uniqueness checks against UDM, and filling a new `users/user` object's
//! missing user name, mail address and password.

use futures::future::BoxFuture;

use super::object::Object;
use super::Udm;
use crate::error::{Error, Result};
use crate::forms::{Taken, TakenError, UserValues};
use ucs_ldap::Filter;

/// [`Taken`] backed by UDM `users/user`: `uid` is a `username`, `mail` any
/// `mailPrimaryAddress` or `mailAlternativeAddress`. `exclude` is the DN or
/// user name of the user being edited.
#[derive(Clone, Debug)]
pub struct UdmTaken {
    udm: Udm,
}

impl UdmTaken {
    /// Checks against `udm`'s users.
    pub fn new(udm: Udm) -> Self {
        UdmTaken { udm }
    }
}

impl Taken for UdmTaken {
    fn is_taken<'a>(
        &'a self,
        attribute: &'a str,
        value: &'a str,
        exclude: Option<&'a str>,
    ) -> BoxFuture<'a, std::result::Result<bool, TakenError>> {
        Box::pin(async move {
            let filter = match attribute {
                "mail" => Filter::or([
                    Filter::eq("mailPrimaryAddress", value),
                    Filter::eq("mailAlternativeAddress", value),
                ]),
                _ => Filter::eq("username", value),
            };
            let hits = self
                .udm
                .users()
                .search()
                .filter(filter)
                .properties(["username"])
                .all()
                .await
                .map_err(TakenError::new)?;
            Ok(hits.iter().any(|hit| {
                let own = exclude.is_some_and(|own| {
                    hit.dn()
                        .is_some_and(|dn| dn.to_string().eq_ignore_ascii_case(own))
                        || hit
                            .get_str("username")
                            .is_some_and(|u| u.eq_ignore_ascii_case(own))
                });
                !own
            }))
        })
    }
}

impl Object {
    /// For a new `users/user` object: fills a missing `username` (from
    /// `lastname`, transliterated and made unique), `mailPrimaryAddress` (if
    /// `values` has a mail domain) and password, from the object's
    /// `firstname` and `lastname`. Set properties are kept.
    pub async fn fill_missing_user_values(&mut self, values: &UserValues) -> Result<()> {
        if self.module() != "users/user" {
            return Err(Error::InvalidInput(format!(
                "fill_missing_user_values needs a users/user object, not {}",
                self.module()
            )));
        }
        let missing = |o: &Object, key: &str| o.get(key).is_none_or(|v| v.is_null() || v == "");
        let mut wanted = Vec::new();
        if missing(self, "username") {
            wanted.push("username");
        }
        if missing(self, "mailPrimaryAddress") && values.has_mail_domain() {
            wanted.push("mailPrimaryAddress");
        }
        if self.password().is_none() {
            wanted.push("password");
        }
        if wanted.is_empty() {
            return Ok(());
        }
        let firstname = self.get_str("firstname").unwrap_or_default().to_string();
        let lastname = self
            .get_str("lastname")
            .filter(|l| !l.is_empty())
            .ok_or_else(|| {
                Error::InvalidInput("users/user needs a lastname to generate values from".into())
            })?
            .to_string();
        let exclude = self.dn().map(ToString::to_string);
        let generated = values
            .generate(&wanted, &firstname, &lastname, exclude.as_deref())
            .await?;
        for key in ["username", "mailPrimaryAddress"] {
            if let Some(value) = generated.text(key) {
                self.set(key, value);
            }
        }
        if let Some(password) = generated.secret("password") {
            self.set_password(password.clone());
        }
        Ok(())
    }
}
