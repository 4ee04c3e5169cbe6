//! A running emulator with a profile for it, and the `ucs` binary pointed at both.

use std::path::PathBuf;

use tempfile::TempDir;
use ucs_sim::{Sim, SimBuilder, SimHandle};

/// The emulator, its runtime and a directory with the config file, the CA and the password.
pub struct Env {
    pub runtime: tokio::runtime::Runtime,
    pub sim: SimHandle,
    pub dir: TempDir,
}

impl Env {
    /// An emulator with TLS and demo data; profile `sim` (the default) as Administrator.
    pub fn start() -> Env {
        Env::with(Sim::builder().tls(true))
    }

    /// An emulator from `builder`; profile `sim` as Administrator.
    pub fn with(builder: SimBuilder) -> Env {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        // mapped like `ucs sim` (a Kelvin server set up for syncs: the purge timestamp), and
        // `title`, as an admin maps it in mapped_udm_properties.json (a fresh Kelvin 4.0.0
        // maps none)
        let mut mapped: Vec<String> = ucs_sim::DEFAULT_MAPPED_UDM_PROPERTIES
            .iter()
            .map(|s| s.to_string())
            .collect();
        mapped.push("title".to_string());
        mapped.push(ucs_sync::PURGE.to_string());
        let sim = runtime
            .block_on(builder.mapped_udm_properties(mapped).spawn())
            .expect("emulator starts");
        let dir = tempfile::tempdir().expect("temp dir");
        let env = Env { runtime, sim, dir };
        std::fs::write(env.path("sim.password"), "univention\n").unwrap();
        set_mode(&env.path("sim.password"), 0o600);
        let ca = match env.sim.ca_pem() {
            Some(pem) => {
                std::fs::write(env.path("sim-ca.pem"), pem).unwrap();
                format!("ca_file = {:?}\n", env.path("sim-ca.pem"))
            }
            None => String::new(),
        };
        let config = format!(
            "default_profile = \"sim\"\n\n[profiles.sim]\nhost = {:?}\nuser = \"Administrator\"\n{ca}password_file = {:?}\n",
            env.host(),
            env.path("sim.password"),
        );
        std::fs::write(env.config(), config).unwrap();
        env
    }

    /// The profile's host: the emulator at its IP address (it listens on 127.0.0.1), as
    /// `ucs sim` writes it. Not `localhost`: Kelvin takes reference URLs (`school`, `roles`,
    /// `users`) only with a host that has a top-level domain or is an IP address (pydantic
    /// 1.10 `HttpUrl` in the models of ucsschool-kelvin-rest-api release-4.0.0,
    /// kelvin-api/ucsschool/kelvin/routers/v1/*.py), and the facade sends the host it is given.
    pub fn host(&self) -> String {
        let scheme = if self.sim.ca_pem().is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.sim.local_addr())
    }

    /// A file in the temporary directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The config file.
    pub fn config(&self) -> PathBuf {
        self.path("config.toml")
    }

    /// `ucs` with a clean environment: only this config file and HOME in the temp dir.
    pub fn ucs(&self) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_ucs"));
        cmd.env_clear()
            .env("HOME", self.dir.path())
            .env("UCS_CONFIG", self.config())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .current_dir(self.dir.path())
            .timeout(std::time::Duration::from_secs(60));
        cmd
    }

    /// `text` with the run's variable parts (base URL, temp dir) replaced.
    pub fn normalize(&self, text: &str) -> String {
        let port = self.sim.local_addr().port();
        text.replace(&format!("127.0.0.1:{port}"), "127.0.0.1:PORT")
            .replace(&self.dir.path().display().to_string(), "TMP")
    }
}

/// Runs a finished command and returns (exit code, stdout, stderr).
pub fn run(cmd: &mut assert_cmd::Command) -> (i32, String, String) {
    let output = cmd.output().expect("ucs runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Sets a file's permission bits.
pub fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The SHA-256 fingerprint of the first certificate of a PEM text, as openssl prints it.
pub fn pem_fingerprint(pem: &str) -> String {
    use sha2::Digest;
    let mut reader = std::io::BufReader::new(pem.as_bytes());
    let der = rustls_pemfile::certs(&mut reader).next().unwrap().unwrap();
    sha2::Sha256::digest(der.as_ref())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}
