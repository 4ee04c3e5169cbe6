//! What the UDM API keeps between requests, below both the shared state ([`App`](crate::app::App))
//! and the UDM handlers: the sessions of paged searches, the move operations a progress
//! resource reports, and the answers of recent searches.

pub(crate) mod paging;
pub(crate) mod progress;
pub(crate) mod search_cache;
