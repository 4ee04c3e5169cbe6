//! `ucs sync plan|apply|run`: the command layer over the sync engine (crate `ucs-sync`):
//! reading the configuration and the roster, printing the plan and the summary, the
//! progress bar, the confirmation, the exit codes.

mod apply;
mod error;
mod plan;

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::cli::sync::{SyncAction, SyncArgs};
use crate::cli::GlobalArgs;
use crate::connection::Connection;
use crate::exit::{CliError, CliResult, Outcome};
use error::sync_error;

/// Runs a sync command.
pub async fn run(global: &GlobalArgs, args: &SyncArgs) -> CliResult {
    if let SyncAction::Run { sim: true, .. } = &args.action {
        return run_on_embedded_emulator(args).await;
    }
    let connection = Connection::resolve(global)?;
    match &args.action {
        SyncAction::Plan { input, out, format } => {
            let kelvin = connection.kelvin()?;
            let plan = plan::make(&kelvin, input).await?;
            plan::print(&plan, *format)?;
            if let Some(path) = out {
                plan.save(path).map_err(sync_error)?;
                eprintln!(
                    "plan written to {}; apply it with: ucs sync apply {}",
                    path.display(),
                    path.display()
                );
            }
            Ok(plan::outcome(&plan))
        }
        SyncAction::Apply {
            plan,
            files,
            format,
        } => {
            let kelvin = connection.kelvin()?;
            let loaded = ucs_sync::Plan::load(plan).map_err(sync_error)?;
            apply::run(&kelvin, &loaded, plan, files, *format).await
        }
        SyncAction::Run {
            input,
            yes,
            out,
            files,
            format,
            ..
        } => {
            let kelvin = connection.kelvin()?;
            let confirm_on = (!*yes).then_some(connection.host.as_str());
            plan_and_apply(&kelvin, input, confirm_on, out, files, *format).await
        }
    }
}

/// `ucs sync run --sim`: the same run against an emulator in this process.
async fn run_on_embedded_emulator(args: &SyncArgs) -> CliResult {
    let SyncAction::Run {
        input,
        yes,
        out,
        files,
        format,
        ..
    } = &args.action
    else {
        return Err(CliError::new("--sim belongs to `ucs sync run`"));
    };
    let sim = crate::commands::sim::embedded()
        .await
        .map_err(|e| CliError::new(format!("cannot start the emulator: {e:#}")))?;
    eprintln!(
        "(using an emulator started for this run at {})",
        sim.base_url()
    );
    let (user, password) = sim.admin();
    let kelvin = ucs::kelvin::Kelvin::builder(sim.base_url())
        .credentials(user, password)
        .user_agent(crate::connection::user_agent())
        .build()?;
    let confirm_on = (!*yes).then_some(sim.base_url());
    let outcome = plan_and_apply(&kelvin, input, confirm_on, out, files, *format).await;
    sim.shutdown().await;
    outcome
}

/// Plans, prints, writes the plan file, asks (when `confirm_on` names the server) and
/// applies.
async fn plan_and_apply(
    kelvin: &ucs::kelvin::Kelvin,
    input: &crate::cli::sync::PlanInput,
    confirm_on: Option<&str>,
    out: &Option<PathBuf>,
    files: &crate::cli::sync::ApplyFiles,
    format: crate::cli::sync::ReportFormat,
) -> CliResult {
    {
        {
            let plan = plan::make(kelvin, input).await?;
            plan::print(&plan, format)?;
            let path = out.clone().unwrap_or_else(|| {
                PathBuf::from(format!("ucs-sync-{}.plan.json", short_id(&plan.id)))
            });
            plan.save(&path).map_err(sync_error)?;
            eprintln!("plan written to {}", path.display());
            let pending = plan.pending().count();
            if pending == 0 {
                eprintln!("nothing to change");
                return Ok(plan::outcome(&plan));
            }
            if let Some(host) = confirm_on {
                if !confirm(pending, host)? {
                    return Err(
                        CliError::new("not applied; nothing was changed").hint(format!(
                            "apply it later with: ucs sync apply {}",
                            path.display()
                        )),
                    );
                }
            }
            let applied = apply::run(kelvin, &plan, &path, files, format).await?;
            Ok(worse(applied, plan::outcome(&plan)))
        }
    }
}

/// The first characters of a plan id, for file names.
fn short_id(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// The worse of two outcomes.
fn worse(a: Outcome, b: Outcome) -> Outcome {
    std::cmp::max_by_key(a, b, |o| o.code())
}

/// Asks on the terminal; refuses without one (cron needs `--yes`).
fn confirm(pending: usize, host: &str) -> Result<bool, CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::new("not applied: standard input is not a terminal, so there is no confirmation")
            .hint("pass --yes to apply without asking (for cron), or apply the written plan with `ucs sync apply`"));
    }
    eprint!("Apply {pending} changes to {host}? Type yes to go on: ");
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| CliError::new(format!("cannot read the answer: {e}")))?;
    Ok(answer.trim().eq_ignore_ascii_case("yes"))
}
