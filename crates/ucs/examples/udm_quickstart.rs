//! UDM quick start: create an OU, a group and a user from the template,
//! search, move, modify concurrently without lost updates, delete.
//!
//! Runs against an embedded `ucs-sim` by default:
//!
//! ```text
//! cargo run -p ucs --example udm_quickstart
//! ```
//!
//! or against a real server:
//!
//! ```text
//! UDM_URL=https://ucs.example.com/univention/udm UDM_USER=Administrator UDM_PASSWORD=... \
//! UDM_CA_FILE=/path/to/ucs-root-ca.pem cargo run -p ucs --example udm_quickstart
//! ```

use futures::TryStreamExt;
use ucs::udm::{Dn, Filter, Udm};

/// The demo itself, against any UDM server.
pub async fn run(udm: &Udm) -> ucs::Result<()> {
    let tag = format!("qs{}", std::process::id());

    // an OU below the LDAP base (the position of the users container's parent)
    let ous = udm.ous();
    let mut ou = ous.template(None, None).await?;
    ou.set("name", format!("{tag}-ou"));
    let ou = ous.create(&ou).await?;
    let ou_dn = ou
        .dn()
        .cloned()
        .ok_or_else(|| ucs::Error::InvalidInput("OU without DN".into()))?;
    println!("created OU {ou_dn}");

    let groups = udm.groups();
    let mut group = groups.template(Some(&ou_dn), None).await?;
    group
        .set("name", format!("{tag}-group"))
        .set("description", "quick start");
    let group = groups.create(&group).await?;
    println!(
        "created group {}",
        group.dn().map(ToString::to_string).unwrap_or_default()
    );

    let users = udm.users();
    let mut user = users.template(None, None).await?;
    user.set("username", format!("{tag}-user"))
        .set("firstname", "Jane")
        .set("lastname", "Doe, Jr.")
        .set_password("Quickstart-Passw0rd!");
    let user = users.create(&user).await?;
    let user_dn = user
        .dn()
        .cloned()
        .ok_or_else(|| ucs::Error::InvalidInput("user without DN".into()))?;
    println!("created user {user_dn} (ETag {:?})", user.etag());

    let hits: Vec<_> = users
        .search()
        .filter(Filter::eq("username", format!("{tag}-user")))
        .properties(["username", "lastname"])
        .stream()
        .try_collect()
        .await?;
    println!("search found {} user(s)", hits.len());

    let moved = users.move_to(&user, &ou_dn).await?;
    let moved_dn: Dn = moved
        .dn()
        .cloned()
        .ok_or_else(|| ucs::Error::InvalidInput("moved user without DN".into()))?;
    println!("moved to {moved_dn}");

    // two concurrent writers on the same object: ETag + retry, no lost update
    let (a, b) = tokio::join!(
        users.modify(&moved_dn, |u| {
            u.set("description", "changed by writer A");
            Ok(())
        }),
        users.modify(&moved_dn, |u| {
            u.set("title", "Dr.");
            Ok(())
        }),
    );
    a?;
    b?;
    let both = users.get(&moved_dn).await?;
    println!(
        "after concurrent writes: description={:?} title={:?}",
        both.get_str("description"),
        both.get_str("title")
    );

    users.delete(&moved_dn).await?;
    // the server's default delete is recursive (UDM's `recursive` defaults to true)
    ous.delete(&ou_dn).await?;
    println!(
        "deleted user and OU (recursive): OU exists = {}",
        ous.exists(&ou_dn).await?
    );
    Ok(())
}

#[allow(dead_code)]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let mut _sim = None;
    let udm = match std::env::var("UDM_URL") {
        Ok(url) => {
            let user = std::env::var("UDM_USER").unwrap_or_else(|_| "Administrator".into());
            let password = std::env::var("UDM_PASSWORD").map_err(|_| "set UDM_PASSWORD")?;
            let mut builder = Udm::builder(url).credentials(user, password);
            if let Ok(ca) = std::env::var("UDM_CA_FILE") {
                builder = builder.ca_file(ca)?;
            }
            builder.build()?
        }
        Err(_) => {
            let sim = ucs_sim::Sim::builder().spawn().await?;
            println!("(using the embedded emulator at {})", sim.udm_url());
            let (user, password) = sim.admin();
            let udm = Udm::builder(sim.udm_url())
                .credentials(user, password)
                .build()?;
            _sim = Some(sim);
            udm
        }
    };
    run(&udm).await?;
    Ok(())
}
