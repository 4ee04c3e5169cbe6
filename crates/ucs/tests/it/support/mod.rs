//! Test servers the emulator cannot stand in for (a token endpoint, a
//! proxy, a server that wants client certificates, counters of connections
//! and requests in flight), and a log capture.

pub mod logs;
pub mod pki;
pub mod server;
