//! Greek and Cyrillic names by their national standards (`ucs::forms::transliterate`).

use ucs::forms::{transliterate, uid_from};

fn each(language: Option<&str>, cases: &[(&str, &str)]) {
    for (name, expected) in cases {
        assert_eq!(
            transliterate(name, language),
            *expected,
            "{name} in {language:?}"
        );
    }
}

/// ELOT 743:2001 = ISO 843:1997, type 2 (transcription), the system of Greek
/// passports and of UN resolution V/19: letters, the γγ/γξ/γχ and μπ rules,
/// ου, and αυ/ευ/ηυ with v before vowels and voiced consonants, f before
/// voiceless ones and at the end of a word.
#[test]
fn greek_names_follow_elot_743() {
    each(
        Some("el_GR"),
        &[
            ("Αλέξανδρος Νικολάου", "Alexandros Nikolaou"),
            ("Γεώργιος Παπαδόπουλος", "Georgios Papadopoulos"),
            ("Ιωάννης Αντετοκούνμπο", "Ioannis Antetokounmpo"),
            ("Ευάγγελος", "Evangelos"),
            ("Ευθύμιος", "Efthymios"),
            ("Ευφροσύνη", "Effrosyni"),
            ("Ευγενία", "Evgenia"),
            ("Παύλος", "Pavlos"),
            ("Αύγουστος", "Avgoustos"),
            ("Ναύπλιο", "Nafplio"),
            ("Μπάμπης", "Bampis"),
            ("Χαράλαμπος", "Charalampos"),
            ("Ντίνος Γκίκας", "Ntinos Gkikas"),
            ("Άγγελος", "Angelos"),
            ("Έλεγχος Σφίγξ", "Elenchos Sfinx"),
            ("Θεοδώρα Ξανθή", "Theodora Xanthi"),
            ("Ψαράς", "Psaras"),
            ("Σπυρίδων", "Spyridon"),
            ("Κωνσταντίνος", "Konstantinos"),
            ("Ηλίας", "Ilias"),
            ("Αικατερίνη", "Aikaterini"),
            ("Ζωή Βασιλείου", "Zoi Vasileiou"),
            ("Δημήτρης Φωτίου", "Dimitris Fotiou"),
        ],
    );
}

/// A diaeresis or an accent on the first vowel splits αυ, ευ, ου, so each
/// letter stands alone.
#[test]
fn greek_diaeresis_splits_pairs() {
    each(
        None,
        &[
            ("Προϋπόθεση", "Proypothesi"),
            ("Ευϊα", "Evia"),
            ("Πραΰς", "Prays"),
            ("Μαΐου", "Maiou"),
            // the same with combining marks (υ + U+0308, ο + U+0301)
            ("Προ\u{3c5}\u{308}πο\u{301}θεση", "Proypothesi"),
        ],
    );
}

/// Greek is Greek in every locale, not a generic letter table.
#[test]
fn greek_in_every_locale() {
    for language in [None, Some("de_DE"), Some("en_US"), Some("ru_RU")] {
        assert_eq!(
            transliterate("Νικολάου", language),
            "Nikolaou",
            "{language:?}"
        );
    }
}

/// Digraphs of capitals: capitalized in a name, all capitals in a word
/// written in capitals.
#[test]
fn greek_capitals() {
    each(
        None,
        &[
            ("ΘΕΟΔΩΡΟΣ ΧΑΤΖΗΣ", "THEODOROS CHATZIS"),
            ("ΜΠΑΚΟΓΙΑΝΝΗ", "BAKOGIANNI"),
            ("ΟΥΡΑΝΙΑ", "OURANIA"),
            ("Ουρανία", "Ourania"),
            ("Θ. Χ.", "Th. Ch."),
        ],
    );
}

/// Ukrainian: the official transliteration, resolution no. 55 of the
/// Cabinet of Ministers of Ukraine (27 January 2010): Г h, Ґ g, И y, І i;
/// Є Ї Й Ю Я initial ye yi y yu ya, elsewhere ie i i iu ia; зг zgh; ь and
/// the apostrophe dropped.
#[test]
fn ukrainian_names_follow_the_national_table() {
    each(
        Some("uk_UA"),
        &[
            ("Олексій Шевченко", "Oleksii Shevchenko"),
            ("Юрій", "Yurii"),
            ("Наталія", "Nataliia"),
            ("Андрій Борисенко", "Andrii Borysenko"),
            ("Дмитро Михайленко", "Dmytro Mykhailenko"),
            ("Богдан", "Bohdan"),
            ("Згурський", "Zghurskyi"),
            ("Ґалаґан", "Galagan"),
            ("Єнакієве", "Yenakiieve"),
            ("Їжакевич", "Yizhakevych"),
            ("Йосипівка", "Yosypivka"),
            ("Знам'янка", "Znamianka"),
            ("Короп\u{2019}є", "Koropie"),
            ("Ярошенко", "Yaroshenko"),
            ("Христина", "Khrystyna"),
            ("Київ", "Kyiv"),
            ("Щербухи", "Shcherbukhy"),
            ("Тернопіль", "Ternopil"),
        ],
    );
}

/// Bulgarian: the Transliteration Act of 2009 (Streamlined System): Ж zh,
/// Й y, Х h, Ц ts, Щ sht, Ъ a, Ь y, Ю yu, Я ya, final ия ia.
#[test]
fn bulgarian_names_follow_the_national_table() {
    each(
        Some("bg_BG"),
        &[
            ("Христо Ботев", "Hristo Botev"),
            ("Йордан Йовков", "Yordan Yovkov"),
            ("Петър Щерев", "Petar Shterev"),
            ("София", "Sofia"),
            ("Мария", "Maria"),
            ("Цветанка Жечева", "Tsvetanka Zhecheva"),
            ("Любомир", "Lyubomir"),
            ("Търговище", "Targovishte"),
            ("Горна Оряховица", "Gorna Oryahovitsa"),
        ],
    );
}

/// Serbian: the Serbian Latin alphabet in ASCII (marks dropped, đ as dj).
#[test]
fn serbian_names_follow_the_latin_alphabet() {
    each(
        Some("sr_RS"),
        &[
            ("Новак Ђоковић", "Novak Djokovic"),
            ("Јелена Јанковић", "Jelena Jankovic"),
            ("Љубица Његош", "Ljubica Njegos"),
            ("Џаја Шапић", "Dzaja Sapic"),
            ("Чолић Ћосић", "Colic Cosic"),
            ("Хаџић", "Hadzic"),
            // Serbian written in Latin letters: đ is dj as well
            ("Đoković", "Djokovic"),
        ],
    );
}

/// Without one of those locales Cyrillic keeps the Russian table.
#[test]
fn cyrillic_keeps_the_russian_table_elsewhere() {
    each(
        Some("ru_RU"),
        &[("Хрущёв", "Khrushchev"), ("Юрий Гагарин", "Yurij Gagarin")],
    );
    // ru_UA is Russian (spoken in Ukraine): the language decides, not the country
    assert_eq!(transliterate("Юрий", Some("ru_UA")), "Yurij");
    assert_eq!(transliterate("Юрій", Some("uk")), "Yurii");
    // a Russian letter in a Ukrainian name uses the Russian table
    assert_eq!(transliterate("Ёлка", Some("uk_UA")), "Elka");
}

#[test]
fn user_names_from_national_tables() {
    assert_eq!(
        uid_from(&transliterate("Παπαδόπουλος", Some("el_GR"))),
        "papadopoulos"
    );
    assert_eq!(
        uid_from(&transliterate("Шевченко", Some("uk"))),
        "shevchenko"
    );
    assert_eq!(uid_from(&transliterate("Ђоковић", Some("sr"))), "djokovic");
}
