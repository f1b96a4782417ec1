//! Presigned Azure Blob read URLs per second: presign vs object_store's Azure signer.
//!
//! `cargo bench --bench azure -- --warm-up-time 1 --measurement-time 3`
//!
//! Every contender turns a blob name into a full service-SAS URL string for the same request:
//! GET (`sp=r`), blob resource (`sr=b`), account `myaccount`, container `photos`, a base64
//! account key, `st` = the signing instant, `se` one hour later, `sv=2023-11-03`.
//! That shape is object_store's, which cannot be configured (its `Signer::signed_url` always
//! signs `st` = now, `sv` = 2023-11-03, and takes no permissions); our request names the same
//! fields, so both sign the same string-to-sign. Before any timing, object_store's URL for
//! every benchmarked name is re-signed by us with the `st`, `se`, `sv` and `sp` it carries,
//! and its `sig` must equal ours, so the numbers compare equal work.
//!
//! Groups:
//! - `azure_single`: one URL per iteration. `presign` is the one-shot `presign::azure::presign`
//!   (decodes the key and absorbs it into HMAC state every call); `presign_reused` reuses one
//!   `Presigner`, whose key cache skips that. `object_store` calls `signed_url` on one
//!   `MicrosoftAzure` store (built once, key decoded once), which reads the clock per call.
//! - `azure_batch_1000`: 1,000 distinct names per iteration (criterion reports per element). Ours
//!   reuses one `Presigner`; object_store's `signed_urls` makes one signer for the batch.
//!
//! What is not equal, and why it cannot be: object_store reads `chrono::Utc::now()` inside
//! signing (one call per URL, one per batch) where ours takes the instant as an argument;
//! object_store's HMAC is aws-lc-rs (the provider its `azure` feature selects), ours is
//! RustCrypto `hmac`/`sha2`. object_store's signer is `async`; with an account key it never
//! waits, so each future is polled once with a no-op waker (asserted) and no runtime is timed.
//! The names need no percent-encoding: object_store signs the *encoded* URL path as the
//! canonicalized resource, which matches Azure only for such names.

use std::error::Error;
use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use criterion::{Criterion, Throughput};
use object_store::azure::MicrosoftAzureBuilder;
use object_store::path::Path;
use object_store::signer::Signer;
use presign::azure::{AzureRequest, Credentials, Presigner};
use presign::{Method, Timestamp};

type BoxError = Box<dyn Error>;

const ACCOUNT: &str = "myaccount";
const CONTAINER: &str = "photos";
/// 64 random-looking bytes, base64 (a made-up key).
const ACCOUNT_KEY: &str =
    "Q7l0UoQxKNmRMcSPeRsmqP0TpV3zYl7n1F1k9c0u4bFzq2w8h6m3x5tE7yR0aK2dWg9jS4vB1nL6pX8cU3oH5w==";
const EXPIRES: u64 = 3600;
/// object_store's fixed signed version.
const VERSION: &str = "2023-11-03";
const SIGNED_AT: &str = "2026-11-24T10:00:00Z";
const SINGLE_NAME: &str = "cat-0001.jpg";
const BATCH: usize = 1000;
const BLOB_URL: &str = "https://myaccount.blob.core.windows.net/photos";

fn main() -> Result<(), BoxError> {
    let names: Vec<String> = (0..BATCH)
        .map(|i| format!("uploads/{i:04}/cat.jpg"))
        .collect();
    let now = Timestamp::parse_rfc3339(SIGNED_AT)?;

    // --- presign ---------------------------------------------------------------------------
    let mut template = AzureRequest::new(Method::Get, ACCOUNT, CONTAINER, SINGLE_NAME);
    template.credentials = Some(Credentials::account_key(ACCOUNT_KEY));
    template.version = Some(VERSION.into());
    template.starts_on = Some(now);
    template.expires_in = Some(EXPIRES);

    let mut oneshot_req = template.clone();
    let mut ours_oneshot = move |name: &str| -> Result<String, BoxError> {
        set_blob(&mut oneshot_req, name);
        Ok(presign::azure::presign(&oneshot_req, now)?.url)
    };
    let presigner = Presigner::new();
    let mut reused_req = template.clone();
    let mut ours_reused = move |name: &str| -> Result<String, BoxError> {
        set_blob(&mut reused_req, name);
        Ok(presigner.presign(&reused_req, now)?.url)
    };

    // --- object_store ------------------------------------------------------------------------
    let store = MicrosoftAzureBuilder::new()
        .with_account(ACCOUNT)
        .with_access_key(ACCOUNT_KEY)
        .with_container_name(CONTAINER)
        .build()?;
    // `http::Method` is not our dependency: its type is inferred from `signed_url` (hence
    // `Clone::clone(&get)`, which needs no known type, rather than `get.clone()`).
    let get = "GET".parse()?;
    let expires = Duration::from_secs(EXPIRES);
    let object_store_one = |name: &str| -> Result<String, BoxError> {
        let path = Path::from(name);
        let url = ready(store.signed_url(Clone::clone(&get), &path, expires))??;
        Ok(String::from(url))
    };
    let paths: Vec<Path> = names.iter().map(|n| Path::from(n.as_str())).collect();
    let object_store_batch = |paths: &[Path]| -> Result<Vec<String>, BoxError> {
        let urls = ready(store.signed_urls(Clone::clone(&get), paths, expires))??;
        Ok(urls.into_iter().map(String::from).collect())
    };

    // --- equal work: same signature for every name, outside any timing ----------------------
    let mut peer_urls = vec![object_store_one(SINGLE_NAME)?];
    peer_urls.extend(object_store_batch(&paths)?);
    for (name, peer) in std::iter::once(SINGLE_NAME)
        .chain(names.iter().map(String::as_str))
        .zip(&peer_urls)
    {
        let ours = ours_oneshot(name)?;
        assert_eq!(
            ours,
            ours_reused(name)?,
            "the key cache must not change the URL"
        );
        assert!(
            ours.starts_with(&format!("{BLOB_URL}/{name}?sv={VERSION}&sr=b&sp=r&st=")),
            "unexpected URL {ours}"
        );
        assert_same_signature(&template, name, peer)?;
    }
    println!(
        "checked {} names: object_store {VERSION} service SAS URLs carry the same sig as presign \
         signing their st/se/sv/sp",
        BATCH + 1
    );

    // --- timing ------------------------------------------------------------------------------
    let mut c = Criterion::default().configure_from_args();

    let mut group = c.benchmark_group("azure_single");
    group.throughput(Throughput::Elements(1));
    group.bench_function("presign", |b| {
        b.iter(|| black_box(ours_oneshot(black_box(SINGLE_NAME)).ok()))
    });
    group.bench_function("presign_reused", |b| {
        b.iter(|| black_box(ours_reused(black_box(SINGLE_NAME)).ok()))
    });
    group.bench_function("object_store", |b| {
        b.iter(|| black_box(object_store_one(black_box(SINGLE_NAME)).ok()))
    });
    group.finish();

    let mut group = c.benchmark_group("azure_batch_1000");
    group.throughput(Throughput::Elements(u64::try_from(BATCH)?));
    group.bench_function("presign", |b| {
        b.iter(|| {
            for name in &names {
                black_box(ours_reused(black_box(name)).ok());
            }
        })
    });
    group.bench_function("object_store", |b| {
        b.iter(|| black_box(object_store_batch(black_box(&paths)).ok()))
    });
    group.finish();

    c.final_summary();
    Ok(())
}

fn set_blob(req: &mut AzureRequest, name: &str) {
    let blob = req.blob.get_or_insert_with(String::new);
    blob.clear();
    blob.push_str(name);
}

/// Polls `fut` once: object_store's signer never waits when it holds an account key.
fn ready<F: Future>(fut: F) -> Result<F::Output, BoxError> {
    let mut fut = pin!(fut);
    match fut.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => Ok(out),
        Poll::Pending => Err("object_store's signer did not complete without waiting".into()),
    }
}

/// Re-signs `name` with the `st`, `se`, `sv` and `sp` of object_store's `peer` URL and checks
/// that both carry the same `sig` and address the same blob.
fn assert_same_signature(template: &AzureRequest, name: &str, peer: &str) -> Result<(), BoxError> {
    let (peer_base, peer_query) = peer.split_once('?').ok_or("no query in the peer URL")?;
    assert_eq!(
        peer_base,
        format!("{BLOB_URL}/{name}"),
        "object_store addresses another blob"
    );
    let param = |key: &str| -> Result<String, BoxError> {
        let raw = peer_query
            .split('&')
            .find_map(|pair| pair.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
            .ok_or_else(|| format!("no {key} in {peer}"))?;
        decode(raw)
    };
    assert_eq!(param("sr")?, "b");
    let start = Timestamp::parse_rfc3339(&param("st")?)?;
    let mut req = template.clone();
    set_blob(&mut req, name);
    req.starts_on = Some(start);
    req.expires_in = None;
    req.expires_on = Some(Timestamp::parse_rfc3339(&param("se")?)?);
    req.version = Some(param("sv")?);
    req.permissions = Some(param("sp")?.parse()?);
    let ours = presign::azure::presign(&req, start)?.url;
    let our_sig = ours
        .split_once("&sig=")
        .map(|(_, s)| s)
        .ok_or("no sig in our URL")?;
    assert_eq!(
        decode(our_sig)?,
        param("sig")?,
        "object_store signs {name} differently:\n  ours: {ours}\n  object_store: {peer}"
    );
    Ok(())
}

/// Percent-decodes a query value (written here, not taken from the crate under test).
fn decode(s: &str) -> Result<String, BoxError> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hex = [bytes.next(), bytes.next()];
            let [Some(h), Some(l)] = hex else {
                return Err(format!("truncated escape in {s}").into());
            };
            out.push(u8::from_str_radix(std::str::from_utf8(&[h, l])?, 16)?);
        } else {
            out.push(b);
        }
    }
    Ok(String::from_utf8(out)?)
}
