use ucs_ldap::{escape_filter_value, Filter, MAX_FILTER_DEPTH};

fn parse(text: &str) -> Filter {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn every_special_character_is_escaped() {
    assert_eq!(escape_filter_value(r"a*b(c)d\e"), r"a\2ab\28c\29d\5ce");
    assert_eq!(Filter::eq("cn", "x\0").to_string(), r"(cn=x\00)");
    assert_eq!(Filter::contains("cn", "*").to_string(), r"(cn=*\2a*)");
    assert_eq!(
        Filter::wildcard("cn", ["a", "b", "c"]).to_string(),
        "(cn=a*b*c)"
    );
    assert_eq!(Filter::wildcard("cn", ["a"]), Filter::eq("cn", "a"));
    assert_eq!(Filter::ends_with("cn", "z").to_string(), "(cn=*z)");
}

#[test]
fn composition_comparisons_and_raw_filters() {
    let f = Filter::or([
        Filter::eq("a", "1"),
        Filter::raw("b=2"),
        Filter::raw("(c=3)"),
    ]);
    assert_eq!(f.to_string(), "(|(a=1)(b=2)(c=3))");
    assert_eq!(Filter::ge("n", "5").to_string(), "(n>=5)");
    assert_eq!(Filter::le("n", "5").to_string(), "(n<=5)");
    assert_eq!(Filter::approx("n", "x").to_string(), "(n~=x)");
    assert_eq!(Filter::and([]).to_string(), "(&)");
}

#[test]
fn parses_every_kind_of_item() {
    assert_eq!(parse("(uid=a)"), Filter::eq("uid", "a"));
    assert_eq!(
        parse("uid=a"),
        Filter::eq("uid", "a"),
        "outer parentheses optional"
    );
    assert_eq!(parse("(uid=*)"), Filter::present("uid"));
    assert_eq!(parse("(uid=a*)"), Filter::starts_with("uid", "a"));
    assert_eq!(
        parse("(uid=*a*b*)"),
        Filter::wildcard("uid", ["", "a", "b", ""])
    );
    assert_eq!(parse("(n>=5)"), Filter::ge("n", "5"));
    assert_eq!(parse("(n<=5)"), Filter::le("n", "5"));
    assert_eq!(parse("(n~=x)"), Filter::approx("n", "x"));
    assert_eq!(
        parse(" (& (a=1) (!(b=2)) (|(c=3)(d=4)) ) "),
        Filter::and([
            Filter::eq("a", "1"),
            Filter::not(Filter::eq("b", "2")),
            Filter::or([Filter::eq("c", "3"), Filter::eq("d", "4")]),
        ])
    );
    assert_eq!(parse("(&)"), Filter::and([]), "RFC 4526 absolute true");
    assert_eq!(parse("(|)"), Filter::or([]), "RFC 4526 absolute false");
    assert_eq!(
        parse("(objectClass=ucsschoolStudent)"),
        Filter::eq("objectClass", "ucsschoolStudent")
    );
}

#[test]
fn escapes_are_literal_characters() {
    assert_eq!(
        parse(r"(name=a\2ab\28c\29\5cd)"),
        Filter::eq("name", "a*b(c)\\d")
    );
    assert_eq!(parse(r"(name=x\00y)"), Filter::eq("name", "x\0y"));
    assert_eq!(parse(r"(name=M\c3\bcller)"), Filter::eq("name", "Müller"));
    assert_eq!(
        parse(r"(name=a\*)"),
        Filter::eq("name", "a*"),
        "lenient `\\*`"
    );
    assert_eq!(parse(r"(name=a\2a*)"), Filter::starts_with("name", "a*"));
}

#[test]
fn malformed_filters_are_errors() {
    for bad in [
        "(uid=a",
        "(uid>a)",
        "uid",
        "(uid=a))",
        "(uid=a(b)",
        "(=a)",
        "(uid>=a*)",
        "(u id=a)",
        "(uid=\\ff)",
        "(uid=a\\",
        "",
    ] {
        let error = bad.parse::<Filter>().unwrap_err();
        assert!(
            error.to_string().contains("invalid LDAP filter"),
            "{bad}: {error}"
        );
    }
}

/// A hostile filter nested thousands of levels deep is refused, not a stack overflow.
#[test]
fn nesting_is_bounded() {
    let ok = format!(
        "{}(a=1){}",
        "(!".repeat(MAX_FILTER_DEPTH),
        ")".repeat(MAX_FILTER_DEPTH)
    );
    assert!(ok.parse::<Filter>().is_ok());
    let deep = format!("{}(a=1){}", "(&".repeat(100_000), ")".repeat(100_000));
    let error = deep.parse::<Filter>().unwrap_err();
    assert!(error.reason.contains("nested deeper"), "{}", error.reason);
}
