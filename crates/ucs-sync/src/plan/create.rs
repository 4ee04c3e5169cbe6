//! New users: a create action for a roster row without a directory user
//! (`UserImport.determine_add_modify_action` finds none; `prepare_all(new_user=True)`).

use super::checks;
use super::context::Context;
use super::model::{Action, ActionKind, NewUserSpec, Op};
use super::names::{new_email, new_name};
use crate::problem::Problem;
use crate::record::{Memberships, Record};

/// The create action of `record`, or every problem of the row.
pub async fn plan_create(record: &Record, ctx: &mut Context<'_>) -> Result<Action, Vec<Problem>> {
    let name = new_name(record, ctx).await.map_err(|p| vec![p])?;
    let email = new_email(record, &name, ctx).await.map_err(|p| vec![p])?;
    let spec = spec(record, name, email, ctx);
    let problems = validate(&spec, ctx);
    ctx.claim(&spec.name, spec.email.as_deref(), record.row, problems)?;
    Ok(Action {
        id: 0,
        kind: ActionKind::Create,
        row: Some(record.row),
        record_uid: record.record_uid.clone(),
        name: spec.name.clone(),
        reason: format!(
            "row {}: no user with this record_uid in the directory",
            record.row
        ),
        removal: false,
        op: Op::Create {
            user: Box::new(spec),
        },
    })
}

fn spec(record: &Record, name: String, email: Option<String>, ctx: &Context<'_>) -> NewUserSpec {
    let set = |m: &Memberships| match m {
        Memberships::Set(groups) => groups.clone(),
        Memberships::Keep | Memberships::KeepInSchools => Default::default(),
    };
    NewUserSpec {
        name,
        firstname: record.firstname.clone(),
        lastname: record.lastname.clone(),
        roles: record
            .roles
            .iter()
            .map(|r| r.as_str().to_string())
            .collect(),
        school: record.school.clone(),
        schools: record.schools.clone(),
        school_classes: set(&record.school_classes),
        workgroups: set(&record.workgroups),
        email,
        birthday: record.birthday,
        expiration_date: record.expiration_date,
        disabled: !ctx.config.activates(Some(record.role)),
        record_uid: record.record_uid.clone(),
        source_uid: record.source_uid.clone(),
        udm_properties: record.udm_properties.clone(),
    }
}

/// `validate(check_username=True)` and the role rules.
fn validate(spec: &NewUserSpec, ctx: &Context<'_>) -> Vec<Problem> {
    let role = crate::config::UserRole::of_roles(&spec.to_new_user(None).roles);
    let mut problems = checks::mandatory(spec, ctx.config);
    problems.extend(checks::name_length(
        &spec.name,
        ctx.config.max_username_length(role),
    ));
    problems.extend(checks::email_format(spec.email.as_deref()));
    problems.extend(checks::schools_exist(
        &spec.school,
        &spec.schools,
        ctx.directory,
    ));
    problems.extend(checks::mapped_properties(
        spec.udm_properties.keys(),
        ctx.directory,
    ));
    problems.extend(taken_by_other(spec, ctx));
    for rule in checks::create_rules(spec) {
        // the role rules repeat the importer's mandatory check for the same field
        if !problems
            .iter()
            .any(|p| p.field == rule.field && p.code == rule.code)
        {
            problems.push(rule);
        }
    }
    problems
}

/// `_check_username_uniqueness`: the name must not belong to another user, and likewise
/// the mail address.
fn taken_by_other(spec: &NewUserSpec, ctx: &Context<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Some(owner) = ctx.directory.by_name(&spec.name) {
        problems.push(Problem::new(
            "name",
            "name_taken",
            format!(
                "user name {:?} is already in use (source_uid {:?}, record_uid {:?})",
                spec.name, owner.source_uid, owner.record_uid
            ),
        ));
    }
    if let Some(email) = spec
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
    problems
}
