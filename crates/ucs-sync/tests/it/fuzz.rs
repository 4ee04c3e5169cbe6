//! Random and adversarial bytes into every input parser of the sync: CSV
//! rosters (any encoding, any delimiter), JSON Lines, the importer's JSON
//! configuration and plan files. Each returns a value or an error; none
//! panics.

use proptest::prelude::*;
use ucs_sync::config::CsvSettings;
use ucs_sync::{Plan, Roster, SyncConfig};

fn csv_like() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..1024),
        "[a-zA-Z0-9;,\t\"\r\n äöüß€-]{0,400}".prop_map(String::into_bytes),
        "\\PC{0,300}".prop_map(|s| [b"\xEF\xBB\xBF".as_slice(), s.as_bytes()].concat()),
    ]
}

proptest! {
    #[test]
    fn rosters_of_any_bytes_never_panic(bytes in csv_like(), header_lines in 0usize..3) {
        let settings = CsvSettings { header_lines, ..CsvSettings::default() };
        if let Ok(roster) = Roster::from_csv(&bytes, &settings) {
            prop_assert!(roster.rows().len() <= bytes.len() + 1);
        }
        let _ = Roster::from_json_lines(&bytes);
    }

    #[test]
    fn configurations_and_plans_of_any_text_never_panic(text in "\\PC{0,400}") {
        let _ = SyncConfig::from_import_json(&[text.as_str()]);
        let _ = Plan::from_json(&text);
    }

    #[test]
    fn json_shaped_configurations_never_panic(
        key in prop::sample::select(vec!["csv", "scheme", "user_role", "school", "source_uid",
            "deletion_grace_period", "no_delete", "tolerate_errors", "username", "mapping", "ucs_sync"]),
        value in "\\PC{0,40}",
        number in any::<i64>(),
    ) {
        for doc in [
            format!(r#"{{"{key}": "{value}"}}"#),
            format!(r#"{{"{key}": {number}}}"#),
            format!(r#"{{"{key}": {{"mapping": {{"a": {number}}}, "max_length": {{"default": {number}}}}}}}"#),
            format!(r#"{{"{key}": [null, {number}, "{value}"]}}"#),
        ] {
            let _ = SyncConfig::from_import_json(&[doc.as_str()]);
        }
    }
}
