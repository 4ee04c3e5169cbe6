//! `ucs kelvin ...`: users, schools, classes, workgroups, roles.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use ucs::roles::Role;

use super::output::OutputArgs;

/// `ucs kelvin RESOURCE ACTION`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  ucs kelvin users list --school DEMOSCHOOL --role student
  ucs kelvin users get demo_teacher -o json
  ucs kelvin classes list --school DEMOSCHOOL")]
pub struct KelvinArgs {
    /// How to print the results.
    #[command(flatten)]
    pub output: OutputArgs,
    /// The resource.
    #[command(subcommand)]
    pub resource: Resource,
}

/// Kelvin resources.
#[derive(Debug, Subcommand)]
pub enum Resource {
    /// School users (students, teachers, staff, school admins, legal guardians).
    Users {
        /// What to do.
        #[command(subcommand)]
        action: UserAction,
    },
    /// Schools (OUs). Kelvin can list, show and create them.
    Schools {
        /// What to do.
        #[command(subcommand)]
        action: SchoolAction,
    },
    /// School classes, addressed by school and name.
    Classes {
        /// What to do.
        #[command(subcommand)]
        action: GroupAction,
    },
    /// Workgroups, addressed by school and name.
    Workgroups {
        /// What to do.
        #[command(subcommand)]
        action: GroupAction,
    },
    /// The UCS@school roles. Kelvin can list and show them.
    Roles {
        /// What to do.
        #[command(subcommand)]
        action: RoleAction,
    },
}

/// Parses `KEY=VALUE`.
pub fn key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("expected KEY=VALUE, got {text:?}")),
    }
}

/// Parses a role name (`student`, `teacher`, `staff`, `school_admin`, `legal_guardian`).
pub fn role(text: &str) -> Result<Role, String> {
    text.parse::<Role>().map_err(|_| {
        format!("unknown role {text:?} (student, teacher, staff, school_admin, legal_guardian)")
    })
}

/// Parses a date `YYYY-MM-DD`.
pub fn date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("expected YYYY-MM-DD, got {text:?}"))
}

/// Actions on users.
#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// List users; filters combine with AND.
    #[command(after_help = "Examples:
  ucs kelvin users list --school DEMOSCHOOL --role teacher
  ucs kelvin users list --role teacher --role staff      # users who are both
  ucs kelvin users list --filter 'lastname=M*ller' --query 'title=Dr*' -o csv")]
    List(UserListArgs),
    /// Show one user.
    #[command(
        after_help = "Example:\n  ucs kelvin users get demo_student -o json > demo_student.json"
    )]
    Get {
        /// The login name.
        name: String,
    },
    /// Create a user (the UCS@school role rules are checked before anything is sent).
    #[command(after_help = "Examples:
  ucs kelvin users create --name jmueller --firstname Jürgen --lastname Müller \\
      --role student --school DEMOSCHOOL --class Democlass --record-uid 4711 --source-uid sis
  ucs kelvin users create --json jmueller.json      # the fields of `users get -o json`")]
    Create(Box<UserCreateArgs>),
    /// Change some fields of a user (PATCH; everything else stays).
    #[command(after_help = "Examples:
  ucs kelvin users patch demo_student --set lastname=Meier --clear email
  ucs kelvin users patch demo_student --set roles=student --set schools=DEMOSCHOOL,DEMOSCHOOL2
  ucs kelvin users patch demo_student --json changes.json   # {\"school_classes\": {\"DEMOSCHOOL\": [\"1a\"]}}")]
    Patch(UserPatchArgs),
    /// Delete users (exit status 1 when some of several fail).
    #[command(after_help = "Example:\n  ucs kelvin users delete jmueller mmeier")]
    Delete {
        /// Login names.
        #[arg(required = true)]
        names: Vec<String>,
    },
}

/// `ucs kelvin users list`.
#[derive(Debug, Args)]
pub struct UserListArgs {
    /// Users of this school.
    #[arg(long)]
    pub school: Option<String>,
    /// Users of this type (v1 only): one role, or --role teacher --role staff for users
    /// who are both; Kelvin searches no other combination.
    #[arg(long, value_parser = role, value_name = "ROLE")]
    pub role: Vec<Role>,
    /// A Kelvin search field: name, firstname, lastname, email, record_uid, source_uid,
    /// birthday, expiration_date, disabled (`*` wildcards; repeatable).
    #[arg(long, value_parser = key_value, value_name = "FIELD=PATTERN")]
    pub filter: Vec<(String, String)>,
    /// A UDM property the server maps (`title=Dr*`; repeatable). Kelvin ignores unmapped
    /// ones; the list then stops with an error instead of printing unfiltered users.
    #[arg(long, value_parser = key_value, value_name = "PROPERTY=VALUE")]
    pub query: Vec<(String, String)>,
}

/// `ucs kelvin users create`.
#[derive(Debug, Args)]
pub struct UserCreateArgs {
    /// Read the user from this JSON file (`-`: standard input), in the fields of
    /// `users get -o json`; the options below override it.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Login name.
    #[arg(long)]
    pub name: Option<String>,
    /// First name.
    #[arg(long, required_unless_present = "json")]
    pub firstname: Option<String>,
    /// Last name.
    #[arg(long, required_unless_present = "json")]
    pub lastname: Option<String>,
    /// A role (repeatable).
    #[arg(long = "role", value_parser = role, value_name = "ROLE", required_unless_present = "json")]
    pub roles: Vec<Role>,
    /// Primary school.
    #[arg(long)]
    pub school: Option<String>,
    /// A further school (repeatable).
    #[arg(long = "also-school", value_name = "SCHOOL")]
    pub also_schools: Vec<String>,
    /// A class, in the primary school or as SCHOOL:CLASS (repeatable).
    #[arg(long = "class", value_name = "[SCHOOL:]CLASS")]
    pub classes: Vec<String>,
    /// A workgroup, as SCHOOL:WORKGROUP (repeatable).
    #[arg(long = "workgroup", value_name = "SCHOOL:WORKGROUP")]
    pub workgroups: Vec<String>,
    /// E-mail address.
    #[arg(long)]
    pub email: Option<String>,
    /// Birthday (YYYY-MM-DD).
    #[arg(long, value_parser = date)]
    pub birthday: Option<NaiveDate>,
    /// Account expiry (YYYY-MM-DD).
    #[arg(long, value_parser = date)]
    pub expiration_date: Option<NaiveDate>,
    /// Create the account disabled.
    #[arg(long)]
    pub disabled: bool,
    /// The user's id in the source system.
    #[arg(long)]
    pub record_uid: Option<String>,
    /// The source system.
    #[arg(long)]
    pub source_uid: Option<String>,
    /// A mapped UDM property (repeatable).
    #[arg(long = "udm-property", value_parser = key_value, value_name = "NAME=VALUE")]
    pub udm_properties: Vec<(String, String)>,
    /// The new user's initial password, read from this file (never an argument).
    #[arg(long, value_name = "FILE")]
    pub new_password_file: Option<PathBuf>,
    /// Send without checking the UCS@school role rules first (the server still checks).
    #[arg(long)]
    pub no_rule_checks: bool,
}

/// `ucs kelvin users patch`.
#[derive(Debug, Args)]
pub struct UserPatchArgs {
    /// The login name.
    pub name: String,
    /// Set a field: name, firstname, lastname, email, birthday, expiration_date, disabled,
    /// record_uid, source_uid, roles, school, schools, legal_guardians, legal_wards,
    /// ucsschool_roles (lists comma-separated), udm_properties.NAME (repeatable).
    #[arg(long, value_parser = key_value, value_name = "FIELD=VALUE")]
    pub set: Vec<(String, String)>,
    /// Clear a field (sent as null; repeatable).
    #[arg(long, value_name = "FIELD")]
    pub clear: Vec<String>,
    /// The changes as a JSON object (`-`: standard input); null clears a field.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// A new password, read from this file (never an argument).
    #[arg(long, value_name = "FILE")]
    pub new_password_file: Option<PathBuf>,
    /// Send without checking the UCS@school role rules first (the server still checks).
    #[arg(long)]
    pub no_rule_checks: bool,
}

/// Actions on schools.
#[derive(Debug, Subcommand)]
pub enum SchoolAction {
    /// List schools.
    #[command(after_help = "Example:\n  ucs kelvin schools list --name 'DEMO*'")]
    List {
        /// Only schools whose name matches (`*` wildcards).
        #[arg(long)]
        name: Option<String>,
    },
    /// Show one school.
    #[command(after_help = "Example:\n  ucs kelvin schools get DEMOSCHOOL")]
    Get {
        /// The school (OU) name.
        name: String,
    },
    /// Create a school.
    #[command(
        after_help = "Example:\n  ucs kelvin schools create SCHOOL3 --display-name 'School Three'"
    )]
    Create {
        /// The school (OU) name.
        name: String,
        /// Display name.
        #[arg(long)]
        display_name: Option<String>,
        /// An educational server's host name (repeatable).
        #[arg(long = "educational-server", value_name = "HOST")]
        educational_servers: Vec<String>,
    },
}

/// Actions on classes and workgroups.
#[derive(Debug, Subcommand)]
pub enum GroupAction {
    /// List the groups of a school.
    #[command(
        after_help = "Example:\n  ucs kelvin classes list --school DEMOSCHOOL --name 'Demo*'"
    )]
    List {
        /// The school.
        #[arg(long, required = true)]
        school: String,
        /// Only groups whose name matches (`*` wildcards).
        #[arg(long)]
        name: Option<String>,
    },
    /// Show one group.
    #[command(after_help = "Example:\n  ucs kelvin classes get DEMOSCHOOL Democlass")]
    Get {
        /// The school.
        school: String,
        /// The group's name.
        name: String,
    },
    /// Create a group.
    #[command(
        after_help = "Example:\n  ucs kelvin workgroups create DEMOSCHOOL chess --description 'Chess club' --member demo_student"
    )]
    Create {
        /// The school.
        school: String,
        /// The group's name.
        name: String,
        /// Description.
        #[arg(long)]
        description: Option<String>,
        /// A member, by user name (repeatable).
        #[arg(long = "member", value_name = "NAME")]
        members: Vec<String>,
        /// Do not create a share for the group.
        #[arg(long)]
        no_share: bool,
        /// Mail address (workgroups).
        #[arg(long)]
        email: Option<String>,
    },
    /// Change some fields of a group (PATCH).
    #[command(
        after_help = "Example:\n  ucs kelvin classes patch DEMOSCHOOL Democlass --description '5th grade' --users demo_student,demo_teacher"
    )]
    Patch {
        /// The school.
        school: String,
        /// The group's name.
        name: String,
        /// New name (a rename).
        #[arg(long)]
        rename: Option<String>,
        /// Description.
        #[arg(long, conflicts_with = "clear_description")]
        description: Option<String>,
        /// Clear the description.
        #[arg(long)]
        clear_description: bool,
        /// The complete member list (comma-separated user names; empty for none).
        #[arg(long, value_name = "NAMES")]
        users: Option<String>,
        /// Mail address (workgroups).
        #[arg(long)]
        email: Option<String>,
    },
    /// Delete groups of a school (exit status 1 when some of several fail).
    #[command(after_help = "Example:\n  ucs kelvin workgroups delete DEMOSCHOOL chess")]
    Delete {
        /// The school.
        school: String,
        /// The groups' names.
        #[arg(required = true)]
        names: Vec<String>,
    },
}

/// Actions on roles.
#[derive(Debug, Subcommand)]
pub enum RoleAction {
    /// List the roles.
    #[command(after_help = "Example:\n  ucs kelvin roles list")]
    List,
    /// Show one role.
    #[command(after_help = "Example:\n  ucs kelvin roles get teacher")]
    Get {
        /// The role.
        #[arg(value_parser = role)]
        role: Role,
    },
}
