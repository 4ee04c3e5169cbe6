//! The directory state a plan is computed from: every Kelvin school user (those of the
//! source in full, the others for the uniqueness of names and mail addresses) and the
//! schools, read with one user search and one school search.

mod fingerprint;
mod user;

use std::collections::{BTreeSet, HashMap};

use ucs::kelvin::{Kelvin, UserFilter};

pub use fingerprint::fingerprint;
pub use user::DirUser;

use crate::scheme::TakenIndex;

/// A snapshot of the directory.
#[derive(Clone, Debug, Default)]
pub struct Directory {
    users: Vec<DirUser>,
    by_key: HashMap<(String, String), usize>,
    by_name: HashMap<String, usize>,
    names: TakenIndex,
    emails: TakenIndex,
    schools: BTreeSet<String>,
    schools_lower: BTreeSet<String>,
    mapped: BTreeSet<String>,
}

impl Directory {
    /// A snapshot from users and school names.
    pub fn new(users: Vec<DirUser>, schools: impl IntoIterator<Item = String>) -> Directory {
        let mut d = Directory::default();
        for school in schools {
            d.schools_lower.insert(school.to_lowercase());
            d.schools.insert(school);
        }
        for (i, user) in users.iter().enumerate() {
            d.index(i, user);
        }
        d.users = users;
        d
    }

    fn index(&mut self, i: usize, user: &DirUser) {
        if let (Some(source), Some(record)) = (&user.source_uid, &user.record_uid) {
            self.by_key.insert((source.clone(), record.clone()), i);
        }
        self.by_name.insert(user.name.to_lowercase(), i);
        self.names.insert(&user.name);
        if let Some(email) = &user.email {
            self.emails.insert(email);
        }
        self.mapped.extend(user.udm_properties.keys().cloned());
    }

    /// Reads all school users and schools through Kelvin.
    pub async fn fetch(kelvin: &Kelvin) -> ucs::Result<Directory> {
        let all = UserFilter::new();
        let (users_api, schools_api) = (kelvin.users(), kelvin.schools());
        let (users, schools) =
            futures::try_join!(users_api.search(&all), schools_api.search(None))?;
        let users = users.iter().map(DirUser::from).collect();
        Ok(Directory::new(users, schools.into_iter().map(|s| s.name)))
    }

    /// Every user.
    pub fn users(&self) -> &[DirUser] {
        &self.users
    }

    /// The users of a source.
    pub fn users_of<'a>(&'a self, source_uid: &str) -> impl Iterator<Item = &'a DirUser> + 'a {
        let source_uid = source_uid.to_string();
        self.users.iter().filter(move |u| {
            u.source_uid.as_deref() == Some(source_uid.as_str()) && u.record_uid.is_some()
        })
    }

    /// The user with this source and record id.
    pub fn find(&self, source_uid: &str, record_uid: &str) -> Option<&DirUser> {
        self.by_key
            .get(&(source_uid.to_string(), record_uid.to_string()))
            .map(|i| &self.users[*i])
    }

    /// The user with this name (case-insensitive).
    pub fn by_name(&self, name: &str) -> Option<&DirUser> {
        self.by_name
            .get(&name.to_lowercase())
            .map(|i| &self.users[*i])
    }

    /// User names in use.
    pub fn names(&self) -> &TakenIndex {
        &self.names
    }

    /// Mail addresses in use.
    pub fn emails(&self) -> &TakenIndex {
        &self.emails
    }

    /// Whether a school exists (case-insensitive, as the importer's `check_schools`).
    pub fn has_school(&self, school: &str) -> bool {
        self.schools_lower.contains(&school.to_lowercase())
    }

    /// The school names.
    pub fn schools(&self) -> &BTreeSet<String> {
        &self.schools
    }

    /// The UDM properties Kelvin shows (the keys of the users' `udm_properties`); `None`
    /// when there is no user to tell from.
    pub fn mapped_udm_properties(&self) -> Option<&BTreeSet<String>> {
        (!self.users.is_empty()).then_some(&self.mapped)
    }
}
