//! The initial directory: what a fresh UCS@school Primary has (base containers, system groups,
//! a mail domain, the Administrator and a Kelvin reader account) and, unless the simulator
//! starts empty, the demo schools, class, workgroup and users.

use crate::auth::{self, ADMIN_USER, DOMAIN_ADMINS, KELVIN_ADMINS, KELVIN_READERS};
use crate::catalog::Catalog;
use crate::directory::{self, rules, NewEntry};
use crate::kelvin::users::class::UserClass;
use crate::kelvin::users::persist::{self, Target};
use crate::password;
use crate::school_layout;
use crate::store::{Object, Tree};
use anyhow::{anyhow, Context};
use chrono::Utc;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use ucs_ldap::canonical as dn;

/// The Kelvin read-only account.
pub(crate) const READER_USER: &str = "kelvin-reader";
/// Password of the reader and the demo users.
pub(crate) const DEMO_PASSWORD: &str = "univention";
/// The seeded mail domain.
pub(crate) const MAIL_DOMAIN: &str = "example.com";

/// The demo schools.
pub(crate) const DEMO_SCHOOLS: [&str; 2] = ["DEMOSCHOOL", "DEMOSCHOOL2"];

/// A tree with just the base entry (`container/dc`).
pub(crate) fn new_tree(base_dn: &str) -> anyhow::Result<Tree> {
    let base = dn::canonical(base_dn).with_context(|| format!("invalid base DN {base_dn:?}"))?;
    anyhow::ensure!(!base.is_empty(), "the base DN must not be empty");
    let mut tree = Tree::new(base.clone());
    let now = Utc::now();
    let mut properties = Map::new();
    properties.insert(
        "name".into(),
        json!(dn::rdn_value(&base).unwrap_or_default()),
    );
    tree.put(Object {
        dn: base,
        module: "container/dc".into(),
        uuid: uuid::Uuid::new_v4().to_string(),
        superordinate: None,
        properties,
        options: BTreeMap::new(),
        policies: BTreeMap::new(),
        hidden: false,
        extra: Map::new(),
        secrets: Default::default(),
        created: now,
        modified: now,
        revision: 0,
    });
    Ok(tree)
}

fn create(
    tree: &mut Tree,
    catalog: &Catalog,
    module: &str,
    dn_text: String,
    properties: Value,
) -> anyhow::Result<()> {
    let properties = match properties {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    let hidden = dn_text.starts_with("cn=univention,");
    directory::ensure(tree, catalog, module, &dn_text, properties, hidden)
        .map_err(|e| anyhow!("seeding {dn_text}: {e}"))
}

/// Creates the base containers, system groups and the mail domain (idempotent).
fn infrastructure(tree: &mut Tree, catalog: &Catalog) -> anyhow::Result<()> {
    let base = tree.base_dn().to_string();
    for container in rules::DEFAULT_CONTAINERS {
        create(
            tree,
            catalog,
            "container/cn",
            format!("cn={container},{base}"),
            json!({"name": container}),
        )?;
    }
    create(
        tree,
        catalog,
        "container/cn",
        format!("cn=domain,cn=mail,{base}"),
        json!({"name": "domain"}),
    )?;
    create(
        tree,
        catalog,
        "container/cn",
        format!("cn=ouadmins,cn=groups,{base}"),
        json!({"name": "ouadmins"}),
    )?;
    for (group, description) in [
        (
            DOMAIN_ADMINS,
            "Domain administrators (may use the UDM REST API)",
        ),
        ("Domain Users", "All domain users"),
        (
            KELVIN_ADMINS,
            "Users who may read and write through the Kelvin REST API",
        ),
        (
            KELVIN_READERS,
            "Users who may read through the Kelvin REST API",
        ),
    ] {
        create(
            tree,
            catalog,
            "groups/group",
            auth::system_group_dn(group, &base),
            json!({"name": group, "description": description}),
        )?;
    }
    create(
        tree,
        catalog,
        "mail/domain",
        format!("cn={MAIL_DOMAIN},cn=domain,cn=mail,{base}"),
        json!({"name": MAIL_DOMAIN}),
    )?;
    Ok(())
}

/// Creates or repairs a system account: it exists, has `password` and is in `groups`.
fn account(
    tree: &mut Tree,
    catalog: &Catalog,
    username: &str,
    password_text: &str,
    primary_group: &str,
    groups: &[&str],
) -> anyhow::Result<()> {
    let base = tree.base_dn().to_string();
    let group_dns: Vec<String> = groups
        .iter()
        .map(|g| auth::system_group_dn(g, &base))
        .collect();
    let existing = auth::find_user(tree, username).map(|u| dn::key_of_canonical(&u.dn));
    let key = match existing {
        Some(key) => key,
        None => {
            // created with a throw-away password; the real one is set below without the
            // password policy, so that any admin password works
            let dn_text = directory::create(
                tree,
                catalog,
                NewEntry {
                    module: "users/user".into(),
                    dn: Some(dn::child("uid", username, &format!("cn=users,{base}"))),
                    properties: match json!({
                        "username": username,
                        "lastname": username,
                        "password": uuid::Uuid::new_v4().to_string(),
                        "primaryGroup": auth::system_group_dn(primary_group, &base),
                        "description": "System account of the simulator",
                    }) {
                        Value::Object(m) => m,
                        _ => Map::new(),
                    },
                    ..Default::default()
                },
            )
            .map_err(|e| anyhow!("creating {username}: {e}"))?;
            dn::key_of_canonical(&dn_text)
        }
    };
    let hash = password::hash(password_text);
    tree.update(&key, |o| o.secrets.password_hash = Some(hash));
    let groups_link = &directory::links::GROUP_MEMBERS;
    let mut wanted = directory::links::derived_values(tree, &key, groups_link);
    for group in group_dns {
        let group_key = dn::key_of_canonical(&group);
        if !wanted.iter().any(|g| dn::key_of_canonical(g) == group_key) {
            wanted.push(group);
        }
    }
    directory::links::set_derived(tree, &key, groups_link, &wanted)
        .map_err(|e| anyhow!("group memberships of {username}: {e}"))
}

/// Makes sure the infrastructure and both system accounts exist, with the given admin
/// password (also after loading a state file).
pub(crate) fn ensure_accounts(
    tree: &mut Tree,
    catalog: &Catalog,
    admin_password: &str,
) -> anyhow::Result<()> {
    infrastructure(tree, catalog)?;
    account(
        tree,
        catalog,
        ADMIN_USER,
        admin_password,
        DOMAIN_ADMINS,
        &[DOMAIN_ADMINS, "Domain Users", KELVIN_ADMINS],
    )?;
    account(
        tree,
        catalog,
        READER_USER,
        DEMO_PASSWORD,
        "Domain Users",
        &["Domain Users", KELVIN_READERS],
    )
}

fn demo_user(
    name: &str,
    lastname: &str,
    class: UserClass,
    classes: &[&str],
    workgroups: &[&str],
) -> Target {
    let school = DEMO_SCHOOLS[0].to_string();
    let full = |names: &[&str]| -> BTreeMap<String, Vec<String>> {
        let mut map = BTreeMap::new();
        if !names.is_empty() {
            map.insert(
                school.clone(),
                names.iter().map(|n| format!("{school}-{n}")).collect(),
            );
        }
        map
    };
    Target {
        class,
        exam: false,
        name: Some(name.into()),
        school: school.clone(),
        schools: vec![school.clone()],
        firstname: "Demo".into(),
        lastname: lastname.into(),
        birthday: None,
        expiration_date: None,
        email: Some(format!("{name}@{MAIL_DOMAIN}")),
        disabled: false,
        record_uid: Some(name.into()),
        source_uid: Some("DEMOID".into()),
        ucsschool_roles: class
            .roles()
            .iter()
            .map(|r| format!("{}:school:{school}", r.as_str()))
            .collect(),
        classes: full(classes),
        workgroups: full(workgroups),
        guardians: Vec::new(),
        wards: Vec::new(),
        password: Some(DEMO_PASSWORD.into()),
        password_hashes: None,
        udm_properties: Map::new(),
    }
}

/// The demo schools, class, workgroup and users.
fn demo(tree: &mut Tree, catalog: &Catalog) -> anyhow::Result<()> {
    let base = tree.base_dn().to_string();
    for (school, display) in DEMO_SCHOOLS.iter().zip(["Demo School", "Demo School 2"]) {
        school_layout::ensure_school(tree, catalog, school, Some(display), Map::new(), Map::new())
            .map_err(|e| anyhow!("seeding {school}: {e}"))?;
    }
    school_layout::ensure_class(tree, catalog, DEMO_SCHOOLS[0], "Democlass")
        .map_err(|e| anyhow!("seeding Democlass: {e}"))?;
    create(
        tree,
        catalog,
        "groups/group",
        school_layout::workgroup_dn(DEMO_SCHOOLS[0], "Demoworkgroup", &base),
        json!({
            "name": format!("{}-Demoworkgroup", DEMO_SCHOOLS[0]),
            "description": "Demo workgroup",
            "school": [DEMO_SCHOOLS[0]],
            "ucsschoolRole": [format!("workgroup:school:{}", DEMO_SCHOOLS[0])],
        }),
    )?;
    let users = [
        demo_user(
            "demo_student",
            "Student",
            UserClass::Student,
            &["Democlass"],
            &["Demoworkgroup"],
        ),
        demo_user(
            "demo_teacher",
            "Teacher",
            UserClass::Teacher,
            &["Democlass"],
            &[],
        ),
        demo_user("demo_staff", "Staff", UserClass::Staff, &[], &[]),
        demo_user("demo_admin", "Admin", UserClass::SchoolAdmin, &[], &[]),
    ];
    for user in users {
        let name = user.name.clone().unwrap_or_default();
        if auth::find_user(tree, &name).is_some() {
            continue;
        }
        persist::create(tree, catalog, &user).map_err(|e| anyhow!("seeding {name}: {e}"))?;
    }
    Ok(())
}

/// Fills a new tree: infrastructure and accounts, plus the demo data unless `empty`.
pub(crate) fn seed(
    tree: &mut Tree,
    catalog: &Catalog,
    empty: bool,
    admin_password: &str,
) -> anyhow::Result<()> {
    ensure_accounts(tree, catalog, admin_password)?;
    if !empty {
        demo(tree, catalog)?;
    }
    Ok(())
}
