//! Google's V4 signed-URL conformance cases (`tests/vectors/gcs/v4_signatures.json`, all 29
//! `signingV4Tests`, GOOG4-RSA-SHA256 with Google's dummy service-account key), run from one
//! data-driven loop that compares each stage — canonical request, string to sign, URL — prints
//! every difference and fails once at the end.
//!
//! Every case runs through the external-signer seam ([`presign::gcs::prepare`] then
//! [`presign::gcs::PreparedUrl::finish`] with the signature Google put in `expectedUrl`); with
//! the `gcs-rsa` feature each case is also signed natively and must give `expectedUrl` byte for
//! byte (RSASSA-PKCS1-v1_5 is deterministic, so this checks our RSA signature too).
//! `cargo test --all-features` runs both.
//!
//! The conformance file has no HMAC cases; `hmac_urls_match_an_independent_implementation`
//! checks GOOG4-HMAC-SHA256 URLs computed by the independent Python implementation in
//! `tests/gcs_py_diff.py` (which runs many more).
//!
//! Mapping of the case fields onto our request: `hostname`, `clientEndpoint` and
//! `emulatorHostname` are three ways a client learns its endpoint, in that order of precedence
//! (cases "Endpoint on client takes precedence over emulator", "Hostname takes precendence over
//! endpoint and emulator"); the first one present becomes our `endpoint`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use presign::gcs::{Credentials, GcsRequest, UrlScheme, UrlStyle};
use presign::{Method, Timestamp};
use serde_json::Value;
use sha2::{Digest, Sha256};

mod common;
use common::Diffs;

const VECTORS: &str = include_str!("vectors/gcs/v4_signatures.json");
const KEY_FILE: &str = include_str!("vectors/gcs/test_service_account.not-a-test.json");

/// Upstream errata, each proven by the case itself: `expectedCanonicalRequest` prints a line that
/// does not hash to the case's own `expectedStringToSign`, while the corrected line does (and the
/// signature in `expectedUrl` is over that string to sign). Checked below in both directions, so
/// an entry fails loudly once upstream fixes the case.
const ERRATA: &[(&str, &str, &str)] = &[(
    "Universe domain with virtual hosted style",
    // The path of a virtual-hosted URL has no bucket; the printed request kept it.
    "GET\n/test-bucket/test-object\n",
    "GET\n/test-object\n",
)];

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn str_field<'a>(case: &'a Value, name: &str) -> Option<&'a str> {
    case.get(name).and_then(Value::as_str)
}

fn params(v: Option<&Value>) -> presign::Params {
    let mut p = presign::Params::new();
    if let Some(obj) = v.and_then(Value::as_object) {
        for (k, v) in obj {
            p.push(k.clone(), v.as_str().unwrap());
        }
    }
    p
}

fn request_of(case: &Value, credentials: Credentials) -> GcsRequest {
    let mut r = GcsRequest::new(
        str_field(case, "method")
            .unwrap()
            .parse::<Method>()
            .unwrap(),
        str_field(case, "bucket").unwrap(),
        "",
    );
    r.object = str_field(case, "object").map(str::to_owned);
    r.credentials = Some(credentials);
    r.expires_in = Some(case["expiration"].as_u64().unwrap());
    r.signed_at = Some(Timestamp::parse_rfc3339(str_field(case, "timestamp").unwrap()).unwrap());
    r.headers = params(case.get("headers"));
    r.query = params(case.get("queryParameters"));
    r.endpoint.scheme = str_field(case, "scheme").map(|s| match s {
        "https" => UrlScheme::Https,
        "http" => UrlScheme::Http,
        other => panic!("scheme {other}"),
    });
    r.endpoint.url_style = str_field(case, "urlStyle").map(|s| match s {
        "PATH_STYLE" => UrlStyle::Path,
        "VIRTUAL_HOSTED_STYLE" => UrlStyle::VirtualHosted,
        "BUCKET_BOUND_HOSTNAME" => UrlStyle::BucketBound,
        other => panic!("urlStyle {other}"),
    });
    r.endpoint.bucket_bound_hostname = str_field(case, "bucketBoundHostname").map(str::to_owned);
    r.endpoint.url = ["hostname", "clientEndpoint", "emulatorHostname"]
        .iter()
        .find_map(|f| str_field(case, f))
        .map(str::to_owned);
    r.endpoint.universe_domain = str_field(case, "universeDomain").map(str::to_owned);
    r
}

fn key_file() -> Value {
    serde_json::from_str(KEY_FILE).unwrap()
}

fn client_email() -> String {
    key_file()["client_email"].as_str().unwrap().to_owned()
}

#[test]
fn conformance_signing_v4_tests() {
    let file: Value = serde_json::from_str(VECTORS).unwrap();
    let cases = file["signingV4Tests"].as_array().unwrap();
    assert_eq!(cases.len(), 29, "the conformance file changed");
    // The runner must never read a clock: every case has a timestamp, and `now` is far from it.
    let now = Timestamp::from_unix(0).unwrap();
    #[cfg(feature = "gcs-rsa")]
    let native = presign::gcs::Presigner::new();

    let mut failures = Diffs::new();
    let mut errata_used = 0;
    #[cfg_attr(not(feature = "gcs-rsa"), allow(unused_mut))] // counted only with native RSA
    let mut native_checked = 0;
    for case in cases {
        let name = str_field(case, "description").unwrap();
        let want_url = str_field(case, "expectedUrl").unwrap();
        let want_sts = str_field(case, "expectedStringToSign").unwrap();
        let mut want_cr = str_field(case, "expectedCanonicalRequest")
            .unwrap()
            .to_owned();
        if let Some((_, wrong, right)) = ERRATA.iter().find(|(n, _, _)| *n == name) {
            assert!(
                !want_sts.ends_with(&sha256_hex(&want_cr)),
                "[{name}] erratum no longer needed: the printed canonical request matches its string to sign"
            );
            assert!(want_cr.contains(wrong), "[{name}] erratum text not found");
            want_cr = want_cr.replacen(wrong, right, 1);
            assert!(
                want_sts.ends_with(&sha256_hex(&want_cr)),
                "[{name}] the corrected canonical request does not hash to the case's string to sign"
            );
            errata_used += 1;
        } else {
            assert!(
                want_sts.ends_with(&sha256_hex(&want_cr)),
                "[{name}] the case is not self-consistent"
            );
        }
        let signature = want_url.rsplit_once("&X-Goog-Signature=").unwrap().1;

        // Stage by stage through the external-signer seam.
        let req = request_of(case, Credentials::service_account(client_email()));
        match presign::gcs::prepare(&req, now) {
            Err(e) => failures.fail(name, format!("prepare failed: {e}")),
            Ok(p) => {
                failures.check(name, "algorithm", p.algorithm(), "GOOG4-RSA-SHA256");
                failures.check(name, "canonical request", p.canonical_request(), &want_cr);
                failures.check(name, "string to sign", p.string_to_sign(), want_sts);
                match p.finish(signature) {
                    Ok(out) => failures.check(name, "URL (seam)", &out.url, want_url),
                    Err(e) => failures.fail(name, format!("finish failed: {e}")),
                }
            }
        }

        // Natively, with the service account's private key.
        #[cfg(feature = "gcs-rsa")]
        {
            let key = key_file();
            let creds = Credentials::service_account_key(
                key["client_email"].as_str().unwrap(),
                key["private_key"].as_str().unwrap(),
            );
            match native.presign(&request_of(case, creds), now) {
                Ok(out) => {
                    failures.check(name, "URL (native RSA)", &out.url, want_url);
                    native_checked += 1;
                }
                Err(e) => failures.fail(name, format!("native presign failed: {e}")),
            }
        }
    }
    assert_eq!(errata_used, ERRATA.len(), "an erratum names no case");
    let expect_native = if cfg!(feature = "gcs-rsa") { 29 } else { 0 };
    assert_eq!(native_checked, expect_native);
    println!(
        "{} conformance cases; native RSA checked on {native_checked}",
        cases.len()
    );
    failures.finish("Google's V4 conformance URLs");
}

/// The whole service-account key file deserializes as `credentials.serviceAccount`, and the
/// request schema reproduces a conformance case from JSON (the path the CLI and JS take).
#[cfg(all(feature = "json", feature = "gcs-rsa"))]
#[test]
fn conformance_case_from_the_json_schema() {
    let json = format!(
        r#"{{"method": "POST", "bucket": "test-bucket", "object": "test-object",
            "headers": {{"X-Goog-Resumable": "start"}}, "expiresIn": 10,
            "signedAt": "2019-02-01T09:00:00Z", "scheme": "https",
            "credentials": {{"serviceAccount": {KEY_FILE}}}}}"#
    );
    let req: GcsRequest = presign::json::from_str(&json).unwrap();
    let out = presign::gcs::presign(&req, Timestamp::from_unix(0).unwrap()).unwrap();
    let file: Value = serde_json::from_str(VECTORS).unwrap();
    let case = file["signingV4Tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["description"] == "POST for resumable uploads")
        .unwrap();
    assert_eq!(out.url, case["expectedUrl"].as_str().unwrap());
    assert_eq!(
        out.headers.0,
        [("x-goog-resumable".to_owned(), "start".to_owned())]
    );
}

// GOOG4-HMAC-SHA256 URLs computed by `independent_url` in tests/gcs_py_diff.py (hmac/hashlib,
// written from Google's documentation, sharing no code with the crate), with the access id and
// secret of its HMAC_KEYS[0]. Case 4 was also accepted by tests/servers/gcs_verify_proxy.py's
// verifier, a third hand-written implementation.
const HMAC_ID: &str = "GOOG1EZ4V7QMXJ2KZ6XH5CQJ7VQW3N5T2RYB5FQ6PAA4XN2M7J3K5L6QGZ";
const HMAC_SECRET: &str = "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ";
const HMAC_CASES: &[(&str, &str)] = &[
    (
        r#"{"bucket": "test-bucket", "object": "test-object", "signedAt": "2019-02-01T09:00:00Z", "expiresIn": 10}"#,
        "https://storage.googleapis.com/test-bucket/test-object?X-Goog-Algorithm=GOOG4-HMAC-SHA256&X-Goog-Credential=GOOG1EZ4V7QMXJ2KZ6XH5CQJ7VQW3N5T2RYB5FQ6PAA4XN2M7J3K5L6QGZ%2F20190201%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20190201T090000Z&X-Goog-Expires=10&X-Goog-SignedHeaders=host&X-Goog-Signature=46de6c7975d5a912172343e7d4125d0fdd53506571beb70250161a74bfe49fb4",
    ),
    (
        r#"{"method": "PUT", "bucket": "test-bucket", "object": "photos/cat 1+ሴ.jpg", "urlStyle": "virtualHosted", "headers": {"Content-Type": "  image/jpeg ", "x-goog-content-length-range": "0,1048576"}, "query": {"response-content-disposition": "attachment; filename=\"a b.jpg\""}, "signedAt": "2026-11-24T10:00:00Z", "expiresIn": 600}"#,
        "https://test-bucket.storage.googleapis.com/photos/cat%201%2B%E1%88%B4.jpg?X-Goog-Algorithm=GOOG4-HMAC-SHA256&X-Goog-Credential=GOOG1EZ4V7QMXJ2KZ6XH5CQJ7VQW3N5T2RYB5FQ6PAA4XN2M7J3K5L6QGZ%2F20261124%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20261124T100000Z&X-Goog-Expires=600&X-Goog-SignedHeaders=content-type%3Bhost%3Bx-goog-content-length-range&response-content-disposition=attachment%3B%20filename%3D%22a%20b.jpg%22&X-Goog-Signature=34d5392217dbf7636e8c6b907437e3d426d35eeb82c9496e526e0e57e4bf322f",
    ),
    (
        // Query names `a` / `a-b`: sorted by name (spec), not as whole `k=v` strings.
        r#"{"bucket": "test-bucket", "object": "/a//b/./c", "query": {"a-b": "2", "a": "1"}, "universeDomain": "domain.com", "signedAt": "2026-11-24T10:00:00Z"}"#,
        "https://storage.domain.com/test-bucket//a//b/./c?X-Goog-Algorithm=GOOG4-HMAC-SHA256&X-Goog-Credential=GOOG1EZ4V7QMXJ2KZ6XH5CQJ7VQW3N5T2RYB5FQ6PAA4XN2M7J3K5L6QGZ%2F20261124%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20261124T100000Z&X-Goog-Expires=3600&X-Goog-SignedHeaders=host&a=1&a-b=2&X-Goog-Signature=66e5a4d2f56749aca418cca2276467f530012443f05c2a4d1d4d1bae30f8420d",
    ),
    (
        r#"{"method": "POST", "bucket": "test-bucket", "object": "upload.bin", "endpoint": "http://127.0.0.1:4443", "headers": {"x-goog-resumable": "start"}, "signedAt": "2026-11-24T10:00:00Z", "expiresIn": 604800}"#,
        "http://127.0.0.1:4443/test-bucket/upload.bin?X-Goog-Algorithm=GOOG4-HMAC-SHA256&X-Goog-Credential=GOOG1EZ4V7QMXJ2KZ6XH5CQJ7VQW3N5T2RYB5FQ6PAA4XN2M7J3K5L6QGZ%2F20261124%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20261124T100000Z&X-Goog-Expires=604800&X-Goog-SignedHeaders=host%3Bx-goog-resumable&X-Goog-Signature=1772eb73dfae29756ee981a3c4753dd78545e06907ceb267fe344799ee741abb",
    ),
    (
        r#"{"bucket": "test-bucket", "bucketBoundHostname": "mydomain.tld", "scheme": "http", "signedAt": "2026-11-24T10:00:00Z", "expiresIn": 1}"#,
        "http://mydomain.tld/?X-Goog-Algorithm=GOOG4-HMAC-SHA256&X-Goog-Credential=GOOG1EZ4V7QMXJ2KZ6XH5CQJ7VQW3N5T2RYB5FQ6PAA4XN2M7J3K5L6QGZ%2F20261124%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20261124T100000Z&X-Goog-Expires=1&X-Goog-SignedHeaders=host&X-Goog-Signature=e0a3e7f1b1d7c87efbf49595232b2baea97ea831edf484b427cc3ac536b0af5a",
    ),
];

#[cfg(feature = "json")]
#[test]
fn hmac_urls_match_an_independent_implementation() {
    let signer = presign::gcs::Presigner::new();
    let mut failures = Diffs::new();
    for (i, (json, want)) in HMAC_CASES.iter().enumerate() {
        let mut req: GcsRequest = presign::json::from_str(json).unwrap();
        req.credentials = Some(Credentials::hmac(HMAC_ID, HMAC_SECRET));
        // Twice through one presigner: the cached signing key must give the same URL.
        for round in 0..2 {
            match signer.presign(&req, Timestamp::from_unix(0).unwrap()) {
                Ok(out) => failures.check(&format!("hmac {i}.{round}"), "URL", &out.url, want),
                Err(e) => failures.fail(&format!("hmac {i}"), e),
            }
        }
    }
    failures.finish("GCS HMAC URLs vs an independent signer");
}
