//! AWS's SigV4 test suite (query-signing outputs) and the S3 documentation example, run from one
//! data-driven loop. Every case is compared stage by stage — canonical request, string to sign,
//! signature, signed URL — all differences are printed, and the test fails once at the end. A
//! unit test: the canonical request and string to sign are the SigV4 layer's own, not public.
//!
//! Vectors: tests/vectors/aws (copied byte-identical from aws-c-auth, Apache-2.0; see SOURCE.md).

use crate::encoding::{canonical_headers, encode_path, hex, percent_decode};
use crate::sigv4::{self, Auth, SigningKey, AWS4_HMAC_SHA256};
use crate::Timestamp;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

// The runner the integration vector tests share.
#[path = "../../tests/common/mod.rs"]
pub(super) mod common;
use common::aws_suite::{normalize_path, parse_request, Parsed};
use common::{vector_json, vector_path, Diffs};

pub(super) fn read(dir: &Path, f: &str) -> String {
    std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("{}/{f}: {e}", dir.display()))
}

/// One case of an aws-c-auth suite (SigV4 or SigV4a), read from its folder: the context, the
/// request, and what the signer is given besides the key (the path normalised as the context
/// says and encoded, the canonical headers, the payload hash).
pub(super) struct Case {
    pub name: String,
    pub ctx: Value,
    pub req: Parsed,
    pub time: Timestamp,
    /// The context's `omit_session_token`: the token is added to the URL after signing.
    pub omit_token: bool,
    canonical_uri: String,
    headers: Vec<(String, String)>,
    payload_hash: String,
}

impl Case {
    pub fn read(dir: &Path) -> Case {
        let ctx: Value = serde_json::from_str(&read(dir, "context.json")).unwrap();
        let req = parse_request(&read(dir, "request.txt"));
        let raw_path = if ctx["normalize"].as_bool().unwrap() {
            normalize_path(&req.path)
        } else {
            req.path.clone()
        };
        let headers =
            canonical_headers(req.headers.iter().map(|(n, v)| (n.as_str(), v.as_str()))).unwrap();
        let payload_hash = if ctx["sign_body"].as_bool().unwrap() {
            hex(&crate::crypto::sha256(&req.body))
        } else {
            hex(&crate::crypto::sha256(b""))
        };
        Case {
            name: dir.file_name().unwrap().to_string_lossy().to_string(),
            time: Timestamp::parse_rfc3339(ctx["timestamp"].as_str().unwrap()).unwrap(),
            omit_token: ctx["omit_session_token"].as_bool().unwrap_or(false),
            canonical_uri: encode_path(&raw_path),
            headers,
            payload_hash,
            ctx,
            req,
        }
    }

    /// The request as the SigV4 layer takes it.
    pub fn request(&self) -> sigv4::Request<'_> {
        sigv4::Request {
            method: &self.req.method,
            canonical_uri: &self.canonical_uri,
            query: &self.req.query,
            headers: &self.headers,
            payload_hash: &self.payload_hash,
        }
    }

    /// The session token signed into the URL (none when the context omits it).
    pub fn signed_token(&self) -> Option<&str> {
        let token = self.ctx["credentials"]["token"].as_str();
        if self.omit_token {
            None
        } else {
            token
        }
    }
}

/// Query parameters, decoded, as a set (the suite writes some raw UTF-8, we always encode).
fn query_set(q: &str) -> BTreeMap<String, String> {
    q.split('&')
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k).unwrap(), percent_decode(v).unwrap())
        })
        .collect()
}

#[test]
fn sigv4_test_suite_query_signing() {
    let root = vector_path("aws/sigv4-test-suite/v4");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert_eq!(cases.len(), 38, "the suite has 38 cases");

    let mut failures = Diffs::new();
    for dir in &cases {
        let case = Case::read(dir);
        let Case { name, ctx, req, .. } = &case;
        let creds = &ctx["credentials"];
        let region = ctx["region"].as_str().unwrap();
        let service = ctx["service"].as_str().unwrap();
        let key = SigningKey::derive(
            &AWS4_HMAC_SHA256,
            creds["secret_access_key"].as_str().unwrap(),
            &case.time.amz_date(),
            region,
            service,
        );
        let signed = sigv4::presign(
            &case.request(),
            &Auth {
                scheme: &AWS4_HMAC_SHA256,
                access_key_id: creds["access_key_id"].as_str().unwrap(),
                session_token: case.signed_token(),
                time: case.time,
                region,
                service,
                expires_in: ctx["expiration_in_seconds"].as_u64().unwrap(),
            },
            &key,
        );

        let mut check = |stage: &str, got: &str, want: &str| failures.check(name, stage, got, want);
        check(
            "canonical request",
            &signed.canonical_request,
            &read(dir, "query-canonical-request.txt"),
        );
        check(
            "string to sign",
            &signed.string_to_sign,
            &read(dir, "query-string-to-sign.txt"),
        );
        check(
            "signature",
            &signed.signature,
            read(dir, "query-signature.txt").trim(),
        );

        // The signed request line: compare path and the query as a set (aws-c-auth's emit order
        // differs from our sorted order).
        let mut url_query = signed.query.clone();
        if case.omit_token {
            let token = creds["token"].as_str().unwrap();
            crate::encoding::append_param(&mut url_query, "X-Amz-Security-Token", token);
        }
        let line = read(dir, "query-signed-request.txt");
        let first = line.lines().next().unwrap();
        let target = first
            .strip_prefix(&format!("{} ", req.method))
            .and_then(|t| t.strip_suffix(" HTTP/1.1"))
            .unwrap();
        let (want_path, want_query) = target.split_once('?').unwrap();
        // The request line carries the path as sent (normalisation only applies inside the
        // canonical request).
        check(
            "signed request path",
            &encode_path(&req.path),
            &encode_path(&percent_decode(want_path).unwrap()),
        );
        check(
            "signed request query",
            &format!("{:?}", query_set(&url_query)),
            &format!("{:?}", query_set(want_query)),
        );
    }
    failures.finish(&format!(
        "AWS SigV4 suite, {} query-signing cases",
        cases.len()
    ));
}

#[test]
fn s3_documentation_presigned_get() {
    let doc: Value = vector_json("aws/s3-docs-examples.json");
    let v = doc["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == "aws-docs/s3-presigned-get")
        .unwrap();
    let (inp, exp) = (&v["inputs"], &v["expected"]);
    let creds = &doc["credentials"];
    let time = Timestamp::parse_rfc3339(inp["now"].as_str().unwrap()).unwrap();

    // Through the public S3 API: the full URL must be the documented one, byte for byte.
    let mut req = crate::s3::S3Request::new(
        inp["method"].as_str().unwrap().parse().unwrap(),
        inp["bucket"].as_str().unwrap(),
        inp["key"].as_str().unwrap(),
    );
    req.endpoint.region = Some(inp["region"].as_str().unwrap().into());
    req.expires_in = inp["expires_in"].as_u64();
    req.credentials = Some(crate::s3::Credentials::new(
        creds["access_key_id"].as_str().unwrap(),
        creds["secret_access_key"].as_str().unwrap(),
    ));
    let out = crate::s3::presign(&req, time).unwrap();
    assert_eq!(out.url, exp["url"].as_str().unwrap());
    assert!(out
        .url
        .starts_with(&format!("https://{}/", inp["host"].as_str().unwrap())));

    // Stage by stage through the SigV4 layer.
    let host = inp["host"].as_str().unwrap();
    let headers = canonical_headers([("host", host)]).unwrap();
    let key = SigningKey::derive(
        &AWS4_HMAC_SHA256,
        creds["secret_access_key"].as_str().unwrap(),
        &time.amz_date(),
        "us-east-1",
        "s3",
    );
    let signed = sigv4::presign(
        &sigv4::Request {
            method: "GET",
            canonical_uri: "/test.txt",
            query: &[],
            headers: &headers,
            payload_hash: inp["payload_hash"].as_str().unwrap(),
        },
        &Auth {
            scheme: &AWS4_HMAC_SHA256,
            access_key_id: creds["access_key_id"].as_str().unwrap(),
            session_token: None,
            time,
            region: "us-east-1",
            service: "s3",
            expires_in: 86400,
        },
        &key,
    );
    assert_eq!(
        signed.canonical_request,
        exp["canonical_request"].as_str().unwrap()
    );
    assert_eq!(
        signed.string_to_sign,
        exp["string_to_sign"].as_str().unwrap()
    );
    assert_eq!(signed.signature, exp["signature"].as_str().unwrap());
}

#[test]
fn s3_documentation_post_policy_signature() {
    // The POST-policy example checks the shared signing-key derivation and HMAC (the POST-policy
    // API itself belongs to a later issue).
    let doc: Value = vector_json("aws/s3-docs-examples.json");
    let v = doc["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == "aws-docs/s3-post-policy")
        .unwrap();
    let key = SigningKey::derive(
        &AWS4_HMAC_SHA256,
        doc["credentials"]["secret_access_key"].as_str().unwrap(),
        v["inputs"]["date"].as_str().unwrap(),
        v["inputs"]["region"].as_str().unwrap(),
        "s3",
    );
    let policy = v["inputs"]["policy_base64"].as_str().unwrap();
    assert_eq!(
        key.sign_hex(policy.as_bytes()),
        v["expected"]["signature"].as_str().unwrap()
    );
    assert_eq!(
        crate::encoding::base64_decode(policy).unwrap(),
        v["expected"]["policy_json"].as_str().unwrap().as_bytes()
    );
}
