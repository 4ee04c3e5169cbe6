//! The bodies of user writes as pydantic validates them: `UserCreateModel` (POST and PUT)
//! and `UserPatchModel` (PATCH) of `kelvin/routers/v1/user.py`. Errors are listed in the
//! models' field order, root validators last; reference URLs are resolved later, in the
//! handlers' order.

use super::checks;
use crate::kelvin::error::{loc, KelvinError, ValidationError};
use crate::kelvin::fields::{Fields, Opt};
use crate::kelvin::groups::model::check_school_url;
use crate::kelvin::lib_names::check_username;
use crate::kelvin::pyurl::HttpUrl;
use crate::kelvin::schools::unknown_udm_properties;
use serde_json::{json, Map, Value};

/// Classes or workgroups per school, in body order.
pub(crate) type Memberships = Vec<(String, Vec<String>)>;

/// A user as POST and PUT send it.
#[derive(Debug, Clone, Default)]
pub(crate) struct UserBody {
    pub udm_properties: Map<String, Value>,
    pub name: Option<String>,
    pub school: Option<HttpUrl>,
    pub firstname: String,
    pub lastname: String,
    pub birthday: Option<String>,
    pub disabled: bool,
    pub email: Option<String>,
    pub expiration_date: Option<String>,
    pub record_uid: Option<String>,
    pub roles: Vec<HttpUrl>,
    pub schools: Vec<HttpUrl>,
    pub school_classes: Memberships,
    pub workgroups: Memberships,
    /// Whether the body has a `workgroups` key (PUT keeps the memberships otherwise).
    pub workgroups_given: bool,
    pub source_uid: Option<String>,
    pub ucsschool_roles: Vec<String>,
    pub legal_guardians: Vec<String>,
    pub legal_wards: Vec<String>,
    pub password: Option<String>,
    pub password_hashes: Option<Value>,
}

/// A PATCH of a user; only given fields change.
#[derive(Debug, Clone, Default)]
pub(crate) struct UserPatch {
    pub name: Opt<String>,
    pub firstname: Opt<String>,
    pub lastname: Opt<String>,
    pub birthday: Opt<String>,
    pub disabled: Opt<bool>,
    pub email: Opt<String>,
    pub expiration_date: Opt<String>,
    pub password: Opt<String>,
    pub record_uid: Opt<String>,
    pub roles: Opt<Vec<HttpUrl>>,
    pub school: Opt<HttpUrl>,
    pub schools: Opt<Vec<HttpUrl>>,
    pub school_classes: Opt<Memberships>,
    pub workgroups: Opt<Memberships>,
    pub source_uid: Opt<String>,
    pub udm_properties: Opt<Map<String, Value>>,
    pub password_hashes: Opt<Value>,
    pub ucsschool_roles: Opt<Vec<String>>,
    pub legal_wards: Opt<Vec<String>>,
    pub legal_guardians: Opt<Vec<String>>,
}

fn body_loc(key: &str) -> Vec<Value> {
    loc(&["body", key])
}

/// `check_name` (the lib's `Username`), also for an explicit `null`.
fn name_field(f: &mut Fields) -> Opt<String> {
    let name = f.string("name");
    match &name {
        Opt::Null => f.push(ValidationError::value(
            body_loc("name"),
            "\"Username\" is required. Please provide this information.",
        )),
        Opt::Set(n) => {
            if let Err(message) = check_username(n) {
                f.push(ValidationError::value(body_loc("name"), message));
            }
        }
        Opt::Absent => {}
    }
    name
}

fn school_field(f: &mut Fields) -> Result<Opt<HttpUrl>, KelvinError> {
    let school = f.url("school");
    match &school {
        // `school_name_regex.match(None)`
        Opt::Null => f.push(ValidationError::new(
            body_loc("school"),
            "expected string or bytes-like object, got 'NoneType'",
            "type_error",
        )),
        Opt::Set(url) => check_school_url(f, url)?,
        Opt::Absent => {}
    }
    Ok(school)
}

fn list_not_null<T>(f: &mut Fields, key: &str, value: Opt<Vec<T>>) -> Vec<T> {
    f.not_null(key, &value);
    value.into_value().unwrap_or_default()
}

fn root_errors(f: &mut Fields, school: bool, schools: bool, password: bool, hashes: bool) {
    if !school && !schools {
        f.push(ValidationError::value(
            body_loc("__root__"),
            "At least one of 'school' and 'schools' must be set.",
        ));
    }
    if password && hashes {
        f.push(ValidationError::value(
            body_loc("__root__"),
            "Only one of 'password' and 'kelvin_password_hashes' must be set.",
        ));
    }
}

/// Reads a POST/PUT body (`mapped`: the configured user UDM properties).
pub(crate) fn parse_body(
    map: &Map<String, Value>,
    mapped: &[String],
) -> Result<UserBody, KelvinError> {
    let mut f = Fields::new(map);
    let udm_properties = unknown_udm_properties(&mut f, "user", mapped)
        .into_value()
        .unwrap_or_default();
    let name = name_field(&mut f);
    let school = school_field(&mut f)?;
    let firstname = f.string("firstname");
    f.require("firstname", &firstname);
    let lastname = f.string("lastname");
    f.require("lastname", &lastname);
    let birthday = checks::date(&mut f, "birthday", false);
    let disabled = f.boolean("disabled");
    f.not_null("disabled", &disabled);
    let email = f.string("email");
    let expiration_date = checks::date(&mut f, "expiration_date", true);
    let record_uid = f.string("record_uid");
    let roles = f.url_list("roles");
    f.require("roles", &roles);
    let schools = f.url_list("schools");
    let schools = list_not_null(&mut f, "schools", schools);
    let classes = f.map_of_lists("school_classes");
    let classes = list_not_null(&mut f, "school_classes", classes);
    let workgroups = f.map_of_lists("workgroups");
    let workgroups = list_not_null(&mut f, "workgroups", workgroups);
    let source_uid = f.string("source_uid");
    let ucsschool_roles = checks::ucsschool_roles(&mut f, "ucsschool_roles")
        .into_value()
        .unwrap_or_default();
    let guardians = f.string_list("legal_guardians");
    let guardians = list_not_null(&mut f, "legal_guardians", guardians);
    let wards = f.string_list("legal_wards");
    let wards = list_not_null(&mut f, "legal_wards", wards);
    let password = f.string("password");
    let hashes = checks::password_hashes(&mut f, "kelvin_password_hashes");
    let has_password = password.value().is_some_and(|p| !p.is_empty());
    root_errors(
        &mut f,
        school.value().is_some(),
        !schools.is_empty(),
        has_password,
        hashes.value().is_some(),
    );
    let workgroups_given = f.has("workgroups");
    f.finish_ref()?;
    Ok(UserBody {
        udm_properties,
        name: name.into_value(),
        school: school.into_value(),
        firstname: firstname.into_value().unwrap_or_default(),
        lastname: lastname.into_value().unwrap_or_default(),
        birthday: birthday.into_value(),
        disabled: disabled.into_value().unwrap_or(false),
        email: email.into_value(),
        expiration_date: expiration_date.into_value(),
        record_uid: record_uid.into_value(),
        roles: roles.into_value().unwrap_or_default(),
        schools,
        school_classes: classes,
        workgroups,
        workgroups_given,
        source_uid: source_uid.into_value(),
        ucsschool_roles,
        legal_guardians: guardians,
        legal_wards: wards,
        password: password.into_value(),
        password_hashes: hashes.into_value(),
    })
}

/// `validate_null_values`: `null` is refused with this message.
fn null_refused<T>(f: &mut Fields, key: &str, value: &Opt<T>) {
    if value.is_null() {
        f.push(ValidationError::value(
            body_loc(key),
            "Null value in property.",
        ));
    }
}

fn min_one<T>(f: &mut Fields, key: &str, value: &Opt<Vec<T>>) {
    if value.value().is_some_and(Vec::is_empty) {
        f.push(
            ValidationError::new(
                body_loc(key),
                "ensure this value has at least 1 items",
                "value_error.list.min_items",
            )
            .with_ctx(json!({"limit_value": 1})),
        );
    }
}

/// Reads a PATCH body.
pub(crate) fn parse_patch(
    map: &Map<String, Value>,
    mapped: &[String],
) -> Result<UserPatch, KelvinError> {
    let mut f = Fields::new(map);
    let mut p = UserPatch {
        name: f.string("name"),
        firstname: f.string("firstname"),
        lastname: f.string("lastname"),
        birthday: checks::date(&mut f, "birthday", false),
        disabled: f.boolean("disabled"),
        ..Default::default()
    };
    null_refused(&mut f, "disabled", &p.disabled);
    p.email = f.string("email");
    p.expiration_date = checks::date(&mut f, "expiration_date", true);
    p.password = f.string("password");
    null_refused(&mut f, "password", &p.password);
    p.record_uid = f.string("record_uid");
    p.roles = f.url_list("roles");
    min_one(&mut f, "roles", &p.roles);
    null_refused(&mut f, "roles", &p.roles);
    p.school = f.url("school");
    null_refused(&mut f, "school", &p.school);
    p.schools = f.url_list("schools");
    min_one(&mut f, "schools", &p.schools);
    null_refused(&mut f, "schools", &p.schools);
    p.school_classes = f.map_of_lists("school_classes");
    null_refused(&mut f, "school_classes", &p.school_classes);
    p.workgroups = f.map_of_lists("workgroups");
    null_refused(&mut f, "workgroups", &p.workgroups);
    p.source_uid = f.string("source_uid");
    p.udm_properties = unknown_udm_properties(&mut f, "user", mapped);
    null_refused(&mut f, "udm_properties", &p.udm_properties);
    p.password_hashes = checks::password_hashes(&mut f, "kelvin_password_hashes");
    null_refused(&mut f, "kelvin_password_hashes", &p.password_hashes);
    for (key, slot) in [
        ("ucsschool_roles", 0),
        ("legal_wards", 1),
        ("legal_guardians", 2),
    ] {
        let list = f.string_list(key);
        f.not_null(key, &list);
        match slot {
            0 => p.ucsschool_roles = list,
            1 => p.legal_wards = list,
            _ => p.legal_guardians = list,
        }
    }
    let has_password = p.password.value().is_some_and(|v| !v.is_empty());
    root_errors(
        &mut f,
        true,
        true,
        has_password,
        p.password_hashes.value().is_some(),
    );
    f.finish_ref()?;
    Ok(p)
}
