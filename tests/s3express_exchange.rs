//! The JSON exchange `aws.s3ExpressCreateSession` (the façade the npm `presign/credentials` entry
//! calls): the request botocore 1.44.18 sends for the same inputs (its Authorization, taken from
//! botocore with a stubbed CreateSession and a frozen clock; see tests/s3express_py_diff.py), and
//! the answer in the request schema's shape.
#![cfg(all(feature = "exchange", feature = "s3express"))]
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use presign::json::{exchange_request_json, exchange_response_json};
use presign::Timestamp;

const SESSION_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<CreateSessionResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Credentials>\
<SessionToken>TOKEN/+=abc</SessionToken><SecretAccessKey>sessSecret/+x</SecretAccessKey>\
<AccessKeyId>ASIASESSIONKEY</AccessKeyId><Expiration>2026-11-24T10:05:00Z</Expiration>\
</Credentials></CreateSessionResult>";

#[test]
fn the_json_exchange_builds_and_reads() {
    let now = Timestamp::parse_rfc3339("2026-11-24T10:00:00Z").unwrap();
    let out = exchange_request_json(
        r#"{"kind":"aws.s3ExpressCreateSession","bucket":"mybucket--usw2-az1--x-s3","region":"us-west-2",
            "credentials":{"accessKeyId":"AKIAIOSFODNN7EXAMPLE","secretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}"#,
        now,
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["url"],
        "https://mybucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com/?session"
    );
    assert_eq!(v["method"], "GET");
    assert_eq!(v["body"], "");
    assert_eq!(v["headers"]["x-amz-date"], "20261124T100000Z");
    assert_eq!(
        v["headers"]["authorization"],
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261124/us-west-2/s3express/aws4_request, \
         SignedHeaders=host;x-amz-content-sha256;x-amz-date, \
         Signature=dab7d9d4631641035a7af602b1a3bec2b010b53ca9a0fb0b78ac8a741655aaeb"
    );
    // An unknown session mode is an error object, not a request.
    let bad = exchange_request_json(
        r#"{"kind":"aws.s3ExpressCreateSession","bucket":"b--usw2-az1--x-s3","credentials":{"accessKeyId":"A","secretAccessKey":"S"},"sessionMode":"Write"}"#,
        now,
    );
    assert!(bad.starts_with(r#"{"error":"#), "{bad}");

    let input = serde_json::json!({"kind": "aws.s3ExpressCreateSession", "status": 200, "body": SESSION_XML});
    let got: serde_json::Value =
        serde_json::from_str(&exchange_response_json(&input.to_string(), now)).unwrap();
    assert_eq!(
        got,
        serde_json::json!({
            "credentials": {"accessKeyId": "ASIASESSIONKEY", "secretAccessKey": "sessSecret/+x",
                            "sessionToken": "TOKEN/+=abc", "expiresAt": "2026-11-24T10:05:00Z"},
            "expiresAt": "2026-11-24T10:05:00Z"
        })
    );
    // S3's error document (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
    let denied = exchange_response_json(
        r#"{"kind":"aws.s3ExpressCreateSession","status":403,"body":"<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"}"#,
        now,
    );
    assert!(
        denied.contains("SERVICE_ERROR") && denied.contains("AccessDenied"),
        "{denied}"
    );
}
