//! The requests of a module's operations: through the generated client for
//! modules the vendored document describes, hand-written to the same URLs
//! with the same parameters for the others ([`Udm::generic_module`]). Both
//! run through the executor (auth, request id, retries, body limit) and
//! answer the same types, so the object model above does not tell them
//! apart.

use bytes::Bytes;
use progenitor_client::{ByteStream, ResponseValue};
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::Method;
use serde_json::{Map, Value};

use super::location::dn_from_object_url;
use super::module::{DeleteOptions, Kind, Module};
use super::Udm;
use crate::error::{Error, Result};
use crate::http::answer::Answer;
use crate::http::exec::{send_hand_written, Op, Redirects};
use ucs_ldap::Dn;

type Json = Map<String, Value>;

impl Module {
    /// `GET <module>/add`.
    pub(crate) async fn send_template(
        &self,
        position: Option<&Dn>,
        superordinate: Option<&Dn>,
    ) -> Result<Answer<Json>> {
        let position = position.map(ToString::to_string);
        let superordinate = superordinate.map(ToString::to_string);
        let (position, superordinate) = (position.as_deref(), superordinate.as_deref());
        let url = format!("{}add", self.collection_url());
        let op = Op::new("GET", url.clone());
        match self.kind() {
            Kind::Described(info) => {
                let name = info.name;
                self.udm()
                    .call(op, &[], |c| async move {
                        c.template(name, position, superordinate).await
                    })
                    .await
            }
            Kind::Generic(_) => {
                let mut query = Vec::new();
                push(&mut query, "position", position);
                push(&mut query, "superordinate", superordinate);
                self.hand_written_get(op, &url, &query).await
            }
        }
    }

    /// `GET <module>/<dn>`, optionally with only some properties.
    pub(crate) async fn send_get(
        &self,
        dn: &Dn,
        properties: Option<&Vec<String>>,
    ) -> Result<Answer<Json>> {
        let url = self.url(dn);
        let op = Op::new("GET", url.clone());
        match self.kind() {
            Kind::Described(info) => {
                let name = info.name;
                let dn_text = dn.to_string();
                let dn_text = dn_text.as_str();
                self.udm()
                    .call(op, &[], |c| async move {
                        c.get(name, dn_text, properties).await
                    })
                    .await
            }
            Kind::Generic(_) => {
                let mut query = Vec::new();
                for property in properties.into_iter().flatten() {
                    query.push(("properties".to_string(), property.clone()));
                }
                self.hand_written_get(op, &url, &query).await
            }
        }
    }

    /// `GET <module>/` with the search parameters and `extra` query pairs.
    pub(crate) async fn send_search(
        &self,
        args: &udm_raw::SearchArgs<'_>,
        extra: &[(String, String)],
    ) -> Result<Answer<Json>> {
        let url = self.collection_url();
        let op = Op::new("GET", url.clone());
        match self.kind() {
            Kind::Described(info) => {
                let name = info.name;
                self.udm()
                    .call(op, extra, |c| async move { c.search(name, args).await })
                    .await
            }
            Kind::Generic(_) => {
                let mut query = search_query(args);
                query.extend_from_slice(extra);
                self.hand_written_get(op, &url, &query).await
            }
        }
    }

    /// `POST <module>/`: the new object's DN (from the answer's body, or
    /// its `Location`) and UUID.
    pub(crate) async fn send_create(
        &self,
        op: Op<'_>,
        body: &Json,
    ) -> Result<Answer<udm_raw::Created>> {
        match self.kind() {
            Kind::Described(info) => {
                let name = info.name;
                self.udm()
                    .call(
                        op,
                        &[],
                        |c| async move { c.create(name, body.clone()).await },
                    )
                    .await
            }
            Kind::Generic(_) => {
                let url = self.collection_url();
                let answer = self
                    .hand_written(op, Method::POST, &url, &[], Some(body), &HeaderMap::new())
                    .await?;
                let location_dn = answer.header("location").and_then(|location| {
                    dn_from_object_url(&location, self.udm().base_url(), self.name())
                });
                map_answer(answer, |bytes| {
                    let json: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                    let text = |key: &str| json.get(key).and_then(Value::as_str).map(String::from);
                    Ok(udm_raw::Created {
                        dn: text("dn").or(location_dn),
                        uuid: text("uuid"),
                    })
                })
            }
        }
    }

    /// `PUT` (`modify`) or `PATCH` (`update`) of the object at `dn`, with
    /// `If-Match` and the `extra` headers (a precondition).
    pub(crate) async fn send_modify(
        &self,
        op: Op<'_>,
        dn: &Dn,
        if_match: Option<&str>,
        extra: &HeaderMap,
        body: &Json,
    ) -> Result<Answer<ByteStream>> {
        let put = op.method == "PUT";
        match self.kind() {
            Kind::Described(info) => {
                let name = info.name;
                let dn_text = dn.to_string();
                let dn_ref = dn_text.as_str();
                self.udm()
                    .call_with(op, &[], extra, |c| async move {
                        if put {
                            c.modify(name, dn_ref, if_match, body.clone()).await
                        } else {
                            c.update(name, dn_ref, if_match, body.clone()).await
                        }
                    })
                    .await
            }
            Kind::Generic(_) => {
                let url = self.url(dn);
                let method = if put { Method::PUT } else { Method::PATCH };
                let headers = with_if_match(extra, if_match)?;
                let answer = self
                    .hand_written(op, method, &url, &[], Some(body), &headers)
                    .await?;
                map_answer(answer, |bytes| {
                    Ok(ByteStream::new(Box::pin(futures::stream::once(async {
                        Ok(bytes)
                    }))))
                })
            }
        }
    }

    /// `DELETE <module>/<dn>` with the options' query and `If-Match`.
    pub(crate) async fn send_remove(&self, dn: &Dn, options: DeleteOptions<'_>) -> Result<()> {
        let DeleteOptions {
            cleanup,
            recursive,
            if_match,
        } = options;
        let url = self.url(dn);
        let op = Op::new("DELETE", url.clone());
        match self.kind() {
            Kind::Described(info) => {
                let name = info.name;
                let dn_text = dn.to_string();
                let dn_ref = dn_text.as_str();
                self.udm()
                    .call(op, &[], |c| async move {
                        c.remove(name, dn_ref, cleanup, recursive, if_match).await
                    })
                    .await?;
            }
            Kind::Generic(_) => {
                let mut query = Vec::new();
                push(&mut query, "cleanup", cleanup.map(flag));
                push(&mut query, "recursive", recursive.map(flag));
                let headers = with_if_match(&HeaderMap::new(), if_match)?;
                self.hand_written(op, Method::DELETE, &url, &query, None, &headers)
                    .await?;
            }
        }
        Ok(())
    }

    /// One hand-written request through the executor.
    /// A hand-written `GET` of a generic module, its body read as JSON.
    async fn hand_written_get(
        &self,
        op: Op<'_>,
        url: &str,
        query: &[(String, String)],
    ) -> Result<Answer<Json>> {
        let answer = self
            .hand_written(op, Method::GET, url, query, None, &HeaderMap::new())
            .await?;
        json_answer(answer)
    }

    async fn hand_written(
        &self,
        op: Op<'_>,
        method: Method,
        url: &str,
        query: &[(String, String)],
        body: Option<&Json>,
        headers: &HeaderMap,
    ) -> Result<Answer<Bytes>> {
        let udm: &Udm = self.udm();
        let http = &udm.transport().http;
        udm.execute(op, |mut prepared| {
            prepared.headers.extend(headers.clone());
            let mut request = http.request(method.clone(), url).query(query);
            if let Some(body) = body {
                request = request.json(body);
            }
            // a 3xx is an error, as the generated clients report it
            send_hand_written(request, prepared, Redirects::Refuse)
        })
        .await
    }
}

/// The query pairs of a search, in the order the generated clients send
/// them.
fn search_query(args: &udm_raw::SearchArgs<'_>) -> Vec<(String, String)> {
    let mut query = Vec::new();
    push(&mut query, "by", args.by);
    push(&mut query, "dir", args.dir);
    push(&mut query, "filter", args.filter);
    push(&mut query, "hidden", args.hidden.map(flag));
    push(&mut query, "limit", args.limit.map(|l| l.to_string()));
    push(&mut query, "page", args.page.map(|p| p.to_string()));
    push(&mut query, "position", args.position);
    for property in args.properties.into_iter().flatten() {
        query.push(("properties".into(), property.clone()));
    }
    push(&mut query, "scope", args.scope);
    query
}

fn push(query: &mut Vec<(String, String)>, key: &str, value: Option<impl Into<String>>) {
    if let Some(value) = value {
        query.push((key.to_string(), value.into()));
    }
}

fn flag(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

fn with_if_match(extra: &HeaderMap, if_match: Option<&str>) -> Result<HeaderMap> {
    let mut headers = extra.clone();
    if let Some(etag) = if_match {
        let value = HeaderValue::from_str(etag)
            .map_err(|_| Error::InvalidInput(format!("ETag {etag:?} cannot be sent")))?;
        headers.insert(reqwest::header::IF_MATCH, value);
    }
    Ok(headers)
}

/// A hand-written answer with its body decoded as JSON.
fn json_answer(answer: Answer<Bytes>) -> Result<Answer<Json>> {
    map_answer(answer, |bytes| {
        serde_json::from_slice(&bytes).map_err(|e| format!("not a JSON object: {e}"))
    })
}

/// The same answer with `convert`ed body.
fn map_answer<T>(
    answer: Answer<Bytes>,
    convert: impl FnOnce(Bytes) -> std::result::Result<T, String>,
) -> Result<Answer<T>> {
    let status = reqwest::StatusCode::from_u16(answer.status())
        .map_err(|_| answer.decode_error("an invalid status"))?;
    let headers = answer.headers().clone();
    let (bytes, context) = answer.into_parts();
    match convert(bytes) {
        Ok(body) => Ok(Answer::new(
            ResponseValue::new(body, status, headers),
            context,
        )),
        Err(message) => Err(Error::Decode {
            context: Box::new(context),
            message,
        }),
    }
}
