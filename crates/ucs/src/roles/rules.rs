//! The UCS@school role rules: `check_create` and `check_change`.

use std::collections::BTreeMap;

use chrono::Datelike;

use super::resolve::{
    any_groups, blank, has_groups_in, has_school, left_schools, memberships_after, place_change,
    place_create, present, relations_after, roles_after, staff_without_teacher, Placement,
};
use super::user_type::UserType;
use super::{
    ChangeKind, CreateOptions, Role, RoleSet, RoleSetError, Rule, UcsschoolRole, UserFields,
    Violation,
};

/// Most legal guardians a student can have.
pub const MAX_LEGAL_GUARDIANS: usize = 4;
/// Most legal wards a legal guardian can have.
pub const MAX_LEGAL_WARDS: usize = 10;
/// Earliest year of `expiration_date`.
pub const MIN_EXPIRATION_YEAR: i32 = 1961;
/// Latest year of `expiration_date`.
pub const MAX_EXPIRATION_YEAR: i32 = 2099;

/// Checks a create request (POST) against every rule and returns all violations (empty
/// when the request is fine). Same as [`check_create_with`] with default options (a `name`
/// is required).
///
/// ```
/// use ucs::roles::{check_create, Role, Rule, UserFields};
/// let user = UserFields {
///     name: Some("jdoe".into()),
///     firstname: Some("Jane".into()),
///     lastname: Some("Doe".into()),
///     record_uid: Some("42".into()),
///     source_uid: Some("sis".into()),
///     roles: Some(vec![Role::Student, Role::Teacher]),
///     school: Some("DEMOSCHOOL".into()),
///     ..Default::default()
/// };
/// let violations = check_create(&user);
/// assert_eq!(violations.len(), 1);
/// assert_eq!(violations[0].rule, Rule::RoleCombination);
/// assert_eq!(violations[0].field, "roles");
/// ```
pub fn check_create(user: &UserFields) -> Vec<Violation> {
    check_create_with(user, CreateOptions::default())
}

/// Checks a create request with options (e.g. a server-side user name template).
///
/// Rules: `name`, `firstname`, `lastname`, `record_uid`, `source_uid` (each of `name`,
/// `record_uid`, `source_uid` may be left out when [`CreateOptions`] says the server fills it),
/// `roles` and `school` or `schools` are required; the roles must be an allowed
/// [`RoleSet`]; `school` must be in `schools` (when only `schools` is sent, the server takes
/// the alphabetically first as `school`); every key of `school_classes` / `workgroups` must
/// be one of the schools; staff users who are not teachers cannot have school classes;
/// legal guardians only on students (at most 4), legal wards only on legal guardians (at
/// most 10); `expiration_date` in 1961-2099; `ucsschool_roles` well-formed.
pub fn check_create_with(user: &UserFields, options: CreateOptions) -> Vec<Violation> {
    let mut out = Vec::new();
    let required = [
        ("name", &user.name, options.name_from_template),
        ("firstname", &user.firstname, false),
        ("lastname", &user.lastname, false),
        (
            "record_uid",
            &user.record_uid,
            options.record_uid_from_template,
        ),
        (
            "source_uid",
            &user.source_uid,
            options.source_uid_from_server,
        ),
    ];
    for (field, value, server_fills) in required {
        if !(server_fills && value.is_none()) {
            require_text(&mut out, field, value, "a new user");
        }
    }
    match &user.roles {
        None => out.push(Violation::new(
            "roles",
            Rule::RequiredField,
            "A new user needs roles, but none were given.",
        )),
        Some(roles) => check_role_set(&mut out, roles),
    }
    check_school_entries(&mut out, user);
    let placement = place_create(user);
    if let Some(school) = &user.school {
        if school.trim().is_empty() && !placement.schools.is_empty() {
            out.push(Violation::new(
                "school",
                Rule::EmptyValue,
                format!("school is sent as {school:?}, but it must not be empty."),
            ));
        }
    }
    if placement.schools.is_empty() {
        out.push(Violation::new(
            "school",
            Rule::RequiredField,
            "A new user needs school or schools, but neither was given.",
        ));
    }
    check_school_in_schools(&mut out, user);
    for (field, map) in memberships(user) {
        if let Some(map) = map {
            check_membership_keys(&mut out, field, map, &placement);
        }
    }
    // Rules that depend on the roles only run on an allowed role set: with a broken one,
    // the role-combination violation says everything there is to say.
    let roles = user.roles.as_deref().filter(|r| allowed(r));
    if let (Some(roles), Some(classes)) = (roles, &user.school_classes) {
        if staff_without_teacher(roles) && any_groups(classes) {
            out.push(staff_classes_sent(classes));
        }
    }
    let guardians = user.legal_guardians.as_deref().unwrap_or(&[]);
    let wards = user.legal_wards.as_deref().unwrap_or(&[]);
    check_relations(&mut out, roles, guardians, wards, true, true);
    check_expiration(&mut out, user);
    check_ucsschool_roles(&mut out, user);
    out
}

/// Checks a change of an existing user (`before`, as it is now) by `change` (the PUT or
/// PATCH body) and returns all violations.
///
/// A change is judged by what it touches: rules about fields the change neither sends nor
/// affects are not re-checked, so a PATCH of `firstname` never fails because of data that
/// is already on the server. Merge semantics follow the server: an absent
/// `school_classes` / `workgroups` keeps the memberships, a sent map (also `{}`) replaces
/// them; `school` alone sets `schools` to `[school]`; `schools` alone keeps the current
/// `school` if listed, else takes the alphabetically first.
///
/// The rules that compare with the current state (changing to staff or to student, a
/// school admin changed to student) need `before.roles`; without them they are skipped.
///
/// Changing a user to staff (without teacher) would make the server silently drop their
/// school classes. This is reported as a [`Rule::StaffWithoutClasses`] violation unless
/// the change itself drops them (`school_classes: {}`), so nothing is lost by surprise.
/// [`implied_effects`](super::implied_effects) lists the consequences of a change that are
/// not errors (memberships removed, schools left, school chosen, ...).
///
/// ```
/// use std::collections::BTreeMap;
/// use ucs::roles::{check_change, ChangeKind, Role, Rule, UserFields};
/// let before = UserFields {
///     roles: Some(vec![Role::Teacher]),
///     school: Some("DEMOSCHOOL".into()),
///     schools: Some(vec!["DEMOSCHOOL".into()]),
///     school_classes: Some(BTreeMap::from([("DEMOSCHOOL".into(), vec!["1a".into()])])),
///     ..Default::default()
/// };
/// let to_staff = UserFields { roles: Some(vec![Role::Staff]), ..Default::default() };
/// let violations = check_change(&before, &to_staff, ChangeKind::Patch);
/// assert_eq!(violations[0].rule, Rule::StaffWithoutClasses);
///
/// let confirmed = UserFields { school_classes: Some(BTreeMap::new()), ..to_staff };
/// assert!(check_change(&before, &confirmed, ChangeKind::Patch).is_empty());
/// ```
pub fn check_change(before: &UserFields, change: &UserFields, kind: ChangeKind) -> Vec<Violation> {
    let mut out = Vec::new();
    if kind == ChangeKind::Replace {
        check_replace_required(&mut out, change);
    }
    check_sent_texts(&mut out, change, kind);
    check_school_entries(&mut out, change);
    if let Some(roles) = &change.roles {
        check_role_set(&mut out, roles);
        check_role_change_takes_effect(&mut out, before, roles);
    }
    check_school_in_schools(&mut out, change);
    let placement = place_change(before, change);
    for (field, sent) in memberships(change) {
        if let Some(map) = sent {
            check_membership_keys(&mut out, field, map, &placement);
        }
    }
    let roles_next = roles_after(before, change).filter(|r| allowed(r));
    if let Some(next) = roles_next {
        let left = left_schools(before, &placement);
        let classes_next = memberships_after(
            "school_classes",
            &before.school_classes,
            &change.school_classes,
            &left,
            kind,
        );
        check_staff_classes(&mut out, before, change, next, &classes_next);
        check_becoming_student(&mut out, before, change, next, &classes_next, &placement);
    }
    if change.roles.is_some() || change.legal_guardians.is_some() || change.legal_wards.is_some() {
        let guardians = relations_after(&before.legal_guardians, &change.legal_guardians, kind);
        let wards = relations_after(&before.legal_wards, &change.legal_wards, kind);
        check_relations(
            &mut out,
            roles_next,
            guardians,
            wards,
            change.legal_guardians.is_some(),
            change.legal_wards.is_some(),
        );
    }
    check_expiration(&mut out, change);
    check_ucsschool_roles(&mut out, change);
    out
}

/// What a full replacement (PUT) must carry: Kelvin 4.0.0 `complete_update` answers 400
/// without name, record_uid or source_uid ("Renaming ... to None", "Mandatory attribute
/// 'record_uid' has empty value.").
fn check_replace_required(out: &mut Vec<Violation>, change: &UserFields) {
    for (field, value) in [
        ("firstname", &change.firstname),
        ("lastname", &change.lastname),
    ] {
        require_text(out, field, value, "a full replacement (PUT)");
    }
    if change.roles.is_none() {
        out.push(Violation::new(
            "roles",
            Rule::RequiredField,
            "A full replacement (PUT) needs roles, but none were given.",
        ));
    }
    for (field, value) in [
        ("name", &change.name),
        ("record_uid", &change.record_uid),
        ("source_uid", &change.source_uid),
    ] {
        require_text(out, field, value, "a full replacement (PUT)");
    }
    if blank(&change.school) && super::resolve::non_blank(&change.schools).is_empty() {
        out.push(Violation::new(
            "school",
            Rule::RequiredField,
            "A full replacement (PUT) needs school or schools, but neither was given.",
        ));
    }
}

/// Text fields and `schools` sent empty. In a PUT, blank firstname/lastname are already
/// reported as missing, and a blank school with no schools as "needs school or schools".
fn check_sent_texts(out: &mut Vec<Violation>, change: &UserFields, kind: ChangeKind) {
    let sent_texts = match kind {
        ChangeKind::Replace => vec![("name", &change.name), ("school", &change.school)],
        ChangeKind::Patch => vec![
            ("name", &change.name),
            ("firstname", &change.firstname),
            ("lastname", &change.lastname),
            ("school", &change.school),
        ],
    };
    let has_schools = !super::resolve::non_blank(&change.schools).is_empty();
    for (field, value) in sent_texts {
        if field == "school" && kind == ChangeKind::Replace && !has_schools {
            continue;
        }
        if let Some(text) = value {
            if text.trim().is_empty() {
                out.push(Violation::new(
                    field,
                    Rule::EmptyValue,
                    format!("{field} is sent as {text:?}, but it must not be empty."),
                ));
            }
        }
    }
    if change.schools.as_ref().is_some_and(Vec::is_empty) && kind == ChangeKind::Patch {
        out.push(Violation::new(
            "schools",
            Rule::EmptyValue,
            "schools is sent as an empty list, but a user needs at least one school.",
        ));
    }
}

/// A change to staff (without teacher) must drop the classes explicitly.
fn check_staff_classes(
    out: &mut Vec<Violation>,
    before: &UserFields,
    change: &UserFields,
    next: &[Role],
    classes_next: &BTreeMap<String, Vec<String>>,
) {
    if !staff_without_teacher(next) || !any_groups(classes_next) {
        return;
    }
    let was_staff = before.roles.as_deref().is_some_and(staff_without_teacher);
    match &change.school_classes {
        Some(sent) => out.push(staff_classes_sent(sent)),
        None if change.roles.is_some() && !was_staff => out.push(Violation::new(
            "school_classes",
            Rule::StaffWithoutClasses,
            format!(
                "Changing the user to staff would remove their school classes ({}); send school_classes as {{}} to confirm.",
                describe_groups(classes_next)
            ),
        )),
        None => {}
    }
}

/// A change to student: not for a school admin, and a class in every school.
fn check_becoming_student(
    out: &mut Vec<Violation>,
    before: &UserFields,
    change: &UserFields,
    next: &[Role],
    classes_next: &BTreeMap<String, Vec<String>>,
    placement: &Placement,
) {
    let roles_now = before.roles.as_deref();
    let becomes_student = change.roles.is_some()
        && next.contains(&Role::Student)
        && roles_now.is_some_and(|r| !r.contains(&Role::Student));
    if !becomes_student {
        return;
    }
    if roles_now.is_some_and(|r| r.contains(&Role::SchoolAdmin)) {
        out.push(Violation::new(
            "roles",
            Rule::SchoolAdminToStudent,
            "A school admin cannot be changed to student.",
        ));
    }
    for school in &placement.schools {
        if !has_groups_in(classes_next, school) {
            out.push(Violation::new(
                format!("school_classes.{school}"),
                Rule::StudentNeedsClass,
                format!(
                    "A user changed to student needs at least one school class in school {school:?}; add one to school_classes in the same request."
                ),
            ));
        }
    }
}

/// A role change the server would not carry out: Kelvin 4.0.0 changes the user's class
/// only, and when the new roles map to the same class as the current ones
/// (`teacher` -> `teacher` + `school_admin`), nothing changes (`routers/v1/user.py`
/// `change_roles`).
fn check_role_change_takes_effect(out: &mut Vec<Violation>, before: &UserFields, roles: &[Role]) {
    let Some(current) = before.roles.as_deref() else {
        return;
    };
    let (Some(now), Some(next)) = (UserType::of(current), UserType::of(roles)) else {
        return;
    };
    let same_set =
        |a: &[Role], b: &[Role]| a.iter().all(|r| b.contains(r)) && b.iter().all(|r| a.contains(r));
    if now == next && !same_set(current, roles) {
        out.push(Violation::new(
            "roles",
            Rule::RoleChangeIgnored,
            format!(
                "The server would not change the roles: both [{}] and [{}] make the user a {now}, and Kelvin changes a user's type only; create the account anew to get [{}].",
                names(current),
                names(roles),
                names(roles)
            ),
        ));
    }
}

fn names(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A membership map as sent: school name to group names.
type Memberships = Option<BTreeMap<String, Vec<String>>>;

fn memberships(user: &UserFields) -> [(&'static str, &Memberships); 2] {
    [
        ("school_classes", &user.school_classes),
        ("workgroups", &user.workgroups),
    ]
}

fn allowed(roles: &[Role]) -> bool {
    RoleSet::new(roles.iter().copied()).is_ok()
}

fn require_text(out: &mut Vec<Violation>, field: &str, value: &Option<String>, what: &str) {
    match value {
        None => out.push(Violation::new(
            field,
            Rule::RequiredField,
            format!("{what} needs {field}, but none was given."),
        )),
        Some(text) if text.trim().is_empty() => out.push(Violation::new(
            field,
            Rule::RequiredField,
            format!("{what} needs {field}, but {text:?} is blank."),
        )),
        Some(_) => {}
    }
}

fn check_role_set(out: &mut Vec<Violation>, roles: &[Role]) {
    match RoleSet::new(roles.iter().copied()) {
        Ok(_) => {}
        Err(RoleSetError::Empty) => out.push(Violation::new(
            "roles",
            Rule::RoleCombination,
            "roles is empty, but a user needs at least one role.",
        )),
        Err(RoleSetError::NotAllowed { roles }) => out.push(Violation::new(
            "roles",
            Rule::RoleCombination,
            format!(
                "The role combination [{}] is not allowed; allowed are exactly one role, staff with teacher, or school_admin with staff and/or teacher.",
                roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

fn check_school_entries(out: &mut Vec<Violation>, user: &UserFields) {
    for (i, school) in user.schools.iter().flatten().enumerate() {
        if school.trim().is_empty() {
            out.push(Violation::new(
                format!("schools[{i}]"),
                Rule::EmptyValue,
                format!("schools[{i}] is {school:?}, but a school name must not be empty."),
            ));
        }
    }
}

fn check_school_in_schools(out: &mut Vec<Violation>, user: &UserFields) {
    let schools = super::resolve::non_blank(&user.schools);
    if let Some(school) = present(&user.school) {
        if !schools.is_empty() && !has_school(&schools, school) {
            out.push(Violation::new(
                "school",
                Rule::SchoolNotInSchools,
                format!(
                    "school {school:?} is not one of schools [{}].",
                    schools.join(", ")
                ),
            ));
        }
    }
}

fn check_membership_keys(
    out: &mut Vec<Violation>,
    field: &str,
    map: &BTreeMap<String, Vec<String>>,
    placement: &Placement,
) {
    if placement.schools.is_empty() {
        return; // reported as a missing school already
    }
    for school in map.keys() {
        if !has_school(&placement.schools, school) {
            out.push(Violation::new(
                format!("{field}.{school}"),
                Rule::MembershipOutsideSchools,
                format!(
                    "{field} lists school {school:?}, which is not one of the user's schools [{}].",
                    placement.schools.join(", ")
                ),
            ));
        }
    }
}

fn describe_groups(map: &BTreeMap<String, Vec<String>>) -> String {
    map.iter()
        .filter(|(_, groups)| !groups.is_empty())
        .map(|(school, groups)| format!("{school}: {}", groups.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn staff_classes_sent(classes: &BTreeMap<String, Vec<String>>) -> Violation {
    Violation::new(
        "school_classes",
        Rule::StaffWithoutClasses,
        format!(
            "A staff user who is not a teacher cannot be in school classes, but school_classes lists {}.",
            describe_groups(classes)
        ),
    )
}

fn check_relations(
    out: &mut Vec<Violation>,
    roles: Option<&[Role]>,
    guardians: &[String],
    wards: &[String],
    count_guardians: bool,
    count_wards: bool,
) {
    if let Some(roles) = roles {
        if !guardians.is_empty() && !roles.contains(&Role::Student) {
            out.push(Violation::new(
                "legal_guardians",
                Rule::LegalGuardiansOnlyForStudents,
                format!(
                    "Only students can have legal guardians, but this user ({}) would have [{}]; send legal_guardians as [] to remove them.",
                    role_list(roles),
                    guardians.join(", ")
                ),
            ));
        }
        if !wards.is_empty() && !roles.contains(&Role::LegalGuardian) {
            out.push(Violation::new(
                "legal_wards",
                Rule::LegalWardsOnlyForLegalGuardians,
                format!(
                    "Only legal guardians can have legal wards, but this user ({}) would have [{}]; send legal_wards as [] to remove them.",
                    role_list(roles),
                    wards.join(", ")
                ),
            ));
        }
    }
    if count_guardians && guardians.len() > MAX_LEGAL_GUARDIANS {
        out.push(Violation::new(
            format!("legal_guardians[{MAX_LEGAL_GUARDIANS}]"),
            Rule::TooManyLegalGuardians,
            format!(
                "A student can have at most {MAX_LEGAL_GUARDIANS} legal guardians, but {} are given ({:?} is one too many).",
                guardians.len(),
                guardians[MAX_LEGAL_GUARDIANS]
            ),
        ));
    }
    if count_wards && wards.len() > MAX_LEGAL_WARDS {
        out.push(Violation::new(
            format!("legal_wards[{MAX_LEGAL_WARDS}]"),
            Rule::TooManyLegalWards,
            format!(
                "A legal guardian can have at most {MAX_LEGAL_WARDS} legal wards, but {} are given ({:?} is one too many).",
                wards.len(),
                wards[MAX_LEGAL_WARDS]
            ),
        ));
    }
}

fn role_list(roles: &[Role]) -> String {
    if roles.is_empty() {
        return "no roles".to_owned();
    }
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_expiration(out: &mut Vec<Violation>, user: &UserFields) {
    if let Some(date) = user.expiration_date {
        if !(MIN_EXPIRATION_YEAR..=MAX_EXPIRATION_YEAR).contains(&date.year()) {
            out.push(Violation::new(
                "expiration_date",
                Rule::ExpirationYear,
                format!(
                    "expiration_date {date} is out of range; the year must be between {MIN_EXPIRATION_YEAR} and {MAX_EXPIRATION_YEAR}."
                ),
            ));
        }
    }
}

fn check_ucsschool_roles(out: &mut Vec<Violation>, user: &UserFields) {
    for (i, text) in user.ucsschool_roles.iter().flatten().enumerate() {
        if let Err(err) = text.parse::<UcsschoolRole>() {
            out.push(Violation::new(
                format!("ucsschool_roles[{i}]"),
                Rule::UcsschoolRoleFormat,
                format!("{}.", capitalize_first(&err.to_string())),
            ));
        }
    }
}

fn capitalize_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
