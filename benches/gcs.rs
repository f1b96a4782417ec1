//! GCS V4 signed URLs per second: presign (GOOG4-HMAC-SHA256 and GOOG4-RSA-SHA256) and
//! object_store 0.14 (GOOG4-RSA-SHA256, its only native scheme).
//!
//! `cargo bench --bench gcs --features gcs-rsa` (criterion flags after `--`). Without the
//! `gcs-rsa` feature only the HMAC groups run (there is no Rust peer for GCS HMAC keys:
//! object_store signs GCS URLs with a service-account key only, and aws-sigv4 / rusty-s3 hard-code
//! the `AWS4` scheme).
//!
//! Every contender turns an object name into a full URL string for the same request: GET,
//! `https://storage.googleapis.com/my-bucket/{object}` (path style), expiry 3600 s. RSA uses
//! Google's published dummy service-account key (`tests/vectors/gcs`, RSA-2048).
//!
//! Groups:
//! - `hmac_single`: one URL per iteration. `presign` is the one-shot `presign::gcs::presign`
//!   (derives the signing key every call); `presign_reused` reuses one `Presigner`, whose key
//!   cache skips the derivation.
//! - `hmac_batch_1000`: 1,000 distinct objects per iteration (criterion reports per element),
//!   one reused `Presigner`.
//! - `rsa_single` (feature `gcs-rsa`): one URL per iteration. `presign_reused` reuses one
//!   `Presigner` (PEM parsed once, then cached); `presign_oneshot` parses the PEM every call, for
//!   scale; `object_store` reuses one `GoogleCloudStorage` built from the same key JSON (its key is
//!   parsed once, at build time) and calls `Signer::signed_url`.
//! - `rsa_primitive` (feature `gcs-rsa`): the bare RSASSA-PKCS1-v1_5/SHA-256 signature over one
//!   string to sign, key parsed once, in each backend: `ring` 0.17 (what presign uses) and
//!   `aws-lc-rs` (what object_store's `gcp` feature uses). Nearly all of an RSA URL's cost is this
//!   step, so it says how much of the `rsa_single` difference is the crypto backend.
//!
//! Equal work, checked before any timing: presign's one-shot and reused URLs are identical;
//! object_store reads the clock itself (no way to pass an instant), so for every object its URL's
//! `X-Goog-Date` is read back and presign signs the same request at that instant: the
//! `X-Goog-Signature` must be the same (PKCS#1 v1.5 is deterministic), and ring and aws-lc-rs
//! must give the same signature bytes.

use std::error::Error;
use std::hint::black_box;

use criterion::{Criterion, Throughput};
use presign::gcs::{Credentials, GcsRequest, Presigner};
use presign::{Method, Timestamp};

type BoxError = Box<dyn Error>;

/// The HMAC key of the crate's GCS docs example (not a real key).
const HMAC_ACCESS_ID: &str = "GOOG1EEXAMPLEACCESSID";
const HMAC_SECRET: &str = "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ";
/// Google's published dummy service-account key (Apache-2.0, see tests/vectors/gcs/SOURCE.md).
#[cfg(feature = "gcs-rsa")]
const KEY_JSON: &str = include_str!("../tests/vectors/gcs/test_service_account.not-a-test.json");
const BUCKET: &str = "my-bucket";
const BASE_URL: &str = "https://storage.googleapis.com/my-bucket";
const EXPIRES: u64 = 3600;
const SIGNED_AT: &str = "2026-11-24T10:00:00Z";
const SINGLE_OBJECT: &str = "uploads/cat-0001.jpg";
const BATCH: usize = 1000;

fn main() -> Result<(), BoxError> {
    let objects: Vec<String> = (0..BATCH)
        .map(|i| format!("uploads/{i:04}/cat.jpg"))
        .collect();
    let now = Timestamp::parse_rfc3339(SIGNED_AT)?;

    // --- presign, HMAC -----------------------------------------------------------------------
    let mut hmac_template = GcsRequest::new(Method::Get, BUCKET, SINGLE_OBJECT);
    hmac_template.credentials = Some(Credentials::hmac(HMAC_ACCESS_ID, HMAC_SECRET));
    hmac_template.expires_in = Some(EXPIRES);

    let mut oneshot_req = hmac_template.clone();
    let mut hmac_oneshot = move |object: &str| -> Result<String, BoxError> {
        set_object(&mut oneshot_req, object);
        Ok(presign::gcs::presign(&oneshot_req, now)?.url)
    };
    let hmac_presigner = Presigner::new();
    let mut reused_req = hmac_template;
    let mut hmac_reused = move |object: &str| -> Result<String, BoxError> {
        set_object(&mut reused_req, object);
        Ok(hmac_presigner.presign(&reused_req, now)?.url)
    };

    for object in std::iter::once(SINGLE_OBJECT).chain(objects.iter().map(String::as_str)) {
        let oneshot = hmac_oneshot(object)?;
        assert_eq!(
            oneshot,
            hmac_reused(object)?,
            "the key cache must not change the URL"
        );
        assert!(
            oneshot.starts_with(&format!(
                "{BASE_URL}/{object}?X-Goog-Algorithm=GOOG4-HMAC-SHA256&X-Goog-Credential={HMAC_ACCESS_ID}%2F20261124%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20261124T100000Z&X-Goog-Expires=3600&X-Goog-SignedHeaders=host&X-Goog-Signature="
            )),
            "unexpected URL {oneshot}"
        );
        let sig = param(&oneshot, "X-Goog-Signature");
        assert!(
            sig.len() == 64 && sig.bytes().all(|b| b.is_ascii_hexdigit()),
            "no 64-hex signature in {oneshot}"
        );
    }
    println!(
        "checked {} objects: HMAC one-shot and reused URLs identical",
        BATCH + 1
    );

    let mut c = Criterion::default().configure_from_args();

    let mut group = c.benchmark_group("hmac_single");
    group.throughput(Throughput::Elements(1));
    group.bench_function("presign", |b| {
        b.iter(|| black_box(hmac_oneshot(black_box(SINGLE_OBJECT))))
    });
    group.bench_function("presign_reused", |b| {
        b.iter(|| black_box(hmac_reused(black_box(SINGLE_OBJECT))))
    });
    group.finish();

    let mut group = c.benchmark_group("hmac_batch_1000");
    group.throughput(Throughput::Elements(u64::try_from(BATCH)?));
    group.bench_function("presign", |b| {
        b.iter(|| run_batch(&objects, &mut hmac_reused))
    });
    group.finish();

    #[cfg(feature = "gcs-rsa")]
    rsa::bench(&mut c, &objects, now)?;
    #[cfg(not(feature = "gcs-rsa"))]
    println!(
        "RSA groups skipped: build with `--features gcs-rsa` for rsa_single and rsa_primitive"
    );

    c.final_summary();
    Ok(())
}

#[cfg(feature = "gcs-rsa")]
mod rsa {
    use super::*;
    use base64::Engine as _;
    use object_store::gcp::GoogleCloudStorageBuilder;
    use object_store::signer::Signer as _;
    use std::future::Future;
    use std::task::{Context, Poll, Waker};
    use std::time::Duration;

    pub(super) fn bench(
        c: &mut Criterion,
        objects: &[String],
        now: Timestamp,
    ) -> Result<(), BoxError> {
        let key: presign::gcs::ServiceAccountKey = presign::json::from_str(KEY_JSON)?;
        let mut template = GcsRequest::new(Method::Get, BUCKET, SINGLE_OBJECT);
        template.credentials = Some(Credentials::ServiceAccount(key));
        template.expires_in = Some(EXPIRES);

        // presign: the `at` argument lets the equality check sign at object_store's instant.
        let presigner = Presigner::new();
        let mut reused_req = template.clone();
        let mut ours_at = move |object: &str, at: Timestamp| -> Result<String, BoxError> {
            set_object(&mut reused_req, object);
            Ok(presigner.presign(&reused_req, at)?.url)
        };
        let mut oneshot_req = template;
        let mut ours_oneshot = move |object: &str| -> Result<String, BoxError> {
            set_object(&mut oneshot_req, object);
            Ok(presign::gcs::presign(&oneshot_req, now)?.url)
        };

        // object_store: built once from the same key JSON; signing needs no network (the key
        // signs locally) and its future completes on the first poll.
        let store = GoogleCloudStorageBuilder::new()
            .with_bucket_name(BUCKET)
            .with_service_account_key(KEY_JSON)
            .build()?;
        let expires = Duration::from_secs(EXPIRES);
        let object_store = |object: &str| -> Result<String, BoxError> {
            let path = object_store::path::Path::from(object);
            let url =
                poll_once(store.signed_url(object_store::signer::Method::GET, &path, expires))??;
            Ok(url.into())
        };

        // --- equal work ----------------------------------------------------------------------
        let mut identical_urls = true;
        for object in std::iter::once(SINGLE_OBJECT).chain(objects.iter().map(String::as_str)) {
            let theirs = object_store(object)?;
            let at = Timestamp::parse_rfc3339(&amz_to_rfc3339(param(&theirs, "X-Goog-Date"))?)?;
            let ours = ours_at(object, at)?;
            assert!(
                ours.starts_with(&format!(
                    "{BASE_URL}/{object}?X-Goog-Algorithm=GOOG4-RSA-SHA256&"
                )),
                "unexpected URL {ours}"
            );
            let sig = param(&ours, "X-Goog-Signature");
            assert!(
                sig.len() == 512 && sig.bytes().all(|b| b.is_ascii_hexdigit()),
                "no RSA-2048 hex signature in {ours}"
            );
            assert_eq!(
                param(&theirs, "X-Goog-Signature"),
                sig,
                "object_store signs {object} differently:\n  ours: {ours}\n  object_store: {theirs}"
            );
            identical_urls &= theirs == ours;
        }
        assert_eq!(ours_oneshot(SINGLE_OBJECT)?, ours_at(SINGLE_OBJECT, now)?);
        println!(
            "checked {} objects: object_store gives the same X-Goog-Signature as presign at its own \
             X-Goog-Date (full URLs byte-identical: {identical_urls})",
            objects.len() + 1
        );

        // --- the bare RSA signature, in both backends ------------------------------------------
        let string_to_sign = {
            let mut req = GcsRequest::new(Method::Get, BUCKET, SINGLE_OBJECT);
            req.credentials = Some(Credentials::service_account(client_email()?));
            req.expires_in = Some(EXPIRES);
            presign::gcs::prepare(&req, now)?
                .string_to_sign()
                .to_owned()
        };
        let der = pkcs8_der()?;
        let ring_key =
            ring::signature::RsaKeyPair::from_pkcs8(&der).map_err(|e| format!("ring: {e}"))?;
        let ring_rng = ring::rand::SystemRandom::new();
        let ring_sign = |msg: &[u8]| -> Result<Vec<u8>, BoxError> {
            let mut sig = vec![0; ring_key.public().modulus_len()];
            ring_key
                .sign(&ring::signature::RSA_PKCS1_SHA256, &ring_rng, msg, &mut sig)
                .map_err(|e| format!("ring: {e}"))?;
            Ok(sig)
        };
        let lc_key = aws_lc_rs::signature::RsaKeyPair::from_pkcs8(&der)
            .map_err(|e| format!("aws-lc-rs: {e}"))?;
        let lc_rng = aws_lc_rs::rand::SystemRandom::new();
        let lc_sign = |msg: &[u8]| -> Result<Vec<u8>, BoxError> {
            let mut sig = vec![0; lc_key.public_modulus_len()];
            lc_key
                .sign(
                    &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                    &lc_rng,
                    msg,
                    &mut sig,
                )
                .map_err(|e| format!("aws-lc-rs: {e}"))?;
            Ok(sig)
        };
        let ring_sig = ring_sign(string_to_sign.as_bytes())?;
        assert_eq!(
            ring_sig,
            lc_sign(string_to_sign.as_bytes())?,
            "ring and aws-lc-rs disagree"
        );
        assert!(
            ours_at(SINGLE_OBJECT, now)?
                .ends_with(&format!("&X-Goog-Signature={}", hex(&ring_sig))),
            "presign's URL does not carry ring's signature of its string to sign"
        );
        println!("ring and aws-lc-rs give the same signature over presign's string to sign");

        // --- timing --------------------------------------------------------------------------
        let mut group = c.benchmark_group("rsa_single");
        group.throughput(Throughput::Elements(1));
        group.bench_function("presign_reused", |b| {
            b.iter(|| black_box(ours_at(black_box(SINGLE_OBJECT), now).ok()))
        });
        group.bench_function("presign_oneshot", |b| {
            b.iter(|| black_box(ours_oneshot(black_box(SINGLE_OBJECT)).ok()))
        });
        group.bench_function("object_store", |b| {
            b.iter(|| black_box(object_store(black_box(SINGLE_OBJECT)).ok()))
        });
        group.finish();

        let mut group = c.benchmark_group("rsa_primitive");
        group.throughput(Throughput::Elements(1));
        group.bench_function("ring", |b| {
            b.iter(|| black_box(ring_sign(black_box(string_to_sign.as_bytes())).ok()))
        });
        group.bench_function("aws-lc-rs", |b| {
            b.iter(|| black_box(lc_sign(black_box(string_to_sign.as_bytes())).ok()))
        });
        group.finish();
        Ok(())
    }

    /// Drives a future that needs no executor (object_store's signing with a local key).
    fn poll_once<F: Future>(fut: F) -> Result<F::Output, BoxError> {
        let mut fut = std::pin::pin!(fut);
        match fut.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(out) => Ok(out),
            Poll::Pending => {
                Err("object_store's signed_url did not complete on the first poll".into())
            }
        }
    }

    fn key_field(name: &str) -> Result<String, BoxError> {
        let v: serde_json::Value = serde_json::from_str(KEY_JSON)?;
        Ok(v.get(name)
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| format!("no {name} in the key file"))?
            .to_owned())
    }

    fn client_email() -> Result<String, BoxError> {
        key_field("client_email")
    }

    /// The key file's PEM `private_key` as PKCS#8 DER.
    fn pkcs8_der() -> Result<Vec<u8>, BoxError> {
        let pem = key_field("private_key")?;
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        Ok(base64::engine::general_purpose::STANDARD.decode(body)?)
    }

    /// `20261124T100000Z` -> `2026-11-24T10:00:00Z`.
    fn amz_to_rfc3339(d: &str) -> Result<String, BoxError> {
        let part =
            |r: std::ops::Range<usize>| d.get(r).ok_or_else(|| format!("bad X-Goog-Date {d:?}"));
        Ok(format!(
            "{}-{}-{}T{}:{}:{}Z",
            part(0..4)?,
            part(4..6)?,
            part(6..8)?,
            part(9..11)?,
            part(11..13)?,
            part(13..15)?
        ))
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}

fn set_object(req: &mut GcsRequest, object: &str) {
    let o = req.object.get_or_insert_with(String::new);
    o.clear();
    o.push_str(object);
}

/// One URL per object; every result goes through `black_box` so none is optimised away.
fn run_batch(objects: &[String], sign_one: &mut impl FnMut(&str) -> Result<String, BoxError>) {
    for object in objects {
        black_box(sign_one(black_box(object)).ok());
    }
}

/// The value of query parameter `name` in `url` (empty when absent).
fn param<'a>(url: &'a str, name: &str) -> &'a str {
    url.split_once('?')
        .map_or("", |(_, query)| query)
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
        .unwrap_or("")
}
