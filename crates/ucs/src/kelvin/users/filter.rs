//! Search filters for users.

use chrono::NaiveDate;

use crate::roles::Role;

/// Search filters for users. Every filter is case-insensitive and accepts `*`
/// wildcards; filters combine with AND, several roles with OR.
///
/// ```
/// use ucs::kelvin::UserFilter;
/// use ucs::roles::Role;
/// let filter = UserFilter::new()
///     .school("DEMOSCHOOL")
///     .lastname("M*ller")
///     .role(Role::Student)
///     .role(Role::Teacher)
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

    /// Users with this role (repeat for "any of these roles"; v1 only).
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
