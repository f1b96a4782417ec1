//! The AWS credential-exchange requests against boto3's: `tests/vectors/aws/sts-cognito-requests.json`
//! holds what boto3 (botocore) sends for STS `AssumeRoleWithWebIdentity` and Cognito Identity
//! `GetId` / `GetCredentialsForIdentity` (captured by gen_sts_cognito_requests.py beside it); ours
//! are built from the same options through the JSON façade and compared byte for byte: method,
//! URL, the headers that carry meaning (and no other header of ours), body (the JSON bodies
//! against `body_compact`, boto3's document with compact separators and unescaped non-ASCII,
//! same members in the same order). The generated, larger comparison is
//! tests/aws_token_py_diff.py.
#![cfg(all(feature = "s3", feature = "exchange"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use presign::Timestamp;
use serde_json::Value;
use std::collections::BTreeMap;

mod common;
use common::{vector_json, Diffs};

fn headers(v: &Value) -> BTreeMap<String, String> {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn sts_and_cognito_requests_match_boto3() {
    let v = vector_json("aws/sts-cognito-requests.json");
    let now = Timestamp::parse_rfc3339("2026-12-05T10:00:00Z").unwrap();
    let mut fails = Diffs::new();
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 13, "{} cases", cases.len());
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let want = &c["request"];
        let out = presign::json::exchange_request_json(&c["options"].to_string(), now);
        let got: Value = serde_json::from_str(&out).unwrap();
        if got.get("error").is_some() {
            fails.fail(name, out);
            continue;
        }
        for field in ["method", "url"] {
            fails.check(
                name,
                field,
                got[field].as_str().unwrap(),
                want[field].as_str().unwrap(),
            );
        }
        fails.check(
            name,
            "headers",
            &format!("{:?}", headers(&got["headers"])),
            &format!("{:?}", headers(&want["headers"])),
        );
        let body = want.get("body_compact").unwrap_or(&want["body"]);
        fails.check(
            name,
            "body",
            got["body"].as_str().unwrap(),
            body.as_str().unwrap(),
        );
    }
    fails.finish("boto3 STS / Cognito Identity requests");
}
