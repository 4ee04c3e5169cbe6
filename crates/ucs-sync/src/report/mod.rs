//! What an apply writes besides the journal: the summary (CSV and JSON) and the
//! new-passwords file.

mod files;
mod passwords;
mod summary;

pub(crate) use files::create_private;
pub(crate) use passwords::cut_partial_line;
pub use passwords::PasswordFile;
pub use summary::{write_summary_csv, write_summary_json, SummaryRow};
