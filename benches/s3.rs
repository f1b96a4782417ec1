//! Presigned S3 PUT URLs per second: presign vs rusty-s3 vs aws-sigv4.
//!
//! `cargo bench --bench s3` (criterion flags after `--`). Every contender turns an object key
//! into a full URL string for the same request: PUT, virtual-hosted AWS host, bucket
//! `my-bucket`, region `eu-west-1`, a signed `content-type`, expiry 3600 s, one fixed instant.
//! Before any timing, each peer's URL for every benchmarked key must carry the same
//! `X-Amz-Signature` as ours, so the numbers compare equal work.
//!
//! Groups:
//! - `single`: one URL per iteration. `presign` is the one-shot `presign::s3::presign`
//!   (derives the signing key every call, as both peers do); `presign_reused` reuses one
//!   `Presigner`, whose key cache skips the derivation.
//! - `batch_1000`: 1,000 distinct keys per iteration (criterion reports per element); ours
//!   reuses one `Presigner`, so the key is derived once.
//!
//! What each contender reuses across calls, as a real caller would: ours one `S3Request`
//! whose key is replaced; rusty-s3 its `Bucket` and `Credentials` (a `PutObject` per key);
//! aws-sigv4 the identity, the signing parameters (fixed instant) and a template
//! `http::Request` (cloned per key, its URI set, signed, the instructions applied).
//! The keys need no percent-encoding, so giving aws-sigv4 an already-encoded URI is exact.

use std::error::Error;
use std::hint::black_box;
use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{
    sign, PercentEncodingMode, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
    UriPathNormalizationMode,
};
use aws_smithy_runtime_api::client::identity::Identity;
use criterion::{Criterion, Throughput};
use presign::s3::{Credentials, Presigner, S3Request};
use presign::{Method, Timestamp};
use rusty_s3::{S3Action, UrlStyle};

type BoxError = Box<dyn Error>;

const ACCESS_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const REGION: &str = "eu-west-1";
const BUCKET: &str = "my-bucket";
const ENDPOINT: &str = "https://s3.eu-west-1.amazonaws.com";
const BUCKET_URL: &str = "https://my-bucket.s3.eu-west-1.amazonaws.com";
const CONTENT_TYPE: &str = "image/jpeg";
const EXPIRES: u64 = 3600;
const SIGNED_AT: &str = "2026-11-24T10:00:00Z";
const SINGLE_KEY: &str = "uploads/cat-0001.jpg";
const BATCH: usize = 1000;

fn main() -> Result<(), BoxError> {
    let keys: Vec<String> = (0..BATCH)
        .map(|i| format!("uploads/{i:04}/cat.jpg"))
        .collect();
    let now = Timestamp::parse_rfc3339(SIGNED_AT)?;

    // --- presign ---------------------------------------------------------------------------
    let mut template = S3Request::new(Method::Put, BUCKET, SINGLE_KEY);
    template.endpoint.region = Some(REGION.into());
    template.credentials = Some(Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
    template.headers.push("content-type", CONTENT_TYPE);
    template.expires_in = Some(EXPIRES);

    let mut oneshot_req = template.clone();
    let mut ours_oneshot = move |key: &str| -> Result<String, BoxError> {
        oneshot_req.key.clear();
        oneshot_req.key.push_str(key);
        Ok(presign::s3::presign(&oneshot_req, now)?.url)
    };
    let presigner = Presigner::new();
    let mut reused_req = template;
    let mut ours_reused = move |key: &str| -> Result<String, BoxError> {
        reused_req.key.clear();
        reused_req.key.push_str(key);
        Ok(presigner.presign(&reused_req, now)?.url)
    };

    // --- rusty-s3 ----------------------------------------------------------------------------
    // `sign_with_time` takes a `jiff::Timestamp`; jiff is not our dependency, so the type is
    // inferred from that call rather than named.
    let rusty_time = SIGNED_AT.parse()?;
    let rusty_bucket =
        rusty_s3::Bucket::new(ENDPOINT.parse()?, UrlStyle::VirtualHost, BUCKET, REGION)?;
    let rusty_creds = rusty_s3::Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
    let mut rusty = |key: &str| -> Result<String, BoxError> {
        let mut action = rusty_s3::actions::PutObject::new(&rusty_bucket, Some(&rusty_creds), key);
        action.headers_mut().insert("content-type", CONTENT_TYPE);
        Ok(action
            .sign_with_time(Duration::from_secs(EXPIRES), &rusty_time)
            .into())
    };

    // --- aws-sigv4 ---------------------------------------------------------------------------
    let identity: Identity = aws_credential_types::Credentials::new(
        ACCESS_KEY_ID,
        SECRET_ACCESS_KEY,
        None,
        None,
        "bench",
    )
    .into();
    // S3's rules: no double encoding, no path normalisation, unsigned payload, query signing.
    let mut settings = SigningSettings::default();
    settings.percent_encoding_mode = PercentEncodingMode::Single;
    settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(Duration::from_secs(EXPIRES));
    let aws_time = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(now.unix())?);
    let aws_params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(REGION)
        .name("s3")
        .time(aws_time)
        .settings(settings)
        .build()?
        .into();
    // `http` is not our dependency either: build the `http::Request` through the SDK's own
    // request type, then clone it per key.
    let mut sdk_req = aws_smithy_runtime_api::http::Request::new(());
    sdk_req.set_method("PUT")?;
    sdk_req.headers_mut().insert("content-type", CONTENT_TYPE);
    let aws_template = sdk_req.try_into_http1x()?;
    let mut aws = |key: &str| -> Result<String, BoxError> {
        let mut req = aws_template.clone();
        *req.uri_mut() = format!("{BUCKET_URL}/{key}").parse()?;
        let headers = req
            .headers()
            .iter()
            .map(|(name, value)| value.to_str().map(|v| (name.as_str(), v)))
            .collect::<Result<Vec<_>, _>>()?;
        let signable = SignableRequest::new(
            req.method().as_str(),
            req.uri().to_string(),
            headers.into_iter(),
            SignableBody::UnsignedPayload,
        )?;
        let (instructions, _signature) = sign(signable, &aws_params)?.into_parts();
        instructions.apply_to_request_http1x(&mut req);
        Ok(req.uri().to_string())
    };

    // --- equal work: same signature for every key, outside any timing --------------------------
    let mut identical_urls = true;
    for key in std::iter::once(SINGLE_KEY).chain(keys.iter().map(String::as_str)) {
        let ours = ours_oneshot(key)?;
        let reused = ours_reused(key)?;
        assert_eq!(ours, reused, "the key cache must not change the URL");
        assert!(
            ours.starts_with(&format!("{BUCKET_URL}/{key}?")),
            "unexpected URL {ours}"
        );
        let sig = signature(&ours);
        assert!(
            sig.len() == 64 && sig.bytes().all(|b| b.is_ascii_hexdigit()),
            "no 64-hex signature in {ours}"
        );
        for (peer, url) in [("rusty-s3", rusty(key)?), ("aws-sigv4", aws(key)?)] {
            assert_eq!(
                signature(&url),
                sig,
                "{peer} signs {key} differently:\n  ours: {ours}\n  {peer}: {url}"
            );
            identical_urls &= url == ours;
        }
    }
    println!(
        "checked {} keys: rusty-s3 and aws-sigv4 give the same X-Amz-Signature as presign \
         (full URLs byte-identical: {identical_urls})",
        BATCH + 1
    );

    // --- timing ------------------------------------------------------------------------------
    let mut c = Criterion::default().configure_from_args();

    let mut group = c.benchmark_group("single");
    group.throughput(Throughput::Elements(1));
    group.bench_function("presign", |b| {
        b.iter(|| black_box(ours_oneshot(black_box(SINGLE_KEY))))
    });
    group.bench_function("presign_reused", |b| {
        b.iter(|| black_box(ours_reused(black_box(SINGLE_KEY))))
    });
    group.bench_function("rusty-s3", |b| {
        b.iter(|| black_box(rusty(black_box(SINGLE_KEY))))
    });
    group.bench_function("aws-sigv4", |b| {
        b.iter(|| black_box(aws(black_box(SINGLE_KEY))))
    });
    group.finish();

    let mut group = c.benchmark_group("batch_1000");
    group.throughput(Throughput::Elements(u64::try_from(BATCH)?));
    group.bench_function("presign", |b| b.iter(|| run_batch(&keys, &mut ours_reused)));
    group.bench_function("rusty-s3", |b| b.iter(|| run_batch(&keys, &mut rusty)));
    group.bench_function("aws-sigv4", |b| b.iter(|| run_batch(&keys, &mut aws)));
    group.finish();

    c.final_summary();
    Ok(())
}

/// One URL per key; every result goes through `black_box` so none is optimised away.
fn run_batch(keys: &[String], sign_one: &mut impl FnMut(&str) -> Result<String, BoxError>) {
    for key in keys {
        black_box(sign_one(black_box(key)).ok());
    }
}

/// The value of `X-Amz-Signature` in `url` (empty when absent).
fn signature(url: &str) -> &str {
    url.split_once('?')
        .map_or("", |(_, query)| query)
        .split('&')
        .find_map(|pair| pair.strip_prefix("X-Amz-Signature="))
        .unwrap_or("")
}
