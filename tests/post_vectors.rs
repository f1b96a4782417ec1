//! Browser form uploads (POST policies) against the published vectors, from one data-driven loop
//! per source that prints every difference and fails once at the end:
//!
//! - Google's 11 `postPolicyV4Tests` (`tests/vectors/gcs/v4_signatures.json`, GOOG4-RSA-SHA256
//!   with Google's dummy service-account key): every case runs through the external-signer seam
//!   ([`presign::gcs::post::prepare`], then `finish` with the signature Google published) and
//!   must give the case's `policy` base64 byte for byte (this pins the JSON layout and the
//!   `\u00e9` escaping), the decoded policy, every field and the URL. With `gcs-rsa` each case is
//!   also signed natively and must give Google's signature (PKCS#1 v1.5 is deterministic).
//! - The AWS documentation's POST example (`tests/vectors/aws/s3-docs-examples.json`): its
//!   hand-written policy signed through [`presign::s3::post::sign_policy`] gives the published
//!   signature, and the same conditions built through the policy model give a policy that
//!   decodes to the same conditions (field names compared case-insensitively, as S3 does) and the
//!   same form fields, with the same credential scope.
//!
//! Mapping of the GCS case inputs: `fields` entries become the model's typed members (`acl`,
//! `cache-control`, `content-*`, `success_action_*`, `x-goog-meta-*` as metadata);
//! `conditions.startsWith` becomes `startsWith`, `conditions.contentLengthRange` becomes
//! `contentLengthRange`; `urlStyle`, `bucketBoundHostname`, `scheme`, `expiration` (seconds) and
//! `timestamp` map to the request.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use presign::gcs::post::GcsPostRequest;
use presign::gcs::{Credentials as GcsCredentials, UrlScheme, UrlStyle};
use presign::post::{ContentLengthRange, PostForm, PostPolicy};
use presign::s3::post::S3PostRequest;
use presign::s3::Credentials as S3Credentials;
use presign::Timestamp;
use serde_json::Value;
use std::collections::BTreeMap;

mod common;
use common::Diffs;

const GCS_VECTORS: &str = include_str!("vectors/gcs/v4_signatures.json");
const KEY_FILE: &str = include_str!("vectors/gcs/test_service_account.not-a-test.json");
const AWS_VECTORS: &str = include_str!("vectors/aws/s3-docs-examples.json");

fn decode(b64: &str) -> String {
    String::from_utf8(
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b64).unwrap(),
    )
    .unwrap()
}

fn key_file() -> Value {
    serde_json::from_str(KEY_FILE).unwrap()
}

/// The model for one `policyInput`.
fn gcs_request(input: &Value, credentials: GcsCredentials) -> GcsPostRequest {
    let mut p = PostPolicy::new(
        input["bucket"].as_str().unwrap(),
        input["object"].as_str().unwrap(),
    );
    p.expires_in = Some(input["expiration"].as_u64().unwrap());
    p.signed_at = Some(Timestamp::parse_rfc3339(input["timestamp"].as_str().unwrap()).unwrap());
    if let Some(fields) = input.get("fields").and_then(Value::as_object) {
        for (name, value) in fields {
            let v = value.as_str().unwrap().to_owned();
            match name.as_str() {
                "acl" => p.acl = Some(v),
                "cache-control" => p.cache_control = Some(v),
                "content-disposition" => p.content_disposition = Some(v),
                "content-encoding" => p.content_encoding = Some(v),
                "content-type" => p.content_type = Some(v),
                "success_action_status" => p.success_action_status = Some(v.parse().unwrap()),
                "success_action_redirect" => p.success_action_redirect = Some(v),
                n => match n.strip_prefix("x-goog-meta-") {
                    Some(meta) => p.metadata.push(meta, v),
                    None => p.fields.push(n, v),
                },
            }
        }
    }
    if let Some(c) = input.get("conditions") {
        if let Some(sw) = c.get("startsWith").and_then(Value::as_array) {
            let name = sw[0].as_str().unwrap().strip_prefix('$').unwrap();
            p.starts_with.push(name, sw[1].as_str().unwrap());
        }
        if let Some(r) = c.get("contentLengthRange").and_then(Value::as_array) {
            p.content_length_range = Some(ContentLengthRange {
                min: r[0].as_u64().unwrap(),
                max: r[1].as_u64().unwrap(),
            });
        }
    }
    let mut req = GcsPostRequest::new(p);
    req.credentials = Some(credentials);
    req.endpoint.url_style = match input.get("urlStyle").and_then(Value::as_str) {
        None | Some("PATH_STYLE") => None,
        Some("VIRTUAL_HOSTED_STYLE") => Some(UrlStyle::VirtualHosted),
        Some("BUCKET_BOUND_HOSTNAME") => Some(UrlStyle::BucketBound),
        Some(s) => panic!("unknown urlStyle {s}"),
    };
    req.endpoint.bucket_bound_hostname = input
        .get("bucketBoundHostname")
        .and_then(Value::as_str)
        .map(str::to_owned);
    req.endpoint.scheme = match input.get("scheme").and_then(Value::as_str) {
        Some("http") => Some(UrlScheme::Http),
        _ => None,
    };
    req
}

/// Differences between our form and the case's `policyOutput`.
fn compare_form(desc: &str, form: &PostForm, expected: &Value, failures: &mut Diffs) {
    failures.check(desc, "url", &form.url, expected["url"].as_str().unwrap());
    let ours: BTreeMap<&str, &str> = form
        .fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    if ours.len() != form.fields.len() {
        failures.fail(desc, format!("a field name repeats: {:?}", form.fields));
    }
    let want: BTreeMap<&str, &str> = expected["fields"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str().unwrap()))
        .collect();
    for (n, v) in &want {
        let got = ours.get(n).copied().unwrap_or("<missing>");
        failures.check(desc, &format!("field {n}"), got, v);
    }
    for n in ours.keys().filter(|n| !want.contains_key(*n)) {
        failures.fail(desc, format!("extra field {n}"));
    }
    let last = form.fields.last().map(|(n, _)| n.as_str());
    if last != Some("policy") {
        failures.fail(
            desc,
            format!("last field {last:?}, want policy (SDK order)"),
        );
    }
}

#[test]
fn gcs_post_policy_v4_conformance() {
    let file: Value = serde_json::from_str(GCS_VECTORS).unwrap();
    let cases = file["postPolicyV4Tests"].as_array().unwrap();
    assert_eq!(
        cases.len(),
        11,
        "the conformance file has 11 POST-policy cases"
    );
    let email = key_file()["client_email"].as_str().unwrap().to_owned();
    #[cfg(feature = "gcs-rsa")]
    let pem = key_file()["private_key"].as_str().unwrap().to_owned();
    #[cfg(feature = "gcs-rsa")]
    let signer = presign::gcs::Presigner::new();

    let mut failures = Diffs::new();
    #[cfg_attr(not(feature = "gcs-rsa"), allow(unused_mut))] // counted only with native RSA
    let mut native = 0;
    for case in cases {
        let desc = case["description"].as_str().unwrap();
        let input = &case["policyInput"];
        let out = &case["policyOutput"];
        let now = Timestamp::from_unix(0).unwrap(); // the case's timestamp is signedAt

        // The external-signer seam, finished with Google's signature.
        let req = gcs_request(input, GcsCredentials::service_account(email.clone()));
        let prepared = match presign::gcs::post::prepare(&req, now) {
            Ok(p) => p,
            Err(e) => {
                failures.fail(desc, format!("prepare failed: {e}"));
                continue;
            }
        };
        let want_policy = out["fields"]["policy"].as_str().unwrap();
        if prepared.string_to_sign() != want_policy {
            failures.fail(
                desc,
                format!(
                    "policy\n  ours {}\n  want {}",
                    prepared.policy_json(),
                    decode(want_policy)
                ),
            );
        }
        let ours_json: Value = serde_json::from_str(&prepared.policy_json()).unwrap();
        let want_json: Value =
            serde_json::from_str(out["expectedDecodedPolicy"].as_str().unwrap()).unwrap();
        if ours_json != want_json {
            failures.fail(
                desc,
                format!("decoded policy {ours_json} != expectedDecodedPolicy {want_json}"),
            );
        }
        if prepared.algorithm() != "GOOG4-RSA-SHA256" {
            failures.fail(desc, format!("algorithm {}", prepared.algorithm()));
        }
        let form = prepared
            .finish(out["fields"]["x-goog-signature"].as_str().unwrap())
            .unwrap();
        compare_form(desc, &form, out, &mut failures);
        let want_expiry = Timestamp::parse_rfc3339(input["timestamp"].as_str().unwrap())
            .unwrap()
            .add_secs(input["expiration"].as_i64().unwrap())
            .unwrap();
        if form.expires_at != want_expiry {
            failures.fail(desc, format!("expiresAt {}", form.expires_at));
        }

        // Natively, with Google's dummy key: the same signature.
        #[cfg(feature = "gcs-rsa")]
        {
            let req = gcs_request(
                input,
                GcsCredentials::service_account_key(email.clone(), pem.clone()),
            );
            match signer.presign_post(&req, now) {
                Ok(native_form) => {
                    compare_form(
                        &format!("{desc} (native RSA)"),
                        &native_form,
                        out,
                        &mut failures,
                    );
                    native += 1;
                }
                Err(e) => failures.fail(desc, format!("native signing failed: {e}")),
            }
        }
    }
    failures.finish("Google's V4 POST policy conformance cases");
    if cfg!(feature = "gcs-rsa") {
        assert_eq!(native, 11);
    }
}

fn s3_doc_example() -> (Value, Value) {
    let doc: Value = serde_json::from_str(AWS_VECTORS).unwrap();
    let v = doc["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == "aws-docs/s3-post-policy")
        .unwrap()
        .clone();
    (doc["credentials"].clone(), v)
}

fn s3_credentials(c: &Value) -> S3Credentials {
    S3Credentials::new(
        c["access_key_id"].as_str().unwrap(),
        c["secret_access_key"].as_str().unwrap(),
    )
}

#[test]
fn s3_documentation_policy_signed_through_sign_policy() {
    let (creds, v) = s3_doc_example();
    let time = Timestamp::parse_rfc3339("2015-12-29T00:00:00Z").unwrap();
    let policy = v["inputs"]["policy_base64"].as_str().unwrap();
    assert_eq!(
        presign::s3::post::sign_policy(
            &s3_credentials(&creds),
            v["inputs"]["region"].as_str().unwrap(),
            time,
            policy
        )
        .unwrap(),
        v["expected"]["signature"].as_str().unwrap()
    );
    assert_eq!(
        v["expected"]["form_fields"]["X-Amz-Signature"],
        v["expected"]["signature"]
    );
}

/// A condition in a comparable form: field names lower-cased (S3 matches them
/// case-insensitively), everything else as written.
fn normalise_condition(c: &Value) -> Value {
    match c {
        Value::Object(m) => {
            let (k, v) = m.iter().next().unwrap();
            serde_json::json!({ k.to_ascii_lowercase(): v })
        }
        Value::Array(a) if a[0] == "starts-with" => serde_json::json!([
            "starts-with",
            a[1].as_str().unwrap().to_ascii_lowercase(),
            a[2]
        ]),
        other => other.clone(),
    }
}

#[test]
fn s3_documentation_policy_rebuilt_through_the_model() {
    let (creds, v) = s3_doc_example();
    let exp = &v["expected"];
    let doc_policy: Value = serde_json::from_str(exp["policy_json"].as_str().unwrap()).unwrap();

    // The example's conditions, said through the model.
    let mut p = PostPolicy::with_prefix("sigv4examplebucket", "user/user1/");
    p.signed_at = Some(Timestamp::parse_rfc3339("2015-12-29T00:00:00Z").unwrap());
    p.expires_in = Some(36 * 3600); // expiration 2015-12-30T12:00:00.000Z
    p.acl = Some("public-read".into());
    p.success_action_redirect =
        Some("http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html".into());
    p.content_type_prefix = Some("image/".into());
    p.metadata.push("uuid", "14365123651274");
    p.fields.push("x-amz-server-side-encryption", "AES256");
    p.starts_with.push("x-amz-meta-tag", "");
    let mut req = S3PostRequest::new(p);
    req.endpoint.region = Some(v["inputs"]["region"].as_str().unwrap().into());
    req.credentials = Some(s3_credentials(&creds));
    let form = presign::s3::Presigner::new()
        .presign_post(&req, Timestamp::from_unix(0).unwrap())
        .unwrap();

    let ours: Value = serde_json::from_str(&decode(form.field("policy").unwrap())).unwrap();
    let set = |p: &Value| {
        let mut c: Vec<String> = p["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| normalise_condition(c).to_string())
            .collect();
        c.sort();
        c
    };
    assert_eq!(set(&ours), set(&doc_policy));
    assert_eq!(
        Timestamp::parse_rfc3339(ours["expiration"].as_str().unwrap()).unwrap(),
        Timestamp::parse_rfc3339(
            doc_policy["expiration"]
                .as_str()
                .unwrap()
                .replace(".000Z", "Z")
                .as_str()
        )
        .unwrap()
    );

    // The form: the example's fields, less the two the client fills in for its starts-with
    // conditions (Content-Type, x-amz-meta-tag) and the two that depend on the policy's bytes.
    let mut want: BTreeMap<String, String> = exp["form_fields"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.as_str().unwrap().to_owned()))
        .collect();
    for n in [
        "content-type",
        "x-amz-meta-tag",
        "policy",
        "x-amz-signature",
    ] {
        assert!(want.remove(n).is_some(), "{n}");
    }
    let mut got: BTreeMap<String, String> = form
        .fields
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
        .collect();
    let signature = got.remove("x-amz-signature").unwrap();
    let policy = got.remove("policy").unwrap();
    assert_eq!(got, want);
    // The signature is over our policy text with the documented scope.
    assert_eq!(
        signature,
        presign::s3::post::sign_policy(
            &s3_credentials(&creds),
            "us-east-1",
            Timestamp::parse_rfc3339("2015-12-29T00:00:00Z").unwrap(),
            &policy
        )
        .unwrap()
    );
    // The example posts to the virtual-hosted bucket URL (over http in the docs).
    let action = exp["form_action"].as_str().unwrap();
    assert_eq!(
        form.url.strip_prefix("https://"),
        action.strip_prefix("http://")
    );
}
