//! Kolab-style form values: generated user names, mail addresses, display names and
//! passwords, and validation of form input.
//!
//! Integrators otherwise hand-write the code that turns "Jürgen Müller-Lüdenscheidt,
//! teacher" into a user name, a mail address and a password. This module does it the way
//! the Kolab web admin's `form_value` service does, without Kolab's flaws (no `eval`, no
//! dependence on installed OS locales, no silently dropped values, a configurable
//! password length):
//!
//! * a [`UserType`] (Kolab's JSON shape) says which [`FormField`]s a user fills in and
//!   which [`AutoFormField`]s are computed; built-ins: [`UserType::kolab`],
//!   [`UserType::udm_user`], [`UserType::kelvin_school_user`];
//! * [`generate`] / [`FormGenerator`] compute the auto fields from [`FormInput`] using
//!   [`Policy`] format strings, [`transliterate`], [`uid_from`], mail checks and
//!   [`PasswordPolicy`], made unique through [`Taken`] (in memory: [`TakenSet`]; loaded
//!   from a directory in one search for a batch: [`PreloadedTaken`]);
//! * [`UserValues`] fills a Kelvin or UDM user's missing name, mail address and password,
//!   with [`NamePolicy`] presets, a per-row language and the importer's [`UidLength`];
//! * [`validate`] reports every [`FieldProblem`] of an input.
//!
//! ```
//! # futures::executor::block_on(async {
//! use ucs::forms::{generate, FormInput, TakenSet, UserType};
//! let kelvin = UserType::kelvin_school_user();
//! let input = FormInput::new()
//!     .with("firstname", "Jürgen")
//!     .with("lastname", "Müller-Lüdenscheidt")
//!     .with("preferredlanguage", "de-DE")
//!     .with("domain", "school.example.org");
//! let taken = TakenSet::new();
//! let values = generate(&kelvin, &["name", "email", "password"], &input, &taken).await.unwrap();
//! assert_eq!(values.text("name"), Some("mueller-luedenscheidt"));
//! assert_eq!(values.text("email"), Some("juergen.mueller-luedenscheidt@school.example.org"));
//! assert_eq!(values.secret("password").unwrap().expose().len(), 15);
//! # });
//! ```

mod builtin;
mod error;
mod generate;
mod input;
mod mail;
mod naming;
mod password;
mod policy;
mod preload;
mod taken;
mod transliterate;
mod uid;
mod user_type;
mod validate;
mod values;

pub use builtin::LANGUAGES;
pub use error::{FormError, PolicyError, TakenError};
pub use generate::{
    generate, generate_for_entry, FormGenerator, Generated, GeneratedValue, GenerationNote,
};
pub use input::{FormInput, KEY_SYNONYMS};
pub use mail::{is_valid_mail, mail_problem};
pub use naming::{NamePolicy, UidLength};
pub use password::{CharClass, PasswordPolicy, MAX_PASSWORD_LENGTH};
pub use policy::{Policy, MAX_POLICY_DEPTH};
pub use preload::{PreloadedTaken, TakenSource};
pub use taken::{
    make_unique, make_unique_within, Reservation, Taken, TakenEntry, TakenSet, MAX_SUFFIX_ATTEMPTS,
    SUFFIX_ROOM,
};
pub use transliterate::{is_german, transliterate};
pub use uid::{is_valid_uid, uid_from, UID_FALLBACK};
pub use user_type::{
    AutoFormField, FieldType, FormField, Generator, SecondaryPolicy, TypeAttributes, UserType,
    ValueFormat, DEFAULT_SECONDARY_POLICIES,
};
pub use validate::{problems_by_field, validate, FieldProblem, ProblemKind};
pub(crate) use values::fill_each;
pub use values::{FillProgress, Person, UserValues};
