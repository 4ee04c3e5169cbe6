//! Reading rosters: encodings, delimiters, quoted fields, header lines, JSON Lines, the
//! column mapping (ucs-school-import/modules/ucsschool/importer/reader/csv_reader.py,
//! `CsvReader.read`, `get_encoding`, `get_dialect`, `map`, `handle_input`, `get_roles`;
//! repository univention/ucsschool-kelvin-rest-api, release 4.0.0).

use ucs_sync::config::{CsvSettings, UserRole};
use ucs_sync::input::Encoding;
use ucs_sync::record::{map_row, Memberships};
use ucs_sync::{Roster, SyncConfig};

use crate::support::day;

fn settings() -> CsvSettings {
    CsvSettings::default()
}

#[test]
fn utf8_with_bom_windows_1252_and_quoted_fields() {
    let bom = b"\xEF\xBB\xBFName;Klasse\r\n\"M\xC3\xBCller; J\xC3\xBCrgen\";\"1a,2b\"\r\n";
    let roster = Roster::from_csv(bom, &settings()).unwrap();
    assert_eq!(roster.encoding(), Some(Encoding::Utf8Bom));
    assert_eq!(
        roster.columns(),
        ["Name", "Klasse"],
        "the BOM is not part of the first column"
    );
    assert_eq!(roster.rows()[0].get("Name"), Some("Müller; Jürgen"));
    assert_eq!(roster.rows()[0].get("Klasse"), Some("1a,2b"));

    let cp1252 = b"Name,Ort\nM\xFCller,K\xF6ln \x80\n";
    let roster = Roster::from_csv(cp1252, &settings()).unwrap();
    assert_eq!(roster.encoding(), Some(Encoding::Windows1252));
    assert_eq!(roster.rows()[0].get("Ort"), Some("Köln €"));

    let tabs = "a\tb\n 1 \t\"x\ty\"\n\n2\t3\n".as_bytes();
    let roster = Roster::from_csv(tabs, &settings()).unwrap();
    assert_eq!(roster.len(), 2, "blank lines are skipped");
    assert_eq!(roster.rows()[0].get("a"), Some("1"), "values are trimmed");
    assert_eq!(roster.rows()[0].get("b"), Some("x\ty"));
    assert_eq!(roster.rows()[1].line, 4, "line numbers count every line");
}

#[test]
fn header_lines_other_than_one_name_columns_by_position() {
    let mut s = settings();
    s.header_lines = 2;
    let roster = Roster::from_csv(b"export of 2026\nA,B,C\nx,y,z\n", &s).unwrap();
    assert_eq!(roster.columns(), ["0", "1", "2"]);
    assert_eq!(roster.rows()[0].get("2"), Some("z"));
    s.header_lines = 0;
    assert_eq!(
        Roster::from_csv(b"x,y\n", &s).unwrap().rows()[0].get("1"),
        Some("y")
    );
}

#[test]
fn json_lines() {
    let text = b"{\"id\": 1, \"first\": \" Anna \", \"classes\": [\"1a\", \"2b\"], \"gone\": null}\n\n{\"id\": 2}\n";
    let roster = Roster::from_json_lines(text).unwrap();
    assert_eq!(roster.len(), 2);
    let row = &roster.rows()[0];
    assert_eq!(
        (
            row.get("id"),
            row.get("first"),
            row.get("classes"),
            row.get("gone")
        ),
        (Some("1"), Some("Anna"), Some("1a,2b"), Some(""))
    );
    assert_eq!(roster.rows()[1].line, 3);
    let err = Roster::from_json_lines(b"{\"a\": 1}\n[1]\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 2: not a JSON object"), "{err}");
}

fn mapped(
    csv: &str,
    config: &SyncConfig,
) -> Result<ucs_sync::record::Record, Vec<ucs_sync::Problem>> {
    let roster = Roster::from_csv(csv.as_bytes(), &config.csv).unwrap();
    map_row(&roster.rows()[0], config, day(2026, 3, 1))
}

#[test]
fn mapping_roles_schools_classes_and_udm_properties() {
    let json = r#"{"source_uid": "sis", "school": "DEMOSCHOOL",
        "csv": {"mapping": {"Rolle": "__role", "Vorname": "firstname", "Nachname": "lastname",
            "Schulen": "schools", "Klassen": "school_classes", "Tel": "phone", "x": "__ignore",
            "Benutzer": "username"}, "incell-delimiter": {"Tel": "|"}}}"#;
    let config = SyncConfig::from_import_json(&[json]).unwrap();
    let r = mapped(
        "Rolle,Vorname,Nachname,Schulen,Klassen,Tel,x,Benutzer\nstaffteacher,Ö,Ü,\"DEMOSCHOOL2,Grundschule Süd\",\"DEMOSCHOOL2-1a, 2b\",1|2,?,jdoe\n",
        &config,
    )
    .unwrap();
    // _csv_roles_mapping: staffteacher = teacher and staff
    assert_eq!(r.role, UserRole::TeacherAndStaff);
    // make_school: the configured school is not among the row's schools, so the first of
    // the sorted schools becomes primary (make_schools)
    assert_eq!(r.schools, ["DEMOSCHOOL2", "Grundschule Sued"]);
    assert_eq!(r.school, "DEMOSCHOOL2");
    let Memberships::Set(classes) = &r.school_classes else {
        panic!("classes set")
    };
    assert_eq!(
        classes["DEMOSCHOOL2"],
        ["1a", "2b"],
        "an unprefixed class is in the primary school"
    );
    assert_eq!(r.udm_properties["phone"], serde_json::json!(["1", "2"]));
    assert_eq!(
        r.name.as_deref(),
        Some("jdoe"),
        "the UDM property username is the name (make_username)"
    );
    assert_eq!(r.source_uid, "sis");

    let problems = mapped(
        "Rolle,Vorname,Nachname,Schulen,Klassen,Tel,x,Benutzer\npupil,a,b,,,,,\n",
        &config,
    )
    .unwrap_err();
    assert_eq!(problems[0].code, "unknown_role");
}

#[test]
fn staff_never_have_classes_and_a_foreign_source_is_refused() {
    let json = r#"{"source_uid": "sis", "user_role": "staff", "school": "S",
        "csv": {"mapping": {"K": "school_classes", "Q": "source_uid", "G": "birthday"}}}"#;
    let config = SyncConfig::from_import_json(&[json]).unwrap();
    let r = mapped("K,Q,G\n1a,,07/31/09\n", &config).unwrap();
    assert_eq!(r.school_classes, Memberships::Set(Default::default()));
    assert_eq!(r.birthday, Some(day(2009, 7, 31)));
    let problems = mapped("K,Q,G\n1a,other,\n", &config).unwrap_err();
    assert_eq!(
        problems[0].code, "source_uid_differs",
        "make_source_uid: NotSupportedError"
    );
}
