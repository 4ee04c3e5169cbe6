//! Round-trip properties: render -> parse -> render is the identity, and escaping survives
//! every character.

use proptest::prelude::*;
use ucs_ldap::{Dn, Filter};

fn attr() -> impl Strategy<Value = String> {
    "[a-zA-Z][a-zA-Z0-9-]{0,8}"
}

fn value() -> impl Strategy<Value = String> {
    // any characters, including the specials of both grammars and NUL
    proptest::collection::vec(
        prop_oneof![
            any::<char>(),
            prop::sample::select(vec![
                ',', '+', '"', '\\', '<', '>', ';', '=', '#', ' ', '\0', '*', '(', ')'
            ]),
        ],
        1..12,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn dn() -> impl Strategy<Value = Dn> {
    proptest::collection::vec((attr(), value()), 0..5).prop_map(|rdns| {
        rdns.into_iter()
            .rev()
            .fold(Dn::root(), |dn, (a, v)| dn.child(a, v))
    })
}

fn filter() -> impl Strategy<Value = Filter> {
    let leaf = prop_oneof![
        (attr(), value()).prop_map(|(a, v)| Filter::eq(a, v)),
        attr().prop_map(Filter::present),
        (attr(), proptest::collection::vec(value(), 2..4))
            .prop_map(|(a, parts)| Filter::wildcard(a, parts)),
        (attr(), value()).prop_map(|(a, v)| Filter::ge(a, v)),
        (attr(), value()).prop_map(|(a, v)| Filter::le(a, v)),
        (attr(), value()).prop_map(|(a, v)| Filter::approx(a, v)),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Filter::And),
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Filter::Or),
            inner.prop_map(Filter::not),
        ]
    })
}

proptest! {
    #[test]
    fn dn_render_parse_render_is_identity(dn in dn()) {
        let text = dn.to_string();
        let back = Dn::parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back.to_string(), text);
        prop_assert_eq!(&back, &dn);
        // every value survives escaping exactly
        for (a, b) in back.rdns().iter().zip(dn.rdns()) {
            prop_assert_eq!(a.value(), b.value());
        }
        // the canonical form is a fixed point and keeps the key
        let canonical = Dn::parse(&dn.canonical()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(canonical.canonical(), dn.canonical());
        prop_assert_eq!(canonical.key(), dn.key());
    }

    #[test]
    fn filter_render_parse_render_is_identity(f in filter()) {
        let text = f.to_string();
        let parsed: Filter = text.parse().map_err(|e: ucs_ldap::FilterError| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(parsed.to_string(), text);
    }

    #[test]
    fn filter_values_survive_escaping(a in attr(), v in value()) {
        let parsed: Filter = Filter::eq(a.clone(), v.clone()).to_string().parse()
            .map_err(|e: ucs_ldap::FilterError| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(parsed, Filter::eq(a, v));
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,64}") {
        let _ = Dn::parse(&text);
        let _ = text.parse::<Filter>();
    }
}
