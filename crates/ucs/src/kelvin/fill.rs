//! Uniqueness checks against a Kelvin server (one search per candidate, or
//! all users preloaded for a batch), and filling a [`NewUser`]'s missing
//! name, e-mail and password, one or many.

use futures::future::BoxFuture;

use super::users::{NewUser, UserFilter};
use super::{Kelvin, User};
use crate::error::Result;
use crate::forms::{
    fill_each, FillProgress, Person, PreloadedTaken, Taken, TakenEntry, TakenError, TakenSource,
    UserValues,
};

/// [`Taken`] backed by a Kelvin session: `uid` is a user name, `mail` a
/// user's e-mail address (Kelvin compares case-insensitively). `exclude` is
/// the user name of the user being edited.
///
/// Each check is one user search. For a batch, [`KelvinTaken::preloaded`]
/// loads every user in one search (or one per school) into a
/// [`PreloadedTaken`]; [`UserValues::preloaded`] and
/// [`NewUser::fill_missing_many`] do that by themselves. Kelvin lists school
/// users only: accounts outside UCS@school are not seen either way.
#[derive(Clone, Debug)]
pub struct KelvinTaken {
    kelvin: Kelvin,
    schools: Option<Vec<String>>,
}

impl KelvinTaken {
    /// Checks against `kelvin`'s users.
    pub fn new(kelvin: Kelvin) -> Self {
        KelvinTaken {
            kelvin,
            schools: None,
        }
    }

    /// Preloads school by school (one search per school, every school if
    /// `schools` is empty) instead of one search of all users: smaller
    /// answers for a large directory.
    pub fn per_school(mut self, schools: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.schools = Some(schools.into_iter().map(Into::into).collect());
        self
    }

    /// Every user's name and e-mail address, loaded now (see
    /// [`PreloadedTaken::refresh`] and [`PreloadedTaken::refresh_after`] for
    /// long runs). Owners are user names.
    pub async fn preloaded(&self) -> Result<PreloadedTaken> {
        PreloadedTaken::load(self.clone())
            .await
            .map_err(crate::forms::FormError::Preload)
            .map_err(Into::into)
    }

    async fn users(&self) -> Result<Vec<User>> {
        let users = self.kelvin.users();
        let Some(schools) = &self.schools else {
            return users.search(&UserFilter::new()).await;
        };
        let schools = if schools.is_empty() {
            let all = self.kelvin.schools().search(None).await?;
            all.into_iter().map(|s| s.name).collect()
        } else {
            schools.clone()
        };
        let mut out = Vec::new();
        for school in schools {
            out.extend(users.search(&UserFilter::new().school(school)).await?);
        }
        Ok(out)
    }
}

impl TakenSource for KelvinTaken {
    fn load(&self) -> BoxFuture<'_, std::result::Result<Vec<TakenEntry>, TakenError>> {
        Box::pin(async move {
            let users = self.users().await.map_err(TakenError::new)?;
            let mut entries = Vec::with_capacity(users.len() * 2);
            for user in &users {
                entries.push(TakenEntry::new("uid", &user.name, Some(&user.name)));
                if let Some(email) = user.email.as_deref().filter(|e| !e.is_empty()) {
                    entries.push(TakenEntry::new("mail", email, Some(&user.name)));
                }
            }
            Ok(entries)
        })
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

/// Text that is absent or only whitespace.
fn blank(value: Option<&str>) -> bool {
    value.is_none_or(|v| v.trim().is_empty())
}

impl NewUser {
    /// Fills what is missing: the login name (`name`, from the last name,
    /// transliterated by the user's `preferredLanguage` UDM property or the
    /// values' language, and made unique), the e-mail address (if `values` has
    /// a mail domain) and an initial password. Given fields are kept; a
    /// field that is only whitespace counts as missing. `record_uid` and
    /// `source_uid` come from the source system and are never made up.
    ///
    /// The user name is at most as long as `values` allows for the user's
    /// roles ([`UserValues::kelvin`]: 20, students 15, as the UCS@school
    /// importer). A first or last name that is only whitespace is reported
    /// as such ([`FormError::BlankInput`](crate::forms::FormError::BlankInput),
    /// naming the field).
    pub async fn fill_missing(self, values: &UserValues) -> Result<NewUser> {
        self.fill_missing_in(values, None).await
    }

    /// [`NewUser::fill_missing`] for a row in `language` (its
    /// `preferredlanguage`, deciding transliteration; `None`: the user's
    /// mapped UDM property `preferredLanguage` if set, else the values'
    /// language).
    pub async fn fill_missing_in(
        mut self,
        values: &UserValues,
        language: Option<&str>,
    ) -> Result<NewUser> {
        let mut wanted = Vec::new();
        if blank(self.name.as_deref()) {
            wanted.push("name");
        }
        if blank(self.email.as_deref()) && values.has_mail_domain() {
            wanted.push("email");
        }
        if self.password.is_none() && self.password_hashes.is_none() {
            wanted.push("password");
        }
        if wanted.is_empty() {
            return Ok(self);
        }
        let own_language = self
            .udm_properties
            .get("preferredLanguage")
            .and_then(|l| l.as_str())
            .filter(|l| !l.trim().is_empty());
        let person = Person {
            firstname: &self.firstname,
            lastname: &self.lastname,
            language: language.or(own_language),
            roles: &self.roles,
            exclude: None,
        };
        let generated = values.generate_for(&wanted, &person).await?;
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

    /// Fills many users, one after the other (so that equal names become
    /// `doe`, `doe2`, ...), against the values' preload (one directory search
    /// for the batch instead of one per candidate name, see
    /// [`UserValues::preloaded`]). Each row may bring its language. Returns
    /// one result per row, in input order; `progress` is called after every
    /// row. `Err` only if the preload fails.
    pub async fn fill_missing_many(
        rows: impl IntoIterator<Item = impl Into<FillRow>>,
        values: &UserValues,
        progress: impl Fn(FillProgress),
    ) -> Result<Vec<Result<NewUser>>> {
        let rows: Vec<FillRow> = rows.into_iter().map(Into::into).collect();
        let values = &values.preloaded().await?;
        Ok(fill_each(rows, progress, |row| async move {
            row.user
                .fill_missing_in(values, row.language.as_deref())
                .await
        })
        .await)
    }
}

/// One row for [`NewUser::fill_missing_many`]: a user and the language of its
/// names (`None`: the values' language). A plain [`NewUser`] is a row too.
#[derive(Clone, Debug, PartialEq)]
pub struct FillRow {
    /// The user to fill.
    pub user: NewUser,
    /// The row's `preferredlanguage`.
    pub language: Option<String>,
}

impl FillRow {
    /// A row of `user` in `language`.
    pub fn new(user: NewUser, language: impl Into<String>) -> Self {
        FillRow {
            user,
            language: Some(language.into()),
        }
    }
}

impl From<NewUser> for FillRow {
    fn from(user: NewUser) -> Self {
        FillRow {
            user,
            language: None,
        }
    }
}
