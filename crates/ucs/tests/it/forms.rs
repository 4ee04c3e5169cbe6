//! Behaviour of Kolab-style form values (`ucs::forms`).

use std::error::Error as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use futures::executor::block_on;
use futures::future::BoxFuture;
use rand::rngs::StdRng;
use rand::SeedableRng;
use serde_json::json;
use ucs::forms::*;

fn jurgen() -> FormInput {
    FormInput::new()
        .with("givenname", "Jürgen")
        .with("sn", "Müller")
        .with("preferredlanguage", "de_DE")
        .with("domain", "example.org")
}

fn gen(
    user_type: &UserType,
    wanted: &[&str],
    input: &FormInput,
    taken: &dyn Taken,
) -> Result<Generated, FormError> {
    block_on(generate(user_type, wanted, input, taken))
}

// ---------------------------------------------------------------- transliteration

#[test]
fn german_locales_expand_umlauts() {
    for lang in ["de", "de_DE", "de-AT", "de_CH.UTF-8", "DE", "de_DE@euro"] {
        assert!(is_german(lang), "{lang}");
        assert_eq!(
            transliterate("Jürgen Müller-Lüdenscheidt", Some(lang)),
            "Juergen Mueller-Luedenscheidt"
        );
    }
    let de = Some("de_DE");
    assert_eq!(
        transliterate("Straße ÄÖÜ äöü Åse ẞ", de),
        "Strasse AeOeUe aeoeue Aase SS"
    );
    // decomposed umlauts (u + combining diaeresis, a + combining ring)
    assert_eq!(
        transliterate("Mu\u{308}ller A\u{30A}se", de),
        "Mueller Aase"
    );
    for lang in ["en_DE", "den", "fr", ""] {
        assert!(!is_german(lang), "{lang}");
    }
}

#[test]
fn french_and_other_latin_locales_strip_accents() {
    let fr = Some("fr_FR");
    assert_eq!(
        transliterate("François Hélène Côté Noël", fr),
        "Francois Helene Cote Noel"
    );
    assert_eq!(transliterate("Jürgen Müller", fr), "Jurgen Muller");
    assert_eq!(transliterate("Mu\u{308}ller", None), "Muller");
    assert_eq!(transliterate("Straße", None), "Strasse");
}

#[test]
fn russian_table() {
    assert_eq!(
        transliterate("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ", Some("ru_RU")),
        "ABVGDEEZhZIJKLMNOPRSTUFKhTsChShShchYEYuYa"
    );
    assert_eq!(
        transliterate("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", None),
        "abvgdeezhzijklmnoprstufkhtschshshchyeyuya"
    );
    assert_eq!(
        transliterate("Хрущёв Объект Мягкий", Some("de")),
        "Khrushchev Obekt Myagkij"
    );
    // Й written as И + combining breve
    assert_eq!(transliterate("И\u{306}осиф", None), "Josif");
}

#[test]
fn turkish_greek_and_chinese() {
    assert_eq!(
        transliterate("Ümit Şahin Çağlar Iğdır İstanbul", Some("tr_TR")),
        "Umit Sahin Caglar Igdir Istanbul"
    );
    // ELOT 743 (ου is ou), see transliteration.rs
    assert_eq!(
        transliterate("Αλέξανδρος Νικολάου", Some("el_GR")),
        "Alexandros Nikolaou"
    );
    assert_eq!(
        transliterate("张伟 王芳", Some("zh_CN")),
        "ZhangWei WangFang"
    );
}

#[test]
fn empty_and_whitespace_inputs() {
    assert_eq!(transliterate("", None), "");
    assert_eq!(transliterate(" \t ", Some("de")), " \t ");
    assert_eq!(uid_from(""), UID_FALLBACK);
    assert_eq!(uid_from(" \t "), "user");
    assert_eq!(uid_from("---...___"), "user");
}

// ---------------------------------------------------------------- uid

#[test]
fn uid_reduction() {
    assert_eq!(uid_from("Mueller-Luedenscheidt"), "mueller-luedenscheidt");
    assert_eq!(uid_from("van der Berg"), "vanderberg");
    assert_eq!(uid_from("O'Neil"), "oneil");
    assert_eq!(uid_from("-_.doe._-"), "doe");
    assert_eq!(uid_from("J.R.R. Tolkien"), "j.r.r.tolkien");
    assert_eq!(uid_from("ZhangWei"), "zhangwei");
    assert_eq!(uid_from("42"), "42");
    assert!(is_valid_uid("doe2"));
    assert!(is_valid_uid("0.a_b-c"));
    for bad in ["", "-doe", ".doe", "Doe", "do e", "dö"] {
        assert!(!is_valid_uid(bad), "{bad}");
    }
}

// ---------------------------------------------------------------- mail syntax

#[test]
fn mail_syntax() {
    for ok in [
        "jane.doe@example.org",
        "j+tag@mail.example.co.uk",
        "a@b.cd",
        "o'neil@example.org",
        "x_y-z@sub-domain.example.org",
    ] {
        assert_eq!(mail_problem(ok), None, "{ok}");
        assert!(is_valid_mail(ok));
    }
    for (bad, reason) in [
        ("jane", "the address has no '@'"),
        ("@example.org", "the local part before '@' is empty"),
        (
            ".jane@example.org",
            "the local part starts or ends with a dot",
        ),
        (
            "jane.@example.org",
            "the local part starts or ends with a dot",
        ),
        ("ja..ne@example.org", "the local part has two dots in a row"),
        (
            "ja ne@example.org",
            "the local part has a character that is not allowed",
        ),
        (
            "jane@localhost",
            "the domain needs at least two labels, like example.org",
        ),
        ("jane@example..org", "the domain has an empty label"),
        (
            "jane@-example.org",
            "a domain label starts or ends with a hyphen",
        ),
        (
            "jane@exa_mple.org",
            "the domain has a character that is not allowed",
        ),
        ("jane@1.2.3.4", "the top-level domain is numeric"),
        ("jürgen@example.org", "only ASCII addresses are supported"),
        ("jane@", "the domain after '@' is empty"),
    ] {
        assert_eq!(mail_problem(bad), Some(reason), "{bad}");
    }
    let long_local = format!("{}@example.org", "a".repeat(65));
    assert_eq!(
        mail_problem(&long_local),
        Some("the local part is longer than 64 characters")
    );
}

// ---------------------------------------------------------------- policies

#[test]
fn template_policies() {
    let p = Policy::parse("%(givenname)s.%(surname)s@%(domain)s").unwrap();
    assert_eq!(p.keys(), ["givenname", "surname", "domain"]);
    let out = p.render(|k| {
        Some(match k {
            "givenname" => "Jane",
            "surname" => "Doe",
            _ => "example.org",
        })
    });
    assert_eq!(out.unwrap(), "Jane.Doe@example.org");
    let pct = Policy::parse("100%% %(x)s").unwrap();
    assert_eq!(pct.render(|_| Some("sure")).unwrap(), "100% sure");
    assert_eq!(
        p.render(|k| (k != "domain").then_some("v")),
        Err("domain".to_owned())
    );
    assert_eq!(p.to_string(), p.source());
}

#[test]
fn expression_policies_follow_python() {
    let cases = [
        ("'%(givenname)s'[0:1].capitalize()", "jÜRGEN", "J"),
        ("'%(givenname)s'.capitalize()", "jÜRGEN", "Jürgen"),
        ("'%(givenname)s'.upper()", "jürgen", "JÜRGEN"),
        ("'%(givenname)s'.lower()", "JÜRGEN", "jürgen"),
        (
            "'%(givenname)s'.title()",
            "anna-lena o'neil",
            "Anna-Lena O'Neil",
        ),
        ("'%(givenname)s'.strip()", "  x  ", "x"),
        ("'%(givenname)s'.lstrip() + '|'", "  x  ", "x  |"),
        ("'%(givenname)s'.rstrip() + '|'", "  x  ", "  x|"),
        ("'%(givenname)s'[-3:]", "Jürgen", "gen"),
        ("'%(givenname)s'[:-3]", "Jürgen", "Jür"),
        ("'%(givenname)s'[1:100]", "Jürgen", "ürgen"),
        ("'%(givenname)s'[4:2]", "Jürgen", ""),
        ("'%(givenname)s'[:]", "Jürgen", "Jürgen"),
        ("'%(givenname)s'[1]", "Jürgen", "ü"),
        ("'%(givenname)s'[-1]", "Jürgen", "n"),
        ("'%(givenname)s'[0]", "", ""),
        ("'%(givenname)s'[9]", "Jürgen", ""),
        ("\"%(givenname)s\"[0] + \"-\" + 'x'", "Jürgen", "J-x"),
        ("'it\\'s %(givenname)s'", "me", "it's me"),
        (
            "'{0}.{1}'.format('%(givenname)s'[0:1], 'doe')",
            "Jane",
            "J.doe",
        ),
        ("'{}-{}'.format('a', 'b').upper()", "", "A-B"),
        ("'{1}{0}{{x}}'.format('a', 'b')", "", "ba{x}"),
        ("'%(givenname)s:{0}'.format('z')", "g", "g:z"),
    ];
    for (policy, value, expected) in cases {
        let p = Policy::parse(policy).unwrap_or_else(|e| panic!("{policy}: {e}"));
        assert_eq!(p.render(|_| Some(value)).unwrap(), expected, "{policy}");
    }
}

#[test]
fn kolab_secondary_form() {
    let p = Policy::parse_kolab_format(
        "{0}.{1}@{2}",
        "format('%(givenname)s'[0:1].capitalize(), '%(surname)s', '%(domain)s')",
    )
    .unwrap();
    assert_eq!(p.keys(), ["givenname", "surname", "domain"]);
    let out = p.render(|k| {
        Some(match k {
            "givenname" => "jane",
            "surname" => "doe",
            _ => "example.org",
        })
    });
    assert_eq!(out.unwrap(), "J.doe@example.org");
    let p = Policy::parse_kolab_format("it's {0}", "format('%(uid)s')").unwrap();
    assert_eq!(p.render(|_| Some("x")).unwrap(), "it's x");
    assert!(Policy::parse_kolab_format("{0}", "lower()").is_err());
}

#[test]
fn input_never_changes_the_structure_of_a_policy() {
    let p = Policy::parse("'%(a)s'[0:2] + '{0}'").unwrap();
    let nasty = "'%(b)s{0}\\' + __import__('os')";
    assert_eq!(p.render(|_| Some(nasty)).unwrap(), "'%{0}");
    let p = Policy::parse("'{0}'.format('%(a)s')").unwrap();
    assert_eq!(p.render(|_| Some(nasty)).unwrap(), nasty);
}

#[test]
fn bad_policies_are_reported_with_position_and_reason() {
    let cases = [
        ("'%(sn)s'.shout()", 9, "unknown method \"shout\""),
        ("'%(sn)s", 0, "unterminated string"),
        ("'%(sn)s'.lower(", 15, "expected ')'"),
        ("'%(sn)s'.lower(1)", 15, "takes no arguments"),
        ("'%(sn)s'[1:2", 12, "expected ']'"),
        ("'%(sn)s'[]", 9, "expected an index or a slice"),
        ("'%(sn)s'[::2]", 10, "expected ']'"),
        ("'%(sn)s'[-]", 9, "expected digits after '-'"),
        ("'%(sn)s' 'x'", 9, "unexpected '\\''"),
        ("'%(sn)s' +", 10, "expected a quoted string, found the end"),
        ("'%(sn)s' + sn", 11, "expected a quoted string, found 's'"),
        (
            "'%(sn)s'.lower().format('x')",
            16,
            "format() can only be called directly on a string literal",
        ),
        (
            "'{0}{3}'.format('x')",
            4,
            "format field {3} has no argument (1 given)",
        ),
        ("'{0}{}'.format('x', 'y')", 4, "cannot mix"),
        ("'{name}'.format('x')", 1, "only positional fields"),
        ("'x}'.format()", 2, "single '}'"),
        ("'{0'.format('x')", 1, "missing '}'"),
        ("'\\n'", 1, "unsupported escape"),
        (
            "%(sn)d",
            5,
            "only the 's' conversion is supported, found %(sn)d",
        ),
        ("%(sn", 0, "unterminated placeholder"),
        ("%()s", 0, "empty placeholder name"),
        ("%(s n)s", 3, "' ' is not allowed in a placeholder name"),
        ("50% off", 2, "a '%' must start a placeholder"),
        ("%(sn)", 0, "missing conversion"),
        ("'%(sn)s'[99999999999999999999]", 9, "too large"),
    ];
    for (policy, position, reason) in cases {
        let err = Policy::parse(policy).expect_err(policy);
        assert_eq!(err.policy, policy);
        assert_eq!(err.position, position, "{policy}: {err}");
        assert!(err.reason.contains(reason), "{policy}: {}", err.reason);
        assert!(err.to_string().starts_with(&format!(
            "bad policy {policy:?} at character offset {position}: "
        )));
    }
}

// ---------------------------------------------------------------- generation (Kolab type)

#[test]
fn kolab_type_generates_every_attribute() {
    let taken = TakenSet::new();
    let all = UserType::kolab();
    let wanted = [
        "cn",
        "displayname",
        "uid",
        "mail",
        "mailalternateaddress",
        "userpassword",
    ];
    let values = gen(&all, &wanted, &jurgen(), &taken).unwrap();
    assert_eq!(values.text("cn"), Some("Jürgen Müller"));
    assert_eq!(values.text("displayname"), Some("Müller, Jürgen"));
    assert_eq!(values.text("uid"), Some("mueller"));
    assert_eq!(values.text("mail"), Some("juergen.mueller@example.org"));
    assert_eq!(
        values.list("mailalternateaddress").unwrap(),
        ["j.mueller@example.org", "mueller@example.org"]
    );
    let password = values.secret("userpassword").unwrap().expose().to_owned();
    assert!(PasswordPolicy::default().is_satisfied_by(&password));
    assert_eq!(values.len(), 6);
    assert!(values.notes().is_empty());
    // the password never shows in Debug output
    assert!(!format!("{values:?}").contains(&password));
    // everything handed out is reserved
    assert!(taken.contains("uid", "mueller"));
    assert!(taken.contains("mail", "juergen.mueller@example.org"));
    assert!(taken.contains("mail", "j.mueller@example.org"));
}

#[test]
fn two_jane_does_in_one_batch() {
    let taken = TakenSet::new();
    let kolab = FormGenerator::new(&UserType::kolab()).unwrap();
    let jane = FormInput::new()
        .with("givenname", "Jane")
        .with("sn", "Doe")
        .with("domain", "example.org");
    let wanted = ["uid", "mail", "mailalternateaddress"];
    let first = block_on(kolab.generate(&wanted, &jane, &taken)).unwrap();
    let second = block_on(kolab.generate(&wanted, &jane, &taken)).unwrap();
    let third = block_on(kolab.generate(&wanted, &jane, &taken)).unwrap();
    assert_eq!(first.text("uid"), Some("doe"));
    assert_eq!(second.text("uid"), Some("doe2"));
    assert_eq!(third.text("uid"), Some("doe3"));
    assert_eq!(first.text("mail"), Some("jane.doe@example.org"));
    assert_eq!(second.text("mail"), Some("jane.doe2@example.org"));
    assert_eq!(
        first.list("mailalternateaddress").unwrap(),
        ["j.doe@example.org", "doe@example.org"]
    );
    // the second Jane's initial alias belongs to the first; her uid alias is her own
    assert_eq!(
        second.list("mailalternateaddress").unwrap(),
        ["doe2@example.org"]
    );
    assert_eq!(
        second.notes(),
        [GenerationNote::AliasTaken {
            attribute: "mailalternateaddress".into(),
            address: "j.doe@example.org".into()
        }]
    );
}

#[test]
fn names_are_tidied() {
    let taken = TakenSet::new();
    let input = FormInput::new()
        .with("givenname", "  ")
        .with("sn", " van   der Berg ");
    let values = gen(
        &UserType::kolab(),
        &["cn", "displayname", "uid"],
        &input,
        &taken,
    )
    .unwrap();
    assert_eq!(values.text("cn"), Some("van der Berg"));
    assert_eq!(values.text("displayname"), Some("van der Berg"));
    assert_eq!(values.text("uid"), Some("vanderberg"));
}

#[test]
fn missing_input_names_the_key() {
    let taken = TakenSet::new();
    let input = FormInput::new().with("givenname", "Jane");
    let err = gen(&UserType::kolab(), &["uid"], &input, &taken).unwrap_err();
    assert!(
        matches!(&err, FormError::MissingInput { attribute, key } if attribute == "uid" && key == "sn"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "cannot generate uid: input \"sn\" is missing"
    );
    let input = FormInput::new().with("givenname", "Jane").with("sn", "Doe");
    let err = gen(&UserType::kolab(), &["mail"], &input, &taken).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot generate mail: input \"domain\" is missing"
    );
    // null counts as missing
    let input = FormInput::new().with("sn", serde_json::Value::Null);
    assert!(matches!(
        gen(&UserType::kolab(), &["uid"], &input, &taken),
        Err(FormError::MissingInput { .. })
    ));
}

#[test]
fn optional_fields_are_skipped_with_a_note() {
    let taken = TakenSet::new();
    let input = FormInput::new().with("givenname", "Jane").with("sn", "Doe");
    let values = gen(
        &UserType::kolab(),
        &["uid", "mailalternateaddress"],
        &input,
        &taken,
    )
    .unwrap();
    assert_eq!(values.text("uid"), Some("doe"));
    assert_eq!(values.get("mailalternateaddress").map(|_| ()), None);
    assert_eq!(
        values.notes(),
        [GenerationNote::Skipped {
            attribute: "mailalternateaddress".into(),
            missing: "domain".into()
        }]
    );
}

#[test]
fn input_of_the_wrong_type_is_an_error() {
    let taken = TakenSet::new();
    let input = FormInput::new().with("sn", json!(["Doe", "Smith"]));
    let err = gen(&UserType::kolab(), &["uid"], &input, &taken).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot generate uid: input \"sn\" is not a string"
    );
}

#[test]
fn unknown_attribute_is_an_error() {
    let err = gen(
        &UserType::kolab(),
        &["shoe_size"],
        &jurgen(),
        &TakenSet::new(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "user type \"kolab\" has no auto form field \"shoe_size\""
    );
}

#[test]
fn invalid_generated_mail_is_an_error() {
    let taken = TakenSet::new();
    for (domain, reason) in [
        (
            "localhost",
            "the domain needs at least two labels, like example.org",
        ),
        ("münchen.de", "only ASCII addresses are supported"),
    ] {
        let input = jurgen().with("domain", domain);
        match gen(&UserType::kolab(), &["mail"], &input, &taken) {
            Err(FormError::InvalidMail {
                attribute,
                value,
                reason: why,
            }) => {
                assert_eq!(attribute, "mail");
                assert_eq!(value, format!("Juergen.Mueller@{domain}"));
                assert_eq!(why, reason);
            }
            other => panic!("{other:?}"),
        }
    }
    // names made only of symbols leave no local part
    let input = FormInput::new()
        .with("givenname", "!!")
        .with("sn", "??")
        .with("domain", "example.org");
    assert!(matches!(
        gen(&UserType::kolab(), &["mail"], &input, &taken),
        Err(FormError::InvalidMail { .. })
    ));
}

#[test]
fn mail_local_part_is_cleaned() {
    let taken = TakenSet::new();
    let input = FormInput::new()
        .with("givenname", "Anne Marie")
        .with("sn", "O'Neil")
        .with("domain", "Example.ORG");
    let values = gen(&UserType::kolab(), &["mail"], &input, &taken).unwrap();
    assert_eq!(values.text("mail"), Some("annemarie.oneil@example.org"));
    let input = FormInput::new()
        .with("givenname", "")
        .with("sn", "Doe")
        .with("domain", "example.org");
    let values = gen(&UserType::kolab(), &["mail"], &input, &taken).unwrap();
    assert_eq!(values.text("mail"), Some("doe@example.org"));
}

#[test]
fn editing_an_entry_never_collides_with_itself() {
    let dn = "uid=doe,cn=users,dc=example,dc=org";
    let taken = TakenSet::new();
    taken.insert_owned("uid", "doe", dn);
    let input = FormInput::new().with("sn", "Doe");
    let own = block_on(generate_for_entry(
        &UserType::kolab(),
        &["uid"],
        &input,
        &taken,
        Some(dn),
    ))
    .unwrap();
    assert_eq!(own.text("uid"), Some("doe"));
    let other = gen(&UserType::kolab(), &["uid"], &input, &taken).unwrap();
    assert_eq!(other.text("uid"), Some("doe2"));

    // an entry that already has doe5 keeps it, even after a batch moved the suffix hint on
    let taken = TakenSet::new();
    let generator = FormGenerator::new(&UserType::kolab()).unwrap();
    for _ in 0..6 {
        block_on(generator.generate(&["uid"], &input, &taken)).unwrap();
    }
    assert!(taken.remove("uid", "doe5"));
    taken.insert_owned("uid", "doe5", "uid=doe5");
    let again =
        block_on(generator.generate_for_entry(&["uid"], &input, &taken, Some("uid=doe5"))).unwrap();
    assert_eq!(again.text("uid"), Some("doe5"));
}

#[test]
fn taken_set_is_case_insensitive_and_counts() {
    let taken = TakenSet::new();
    taken.insert("uid", "Doe");
    taken.extend("mail", ["A@Example.org", "b@example.org"]);
    assert!(taken.contains("uid", "DOE"));
    assert_eq!(taken.len("mail"), 2);
    assert!(block_on(taken.is_taken("mail", "a@example.ORG", None)).unwrap());
    assert!(!block_on(taken.is_taken("uid", "doe2", None)).unwrap());
    let input = FormInput::new().with("sn", "DOE");
    let values = gen(&UserType::kolab(), &["uid"], &input, &taken).unwrap();
    assert_eq!(values.text("uid"), Some("doe2"));
    assert!(!taken.is_empty());
    assert_eq!(
        format!("{taken:?}"),
        "TakenSet { values: [(\"mail\", 2), (\"uid\", 2)], backend: false }"
    );
}

/// A backend that counts calls and says `taken` for the values it holds.
struct Backend {
    used: Vec<&'static str>,
    calls: AtomicUsize,
    fail: bool,
}

#[derive(Debug)]
struct Down;
impl std::fmt::Display for Down {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("directory unreachable")
    }
}
impl std::error::Error for Down {}

impl Taken for Backend {
    fn is_taken<'a>(
        &'a self,
        _attribute: &'a str,
        value: &'a str,
        _exclude: Option<&'a str>,
    ) -> BoxFuture<'a, Result<bool, TakenError>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let result = if self.fail {
            Err(TakenError::new(Down))
        } else {
            Ok(self.used.contains(&value))
        };
        Box::pin(async move { result })
    }
}

#[test]
fn taken_set_in_front_of_a_backend() {
    let backend = Arc::new(Backend {
        used: vec!["doe"],
        calls: AtomicUsize::new(0),
        fail: false,
    });
    let taken = TakenSet::with_backend(backend.clone());
    let input = FormInput::new().with("sn", "Doe");
    let generator = FormGenerator::new(&UserType::kolab()).unwrap();
    let first = block_on(generator.generate(&["uid"], &input, &taken)).unwrap();
    assert_eq!(first.text("uid"), Some("doe2"));
    assert_eq!(backend.calls.load(Ordering::SeqCst), 2); // doe (taken), doe2 (free)
    let second = block_on(generator.generate(&["uid"], &input, &taken)).unwrap();
    assert_eq!(second.text("uid"), Some("doe3"));
    // doe asked again, doe2 answered by the set (hint skips it), doe3 asked
    assert_eq!(backend.calls.load(Ordering::SeqCst), 4);
}

#[test]
fn backend_failure_is_reported_with_its_cause() {
    let backend = Backend {
        used: vec![],
        calls: AtomicUsize::new(0),
        fail: true,
    };
    let err = gen(
        &UserType::kolab(),
        &["uid"],
        &FormInput::new().with("sn", "Doe"),
        &backend,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "could not check whether uid \"doe\" is taken"
    );
    assert_eq!(
        err.source().map(|s| s.to_string()),
        Some("directory unreachable".to_owned())
    );
    match err {
        FormError::Uniqueness { source, .. } => assert!(source.into_inner().is::<Down>()),
        other => panic!("{other:?}"),
    }
}

struct AlwaysTaken(AtomicUsize);
impl Taken for AlwaysTaken {
    fn is_taken<'a>(
        &'a self,
        _: &'a str,
        _: &'a str,
        _: Option<&'a str>,
    ) -> BoxFuture<'a, Result<bool, TakenError>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(true) })
    }
}

#[test]
fn suffixes_are_bounded() {
    let taken = AlwaysTaken(AtomicUsize::new(0));
    let err = block_on(make_unique(&taken, "uid", "doe", None)).unwrap_err();
    assert!(
        matches!(&err, FormError::SuffixesExhausted { attribute, base, tried } if attribute == "uid" && base == "doe" && *tried == MAX_SUFFIX_ATTEMPTS)
    );
    assert_eq!(
        taken.0.load(Ordering::SeqCst),
        1 + MAX_SUFFIX_ATTEMPTS as usize
    );
    assert_eq!(
        err.to_string(),
        "no free uid found for \"doe\" after trying 1000 numeric suffixes"
    );
}

#[test]
fn make_unique_puts_mail_suffix_before_the_at() {
    let taken = TakenSet::new();
    taken.insert("mail", "j.doe@example.org");
    assert_eq!(
        block_on(make_unique(&taken, "mail", "j.doe@example.org", None)).unwrap(),
        "j.doe2@example.org"
    );
    assert_eq!(
        block_on(make_unique(&taken, "uid", "j.doe@example.org", None)).unwrap(),
        "j.doe@example.org"
    );
}

// ---------------------------------------------------------------- built-in UDM and Kelvin types

#[test]
fn kelvin_school_user_from_first_and_last_name() {
    let kelvin = UserType::kelvin_school_user();
    let taken = TakenSet::new();
    let input = FormInput::new()
        .with("firstname", "Jürgen")
        .with("lastname", "Müller")
        .with("preferredlanguage", "de")
        .with("domain", "school.example.org");
    let values = gen(&kelvin, &["name", "email", "password"], &input, &taken).unwrap();
    assert_eq!(values.text("name"), Some("mueller"));
    assert_eq!(
        values.text("email"),
        Some("juergen.mueller@school.example.org")
    );
    assert_eq!(
        values.secret("password").unwrap().expose().chars().count(),
        15
    );
    // without a domain, the optional email is skipped
    let input = FormInput::new()
        .with("firstname", "Jürgen")
        .with("lastname", "Müller");
    let values = gen(&kelvin, &["name", "email"], &input, &taken).unwrap();
    assert_eq!(values.text("name"), Some("muller"));
    assert_eq!(
        values.notes(),
        [GenerationNote::Skipped {
            attribute: "email".into(),
            missing: "domain".into()
        }]
    );
}

#[test]
fn udm_user_type_uses_udm_property_names() {
    let udm = UserType::udm_user();
    let taken = TakenSet::new();
    let input = FormInput::new()
        .with("firstname", "Анна")
        .with("lastname", "Щукина")
        .with("domain", "example.org");
    let wanted = [
        "username",
        "displayName",
        "mailPrimaryAddress",
        "mailAlternativeAddress",
        "password",
    ];
    let values = gen(&udm, &wanted, &input, &taken).unwrap();
    assert_eq!(values.text("username"), Some("shchukina"));
    assert_eq!(values.text("displayName"), Some("Щукина, Анна"));
    assert_eq!(
        values.text("mailPrimaryAddress"),
        Some("anna.shchukina@example.org")
    );
    assert_eq!(
        values.list("mailAlternativeAddress").unwrap(),
        ["a.shchukina@example.org", "shchukina@example.org"]
    );
    assert!(values.secret("password").is_some());
    // UDM's firstname is optional: without it the optional fields are skipped
    let input = FormInput::new()
        .with("lastname", "Doe")
        .with("domain", "example.org");
    let values = gen(&udm, &wanted, &input, &taken).unwrap();
    assert_eq!(values.text("username"), Some("doe"));
    assert_eq!(values.text("displayName"), None);
    assert_eq!(values.notes().len(), 3);
}

#[test]
fn kolab_policies_work_on_kelvin_names_through_synonyms() {
    let json = json!({
        "key": "custom",
        "name": "Custom",
        "attributes": {
            "form_fields": {"firstname": {}, "lastname": {}},
            "auto_form_fields": {
                "name": {"data": ["firstname", "lastname"], "generator": "uid",
                         "policy": "'%(givenname)s'[0:1] + '.' + '%(surname)s'"},
                "email": {"generator": "mail", "policy": "%(uid)s@%(domain)s"},
                "initials": {"generator": "text", "policy": "'%(givenname)s'[0].upper() + '%(sn)s'[0].upper()"}
            }
        }
    });
    let user_type = UserType::from_json(&json.to_string()).unwrap();
    let taken = TakenSet::new();
    let input = FormInput::new()
        .with("firstname", "zoë")
        .with("lastname", "Ørsted")
        .with("Domain", "example.org");
    let values = gen(&user_type, &["initials", "email", "name"], &input, &taken).unwrap();
    assert_eq!(values.text("name"), Some("z.orsted"));
    assert_eq!(values.text("email"), Some("z.orsted@example.org"));
    assert_eq!(values.text("initials"), Some("ZØ"));
}

// ---------------------------------------------------------------- passwords

#[test]
fn default_passwords() {
    let policy = PasswordPolicy::default();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..1000 {
        let password = policy.generate().unwrap();
        let text = password.expose();
        assert_eq!(text.len(), 15);
        assert!(text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'));
        assert!(text.chars().any(|c| c.is_ascii_lowercase()));
        assert!(text.chars().any(|c| c.is_ascii_uppercase()));
        assert!(text.chars().any(|c| c.is_ascii_digit()));
        assert!(seen.insert(text.to_owned()), "repeated password");
        assert_eq!(format!("{password:?}"), "Secret([REDACTED])");
    }
}

#[test]
fn custom_password_policies() {
    let policy = PasswordPolicy {
        length: 4,
        classes: vec![
            CharClass::new("ab", 2),
            CharClass::new("XY", 2),
            CharClass::new("!", 0),
        ],
    };
    for _ in 0..200 {
        let password = policy.generate().unwrap();
        assert!(
            policy.is_satisfied_by(password.expose()),
            "{}",
            password.expose()
        );
        let text = password.expose();
        assert_eq!(text.chars().filter(|c| "ab".contains(*c)).count(), 2);
    }
    // an injected CSPRNG makes generation reproducible
    let a = policy.generate_with(&mut StdRng::seed_from_u64(7)).unwrap();
    let b = policy.generate_with(&mut StdRng::seed_from_u64(7)).unwrap();
    assert_eq!(a.expose(), b.expose());
    assert!(!policy.is_satisfied_by("abab"));
    assert!(!policy.is_satisfied_by("abXYZ"));
}

#[test]
fn impossible_password_policies_are_refused() {
    let cases = [
        (
            PasswordPolicy {
                length: 0,
                ..PasswordPolicy::default()
            },
            "length 0 is not between 1 and 4096",
        ),
        (
            PasswordPolicy {
                length: 5000,
                ..PasswordPolicy::default()
            },
            "length 5000 is not between 1 and 4096",
        ),
        (
            PasswordPolicy {
                length: 8,
                classes: vec![],
            },
            "at least one character class is needed",
        ),
        (
            PasswordPolicy {
                length: 8,
                classes: vec![CharClass::new("", 0)],
            },
            "character class 0 is empty",
        ),
        (
            PasswordPolicy {
                length: 8,
                classes: vec![CharClass::new("a b", 0)],
            },
            "character class 0 contains the whitespace or control character ' '",
        ),
        (
            PasswordPolicy {
                length: 2,
                classes: vec![CharClass::new("a", 2), CharClass::new("b", 1)],
            },
            "the classes require at least 3 characters, but the length is 2",
        ),
    ];
    for (policy, reason) in cases {
        let err = policy.generate().unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("invalid password policy: {reason}")
        );
    }
}

// ---------------------------------------------------------------- user types as JSON

#[test]
fn user_types_load_from_kolab_json() {
    let json = json!({
        "id": "1", "key": "kolab", "name": "Kolab user", "description": "A user", "is_default": true, "used_for": "hosted",
        "attributes": {
            "auto_form_fields": {
                "cn": {"data": ["givenname", "sn"]},
                "uid": {"data": ["givenname", "preferredlanguage", "sn"]},
                "mail": {"data": ["givenname", "preferredlanguage", "sn"], "policy": "%(givenname)s.%(surname)s@%(domain)s"},
                "mailalternateaddress": {"data": ["givenname", "sn"], "optional": true,
                    "secondary": [{"{0}.{1}@{2}": "format('%(givenname)s'[0:1].capitalize(), '%(surname)s', '%(domain)s')"}, "%(uid)s@%(domain)s"]},
                "userpassword": {"data": [], "password": {"length": 20, "classes": [{"chars": "abc", "min": 1}, {"chars": "0123456789"}]}}
            },
            "form_fields": {
                "givenname": {}, "sn": {"maxlength": 64},
                "preferredlanguage": {"type": "select", "values": ["de_DE", "en_US"], "optional": true},
                "alias": {"type": "list", "optional": true, "autocomplete": true}
            },
            "fields": {"objectclass": ["top", "inetorgperson"]}
        }
    });
    let user_type = UserType::from_json(&json.to_string()).unwrap();
    assert_eq!(user_type.key, "kolab");
    assert_eq!(
        user_type.auto_attributes(),
        ["cn", "mail", "mailalternateaddress", "uid", "userpassword"]
    );
    assert_eq!(user_type.attributes.form_fields["sn"].maxlength, Some(64));
    assert_eq!(
        user_type.attributes.form_fields["preferredlanguage"].field_type,
        FieldType::Select
    );
    assert!(user_type.attributes.form_fields["alias"].autocomplete);
    let values = gen(
        &user_type,
        &["mailalternateaddress", "uid", "userpassword"],
        &jurgen(),
        &TakenSet::new(),
    )
    .unwrap();
    assert_eq!(
        values.list("mailalternateaddress").unwrap(),
        ["j.mueller@example.org", "mueller@example.org"]
    );
    let password = values.secret("userpassword").unwrap().expose().to_owned();
    assert_eq!(password.len(), 20);
    assert!(password.chars().all(|c| "abc0123456789".contains(c)));
    // serializes back to the same type
    let again: UserType =
        serde_json::from_str(&serde_json::to_string(&user_type).unwrap()).unwrap();
    assert_eq!(again, user_type);
}

#[test]
fn flat_user_type_json_is_accepted() {
    let user_type =
        UserType::from_json(r#"{"form_fields": {"sn": {}}, "auto_form_fields": {"uid": {}}}"#)
            .unwrap();
    assert_eq!(user_type.key, "");
    assert_eq!(user_type.auto_attributes(), ["uid"]);
    let values = gen(
        &user_type,
        &["uid"],
        &FormInput::new().with("sn", "Doe"),
        &TakenSet::new(),
    )
    .unwrap();
    assert_eq!(values.text("uid"), Some("doe"));
}

#[test]
fn broken_user_types_are_refused_with_a_reason() {
    let both = r#"{"key": "x", "form_fields": {}, "attributes": {}}"#;
    assert!(UserType::from_json(both)
        .unwrap_err()
        .to_string()
        .contains("not both"));
    let typo = r#"{"form_fields": {"sn": {"optinal": true}}}"#;
    let err = UserType::from_json(typo).unwrap_err();
    assert!(matches!(err, FormError::Json(_)));
    assert!(err.to_string().contains("unknown field `optinal`"), "{err}");
    let bad_type = r#"{"form_fields": {"sn": {"type": "checkbox"}}}"#;
    assert!(UserType::from_json(bad_type)
        .unwrap_err()
        .to_string()
        .contains("unknown variant `checkbox`"));
    let no_generator = r#"{"auto_form_fields": {"initials": {"data": ["givenname"]}}}"#;
    assert!(
        matches!(UserType::from_json(no_generator).unwrap_err(), FormError::UnknownGenerator { attribute } if attribute == "initials")
    );
    let no_policy = r#"{"auto_form_fields": {"initials": {"generator": "text"}}}"#;
    assert_eq!(
        UserType::from_json(no_policy).unwrap_err().to_string(),
        "auto form field \"initials\" uses the text generator but has no policy"
    );
    let bad_policy = r#"{"auto_form_fields": {"uid": {"policy": "'%(sn)s'.reverse()"}}}"#;
    match UserType::from_json(bad_policy).unwrap_err() {
        FormError::BadPolicy { attribute, source } => {
            assert_eq!(attribute, "uid");
            assert_eq!(source.position, 9);
        }
        other => panic!("{other:?}"),
    }
    let bad_secondary =
        r#"{"auto_form_fields": {"alias": {"secondary": [{"{0}@{1}": "format('%(uid)s')"}]}}}"#;
    assert!(UserType::from_json(bad_secondary)
        .unwrap_err()
        .to_string()
        .contains("format field {1} has no argument (1 given)"));
    let bad_password = r#"{"auto_form_fields": {"userpassword": {"password": {"length": 1, "classes": [{"chars": "a", "min": 2}]}}}}"#;
    assert!(matches!(
        UserType::from_json(bad_password).unwrap_err(),
        FormError::InvalidPasswordPolicy { .. }
    ));
}

#[test]
fn built_in_types_are_consistent() {
    for user_type in [
        UserType::kolab(),
        UserType::udm_user(),
        UserType::kelvin_school_user(),
    ] {
        user_type.check().unwrap();
        let json = serde_json::to_string(&user_type).unwrap();
        assert_eq!(UserType::from_json(&json).unwrap(), user_type);
    }
}

// ---------------------------------------------------------------- validation

#[test]
fn valid_input_has_no_problems() {
    let input = jurgen()
        .with("alias", json!(["jm@example.org"]))
        .with("mail", "j@example.org");
    assert_eq!(validate(&UserType::kolab(), &input), vec![]);
}

#[test]
fn every_problem_of_every_field_is_reported() {
    let input = FormInput::new()
        .with("givenname", 42)
        .with("sn", "   ")
        .with("preferredlanguage", "xx_XX")
        .with("alias", json!(["ok@example.org", 7, "not-an-address"]))
        .with("mail", "broken@")
        .with("shoe_size", "44")
        .with("domain", "example.org")
        .with("objectclass", json!(["top"]));
    let problems = validate(&UserType::kolab(), &input);
    let got: Vec<(&str, &ProblemKind)> = problems
        .iter()
        .map(|p| (p.field.as_str(), &p.kind))
        .collect();
    assert_eq!(
        got,
        [
            (
                "alias[1]",
                &ProblemKind::WrongType {
                    expected: "a string"
                }
            ),
            (
                "alias[2]",
                &ProblemKind::InvalidMail {
                    reason: "the address has no '@'"
                }
            ),
            (
                "givenname",
                &ProblemKind::WrongType {
                    expected: "a string"
                }
            ),
            (
                "mail",
                &ProblemKind::InvalidMail {
                    reason: "the domain after '@' is empty"
                }
            ),
            ("objectclass", &ProblemKind::FixedField),
            ("preferredlanguage", &ProblemKind::NotAllowed),
            ("shoe_size", &ProblemKind::UnknownField),
            ("sn", &ProblemKind::Required),
        ]
    );
    let messages: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        messages[2],
        "givenname: givenname must be a string, but is a number."
    );
    assert_eq!(messages[5], "preferredlanguage: preferredlanguage is \"xx_XX\", which is not one of the allowed values [de_DE, de_AT, de_CH, en_US, en_GB, fr_FR, es_ES, it_IT, nl_NL, pl_PL, ru_RU, tr_TR, el_GR, zh_CN].");
    assert_eq!(
        messages[6],
        "shoe_size: shoe_size is not a field of user type \"kolab\", so its value would be lost."
    );
    let grouped = problems_by_field(&problems);
    assert_eq!(grouped["alias"].len(), 2);
    assert_eq!(grouped["sn"].len(), 1);
}

#[test]
fn list_select_and_length_rules() {
    let json = json!({"key": "t", "form_fields": {
        "code": {"maxlength": 3},
        "tags": {"type": "list", "maxlength": 2, "optional": true},
        "roles": {"type": "multiselect", "values": ["a", "b"]},
        "contact": {"optional": true, "format": "mail"}
    }});
    let user_type = UserType::from_json(&json.to_string()).unwrap();
    let input = FormInput::new()
        .with("code", "ÄÖÜ")
        .with("tags", json!(["ok", "long"]))
        .with("roles", json!(["a", "c"]))
        .with("contact", "nobody");
    let problems = validate(&user_type, &input);
    let got: Vec<(&str, &ProblemKind)> = problems
        .iter()
        .map(|p| (p.field.as_str(), &p.kind))
        .collect();
    assert_eq!(
        got,
        [
            (
                "contact",
                &ProblemKind::InvalidMail {
                    reason: "the address has no '@'"
                }
            ),
            ("roles[1]", &ProblemKind::NotAllowed),
            ("tags[1]", &ProblemKind::TooLong { max: 2, length: 4 }),
        ]
    );
    let wrong = FormInput::new()
        .with("code", json!(["x"]))
        .with("roles", "a")
        .with("tags", json!([]));
    let got: Vec<(String, ProblemKind)> = validate(&user_type, &wrong)
        .into_iter()
        .map(|p| (p.field, p.kind))
        .collect();
    assert_eq!(
        got,
        [
            (
                "code".to_owned(),
                ProblemKind::WrongType {
                    expected: "a string"
                }
            ),
            (
                "roles".to_owned(),
                ProblemKind::WrongType {
                    expected: "a list of strings"
                }
            ),
        ]
    );
    let empty_required = FormInput::new().with("roles", json!([]));
    let got: Vec<String> = validate(&user_type, &empty_required)
        .into_iter()
        .map(|p| p.to_string())
        .collect();
    assert_eq!(
        got,
        ["code: code is required.", "roles: roles is required."]
    );
}

#[test]
fn secrets_never_appear_in_problems_or_debug() {
    let json = json!({"key": "t", "form_fields": {"recovery_password": {"type": "select", "values": ["x"]}}});
    let user_type = UserType::from_json(&json.to_string()).unwrap();
    let input = FormInput::new().with("recovery_password", "hunter2");
    let problems = validate(&user_type, &input);
    assert_eq!(problems.len(), 1);
    assert!(
        !problems[0].message.contains("hunter2"),
        "{}",
        problems[0].message
    );
    assert!(problems[0].message.contains("the value"));
    let shown = format!("{input:?}");
    assert!(
        !shown.contains("hunter2") && shown.contains("[redacted]"),
        "{shown}"
    );
}

#[test]
fn kelvin_type_validates_roles() {
    let input = FormInput::new()
        .with("firstname", "Jane")
        .with("lastname", "Doe")
        .with("roles", json!(["student", "janitor"]))
        .with("domain", "example.org");
    let problems = validate(&UserType::kelvin_school_user(), &input);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].field, "roles[1]");
    assert_eq!(problems[0].kind, ProblemKind::NotAllowed);
}

/// A 13 KB policy of nested `format()` calls overflowed the stack and
/// aborted the process; now it is a clear error naming the limit.
#[test]
fn deeply_nested_policies_are_refused_not_a_stack_overflow() {
    let depth = 2_000;
    let nested = format!(
        "{}'%(sn)s'{}",
        "'{0}'.format(".repeat(depth),
        ")".repeat(depth)
    );
    assert!(nested.len() > 13_000);
    let error = Policy::parse(&nested).expect_err("too deep");
    assert!(
        error.to_string().contains("nested deeper than 16 levels"),
        "{error}"
    );
    let ok = format!(
        "{}'%(sn)s'{}",
        "'{0}'.format(".repeat(MAX_POLICY_DEPTH),
        ")".repeat(MAX_POLICY_DEPTH)
    );
    let policy = Policy::parse(&ok).expect("at the limit");
    assert_eq!(
        policy.render(|k| (k == "sn").then_some("doe")).as_deref(),
        Ok("doe")
    );
}

/// Class minimums that add up past `usize::MAX` overflowed (a panic in debug
/// builds); now the policy is invalid with a reason.
#[test]
fn overflowing_class_minimums_are_an_invalid_policy() {
    let policy = PasswordPolicy {
        length: 20,
        classes: vec![CharClass::new("ab", usize::MAX), CharClass::new("cd", 2)],
    };
    let error = policy.check().expect_err("overflow");
    assert!(
        error.to_string().contains("add up to more than any length"),
        "{error}"
    );
    assert!(policy.generate().is_err());
}
