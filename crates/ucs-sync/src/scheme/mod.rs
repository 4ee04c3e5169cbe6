//! Generated values: the UDM template language of the importer's `scheme`, the counter
//! variables of user names and mail addresses, the uniqueness index, and passwords.

mod counter;
mod index;
pub mod password;
mod template;
mod text;

pub use counter::{format_email, format_username, FormatError, NameRules};
pub use index::TakenIndex;
pub use template::{keys, render, TemplateError};
pub use text::{normalize, umlauts};
