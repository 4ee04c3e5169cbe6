//! `cargo xtask fetch`: refresh `specs/` from live servers.
//!
//! Downloads `GET /univention/udm/openapi.json` (HTTP Basic) and Kelvin's
//! `GET /ucsschool/kelvin/v1/openapi.json` and `/v2/openapi.json`, checks that
//! each answer is an OpenAPI 3.0 document the generator can read (the target's
//! fixups applied), prints what changed against the current `specs/`, then
//! replaces the files (temporary file + rename, all documents checked before
//! any is written) and runs `gen`. Nothing is stripped: the documents are
//! written as served, pretty-printed like the vendored ones.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;

use crate::codegen;
use crate::drift;
use crate::generate;
use crate::http;
use crate::targets::{Target, KELVIN, UDM};
use crate::workspace;

/// Arguments of `cargo xtask fetch`.
#[derive(Args)]
pub struct FetchArgs {
    /// The UDM server, e.g. `https://ucs-primary.example.com`.
    #[arg(long, value_name = "URL")]
    pub udm: Option<String>,
    /// The Kelvin server, e.g. `https://ucs-primary.example.com`.
    #[arg(long, value_name = "URL")]
    pub kelvin: Option<String>,
    /// UDM user for HTTP Basic auth.
    #[arg(long, env = "UDM_USER", default_value = "Administrator")]
    pub udm_user: String,
    /// UDM password (better passed through the environment).
    #[arg(long, env = "UDM_PASSWORD", hide_env_values = true)]
    pub udm_password: Option<String>,
    /// A PEM file with the CA certificate(s) to trust instead of the public roots.
    #[arg(long, value_name = "PATH")]
    pub ca_file: Option<PathBuf>,
    /// Skip TLS certificate verification (dangerous; prints a warning).
    #[arg(long)]
    pub insecure: bool,
    /// Do not run `cargo xtask gen` afterwards.
    #[arg(long)]
    pub no_gen: bool,
}

impl std::fmt::Debug for FetchArgs {
    /// Everything but the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FetchArgs")
            .field("udm", &self.udm)
            .field("kelvin", &self.kelvin)
            .field("udm_user", &self.udm_user)
            .field(
                "udm_password",
                &self.udm_password.as_ref().map(|_| "[REDACTED]"),
            )
            .field("ca_file", &self.ca_file)
            .field("insecure", &self.insecure)
            .field("no_gen", &self.no_gen)
            .finish()
    }
}

/// One document to download.
#[derive(Clone)]
pub struct Download {
    /// The URL to GET.
    pub url: String,
    /// Where it goes, relative to the workspace root.
    pub spec: &'static str,
    /// HTTP Basic credentials, if the server wants them.
    pub basic: Option<(String, String)>,
    /// The generated crate whose fixups must accept the document.
    pub target: &'static Target,
}

/// A downloaded, checked document.
#[derive(Debug)]
pub struct Fetched {
    /// Where it goes, relative to the workspace root.
    pub spec: &'static str,
    /// The text to write (pretty-printed JSON with a final newline).
    pub text: String,
}

/// `base` joined with an absolute API path, without doubling a path prefix
/// the user already gave (`https://h/univention/udm` + `/univention/udm/openapi.json`).
pub fn join_url(base: &str, path: &str) -> String {
    let base = base.trim_end_matches('/');
    let after_scheme = base.split_once("://").map(|(_, rest)| rest).unwrap_or(base);
    let base_path = after_scheme
        .find('/')
        .map(|i| &after_scheme[i..])
        .unwrap_or("");
    if !base_path.is_empty() && path.starts_with(base_path) {
        format!("{}{}", &base[..base.len() - base_path.len()], path)
    } else {
        format!("{base}{path}")
    }
}

/// The documents `args` asks for.
pub fn downloads(args: &FetchArgs) -> Result<Vec<Download>> {
    let mut out = Vec::new();
    if let Some(udm) = &args.udm {
        let password = args.udm_password.clone().context(
            "UDM needs credentials: pass --udm-password or set UDM_PASSWORD (and UDM_USER)",
        )?;
        out.push(Download {
            url: join_url(udm, "/univention/udm/openapi.json"),
            spec: "specs/udm/openapi.json",
            basic: Some((args.udm_user.clone(), password)),
            target: &UDM,
        });
    }
    if let Some(kelvin) = &args.kelvin {
        for (version, spec) in [
            ("v1", "specs/kelvin/openapi.json"),
            ("v2", "specs/kelvin/openapi-v2.json"),
        ] {
            out.push(Download {
                url: join_url(kelvin, &format!("/ucsschool/kelvin/{version}/openapi.json")),
                spec,
                basic: None,
                target: &KELVIN,
            });
        }
    }
    if out.is_empty() {
        bail!("nothing to fetch: give --udm URL and/or --kelvin URL");
    }
    Ok(out)
}

/// Downloads and checks one document.
pub fn fetch_one(agent: &ureq::Agent, download: &Download) -> Result<Fetched> {
    let mut request = agent
        .get(&download.url)
        .header("Accept", "application/json");
    if let Some((user, password)) = &download.basic {
        request = request.header("Authorization", http::basic_auth(user, password));
    }
    let mut response = request
        .call()
        .with_context(|| format!("GET {} failed", download.url))?;
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .with_context(|| format!("GET {}: cannot read the body", download.url))?;
    if status.as_u16() == 401 || status.as_u16() == 403 {
        bail!(
            "GET {}: {status}: the server refused the credentials (check --udm-user/--udm-password or UDM_USER/UDM_PASSWORD)",
            download.url
        );
    }
    if !status.is_success() {
        bail!("GET {}: {status}", download.url);
    }
    let value: serde_json::Value = serde_json::from_str(&body).with_context(|| {
        let start: String = body.chars().take(60).collect();
        format!(
            "GET {}: the answer is not JSON (Content-Type {content_type:?}, starts with {start:?})",
            download.url
        )
    })?;
    let text = pretty(&value)?;
    codegen::parse_fixed(
        &text,
        &download.url,
        download.target.fixups,
        &mut Vec::new(),
    )
    .with_context(|| format!("GET {}: not a usable OpenAPI document", download.url))?;
    Ok(Fetched {
        spec: download.spec,
        text,
    })
}

/// JSON pretty-printed the way the vendored documents are (two spaces,
/// key order kept, final newline).
pub fn pretty(value: &serde_json::Value) -> Result<String> {
    Ok(serde_json::to_string_pretty(value)? + "\n")
}

/// Writes every fetched document atomically (temporary file in the same
/// directory, then rename).
pub fn install(root: &Path, fetched: &[Fetched]) -> Result<()> {
    for doc in fetched {
        let path = root.join(doc.spec);
        let dir = path.parent().context("spec path has a parent")?;
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(
            ".{}.fetch-{}",
            doc.spec.replace('/', "_"),
            std::process::id()
        ));
        let mut file = std::fs::File::create(&tmp)
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        file.write_all(doc.text.as_bytes())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, &path)
            .with_context(|| format!("cannot replace {}", path.display()))?;
    }
    Ok(())
}

/// Runs `cargo xtask fetch`.
pub fn run(args: &FetchArgs) -> Result<bool> {
    let root = workspace::root();
    let agent = http::agent(args.ca_file.as_deref(), args.insecure)?;
    let mut fetched = Vec::new();
    for download in downloads(args)? {
        eprintln!("GET {}", download.url);
        fetched.push(fetch_one(&agent, &download)?);
    }
    for doc in &fetched {
        let old = std::fs::read_to_string(root.join(doc.spec)).unwrap_or_default();
        if old == doc.text {
            eprintln!("{}: unchanged", doc.spec);
            continue;
        }
        println!("== {} ==", doc.spec);
        match drift::report(&old, &doc.text) {
            Ok(report) => println!("{report}"),
            Err(e) => println!("(no drift report: {e:#})"),
        }
    }
    install(&root, &fetched)?;
    eprintln!("wrote {} document(s) into specs/", fetched.len());
    if args.no_gen {
        return Ok(true);
    }
    generate::run(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Read};
    use std::net::TcpListener;

    /// A one-thread HTTP server answering canned responses by path.
    fn serve(routes: Vec<(&'static str, u16, &'static str, String)>) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
                let mut auth = String::new();
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                        break;
                    }
                    if header.to_ascii_lowercase().starts_with("authorization:") {
                        auth = header.trim()["authorization:".len()..].trim().to_string();
                    }
                }
                let (status, ctype, body) = routes
                    .iter()
                    .find(|(p, ..)| *p == path)
                    .map(|(_, s, c, b)| (*s, *c, b.clone()))
                    .unwrap_or((404, "text/plain", "not found".into()));
                // UDM answers 401 without the expected Basic credentials.
                let (status, body) = if path.starts_with("/univention/udm")
                    && auth != "Basic QWRtaW5pc3RyYXRvcjp1bml2ZW50aW9u"
                {
                    (401, "unauthorized".to_string())
                } else {
                    (status, body)
                };
                let mut stream = reader.into_inner();
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.flush();
                let mut rest = Vec::new();
                let _ = stream.read_to_end(&mut rest);
            }
        });
        format!("http://{addr}")
    }

    fn workspace_spec(name: &str) -> String {
        std::fs::read_to_string(workspace::root().join(name)).expect("vendored spec")
    }

    fn args(udm: Option<String>, kelvin: Option<String>, password: &str) -> FetchArgs {
        FetchArgs {
            udm,
            kelvin,
            udm_user: "Administrator".into(),
            udm_password: Some(password.into()),
            ca_file: None,
            insecure: false,
            no_gen: true,
        }
    }

    fn fetch_all(args: &FetchArgs) -> Result<Vec<Fetched>> {
        let agent = http::agent(None, false)?;
        downloads(args)?
            .iter()
            .map(|d| fetch_one(&agent, d))
            .collect()
    }

    #[test]
    fn the_vendored_documents_are_in_fetch_format() {
        for spec in [
            "specs/udm/openapi.json",
            "specs/kelvin/openapi.json",
            "specs/kelvin/history/3.3.1/openapi.json",
        ] {
            let text = workspace_spec(spec);
            let value: serde_json::Value = serde_json::from_str(&text).expect("json");
            assert!(
                pretty(&value).expect("pretty") == text,
                "{spec} round-trips byte for byte"
            );
        }
    }

    #[test]
    fn debug_hides_the_password() {
        let a = args(Some("https://h".into()), None, "Top-Secret-1");
        let text = format!("{a:?}");
        assert!(
            !text.contains("Top-Secret-1") && text.contains("[REDACTED]"),
            "{text}"
        );
    }

    #[test]
    fn urls_join_without_doubling_the_api_prefix() {
        assert_eq!(
            join_url("https://h/", "/univention/udm/openapi.json"),
            "https://h/univention/udm/openapi.json"
        );
        assert_eq!(
            join_url(
                "https://h:8443/univention/udm",
                "/univention/udm/openapi.json"
            ),
            "https://h:8443/univention/udm/openapi.json"
        );
        assert_eq!(
            join_url("http://h/prefix", "/ucsschool/kelvin/v1/openapi.json"),
            "http://h/prefix/ucsschool/kelvin/v1/openapi.json"
        );
    }

    #[test]
    fn fetches_checks_and_installs_all_three_documents() {
        let kelvin_v1 = workspace_spec("specs/kelvin/openapi.json");
        // serve a compact (not pretty) copy: fetch must pretty-print it
        let compact: serde_json::Value = serde_json::from_str(&kelvin_v1).expect("json");
        let base = serve(vec![
            (
                "/ucsschool/kelvin/v1/openapi.json",
                200,
                "application/json",
                compact.to_string(),
            ),
            (
                "/ucsschool/kelvin/v2/openapi.json",
                200,
                "application/json",
                workspace_spec("specs/kelvin/openapi-v2.json"),
            ),
            (
                "/univention/udm/openapi.json",
                200,
                "application/json",
                workspace_spec("specs/udm/openapi.json"),
            ),
        ]);
        let fetched =
            fetch_all(&args(Some(base.clone()), Some(base), "univention")).expect("fetch");
        assert_eq!(fetched.len(), 3);
        let dir = tempfile::tempdir().expect("tempdir");
        install(dir.path(), &fetched).expect("install");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("specs/kelvin/openapi.json")).expect("v1"),
            kelvin_v1
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("specs/udm/openapi.json")).expect("udm"),
            workspace_spec("specs/udm/openapi.json")
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("specs/kelvin"))
            .expect("dir")
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
            .collect();
        assert!(leftovers.is_empty(), "no temporary files left");
    }

    #[test]
    fn wrong_udm_credentials_are_a_clear_error() {
        let base = serve(vec![(
            "/univention/udm/openapi.json",
            200,
            "application/json",
            workspace_spec("specs/udm/openapi.json"),
        )]);
        let err = fetch_all(&args(Some(base), None, "wrong")).expect_err("401");
        let msg = format!("{err:#}");
        assert!(msg.contains("401") && msg.contains("UDM_PASSWORD"), "{msg}");
        assert!(!msg.contains("wrong"), "the password never appears: {msg}");
    }

    #[test]
    fn html_and_non_openapi_answers_are_refused() {
        let base = serve(vec![
            (
                "/ucsschool/kelvin/v1/openapi.json",
                200,
                "text/html",
                "<html>login</html>".into(),
            ),
            (
                "/ucsschool/kelvin/v2/openapi.json",
                200,
                "application/json",
                r#"{"swagger": "2.0"}"#.into(),
            ),
        ]);
        let agent = http::agent(None, false).expect("agent");
        let all = downloads(&args(None, Some(base), "x")).expect("downloads");
        let html = format!("{:#}", fetch_one(&agent, &all[0]).expect_err("html"));
        assert!(
            html.contains("not JSON") && html.contains("text/html"),
            "{html}"
        );
        let swagger = format!("{:#}", fetch_one(&agent, &all[1]).expect_err("swagger"));
        assert!(swagger.contains("not an OpenAPI 3.0 document"), "{swagger}");
    }

    #[test]
    fn an_unreachable_server_or_missing_page_is_an_error() {
        let base = serve(vec![]);
        let err = fetch_all(&args(None, Some(base), "x")).expect_err("404");
        assert!(format!("{err:#}").contains("404"), "{err:#}");
        let err =
            fetch_all(&args(None, Some("http://127.0.0.1:9".into()), "x")).expect_err("refused");
        assert!(format!("{err:#}").contains("failed"), "{err:#}");
        let err = fetch_all(&args(None, Some("not a url".into()), "x")).expect_err("bad url");
        assert!(format!("{err:#}").contains("not a url"), "{err:#}");
    }

    #[test]
    fn a_failed_fetch_leaves_the_specs_untouched() {
        // run() checks every document before install(); a failing second
        // document means install() is never reached.
        let base = serve(vec![(
            "/ucsschool/kelvin/v1/openapi.json",
            200,
            "application/json",
            workspace_spec("specs/kelvin/openapi.json"),
        )]);
        let result = fetch_all(&args(None, Some(base), "x"));
        assert!(result.is_err(), "v2 is missing");
    }
}
