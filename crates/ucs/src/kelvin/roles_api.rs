//! The UCS@school roles resource.

use super::call::{kelvin_call, FromRaw};
use super::url_ref::{wrong_kind, KelvinRef};
use super::Kelvin;
use crate::error::Result;
use crate::http::exec::Op;
use crate::roles::Role;

/// A role as Kelvin lists it (serializes with Kelvin's field names).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct RoleInfo {
    /// The role name (`student`, ...).
    pub name: String,
    /// Human-readable name.
    pub display_name: String,
    /// The role's Kelvin URL.
    pub url: String,
}

impl RoleInfo {
    /// The role, if it is one of the five this crate knows.
    pub fn role(&self) -> Option<Role> {
        self.name.parse().ok()
    }
}

macro_rules! role_from_raw {
    ($version:ident) => {
        impl FromRaw<kelvin_raw::$version::types::RoleModel> for RoleInfo {
            fn from_raw(
                raw: kelvin_raw::$version::types::RoleModel,
            ) -> std::result::Result<Self, String> {
                Ok(RoleInfo {
                    name: raw.name,
                    display_name: raw.display_name,
                    url: raw.url.to_string(),
                })
            }
        }
    };
}

role_from_raw!(v1);
role_from_raw!(v2);

/// Roles of a [`Kelvin`] session.
#[derive(Clone)]
pub struct Roles {
    kelvin: Kelvin,
}

impl Kelvin {
    /// The UCS@school roles.
    pub fn roles(&self) -> Roles {
        Roles::new(self.clone())
    }
}

impl Roles {
    fn new(kelvin: Kelvin) -> Self {
        Roles { kelvin }
    }

    /// All roles.
    pub async fn list(&self) -> Result<Vec<RoleInfo>> {
        let url = self.kelvin.urls().collection("roles");
        kelvin_call!(&self.kelvin, Op::new("GET", url), Vec::new(), |c|
            v1: c.search_ucsschool_kelvin_v1_roles_get(),
            v2: c.search_ucsschool_kelvin_v2_roles_get())
    }

    /// One role.
    pub async fn get(&self, role: Role) -> Result<RoleInfo> {
        self.get_by_name(role.as_str()).await
    }

    /// One role by name, also one this crate does not know (a v2 server
    /// lists the roles of its database). Kelvin 4.0.0 compares role names
    /// case-sensitively: `Teacher` is not found (kelvin-api
    /// `routers/v1/role.py` `get`).
    pub async fn get_by_name(&self, name: &str) -> Result<RoleInfo> {
        let url = self.kelvin.urls().item("roles", name)?;
        kelvin_call!(&self.kelvin, Op::new("GET", url), Vec::new(), |c|
            v1: c.get_ucsschool_kelvin_v1_roles_role_name_get(name),
            v2: c.get_ucsschool_kelvin_v2_roles_role_name_get(name))
    }

    /// A role by its Kelvin URL (one of a user's `roles`), read from this
    /// session's server (see [`KelvinRef::parse`]).
    pub async fn get_by_url(&self, url: &str) -> Result<RoleInfo> {
        match self.kelvin.parse_url(url)? {
            KelvinRef::Role(name) => self.get_by_name(&name).await,
            other => Err(wrong_kind(&other, "role")),
        }
    }

    /// Whether a role exists (GET; Kelvin has no HEAD for roles). Names are
    /// case-sensitive; `exam_user` is not a Kelvin role.
    pub async fn exists(&self, name: &str) -> Result<bool> {
        match self.get_by_name(name).await {
            Ok(_) => Ok(true),
            Err(e) if e.is_not_found() => Ok(false),
            Err(e) => Err(e),
        }
    }
}
