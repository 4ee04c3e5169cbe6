//! Form values, Kolab style: user names, e-mail addresses and initial
//! passwords generated from first and last name, unique against the
//! directory and within the batch, transliterated by each row's language.
//!
//! What it shows:
//!
//! * `UserValues::kelvin` with a naming policy (`NamePolicy::FirstInitialLastName`:
//!   `jmueller`; addresses `first.last@domain`) and the uniqueness check
//!   against the server (`KelvinTaken`): one Jürgen Müller already has
//!   `jmueller`, so the next ones get `jmueller2`, `jmueller3`;
//! * a language per row (`FillRow::new(user, "de-DE")`): German umlauts
//!   become `ue`, `oe`, `ss` in German rows and lose their dots elsewhere;
//!   Greek names follow ELOT 743 (the Greek passport standard), Ukrainian
//!   names the Ukrainian national table;
//! * a first name that is only blanks is reported, naming the field;
//! * passwords are `ucs::Secret`s: they print as `[REDACTED]`, also in
//!   `Debug` output, and are never shown;
//! * Kolab's own user type (`UserType::kolab()`): `cn`, `displayname`,
//!   `uid`, `mail`, aliases and `userpassword` from `givenname` and `sn`.
//!
//! Runs against an embedded `ucs-sim` by default:
//!
//! ```text
//! cargo run -p ucs --example form_values
//! ```
//!
//! or against a real server (`Kelvin::from_env`; it creates one user in
//! `EXAMPLE_SCHOOL`, default the first school, and deletes it at the end;
//! addresses are in `EXAMPLE_MAIL_DOMAIN`, default `example.com`):
//!
//! ```text
//! UCS_HOST=https://ucs.example.com UCS_USER=Administrator UCS_PASSWORD=... \
//! UCS_CA_FILE=/path/to/ucs-root-ca.pem EXAMPLE_SCHOOL=DEMOSCHOOL \
//! EXAMPLE_MAIL_DOMAIN=school.example.org cargo run -p ucs --example form_values
//! ```

use ucs::forms::{FormGenerator, FormInput, NamePolicy, UserType, UserValues};
use ucs::kelvin::{FillRow, Kelvin, KelvinTaken, NewUser};

/// The rows of the batch: first name, last name, the row's language.
const ROWS: [(&str, &str, &str); 8] = [
    ("Jürgen", "Müller", "de-DE"),
    ("Jürgen", "Müller", "de-DE"),
    ("Jürgen", "Müller", "fr-FR"),
    ("Zoë", "Weiß", "de-DE"),
    ("Ευάγγελος", "Παπαδόπουλος", "el-GR"),
    ("Χαράλαμπος", "Μπακογιάννης", "el-GR"),
    ("Олексій", "Шевченко", "uk-UA"),
    ("   ", "Schmidt", "de-DE"),
];

/// One row as generated and printed.
#[derive(Debug)]
pub struct Row {
    /// The row's language.
    pub language: &'static str,
    /// The user with its generated values, or why there are none.
    pub result: Result<NewUser, ucs::Error>,
    /// The line printed for it.
    pub printed: String,
}

/// The demo, against any Kelvin server; `school` holds the one account it
/// creates (and deletes again).
pub async fn run(kelvin: &Kelvin, school: &str, mail_domain: &str) -> ucs::Result<Vec<Row>> {
    // An account that exists already: the generated names must avoid it.
    let existing = kelvin
        .users()
        .create(
            NewUser::student("Jürgen", "Müller")
                .name("jmueller")
                .email(format!("juergen.mueller@{mail_domain}"))
                .school(school)
                .class("forms")
                .record_uid("form-values-existing")
                .source_uid("form-values-example")
                .password("Existing-Passw0rd!"),
        )
        .await?;
    println!(
        "exists already: {} <{}>",
        existing.name,
        existing.email.as_deref().unwrap_or("")
    );

    let values = UserValues::kelvin(KelvinTaken::new(kelvin.clone()))
        .mail_domain(mail_domain)
        .uid_policy(NamePolicy::FirstInitialLastName)
        .mail_policy(NamePolicy::FirstNameDotLastName);
    let batch = ROWS.iter().map(|(first, last, language)| {
        FillRow::new(NewUser::student(*first, *last).school(school), *language)
    });
    // one directory search for the batch; names unique within it too
    let filled = NewUser::fill_missing_many(batch, &values, |_| {}).await?;

    println!("generated:");
    let mut rows = Vec::new();
    for ((first, last, language), result) in ROWS.iter().zip(filled) {
        let printed = line(language, &format!("{first:?} {last:?}"), &result);
        println!("  {printed}");
        rows.push(Row {
            language,
            result,
            printed,
        });
    }
    if let Some(Ok(user)) = rows.first().map(|r| &r.result) {
        println!(
            "the first row's user as Debug shows the password as {:?}",
            user.password
        );
    }

    kolab_style(kelvin, mail_domain).await?;

    kelvin.users().delete(&existing.name).await?;
    kelvin.classes().delete(school, "forms").await?;
    println!("deleted {}", existing.name);
    Ok(rows)
}

/// One printed row: language, name, and the generated values or the error.
fn line(language: &str, person: &str, result: &ucs::Result<NewUser>) -> String {
    match result {
        Ok(user) => format!(
            "{language}  {person:<28} -> {:<15} {:<38} password {}",
            user.name.as_deref().unwrap_or(""),
            user.email.as_deref().unwrap_or(""),
            // a Secret prints as [REDACTED]; expose() is for sending it
            user.password
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ),
        Err(error) => format!("{language}  {person:<28} -> {error}"),
    }
}

/// Kolab's own user type: every auto field of a Kolab user from one form.
async fn kolab_style(kelvin: &Kelvin, mail_domain: &str) -> ucs::Result<()> {
    let generator = FormGenerator::new(&UserType::kolab()).map_err(ucs::Error::Form)?;
    let input = FormInput::new()
        .with("givenname", "Jürgen")
        .with("sn", "Müller-Lüdenscheidt")
        .with("preferredlanguage", "de_DE")
        .with("domain", mail_domain);
    let wanted = [
        "cn",
        "displayname",
        "uid",
        "mail",
        "mailalternateaddress",
        "userpassword",
    ];
    // uniqueness of `uid` and `mail` against the same directory
    let taken = KelvinTaken::new(kelvin.clone());
    let generated = generator
        .generate(&wanted, &input, &taken)
        .await
        .map_err(ucs::Error::Form)?;
    println!("a Kolab user from givenname and sn:");
    for (attribute, value) in generated.iter() {
        let shown = match value {
            ucs::forms::GeneratedValue::Text(text) => text.clone(),
            ucs::forms::GeneratedValue::List(list) => list.join(", "),
            ucs::forms::GeneratedValue::Secret(secret) => secret.to_string(),
        };
        println!("  {attribute:<21} {shown}");
    }
    Ok(())
}

#[allow(dead_code)]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    // Keeps the embedded emulator alive while the demo runs.
    let mut _sim = None;
    let (kelvin, school) = match std::env::var("UCS_HOST") {
        Ok(_) => {
            let kelvin = Kelvin::from_env()?;
            let school = match std::env::var("EXAMPLE_SCHOOL") {
                Ok(school) => school,
                Err(_) => kelvin
                    .schools()
                    .search(None)
                    .await?
                    .first()
                    .map(|s| s.name.clone())
                    .ok_or("the server has no school")?,
            };
            (kelvin, school)
        }
        Err(_) => {
            let sim = ucs_sim::Sim::builder().spawn().await?;
            println!("(using the embedded emulator at {})", sim.base_url());
            let (user, password) = sim.admin();
            let kelvin = Kelvin::builder(sim.base_url())
                .credentials(user, password)
                .build()?;
            _sim = Some(sim);
            (kelvin, "DEMOSCHOOL".to_string())
        }
    };
    let domain = std::env::var("EXAMPLE_MAIL_DOMAIN").unwrap_or_else(|_| "example.com".into());
    run(&kelvin, &school, &domain).await?;
    Ok(())
}
