//! Role changes of PATCH and PUT (`kelvin/routers/v1/user.py`, `change_roles`; the lib's
//! `UserTypeConverter.convert`) and the school move before them (`change_school`; the lib's
//! `change_school` and `do_move_roles`).

use super::class::UserClass;
use super::persist::Target;
use super::state::UserState;
use crate::kelvin::error::KelvinError;
use ucs_ldap::Role;

/// Converts the target to the class of `roles` unless it has the same role set already.
/// `additional`: the `school_classes` of the request (keys as sent).
pub(crate) fn change_roles(
    t: &mut Target,
    current: &UserState,
    roles: &[Role],
    additional: Option<&[(String, Vec<String>)]>,
) -> Result<(), KelvinError> {
    let target = UserClass::for_roles(roles).ok_or_else(KelvinError::internal)?;
    let same =
        |a: &[Role], b: &[Role]| a.iter().all(|r| b.contains(r)) && b.iter().all(|r| a.contains(r));
    if same(t.class.roles(), target.roles()) {
        return Ok(());
    }
    if target == UserClass::Student {
        let has_class = |school: &String| {
            t.classes.get(school).is_some_and(|c| !c.is_empty())
                || additional.is_some_and(|a| a.iter().any(|(s, c)| s == school && !c.is_empty()))
        };
        if !t.schools.iter().all(has_class) {
            return Err(KelvinError::bad_request(
                "Type conversion to 'Student' requires at least one school class per school in old user or passed in additionally.",
            ));
        }
        if current.admin_option {
            return Err(KelvinError::bad_request(
                "Conversion to 'ImportStudent' is not allowed for school administrator.",
            ));
        }
    }
    let (removed, added) = target.conversion_roles();
    let mut strings: Vec<String> = t
        .ucsschool_roles
        .iter()
        .filter(|r| {
            !removed
                .iter()
                .any(|rm| r.starts_with(&format!("{rm}:school:")))
        })
        .cloned()
        .collect();
    for role in added {
        for school in &t.schools {
            strings.push(format!("{role}:school:{school}"));
        }
    }
    strings.sort();
    strings.dedup();
    t.ucsschool_roles = strings;
    if !target.has_classes() {
        t.classes.clear();
    }
    t.class = target;
    Ok(())
}

/// The role strings after a move from `old` to `new` (`do_move_roles`: the lib keeps none of
/// the school-context roles, so only the class's defaults in the new school remain, plus the
/// other context types not naming the old school).
pub(crate) fn moved_role_strings(t: &Target, old: &str, new: &str) -> Vec<String> {
    let defaults: &[&str] = match t.class {
        UserClass::Student => &["student"],
        UserClass::Teacher => &["teacher"],
        UserClass::Staff => &["staff"],
        UserClass::TeachersAndStaff => &["teacher", "staff"],
        UserClass::SchoolAdmin => &["school_admin"],
        UserClass::LegalGuardian => &["legal_guardian"],
    };
    let mut out: Vec<String> = defaults
        .iter()
        .map(|r| format!("{r}:school:{new}"))
        .collect();
    out.extend(
        t.ucsschool_roles
            .iter()
            .filter(|r| {
                let parts: Vec<&str> = r.split(':').collect();
                parts.len() == 3 && parts[1] != "school" && parts[2] != old
            })
            .cloned(),
    );
    out
}

/// `change_school`: `new` must be in the new (or current) schools; a different school moves
/// the user (its groups and classes of the old school go, role strings as the lib sets them).
pub(crate) fn change_school(
    t: &mut Target,
    new: &str,
    new_schools: &[String],
) -> Result<(), KelvinError> {
    let allowed = if new_schools.is_empty() {
        &t.schools
    } else {
        new_schools
    };
    if !allowed.iter().any(|s| s == new) {
        return Err(KelvinError::unprocessable(format!(
            "New 'school' {} not in current or future 'schools'.",
            crate::kelvin::py::repr(new)
        )));
    }
    if new == t.school {
        return Ok(());
    }
    let old = t.school.clone();
    t.ucsschool_roles = moved_role_strings(t, &old, new);
    let mut schools: Vec<String> = t.schools.iter().filter(|s| **s != old).cloned().collect();
    if !schools.iter().any(|s| s == new) {
        schools.push(new.to_string());
    }
    t.schools = schools;
    t.classes.remove(&old);
    t.workgroups.remove(&old);
    t.school = new.to_string();
    Ok(())
}
