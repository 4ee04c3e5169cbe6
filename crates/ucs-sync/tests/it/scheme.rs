//! User names, mail addresses and templates, against the doctests of
//! `UsernameHandler` (ucs-school-import/modules/ucsschool/importer/utils/username_handler.py)
//! and the template rules of `univention.admin.pattern_replace`
//! (univention-directory-manager-modules-slim/univention/admin/__init__.py), repository
//! univention/ucsschool-kelvin-rest-api, release 4.0.0.

use ucs_sync::scheme::{format_email, format_username, render, NameRules, TakenIndex};

/// Runs names through the handler like the doctest's sequence of calls: every result is
/// in use for the next call (the importer's counter store remembers them).
fn sequence(max: usize, names: &[&str]) -> Vec<String> {
    let rules = NameRules::username(max, ".");
    let mut taken = TakenIndex::new();
    names
        .iter()
        .map(|n| {
            let name = format_username(n, &rules, &taken).expect("formats");
            taken.insert(&name);
            name
        })
        .collect()
}

#[test]
fn username_handler_doctests() {
    let one = |max: usize, name: &str| sequence(max, &[name]).remove(0);
    assert_eq!(one(20, "Max.Mustermann"), "Max.Mustermann");
    assert_eq!(one(20, "."), "");
    assert_eq!(one(20, ".Max.Mustermann."), "Max.Mustermann");
    assert_eq!(one(4, "Max.Mustermann"), "Max");
    assert_eq!(one(20, "Max.Mustermann12.4567890"), "Max.Mustermann12.456");
    assert_eq!(one(20, "Max[Muster]Mann"), "MaxMusterMann");
    assert_eq!(one(20, "..[ALWAYSCOUNTER].."), "");
    assert_eq!(one(20, "[ALWAYSCOUNTER]"), "");
    assert_eq!(one(20, "[FOObar]"), "FOObar");
    for bad in ['!', ' ', '#', 'ä', '[', '@', '\u{7f}'] {
        assert_eq!(one(20, &format!("Ma{bad}x")), "Max", "{bad:?} is removed");
    }
    assert_eq!(
        sequence(
            20,
            &[
                "Max[ALWAYSCOUNTER].Mustermann",
                "Max[ALWAYSCOUNTER].Mustermann",
                "Max[ALWAYSCOUNTER].Mustermann",
                "Max[COUNTER2].Mustermann",
                "Maria[ALWAYSCOUNTER].Musterfrau",
                "Moritz[COUNTER2]",
                "Moritz[COUNTER2]",
                "Foo[ALWAYSCOUNTER]",
            ]
        ),
        [
            "Max1.Mustermann",
            "Max2.Mustermann",
            "Max3.Mustermann",
            "Max4.Mustermann",
            "Maria1.Musterfrau",
            "Moritz",
            "Moritz2",
            "Foo1"
        ]
    );
    // max_length 8: the name without the counter is cut to 8 - 3 before it goes in
    assert_eq!(
        sequence(
            8,
            &[
                "aaaa[COUNTER2]bbbbcccc",
                "aaaa[COUNTER2]bbbbcccc",
                "bbbb[ALWAYSCOUNTER]ccccdddd",
                "bbbb[ALWAYSCOUNTER]ccccdddd"
            ]
        ),
        ["aaaab", "aaaa2b", "bbbb1c", "bbbb2c"]
    );
    let err = format_username(
        "Foo[COUNTER2][COUNTER2]",
        &NameRules::username(20, "."),
        &TakenIndex::new(),
    )
    .unwrap_err();
    assert!(err.0.contains("more than one counter"), "{err:?}");
}

#[test]
fn counters_continue_after_names_already_in_the_directory() {
    let mut taken = TakenIndex::new();
    for name in ["j.mueller", "J.Mueller2", "j.mueller7", "a.schmidt1"] {
        taken.insert(name);
    }
    let rules = NameRules::username(15, ".");
    assert_eq!(
        format_username("J.Mueller[COUNTER2]", &rules, &taken).unwrap(),
        "J.Mueller8"
    );
    assert_eq!(
        format_username("A.Schmidt[ALWAYSCOUNTER]", &rules, &taken).unwrap(),
        "A.Schmidt2"
    );
    assert_eq!(
        format_username("A.Schmidt[COUNTER2]", &rules, &taken).unwrap(),
        "A.Schmidt2",
        "numbered ones in use: no bare name"
    );
    assert_eq!(
        format_username("B.Weiss[COUNTER2]", &rules, &taken).unwrap(),
        "B.Weiss"
    );
    assert_eq!(
        format_username("[COUNTER2]j.mueller", &rules, &taken).unwrap(),
        "2j.mueller",
        "the bare name is in use"
    );
}

#[test]
fn email_handler_counts_in_the_local_part() {
    // EmailHandler.format_name: counters in the local part, whitespace removed, at most
    // 254 characters in all
    let mut taken = TakenIndex::new();
    taken.insert("max.muster@example.com");
    assert_eq!(
        format_email("max.muster[COUNTER2]@example.com", &taken).unwrap(),
        "max.muster2@example.com"
    );
    assert_eq!(
        format_email("max muster@example.com", &TakenIndex::new()).unwrap(),
        "maxmuster@example.com"
    );
    let long = format!("{}[COUNTER2]@example.com", "x".repeat(300));
    let email = format_email(&long, &TakenIndex::new()).unwrap();
    assert_eq!(
        email.len(),
        254 - 3,
        "cut to 254 - len(domain) - 1 - 3 before the counter"
    );
}

#[test]
fn templates_follow_pattern_replace() {
    let values = |k: &str| match k {
        "firstname" => Some("Björn-Åke"),
        "lastname" => Some("Weiß Öztürk"),
        "record_uid" => Some("4711"),
        _ => None,
    };
    let r = |t: &str| render(t, values).unwrap();
    assert_eq!(r("<:umlauts><firstname>[0].<lastname>"), "B.Weiss Oeztuerk");
    assert_eq!(r("<firstname:umlauts,lower>"), "bjoern-ake");
    assert_eq!(
        r("<lastname:alphanum,upper>"),
        "WEISSÖZTÜRK",
        "str.upper turns ß into SS"
    );
    assert_eq!(r("<lastname>[0:4]x<record_uid>[2:]"), "Weißx11");
    assert_eq!(
        r("<nosuch>[0]-<record_uid>"),
        "-4711",
        "a missing value is empty, its range dropped"
    );
    assert_eq!(r("<lastname:strip,nosuchcommand>"), "Weiß Öztürk");
}

#[test]
fn a_counter_after_a_cut_name_ending_in_digits_stays_unique() {
    // max_length 15: "M.Oeztuerk412" is cut to 12 characters, "M.Oeztuerk41", before the
    // counter goes in, so the counters follow a digit
    let names = sequence(15, &["M.Oeztuerk412[COUNTER2]"; 4]);
    assert_eq!(
        names,
        [
            "M.Oeztuerk41",
            "M.Oeztuerk412",
            "M.Oeztuerk413",
            "M.Oeztuerk414"
        ]
    );
}
