//! `xtask-schemas`: prints the JSON Schemas of the project's own file formats
//! as one JSON object, file name -> schema. `cargo xtask schemas` writes them
//! into `schemas/` (and `--check` compares).
//!
//! * `ucs-sync-config.schema.json`: a `ucs-school-import` JSON configuration
//!   file as `ucs-sync` reads it, with this project's `ucs_sync` section;
//! * `ucs-sync-plan.schema.json`: a plan file (`ucs_sync::Plan`);
//! * `ucs-cli-config.schema.json`: the `ucs` command line's profiles file
//!   (`~/.config/ucs/config.toml`, `ucs_cli::ConfigFile`), a TOML file whose
//!   structure the schema describes (TOML editors take JSON Schemas).
//!
//! The schemas follow JSON Schema draft 7, which editors support best.

mod draft7;
mod import_config;
mod lenient;

use std::collections::BTreeMap;
use std::process::ExitCode;

use draft7::root;
use serde_json::Value;

fn main() -> ExitCode {
    match schemas() {
        Ok(all) => match serde_json::to_string(&all) {
            Ok(text) => {
                println!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Every schema by file name.
fn schemas() -> Result<BTreeMap<&'static str, Value>, String> {
    let mut all = BTreeMap::new();
    let config = import_config::schema()?;
    all.insert("ucs-sync-config.schema.json", config);
    all.insert(
        "ucs-sync-plan.schema.json",
        root::<ucs_sync::Plan>("ucs-sync plan file")?,
    );
    all.insert(
        "ucs-cli-config.schema.json",
        root::<ucs_cli::ConfigFile>("ucs command line profiles (config.toml)")?,
    );
    Ok(all)
}
