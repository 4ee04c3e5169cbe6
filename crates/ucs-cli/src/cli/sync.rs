//! `ucs sync plan|apply|run`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

/// `ucs sync ACTION`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  ucs sync plan students.csv --config import.json --school DEMOSCHOOL -o plan.json
  ucs sync apply plan.json
  ucs sync run students.csv --config import.json --yes        # for cron

Exit status:
  0  done: every row of the plan was carried out
  1  partly done: some rows failed (listed), the others were carried out
  2  nothing done: bad roster or configuration, refused plan, no connection, login refused")]
pub struct SyncArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: SyncAction,
}

/// How the plan and the summary are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Counts per action, the rows, the rule violations by row and field.
    Table,
    /// The plan or summary as JSON.
    Json,
}

/// The inputs of a plan.
#[derive(Debug, Args)]
pub struct PlanInput {
    /// The roster: CSV as the importer configuration describes it, or JSON Lines (.jsonl).
    pub roster: PathBuf,
    /// The importer configuration (ucs-school-import JSON); repeat to stack files as the
    /// importer does (later ones override earlier ones).
    #[arg(long = "config", value_name = "IMPORT.JSON", required = true)]
    pub import_config: Vec<PathBuf>,
    /// The school the roster is for (when the roster has no school column).
    #[arg(long)]
    pub school: Option<String>,
}

/// Where applying writes its files.
#[derive(Debug, Args)]
pub struct ApplyFiles {
    /// The journal that makes an interrupted apply resumable [default: next to the plan,
    /// PLAN.journal.jsonl]; running again with the same journal continues.
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// Where the passwords of new users go (mode 600) [default: next to the plan,
    /// PLAN.passwords.csv].
    #[arg(long, value_name = "FILE")]
    pub passwords_csv: Option<PathBuf>,
    /// Also write the summary (one line per action and rejected row) as CSV.
    #[arg(long, value_name = "FILE")]
    pub summary_csv: Option<PathBuf>,
    /// How many requests run at the same time.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
}

/// Sync actions.
#[derive(Debug, Subcommand)]
pub enum SyncAction {
    /// Compare the roster with the directory and write what would change (nothing changes).
    #[command(
        after_help = "Example:\n  ucs sync plan students.csv --config import.json --school DEMOSCHOOL -o plan.json"
    )]
    Plan {
        /// Roster, configuration, school.
        #[command(flatten)]
        input: PlanInput,
        /// Where to write the plan (JSON).
        #[arg(short = 'o', long = "out", value_name = "PLAN.JSON")]
        out: Option<PathBuf>,
        /// How to print the plan.
        #[arg(long, value_enum, default_value = "table")]
        format: ReportFormat,
    },
    /// Carry out a plan written by `ucs sync plan`, with a progress bar on a terminal.
    #[command(after_help = "Example:\n  ucs sync apply plan.json")]
    Apply {
        /// The plan file.
        plan: PathBuf,
        /// Journal, passwords, summary.
        #[command(flatten)]
        files: ApplyFiles,
        /// How to print the summary.
        #[arg(long, value_enum, default_value = "table")]
        format: ReportFormat,
    },
    /// Plan, show the plan, ask, then apply (`--yes` answers for cron).
    #[command(after_help = "Example:\n  ucs sync run students.csv --config import.json --yes")]
    Run {
        /// Roster, configuration, school.
        #[command(flatten)]
        input: PlanInput,
        /// Apply without asking.
        #[arg(long, short = 'y')]
        yes: bool,
        /// Run against an emulator started in this process for this one run (its demo
        /// schools; nothing leaves this machine): to try a roster and a configuration.
        #[arg(long)]
        sim: bool,
        /// Where the plan goes [default: ucs-sync-ID.plan.json in the current directory].
        #[arg(short = 'o', long = "out", value_name = "PLAN.JSON")]
        out: Option<PathBuf>,
        /// Journal, passwords, summary.
        #[command(flatten)]
        files: ApplyFiles,
        /// How to print the plan and the summary.
        #[arg(long, value_enum, default_value = "table")]
        format: ReportFormat,
    },
}
