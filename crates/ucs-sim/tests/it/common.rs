//! Helpers shared by the HTTP tests: a running simulator plus a plain reqwest client.
#![allow(dead_code)]

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use ucs_sim::{Sim, SimBuilder, SimHandle};

/// Everything but `A-Za-z0-9-._~` is percent-encoded (what a careful client sends).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What the server's `quote_dn` leaves alone: `A-Za-z0-9-._~` and `/`.
const DN_PATH: &AsciiSet = &COMPONENT.remove(b'/');

/// A DN as the server writes it into URLs (univention-corporate-server UCS 5.2-1, copy
/// geekswagg/univention-corporate-server @ 03c80076,
/// management/univention-directory-manager-rest/src/univention/admin/rest/utils.py,
/// `quote_dn`): `//` becomes `,/=/,`, `/` stays, the rest is percent-encoded.
pub fn quote_dn(dn: &str) -> String {
    utf8_percent_encode(&dn.replace("//", ",/=/,"), DN_PATH).to_string()
}

/// Percent-encodes one URL component.
pub fn enc(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

/// Installs the ring crypto provider for reqwest's rustls (once per process).
pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

pub struct Api {
    pub sim: SimHandle,
    pub http: reqwest::Client,
}

impl Api {
    pub async fn start() -> Self {
        Self::with(Sim::builder()).await
    }

    pub async fn empty() -> Self {
        Self::with(Sim::builder().empty(true)).await
    }

    pub async fn with(builder: SimBuilder) -> Self {
        install_crypto();
        let sim = builder.spawn().await.expect("simulator starts");
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self { sim, http }
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        let response = request.send().await.expect("request reaches the simulator");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            body,
            text,
        }
    }

    // ---- Kelvin ----

    pub fn kelvin(&self, path: &str) -> String {
        format!("{}/v1{path}", self.sim.kelvin_url())
    }

    pub async fn login(&self, user: &str, password: &str) -> Answer {
        self.send(
            self.http
                .post(format!("{}/token", self.sim.kelvin_url()))
                .form(&[("username", user), ("password", password)]),
        )
        .await
    }

    pub async fn token_for(&self, user: &str, password: &str) -> String {
        let answer = self.login(user, password).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        answer.body["access_token"]
            .as_str()
            .expect("access_token")
            .to_string()
    }

    pub async fn admin_token(&self) -> String {
        let (user, password) = self.sim.admin();
        self.token_for(&user, &password).await
    }

    pub async fn kelvin_call(
        &self,
        method: Method,
        token: &str,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            self.kelvin(path)
        };
        let mut request = self.http.request(method, url).bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.send(request).await
    }

    pub async fn kget(&self, token: &str, path: &str) -> Answer {
        self.kelvin_call(Method::GET, token, path, None).await
    }

    /// A Kelvin v1 request with a raw body and content type.
    pub async fn kelvin_raw(
        &self,
        method: Method,
        token: &str,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Answer {
        let mut request = self
            .http
            .request(method, self.kelvin(path))
            .bearer_auth(token)
            .body(body.to_vec());
        if let Some(ct) = content_type {
            request = request.header("content-type", ct);
        }
        self.send(request).await
    }

    /// A Kelvin v2 URL.
    pub fn kelvin_v2(&self, path: &str) -> String {
        format!("{}/v2{path}", self.sim.kelvin_url())
    }

    /// The `host:port` the simulator's URLs name.
    pub fn host(&self) -> String {
        self.sim
            .base_url()
            .split_once("://")
            .map(|(_, h)| h.to_string())
            .unwrap_or_default()
    }

    /// The `https://` URL the real server writes for a v1 path on this host.
    pub fn https(&self, path: &str) -> String {
        format!("https://{}/ucsschool/kelvin/v1{path}", self.host())
    }

    // ---- UDM ----

    pub fn udm(&self, path: &str) -> String {
        format!("{}{path}", self.sim.udm_url())
    }

    pub fn udm_object(&self, module: &str, dn: &str) -> String {
        self.udm(&format!("/{module}/{}", quote_dn(dn)))
    }

    pub fn udm_request(&self, method: Method, url: &str) -> reqwest::RequestBuilder {
        let (user, password) = self.sim.admin();
        let url = if url.starts_with("http") {
            url.to_string()
        } else {
            self.udm(url)
        };
        self.http
            .request(method, url)
            .basic_auth(user, Some(password))
            .header("Accept", "application/json")
    }

    pub async fn udm_call(&self, method: Method, url: &str, body: Option<Value>) -> Answer {
        let mut request = self.udm_request(method, url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.send(request).await
    }

    pub async fn udm_get(&self, url: &str) -> Answer {
        self.udm_call(Method::GET, url, None).await
    }

    /// Base DN of the simulator.
    pub fn base(&self) -> String {
        self.sim.store().base_dn()
    }
}

/// Reference URLs as clients send them (any host; the path must be the v1 resource path).
pub const REF: &str = "https://example.invalid/ucsschool/kelvin/v1";

/// A reference URL (`REF` + path).
pub fn kref(path: &str) -> String {
    format!("{REF}{path}")
}

/// The detail text of a `{"detail": "..."}` body.
pub fn detail(body: &Value) -> &str {
    body["detail"].as_str().unwrap_or("")
}

/// A valid Kelvin user document.
pub fn kelvin_user(name: &str, role: &str, school: &str) -> Value {
    serde_json::json!({
        "name": name,
        "firstname": "First",
        "lastname": "Last",
        "record_uid": format!("rec-{name}"),
        "source_uid": "TESTSRC",
        "roles": [format!("http://example.invalid/ucsschool/kelvin/v1/roles/{role}")],
        "school": format!("http://example.invalid/ucsschool/kelvin/v1/schools/{school}"),
    })
}

/// The messages of a Kelvin 422 list body.
pub fn kelvin_messages(body: &Value) -> Vec<String> {
    body["detail"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| format!("{} {}", i["loc"], i["msg"].as_str().unwrap_or("")))
                .collect()
        })
        .unwrap_or_default()
}

/// The last path segment of a URL, percent-decoded.
pub fn last_segment(url: &str) -> String {
    let segment = url.rsplit('/').next().unwrap_or("");
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

// ---- UDM test data ----

/// A valid `users/user` create body.
pub fn udm_user(username: &str) -> Value {
    serde_json::json!({
        "properties": {
            "username": username,
            "firstname": "Ada",
            "lastname": "Lovelace",
            "password": "correct horse",
            "mailPrimaryAddress": format!("{username}@example.com"),
        }
    })
}

impl Api {
    /// Creates a user through UDM and returns its DN.
    pub async fn create_udm_user(&self, username: &str) -> String {
        let answer = self
            .udm_call(Method::POST, "/users/user/", Some(udm_user(username)))
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
        answer.body["dn"].as_str().expect("dn").to_string()
    }

    /// A UDM request with the admin's Basic credentials and no `Accept` header.
    pub fn udm_bare(&self, method: Method, url: &str) -> reqwest::RequestBuilder {
        let (user, password) = self.sim.admin();
        self.http
            .request(method, self.udm(url))
            .basic_auth(user, Some(password))
    }
}

/// The `location`s of a UDM error body's `udm:error` resources, joined with `.`.
pub fn udm_error_locations(body: &Value) -> Vec<String> {
    body["_embedded"]["udm:error"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    e["location"]
                        .as_array()
                        .map(|parts| {
                            parts
                                .iter()
                                .map(|p| {
                                    p.as_str()
                                        .map(str::to_string)
                                        .unwrap_or_else(|| p.to_string())
                                })
                                .collect::<Vec<_>>()
                                .join(".")
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The ids of the objects of a UDM search answer (none when `udm:object` is absent).
pub fn udm_ids(body: &Value) -> Vec<String> {
    body["_embedded"]["udm:object"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|o| o["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
