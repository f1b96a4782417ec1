//! A client object gives what the stateless call gives: for generated requests of every
//! provider, split at random into a configuration and calls (a member may sit on both sides;
//! the call's wins), `Client::presign_json(call)` equals `presign_json` of the configuration's
//! members followed by the call's in one object — byte for byte, errors included.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use presign::json::{presign_json, presign_many_json, Client};
use presign::{Signer, Timestamp};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// Full requests of each provider, with members a caller varies per call.
fn request() -> impl Strategy<Value = Value> {
    let key = "[a-zA-Z0-9 /+=é_.-]{1,24}";
    let s3 = (
        key,
        prop::sample::select(vec!["GET", "PUT", "HEAD", "DELETE"]),
        1u64..700_000,
        any::<bool>(),
    )
        .prop_map(|(k, m, e, ct)| {
            let mut v = json!({"provider": "s3", "bucket": "my-bucket", "key": k, "method": m,
                "region": "eu-west-1", "expiresIn": e, "signedAt": "2026-11-24T10:00:00Z",
                "credentials": {"accessKeyId": "AKIAIOSFODNN7EXAMPLE", "secretAccessKey": SECRET}});
            if ct {
                v["headers"] = json!({"content-type": "image/png"});
            }
            v
        });
    let azure = (key, prop::sample::select(vec!["GET", "PUT", "DELETE"]), 1u64..90_000).prop_map(|(b, m, e)| {
        json!({"provider": "azure", "account": "myaccount", "container": "photos", "blob": b, "method": m,
            "expiresIn": e, "signedAt": "2026-11-24T10:00:00Z",
            "credentials": {"accountKey": "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5"}})
    });
    let gcs = (key, prop::sample::select(vec!["GET", "PUT"]), 1u64..700_000).prop_map(|(o, m, e)| {
        json!({"provider": "gcs", "bucket": "my-bucket", "object": o, "method": m, "expiresIn": e,
            "signedAt": "2026-11-24T10:00:00Z",
            "credentials": {"hmac": {"accessId": "GOOG1EEXAMPLE", "secret": SECRET}}})
    });
    prop_oneof![s3, azure, gcs]
}

/// (configuration, call, the two in one object) for `req` split by `mask` (bit i: member i goes
/// to the call; bit 31: it also stays in the configuration with another value where one makes
/// sense, which the call's then replaces).
fn split(req: &Value, mask: u32) -> (Value, Value, Value) {
    let mut config = Map::new();
    let mut call = Map::new();
    config.insert("provider".into(), req["provider"].clone());
    for (i, (k, v)) in req.as_object().unwrap().iter().enumerate() {
        if k == "provider" {
            continue;
        }
        if mask & (1 << i) != 0 {
            call.insert(k.clone(), v.clone());
            if mask & (1 << 31) != 0 && k == "expiresIn" {
                config.insert(k.clone(), json!(60));
            }
        } else {
            config.insert(k.clone(), v.clone());
        }
    }
    // The stateless request: the configuration's members, then the call's (the last one wins).
    let mut merged = String::from("{");
    for (k, v) in config.iter().chain(call.iter()) {
        if merged.len() > 1 {
            merged.push(',');
        }
        merged.push_str(&format!("{}:{}", Value::String(k.clone()), v));
    }
    merged.push('}');
    (
        Value::Object(config),
        Value::Object(call),
        serde_json::from_str::<Value>(&merged)
            .map(|_| Value::String(merged))
            .unwrap(),
    )
}

fn now() -> Timestamp {
    Timestamp::from_unix(0).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn a_call_equals_the_stateless_request(req in request(), mask in any::<u32>()) {
        let (config, call, merged) = split(&req, mask);
        let merged = merged.as_str().unwrap().to_owned();
        let stateless = presign_json(&Signer::new(), &merged, now());
        match Client::from_json(&config.to_string()) {
            Ok(client) => {
                prop_assert_eq!(client.presign_json(&call.to_string(), now()), stateless.clone());
                let many = client.presign_many_json(&format!("[{call},{call}]"), now());
                prop_assert_eq!(many, presign_many_json(&Signer::new(), &format!("[{merged},{merged}]"), now()));
            }
            Err(e) => prop_assert!(false, "configuration refused: {e}"),
        }
    }
}
