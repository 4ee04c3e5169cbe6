//! State shared by every request handler.

use crate::catalog::Catalog;
use crate::jwt::TokenIssuer;
use crate::store::Store;
use crate::udm_state::paging::PageSessions;
use crate::udm_state::progress::Moves;
use crate::udm_state::search_cache::SearchCache;
use axum::http::{header, HeaderMap};
use std::sync::atomic::AtomicBool;

/// Everything the handlers of both APIs need.
#[derive(Debug)]
pub(crate) struct App {
    /// The shared directory.
    pub store: Store,
    /// UDM modules.
    pub catalog: Catalog,
    /// Kelvin tokens.
    pub tokens: TokenIssuer,
    /// `http` or `https`.
    pub scheme: &'static str,
    /// `host:port` used when a request has no `Host` header.
    pub default_host: String,
    /// UDM properties Kelvin shows in `udm_properties` (the server's mapping).
    pub mapped_udm_properties: Vec<String>,
    /// UDM move operations in progress.
    pub moves: Moves,
    /// Answers of recent paged UDM searches.
    pub searches: SearchCache,
    /// How far each paged UDM search was read (the server's forward-only sessions).
    pub udm_pages: PageSessions,
    /// Emulator switches of the Kelvin API.
    pub kelvin: KelvinSettings,
    /// The password of `cn=admin` (a UCS's `/etc/ldap.secret`).
    pub ldap_secret: String,
}

impl App {
    /// `scheme://host` of a request (from its `Host` header).
    pub fn origin(&self, headers: &HeaderMap) -> String {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| {
                !h.is_empty()
                    && h.chars().all(|c| {
                        c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '_')
                    })
            })
            .unwrap_or(&self.default_host);
        format!("{}://{}", self.scheme, host)
    }
}

/// Emulator-only switches of the Kelvin API.
#[derive(Debug, Default)]
pub(crate) struct KelvinSettings {
    /// v2 answers 503 `This instance is deprecated. Please upgrade.` (the only 503 of the
    /// real server: its database is not at the expected revision).
    pub v2_unavailable: AtomicBool,
}
