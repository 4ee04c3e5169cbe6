//! Dates in roster cells, as `ImportUser.parse_date` reads them (Kelvin 4.0.0,
//! `ucsschool/importer/models/import_user.py`): `yyyy-mm-dd`, `dd.mm.yy(yy)` and
//! `mm/dd/yy(yy)`; a two-digit year up to this year's two digits is 20yy, else 19yy; a
//! four-digit year must be 1901..=2099.

use chrono::{Datelike, NaiveDate};

/// Parses a date cell; `today` decides the century of two-digit years.
pub fn parse_date(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let (year, month, day) = split(text)?;
    let year = match (year.len(), year.parse::<i32>().ok()?) {
        (4, y) if 1900 < y && y < 2100 => y,
        (2, y) if y <= today.year() % 100 => 2000 + y,
        (2, y) => 1900 + y,
        _ => return None,
    };
    let (month, day) = (month.parse().ok()?, day.parse().ok()?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// (year, month, day) texts of the three formats.
fn split(text: &str) -> Option<(&str, &str, &str)> {
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let parts: Vec<&str> = text.split(['-', '.', '/']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let sep = text.as_bytes().get(a.len()).copied();
    let same_sep = text.as_bytes().get(a.len() + b.len() + 1).copied() == sep;
    if !same_sep {
        return None;
    }
    match sep {
        Some(b'-') if digits(a, 4..=4) && digits(b, 2..=2) && digits(c, 2..=2) => Some((a, b, c)),
        Some(b'.')
            if digits(a, 2..=2) && digits(b, 2..=2) && (digits(c, 2..=2) || digits(c, 4..=4)) =>
        {
            Some((c, b, a))
        }
        Some(b'/')
            if digits(a, 2..=2) && digits(b, 2..=2) && (digits(c, 2..=2) || digits(c, 4..=4)) =>
        {
            Some((c, a, b))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_formats_and_the_century_rule() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        assert_eq!(parse_date("2010-04-30", today), d(2010, 4, 30));
        assert_eq!(parse_date("30.04.10", today), d(2010, 4, 30));
        assert_eq!(parse_date("30.04.27", today), d(1927, 4, 30));
        assert_eq!(parse_date("04/30/2010", today), d(2010, 4, 30));
        assert_eq!(parse_date("2010-13-01", today), None);
        assert_eq!(parse_date("31.02.2010", today), None);
        assert_eq!(parse_date("1899-01-01", today), None);
        assert_eq!(parse_date("2010.04-30", today), None);
    }
}
