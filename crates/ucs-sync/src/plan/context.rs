//! What planning keeps while it walks the roster: the directory, the names and addresses
//! in use (directory and batch), and the rows seen.

use std::collections::HashMap;
use std::sync::Arc;

use ucs::forms::{TakenSet, UserValues};

use crate::config::SyncConfig;
use crate::directory::Directory;
use crate::problem::Problem;
use crate::scheme::TakenIndex;

/// Kolab-style generation (`ucs::forms`) instead of the importer's `scheme`.
#[derive(Clone, Debug, Default)]
pub struct KolabNames {
    /// The mail domain (without one no address is generated).
    pub mail_domain: Option<String>,
    /// The language deciding transliteration (default `de-DE`).
    pub language: Option<String>,
}

pub(crate) struct Kolab {
    pub values: UserValues,
    pub taken: Arc<TakenSet>,
}

pub(crate) struct Context<'a> {
    pub config: &'a SyncConfig,
    pub directory: &'a Directory,
    pub names: TakenIndex,
    pub emails: TakenIndex,
    /// Lower-cased name or address -> the row that claimed it in this batch.
    batch: HashMap<(bool, String), usize>,
    pub kolab: Option<Kolab>,
}

impl<'a> Context<'a> {
    pub fn new(
        config: &'a SyncConfig,
        directory: &'a Directory,
        kolab: Option<&KolabNames>,
    ) -> Self {
        Context {
            config,
            directory,
            names: directory.names().clone(),
            emails: directory.emails().clone(),
            batch: HashMap::new(),
            kolab: kolab.map(|k| kolab_values(k, directory)),
        }
    }

    /// Takes a row's name and address for this batch: the row's `problems` so far plus a
    /// name or address another row already has refuse the row; otherwise both are
    /// reserved for it.
    pub fn claim(
        &mut self,
        name: &str,
        email: Option<&str>,
        row: usize,
        mut problems: Vec<Problem>,
    ) -> Result<(), Vec<Problem>> {
        problems.extend(self.name_conflict(name, row));
        problems.extend(email.and_then(|e| self.email_conflict(e, row)));
        if !problems.is_empty() {
            return Err(problems);
        }
        self.reserve(name, email, row);
        Ok(())
    }

    /// A name another row of this batch has is a problem (`validate`: "Username ... has
    /// already been used in this import").
    fn name_conflict(&self, name: &str, row: usize) -> Option<Problem> {
        self.claimed(false, name, row).map(|other| {
            Problem::new(
                "name",
                "duplicate_in_roster",
                format!("user name {name:?} is already used by row {other} of this roster"),
            )
        })
    }

    /// The same for mail addresses.
    fn email_conflict(&self, email: &str, row: usize) -> Option<Problem> {
        self.claimed(true, email, row).map(|other| {
            Problem::new(
                "email",
                "duplicate_in_roster",
                format!("mail address {email:?} is already used by row {other} of this roster"),
            )
        })
    }

    fn claimed(&self, mail: bool, value: &str, row: usize) -> Option<usize> {
        self.batch
            .get(&(mail, value.to_lowercase()))
            .copied()
            .filter(|other| *other != row)
    }

    /// Records the name and address of an accepted row.
    fn reserve(&mut self, name: &str, email: Option<&str>, row: usize) {
        self.batch.insert((false, name.to_lowercase()), row);
        self.names.insert(name);
        if let Some(kolab) = &self.kolab {
            kolab.taken.insert("uid", name);
        }
        if let Some(email) = email.filter(|e| !e.is_empty()) {
            self.batch.insert((true, email.to_lowercase()), row);
            self.emails.insert(email);
            if let Some(kolab) = &self.kolab {
                kolab.taken.insert("mail", email);
            }
        }
    }
}

fn kolab_values(names: &KolabNames, directory: &Directory) -> Kolab {
    let taken = Arc::new(TakenSet::new());
    for user in directory.users() {
        taken.insert("uid", &user.name);
        if let Some(email) = &user.email {
            taken.insert("mail", email);
        }
    }
    let mut values = UserValues::kelvin(taken.clone());
    if let Some(domain) = &names.mail_domain {
        values = values.mail_domain(domain);
    }
    if let Some(language) = &names.language {
        values = values.preferred_language(language);
    }
    Kolab { values, taken }
}
