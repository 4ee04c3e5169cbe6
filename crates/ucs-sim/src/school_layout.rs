//! Where UCS@school keeps things in the directory: the school OU and its containers, users by
//! role, classes, workgroups and the groups every school user joins.
//!
//! ```text
//! ou=<school>,<base>                                           container/ou (the school)
//!   cn=users  / cn=schueler|lehrer|mitarbeiter|lehrer und mitarbeiter|admins|sorgeberechtigte
//!   cn=groups / cn=Domain Users <school>, cn=schueler-<school>, cn=lehrer-<school>,
//!               cn=mitarbeiter-<school>, cn=sorgeberechtigte-<school>
//!   cn=groups / cn=schueler / <school>-<workgroup>              groups/group (workgroups)
//!   cn=groups / cn=schueler / cn=klassen / <school>-<class>     groups/group (classes)
//! cn=admins-<school>,cn=ouadmins,cn=groups,<base>               school admins
//! ```

use crate::catalog::Catalog;
use crate::directory::{self, DirError, NewEntry};
use crate::store::{Object, Tree};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use ucs_ldap::canonical as dn;
use ucs_ldap::Role;

/// `ou=<school>,<base>`.
pub(crate) fn school_dn(school: &str, base: &str) -> String {
    dn::child("ou", school, base)
}

/// The user containers of a school (`cn=<name>,cn=users,ou=<school>`; UCR defaults
/// `ucsschool/ldap/default/container/*`, the legal guardians' one is `sorgeberechtigte`).
pub(crate) const USER_CONTAINERS: [&str; 6] = [
    "schueler",
    "lehrer",
    "mitarbeiter",
    "lehrer und mitarbeiter",
    "admins",
    "sorgeberechtigte",
];

/// The other containers of a school (the lib's `School.create_default_containers`): printers,
/// computers, networks, groups (students with classes, teachers, rooms, staff), DHCP,
/// policies, and the shares of workgroups and classes.
const SCHOOL_CONTAINERS: [&str; 10] = [
    "cn=printers",
    "cn=dc,cn=server,cn=computers",
    "cn=networks",
    "cn=klassen,cn=schueler,cn=groups",
    "cn=lehrer,cn=groups",
    "cn=raeume,cn=groups",
    "cn=mitarbeiter,cn=groups",
    "cn=dhcp",
    "cn=policies",
    "cn=klassen,cn=shares",
];

/// The user container `container` (one of [`USER_CONTAINERS`]) of a school.
pub(crate) fn users_container(school: &str, container: &str, base: &str) -> String {
    dn::child(
        "cn",
        container,
        &format!("cn=users,{}", school_dn(school, base)),
    )
}

/// `cn=groups,ou=<school>,<base>`.
fn groups_container(school: &str, base: &str) -> String {
    format!("cn=groups,{}", school_dn(school, base))
}

/// The container of a school's workgroups.
pub(crate) fn workgroups_container(school: &str, base: &str) -> String {
    format!("cn=schueler,{}", groups_container(school, base))
}

/// The container of a school's classes.
pub(crate) fn classes_container(school: &str, base: &str) -> String {
    format!("cn=klassen,{}", workgroups_container(school, base))
}

/// The DN of a class.
pub(crate) fn class_dn(school: &str, class: &str, base: &str) -> String {
    dn::child(
        "cn",
        &format!("{school}-{class}"),
        &classes_container(school, base),
    )
}

/// The DN of a workgroup.
pub(crate) fn workgroup_dn(school: &str, workgroup: &str, base: &str) -> String {
    dn::child(
        "cn",
        &format!("{school}-{workgroup}"),
        &workgroups_container(school, base),
    )
}

/// The school's `Domain Users <school>` group (every school user's primary group).
pub(crate) fn domain_users_group(school: &str, base: &str) -> String {
    dn::child(
        "cn",
        &format!("Domain Users {school}"),
        &groups_container(school, base),
    )
}

/// The group every user with that role in the school joins (UCR defaults
/// `ucsschool/ldap/default/groupprefix/*`; the lib's `create_ou` names them with the school
/// in lower case).
pub(crate) fn role_group(school: &str, role: Role, base: &str) -> String {
    let lower = school.to_lowercase();
    let prefix = match role {
        Role::Student => "schueler",
        Role::Teacher => "lehrer",
        Role::Staff => "mitarbeiter",
        Role::LegalGuardian => "sorgeberechtigte",
        Role::SchoolAdmin => {
            return dn::child(
                "cn",
                &format!("admins-{lower}"),
                &format!("cn=ouadmins,cn=groups,{base}"),
            )
        }
    };
    dn::child(
        "cn",
        &format!("{prefix}-{lower}"),
        &groups_container(school, base),
    )
}

/// What a group is in UCS@school terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GroupKind {
    /// A class: school name and class name (without the `<school>-` prefix).
    Class(String, String),
    /// A workgroup: school name and workgroup name.
    Workgroup(String, String),
    /// A group the simulator manages for school users (domain users, role groups).
    SchoolManaged,
    /// Anything else.
    Other,
}

fn strip_school_prefix(cn: &str, school: &str) -> String {
    let prefix = format!("{school}-");
    match (cn.get(..prefix.len()), cn.get(prefix.len()..)) {
        (Some(head), Some(rest)) if !rest.is_empty() && head.eq_ignore_ascii_case(&prefix) => {
            rest.to_string()
        }
        _ => cn.to_string(),
    }
}

/// The school (its name as the OU spells it) a DN lies in, if any.
pub(crate) fn school_of(dn_text: &str, base: &str) -> Option<String> {
    let base_key = dn::key_of_canonical(base);
    let mut current = dn_text;
    loop {
        let parent = dn::parent(current);
        if parent.is_empty() {
            return None;
        }
        if dn::same_key(parent, &base_key) {
            return if dn::rdn_attr(current).as_deref() == Some("ou") {
                dn::rdn_value(current)
            } else {
                None
            };
        }
        current = parent;
    }
}

/// Classifies a group DN.
pub(crate) fn classify_group(group_dn: &str, base: &str) -> GroupKind {
    let parent_key = dn::key_of_canonical(dn::parent(group_dn));
    let cn = dn::rdn_value(group_dn).unwrap_or_default();
    if let Some(school) = school_of(group_dn, base) {
        if parent_key == dn::key_of_canonical(&classes_container(&school, base)) {
            return GroupKind::Class(school.clone(), strip_school_prefix(&cn, &school));
        }
        if parent_key == dn::key_of_canonical(&workgroups_container(&school, base)) {
            return GroupKind::Workgroup(school.clone(), strip_school_prefix(&cn, &school));
        }
        if parent_key == dn::key_of_canonical(&groups_container(&school, base)) {
            let lower = cn.to_lowercase();
            let school_lower = school.to_lowercase();
            if lower == format!("domain users {school_lower}")
                || ["schueler", "lehrer", "mitarbeiter", "sorgeberechtigte"]
                    .iter()
                    .any(|r| lower == format!("{r}-{school_lower}"))
            {
                return GroupKind::SchoolManaged;
            }
        }
        return GroupKind::Other;
    }
    if parent_key == dn::key_of_canonical(&format!("cn=ouadmins,cn=groups,{base}"))
        && cn.to_lowercase().starts_with("admins-")
    {
        return GroupKind::SchoolManaged;
    }
    GroupKind::Other
}

/// Whether an entry is a UCS@school school (a `container/ou` marked as one).
pub(crate) fn is_school(object: &Object) -> bool {
    object.module == "container/ou"
        && (object.option("UCSschool-School-OU")
            || object
                .prop_list("ucsschoolRole")
                .iter()
                .any(|r| r.to_lowercase().starts_with("school:school:")))
}

/// The school of that name (case-insensitive), if it exists.
pub(crate) fn find_school<'a>(tree: &'a Tree, name: &str) -> Option<&'a Object> {
    let key = dn::key_of_canonical(&school_dn(name, tree.base_dn()));
    tree.get(&key).filter(|o| is_school(o))
}

/// The school's name as stored.
pub(crate) fn school_name(object: &Object) -> String {
    object
        .prop_str("name")
        .map(str::to_string)
        .or_else(|| dn::rdn_value(&object.dn))
        .unwrap_or_default()
}

fn ensure_container(
    tree: &mut Tree,
    catalog: &Catalog,
    container_dn: &str,
) -> Result<(), DirError> {
    if tree.contains(&dn::key_of_canonical(container_dn)) {
        return Ok(());
    }
    let parent = dn::parent(container_dn).to_string();
    if !parent.is_empty() {
        ensure_container(tree, catalog, &parent)?;
    }
    let module = match dn::rdn_attr(container_dn).as_deref() {
        Some("ou") => "container/ou",
        Some("dc") => "container/dc",
        _ => "container/cn",
    };
    let mut properties = Map::new();
    properties.insert(
        "name".into(),
        json!(dn::rdn_value(container_dn).unwrap_or_default()),
    );
    directory::ensure(tree, catalog, module, container_dn, properties, false)
}

fn ensure_group(
    tree: &mut Tree,
    catalog: &Catalog,
    group_dn: &str,
    properties: Map<String, Value>,
) -> Result<(), DirError> {
    ensure_container(tree, catalog, dn::parent(group_dn))?;
    directory::ensure(tree, catalog, "groups/group", group_dn, properties, false)
}

/// Creates whatever is missing of a school: the OU (with the given display name and
/// Kelvin-only attributes) and its containers and groups. Returns the school's DN.
pub(crate) fn ensure_school(
    tree: &mut Tree,
    catalog: &Catalog,
    name: &str,
    display_name: Option<&str>,
    extra: Map<String, Value>,
    udm_properties: Map<String, Value>,
) -> Result<String, DirError> {
    let base = tree.base_dn().to_string();
    let ou = school_dn(name, &base);
    if !tree.contains(&dn::key_of_canonical(&ou)) {
        let mut properties = udm_properties;
        properties.insert("name".into(), json!(name));
        properties.insert("displayName".into(), json!(display_name.unwrap_or(name)));
        properties.insert(
            "ucsschoolRole".into(),
            json!([format!("school:school:{name}")]),
        );
        let mut options = BTreeMap::new();
        options.insert("UCSschool-School-OU".to_string(), true);
        directory::create(
            tree,
            catalog,
            NewEntry {
                module: "container/ou".into(),
                dn: Some(ou.clone()),
                properties,
                options,
                extra,
                ..Default::default()
            },
        )?;
    }
    for container in USER_CONTAINERS {
        ensure_container(tree, catalog, &users_container(name, container, &base))?;
    }
    for container in SCHOOL_CONTAINERS {
        ensure_container(tree, catalog, &format!("{container},{ou}"))?;
    }
    let school_group = |description: &str| {
        let mut p = Map::new();
        p.insert("description".into(), json!(description));
        p.insert("school".into(), json!([name]));
        p
    };
    let domain_users = domain_users_group(name, &base);
    let mut props = school_group(&format!("All users of school {name}"));
    props.insert("name".into(), json!(format!("Domain Users {name}")));
    ensure_group(tree, catalog, &domain_users, props)?;
    for role in Role::BY_NAME {
        let group = role_group(name, role, &base);
        let mut props = school_group(&format!("{} of school {name}", role.display_name()));
        props.insert(
            "name".into(),
            json!(dn::rdn_value(&group).unwrap_or_default()),
        );
        ensure_group(tree, catalog, &group, props)?;
    }
    Ok(ou)
}

/// Creates a class if it does not exist yet and returns its DN.
pub(crate) fn ensure_class(
    tree: &mut Tree,
    catalog: &Catalog,
    school: &str,
    class: &str,
) -> Result<String, DirError> {
    let base = tree.base_dn().to_string();
    let group = class_dn(school, class, &base);
    let mut props = Map::new();
    props.insert("name".into(), json!(format!("{school}-{class}")));
    props.insert("school".into(), json!([school]));
    props.insert(
        "ucsschoolRole".into(),
        json!([format!("school_class:school:{school}")]),
    );
    ensure_group(tree, catalog, &group, props)?;
    Ok(group)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "dc=example,dc=com";

    #[test]
    fn dns_and_classification_agree() {
        let class = class_dn("DEMOSCHOOL", "Democlass", BASE);
        assert_eq!(
            class,
            "cn=DEMOSCHOOL-Democlass,cn=klassen,cn=schueler,cn=groups,ou=DEMOSCHOOL,dc=example,dc=com"
        );
        assert_eq!(
            classify_group(&class, BASE),
            GroupKind::Class("DEMOSCHOOL".into(), "Democlass".into())
        );
        let wg = workgroup_dn("DEMOSCHOOL", "a/b c", BASE);
        assert_eq!(
            classify_group(&wg, BASE),
            GroupKind::Workgroup("DEMOSCHOOL".into(), "a/b c".into())
        );
        assert_eq!(
            classify_group(&domain_users_group("DEMOSCHOOL", BASE), BASE),
            GroupKind::SchoolManaged
        );
        let admins = role_group("DEMOSCHOOL", Role::SchoolAdmin, BASE);
        assert_eq!(classify_group(&admins, BASE), GroupKind::SchoolManaged);
        let guardians = role_group("DEMOSCHOOL", Role::LegalGuardian, BASE);
        assert_eq!(
            guardians,
            "cn=sorgeberechtigte-demoschool,cn=groups,ou=DEMOSCHOOL,dc=example,dc=com"
        );
        assert_eq!(classify_group(&guardians, BASE), GroupKind::SchoolManaged);
        assert_eq!(
            classify_group("cn=Domain Admins,cn=groups,dc=example,dc=com", BASE),
            GroupKind::Other
        );
        assert_eq!(
            users_container("S", "sorgeberechtigte", BASE),
            "cn=sorgeberechtigte,cn=users,ou=S,dc=example,dc=com"
        );
        assert_eq!(
            school_of("uid=a,cn=schueler,cn=users,ou=S,dc=example,dc=com", BASE).as_deref(),
            Some("S")
        );
        assert_eq!(school_of("uid=a,cn=users,dc=example,dc=com", BASE), None);
        // a multi-byte character where the prefix would end is no prefix (and no panic)
        assert_eq!(strip_school_prefix("Sü", "S"), "Sü");
        assert_eq!(strip_school_prefix("S-ü", "S"), "ü");
    }
}
