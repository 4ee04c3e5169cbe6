use ucs_ldap::canonical::*;

#[test]
fn canonical_form_normalises_spacing_case_and_escapes() {
    assert_eq!(
        canonical("UID=Foo , CN=users,  dc=Example,dc=com").unwrap(),
        "uid=Foo,cn=users,dc=Example,dc=com"
    );
    assert_eq!(canonical("cn=a\\2Cb,dc=x").unwrap(), "cn=a\\,b,dc=x");
    assert_eq!(canonical("cn=\\23hash,dc=x").unwrap(), "cn=\\#hash,dc=x");
    assert_eq!(canonical("cn=sp\\ ,dc=x").unwrap(), "cn=sp\\ ,dc=x");
    assert_eq!(
        canonical("cn=M\\C3\\BCller,dc=x").unwrap(),
        "cn=Müller,dc=x"
    );
    assert_eq!(canonical("sn=b+cn=a,dc=x").unwrap(), "cn=a+sn=b,dc=x");
    assert_eq!(canonical("").unwrap(), "");
    assert_eq!(key("UID=Ä,DC=X").unwrap(), "uid=ä,dc=x");
}

#[test]
fn escaped_values_round_trip() {
    let value = "a,b+c#d/e f \\ü\"<>;";
    let dn = child("cn", value, "dc=example,dc=com");
    assert_eq!(depth(&dn), 3);
    assert_eq!(rdn_value(&dn).as_deref(), Some(value));
    assert_eq!(canonical(&dn).unwrap(), dn);
}

#[test]
fn hierarchy_ignores_escaped_commas() {
    let parent_dn = "dc=example,dc=com";
    let tricky = "cn=x\\,dc=example,dc=com";
    // one RDN with the value "x,dc=example" below dc=com, not below dc=example,dc=com
    assert_eq!(parent(tricky), "dc=com");
    assert!(!is_below(tricky, parent_dn));
    assert!(is_below(tricky, "dc=com"));
    assert!(is_below(
        "cn=y,cn=x\\,dc=example,dc=com",
        "cn=x\\,dc=example,dc=com"
    ));
    assert!(!is_below(
        "cn=x\\,dc=example,dc=com",
        "dc=example,dc=com,dc=org"
    ));
    assert!(!is_below("cn=evil\\,dc=com", "dc=com"));
    assert!(is_below("cn=a\\\\,dc=com", "dc=com"));
    assert!(!is_below("dc=example,dc=com", "dc=example,dc=com"));
    assert!(is_at_or_below("dc=example,dc=com", "dc=example,dc=com"));
    assert_eq!(depth("cn=a\\,b,dc=x,dc=y"), 3);
    for (child, ancestor) in [
        ("cn=A,DC=X", "dc=x"),
        ("DC=X", "dc=x"),
        ("cn=x\\,DC=example,dc=com", "dc=example,dc=com"),
        ("cn=Ä,dc=X", "dc=x"),
        ("cn=a,dc=y", "dc=x"),
        ("cn=a,dc=x", ""),
        ("cn=a,dc=xx", "dc=x"),
        ("cn=a,dc=X", "dc=X"),
    ] {
        assert_eq!(
            is_at_or_below_key(child, ancestor),
            is_at_or_below(&key_of_canonical(child), ancestor),
            "{child} {ancestor}"
        );
    }
    assert_eq!(first_rdn("cn=a\\,b,dc=x"), "cn=a\\,b");
    assert!(same_key("uid=A,dc=X", "uid=a,dc=x"));
    assert!(same_key("uid=Ä,dc=X", "uid=ä,dc=x"));
    assert!(!same_key("uid=Ä,dc=X", "uid=ä,dc=y"));
    assert!(!same_key("uid=a,dc=x", "uid=A,dc=x"), "keys are lower case");
    assert_eq!(rdn_value("cn=a\\2Cb+sn=c,dc=x").as_deref(), Some("a,b"));
    assert_eq!(rdn_attr("SN=c+cn=a, dc=x").as_deref(), Some("sn"));
}

#[test]
fn rebase_moves_subtrees_keeping_the_relative_part() {
    assert_eq!(
        rebase("uid=a,cn=users,ou=Ä,dc=x", "ou=ä,dc=x", "ou=B,dc=x").as_deref(),
        Some("uid=a,cn=users,ou=B,dc=x")
    );
    assert_eq!(
        rebase("ou=A,dc=x", "ou=a,dc=x", "ou=B,dc=x").as_deref(),
        Some("ou=B,dc=x")
    );
    assert_eq!(rebase("ou=C,dc=x", "ou=a,dc=x", "ou=B,dc=x"), None);
}
