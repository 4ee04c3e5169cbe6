//! `ucs kelvin ...`.

mod groups;
mod json;
mod patch;
mod schools;
mod users;

use serde_json::Value;

use crate::cli::kelvin::{KelvinArgs, Resource, RoleAction};
use crate::cli::GlobalArgs;
use crate::commands::print::{print_all, print_one};
use crate::connection::Connection;
use crate::exit::CliResult;
use crate::output::Column;

/// Runs a Kelvin command.
pub async fn run(global: &GlobalArgs, args: &KelvinArgs) -> CliResult {
    let connection = Connection::resolve(global)?;
    let kelvin = connection.kelvin()?;
    let format = args.output.output;
    match &args.resource {
        Resource::Users { action } => users::run(&kelvin, format, action).await,
        Resource::Schools { action } => schools::run(&kelvin, format, action).await,
        Resource::Classes { action } => groups::run_classes(&kelvin, format, action).await,
        Resource::Workgroups { action } => groups::run_workgroups(&kelvin, format, action).await,
        Resource::Roles { action } => match action {
            RoleAction::List => {
                let roles: Vec<Value> = kelvin
                    .roles()
                    .list()
                    .await?
                    .iter()
                    .map(json::role_info)
                    .collect();
                print_all(format, Column::list(&["name", "display_name"]), &roles)
            }
            RoleAction::Get { role } => {
                print_one(format, &json::role_info(&kelvin.roles().get(*role).await?))
            }
        },
    }
}
