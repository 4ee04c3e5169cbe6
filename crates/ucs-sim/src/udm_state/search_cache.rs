//! Answers of recent paged UDM searches, so that reading a large result page by page sorts
//! and filters the directory once, not once per page.
//!
//! An answer is the ordered list of the hits' DN keys, remembered together with the
//! question (module and every search parameter except the page, the page size and the
//! property selection) and the tree's generation. Any write changes the generation, so a
//! remembered answer is only ever used for exactly the directory it was computed from.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

/// How many answers are kept (the most recently used ones).
const CAPACITY: usize = 4;

/// One remembered answer.
#[derive(Debug)]
struct Entry {
    question: String,
    generation: u64,
    keys: Arc<Vec<String>>,
}

/// The remembered answers (see the module documentation).
#[derive(Debug, Default)]
pub(crate) struct SearchCache {
    entries: Mutex<VecDeque<Entry>>,
}

impl SearchCache {
    fn lock(&self) -> MutexGuard<'_, VecDeque<Entry>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The hits' keys of `question` at `generation`, if remembered.
    pub fn get(&self, question: &str, generation: u64) -> Option<Arc<Vec<String>>> {
        let mut entries = self.lock();
        let position = entries
            .iter()
            .position(|e| e.generation == generation && e.question == question)?;
        let entry = entries.remove(position)?;
        let keys = Arc::clone(&entry.keys);
        entries.push_front(entry);
        Some(keys)
    }

    /// Remembers the hits' keys of `question` at `generation`, forgetting answers computed
    /// from older directories and the least recently used ones beyond the capacity.
    pub fn put(&self, question: String, generation: u64, keys: Arc<Vec<String>>) {
        let mut entries = self.lock();
        entries.retain(|e| e.generation == generation && e.question != question);
        entries.push_front(Entry {
            question,
            generation,
            keys,
        });
        entries.truncate(CAPACITY);
    }
}

/// The question a search asks: the module and its parameters except `page`, `limit` and
/// `properties`, which only select what part of the answer is shown.
pub(crate) fn question(module: &str, pairs: &[(String, String)]) -> String {
    let mut out = String::from(module);
    for (name, value) in pairs {
        if matches!(name.as_str(), "page" | "limit" | "properties") {
            continue;
        }
        // lengths keep different splits of the same characters apart
        out.push_str(&format!("\n{}:{name}{}:{value}", name.len(), value.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(names: &[&str]) -> Arc<Vec<String>> {
        Arc::new(names.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn answers_are_found_only_for_the_same_question_and_generation() {
        let cache = SearchCache::default();
        cache.put("q".into(), 1, keys(&["a", "b"]));
        assert_eq!(
            cache.get("q", 1).as_deref(),
            Some(&vec!["a".to_string(), "b".into()])
        );
        assert!(cache.get("q", 2).is_none());
        assert!(cache.get("other", 1).is_none());
        // a newer generation replaces everything older
        cache.put("r".into(), 2, keys(&["c"]));
        assert!(cache.get("q", 1).is_none());
        assert!(cache.get("r", 2).is_some());
    }

    #[test]
    fn the_least_recently_used_answers_go_first() {
        let cache = SearchCache::default();
        for q in ["a", "b", "c", "d"] {
            cache.put(q.into(), 7, keys(&[q]));
        }
        assert!(cache.get("a", 7).is_some(), "a is used again");
        cache.put("e".into(), 7, keys(&["e"]));
        assert!(cache.get("b", 7).is_none(), "b was the least recently used");
        for q in ["a", "c", "d", "e"] {
            assert!(cache.get(q, 7).is_some(), "{q}");
        }
    }

    #[test]
    fn questions_ignore_only_paging_and_selection() {
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let base = question("users/user", &pairs(&[("filter", "uid=a*")]));
        assert_eq!(
            base,
            question(
                "users/user",
                &pairs(&[
                    ("page", "2"),
                    ("filter", "uid=a*"),
                    ("limit", "10"),
                    ("properties", "username"),
                ])
            )
        );
        assert_ne!(
            base,
            question("groups/group", &pairs(&[("filter", "uid=a*")]))
        );
        assert_ne!(
            base,
            question(
                "users/user",
                &pairs(&[("filter", "uid=a*"), ("dir", "DESC")])
            )
        );
        assert_ne!(
            question("m", &pairs(&[("a", "b=c")])),
            question("m", &pairs(&[("a=b", "c")]))
        );
        assert_ne!(
            question("m", &pairs(&[("a", "x\n1:b1:y")])),
            question("m", &pairs(&[("a", "x"), ("b", "y")]))
        );
    }
}
