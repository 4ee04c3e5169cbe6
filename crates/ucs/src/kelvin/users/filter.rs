//! Search filters for users.

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::roles::{Role, UserType};

/// Search filters for users. Every filter is case-insensitive and accepts `*`
/// wildcards; filters combine with AND.
///
/// The roles of a filter are one user type, matched exactly: one role, or `teacher`
/// with `staff` (only users who are both). The server knows no other sets, so the
/// search refuses them before sending anything ([`Error::InvalidInput`]).
///
/// ```
/// use ucs::kelvin::UserFilter;
/// use ucs::roles::Role;
/// let filter = UserFilter::new()
///     .school("DEMOSCHOOL")
///     .lastname("M*ller")
///     .role(Role::Teacher)
///     .role(Role::Staff)
///     .udm_property("title", "Dr*");
/// # let _ = filter;
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserFilter {
    pub(super) school: Option<String>,
    pub(super) name: Option<String>,
    pub(super) firstname: Option<String>,
    pub(super) lastname: Option<String>,
    pub(super) email: Option<String>,
    pub(super) record_uid: Option<String>,
    pub(super) source_uid: Option<String>,
    pub(super) birthday: Option<NaiveDate>,
    pub(super) expiration_date: Option<NaiveDate>,
    pub(super) disabled: Option<bool>,
    pub(super) roles: Vec<Role>,
    pub(super) ucsschool_roles: Vec<String>,
    pub(super) udm_properties: Vec<(String, String)>,
}

macro_rules! text_filters {
    ($($field:ident: $doc:literal),* $(,)?) => {
        $(
            #[doc = $doc]
            pub fn $field(mut self, value: impl Into<String>) -> Self {
                self.$field = Some(value.into());
                self
            }
        )*
    };
}

impl UserFilter {
    /// No filter: all users.
    pub fn new() -> Self {
        Self::default()
    }

    text_filters! {
        school: "Users of this school.",
        name: "Login name (`*` wildcards).",
        firstname: "First name (`*` wildcards).",
        lastname: "Last name (`*` wildcards).",
        email: "E-mail address (`*` wildcards).",
        record_uid: "Id in the source system.",
        source_uid: "Source system.",
    }

    /// Birthday.
    pub fn birthday(mut self, date: NaiveDate) -> Self {
        self.birthday = Some(date);
        self
    }

    /// Account expiry date.
    pub fn expiration_date(mut self, date: NaiveDate) -> Self {
        self.expiration_date = Some(date);
        self
    }

    /// Disabled or enabled accounts.
    pub fn disabled(mut self, disabled: bool) -> Self {
        self.disabled = Some(disabled);
        self
    }

    /// Users with this role (v1 only). Repeated, the roles form one set that users must
    /// have exactly: `teacher` + `staff` is the only set of two the server searches.
    pub fn role(mut self, role: Role) -> Self {
        self.roles.push(role);
        self
    }

    /// Users with this `role:context_type:context` string (v1 only).
    pub fn ucsschool_role(mut self, role: impl Into<String>) -> Self {
        self.ucsschool_roles.push(role.into());
        self
    }

    /// A mapped UDM property (`?title=Dr*`).
    pub fn udm_property(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.udm_properties.push((name.into(), value.into()));
        self
    }
}

/// The role sets the server searches by, as their text says it (Kelvin 4.0.0
/// `routers/v1/user.py` `search`, the allowed values of `roles`).
const SEARCHABLE_ROLE_SETS: &str =
    "[staff], [student], [teacher], [legal_guardian], [staff, teacher], [school_admin]";

impl UserFilter {
    /// The roles as one of the sets the server searches by (duplicates count once), or
    /// why not. Kelvin 4.0.0 (`routers/v1/user.py` `search`) answers 422 `Unknown value
    /// for 'roles' property` for any other set; each allowed set is exactly the roles of
    /// one user type, the class it then searches for.
    pub(super) fn checked_roles(&self) -> Result<Vec<Role>> {
        let mut roles = self.roles.clone();
        roles.sort();
        roles.dedup();
        let Some(kind) = UserType::of(&roles) else {
            return Ok(roles);
        };
        let mut expected = kind.roles().to_vec();
        expected.sort();
        if roles == expected {
            return Ok(roles);
        }
        let asked: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        Err(Error::InvalidInput(format!(
            "Kelvin searches users by one of the role sets {SEARCHABLE_ROLE_SETS}, not [{}]",
            asked.join(", ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles_of(roles: &[Role]) -> Result<Vec<Role>> {
        roles
            .iter()
            .fold(UserFilter::new(), |f, r| f.role(*r))
            .checked_roles()
    }

    #[test]
    fn only_the_six_role_sets_of_the_server_are_searched() {
        // Kelvin 4.0.0 (univention/ucsschool-kelvin-rest-api, release-4.0.0),
        // kelvin-api/ucsschool/kelvin/routers/v1/user.py, search: set(roles) must be
        // {staff}, {student}, {teacher}, {legal_guardian}, {staff, teacher} or
        // {school_admin}; anything else is 422 "Unknown value for 'roles' property".
        use Role::*;
        for allowed in [
            &[Staff][..],
            &[Student],
            &[Teacher],
            &[LegalGuardian],
            &[Teacher, Staff],
            &[SchoolAdmin],
            &[Teacher, Teacher],
            &[],
        ] {
            let mut sorted = allowed.to_vec();
            sorted.sort();
            sorted.dedup();
            assert_eq!(roles_of(allowed).ok(), Some(sorted), "{allowed:?}");
        }
        for refused in [
            &[Student, Teacher][..],
            &[SchoolAdmin, Teacher],
            &[SchoolAdmin, Staff, Teacher],
            &[Staff, LegalGuardian],
        ] {
            let e = roles_of(refused).expect_err("not a searchable set");
            let Error::InvalidInput(message) = &e else {
                panic!("{e:?}")
            };
            assert!(message.contains(SEARCHABLE_ROLE_SETS), "{message}");
        }
        let e = roles_of(&[Teacher, Student]).expect_err("refused");
        assert!(e.to_string().contains("not [student, teacher]"), "{e}");
    }
}
