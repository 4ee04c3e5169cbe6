//! One UDM module: the handle, reading and deleting objects.

use serde_json::{Map, Value};

use super::object::Object;
use super::search::Search;
use super::Udm;
use crate::error::{Error, Result};
use crate::http::answer::Answer;
use crate::http::exec::Op;
use ucs_ldap::Dn;

/// How long a container move may take by default before the client stops
/// polling.
const DEFAULT_MOVE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

/// One UDM module (`users/user`, `dns/host_record`, ...), like kube-rs'
/// `Api<K>`. Get one from [`Udm::module`] or a typed shortcut such as
/// [`Udm::users`]. An owned, cheap handle (`Clone + Send + 'static`).
#[derive(Clone)]
pub struct Module {
    udm: Udm,
    info: &'static udm_raw::ModuleInfo,
    pub(crate) blind_writes: bool,
    pub(crate) move_timeout: std::time::Duration,
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Module")
            .field("name", &self.info.name)
            .finish()
    }
}

impl Module {
    pub(crate) fn new(udm: Udm, info: &'static udm_raw::ModuleInfo) -> Self {
        Module {
            udm,
            info,
            blind_writes: false,
            move_timeout: DEFAULT_MOVE_TIMEOUT,
        }
    }

    /// The module name.
    pub fn name(&self) -> &'static str {
        self.info.name
    }

    /// The operations the module supports (`search`, `create`, `get`, ...).
    pub fn operations(&self) -> &'static [&'static str] {
        self.info.operations
    }

    /// Writes through this handle may go out without a precondition when an
    /// object carries neither an ETag nor a `Last-Modified` (a proxy removed
    /// them). By default such a write is refused, because it could overwrite
    /// a concurrent change unseen.
    pub fn allow_blind_writes(mut self) -> Self {
        self.blind_writes = true;
        self
    }

    /// How long [`Module::move_to`] polls a container move before it gives up
    /// with [`Error::Timeout`] (default five minutes).
    pub fn move_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.move_timeout = timeout;
        self
    }

    pub(crate) fn udm(&self) -> &Udm {
        &self.udm
    }

    pub(crate) fn require(&self, operation: &str) -> Result<()> {
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

    /// The object URL, encoded as the server's own links are
    /// (`quote_dn`: `/` stays, `//` becomes `,/=/,`).
    pub(crate) fn url(&self, dn: &Dn) -> String {
        format!(
            "{}/{}/{}",
            self.udm.base_url(),
            self.info.name,
            udm_raw::encode_path_segment(&dn.to_string())
        )
    }

    pub(crate) fn collection_url(&self) -> String {
        format!("{}/{}/", self.udm.base_url(), self.info.name)
    }

    /// The object in a GET-like answer, with its ETag and Last-Modified.
    pub(crate) fn object(
        &self,
        answer: Answer<Map<String, Value>>,
        existing: bool,
    ) -> Result<Object> {
        let etag = answer.header("etag");
        let last_modified = answer.header("last-modified");
        let (json, context) = answer.into_parts();
        Object::from_json(self.info.name, json, etag, last_modified, existing).map_err(|message| {
            Error::Decode {
                context: Box::new(context),
                message,
            }
        })
    }

    /// A new object filled with the server's defaults (`GET <module>/add`).
    pub async fn template(
        &self,
        position: Option<&Dn>,
        superordinate: Option<&Dn>,
    ) -> Result<Object> {
        self.require("template")?;
        let position = position.map(ToString::to_string);
        let superordinate = superordinate.map(ToString::to_string);
        let (position, superordinate) = (position.as_deref(), superordinate.as_deref());
        let name = self.info.name;
        let op = Op::new("GET", format!("{}add", self.collection_url()));
        let answer = self
            .udm
            .call(op, &[], |c| async move {
                c.template(name, position, superordinate).await
            })
            .await?;
        self.object(answer, false)
    }

    /// One object.
    pub async fn get(&self, dn: &Dn) -> Result<Object> {
        self.get_properties(dn, None).await
    }

    /// One object with only the named properties (`properties=` of the
    /// server; `None` for all).
    pub async fn get_properties(&self, dn: &Dn, properties: Option<&[&str]>) -> Result<Object> {
        self.require("get")?;
        let dn_text = dn.to_string();
        let dn_text = dn_text.as_str();
        let names: Option<Vec<String>> =
            properties.map(|p| p.iter().map(|s| s.to_string()).collect());
        let names = names.as_ref();
        let name = self.info.name;
        let answer = self
            .udm
            .call(Op::new("GET", self.url(dn)), &[], |c| async move {
                c.get(name, dn_text, names).await
            })
            .await?;
        self.object(answer, true)
    }

    /// Whether an object exists.
    pub async fn exists(&self, dn: &Dn) -> Result<bool> {
        match self.get(dn).await {
            Ok(_) => Ok(true),
            Err(e) if e.is_not_found() => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Deletes an object with the server's defaults: references to it are
    /// cleaned up and, for a container, **everything below it is deleted
    /// too** (UDM's `cleanup` and `recursive` both default to true). Use
    /// [`Module::delete_with`] with [`DeleteOptions::leaf_only`] to refuse
    /// deleting a container that is not empty.
    pub async fn delete(&self, dn: &Dn) -> Result<()> {
        self.delete_with(dn, DeleteOptions::default()).await
    }

    /// Deletes an object with explicit options.
    pub async fn delete_with(&self, dn: &Dn, options: DeleteOptions<'_>) -> Result<()> {
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
                c.remove(name, dn_ref, cleanup, recursive, if_match).await
            })
            .await?;
        Ok(())
    }

    /// Deletes `object` if nobody changed it since it was read (`If-Match`).
    pub async fn delete_object(&self, object: &Object) -> Result<()> {
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

    /// A search in this module.
    pub fn search(&self) -> Search {
        Search::new(self.clone())
    }
}

/// Options of [`Module::delete_with`]; `None` leaves a choice to the server
/// (whose defaults are `cleanup` and `recursive` both true).
#[derive(Clone, Copy, Debug, Default)]
pub struct DeleteOptions<'a> {
    /// Also remove references to the object (server default true).
    pub cleanup: Option<bool>,
    /// Also remove objects below it (server default true).
    pub recursive: Option<bool>,
    /// Only delete if the object still has this ETag.
    pub if_match: Option<&'a str>,
}

impl DeleteOptions<'_> {
    /// Clean up references, but refuse to delete a container with objects
    /// below it.
    pub fn leaf_only() -> Self {
        DeleteOptions {
            cleanup: Some(true),
            recursive: Some(false),
            if_match: None,
        }
    }
}
