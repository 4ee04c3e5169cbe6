//! `cargo xtask drift OLD NEW`: the classified API changes between two
//! OpenAPI documents.
//!
//! OLD and NEW are file paths or `http(s)://` URLs. The report lists every
//! change, grouped as breaking for client code, new enum values in
//! responses, compatible and cosmetic (see `openapi_surface::ChangeClass`);
//! `--format json` prints it as JSON instead, and `--fail-on` makes the
//! command exit non-zero when changes of a class are present.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use openapi_surface::{ChangeClass, Drift};

use crate::http;

/// The largest document accepted from a URL.
const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

/// Arguments of `cargo xtask drift`. `Debug` leaves the password out.
#[derive(Args)]
pub struct DriftArgs {
    /// The old document (a path or an http(s) URL).
    pub old: String,
    /// The new document (a path or an http(s) URL).
    pub new: String,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit non-zero when there are changes of this class (`compatible`
    /// also trips on breaking changes and new response enum values).
    #[arg(long, value_enum, value_name = "CLASS", default_value_t = FailOn::Never)]
    pub fail_on: FailOn,
    /// HTTP Basic user for URL inputs (e.g. a UDM server); the password
    /// comes from `--password` or `UDM_PASSWORD`. Without it no credentials
    /// are sent.
    #[arg(long, value_name = "USER")]
    pub user: Option<String>,
    /// HTTP Basic password for `--user` (better passed through the environment).
    #[arg(long, env = "UDM_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    /// A PEM file with the CA certificate(s) to trust for URL inputs.
    #[arg(long, value_name = "PATH")]
    pub ca_file: Option<PathBuf>,
    /// Skip TLS certificate verification for URL inputs (dangerous).
    #[arg(long)]
    pub insecure: bool,
}

impl std::fmt::Debug for DriftArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DriftArgs")
            .field("old", &display_source(&self.old))
            .field("new", &display_source(&self.new))
            .field("format", &self.format)
            .field("fail_on", &self.fail_on)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("ca_file", &self.ca_file)
            .field("insecure", &self.insecure)
            .finish()
    }
}

/// Output format of `cargo xtask drift`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A readable report grouped by class.
    Text,
    /// The report as JSON (`{"summary": ..., "changes": [...]}`).
    Json,
}

/// Which changes make `cargo xtask drift` exit non-zero.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    /// Changes that break client code.
    Breaking,
    /// Any change that is not cosmetic.
    Compatible,
    /// Never (the default): only report.
    Never,
}

impl FailOn {
    /// Whether `drift` has changes this setting fails on.
    pub fn trips(self, drift: &Drift) -> bool {
        match self {
            FailOn::Breaking => drift.has(ChangeClass::Breaking),
            FailOn::Compatible => {
                drift.has(ChangeClass::Breaking)
                    || drift.has(ChangeClass::ResponseEnumAddition)
                    || drift.has(ChangeClass::Compatible)
            }
            FailOn::Never => false,
        }
    }
}

/// The text drift report between two documents given as JSON text (what
/// `cargo xtask fetch` prints before replacing a document in `specs/`).
///
/// # Errors
///
/// When either text is not JSON or not a usable OpenAPI document.
pub fn report(old_json: &str, new_json: &str) -> Result<String> {
    Ok(drift_between(old_json, new_json, "the old document", "the new document")?.to_text())
}

/// The drift between two documents given as JSON text; `old_name` and
/// `new_name` say which is which in error messages.
fn drift_between(old_json: &str, new_json: &str, old_name: &str, new_name: &str) -> Result<Drift> {
    let old: serde_json::Value =
        serde_json::from_str(old_json).with_context(|| format!("{old_name} is not JSON"))?;
    let new: serde_json::Value =
        serde_json::from_str(new_json).with_context(|| format!("{new_name} is not JSON"))?;
    openapi_surface::diff(&old, &new).map_err(|e| {
        // Name the document at fault: check the old one on its own.
        let culprit = match openapi_surface::surface(&old) {
            Err(_) => old_name,
            Ok(_) => new_name,
        };
        anyhow::anyhow!("{culprit} is not a usable OpenAPI document: {e}")
    })
}

/// The report in `format`.
fn render(drift: &Drift, format: Format, old: &str, new: &str) -> Result<String> {
    Ok(match format {
        Format::Text => format!("Comparing {old} -> {new}\n\n{}", drift.to_text()),
        Format::Json => serde_json::to_string_pretty(&drift.to_json())? + "\n",
    })
}

/// Runs `cargo xtask drift`; `Ok(false)` means "report printed, exit non-zero".
pub fn run(args: &DriftArgs) -> Result<bool> {
    let (old_name, new_name) = (display_source(&args.old), display_source(&args.new));
    let old = load(&args.old, args)?;
    let new = load(&args.new, args)?;
    let drift = drift_between(&old, &new, &old_name, &new_name)?;
    print!("{}", render(&drift, args.format, &old_name, &new_name)?);
    if args.fail_on.trips(&drift) {
        eprintln!(
            "drift: failing (--fail-on {}): {} breaking, {} new response enum values, {} compatible",
            args.fail_on
                .to_possible_value()
                .map(|v| v.get_name().to_string())
                .unwrap_or_default(),
            drift.count(ChangeClass::Breaking),
            drift.count(ChangeClass::ResponseEnumAddition),
            drift.count(ChangeClass::Compatible),
        );
        return Ok(false);
    }
    Ok(true)
}

/// Whether `source` is an http(s) URL rather than a path.
fn is_url(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// `source` for messages: URLs lose any `user:password@` part.
fn display_source(source: &str) -> String {
    if !is_url(source) {
        return source.to_string();
    }
    match source.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            match rest[..authority_end].rfind('@') {
                Some(at) => format!("{scheme}://***@{}", &rest[at + 1..]),
                None => source.to_string(),
            }
        }
        None => source.to_string(),
    }
}

/// The text of a document from a path or URL.
fn load(source: &str, args: &DriftArgs) -> Result<String> {
    if !is_url(source) {
        return std::fs::read_to_string(source).with_context(|| format!("cannot read {source}"));
    }
    let shown = display_source(source);
    if shown != source {
        bail!("{shown}: put credentials in --user and UDM_PASSWORD, not in the URL");
    }
    let agent = http::agent(args.ca_file.as_deref(), args.insecure)?;
    let mut request = agent.get(source).header("Accept", "application/json");
    if let Some(user) = &args.user {
        let password = args
            .password
            .as_deref()
            .context("--user needs a password: set UDM_PASSWORD or pass --password")?;
        request = request.header("Authorization", http::basic_auth(user, password));
    }
    let mut response = request
        .call()
        .with_context(|| format!("GET {source} failed"))?;
    let status = response.status();
    if status.as_u16() == 401 || status.as_u16() == 403 {
        bail!(
            "GET {source}: {status}: the server wants (other) credentials: --user and UDM_PASSWORD"
        );
    }
    if !status.is_success() {
        bail!("GET {source}: {status}");
    }
    response
        .body_mut()
        .with_config()
        .limit(MAX_DOCUMENT_BYTES)
        .read_to_string()
        .with_context(|| format!("GET {source}: cannot read the body"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::sync::mpsc;
    use std::time::Duration;

    fn spec(path: &str) -> String {
        crate::workspace::root()
            .join("specs")
            .join(path)
            .display()
            .to_string()
    }

    fn args(old: String, new: String, fail_on: FailOn) -> DriftArgs {
        DriftArgs {
            old,
            new,
            format: Format::Text,
            fail_on,
            user: None,
            password: None,
            ca_file: None,
            insecure: false,
        }
    }

    /// Serves one HTTP response on 127.0.0.1 and hands back the request head.
    fn serve_once(status: &'static str, body: String) -> (String, mpsc::Receiver<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let url = format!(
            "http://{}/openapi.json",
            listener.local_addr().expect("local address")
        );
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let mut reader = BufReader::new(stream);
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            let mut stream = reader.into_inner();
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.flush();
            let _ = tx.send(head);
            let mut rest = Vec::new();
            let _ = stream.read_to_end(&mut rest);
        });
        (url, rx)
    }

    #[test]
    fn report_lists_the_token_route_leaving_the_v1_document() {
        let old = std::fs::read_to_string(spec("kelvin/history/3.3.1/openapi.json")).unwrap();
        let new = std::fs::read_to_string(spec("kelvin/openapi.json")).unwrap();
        let text = report(&old, &new).unwrap();
        assert!(
            text.starts_with("API drift: 35 changes: 4 breaking,"),
            "{text}"
        );
        assert!(text.contains(
            "operation POST /ucsschool/kelvin/token: operation removed (generated method login_for_access_token_ucsschool_kelvin_token_post)"
        ));
    }

    #[test]
    fn report_rejects_what_is_not_an_openapi_document() {
        let err = report("{", "{}").unwrap_err();
        assert_eq!(err.to_string(), "the old document is not JSON");
        let err = report("[1]", "{}").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the old document is not a usable OpenAPI document: # must be a JSON object, found array"
        );
        let err = report("{}", "[1]").unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "the new document is not a usable OpenAPI document: # must be a JSON object, found array"
        );
    }

    #[test]
    fn fail_on_decides_the_exit_status() {
        let k = |v: &str| spec(&format!("kelvin/history/{v}/openapi.json"));
        // 3.3.1 -> 4.0.0 removes operations: breaking.
        assert!(!run(&args(
            k("3.3.1"),
            spec("kelvin/openapi.json"),
            FailOn::Breaking
        ))
        .unwrap());
        assert!(run(&args(
            k("3.3.1"),
            spec("kelvin/openapi.json"),
            FailOn::Never
        ))
        .unwrap());
        // 2.0.0 -> 3.3.1 only adds: compatible, not breaking.
        assert!(run(&args(k("2.0.0"), k("3.3.1"), FailOn::Breaking)).unwrap());
        assert!(!run(&args(k("2.0.0"), k("3.3.1"), FailOn::Compatible)).unwrap());
        // 1.10.3 -> 2.0.0 only changes info.version: cosmetic.
        assert!(run(&args(k("1.10.3"), k("2.0.0"), FailOn::Compatible)).unwrap());
    }

    #[test]
    fn json_format_carries_the_summary_and_every_change() {
        let old = std::fs::read_to_string(spec("kelvin/history/2.0.0/openapi.json")).unwrap();
        let new = std::fs::read_to_string(spec("kelvin/history/3.3.1/openapi.json")).unwrap();
        let drift = drift_between(&old, &new, "old", "new").unwrap();
        let json: serde_json::Value =
            serde_json::from_str(&render(&drift, Format::Json, "a", "b").unwrap()).unwrap();
        assert_eq!(
            json["summary"],
            serde_json::json!({"breaking": 0, "response_enum_addition": 0, "compatible": 7, "cosmetic": 1, "total": 8})
        );
        assert_eq!(json["changes"].as_array().map(Vec::len), Some(8));
        assert_eq!(json["changes"][0]["kind"], "enum_values_added");
        assert_eq!(json["changes"][0]["location"], "schema SchoolUserRole");
        let text = render(&drift, Format::Text, "a.json", "b.json").unwrap();
        assert!(
            text.starts_with("Comparing a.json -> b.json\n\nAPI drift: 8 changes"),
            "{text}"
        );
    }

    #[test]
    fn url_inputs_are_fetched_with_basic_auth_only_when_asked() {
        let body = std::fs::read_to_string(spec("kelvin/openapi.json")).unwrap();
        let (url, head) = serve_once("200 OK", body.clone());
        let mut a = args(url.clone(), String::new(), FailOn::Never);
        assert_eq!(load(&url, &a).unwrap(), body);
        let head = head.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(head.starts_with("GET /openapi.json HTTP/1.1"), "{head}");
        assert!(
            !head.to_ascii_lowercase().contains("authorization"),
            "{head}"
        );

        let (url, head) = serve_once("200 OK", body.clone());
        a.user = Some("Administrator".into());
        a.password = Some("univention".into());
        assert_eq!(load(&url, &a).unwrap(), body);
        let head = head.recv_timeout(Duration::from_secs(10)).unwrap();
        // base64("Administrator:univention")
        assert!(
            head.contains("Basic QWRtaW5pc3RyYXRvcjp1bml2ZW50aW9u"),
            "{head}"
        );
    }

    #[test]
    fn url_errors_say_what_happened_without_credentials() {
        let (url, _head) = serve_once("401 Unauthorized", "{}".into());
        let err = load(&url, &args(String::new(), String::new(), FailOn::Never)).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("GET {url}: 401 Unauthorized: the server wants (other) credentials: --user and UDM_PASSWORD")
        );
        let (url, _head) = serve_once("404 Not Found", "{}".into());
        let err = load(&url, &args(String::new(), String::new(), FailOn::Never)).unwrap_err();
        assert_eq!(err.to_string(), format!("GET {url}: 404 Not Found"));

        let secret = "https://Administrator:s3cret@ucs.example/univention/udm/openapi.json";
        let err = load(secret, &args(String::new(), String::new(), FailOn::Never)).unwrap_err();
        let text = format!("{err:#}");
        assert!(!text.contains("s3cret"), "{text}");
        assert_eq!(
            text,
            "https://***@ucs.example/univention/udm/openapi.json: put credentials in --user and UDM_PASSWORD, not in the URL"
        );
    }

    #[test]
    fn debug_output_hides_the_password() {
        let mut a = args(
            "https://admin:pw1@h/openapi.json".into(),
            "b.json".into(),
            FailOn::Never,
        );
        a.password = Some("s3cret".into());
        let text = format!("{a:?}");
        assert!(!text.contains("s3cret") && !text.contains("pw1"), "{text}");
        assert!(text.contains("password: Some(\"<redacted>\")"), "{text}");
    }

    #[test]
    fn missing_files_are_named() {
        let err = load(
            "/nonexistent/openapi.json",
            &args(String::new(), String::new(), FailOn::Never),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "cannot read /nonexistent/openapi.json");
    }
}
