//! Mapping one roster row to a [`Record`], following `CsvReader.map`, `handle_input`,
//! `get_roles` and the `ImportUser.make_*` methods of Kelvin 4.0.0's importer.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::Value;
use ucs::Secret;

use super::{parse_date, parse_groups, Memberships, Record};
use crate::config::{SyncConfig, UserRole};
use crate::input::RosterRow;
use crate::problem::Problem;
use crate::scheme::{normalize, render};

/// Attributes of the user model (everything else in `csv.mapping` is a UDM property).
const ATTRIBUTES: [&str; 14] = [
    "name",
    "firstname",
    "lastname",
    "email",
    "record_uid",
    "source_uid",
    "school",
    "schools",
    "school_classes",
    "workgroups",
    "birthday",
    "expiration_date",
    "password",
    "disabled",
];

/// Cells of one row, by attribute.
#[derive(Default)]
struct Cells {
    attributes: BTreeMap<String, String>,
    udm: BTreeMap<String, Value>,
    role: Option<String>,
    action: Option<String>,
}

/// Maps a row; every problem of the row is returned at once.
pub fn map_row(
    row: &RosterRow,
    config: &SyncConfig,
    today: NaiveDate,
) -> Result<Record, Vec<Problem>> {
    let mut problems = Vec::new();
    let cells = collect(row, config, &mut problems);
    let role = role_of(&cells, config, &mut problems);
    let Some(role) = role else {
        return Err(problems);
    };
    let record = build(row.line, role, cells, config, today, &mut problems);
    if problems.is_empty() {
        Ok(record)
    } else {
        Err(problems)
    }
}

fn collect(row: &RosterRow, config: &SyncConfig, problems: &mut Vec<Problem>) -> Cells {
    let mut cells = Cells::default();
    for (column, attribute) in &config.csv.mapping {
        let Some(value) = row.get(column) else {
            continue;
        };
        match attribute.as_str() {
            "__ignore" => {}
            "__action" => cells.action = Some(value.to_string()),
            "__role" => cells.role = Some(value.to_string()),
            "legal_guardians" | "legal_wards" => problems.push(Problem::new(
                attribute.clone(),
                "unsupported",
                "legal guardians and wards are not synchronised yet",
            )),
            a if ATTRIBUTES.contains(&a) => {
                cells.attributes.insert(a.to_string(), value.to_string());
            }
            property => {
                let value = udm_value(value, config.csv.incell_delimiter.get(column.as_str()));
                cells.udm.insert(property.to_string(), value);
            }
        }
    }
    cells
}

/// A UDM property cell; split into a list only where the configuration names a
/// delimiter for this column (the importer asks UDM whether the property is a list).
fn udm_value(cell: &str, delimiter: Option<&String>) -> Value {
    match delimiter {
        Some(d) if !d.is_empty() => Value::from(
            cell.split(d.as_str())
                .map(str::to_string)
                .collect::<Vec<_>>(),
        ),
        _ => Value::from(cell),
    }
}

/// `CsvReader.get_roles`: the `__role` column if mapped, else `user_role`.
fn role_of(cells: &Cells, config: &SyncConfig, problems: &mut Vec<Problem>) -> Option<UserRole> {
    match (&cells.role, config.user_role) {
        (Some(value), _) => {
            let role = UserRole::from_column(value);
            if role.is_none() {
                problems.push(Problem::new(
                    "__role",
                    "unknown_role",
                    format!("unknown role {value:?}"),
                ));
            }
            role
        }
        (None, Some(role)) => Some(role),
        (None, None) => {
            problems.push(Problem::new(
                "roles",
                "no_role",
                "no role in the row nor in user_role",
            ));
            None
        }
    }
}

fn build(
    line: usize,
    role: UserRole,
    mut cells: Cells,
    config: &SyncConfig,
    today: NaiveDate,
    problems: &mut Vec<Problem>,
) -> Record {
    let text = |cells: &Cells, key: &str| cells.attributes.get(key).cloned().unwrap_or_default();
    let (school, schools) = schools_of(&cells, config, problems);
    let source_uid = source_uid_of(&text(&cells, "source_uid"), config, problems);
    let name = cells
        .attributes
        .get("name")
        .cloned()
        .filter(|n| !n.is_empty())
        .or_else(|| take_text(&mut cells.udm, "username"));
    let email = cells
        .attributes
        .get("email")
        .cloned()
        .or_else(|| take_text(&mut cells.udm, "mailPrimaryAddress").filter(|m| !m.is_empty()));
    let mut record = Record {
        row: line,
        role,
        roles: role.roles(),
        record_uid: text(&cells, "record_uid"),
        source_uid,
        firstname: name_part(&text(&cells, "firstname"), config.normalize_firstname),
        lastname: name_part(&text(&cells, "lastname"), config.normalize_lastname),
        name,
        email,
        school_classes: memberships(&cells, "school_classes", &school, config, problems),
        workgroups: memberships(&cells, "workgroups", &school, config, problems),
        birthday: date(&cells, "birthday", today, problems),
        expiration_date: date(&cells, "expiration_date", today, problems),
        school,
        schools,
        password: cells
            .attributes
            .get("password")
            .filter(|p| !p.is_empty())
            .map(Secret::from),
        action: cells.action.clone(),
        udm_properties: std::mem::take(&mut cells.udm),
        input: std::mem::take(&mut cells.attributes),
    };
    record.input.remove("password");
    if role == UserRole::Staff {
        record.school_classes = Memberships::Set(Default::default());
    }
    fill_from_schemes(&mut record, config, problems);
    record
}

fn take_text(udm: &mut BTreeMap<String, Value>, key: &str) -> Option<String> {
    udm.remove(key).and_then(|v| v.as_str().map(str::to_string))
}

fn name_part(value: &str, normalize_it: bool) -> String {
    if normalize_it {
        normalize(value)
    } else {
        value.to_string()
    }
}

/// `make_source_uid`: a row's own source must be the configured one.
fn source_uid_of(given: &str, config: &SyncConfig, problems: &mut Vec<Problem>) -> String {
    if !given.is_empty() && given != config.source_uid && !config.skips("global_source_uid") {
        problems.push(Problem::new(
            "source_uid",
            "source_uid_differs",
            format!(
                "source_uid {given:?} differs from the configured {:?}",
                config.source_uid
            ),
        ));
    }
    if given.is_empty() {
        config.source_uid.clone()
    } else {
        given.to_string()
    }
}

/// `make_school` and `make_schools`.
fn schools_of(
    cells: &Cells,
    config: &SyncConfig,
    problems: &mut Vec<Problem>,
) -> (String, Vec<String>) {
    let given = cells
        .attributes
        .get("school")
        .filter(|s| !s.is_empty())
        .map(|s| normalize(s));
    let mut schools: Vec<String> = cells
        .attributes
        .get("schools")
        .map(|s| {
            s.trim_matches(',')
                .split(',')
                .map(|s| normalize(s.trim()))
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    schools.sort();
    schools.dedup();
    let school = given
        .or_else(|| config.school.clone())
        .or_else(|| schools.first().cloned());
    let Some(mut school) = school else {
        problems.push(Problem::new(
            "school",
            "required_field",
            "no school in the row nor in the configuration",
        ));
        return (String::new(), schools);
    };
    if schools.is_empty() {
        schools.push(school.clone());
    } else if !schools.contains(&school) {
        school = schools[0].clone();
    }
    (school, schools)
}

fn memberships(
    cells: &Cells,
    key: &str,
    school: &str,
    config: &SyncConfig,
    problems: &mut Vec<Problem>,
) -> Memberships {
    let (keep_if_empty, replacement) = if key == "school_classes" {
        (
            config.school_classes_keep_if_empty,
            &config.school_classes_invalid_character_replacement,
        )
    } else {
        (
            config.workgroups_keep_if_empty,
            &config.workgroups_invalid_character_replacement,
        )
    };
    match cells.attributes.get(key) {
        None => Memberships::Keep,
        Some(cell) if cell.is_empty() && keep_if_empty => Memberships::KeepInSchools,
        Some(cell) => match parse_groups(cell, school, replacement) {
            Ok(groups) => Memberships::Set(groups),
            Err(message) => {
                problems.push(Problem::new(key, "invalid_group_name", message));
                Memberships::Set(Default::default())
            }
        },
    }
}

fn date(
    cells: &Cells,
    key: &str,
    today: NaiveDate,
    problems: &mut Vec<Problem>,
) -> Option<NaiveDate> {
    let cell = cells.attributes.get(key).filter(|c| !c.is_empty())?;
    let parsed = parse_date(cell, today);
    if parsed.is_none() {
        problems.push(Problem::new(
            key,
            "invalid_date",
            format!("{cell:?} is not a date"),
        ));
    }
    parsed
}

/// Templates for values the row leaves empty: `record_uid`, `firstname`, `lastname`
/// (`make_record_uid`, `make_firstname`, `make_lastname`) and UDM properties
/// (`prepare_udm_properties`). User name and mail address follow in planning.
fn fill_from_schemes(record: &mut Record, config: &SyncConfig, problems: &mut Vec<Problem>) {
    let fills = [
        ("record_uid", config.scheme.record_uid.as_deref()),
        ("firstname", config.scheme.firstname.as_deref()),
        ("lastname", config.scheme.lastname.as_deref()),
    ];
    for (key, scheme) in fills {
        let Some(template) = scheme else { continue };
        if !field(record, key).is_empty() {
            continue;
        }
        match render(template, |k| lookup(record, k)) {
            Ok(value) => set_field(record, key, value),
            Err(e) => problems.push(Problem::new(key, "template", e.0)),
        }
    }
    for (property, template) in &config.scheme.udm_properties {
        if record.udm_properties.contains_key(property) || !config.overwrites(property) {
            continue;
        }
        match render(template, |k| lookup(record, k)) {
            Ok(value) => {
                record
                    .udm_properties
                    .insert(property.clone(), Value::from(value));
            }
            Err(e) => problems.push(Problem::new(
                format!("udm_properties.{property}"),
                "template",
                e.0,
            )),
        }
    }
}

fn field<'r>(record: &'r Record, key: &str) -> &'r str {
    match key {
        "record_uid" => &record.record_uid,
        "firstname" => &record.firstname,
        _ => &record.lastname,
    }
}

fn set_field(record: &mut Record, key: &str, value: String) {
    match key {
        "record_uid" => record.record_uid = value,
        "firstname" => record.firstname = value,
        _ => record.lastname = value,
    }
}

/// What `<key>` means in a template (`ImportUser.format_from_scheme`: the raw cells, then
/// the user's attributes, then UDM properties).
pub(crate) fn lookup<'r>(record: &'r Record, key: &str) -> Option<&'r str> {
    let attribute = match key {
        "firstname" => Some(record.firstname.as_str()),
        "lastname" => Some(record.lastname.as_str()),
        "record_uid" => Some(record.record_uid.as_str()),
        "source_uid" => Some(record.source_uid.as_str()),
        "school" => Some(record.school.as_str()),
        "name" | "username" => record.name.as_deref(),
        "email" => record.email.as_deref(),
        _ => None,
    };
    attribute
        .filter(|v| !v.is_empty())
        .or_else(|| record.udm_properties.get(key).and_then(Value::as_str))
        .or_else(|| record.input.get(key).map(String::as_str))
}
