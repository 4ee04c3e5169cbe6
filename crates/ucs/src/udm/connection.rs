//! How a UDM client authenticates besides a user name and password (HTTP
//! Basic): the UDM REST API also accepts OAuth 2 bearer tokens, which Nubus
//! issues with Keycloak (UCS 5.2-1, `univention/admin/rest/module.py`,
//! `Resource.parse_authorization`: `Authorization: Bearer <token>` binds to
//! LDAP with the token; a refused token answers 401 with
//! `WWW-Authenticate: Bearer ... error="invalid_token"`).

use crate::error::Result;
use crate::http::oauth2::ClientCredentials;
use crate::http::url::parse_server_url;
use crate::secret::Secret;
use crate::session::credentials::Credentials;
use crate::session::Builder;

use super::UdmOptions;

impl Builder<UdmOptions> {
    /// Authenticate with this bearer token (obtained elsewhere, e.g. from
    /// Keycloak by another process) instead of a user name and password.
    /// The token is a [`Secret`] and goes only to the UDM server. It is not
    /// renewed: once it expires, calls fail with
    /// [`Error::Unauthorized`](crate::Error::Unauthorized); use
    /// [`Builder::oauth2_client_credentials`] for tokens that renew
    /// themselves.
    pub fn bearer_token(self, token: impl Into<Secret>) -> Self {
        self.set_credentials(Credentials::Bearer(token.into()))
    }

    /// Authenticate with OAuth 2 access tokens from the client-credentials
    /// grant at `token_url` (Keycloak:
    /// `https://<keycloak>/realms/<realm>/protocol/openid-connect/token`).
    /// The client logs in lazily on the first call, requests a new token
    /// shortly before `expires_in` runs out (one request shared by all
    /// concurrent calls), and once more after a 401. The secret goes only
    /// to the token endpoint, the access token only to the UDM server;
    /// redirects are followed for neither. The token endpoint is reached
    /// with this client's TLS trust (add its CA with `ca_file` when it is
    /// not the UCS CA), proxy and retry policy. A `token_url` with
    /// credentials in it, or not http(s), makes `build` fail.
    pub fn oauth2_client_credentials(
        self,
        token_url: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Result<Self> {
        let config = ClientCredentials {
            token_url: parse_server_url(token_url)?,
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            scope: None,
        };
        Ok(self.set_credentials(Credentials::OAuth2(Box::new(config))))
    }

    /// The scopes (space-separated) to ask the token endpoint for; needs
    /// [`Builder::oauth2_client_credentials`] (else `build` fails).
    pub fn oauth2_scope(self, scope: impl Into<String>) -> Self {
        self.set_oauth2_scope(scope.into())
    }
}
