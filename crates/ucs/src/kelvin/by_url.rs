//! Reading any Kelvin object by its URL ([`Kelvin::get_by_url`]); the URL
//! grammar is in `url_ref.rs`.

use super::groups::{SchoolClass, WorkGroup};
use super::models::User;
use super::roles_api::RoleInfo;
use super::schools::School;
use super::url_ref::KelvinRef;
use super::Kelvin;
use crate::error::Result;

/// A Kelvin object read by its URL.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum KelvinObject {
    /// A school user.
    User(User),
    /// A school.
    School(School),
    /// A school class.
    Class(SchoolClass),
    /// A workgroup.
    WorkGroup(WorkGroup),
    /// A role.
    Role(RoleInfo),
}

impl Kelvin {
    /// What a Kelvin object URL points to, for this session's API version.
    pub fn parse_url(&self, url: &str) -> Result<KelvinRef> {
        KelvinRef::parse(url, self.api_version())
    }

    /// Reads the object a Kelvin URL points to (any resource), from this
    /// session's server. See [`KelvinRef::parse`] for what URLs are accepted.
    pub async fn get_by_url(&self, url: &str) -> Result<KelvinObject> {
        Ok(match self.parse_url(url)? {
            KelvinRef::User(name) => KelvinObject::User(self.users().get(&name).await?),
            KelvinRef::School(name) => KelvinObject::School(self.schools().get(&name).await?),
            KelvinRef::Class { school, name } => {
                KelvinObject::Class(self.classes().get(&school, &name).await?)
            }
            KelvinRef::WorkGroup { school, name } => {
                KelvinObject::WorkGroup(self.workgroups().get(&school, &name).await?)
            }
            KelvinRef::Role(name) => KelvinObject::Role(self.roles().get_by_name(&name).await?),
        })
    }
}
