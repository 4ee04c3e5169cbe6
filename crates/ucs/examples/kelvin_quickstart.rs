//! Kelvin quick start: list schools, create a student in a class, search,
//! patch, delete.
//!
//! Runs against an embedded `ucs-sim` by default:
//!
//! ```text
//! cargo run -p ucs --example kelvin_quickstart
//! ```
//!
//! or against a real server:
//!
//! ```text
//! KELVIN_HOST=https://ucs.example.com KELVIN_USER=Administrator KELVIN_PASSWORD=... \
//! KELVIN_CA_FILE=/path/to/ucs-root-ca.pem cargo run -p ucs --example kelvin_quickstart
//! ```

use ucs::kelvin::{Kelvin, NewUser, UserFilter, UserPatch};
use ucs::roles::Role;

/// The demo itself, against any Kelvin server.
pub async fn run(kelvin: &Kelvin) -> ucs::Result<()> {
    let schools = kelvin.schools().search(None).await?;
    println!(
        "schools: {:?}",
        schools.iter().map(|s| s.name.as_str()).collect::<Vec<_>>()
    );
    let school = schools
        .first()
        .map(|s| s.name.clone())
        .ok_or_else(|| ucs::Error::InvalidInput("the server has no school".into()))?;

    let name = format!("qs{}", std::process::id());
    let created = kelvin
        .users()
        .create(
            NewUser::student("Jürgen", "Müller-Lüdenscheidt")
                .name(&name)
                .school(&school)
                .class("quickstart")
                .record_uid(format!("quickstart-{name}"))
                .source_uid("quickstart")
                .password("Quickstart-Passw0rd!"),
        )
        .await?;
    println!(
        "created {} ({}) in {:?}",
        created.name, created.dn, created.school_classes
    );

    let found = kelvin
        .users()
        .search(
            &UserFilter::new()
                .school(&school)
                .lastname("Müller-*")
                .role(Role::Student),
        )
        .await?;
    println!("students named Müller-*: {}", found.len());

    let patched = kelvin
        .users()
        .patch(
            &name,
            &UserPatch::new().firstname("Jürgen-Karl").email(None),
        )
        .await?;
    println!("patched: firstname is now {}", patched.firstname);

    kelvin.users().delete(&name).await?;
    println!(
        "deleted {name}: exists = {}",
        kelvin.users().exists(&name).await?
    );
    Ok(())
}

#[allow(dead_code)]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    // Keeps the embedded emulator alive while the demo runs.
    let mut _sim = None;
    let kelvin = match std::env::var("KELVIN_HOST") {
        Ok(host) => {
            let user = std::env::var("KELVIN_USER").unwrap_or_else(|_| "Administrator".into());
            let password = std::env::var("KELVIN_PASSWORD").map_err(|_| "set KELVIN_PASSWORD")?;
            let mut builder = Kelvin::builder(host).credentials(user, password);
            if let Ok(ca) = std::env::var("KELVIN_CA_FILE") {
                builder = builder.ca_file(ca)?;
            }
            builder.build()?
        }
        Err(_) => {
            let sim = ucs_sim::Sim::builder().spawn().await?;
            println!("(using the embedded emulator at {})", sim.base_url());
            let (user, password) = sim.admin();
            let kelvin = Kelvin::builder(sim.base_url())
                .credentials(user, password)
                .build()?;
            _sim = Some(sim);
            kelvin
        }
    };
    run(&kelvin).await?;
    Ok(())
}
