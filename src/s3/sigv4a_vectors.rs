//! AWS's SigV4a test suite (query signing), from aws-c-auth: for every case, the key derivation
//! gives the suite's public key, the canonical request and string to sign are the suite's, the
//! suite's own (randomised) signature verifies under our derived public key, and ours (RFC 6979)
//! verifies too. All differences are printed; the test fails once at the end. A unit test: the
//! canonical request and string to sign are the SigV4 layer's own, not public.
//!
//! Vectors: tests/vectors/sigv4a (copied byte-identical from aws-c-auth, Apache-2.0; see SOURCE.md).

use crate::encoding::{canonical_headers, encode_path, hex};
use crate::sigv4::{self, Auth, AWS4_ECDSA_P256_SHA256};
use crate::sigv4a::{self, SigningKey};
use crate::Timestamp;
use serde_json::Value;
use std::path::{Path, PathBuf};

// The runner the AWS SigV4 suite loads (one copy of the module).
use super::aws_vectors::common;
use common::aws_suite::{normalize_path, parse_request};
use common::{vector_path, Diffs};

fn read(dir: &Path, f: &str) -> String {
    std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("{}/{f}: {e}", dir.display()))
}

#[test]
fn sigv4a_test_suite_query_signing() {
    let root = vector_path("sigv4a/v4a");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert_eq!(cases.len(), 40, "the suite has 40 case folders");
    // Two upstream folders (get-vanilla-query-order-key, -value) hold only the request and the
    // context, no expected outputs: nothing to compare.
    cases.retain(|d| d.join("query-canonical-request.txt").is_file());
    assert_eq!(cases.len(), 38, "38 cases have query-signing outputs");

    let mut failures = Diffs::new();
    let mut suite_signatures_verified = 0;
    for dir in &cases {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let ctx: Value = serde_json::from_str(&read(dir, "context.json")).unwrap();
        let req = parse_request(&read(dir, "request.txt"));
        let creds = &ctx["credentials"];
        let access_key_id = creds["access_key_id"].as_str().unwrap();
        let token = creds["token"].as_str();
        let omit_token = ctx["omit_session_token"].as_bool().unwrap_or(false);
        let time = Timestamp::parse_rfc3339(ctx["timestamp"].as_str().unwrap()).unwrap();

        // The key derivation, against the suite's public key.
        let key = SigningKey::derive(access_key_id, creds["secret_access_key"].as_str().unwrap())
            .unwrap();
        let pk: Value = serde_json::from_str(&read(dir, "public-key.json")).unwrap();
        let want_point = format!(
            "04{}{}",
            pk["X"].as_str().unwrap().to_lowercase(),
            pk["Y"].as_str().unwrap().to_lowercase()
        );
        let public = key.public_key();
        failures.check(
            &name,
            "public key",
            &hex(&public.to_sec1_uncompressed()),
            &want_point,
        );

        let raw_path = if ctx["normalize"].as_bool().unwrap() {
            normalize_path(&req.path)
        } else {
            req.path.clone()
        };
        let canonical_uri = encode_path(&raw_path);
        let headers =
            canonical_headers(req.headers.iter().map(|(n, v)| (n.as_str(), v.as_str()))).unwrap();
        let payload_hash = if ctx["sign_body"].as_bool().unwrap() {
            hex(&crate::crypto::sha256(&req.body))
        } else {
            hex(&crate::crypto::sha256(b""))
        };
        let signed = sigv4a::presign(
            &sigv4::Request {
                method: &req.method,
                canonical_uri: &canonical_uri,
                query: &req.query,
                headers: &headers,
                payload_hash: &payload_hash,
            },
            &Auth {
                scheme: &AWS4_ECDSA_P256_SHA256,
                access_key_id,
                session_token: if omit_token { None } else { token },
                time,
                // The suite's region is the region set.
                region: ctx["region"].as_str().unwrap(),
                service: ctx["service"].as_str().unwrap(),
                expires_in: ctx["expiration_in_seconds"].as_u64().unwrap(),
            },
            &key,
        )
        .unwrap();

        failures.check(
            &name,
            "canonical request",
            &signed.canonical_request,
            &read(dir, "query-canonical-request.txt"),
        );
        failures.check(
            &name,
            "string to sign",
            &signed.string_to_sign,
            &read(dir, "query-string-to-sign.txt"),
        );
        // The suite's signature is one random ECDSA signature of its string to sign: it must
        // verify under the key we derived (which proves the derivation as much as the public
        // key does), over the string to sign we built.
        let theirs = read(dir, "query-signature.txt");
        let ok = public.verify_hex(signed.string_to_sign.as_bytes(), theirs.trim());
        failures.check(&name, "suite signature verifies", &ok.to_string(), "true");
        suite_signatures_verified += usize::from(ok);
        let ours = public.verify_hex(signed.string_to_sign.as_bytes(), &signed.signature);
        failures.check(&name, "our signature verifies", &ours.to_string(), "true");
        // And a signature of anything else does not.
        let tampered = public.verify_hex(b"AWS4-ECDSA-P256-SHA256\n", theirs.trim());
        failures.check(&name, "tampered rejected", &tampered.to_string(), "false");
    }
    println!("{suite_signatures_verified} of the suite's signatures verified");
    failures.finish("SigV4a query signing (aws-c-auth v4a suite)");
}
