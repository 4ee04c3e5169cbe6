//! Which resource a request path names, matched like the server's URL table: on the raw,
//! still percent-encoded path, after the proxy in front of it merged repeated slashes.

use super::quote::{decode_path, unquote_dn};

/// The module families of the server's `/udm/<module_type>/` listings and the module each
/// stands for (`object` for every module, `container` for the container modules).
pub(crate) const MODULE_TYPES: [(&str, &str); 20] = [
    ("users", "users/user"),
    ("contacts", "users/contact"),
    ("computers", "computers/computer"),
    ("groups", "groups/group"),
    ("networks", "networks/network"),
    ("dhcp", "dhcp/dhcp"),
    ("dns", "dns/dns"),
    ("shares", "shares/share"),
    ("printers", "shares/print"),
    ("mail", "mail/mail"),
    ("nagios", "nagios/nagios"),
    ("policies", "policies/policy"),
    ("self", "users/self"),
    ("portal", "portals/all"),
    ("saml", "saml/serviceprovider"),
    ("appcenter", "appcenter/app"),
    ("kerberos", "kerberos/kdcentry"),
    ("settings", "settings/settings"),
    ("navigation", "object"),
    ("container", "container"),
];

/// A resource of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    /// `/udm/`: the module list.
    Root,
    /// `/udm/openapi.json`.
    OpenApi,
    /// `/udm/ldap/base/`: redirect to the base object.
    LdapBase,
    /// `/udm/object/{dn}`: redirect to the object's URL.
    ObjectByDn(String),
    /// `/udm/object/{uuid}`.
    ObjectByUuid(String),
    /// `/udm/<module_type>/`.
    ModuleType(&'static str),
    /// `/udm/<module>/`: search and create.
    Collection(String),
    /// `/udm/<module>/add`: the template.
    Template(String),
    /// `/udm/<module>/<dn>`.
    Object(String, String),
    /// `/udm/progress/<uuid>`.
    Progress(String),
    /// A DN whose encoding is not UTF-8 (400).
    Invalid(String),
    /// Nothing the server serves (its 404 handler).
    Nothing,
}

/// Why a path cannot be routed at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refused {
    /// An encoded slash: the proxy answers 404 itself.
    EncodedSlash,
    /// A DN whose percent-encoding is not UTF-8 (400 `Invalid unicode in url`).
    InvalidUnicode(String),
}

/// Repeated slashes merged into one, as the proxy does.
pub(crate) fn merge_slashes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

fn is_name(segment: &str) -> bool {
    !segment.is_empty()
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| {
            g.len() == n
                && g.bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
        })
}

/// Whether a raw path part is a DN the server routes: it ends with the LDAP base (as spelled
/// in the configuration) or `cn=internal`, optionally after `<attr>=<value>,`; `=` and `,` may
/// be percent-encoded.
fn is_routed_dn(raw: &str, base: &str) -> bool {
    let text = raw
        .replace("%3d", "=")
        .replace("%3D", "=")
        .replace("%2c", ",")
        .replace("%2C", ",");
    let Some(prefix) = text
        .strip_suffix(base)
        .or_else(|| text.strip_suffix("cn=internal"))
    else {
        return false;
    };
    if prefix.is_empty() {
        return true;
    }
    let Some(head) = prefix.strip_suffix(',') else {
        return false;
    };
    let before_slash = head.find('/').unwrap_or(head.len());
    head.char_indices()
        .any(|(i, c)| c == '=' && i >= 1 && i < before_slash && i + 1 < head.len())
}

fn dn_of(raw: &str) -> Result<String, Refused> {
    decode_path(raw)
        .map(|d| unquote_dn(&d))
        .ok_or_else(|| Refused::InvalidUnicode(raw.chars().take(40).collect()))
}

/// Routes the path below `/univention/udm` (starting with `/`, slashes already merged).
pub(crate) fn route(rest: &str, base: &str) -> Result<Route, Refused> {
    if rest.to_ascii_lowercase().contains("%2f") {
        return Err(Refused::EncodedSlash);
    }
    let fixed = match rest {
        "/" | "/index.html" => Some(Route::Root),
        "/openapi.json" => Some(Route::OpenApi),
        "/ldap/base/" => Some(Route::LdapBase),
        _ => None,
    };
    if let Some(route) = fixed {
        return Ok(route);
    }
    let Some(path) = rest.strip_prefix('/') else {
        return Ok(Route::Nothing);
    };
    if let Some(raw) = path.strip_prefix("object/") {
        if is_routed_dn(raw, base) {
            return Ok(Route::ObjectByDn(dn_of(raw)?));
        }
        if is_uuid(raw) {
            return Ok(Route::ObjectByUuid(raw.to_string()));
        }
    }
    if let Some(id) = path.strip_prefix("progress/").filter(|id| is_uuid(id)) {
        return Ok(Route::Progress(id.to_string()));
    }
    if let Some(name) = path.strip_suffix('/') {
        if let Some((key, _)) = MODULE_TYPES.iter().find(|(key, _)| *key == name) {
            return Ok(Route::ModuleType(key));
        }
    }
    module_route(path, base)
}

fn module_route(path: &str, base: &str) -> Result<Route, Refused> {
    let mut parts = path.splitn(3, '/');
    let (Some(family), Some(name), Some(rest)) = (parts.next(), parts.next(), parts.next()) else {
        return Ok(Route::Nothing);
    };
    if !is_name(family) || !is_name(name) {
        return Ok(Route::Nothing);
    }
    let module = format!("{family}/{name}");
    Ok(match rest {
        "" => Route::Collection(module),
        "add" => Route::Template(module),
        raw if is_routed_dn(raw, base) => Route::Object(module, dn_of(raw)?),
        _ => Route::Nothing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "dc=example,dc=com";

    #[test]
    fn routes_like_the_url_table() {
        let r = |p: &str| route(p, BASE).unwrap();
        assert_eq!(r("/"), Route::Root);
        assert_eq!(r("/ldap/base/"), Route::LdapBase);
        assert_eq!(r("/users/"), Route::ModuleType("users"));
        assert_eq!(r("/users"), Route::Nothing);
        assert_eq!(r("/users/user/"), Route::Collection("users/user".into()));
        assert_eq!(r("/users/user"), Route::Nothing);
        assert_eq!(r("/users/user/add"), Route::Template("users/user".into()));
        assert_eq!(
            r("/users/user/uid%3Da%2Ccn%3Dusers%2Cdc%3Dexample%2Cdc%3Dcom"),
            Route::Object(
                "users/user".into(),
                "uid=a,cn=users,dc=example,dc=com".into()
            )
        );
        assert_eq!(
            r("/container/cn/cn=a/b,dc=example,dc=com"),
            Route::Object("container/cn".into(), "cn=a/b,dc=example,dc=com".into())
        );
        assert_eq!(
            r("/users/user/uid=a,cn=users,dc=EXAMPLE,dc=com"),
            Route::Nothing,
            "the base must be spelled as configured"
        );
        assert_eq!(r("/users/user/uid=a,cn=users"), Route::Nothing);
        assert_eq!(
            r("/object/dc=example,dc=com"),
            Route::ObjectByDn(BASE.into())
        );
        let id = "0a1b2c3d-0000-4000-8000-00000000abcd";
        assert_eq!(r(&format!("/progress/{id}")), Route::Progress(id.into()));
        assert_eq!(r(&format!("/object/{id}")), Route::ObjectByUuid(id.into()));
        assert_eq!(
            r("/progress/0A1B2C3D-0000-4000-8000-00000000ABCD"),
            Route::Nothing
        );
        assert_eq!(
            route("/container/cn/cn=a%2Fb,dc=example,dc=com", BASE),
            Err(Refused::EncodedSlash)
        );
        assert_eq!(
            merge_slashes("/univention/udm//users//user/"),
            "/univention/udm/users/user/"
        );
    }
}
