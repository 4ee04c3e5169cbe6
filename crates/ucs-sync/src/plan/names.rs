//! User names and mail addresses of new users: from the roster, from the importer's
//! `scheme` (`ImportUser.make_username`, `make_email`, Kelvin 4.0.0), or Kolab style.

use super::context::Context;
use crate::config::SyncConfig;
use crate::problem::Problem;
use crate::record::Record;
use crate::scheme::{format_email, format_username, render, NameRules};

/// The user name of a new user.
pub async fn new_name(record: &Record, ctx: &Context<'_>) -> Result<String, Problem> {
    if let Some(name) = record.name.as_ref().filter(|n| !n.is_empty()) {
        return Ok(name.clone());
    }
    if let Some(kolab) = &ctx.kolab {
        let generated = kolab
            .values
            .generate(&["name"], &record.firstname, &record.lastname, None)
            .await;
        return generated
            .map_err(|e| Problem::new("name", "generation", e.to_string()))?
            .text("name")
            .map(str::to_string)
            .ok_or_else(|| Problem::new("name", "generation", "no user name was generated"));
    }
    scheme_name(record, ctx.config, ctx)
}

/// `make_username` with `username_scheme` (`<:umlauts>` is always put in front).
fn scheme_name(record: &Record, config: &SyncConfig, ctx: &Context<'_>) -> Result<String, Problem> {
    let role = Some(record.role);
    let Some(scheme) = config.username_scheme(role) else {
        return Err(Problem::new(
            "name",
            "no_username_scheme",
            format!(
                "no user name in the row and no scheme for role {:?} or default",
                record.role.key()
            ),
        ));
    };
    let template = format!("<:umlauts>{scheme}");
    let rendered = render(&template, |k| crate::record::lookup(record, k))
        .map_err(|e| Problem::new("name", "template", e.0))?;
    if rendered.is_empty() {
        return Err(Problem::new(
            "name",
            "empty_name",
            format!("no user name was created from scheme {scheme:?}"),
        ));
    }
    let rules = NameRules::username(
        config.max_username_length(role),
        &config.username_allowed_special_chars,
    );
    let name = format_username(&rendered, &rules, &ctx.names)
        .map_err(|e| Problem::new("name", "template", e.0))?;
    if name.is_empty() {
        return Err(Problem::new(
            "name",
            "empty_name",
            format!("the user name rules left nothing of {rendered:?}"),
        ));
    }
    Ok(name)
}

/// The mail address of a new user (`None`: none).
pub async fn new_email(
    record: &Record,
    name: &str,
    ctx: &Context<'_>,
) -> Result<Option<String>, Problem> {
    if let Some(email) = &record.email {
        return Ok(Some(email.clone()).filter(|e| !e.is_empty()));
    }
    if let Some(kolab) = &ctx.kolab {
        if !kolab.values.has_mail_domain() {
            return Ok(None);
        }
        let generated = kolab
            .values
            .generate(&["email"], &record.firstname, &record.lastname, None)
            .await;
        return Ok(generated
            .map_err(|e| Problem::new("email", "generation", e.to_string()))?
            .text("email")
            .map(str::to_string));
    }
    scheme_email(record, name, ctx)
}

/// `make_email`: the `email` scheme with `<maildomain>`, lower-cased, made unique.
fn scheme_email(record: &Record, name: &str, ctx: &Context<'_>) -> Result<Option<String>, Problem> {
    let config = ctx.config;
    let Some(scheme) = &config.scheme.email else {
        return Ok(None);
    };
    let mandatory = config
        .mandatory_attributes
        .iter()
        .any(|a| a == "email" || a == "mailPrimaryAddress");
    let Some(domain) = &config.maildomain else {
        return match mandatory {
            true => Err(Problem::new(
                "email",
                "no_mail_domain",
                "no maildomain configured for the email scheme",
            )),
            false => Ok(None),
        };
    };
    let rendered = render(scheme, |k| match k {
        "maildomain" => Some(domain.as_str()),
        "name" | "username" => Some(name),
        other => crate::record::lookup(record, other),
    })
    .map_err(|e| Problem::new("email", "template", e.0))?
    .to_lowercase();
    let email =
        format_email(&rendered, &ctx.emails).map_err(|e| Problem::new("email", "template", e.0))?;
    Ok(Some(email).filter(|e| e.split('@').next().is_some_and(|l| !l.is_empty())))
}
