//! The LDAP attributes of an entry as a search `filter` sees them: the server passes UDM
//! property names mapped to LDAP attributes and raw LDAP attributes (`objectClass`,
//! `univentionObjectType`, `entryUUID`, ...) through to LDAP, so both work.
//!
//! The object classes are those a UCS 5.2 / UCS@school 5.2 directory gives the entries of the
//! fully emulated modules (plus one per enabled UCS@school option), `univentionObject` and
//! `top` for the rest.

use crate::catalog::Catalog;
use crate::directory::{values, view};
use crate::store::{Object, Tree};

const USER_CLASSES: [&str; 12] = [
    "top",
    "person",
    "univentionPWHistory",
    "posixAccount",
    "shadowAccount",
    "sambaSamAccount",
    "krb5Principal",
    "krb5KDCEntry",
    "univentionMail",
    "organizationalPerson",
    "inetOrgPerson",
    "univentionObject",
];

/// Options that add an object class of the same name (users, groups).
const CLASS_OPTIONS: [&str; 8] = [
    "ucsschoolStudent",
    "ucsschoolTeacher",
    "ucsschoolStaff",
    "ucsschoolAdministrator",
    "ucsschoolExam",
    "ucsschoolLegalGuardian",
    "ucsschoolAdministratorGroup",
    "ucsschoolImportGroup",
];

fn base_classes(module: &str) -> &'static [&'static str] {
    match module {
        "users/user" => &USER_CLASSES,
        "users/ldap" => &[
            "top",
            "person",
            "organizationalPerson",
            "inetOrgPerson",
            "univentionObject",
        ],
        "groups/group" => &[
            "top",
            "posixGroup",
            "univentionGroup",
            "sambaGroupMapping",
            "univentionObject",
        ],
        "container/ou" => &["top", "organizationalUnit", "univentionObject"],
        "container/cn" => &["top", "organizationalRole", "univentionObject"],
        "container/dc" => &[
            "top",
            "domain",
            "sambaDomain",
            "krb5Realm",
            "univentionBase",
            "univentionObject",
        ],
        "mail/domain" => &["top", "univentionMailDomainname", "univentionObject"],
        _ => &["top", "univentionObject"],
    }
}

/// The `objectClass` values of an entry.
pub(crate) fn object_classes(object: &Object) -> Vec<String> {
    let mut out: Vec<String> = base_classes(&object.module)
        .iter()
        .map(|c| c.to_string())
        .collect();
    for option in CLASS_OPTIONS {
        if object.option(option) {
            out.push(option.to_string());
        }
    }
    if object.module == "container/ou" && object.option("UCSschool-School-OU") {
        out.push("ucsschoolOrganizationalUnit".into());
    }
    let has_role = !object.prop_list("ucsschoolRole").is_empty();
    if object.module == "groups/group" && has_role {
        out.push("ucsschoolGroup".into());
    }
    if object.module == "container/ou"
        && has_role
        && !out.iter().any(|c| c == "ucsschoolOrganizationalUnit")
    {
        out.push("ucsschoolOrganizationalUnit".into());
    }
    out
}

/// The UDM property an LDAP attribute holds, for the attributes whose names differ.
fn property_for_attribute<'a>(module: &str, attr: &'a str) -> &'a str {
    let lower = attr.to_ascii_lowercase();
    let family = module.split('/').next().unwrap_or("");
    let mapped = match (family, lower.as_str()) {
        ("users", "uid") => "username",
        ("users", "givenname") => "firstname",
        ("users", "sn") => "lastname",
        ("users", "mail") => "e-mail",
        ("users", "mailprimaryaddress") => "mailPrimaryAddress",
        ("users", "displayname") => "displayName",
        ("users", "ucsschoolschool") | ("groups", "ucsschoolschool") => "school",
        ("groups", "cn") | ("container", "ou") | ("container", "cn") | ("mail", "cn") => "name",
        ("groups", "uniquemember") => "users",
        ("users", "memberof") => "groups",
        _ => return attr,
    };
    mapped
}

/// The values of an attribute (LDAP name or UDM property name) as strings.
pub(crate) fn values_of(
    tree: &Tree,
    catalog: &Catalog,
    object: &Object,
    attr: &str,
) -> Vec<String> {
    match attr.to_ascii_lowercase().as_str() {
        "objectclass" => return object_classes(object),
        "univentionobjecttype" => return vec![object.module.clone()],
        "entryuuid" => return vec![object.uuid.clone()],
        "entrydn" => return vec![object.dn.clone()],
        "univentionobjectflag" | "objectflag" => {
            return if object.hidden {
                vec!["hidden".into()]
            } else {
                Vec::new()
            }
        }
        _ => {}
    }
    let name = property_for_attribute(&object.module, attr);
    view::shown_property(tree, catalog, object, |k| k.eq_ignore_ascii_case(name))
        .map(|v| values::search_strings(&v))
        .unwrap_or_default()
}

/// The sort key of the server-side sort (`by`): only `uid`, `uidNumber` and `cn` sort;
/// `None` for other names (the server then leaves the order alone).
pub(crate) fn sort_attribute(by: &str) -> Option<&'static str> {
    match by {
        "uid" => Some("uid"),
        "uidNumber" => Some("uidNumber"),
        "cn" => Some("cn"),
        _ => None,
    }
}

/// The value an entry sorts by (`None`: the entry lacks the attribute and sorts last).
pub(crate) fn sort_value(
    tree: &Tree,
    catalog: &Catalog,
    object: &Object,
    attr: &str,
) -> Option<SortValue> {
    let first = |name: &str| values_of(tree, catalog, object, name).into_iter().next();
    let text = match (object.module.split('/').next(), attr) {
        (Some("users"), "cn") => {
            let parts: Vec<String> = ["firstname", "lastname"]
                .iter()
                .filter_map(|p| first(p))
                .collect();
            Some(parts.join(" ")).filter(|s| !s.is_empty())
        }
        _ => first(attr),
    }?;
    Some(match attr {
        "uidNumber" => SortValue::Number(text.parse().unwrap_or(i64::MAX)),
        _ => SortValue::Text(text.to_lowercase()),
    })
}

/// A comparable sort value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum SortValue {
    /// `uidNumber` (integer ordering).
    Number(i64),
    /// Case-ignoring ordering.
    Text(String),
}
