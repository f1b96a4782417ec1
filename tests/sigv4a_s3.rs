//! S3 Multi-Region Access Points through the S3 presigner (a bucket given as the MRAP ARN):
//! the URL's shape, the request checks, and the round trip through the verifier (which derives
//! the public key from the secret). Agreement with the AWS SDK is tests/sigv4a_py_diff.py's.
#![cfg(all(feature = "sigv4a", feature = "verify"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use presign::s3::{Credentials, S3Request};
use presign::verify::{verify, IncomingRequest, Keyring, VerifyOptions};
use presign::{Method, Timestamp};

const ARN: &str = "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap";

fn creds() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
}

fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-12-05T10:00:00Z").unwrap()
}

#[test]
fn an_mrap_url_has_the_global_host_no_region_in_its_scope_and_verifies() {
    let mut req = S3Request::new(Method::Put, ARN, "dir/ü 1.txt").with_credentials(creds());
    req.headers.push("Content-Type", "text/plain");
    req.region_set = Some("us-east-1,eu-west-1".into());
    let out = presign::s3::presign(&req, now()).unwrap();
    assert!(
        out.url.starts_with(
            "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/dir/%C3%BC%201.txt?X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261205%2Fs3%2Faws4_request&X-Amz-Date=20261205T100000Z&X-Amz-Expires=3600&X-Amz-Region-Set=us-east-1%2Ceu-west-1&X-Amz-SignedHeaders=content-type%3Bhost&X-Amz-Signature=30"
        ),
        "{}",
        out.url
    );
    // Deterministic (RFC 6979): the same request gives the same URL.
    assert_eq!(out.url, presign::s3::presign(&req, now()).unwrap().url);

    let keys = Keyring::new().with_s3(creds());
    let headers = [("content-type".to_string(), "text/plain".to_string())];
    let later = now().add_secs(60).unwrap();
    let incoming = IncomingRequest::new(&out.url, Method::Put).with_headers(&headers);
    let ok = verify(&incoming, &keys, later, &VerifyOptions::default()).unwrap();
    assert_eq!(ok.algorithm, "AWS4-ECDSA-P256-SHA256");
    assert_eq!(ok.key_id, "AKIDEXAMPLE");

    // The region a server answers for must be in the set.
    let mut opts = VerifyOptions {
        region: Some("eu-west-1".into()),
        ..VerifyOptions::default()
    };
    assert!(verify(&incoming, &keys, later, &opts).is_ok());
    opts.region = Some("ap-south-1".into());
    assert_eq!(
        verify(&incoming, &keys, later, &opts).unwrap_err().code(),
        "SCOPE_MISMATCH"
    );

    // Another method, a changed region set, a flipped signature digit, another secret: refused.
    let get = IncomingRequest::new(&out.url, Method::Get).with_headers(&headers);
    let code = |r: IncomingRequest<'_>, k: &Keyring| {
        verify(&r, k, later, &VerifyOptions::default())
            .unwrap_err()
            .code()
    };
    assert_eq!(code(get, &keys), "SIGNATURE_MISMATCH");
    let moved = out
        .url
        .replace("Region-Set=us-east-1%2C", "Region-Set=us-west-2%2C");
    assert_eq!(
        code(
            IncomingRequest::new(&moved, Method::Put).with_headers(&headers),
            &keys
        ),
        "SIGNATURE_MISMATCH"
    );
    let at = out.url.len() - 10;
    let mut tampered = out.url.clone();
    let c = if &out.url[at..at + 1] == "0" {
        "1"
    } else {
        "0"
    };
    tampered.replace_range(at..at + 1, c);
    assert_eq!(
        code(
            IncomingRequest::new(&tampered, Method::Put).with_headers(&headers),
            &keys
        ),
        "SIGNATURE_MISMATCH"
    );
    let other = Keyring::new().with_s3(Credentials::new("AKIDEXAMPLE", "another secret"));
    assert_eq!(code(incoming, &other), "SIGNATURE_MISMATCH");
}

#[test]
fn the_default_region_set_is_any_and_the_token_is_signed() {
    let c = creds().with_session_token("tok/en+=");
    let req = S3Request::new(Method::Get, ARN, "k").with_credentials(c.clone());
    let out = presign::s3::presign(&req, now()).unwrap();
    assert!(out
        .url
        .contains("&X-Amz-Region-Set=%2A&X-Amz-Security-Token=tok%2Fen%2B%3D&"));
    let keys = Keyring::new().with_s3(c);
    let incoming = IncomingRequest::new(&out.url, Method::Get);
    assert!(verify(&incoming, &keys, now(), &VerifyOptions::default()).is_ok());
}

#[test]
fn requests_an_mrap_cannot_take_are_errors() {
    let base = S3Request::new(Method::Get, ARN, "k").with_credentials(creds());
    let code = |r: S3Request| presign::s3::presign(&r, now()).unwrap_err().code();
    assert_eq!(
        code(base.clone().with_endpoint("http://localhost:9000")),
        "INVALID_REQUEST"
    );
    assert_eq!(code(base.clone().with_dualstack(true)), "INVALID_REQUEST");
    assert_eq!(code(base.clone().with_accelerate(true)), "INVALID_REQUEST");
    let mut bad_set = base.clone();
    bad_set.region_set = Some("us-east-1;eu-west-1".into());
    assert_eq!(code(bad_set), "INVALID_REQUEST");
    let mut not_mrap = S3Request::new(Method::Get, "bucket", "k").with_credentials(creds());
    not_mrap.region_set = Some("*".into());
    assert_eq!(code(not_mrap), "INVALID_REQUEST");
    let single_region_ap = S3Request::new(
        Method::Get,
        "arn:aws:s3:us-east-1:123456789012:accesspoint/ap",
        "k",
    )
    .with_credentials(creds());
    assert_eq!(code(single_region_ap), "INVALID_BUCKET");
}
