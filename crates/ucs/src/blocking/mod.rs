//! Blocking clients for scripts and programs without an async runtime, as
//! reqwest has `reqwest::blocking`: the same models, errors, builders and
//! behaviour (retries, request ids, rule checks, lost-answer confirmation) as
//! the async clients, which they wrap.
//!
//! ```no_run
//! # fn demo() -> ucs::Result<()> {
//! use ucs::kelvin::UserFilter;
//!
//! let kelvin = ucs::kelvin::Kelvin::builder("https://ucs.example.com")
//!     .credentials("Administrator", "univention")
//!     .build_blocking()?;
//! let teachers = kelvin.users().search(&UserFilter::new().school("DEMOSCHOOL"))?;
//!
//! let udm = ucs::blocking::Udm::from_env()?;
//! let found = udm.users().search().query("username", "demo*").all()?;
//! for user in udm.users().search().page_size(500) {
//!     println!("{:?}", user?.dn());
//! }
//! # let _ = (teachers, found); Ok(()) }
//! ```
//!
//! Each client runs its calls on a current-thread tokio runtime on a thread
//! of its own (one per client, shared by its clones and handles); the
//! calling thread waits for the answer. Calling from inside an async runtime
//! does not panic, but blocks that runtime's thread for the call: in async
//! code use the async clients, or `tokio::task::spawn_blocking`.

mod kelvin;
mod runtime;
mod udm;

pub use self::kelvin::{Classes, Kelvin, Roles, Schools, Users, WorkGroups};
pub use self::udm::{Module, Search, SearchIter, Udm};

use crate::error::Result;
use crate::kelvin::KelvinOptions;
use crate::session::Builder;
use crate::udm::UdmOptions;

impl Builder<KelvinOptions> {
    /// Builds a [blocking](crate::blocking) session.
    pub fn build_blocking(self) -> Result<Kelvin> {
        Kelvin::new(self.build()?)
    }
}

impl Builder<UdmOptions> {
    /// Builds a [blocking](crate::blocking) client.
    pub fn build_blocking(self) -> Result<Udm> {
        Udm::new(self.build()?)
    }
}
