//! Mail addresses: syntax check and the clean-up of generated addresses.

/// Why `address` is not a valid mail address, or `None` if it is.
///
/// The check is the practical subset of RFC 5321/5322 that directory servers accept:
/// `local@domain`, ASCII only; the local part is a dot-atom (letters, digits and
/// ``!#$%&'*+/=?^_`{|}~-``, dots not leading, trailing or doubled) of at most 64
/// characters; the domain has at least two labels of letters, digits and inner hyphens (at
/// most 63 characters each) and a non-numeric top-level label; at most 254 characters in
/// all. Quoted local parts, IP-literal domains and non-ASCII (SMTPUTF8) addresses are
/// refused.
///
/// ```
/// use ucs::forms::mail_problem;
/// assert_eq!(mail_problem("jane.doe@example.org"), None);
/// assert_eq!(mail_problem("jane..doe@example.org"), Some("the local part has two dots in a row"));
/// ```
pub fn mail_problem(address: &str) -> Option<&'static str> {
    if !address.is_ascii() {
        return Some("only ASCII addresses are supported");
    }
    if address.len() > 254 {
        return Some("the address is longer than 254 characters");
    }
    let Some((local, domain)) = address.rsplit_once('@') else {
        return Some("the address has no '@'");
    };
    if local.is_empty() {
        return Some("the local part before '@' is empty");
    }
    if local.len() > 64 {
        return Some("the local part is longer than 64 characters");
    }
    if local.starts_with('.') || local.ends_with('.') {
        return Some("the local part starts or ends with a dot");
    }
    if local.contains("..") {
        return Some("the local part has two dots in a row");
    }
    if !local
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-.".contains(&b))
    {
        return Some("the local part has a character that is not allowed");
    }
    domain_problem(domain)
}

/// Whether `address` is a valid mail address (see [`mail_problem`]).
pub fn is_valid_mail(address: &str) -> bool {
    mail_problem(address).is_none()
}

fn domain_problem(domain: &str) -> Option<&'static str> {
    if domain.is_empty() {
        return Some("the domain after '@' is empty");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Some("the domain needs at least two labels, like example.org");
    }
    for label in &labels {
        if label.is_empty() {
            return Some("the domain has an empty label");
        }
        if label.len() > 63 {
            return Some("a domain label is longer than 63 characters");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some("a domain label starts or ends with a hyphen");
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Some("the domain has a character that is not allowed");
        }
    }
    if labels
        .last()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some("the top-level domain is numeric");
    }
    None
}

/// Cleans up a rendered address: lower-cased; the local part reduced to `[a-z0-9._-]`
/// with runs of dots collapsed and dots trimmed from both ends. The result is checked
/// with [`mail_problem`].
pub(crate) fn clean_mail(rendered: &str) -> Result<String, &'static str> {
    let lower = rendered.trim().to_ascii_lowercase();
    let Some((local, domain)) = lower.rsplit_once('@') else {
        return Err("the address has no '@'");
    };
    let mut clean = String::with_capacity(lower.len());
    for c in local.chars() {
        let keep = c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-');
        if keep && !(c == '.' && (clean.is_empty() || clean.ends_with('.'))) {
            clean.push(c);
        }
    }
    while clean.ends_with('.') {
        clean.pop();
    }
    clean.push('@');
    clean.push_str(domain);
    match mail_problem(&clean) {
        None => Ok(clean),
        Some(reason) => Err(reason),
    }
}
