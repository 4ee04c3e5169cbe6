//! Uniqueness checks against a Kelvin server, and filling a [`NewUser`]'s
//! missing name, e-mail and password.

use futures::future::BoxFuture;

use super::users::{NewUser, UserFilter};
use super::Kelvin;
use crate::error::Result;
use crate::forms::{Taken, TakenError, UserValues};

/// [`Taken`] backed by a Kelvin session: `uid` is a user name, `mail` a
/// user's e-mail address (Kelvin compares case-insensitively). `exclude` is
/// the user name of the user being edited.
#[derive(Clone, Debug)]
pub struct KelvinTaken {
    kelvin: Kelvin,
}

impl KelvinTaken {
    /// Checks against `kelvin`'s users.
    pub fn new(kelvin: Kelvin) -> Self {
        KelvinTaken { kelvin }
    }
}

impl Taken for KelvinTaken {
    fn is_taken<'a>(
        &'a self,
        attribute: &'a str,
        value: &'a str,
        exclude: Option<&'a str>,
    ) -> BoxFuture<'a, std::result::Result<bool, TakenError>> {
        Box::pin(async move {
            let filter = match attribute {
                "mail" => UserFilter::new().email(value),
                _ => UserFilter::new().name(value),
            };
            let users = self
                .kelvin
                .users()
                .search(&filter)
                .await
                .map_err(TakenError::new)?;
            Ok(users.iter().any(|u| {
                let same = match attribute {
                    "mail" => u
                        .email
                        .as_deref()
                        .is_some_and(|m| m.eq_ignore_ascii_case(value)),
                    _ => u.name.eq_ignore_ascii_case(value),
                };
                same && exclude
                    .is_none_or(|own| !u.name.eq_ignore_ascii_case(own) && u.dn.to_string() != own)
            }))
        })
    }
}

impl NewUser {
    /// Fills what is missing: the login name (`name`, from the last name,
    /// transliterated and made unique), the e-mail address (if `values` has
    /// a mail domain) and an initial password. Given fields are kept.
    /// `record_uid` and `source_uid` come from the source system and are
    /// never made up.
    pub async fn fill_missing(mut self, values: &UserValues) -> Result<NewUser> {
        let mut wanted = Vec::new();
        if self.name.is_none() {
            wanted.push("name");
        }
        if self.email.is_none() && values.has_mail_domain() {
            wanted.push("email");
        }
        if self.password.is_none() && self.password_hashes.is_none() {
            wanted.push("password");
        }
        if wanted.is_empty() {
            return Ok(self);
        }
        let generated = values
            .generate(&wanted, &self.firstname, &self.lastname, None)
            .await?;
        if let Some(name) = generated.text("name") {
            self.name = Some(name.to_string());
        }
        if let Some(email) = generated.text("email") {
            self.email = Some(email.to_string());
        }
        if let Some(password) = generated.secret("password") {
            self.password = Some(password.clone());
        }
        Ok(self)
    }
}
