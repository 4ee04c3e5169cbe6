//! Paged searches as the server runs them: LDAP simple paged results, continued from a
//! session per user and search (position, filter, scope, hidden, page size, sort) that
//! remembers how far it read. Pages can only be read forward:
//!
//! * page `p` at or before the page the session reached: no search, no objects, and the
//!   session now stands at `p`;
//! * otherwise the server reads on to page `p`; when the results end on the way the session
//!   is dropped and the answer is the last page read, marked as the last page `p`.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;
use std::sync::Mutex;

/// How many sessions are kept (the oldest are forgotten).
const KEPT: usize = 1000;

/// The sessions of all users.
#[derive(Debug, Default)]
pub(crate) struct PageSessions {
    inner: Mutex<(HashMap<String, usize>, VecDeque<String>)>,
}

/// What one page request answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageAnswer {
    /// The positions of the shown hits in the ordered result.
    pub range: Range<usize>,
    /// The last page (`Some(p)`: the results ended; the answer has a `last` link, else `next`).
    pub last_page: Option<usize>,
}

impl PageSessions {
    /// Page `page` (from 1) of `total` hits with `limit` per page, for the search `key`.
    pub fn page(&self, key: &str, page: usize, limit: usize, total: usize) -> PageAnswer {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let (sessions, order) = &mut *guard;
        let reached = sessions.get(key).copied().unwrap_or(0);
        if page <= reached {
            sessions.insert(key.to_string(), page);
            return PageAnswer {
                range: 0..0,
                last_page: None,
            };
        }
        let end_page = reached.saturating_add(1).max(total.div_ceil(limit));
        let slice = |p: usize| {
            let start = p.saturating_sub(1).saturating_mul(limit).min(total);
            start..start.saturating_add(limit).min(total)
        };
        if end_page <= page {
            sessions.remove(key);
            return PageAnswer {
                range: slice(end_page),
                last_page: Some(page),
            };
        }
        if sessions.insert(key.to_string(), page).is_none() {
            order.push_back(key.to_string());
            while order.len() > KEPT {
                if let Some(old) = order.pop_front() {
                    sessions.remove(&old);
                }
            }
        }
        PageAnswer {
            range: slice(page),
            last_page: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_read_forward_only() {
        let s = PageSessions::default();
        assert_eq!(
            s.page("k", 1, 2, 5),
            PageAnswer {
                range: 0..2,
                last_page: None
            }
        );
        assert_eq!(
            s.page("k", 2, 2, 5),
            PageAnswer {
                range: 2..4,
                last_page: None
            }
        );
        assert_eq!(
            s.page("k", 1, 2, 5),
            PageAnswer {
                range: 0..0,
                last_page: None
            },
            "going back"
        );
        assert_eq!(
            s.page("k", 2, 2, 5),
            PageAnswer {
                range: 2..4,
                last_page: None
            }
        );
        assert_eq!(
            s.page("k", 3, 2, 5),
            PageAnswer {
                range: 4..5,
                last_page: Some(3)
            }
        );
        assert_eq!(
            s.page("k", 1, 2, 5),
            PageAnswer {
                range: 0..2,
                last_page: None
            },
            "the session ended"
        );
        let t = PageSessions::default();
        assert_eq!(
            t.page("k", 9, 2, 3),
            PageAnswer {
                range: 2..3,
                last_page: Some(9)
            },
            "past the end: the last page again"
        );
        assert_eq!(
            t.page("e", 1, 2, 0),
            PageAnswer {
                range: 0..0,
                last_page: Some(1)
            }
        );
    }
}
