//! [`UserValues`]: what the Kelvin `NewUser` and UDM `users/user` builders
//! use to fill a missing user name, mail address and password.

use std::sync::Arc;

use super::{
    FormError, FormGenerator, FormInput, Generated, Generator, NamePolicy, Policy, Taken,
    UidLength, UserType,
};
use crate::roles::Role;

/// Fills missing user names, mail addresses and passwords, Kolab style:
/// a user type's generator, a uniqueness backend ([`Taken`]) and the mail
/// domain and language to use. A first or last name that is only whitespace
/// counts as missing ([`FormError::BlankInput`] names it, see
/// [`FormGenerator::blank_inputs_missing`]).
///
/// ```
/// # futures::executor::block_on(async {
/// use ucs::forms::{NamePolicy, TakenSet, UserValues};
/// use ucs::kelvin::NewUser;
/// let values = UserValues::kelvin(TakenSet::new()).mail_domain("school.example.org");
/// let user = NewUser::student("Jürgen", "Müller").school("DEMOSCHOOL").class("1a")
///     .fill_missing(&values).await?;
/// assert_eq!(user.name.as_deref(), Some("mueller"));
/// assert_eq!(user.email.as_deref(), Some("juergen.mueller@school.example.org"));
/// assert!(user.password.is_some());
///
/// // first initial and last name, in the row's own language
/// let values = values.uid_policy(NamePolicy::FirstInitialLastName);
/// let user = NewUser::teacher("Ευάγγελος", "Παπαδόπουλος").school("DEMOSCHOOL")
///     .fill_missing(&values.with_language("el_GR")).await?;
/// assert_eq!(user.name.as_deref(), Some("epapadopoulos"));
/// # Ok::<(), ucs::Error>(()) });
/// ```
#[derive(Clone)]
pub struct UserValues {
    user_type: Arc<UserType>,
    generator: Arc<FormGenerator>,
    taken: Arc<dyn Taken>,
    domain: Option<String>,
    language: String,
    uid_length: Option<UidLength>,
}

impl std::fmt::Debug for UserValues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserValues")
            .field("user_type", &self.user_type.key)
            .field("domain", &self.domain)
            .field("language", &self.language)
            .field("uid_length", &self.uid_length)
            .finish_non_exhaustive()
    }
}

/// Where a batch of fills stands (`fill_missing_many` of Kelvin's `NewUser`
/// and UDM's `Object`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FillProgress {
    /// Rows finished (filled or failed).
    pub done: usize,
    /// Rows that failed so far.
    pub failed: usize,
    /// All rows.
    pub total: usize,
}

/// Fills `items` one after the other (in order, so that equal names count up: `doe`,
/// `doe2`, ...), calling `progress` after each; one result per item, in input order. The
/// `fill_missing_many` of Kelvin's `NewUser` and UDM's `Object`.
pub(crate) async fn fill_each<I, T, E, F>(
    items: Vec<I>,
    progress: impl Fn(FillProgress),
    mut fill: impl FnMut(I) -> F,
) -> Vec<Result<T, E>>
where
    F: std::future::Future<Output = Result<T, E>>,
{
    let total = items.len();
    let mut out = Vec::with_capacity(total);
    let mut failed = 0;
    for item in items {
        let result = fill(item).await;
        failed += usize::from(result.is_err());
        out.push(result);
        progress(FillProgress {
            done: out.len(),
            failed,
            total,
        });
    }
    out
}

/// One person to generate values for: a row of a batch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Person<'a> {
    /// First name (may be empty where the type does not need it).
    pub firstname: &'a str,
    /// Last name.
    pub lastname: &'a str,
    /// The row's `preferredlanguage`, deciding transliteration (`None`: the values'
    /// language).
    pub language: Option<&'a str>,
    /// The person's roles (students get shorter user names, see [`UidLength`]).
    pub roles: &'a [Role],
    /// The entry being edited (its DN or user name), which never collides with itself.
    pub exclude: Option<&'a str>,
}

impl UserValues {
    /// For Kelvin school users ([`UserType::kelvin_school_user`]: `name`,
    /// `email`, `password`), with the importer's longest user names
    /// ([`UidLength::UCS_SCHOOL`]: 20, students 15).
    pub fn kelvin(taken: impl Taken + 'static) -> Self {
        Self::built_in(UserType::kelvin_school_user(), taken).uid_lengths(UidLength::UCS_SCHOOL)
    }

    /// For UDM `users/user` objects ([`UserType::udm_user`]: `username`,
    /// `mailPrimaryAddress`, `password`), without a length limit (see
    /// [`UserValues::max_uid_length`]).
    pub fn udm(taken: impl Taken + 'static) -> Self {
        Self::built_in(UserType::udm_user(), taken)
    }

    fn built_in(user_type: UserType, taken: impl Taken + 'static) -> Self {
        match Self::from_user_type(&user_type, taken) {
            Ok(values) => values,
            // the built-in types' policies are fixed and covered by tests
            Err(e) => unreachable!("built-in user type {}: {e}", user_type.key),
        }
    }

    /// For any user type (its policies are parsed here).
    pub fn from_user_type(
        user_type: &UserType,
        taken: impl Taken + 'static,
    ) -> Result<Self, FormError> {
        Ok(UserValues {
            generator: Arc::new(FormGenerator::new(user_type)?.blank_inputs_missing(true)),
            user_type: Arc::new(user_type.clone()),
            taken: Arc::new(taken),
            domain: None,
            language: "de-DE".to_string(),
            uid_length: None,
        })
    }

    /// The mail domain; without one no mail address is generated.
    pub fn mail_domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// The language that decides transliteration (default `de-DE`: ä -> ae).
    pub fn preferred_language(mut self, language: impl Into<String>) -> Self {
        self.language = language.into();
        self
    }

    /// A copy for one row in another language (cheap: the generator and the
    /// uniqueness backend are shared).
    pub fn with_language(&self, language: impl Into<String>) -> Self {
        self.clone().preferred_language(language)
    }

    /// How user names are made (default [`NamePolicy::LastName`]).
    pub fn uid_policy(self, naming: NamePolicy) -> Self {
        self.with_policy(Generator::Uid, naming.policy())
    }

    /// How the local part of mail addresses is made (default
    /// [`NamePolicy::FirstNameDotLastName`]).
    pub fn mail_policy(self, naming: NamePolicy) -> Self {
        self.with_policy(Generator::Mail, &naming.mail_policy())
    }

    /// User names from a [`Policy`] of one's own (`'%(sn)s'[0:8] + '%(givenname)s'[0:1]`).
    pub fn try_uid_policy(self, policy: &str) -> Result<Self, FormError> {
        self.try_with_policy(Generator::Uid, policy)
    }

    /// Mail addresses from a [`Policy`] of one's own (it must end in `@%(domain)s` or
    /// name another domain).
    pub fn try_mail_policy(self, policy: &str) -> Result<Self, FormError> {
        self.try_with_policy(Generator::Mail, policy)
    }

    fn with_policy(self, generator: Generator, policy: &str) -> Self {
        match self.try_with_policy(generator, policy) {
            Ok(values) => values,
            // the naming policies are fixed and covered by tests
            Err(e) => unreachable!("naming policy {policy:?}: {e}"),
        }
    }

    fn try_with_policy(mut self, generator: Generator, policy: &str) -> Result<Self, FormError> {
        Policy::parse(policy).map_err(|source| FormError::BadPolicy {
            attribute: generator.as_str().to_owned(),
            source,
        })?;
        let mut user_type = (*self.user_type).clone();
        for (attribute, field) in user_type.attributes.auto_form_fields.iter_mut() {
            if field.generator_for(attribute).ok() == Some(generator) {
                field.policy = Some(policy.to_owned());
            }
        }
        self.generator = Arc::new(FormGenerator::new(&user_type)?.blank_inputs_missing(true));
        self.user_type = Arc::new(user_type);
        Ok(self)
    }

    /// The longest user name, for every role.
    pub fn max_uid_length(self, max_length: usize) -> Self {
        self.uid_lengths(UidLength::uniform(max_length))
    }

    /// The longest user names by role (see [`UidLength`]).
    pub fn uid_lengths(mut self, lengths: UidLength) -> Self {
        self.uid_length = Some(lengths);
        self
    }

    /// Whether a mail domain is set.
    pub fn has_mail_domain(&self) -> bool {
        self.domain.is_some()
    }

    /// For a batch: the same values in front of the backend's preload (one directory
    /// search instead of one per candidate, see [`Taken::preload`]); the values
    /// themselves if the backend offers none.
    pub async fn preloaded(&self) -> Result<Self, FormError> {
        let preloaded = self.taken.preload().await.map_err(FormError::Preload)?;
        let mut values = self.clone();
        if let Some(taken) = preloaded {
            values.taken = taken;
        }
        Ok(values)
    }

    /// The uniqueness backend.
    pub fn taken(&self) -> &Arc<dyn Taken> {
        &self.taken
    }

    /// Generates `wanted` from first and last name (plus the domain and
    /// language), for the entry `exclude` if it exists already.
    pub async fn generate(
        &self,
        wanted: &[&str],
        firstname: &str,
        lastname: &str,
        exclude: Option<&str>,
    ) -> Result<Generated, FormError> {
        let person = Person {
            firstname,
            lastname,
            exclude,
            ..Person::default()
        };
        self.generate_for(wanted, &person).await
    }

    /// Generates `wanted` for one person (a row of a batch, with its own
    /// language and roles).
    pub async fn generate_for(
        &self,
        wanted: &[&str],
        person: &Person<'_>,
    ) -> Result<Generated, FormError> {
        let language = person.language.unwrap_or(&self.language);
        let mut input = FormInput::new()
            .with("firstname", person.firstname)
            .with("lastname", person.lastname)
            .with("preferredlanguage", language);
        if let Some(domain) = &self.domain {
            input = input.with("domain", domain.as_str());
        }
        let uid_max = self.uid_length.map(|l| l.for_roles(person.roles));
        self.generator
            .generate_with(wanted, &input, self.taken.as_ref(), person.exclude, uid_max)
            .await
    }
}
