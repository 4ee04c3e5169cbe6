//! Pre-flight checks of a bulk run: whether the schools, workgroups, classes
//! and mail domains a batch needs exist, asked once per batch (one school
//! listing, one class and one workgroup listing per school that is needed)
//! instead of learnt from hundreds of refused requests.

use std::collections::{BTreeMap, BTreeSet};

use futures::{StreamExt, TryStreamExt};

use super::Kelvin;
use crate::error::Result;
use crate::roles::UserFields;

/// Something a batch item needs that the server does not have (names as the
/// item gave them).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Missing {
    /// The school (OU) does not exist: Kelvin 4.0.0 answers 404 `No school
    /// with name=… found.` (kelvin-api `routers/v1/user.py`
    /// `fix_case_of_ous`).
    School(String),
    /// The workgroup does not exist: 400 `Work group … does not exist,
    /// please create it first.` (ucs-school-import `import_user.py`
    /// `_validate_workgroups`).
    WorkGroup {
        /// The school.
        school: String,
        /// The workgroup.
        name: String,
    },
    /// The class does not exist. Kelvin creates missing classes, so this
    /// stops an item only with [`Preflight::require_existing_classes`].
    Class {
        /// The school.
        school: String,
        /// The class.
        name: String,
    },
    /// No mail domain of that name is known; UDM refuses the address unless
    /// the server creates missing domains (UCR
    /// `ucsschool/import/generate/mail/domain`, ucs-school-lib
    /// `models/user.py` `User.create_mail_domain`).
    MailDomain(String),
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Missing::School(s) => write!(f, "school {s:?} does not exist"),
            Missing::WorkGroup { school, name } => {
                write!(f, "workgroup {name:?} of school {school:?} does not exist")
            }
            Missing::Class { school, name } => {
                write!(f, "class {name:?} of school {school:?} does not exist")
            }
            Missing::MailDomain(d) => write!(f, "mail domain {d:?} is not known"),
        }
    }
}

/// Which pre-flight checks a bulk run makes (see [`BulkRun::preflight`](super::BulkRun::preflight)).
#[derive(Clone, Debug, Default)]
pub struct Preflight {
    require_classes: bool,
    mail_domains: Option<BTreeSet<String>>,
}

impl Preflight {
    /// Schools and workgroups are checked; missing classes are reported (the
    /// server creates them); mail domains are not checked.
    pub fn new() -> Self {
        Self::default()
    }

    /// Items naming a class that does not exist are not sent (the server
    /// would create it: a typo makes a new class).
    pub fn require_existing_classes(mut self) -> Self {
        self.require_classes = true;
        self
    }

    /// The mail domains that exist; items whose `email` is in another domain
    /// are not sent. With a UDM client at hand: `udm.mail_domains().search()
    /// .properties(["name"]).all().await?` lists them.
    pub fn mail_domains(mut self, domains: impl IntoIterator<Item = impl AsRef<str>>) -> Self {
        self.mail_domains = Some(
            domains
                .into_iter()
                .map(|d| d.as_ref().to_lowercase())
                .collect(),
        );
        self
    }
}

/// What a pre-flight check found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PreflightReport {
    /// What is missing and stops the items that need it.
    pub missing: BTreeSet<Missing>,
    /// Classes that do not exist yet and that the server will create.
    pub to_be_created: BTreeSet<Missing>,
    /// How many lookups the check made.
    pub lookups: usize,
}

/// What one item needs.
#[derive(Clone, Debug, Default)]
pub(crate) struct Needs {
    schools: BTreeSet<String>,
    classes: BTreeSet<(String, String)>,
    workgroups: BTreeSet<(String, String)>,
    mail_domain: Option<String>,
}

impl Needs {
    /// The needs of a create or patch with these rule fields and e-mail.
    pub(crate) fn of(fields: &UserFields, email: Option<&str>) -> Needs {
        let mut needs = Needs::default();
        needs.schools.extend(fields.school.iter().cloned());
        needs
            .schools
            .extend(fields.schools.iter().flatten().cloned());
        for (map, out) in [
            (&fields.school_classes, &mut needs.classes),
            (&fields.workgroups, &mut needs.workgroups),
        ] {
            for (school, names) in map.iter().flatten() {
                needs.schools.insert(school.clone());
                out.extend(names.iter().map(|n| (school.clone(), n.clone())));
            }
        }
        needs.schools.retain(|s| !s.trim().is_empty());
        needs.mail_domain = email
            .and_then(|e| e.rsplit_once('@'))
            .map(|(_, domain)| domain.to_string());
        needs
    }
}

/// What the server has, lower-cased.
#[derive(Default)]
struct Known {
    schools: BTreeSet<String>,
    classes: BTreeSet<(String, String)>,
    workgroups: BTreeSet<(String, String)>,
    lookups: usize,
}

/// How many listings run at the same time.
const CONCURRENT_LOOKUPS: usize = 4;

impl Preflight {
    /// Looks up what `needs` name and says, per item, what is missing.
    pub(crate) async fn check(
        &self,
        kelvin: &Kelvin,
        needs: &[Needs],
    ) -> Result<(PreflightReport, Vec<Vec<Missing>>)> {
        let known = self.lookup(kelvin, needs).await?;
        let mut report = PreflightReport {
            lookups: known.lookups,
            ..Default::default()
        };
        let per_item = needs
            .iter()
            .map(|n| self.missing_for(n, &known, &mut report))
            .collect();
        Ok((report, per_item))
    }

    async fn lookup(&self, kelvin: &Kelvin, needs: &[Needs]) -> Result<Known> {
        let mut known = Known::default();
        if needs.iter().all(|n| n.schools.is_empty()) {
            return Ok(known);
        }
        known.schools = kelvin
            .schools()
            .search(None)
            .await?
            .into_iter()
            .map(|s| s.name.to_lowercase())
            .collect();
        known.lookups = 1;
        // the schools whose groups are needed, under the name an item used
        let mut group_schools: BTreeMap<String, String> = BTreeMap::new();
        for n in needs {
            for (school, _) in n.classes.iter().chain(&n.workgroups) {
                let key = school.to_lowercase();
                if known.schools.contains(&key) {
                    group_schools.entry(key).or_insert_with(|| school.clone());
                }
            }
        }
        let listings: Vec<(String, Vec<String>, Vec<String>)> =
            futures::stream::iter(group_schools)
                .map(|(key, school)| async move {
                    let classes = kelvin.classes().exclude_users();
                    let groups = kelvin.workgroups().exclude_users();
                    let c = classes.search(&school, None).await?;
                    let w = groups.search(&school, None).await?;
                    let names = |v: Vec<String>| v.into_iter().map(|n| n.to_lowercase()).collect();
                    Ok::<_, crate::Error>((
                        key,
                        names(c.into_iter().map(|c| c.name).collect()),
                        names(w.into_iter().map(|w| w.name).collect()),
                    ))
                })
                .buffer_unordered(CONCURRENT_LOOKUPS)
                .try_collect()
                .await?;
        for (school, classes, workgroups) in listings {
            known.lookups += 2;
            known
                .classes
                .extend(classes.into_iter().map(|c| (school.clone(), c)));
            known
                .workgroups
                .extend(workgroups.into_iter().map(|w| (school.clone(), w)));
        }
        Ok(known)
    }

    fn missing_for(
        &self,
        needs: &Needs,
        known: &Known,
        report: &mut PreflightReport,
    ) -> Vec<Missing> {
        let mut out = Vec::new();
        for school in &needs.schools {
            if !known.schools.contains(&school.to_lowercase()) {
                out.push(Missing::School(school.clone()));
            }
        }
        for (school, name) in &needs.workgroups {
            if known.schools.contains(&school.to_lowercase())
                && !known.workgroups.contains(&group_key(school, name))
            {
                out.push(Missing::WorkGroup {
                    school: school.clone(),
                    name: name.clone(),
                });
            }
        }
        for (school, name) in &needs.classes {
            if known.schools.contains(&school.to_lowercase())
                && !known.classes.contains(&group_key(school, name))
            {
                let missing = Missing::Class {
                    school: school.clone(),
                    name: name.clone(),
                };
                if self.require_classes {
                    out.push(missing);
                } else {
                    report.to_be_created.insert(missing);
                }
            }
        }
        if let (Some(domains), Some(domain)) = (&self.mail_domains, &needs.mail_domain) {
            if !domains.contains(&domain.to_lowercase()) {
                out.push(Missing::MailDomain(domain.clone()));
            }
        }
        report.missing.extend(out.iter().cloned());
        out
    }
}

/// A group as the listings name it: lower-cased, without a `<school>-`
/// prefix (Kelvin takes `DEMOSCHOOL-1a` and `1a` for the same class).
fn group_key(school: &str, name: &str) -> (String, String) {
    let school = school.to_lowercase();
    let name = name.to_lowercase();
    let bare = name
        .strip_prefix(&format!("{school}-"))
        .map(str::to_string)
        .unwrap_or(name);
    (school, bare)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_collect_schools_groups_and_the_mail_domain() {
        let fields = UserFields {
            school: Some("A".into()),
            schools: Some(vec!["A".into(), "B".into()]),
            school_classes: Some(BTreeMap::from([("C".to_string(), vec!["1a".to_string()])])),
            workgroups: Some(BTreeMap::from([("B".to_string(), vec!["wg".to_string()])])),
            ..Default::default()
        };
        let needs = Needs::of(&fields, Some("x@Example.COM"));
        assert_eq!(
            needs.schools,
            BTreeSet::from(["A".into(), "B".into(), "C".into()])
        );
        assert_eq!(needs.classes, BTreeSet::from([("C".into(), "1a".into())]));
        assert_eq!(
            needs.workgroups,
            BTreeSet::from([("B".into(), "wg".into())])
        );
        assert_eq!(needs.mail_domain.as_deref(), Some("Example.COM"));
    }

    #[test]
    fn group_names_compare_without_case_and_school_prefix() {
        assert_eq!(
            group_key("DEMOSCHOOL", "DEMOSCHOOL-1A"),
            group_key("demoschool", "1a")
        );
        assert_eq!(group_key("S", "s-x").1, "x");
        assert_eq!(group_key("S", "t-x").1, "t-x");
    }
}
