//! School classes and workgroups, addressed by school and name.

use serde_json::{json, Map, Value};

use super::call::{body, kelvin_call, parse, FromRaw};
use super::url_ref::{wrong_kind, KelvinRef};
use super::urls::{name_from_url, Urls};
use super::Kelvin;
use crate::error::Result;
use crate::http::exec::Op;

/// A school class as Kelvin returns it (member URLs turned into user names;
/// serializes with Kelvin's field names).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct SchoolClass {
    /// Class name (without the school prefix).
    pub name: String,
    /// The school.
    pub school: String,
    /// Description.
    pub description: Option<String>,
    /// Members (user names); `None` when read through a handle that asked
    /// to leave them out ([`Classes::exclude_users`]): unknown, not empty.
    pub users: Option<Vec<String>>,
    /// Whether a class share exists.
    pub create_share: bool,
    /// LDAP DN.
    pub dn: String,
    /// The class's Kelvin URL.
    pub url: String,
    /// `role:context_type:context` strings.
    pub ucsschool_roles: Vec<String>,
    /// Mapped UDM properties.
    pub udm_properties: Map<String, Value>,
}

/// A workgroup as Kelvin returns it (member URLs turned into user names;
/// serializes with Kelvin's field names).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct WorkGroup {
    /// Workgroup name (without the school prefix).
    pub name: String,
    /// The school.
    pub school: String,
    /// Description.
    pub description: Option<String>,
    /// Members (user names); `None` when read through a handle that asked
    /// to leave them out ([`WorkGroups::exclude_users`]): unknown, not empty.
    pub users: Option<Vec<String>>,
    /// Whether a share exists.
    pub create_share: bool,
    /// Mail address of the group.
    pub email: Option<String>,
    /// Users allowed to send to the group's address.
    pub allowed_email_senders_users: Vec<String>,
    /// Groups allowed to send to the group's address.
    pub allowed_email_senders_groups: Vec<String>,
    /// LDAP DN.
    pub dn: String,
    /// The workgroup's Kelvin URL.
    pub url: String,
    /// `role:context_type:context` strings.
    pub ucsschool_roles: Vec<String>,
    /// Mapped UDM properties.
    pub udm_properties: Map<String, Value>,
}

macro_rules! groups_from_raw {
    ($version:ident) => {
        impl FromRaw<kelvin_raw::$version::types::SchoolClassModel> for SchoolClass {
            fn from_raw(
                raw: kelvin_raw::$version::types::SchoolClassModel,
            ) -> std::result::Result<Self, String> {
                Ok(SchoolClass {
                    name: raw.name,
                    school: name_from_url(&raw.school),
                    description: raw.description,
                    users: Some(raw.users.iter().map(|u| name_from_url(u)).collect()),
                    create_share: raw.create_share,
                    dn: raw.dn,
                    url: raw.url.to_string(),
                    ucsschool_roles: raw.ucsschool_roles,
                    udm_properties: raw.udm_properties,
                })
            }
        }

        impl FromRaw<kelvin_raw::$version::types::WorkGroupModel> for WorkGroup {
            fn from_raw(
                raw: kelvin_raw::$version::types::WorkGroupModel,
            ) -> std::result::Result<Self, String> {
                Ok(WorkGroup {
                    name: raw.name,
                    school: name_from_url(&raw.school),
                    description: raw.description,
                    users: Some(raw.users.iter().map(|u| name_from_url(u)).collect()),
                    create_share: raw.create_share,
                    email: raw.email,
                    allowed_email_senders_users: raw.allowed_email_senders_users,
                    allowed_email_senders_groups: raw.allowed_email_senders_groups,
                    dn: raw.dn,
                    url: raw.url.to_string(),
                    ucsschool_roles: raw.ucsschool_roles,
                    udm_properties: raw.udm_properties,
                })
            }
        }
    };
}

groups_from_raw!(v1);
groups_from_raw!(v2);

/// The builder methods classes and workgroups share.
macro_rules! group_builder {
    ($new:ident, $doc:literal) => {
        impl $new {
            #[doc = $doc]
            pub fn new(school: impl Into<String>, name: impl Into<String>) -> Self {
                $new {
                    school: school.into(),
                    name: name.into(),
                    ..Default::default()
                }
            }

            /// Description.
            pub fn description(mut self, text: impl Into<String>) -> Self {
                self.description = Some(text.into());
                self
            }

            /// A member (user name).
            pub fn user(mut self, name: impl Into<String>) -> Self {
                self.users.push(name.into());
                self
            }
        }
    };
}

/// A school class to create (or the full state for a replace).
/// Deserializes from Kelvin's field names; absent fields take their defaults.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct NewSchoolClass {
    /// Class name.
    pub name: String,
    /// The school.
    pub school: String,
    /// Description.
    pub description: Option<String>,
    /// Members (user names).
    pub users: Vec<String>,
    /// Create a class share (server default: yes).
    pub create_share: Option<bool>,
    /// Mapped UDM properties.
    pub udm_properties: Map<String, Value>,
}

group_builder!(NewSchoolClass, "Class `name` in `school`.");

impl TryFrom<&SchoolClass> for NewSchoolClass {
    type Error = crate::error::Error;

    /// The full state of a class, for a replace after changes. A class read
    /// without its members is refused: a replace would remove them all.
    fn try_from(class: &SchoolClass) -> Result<Self> {
        Ok(NewSchoolClass {
            name: class.name.clone(),
            school: class.school.clone(),
            description: class.description.clone(),
            users: known_members(&class.users, &class.name)?,
            create_share: Some(class.create_share),
            udm_properties: class.udm_properties.clone(),
        })
    }
}

/// The members of a group read with them, else an error.
fn known_members(users: &Option<Vec<String>>, group: &str) -> Result<Vec<String>> {
    users.clone().ok_or_else(|| {
        crate::error::Error::InvalidInput(format!(
            "the members of {group:?} are unknown (read with exclude_users); read it with its \
             members before replacing it"
        ))
    })
}

impl NewSchoolClass {
    fn to_json(&self, urls: &Urls) -> Result<Value> {
        Ok(Value::Object(common_body(
            urls,
            &self.name,
            &self.school,
            &self.description,
            &self.users,
            self.create_share,
            &self.udm_properties,
        )?))
    }
}

/// A workgroup to create (or the full state for a replace).
/// Deserializes from Kelvin's field names; absent fields take their defaults.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct NewWorkGroup {
    /// Workgroup name.
    pub name: String,
    /// The school.
    pub school: String,
    /// Description.
    pub description: Option<String>,
    /// Members (user names).
    pub users: Vec<String>,
    /// Create a share (server default: yes).
    pub create_share: Option<bool>,
    /// Mail address.
    pub email: Option<String>,
    /// Users allowed to send to the address.
    pub allowed_email_senders_users: Vec<String>,
    /// Groups allowed to send to the address.
    pub allowed_email_senders_groups: Vec<String>,
    /// Mapped UDM properties.
    pub udm_properties: Map<String, Value>,
}

group_builder!(NewWorkGroup, "Workgroup `name` in `school`.");

impl TryFrom<&WorkGroup> for NewWorkGroup {
    type Error = crate::error::Error;

    /// The full state of a workgroup, for a replace after changes. A
    /// workgroup read without its members is refused: a replace would remove
    /// them all.
    fn try_from(group: &WorkGroup) -> Result<Self> {
        Ok(NewWorkGroup {
            name: group.name.clone(),
            school: group.school.clone(),
            description: group.description.clone(),
            users: known_members(&group.users, &group.name)?,
            create_share: Some(group.create_share),
            email: group.email.clone(),
            allowed_email_senders_users: group.allowed_email_senders_users.clone(),
            allowed_email_senders_groups: group.allowed_email_senders_groups.clone(),
            udm_properties: group.udm_properties.clone(),
        })
    }
}

impl NewWorkGroup {
    fn to_json(&self, urls: &Urls) -> Result<Value> {
        let mut body = common_body(
            urls,
            &self.name,
            &self.school,
            &self.description,
            &self.users,
            self.create_share,
            &self.udm_properties,
        )?;
        if let Some(email) = &self.email {
            body.insert("email".into(), json!(email));
        }
        check_dns(
            SENDER_FIELDS[0],
            self.allowed_email_senders_users.iter().map(String::as_str),
        )?;
        check_dns(
            SENDER_FIELDS[1],
            self.allowed_email_senders_groups.iter().map(String::as_str),
        )?;
        body.insert(
            "allowed_email_senders_users".into(),
            json!(self.allowed_email_senders_users),
        );
        body.insert(
            "allowed_email_senders_groups".into(),
            json!(self.allowed_email_senders_groups),
        );
        Ok(Value::Object(body))
    }
}

/// The workgroup fields that hold DNs.
const SENDER_FIELDS: [&str; 2] = [
    "allowed_email_senders_users",
    "allowed_email_senders_groups",
];

/// Refuses values that are not DNs before anything is sent: Kelvin 4.0.0
/// answers them with 400 `Not a valid LDAP DN` (ucs-school-lib
/// `models/group.py` `EmailAttributesMixin`: attributes `Users` and `Groups`
/// of `models/attributes.py`, validated by UDM's `UserDN`/`GroupDN` syntax).
fn check_dns<'a>(field: &str, values: impl IntoIterator<Item = &'a str>) -> Result<()> {
    for value in values {
        if let Err(e) = ucs_ldap::Dn::parse(value) {
            return Err(crate::error::Error::InvalidInput(format!(
                "{field}: {value:?} is not an LDAP DN ({e})"
            )));
        }
    }
    Ok(())
}

fn common_body(
    urls: &Urls,
    name: &str,
    school: &str,
    description: &Option<String>,
    users: &[String],
    create_share: Option<bool>,
    udm_properties: &Map<String, Value>,
) -> Result<Map<String, Value>> {
    let mut body = Map::new();
    if let Some(share) = create_share {
        body.insert("create_share".into(), json!(share));
    }
    body.insert("name".into(), json!(name));
    body.insert("school".into(), json!(urls.item("schools", school)?));
    if let Some(d) = description {
        body.insert("description".into(), json!(d));
    }
    body.insert("users".into(), json!(urls.items("users", users)?));
    body.insert(
        "udm_properties".into(),
        Value::Object(udm_properties.clone()),
    );
    Ok(body)
}

/// A partial change of a class or workgroup: only the fields set are sent.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupPatch {
    fields: Map<String, Value>,
    users: Option<Vec<String>>,
}

/// A partial change of a school class.
pub type ClassPatch = GroupPatch;
/// A partial change of a workgroup.
pub type WorkGroupPatch = GroupPatch;

impl GroupPatch {
    /// An empty patch.
    pub fn new() -> Self {
        Self::default()
    }

    /// New name (a rename).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.fields.insert("name".into(), json!(name.into()));
        self
    }

    /// Description; `None` clears it.
    pub fn description(mut self, text: Option<&str>) -> Self {
        self.fields.insert("description".into(), json!(text));
        self
    }

    /// The complete member list (user names).
    pub fn users(mut self, users: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.users = Some(users.into_iter().map(Into::into).collect());
        self
    }

    /// Mail address of a workgroup; `None` clears it.
    pub fn email(mut self, email: Option<&str>) -> Self {
        self.fields.insert("email".into(), json!(email));
        self
    }

    /// Users allowed to send to a workgroup's address (their DNs, as the
    /// server keeps them); the list replaces the current one.
    pub fn allowed_email_senders_users(
        mut self,
        dns: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        let dns: Vec<String> = dns.into_iter().map(Into::into).collect();
        self.fields
            .insert("allowed_email_senders_users".into(), json!(dns));
        self
    }

    /// Groups allowed to send to a workgroup's address (their DNs); the list
    /// replaces the current one.
    pub fn allowed_email_senders_groups(
        mut self,
        dns: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        let dns: Vec<String> = dns.into_iter().map(Into::into).collect();
        self.fields
            .insert("allowed_email_senders_groups".into(), json!(dns));
        self
    }

    /// A mapped UDM property (`Value::Null` clears it).
    pub fn udm_property(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        let props = self
            .fields
            .entry("udm_properties")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(map) = props {
            map.insert(name.into(), value.into());
        }
        self
    }

    fn to_json(&self, urls: &Urls) -> Result<Map<String, Value>> {
        let mut body = self.fields.clone();
        for field in SENDER_FIELDS {
            if let Some(Value::Array(dns)) = body.get(field) {
                let dns: Vec<&str> = dns.iter().filter_map(Value::as_str).collect();
                check_dns(field, dns)?;
            }
        }
        if let Some(users) = &self.users {
            body.insert("users".into(), json!(urls.items("users", users)?));
        }
        Ok(body)
    }
}

/// Generates the resource handle for classes or workgroups.
macro_rules! group_resource {
    (
        $(#[$doc:meta])*
        $resource:ident, $model:ty, $new:ty, $collection:literal, $variant:ident, $what:literal,
        search: ($s1:ident, $s2:ident), get: ($g1:ident, $g2:ident), create: ($c1:ident, $c2:ident),
        replace: ($r1:ident, $r2:ident), patch: ($p1:ident, $p2:ident), delete: ($d1:ident, $d2:ident)
    ) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $resource {
            kelvin: Kelvin,
            exclude_users: bool,
        }

        impl<'a> $resource {
            fn new(kelvin: Kelvin) -> Self {
                $resource { kelvin, exclude_users: false }
            }

            /// Ask the server to leave out the member lists (`exclude=users`;
            /// much faster for big groups on servers that have it; Kelvin
            /// 4.0.0 does not and sends them anyway). Groups read through
            /// this handle have `users: None` (unknown), so they cannot be
            /// written back as "no members" by mistake.
            pub fn exclude_users(mut self) -> Self {
                self.exclude_users = true;
                self
            }

            fn members_known(&self, mut group: $model) -> $model {
                if self.exclude_users {
                    group.users = None;
                }
                group
            }

            fn query(&self) -> Vec<(String, String)> {
                if self.exclude_users {
                    vec![("exclude".to_string(), "users".to_string())]
                } else {
                    Vec::new()
                }
            }

            fn url(&self, school: &str, name: &str) -> Result<String> {
                self.kelvin.urls().school_item($collection, school, name)
            }

            /// The groups of `school`, optionally only those whose name
            /// matches (`*` wildcards).
            pub async fn search(&self, school: &str, name: Option<&str>) -> Result<Vec<$model>> {
                let url = self.kelvin.urls().collection($collection);
                let found: Vec<$model> = kelvin_call!(&self.kelvin, Op::new("GET", url), self.query(), |c|
                    v1: async { c.$s1(name, &parse(school, "school")?).await },
                    v2: async { c.$s2(name, &parse(school, "school")?).await })?;
                Ok(found.into_iter().map(|g| self.members_known(g)).collect())
            }

            /// One group.
            pub async fn get(&self, school: &str, name: &str) -> Result<$model> {
                let group: $model = kelvin_call!(&self.kelvin, Op::new("GET", self.url(school, name)?), self.query(), |c|
                    v1: c.$g1(school, name),
                    v2: c.$g2(school, name))?;
                Ok(self.members_known(group))
            }

            /// A group by its Kelvin URL, read from this session's server
            /// (see [`KelvinRef::parse`]).
            pub async fn get_by_url(&self, url: &str) -> Result<$model> {
                match self.kelvin.parse_url(url)? {
                    KelvinRef::$variant { school, name } => self.get(&school, &name).await,
                    other => Err(wrong_kind(&other, $what)),
                }
            }

            /// Whether a group exists (GET; Kelvin has no HEAD for groups).
            pub async fn exists(&self, school: &str, name: &str) -> Result<bool> {
                match self.get(school, name).await {
                    Ok(_) => Ok(true),
                    Err(e) if e.is_not_found() => Ok(false),
                    Err(e) => Err(e),
                }
            }

            /// Creates a group.
            pub async fn create(&self, group: $new) -> Result<$model> {
                let json = group.to_json(self.kelvin.urls())?;
                let json = &json;
                let url = self.kelvin.urls().collection($collection);
                kelvin_call!(&self.kelvin, Op::new("POST", url), Vec::new(), |c|
                    v1: async { c.$c1(&body(json)?).await },
                    v2: async { c.$c2(&body(json)?).await })
            }

            /// Replaces a group (PUT) with `group`'s fields.
            pub async fn replace(&self, school: &str, name: &str, group: $new) -> Result<$model> {
                let json = group.to_json(self.kelvin.urls())?;
                let json = &json;
                kelvin_call!(&self.kelvin, Op::new("PUT", self.url(school, name)?), Vec::new(), |c|
                    v1: async { c.$r1(school, name, &body(json)?).await },
                    v2: async { c.$r2(school, name, &body(json)?).await })
            }

            /// Changes only the fields in `patch` (PATCH).
            pub async fn patch(&self, school: &str, name: &str, patch: &GroupPatch) -> Result<$model> {
                let json = patch.to_json(self.kelvin.urls())?;
                let json = &json;
                kelvin_call!(&self.kelvin, Op::new("PATCH", self.url(school, name)?), Vec::new(), |c|
                    v1: c.$p1(school, name, json),
                    v2: c.$p2(school, name, json))
            }

            /// Deletes a group.
            pub async fn delete(&self, school: &str, name: &str) -> Result<()> {
                kelvin_call!(&self.kelvin, Op::new("DELETE", self.url(school, name)?), Vec::new(), |c|
                    v1: c.$d1(school, name),
                    v2: c.$d2(school, name))
            }
        }
    };
}

group_resource!(
    /// School classes of a [`Kelvin`] session.
    Classes, SchoolClass, NewSchoolClass, "classes", Class, "class",
    search: (search_ucsschool_kelvin_v1_classes_get, search_ucsschool_kelvin_v2_classes_get),
    get: (get_ucsschool_kelvin_v1_classes_school_class_name_get, get_ucsschool_kelvin_v2_classes_school_class_name_get),
    create: (create_ucsschool_kelvin_v1_classes_post, create_ucsschool_kelvin_v2_classes_post),
    replace: (complete_update_ucsschool_kelvin_v1_classes_school_class_name_put, complete_update_ucsschool_kelvin_v2_classes_school_class_name_put),
    patch: (partial_update_ucsschool_kelvin_v1_classes_school_class_name_patch, partial_update_ucsschool_kelvin_v2_classes_school_class_name_patch),
    delete: (delete_ucsschool_kelvin_v1_classes_school_class_name_delete, delete_ucsschool_kelvin_v2_classes_school_class_name_delete)
);

group_resource!(
    /// Workgroups of a [`Kelvin`] session.
    WorkGroups, WorkGroup, NewWorkGroup, "workgroups", WorkGroup, "workgroup",
    search: (search_ucsschool_kelvin_v1_workgroups_get, search_ucsschool_kelvin_v2_workgroups_get),
    get: (get_ucsschool_kelvin_v1_workgroups_school_workgroup_name_get, get_ucsschool_kelvin_v2_workgroups_school_workgroup_name_get),
    create: (create_ucsschool_kelvin_v1_workgroups_post, create_ucsschool_kelvin_v2_workgroups_post),
    replace: (complete_update_ucsschool_kelvin_v1_workgroups_school_workgroup_name_put, complete_update_ucsschool_kelvin_v2_workgroups_school_workgroup_name_put),
    patch: (partial_update_ucsschool_kelvin_v1_workgroups_school_workgroup_name_patch, partial_update_ucsschool_kelvin_v2_workgroups_school_workgroup_name_patch),
    delete: (delete_ucsschool_kelvin_v1_workgroups_school_workgroup_name_delete, delete_ucsschool_kelvin_v2_workgroups_school_workgroup_name_delete)
);

impl Kelvin {
    /// School classes, addressed by school and name.
    pub fn classes(&self) -> Classes {
        Classes::new(self.clone())
    }

    /// Workgroups, addressed by school and name.
    pub fn workgroups(&self) -> WorkGroups {
        WorkGroups::new(self.clone())
    }
}
