//! Built-in user types: Kolab's own, a UDM `users/user` and a Kelvin school user.

use std::collections::BTreeMap;

use serde_json::json;

use super::{AutoFormField, FieldType, FormField, Generator, TypeAttributes, UserType};

fn text(optional: bool) -> FormField {
    FormField {
        optional,
        ..FormField::default()
    }
}

fn auto(
    generator: Generator,
    data: &[&str],
    optional: bool,
    policy: Option<&str>,
) -> AutoFormField {
    AutoFormField {
        data: data.iter().map(|d| (*d).to_owned()).collect(),
        optional,
        generator: Some(generator),
        policy: policy.map(str::to_owned),
        ..AutoFormField::default()
    }
}

fn map<V>(entries: Vec<(&str, V)>) -> BTreeMap<String, V> {
    entries
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
}

/// Locales offered by the built-in `preferredlanguage` select fields.
pub const LANGUAGES: [&str; 14] = [
    "de_DE", "de_AT", "de_CH", "en_US", "en_GB", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL",
    "ru_RU", "tr_TR", "el_GR", "zh_CN",
];

impl UserType {
    /// Kolab's default user type, with Kolab's attribute names: form fields `givenname`,
    /// `sn` (required), `initials`, `title`, `preferredlanguage` (select of [`LANGUAGES`]),
    /// `alias` (list); auto fields `cn`, `displayname`, `uid`, `mail`,
    /// `mailalternateaddress` (aliases, optional) and `userpassword`; the `domain` input
    /// feeds the mail policies; static `objectclass`.
    pub fn kolab() -> UserType {
        let name_inputs = ["givenname", "sn"];
        let mail_inputs = ["givenname", "preferredlanguage", "sn", "domain"];
        UserType {
            key: "kolab".into(),
            name: "Kolab user".into(),
            description:
                "A Kolab user with generated cn, displayname, uid, mail, aliases and password"
                    .into(),
            attributes: TypeAttributes {
                form_fields: map(vec![
                    ("givenname", text(false)),
                    ("sn", text(false)),
                    ("initials", text(true)),
                    ("title", text(true)),
                    (
                        "preferredlanguage",
                        FormField {
                            field_type: FieldType::Select,
                            optional: true,
                            values: LANGUAGES.iter().map(|l| (*l).to_owned()).collect(),
                            ..FormField::default()
                        },
                    ),
                    (
                        "alias",
                        FormField {
                            field_type: FieldType::List,
                            optional: true,
                            ..FormField::default()
                        },
                    ),
                ]),
                auto_form_fields: map(vec![
                    ("cn", auto(Generator::Cn, &name_inputs, false, None)),
                    (
                        "displayname",
                        auto(Generator::Displayname, &name_inputs, false, None),
                    ),
                    (
                        "uid",
                        auto(Generator::Uid, &["sn", "preferredlanguage"], false, None),
                    ),
                    ("mail", auto(Generator::Mail, &mail_inputs, false, None)),
                    (
                        "mailalternateaddress",
                        auto(Generator::Aliases, &mail_inputs, true, None),
                    ),
                    ("userpassword", auto(Generator::Password, &[], false, None)),
                ]),
                fields: map(vec![(
                    "objectclass",
                    json!([
                        "top",
                        "inetorgperson",
                        "kolabinetorgperson",
                        "mailrecipient",
                        "organizationalperson",
                        "person"
                    ]),
                )]),
            },
        }
    }

    /// A UDM `users/user` type with UDM's property names (`firstname`, `lastname`,
    /// `username`, `displayName`, `mailPrimaryAddress`, `mailAlternativeAddress`,
    /// `password`). Policies use those names; Kolab's `givenname`/`sn` also work through
    /// the key synonyms. `lastname` is required, as in UDM; `firstname` is optional, so
    /// `displayName`, `mailPrimaryAddress` and `mailAlternativeAddress` are optional auto
    /// fields (skipped without a first name). The `domain` input feeds the mail policies
    /// and is not a UDM property.
    pub fn udm_user() -> UserType {
        let mail_inputs = ["firstname", "lastname", "preferredLanguage", "domain"];
        UserType {
            key: "udm-users-user".into(),
            name: "UDM user (users/user)".into(),
            description: "A UDM users/user object with generated username, display name, mail addresses and password".into(),
            attributes: TypeAttributes {
                form_fields: map(vec![
                    ("firstname", text(true)),
                    ("lastname", text(false)),
                    ("title", text(true)),
                    ("description", text(true)),
                    ("preferredLanguage", text(true)),
                    (
                        "e-mail",
                        FormField {
                            field_type: FieldType::List,
                            optional: true,
                            ..FormField::default()
                        },
                    ),
                ]),
                auto_form_fields: map(vec![
                    ("username", auto(Generator::Uid, &["lastname", "preferredLanguage"], false, Some("%(lastname)s"))),
                    ("displayName", auto(Generator::Displayname, &["firstname", "lastname"], true, Some("%(lastname)s, %(firstname)s"))),
                    (
                        "mailPrimaryAddress",
                        auto(Generator::Mail, &mail_inputs, true, Some("%(firstname)s.%(lastname)s@%(domain)s")),
                    ),
                    (
                        "mailAlternativeAddress",
                        AutoFormField {
                            secondary: vec![
                                super::SecondaryPolicy::Policy(
                                    "'{0}.{1}@{2}'.format('%(firstname)s'[0:1], '%(lastname)s', '%(domain)s')".into(),
                                ),
                                super::SecondaryPolicy::Policy("%(uid)s@%(domain)s".into()),
                            ],
                            ..auto(Generator::Aliases, &mail_inputs, true, None)
                        },
                    ),
                    ("password", auto(Generator::Password, &[], false, None)),
                ]),
                fields: BTreeMap::new(),
            },
        }
    }

    /// A UCS@school Kelvin school user with Kelvin's field names: form fields `firstname`,
    /// `lastname` (required), `roles` (multiselect of the five roles, required), `school`,
    /// `schools` (list), `record_uid`, `source_uid`, `birthday`, `expiration_date`,
    /// `preferredlanguage`; auto fields `name` (uid from the last name), `email` (optional
    /// mail from first and last name and the `domain` input) and `password`. The role
    /// rules of [`crate::roles`] apply on top.
    pub fn kelvin_school_user() -> UserType {
        let date = FormField {
            optional: true,
            maxlength: Some(10),
            ..FormField::default()
        };
        UserType {
            key: "kelvin-school-user".into(),
            name: "UCS@school user (Kelvin)".into(),
            description: "A UCS@school user created through the Kelvin API, with generated name, email and password".into(),
            attributes: TypeAttributes {
                form_fields: map(vec![
                    ("firstname", text(false)),
                    ("lastname", text(false)),
                    (
                        "roles",
                        FormField {
                            field_type: FieldType::Multiselect,
                            values: crate::roles::Role::ALL.iter().map(|r| r.as_str().to_owned()).collect(),
                            ..FormField::default()
                        },
                    ),
                    ("school", text(true)),
                    (
                        "schools",
                        FormField {
                            field_type: FieldType::List,
                            optional: true,
                            ..FormField::default()
                        },
                    ),
                    ("record_uid", text(true)),
                    ("source_uid", text(true)),
                    ("birthday", date.clone()),
                    ("expiration_date", date),
                    ("preferredlanguage", text(true)),
                ]),
                auto_form_fields: map(vec![
                    ("name", auto(Generator::Uid, &["lastname", "preferredlanguage"], false, Some("%(lastname)s"))),
                    (
                        "email",
                        auto(
                            Generator::Mail,
                            &["firstname", "lastname", "preferredlanguage", "domain"],
                            true,
                            Some("%(firstname)s.%(lastname)s@%(domain)s"),
                        ),
                    ),
                    ("password", auto(Generator::Password, &[], false, None)),
                ]),
                fields: BTreeMap::new(),
            },
        }
    }
}
