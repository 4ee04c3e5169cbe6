//! Resuming: an action a killed run started but did not finish is looked up in the
//! directory (by `record_uid` and `source_uid`) to tell whether it happened.

use crate::directory::Directory;
use crate::journal::Identity;
use crate::plan::{Action, Op};

/// What to do with an action a run started and did not finish.
#[derive(Debug, PartialEq)]
pub(crate) enum Resolution {
    /// Its effect is there: record it as already done.
    Happened,
    /// Send it (again), to this user name.
    Send { user: Option<String> },
}

/// Resolves an unfinished action against the directory as it is now.
pub(crate) fn resolve(action: &Action, identity: &Identity, directory: &Directory) -> Resolution {
    let found = directory.find(&identity.source_uid, &identity.record_uid);
    match (&action.op, found) {
        (Op::Create { .. }, Some(_)) => Resolution::Happened,
        (Op::Create { .. }, None) => Resolution::Send { user: None },
        (Op::Delete { .. }, None) => Resolution::Happened,
        (Op::Delete { .. }, Some(user)) => Resolution::Send {
            user: Some(user.name.clone()),
        },
        // a PATCH sets values: sending it again to the user's present name is harmless
        (Op::Patch { .. }, Some(user)) => Resolution::Send {
            user: Some(user.name.clone()),
        },
        (Op::Patch { .. }, None) => Resolution::Send { user: None },
        (Op::None, _) => Resolution::Happened,
    }
}
