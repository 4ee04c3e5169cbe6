//! Users of the source missing from the roster.
//!
//! Default mode, after `UserImport.do_delete` (Kelvin 4.0.0,
//! `ucsschool/importer/mass_import/user_import.py`), with the grace periods clamped at 0:
//!
//! * deletion grace <= deactivation grace: delete now if the deletion grace is 0, else
//!   only set the deletion date (`ucsschoolPurgeTimestamp`) to today + deletion grace;
//! * otherwise: disable now if the deactivation grace is 0, else set the account expiry to
//!   today + deactivation grace (unless the user has one); and set the deletion date to
//!   today + deletion grace (unless the user has one);
//! * a user whose deletion date has come is deleted, as the importer's cron job
//!   `ucs-school-purge-expired-users` does (`ucsschoolPurgeTimestamp<=today`).
//!
//! School-change mode, after `SingleSourcePartialUserImport.do_delete`: the user leaves
//! this school; if it was the primary school, the alphabetically first of the others
//! becomes primary; a user left without a school moves to the limbo school, without
//! classes, disabled. Nobody is deleted.

use chrono::{Days, NaiveDate};
use serde_json::Value;

use super::diff::diff;
use super::model::{Action, ActionKind, Op};
use crate::config::{GracePeriod, PURGE_TIMESTAMP};
use crate::directory::DirUser;

/// The action for a user missing from the roster in default mode.
pub fn plan_removal(user: &DirUser, grace: GracePeriod, today: NaiveDate) -> Action {
    if let Some(date) = purge_date(user).filter(|d| *d <= today) {
        return delete(
            user,
            format!("missing from the roster; its deletion date {date} has come"),
        );
    }
    let deactivation = grace.deactivation.max(0);
    let deletion = grace.deletion.max(0);
    let mut target = user.clone();
    if deletion <= deactivation {
        if deletion == 0 {
            return delete(
                user,
                "missing from the roster; deletion grace period 0".into(),
            );
        }
        schedule_deletion(&mut target, today, deletion);
    } else {
        if deactivation == 0 {
            target.disabled = true;
        } else if !user.disabled && user.expiration_date.is_none() {
            target.expiration_date = today.checked_add_days(Days::new(deactivation as u64));
        }
        schedule_deletion(&mut target, today, deletion);
    }
    lifecycle_action(user, &target, "missing from the roster".into())
}

/// The deletion date of a user (`ucsschoolPurgeTimestamp`, `YYYY-MM-DD` in UDM).
pub fn purge_date(user: &DirUser) -> Option<NaiveDate> {
    let text = user.udm_text(PURGE_TIMESTAMP)?;
    text.get(..10).and_then(|d| d.parse().ok())
}

fn schedule_deletion(target: &mut DirUser, today: NaiveDate, days: i64) {
    if purge_date(target).is_some() {
        return;
    }
    if let Some(date) = today.checked_add_days(Days::new(days as u64)) {
        target
            .udm_properties
            .insert(PURGE_TIMESTAMP.to_string(), Value::from(date.to_string()));
    }
}

fn delete(user: &DirUser, reason: String) -> Action {
    Action {
        id: 0,
        kind: ActionKind::Delete,
        row: None,
        record_uid: user.record_uid.clone().unwrap_or_default(),
        name: user.name.clone(),
        reason,
        removal: true,
        op: Op::Delete {
            user: user.name.clone(),
        },
    }
}

fn lifecycle_action(user: &DirUser, target: &DirUser, why: String) -> Action {
    let changes = diff(user, target);
    let (kind, reason, op) = if changes.is_empty() {
        let when = purge_date(user)
            .map(|d| format!(", deletion on {d}"))
            .unwrap_or_default();
        (
            ActionKind::Unchanged,
            format!("{why}; already deactivated{when}"),
            Op::None,
        )
    } else {
        let fields = changes.keys().cloned().collect::<Vec<_>>().join(", ");
        (
            ActionKind::Deactivate,
            format!("{why}: sets {fields}"),
            Op::Patch {
                user: user.name.clone(),
                changes,
            },
        )
    };
    Action {
        id: 0,
        kind,
        row: None,
        record_uid: user.record_uid.clone().unwrap_or_default(),
        name: user.name.clone(),
        reason,
        removal: kind != ActionKind::Unchanged,
        op,
    }
}

/// The action for a user missing from `school`'s roster in school-change mode.
pub fn plan_leave(user: &DirUser, school: &str, limbo: &str) -> Action {
    let mut target = user.clone();
    target.schools.retain(|s| s != school);
    target.school_classes.remove(school);
    target.workgroups.remove(school);
    let why = format!("missing from the roster of {school}");
    if target.schools.is_empty() {
        target.school = limbo.to_string();
        target.schools = vec![limbo.to_string()];
        target.school_classes.clear();
        target.workgroups.clear();
        target.disabled = true;
        let mut action = lifecycle_action(
            user,
            &target,
            format!("{why}, in no other school: to the limbo {limbo}"),
        );
        action.removal = true;
        return action;
    }
    if target.school == school {
        target.school = target.schools[0].clone();
    }
    let mut action = lifecycle_action(
        user,
        &target,
        format!("{why}, still in {}", target.schools.join(", ")),
    );
    action.kind = if target.school != user.school {
        ActionKind::Move
    } else {
        ActionKind::Modify
    };
    action.removal = false;
    action
}
