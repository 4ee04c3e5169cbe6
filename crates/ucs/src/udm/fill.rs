//! Uniqueness checks against UDM (one search per candidate, or all users
//! preloaded for a batch), and filling a new `users/user` object's missing
//! user name, mail address and password, one or many.

use futures::future::BoxFuture;
use futures::TryStreamExt;

use super::object::Object;
use super::Udm;
use crate::error::{Error, Result};
use crate::forms::{
    fill_each, FillProgress, Person, PreloadedTaken, Taken, TakenEntry, TakenError, TakenSource,
    UserValues,
};
use ucs_ldap::Filter;

/// The page size of a preload.
const PRELOAD_PAGE: u64 = 1000;

/// [`Taken`] backed by UDM `users/user`: `uid` is a `username`, `mail` any
/// `mailPrimaryAddress` or `mailAlternativeAddress`. `exclude` is the DN or
/// user name of the user being edited.
///
/// Each check is one search. For a batch, [`UdmTaken::preloaded`] loads
/// every user's name and addresses in one paged search into a
/// [`PreloadedTaken`] (owners are DNs); [`UserValues::preloaded`] and
/// [`Object::fill_missing_many`] do that by themselves.
#[derive(Clone, Debug)]
pub struct UdmTaken {
    udm: Udm,
}

impl UdmTaken {
    /// Checks against `udm`'s users.
    pub fn new(udm: Udm) -> Self {
        UdmTaken { udm }
    }

    /// Every user's name and mail addresses, loaded now (see
    /// [`PreloadedTaken::refresh`] for long runs).
    pub async fn preloaded(&self) -> Result<PreloadedTaken> {
        PreloadedTaken::load(self.clone())
            .await
            .map_err(crate::forms::FormError::Preload)
            .map_err(Into::into)
    }
}

/// The values one user holds.
fn entries_of(user: &Object, out: &mut Vec<TakenEntry>) {
    let owner = user.dn().map(ToString::to_string);
    let owner = owner.as_deref();
    if let Some(name) = user.get_str("username").filter(|n| !n.is_empty()) {
        out.push(TakenEntry::new("uid", name, owner));
    }
    if let Some(mail) = user.get_str("mailPrimaryAddress").filter(|m| !m.is_empty()) {
        out.push(TakenEntry::new("mail", mail, owner));
    }
    let alternatives = user
        .get("mailAlternativeAddress")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str())
        .filter(|m| !m.is_empty());
    for mail in alternatives {
        out.push(TakenEntry::new("mail", mail, owner));
    }
}

impl TakenSource for UdmTaken {
    fn load(&self) -> BoxFuture<'_, std::result::Result<Vec<TakenEntry>, TakenError>> {
        Box::pin(async move {
            let mut users = self
                .udm
                .users()
                .search()
                .properties(["username", "mailPrimaryAddress", "mailAlternativeAddress"])
                .page_size(PRELOAD_PAGE)
                .stream();
            let mut entries = Vec::new();
            while let Some(user) = users.try_next().await.map_err(TakenError::new)? {
                entries_of(&user, &mut entries);
            }
            Ok(entries)
        })
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

    fn preload(
        &self,
    ) -> BoxFuture<'_, std::result::Result<Option<std::sync::Arc<dyn Taken>>, TakenError>> {
        Box::pin(async move {
            let preloaded = PreloadedTaken::load(self.clone()).await?;
            Ok(Some(
                std::sync::Arc::new(preloaded) as std::sync::Arc<dyn Taken>
            ))
        })
    }
}

/// A property that is absent, `null`, or text that is only whitespace.
fn missing(object: &Object, key: &str) -> bool {
    match object.get(key) {
        None | Some(serde_json::Value::Null) => true,
        Some(value) => value.as_str().is_some_and(|s| s.trim().is_empty()),
    }
}

impl Object {
    /// For a new `users/user` object: fills a missing `username` (from
    /// `lastname`, transliterated by the object's `preferredLanguage` if it
    /// has one, and made unique), `mailPrimaryAddress` (if `values` has a mail
    /// domain) and password, from the object's `firstname` and `lastname`.
    /// Set properties are kept; one that is only whitespace counts as
    /// missing.
    pub async fn fill_missing_user_values(&mut self, values: &UserValues) -> Result<()> {
        if self.module() != "users/user" {
            return Err(Error::InvalidInput(format!(
                "fill_missing_user_values needs a users/user object, not {}",
                self.module()
            )));
        }
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
        if missing(self, "lastname") {
            return Err(Error::InvalidInput(
                "users/user needs a lastname (not only whitespace) to generate values from".into(),
            ));
        }
        let exclude = self.dn().map(ToString::to_string);
        let person = Person {
            firstname: self.get_str("firstname").unwrap_or_default(),
            lastname: self.get_str("lastname").unwrap_or_default(),
            language: self
                .get_str("preferredLanguage")
                .filter(|l| !l.trim().is_empty()),
            roles: &[],
            exclude: exclude.as_deref(),
        };
        let generated = values.generate_for(&wanted, &person).await?;
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

    /// [`Object::fill_missing_user_values`] for many objects, one after the
    /// other, against the values' preload (one paged search of the users
    /// instead of one search per candidate). Each object's own
    /// `preferredLanguage` decides its transliteration. Returns one result
    /// per object, in input order; `progress` is called after every object.
    /// `Err` only if the preload fails.
    pub async fn fill_missing_many(
        objects: impl IntoIterator<Item = Object>,
        values: &UserValues,
        progress: impl Fn(FillProgress),
    ) -> Result<Vec<Result<Object>>> {
        let objects: Vec<Object> = objects.into_iter().collect();
        let values = &values.preloaded().await?;
        Ok(fill_each(objects, progress, |mut object| async move {
            object
                .fill_missing_user_values(values)
                .await
                .map(|()| object)
        })
        .await)
    }
}
