use super::*;
use crate::encoding::hex;

// Key derivation example from the AWS docs (IAM user guide, "Examples of how to derive a
// signing key"): secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam →
// kSigning f4780e2d…404d.
#[test]
fn derives_the_documented_signing_key() {
    let k = SigningKey::derive(
        &AWS4_HMAC_SHA256,
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "20120215",
        "us-east-1",
        "iam",
    );
    let documented = [
        0xf4, 0x78, 0x0e, 0x2d, 0x9f, 0x65, 0xfa, 0x89, 0x5f, 0x9c, 0x67, 0xb3, 0x2c, 0xe1, 0xba,
        0xf0, 0xb0, 0xd8, 0xa4, 0x35, 0x05, 0xa0, 0x00, 0xa1, 0xa9, 0xe0, 0x90, 0xd4, 0x14, 0xdb,
        0x40, 0x4d,
    ];
    assert_eq!(
        k.sign_hex(b"probe"),
        hex(&HmacKey::new(&documented).sign(b"probe"))
    );
}

#[test]
fn cache_distinguishes_schemes_secrets_and_scopes() {
    let c = KeyCache::new();
    let s = &AWS4_HMAC_SHA256;
    let a = c
        .get(s, "secret-a", "20260101", "us-east-1", "s3")
        .sign_hex(b"x");
    let b = c
        .get(s, "secret-b", "20260101", "us-east-1", "s3")
        .sign_hex(b"x");
    let a2 = c
        .get(s, "secret-a", "20260101", "us-east-1", "s3")
        .sign_hex(b"x");
    let d = c
        .get(s, "secret-a", "20260102", "us-east-1", "s3")
        .sign_hex(b"x");
    let g = c
        .get(
            &GOOG4_HMAC_SHA256,
            "secret-a",
            "20260101",
            "us-east-1",
            "s3",
        )
        .sign_hex(b"x");
    assert_ne!(a, b);
    assert_eq!(a, a2);
    assert_ne!(a, d);
    assert_ne!(a, g);
    for i in 0..20 {
        c.get(s, "s", &format!("2026010{}", i % 10), "r", "s3");
    }
    assert_eq!(format!("{c:?}"), "KeyCache(8 keys)");
}

#[test]
fn the_fast_path_writes_auth_parameters_in_canonical_order() {
    for names in [
        &AMZ_PARAMS,
        &GOOG_PARAMS,
        #[cfg(feature = "s3express")]
        &AWS4_HMAC_SHA256_S3EXPRESS.params,
    ] {
        let six = &names.all()[..6];
        let mut sorted = six.to_vec();
        sorted.sort_unstable();
        assert_eq!(six, sorted.as_slice());
    }
}

#[test]
fn signatures_in_a_cached_scope_equal_the_full_string_to_sign() {
    // The start of the string to sign absorbed once per second (`SignedStart`) must sign as the
    // whole string: the same second again, the next, back again, and a scope whose start is
    // shorter than a block (region `x`).
    let c = KeyCache::new();
    let headers = [("host".to_string(), "b.example".to_string())];
    for region in ["eu-west-1", "x"] {
        for at in [1_795_514_400, 1_795_514_400, 1_795_514_401, 1_795_514_400] {
            let time = Timestamp::from_unix(at).unwrap();
            let auth = Auth {
                scheme: &AWS4_HMAC_SHA256,
                access_key_id: "AKIDEXAMPLE",
                session_token: None,
                time,
                region,
                service: "s3",
                expires_in: 3600,
            };
            let req = Request {
                method: "GET",
                canonical_uri: "/k",
                query: &[],
                headers: &headers,
                payload_hash: UNSIGNED_PAYLOAD,
            };
            let stamp = time.amz_stamp();
            let key = c.scoped(
                &AWS4_HMAC_SHA256,
                "secret",
                "AKIDEXAMPLE",
                stamp.date(),
                region,
                "s3",
            );
            let mut url = String::new();
            sign_query(&req, None, &auth, &stamp, &key, false)
                .append_to(&mut url)
                .unwrap();
            let full = presign(
                &req,
                &auth,
                &SigningKey::derive(&AWS4_HMAC_SHA256, "secret", stamp.date(), region, "s3"),
            );
            assert_eq!(url, full.query, "{region} {at}");
        }
    }
}
