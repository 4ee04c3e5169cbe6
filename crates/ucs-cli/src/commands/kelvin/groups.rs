//! `ucs kelvin classes|workgroups list|get|create|patch|delete`.

use serde_json::Value;
use ucs::kelvin::{GroupPatch, Kelvin, NewSchoolClass, NewWorkGroup};

use super::json;
use crate::cli::kelvin::GroupAction;
use crate::cli::OutputFormat;
use crate::commands::print::{batch, print_all, print_one};
use crate::exit::{CliError, CliResult};
use crate::output::Column;

/// The columns of `classes list` and `workgroups list`.
const COLUMNS: [&str; 4] = ["name", "school", "description", "users"];

/// Runs a classes action.
pub async fn run_classes(kelvin: &Kelvin, format: OutputFormat, action: &GroupAction) -> CliResult {
    let classes = kelvin.classes();
    match action {
        GroupAction::List { school, name } => {
            let items: Vec<Value> = classes
                .search(school, name.as_deref())
                .await?
                .iter()
                .map(json::class)
                .collect();
            print_all(format, Column::list(&COLUMNS), &items)
        }
        GroupAction::Get { school, name } => {
            print_one(format, &json::class(&classes.get(school, name).await?))
        }
        GroupAction::Create {
            school,
            name,
            description,
            members,
            no_share,
            email,
        } => {
            if email.is_some() {
                return Err(CliError::new(
                    "classes have no mail address (--email is for workgroups)",
                ));
            }
            let mut class = NewSchoolClass::new(school, name);
            class.description = description.clone();
            class.users = members.clone();
            class.create_share = no_share.then_some(false);
            print_one(format, &json::class(&classes.create(class).await?))
        }
        GroupAction::Patch { school, name, .. } => {
            let patch = group_patch(action)?;
            print_one(
                format,
                &json::class(&classes.patch(school, name, &patch).await?),
            )
        }
        GroupAction::Delete { school, names } => {
            let classes = &classes;
            batch(names, |name| async move {
                classes.delete(school, name).await?;
                Ok(format!("deleted class {school}/{name}"))
            })
            .await
        }
    }
}

/// Runs a workgroups action.
pub async fn run_workgroups(
    kelvin: &Kelvin,
    format: OutputFormat,
    action: &GroupAction,
) -> CliResult {
    let groups = kelvin.workgroups();
    match action {
        GroupAction::List { school, name } => {
            let items: Vec<Value> = groups
                .search(school, name.as_deref())
                .await?
                .iter()
                .map(json::workgroup)
                .collect();
            print_all(format, Column::list(&COLUMNS), &items)
        }
        GroupAction::Get { school, name } => {
            print_one(format, &json::workgroup(&groups.get(school, name).await?))
        }
        GroupAction::Create {
            school,
            name,
            description,
            members,
            no_share,
            email,
        } => {
            let mut group = NewWorkGroup::new(school, name);
            group.description = description.clone();
            group.users = members.clone();
            group.create_share = no_share.then_some(false);
            group.email = email.clone();
            print_one(format, &json::workgroup(&groups.create(group).await?))
        }
        GroupAction::Patch { school, name, .. } => {
            let patch = group_patch(action)?;
            print_one(
                format,
                &json::workgroup(&groups.patch(school, name, &patch).await?),
            )
        }
        GroupAction::Delete { school, names } => {
            let groups = &groups;
            batch(names, |name| async move {
                groups.delete(school, name).await?;
                Ok(format!("deleted workgroup {school}/{name}"))
            })
            .await
        }
    }
}

/// The patch of a `patch` action.
fn group_patch(action: &GroupAction) -> Result<GroupPatch, CliError> {
    let GroupAction::Patch {
        rename,
        description,
        clear_description,
        users,
        email,
        ..
    } = action
    else {
        return Err(CliError::new("internal: not a patch"));
    };
    let mut patch = GroupPatch::new();
    let mut changed = false;
    if let Some(new_name) = rename {
        patch = patch.name(new_name);
        changed = true;
    }
    if description.is_some() || *clear_description {
        patch = patch.description(description.as_deref());
        changed = true;
    }
    if let Some(users) = users {
        let names: Vec<&str> = users
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .collect();
        patch = patch.users(names);
        changed = true;
    }
    if let Some(email) = email {
        patch = patch.email(Some(email).filter(|e| !e.is_empty()).map(String::as_str));
        changed = true;
    }
    if !changed {
        return Err(CliError::new("nothing to change")
            .hint("give --rename, --description, --clear-description, --users or --email"));
    }
    Ok(patch)
}
