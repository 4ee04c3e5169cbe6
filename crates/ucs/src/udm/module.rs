//! Operations on the objects of one UDM module.

use std::time::{Duration, Instant};

use progenitor_client::ResponseValue;
use serde_json::{Map, Value};

use super::object::Object;
use super::search::Search;
use super::Udm;
use crate::error::{Error, Result};
use crate::http::encode_segment;
use crate::http::exec::{collect_body, Op};
use crate::http::retry::parse_retry_after;
use ucs_ldap::Dn;

/// How often [`Module::modify`] re-reads and re-applies a change after a
/// conflicting concurrent write.
const MODIFY_ATTEMPTS: u32 = 10;

/// How long a move may take before the client stops polling.
const MOVE_TIMEOUT: Duration = Duration::from_secs(300);

/// One UDM module (`users/user`, `dns/host_record`, ...), like kube-rs'
/// `Api<K>`. Get one from [`Udm::module`] or a typed shortcut such as
/// [`Udm::users`].
#[derive(Clone, Copy)]
pub struct Module<'a> {
    udm: &'a Udm,
    info: &'static udm_raw::ModuleInfo,
}

impl std::fmt::Debug for Module<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Module")
            .field("name", &self.info.name)
            .finish()
    }
}

fn header(response_headers: &reqwest::header::HeaderMap, name: &str) -> Option<String> {
    response_headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

impl<'a> Module<'a> {
    pub(crate) fn new(udm: &'a Udm, info: &'static udm_raw::ModuleInfo) -> Self {
        Module { udm, info }
    }

    /// The module name.
    pub fn name(&self) -> &'static str {
        self.info.name
    }

    /// The operations the module supports (`search`, `create`, `get`, ...).
    pub fn operations(&self) -> &'static [&'static str] {
        self.info.operations
    }

    pub(crate) fn udm(&self) -> &'a Udm {
        self.udm
    }

    fn require(&self, operation: &str) -> Result<()> {
        if self.info.supports(operation) {
            Ok(())
        } else {
            Err(Error::InvalidInput(format!(
                "UDM module {} does not support {operation} (it supports {})",
                self.info.name,
                self.info.operations.join(", ")
            )))
        }
    }

    fn url(&self, dn: &Dn) -> String {
        format!(
            "{}/{}/{}",
            self.udm.base_url(),
            self.info.name,
            encode_segment(&dn.to_string())
        )
    }

    pub(crate) fn collection_url(&self) -> String {
        format!("{}/{}/", self.udm.base_url(), self.info.name)
    }

    fn object(
        &self,
        response: ResponseValue<Map<String, Value>>,
        existing: bool,
    ) -> Result<Object> {
        let etag = header(response.headers(), "etag");
        let last_modified = header(response.headers(), "last-modified");
        Object::from_json(
            self.info.name,
            response.into_inner(),
            etag,
            last_modified,
            existing,
        )
    }

    /// A new object filled with the server's defaults (`GET <module>/add`).
    pub async fn template(
        self,
        position: Option<&Dn>,
        superordinate: Option<&Dn>,
    ) -> Result<Object> {
        self.require("template")?;
        let position = position.map(ToString::to_string);
        let superordinate = superordinate.map(ToString::to_string);
        let (position, superordinate) = (position.as_deref(), superordinate.as_deref());
        let name = self.info.name;
        let op = Op::new("GET", format!("{}add", self.collection_url()));
        let response = self
            .udm
            .call(op, &[], |c| async move {
                c.template(name, position, superordinate).await
            })
            .await?;
        self.object(response, false)
    }

    /// One object.
    pub async fn get(self, dn: &Dn) -> Result<Object> {
        self.require("get")?;
        let dn_text = dn.to_string();
        let dn_text = dn_text.as_str();
        let name = self.info.name;
        let response = self
            .udm
            .call(Op::new("GET", self.url(dn)), &[], |c| async move {
                c.get(name, dn_text, None).await
            })
            .await?;
        self.object(response, true)
    }

    /// Whether an object exists.
    pub async fn exists(self, dn: &Dn) -> Result<bool> {
        match self.get(dn).await {
            Ok(_) => Ok(true),
            Err(e) if e.is_not_found() => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Creates `object` (`POST`) and returns it as stored. A create is never
    /// repeated: a broken connection is reported as
    /// [`Error::Transport`] with `maybe_sent`, and the caller decides.
    pub async fn create(self, object: &Object) -> Result<Object> {
        self.require("create")?;
        let body = object.full_body();
        let body = &body;
        let name = self.info.name;
        let secrets: Vec<_> = object.password().into_iter().collect();
        let op = Op::new("POST", self.collection_url()).with_secrets(secrets);
        let created = self
            .udm
            .call(
                op,
                &[],
                |c| async move { c.create(name, body.clone()).await },
            )
            .await?
            .into_inner();
        let dn = created.dn.ok_or_else(|| {
            Error::InvalidInput(format!(
                "the server created a {name} object without telling its DN"
            ))
        })?;
        let dn = Dn::parse(&dn)
            .map_err(|e| Error::InvalidInput(format!("the server answered a malformed DN: {e}")))?;
        self.get(&dn).await
    }

    /// Sends the properties (and options, policies) of `object` that changed
    /// since it was read (`PATCH`, with `If-Match` when the object carries an
    /// ETag), and returns the object as stored now. A concurrent change
    /// answers [`Error::Conflict`] (412); [`Module::modify`] retries those.
    pub async fn patch(self, object: &Object) -> Result<Object> {
        self.require("update")?;
        let dn = object.dn().ok_or_else(|| {
            Error::InvalidInput("patch needs an object that exists (create it first)".into())
        })?;
        if !object.has_changes() {
            return self.get(dn).await;
        }
        let body = object.patch_body();
        let body = &body;
        let dn_text = dn.to_string();
        let dn_text = dn_text.as_str();
        let etag = object.etag();
        let name = self.info.name;
        let secrets: Vec<_> = object.password().into_iter().collect();
        let op = Op::new("PATCH", self.url(dn)).with_secrets(secrets);
        self.udm
            .call(op, &[], |c| async move {
                c.update(name, dn_text, etag, body.clone()).await
            })
            .await?;
        self.get(dn).await
    }

    /// Replaces `object` on the server with its full state (`PUT`, with
    /// `If-Match`). Properties not in the object are reset to their defaults.
    pub async fn replace(self, object: &Object) -> Result<Object> {
        let dn = object
            .dn()
            .ok_or_else(|| Error::InvalidInput("replace needs an object that exists".into()))?
            .clone();
        self.put(dn, object, object.full_body()).await
    }

    /// Moves `object` below `position` (`PUT` with the new position). UDM
    /// may answer 202 with a progress URL; it is polled (honouring
    /// `Retry-After`) until the move finished. Returns the moved object.
    pub async fn move_to(self, object: &Object, position: &Dn) -> Result<Object> {
        let dn = object
            .dn()
            .ok_or_else(|| Error::InvalidInput("move needs an object that exists".into()))?
            .clone();
        let rdn = dn
            .rdn()
            .ok_or_else(|| Error::InvalidInput("cannot move the root DN".into()))?;
        let target = position.child(rdn.attr(), rdn.value());
        let mut body = object.full_body();
        body.insert("position".into(), Value::String(position.to_string()));
        let moved = self.put(dn, object, body).await?;
        if moved.dn() == Some(&target) {
            return Ok(moved);
        }
        self.get(&target).await
    }

    async fn put(&self, dn: Dn, object: &Object, body: Map<String, Value>) -> Result<Object> {
        self.require("modify")?;
        let body = &body;
        let dn_text = dn.to_string();
        let dn_ref = dn_text.as_str();
        let etag = object.etag();
        let name = self.info.name;
        let secrets: Vec<_> = object.password().into_iter().collect();
        let op = Op::new("PUT", self.url(&dn)).with_secrets(secrets);
        let context = crate::error::RequestContext {
            method: "PUT".into(),
            url: self.url(&dn),
            request_id: None,
        };
        let response = self
            .udm
            .call(op, &[], |c| async move {
                c.modify(name, dn_ref, etag, body.clone()).await
            })
            .await?;
        let status = response.status().as_u16();
        let location = header(response.headers(), "location");
        // drain the body (201 carries {dn, uuid}; others little or nothing)
        let answer = collect_body(response.into_inner(), 1 << 20, &context).await?;
        let new_dn = match status {
            202 => {
                let progress = location.ok_or_else(|| Error::Decode {
                    context: Box::new(context.clone()),
                    message: "202 without a Location to poll".into(),
                })?;
                self.wait_for_move(&progress).await?
            }
            201 => serde_json::from_slice::<Value>(&answer)
                .ok()
                .and_then(|v| v.get("dn").and_then(Value::as_str).map(str::to_string)),
            _ => None,
        };
        let new_dn = match new_dn {
            Some(text) => Dn::parse(&text).map_err(|e| {
                Error::InvalidInput(format!("the server answered a malformed DN: {e}"))
            })?,
            None => dn,
        };
        self.get(&new_dn).await
    }

    /// Polls a move's progress URL until it redirects to the moved object;
    /// returns the object's DN if the answer names it.
    async fn wait_for_move(&self, progress: &str) -> Result<Option<String>> {
        let url = self.udm.absolute(progress);
        let started = Instant::now();
        loop {
            let answer = self.udm.get_url(&url).await?;
            let status = answer.status().as_u16();
            let location = header(answer.headers(), "location");
            match status {
                303 | 200 | 201 | 204 => {
                    return Ok(location.as_deref().and_then(dn_from_object_url));
                }
                301 | 302 | 307 | 202 => {
                    let wait = header(answer.headers(), "retry-after")
                        .and_then(|v| parse_retry_after(&v))
                        .unwrap_or(Duration::from_secs(1))
                        .min(Duration::from_secs(30));
                    if started.elapsed() + wait > MOVE_TIMEOUT {
                        return Err(Error::InvalidInput(format!(
                            "the move did not finish within {MOVE_TIMEOUT:?} ({url})"
                        )));
                    }
                    tracing::debug!(url = %url, wait_ms = wait.as_millis() as u64, "move in progress");
                    tokio::time::sleep(wait).await;
                }
                other => {
                    return Err(Error::UnexpectedStatus(Box::new(crate::error::ApiError {
                        context: crate::error::RequestContext {
                            method: "GET".into(),
                            url,
                            request_id: None,
                        },
                        status: other,
                        detail: "unexpected answer while polling a move".into(),
                        fields: Vec::new(),
                    })))
                }
            }
        }
    }

    /// Deletes an object (with `cleanup` and without `recursive`).
    pub async fn delete(self, dn: &Dn) -> Result<()> {
        self.delete_with(dn, DeleteOptions::default()).await
    }

    /// Deletes an object with explicit options.
    pub async fn delete_with(self, dn: &Dn, options: DeleteOptions<'_>) -> Result<()> {
        self.require("remove")?;
        let dn_text = dn.to_string();
        let dn_ref = dn_text.as_str();
        let name = self.info.name;
        let DeleteOptions {
            cleanup,
            recursive,
            if_match,
        } = options;
        self.udm
            .call(Op::new("DELETE", self.url(dn)), &[], |c| async move {
                c.remove(name, dn_ref, Some(cleanup), Some(recursive), if_match)
                    .await
            })
            .await?;
        Ok(())
    }

    /// Deletes `object` if nobody changed it since it was read (`If-Match`).
    pub async fn delete_object(self, object: &Object) -> Result<()> {
        let dn = object
            .dn()
            .ok_or_else(|| Error::InvalidInput("delete needs an object that exists".into()))?;
        self.delete_with(
            dn,
            DeleteOptions {
                if_match: object.etag(),
                ..Default::default()
            },
        )
        .await
    }

    /// Read-modify-write without lost updates: reads the object, applies
    /// `change`, patches with `If-Match`, and on a conflicting concurrent
    /// write (412) starts over with a fresh read after a short random wait (up
    /// to 10 times).
    pub async fn modify<F>(self, dn: &Dn, mut change: F) -> Result<Object>
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
                    // back off a random while so that colliding writers spread out
                    let ceiling = 10u64.saturating_mul(1 << attempt.min(7));
                    let wait = Duration::from_millis(rand::Rng::random_range(
                        &mut rand::rng(),
                        0..=ceiling,
                    ));
                    tracing::debug!(dn = %dn, attempt, wait_ms = wait.as_millis() as u64, "concurrent change; reading again");
                    tokio::time::sleep(wait).await;
                    continue;
                }
                other => return other,
            }
        }
    }

    /// A search in this module.
    pub fn search(&self) -> Search<'a> {
        Search::new(*self)
    }
}

/// Options of [`Module::delete_with`].
#[derive(Clone, Copy, Debug)]
pub struct DeleteOptions<'a> {
    /// Also remove references to the object (default true).
    pub cleanup: bool,
    /// Also remove objects below it (default false).
    pub recursive: bool,
    /// Only delete if the object still has this ETag.
    pub if_match: Option<&'a str>,
}

impl Default for DeleteOptions<'_> {
    fn default() -> Self {
        DeleteOptions {
            cleanup: true,
            recursive: false,
            if_match: None,
        }
    }
}

/// The DN at the end of an object URL (`.../users/user/<dn>`).
fn dn_from_object_url(url: &str) -> Option<String> {
    let last = url.split(['?', '#']).next()?.rsplit('/').next()?;
    percent_encoding::percent_decode_str(last)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
        .filter(|s| s.contains('='))
}

#[cfg(test)]
mod tests {
    use super::dn_from_object_url;

    #[test]
    fn dn_from_url() {
        assert_eq!(
            dn_from_object_url("https://h/univention/udm/users/user/uid%3Da%5C%2Cb%2Cdc%3Dx")
                .as_deref(),
            Some(r"uid=a\,b,dc=x")
        );
        assert_eq!(
            dn_from_object_url("https://h/univention/udm/progress/12"),
            None
        );
    }
}
