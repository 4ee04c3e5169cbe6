//! `generate`: computing auto form fields (cn, displayname, uid, mail, aliases, password)
//! from form input.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;

use super::mail::clean_mail;
use super::{
    make_unique, make_unique_within, transliterate, uid_from, FormError, FormInput, Generator,
    PasswordPolicy, Policy, Reservation, Taken, UserType,
};
use crate::Secret;

/// A generated value.
#[derive(Clone, Debug)]
pub enum GeneratedValue {
    /// One string (cn, displayname, uid, mail, text).
    Text(String),
    /// Several strings (aliases).
    List(Vec<String>),
    /// A password ([`Secret`]: `Debug` and `Display` show `[REDACTED]`).
    Secret(Secret),
}

/// Something generation decided that the caller should know about.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum GenerationNote {
    /// An optional field was not generated because an input is missing.
    Skipped {
        /// The attribute.
        attribute: String,
        /// The missing input key.
        missing: String,
    },
    /// An alias was left out because another entry already uses the address.
    AliasTaken {
        /// The aliases attribute.
        attribute: String,
        /// The address.
        address: String,
    },
    /// An auto field whose value the directory assigns (`uidnumber`, `gidnumber`,
    /// `mailhost`) was asked for and left out.
    LeftToServer {
        /// The attribute.
        attribute: String,
    },
    /// An alias was left out because it is not a valid address.
    AliasInvalid {
        /// The aliases attribute.
        attribute: String,
        /// The rendered address.
        address: String,
        /// Why it is invalid.
        reason: &'static str,
    },
}

/// The result of [`generate`]: values by attribute name, plus notes.
#[derive(Clone, Debug, Default)]
pub struct Generated {
    values: BTreeMap<String, GeneratedValue>,
    notes: Vec<GenerationNote>,
}

impl Generated {
    /// The value of `attribute`.
    pub fn get(&self, attribute: &str) -> Option<&GeneratedValue> {
        self.values.get(attribute)
    }

    /// The value of `attribute` if it is text.
    pub fn text(&self, attribute: &str) -> Option<&str> {
        match self.values.get(attribute) {
            Some(GeneratedValue::Text(text)) => Some(text),
            _ => None,
        }
    }

    /// The value of `attribute` if it is a list.
    pub fn list(&self, attribute: &str) -> Option<&[String]> {
        match self.values.get(attribute) {
            Some(GeneratedValue::List(list)) => Some(list),
            _ => None,
        }
    }

    /// The value of `attribute` if it is a secret (password).
    pub fn secret(&self, attribute: &str) -> Option<&Secret> {
        match self.values.get(attribute) {
            Some(GeneratedValue::Secret(secret)) => Some(secret),
            _ => None,
        }
    }

    /// Notes about skipped fields and left-out aliases.
    pub fn notes(&self) -> &[GenerationNote] {
        &self.notes
    }

    /// The values, sorted by attribute.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &GeneratedValue)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Number of generated values.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether nothing was generated.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The values by attribute.
    pub fn into_values(self) -> BTreeMap<String, GeneratedValue> {
        self.values
    }
}

#[derive(Clone, Debug)]
struct CompiledField {
    generator: Generator,
    optional: bool,
    policy: Option<Policy>,
    secondary: Vec<Policy>,
    password: PasswordPolicy,
    maxlength: Option<usize>,
}

/// A user type with all policies parsed: parse once, generate for many users.
///
/// ```
/// # futures::executor::block_on(async {
/// use ucs::forms::{FormGenerator, FormInput, TakenSet, UserType};
/// let generator = FormGenerator::new(&UserType::kolab()).unwrap();
/// let taken = TakenSet::new();
/// for expected in ["mueller", "mueller2"] {
///     let input = FormInput::new()
///         .with("givenname", "Jürgen")
///         .with("sn", "Müller")
///         .with("preferredlanguage", "de_DE")
///         .with("domain", "example.org");
///     let values = generator.generate(&["uid", "mail", "cn"], &input, &taken).await.unwrap();
///     assert_eq!(values.text("uid"), Some(expected));
///     assert_eq!(values.text("cn"), Some("Jürgen Müller"));
/// }
/// # });
/// ```
#[derive(Clone, Debug)]
pub struct FormGenerator {
    user_type: String,
    fields: BTreeMap<String, CompiledField>,
    blank_missing: bool,
}

impl FormGenerator {
    /// Parses every policy of `user_type`.
    pub fn new(user_type: &UserType) -> Result<FormGenerator, FormError> {
        Self::compile(user_type, |_| true)
    }

    /// Parses the policies of the auto form fields `wanted` only (unknown names are
    /// reported when generating).
    fn for_attributes(user_type: &UserType, wanted: &[&str]) -> Result<FormGenerator, FormError> {
        Self::compile(user_type, |attribute| wanted.contains(&attribute))
    }

    fn compile(
        user_type: &UserType,
        include: impl Fn(&str) -> bool,
    ) -> Result<FormGenerator, FormError> {
        let mut fields = BTreeMap::new();
        for (attribute, field) in &user_type.attributes.auto_form_fields {
            if !include(attribute) {
                continue;
            }
            let generator = field.generator_for(attribute)?;
            let password = field.password.clone().unwrap_or_default();
            let compiled = CompiledField {
                generator,
                optional: field.optional,
                policy: field.main_policy(attribute)?,
                secondary: match generator {
                    Generator::Aliases => field.secondary_policies(attribute)?,
                    _ => Vec::new(),
                },
                password,
                maxlength: field.maxlength,
            };
            if generator == Generator::Password {
                compiled.password.check()?;
            }
            fields.insert(attribute.clone(), compiled);
        }
        Ok(FormGenerator {
            user_type: user_type.key.clone(),
            fields,
            blank_missing: false,
        })
    }

    /// Whether an input that is only whitespace counts as missing: a required field
    /// using it fails with [`FormError::BlankInput`] naming the input, an optional one
    /// is skipped with a note. The default (`false`) renders it as it is, as Kolab does
    /// (a blank given name leaves `cn` as the surname). [`UserValues`](super::UserValues)
    /// turns it on.
    pub fn blank_inputs_missing(mut self, missing: bool) -> FormGenerator {
        self.blank_missing = missing;
        self
    }

    /// Generates the `wanted` auto form fields for a new entry (see [`generate`]).
    pub async fn generate(
        &self,
        wanted: &[&str],
        input: &FormInput,
        taken: &dyn Taken,
    ) -> Result<Generated, FormError> {
        self.generate_for_entry(wanted, input, taken, None).await
    }

    /// Generates the `wanted` auto form fields for the entry `exclude` (its DN or current
    /// uid), which never collides with itself (see [`generate_for_entry`]).
    pub async fn generate_for_entry(
        &self,
        wanted: &[&str],
        input: &FormInput,
        taken: &dyn Taken,
        exclude: Option<&str>,
    ) -> Result<Generated, FormError> {
        self.generate_with(wanted, input, taken, exclude, None)
            .await
    }

    /// [`FormGenerator::generate_for_entry`] with the longest user name overriding the
    /// `maxlength` of the type's uid fields.
    pub(crate) async fn generate_with(
        &self,
        wanted: &[&str],
        input: &FormInput,
        taken: &dyn Taken,
        exclude: Option<&str>,
        uid_max: Option<usize>,
    ) -> Result<Generated, FormError> {
        let mut order: Vec<(&str, &CompiledField)> = Vec::with_capacity(wanted.len());
        for attribute in wanted {
            let Some((name, field)) = self.fields.get_key_value(*attribute) else {
                return Err(FormError::UnknownAttribute {
                    user_type: self.user_type.clone(),
                    attribute: (*attribute).to_owned(),
                });
            };
            if !order.iter().any(|(n, _)| *n == name.as_str()) {
                order.push((name.as_str(), field));
            }
        }
        // Dependency order: names first, then uid, mail, aliases, text, password.
        order.sort_by_key(|(_, field)| field.generator);

        let language = match input.lookup("preferredlanguage") {
            Some(Value::String(lang)) => Some(lang.clone()),
            _ => None,
        };
        let mut run = Run {
            input,
            blank_missing: self.blank_missing,
            uid_max,
            language,
            context: BTreeMap::new(),
            out: Generated::default(),
        };
        for (attribute, field) in order {
            run.field(attribute, field, taken, exclude).await?;
        }
        Ok(run.out)
    }
}

/// Generates the `wanted` auto form fields of `user_type` from `input`, for a new entry.
///
/// * `cn` = "givenname sn", `displayname` = "sn, givenname" (whitespace tidied),
/// * `uid` from its policy (default: the surname), transliterated by
///   `preferredlanguage`, reduced by [`uid_from`], made unique (`doe`, `doe2`, ...),
/// * `mail` from its policy (e.g. `%(givenname)s.%(surname)s@%(domain)s`), transliterated,
///   lower-cased, validated, made unique,
/// * aliases from the secondary policies, minus the primary address and addresses in use
///   (see [`GenerationNote`]),
/// * passwords from the field's [`PasswordPolicy`].
///
/// Policy keys are looked up in the values generated so far (so an alias policy may use
/// `%(uid)s`), then in `input` with [synonyms](super::KEY_SYNONYMS). A key that is missing
/// is a [`FormError::MissingInput`] naming it, unless the field is optional (then it is
/// skipped with a note). Every uid and mail handed out is [reserved](Taken::reserve) in
/// `taken`, so a batch sharing one [`TakenSet`](super::TakenSet) gets unique values.
/// Parses the wanted fields' policies on every call; use [`FormGenerator`] for batches.
pub async fn generate(
    user_type: &UserType,
    wanted: &[&str],
    input: &FormInput,
    taken: &dyn Taken,
) -> Result<Generated, FormError> {
    FormGenerator::for_attributes(user_type, wanted)?
        .generate(wanted, input, taken)
        .await
}

/// Like [`generate`], for the existing entry `exclude` (its DN or current uid): values it
/// already owns are not counted as taken.
pub async fn generate_for_entry(
    user_type: &UserType,
    wanted: &[&str],
    input: &FormInput,
    taken: &dyn Taken,
    exclude: Option<&str>,
) -> Result<Generated, FormError> {
    FormGenerator::for_attributes(user_type, wanted)?
        .generate_for_entry(wanted, input, taken, exclude)
        .await
}

struct Run<'a> {
    input: &'a FormInput,
    /// Whether text that is only whitespace counts as missing.
    blank_missing: bool,
    /// The longest user name, overriding the fields' `maxlength`.
    uid_max: Option<usize>,
    language: Option<String>,
    /// Values generated so far, by attribute name and by generator name (`uid`, `mail`).
    context: BTreeMap<String, String>,
    out: Generated,
}

/// Outcome of collecting a policy's inputs.
enum Inputs<'p, 'v> {
    Ready(Vec<(&'p str, Cow<'v, str>)>),
    Missing(String),
    Blank(String),
}

impl Run<'_> {
    /// The values of `policy`'s keys, transliterated if asked (except `domain`).
    fn inputs<'p, 's>(
        &'s self,
        attribute: &str,
        policy: &'p Policy,
        ascii: bool,
    ) -> Result<Inputs<'p, 's>, FormError> {
        let mut values = Vec::new();
        for key in policy.keys() {
            let value: &str = match self.context.get(key) {
                Some(generated) => generated,
                None => match self.input.lookup(key) {
                    None => return Ok(Inputs::Missing(key.to_owned())),
                    Some(Value::String(text)) if self.blank_missing && text.trim().is_empty() => {
                        return Ok(Inputs::Blank(key.to_owned()))
                    }
                    Some(Value::String(text)) => text,
                    Some(_) => {
                        return Err(FormError::InputNotText {
                            attribute: attribute.to_owned(),
                            key: key.to_owned(),
                        })
                    }
                },
            };
            let value = if ascii && key != "domain" && !value.is_ascii() {
                Cow::Owned(transliterate(value, self.language.as_deref()))
            } else {
                Cow::Borrowed(value)
            };
            values.push((key, value));
        }
        Ok(Inputs::Ready(values))
    }

    /// Renders `policy`; `Ok(None)` if an input is missing and the field is optional.
    fn render(
        &mut self,
        attribute: &str,
        field: &CompiledField,
        policy: &Policy,
        ascii: bool,
    ) -> Result<Option<String>, FormError> {
        let rendered = match self.inputs(attribute, policy, ascii)? {
            Inputs::Ready(values) => policy.render(|key: &str| {
                values
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.as_ref())
            }),
            Inputs::Missing(key) => Err(key),
            Inputs::Blank(key) if !field.optional => {
                return Err(FormError::BlankInput {
                    attribute: attribute.to_owned(),
                    key,
                })
            }
            Inputs::Blank(key) => Err(key),
        };
        match rendered {
            Ok(text) => Ok(Some(text)),
            Err(key) => self.missing(attribute, field, key),
        }
    }

    fn missing(
        &mut self,
        attribute: &str,
        field: &CompiledField,
        key: String,
    ) -> Result<Option<String>, FormError> {
        if field.optional {
            self.out.notes.push(GenerationNote::Skipped {
                attribute: attribute.to_owned(),
                missing: key,
            });
            Ok(None)
        } else {
            Err(FormError::MissingInput {
                attribute: attribute.to_owned(),
                key,
            })
        }
    }

    fn set_text(&mut self, attribute: &str, generator: Generator, value: String) {
        self.context
            .insert(generator.as_str().to_owned(), value.clone());
        self.context.insert(attribute.to_owned(), value.clone());
        self.out
            .values
            .insert(attribute.to_owned(), GeneratedValue::Text(value));
    }

    async fn field(
        &mut self,
        attribute: &str,
        field: &CompiledField,
        taken: &dyn Taken,
        exclude: Option<&str>,
    ) -> Result<(), FormError> {
        match field.generator {
            Generator::Cn | Generator::Displayname | Generator::Text => {
                let Some(policy) = &field.policy else {
                    return Ok(());
                };
                if let Some(text) = self.render(attribute, field, policy, false)? {
                    let text = if field.generator == Generator::Text {
                        text
                    } else {
                        tidy_name(&text)
                    };
                    self.set_text(attribute, field.generator, text);
                }
            }
            Generator::Uid => {
                let Some(policy) = &field.policy else {
                    return Ok(());
                };
                if let Some(text) = self.render(attribute, field, policy, true)? {
                    let base = uid_from(&text);
                    let uid = match self.uid_max.or(field.maxlength) {
                        Some(max) => make_unique_within(taken, "uid", &base, exclude, max).await?,
                        None => make_unique(taken, "uid", &base, exclude).await?,
                    };
                    self.set_text(attribute, Generator::Uid, uid);
                }
            }
            Generator::Mail => {
                let Some(policy) = &field.policy else {
                    return Ok(());
                };
                if let Some(text) = self.render(attribute, field, policy, true)? {
                    let address = clean_mail(&text).map_err(|reason| FormError::InvalidMail {
                        attribute: attribute.to_owned(),
                        value: text.clone(),
                        reason,
                    })?;
                    let mail = make_unique(taken, "mail", &address, exclude).await?;
                    self.set_text(attribute, Generator::Mail, mail);
                }
            }
            Generator::Aliases => self.aliases(attribute, field, taken, exclude).await?,
            Generator::Homedirectory => {
                let Some(policy) = &field.policy else {
                    return Ok(());
                };
                if let Some(path) = self.render(attribute, field, policy, true)? {
                    self.set_text(attribute, Generator::Homedirectory, path);
                }
            }
            Generator::Server => self.out.notes.push(GenerationNote::LeftToServer {
                attribute: attribute.to_owned(),
            }),
            Generator::Password => {
                let password = field.password.generate()?;
                self.out
                    .values
                    .insert(attribute.to_owned(), GeneratedValue::Secret(password));
            }
        }
        Ok(())
    }

    async fn aliases(
        &mut self,
        attribute: &str,
        field: &CompiledField,
        taken: &dyn Taken,
        exclude: Option<&str>,
    ) -> Result<(), FormError> {
        let mut rendered = Vec::new();
        for policy in &field.secondary {
            match self.render(attribute, field, policy, true)? {
                Some(text) => rendered.push(text),
                None => return Ok(()), // optional and an input is missing: noted
            }
        }
        let primary = self
            .context
            .get("mail")
            .cloned()
            .or_else(|| {
                self.input
                    .lookup("mail")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .map(|m| m.to_ascii_lowercase());
        let mut aliases: Vec<String> = Vec::new();
        for text in rendered {
            let address = match clean_mail(&text) {
                Ok(address) => address,
                Err(reason) => {
                    self.out.notes.push(GenerationNote::AliasInvalid {
                        attribute: attribute.to_owned(),
                        address: text,
                        reason,
                    });
                    continue;
                }
            };
            if primary.as_deref() == Some(address.as_str()) || aliases.contains(&address) {
                continue;
            }
            let used = taken
                .is_taken("mail", &address, exclude)
                .await
                .map_err(|source| FormError::Uniqueness {
                    attribute: attribute.to_owned(),
                    value: address.clone(),
                    source,
                })?;
            if used {
                self.out.notes.push(GenerationNote::AliasTaken {
                    attribute: attribute.to_owned(),
                    address,
                });
                continue;
            }
            taken.reserve(&Reservation {
                attribute: "mail",
                value: &address,
                owner: exclude,
                base: &address,
                suffix: None,
            });
            aliases.push(address);
        }
        self.out
            .values
            .insert(attribute.to_owned(), GeneratedValue::List(aliases));
        Ok(())
    }
}

/// Collapses whitespace runs to one space and trims whitespace and commas at both ends
/// (so "Doe, " for a missing given name becomes "Doe").
fn tidy_name(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .trim_matches(|c: char| c == ',' || c.is_whitespace())
        .to_owned()
}
