//! The error of a string that is not a DN.

/// Why a string is not a DN.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid DN {input:?}: {reason} (at byte {position})")]
pub struct DnError {
    /// The input.
    pub input: String,
    /// What is wrong.
    pub reason: &'static str,
    /// Where (a byte offset into `input`).
    pub position: usize,
}
