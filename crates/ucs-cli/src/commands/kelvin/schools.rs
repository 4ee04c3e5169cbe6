//! `ucs kelvin schools list|get|create`.

use serde_json::Value;
use ucs::kelvin::{Kelvin, NewSchool};

use super::json;
use crate::cli::kelvin::SchoolAction;
use crate::cli::OutputFormat;
use crate::commands::print::{print_all, print_one};
use crate::exit::CliResult;
use crate::output::Column;

/// Runs a schools action.
pub async fn run(kelvin: &Kelvin, format: OutputFormat, action: &SchoolAction) -> CliResult {
    match action {
        SchoolAction::List { name } => {
            let schools = kelvin.schools().search(name.as_deref()).await?;
            let items: Vec<Value> = schools.iter().map(json::school).collect();
            print_all(
                format,
                Column::list(&["name", "display_name", "educational_servers"]),
                &items,
            )
        }
        SchoolAction::Get { name } => {
            print_one(format, &json::school(&kelvin.schools().get(name).await?))
        }
        SchoolAction::Create {
            name,
            display_name,
            educational_servers,
        } => {
            let mut school = NewSchool::new(name);
            if let Some(display) = display_name {
                school = school.display_name(display);
            }
            for server in educational_servers {
                school = school.educational_server(server);
            }
            print_one(
                format,
                &json::school(&kelvin.schools().create(school).await?),
            )
        }
    }
}
