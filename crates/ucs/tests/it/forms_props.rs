//! Property tests of form values: user names are always valid, transliteration is always
//! ASCII, policies never panic and never let input change their structure, passwords
//! always satisfy their policy, a batch never hands out a value twice.

use std::collections::HashSet;

use futures::executor::block_on;
use proptest::collection::vec;
use proptest::prelude::*;
use ucs::forms::*;

fn language() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(prop::sample::select(vec![
        "de_DE", "de", "de-AT", "fr_FR", "ru_RU", "tr_TR", "el_GR", "zh_CN", "en_US", "", "xx",
    ]))
    .prop_map(|l| l.map(str::to_owned))
}

fn input(given: String, sn: String, lang: Option<String>) -> FormInput {
    let mut input = FormInput::new().with("givenname", given).with("sn", sn);
    if let Some(lang) = lang {
        input.insert("preferredlanguage", lang);
    }
    input
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    /// 10,000 random Unicode names: the generated uid is never empty and always matches
    /// `^[a-z0-9][a-z0-9._-]*$`.
    #[test]
    fn generated_uid_is_always_valid(given in any::<String>(), sn in any::<String>(), lang in language()) {
        let taken = TakenSet::new();
        let values = block_on(generate(&UserType::kolab(), &["uid"], &input(given, sn, lang), &taken)).unwrap();
        let uid = values.text("uid").unwrap();
        prop_assert!(is_valid_uid(uid), "{uid:?}");
        prop_assert!(!uid.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn transliteration_is_ascii_and_deterministic(text in any::<String>(), lang in language()) {
        let out = transliterate(&text, lang.as_deref());
        prop_assert!(out.is_ascii());
        prop_assert_eq!(&out, &transliterate(&text, lang.as_deref()));
        let uid = uid_from(&out);
        prop_assert!(is_valid_uid(&uid), "{uid:?}");
    }

    #[test]
    fn uid_policy_with_slices_and_methods_stays_valid(given in any::<String>(), sn in any::<String>(), lang in language()) {
        let json = serde_json::json!({"key": "t", "auto_form_fields": {"uid": {
            "policy": "'%(givenname)s'[0:1].upper() + '.' + '%(sn)s'[-8:].title()"}}});
        let user_type = UserType::from_json(&json.to_string()).unwrap();
        let values = block_on(generate(&user_type, &["uid"], &input(given, sn, lang), &TakenSet::new())).unwrap();
        prop_assert!(is_valid_uid(values.text("uid").unwrap()));
    }

    #[test]
    fn generated_mail_is_valid_or_refused(given in any::<String>(), sn in any::<String>(), lang in language()) {
        let input = input(given, sn, lang).with("domain", "example.org");
        match block_on(generate(&UserType::kolab(), &["mail"], &input, &TakenSet::new())) {
            Ok(values) => {
                let mail = values.text("mail").unwrap();
                prop_assert!(is_valid_mail(mail), "{mail:?}");
                prop_assert!(mail.ends_with("@example.org"));
                prop_assert_eq!(mail, mail.to_ascii_lowercase());
            }
            Err(FormError::InvalidMail { .. }) => {}
            Err(other) => prop_assert!(false, "{other}"),
        }
    }

    #[test]
    fn parser_is_total(policy in any::<String>()) {
        match Policy::parse(&policy) {
            Ok(parsed) => {
                let _ = parsed.render(|_| Some("x"));
            }
            Err(err) => prop_assert!(err.position <= policy.chars().count()),
        }
    }

    #[test]
    fn parser_is_total_on_policy_like_text(policy in "['\"%(){}\\[\\]:.,+a-z0-9 -]{0,40}") {
        match Policy::parse(&policy) {
            Ok(parsed) => {
                let _ = parsed.render(|_| Some("x"));
            }
            Err(err) => prop_assert!(err.position <= policy.chars().count()),
        }
    }

    #[test]
    fn input_is_substituted_verbatim(a in any::<String>(), b in any::<String>()) {
        let template = Policy::parse("%(a)s-%(b)s").unwrap();
        let out = template.render(|k| Some(if k == "a" { a.as_str() } else { b.as_str() })).unwrap();
        prop_assert_eq!(out, format!("{a}-{b}"));
        let expr = Policy::parse("'{0}|{1}'.format('%(a)s', '%(b)s')").unwrap();
        let out = expr.render(|k| Some(if k == "a" { a.as_str() } else { b.as_str() })).unwrap();
        prop_assert_eq!(out, format!("{a}|{b}"));
    }

    #[test]
    fn passwords_satisfy_their_policy(
        classes in vec(("[!-~]{1,12}", 0usize..4), 1..5),
        extra in 0usize..20,
    ) {
        let classes: Vec<CharClass> = classes.into_iter().map(|(chars, min)| CharClass::new(chars, min)).collect();
        let length = classes.iter().map(|c| c.min).sum::<usize>().max(1) + extra;
        let policy = PasswordPolicy { length, classes };
        let password = policy.generate().unwrap();
        prop_assert!(policy.is_satisfied_by(password.expose()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_batch_never_hands_out_a_value_twice(
        names in vec((prop::sample::select(vec!["Jane", "Jürgen", "Jurgen", "Zoë"]), prop::sample::select(vec!["Doe", "Müller", "Mueller", "Muller", "doe2"])), 1..60),
    ) {
        let taken = TakenSet::new();
        let generator = FormGenerator::new(&UserType::kolab()).unwrap();
        let (mut uids, mut mails) = (HashSet::new(), HashSet::new());
        for (given, sn) in names {
            let input = FormInput::new().with("givenname", given).with("sn", sn).with("preferredlanguage", "de").with("domain", "example.org");
            let values = block_on(generator.generate(&["uid", "mail", "mailalternateaddress"], &input, &taken)).unwrap();
            prop_assert!(uids.insert(values.text("uid").unwrap().to_owned()));
            prop_assert!(mails.insert(values.text("mail").unwrap().to_owned()));
            for alias in values.list("mailalternateaddress").unwrap() {
                prop_assert!(mails.insert(alias.clone()), "{alias} handed out twice");
            }
        }
    }
}

proptest! {
    /// User type JSON from anywhere (Kolab exports, hand-edited files):
    /// decoded or refused, never a panic.
    #[test]
    fn user_types_of_any_json_never_panic(text in "\\PC{0,300}") {
        let _ = serde_json::from_str::<UserType>(&text);
    }

    #[test]
    fn user_types_of_kolab_shaped_json_never_panic(
        field in "[a-z]{1,8}",
        kind in prop::sample::select(vec!["text", "list", "select", "multiselect", "text-quota", "x"]),
        number in any::<i64>(),
    ) {
        let text = format!(
            r#"{{"form_fields": {{"{field}": {{"type": "{kind}", "maxlength": {number}, "optional": {number}}}}},
                "auto_form_fields": {{"uid": {{"data": ["{field}", {number}], "type": "{kind}"}}}},
                "fields": {{"objectclass": [{number}]}}}}"#
        );
        if let Ok(user_type) = serde_json::from_str::<UserType>(&text) {
            let _ = format!("{user_type:?}");
        }
    }
}
