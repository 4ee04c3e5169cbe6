//! Small axum servers on loopback ports.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::serve::ListenerExt;
use axum::Router;
use tokio::net::TcpListener;

/// A running test server: its base URL and how many connections it
/// accepted.
pub struct TestServer {
    pub url: String,
    pub connections: Arc<AtomicUsize>,
}

impl TestServer {
    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Serves `router` over plain HTTP on a fresh loopback port (on the current
/// runtime).
pub async fn serve(router: Router) -> TestServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    let listener = listener.tap_io(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    TestServer {
        url: format!("http://{addr}"),
        connections,
    }
}
