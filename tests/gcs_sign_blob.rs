//! The `gcs.signBlob` credential exchange over JSON (`presign::json::exchange_request_json` /
//! `exchange_response_json`), as the npm package's `gcsSignBlobSigner` drives it.
#![cfg(feature = "exchange")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

const EMAIL: &str = "signer@my-project.iam.gserviceaccount.com";

fn answer() -> String {
    format!(
        "{{\"keyId\": \"4d3c2b1a\", \"signedBlob\": \"{}\"}}",
        "paWl".repeat(85) + "pQ=="
    )
}

/// The JSON façade (`gcs.signBlob`): the request from the options and the string to sign, and
/// the hex signature from the answer, as the JS helper uses them.
#[test]
fn the_json_kind() {
    use presign::json::{exchange_request_json, exchange_response_json};
    let now = presign::Timestamp::from_unix(0).unwrap();
    let req: serde_json::Value = serde_json::from_str(&exchange_request_json(
        &format!(r#"{{"kind":"gcs.signBlob","serviceAccountEmail":"{EMAIL}","stringToSign":"abc","endpoint":"http://127.0.0.1:4450"}}"#),
        now,
    ))
    .unwrap();
    assert_eq!(
        req["url"],
        format!("http://127.0.0.1:4450/v1/projects/-/serviceAccounts/{EMAIL}:signBlob?alt=json")
    );
    assert_eq!(req["method"], "POST");
    assert_eq!(req["headers"]["content-type"], "application/json");
    assert_eq!(req["body"], "{\"payload\":\"YWJj\"}");
    let input = serde_json::json!({"kind": "gcs.signBlob", "status": 200, "body": answer()});
    let out: serde_json::Value =
        serde_json::from_str(&exchange_response_json(&input.to_string(), now)).unwrap();
    assert_eq!(out["keyId"], "4d3c2b1a");
    assert_eq!(out["signature"], "a5".repeat(256));
    for bad in [
        r#"{"kind":"gcs.signBlob","stringToSign":"abc"}"#,
        r#"{"kind":"gcs.signBlob","serviceAccountEmail":"a@b.com"}"#,
        r#"{"kind":"gcs.signBlob","serviceAccountEmail":"a@b.com","stringToSign":"x","accessToken":"SECRETTOKEN"}"#,
    ] {
        let e: serde_json::Value = serde_json::from_str(&exchange_request_json(bad, now)).unwrap();
        assert_eq!(e["error"]["code"], "INVALID_REQUEST", "{bad}");
        assert!(!e.to_string().contains("SECRETTOKEN"));
    }
    let denied = serde_json::json!({"kind": "gcs.signBlob", "status": 403,
        "body": r#"{"error":{"code":403,"message":"Permission denied.","status":"PERMISSION_DENIED"}}"#});
    let e: serde_json::Value =
        serde_json::from_str(&exchange_response_json(&denied.to_string(), now)).unwrap();
    assert_eq!(e["error"]["code"], "SERVICE_ERROR");
}
