//! Schools (OUs): get, search, create, exists.

use serde_json::{json, Map, Value};

use super::call::{body, kelvin_call, FromRaw};
use super::url_ref::{wrong_kind, KelvinRef};
use super::Kelvin;
use crate::error::Result;
use crate::http::exec::Op;

/// A school as Kelvin returns it (serializes with Kelvin's field names).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct School {
    /// The OU name.
    pub name: String,
    /// Display name.
    pub display_name: Option<String>,
    /// LDAP DN.
    pub dn: String,
    /// The school's Kelvin URL.
    pub url: String,
    /// Educational servers.
    pub educational_servers: Vec<String>,
    /// Administrative servers.
    pub administrative_servers: Vec<String>,
    /// File server for class shares.
    pub class_share_file_server: Option<String>,
    /// File server for home shares.
    pub home_share_file_server: Option<String>,
    /// `role:context_type:context` strings.
    pub ucsschool_roles: Vec<String>,
    /// Mapped UDM properties.
    pub udm_properties: Map<String, Value>,
}

macro_rules! school_from_raw {
    ($version:ident) => {
        impl FromRaw<kelvin_raw::$version::types::SchoolModel> for School {
            fn from_raw(
                raw: kelvin_raw::$version::types::SchoolModel,
            ) -> std::result::Result<Self, String> {
                Ok(School {
                    name: raw.name,
                    display_name: raw.display_name,
                    dn: raw.dn,
                    url: raw.url.to_string(),
                    educational_servers: raw.educational_servers,
                    administrative_servers: raw.administrative_servers,
                    class_share_file_server: raw.class_share_file_server,
                    home_share_file_server: raw.home_share_file_server,
                    ucsschool_roles: raw.ucsschool_roles,
                    udm_properties: raw.udm_properties,
                })
            }
        }
    };
}

school_from_raw!(v1);
school_from_raw!(v2);

/// A school to create. Deserializes from Kelvin's field names; absent
/// fields take their defaults.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct NewSchool {
    /// OU name.
    pub name: String,
    /// Display name.
    pub display_name: Option<String>,
    /// Educational servers (host names).
    pub educational_servers: Vec<String>,
    /// Administrative servers (host names).
    pub administrative_servers: Vec<String>,
    /// File server for class shares.
    pub class_share_file_server: Option<String>,
    /// File server for home shares.
    pub home_share_file_server: Option<String>,
    /// Whether the DHCP base should be changed (`alter_dhcpd_base`).
    pub alter_dhcpd_base: Option<bool>,
    /// Mapped UDM properties.
    pub udm_properties: Map<String, Value>,
}

impl NewSchool {
    /// A school named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        NewSchool {
            name: name.into(),
            ..Default::default()
        }
    }

    /// Display name.
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// An educational server.
    pub fn educational_server(mut self, host: impl Into<String>) -> Self {
        self.educational_servers.push(host.into());
        self
    }

    fn to_json(&self) -> Value {
        let mut body = Map::new();
        body.insert("name".into(), json!(self.name));
        if let Some(d) = &self.display_name {
            body.insert("display_name".into(), json!(d));
        }
        body.insert(
            "educational_servers".into(),
            json!(self.educational_servers),
        );
        body.insert(
            "administrative_servers".into(),
            json!(self.administrative_servers),
        );
        if let Some(s) = &self.class_share_file_server {
            body.insert("class_share_file_server".into(), json!(s));
        }
        if let Some(s) = &self.home_share_file_server {
            body.insert("home_share_file_server".into(), json!(s));
        }
        body.insert(
            "udm_properties".into(),
            Value::Object(self.udm_properties.clone()),
        );
        Value::Object(body)
    }
}

/// Schools of a [`Kelvin`] session.
#[derive(Clone)]
pub struct Schools {
    kelvin: Kelvin,
}

impl Kelvin {
    /// Schools (OUs).
    pub fn schools(&self) -> Schools {
        Schools::new(self.clone())
    }
}

impl Schools {
    fn new(kelvin: Kelvin) -> Self {
        Schools { kelvin }
    }

    /// One school by name.
    pub async fn get(&self, name: &str) -> Result<School> {
        let url = self.kelvin.urls().item("schools", name)?;
        kelvin_call!(&self.kelvin, Op::new("GET", url), Vec::new(), |c|
            v1: c.school_get_ucsschool_kelvin_v1_schools_school_name_get(name),
            v2: c.school_get_ucsschool_kelvin_v2_schools_school_name_get(name))
    }

    /// A school by its Kelvin URL (a user's or class's `school`), read from
    /// this session's server (see [`KelvinRef::parse`]).
    pub async fn get_by_url(&self, url: &str) -> Result<School> {
        match self.kelvin.parse_url(url)? {
            KelvinRef::School(name) => self.get(&name).await,
            other => Err(wrong_kind(&other, "school")),
        }
    }

    /// Schools whose name matches (`*` wildcards), or all with `None`.
    pub async fn search(&self, name: Option<&str>) -> Result<Vec<School>> {
        let url = self.kelvin.urls().collection("schools");
        kelvin_call!(&self.kelvin, Op::new("GET", url), Vec::new(), |c|
            v1: c.school_search_ucsschool_kelvin_v1_schools_get(name),
            v2: c.search_ucsschool_kelvin_v2_schools_get(name))
    }

    /// Whether a school exists (`HEAD`, no body transferred).
    pub async fn exists(&self, name: &str) -> Result<bool> {
        let url = self.kelvin.urls().item("schools", name)?;
        let result: Result<()> = kelvin_call!(&self.kelvin, Op::new("HEAD", url), Vec::new(), |c|
            v1: c.school_exists_ucsschool_kelvin_v1_schools_school_name_head(name),
            v2: c.school_exists_ucsschool_kelvin_v2_schools_school_name_head(name));
        match result {
            Ok(()) => Ok(true),
            Err(e) if e.is_not_found() => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Creates a school.
    pub async fn create(&self, school: NewSchool) -> Result<School> {
        let json = school.to_json();
        let json = &json;
        let alter = school.alter_dhcpd_base;
        let url = self.kelvin.urls().collection("schools");
        kelvin_call!(&self.kelvin, Op::new("POST", url), Vec::new(), |c|
            v1: async { c.school_create_ucsschool_kelvin_v1_schools_post(alter, &body(json)?).await },
            v2: async { c.school_create_ucsschool_kelvin_v2_schools_post(alter, &body(json)?).await })
    }
}
