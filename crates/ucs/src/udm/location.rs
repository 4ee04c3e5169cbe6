//! DNs in the URLs the server sends (`Location`, `uri`), encoded by its
//! `quote_dn` (utils.py, UCS 5.2-1): percent-encoded, `/` literal, `//`
//! written as `,/=/,`.

/// The DN of an object URL `<base>/<module>/<quoted dn>` (query and fragment
/// ignored). The DN is everything after the module path, so a DN with `/`
/// in it survives; `None` when the URL is not below `<base>/<module>/`.
pub(crate) fn dn_from_object_url(url: &str, base: &str, module: &str) -> Option<String> {
    let url = url.split(['?', '#']).next()?;
    let prefix = format!("{}/{}/", base.trim_end_matches('/'), module);
    let quoted = url
        .strip_prefix(&prefix)
        .or_else(|| path_after(url, &prefix))?;
    let dn = percent_encoding::percent_decode_str(quoted)
        .decode_utf8()
        .ok()?
        .replace(",/=/,", "//");
    (!dn.is_empty() && dn.contains('=')).then_some(dn)
}

/// The module and DN of any object URL `<base>/<family>/<name>/<quoted dn>`
/// (as the server's redirects name them), or `None` for other URLs.
pub(crate) fn module_and_dn(url: &str, base: &str) -> Option<(String, String)> {
    let path = url.split(['?', '#']).next()?;
    let prefix = format!("{}/", base.trim_end_matches('/'));
    let rest = path
        .strip_prefix(&prefix)
        .or_else(|| path_after(path, &prefix))?;
    let mut parts = rest.splitn(3, '/');
    let (family, name) = (parts.next()?, parts.next()?);
    let valid = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    if !valid(family) || !valid(name) {
        return None;
    }
    let module = format!("{family}/{name}");
    let dn = dn_from_object_url(path, base, &module)?;
    Some((module, dn))
}

/// `url`'s part after `prefix`, comparing paths only (the server may name
/// its host differently from the configured base).
fn path_after<'u>(url: &'u str, prefix: &str) -> Option<&'u str> {
    let path_of = |u: &str| -> Option<usize> {
        let start = u.find("://")? + 3;
        Some(start + u[start..].find('/')?)
    };
    let url_path = &url[path_of(url)?..];
    let prefix_path = &prefix[path_of(prefix)?..];
    let rest = url_path.strip_prefix(prefix_path)?;
    Some(&url[url.len() - rest.len()..])
}

#[cfg(test)]
mod tests {
    use super::{dn_from_object_url, module_and_dn};

    const BASE: &str = "https://h/univention/udm";

    #[test]
    fn dns_come_back_whole_also_with_slashes() {
        assert_eq!(
            dn_from_object_url(
                "https://h/univention/udm/users/user/uid%3Da%5C%2Cb%2Cdc%3Dx",
                BASE,
                "users/user"
            )
            .as_deref(),
            Some(r"uid=a\,b,dc=x")
        );
        assert_eq!(
            dn_from_object_url(
                "https://h/univention/udm/groups/group/cn%3Da/b%2Cdc%3Dx",
                BASE,
                "groups/group"
            )
            .as_deref(),
            Some("cn=a/b,dc=x")
        );
        assert_eq!(
            dn_from_object_url(
                "https://h/univention/udm/container/cn/cn%3Dhttp%3A,/=/,x%2Cdc%3Dx",
                BASE,
                "container/cn"
            )
            .as_deref(),
            Some("cn=http://x,dc=x")
        );
        assert_eq!(
            dn_from_object_url(
                "https://other:8443/univention/udm/users/user/uid%3Da%2Cdc%3Dx?x=1",
                BASE,
                "users/user"
            )
            .as_deref(),
            Some("uid=a,dc=x")
        );
    }

    #[test]
    fn module_and_dn_of_redirect_targets() {
        assert_eq!(
            module_and_dn(
                "https://h/univention/udm/container/dc/dc%3Dexample%2Cdc%3Dcom",
                BASE
            ),
            Some(("container/dc".into(), "dc=example,dc=com".into()))
        );
        assert_eq!(
            module_and_dn(
                "http://127.0.0.1:8/univention/udm/apps/my-app_x/cn%3Da/b%2Cdc%3Dx",
                BASE
            ),
            Some(("apps/my-app_x".into(), "cn=a/b,dc=x".into()))
        );
        assert_eq!(
            module_and_dn("https://h/univention/udm/users/user/", BASE),
            None
        );
        assert_eq!(
            module_and_dn("https://h/univention/udm/progress/1", BASE),
            None
        );
        assert_eq!(
            module_and_dn("https://h/elsewhere/users/user/uid%3Da", BASE),
            None
        );
    }

    #[test]
    fn other_urls_name_no_dn() {
        assert_eq!(
            dn_from_object_url("https://h/univention/udm/progress/12", BASE, "users/user"),
            None
        );
        assert_eq!(
            dn_from_object_url("https://h/univention/udm/users/user/", BASE, "users/user"),
            None
        );
    }
}
