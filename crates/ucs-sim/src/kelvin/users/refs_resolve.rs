//! The reference fields of user bodies resolved in the handlers' order
//! (`UserCreateModel._as_lib_model_kwargs`, `UserPatchModel.to_modify_kwargs`, `remove_url`)
//! and the importer's resolution of legal guardians and wards (`make_legal_guardians`,
//! `make_legal_wards`).

use super::model::{Memberships, UserBody, UserPatch};
use super::view::is_school_role_string;
use crate::kelvin::error::KelvinError;
use crate::kelvin::fields::Opt;
use crate::kelvin::lib_names::replace_class_chars;
use crate::kelvin::pyurl::HttpUrl;
use crate::kelvin::refs::{self, RefKind};
use crate::kelvin::version::ApiVersion;
use crate::store::Tree;
use std::collections::BTreeMap;
use ucs_ldap::Role;

/// The references of a POST/PUT body.
#[derive(Debug, Clone, Default)]
pub(crate) struct Resolved {
    pub school: Option<String>,
    pub schools: Vec<String>,
    pub roles: Vec<Role>,
    /// One `<role>:school:<school>` per role and school, then the non-school strings sent.
    pub role_strings: Vec<String>,
    /// User names or DNs.
    pub legal_guardians: Vec<String>,
    /// User names or DNs.
    pub legal_wards: Vec<String>,
}

/// `SchoolUserRole(url_to_name(...))`: a role URL of this version naming one of the five
/// roles (anything else is a `ValueError`, answered 500).
pub(crate) fn roles(version: ApiVersion, urls: &[HttpUrl]) -> Result<Vec<Role>, KelvinError> {
    let mut out = Vec::new();
    for url in urls {
        let name = refs::name(version, RefKind::Role, url)?;
        let role: Role = name.parse().map_err(|_| KelvinError::internal())?;
        out.push(role);
    }
    Ok(out)
}

fn school_names(version: ApiVersion, urls: &[HttpUrl]) -> Result<Vec<String>, KelvinError> {
    urls.iter()
        .map(|u| refs::name(version, RefKind::School, u))
        .collect()
}

fn user_names(version: ApiVersion, values: &[String]) -> Result<Vec<String>, KelvinError> {
    values
        .iter()
        .map(|v| refs::user_name_or_url(version, v))
        .collect()
}

/// POST/PUT.
pub(crate) fn body_refs(version: ApiVersion, b: &UserBody) -> Result<Resolved, KelvinError> {
    let roles = roles(version, &b.roles)?;
    let school = b
        .school
        .as_ref()
        .map(|u| refs::name(version, RefKind::School, u))
        .transpose()?;
    let schools = school_names(version, &b.schools)?;
    let contexts: Vec<String> = if schools.is_empty() {
        school.iter().cloned().collect()
    } else {
        schools.clone()
    };
    let mut role_strings: Vec<String> = Vec::new();
    for role in &roles {
        for s in &contexts {
            role_strings.push(format!("{}:school:{s}", role.as_str()));
        }
    }
    for sent in &b.ucsschool_roles {
        if !is_school_role_string(sent) && !role_strings.contains(sent) {
            role_strings.push(sent.clone());
        }
    }
    Ok(Resolved {
        school,
        schools,
        roles,
        role_strings,
        legal_guardians: user_names(version, &b.legal_guardians)?,
        legal_wards: user_names(version, &b.legal_wards)?,
    })
}

/// The references of a PATCH (role names are checked when the roles change).
#[derive(Debug, Clone, Default)]
pub(crate) struct PatchRefs {
    pub school: Option<String>,
    pub schools: Option<Vec<String>>,
    pub roles: Option<Vec<String>>,
}

/// PATCH (`to_modify_kwargs`: schools, school, roles).
pub(crate) fn patch_refs(version: ApiVersion, p: &UserPatch) -> Result<PatchRefs, KelvinError> {
    let schools = p
        .schools
        .value()
        .map(|u| school_names(version, u))
        .transpose()?;
    let school = p
        .school
        .value()
        .map(|u| refs::name(version, RefKind::School, u))
        .transpose()?;
    let roles = p
        .roles
        .value()
        .map(|urls| {
            urls.iter()
                .map(|u| refs::name(version, RefKind::Role, u))
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    Ok(PatchRefs {
        school,
        schools,
        roles,
    })
}

/// User names (or DNs) of legal guardians and wards, each when given.
pub(crate) type LegalNames = (Option<Vec<String>>, Option<Vec<String>>);

/// `legal_guardians` / `legal_wards` of a PATCH, when given.
pub(crate) fn legal_names(
    version: ApiVersion,
    guardians: &Opt<Vec<String>>,
    wards: &Opt<Vec<String>>,
) -> Result<LegalNames, KelvinError> {
    let names = |o: &Opt<Vec<String>>| o.value().map(|v| user_names(version, v)).transpose();
    Ok((names(guardians)?, names(wards)?))
}

/// Names (or `uid=` DNs) to DNs, as the importer resolves them; `Err` is the importer's text.
pub(crate) fn legal(
    tree: &Tree,
    names: &[String],
    owner: &str,
    guardians: bool,
) -> Result<Vec<String>, String> {
    let (limit, many, one) = if guardians {
        (4, "legal guardians", "legal guardian")
    } else {
        (10, "students", "student")
    };
    if names.len() > limit {
        return Err(format!(
            "User {owner} has more {many} ({}) than allowed ({limit})",
            names.len()
        ));
    }
    names
        .iter()
        .map(|name| {
            if name.starts_with("uid=") {
                return Ok(name.clone());
            }
            match crate::auth::find_user(tree, name) {
                Some(o) => Ok(o.dn.clone()),
                None if guardians => Err(format!("Couldn't find {one} {name} for student {owner}")),
                None => Err(format!(
                    "Couldn't find {one} {name} for legal guardian {owner}"
                )),
            }
        })
        .collect()
}

/// `make_classes` of a body map: disallowed characters become `-`.
pub(crate) fn replaced_classes(given: &Memberships) -> BTreeMap<String, Vec<String>> {
    given
        .iter()
        .map(|(s, names)| {
            (
                s.clone(),
                names.iter().map(|n| replace_class_chars(n)).collect(),
            )
        })
        .collect()
}

/// `make_workgroups` of a body map (the same replacement).
pub(crate) fn replaced_workgroups(given: &Memberships) -> BTreeMap<String, Vec<String>> {
    replaced_classes(given)
}
