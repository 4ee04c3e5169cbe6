//! `ucs udm MODULE list|get|create|modify|move|delete` and `ucs udm modules`.

mod list;
mod object;
mod values;

use serde_json::{json, Value};
use ucs::udm::{DeleteOptions, Module, Udm};

use crate::cli::udm::{UdmAction, UdmArgs};
use crate::cli::{GlobalArgs, OutputFormat};
use crate::commands::print::{batch, print_all, print_one};
use crate::connection::Connection;
use crate::exit::{CliError, CliResult};
use crate::output::Column;
use object::{object_json, parse_dn};

/// Runs a UDM command.
pub async fn run(global: &GlobalArgs, args: &UdmArgs) -> CliResult {
    let format = args.output.output;
    let action = match (&args.action, args.module.as_str()) {
        (None, "modules") => None,
        (Some(_), "modules") => {
            return Err(CliError::new("`ucs udm modules` takes no action").hint("ucs udm modules"))
        }
        (None, module) => {
            return Err(
                CliError::new(format!("what to do with {module}?")).hint(format!(
                    "ucs udm {module} list|get|create|modify|move|delete (see --help)"
                )),
            )
        }
        (Some(action), _) => Some(action),
    };
    let connection = Connection::resolve(global)?;
    let udm = connection.udm()?;
    let Some(action) = action else {
        return modules(&udm, format).await;
    };
    let module = udm.module(&args.module)?;
    match action {
        UdmAction::List(list_args) => list::run(&udm, &module, format, list_args).await,
        UdmAction::Get { dn } => {
            print_one(format, &object_json(&module.get(&parse_dn(dn)?).await?))
        }
        UdmAction::Create(create) => {
            let position = create.position.as_deref().map(parse_dn).transpose()?;
            let superordinate = create.superordinate.as_deref().map(parse_dn).transpose()?;
            let mut object = module
                .template(position.as_ref(), superordinate.as_ref())
                .await?;
            if let Some(position) = position {
                object.set_position(position);
            }
            values::apply(&mut object, &create.values, &[])?;
            print_one(format, &object_json(&module.create(&object).await?))
        }
        UdmAction::Modify(modify) => {
            let dn = parse_dn(&modify.dn)?;
            values::check(&modify.values)?;
            let changed = module
                .modify(&dn, |object| {
                    values::apply(object, &modify.values, &modify.clear)
                        .map_err(|e| ucs::Error::InvalidInput(e.message))
                })
                .await?;
            print_one(format, &object_json(&changed))
        }
        UdmAction::Move { dn, position } => {
            let object = module.get(&parse_dn(dn)?).await?;
            let moved = module.move_to(&object, &parse_dn(position)?).await?;
            print_one(format, &object_json(&moved))
        }
        UdmAction::Delete {
            dns,
            recursive,
            no_cleanup,
        } => delete(&module, dns, *recursive, *no_cleanup).await,
    }
}

async fn delete(module: &Module, dns: &[String], recursive: bool, no_cleanup: bool) -> CliResult {
    let options = DeleteOptions {
        cleanup: Some(!no_cleanup),
        recursive: Some(recursive),
        if_match: None,
    };
    batch(dns, |dn| async move {
        module.delete_with(&parse_dn(dn)?, options).await?;
        Ok(format!("deleted {} {dn}", module.name()))
    })
    .await
}

async fn modules(udm: &Udm, format: OutputFormat) -> CliResult {
    let items: Vec<Value> = udm
        .modules()
        .await?
        .iter()
        .map(|m| json!({"name": m.name, "title": m.title, "supported": m.supported}))
        .collect();
    print_all(
        format,
        Column::list(&["name", "title", "supported"]),
        &items,
    )
}
