//! Moving an object to another container. The UDM REST API (module.py
//! `Object.put`/`Object.move`, UCS 5.2-1) moves on a PUT whose `position`
//! differs; it then ignores every other field of the body, answers **201**
//! with the moved object's `Location` for modules without children (users,
//! groups) and **202** with a progress URL for containers, which answers 301
//! (`Retry-After`) while the move runs, 303 to the object when it is done,
//! and 404 once that 303 was fetched. A failed container move stays at 301
//! with `errors: true`.

use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use super::location::dn_from_object_url;
use super::module::Module;
use super::object::Object;
use super::write::write_answer_json;
use crate::error::{ApiError, Error, Result};
use ucs_ldap::Dn;

/// The longest wait between two polls.
const MAX_POLL_WAIT: Duration = Duration::from_secs(30);

impl Module {
    /// Moves `object` below `position` and returns it from its new place. The
    /// move is a PUT with only the new position; changes made to `object`
    /// since it was read are patched afterwards (the server ignores them in
    /// the move itself). A container move is polled (honouring `Retry-After`)
    /// until it finished, at most [`Module::move_timeout`] ([`Error::Timeout`]).
    pub async fn move_to(&self, object: &Object, position: &Dn) -> Result<Object> {
        self.require("modify")?;
        let dn = object
            .dn()
            .ok_or_else(|| Error::InvalidInput("move needs an object that exists".into()))?;
        let rdn = dn
            .rdn()
            .ok_or_else(|| Error::InvalidInput("cannot move the root DN".into()))?;
        let target = position.child(rdn.attr(), rdn.value());
        let new_dn = self.move_only(dn, object, position, &target).await?;
        let mut moved = self.get(&new_dn).await?;
        if object.has_changes() {
            object.carry_changes_to(&mut moved);
            moved = self.patch(&moved).await?;
        }
        Ok(moved)
    }

    /// Sends the moving PUT and waits for it; returns the new DN.
    async fn move_only(&self, dn: &Dn, object: &Object, position: &Dn, target: &Dn) -> Result<Dn> {
        let mut body = Map::new();
        body.insert("position".into(), Value::String(position.to_string()));
        body.insert("properties".into(), json!({}));
        let answer = match self.send_write("PUT", dn, object, &body).await {
            Ok(answer) => answer,
            Err(error) if error.maybe_applied() => return self.confirm_move(error, target).await,
            Err(error) => return Err(error),
        };
        match answer.status() {
            202 => {
                let progress = answer
                    .header("location")
                    .ok_or_else(|| answer.decode_error("202 without a Location to poll"))?;
                Ok(self
                    .wait_for_move(&progress)
                    .await?
                    .unwrap_or_else(|| target.clone()))
            }
            _ => {
                let named = self.location_dn(&answer)?;
                let uri = write_answer_json(answer).await?;
                let from_body = uri
                    .get("uri")
                    .and_then(Value::as_str)
                    .and_then(|u| dn_from_object_url(u, self.udm().base_url(), self.name()))
                    .and_then(|text| Dn::parse(&text).ok());
                Ok(named.or(from_body).unwrap_or_else(|| target.clone()))
            }
        }
    }

    /// The move's answer was lost: it happened if the object is at `target`.
    async fn confirm_move(&self, error: Error, target: &Dn) -> Result<Dn> {
        match self.get(target).await {
            Ok(_) => Ok(target.clone()),
            Err(_) => Err(error),
        }
    }

    /// Polls a move's progress URL until it names the moved object; `None`
    /// when the progress is gone without naming it (then the expected DN
    /// applies).
    async fn wait_for_move(&self, progress: &str) -> Result<Option<Dn>> {
        let url = self.udm().same_origin(progress)?;
        let started = Instant::now();
        loop {
            let answer = match self.udm().get_url(&url).await {
                Ok(answer) => answer,
                Err(e) if e.is_not_found() => return Ok(None),
                Err(e) => return Err(e),
            };
            match answer.status() {
                301 | 302 | 307 | 202 => {
                    let status: Value =
                        serde_json::from_slice(answer.body()).unwrap_or(Value::Null);
                    if status.get("finished") == Some(&Value::Bool(true))
                        && status.get("errors") == Some(&Value::Bool(true))
                    {
                        return Err(move_failed(&answer, &status));
                    }
                    let wait = answer
                        .header("retry-after")
                        .and_then(|v| crate::http::retry::parse_retry_after(&v))
                        .unwrap_or(Duration::from_secs(1))
                        .min(MAX_POLL_WAIT);
                    if started.elapsed() + wait > self.move_timeout {
                        return Err(Error::Timeout {
                            context: Box::new(answer.context().clone()),
                            message: format!(
                                "the move did not finish within {:?}",
                                self.move_timeout
                            ),
                        });
                    }
                    tracing::debug!(url = %url, wait_ms = wait.as_millis() as u64, "move in progress");
                    tokio::time::sleep(wait).await;
                }
                _ => return self.location_dn(&answer),
            }
        }
    }
}

/// A container move that the server reports as failed.
fn move_failed(answer: &crate::http::answer::Answer<bytes::Bytes>, status: &Value) -> Error {
    let reason = status
        .get("traceback")
        .and_then(Value::as_str)
        .and_then(|t| t.lines().rev().find(|l| !l.trim().is_empty()))
        .unwrap_or("no reason given")
        .trim()
        .to_string();
    Error::Server(Box::new(ApiError {
        context: answer.context().clone(),
        status: answer.status(),
        detail: format!("the move failed on the server: {reason}"),
        fields: Vec::new(),
    }))
}
