//! Creating and changing objects: ETag preconditions, renames, and writes
//! whose answer was lost (never applied twice, never reported done when they
//! were not).

use std::time::Duration;

use progenitor_client::ByteStream;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Map, Value};

use super::location::dn_from_object_url;
use super::module::Module;
use super::object::Object;
use crate::error::{Error, Result};
use crate::http::answer::Answer;
use crate::http::exec::{collect_body, Op};
use ucs_ldap::Dn;

/// How often [`Module::modify`] re-reads and re-applies a change after a
/// conflicting concurrent write.
const MODIFY_ATTEMPTS: u32 = 10;

/// How often a write whose answer was lost is sent again after a re-read
/// showed it did not arrive.
const RESENDS: u32 = 3;

/// The largest write answer read (UDM answers a few hundred bytes).
const MAX_WRITE_ANSWER: usize = 1 << 20;

/// The precondition a write carries.
pub(crate) enum Precondition<'a> {
    IfMatch(&'a str),
    IfUnmodifiedSince(HeaderValue),
    None,
}

impl Module {
    /// Creates `object` (`POST`) and returns it as stored.
    ///
    /// A create is never repeated blindly. If the answer is lost (a broken
    /// connection after sending, or a 502/504 from a gateway), the object is
    /// looked up at the DN the module's naming property implies
    /// ([`Module::implied_dn`]): if it is there with every property that was
    /// sent, it is returned as created; otherwise the original error is
    /// returned (with `maybe_sent`), saying what the lookup found.
    pub async fn create(&self, object: &Object) -> Result<Object> {
        self.require("create")?;
        let body = object.full_body();
        let secrets: Vec<_> = object.password().into_iter().collect();
        let op = Op::new("POST", self.collection_url()).with_secrets(secrets);
        let result = self.send_create(op, &body).await;
        match result {
            Ok(answer) => {
                let dn = created_dn(&answer)?;
                self.get(&dn).await
            }
            Err(error) if error.maybe_applied() => self.confirm_create(object, error).await,
            Err(error) => Err(error),
        }
    }

    /// The DN a new object will get: its naming property below its position
    /// (`uid=<username>` for users, `cn=<name>` for groups and containers,
    /// `ou=<name>` for OUs), or `None` when the module or the object does not
    /// say.
    pub fn implied_dn(&self, object: &Object) -> Option<Dn> {
        let (attr, property) = naming(self.name())?;
        let value = object.get_str(property).filter(|v| !v.is_empty())?;
        Some(object.position()?.child(attr, value))
    }

    async fn confirm_create(&self, object: &Object, error: Error) -> Result<Object> {
        let Some(dn) = self.implied_dn(object) else {
            return Err(error);
        };
        tracing::warn!(dn = %dn, "create may have reached the server; looking it up");
        match self.get(&dn).await {
            Ok(found) if object.changes_visible_in(&found) => Ok(found),
            Ok(_) => Err(error.amended(&format!(
                "{dn} exists, but not with the properties sent: not ours, not created"
            ))),
            Err(lookup) if lookup.is_not_found() => {
                Err(error.amended(&format!("{dn} does not exist")))
            }
            Err(_) => Err(error),
        }
    }

    /// Sends the properties (and options, policies) of `object` that changed
    /// since it was read (`PATCH` with `If-Match`), and returns the object as
    /// stored now (under its new DN after a rename). A concurrent change
    /// answers [`Error::Conflict`] (412); [`Module::modify`] retries those.
    /// An object whose position was changed is refused: moves need
    /// [`Module::move_to`].
    pub async fn patch(&self, object: &Object) -> Result<Object> {
        self.require("update")?;
        let dn = existing_dn(object, "patch")?;
        refuse_position_change(object)?;
        if !object.has_changes() {
            return self.get(dn).await;
        }
        let body = object.patch_body();
        match self.write_confirmed("PATCH", object, body).await? {
            Written::Answer(answer) => self.read_after_write(&answer, dn).await,
            Written::Confirmed(current) => Ok(*current),
        }
    }

    /// Writes all properties of `object` (`PUT` with `If-Match`). The server
    /// sets exactly the properties sent and keeps the others; options are
    /// merged; the policies sent replace all references. An object whose
    /// position was changed is refused: moves need [`Module::move_to`].
    pub async fn replace(&self, object: &Object) -> Result<Object> {
        self.require("modify")?;
        let dn = existing_dn(object, "replace")?;
        refuse_position_change(object)?;
        match self
            .write_confirmed("PUT", object, object.full_body())
            .await?
        {
            Written::Answer(answer) => self.read_after_write(&answer, dn).await,
            Written::Confirmed(current) => Ok(*current),
        }
    }

    /// Read-modify-write without lost updates: reads the object, applies
    /// `change`, patches with `If-Match`, and on a conflicting concurrent
    /// write (412) starts over with a fresh read after a short random wait (up
    /// to 10 times). A change is never applied twice: a PATCH whose answer was
    /// lost is confirmed by reading the object again.
    pub async fn modify<F>(&self, dn: &Dn, mut change: F) -> Result<Object>
    where
        F: FnMut(&mut Object) -> Result<()>,
    {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut object = self.get(dn).await?;
            change(&mut object)?;
            match self.patch(&object).await {
                Err(Error::Conflict(e)) if e.status == 412 && attempt < MODIFY_ATTEMPTS => {
                    let wait = backoff(attempt);
                    tracing::debug!(dn = %dn, attempt, wait_ms = wait.as_millis() as u64, "concurrent change; reading again");
                    tokio::time::sleep(wait).await;
                }
                other => return other,
            }
        }
    }

    /// The precondition for writing `object`: its ETag, else its
    /// `Last-Modified`, else none if this handle allows blind writes.
    pub(crate) fn precondition<'o>(&self, object: &'o Object) -> Result<Precondition<'o>> {
        if let Some(etag) = object.etag() {
            return Ok(Precondition::IfMatch(etag));
        }
        if let Some(value) = object
            .last_modified()
            .and_then(|v| HeaderValue::from_str(v).ok())
        {
            return Ok(Precondition::IfUnmodifiedSince(value));
        }
        if self.blind_writes {
            return Ok(Precondition::None);
        }
        Err(Error::InvalidInput(format!(
            "{} was read without an ETag or Last-Modified (a proxy may strip them), so a write \
             could overwrite a concurrent change unseen; read it again, or use \
             Module::allow_blind_writes",
            object.dn().map(ToString::to_string).unwrap_or_default()
        )))
    }

    /// Sends one PUT or PATCH of `body`. Its answer can be lost: then the
    /// object is read again; unchanged means the write did not arrive (it is
    /// sent again), the sent values in place mean it did.
    async fn write_confirmed(
        &self,
        method: &'static str,
        object: &Object,
        body: Map<String, Value>,
    ) -> Result<Written> {
        let dn = existing_dn(object, "write")?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.send_write(method, dn, object, &body).await {
                Ok(answer) => return Ok(Written::Answer(answer)),
                Err(error) if error.maybe_applied() => {
                    let current = self.get(dn).await?;
                    let unchanged = current.etag().is_some() && current.etag() == object.etag();
                    if unchanged && attempt < RESENDS {
                        tracing::warn!(dn = %dn, "write did not arrive; sending it again");
                        continue;
                    }
                    if unchanged {
                        return Err(error.amended(&format!("not applied after {attempt} attempts")));
                    }
                    if object.changes_visible_in(&current) {
                        return Ok(Written::Confirmed(Box::new(current)));
                    }
                    return Err(error.amended(
                        "the object changed since, without the values sent: check it before \
                         writing again",
                    ));
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// One PUT or PATCH with the object's precondition. Not repeated by the
    /// executor after an ambiguous failure: [`Module::write_confirmed`]
    /// decides.
    pub(crate) async fn send_write(
        &self,
        method: &'static str,
        dn: &Dn,
        object: &Object,
        body: &Map<String, Value>,
    ) -> Result<Answer<ByteStream>> {
        let precondition = self.precondition(object)?;
        let (if_match, extra) = match &precondition {
            Precondition::IfMatch(etag) => (Some(*etag), HeaderMap::new()),
            Precondition::IfUnmodifiedSince(value) => {
                let mut extra = HeaderMap::new();
                extra.insert(reqwest::header::IF_UNMODIFIED_SINCE, value.clone());
                (None, extra)
            }
            Precondition::None => (None, HeaderMap::new()),
        };
        let secrets: Vec<_> = object.password().into_iter().collect();
        let op = Op::new(method, self.url(dn))
            .with_secrets(secrets)
            .not_repeated();
        self.send_modify(op, dn, if_match, &extra, body).await
    }

    /// Reads the object a PUT or PATCH answered for: under the DN its
    /// `Location` names (a rename changes it), else `dn`.
    async fn read_after_write(&self, answer: &Answer<ByteStream>, dn: &Dn) -> Result<Object> {
        let new_dn = self.location_dn(answer)?.unwrap_or_else(|| dn.clone());
        self.get(&new_dn).await
    }

    /// The DN in an answer's `Location` (an object URL), if there is one.
    pub(crate) fn location_dn<T>(&self, answer: &Answer<T>) -> Result<Option<Dn>> {
        let Some(location) = answer.header("location") else {
            return Ok(None);
        };
        match dn_from_object_url(&location, self.udm().base_url(), self.name()) {
            Some(text) => Dn::parse(&text).map(Some).map_err(|e| {
                answer.decode_error(format!("the Location names a malformed DN: {e}"))
            }),
            None => Ok(None),
        }
    }
}

/// What a confirmed write ended with.
enum Written {
    /// The server's answer.
    Answer(Answer<ByteStream>),
    /// The answer was lost, but the object shows the write arrived.
    Confirmed(Box<Object>),
}

/// The naming attribute and property of the modules whose DN a new object's
/// properties imply.
fn naming(module: &str) -> Option<(&'static str, &'static str)> {
    match module {
        "users/user" | "users/ldap" => Some(("uid", "username")),
        "container/ou" => Some(("ou", "name")),
        "groups/group" | "container/cn" | "mail/domain" => Some(("cn", "name")),
        m if m.starts_with("computers/") => Some(("cn", "name")),
        _ => None,
    }
}

/// The DN of a created object, from the answer's body.
fn created_dn(answer: &Answer<udm_raw::Created>) -> Result<Dn> {
    let text = answer.body().dn.as_deref().ok_or_else(|| {
        answer.decode_error("the server created an object without telling its DN")
    })?;
    Dn::parse(text)
        .map_err(|e| answer.decode_error(format!("the server answered a malformed DN: {e}")))
}

/// The DN of an object that must exist for `what`.
fn existing_dn<'o>(object: &'o Object, what: &str) -> Result<&'o Dn> {
    object.dn().ok_or_else(|| {
        Error::InvalidInput(format!(
            "{what} needs an object that exists (create it first)"
        ))
    })
}

fn refuse_position_change(object: &Object) -> Result<()> {
    if object.position_changed() {
        return Err(Error::InvalidInput(
            "the object's position was changed: a PATCH or PUT does not move it; call \
             Module::move_to"
                .into(),
        ));
    }
    Ok(())
}

/// A random wait that grows with the attempt, so colliding writers spread out.
fn backoff(attempt: u32) -> Duration {
    let ceiling = 10u64.saturating_mul(1 << attempt.min(7));
    Duration::from_millis(rand::Rng::random_range(&mut rand::rng(), 0..=ceiling))
}

/// Reads a write answer's body (bounded), for the few answers that carry one.
pub(crate) async fn write_answer_json(answer: Answer<ByteStream>) -> Result<Value> {
    let (stream, context) = answer.into_parts();
    let bytes = collect_body(stream, MAX_WRITE_ANSWER, &context).await?;
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_slice(&bytes).map_err(|e| Error::Decode {
        context: Box::new(context),
        message: format!("write answer: {e}"),
    })
}
