//! Helpers shared by the workspace-level tests (in `tests/tests/it/`): a raw
//! HTTP server on loopback that answers whatever a test scripts, byte for
//! byte (redirects to other origins, echoed headers, huge or endless bodies,
//! dropped connections), and records what it was sent.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as the raw server read it.
#[derive(Clone, Debug, Default)]
pub struct RawRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Header names lower-cased, values as sent.
    pub headers: Vec<(String, String)>,
    /// The body (by `Content-Length`).
    pub body: Vec<u8>,
}

impl RawRequest {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What the raw server answers.
pub enum RawReply {
    /// A status, headers and a body (`Content-Length` and `Connection:
    /// close` are added).
    Full {
        /// The status code.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// A status line and headers, then `chunk` repeated without end (no
    /// length, until the client hangs up).
    Endless {
        /// The status code.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// What is sent again and again.
        chunk: Vec<u8>,
    },
    /// A `Content-Length` announcing `length` bytes, sent as `chunk` repeated.
    Sized {
        /// The announced and sent length.
        length: usize,
        /// What the body is made of.
        chunk: Vec<u8>,
    },
    /// The connection is closed without an answer.
    Hangup,
}

impl RawReply {
    /// A JSON answer.
    pub fn json(status: u16, body: impl Into<String>) -> RawReply {
        RawReply::Full {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into().into_bytes(),
        }
    }

    /// An answer with these headers and no body.
    pub fn empty(status: u16, headers: &[(&str, &str)]) -> RawReply {
        RawReply::Full {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: Vec::new(),
        }
    }

    /// A JSON answer with extra headers.
    pub fn json_with(status: u16, headers: &[(&str, &str)], body: impl Into<String>) -> RawReply {
        let mut all = vec![("content-type".to_string(), "application/json".to_string())];
        all.extend(headers.iter().map(|(n, v)| (n.to_string(), v.to_string())));
        RawReply::Full {
            status,
            headers: all,
            body: body.into().into_bytes(),
        }
    }
}

type Handler = dyn Fn(&RawRequest) -> RawReply + Send + Sync;

/// A raw HTTP/1.1 server on a loopback port; one request per connection.
pub struct RawServer {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    requests: Arc<Mutex<Vec<RawRequest>>>,
}

impl RawServer {
    /// Starts a server that answers every request with `handler`.
    pub async fn start(
        handler: impl Fn(&RawRequest) -> RawReply + Send + Sync + 'static,
    ) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let requests: Arc<Mutex<Vec<RawRequest>>> = Arc::default();
        let log = requests.clone();
        let handler: Arc<Handler> = Arc::new(handler);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (log, handler) = (log.clone(), handler.clone());
                tokio::spawn(async move { serve(stream, &log, &*handler).await });
            }
        });
        RawServer { url, requests }
    }

    /// Everything the server was sent so far.
    pub fn requests(&self) -> Vec<RawRequest> {
        self.requests.lock().expect("request log").clone()
    }
}

async fn serve(mut stream: TcpStream, log: &Mutex<Vec<RawRequest>>, handler: &Handler) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let reply = handler(&request);
    log.lock().expect("request log").push(request);
    let _ = write_reply(&mut stream, reply).await;
}

/// Reads one request (head up to 64 KiB, body by `Content-Length`).
async fn read_request(stream: &mut TcpStream) -> Option<RawRequest> {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if data.len() > 64 * 1024 {
            return None;
        }
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_string(), first.next()?.to_string());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = data[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&buf[..n]);
    }
    Some(RawRequest {
        method,
        target,
        headers,
        body,
    })
}

fn head(status: u16, headers: &[(String, String)], length: Option<usize>) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} Scripted\r\nconnection: close\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(length) = length {
        out.push_str(&format!("content-length: {length}\r\n"));
    }
    out.push_str("\r\n");
    out.into_bytes()
}

async fn write_reply(stream: &mut TcpStream, reply: RawReply) -> std::io::Result<()> {
    match reply {
        RawReply::Full {
            status,
            headers,
            body,
        } => {
            stream
                .write_all(&head(status, &headers, Some(body.len())))
                .await?;
            stream.write_all(&body).await
        }
        RawReply::Endless {
            status,
            headers,
            chunk,
        } => {
            stream.write_all(&head(status, &headers, None)).await?;
            loop {
                stream.write_all(&chunk).await?;
            }
        }
        RawReply::Sized { length, chunk } => {
            let headers = vec![("content-type".to_string(), "application/json".to_string())];
            stream.write_all(&head(200, &headers, Some(length))).await?;
            let mut sent = 0;
            while sent < length {
                let n = chunk.len().min(length - sent);
                stream.write_all(&chunk[..n]).await?;
                sent += n;
            }
            Ok(())
        }
        RawReply::Hangup => stream.shutdown().await,
    }
}
