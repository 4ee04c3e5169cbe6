//! Roster rows whose user exists: the user as the roster wants it
//! (`UserImport.determine_add_modify_action`, `ImportUser.prepare_all`, `update`,
//! `reactivate`; Kelvin 4.0.0), and the PATCH of exactly what differs.

use super::checks;
use super::context::Context;
use super::diff::{diff, tidy, Changes};
use super::model::{to_patch, Action, ActionKind, Op};
use crate::config::{Mode, PURGE_TIMESTAMP};
use crate::directory::DirUser;
use crate::problem::Problem;
use crate::record::{Groups, Memberships, Record};

/// The action for `record`, whose user is `existing`.
pub async fn plan_update(
    record: &Record,
    existing: &DirUser,
    ctx: &mut Context<'_>,
) -> Result<Action, Vec<Problem>> {
    check_role(record, existing)?;
    let target = target(record, existing, ctx)?;
    let changes = diff(existing, &target);
    let problems = validate(record, existing, &target, &changes, ctx);
    ctx.claim(&target.name, target.email.as_deref(), record.row, problems)?;
    Ok(action(record, existing, &target, changes))
}

/// `get_by_import_id` with the role's object classes finds no user of another kind; the
/// importer reports `WrongUserType` for such a row.
fn check_role(record: &Record, existing: &DirUser) -> Result<(), Vec<Problem>> {
    let mut wanted: Vec<String> = record
        .roles
        .iter()
        .map(|r| r.as_str().to_string())
        .collect();
    wanted.sort();
    if wanted == existing.roles {
        return Ok(());
    }
    Err(vec![Problem::new(
        "roles",
        "wrong_user_type",
        format!(
            "the user {:?} has the roles {:?}, the row {:?}",
            existing.name, existing.roles, wanted
        ),
    )])
}

/// The user as the roster wants it.
fn target(record: &Record, existing: &DirUser, ctx: &Context<'_>) -> Result<DirUser, Vec<Problem>> {
    let mut t = existing.clone();
    if let Some(name) = record.name.as_ref().filter(|n| !n.is_empty()) {
        t.name = name.clone();
    }
    if !record.firstname.is_empty() {
        t.firstname = record.firstname.clone();
    }
    if !record.lastname.is_empty() {
        t.lastname = record.lastname.clone();
    }
    if let Some(email) = &record.email {
        t.email = Some(email.clone()).filter(|e| !e.is_empty());
    }
    if record.birthday.is_some() {
        t.birthday = record.birthday;
    }
    (t.school, t.schools) = schools_for(record, existing, ctx);
    let merge = matches!(ctx.config.mode, Mode::SchoolChange { .. });
    t.school_classes = memberships_for(
        &record.school_classes,
        &existing.school_classes,
        &t.schools,
        merge,
    );
    t.workgroups = memberships_for(&record.workgroups, &existing.workgroups, &t.schools, merge);
    for (property, value) in &record.udm_properties {
        t.udm_properties.insert(property.clone(), value.clone());
    }
    reactivate(&mut t);
    Ok(t)
}

/// `reactivate`: enabled, no expiry, no deletion date. The importer calls it for every
/// user it finds (`user.disabled != "0"` holds for the boolean the library keeps).
fn reactivate(t: &mut DirUser) {
    t.disabled = false;
    t.expiration_date = None;
    t.udm_properties
        .insert(PURGE_TIMESTAMP.to_string(), serde_json::Value::Null);
}

/// The primary school stays when the roster still lists it (no move); otherwise the
/// user moves. In school-change mode the user keeps its school and gets this one added,
/// or leaves the limbo for it (`SingleSourcePartialUserImport.prepare_imported_user`).
fn schools_for(record: &Record, existing: &DirUser, ctx: &Context<'_>) -> (String, Vec<String>) {
    if let (Mode::SchoolChange { limbo_ou }, Some(school)) = (&ctx.config.mode, &ctx.config.school)
    {
        if existing.school == *limbo_ou {
            return (school.clone(), vec![school.clone()]);
        }
        let mut schools = existing.schools.clone();
        if !schools.contains(school) {
            schools.push(school.clone());
            schools.sort();
        }
        return (existing.school.clone(), schools);
    }
    let school = if record.schools.contains(&existing.school) {
        existing.school.clone()
    } else {
        record.school.clone()
    };
    (school, record.schools.clone())
}

/// Memberships as the roster wants them, only in the user's schools. A set cell replaces
/// all memberships (`make_classes`); in school-change mode only those of the schools the
/// cell names, since the roster speaks for one school.
fn memberships_for(
    wanted: &Memberships,
    existing: &Groups,
    schools: &[String],
    merge: bool,
) -> Groups {
    let mut groups = match wanted {
        Memberships::Set(set) if merge => {
            let mut merged = existing.clone();
            merged.extend(set.clone());
            merged
        }
        Memberships::Set(set) => set.clone(),
        Memberships::Keep | Memberships::KeepInSchools => existing.clone(),
    };
    groups.retain(|school, _| schools.contains(school));
    tidy(&groups)
}

fn validate(
    record: &Record,
    existing: &DirUser,
    target: &DirUser,
    changes: &Changes,
    ctx: &Context<'_>,
) -> Vec<Problem> {
    if changes.is_empty() {
        return Vec::new();
    }
    let mut problems = Vec::new();
    if target.firstname.is_empty() || target.lastname.is_empty() {
        problems.push(Problem::new(
            "lastname",
            "required_field",
            "first and last name must not be empty",
        ));
    }
    problems.extend(checks::email_format(target.email.as_deref()));
    problems.extend(checks::schools_exist(
        &target.school,
        &target.schools,
        ctx.directory,
    ));
    problems.extend(checks::mapped_properties(
        record.udm_properties.keys(),
        ctx.directory,
    ));
    if changes.contains_key("name") {
        problems.extend(checks::name_length(
            &target.name,
            ctx.config.max_username_length(Some(record.role)),
        ));
        if ctx.directory.by_name(&target.name).is_some() {
            problems.push(Problem::new(
                "name",
                "name_taken",
                format!("user name {:?} is already in use", target.name),
            ));
        }
    }
    if changes.contains_key("email") {
        if let Some(email) = target
            .email
            .as_deref()
            .filter(|e| ctx.directory.emails().contains(e))
        {
            problems.push(Problem::new(
                "email",
                "email_taken",
                format!("mail address {email:?} is already in use"),
            ));
        }
    }
    problems.extend(checks::change_rules(
        &existing.rule_fields(),
        &to_patch(changes),
    ));
    problems
}

fn action(record: &Record, existing: &DirUser, target: &DirUser, changes: Changes) -> Action {
    let (kind, reason) = if changes.is_empty() {
        (
            ActionKind::Unchanged,
            format!("row {}: the user matches the roster", record.row),
        )
    } else if changes.contains_key("school") {
        (
            ActionKind::Move,
            format!(
                "row {}: moves from {} to {} ({})",
                record.row,
                existing.school,
                target.school,
                fields(&changes)
            ),
        )
    } else if changes.contains_key("name") {
        (
            ActionKind::Rename,
            format!(
                "row {}: renamed from {} ({})",
                record.row,
                existing.name,
                fields(&changes)
            ),
        )
    } else {
        (
            ActionKind::Modify,
            format!("row {}: changed {}", record.row, fields(&changes)),
        )
    };
    let op = if changes.is_empty() {
        Op::None
    } else {
        Op::Patch {
            user: existing.name.clone(),
            changes,
        }
    };
    Action {
        id: 0,
        kind,
        row: Some(record.row),
        record_uid: record.record_uid.clone(),
        name: target.name.clone(),
        reason,
        removal: false,
        op,
    }
}

fn fields(changes: &Changes) -> String {
    changes.keys().cloned().collect::<Vec<_>>().join(", ")
}
