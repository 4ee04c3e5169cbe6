use ucs_ldap::{escape_value, Dn};

#[test]
fn parses_and_prints_plain_dns() {
    let dn = Dn::parse("uid=jdoe, cn=users ,dc=example,dc=com").unwrap();
    assert_eq!(dn.to_string(), "uid=jdoe,cn=users,dc=example,dc=com");
    assert_eq!(dn.rdns().len(), 4);
    assert_eq!(dn.rdn_attr(), Some("uid"));
    assert_eq!(
        dn.parent().unwrap().to_string(),
        "cn=users,dc=example,dc=com"
    );
    assert!(Dn::parse("").unwrap().is_root());
    assert!(Dn::parse("  ").unwrap().is_root());
}

#[test]
fn nasty_values_round_trip() {
    for value in [
        "Doe, Jane",
        "a+b",
        "x=y",
        r"back\slash",
        "#hash",
        " lead",
        "trail ",
        "quo\"te",
        "<>;",
        "Müller/ß",
        "semi;colon",
        " ",
        "a\0b",
    ] {
        let dn = Dn::parse("cn=users,dc=x").unwrap().child("cn", value);
        let text = dn.to_string();
        let back = Dn::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(back.rdn_value(), Some(value), "{text}");
        assert_eq!(back, dn);
    }
}

#[test]
fn hex_escapes_and_multi_valued_rdns() {
    let dn = Dn::parse(r"cn=M\C3\BCller+uid=m,dc=x").unwrap();
    let avas = dn.rdn().unwrap().avas();
    assert_eq!(
        (avas[0].attr.as_str(), avas[0].value.as_str()),
        ("cn", "Müller")
    );
    assert_eq!(
        (avas[1].attr.as_str(), avas[1].value.as_str()),
        ("uid", "m")
    );
    assert_eq!(dn.to_string(), "cn=Müller+uid=m,dc=x");
    assert_eq!(escape_value("a\0b"), r"a\00b");
    // an escaped multi-byte character stands for itself
    assert_eq!(Dn::parse("cn=\\ü,dc=x").unwrap().rdn_value(), Some("ü"));
}

/// LDAP compares naming attributes case-insensitively (`uid`, `cn`, `ou` and `dc` all use
/// caseIgnore matching rules in the OpenLDAP schema UCS ships), so `uid=A` and `uid=a` name
/// the same entry; so do the AVAs of a multi-valued RDN in any order.
#[test]
fn dns_compare_as_ldap_does() {
    let same = [
        ("UID=a,DC=x", "uid=a,dc=x"),
        ("uid=A,dc=x", "uid=a,dc=x"),
        ("cn=Ä,dc=x", "cn=ä,dc=x"),
        ("sn=b+cn=a,dc=x", "cn=a+sn=b,dc=x"),
        ("cn=a\\2Cb,dc=x", "cn=a\\,b,dc=x"),
        ("cn = a , dc = x", "cn=a,dc=x"),
    ];
    for (a, b) in same {
        let (a, b) = (Dn::parse(a).unwrap(), Dn::parse(b).unwrap());
        assert_eq!(a, b);
        assert_eq!(a.key(), b.key());
        let set = std::collections::HashSet::from([a.clone()]);
        assert!(set.contains(&b), "{a} vs {b}: equal DNs hash alike");
    }
    assert_ne!(
        Dn::parse("uid=a,dc=x").unwrap(),
        Dn::parse("uid=b,dc=x").unwrap()
    );
    assert_ne!(
        Dn::parse("uid=a,dc=x").unwrap(),
        Dn::parse("cn=a,dc=x").unwrap()
    );
    let base = Dn::parse("dc=example,dc=com").unwrap();
    assert!(Dn::parse("uid=a,cn=users,DC=Example,dc=com")
        .unwrap()
        .is_within(&base));
    assert!(base.is_within(&base));
    assert!(!Dn::parse("dc=com").unwrap().is_within(&base));
}

#[test]
fn canonical_form_and_key() {
    let dn = Dn::parse("UID=Foo , CN=users,  dc=Example,dc=com").unwrap();
    assert_eq!(dn.canonical(), "uid=Foo,cn=users,dc=Example,dc=com");
    assert_eq!(dn.key(), "uid=foo,cn=users,dc=example,dc=com");
    assert_eq!(dn.to_string(), "UID=Foo,CN=users,dc=Example,dc=com");
    assert_eq!(dn.depth(), 4);
}

#[test]
fn malformed_dns_are_errors_with_a_position() {
    for bad in [
        "uid",
        "=x",
        "uid=a,",
        "uid=a,,dc=x",
        "uid=a\\",
        "uid=a\"b",
        "cn=",
        "cn=a\\4",
        "cn=a\\4x",
        "uid=a;dc=x",
        "cn=<b>,dc=x",
        "cn=\\ff,dc=x",
        "cn=a+,dc=x",
    ] {
        let error = Dn::parse(bad).unwrap_err();
        assert_eq!(error.input, bad);
        assert!(error.position <= bad.len(), "{bad}: {error}");
        assert!(error.to_string().starts_with("invalid DN"), "{error}");
    }
}

#[test]
fn serde_uses_the_string_form() {
    let dn = Dn::parse("uid=a\\,b,dc=x").unwrap();
    let json = serde_json::to_string(&dn).unwrap();
    assert_eq!(json, r#""uid=a\\,b,dc=x""#);
    assert_eq!(serde_json::from_str::<Dn>(&json).unwrap(), dn);
    assert!(serde_json::from_str::<Dn>(r#""nope""#).is_err());
}
