//! The `serde` feature reads and writes the request schema exactly as the crate's own JSON does:
//! a request deserialized by serde (from JSON text, and from a `serde_json::Value`, which takes
//! serde's other path) signs to the same result as `json::parse_request` of the same text, a bad
//! request is refused with the same code and message, and a result serialized by serde is the
//! crate's own result JSON byte for byte.
#![cfg(all(
    feature = "serde",
    feature = "s3",
    feature = "azure",
    feature = "gcs",
    feature = "post"
))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use presign::json::{parse_post_request, parse_request, post_result_json, result_json};
use presign::{presign_post, PostRequest, Request, Signer, Timestamp};
use proptest::prelude::*;
use serde_json::{json, Value};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-11-24T10:00:00Z").unwrap()
}

/// Requests of every provider with the members that take serde's less common paths: nested
/// objects, maps with odd names, instants as text and as milliseconds, null members, escapes.
fn requests() -> Vec<Value> {
    vec![
        json!({"provider": "s3", "method": "PUT", "bucket": "my-bucket", "key": "uploads/cat 1+ü \"q\"\n.jpg",
            "region": "eu-west-1", "headers": {"Content-Type": "image/jpeg", "x-amz-meta-owner": "a\\b \"q\""},
            "query": {"response-content-disposition": "attachment; filename=\"a.txt\""},
            "expiresIn": 600, "signedAt": 1_764_000_000_000u64, "credentialExpiry": "clamp",
            "credentials": {"accessKeyId": "AKIAIOSFODNN7EXAMPLE", "secretAccessKey": SECRET,
                "sessionToken": "tok/+=", "expiresAt": "2026-11-24T10:05:00Z"}}),
        json!({"provider": "s3", "bucket": "examplebucket", "key": "test.txt", "expiresIn": 86400,
            "signedAt": "2013-05-24T00:00:00Z", "region": null, "urlStyle": "path",
            "endpoint": "http://127.0.0.1:8333",
            "credentials": {"accessKeyId": "AKIAIOSFODNN7EXAMPLE", "secretAccessKey": SECRET}}),
        json!({"provider": "azure", "method": "PUT", "container": "photos", "blob": "dir/cat 1+%#?ü.jpg",
            "expiresIn": 600, "signedAt": "2026-11-24T10:00:00Z", "ipRange": "10.0.0.1-10.0.0.9",
            "responseHeaders": {"contentDisposition": "attachment; filename=\"r.pdf\""},
            "credentials": {"connectionString": "UseDevelopmentStorage=true"}}),
        json!({"provider": "azure", "account": "myaccount", "sas": "account", "services": "b",
            "resourceTypes": "sco", "permissions": "rl", "signedAt": "2026-11-24T10:00:00Z",
            "startsOn": 1_763_900_000_000u64, "expiresOn": "2026-11-25T10:00:00Z",
            "credentials": {"accountKey": "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5"}}),
        json!({"provider": "gcs", "method": "PUT", "bucket": "my-bucket", "object": "uploads/cat 1+ü.jpg",
            "signedAt": "2026-11-24T10:00:00Z", "urlStyle": "virtualHosted",
            "headers": {"content-type": "image/jpeg", "x-goog-content-length-range": "0,1048576"},
            "credentials": {"hmac": {"accessId": "GOOG1EEXAMPLE", "secret": SECRET}}}),
    ]
}

/// Requests the schema refuses, each for a different reason.
fn refused() -> Vec<Value> {
    let aws = json!({"accessKeyId": "AKIAIOSFODNN7EXAMPLE", "secretAccessKey": SECRET});
    vec![
        json!({"provider": "s3", "bucket": "b", "key": "k", "expires": 60, "credentials": aws}),
        json!({"provider": "s3", "bucket": "b", "key": "", "credentials": aws}),
        json!({"provider": "s3", "bucket": "b", "key": "k", "expiresIn": 1.5, "credentials": aws}),
        json!({"provider": "s3", "bucket": "b", "key": "k", "expiresIn": -1, "credentials": aws}),
        json!({"provider": "s3", "bucket": "b", "key": "k", "expiresIn": 700_000, "credentials": aws}),
        json!({"provider": "s3", "bucket": "b", "key": "k", "headers": ["a"], "credentials": aws}),
        json!({"provider": "ftp", "bucket": "b", "key": "k"}),
        json!({"provider": "gcs", "bucket": "b", "object": "o", "signedAt": true,
            "credentials": {"hmac": {"accessId": "a", "secret": "s"}}}),
        json!(["not", "an", "object"]),
        json!("text"),
    ]
}

/// What the crate's own JSON path gives for `text`: the result line, or the error's Display.
fn ours(text: &str) -> Result<String, String> {
    let req = parse_request(text).map_err(|e| e.to_string())?;
    Ok(result_json(&Signer::new().presign(&req, now())))
}

fn signed(req: &Request) -> String {
    result_json(&Signer::new().presign(req, now()))
}

fn same_as_ours(v: &Value) -> Result<(), String> {
    let text = v.to_string();
    let want = ours(&text);
    for (path, got) in [
        ("from_str", serde_json::from_str::<Request>(&text)),
        ("from_value", serde_json::from_value::<Request>(v.clone())),
    ] {
        match (&want, got) {
            (Ok(w), Ok(req)) if *w == signed(&req) => {}
            // serde_json adds " at line L column C" to errors read from text.
            (Err(w), Err(e)) if e.to_string().starts_with(w.as_str()) => {}
            (w, g) => {
                return Err(format!(
                    "{path}: {text}\n  ours:  {w:?}\n  serde: {:?}",
                    g.map(|r| signed(&r)).map_err(|e| e.to_string())
                ))
            }
        }
    }
    Ok(())
}

#[test]
fn requests_deserialize_as_the_schema_reads_them() {
    let cases: Vec<Value> = requests().into_iter().chain(refused()).collect();
    let mut refusals = 0;
    for v in &cases {
        same_as_ours(v).unwrap();
        // refused when read (an error) or when signed (an error object)
        refusals +=
            usize::from(ours(&v.to_string()).map_or(true, |out| out.starts_with(r#"{"error""#)));
    }
    assert_eq!(
        refusals,
        refused().len(),
        "every refused case is refused, no valid one is"
    );
}

#[test]
fn results_serialize_as_the_crate_writes_them() {
    let signer = Signer::new();
    for v in requests() {
        let out = signer
            .presign(&parse_request(&v.to_string()).unwrap(), now())
            .unwrap();
        assert_eq!(
            serde_json::to_string(&out).unwrap(),
            result_json(&Ok(out.clone()))
        );
        // a serde_json::Value takes serde's generic path; same members, same order, same values
        let value = serde_json::to_value(&out).unwrap();
        let reread: Value = serde_json::from_str(&result_json(&Ok(out))).unwrap();
        assert_eq!(value, reread);
    }
}

#[test]
fn post_requests_and_forms_round_trip_through_serde() {
    let text = json!({"provider": "s3", "bucket": "my-bucket", "keyPrefix": "uploads/ü+ /", "region": "eu-west-1",
        "signedAt": "2026-11-24T10:00:00Z", "expiresIn": 600, "contentLengthRange": {"min": 1, "max": 10_000_000},
        "conditions": [["starts-with", "$Content-Type", "image/"], {"acl": "private"}],
        "metadata": {"owner": "alice ü"}, "successActionStatus": 201,
        "credentials": {"accessKeyId": "AKIAIOSFODNN7EXAMPLE", "secretAccessKey": SECRET, "sessionToken": "tok/+="}})
    .to_string();
    let want = presign_post(&parse_post_request(&text).unwrap(), now());
    let req: PostRequest = serde_json::from_str(&text).unwrap();
    let got = presign_post(&req, now());
    assert_eq!(post_result_json(&got), post_result_json(&want));
    let form = got.unwrap();
    assert_eq!(
        serde_json::to_string(&form).unwrap(),
        post_result_json(&Ok(form.clone()))
    );
    let bad_text = r#"{"provider": "s3", "bucket": "b", "key": "k", "nope": 1}"#;
    let bad = serde_json::from_str::<PostRequest>(bad_text);
    assert_eq!(
        bad.unwrap_err().to_string().split(" at line").next(),
        Some(
            parse_post_request(bad_text)
                .unwrap_err()
                .to_string()
                .as_str()
        )
    );
}

proptest! {
    /// Keys, headers and secrets of any text (quotes, backslashes, control characters, non-ASCII).
    #[test]
    fn any_text_deserializes_as_the_schema_reads_it(key in "\\PC{0,20}", name in "[a-zA-Z0-9!#$%&'*+.^_`|~-]{1,12}",
        value in "\\PC{0,12}", secret in "\\PC{1,16}", provider in 0usize..3) {
        let v = match provider {
            0 => json!({"provider": "s3", "bucket": "b", "key": key, "headers": {name: value},
                "signedAt": "2026-11-24T10:00:00Z", "credentials": {"accessKeyId": "AKIA", "secretAccessKey": secret}}),
            1 => json!({"provider": "azure", "account": "acct", "container": "c", "blob": key,
                "signedAt": "2026-11-24T10:00:00Z", "credentials": {"accountKey": "a2V5"}}),
            _ => json!({"provider": "gcs", "bucket": "b", "object": key, "headers": {name: value},
                "signedAt": "2026-11-24T10:00:00Z", "credentials": {"hmac": {"accessId": "G", "secret": secret}}}),
        };
        if let Err(e) = same_as_ours(&v) {
            prop_assert!(false, "{}", e);
        }
    }
}
