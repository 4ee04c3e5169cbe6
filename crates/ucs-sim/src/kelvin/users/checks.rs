//! Field validators of the user models (`kelvin/routers/v1/user.py`: `_validate_date_format`,
//! `_validate_date_range`, `validate_ucsschool_roles`, `PasswordsHashes`) and pydantic's
//! `date` parsing after them.

use crate::kelvin::error::ValidationError;
use crate::kelvin::fields::{coerce_str, Fields, Opt};
use crate::kelvin::py::repr;
use serde_json::{json, Value};

fn python_type(value: &Value) -> &'static str {
    match value {
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
        Value::Null => "NoneType",
    }
}

fn take_digits(s: &[u8], at: usize, max: usize) -> (u32, usize) {
    let mut n = 0;
    let mut i = at;
    while i < s.len() && i - at < max && s[i].is_ascii_digit() {
        n = n * 10 + u32::from(s[i] - b'0');
        i += 1;
    }
    (n, i)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `datetime.strptime(value, "%Y-%m-%d")` succeeds (4-digit year, 1–2 digit month and day,
/// the day may be ` 1`, a real calendar date, nothing left over).
fn strptime_ok(value: &str) -> bool {
    let s = value.as_bytes();
    let (year, i) = take_digits(s, 0, 4);
    if i != 4 || s.get(4) != Some(&b'-') {
        return false;
    }
    let month_text = &value[5..];
    let second = month_text.as_bytes().get(1);
    let two_digits = month_text.starts_with('0')
        || (month_text.starts_with('1') && second.is_some_and(|c| (b'0'..=b'2').contains(c)));
    let month_len = if two_digits { 2 } else { 1 };
    let (month, i) = take_digits(s, 5, month_len);
    if i != 5 + month_len || !(1..=12).contains(&month) || s.get(i) != Some(&b'-') {
        return false;
    }
    let mut d = i + 1;
    let spaced = s.get(d) == Some(&b' ');
    if spaced {
        d += 1;
    }
    let (day, end) = take_digits(s, d, if spaced { 1 } else { 2 });
    let (day, end) = if end - d == 2 && day > 31 {
        take_digits(s, d, 1)
    } else {
        (day, end)
    };
    end == s.len() && end > d && day >= 1 && day <= days_in_month(year, month)
}

/// pydantic's date regex `\d{4}-\d{1,2}-\d{1,2}$`, normalised to `YYYY-MM-DD`.
fn pydantic_date(value: &str) -> Option<String> {
    let mut parts = value.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |p: &str, min: usize, max: usize| {
        (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.next().is_some() || !digits(y, 4, 4) || !digits(m, 1, 2) || !digits(d, 1, 2) {
        return None;
    }
    Some(format!("{y}-{:0>2}-{:0>2}", m, d))
}

/// A date field (`birthday`, `expiration_date`): the server's pre-validator, then pydantic's
/// `date`. Returns the ISO date; `with_range` adds `_validate_date_range`.
pub(crate) fn date(f: &mut Fields, key: &str, with_range: bool) -> Opt<String> {
    let loc = || vec![json!("body"), json!(key)];
    let value = match f.raw(key) {
        Opt::Absent => return Opt::Absent,
        Opt::Null => return Opt::Null,
        Opt::Set(v) => v,
    };
    let text = match value {
        Value::String(s) if !s.is_empty() => s.clone(),
        Value::String(_) => {
            f.push(ValidationError::new(
                loc(),
                "invalid date format",
                "value_error.date",
            ));
            return Opt::Absent;
        }
        // falsy values skip the check; pydantic reads numbers as timestamps
        Value::Bool(false) => return Opt::Set("1970-01-01".into()),
        Value::Number(n) if n.as_f64() == Some(0.0) => return Opt::Set("1970-01-01".into()),
        other => {
            let msg = format!(
                "strptime() argument 1 must be str, not {}",
                python_type(other)
            );
            f.push(ValidationError::new(loc(), msg, "type_error"));
            return Opt::Absent;
        }
    };
    if !strptime_ok(&text) {
        f.push(ValidationError::value(
            loc(),
            "Incorrect date format, should be YYYY-MM-DD.",
        ));
        return Opt::Absent;
    }
    if with_range && !(1961..=2099).contains(&text[..4].parse::<u32>().unwrap_or(0)) {
        f.push(ValidationError::value(
            loc(),
            "Year must be between 1961 and 2099.",
        ));
        return Opt::Absent;
    }
    match pydantic_date(&text) {
        Some(iso) => Opt::Set(iso),
        None => {
            f.push(ValidationError::new(
                loc(),
                "invalid date format",
                "value_error.date",
            ));
            Opt::Absent
        }
    }
}

const CONTEXT_TYPES: [&str; 2] = ["school", "exam"];

/// `validate_ucsschool_roles` (create/PUT model): stops at the first role string of an
/// unknown role (the server's loop ends on `UnknownRole`); `None` is a `TypeError`.
pub(crate) fn ucsschool_roles(f: &mut Fields, key: &str) -> Opt<Vec<String>> {
    let loc = || vec![json!("body"), json!(key)];
    let items: Vec<Value> = match f.raw(key) {
        Opt::Absent => return Opt::Absent,
        Opt::Null => {
            f.push(ValidationError::new(
                loc(),
                "'NoneType' object is not iterable",
                "type_error",
            ));
            return Opt::Absent;
        }
        Opt::Set(Value::Array(items)) => items.clone(),
        Opt::Set(Value::String(s)) => s.chars().map(|c| json!(c.to_string())).collect(),
        Opt::Set(_) => return f.string_list(key),
    };
    for item in &items {
        let text = coerce_str(item).unwrap_or_default();
        let parts: Vec<&str> = text.split(':').collect();
        if parts.len() != 3 {
            f.push(ValidationError::value(
                loc(),
                format!("Invalid UCS@school role string: {}.", repr(&text)),
            ));
            return Opt::Absent;
        }
        if CONTEXT_TYPES.contains(&parts[1]) && !super::view::is_known_role(parts[0]) {
            break;
        }
    }
    f.string_list(key)
}

/// Whether Python's lenient `base64.b64decode` accepts a value.
fn lenient_base64(value: &str) -> bool {
    let data = value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '+' || *c == '/')
        .count();
    let pads = value.chars().filter(|c| *c == '=').count();
    match data % 4 {
        0 => true,
        2 => pads >= 2,
        3 => pads >= 1,
        _ => false,
    }
}

/// `PasswordsHashes`: five required fields, `krb_5_key` items base64.
pub(crate) fn password_hashes(f: &mut Fields, key: &str) -> Opt<Value> {
    let value = match f.raw(key) {
        Opt::Set(Value::Object(map)) => map.clone(),
        Opt::Set(_) => {
            f.push(ValidationError::at(
                &["body", key],
                "value is not a valid dict",
                "type_error.dict",
            ));
            return Opt::Absent;
        }
        Opt::Null => return Opt::Null,
        Opt::Absent => return Opt::Absent,
    };
    let before = f.errors.len();
    let loc = |field: &str| vec![json!("body"), json!(key), json!(field)];
    for (field, kind) in [
        ("user_password", "list"),
        ("samba_nt_password", "str"),
        ("krb_5_key", "list"),
        ("krb5_key_version_number", "int"),
        ("samba_pwd_last_set", "int"),
    ] {
        let Some(v) = value.get(field).filter(|v| !v.is_null()) else {
            let error = if value.contains_key(field) {
                ValidationError::none_not_allowed(loc(field))
            } else {
                ValidationError::missing(loc(field))
            };
            f.push(error);
            continue;
        };
        let ok = match kind {
            "list" => v
                .as_array()
                .is_some_and(|a| a.iter().all(|i| coerce_str(i).is_some())),
            "str" => coerce_str(v).is_some(),
            _ => v.is_i64() || v.as_str().is_some_and(|s| s.trim().parse::<i64>().is_ok()),
        };
        if !ok {
            let (msg, t) = match kind {
                "list" => ("value is not a valid list", "type_error.list"),
                "str" => ("str type expected", "type_error.str"),
                _ => ("value is not a valid integer", "type_error.integer"),
            };
            f.push(ValidationError::new(loc(field), msg, t));
        } else if field == "krb_5_key"
            && !v.as_array().is_some_and(|a| {
                a.iter()
                    .all(|i| lenient_base64(&coerce_str(i).unwrap_or_default()))
            })
        {
            f.push(ValidationError::value(
                loc(field),
                "Values of 'krb_5_key' must be base64 encoded.",
            ));
        }
    }
    if f.errors.len() == before {
        Opt::Set(Value::Object(value))
    } else {
        Opt::Absent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_like_strptime_then_pydantic() {
        assert!(strptime_ok("2000-01-02"));
        assert!(strptime_ok("2000-1-2"));
        assert!(strptime_ok("2000-01- 2"));
        assert!(!strptime_ok("2000-01- 10"));
        assert!(strptime_ok("2000-02-29"));
        assert!(!strptime_ok("2001-02-29"));
        assert!(!strptime_ok("2001-02-30"));
        assert!(!strptime_ok("2001-13-01"));
        assert!(!strptime_ok("2001-01-32"));
        assert!(!strptime_ok("01-01-2001"));
        assert!(!strptime_ok("2001-01-01 "));
        assert_eq!(pydantic_date("2000-1-2").as_deref(), Some("2000-01-02"));
        assert_eq!(pydantic_date("2000-01- 2"), None);
        assert!(lenient_base64("!!!") && lenient_base64("ab==") && lenient_base64("YWJj"));
        assert!(!lenient_base64("abc") && !lenient_base64("a"));
    }
}
