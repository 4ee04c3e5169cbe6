//! The users resource: get, search, create, replace, patch, rename, move,
//! delete, exists.

use super::super::call::{body, kelvin_call, parse};
use super::super::models::User;
use super::super::url_ref::{wrong_kind, KelvinRef};
use super::super::{ApiVersion, Kelvin};
use super::{NewUser, UserFilter, UserPatch};
use crate::error::{Error, Result};
use crate::http::exec::Op;
use crate::roles::{check_change, check_create_with, ChangeKind, CreateOptions};

/// School users of a [`Kelvin`] session.
#[derive(Clone)]
pub struct Users {
    kelvin: Kelvin,
    checks: bool,
    server_fills: CreateOptions,
}

impl Kelvin {
    /// School users.
    pub fn users(&self) -> Users {
        Users::new(self.clone())
    }
}

impl Users {
    fn new(kelvin: Kelvin) -> Self {
        Users {
            kelvin,
            checks: true,
            server_fills: CreateOptions::default(),
        }
    }

    /// Says which fields the server fills when a create leaves them out (its
    /// user name and `record_uid` templates, its configured `source_uid`), so
    /// that a [`NewUser`] may leave them out without a rule violation. Every
    /// other role rule stays on. Kelvin 4.0.0 always fills `source_uid`
    /// ([`CreateOptions::kelvin`]); names and `record_uid`s only when its
    /// import configuration has a template for them (see [`CreateOptions`]).
    ///
    /// ```
    /// # fn demo(kelvin: ucs::kelvin::Kelvin) {
    /// use ucs::roles::CreateOptions;
    /// let users = kelvin.users().server_fills(CreateOptions::kelvin().name_from_template());
    /// # let _ = users; }
    /// ```
    pub fn server_fills(mut self, options: CreateOptions) -> Self {
        self.server_fills = options;
        self
    }

    /// Skip the client-side role-rule checks for calls through this handle
    /// (the server still enforces them).
    pub fn without_rule_checks(mut self) -> Self {
        self.checks = false;
        self
    }

    pub(crate) fn kelvin(&self) -> &Kelvin {
        &self.kelvin
    }

    fn url(&self, name: &str) -> Result<String> {
        self.kelvin.urls().item("users", name)
    }

    /// One user by login name.
    pub async fn get(&self, name: &str) -> Result<User> {
        kelvin_call!(&self.kelvin, Op::new("GET", self.url(name)?), Vec::new(), |c|
            v1: c.get_ucsschool_kelvin_v1_users_username_get(name),
            v2: c.get_ucsschool_kelvin_v2_users_username_get(name))
    }

    /// A user by its Kelvin URL (`user.url`, a class's member URL, a
    /// guardian's ward URL), read from this session's server (see
    /// [`KelvinRef::parse`]).
    pub async fn get_by_url(&self, url: &str) -> Result<User> {
        match self.kelvin.parse_url(url)? {
            KelvinRef::User(name) => self.get(&name).await,
            other => Err(wrong_kind(&other, "user")),
        }
    }

    /// Whether a school user exists (GET; Kelvin has no HEAD for users). An
    /// account that is not a school user (`Administrator`) is answered 404
    /// by Kelvin 4.0.0 (`routers/v1/user.py` `get`), so it does not exist
    /// here.
    pub async fn exists(&self, name: &str) -> Result<bool> {
        match self.get(name).await {
            Ok(_) => Ok(true),
            Err(e) if e.is_not_found() => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Users matching `filter` (Kelvin answers all matches at once).
    pub async fn search(&self, filter: &UserFilter) -> Result<Vec<User>> {
        let query = filter.udm_properties.clone();
        let f = filter;
        if self.kelvin.api_version() == ApiVersion::V2
            && (!f.roles.is_empty() || !f.ucsschool_roles.is_empty())
        {
            return Err(Error::InvalidInput(
                "the Kelvin v2 API has no roles/ucsschool_roles user filter".into(),
            ));
        }
        let roles: Vec<kelvin_raw::v1::types::SchoolUserRole> = f
            .checked_roles()?
            .iter()
            .map(|r| r.as_str().parse())
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| Error::InvalidInput(format!("role filter: {e}")))?;
        let roles = (!roles.is_empty()).then_some(&roles);
        let ucsschool_roles = (!f.ucsschool_roles.is_empty()).then_some(&f.ucsschool_roles);
        let url = self.kelvin.urls().collection("users");
        kelvin_call!(&self.kelvin, Op::new("GET", url), query, |c|
        v1: async {
            let email: Option<kelvin_raw::v1::types::Email> = match &f.email {
                Some(e) => Some(parse(e, "e-mail filter")?),
                None => None,
            };
            c.search_ucsschool_kelvin_v1_users_get(
                f.birthday.as_ref(), f.disabled, email.as_ref(), f.expiration_date.as_ref(),
                f.firstname.as_deref(), f.lastname.as_deref(), f.name.as_deref(), f.record_uid.as_deref(),
                roles, f.school.as_deref(), f.source_uid.as_deref(), ucsschool_roles,
            ).await
        },
        v2: c.search_ucsschool_kelvin_v2_users_get(
            f.birthday.as_ref(), f.disabled, f.email.as_deref(), f.expiration_date.as_ref(),
            f.firstname.as_deref(), f.lastname.as_deref(), f.name.as_deref(), f.record_uid.as_deref(),
            f.school.as_deref(), f.source_uid.as_deref(),
        ))
    }

    fn check(&self, violations: Vec<crate::roles::Violation>) -> Result<()> {
        if self.checks && !violations.is_empty() {
            Err(Error::RuleViolation(violations))
        } else {
            Ok(())
        }
    }

    /// Creates a user. The role rules are checked first (see
    /// [`Users::without_rule_checks`]).
    ///
    /// A create is never repeated blindly. If the connection breaks (or a
    /// gateway answers 502/504) after the request may have reached the server,
    /// the user is looked up (by name, or by `record_uid` and `source_uid`
    /// when the server picks the name; by `record_uid` alone when the server
    /// also fills `source_uid`, if exactly one user has it): one that has the
    /// `record_uid`, `source_uid`, name and every other field the request set
    /// is returned as created; a different user there is reported in the
    /// error, never returned as ours; none at all means the create did not
    /// arrive and it is sent again (at most three times). With neither a name
    /// nor a `record_uid` to look up, the original error is returned and the
    /// create is not sent again.
    pub async fn create(&self, user: NewUser) -> Result<User> {
        if self.checks {
            self.check(check_create_with(&user.rule_fields(), self.server_fills))?;
        }
        let json = user.to_json(self.kelvin.urls())?;
        let json = &json;
        let url = self.kelvin.urls().collection("users");
        let mut ambiguous = 0;
        loop {
            let op = Op::new("POST", url.clone()).with_secrets(user.secrets());
            let result: Result<User> = kelvin_call!(&self.kelvin, op, Vec::new(), |c|
                v1: async { c.create_ucsschool_kelvin_v1_users_post(&body(json)?).await },
                v2: async { c.create_ucsschool_kelvin_v2_users_post(&body(json)?).await });
            match result {
                Err(e) if e.maybe_applied() && ambiguous < 3 => {
                    ambiguous += 1;
                    tracing::warn!(
                        "create may have reached the server; checking before sending again"
                    );
                    match self.find_created(&user).await {
                        Ok(Some(existing)) => match user.differences(&existing) {
                            differences if differences.is_empty() => return Ok(existing),
                            differences => return Err(not_ours(e, &existing, &differences)),
                        },
                        Ok(None) => continue,
                        Err(_) => return Err(e),
                    }
                }
                other => return other,
            }
        }
    }

    /// The user a lost create may have made: by name, or (when the server
    /// names users) by `record_uid` (and `source_uid` when sent; else the
    /// server's own applies, so exactly one match is needed).
    async fn find_created(&self, user: &NewUser) -> Result<Option<User>> {
        if let Some(name) = user.name.as_deref() {
            return match self.get(name).await {
                Ok(found) => Ok(Some(found)),
                Err(e) if e.is_not_found() => Ok(None),
                Err(e) => Err(e),
            };
        }
        let Some(record_uid) = &user.record_uid else {
            return Err(Error::InvalidInput(
                "no name and no record_uid to look the user up by".into(),
            ));
        };
        let mut filter = UserFilter::new().record_uid(record_uid);
        if let Some(source_uid) = &user.source_uid {
            filter = filter.source_uid(source_uid);
        }
        let mut found = self.search(&filter).await?;
        found.retain(|u| {
            u.record_uid
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case(record_uid))
        });
        match found.len() {
            0 | 1 => Ok(found.pop()),
            n => Err(Error::InvalidInput(format!(
                "{n} users have record_uid {record_uid:?}; cannot tell which one a lost create made"
            ))),
        }
    }

    /// Replaces a user (PUT) with `user`'s fields: fields left empty are
    /// cleared, and Kelvin 4.0.0 removes every class when `school_classes` is
    /// empty (see [`crate::roles::implied_effects`]). A `user` without a name
    /// keeps `name` (the server would read a missing name as a rename to
    /// nothing). The role rules compare against the current state on the
    /// server.
    pub async fn replace(&self, name: &str, mut user: NewUser) -> Result<User> {
        user.name.get_or_insert_with(|| name.to_string());
        if self.checks {
            let before = self.get(name).await?;
            self.check(check_change(
                &before.rule_fields(),
                &user.rule_fields(),
                ChangeKind::Replace,
            ))?;
        }
        let json = user.to_json(self.kelvin.urls())?;
        let json = &json;
        let op = Op::new("PUT", self.url(name)?).with_secrets(user.secrets());
        kelvin_call!(&self.kelvin, op, Vec::new(), |c|
            v1: async { c.complete_update_ucsschool_kelvin_v1_users_username_put(name, &body(json)?).await },
            v2: async { c.complete_update_ucsschool_kelvin_v2_users_username_put(name, &body(json)?).await })
    }

    /// Changes only the fields in `patch` (PATCH). When the patch touches
    /// roles, schools, memberships or guardians, the current user is read
    /// first to check the role rules.
    pub async fn patch(&self, name: &str, patch: &UserPatch) -> Result<User> {
        if self.checks && patch.touches_rules() {
            let before = self.get(name).await?;
            self.check(check_change(
                &before.rule_fields(),
                &patch.rule_fields(),
                ChangeKind::Patch,
            ))?;
        }
        let json = patch.to_json(self.kelvin.urls())?;
        let json = &json;
        let op = Op::new("PATCH", self.url(name)?).with_secrets(patch.secrets());
        kelvin_call!(&self.kelvin, op, Vec::new(), |c|
            v1: c.partial_update_ucsschool_kelvin_v1_users_username_patch(name, json),
            v2: c.partial_update_ucsschool_kelvin_v2_users_username_patch(name, json))
    }

    /// Renames a user.
    pub async fn rename(&self, name: &str, new_name: &str) -> Result<User> {
        self.patch(name, &UserPatch::new().name(new_name)).await
    }

    /// Moves a user to another primary school (leaving the old one).
    pub async fn move_to_school(&self, name: &str, school: &str) -> Result<User> {
        self.patch(name, &UserPatch::new().school(school).schools([school]))
            .await
    }

    /// Deletes a user.
    pub async fn delete(&self, name: &str) -> Result<()> {
        kelvin_call!(&self.kelvin, Op::new("DELETE", self.url(name)?), Vec::new(), |c|
            v1: c.delete_ucsschool_kelvin_v1_users_username_delete(name),
            v2: c.delete_ucsschool_kelvin_v2_users_username_delete(name))
    }
}

/// The error for a lost create whose lookup found someone else's account.
fn not_ours(error: Error, existing: &User, differences: &[&str]) -> Error {
    let note = format!(
        "user {:?} exists but differs in {} from the user sent: not created by this request",
        existing.name,
        differences.join(", ")
    );
    error.amended(&note)
}
