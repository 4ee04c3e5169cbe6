//! Planning: the roster against the directory, one action per user, every action with
//! its reason, rejected rows with every problem. See [`Planner`].

mod checks;
mod context;
mod create;
mod diff;
mod model;
mod names;
mod removal;
mod safety;
mod update;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use ucs::kelvin::Kelvin;

pub use context::KolabNames;
pub use model::{to_patch, Action, ActionKind, Change, NewUserSpec, Op, Plan, PLAN_FORMAT};
pub use removal::purge_date;

use crate::clock::{SharedClock, SystemClock};
use crate::config::{Mode, SyncConfig, UserRole};
use crate::directory::{fingerprint, DirUser, Directory};
use crate::input::Roster;
use crate::problem::{Problem, RowProblems};
use crate::record::{map_row, Record};
use crate::{Result, SyncError};
use context::Context;

/// Plans syncs of rosters with one configuration.
#[derive(Clone)]
pub struct Planner {
    kelvin: Option<Kelvin>,
    config: SyncConfig,
    clock: SharedClock,
    kolab: Option<KolabNames>,
}

impl std::fmt::Debug for Planner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Planner")
            .field("source_uid", &self.config.source_uid)
            .field("school", &self.config.school)
            .finish_non_exhaustive()
    }
}

impl Planner {
    /// A planner reading the directory through `kelvin`.
    pub fn new(kelvin: &Kelvin, config: SyncConfig) -> Planner {
        Planner {
            kelvin: Some(kelvin.clone()),
            ..Planner::offline(config)
        }
    }

    /// A planner without a server, for [`Planner::plan_against`] a given directory.
    pub fn offline(config: SyncConfig) -> Planner {
        Planner {
            kelvin: None,
            config,
            clock: Arc::new(SystemClock),
            kolab: None,
        }
    }

    /// The clock "today" comes from (default: the system clock).
    pub fn clock(mut self, clock: impl crate::Clock + 'static) -> Planner {
        self.clock = Arc::new(clock);
        self
    }

    /// Generate names and addresses Kolab style (`ucs::forms`) instead of with the
    /// importer's `scheme`.
    pub fn kolab_names(mut self, names: KolabNames) -> Planner {
        self.kolab = Some(names);
        self
    }

    /// The configuration.
    pub fn config(&self) -> &SyncConfig {
        &self.config
    }

    /// The server this planner reads (an error for an offline planner).
    pub(crate) fn kelvin(&self) -> Result<&Kelvin> {
        self.kelvin
            .as_ref()
            .ok_or_else(|| SyncError::Config("an offline planner has no directory to read".into()))
    }

    /// Reads the directory and plans `roster` against it.
    pub async fn plan(&self, roster: &Roster) -> Result<Plan> {
        let directory = Directory::fetch(self.kelvin()?).await?;
        self.plan_against(roster, &directory).await
    }

    /// Plans `roster` against a directory snapshot.
    pub async fn plan_against(&self, roster: &Roster, directory: &Directory) -> Result<Plan> {
        let config = &self.config;
        config.check()?;
        check_columns(roster, config)?;
        if let Mode::SchoolChange { limbo_ou } = &config.mode {
            if !directory.has_school(limbo_ou) {
                return Err(SyncError::Config(format!(
                    "the limbo school {limbo_ou:?} does not exist"
                )));
            }
        }
        let today = self.clock.today();
        let mut ctx = Context::new(config, directory, self.kolab.as_ref());
        let (records, mut rejected) = records(roster, config, today);
        let mut actions = Vec::with_capacity(records.len());
        let mut passwords = BTreeMap::new();
        let mut seen = HashSet::new();
        for record in &records {
            seen.insert(record.record_uid.clone());
            if record.action.as_deref() == Some("D") {
                continue;
            }
            match plan_row(record, &mut ctx).await {
                Ok(action) => {
                    if let (ActionKind::Create, Some(pw)) = (action.kind, &record.password) {
                        passwords.insert(actions.len() as u32, pw.clone());
                    }
                    actions.push(action);
                }
                Err(problems) => rejected.push(rejection(record, problems)),
            }
        }
        let deleted_by_row: HashSet<&str> = records
            .iter()
            .filter(|r| r.action.as_deref() == Some("D"))
            .map(|r| r.record_uid.as_str())
            .collect();
        let candidates = self.removal_candidates(directory);
        for user in &candidates {
            let record = user.record_uid.as_deref().unwrap_or_default();
            let missing = !seen.contains(record) && !config.no_delete;
            if missing || deleted_by_row.contains(record) {
                actions.push(self.removal(user, today));
            }
        }
        safety::check(&config.safety, &candidates, &actions)?;
        check_purge_mapped(&actions, directory)?;
        if config.tolerate_errors >= 0 && rejected.len() as i64 > config.tolerate_errors {
            return Err(SyncError::TooManyErrors {
                limit: config.tolerate_errors,
                rejected,
            });
        }
        Ok(self.finish(directory, actions, rejected, passwords))
    }

    /// Users of the source the roster speaks for: of the configured role
    /// (`get_ldap_filter_for_user_role`) and, in school-change mode, of the school
    /// (`SingleSourcePartialUserImport.get_existing_users_search_filter`).
    fn removal_candidates<'d>(&self, directory: &'d Directory) -> Vec<&'d DirUser> {
        let config = &self.config;
        directory
            .users_of(&config.source_uid)
            .filter(|u| {
                config
                    .user_role
                    .is_none_or(|r| UserRole::of_roles(&u.kelvin_roles()) == Some(r))
            })
            .filter(|u| match (&config.mode, &config.school) {
                (Mode::SchoolChange { .. }, Some(school)) => u.schools.contains(school),
                _ => true,
            })
            .collect()
    }

    fn removal(&self, user: &DirUser, today: chrono::NaiveDate) -> Action {
        match (&self.config.mode, &self.config.school) {
            (Mode::SchoolChange { limbo_ou }, Some(school)) => {
                removal::plan_leave(user, school, limbo_ou)
            }
            _ => removal::plan_removal(user, self.config.deletion_grace_period, today),
        }
    }

    fn finish(
        &self,
        directory: &Directory,
        mut actions: Vec<Action>,
        rejected: Vec<RowProblems>,
        passwords: BTreeMap<u32, ucs::Secret>,
    ) -> Plan {
        for (i, action) in actions.iter_mut().enumerate() {
            action.id = i as u32;
        }
        let created_at = self.clock.now();
        let fingerprint = fingerprint(directory, &self.config.source_uid);
        Plan {
            format: PLAN_FORMAT,
            id: plan_id(&fingerprint, created_at),
            created_at,
            source_uid: self.config.source_uid.clone(),
            school: self.config.school.clone(),
            fingerprint,
            password_length: self.config.password_length,
            tolerate_errors: self.config.tolerate_errors,
            actions,
            rejected,
            passwords,
        }
    }
}

async fn plan_row(record: &Record, ctx: &mut Context<'_>) -> Result<Action, Vec<Problem>> {
    if let (Mode::SchoolChange { .. }, Some(school)) = (&ctx.config.mode, &ctx.config.school) {
        if record.school != *school || record.schools != [school.clone()] {
            return Err(vec![Problem::new(
                "school",
                "other_school",
                format!("in school-change mode rows must be of {school:?} only"),
            )]);
        }
    }
    match ctx.directory.find(&record.source_uid, &record.record_uid) {
        Some(existing) => update::plan_update(record, existing, ctx).await,
        None => create::plan_create(record, ctx).await,
    }
}

/// Maps every row; a `record_uid` a row before already used is a problem
/// (`validate`: "record_uid ... has already been used in this import").
fn records(
    roster: &Roster,
    config: &SyncConfig,
    today: chrono::NaiveDate,
) -> (Vec<Record>, Vec<RowProblems>) {
    let mut records = Vec::with_capacity(roster.len());
    let mut rejected = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for row in roster.rows() {
        match map_row(row, config, today) {
            Ok(record) => match seen.get(&record.record_uid) {
                Some(first) => rejected.push(rejection(
                    &record,
                    vec![Problem::new(
                        "record_uid",
                        "duplicate_in_roster",
                        format!(
                            "record_uid {:?} is already used by row {first}",
                            record.record_uid
                        ),
                    )],
                )),
                None => {
                    seen.insert(record.record_uid.clone(), record.row);
                    records.push(record);
                }
            },
            Err(problems) => rejected.push(RowProblems {
                row: row.line,
                record_uid: None,
                problems,
            }),
        }
    }
    (records, rejected)
}

fn rejection(record: &Record, problems: Vec<Problem>) -> RowProblems {
    RowProblems {
        row: record.row,
        record_uid: Some(record.record_uid.clone()).filter(|r| !r.is_empty()),
        problems,
    }
}

/// A deletion date can only be set where Kelvin maps `ucsschoolPurgeTimestamp`.
fn check_purge_mapped(actions: &[Action], directory: &Directory) -> Result<()> {
    let key = format!("udm_properties.{}", crate::config::PURGE_TIMESTAMP);
    let sets_purge = actions
        .iter()
        .any(|a| matches!(&a.op, Op::Patch { changes, .. } if changes.contains_key(&key)));
    let unmapped = directory
        .mapped_udm_properties()
        .is_some_and(|m| !m.contains(crate::config::PURGE_TIMESTAMP));
    if sets_purge && unmapped {
        return Err(SyncError::Config(format!(
            "the plan sets deletion dates, but the Kelvin server does not map {} for users (add it to mapped_udm_properties.json)",
            crate::config::PURGE_TIMESTAMP
        )));
    }
    Ok(())
}

/// `CsvReader._get_missing_columns`: mapped columns must be in the header.
fn check_columns(roster: &Roster, config: &SyncConfig) -> Result<()> {
    if config.csv.header_lines != 1 || roster.is_empty() {
        return Ok(());
    }
    let missing: Vec<&str> = config
        .csv
        .mapping
        .iter()
        .filter(|(column, attribute)| {
            attribute != "__ignore"
                && !roster.columns().contains(column)
                && !config.csv.allowed_missing_columns.contains(column)
        })
        .map(|(column, _)| column.as_str())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(SyncError::Input(format!(
            "columns of csv.mapping missing from the roster: {missing:?}"
        )))
    }
}

fn plan_id(fingerprint: &str, at: chrono::DateTime<chrono::Utc>) -> String {
    use sha2::{Digest, Sha256};
    let nonce: u64 = rand::random();
    let hash = Sha256::digest(format!("{fingerprint}{at}{nonce}").as_bytes());
    hash.iter().take(12).map(|b| format!("{b:02x}")).collect()
}
