//! Kelvin and UDM side by side: the school users of one school read through
//! Kelvin, the same people read through UDM (`users/user`), joined on the DN
//! and on the import identity (`source_uid`, `record_uid`), and every Kelvin
//! field checked against the UDM property it comes from.
//!
//! A Kelvin school user *is* a UDM `users/user` object. Kelvin 4.0.0 reads
//! and writes it through the UCS@school library; this is the mapping
//! (paths in the repository `univention/ucsschool-kelvin-rest-api`, tag
//! `release-4.0.0`; `attributes.py` is
//! `ucs-school-lib/modules/ucsschool/lib/models/attributes.py`, `user.py` and
//! `base.py` are next to it, `user router` is
//! `kelvin-api/ucsschool/kelvin/routers/v1/user.py`):
//!
//! | Kelvin field | UDM `users/user` | where the code says so |
//! |---|---|---|
//! | `dn` | the object's DN | `kelvin-api/ucsschool/kelvin/routers/v1/base.py` `LibModelHelperMixin._from_lib_model_kwargs`: `kwargs["dn"] = kwargs.pop("$dn$")` |
//! | `name` | `username` | `user.py` `User.name = Username(...)`; `attributes.py` `Username.udm_name = "username"` |
//! | `firstname` | `firstname` | `User.firstname = Firstname(...)`; `Firstname.udm_name = "firstname"` |
//! | `lastname` | `lastname` | `User.lastname = Lastname(...)`; `Lastname.udm_name = "lastname"` |
//! | `birthday` | `birthday` | `User.birthday = Birthday(...)`; `Birthday.udm_name = "birthday"` |
//! | `expiration_date` | `userexpiry` | `User.expiration_date = UserExpirationDate(...)`; `UserExpirationDate.udm_name = "userexpiry"` |
//! | `email` | `mailPrimaryAddress` | `User.email = Email(...)`; `Email.udm_name = "mailPrimaryAddress"` |
//! | `disabled` | `disabled` | `User.disabled = Disabled(...)`; `Disabled.udm_name = "disabled"` |
//! | `password` (write only) | `password` | `User.password = Password(...)`; `Password.udm_name = "password"` |
//! | `record_uid` | `ucsschoolRecordUID` | `ucs-school-import/.../models/import_user.py` `ImportUser.record_uid = RecordUID(...)`; `RecordUID.udm_name = "ucsschoolRecordUID"`; read back in the user router, `UserModel._from_lib_model_kwargs`: `udm_obj.props.ucsschoolRecordUID` |
//! | `source_uid` | `ucsschoolSourceUID` | `ImportUser.source_uid = SourceUID(...)`; `SourceUID.udm_name = "ucsschoolSourceUID"`; `udm_obj.props.ucsschoolSourceUID` there too |
//! | `schools` | `school` (every school; LDAP `ucsschoolSchool`) | `User.schools = Schools(...)`; `Schools.udm_name = "school"` |
//! | `school` | the first `ou=` of the DN (users live in `cn=<role>,cn=users,ou=<school>,<base>`) | `base.py` `UCSSchoolHelperAbstractClass.from_udm_obj`: `"school": cls.get_school_from_dn(udm_obj.dn)`, `schoolldap.py` `SchoolSearchBase.getOU`; `SchoolAttribute.udm_name = None` |
//! | `ucsschool_roles` | `ucsschoolRole` | `base.py` `RoleSupportMixin.ucsschool_roles = Roles(...)`; `Roles.udm_name = "ucsschoolRole"` |
//! | `roles` | the roles of the `<role>:school:<school>` entries of `ucsschoolRole` (`exam_user` shows as `student`) | user router `UserModel._from_lib_model_kwargs` (`_is_school_role_string`), `routers/v1/role.py` `SchoolUserRole.from_lib_role` |
//! | `school_classes` | the `groups` below `cn=klassen,cn=schueler,cn=groups,ou=<school>,<base>`, names without the `<school>-` prefix | `user.py` `User.get_school_classes` (`Group.is_school_class`, `schoolldap.py` `isClass`); the prefix is removed in the user router |
//! | `workgroups` | the `groups` directly below `cn=schueler,cn=groups,ou=<school>,<base>`, without the prefix | `User.get_workgroups` (`Group.is_school_workgroup`, `schoolldap.py` `isWorkgroup`) |
//! | `legal_guardians` | `ucsschoolLegalGuardian` (DNs; Kelvin answers URLs, this crate user names) | `Student.legal_guardians = LegalGuardians(...)`; `LegalGuardians.udm_name = "ucsschoolLegalGuardian"` |
//! | `legal_wards` | `ucsschoolLegalWard` (DNs) | `LegalGuardian.legal_wards = LegalWards(...)`; `LegalWards.udm_name = "ucsschoolLegalWard"` |
//! | `udm_properties` | the properties the server maps (`mapped_udm_properties`), under their UDM names | `routers/v1/base.py` `LibModelHelperMixin.get_mapped_udm_properties` |
//!
//! (`klassen` and `schueler` are the defaults of the UCR variables
//! `ucsschool/ldap/default/container/class` and `.../container/pupils`,
//! `schoolldap.py`.)
//!
//! Runs against an embedded `ucs-sim` by default:
//!
//! ```text
//! cargo run -p ucs --example kelvin_udm_join
//! ```
//!
//! or against a real server (`ucs::Ucs::from_env`; it creates three users
//! in `EXAMPLE_SCHOOL`, default the first school, with addresses in
//! `EXAMPLE_MAIL_DOMAIN` if set, and deletes them at the end):
//!
//! ```text
//! UCS_HOST=https://ucs.example.com UCS_USER=Administrator UCS_PASSWORD=... \
//! UCS_CA_FILE=/path/to/ucs-root-ca.pem EXAMPLE_SCHOOL=DEMOSCHOOL \
//! cargo run -p ucs --example kelvin_udm_join
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use serde_json::Value;
use ucs::kelvin::{Kelvin, NewUser, User, UserFilter};
use ucs::roles::UcsschoolRole;
use ucs::udm::{Dn, Filter, Object, Udm};

/// The source system of the users this example creates.
const SOURCE: &str = "join-example";

/// The UDM properties the join reads.
const PROPERTIES: [&str; 14] = [
    "username",
    "firstname",
    "lastname",
    "birthday",
    "userexpiry",
    "mailPrimaryAddress",
    "disabled",
    "ucsschoolRecordUID",
    "ucsschoolSourceUID",
    "school",
    "ucsschoolRole",
    "groups",
    "ucsschoolLegalGuardian",
    "ucsschoolLegalWard",
];

/// One Kelvin field next to the UDM property it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// The Kelvin field.
    pub field: &'static str,
    /// Where it is in UDM.
    pub udm: &'static str,
    /// Kelvin's value, as text.
    pub kelvin_value: String,
    /// UDM's value, as text.
    pub udm_value: String,
}

impl Check {
    /// Whether both say the same.
    pub fn agrees(&self) -> bool {
        self.kelvin_value == self.udm_value
    }
}

/// One Kelvin user and what the join found for it.
#[derive(Debug)]
pub struct Joined {
    /// The Kelvin user.
    pub user: User,
    /// The UDM object with the same DN.
    pub by_dn: Option<Object>,
    /// The DN of the UDM object with the same (`source_uid`, `record_uid`).
    pub by_import_id: Option<Dn>,
    /// Field by field (empty when no UDM object has the DN).
    pub checks: Vec<Check>,
}

/// The demo, against any server with Kelvin and UDM.
pub async fn run(
    kelvin: &Kelvin,
    udm: &Udm,
    school: &str,
    mail_domain: Option<&str>,
) -> ucs::Result<Vec<Joined>> {
    let made = create_users(kelvin, school, mail_domain).await?;

    // 1. The school's users through Kelvin ...
    let users = kelvin
        .users()
        .search(&UserFilter::new().school(school))
        .await?;
    // ... and through UDM: `school` is the UDM property of Kelvin's `schools`.
    let objects = udm
        .users()
        .search()
        .filter(Filter::eq("school", school))
        .properties(PROPERTIES)
        .all()
        .await?;
    println!(
        "{school}: {} users through Kelvin, {} through UDM",
        users.len(),
        objects.len()
    );

    // 2. Index the UDM side by DN (DNs compare as LDAP does) and by import id.
    let by_dn: HashMap<Dn, &Object> = objects
        .iter()
        .filter_map(|o| Some((o.dn()?.clone(), o)))
        .collect();
    let by_import_id: HashMap<(String, String), &Dn> = objects
        .iter()
        .filter_map(|o| {
            let source = o.get_str("ucsschoolSourceUID")?.to_string();
            let record = o.get_str("ucsschoolRecordUID")?.to_string();
            Some(((source, record), o.dn()?))
        })
        .collect();

    // 3. Join and compare.
    let mut joined = Vec::new();
    for user in users {
        let object = by_dn.get(&user.dn).copied();
        let import_id = user.source_uid.clone().zip(user.record_uid.clone());
        let by_ids = import_id.and_then(|id| by_import_id.get(&id).map(|dn| (*dn).clone()));
        let checks = object.map(|o| compare(&user, o)).unwrap_or_default();
        joined.push(Joined {
            by_dn: object.cloned(),
            by_import_id: by_ids,
            checks,
            user,
        });
    }
    print_report(&joined, &made);
    let in_kelvin: HashSet<&Dn> = joined.iter().map(|j| &j.user.dn).collect();
    let udm_only = by_dn.keys().filter(|dn| !in_kelvin.contains(dn)).count();
    println!("UDM objects of {school} that Kelvin does not list: {udm_only}");

    for name in made.iter().rev() {
        kelvin.users().delete(name).await?;
    }
    kelvin.classes().delete(school, "join-7a").await?;
    println!("deleted {}", made.join(", "));
    Ok(joined)
}

/// A legal guardian, a student with every field set, and a disabled
/// teacher (in a second school too, if there is one). Returns their names.
async fn create_users(
    kelvin: &Kelvin,
    school: &str,
    mail_domain: Option<&str>,
) -> ucs::Result<Vec<String>> {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let other_school = kelvin
        .schools()
        .search(None)
        .await?
        .into_iter()
        .map(|s| s.name)
        .find(|name| name != school);
    let guardian = NewUser::legal_guardian("Gerda", "Gärtner")
        .name("join-guardian")
        .school(school);
    let mut student = NewUser::student("Jonas", "Gärtner")
        .name("join-student")
        .school(school)
        .class("join-7a")
        .birthday(date(2012, 3, 4))
        .expiration_date(date(2031, 7, 31))
        .legal_guardian_of("join-guardian");
    if let Some(domain) = mail_domain {
        student = student.email(format!("jonas.gaertner@{domain}"));
    }
    let mut teacher = NewUser::teacher("Tina", "Lehrer")
        .name("join-teacher")
        .school(school)
        .class("join-7a")
        .disabled(true);
    if let Some(other) = &other_school {
        teacher = teacher.also_school(other);
    }
    let mut names = Vec::new();
    for user in [guardian, student, teacher] {
        let name = user.name.clone().unwrap_or_default();
        let user = user
            .record_uid(format!("{SOURCE}-{name}"))
            .source_uid(SOURCE)
            .password("Join-Example-Passw0rd!");
        kelvin.users().create(user).await?;
        names.push(name);
    }
    Ok(names)
}

/// The mapping of the table above: Kelvin field, UDM property.
const MAPPING: [(&str, &str); 18] = [
    ("dn", "(the DN)"),
    ("name", "username"),
    ("firstname", "firstname"),
    ("lastname", "lastname"),
    ("birthday", "birthday"),
    ("expiration_date", "userexpiry"),
    ("email", "mailPrimaryAddress"),
    ("disabled", "disabled"),
    ("record_uid", "ucsschoolRecordUID"),
    ("source_uid", "ucsschoolSourceUID"),
    ("schools", "school"),
    ("school", "(ou= of the DN)"),
    ("ucsschool_roles", "ucsschoolRole"),
    ("roles", "(ucsschoolRole)"),
    ("school_classes", "(groups: classes)"),
    ("workgroups", "(groups: workgroups)"),
    ("legal_guardians", "ucsschoolLegalGuardian"),
    ("legal_wards", "ucsschoolLegalWard"),
];

/// Every row of the mapping, for one user.
fn compare(user: &User, object: &Object) -> Vec<Check> {
    let (kelvin, udm) = (kelvin_fields(user), udm_fields(object));
    MAPPING
        .iter()
        .map(|&(field, property)| Check {
            field,
            udm: property,
            kelvin_value: kelvin.get(field).cloned().unwrap_or_default(),
            udm_value: udm.get(field).cloned().unwrap_or_default(),
        })
        .collect()
}

/// A Kelvin user's fields, as text.
fn kelvin_fields(user: &User) -> BTreeMap<&'static str, String> {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let roles = user.roles.iter().map(|r| r.as_str().to_string());
    BTreeMap::from([
        ("dn", user.dn.to_string()),
        ("name", user.name.clone()),
        ("firstname", user.firstname.clone()),
        ("lastname", user.lastname.clone()),
        ("birthday", date(user.birthday)),
        ("expiration_date", date(user.expiration_date)),
        ("email", text(&user.email)),
        ("disabled", user.disabled.to_string()),
        ("record_uid", text(&user.record_uid)),
        ("source_uid", text(&user.source_uid)),
        ("schools", sorted(user.schools.iter().cloned())),
        ("school", user.school.clone()),
        (
            "ucsschool_roles",
            sorted(user.ucsschool_roles.iter().cloned()),
        ),
        ("roles", sorted(roles)),
        ("school_classes", show(&user.school_classes)),
        ("workgroups", show(&user.workgroups)),
        (
            "legal_guardians",
            sorted(user.legal_guardians.iter().cloned()),
        ),
        ("legal_wards", sorted(user.legal_wards.iter().cloned())),
    ])
}

/// The same fields read from the UDM object, derived as Kelvin does.
fn udm_fields(object: &Object) -> BTreeMap<&'static str, String> {
    let text = |name: &str| object.get_str(name).unwrap_or_default().to_string();
    let dn = object.dn().cloned().unwrap_or_default();
    let schools = strings(object.get("school"));
    let groups: Vec<Dn> = strings(object.get("groups"))
        .iter()
        .filter_map(|g| Dn::parse(g).ok())
        .collect();
    let user_names = |name: &str| {
        let dns = strings(object.get(name));
        sorted(
            dns.iter()
                .filter_map(|d| Some(Dn::parse(d).ok()?.rdn_value()?.to_string())),
        )
    };
    BTreeMap::from([
        ("dn", dn.to_string()),
        ("name", text("username")),
        ("firstname", text("firstname")),
        ("lastname", text("lastname")),
        ("birthday", text("birthday")),
        ("expiration_date", text("userexpiry")),
        ("email", text("mailPrimaryAddress")),
        ("disabled", flag(object.get("disabled"))),
        ("record_uid", text("ucsschoolRecordUID")),
        ("source_uid", text("ucsschoolSourceUID")),
        ("schools", sorted(schools.iter().cloned())),
        ("school", school_of(&dn)),
        (
            "ucsschool_roles",
            sorted(strings(object.get("ucsschoolRole"))),
        ),
        (
            "roles",
            sorted(school_roles(&strings(object.get("ucsschoolRole")))),
        ),
        (
            "school_classes",
            show(&memberships(&groups, &schools, true)),
        ),
        ("workgroups", show(&memberships(&groups, &schools, false))),
        ("legal_guardians", user_names("ucsschoolLegalGuardian")),
        ("legal_wards", user_names("ucsschoolLegalWard")),
    ])
}

/// The school of a DN: its first `ou=` (`SchoolSearchBase.getOU`).
fn school_of(dn: &Dn) -> String {
    let ou = dn
        .rdns()
        .iter()
        .find(|rdn| rdn.attr().eq_ignore_ascii_case("ou"));
    ou.map(|rdn| rdn.value().to_string()).unwrap_or_default()
}

/// Kelvin's `roles`: the user roles of the `<role>:school:<school>` entries,
/// as a set (a teacher of two schools is one `teacher`; exam users are
/// students).
fn school_roles(ucsschool_roles: &[String]) -> BTreeSet<String> {
    ucsschool_roles
        .iter()
        .filter_map(|entry| entry.parse::<UcsschoolRole>().ok())
        .filter(UcsschoolRole::is_school_context)
        .filter_map(|entry| Some(entry.user_role()?.as_str().to_string()))
        .collect()
}

/// The school classes (`classes`) or workgroups among a user's groups, by
/// school, as Kelvin names them: `cn=<school>-<name>,cn=klassen,cn=schueler,
/// cn=groups,ou=<school>,...` for classes, `cn=<school>-<name>,cn=schueler,
/// cn=groups,ou=<school>,...` for workgroups.
fn memberships(groups: &[Dn], schools: &[String], classes: bool) -> BTreeMap<String, Vec<String>> {
    let path: &[&str] = if classes {
        &["klassen", "schueler", "groups"]
    } else {
        &["schueler", "groups"]
    };
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for group in groups {
        let rdns = group.rdns();
        let Some(ou) = rdns.get(path.len() + 1) else {
            continue;
        };
        let containers = &rdns[1..=path.len()];
        let below = containers.iter().zip(path).all(|(rdn, cn)| {
            rdn.attr().eq_ignore_ascii_case("cn") && rdn.value().eq_ignore_ascii_case(cn)
        });
        let school = schools.iter().find(|s| s.eq_ignore_ascii_case(ou.value()));
        if let (true, true, Some(school)) = (below, ou.attr().eq_ignore_ascii_case("ou"), school) {
            let name = rdns[0].value();
            let name = name.strip_prefix(&format!("{school}-")).unwrap_or(name);
            out.entry(school.clone())
                .or_default()
                .push(name.to_string());
        }
    }
    out.values_mut().for_each(|names| names.sort());
    out
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn flag(value: Option<&Value>) -> String {
    match value {
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::String(s)) => (s == "1" || s.eq_ignore_ascii_case("true")).to_string(),
        _ => "false".into(),
    }
}

fn sorted(values: impl IntoIterator<Item = String>) -> String {
    let mut values: Vec<String> = values.into_iter().collect();
    values.sort();
    values.join(", ")
}

fn show(map: &BTreeMap<String, Vec<String>>) -> String {
    let parts: Vec<String> = map
        .iter()
        .map(|(school, names)| format!("{school}: {}", names.join(", ")))
        .collect();
    parts.join("; ")
}

fn print_report(joined: &[Joined], made: &[String]) {
    // the student in full: it has every field set
    if let Some(j) = joined.iter().find(|j| made.get(1) == Some(&j.user.name)) {
        println!("{} ({}):", j.user.name, j.user.dn);
        for c in &j.checks {
            let mark = if c.agrees() { "=" } else { "!=" };
            println!("  {:<16} {mark} {:<24} {}", c.field, c.udm, c.kelvin_value);
            if !c.agrees() {
                println!("  {:<16}   {:<24} UDM: {}", "", "", c.udm_value);
            }
        }
    }
    println!("joined:");
    for j in joined {
        let same = j.by_dn.as_ref().and_then(|o| o.dn()) == j.by_import_id.as_ref();
        let disagree: Vec<&str> = j
            .checks
            .iter()
            .filter(|c| !c.agrees())
            .map(|c| c.field)
            .collect();
        println!(
            "  {:<14} by DN: {:<3} by (source_uid, record_uid): {:<9} fields: {}",
            j.user.name,
            if j.by_dn.is_some() { "yes" } else { "no" },
            match (&j.by_import_id, same) {
                (Some(_), true) => "same DN",
                (Some(_), false) => "other DN",
                (None, _) => "no ids",
            },
            if disagree.is_empty() {
                format!("all {} agree", j.checks.len())
            } else {
                format!("differ in {}", disagree.join(", "))
            }
        );
    }
}

#[allow(dead_code)]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let mut _sim = None;
    let (ucs, school, domain) = if std::env::var_os("UCS_HOST").is_some() {
        let ucs = ucs::Ucs::from_env()?;
        let school = match std::env::var("EXAMPLE_SCHOOL") {
            Ok(school) => school,
            Err(_) => ucs
                .kelvin()
                .schools()
                .search(None)
                .await?
                .first()
                .map(|s| s.name.clone())
                .ok_or("the server has no school")?,
        };
        (ucs, school, std::env::var("EXAMPLE_MAIL_DOMAIN").ok())
    } else {
        let sim = ucs_sim::Sim::builder().spawn().await?;
        println!("(using the embedded emulator at {})", sim.base_url());
        let (user, password) = sim.admin();
        let ucs = ucs::Ucs::connect(sim.base_url(), user, password)?;
        _sim = Some(sim);
        (
            ucs,
            "DEMOSCHOOL".to_string(),
            Some("example.com".to_string()),
        )
    };
    run(ucs.kelvin(), ucs.udm(), &school, domain.as_deref()).await?;
    Ok(())
}
