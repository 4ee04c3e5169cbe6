//! How the UCS@school user roles (`ucs_ldap::Role`) appear in UDM: the options that mark
//! them and the containers users of each role live in.

use std::collections::BTreeMap;

use ucs_ldap::Role;

/// Parses a Kelvin role name; `exam_user` counts as student.
pub(crate) fn parse(name: &str) -> Option<Role> {
    name.parse().ok()
}

/// Sorts roles by name, the order Kelvin lists them in.
pub(crate) fn sort_by_name(roles: &mut [Role]) {
    roles.sort_by_key(|r| r.as_str());
}

/// The roles a user's UDM options express, in name order.
pub(crate) fn from_options(options: &BTreeMap<String, bool>) -> Vec<Role> {
    let mut roles: Vec<Role> = Role::BY_NAME
        .into_iter()
        .filter(|r| options.get(r.udm_option()).copied().unwrap_or(false))
        .collect();
    if options.get("ucsschoolExam").copied().unwrap_or(false) && !roles.contains(&Role::Student) {
        roles.push(Role::Student);
        sort_by_name(&mut roles);
    }
    roles
}

/// The container below `cn=users,ou=<school>` where users with these roles live.
pub(crate) fn user_container(roles: &[Role]) -> &'static str {
    let has = |r| roles.contains(&r);
    if has(Role::Student) {
        "schueler"
    } else if has(Role::Teacher) && has(Role::Staff) {
        "lehrer und mitarbeiter"
    } else if has(Role::Teacher) {
        "lehrer"
    } else if has(Role::Staff) {
        "mitarbeiter"
    } else if has(Role::SchoolAdmin) {
        "admins"
    } else {
        "eltern"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_options_and_containers() {
        for role in Role::BY_NAME {
            assert_eq!(parse(role.as_str()), Some(role));
        }
        assert_eq!(parse("exam_user"), Some(Role::Student));
        assert_eq!(parse("admin"), None);
        let mut options = BTreeMap::new();
        options.insert("ucsschoolTeacher".to_string(), true);
        options.insert("ucsschoolStaff".to_string(), true);
        options.insert("pki".to_string(), true);
        let roles = from_options(&options);
        assert_eq!(roles, vec![Role::Staff, Role::Teacher]);
        assert_eq!(user_container(&roles), "lehrer und mitarbeiter");
        assert_eq!(user_container(&[Role::SchoolAdmin]), "admins");
        assert_eq!(
            user_container(&[Role::SchoolAdmin, Role::Teacher]),
            "lehrer"
        );
    }
}
