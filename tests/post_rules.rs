//! Browser form uploads: the SDK rules of issue 16 through the JSON interface (`post_json`, what
//! the CLI, the npm package and the Rust JSON entry point share), with expected policies written
//! by hand from the official SDKs' code and the services' documentation.
//!
//! - `${filename}` in the key (boto3 `generate_presigned_post`: `["starts-with", "$key", <text
//!   before it>]` only when `${filename}` ends the key, `{"key": …}` otherwise;
//!   google-cloud-storage `generate_signed_post_policy_v4`: always `{"key": …}`), and no empty
//!   `starts-with` on `$key` unless the request says `anyKey: true`.
//! - What the SDKs' `Fields` + `Conditions` express: a pre-filled field under a `starts-with`
//!   condition, an exact condition without a form field, conditions in the caller's order (the
//!   policy bytes follow it), `x-ignore-*` fields in the form but not in the policy.
//!
//! Each test failed on the code before the fix (the old model refused the new members, or wrote
//! the key conditions above differently).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use presign::json::post_json;
use presign::Timestamp;
use serde_json::{json, Value};

const AT: &str = "2026-11-24T10:00:00Z";
const S3_SCOPE: &str = "AKIAIOSFODNN7EXAMPLE/20261124/us-east-1/s3/aws4_request";
const GCS_SCOPE: &str = "GOOG1EXAMPLE/20261124/auto/storage/goog4_request";

/// A request for `provider` with `members` added; the instant, bucket and credentials fixed.
fn request(provider: &str, members: Value) -> Value {
    let mut r = json!({"provider": provider, "bucket": "bkt", "signedAt": AT, "expiresIn": 600});
    r["credentials"] = if provider == "s3" {
        json!({"accessKeyId": "AKIAIOSFODNN7EXAMPLE", "secretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"})
    } else {
        json!({"hmac": {"accessId": "GOOG1EXAMPLE", "secret": "c2VjcmV0"}})
    };
    for (k, v) in members.as_object().unwrap() {
        r[k] = v.clone();
    }
    r
}

fn sign(provider: &str, members: Value) -> Value {
    let out = post_json(
        None,
        &request(provider, members).to_string(),
        Timestamp::from_unix(0).unwrap(),
    );
    serde_json::from_str(&out).unwrap()
}

/// The form's fields as pairs, and its decoded policy text.
fn form(provider: &str, members: Value) -> (Vec<(String, String)>, String) {
    let out = sign(provider, members.clone());
    assert!(out.get("error").is_none(), "{members} -> {out}");
    let fields: Vec<(String, String)> = out["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_owned(),
                p[1].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let policy = fields.iter().find(|(n, _)| n == "policy").unwrap();
    let text = String::from_utf8(
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &policy.1).unwrap(),
    )
    .unwrap();
    (fields, text)
}

fn error_code(provider: &str, members: Value) -> String {
    let out = sign(provider, members.clone());
    out["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("{members} was accepted: {out}"))
        .to_owned()
}

/// The conditions of a decoded policy.
fn conditions(policy: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(policy).unwrap();
    v["conditions"].as_array().unwrap().clone()
}

fn key_condition(provider: &str, key: &str) -> Value {
    let (_, policy) = form(provider, json!({ "key": key }));
    let c = conditions(&policy);
    // bucket, then the key: the provider's own conditions follow the caller's.
    let at = c
        .iter()
        .position(|c| c == &json!({"bucket": "bkt"}))
        .unwrap();
    c[at + 1].clone()
}

#[test]
fn s3_key_condition_is_boto3s() {
    // boto3: starts-with only when ${filename} ends the key.
    for (key, want) in [
        ("up/${filename}", json!(["starts-with", "$key", "up/"])),
        (
            "a/${filename}/${filename}",
            json!(["starts-with", "$key", "a/${filename}/"]),
        ),
        ("up/${filename}.jpg", json!({"key": "up/${filename}.jpg"})),
        ("${filename}.jpg", json!({"key": "${filename}.jpg"})),
        ("${filename}/x", json!({"key": "${filename}/x"})),
        ("plain.txt", json!({"key": "plain.txt"})),
    ] {
        assert_eq!(key_condition("s3", key), want, "{key}");
    }
}

#[test]
fn s3_warns_when_filename_is_not_last() {
    let out = sign("s3", json!({"key": "up/${filename}.jpg"}));
    assert_eq!(out["warnings"][0]["code"], "KEY_FILENAME_NOT_LAST", "{out}");
    let out = sign("s3", json!({"key": "up/${filename}"}));
    assert!(out.get("warnings").is_none(), "{out}");
}

#[test]
fn gcs_key_condition_is_always_exact() {
    // google-cloud-storage writes {"key": blob_name} whatever the name holds.
    for key in [
        "up/${filename}",
        "up/${filename}.jpg",
        "${filename}",
        "plain.txt",
    ] {
        assert_eq!(key_condition("gcs", key), json!({ "key": key }), "{key}");
    }
}

#[test]
fn any_key_in_the_bucket_only_when_asked() {
    for provider in ["s3", "gcs"] {
        // The implicit ways are errors that name the explicit one.
        let out = sign(provider, json!({"keyPrefix": ""}));
        assert_eq!(out["error"]["code"], "INVALID_KEY", "{out}");
        assert!(out["error"]["message"].as_str().unwrap().contains("anyKey"));
        // The explicit way.
        let (fields, policy) = form(provider, json!({"anyKey": true}));
        assert!(fields.contains(&("key".into(), "${filename}".into())));
        assert!(conditions(&policy).contains(&json!(["starts-with", "$key", ""])));
        let (fields, _) = form(provider, json!({"anyKey": true, "key": "default.bin"}));
        assert!(fields.contains(&("key".into(), "default.bin".into())));
        assert_eq!(
            error_code(provider, json!({"anyKey": true, "keyPrefix": "up/"})),
            "INVALID_KEY"
        );
        assert_eq!(
            error_code(provider, json!({"anyKey": false})),
            "INVALID_KEY"
        );
    }
    // boto3 turns Key="${filename}" into ["starts-with", "$key", ""]: not without anyKey.
    let out = sign("s3", json!({"key": "${filename}"}));
    assert_eq!(out["error"]["code"], "INVALID_KEY", "{out}");
    assert!(out["error"]["message"].as_str().unwrap().contains("anyKey"));
    let (fields, policy) = form("s3", json!({"anyKey": true, "key": "${filename}"}));
    assert!(fields.contains(&("key".into(), "${filename}".into())));
    assert!(conditions(&policy).contains(&json!(["starts-with", "$key", ""])));
}

#[test]
fn no_empty_key_prefix_condition_without_any_key() {
    // ${filename} at every position, with and without text around it.
    let keys = [
        "${filename}",
        "${filename}.jpg",
        "a${filename}",
        "a/${filename}",
        "a/${filename}.jpg",
        "${filename}${filename}",
        "a/${filename}/${filename}",
        "x",
    ];
    for provider in ["s3", "gcs"] {
        for key in keys {
            for prefix in [None, Some("a"), Some("a/")] {
                let mut m = json!({ "key": key });
                if let Some(p) = prefix {
                    m["keyPrefix"] = json!(p);
                }
                let out = sign(provider, m.clone());
                if out.get("error").is_some() {
                    continue;
                }
                let (_, policy) = form(provider, m.clone());
                assert!(
                    !conditions(&policy).contains(&json!(["starts-with", "$key", ""])),
                    "{provider} {m}: {policy}"
                );
            }
        }
    }
}

#[test]
fn prefilled_field_under_a_starts_with_condition() {
    for provider in ["s3", "gcs"] {
        // The typed members: a default content type within the prefix.
        let (fields, policy) = form(
            provider,
            json!({"key": "k", "contentTypePrefix": "image/", "contentType": "image/png"}),
        );
        assert!(fields.contains(&("content-type".into(), "image/png".into())));
        let c = conditions(&policy);
        assert_eq!(c[0], json!(["starts-with", "$content-type", "image/"]));
        assert!(
            !c.iter().any(|c| c.get("content-type").is_some()),
            "{policy}"
        );

        // The SDKs' spelling: Fields + Conditions.
        let (fields, policy) = form(
            provider,
            json!({"key": "k", "fields": {"Content-Type": "image/jpeg"},
                   "conditions": [["starts-with", "$Content-Type", "image/"]]}),
        );
        assert!(fields.contains(&("Content-Type".into(), "image/jpeg".into())));
        let c = conditions(&policy);
        assert_eq!(c[0], json!(["starts-with", "$Content-Type", "image/"]));
        assert_eq!(c[1], json!({"bucket": "bkt"}), "{policy}");

        // A default the condition refuses is an error, not a form that cannot work.
        for bad in [
            json!({"key": "k", "contentTypePrefix": "image/", "contentType": "text/plain"}),
            json!({"key": "k", "fields": {"acl": "private"}, "conditions": [{"ACL": "public-read"}]}),
            json!({"key": "k", "fields": {"acl": "private"}, "startsWith": {"acl": "public"}}),
        ] {
            assert_eq!(error_code(provider, bad), "INVALID_REQUEST");
        }
    }
}

#[test]
fn exact_condition_without_a_form_field() {
    for provider in ["s3", "gcs"] {
        let (fields, policy) = form(
            provider,
            json!({"key": "k", "conditions": [{"acl": "public-read"}, ["eq", "$x-custom", "v"]]}),
        );
        assert!(
            !fields.iter().any(|(n, _)| n == "acl" || n == "x-custom"),
            "{fields:?}"
        );
        let c = conditions(&policy);
        assert_eq!(c[0], json!({"acl": "public-read"}));
        assert_eq!(c[1], json!(["eq", "$x-custom", "v"]));
    }
}

#[test]
fn conditions_keep_the_callers_order_and_bytes() {
    // Written by hand in boto3's layout (json.dumps) and google-cloud-storage's (compact,
    // sorted top-level keys): the caller's conditions first, as given, then the provider's.
    let members = json!({
        "key": "k",
        "fields": {"x-amz-meta-b": "2", "success_action_status": "201"},
        "conditions": [
            {"x-amz-meta-b": "2"},
            ["content-length-range", 1, 5],
            ["eq", "$success_action_status", "201"],
            ["starts-with", "$x-amz-meta-a", ""]
        ]
    });
    let (fields, policy) = form("s3", members.clone());
    assert_eq!(
        policy,
        format!(
            r#"{{"expiration": "2026-11-24T10:10:00Z", "conditions": [{{"x-amz-meta-b": "2"}}, ["content-length-range", 1, 5], ["eq", "$success_action_status", "201"], ["starts-with", "$x-amz-meta-a", ""], {{"bucket": "bkt"}}, {{"key": "k"}}, {{"x-amz-algorithm": "AWS4-HMAC-SHA256"}}, {{"x-amz-credential": "{S3_SCOPE}"}}, {{"x-amz-date": "20261124T100000Z"}}]}}"#
        )
    );
    let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "success_action_status",
            "x-amz-meta-b",
            "key",
            "x-amz-algorithm",
            "x-amz-credential",
            "x-amz-date",
            "policy",
            "x-amz-signature"
        ]
    );

    let (_, policy) = form("gcs", members);
    assert_eq!(
        policy,
        format!(
            r#"{{"conditions":[{{"x-amz-meta-b":"2"}},["content-length-range",1,5],["eq","$success_action_status","201"],["starts-with","$x-amz-meta-a",""],{{"bucket":"bkt"}},{{"key":"k"}},{{"x-goog-date":"20261124T100000Z"}},{{"x-goog-credential":"{GCS_SCOPE}"}},{{"x-goog-algorithm":"GOOG4-HMAC-SHA256"}}],"expiration":"2026-11-24T10:10:00Z"}}"#
        )
    );

    // The members' conditions come before the caller's; uncovered fields' exact ones after.
    let (_, policy) = form(
        "s3",
        json!({"key": "k", "contentLengthRange": {"min": 0, "max": 9}, "acl": "private",
               "conditions": [["starts-with", "$x-amz-meta-z", "z"]]}),
    );
    let c = conditions(&policy);
    assert_eq!(c[0], json!(["content-length-range", 0, 9]));
    assert_eq!(c[1], json!(["starts-with", "$x-amz-meta-z", "z"]));
    assert_eq!(c[2], json!({"acl": "private"}));
}

#[test]
fn x_ignore_fields_are_in_the_form_not_the_policy() {
    for provider in ["s3", "gcs"] {
        let (fields, policy) = form(
            provider,
            json!({"key": "k", "fields": {"x-ignore-note": "hi", "acl": "private"}}),
        );
        let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names[..3], ["acl", "x-ignore-note", "key"], "{names:?}");
        assert!(!policy.contains("x-ignore"), "{policy}");
        assert!(conditions(&policy).contains(&json!({"acl": "private"})));
    }
}

#[test]
fn malformed_conditions_are_refused_naming_the_member() {
    for bad in [
        json!([["starts-with", "key", "x"]]),
        json!([["starts-with", "$key", "x"]]),
        json!([{"bucket": "other"}]),
        json!([["eq", "$x-amz-date", "x"]]),
        json!([["ends-with", "$acl", "x"]]),
        json!([["eq", "$acl"]]),
        json!([["eq", "$acl", "x", "y"]]),
        json!([["content-length-range", 5, 1]]),
        json!([["content-length-range", "1", "5"]]),
        json!([["content-length-range", -1, 5]]),
        json!([{"a": "1", "b": "2"}]),
        json!([{}]),
        json!([{"acl": 1}]),
        json!(["acl"]),
        json!({"acl": "x"}),
    ] {
        let out = sign("s3", json!({"key": "k", "conditions": bad.clone()}));
        assert_eq!(out["error"]["code"], "INVALID_REQUEST", "{bad} -> {out}");
        let msg = out["error"]["message"].as_str().unwrap();
        assert!(msg.contains("conditions"), "{bad} -> {msg}");
    }
}
