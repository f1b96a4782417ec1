//! Verification properties (`presign::verify`):
//! - published URLs verify: AWS's documentation example, Google's 29 V4 conformance URLs (RSA);
//! - round trip: every URL the crate's signers produce (S3; GCS HMAC and RSA; Azure service,
//!   account and user-delegation SAS, every signed layout) verifies for the request it was made
//!   for;
//! - every single-field mutation fails: each query parameter (changed, removed), an added
//!   parameter (V4), the path, the host, the method, each signed header (changed, removed), and
//!   time (at the expiry; before the start beyond the clock skew);
//! - arbitrary and near-valid URLs never panic the verifier.
//!
//! Case counts are small by default (2 shared cores); scale them with
//! `VERIFY_PROPTEST_CASES=N` (round trips) and `VERIFY_FUZZ_CASES=N` (no-panic runs). Iteration
//! counts are printed (`cargo test --test verify_props -- --nocapture`).
//!
//! The URL is taken apart for mutation by a splitter written here, not by the crate.

#![cfg(all(feature = "verify", feature = "gcs-rsa"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use presign::azure::{AzureRequest, Credentials as AzCreds, SasKind, UserDelegationKey};
use presign::gcs::{Credentials as GcsCreds, GcsRequest};
use presign::s3::{Credentials, S3Request};
use presign::verify::{verify, IncomingRequest, Keyring, VerifyError, VerifyOptions};
use presign::{Method, Presigned, Secret, Timestamp};
use proptest::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

const AK: &str = "AKIAIOSFODNN7EXAMPLE";
const SK: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
/// Temporary credentials: their URLs carry the session token.
const TEMP_AK: &str = "ASIAIOSFODNN7EXAMPLE";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLETOKEN/+=";
const GCS_ID: &str = "GOOG1EEXAMPLEACCESSID";
const GCS_SECRET: &str = "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ";
const AZ_ACCOUNT: &str = "myaccount";
const AZ_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const UDK_VALUE: &str = "c2VjcmV0LXVzZXItZGVsZWdhdGlvbi1rZXktZm9yLXRlc3RzLW9ubHkhIQ==";
const SA_JSON: &str = include_str!("vectors/gcs/test_service_account.not-a-test.json");

static ROUND_TRIPS: AtomicUsize = AtomicUsize::new(0);
static MUTATIONS: AtomicUsize = AtomicUsize::new(0);
static FUZZED: AtomicUsize = AtomicUsize::new(0);

fn env_cases(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn config(name: &str, default: u32) -> ProptestConfig {
    ProptestConfig {
        cases: env_cases(name, default),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn t(s: &str) -> Timestamp {
    Timestamp::parse_rfc3339(s).unwrap()
}

fn service_account() -> (String, String) {
    let v: serde_json::Value = serde_json::from_str(SA_JSON).unwrap();
    (
        v["client_email"].as_str().unwrap().to_owned(),
        v["private_key"].as_str().unwrap().to_owned(),
    )
}

fn udk(at: Timestamp) -> UserDelegationKey {
    UserDelegationKey {
        signed_oid: "23657296-5cd5-45b0-a809-d972a7f4dfe1".into(),
        signed_tid: "ab1f708d-50f6-404c-a006-d71b2ac7a606".into(),
        signed_start: at.add_secs(-3600).unwrap(),
        signed_expiry: at.add_secs(5 * 86400).unwrap(),
        signed_service: "b".into(),
        signed_version: "2025-07-05".into(),
        signed_delegated_user_tid: None,
        value: Secret::new(UDK_VALUE),
    }
}

/// Every kind of key the generated URLs are signed with.
fn keyring(at: Timestamp) -> Keyring {
    let (email, pem) = service_account();
    let public = presign::verify::RsaPublicKey::from_private_key_pem(&pem).unwrap();
    Keyring::new()
        .with_s3(Credentials::new(AK, SK))
        .with_s3(Credentials::new(TEMP_AK, SK).with_session_token(TOKEN))
        .with_gcs_hmac(GCS_ID, GCS_SECRET)
        .with_gcs_public_key(&email, public)
        .with_azure_account_key(AZ_ACCOUNT, AZ_KEY)
        .with_azure_account_key("devstoreaccount1", AZ_KEY)
        .with_azure_user_delegation_key(AZ_ACCOUNT, udk(at))
        .with_azure_user_delegation_key("devstoreaccount1", udk(at))
}

fn check(
    url: &str,
    method: Method,
    headers: &[(String, String)],
    keys: &Keyring,
    now: Timestamp,
) -> Result<(), VerifyError> {
    verify(
        &IncomingRequest::new(url, method).with_headers(headers),
        keys,
        now,
        &VerifyOptions::default(),
    )
    .map(drop)
}

// ---------------------------------------------------------------------------------------------
// Published URLs (expected values from AWS and Google, not from this crate).

#[test]
fn aws_documentation_example_verifies() {
    let url = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    let keys = Keyring::new().with_s3(Credentials::new(AK, SK));
    check(url, Method::Get, &[], &keys, t("2013-05-24T00:00:01Z")).unwrap();
    let tampered = url.replace("d404", "d405");
    assert_eq!(
        check(
            &tampered,
            Method::Get,
            &[],
            &keys,
            t("2013-05-24T00:00:01Z")
        )
        .unwrap_err()
        .code(),
        "SIGNATURE_MISMATCH"
    );
}

#[test]
fn google_conformance_urls_verify_with_the_service_account_public_key() {
    let data: serde_json::Value =
        serde_json::from_str(include_str!("vectors/gcs/v4_signatures.json")).unwrap();
    let (email, pem) = service_account();
    let public = presign::verify::RsaPublicKey::from_private_key_pem(&pem).unwrap();
    let keys = Keyring::new().with_gcs_public_key(&email, public);
    let mut n = 0;
    let mut failures = Vec::new();
    for case in data["signingV4Tests"].as_array().unwrap() {
        let desc = case["description"].as_str().unwrap();
        let url = case["expectedUrl"].as_str().unwrap();
        let method: Method = case["method"].as_str().unwrap().parse().unwrap();
        let headers: Vec<(String, String)> = case["headers"]
            .as_object()
            .map(|h| {
                h.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        let at = t(case["timestamp"].as_str().unwrap());
        n += 1;
        if let Err(e) = check(url, method, &headers, &keys, at) {
            failures.push(format!("{desc}: {e}"));
            continue;
        }
        // One flipped hex digit of the signature is refused.
        let flipped = match url.strip_suffix('4') {
            Some(rest) => format!("{rest}5"),
            None => format!("{}4", &url[..url.len() - 1]),
        };
        match check(&flipped, method, &headers, &keys, at) {
            Err(e) if e.code() == "SIGNATURE_MISMATCH" => {}
            other => failures.push(format!("{desc}: tampered signature gave {other:?}")),
        }
    }
    assert_eq!(n, 29);
    assert!(failures.is_empty(), "{failures:#?}");
}

// ---------------------------------------------------------------------------------------------
// Generated requests.

/// A key / blob / object name with the characters that break signers: spaces, `+`, `=`, `%`,
/// `?`, `#`, `&`, slashes, `~`, non-ASCII.
fn name() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            "[a-zA-Z0-9]{1,6}",
            Just(" ".to_owned()),
            Just("+".to_owned()),
            Just("=".to_owned()),
            Just("%".to_owned()),
            Just("%20".to_owned()),
            Just("?".to_owned()),
            Just("#".to_owned()),
            Just("&".to_owned()),
            Just("/".to_owned()),
            Just("~".to_owned()),
            Just("é".to_owned()),
            Just("e\u{301}".to_owned()),
            Just("😀".to_owned()),
            Just("!*'()".to_owned()),
        ],
        1..6,
    )
    .prop_map(|parts| format!("k{}", parts.concat()))
}

/// Up to three of `items`, in order.
fn some_of(items: Vec<&'static str>) -> impl Strategy<Value = Vec<&'static str>> {
    proptest::collection::vec(proptest::bool::ANY, items.len()).prop_map(move |mask| {
        items
            .iter()
            .zip(mask)
            .filter(|(_, keep)| *keep)
            .map(|(i, _)| *i)
            .take(3)
            .collect()
    })
}

fn value() -> impl Strategy<Value = String> {
    "[ -~]{1,12}".prop_map(|v| format!("v{v}"))
}

fn instant() -> impl Strategy<Value = Timestamp> {
    // 2001 … 2090
    (978_307_200i64..3_800_000_000i64).prop_map(|s| Timestamp::from_unix(s).unwrap())
}

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        Just(Method::Get),
        Just(Method::Put),
        Just(Method::Head),
        Just(Method::Delete),
        Just(Method::Post),
    ]
}

#[derive(Clone, Debug)]
struct Case {
    out: Presigned,
    /// The instant to verify at (inside the URL's validity).
    at: Timestamp,
    /// The start the URL names, if any (X-Amz-Date, st).
    start: Option<Timestamp>,
    /// Headers whose values the signature covers (V4 signed headers but host; SAS srh).
    signed: Vec<String>,
    /// Whether the path is signed (false for account SAS: it covers any blob).
    path_signed: bool,
    /// Another method the URL must refuse.
    other_method: Method,
    /// The signing instant (the user-delegation key is made for it).
    signed_at: Timestamp,
    /// Query parameters the signature does not cover.
    unsigned_params: Vec<&'static str>,
    /// Whether an added query parameter must fail (V4 signs the whole query; SAS does not).
    whole_query_signed: bool,
}

/// A V4 (S3 or GCS) URL signed at `at` for `expires` seconds with method `m`: every header but
/// host signed, the whole query signed; `other` (or the next method) must be refused.
fn v4_case(out: Presigned, at: Timestamp, expires: u64, m: Method, other: Method) -> Case {
    let signed = out.headers.0.iter().map(|(n, _)| n.clone()).collect();
    Case {
        out,
        at: at.add_secs(expires as i64 / 2).unwrap(),
        start: Some(at),
        signed,
        path_signed: true,
        other_method: if other == m { next(m) } else { other },
        signed_at: at,
        unsigned_params: vec![],
        whole_query_signed: true,
    }
}

fn s3_case() -> impl Strategy<Value = Case> {
    (
        method(),
        name(),
        some_of(vec![
            "content-type",
            "x-amz-meta-a",
            "content-md5",
            "x-amz-acl",
        ]),
        proptest::collection::vec(value(), 4),
        some_of(vec![
            "response-content-disposition",
            "versionId",
            "partNumber",
            "a b",
            "ü",
        ]),
        1u64..=604_800,
        instant(),
        prop_oneof![
            Just(None),
            Just(Some("http://127.0.0.1:9000".to_owned())),
            Just(Some("https://minio.example:8443/base".to_owned()))
        ],
        proptest::bool::ANY,
        method(),
    )
        .prop_map(
            |(m, key, hnames, values, qnames, expires, at, endpoint, token, other)| {
                let mut r = S3Request::new(m, "my-bucket", key);
                let c = if token {
                    Credentials::new(TEMP_AK, SK).with_session_token(TOKEN)
                } else {
                    Credentials::new(AK, SK)
                };
                r.credentials = Some(c);
                r.endpoint.region = Some("eu-west-1".into());
                r.endpoint.url = endpoint;
                r.expires_in = Some(expires);
                for (n, v) in hnames.iter().zip(&values) {
                    r.headers.push(*n, v.clone());
                }
                for (n, v) in qnames.iter().zip(values.iter().rev()) {
                    r.query.push(*n, v.clone());
                }
                let out = presign::s3::presign(&r, at).unwrap();
                v4_case(out, at, expires, m, other)
            },
        )
}

fn next(m: Method) -> Method {
    match m {
        Method::Get => Method::Put,
        Method::Put => Method::Head,
        Method::Head => Method::Delete,
        Method::Delete => Method::Post,
        Method::Post => Method::Get,
    }
}

fn gcs_case(rsa: bool) -> impl Strategy<Value = Case> {
    (
        method(),
        name(),
        some_of(vec!["content-type", "x-goog-meta-a", "x-goog-resumable"]),
        proptest::collection::vec(value(), 4),
        some_of(vec![
            "response-content-type",
            "generation",
            "userProject",
            "a b",
        ]),
        1u64..=604_800,
        instant(),
        prop_oneof![
            Just((None, None)),
            Just((Some(presign::gcs::UrlStyle::VirtualHosted), None)),
            Just((None, Some("http://127.0.0.1:4443".to_owned())))
        ],
        method(),
    )
        .prop_map(
            move |(m, object, hnames, values, qnames, expires, at, (style, endpoint), other)| {
                let mut r = GcsRequest::new(m, "my-bucket", object);
                r.credentials = Some(if rsa {
                    let (email, pem) = service_account();
                    GcsCreds::service_account_key(email, pem)
                } else {
                    GcsCreds::hmac(GCS_ID, GCS_SECRET)
                });
                r.endpoint.url_style = style;
                r.endpoint.url = endpoint;
                r.expires_in = Some(expires);
                for (n, v) in hnames.iter().zip(&values) {
                    r.headers.push(*n, v.clone());
                }
                for (n, v) in qnames.iter().zip(values.iter().rev()) {
                    r.query.push(*n, v.clone());
                }
                let out = presign::gcs::presign(&r, at).unwrap();
                v4_case(out, at, expires, m, other)
            },
        )
}

/// The permission letters a method needs (the signer's defaults), and a method of another class.
fn azure_method() -> impl Strategy<Value = (Method, Method)> {
    prop_oneof![
        Just((Method::Get, Method::Put)),
        Just((Method::Head, Method::Delete)),
        Just((Method::Put, Method::Get)),
        Just((Method::Delete, Method::Head)),
    ]
}

fn azure_case() -> impl Strategy<Value = Case> {
    let versions: Vec<&'static str> = presign::azure::sas::KNOWN_VERSIONS
        .iter()
        .copied()
        .filter(|v| *v >= "2020-12-06")
        .collect();
    (
        azure_method(),
        prop_oneof![
            Just(SasKind::Service),
            Just(SasKind::Account),
            Just(SasKind::UserDelegation)
        ],
        name(),
        proptest::sample::select(versions),
        instant(),
        1u64..86_400,
        proptest::option::of(0u64..3600),
        proptest::option::of(Just("10.0.0.1-10.0.0.9".to_owned())),
        proptest::bool::ANY,
        proptest::option::of(value()),
        proptest::bool::ANY,
        proptest::bool::ANY,
    )
        .prop_map(
            |(
                (m, other),
                kind,
                blob,
                version,
                at,
                expires,
                skew,
                ip,
                https_only,
                rsct,
                azurite,
                bind,
            )| {
                let (account, endpoint) = if azurite {
                    (
                        "devstoreaccount1",
                        Some("http://127.0.0.1:10000".to_owned()),
                    )
                } else {
                    (AZ_ACCOUNT, None)
                };
                let mut r = AzureRequest::new(m, account, "photos", blob);
                r.endpoint = endpoint;
                r.sas = Some(kind);
                r.version = Some(version.to_owned());
                r.expires_in = Some(expires);
                r.clock_skew = skew;
                r.ip_range = ip;
                if https_only && !azurite {
                    r.protocol = Some(presign::azure::Protocol::Https);
                }
                r.credentials = Some(match kind {
                    SasKind::UserDelegation => AzCreds::user_delegation_key(udk(at)),
                    _ => AzCreds::account_key(AZ_KEY),
                });
                let mut signed = Vec::new();
                if kind != SasKind::Account {
                    r.response_headers.content_type = rsct;
                }
                if kind == SasKind::UserDelegation {
                    r.correlation_id = Some("corr-1".into());
                    if bind && version >= "2026-04-06" {
                        r.request_headers.push("x-ms-bound", "bound value");
                        r.request_query.push("boundq", "q v");
                        signed.push("x-ms-bound".to_owned());
                    }
                }
                let out = presign::azure::presign(&r, at).unwrap();
                let start = skew.map(|s| at.add_secs(-(s as i64)).unwrap());
                Case {
                    out,
                    at: at.add_secs(expires as i64 / 2).unwrap(),
                    start,
                    signed,
                    path_signed: kind != SasKind::Account,
                    other_method: other,
                    signed_at: at,
                    unsigned_params: vec![],
                    whole_query_signed: false,
                }
            },
        )
}

/// The URL split into the part before the query and the raw query pairs (written here).
fn split(url: &str) -> (String, Vec<(String, String)>) {
    let (base, q) = url.split_once('?').unwrap();
    let pairs = q
        .split('&')
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            (n.to_owned(), v.to_owned())
        })
        .collect();
    (base.to_owned(), pairs)
}

fn join(base: &str, pairs: &[(String, String)]) -> String {
    let q: Vec<String> = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect();
    format!("{base}?{}", q.join("&"))
}

/// One mutated request: what changed, URL, method, headers, verification instant.
type Mutation = (String, String, Method, Vec<(String, String)>, Timestamp);

/// The URL verifies as made; every single-field mutation fails.
fn round_trip(c: &Case) -> Result<(), TestCaseError> {
    let keys = keyring(c.signed_at);
    let url = &c.out.url;
    let m = c.out.method;
    let h = &c.out.headers.0;
    let ok = check(url, m, h, &keys, c.at);
    prop_assert!(ok.is_ok(), "{url} {m} {h:?}: {ok:?}");
    ROUND_TRIPS.fetch_add(1, Ordering::Relaxed);

    let mut must_fail: Vec<Mutation> = Vec::new();
    let (base, pairs) = split(url);
    for i in 0..pairs.len() {
        if c.unsigned_params.contains(&pairs[i].0.as_str()) {
            continue;
        }
        let mut changed = pairs.clone();
        changed[i].1.push('x');
        must_fail.push((
            format!("{} changed", pairs[i].0),
            join(&base, &changed),
            m,
            h.clone(),
            c.at,
        ));
        let mut removed = pairs.clone();
        removed.remove(i);
        must_fail.push((
            format!("{} removed", pairs[i].0),
            join(&base, &removed),
            m,
            h.clone(),
            c.at,
        ));
    }
    if c.whole_query_signed {
        let mut added = pairs.clone();
        added.insert(0, ("extra".to_owned(), "1".to_owned()));
        must_fail.push((
            "a parameter added".into(),
            join(&base, &added),
            m,
            h.clone(),
            c.at,
        ));
    }
    if c.path_signed {
        must_fail.push((
            "path".into(),
            join(&format!("{base}x"), &pairs),
            m,
            h.clone(),
            c.at,
        ));
    }
    let (scheme, rest) = base.split_once("://").unwrap();
    must_fail.push((
        "host".into(),
        join(&format!("{scheme}://x{rest}"), &pairs),
        m,
        h.clone(),
        c.at,
    ));
    must_fail.push((
        "method".into(),
        url.clone(),
        c.other_method,
        h.clone(),
        c.at,
    ));
    for name in &c.signed {
        let mut changed = h.clone();
        for (n, v) in changed.iter_mut() {
            if n.eq_ignore_ascii_case(name) {
                v.push('x');
            }
        }
        must_fail.push((
            format!("header {name} changed"),
            url.clone(),
            m,
            changed,
            c.at,
        ));
        let removed: Vec<_> = h
            .iter()
            .filter(|(n, _)| !n.eq_ignore_ascii_case(name))
            .cloned()
            .collect();
        must_fail.push((
            format!("header {name} removed"),
            url.clone(),
            m,
            removed,
            c.at,
        ));
    }
    must_fail.push((
        "at the expiry".into(),
        url.clone(),
        m,
        h.clone(),
        c.out.expires_at,
    ));
    if let Some(st) = c.start {
        let early = st
            .add_secs(-(presign::verify::DEFAULT_CLOCK_SKEW as i64) - 1)
            .unwrap();
        must_fail.push(("before the start".into(), url.clone(), m, h.clone(), early));
    }
    for (what, url, m, h, at) in must_fail {
        let r = check(&url, m, &h, &keys, at);
        prop_assert!(
            r.is_err(),
            "mutation '{what}' still verifies: {url} {m} {h:?}"
        );
        MUTATIONS.fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config("VERIFY_PROPTEST_CASES", 48))]

    #[test]
    fn s3_urls_verify_and_every_mutation_fails(c in s3_case()) {
        round_trip(&c)?;
    }

    #[test]
    fn gcs_hmac_urls_verify_and_every_mutation_fails(c in gcs_case(false)) {
        round_trip(&c)?;
    }

    #[test]
    fn gcs_rsa_urls_verify_and_every_mutation_fails(c in gcs_case(true)) {
        round_trip(&c)?;
    }

    #[test]
    fn azure_sas_verify_and_every_mutation_fails(c in azure_case()) {
        round_trip(&c)?;
    }
}

// ---------------------------------------------------------------------------------------------
// No panics.

/// Near-valid URLs: real schemes, hosts and signature parameter names with arbitrary values,
/// so the verifier gets past its first checks.
fn near_valid_url() -> impl Strategy<Value = String> {
    let names = prop_oneof![
        Just("X-Amz-Algorithm"),
        Just("X-Amz-Credential"),
        Just("X-Amz-Date"),
        Just("X-Amz-Expires"),
        Just("X-Amz-SignedHeaders"),
        Just("X-Amz-Signature"),
        Just("X-Amz-Security-Token"),
        Just("X-Goog-Algorithm"),
        Just("X-Goog-Credential"),
        Just("X-Goog-Date"),
        Just("X-Goog-Expires"),
        Just("X-Goog-SignedHeaders"),
        Just("X-Goog-Signature"),
        Just("sv"),
        Just("sig"),
        Just("sp"),
        Just("se"),
        Just("st"),
        Just("sr"),
        Just("ss"),
        Just("srt"),
        Just("sip"),
        Just("spr"),
        Just("sdd"),
        Just("skoid"),
        Just("sktid"),
        Just("skt"),
        Just("ske"),
        Just("sks"),
        Just("skv"),
        Just("srh"),
        Just("srq"),
        Just("snapshot"),
        Just("versionid"),
        Just("comp"),
        Just("x-amz-date"),
    ];
    let values = prop_oneof![
        Just("AWS4-HMAC-SHA256".to_owned()),
        Just("GOOG4-RSA-SHA256".to_owned()),
        Just("GOOG4-HMAC-SHA256".to_owned()),
        Just("AKIAIOSFODNN7EXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request".to_owned()),
        Just("GOOG1EEXAMPLEACCESSID/20260101/auto/storage/goog4_request".to_owned()),
        Just("20260101T000000Z".to_owned()),
        Just("host".to_owned()),
        Just("content-type%3Bhost".to_owned()),
        Just("2025-07-05".to_owned()),
        Just("2026-10-06".to_owned()),
        Just("racwd".to_owned()),
        Just("b".to_owned()),
        Just("d".to_owned()),
        Just("c".to_owned()),
        Just("2026-01-01T00:00:00Z".to_owned()),
        Just("10.0.0.1-10.0.0.9".to_owned()),
        Just("23657296-5cd5-45b0-a809-d972a7f4dfe1".to_owned()),
        "[0-9]{0,8}",
        "[ -~]{0,16}",
        "(%[0-9A-Fa-f]{0,2}){0,4}",
    ];
    (
        prop_oneof![Just("https://"), Just("http://"), Just("ftp://"), Just("")],
        prop_oneof![
            Just("my-bucket.s3.eu-west-1.amazonaws.com".to_owned()),
            Just("127.0.0.1:10000".to_owned()),
            Just("myaccount.blob.core.windows.net".to_owned()),
            Just("storage.googleapis.com".to_owned()),
            Just("[::1]:9000".to_owned()),
            Just("localhost".to_owned()),
            "[a-z.:\\[\\]0-9]{0,12}",
        ],
        "(/[ -~&&[^?#]]{0,6}){0,4}",
        proptest::collection::vec((names, values), 0..12),
    )
        .prop_map(|(scheme, host, path, params)| {
            let q: Vec<String> = params.iter().map(|(n, v)| format!("{n}={v}")).collect();
            format!("{scheme}{host}{path}?{}", q.join("&"))
        })
}

/// One keyring for every fuzz case (parsing the RSA key per case would dominate the run).
fn fuzz_keys() -> &'static Keyring {
    static KEYS: std::sync::OnceLock<Keyring> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| keyring(t("2026-01-01T00:00:00Z")))
}

proptest! {
    #![proptest_config(config("VERIFY_FUZZ_CASES", 1500))]

    #[test]
    fn arbitrary_text_never_panics(url in "\\PC{0,200}", m in method(), h in proptest::collection::vec(("[ -~]{0,8}", "\\PC{0,8}"), 0..3)) {
        let _ = check(&url, m, &h, fuzz_keys(), t("2026-01-01T00:00:00Z"));
        FUZZED.fetch_add(1, Ordering::Relaxed);
    }

    #[test]
    fn near_valid_urls_never_panic(url in near_valid_url(), m in method(), ip in proptest::option::of(any::<std::net::IpAddr>())) {
        let keys = fuzz_keys();
        let mut req = IncomingRequest::new(&url, m);
        req.client_ip = ip;
        let opts = VerifyOptions { debug: true, ..VerifyOptions::default() };
        let _ = verify(&req, keys, t("2026-01-01T00:00:00Z"), &opts);
        FUZZED.fetch_add(1, Ordering::Relaxed);
    }
}

/// Prints the iteration counts of the tests above that ran in this process before it (the
/// harness runs tests in parallel; the count is a lower bound unless run with
/// `--test-threads=1`, where it is exact when this test sorts last).
#[test]
fn zz_report_iterations() {
    eprintln!(
        "verify_props: {} round trips, {} mutations refused, {} fuzzed URLs (so far in this process)",
        ROUND_TRIPS.load(Ordering::Relaxed),
        MUTATIONS.load(Ordering::Relaxed),
        FUZZED.load(Ordering::Relaxed)
    );
}
