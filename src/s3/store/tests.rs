//! One test per documented fact (each would fail if the profile said otherwise), and the rule
//! that a limit is either enforced or refused.
use super::*;
use crate::s3::{presign, Credentials, S3Request};
use crate::time::Timestamp;
use crate::types::Method;

fn t0() -> Timestamp {
    Timestamp::parse_rfc3339("2026-11-24T10:00:00Z").unwrap()
}

fn req(store: Store, method: Method) -> S3Request {
    S3Request::new(method, "bkt", "a/b.png")
        .with_store(store)
        .with_credentials(Credentials::new("AKID", "SECRET"))
}

const SHA256_EMPTY: &str = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
const MD5_EMPTY: &str = "1B2M2Y8AsgTpgAEu7KiFcA==";

fn limits(size: Option<u64>, c: Option<(Algorithm, &str)>) -> UploadLimits {
    UploadLimits {
        size,
        max_size: None,
        content_type: None,
        checksum: c.map(|(algorithm, v)| Checksum::from_base64(algorithm, v).unwrap()),
    }
}

#[test]
fn r2_endpoint_is_the_account_host_with_region_auto() {
    let r = req(Store::R2, Method::Get).with_account_id("0123abcd");
    let out = presign(&r, t0()).unwrap();
    assert!(
        out.url
            .starts_with("https://bkt.0123abcd.r2.cloudflarestorage.com/a/b.png?"),
        "{}",
        out.url
    );
    assert!(
        out.url.contains("%2Fauto%2Fs3%2Faws4_request"),
        "{}",
        out.url
    );
    // Without an account id or endpoint: an error, not an AWS URL.
    let e = presign(&req(Store::R2, Method::Get), t0()).unwrap_err();
    assert_eq!(e.code(), "INVALID_ENDPOINT");
    let e = presign(&r.clone().with_account_id("NOT HEX"), t0()).unwrap_err();
    assert_eq!(e.code(), "INVALID_ENDPOINT");
    let e = presign(&r.with_endpoint("https://x.example"), t0()).unwrap_err();
    assert_eq!(e.code(), "INVALID_ENDPOINT");
    let e = presign(&req(Store::Aws, Method::Get).with_account_id("abc"), t0()).unwrap_err();
    assert_eq!(e.code(), "INVALID_ENDPOINT");
}

#[test]
fn stores_with_fixed_endpoints_build_them() {
    let b2 = req(Store::B2, Method::Get).with_region("us-west-004");
    assert!(presign(&b2, t0())
        .unwrap()
        .url
        .starts_with("https://bkt.s3.us-west-004.backblazeb2.com/"));
    assert_eq!(
        presign(&req(Store::B2, Method::Get), t0())
            .unwrap_err()
            .code(),
        "INVALID_ENDPOINT"
    );
    let w = req(Store::Wasabi, Method::Get).with_region("eu-central-1");
    assert!(presign(&w, t0())
        .unwrap()
        .url
        .starts_with("https://bkt.s3.eu-central-1.wasabisys.com/"));
    let g = req(Store::GcsXml, Method::Get);
    assert!(presign(&g, t0())
        .unwrap()
        .url
        .starts_with("https://bkt.storage.googleapis.com/"));
    for s in [Store::Minio, Store::Seaweedfs] {
        assert_eq!(
            presign(&req(s, Method::Get), t0()).unwrap_err().code(),
            "INVALID_ENDPOINT"
        );
        let ok = req(s, Method::Get).with_endpoint("http://127.0.0.1:9000");
        assert!(presign(&ok, t0())
            .unwrap()
            .url
            .starts_with("http://127.0.0.1:9000/bkt/"));
    }
    // aws and custom without an endpoint: AWS, as before profiles.
    for s in [Store::Aws, Store::Custom] {
        assert!(presign(&req(s, Method::Get), t0())
            .unwrap()
            .url
            .starts_with("https://bkt.s3.amazonaws.com/"));
    }
}

#[test]
fn documented_facts() {
    // R2: no POST, no custom domains, 7 days, auto region.
    let r2 = Store::R2.profile();
    assert_eq!(
        (r2.post_policy, r2.custom_domain, r2.max_expires),
        (Fact::No, Fact::No, Some(604_800))
    );
    assert_eq!(r2.default_region, "auto");
    for c in Algorithm::ALL {
        assert_eq!(
            r2.checksum(Upload::PutObject, c),
            ChecksumSupport::Verified,
            "{c:?}"
        );
    }
    assert_eq!(
        r2.checksum(Upload::UploadPart, Algorithm::Sha256),
        ChecksumSupport::Refused
    );
    assert_eq!(
        r2.checksum(Upload::UploadPart, Algorithm::Sha1),
        ChecksumSupport::Refused
    );
    assert_eq!(
        r2.checksum(Upload::UploadPart, Algorithm::Md5),
        ChecksumSupport::Verified
    );
    // AWS: POST with content-length-range, Content-MD5 for presigned uploads, the rest unknown.
    let aws = Store::Aws.profile();
    assert_eq!(
        (aws.post_policy, aws.content_length_range),
        (Fact::Yes, Fact::Yes)
    );
    assert_eq!(
        aws.checksum(Upload::PutObject, Algorithm::Md5),
        ChecksumSupport::Verified
    );
    assert_eq!(
        aws.checksum(Upload::PutObject, Algorithm::Sha256),
        ChecksumSupport::Unknown
    );
    // SeaweedFS (measured live): every algorithm on both operations; MinIO: none documented.
    for c in Algorithm::ALL {
        for op in [Upload::PutObject, Upload::UploadPart] {
            assert_eq!(
                Store::Seaweedfs.profile().checksum(op, c),
                ChecksumSupport::Verified
            );
            assert_eq!(
                Store::Minio.profile().checksum(op, c),
                ChecksumSupport::Unknown
            );
        }
    }
    // B2: no POST Object among its supported calls; cap unknown.
    assert_eq!(Store::B2.profile().post_policy, Fact::No);
    assert_eq!(Store::B2.profile().max_expires, None);
    // MinIO and SeaweedFS enforce content-length-range; Wasabi and GCS-XML: unknown.
    for s in [Store::Minio, Store::Seaweedfs] {
        assert_eq!(s.profile().content_length_range, Fact::Yes);
    }
    for s in [Store::Wasabi, Store::GcsXml, Store::Custom] {
        assert_eq!(s.profile().content_length_range, Fact::Unknown);
    }
    // Every profile is its own store's, and its cap never exceeds the SigV4 limit.
    for s in Store::ALL {
        assert_eq!(s.profile().store, s);
        assert!(s
            .profile()
            .max_expires
            .is_none_or(|c| c <= crate::lifetime::MAX_EXPIRES));
    }
}

#[test]
fn exact_size_is_a_signed_content_length() {
    let r = req(Store::R2, Method::Put)
        .with_account_id("abc")
        .with_limits(limits(Some(1234), Some((Algorithm::Sha256, SHA256_EMPTY))));
    let out = presign(&r, t0()).unwrap();
    let h = &out.headers.0;
    assert!(
        h.contains(&("content-length".into(), "1234".into())),
        "{h:?}"
    );
    assert!(h.contains(&("x-amz-checksum-sha256".into(), SHA256_EMPTY.into())));
    assert!(out
        .url
        .contains("X-Amz-SignedHeaders=content-length%3Bhost%3Bx-amz-checksum-sha256"));
}

#[test]
fn a_size_range_on_a_put_is_refused_with_the_alternative() {
    let mut l = limits(None, None);
    l.max_size = Some(100);
    let e = presign(
        &req(Store::R2, Method::Put)
            .with_account_id("abc")
            .with_limits(l.clone()),
        t0(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "UNSUPPORTED");
    assert!(e.message().contains("limits.size"), "{e}");
    assert!(e.message().contains("no POST policy"), "{e}");
    let e = presign(&req(Store::Aws, Method::Put).with_limits(l.clone()), t0()).unwrap_err();
    assert!(e.message().contains("contentLengthRange"), "{e}");
    // size within maxSize: the exact size is signed.
    l.size = Some(100);
    assert!(presign(&req(Store::Aws, Method::Put).with_limits(l.clone()), t0()).is_ok());
    l.size = Some(101);
    let e = presign(&req(Store::Aws, Method::Put).with_limits(l), t0()).unwrap_err();
    assert_eq!(e.code(), "INVALID_REQUEST");
}

#[test]
fn checksums_are_signed_only_where_verified() {
    // R2 refuses sha256 on UploadPart: UNSUPPORTED naming what it verifies.
    let part = req(Store::R2, Method::Put)
        .with_account_id("abc")
        .with_query("partNumber", "1")
        .with_query("uploadId", "u")
        .with_limits(limits(Some(5), Some((Algorithm::Sha256, SHA256_EMPTY))));
    let e = presign(&part, t0()).unwrap_err();
    assert_eq!(e.code(), "UNSUPPORTED");
    assert!(e.message().contains("refuses sha256 on UploadPart"), "{e}");
    assert!(e.message().contains("verifies: md5"), "{e}");
    // AWS: md5 for presigned uploads; sha256 not documented → refused, not guessed.
    let ok =
        req(Store::Aws, Method::Put).with_limits(limits(None, Some((Algorithm::Md5, MD5_EMPTY))));
    let out = presign(&ok, t0()).unwrap();
    assert!(out
        .headers
        .0
        .contains(&("content-md5".into(), MD5_EMPTY.into())));
    let unknown = req(Store::Aws, Method::Put)
        .with_limits(limits(None, Some((Algorithm::Sha256, SHA256_EMPTY))));
    let e = presign(&unknown, t0()).unwrap_err();
    assert_eq!(e.code(), "UNSUPPORTED");
    assert!(e.message().contains("not documented to verify"), "{e}");
    // A value of the wrong length is bad input (the checksum value type refuses it).
    assert_eq!(
        Checksum::from_base64(Algorithm::Sha256, MD5_EMPTY).map_err(|e| e.code()),
        Err("INVALID_REQUEST")
    );
    // Limits are for PUT only.
    let get = req(Store::Aws, Method::Get).with_limits(limits(Some(1), None));
    assert_eq!(presign(&get, t0()).unwrap_err().code(), "INVALID_REQUEST");
}

#[test]
fn no_limit_is_ever_signed_unenforced() {
    // Every store × operation × algorithm: either the header is signed and the profile says
    // Verified, or the answer is an error.
    for s in Store::ALL {
        for op in [Upload::PutObject, Upload::UploadPart] {
            for c in Algorithm::ALL {
                let value = crate::encoding::base64(&vec![0u8; c.digest_len()]);
                let l = limits(Some(3), Some((c, &value)));
                match l.headers(s.profile(), op) {
                    Ok(h) => {
                        assert_eq!(s.profile().checksum(op, c), ChecksumSupport::Verified);
                        assert!(h.iter().any(|(n, _)| *n == c.s3_header_name()));
                        assert!(h.iter().any(|(n, v)| *n == "content-length" && v == "3"));
                    }
                    Err(e) => {
                        assert_ne!(s.profile().checksum(op, c), ChecksumSupport::Verified);
                        assert_eq!(e.code(), "UNSUPPORTED");
                    }
                }
            }
        }
    }
}

#[test]
fn warnings_where_the_store_will_refuse() {
    // R2 on a custom domain.
    let r = req(Store::R2, Method::Get).with_endpoint("https://files.example.com");
    let out = presign(&r, t0()).unwrap();
    assert_eq!(out.warnings[0].code, "STORE_CUSTOM_DOMAIN");
    // R2 on its own host (an explicit endpoint, e.g. a jurisdiction): no warning.
    let r = req(Store::R2, Method::Get).with_endpoint("https://abc.eu.r2.cloudflarestorage.com");
    assert!(presign(&r, t0()).unwrap().warnings.is_empty());
    let r = req(Store::R2, Method::Get).with_endpoint("https://evilr2.cloudflarestorage.com");
    assert_eq!(presign(&r, t0()).unwrap().warnings.len(), 1);
    // A raw sha256 header on an R2 UploadPart.
    let part = req(Store::R2, Method::Put)
        .with_account_id("abc")
        .with_query("partNumber", "2")
        .with_query("uploadId", "u")
        .with_header("x-amz-checksum-sha256", SHA256_EMPTY);
    let w = presign(&part, t0()).unwrap().warnings;
    assert_eq!(w[0].code, "STORE_REFUSES_CHECKSUM");
    // The same header on PutObject: verified, no warning.
    let put = req(Store::R2, Method::Put)
        .with_account_id("abc")
        .with_header("x-amz-checksum-sha256", SHA256_EMPTY);
    assert!(presign(&put, t0()).unwrap().warnings.is_empty());
    // A lifetime beyond a (hypothetical shorter) cap.
    let mut w = Vec::new();
    let short = Profile {
        max_expires: Some(3600),
        ..*Store::R2.profile()
    };
    expiry_warning(&short, 3601, &mut w);
    expiry_warning(&short, 3600, &mut w);
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].code, "STORE_EXPIRY_CAP");
}

#[test]
fn post_policies_only_where_the_store_enforces_them() {
    let e = check_post(Store::R2.profile(), false).unwrap_err();
    assert_eq!(e.code(), "UNSUPPORTED");
    assert!(e.message().contains("limits.size"), "{e}");
    assert_eq!(
        check_post(Store::B2.profile(), false).unwrap_err().code(),
        "UNSUPPORTED"
    );
    // Wasabi: not documented either way → refused for a size range.
    assert_eq!(
        check_post(Store::Wasabi.profile(), true)
            .unwrap_err()
            .code(),
        "UNSUPPORTED"
    );
    for s in [Store::Aws, Store::Minio, Store::Seaweedfs, Store::Custom] {
        assert!(check_post(s.profile(), true).is_ok(), "{s:?}");
    }
}

#[cfg(feature = "json")]
#[test]
fn the_schema_reads_store_account_and_limits() {
    let j = r#"{"store":"r2","accountId":"abc","bucket":"b","key":"k","method":"PUT",
        "credentials":{"accessKeyId":"A","secretAccessKey":"S"},
        "limits":{"size":10,"contentType":"image/png","checksum":{"algorithm":"crc32","value":"AAAAAA=="}}}"#;
    let r: S3Request = crate::schema::from_str(j).unwrap();
    let out = presign(&r, t0()).unwrap();
    assert!(
        out.url.contains("abc.r2.cloudflarestorage.com"),
        "{}",
        out.url
    );
    assert!(out
        .headers
        .0
        .contains(&("x-amz-checksum-crc32".into(), "AAAAAA==".into())));
    let bad = j.replace("\"r2\"", "\"s4\"");
    let e = crate::schema::from_str::<S3Request>(&bad).unwrap_err();
    assert_eq!(e.code(), "INVALID_REQUEST");
    let bad = j.replace("crc32", "crc16");
    assert!(crate::schema::from_str::<S3Request>(&bad).is_err());
}
