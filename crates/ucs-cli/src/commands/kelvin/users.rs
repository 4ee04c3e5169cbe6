//! `ucs kelvin users list|get|create|patch|delete`.

use serde_json::{Map, Value};
use ucs::kelvin::{Kelvin, NewUser, UserFilter, UserPatch};

use super::json::{self, UserDoc};
use super::patch::{boolean, user_patch};
use crate::cli::kelvin::{date, UserAction, UserCreateArgs, UserListArgs, UserPatchArgs};
use crate::cli::OutputFormat;
use crate::commands::json_input::read_json_input;
use crate::commands::print::{batch, print_all, print_one};
use crate::exit::{CliError, CliResult};
use crate::output::Column;
use crate::password::read_password_file;

/// The columns of `users list`.
const COLUMNS: [&str; 7] = [
    "name",
    "firstname",
    "lastname",
    "school",
    "roles",
    "school_classes",
    "email",
];

/// Runs a users action.
pub async fn run(kelvin: &Kelvin, format: OutputFormat, action: &UserAction) -> CliResult {
    match action {
        UserAction::List(args) => list(kelvin, format, args).await,
        UserAction::Get { name } => {
            print_one(format, &json::user(&kelvin.users().get(name).await?))
        }
        UserAction::Create(args) => {
            let user = new_user(args)?;
            let users = kelvin.users();
            let users = if args.no_rule_checks {
                users.without_rule_checks()
            } else {
                users
            };
            print_one(format, &json::user(&users.create(user).await?))
        }
        UserAction::Patch(args) => patch(kelvin, format, args).await,
        UserAction::Delete { names } => {
            batch(names, |name| async move {
                kelvin.users().delete(name).await?;
                Ok(format!("deleted user {name}"))
            })
            .await
        }
    }
}

async fn list(kelvin: &Kelvin, format: OutputFormat, args: &UserListArgs) -> CliResult {
    let filter = user_filter(args)?;
    let users = kelvin.users().search(&filter).await?;
    if let Some(first) = users.first() {
        refuse_ignored_queries(&args.query, &first.udm_properties)?;
    }
    let items: Vec<Value> = users.iter().map(json::user).collect();
    print_all(format, Column::list(&COLUMNS), &items)
}

/// Kelvin filters only by the UDM properties it maps and silently ignores any other query
/// parameter, so the answer would hold users the filter meant to leave out. Every user it
/// answers lists all mapped properties in `udm_properties` (ucsschool-kelvin-rest-api
/// release-4.0.0, kelvin-api/ucsschool/kelvin/routers/v1/user.py
/// `search_query_params_to_udm_filter` skips parameters not in the accepted properties;
/// routers/v1/base.py `get_mapped_udm_properties` reads every configured one).
fn refuse_ignored_queries(
    queries: &[(String, String)],
    mapped: &Map<String, Value>,
) -> Result<(), CliError> {
    match queries.iter().find(|(name, _)| !mapped.contains_key(name)) {
        None => Ok(()),
        Some((name, value)) => Err(CliError::new(format!(
            "the server does not map the UDM property {name:?}, so Kelvin ignored \
             --query {name}={value} and answered users without that filter; nothing printed"
        ))
        .hint("map it in the server's mapped_udm_properties.json (user), or use --filter")),
    }
}

/// The search filter from the options.
pub fn user_filter(args: &UserListArgs) -> Result<UserFilter, CliError> {
    let mut filter = UserFilter::new();
    if let Some(school) = &args.school {
        filter = filter.school(school);
    }
    for role in &args.role {
        filter = filter.role(*role);
    }
    for (field, value) in &args.filter {
        filter = match field.as_str() {
            "name" => filter.name(value),
            "firstname" => filter.firstname(value),
            "lastname" => filter.lastname(value),
            "email" => filter.email(value),
            "record_uid" => filter.record_uid(value),
            "source_uid" => filter.source_uid(value),
            "birthday" => filter.birthday(date(value).map_err(CliError::new)?),
            "expiration_date" => filter.expiration_date(date(value).map_err(CliError::new)?),
            "disabled" => filter.disabled(boolean(value)?),
            other => return Err(
                CliError::new(format!("Kelvin cannot search users by {other:?}")).hint(
                    "fields: name, firstname, lastname, email, record_uid, source_uid, birthday, \
                     expiration_date, disabled; mapped UDM properties with --query",
                ),
            ),
        };
    }
    for (property, value) in &args.query {
        filter = filter.udm_property(property, value);
    }
    Ok(filter)
}

/// The user to create: the JSON file, then the options over it.
fn new_user(args: &UserCreateArgs) -> Result<NewUser, CliError> {
    let mut user = match &args.json {
        Some(path) => serde_json::from_value::<UserDoc>(read_json_input(path)?)
            .map_err(|e| CliError::new(format!("{}: {e}", path.display())))?
            .into_new_user()?,
        None => NewUser::default(),
    };
    if let Some(v) = &args.name {
        user.name = Some(v.clone());
    }
    if let Some(v) = &args.firstname {
        user.firstname = v.clone();
    }
    if let Some(v) = &args.lastname {
        user.lastname = v.clone();
    }
    for role in &args.roles {
        user = user.role(*role);
    }
    if let Some(school) = &args.school {
        user = user.school(school);
    }
    for school in &args.also_schools {
        user = user.also_school(school);
    }
    user = memberships(user, args)?;
    user.email = args.email.clone().or(user.email);
    user.birthday = args.birthday.or(user.birthday);
    user.expiration_date = args.expiration_date.or(user.expiration_date);
    user.disabled |= args.disabled;
    user.record_uid = args.record_uid.clone().or(user.record_uid);
    user.source_uid = args.source_uid.clone().or(user.source_uid);
    for (name, value) in &args.udm_properties {
        user = user.udm_property(name, value.as_str());
    }
    if let Some(path) = &args.new_password_file {
        user = user.password(read_password_file(path)?);
    }
    Ok(user)
}

/// `--class [SCHOOL:]CLASS` and `--workgroup SCHOOL:WORKGROUP`.
fn memberships(mut user: NewUser, args: &UserCreateArgs) -> Result<NewUser, CliError> {
    let primary = user
        .school
        .clone()
        .or_else(|| user.schools.first().cloned());
    for class in &args.classes {
        user = match class.split_once(':') {
            Some((school, name)) => user.class_in(school, name),
            None => match &primary {
                Some(school) => user.class_in(school.clone(), class),
                None => {
                    return Err(CliError::new(format!("--class {class}: which school?"))
                        .hint("give --school, or --class SCHOOL:CLASS"))
                }
            },
        };
    }
    for group in &args.workgroups {
        let (school, name) = group
            .split_once(':')
            .or_else(|| primary.as_deref().map(|s| (s, group.as_str())))
            .ok_or_else(|| {
                CliError::new(format!("--workgroup {group}: which school?"))
                    .hint("give --workgroup SCHOOL:WORKGROUP")
            })?;
        user = user.workgroup_in(school, name);
    }
    Ok(user)
}

async fn patch(kelvin: &Kelvin, format: OutputFormat, args: &UserPatchArgs) -> CliResult {
    let mut changes = match &args.json {
        Some(path) => match read_json_input(path)? {
            Value::Object(map) => map,
            _ => {
                return Err(CliError::new(format!(
                    "{}: expected a JSON object",
                    path.display()
                )))
            }
        },
        None => Map::new(),
    };
    for (field, value) in &args.set {
        changes.insert(field.clone(), Value::String(value.clone()));
    }
    for field in &args.clear {
        changes.insert(field.clone(), Value::Null);
    }
    let mut patch: UserPatch = user_patch(&changes)?;
    if let Some(path) = &args.new_password_file {
        patch = patch.password(read_password_file(path)?);
    }
    if patch.is_empty() {
        return Err(CliError::new("nothing to change")
            .hint("give --set FIELD=VALUE, --clear FIELD or --json FILE"));
    }
    let users = kelvin.users();
    let users = if args.no_rule_checks {
        users.without_rule_checks()
    } else {
        users
    };
    print_one(format, &json::user(&users.patch(&args.name, &patch).await?))
}
