//! The Rust method name progenitor generates for an operationId.

use heck::ToSnakeCase;
use unicode_ident::{is_xid_continue, is_xid_start};

/// The name of the method progenitor 0.15 generates for `operation_id`.
///
/// This is progenitor's `sanitize(operation_id, Case::Snake)`: drop `'`,
/// replace every character that cannot continue an identifier with `-`,
/// convert to snake case (heck), prefix `_` when the result cannot start an
/// identifier, and append `_` to Rust keywords.
///
/// Snake-casing merges runs of separators, so operationIds that differ only
/// in separators produce the same method (FastAPI's
/// `search_ucsschool_kelvin_v1_users__get` and
/// `search_ucsschool_kelvin_v1_users_get` both give
/// `search_ucsschool_kelvin_v1_users_get`).
///
/// ```
/// use openapi_surface::method_name;
/// assert_eq!(method_name("udm:users/user/object/search"), "udm_users_user_object_search");
/// assert_eq!(method_name("search_ucsschool_kelvin_v1_users__get"), "search_ucsschool_kelvin_v1_users_get");
/// assert_eq!(method_name("type"), "type_");
/// ```
pub fn method_name(operation_id: &str) -> String {
    let out = match operation_id {
        "+1" => "plus1".to_string(),
        "-1" => "minus1".to_string(),
        _ => operation_id
            .replace('\'', "")
            .replace(|c: char| !is_xid_continue(c), "-")
            .to_snake_case(),
    };
    let out = match out.chars().next() {
        None => "x".to_string(),
        Some(c) if is_xid_start(c) => out,
        Some(_) => format!("_{out}"),
    };
    if is_keyword(&out) {
        format!("{out}_")
    } else {
        out
    }
}

/// Words typify refuses as identifiers (Rust keywords, reserved words, `gen`, `_`).
fn is_keyword(ident: &str) -> bool {
    matches!(
        ident,
        "_" | "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "Self"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

#[cfg(test)]
mod tests {
    use super::method_name;

    #[test]
    fn udm_operation_ids_become_snake_case() {
        assert_eq!(
            method_name("udm:users/user/object/search"),
            "udm_users_user_object_search"
        );
        assert_eq!(
            method_name("udm:users/user/object/create"),
            "udm_users_user_object_create"
        );
        assert_eq!(
            method_name("udm:dns/host_record/object/get"),
            "udm_dns_host_record_object_get"
        );
    }

    #[test]
    fn separator_runs_collapse() {
        assert_eq!(
            method_name("get_ucsschool_kelvin_v1_classes__school___class_name__get"),
            "get_ucsschool_kelvin_v1_classes_school_class_name_get"
        );
    }

    #[test]
    fn camel_case_is_split() {
        assert_eq!(method_name("getUserByName"), "get_user_by_name");
        assert_eq!(method_name("listHTTPRoutes"), "list_http_routes");
    }

    #[test]
    fn apostrophes_are_dropped_and_digits_kept() {
        assert_eq!(method_name("user's list"), "users_list");
        assert_eq!(method_name("v1 users"), "v1_users");
    }

    #[test]
    fn leading_digit_gets_underscore_and_keywords_get_suffix() {
        assert_eq!(method_name("1st"), "_1st");
        assert_eq!(method_name("type"), "type_");
        assert_eq!(method_name("Self"), "self_");
        assert_eq!(method_name("+1"), "plus1");
        assert_eq!(method_name("-1"), "minus1");
        assert_eq!(method_name(""), "x");
    }
}
