//! Module-specific behaviour of the modules the simulator emulates fully (`users/user`,
//! `groups/group`, `container/ou`, `container/cn`, `mail/domain`): naming attribute, default
//! position, required properties, defaults, syntax and uniqueness checks. Every other module
//! gets generic storage: named by `cn=<name>` (or `uid=<username>`), no further checks.

use super::error::{Cause, FieldError};
use crate::store::Tree;
use serde_json::{json, Map, Value};
use ucs_ldap::canonical as dn;

/// Minimum password length (the UCS default password policy).
pub(crate) const MIN_PASSWORD_LENGTH: usize = 8;

/// How entries of a module are named: the RDN attribute and the property holding its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Naming {
    /// RDN attribute type (`uid`).
    pub attr: &'static str,
    /// Property with the RDN value (`username`).
    pub property: &'static str,
}

const UID: Naming = Naming {
    attr: "uid",
    property: "username",
};
const CN: Naming = Naming {
    attr: "cn",
    property: "name",
};

/// The naming of a module; for generic modules `rdn_attr` (of an existing entry) or the
/// given properties decide between `cn=<name>` and `uid=<username>`.
pub(crate) fn naming(
    module: &str,
    rdn_attr: Option<&str>,
    properties: &Map<String, Value>,
) -> Naming {
    match module {
        "users/user" | "users/ldap" => UID,
        "container/ou" => Naming {
            attr: "ou",
            property: "name",
        },
        "container/dc" => Naming {
            attr: "dc",
            property: "name",
        },
        "groups/group" | "container/cn" | "mail/domain" => CN,
        _ => match rdn_attr {
            Some("uid") => UID,
            Some(_) => CN,
            None if !properties.contains_key("name") && properties.contains_key("username") => UID,
            None => CN,
        },
    }
}

/// Where new entries of a module go when the request names no position.
pub(crate) fn default_position(module: &str, base: &str) -> String {
    let container = match module {
        "container/ou" | "container/cn" | "container/dc" => return base.to_string(),
        "mail/domain" => return format!("cn=domain,cn=mail,{base}"),
        _ => match module.split('/').next().unwrap_or("") {
            "users" => "users",
            "groups" => "groups",
            "computers" => "computers",
            "dns" => "dns",
            "dhcp" => "dhcp",
            "networks" => "networks",
            "policies" => "policies",
            "shares" => "shares",
            "mail" => "mail",
            _ => "univention",
        },
    };
    format!("cn={container},{base}")
}

/// The containers `default_position` can name, for seeding.
pub(crate) const DEFAULT_CONTAINERS: [&str; 10] = [
    "users",
    "groups",
    "computers",
    "dns",
    "dhcp",
    "networks",
    "policies",
    "shares",
    "mail",
    "univention",
];

/// Properties a new entry must have (`password` is checked separately).
pub(crate) fn required(module: &str) -> &'static [&'static str] {
    match module {
        "users/user" => &["username", "lastname", "password"],
        "groups/group" | "container/ou" | "container/cn" | "mail/domain" => &["name"],
        _ => &[],
    }
}

/// Static defaults a template (`<module>/add`) shows and a create fills in.
pub(crate) fn template_defaults(module: &str, base: &str) -> Map<String, Value> {
    let mut out = Map::new();
    match module {
        "users/user" => {
            out.insert("shell".into(), json!("/bin/bash"));
            out.insert("unixhome".into(), json!("/home/<username>"));
            out.insert(
                "primaryGroup".into(),
                json!(format!("cn=Domain Users,cn=groups,{base}")),
            );
            out.insert("disabled".into(), json!(false));
            out.insert("locked".into(), json!(false));
            out.insert("pwdChangeNextLogin".into(), json!(false));
            out.insert("overridePWHistory".into(), json!(false));
            out.insert("overridePWLength".into(), json!(false));
        }
        "groups/group" => {
            out.insert("sambaGroupType".into(), json!("2"));
            out.insert("adGroupType".into(), json!("-2147483646"));
        }
        "container/ou" | "container/cn" => {
            for path in [
                "policyPath",
                "dhcpPath",
                "dnsPath",
                "userPath",
                "groupPath",
                "computerPath",
                "domaincontrollerPath",
                "networkPath",
                "sharePath",
                "printerPath",
                "mailPath",
                "licensePath",
            ] {
                out.insert(path.into(), json!(false));
            }
        }
        _ => {}
    }
    out
}

fn is_blank(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        _ => false,
    }
}

/// Replaces template placeholders (`/home/<username>`) with the entry's values.
pub(crate) fn fill_placeholders(module: &str, properties: &mut Map<String, Value>) {
    if module != "users/user" {
        return;
    }
    let username = properties
        .get("username")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if let Some(Value::String(home)) = properties.get_mut("unixhome") {
        if home.contains("<username>") {
            *home = home.replace("<username>", &username);
        }
    }
}

/// Fills in defaults and generated values (ID numbers, display name, home directory) for
/// a new entry.
pub(crate) fn fill_create_defaults(
    tree: &mut Tree,
    module: &str,
    properties: &mut Map<String, Value>,
) {
    let base = tree.base_dn().to_string();
    for (key, value) in template_defaults(module, &base) {
        if properties.get(&key).is_none_or(Value::is_null) {
            properties.insert(key, value);
        }
    }
    match module {
        "users/user" => {
            fill_placeholders(module, properties);
            if is_blank(properties.get("uidNumber")) {
                let uid = tree.next_uid_number();
                properties.insert("uidNumber".into(), json!(uid));
            }
            if is_blank(properties.get("gidNumber")) {
                let gid = properties
                    .get("primaryGroup")
                    .and_then(Value::as_str)
                    .and_then(|g| tree.find(g))
                    .and_then(|g| g.properties.get("gidNumber").cloned());
                if let Some(gid) = gid {
                    properties.insert("gidNumber".into(), gid);
                }
            }
            let full_name = [properties.get("firstname"), properties.get("lastname")]
                .iter()
                .filter_map(|v| v.and_then(Value::as_str))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            for key in ["displayName", "gecos"] {
                if is_blank(properties.get(key)) && !full_name.is_empty() {
                    properties.insert(key.into(), json!(full_name));
                }
            }
        }
        "groups/group" if is_blank(properties.get("gidNumber")) => {
            let gid = tree.next_gid_number();
            properties.insert("gidNumber".into(), json!(gid));
        }
        _ => {}
    }
}

/// Whether a user name is valid for UDM (letters, digits, `.`, `_`, `-`; starting and
/// ending with a letter or digit).
pub(crate) fn is_valid_username(name: &str) -> bool {
    let chars: Vec<char> = name.chars().collect();
    match (chars.first(), chars.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && chars
                    .iter()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
                && chars.len() <= 256
        }
        _ => false,
    }
}

/// Whether a mail domain name is syntactically valid.
pub(crate) fn is_valid_domain(name: &str) -> bool {
    let labels: Vec<&str> = name.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Checks a new password against the default password policy.
pub(crate) fn check_password(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_LENGTH {
        Err(format!(
            "Password policy error: The password is too short, at least {MIN_PASSWORD_LENGTH} characters needed!"
        ))
    } else {
        Ok(())
    }
}

/// Whether an entry other than `own_key` has `value` in the identifying `property`
/// (compared as the directory compares it, see `Tree::with_value`).
fn taken(tree: &Tree, module: &str, property: &str, value: &str, own_key: Option<&str>) -> bool {
    tree.with_value(module, property, value)
        .any(|o| Some(dn::key_of_canonical(&o.dn).as_str()) != own_key)
}

/// The text of a string property; empty when it is absent or no string.
fn text<'a>(properties: &'a Map<String, Value>, name: &str) -> &'a str {
    properties.get(name).and_then(Value::as_str).unwrap_or("")
}

/// A user's `username`: its syntax, and no other user has it.
fn check_username(
    tree: &Tree,
    properties: &Map<String, Value>,
    own_key: Option<&str>,
    errors: &mut Vec<FieldError>,
) {
    let username = text(properties, "username");
    if username.is_empty() {
        return;
    }
    if !is_valid_username(username) {
        errors.push(FieldError::property(
            "username",
            format!("The property username has an invalid value: {username:?} is not a valid user name (letters, digits, '.', '_', '-')"),
        ).because(Cause::Syntax));
    } else if taken(tree, "users/user", "username", username, own_key) {
        errors.push(
            FieldError::property(
                "username",
                format!("The username {username:?} is already in use"),
            )
            .because(Cause::NameTaken {
                kind: "uid",
                value: username.to_string(),
            }),
        );
    }
}

/// A user's `mailPrimaryAddress`: its domain is a mail domain entry, and no other user has it.
fn check_user_mail(
    tree: &Tree,
    properties: &Map<String, Value>,
    own_key: Option<&str>,
    errors: &mut Vec<FieldError>,
) {
    let mail = text(properties, "mailPrimaryAddress");
    if mail.is_empty() {
        return;
    }
    let domain = mail.rsplit_once('@').map(|(_, d)| d).unwrap_or("");
    if !tree.of_module("mail/domain").any(|d| {
        d.prop_str("name")
            .is_some_and(|n| n.eq_ignore_ascii_case(domain))
    }) {
        errors.push(FieldError::property(
            "mailPrimaryAddress",
            format!("The mail address' domain {domain:?} does not match any mail domain object"),
        ));
    } else if taken(tree, "users/user", "mailPrimaryAddress", mail, own_key) {
        errors.push(
            FieldError::property(
                "mailPrimaryAddress",
                format!("The email address {mail:?} is already in use"),
            )
            .because(Cause::MailTaken(mail.to_string())),
        );
    }
}

/// A user's `primaryGroup`: a group entry.
fn check_primary_group(tree: &Tree, properties: &Map<String, Value>, errors: &mut Vec<FieldError>) {
    let primary = text(properties, "primaryGroup");
    if !primary.is_empty()
        && tree
            .find(primary)
            .is_none_or(|g| g.module != "groups/group")
    {
        errors.push(FieldError::property(
            "primaryGroup",
            format!("The primary group {primary} does not exist"),
        ));
    }
}

/// A group's `name`: no line breaks, and no other group has it.
fn check_group_name(
    tree: &Tree,
    properties: &Map<String, Value>,
    own_key: Option<&str>,
    errors: &mut Vec<FieldError>,
) {
    let name = text(properties, "name");
    if name.contains(['\n', '\r']) {
        errors.push(
            FieldError::property(
                "name",
                "The property name has an invalid value: no line breaks",
            )
            .because(Cause::Syntax),
        );
    } else if !name.is_empty() && taken(tree, "groups/group", "name", name, own_key) {
        errors.push(
            FieldError::property("name", format!("The groupname {name:?} is already in use"))
                .because(Cause::NameTaken {
                    kind: "group",
                    value: name.to_string(),
                }),
        );
    }
}

/// A mail domain's `name`: a domain name.
fn check_domain_name(properties: &Map<String, Value>, errors: &mut Vec<FieldError>) {
    let name = text(properties, "name");
    if !name.is_empty() && !is_valid_domain(name) {
        errors.push(
            FieldError::property(
                "name",
                format!("The property name has an invalid value: {name:?} is not a domain name"),
            )
            .because(Cause::Syntax),
        );
    }
}

/// Module-specific syntax and uniqueness checks of the resulting properties.
pub(crate) fn validate(
    tree: &Tree,
    module: &str,
    properties: &Map<String, Value>,
    own_key: Option<&str>,
    errors: &mut Vec<FieldError>,
) {
    match module {
        "users/user" => {
            check_username(tree, properties, own_key, errors);
            check_user_mail(tree, properties, own_key, errors);
            check_primary_group(tree, properties, errors);
        }
        "groups/group" => check_group_name(tree, properties, own_key, errors),
        "mail/domain" => check_domain_name(properties, errors),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_and_domain_syntax() {
        assert!(is_valid_username("demo_student"));
        assert!(is_valid_username("a"));
        assert!(!is_valid_username("-a"));
        assert!(!is_valid_username("a b"));
        assert!(!is_valid_username(""));
        assert!(is_valid_domain("example.com"));
        assert!(!is_valid_domain("localhost"));
        assert!(!is_valid_domain("a..com"));
        assert!(check_password("univention").is_ok());
        assert!(check_password("short").is_err());
    }

    #[test]
    fn positions_and_naming() {
        assert_eq!(default_position("users/user", "dc=x"), "cn=users,dc=x");
        assert_eq!(
            default_position("mail/domain", "dc=x"),
            "cn=domain,cn=mail,dc=x"
        );
        assert_eq!(
            default_position("portals/entry", "dc=x"),
            "cn=univention,dc=x"
        );
        assert_eq!(default_position("container/ou", "dc=x"), "dc=x");
        assert_eq!(naming("container/ou", None, &Map::new()).attr, "ou");
        let mut props = Map::new();
        props.insert("username".into(), json!("x"));
        assert_eq!(naming("users/contact", None, &props), UID);
        assert_eq!(naming("users/contact", Some("cn"), &props), CN);
    }
}
