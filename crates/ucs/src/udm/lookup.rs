//! Finding objects without knowing their module, and the LDAP base: the
//! server's redirecting resources (module.py `ObjectLink`, `ObjectByUiid`,
//! `LdapBase`, UCS 5.2-1). They answer 301 with the object's URL in
//! `Location`; the client never follows redirects on its own (the next
//! request carries the credentials), so it reads the `Location`, keeps it
//! to the client's origin, and asks there.

use serde_json::{Map, Value};

use super::location::module_and_dn;
use super::module::Module;
use super::object::Object;
use super::Udm;
use crate::error::{Error, Result};
use crate::http::answer::Answer;
use ucs_ldap::Dn;

impl Udm {
    /// The object at `dn`, whatever its module (`GET /udm/object/{dn}`,
    /// which redirects to the object's URL; module.py `ObjectLink.get`).
    /// Its [`Object::module`] is the server's `objectType`; write it back
    /// through [`Udm::module_of`].
    pub async fn object(&self, dn: &Dn) -> Result<Object> {
        let url = format!(
            "{}/object/{}",
            self.base_url(),
            udm_raw::encode_path_segment(&dn.to_string())
        );
        self.follow_to_object(&url).await
    }

    /// The object with this `entryUUID`, whatever its module
    /// (`GET /udm/object/{uuid}`, module.py `ObjectByUiid.get`).
    pub async fn object_by_uuid(&self, uuid: &str) -> Result<Object> {
        let uuid = uuid::Uuid::parse_str(uuid)
            .map_err(|e| Error::InvalidInput(format!("{uuid:?} is not a UUID ({e})")))?;
        let url = format!("{}/object/{}", self.base_url(), uuid.hyphenated());
        self.follow_to_object(&url).await
    }

    /// The LDAP base DN (`GET /udm/ldap/base/`, a redirect to the base
    /// object; module.py `LdapBase.get`).
    pub async fn ldap_base(&self) -> Result<Dn> {
        let answer = self
            .get_url(&format!("{}/ldap/base/", self.base_url()))
            .await?;
        let location = redirect_target(&answer)?;
        let target = self.same_origin(&location)?;
        let (_, dn) = module_and_dn(&target, self.base_url()).ok_or_else(|| {
            answer.decode_error(format!("the LDAP base redirect names no object: {target}"))
        })?;
        Dn::parse(&dn).map_err(|e| answer.decode_error(format!("malformed base DN: {e}")))
    }

    /// The handle for `object`'s module: the described one when this build
    /// has it, else a generic one ([`Udm::generic_module`]).
    pub fn module_of(&self, object: &Object) -> Result<Module> {
        match udm_raw::module_info(object.module()) {
            Some(info) if info.enabled => Ok(Module::new(self.clone(), info)),
            _ => self.generic_module(object.module()),
        }
    }

    /// Asks `url`, which redirects to an object, then reads the object
    /// there.
    async fn follow_to_object(&self, url: &str) -> Result<Object> {
        let answer = self.get_url(url).await?;
        let location = redirect_target(&answer)?;
        let target = self.same_origin(&location)?;
        let module_from_url = module_and_dn(&target, self.base_url()).map(|(m, _)| m);
        let object = self.get_url(&target).await?;
        if object.status() != 200 {
            return Err(object.decode_error(format!(
                "the object's URL answered {} instead of the object",
                object.status()
            )));
        }
        let etag = object.header("etag");
        let last_modified = object.header("last-modified");
        let (bytes, context) = object.into_parts();
        let decode = |message: String| Error::Decode {
            context: Box::new(context.clone()),
            message,
        };
        let json: Map<String, Value> =
            serde_json::from_slice(&bytes).map_err(|e| decode(format!("not an object: {e}")))?;
        let module = json
            .get("objectType")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or(module_from_url)
            .ok_or_else(|| decode("the object names no module (objectType)".into()))?;
        Object::from_json(&module, json, etag, last_modified, true).map_err(decode)
    }
}

/// The `Location` of a redirect answer.
fn redirect_target(answer: &Answer<bytes::Bytes>) -> Result<String> {
    let status = answer.status();
    match answer.header("location") {
        Some(location) if (300..400).contains(&status) => Ok(location),
        _ => Err(answer.decode_error(format!(
            "expected a redirect to the object, got {status} without one"
        ))),
    }
}
