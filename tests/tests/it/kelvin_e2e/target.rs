//! Where the end-to-end tests run: the in-process emulator (always), or a real Kelvin
//! 4.0.0 server (the harness `../shared/kelvin-real`, which runs the upstream server code
//! over ucs-sim's UDM API) when `KELVIN_REAL_URL` names it.
//!
//! Environment of the real target:
//! * `KELVIN_REAL_URL`: the host, as Kelvin clients take it (`http://127.0.0.1:41234`; the
//!   harness prints it as `KELVIN_URL`);
//! * `KELVIN_REAL_USER` / `KELVIN_REAL_PASSWORD`: a Kelvin admin (default `Administrator` /
//!   `univention`);
//! * `KELVIN_REAL_READER_USER` / `KELVIN_REAL_READER_PASSWORD`: a Kelvin reader (default
//!   `kelvin-reader` / `univention`, the account the harness's directory has);
//! * `KELVIN_REAL_CA_FILE`: the CA of an https server (the harness prints `KELVIN_CA_FILE`).
//!
//! A real server is shared: by parallel tests, by other suites and by earlier runs. Every
//! object a test creates is named with [`unique`], a suffix fixed for this run.

use std::sync::OnceLock;
use std::time::Duration;

use ucs::kelvin::{Kelvin, KelvinBuilder};
use ucs::RetryPolicy;
use ucs_sim::{Sim, SimBuilder, SimHandle};

/// A real Kelvin server and its accounts.
pub struct RealKelvin {
    url: String,
    admin: (String, String),
    reader: (String, String),
    ca_pem: Option<Vec<u8>>,
}

/// The server a test talks to.
pub enum Target {
    /// `ucs-sim` in this process: its request log and knobs are available.
    Emulator(SimHandle),
    /// A real Kelvin server.
    Real(RealKelvin),
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_string())
}

impl Target {
    /// A fresh emulator with the demo data.
    pub async fn emulator() -> Target {
        Target::emulator_with(Sim::builder()).await
    }

    /// A fresh emulator from `builder`.
    pub async fn emulator_with(builder: SimBuilder) -> Target {
        Target::Emulator(builder.spawn().await.expect("emulator starts"))
    }

    /// The real server named by `KELVIN_REAL_URL`, or `None` (saying why) without it.
    pub fn real() -> Option<Target> {
        let Some(url) = std::env::var("KELVIN_REAL_URL")
            .ok()
            .filter(|u| !u.is_empty())
        else {
            println!(
                "skipped: KELVIN_REAL_URL is not set; it names a real Kelvin 4.0.0 (the harness \
                 ../shared/kelvin-real, started by .ci/kelvin-real.sh)"
            );
            return None;
        };
        let ca_pem = std::env::var("KELVIN_REAL_CA_FILE")
            .ok()
            .filter(|f| !f.is_empty())
            .map(|file| {
                std::fs::read(&file).unwrap_or_else(|e| panic!("KELVIN_REAL_CA_FILE {file}: {e}"))
            });
        Some(Target::Real(RealKelvin {
            url,
            admin: (
                env_or("KELVIN_REAL_USER", "Administrator"),
                env_or("KELVIN_REAL_PASSWORD", "univention"),
            ),
            reader: (
                env_or("KELVIN_REAL_READER_USER", "kelvin-reader"),
                env_or("KELVIN_REAL_READER_PASSWORD", "univention"),
            ),
            ca_pem,
        }))
    }

    /// The emulator, for the checks that need its request log or its knobs; `None` on a
    /// real server.
    pub fn sim(&self) -> Option<&SimHandle> {
        match self {
            Target::Emulator(sim) => Some(sim),
            Target::Real(_) => None,
        }
    }

    /// The host the sessions connect to.
    pub fn base_url(&self) -> &str {
        match self {
            Target::Emulator(sim) => sim.base_url(),
            Target::Real(real) => &real.url,
        }
    }

    /// A session builder for this server (its CA, quick retries), without credentials.
    pub fn builder(&self) -> KelvinBuilder {
        let builder = Kelvin::builder(self.base_url()).retry(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(50)),
        );
        match self {
            Target::Real(RealKelvin {
                ca_pem: Some(pem), ..
            }) => builder.ca_pem(pem.clone()),
            _ => builder,
        }
    }

    /// The admin account (user, password).
    pub fn admin(&self) -> (String, String) {
        match self {
            Target::Emulator(sim) => sim.admin(),
            Target::Real(real) => real.admin.clone(),
        }
    }

    /// A session as the admin.
    pub fn kelvin(&self) -> Kelvin {
        let (user, password) = self.admin();
        self.builder()
            .credentials(user, password)
            .build()
            .expect("session")
    }

    /// A session as the read-only account.
    pub fn reader(&self) -> Kelvin {
        let (user, password) = match self {
            Target::Emulator(sim) => sim.reader(),
            Target::Real(real) => real.reader.clone(),
        };
        self.builder()
            .credentials(user, password)
            .build()
            .expect("session")
    }
}

/// This run's suffix: four characters of `[0-9a-z]` from the clock and the process id.
pub fn suffix() -> &'static str {
    static SUFFIX: OnceLock<String> = OnceLock::new();
    SUFFIX.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let mut n = (nanos / 1_000) ^ (u64::from(std::process::id()) << 24);
        let digits = b"0123456789abcdefghijklmnopqrstuvwxyz";
        (0..4)
            .map(|_| {
                let d = digits[(n % 36) as usize] as char;
                n /= 36;
                d
            })
            .collect()
    })
}

/// `base` with this run's suffix: a name no other run or test uses (`base` names one
/// object of one test). Keep `base` to 11 characters: Kelvin's importer refuses student
/// names longer than 15.
pub fn unique(base: &str) -> String {
    format!("{base}{}", suffix())
}

/// Runs the check `$name(&Target)` as two tests, `$name::emulator` and
/// `$name::real_kelvin` (which says why it is skipped without `KELVIN_REAL_URL`).
macro_rules! on_both_targets {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn emulator() {
                    super::$name(&super::Target::emulator().await).await;
                }

                #[tokio::test]
                async fn real_kelvin() {
                    if let Some(target) = super::Target::real() {
                        super::$name(&target).await;
                    }
                }
            }
        )*
    };
}

pub(crate) use on_both_targets;
