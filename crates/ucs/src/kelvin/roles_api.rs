//! The UCS@school roles resource.

use super::call::{kelvin_call, FromRaw};
use super::Kelvin;
use crate::error::Result;
use crate::http::exec::Op;
use crate::roles::Role;

/// A role as Kelvin lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
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

impl Roles {
    pub(crate) fn new(kelvin: Kelvin) -> Self {
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
        let name = role.as_str();
        let url = self.kelvin.urls().item("roles", name)?;
        kelvin_call!(&self.kelvin, Op::new("GET", url), Vec::new(), |c|
            v1: c.get_ucsschool_kelvin_v1_roles_role_name_get(name),
            v2: c.get_ucsschool_kelvin_v2_roles_role_name_get(name))
    }
}
