//! The plan file: a JSON document with a format version, the fingerprint of the directory
//! state it was computed from, one action per user (with the reason) and the rejected rows.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ucs::kelvin::{NewUser, UserPatch};
use ucs::roles::Role;
use ucs::Secret;

use crate::problem::RowProblems;
use crate::{Result, SyncError};

/// The plan format this version writes and reads.
pub const PLAN_FORMAT: u32 = 1;

/// What an action does.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// A new user.
    Create,
    /// Changed attributes (a PATCH of exactly those).
    Modify,
    /// A change of the primary school (with any other changes).
    Move,
    /// A new user name (with any other changes).
    Rename,
    /// A user who left: disabled, expiry or deletion date set (or moved to the limbo).
    Deactivate,
    /// A user deleted.
    Delete,
    /// Nothing to do.
    Unchanged,
}

impl ActionKind {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Create => "create",
            ActionKind::Modify => "modify",
            ActionKind::Move => "move",
            ActionKind::Rename => "rename",
            ActionKind::Deactivate => "deactivate",
            ActionKind::Delete => "delete",
            ActionKind::Unchanged => "unchanged",
        }
    }
}

/// One field's old and new value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Change {
    /// The value now.
    pub old: Value,
    /// The value to set (for `school_classes`/`workgroups`: the PATCH body, which lists
    /// an empty list for schools whose memberships are removed).
    pub new: Value,
}

/// The request an action sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// POST a new user.
    Create {
        /// The user.
        user: Box<NewUserSpec>,
    },
    /// PATCH these fields of the user named `user`.
    Patch {
        /// The user's current name.
        user: String,
        /// Field -> change (`udm_properties.X` for a UDM property).
        changes: BTreeMap<String, Change>,
    },
    /// DELETE the user named `user`.
    Delete {
        /// The user's current name.
        user: String,
    },
    /// No request.
    None,
}

/// One planned action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Action {
    /// Number of the action in the plan (0, 1, ...).
    pub id: u32,
    /// What it does.
    pub kind: ActionKind,
    /// The roster row, if the user is in the roster.
    pub row: Option<usize>,
    /// The user's `record_uid`.
    pub record_uid: String,
    /// The user's name after the action.
    pub name: String,
    /// Why.
    pub reason: String,
    /// Whether it removes the user from a school (counts for the safety limit).
    #[serde(default)]
    pub removal: bool,
    /// The request.
    #[serde(flatten)]
    pub op: Op,
}

/// A user to create, without a password (generated when the plan is applied).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NewUserSpec {
    /// User name.
    pub name: String,
    /// First name.
    pub firstname: String,
    /// Last name.
    pub lastname: String,
    /// Kelvin role names.
    pub roles: Vec<String>,
    /// Primary school.
    pub school: String,
    /// All schools.
    pub schools: Vec<String>,
    /// Classes.
    pub school_classes: BTreeMap<String, Vec<String>>,
    /// Workgroups.
    pub workgroups: BTreeMap<String, Vec<String>>,
    /// Mail address.
    pub email: Option<String>,
    /// Birthday.
    pub birthday: Option<NaiveDate>,
    /// Account expiry.
    pub expiration_date: Option<NaiveDate>,
    /// Created disabled.
    pub disabled: bool,
    /// `record_uid`.
    pub record_uid: String,
    /// `source_uid`.
    pub source_uid: String,
    /// UDM properties.
    pub udm_properties: BTreeMap<String, Value>,
}

impl NewUserSpec {
    /// The facade's create request.
    pub fn to_new_user(&self, password: Option<Secret>) -> NewUser {
        let mut user = NewUser::new(&self.firstname, &self.lastname)
            .name(&self.name)
            .school(&self.school)
            .record_uid(&self.record_uid)
            .source_uid(&self.source_uid)
            .disabled(self.disabled);
        for role in self.roles.iter().filter_map(|r| r.parse::<Role>().ok()) {
            user = user.role(role);
        }
        for school in &self.schools {
            user = user.also_school(school);
        }
        user.school_classes = self.school_classes.clone();
        user.workgroups = self.workgroups.clone();
        user.email = self.email.clone();
        user.birthday = self.birthday;
        user.expiration_date = self.expiration_date;
        user.udm_properties = self
            .udm_properties
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        user.password = password;
        user
    }
}

/// Turns planned changes into the facade's PATCH.
pub fn to_patch(changes: &BTreeMap<String, Change>) -> UserPatch {
    let mut patch = UserPatch::new();
    for (field, change) in changes {
        patch = add_change(patch, field, &change.new);
    }
    patch
}

fn add_change(patch: UserPatch, field: &str, new: &Value) -> UserPatch {
    let text = || new.as_str().unwrap_or_default().to_string();
    let date = || new.as_str().and_then(|d| d.parse::<NaiveDate>().ok());
    let groups =
        || serde_json::from_value::<BTreeMap<String, Vec<String>>>(new.clone()).unwrap_or_default();
    let list = || serde_json::from_value::<Vec<String>>(new.clone()).unwrap_or_default();
    match field {
        "name" => patch.name(text()),
        "firstname" => patch.firstname(text()),
        "lastname" => patch.lastname(text()),
        "email" => patch.email(new.as_str()),
        "birthday" => patch.birthday(date()),
        "expiration_date" => patch.expiration_date(date()),
        "disabled" => patch.disabled(new.as_bool().unwrap_or(false)),
        "school" => patch.school(text()),
        "schools" => patch.schools(list()),
        "school_classes" => patch.school_classes(groups()),
        "workgroups" => patch.workgroups(groups()),
        other => match other.strip_prefix("udm_properties.") {
            Some(property) => patch.udm_property(property, new.clone()),
            None => patch,
        },
    }
}

/// A plan.
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Plan {
    /// [`PLAN_FORMAT`].
    pub format: u32,
    /// A unique id of this plan (journals name it).
    pub id: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// The source system.
    pub source_uid: String,
    /// The school of a one-school sync.
    pub school: Option<String>,
    /// The fingerprint of the directory state it was computed from.
    pub fingerprint: String,
    /// Length of generated passwords.
    pub password_length: usize,
    /// Failures tolerated when applying (-1 = any).
    pub tolerate_errors: i64,
    /// One action per user.
    pub actions: Vec<Action>,
    /// Rows not planned, with every problem.
    pub rejected: Vec<RowProblems>,
    /// Passwords the roster gave, by action id (kept in memory only).
    #[serde(skip)]
    pub(crate) passwords: BTreeMap<u32, Secret>,
}

impl Plan {
    /// The actions that send a request.
    pub fn pending(&self) -> impl Iterator<Item = &Action> {
        self.actions
            .iter()
            .filter(|a| a.kind != ActionKind::Unchanged)
    }

    /// How many actions of each kind.
    pub fn counts(&self) -> BTreeMap<ActionKind, usize> {
        let mut counts = BTreeMap::new();
        for action in &self.actions {
            *counts.entry(action.kind).or_insert(0) += 1;
        }
        counts
    }

    /// The plan as JSON.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| SyncError::Plan(e.to_string()))
    }

    /// A plan from JSON; refuses other format versions.
    pub fn from_json(text: &str) -> Result<Plan> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| SyncError::Plan(format!("not JSON: {e}")))?;
        match value.get("format").and_then(Value::as_u64) {
            Some(f) if f == u64::from(PLAN_FORMAT) => {}
            other => {
                return Err(SyncError::Plan(format!(
                    "format {other:?} is not {PLAN_FORMAT}, the one this version reads"
                )))
            }
        }
        serde_json::from_value(value).map_err(|e| SyncError::Plan(e.to_string()))
    }

    /// Writes the plan to a file.
    pub fn save(&self, path: impl AsRef<std::path::Path>) -> Result<()> {
        let path = path.as_ref();
        std::fs::write(path, self.to_json()?).map_err(|e| SyncError::file(path, e))
    }

    /// Reads a plan file.
    pub fn load(path: impl AsRef<std::path::Path>) -> Result<Plan> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| SyncError::file(path, e))?;
        Plan::from_json(&text)
    }
}
