//! What a client authenticates with: a user name and password (HTTP Basic
//! for UDM, the password grant for Kelvin), a fixed bearer token, or an
//! OAuth 2 client-credentials grant (UDM on Nubus, with Keycloak tokens).

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::http::bearer::StaticBearer;
use crate::http::exec::{Auth, BasicAuth, Transport};
use crate::http::oauth2::{ClientCredentials, ClientCredentialsSource};
use crate::secret::Secret;

/// The credentials a builder was given. `Debug` shows no secret.
#[derive(Clone, Debug, Default)]
pub(crate) enum Credentials {
    /// None given yet.
    #[default]
    Missing,
    /// A user name and password.
    Password {
        /// The account.
        username: String,
        /// Its password.
        password: Secret,
    },
    /// A bearer token obtained elsewhere.
    Bearer(Secret),
    /// Tokens from an OAuth 2 token endpoint.
    OAuth2(Box<ClientCredentials>),
}

impl Credentials {
    /// The user name and password, for APIs that only log in with them.
    pub(crate) fn password(&self) -> Option<(&str, &Secret)> {
        match self {
            Credentials::Password { username, password } => Some((username, password)),
            _ => None,
        }
    }

    /// Sends the credentials as HTTP headers: Basic, the fixed token, or
    /// tokens from the grant (requested with `transport`'s HTTP client).
    pub(crate) fn header_auth(&self, transport: &Transport, what: &str) -> Result<Arc<dyn Auth>> {
        Ok(match self {
            Credentials::Missing => return Err(missing(what)),
            Credentials::Password { username, password } => {
                Arc::new(BasicAuth::new(username, password)?)
            }
            Credentials::Bearer(token) => Arc::new(StaticBearer::new(token)?),
            Credentials::OAuth2(config) => {
                Arc::new(ClientCredentialsSource::new(transport, (**config).clone()))
            }
        })
    }
}

/// The error for a builder without credentials.
pub(crate) fn missing(what: &str) -> Error {
    Error::Config(format!(
        "{what} needs credentials (builder.credentials(...))"
    ))
}
