//! Prints the normalized surface of an OpenAPI document (JSON file), or the
//! drift report between two documents.
//!
//! ```text
//! cargo run -p openapi-surface --example surface -- specs/kelvin/openapi.json
//! cargo run -p openapi-surface --example surface -- OLD.json NEW.json
//! ```

use std::process::ExitCode;

fn load(path: &str) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{path}: not JSON: {e}"))
}

fn run(args: &[String]) -> Result<String, String> {
    match args {
        [doc] => openapi_surface::surface(&load(doc)?).map_err(|e| format!("{doc}: {e}")),
        [old, new] => openapi_surface::diff(&load(old)?, &load(new)?)
            .map(|drift| drift.to_text())
            .map_err(|e| e.to_string()),
        _ => Err("usage: surface DOC.json | surface OLD.json NEW.json".to_string()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
