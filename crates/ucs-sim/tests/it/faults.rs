//! Fault injection, latency and the request log.

use crate::common;

use common::{kelvin_user, Api};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::time::{Duration, Instant};
use ucs_sim::{Faults, Sim};

async fn statuses(api: &Api, count: usize) -> Vec<u16> {
    let mut out = Vec::new();
    for _ in 0..count {
        let answer = api.send(api.http.get(api.kelvin("/readme"))).await;
        out.push(answer.status.as_u16());
    }
    out
}

#[tokio::test]
async fn error_rate_is_deterministic_for_a_seed() {
    let faults = Faults {
        error_rate: 0.5,
        retry_after: Some(3),
        seed: 9,
        ..Faults::default()
    };
    let a = Api::with(Sim::builder().faults(faults.clone())).await;
    let b = Api::with(Sim::builder().faults(faults.clone())).await;
    let first = statuses(&a, 40).await;
    let second = statuses(&b, 40).await;
    assert_eq!(first, second, "same seed, same sequence, same faults");
    assert!(first.contains(&200));
    assert!(
        first.iter().all(|s| [200, 429, 502, 503].contains(s)),
        "{first:?}"
    );
    assert!(
        first.iter().filter(|s| **s != 200).count() >= 8,
        "{first:?}"
    );
    let c = Api::with(Sim::builder().faults(Faults { seed: 10, ..faults })).await;
    assert_ne!(statuses(&c, 40).await, first, "another seed, other faults");

    // injected answers carry Retry-After and the API's error shape
    let log = a.sim.requests();
    let injected = log.iter().find(|r| r.injected).unwrap();
    assert!([429, 502, 503].contains(&injected.status));
    a.sim.set_faults(Faults {
        fail_nth: vec![(1, 503), (2, 429)],
        retry_after: Some(3),
        ..Faults::default()
    });
    let kelvin = a.send(a.http.get(a.kelvin("/readme"))).await;
    assert_eq!(kelvin.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(kelvin.header("retry-after"), Some("3"));
    assert_eq!(
        kelvin.body,
        json!({"detail": "Simulated fault: 503 Service Unavailable"})
    );
    // UDM: the nested error shape of the real server (univention-corporate-server,
    // UCS 5.2-1 copy geekswagg/univention-corporate-server @ 03c80076,
    // management/univention-directory-manager-rest/src/univention/admin/rest/module.py,
    // ResourceBase.write_error)
    let udm = a.udm_get("/").await;
    assert_eq!(udm.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(udm.body["error"]["code"], 429);
    assert_eq!(udm.body["error"]["title"], "");
    assert_eq!(
        udm.body["error"]["message"],
        "HTTP 429: Too Many Requests (Simulated fault)"
    );
    assert_eq!(udm.body["error"]["error"], json!({}));
    assert_eq!(udm.body["_links"]["self"][0]["title"], "HTTP-Error 429: ");
    assert!(udm.body.get("code").is_none(), "no flat shape");
    assert!(udm.header("x-request-id").is_some());
}

#[tokio::test]
async fn fail_nth_counts_from_when_the_faults_were_set() {
    let api = Api::start().await;
    statuses(&api, 3).await;
    api.sim.set_faults(Faults {
        fail_nth: vec![(2, 502)],
        ..Faults::default()
    });
    assert_eq!(statuses(&api, 3).await, vec![200, 502, 200]);
    assert_eq!(api.sim.faults().fail_nth, vec![(2, 502)]);
    api.sim.set_faults(Faults::default());
    assert_eq!(statuses(&api, 3).await, vec![200, 200, 200]);
}

#[tokio::test]
async fn dropped_connections_give_no_response_and_do_nothing() {
    let api = Api::start().await;
    let token = api.admin_token().await;
    api.sim.set_faults(Faults {
        fail_nth: vec![(1, 0)],
        ..Faults::default()
    });
    let result = api
        .http
        .post(api.kelvin("/users/"))
        .bearer_auth(&token)
        .json(&kelvin_user("dropped", "teacher", "DEMOSCHOOL"))
        .send()
        .await;
    assert!(result.is_err(), "the connection was closed: {result:?}");
    assert!(api.sim.store().user("dropped").is_none(), "not processed");
    let last = api.sim.requests().pop().unwrap();
    assert_eq!(
        (last.status, last.injected, last.method.as_str()),
        (0, true, "POST")
    );

    let always = Api::with(Sim::builder().faults(Faults {
        drop_rate: 1.0,
        ..Faults::default()
    }))
    .await;
    assert!(always
        .http
        .get(always.kelvin("/readme"))
        .send()
        .await
        .is_err());
    assert_eq!(always.sim.request_count(), 1);
}

#[tokio::test]
async fn dropping_after_processing_leaves_the_client_in_doubt() {
    let api = Api::start().await;
    let token = api.admin_token().await;
    api.sim.set_faults(Faults {
        drop_after_processing_nth: vec![1],
        fail_after_processing_nth: vec![(2, 504)],
        ..Faults::default()
    });
    let first = api
        .http
        .post(api.kelvin("/users/"))
        .bearer_auth(&token)
        .json(&kelvin_user("maybe1", "teacher", "DEMOSCHOOL"))
        .send()
        .await;
    assert!(first.is_err(), "no answer: {first:?}");
    assert!(
        api.sim.store().user("maybe1").is_some(),
        "but the create happened"
    );
    let second = api
        .kelvin_call(
            Method::POST,
            &token,
            "/users/",
            Some(kelvin_user("maybe2", "teacher", "DEMOSCHOOL")),
        )
        .await;
    assert_eq!(second.status, StatusCode::GATEWAY_TIMEOUT);
    assert!(api.sim.store().user("maybe2").is_some());
    // a retry of the create now conflicts
    let retry = api
        .kelvin_call(
            Method::POST,
            &token,
            "/users/",
            Some(kelvin_user("maybe1", "teacher", "DEMOSCHOOL")),
        )
        .await;
    assert_eq!(retry.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn latency_delays_every_answer() {
    let api = Api::with(Sim::builder().latency(Duration::from_millis(150))).await;
    let started = Instant::now();
    assert_eq!(
        api.send(api.http.get(api.kelvin("/readme"))).await.status,
        StatusCode::OK
    );
    assert!(started.elapsed() >= Duration::from_millis(150));
    api.sim.set_latency(Duration::ZERO);
    let started = Instant::now();
    api.send(api.http.get(api.kelvin("/readme"))).await;
    assert!(started.elapsed() < Duration::from_millis(150));
}

#[tokio::test]
async fn the_request_log_records_without_secrets() {
    let api = Api::start().await;
    let token = api.admin_token().await;
    api.send(
        api.http
            .get(format!(
                "{}?school=DEMOSCHOOL&name=demo%2A",
                api.kelvin("/users/")
            ))
            .bearer_auth(&token)
            .header("X-Request-ID", "0b7b5e5e-8b4d-4a43-9c39-1f0a3b3c2d1e")
            .header("If-Match", "\"x\""),
    )
    .await;
    api.send(api.http.get(api.kelvin("/schools/"))).await;
    let log = api.sim.requests();
    assert_eq!(log.len(), 3);
    assert_eq!(api.sim.request_count(), 3);
    let login = &log[0];
    assert_eq!(
        (
            login.method.as_str(),
            login.path_and_query.as_str(),
            login.status
        ),
        ("POST", "/ucsschool/kelvin/token", 200)
    );
    assert!(!login.authorization);
    let search = &log[1];
    assert_eq!(
        search.path_and_query,
        "/ucsschool/kelvin/v1/users/?school=DEMOSCHOOL&name=demo%2A"
    );
    assert_eq!(search.status, 200);
    assert_eq!(
        search.request_id.as_deref(),
        Some("0b7b5e5e-8b4d-4a43-9c39-1f0a3b3c2d1e")
    );
    assert_eq!(
        search.response_request_id,
        "0b7b5e5e-8b4d-4a43-9c39-1f0a3b3c2d1e"
    );
    assert_eq!(search.if_match.as_deref(), Some("\"x\""));
    assert!(search.authorization);
    assert_eq!(search.header("authorization"), Some("<redacted>"));
    assert!(
        !format!("{log:?}").contains(&token),
        "tokens never reach the log"
    );
    let anonymous = &log[2];
    assert_eq!(
        (
            anonymous.status,
            anonymous.authorization,
            anonymous.request_id.is_none()
        ),
        (401, false, true)
    );
    assert_eq!(
        anonymous.response_request_id.len(),
        32,
        "Kelvin: uuid4().hex"
    );
    api.sim.clear_requests();
    assert!(api.sim.requests().is_empty());
    assert_eq!(api.sim.request_count(), 3);

    let limited = Api::with(Sim::builder().request_log_limit(2)).await;
    statuses(&limited, 5).await;
    assert_eq!(limited.sim.requests().len(), 2);
    assert_eq!(limited.sim.request_count(), 5);
}

#[tokio::test]
async fn debug_output_hides_the_admin_password() {
    let api = Api::with(Sim::builder().admin_password("hidden-pw-123")).await;
    let builder = Sim::builder().admin_password("hidden-pw-123");
    assert!(!format!("{builder:?}").contains("hidden-pw-123"));
    assert!(!format!("{:?}", api.sim).contains("hidden-pw-123"));
    assert!(!format!("{:?}", api.sim.store().user("Administrator")).contains("hidden-pw-123"));
    api.sim.shutdown().await;
    api.sim.shutdown().await;
    assert!(
        api.http.get(api.kelvin("/readme")).send().await.is_err(),
        "stopped"
    );
}

/// The command line's `--faults` text gives the same faults as the builder.
#[test]
fn faults_parse_from_their_command_line_text() {
    let faults: Faults = "error-rate=0.05, statuses=502/503, retry-after=1, drop-rate=0.01, seed=7, fail=3:500, fail=4:0, drop-after=5, fail-after=2:502"
        .parse()
        .unwrap();
    assert_eq!(
        faults,
        Faults {
            error_rate: 0.05,
            statuses: vec![502, 503],
            retry_after: Some(1),
            drop_rate: 0.01,
            fail_nth: vec![(3, 500), (4, 0)],
            drop_after_processing_nth: vec![5],
            fail_after_processing_nth: vec![(2, 502)],
            seed: 7,
        }
    );
    assert_eq!("".parse::<Faults>().unwrap(), Faults::default());
    for (bad, says) in [
        ("error-rate=2", "between 0 and 1"),
        ("colour=red", "unknown fault \"colour\""),
        ("fail=3", "N:STATUS"),
        ("seed", "key=value"),
    ] {
        let error = bad.parse::<Faults>().unwrap_err();
        assert!(error.contains(says), "{bad}: {error}");
    }
}
