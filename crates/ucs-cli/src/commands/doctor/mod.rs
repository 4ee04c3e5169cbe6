//! `ucs doctor`: one line per finding (ok, warn, fail, with what to do), in the order an
//! admin would look: the profile, the host, TLS, the API versions, the logins and rights,
//! the drift against the documents this build knows.

mod api_docs;
mod finding;
mod host_name;
mod http;
mod login;
mod report;
mod tls;
mod trust;

use api_docs::Api;
use finding::Finding;
use report::Report;

use crate::cli::doctor::DoctorArgs;
use crate::cli::GlobalArgs;
use crate::connection::Connection;
use crate::exit::CliResult;

/// Runs the checks.
pub async fn run(global: &GlobalArgs, args: &DoctorArgs) -> CliResult {
    let mut connection = Connection::resolve(global)?;
    let mut report = Report::new();
    let profile = match &connection.profile {
        Some(name) => format!("profile {name}"),
        None => "no profile (options and environment)".to_string(),
    };
    report.add(Finding::ok(
        "config",
        format!(
            "{profile}: {} as {}, password from {}",
            connection.host,
            connection.user,
            connection.password_source.describe()
        ),
    ))?;
    if let Some(warning) = tls::host_port(&connection.host).and_then(|(h, _)| host_name::check(&h))
    {
        report.add(warning)?;
    }
    if !reach(&connection, &mut report).await? {
        return Ok(report.outcome());
    }
    if !trust::check(&mut connection, args, &mut report).await? {
        return Ok(report.outcome());
    }
    let insecure = connection.insecure;
    let http = http::client(&connection, insecure)?;
    let password = match connection.password() {
        Ok(p) => Some(p),
        Err(e) => {
            report.add(Finding::fail(
                "password",
                e.message,
                e.hint.unwrap_or_default(),
            ))?;
            None
        }
    };
    let (finding, kelvin_doc) = api_docs::fetch(&http, &connection.host, Api::Kelvin, None).await;
    report.add(finding)?;
    let basic = password.as_ref().map(|p| (connection.user.as_str(), p));
    let (finding, udm_doc) = api_docs::fetch(&http, &connection.host, Api::Udm, basic).await;
    report.add(finding)?;
    if let Some(password) = &password {
        logins(&connection, &http, password, &mut report).await?;
    }
    for (api, doc) in [(Api::Kelvin, kelvin_doc), (Api::Udm, udm_doc)] {
        if let Some(doc) = doc {
            let (finding, lines) = api_docs::drift(api, &doc, args.drift_details);
            report.add(finding)?;
            for line in lines {
                report.detail(&line)?;
            }
        }
    }
    Ok(report.outcome())
}

async fn reach(connection: &Connection, report: &mut Report) -> std::io::Result<bool> {
    let Some((host, port)) = tls::host_port(&connection.host) else {
        report.add(Finding::fail(
            "reach",
            format!("{:?} is not a URL", connection.host),
            "set the host as https://NAME[:PORT]",
        ))?;
        return Ok(false);
    };
    match tls::reach(&host, port, connection.timeout).await {
        Ok(()) => {
            report.add(Finding::ok("reach", format!("{host}:{port} answers")))?;
            Ok(true)
        }
        Err(e) => {
            report.add(Finding::fail(
                "reach",
                format!("cannot connect to {host}:{port}: {e}"),
                "check the host name and port, DNS, the firewall, and that the server runs",
            ))?;
            Ok(false)
        }
    }
}

async fn logins(
    connection: &Connection,
    http: &reqwest::Client,
    password: &ucs::Secret,
    report: &mut Report,
) -> CliResult<()> {
    let (finding, facts) =
        login::kelvin_token(http, &connection.host, &connection.user, password).await;
    report.add(finding)?;
    if let Some(facts) = facts {
        let kelvin = connection.kelvin()?;
        report.add(login::kelvin_rights(&kelvin, &connection.user, &facts).await)?;
    }
    let udm = connection.udm()?;
    report.add(login::udm_login(&udm, &connection.user).await)?;
    Ok(())
}
