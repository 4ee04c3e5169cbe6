//! `ucs udm MODULE ...`: any UDM module.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use ucs::roles::Role;

use super::kelvin::{key_value, role};
use super::output::OutputArgs;

/// `ucs udm MODULE ACTION`, or `ucs udm modules`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  ucs udm modules                                        # the modules the server offers
  ucs udm users/user list --query 'lastname=M*' --properties username,lastname
  ucs udm groups/group get 'cn=Domain Users,cn=groups,dc=example,dc=com' -o json
  ucs udm users/user list --school DEMOSCHOOL --role teacher -o csv > teachers.csv")]
pub struct UdmArgs {
    /// How to print the results.
    #[command(flatten)]
    pub output: OutputArgs,
    /// The module (users/user, groups/group, container/ou, ...), or `modules` to list them.
    #[arg(value_name = "MODULE")]
    pub module: String,
    /// What to do (not with `modules`).
    #[command(subcommand)]
    pub action: Option<UdmAction>,
}

/// How deep a search goes below --position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScopeArg {
    /// The whole subtree.
    Sub,
    /// Direct children only.
    One,
    /// The position itself.
    Base,
    /// The position and its direct children.
    #[value(name = "base+one")]
    BaseOne,
}

/// Actions on objects of one module.
#[derive(Debug, Subcommand)]
pub enum UdmAction {
    /// List objects, printed as they arrive (bounded memory, any number of objects).
    #[command(after_help = "Examples:
  ucs udm users/user list --filter '(&(uid=demo_*)(disabled=0))'
  ucs udm users/user list --query 'mailPrimaryAddress=*@example.com' -o json | jq -r '.[].dn'")]
    List(UdmListArgs),
    /// Show one object.
    #[command(
        after_help = "Example:\n  ucs udm users/user get 'uid=demo_student,cn=schueler,cn=users,ou=DEMOSCHOOL,dc=example,dc=com'"
    )]
    Get {
        /// The object's DN.
        dn: String,
    },
    /// Create an object from the module's template (the server's defaults) and --set values.
    #[command(after_help = "Example:
  ucs udm users/user create --position 'cn=users,dc=example,dc=com' \\
      --set username=jdoe --set firstname=Jane --set lastname=Doe --new-password-file pw.txt")]
    Create(UdmCreateArgs),
    /// Change properties of an object (read, change, write with If-Match; retried on a
    /// concurrent change).
    #[command(
        after_help = "Example:\n  ucs udm users/user modify 'uid=jdoe,cn=users,dc=example,dc=com' --set description=Teacher --clear title"
    )]
    Modify(UdmModifyArgs),
    /// Move an object below another container.
    #[command(
        after_help = "Example:\n  ucs udm users/user move 'uid=jdoe,cn=users,dc=example,dc=com' --position 'cn=people,dc=example,dc=com'"
    )]
    Move {
        /// The object's DN.
        dn: String,
        /// The new container's DN.
        #[arg(long, value_name = "DN")]
        position: String,
    },
    /// Delete objects (exit status 1 when some of several fail).
    #[command(
        after_help = "Example:\n  ucs udm users/user delete 'uid=jdoe,cn=users,dc=example,dc=com'"
    )]
    Delete {
        /// The objects' DNs.
        #[arg(required = true)]
        dns: Vec<String>,
        /// Also delete the objects below them.
        #[arg(long)]
        recursive: bool,
        /// Keep references to them in other objects.
        #[arg(long)]
        no_cleanup: bool,
    },
}

/// `ucs udm MODULE list`.
#[derive(Debug, Args)]
pub struct UdmListArgs {
    /// An LDAP filter over UDM property names, e.g. `(&(username=demo_*)(disabled=0))`.
    #[arg(long, value_name = "LDAP-FILTER")]
    pub filter: Option<String>,
    /// `PROPERTY=VALUE` (`*` wildcards; repeatable, combined with AND).
    #[arg(long, value_parser = key_value, value_name = "PROPERTY=VALUE")]
    pub query: Vec<(String, String)>,
    /// Only objects below this container.
    #[arg(long, value_name = "DN", conflicts_with = "school")]
    pub position: Option<String>,
    /// Only objects below this school's OU.
    #[arg(long)]
    pub school: Option<String>,
    /// Only objects with this UCS@school role (in --school, or any school).
    #[arg(long, value_parser = role, value_name = "ROLE")]
    pub role: Option<Role>,
    /// How deep below the position.
    #[arg(long, value_enum)]
    pub scope: Option<ScopeArg>,
    /// Properties to fetch and show (comma-separated) [default: a few per module].
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub properties: Vec<String>,
    /// Objects per request.
    #[arg(long, default_value_t = 500)]
    pub page_size: u64,
    /// Stop after this many objects.
    #[arg(long)]
    pub limit: Option<u64>,
}

/// `ucs udm MODULE create`.
#[derive(Debug, Args)]
pub struct UdmCreateArgs {
    /// The container to create the object in [default: the module's].
    #[arg(long, value_name = "DN")]
    pub position: Option<String>,
    /// The superordinate (for modules that have one, e.g. DNS records).
    #[arg(long, value_name = "DN")]
    pub superordinate: Option<String>,
    /// The values to set.
    #[command(flatten)]
    pub values: PropertyValues,
}

/// `ucs udm MODULE modify`.
#[derive(Debug, Args)]
pub struct UdmModifyArgs {
    /// The object's DN.
    pub dn: String,
    /// The values to set.
    #[command(flatten)]
    pub values: PropertyValues,
    /// Clear a property (sent as null; repeatable).
    #[arg(long, value_name = "PROPERTY")]
    pub clear: Vec<String>,
}

/// Property values given on the command line.
#[derive(Debug, Args)]
pub struct PropertyValues {
    /// `PROPERTY=VALUE`; typed like the property's current value (true/false, numbers);
    /// repeat a property for a list (repeatable).
    #[arg(long, value_parser = key_value, value_name = "PROPERTY=VALUE")]
    pub set: Vec<(String, String)>,
    /// `PROPERTY=JSON`, set exactly (repeatable).
    #[arg(long, value_parser = key_value, value_name = "PROPERTY=JSON")]
    pub set_json: Vec<(String, String)>,
    /// Turn an option on (`+NAME`, or just NAME) or off (`-NAME`) (repeatable).
    #[arg(long = "option", value_name = "[+|-]NAME", allow_hyphen_values = true)]
    pub options: Vec<String>,
    /// The object's password, read from this file (never an argument).
    #[arg(long, value_name = "FILE")]
    pub new_password_file: Option<PathBuf>,
}
