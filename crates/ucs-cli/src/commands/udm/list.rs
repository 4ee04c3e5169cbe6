//! `ucs udm MODULE list`: the search streamed to the output, page by page.

use std::io::Write;

use futures::TryStreamExt;
use ucs::udm::{Filter, Module, Scope, Search, Udm};

use super::object::{object_json, parse_dn};
use crate::cli::udm::{ScopeArg, UdmListArgs};
use crate::cli::OutputFormat;
use crate::exit::{CliError, CliResult, Outcome};
use crate::output::{Column, ListPrinter};

/// Runs the search and prints each object as it arrives.
pub async fn run(
    udm: &Udm,
    module: &Module,
    format: OutputFormat,
    args: &UdmListArgs,
) -> CliResult {
    let search = search(udm, module, args).await?;
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut printer = ListPrinter::new(format, columns(module.name(), &args.properties), out);
    let mut stream = search.stream();
    let limit = args.limit.unwrap_or(u64::MAX);
    let mut printed: u64 = 0;
    let mut failure = None;
    while printed < limit {
        match stream.try_next().await {
            Ok(Some(object)) => {
                printer.push(&object_json(&object))?;
                printed += 1;
            }
            Ok(None) => break,
            Err(error) => {
                failure = Some(error);
                break;
            }
        }
    }
    printer.finish()?;
    match failure {
        None => {
            if printed == 0 && format == OutputFormat::Table {
                eprintln!("no objects found");
            }
            Ok(Outcome::Done)
        }
        Some(error) if printed == 0 => Err(error.into()),
        Some(error) => {
            let _ = std::io::stdout().flush();
            eprintln!("{}", CliError::from(error).message);
            eprintln!("the list stopped after {printed} objects");
            Ok(Outcome::Partial)
        }
    }
}

/// The search the options describe.
async fn search(udm: &Udm, module: &Module, args: &UdmListArgs) -> Result<Search, CliError> {
    let mut search = module.search().page_size(args.page_size.max(1));
    let mut filters = Vec::new();
    if let Some(text) = &args.filter {
        filters.push(Filter::raw(text.trim()));
    }
    if let Some(role) = args.role {
        let context = args.school.clone().unwrap_or_default();
        let prefix = format!("{}:school:", role.as_str());
        filters.push(match context.is_empty() {
            true => Filter::starts_with("ucsschoolRole", prefix),
            false => Filter::eq("ucsschoolRole", format!("{prefix}{context}")),
        });
    }
    match filters.len() {
        0 => {}
        1 => search = search.filter(filters.remove(0)),
        _ => search = search.filter(Filter::and(filters)),
    }
    for (property, value) in &args.query {
        search = search.query(property, value);
    }
    if let Some(position) = &args.position {
        search = search.position(parse_dn(position)?);
    }
    if let Some(school) = &args.school {
        search = search.position(school_position(udm, school).await?);
    }
    if let Some(scope) = args.scope {
        search = search.scope(match scope {
            ScopeArg::Sub => Scope::Sub,
            ScopeArg::One => Scope::One,
            ScopeArg::Base => Scope::Base,
            ScopeArg::BaseOne => Scope::BaseAndOne,
        });
    }
    if !args.properties.is_empty() {
        search = search.properties(args.properties.iter().cloned());
    }
    Ok(search)
}

/// The DN of the school's OU.
async fn school_position(udm: &Udm, school: &str) -> Result<ucs::udm::Dn, CliError> {
    let ous = udm
        .ous()
        .search()
        .filter(Filter::eq("name", school))
        .page_size(2)
        .all()
        .await?;
    let found = ous.iter().find_map(|ou| {
        let name = ou.get_str("name")?;
        name.eq_ignore_ascii_case(school)
            .then(|| ou.dn().cloned())
            .flatten()
    });
    found.ok_or_else(|| {
        CliError::new(format!("no school (container/ou) named {school:?}"))
            .hint("ucs kelvin schools list")
    })
}

/// The table and CSV columns: the chosen properties, or a few per module; the DN last.
fn columns(module: &str, properties: &[String]) -> Vec<Column> {
    let names: Vec<&str> = if properties.is_empty() {
        match module {
            "users/user" => vec!["username", "firstname", "lastname", "mailPrimaryAddress"],
            "groups/group" => vec!["name", "description"],
            "container/ou" => vec!["name", "displayName"],
            "container/cn" => vec!["name", "description"],
            _ => vec!["name"],
        }
    } else {
        properties.iter().map(String::as_str).collect()
    };
    let mut columns: Vec<Column> = names
        .iter()
        .map(|n| Column::new(format!("properties.{n}")))
        .collect();
    columns.push(Column::new("dn"));
    columns
}
