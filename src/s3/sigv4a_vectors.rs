//! AWS's SigV4a test suite (query signing), from aws-c-auth: for every case, the key derivation
//! gives the suite's public key, the canonical request and string to sign are the suite's, the
//! suite's own (randomised) signature verifies under our derived public key, and ours (RFC 6979)
//! verifies too. All differences are printed; the test fails once at the end. A unit test: the
//! canonical request and string to sign are the SigV4 layer's own, not public.
//!
//! Vectors: tests/vectors/sigv4a (copied byte-identical from aws-c-auth, Apache-2.0; see SOURCE.md).

use crate::encoding::hex;
use crate::sigv4::{Auth, AWS4_ECDSA_P256_SHA256};
use crate::sigv4a::{self, SigningKey};
use serde_json::Value;
use std::path::PathBuf;

// The runner the AWS SigV4 suite loads (one copy of the module), and its case reader.
use super::aws_vectors::{common, read, Case};
use common::{vector_path, Diffs};

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
        let case = Case::read(dir);
        let Case { name, ctx, .. } = &case;
        let creds = &ctx["credentials"];
        let access_key_id = creds["access_key_id"].as_str().unwrap();

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
            name,
            "public key",
            &hex(&public.to_sec1_uncompressed()),
            &want_point,
        );

        let signed = sigv4a::presign(
            &case.request(),
            &Auth {
                scheme: &AWS4_ECDSA_P256_SHA256,
                access_key_id,
                session_token: case.signed_token(),
                time: case.time,
                // The suite's region is the region set.
                region: ctx["region"].as_str().unwrap(),
                service: ctx["service"].as_str().unwrap(),
                expires_in: ctx["expiration_in_seconds"].as_u64().unwrap(),
            },
            &key,
        )
        .unwrap();

        failures.check(
            name,
            "canonical request",
            &signed.canonical_request,
            &read(dir, "query-canonical-request.txt"),
        );
        failures.check(
            name,
            "string to sign",
            &signed.string_to_sign,
            &read(dir, "query-string-to-sign.txt"),
        );
        // The suite's signature is one random ECDSA signature of its string to sign: it must
        // verify under the key we derived (which proves the derivation as much as the public
        // key does), over the string to sign we built.
        let theirs = read(dir, "query-signature.txt");
        let ok = public.verify_hex(signed.string_to_sign.as_bytes(), theirs.trim());
        failures.check(name, "suite signature verifies", &ok.to_string(), "true");
        suite_signatures_verified += usize::from(ok);
        let ours = public.verify_hex(signed.string_to_sign.as_bytes(), &signed.signature);
        failures.check(name, "our signature verifies", &ours.to_string(), "true");
        // And a signature of anything else does not.
        let tampered = public.verify_hex(b"AWS4-ECDSA-P256-SHA256\n", theirs.trim());
        failures.check(name, "tampered rejected", &tampered.to_string(), "false");
    }
    println!("{suite_signatures_verified} of the suite's signatures verified");
    failures.finish("SigV4a query signing (aws-c-auth v4a suite)");
}
