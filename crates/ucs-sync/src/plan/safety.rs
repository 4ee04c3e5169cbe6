//! The safety limit: a plan may not deactivate or delete more than a share of a school's
//! users (of the source) unless forced. A guard of this crate; the importer has none.

use std::collections::BTreeMap;

use super::model::Action;
use crate::config::SafetyLimit;
use crate::directory::DirUser;
use crate::{Result, SyncError};

/// Checks the removals of `actions` against the users of the source, per primary school.
pub fn check(limit: &SafetyLimit, users: &[&DirUser], actions: &[Action]) -> Result<()> {
    if limit.force {
        return Ok(());
    }
    let mut totals: BTreeMap<&str, usize> = BTreeMap::new();
    let mut school_of: BTreeMap<&str, &str> = BTreeMap::new();
    for user in users {
        *totals.entry(user.school.as_str()).or_insert(0) += 1;
        if let Some(record) = &user.record_uid {
            school_of.insert(record.as_str(), user.school.as_str());
        }
    }
    let mut removed: BTreeMap<&str, usize> = BTreeMap::new();
    for action in actions.iter().filter(|a| a.removal) {
        if let Some(school) = school_of.get(action.record_uid.as_str()) {
            *removed.entry(school).or_insert(0) += 1;
        }
    }
    for (school, count) in removed {
        let total = totals.get(school).copied().unwrap_or(0);
        let over = count as f64 > limit.max_share * total as f64;
        if total >= limit.min_users && over {
            return Err(SyncError::SafetyLimit {
                school: school.to_string(),
                removed: count,
                total,
                limit_percent: limit.max_share * 100.0,
            });
        }
    }
    Ok(())
}
