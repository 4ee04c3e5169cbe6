//! pydantic 1.10's `HttpUrl` (`pydantic/networks.py`): the URL grammar of its `url_regex`,
//! the checks of `AnyUrl.validate` in their order, its error messages and its `repr()`.
//! Every reference field of a Kelvin body (`school`, `schools`, `roles`, `users`) is one.

use super::error::ValidationError;
use super::fields::coerce_str;
use super::py::repr;
use serde_json::{json, Value};

/// Longest URL an `HttpUrl` takes.
const MAX_LENGTH: usize = 2083;

/// A valid `HttpUrl` and its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HttpUrl {
    /// The URL as given (whitespace stripped).
    pub raw: String,
    /// `http` or `https` (as written).
    pub scheme: String,
    user: Option<String>,
    password: Option<String>,
    host: String,
    tld: Option<String>,
    host_type: &'static str,
    port: String,
    /// The path as written (still percent-encoded).
    pub path: Option<String>,
    query: Option<String>,
    fragment: Option<String>,
}

/// Why a value is not an `HttpUrl`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UrlError {
    msg: String,
    kind: &'static str,
    ctx: Option<Value>,
}

impl UrlError {
    fn new(msg: impl Into<String>, kind: &'static str) -> Self {
        Self {
            msg: msg.into(),
            kind,
            ctx: None,
        }
    }

    fn ctx(mut self, ctx: Value) -> Self {
        self.ctx = Some(ctx);
        self
    }

    /// The validation error at `loc`.
    pub fn at(&self, loc: Vec<Value>) -> ValidationError {
        let error = ValidationError::new(loc, self.msg.clone(), self.kind);
        match &self.ctx {
            Some(ctx) => error.with_ctx(ctx.clone()),
            None => error,
        }
    }
}

/// The parts `url_regex` matches, with the position where the match ended.
#[derive(Default)]
struct Parts {
    scheme: Option<String>,
    user: Option<String>,
    password: Option<String>,
    ipv4: Option<String>,
    ipv6: Option<String>,
    domain: Option<String>,
    port: Option<String>,
    path: Option<String>,
    query: Option<String>,
    fragment: Option<String>,
    end: usize,
}

fn run(s: &[char], from: usize, allowed: impl Fn(char) -> bool) -> usize {
    let mut i = from;
    while i < s.len() && allowed(s[i]) {
        i += 1;
    }
    i
}

fn text(s: &[char], from: usize, to: usize) -> String {
    s[from..to].iter().collect()
}

fn scheme(s: &[char]) -> Option<(String, usize)> {
    let first = s.first().copied()?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    let end = run(s, 1, |c| {
        c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')
    });
    // greedy, then backtracking to a `://`: the last `://` within the run's reach
    (2..=end)
        .rev()
        .find(|&e| s.get(e..e + 3) == Some(&[':', '/', '/'][..]))
        .map(|e| (text(s, 0, e), e + 3))
}

/// `(?:(?P<user>[^\s:/]*)(?::(?P<password>[^\s/]*))?@)?`
fn user_info(s: &[char], at: usize) -> Option<(String, Option<String>, usize)> {
    let user_end = run(s, at, |c| !c.is_whitespace() && c != ':' && c != '/');
    if s.get(user_end) == Some(&':') {
        let pass_end = run(s, user_end + 1, |c| !c.is_whitespace() && c != '/');
        if let Some(a) = (user_end + 1..pass_end).rev().find(|&i| s[i] == '@') {
            return Some((text(s, at, user_end), Some(text(s, user_end + 1, a)), a + 1));
        }
    }
    (at..user_end)
        .rev()
        .find(|&i| s[i] == '@')
        .map(|a| (text(s, at, a), None, a + 1))
}

fn host_end_ok(s: &[char], i: usize) -> bool {
    i == s.len() || matches!(s[i], '/' | ':' | '#' | '?')
}

fn ipv4(s: &[char], at: usize) -> Option<usize> {
    let mut i = at;
    for group in 0..4 {
        let end = run(s, i, |c| c.is_ascii_digit());
        if end == i || end - i > 3 {
            return None;
        }
        i = end;
        if group < 3 {
            if s.get(i) != Some(&'.') {
                return None;
            }
            i += 1;
        }
    }
    host_end_ok(s, i).then_some(i)
}

fn ipv6(s: &[char], at: usize) -> Option<usize> {
    if s.get(at) != Some(&'[') {
        return None;
    }
    let end = run(s, at + 1, |c| c.is_ascii_hexdigit() || c == ':');
    let inner = &s[at + 1..end];
    let ok = s.get(end) == Some(&']')
        && inner.contains(&':')
        && inner.iter().skip_while(|c| **c != ':').count() >= 2;
    (ok && host_end_ok(s, end + 1)).then_some(end + 1)
}

fn match_url(s: &[char]) -> Parts {
    let mut p = Parts::default();
    let mut i = 0;
    if let Some((sch, next)) = scheme(s) {
        p.scheme = Some(sch);
        i = next;
    }
    if let Some((user, password, next)) = user_info(s, i) {
        p.user = Some(user);
        p.password = password;
        i = next;
    }
    if let Some(end) = ipv4(s, i) {
        p.ipv4 = Some(text(s, i, end));
        i = end;
    } else if let Some(end) = ipv6(s, i) {
        p.ipv6 = Some(text(s, i, end));
        i = end;
    } else {
        let end = run(s, i, |c| {
            !c.is_whitespace() && !matches!(c, '/' | ':' | '?' | '#')
        });
        if end > i {
            p.domain = Some(text(s, i, end));
            i = end;
        }
    }
    if s.get(i) == Some(&':') {
        let end = run(s, i + 1, |c| c.is_ascii_digit());
        if end > i + 1 {
            p.port = Some(text(s, i + 1, end));
            i = end;
        }
    }
    if s.get(i) == Some(&'/') {
        let end = run(s, i, |c| !c.is_whitespace() && c != '?' && c != '#');
        p.path = Some(text(s, i, end));
        i = end;
    }
    if s.get(i) == Some(&'?') {
        let end = run(s, i + 1, |c| !c.is_whitespace() && c != '#');
        p.query = Some(text(s, i + 1, end));
        i = end;
    }
    if s.get(i) == Some(&'#') {
        let end = run(s, i + 1, |c| !c.is_whitespace() && c != '#');
        p.fragment = Some(text(s, i + 1, end));
        i = end;
    }
    p.end = i;
    p
}

fn ascii_label(label: &str) -> bool {
    let ok = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let n = label.chars().count();
    (1..=63).contains(&n)
        && label.starts_with(ok)
        && label.ends_with(ok)
        && label.chars().all(|c| ok(c) || c == '-')
}

fn int_label(label: &str) -> bool {
    let ok =
        |c: char| c.is_ascii_digit() || c == '_' || c.is_ascii_alphabetic() || (c as u32) > 0x7f;
    let n = label.chars().count();
    (1..=63).contains(&n)
        && label.starts_with(ok)
        && label.ends_with(ok)
        && label.chars().all(|c| ok(c) || c == '-')
}

fn is_tld(label: &str, international: bool) -> bool {
    let n = label.chars().count();
    let letters = if international {
        label.chars().all(char::is_alphabetic) || (label.starts_with("xn--") && n >= 6)
    } else {
        label.chars().all(|c| c.is_ascii_alphabetic())
    };
    (2..=63).contains(&n) && letters
}

/// `validate_host` for a domain: `(host_type, tld)`.
fn domain_host(host: &str) -> Result<(&'static str, Option<String>), UrlError> {
    let trimmed = host.strip_suffix('.').unwrap_or(host);
    let labels: Vec<&str> = trimmed.split('.').collect();
    let ascii = labels.iter().all(|l| ascii_label(l));
    if !ascii && !labels.iter().all(|l| int_label(l)) {
        return Err(UrlError::new("URL host invalid", "value_error.url.host"));
    }
    let last = labels.last().copied().unwrap_or("");
    let tld = (labels.len() > 1 && is_tld(last, !ascii || !is_tld(last, false)))
        .then(|| last.to_string());
    if tld.is_none() {
        return Err(UrlError::new(
            "URL host invalid, top level domain required",
            "value_error.url.host",
        ));
    }
    let international = !ascii || tld.as_deref().is_some_and(|t| !is_tld(t, false));
    Ok((
        if international {
            "int_domain"
        } else {
            "domain"
        },
        tld,
    ))
}

/// Checks a value as `HttpUrl.validate` does.
pub(crate) fn validate(value: &Value) -> Result<HttpUrl, UrlError> {
    let raw =
        coerce_str(value).ok_or_else(|| UrlError::new("str type expected", "type_error.str"))?;
    let raw = raw.trim().to_string();
    let s: Vec<char> = raw.chars().collect();
    if s.is_empty() {
        return Err(UrlError::new(
            "ensure this value has at least 1 characters",
            "value_error.any_str.min_length",
        )
        .ctx(json!({"limit_value": 1})));
    }
    if s.len() > MAX_LENGTH {
        return Err(UrlError::new(
            format!("ensure this value has at most {MAX_LENGTH} characters"),
            "value_error.any_str.max_length",
        )
        .ctx(json!({"limit_value": MAX_LENGTH})));
    }
    let p = match_url(&s);
    let scheme = p
        .scheme
        .clone()
        .ok_or_else(|| UrlError::new("invalid or missing URL scheme", "value_error.url.scheme"))?;
    if !matches!(scheme.to_lowercase().as_str(), "http" | "https") {
        return Err(
            UrlError::new("URL scheme not permitted", "value_error.url.scheme")
                .ctx(json!({"allowed_schemes": ["http", "https"]})),
        );
    }
    let port = p
        .port
        .clone()
        .unwrap_or_else(|| if scheme == "http" { "80" } else { "443" }.into());
    if port.trim_start_matches('0').len() > 5 || port.parse::<u32>().unwrap_or(0) > 65_535 {
        return Err(UrlError::new(
            "URL port invalid, port cannot exceed 65535",
            "value_error.url.port",
        ));
    }
    if p.end != s.len() {
        let extra = text(&s, p.end, s.len());
        return Err(UrlError::new(
            format!(
                "URL invalid, extra characters found after valid URL: {}",
                repr(&extra)
            ),
            "value_error.url.extra",
        )
        .ctx(json!({"extra": extra})));
    }
    let (host, host_type, tld) = match (&p.domain, &p.ipv4, &p.ipv6) {
        (Some(d), _, _) => {
            let (kind, tld) = domain_host(d)?;
            (d.clone(), kind, tld)
        }
        (None, Some(ip), _) => (ip.clone(), "ipv4", None),
        (None, None, Some(ip)) => (ip.clone(), "ipv6", None),
        _ => return Err(UrlError::new("URL host invalid", "value_error.url.host")),
    };
    Ok(HttpUrl {
        raw,
        scheme,
        user: p.user,
        password: p.password,
        host,
        tld,
        host_type,
        port,
        path: p.path,
        query: p.query,
        fragment: p.fragment,
    })
}

impl HttpUrl {
    /// pydantic's `repr()`: `HttpUrl('…', scheme='https', host='…', …)`.
    pub fn py_repr(&self) -> String {
        let mut extra = vec![format!("scheme={}", repr(&self.scheme))];
        let optional = [("user", &self.user), ("password", &self.password)];
        for (name, value) in optional {
            if let Some(v) = value {
                extra.push(format!("{name}={}", repr(v)));
            }
        }
        extra.push(format!("host={}", repr(&self.host)));
        if let Some(tld) = &self.tld {
            extra.push(format!("tld={}", repr(tld)));
        }
        extra.push(format!("host_type={}", repr(self.host_type)));
        extra.push(format!("port={}", repr(&self.port)));
        for (name, value) in [
            ("path", &self.path),
            ("query", &self.query),
            ("fragment", &self.fragment),
        ] {
            if let Some(v) = value {
                extra.push(format!("{name}={}", repr(v)));
            }
        }
        format!("HttpUrl({}, {})", repr(&self.raw), extra.join(", "))
    }

    /// The URL after the server's `unscheme_and_unquote`: scheme `http`, path unquoted.
    pub fn unschemed(&self) -> (String, String) {
        let rest = &self.raw[self.scheme.len() + 3..];
        let netloc_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let netloc = &rest[..netloc_end];
        let path = crate::query::decode_path(self.path.as_deref().unwrap_or(""));
        let mut url = format!("http://{netloc}{path}");
        if let Some(q) = &self.query {
            url.push('?');
            url.push_str(q);
        }
        if let Some(f) = &self.fragment {
            url.push('#');
            url.push_str(f);
        }
        (url, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(v: &str) -> String {
        match validate(&json!(v)) {
            Ok(_) => "ok".into(),
            Err(e) => format!("{} {}", e.kind, e.msg),
        }
    }

    #[test]
    fn accepts_and_refuses_like_pydantic() {
        assert_eq!(
            kind("https://127.0.0.1:40501/ucsschool/kelvin/v1/roles/student"),
            "ok"
        );
        assert_eq!(kind("http://other.example.com/x?y=1#z"), "ok");
        assert_eq!(kind(" https://h.example.invalid/a "), "ok");
        assert_eq!(
            kind("student"),
            "value_error.url.scheme invalid or missing URL scheme"
        );
        assert_eq!(
            kind("ftp://127.0.0.1/x"),
            "value_error.url.scheme URL scheme not permitted"
        );
        assert_eq!(
            kind("https://localhost/x"),
            "value_error.url.host URL host invalid, top level domain required"
        );
        assert_eq!(
            kind("https://ex!ample.com/x"),
            "value_error.url.host URL host invalid"
        );
        assert_eq!(
            kind("https://h.com:99999/"),
            "value_error.url.port URL port invalid, port cannot exceed 65535"
        );
        assert_eq!(
            kind("https://h.com/a b"),
            "value_error.url.extra URL invalid, extra characters found after valid URL: ' b'"
        );
        assert_eq!(
            kind(""),
            "value_error.any_str.min_length ensure this value has at least 1 characters"
        );
        assert_eq!(kind("https://[::1]/x"), "ok");
        assert_eq!(kind("https://u:p@w@h.com/x"), "ok");
    }

    #[test]
    fn repr_and_unscheme() {
        let url = validate(&json!(
            "https://127.0.0.1:40501/ucsschool/kelvin/v1/schools/"
        ))
        .unwrap();
        assert_eq!(
            url.py_repr(),
            "HttpUrl('https://127.0.0.1:40501/ucsschool/kelvin/v1/schools/', scheme='https', host='127.0.0.1', host_type='ipv4', port='40501', path='/ucsschool/kelvin/v1/schools/')"
        );
        let url = validate(&json!("HTTPS://h.example.com/a/stu%64ent?x=1")).unwrap();
        assert_eq!(
            url.unschemed(),
            (
                "http://h.example.com/a/student?x=1".into(),
                "/a/student".into()
            )
        );
        let url = validate(&json!("http://h.example.com")).unwrap();
        assert!(url
            .py_repr()
            .contains("tld='com', host_type='domain', port='80'"));
    }
}
