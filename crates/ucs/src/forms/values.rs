//! [`UserValues`]: what the Kelvin `NewUser` and UDM `users/user` builders
//! use to fill a missing user name, mail address and password.

use std::sync::Arc;

use super::{FormError, FormGenerator, FormInput, Generated, Taken, UserType};

/// Fills missing user names, mail addresses and passwords, Kolab style:
/// a user type's generator, a uniqueness backend ([`Taken`]) and the mail
/// domain and language to use.
///
/// ```
/// # futures::executor::block_on(async {
/// use ucs::forms::{TakenSet, UserValues};
/// use ucs::kelvin::NewUser;
/// let values = UserValues::kelvin(TakenSet::new()).mail_domain("school.example.org");
/// let user = NewUser::student("Jürgen", "Müller").school("DEMOSCHOOL").class("1a")
///     .fill_missing(&values).await?;
/// assert_eq!(user.name.as_deref(), Some("mueller"));
/// assert_eq!(user.email.as_deref(), Some("juergen.mueller@school.example.org"));
/// assert!(user.password.is_some());
/// # Ok::<(), ucs::Error>(()) });
/// ```
#[derive(Clone)]
pub struct UserValues {
    generator: FormGenerator,
    taken: Arc<dyn Taken>,
    domain: Option<String>,
    language: String,
}

impl std::fmt::Debug for UserValues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserValues")
            .field("domain", &self.domain)
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

impl UserValues {
    /// For Kelvin school users ([`UserType::kelvin_school_user`]: `name`,
    /// `email`, `password`).
    pub fn kelvin(taken: impl Taken + 'static) -> Self {
        Self::built_in(&UserType::kelvin_school_user(), taken)
    }

    /// For UDM `users/user` objects ([`UserType::udm_user`]: `username`,
    /// `mailPrimaryAddress`, `password`).
    pub fn udm(taken: impl Taken + 'static) -> Self {
        Self::built_in(&UserType::udm_user(), taken)
    }

    fn built_in(user_type: &UserType, taken: impl Taken + 'static) -> Self {
        match Self::from_user_type(user_type, taken) {
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
            generator: FormGenerator::new(user_type)?,
            taken: Arc::new(taken),
            domain: None,
            language: "de-DE".to_string(),
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

    /// Whether a mail domain is set.
    pub fn has_mail_domain(&self) -> bool {
        self.domain.is_some()
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
        let mut input = FormInput::new()
            .with("firstname", firstname)
            .with("lastname", lastname)
            .with("preferredlanguage", self.language.as_str());
        if let Some(domain) = &self.domain {
            input = input.with("domain", domain.as_str());
        }
        self.generator
            .generate_for_entry(wanted, &input, self.taken.as_ref(), exclude)
            .await
    }
}
