//! Compares two surfaces and classifies every change.
//!
//! [`run`] walks the two surfaces in document order: the document's security,
//! the operations ([`operations`], with their parameters, bodies and responses
//! in [`exchange`]), the security schemes ([`security`]), the reusable
//! components ([`components`]) and the component schemas ([`schemas`]). Schema
//! trees are compared node by node ([`shapes`], [`nodes`], [`constraints`]).
//! Every subject adds its findings to the one [`Comparer`] of [`context`].

mod components;
mod constraints;
mod context;
mod exchange;
mod nodes;
mod operations;
mod schemas;
mod security;
mod shapes;

use std::collections::BTreeMap;

use crate::drift::Change;
use crate::model::Surface;
use crate::usage::Usage;

use context::Comparer;

/// Every change from `old` to `new`; `usage` tells which side of the
/// exchange each component schema is on.
pub(crate) fn run(old: &Surface, new: &Surface, usage: BTreeMap<String, Usage>) -> Vec<Change> {
    let renames = schemas::renames(&old.schemas, &new.schemas);
    let mut cx = Comparer::new(old, new, usage, renames);
    cx.document_security();
    cx.operations(old, new);
    cx.security_schemes(old, new);
    cx.components(old, new);
    cx.schemas(old, new);
    cx.out
}
