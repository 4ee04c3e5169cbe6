//! Random and adversarial input for the decoders that are not public: error
//! bodies, token expiries, UDM objects and object URLs, `Retry-After`, server
//! URLs, redaction. Each property is "never panics, and what comes out is
//! bounded" (run with the default case count in CI).

use proptest::prelude::*;
use serde_json::Value;

use crate::error::RequestContext;
use crate::http::{error_body, retry, url};
use crate::kelvin::token::jwt_expiry;
use crate::secret::{redact, Secret};
use crate::udm::location::dn_from_object_url;
use crate::udm::Object;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,40}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("dn".to_string()),
                    Just("properties".to_string()),
                    Just("position".to_string()),
                    Just("error".to_string()),
                    Just("detail".to_string()),
                    Just("_embedded".to_string()),
                    ".{0,8}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn context() -> RequestContext {
    RequestContext {
        method: "GET".into(),
        url: "https://h/x".into(),
        request_id: None,
    }
}

proptest! {
    #[test]
    fn error_bodies_of_any_bytes_decode_to_bounded_text(body in proptest::collection::vec(any::<u8>(), 0..2048), status in 100u16..1000) {
        let secret = Secret::new("Fuzz-Secret-1");
        let api = error_body::decode(context(), status, &body, &[&secret]);
        prop_assert!(api.detail.chars().count() <= 503);
        prop_assert!(!api.detail.contains("Fuzz-Secret-1"));
    }

    #[test]
    fn error_bodies_of_any_json_decode(json in json_value(), status in 400u16..600) {
        let body = serde_json::to_vec(&json).unwrap_or_default();
        let api = error_body::decode(context(), status, &body, &[]);
        prop_assert!(api.fields.iter().all(|f| f.message.chars().count() <= 503));
    }

    #[test]
    fn token_expiries_of_any_text_never_panic(token in ".{0,200}", claims in json_value()) {
        let _ = jwt_expiry(&token);
        use base64::Engine;
        let enc = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let jwt = format!("e30.{}.sig", enc.encode(claims.to_string()));
        let _ = jwt_expiry(&jwt);
    }

    #[test]
    fn udm_objects_of_any_json_never_panic(json in json_value(), existing in any::<bool>()) {
        if let Value::Object(map) = json {
            if let Ok(object) = Object::from_json("users/user", map, None, None, existing) {
                let _ = (object.patch_body(), object.full_body(), object.has_changes());
            }
        }
    }

    #[test]
    fn object_urls_and_retry_after_and_server_urls_never_panic(text in ".{0,120}") {
        let _ = dn_from_object_url(&text, "https://h/univention/udm", "users/user");
        let _ = retry::parse_retry_after(&text);
        if let Err(e) = url::parse_server_url(&text) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn redaction_removes_every_occurrence(prefix in ".{0,20}", secret in "[a-zA-Z0-9]{3,20}", suffix in ".{0,20}") {
        let s = Secret::new(secret.clone());
        let text = format!("{prefix}{secret}{suffix}{secret}");
        prop_assert!(!redact(&text, &[&s]).contains(&secret));
    }
}
