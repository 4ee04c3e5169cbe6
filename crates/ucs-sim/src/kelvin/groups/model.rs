//! The bodies of class and workgroup writes (`SchoolClassCreateModel`,
//! `SchoolClassPatchDocument`, `WorkGroupCreateModel`, `WorkGroupPatchDocument` of
//! `kelvin/routers/v1/school_class.py` and `workgroup.py`), checked as pydantic does.

use super::kind::Kind;
use crate::kelvin::error::{loc, KelvinError, ValidationError};
use crate::kelvin::fields::{Fields, Opt};
use crate::kelvin::lib_names::check_group_name;
use crate::kelvin::pyurl::HttpUrl;
use crate::kelvin::schools::unknown_udm_properties;
use serde_json::{Map, Value};

/// A class or workgroup as POST and PUT send it.
#[derive(Debug, Clone)]
pub(crate) struct GroupBody {
    pub name: String,
    pub school: HttpUrl,
    pub description: Option<String>,
    pub users: Vec<HttpUrl>,
    pub create_share: bool,
    pub email: Option<String>,
    pub allowed_users: Vec<String>,
    pub allowed_groups: Vec<String>,
}

/// A PATCH of a class or workgroup.
#[derive(Debug, Clone, Default)]
pub(crate) struct GroupPatch {
    pub name: Opt<String>,
    pub description: Opt<String>,
    pub ucsschool_roles: Opt<Vec<String>>,
    pub users: Opt<Vec<HttpUrl>>,
    pub email: Opt<String>,
    pub allowed_users: Opt<Vec<String>>,
    pub allowed_groups: Opt<Vec<String>>,
}

/// The school name regex of `UcsSchoolBaseModel.check_school_name`.
pub(crate) fn is_school_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_')
}

/// `check_school_name` of a `school` URL: the last segment of its path must be a school name.
pub(crate) fn check_school_url(f: &mut Fields, url: &HttpUrl) -> Result<(), KelvinError> {
    // the server splits `value.path`, which is None for a URL without a path (AttributeError)
    let path = url.path.as_deref().ok_or_else(KelvinError::internal)?;
    if !is_school_name(path.rsplit('/').next().unwrap_or("")) {
        f.push(ValidationError::value(
            loc(&["body", "school"]),
            format!("Invalid name for a school (OU): {}", url.py_repr()),
        ));
    }
    Ok(())
}

fn resource(kind: Kind) -> &'static str {
    match kind {
        Kind::Class => "school_class",
        Kind::Workgroup => "workgroup",
    }
}

/// Reads a POST/PUT body.
pub(crate) fn parse_body(kind: Kind, map: &Map<String, Value>) -> Result<GroupBody, KelvinError> {
    let mut f = Fields::new(map);
    let _ = unknown_udm_properties(&mut f, resource(kind), &[]);
    let name = f.string("name");
    f.require("name", &name);
    let school = f.url("school");
    if f.require("school", &school) {
        if let Some(url) = school.value() {
            check_school_url(&mut f, url)?;
        }
    }
    let description = f.string("description");
    let users = f.url_list("users");
    let create_share = f.boolean("create_share");
    f.not_null("create_share", &create_share);
    let (email, allowed_users, allowed_groups) = if kind == Kind::Workgroup {
        let email = f.string("email");
        let users = f.string_list("allowed_email_senders_users");
        f.not_null("allowed_email_senders_users", &users);
        let groups = f.string_list("allowed_email_senders_groups");
        f.not_null("allowed_email_senders_groups", &groups);
        (email, users, groups)
    } else {
        Default::default()
    };
    root_name_check(kind, &mut f, &name, &school)?;
    f.finish_ref()?;
    Ok(GroupBody {
        name: name.into_value().unwrap_or_default(),
        school: school.into_value().ok_or_else(KelvinError::internal)?,
        description: description.into_value(),
        users: users.into_value().unwrap_or_default(),
        create_share: create_share.into_value().unwrap_or(true),
        email: email.into_value(),
        allowed_users: allowed_users.into_value().unwrap_or_default(),
        allowed_groups: allowed_groups.into_value().unwrap_or_default(),
    })
}

/// `check_name2`: `<last segment of the school URL>-<name>` must be a group name. For
/// classes it runs only when the fields are valid; for workgroups always, and a missing
/// name makes it fail with a `KeyError` (500).
fn root_name_check(
    kind: Kind,
    f: &mut Fields,
    name: &Opt<String>,
    school: &Opt<HttpUrl>,
) -> Result<(), KelvinError> {
    if kind == Kind::Class && !f.errors.is_empty() {
        return Ok(());
    }
    let Some(name) = name.value() else {
        return Err(KelvinError::internal());
    };
    let school = school
        .value()
        .map(|u| u.raw.rsplit('/').next().unwrap_or("").to_string())
        .unwrap_or_default();
    if let Err(message) = check_group_name(&format!("{school}-{name}")) {
        f.push(ValidationError::value(loc(&["body", "__root__"]), message));
    }
    Ok(())
}

/// Reads a PATCH body.
pub(crate) fn parse_patch(kind: Kind, map: &Map<String, Value>) -> Result<GroupPatch, KelvinError> {
    let mut f = Fields::new(map);
    let name = f.string("name");
    if let Opt::Set(n) = &name {
        if let Err(message) = check_group_name(&format!("DEMOSCHOOL-{n}")) {
            f.push(ValidationError::value(loc(&["body", "name"]), message));
        }
    }
    let mut patch = GroupPatch {
        name,
        description: f.string("description"),
        ucsschool_roles: f.string_list("ucsschool_roles"),
        users: f.url_list("users"),
        ..Default::default()
    };
    if kind == Kind::Workgroup {
        patch.email = f.string("email");
        patch.allowed_users = f.string_list("allowed_email_senders_users");
        f.not_null("allowed_email_senders_users", &patch.allowed_users);
        patch.allowed_groups = f.string_list("allowed_email_senders_groups");
        f.not_null("allowed_email_senders_groups", &patch.allowed_groups);
    }
    let _ = unknown_udm_properties(&mut f, resource(kind), &[]);
    f.finish_ref()?;
    Ok(patch)
}
