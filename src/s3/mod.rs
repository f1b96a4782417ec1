//! Amazon S3 and S3-compatible stores (MinIO, Cloudflare R2, SeaweedFS, Backblaze B2, Wasabi…):
//! SigV4 query-string presigned URLs.
//!
//! Spec: <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html>.
//!
//! ```
//! use presign::s3::{Credentials, S3Request};
//! use presign::{Method, Timestamp};
//!
//! let req = S3Request::new(Method::Put, "examplebucket", "photos/cat 1.jpg")
//!     .with_region("eu-west-1")
//!     .with_credentials(Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
//!     .with_header("Content-Type", "image/jpeg")
//!     .with_expires_in(std::time::Duration::from_secs(600));
//!
//! let now = Timestamp::parse_rfc3339("2026-11-24T10:00:00Z")?;
//! let out = presign::s3::presign(&req, now)?;
//! assert!(out.url.starts_with("https://examplebucket.s3.eu-west-1.amazonaws.com/photos/cat%201.jpg?X-Amz-Algorithm="));
//! assert_eq!(out.headers.0, vec![("content-type".to_string(), "image/jpeg".to_string())]);
//! assert_eq!(out.expires_at.rfc3339(), "2026-11-24T10:10:00Z");
//! # Ok::<(), presign::Error>(())
//! ```

use crate::prelude::*;

// The credential exchanges: not in the npm URL entries (wasm without `exchange`), where they would
// change how the shared code is inlined (pkg/size.mjs: presign/s3 +0.4 KB gzip with them).
#[cfg(all(feature = "json", exchanges))]
pub mod cognito;
// Repository-only: reads tests/vectors through tests/common (build.rs sets the cfg).
#[cfg(all(test, presign_vectors))]
mod aws_vectors;
mod endpoint;
pub mod express;
#[cfg(feature = "sigv4a")]
mod mrap;
#[cfg(feature = "post")]
pub mod post;
#[cfg(all(test, presign_vectors, feature = "sigv4a"))]
mod sigv4a_vectors;
pub mod store;
#[cfg(exchanges)]
pub mod sts;

pub use endpoint::{Endpoint, UrlStyle};
pub use store::{Store, UploadLimits};

use crate::encoding::{canonical_headers, encode_path_into};
use crate::error::{indexed, msg, msg_at};
use crate::error::{Error, Result};
use crate::sigv4::{self, KeyCache, AWS4_HMAC_SHA256};
use crate::text::part;
use crate::time::Timestamp;
use crate::types::{CredentialExpiry, Method, Params, Presigned, Secret, Warning};
use endpoint::resolve_into;

pub use crate::lifetime::{DEFAULT_EXPIRES, MAX_EXPIRES};
/// Region when the request names none.
pub const DEFAULT_REGION: &str = "us-east-1";
/// Longest object key S3 accepts, in UTF-8 bytes.
pub const MAX_KEY_BYTES: usize = 1024;

/// AWS credentials. `Debug` redacts the secret and the session token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    /// `AKIA…` / `ASIA…`.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: Secret,
    /// The session token of temporary (STS) credentials.
    pub session_token: Option<Secret>,
    /// When temporary credentials expire; checked against the URL's expiry.
    pub expires_at: Option<Timestamp>,
}

#[cfg(feature = "json")]
crate::schema::json_struct!(Credentials {
    required { access_key_id: "accessKeyId", secret_access_key: "secretAccessKey" }
    optional { session_token: "sessionToken", expires_at: "expiresAt" }
});

impl Credentials {
    /// Long-term credentials.
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<Secret>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
            expires_at: None,
        }
    }

    /// Adds a session token (temporary credentials).
    pub fn with_session_token(mut self, token: impl Into<Secret>) -> Self {
        self.session_token = Some(token.into());
        self
    }

    /// Adds the credentials' expiry.
    pub fn with_expiry(mut self, at: Timestamp) -> Self {
        self.expires_at = Some(at);
        self
    }
}

/// The endpoint builders of a request that holds an [`Endpoint`] (URLs and form uploads).
macro_rules! s3_endpoint_builders {
    ($ty:ident) => {
        $crate::builders::with_methods!($ty {
            /// Where the request goes, all options at once (one [`Endpoint`] can serve URLs and
            /// form uploads).
            set with_endpoint_options(endpoint: $crate::s3::Endpoint) => endpoint;
            /// The region of the credential scope and, for AWS, of the endpoint.
            into with_region(region: String) => endpoint.region;
            /// An S3-compatible store's endpoint, `scheme://host[:port][/base]`.
            into with_endpoint(endpoint: String) => endpoint.url;
            /// Virtual-hosted or path-style URLs (default: virtual-hosted when the bucket allows
            /// it).
            some with_url_style(style: $crate::s3::UrlStyle) => endpoint.url_style;
            /// The AWS dual-stack (IPv6) endpoint.
            set with_dualstack(on: bool) => endpoint.dualstack;
            /// S3 Transfer Acceleration.
            set with_accelerate(on: bool) => endpoint.accelerate;
            /// The AWS FIPS endpoint.
            set with_fips(on: bool) => endpoint.fips;
            /// The store's profile ([`Store`](crate::s3::Store)): endpoint shape, default
            /// region, documented limits.
            set with_store(store: $crate::s3::Store) => endpoint.store;
            /// R2's account id (with `Store::R2`): the endpoint becomes
            /// `https://<accountId>.r2.cloudflarestorage.com`.
            into with_account_id(account_id: String) => endpoint.account_id;
        });
    };
}
#[cfg(feature = "post")]
use s3_endpoint_builders;

/// A presign request for S3 (the `"provider": "s3"` member of the request schema).
#[derive(Clone, Debug, Default)]
pub struct S3Request {
    /// HTTP method (default GET).
    pub method: Method,
    /// Bucket name.
    pub bucket: String,
    /// Object key, exactly as stored: never normalised, encoded once.
    pub key: String,
    /// A "folder" put before the key; a `/` is inserted between them when missing.
    pub key_prefix: Option<String>,
    /// Where the request goes: region, custom endpoint, URL style, AWS endpoint variants.
    pub endpoint: Endpoint,
    /// Who signs. Required by the core; the CLI fills it from the environment.
    pub credentials: Option<Credentials>,
    /// Lifetime in seconds, 1–604800 (default 3600).
    pub expires_in: Option<u64>,
    /// The signing instant; when absent the caller's `now` is used.
    pub signed_at: Option<Timestamp>,
    /// Headers to sign; the client must send them with exactly these values.
    pub headers: Params,
    /// Extra query parameters to sign (`response-content-disposition`, `versionId`,
    /// `partNumber` + `uploadId`, `uploads`…). `X-Amz-*` names are reserved.
    pub query: Params,
    /// What to do when temporary credentials expire before the URL (default `warn`).
    pub credential_expiry: CredentialExpiry,
    /// The regions a Multi-Region Access Point URL is valid in (`X-Amz-Region-Set`): `*` (the
    /// default) or names separated by commas. Only with a `bucket` that is a Multi-Region Access
    /// Point ARN, which is signed with SigV4a (cargo feature `sigv4a`).
    pub region_set: Option<String>,
    /// What a PUT upload must be (exact size, type, checksum): signed as the headers the store
    /// checks, or [`Error::Unsupported`] naming the alternative ([`UploadLimits`]).
    pub limits: Option<UploadLimits>,
}

#[cfg(feature = "json")]
crate::schema::json_struct!(S3Request {
    required { bucket: "bucket", key: "key" }
    optional {
        method: "method", key_prefix: "keyPrefix", credentials: "credentials",
        expires_in: "expiresIn", signed_at: "signedAt", headers: "headers", query: "query",
        credential_expiry: "credentialExpiry", region_set: "regionSet", limits: "limits",
    }
    flatten { endpoint }
});

impl S3Request {
    /// A request for `key` in `bucket`, everything else at its default (AWS, `us-east-1`,
    /// virtual-hosted when the bucket allows it, 1 hour).
    pub fn new(method: Method, bucket: impl Into<String>, key: impl Into<String>) -> Self {
        S3Request {
            method,
            bucket: bucket.into(),
            key: key.into(),
            ..Self::default()
        }
    }
}

crate::builders::with_methods!(S3Request {
    /// Who signs.
    some with_credentials(credentials: Credentials) => credentials;
    /// A "folder" put before the key (a `/` is inserted when missing).
    into with_key_prefix(prefix: String) => key_prefix;
    /// How long the URL works: 1 s to 7 days, whole seconds (a fraction is dropped). Default 1
    /// hour.
    secs with_expires_in(lifetime) => expires_in;
    /// A header to sign; the client must send it with exactly this value.
    push with_header(name, value) => headers;
    /// A query parameter to sign (`response-content-disposition`, `versionId`, `partNumber`…).
    push with_query(name, value) => query;
    /// What to do when temporary credentials expire before the URL (default: warn).
    set with_credential_expiry(policy: CredentialExpiry) => credential_expiry;
    /// What a PUT upload must be ([`UploadLimits`]).
    some with_limits(limits: UploadLimits) => limits;
});

s3_endpoint_builders!(S3Request);

/// Bytes of a presigned URL besides its variable parts: scheme, AWS host name, parameter names,
/// fixed values and the signature.
const URL_ROOM: usize = 400;

/// Headers a caller may not set: the signature's own, or ones the HTTP client sets itself.
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-s3session-token",
    "x-amz-content-sha256",
    "x-amz-algorithm",
    "x-amz-credential",
    "x-amz-expires",
    "x-amz-signedheaders",
    "x-amz-signature",
];

/// What a deferred signature leaves to compute (none in a build without `batch_sign`).
#[cfg(batch_sign)]
type Unsigned = sigv4::Unsigned;
#[cfg(not(batch_sign))]
type Unsigned = core::convert::Infallible;

/// A reusable S3 presigner: caches derived signing keys across calls.
#[derive(Debug, Default)]
pub struct Presigner {
    keys: KeyCache,
    #[cfg(feature = "sigv4a")]
    sigv4a_keys: crate::sigv4a::KeyCache,
}

impl Presigner {
    /// A presigner with an empty key cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Presigns `req`. The signing instant is `req.signed_at` if set, else `now`.
    ///
    /// # Errors
    /// [`Error::InvalidKey`], [`Error::InvalidBucket`], [`Error::InvalidHeader`],
    /// [`Error::InvalidQuery`], [`Error::InvalidExpiry`], [`Error::InvalidEndpoint`],
    /// [`Error::InvalidCredentials`], [`Error::CredentialsExpire`] — each with the reason.
    pub fn presign(&self, req: &S3Request, now: Timestamp) -> Result<Presigned> {
        self.presign_as(req, now, false).map(|(p, _)| p)
    }

    /// [`Presigner::presign`], or with `defer` a URL whose signature is left to compute when
    /// its key's scope is cached (`sigv4::sign_query`): a batch computes four at a time.
    #[cfg(batch_sign)]
    pub(crate) fn presign_unsigned(
        &self,
        req: &S3Request,
        now: Timestamp,
    ) -> Result<(Presigned, Option<sigv4::Unsigned>)> {
        self.presign_as(req, now, true)
    }

    fn presign_as(
        &self,
        req: &S3Request,
        now: Timestamp,
        defer: bool,
    ) -> Result<(Presigned, Option<Unsigned>)> {
        // A Multi-Region Access Point ARN as the bucket: SigV4a (without the feature, the ARN is
        // an invalid bucket name).
        #[cfg(feature = "sigv4a")]
        if let Some(arn) = mrap::parse(&req.bucket)? {
            return self.presign_mrap(req, arn, now).map(|p| (p, None));
        }
        refuse_unsupported(req)?;
        let Start {
            time,
            creds,
            expires_in,
            mut warnings,
            key,
        } = Start::of(req, now)?;
        let region = req.endpoint.region();

        let profile = req.endpoint.store.profile();
        let put = (req.method == Method::Put).then(|| store::Upload::of(&req.query));
        store_warnings(req, profile, expires_in, put, &mut warnings);
        // One allocation for the URL: scheme, host, path, and room for the signed query.
        let mut url = String::with_capacity(url_capacity(req, region, creds, key.len));
        let (host, scheme, service) = resolve_host(req, &mut url)?;
        let headers = headers_to_sign(req, profile, put)?;
        check_query(&req.query)?;

        let path_start = host.end;
        key.push_path(&mut url, &req.key);

        let stamp = time.amz_stamp();
        let signing_key = self.keys.scoped(
            scheme,
            creds.secret_access_key.expose(),
            &creds.access_key_id,
            stamp.date(),
            region,
            service,
        );
        let signed = sigv4::sign_query(
            &sigv4::Request {
                method: req.method.as_str(),
                canonical_uri: part(&url, path_start..)?,
                query: &req.query.0,
                headers: &headers,
                payload_hash: sigv4::UNSIGNED_PAYLOAD,
            },
            Some(part(&url, host)?),
            &sigv4::Auth {
                scheme,
                access_key_id: &creds.access_key_id,
                session_token: creds.session_token.as_ref().map(Secret::expose),
                time,
                region,
                service,
                expires_in,
            },
            &stamp,
            &signing_key,
            defer,
        );
        url.reserve(1 + signed.len());
        url.push('?');
        signed.append_to(&mut url)?;

        let presigned = Presigned {
            url,
            method: req.method,
            headers: Params(headers),
            expires_at: time.add_secs(i64::try_from(expires_in).unwrap_or(i64::MAX))?,
            warnings,
        };
        Ok((presigned, signed.unsigned()))
    }
}

/// What an ordinary bucket cannot be signed for: a region set (SigV4a's, for a Multi-Region
/// Access Point ARN), and a directory bucket without the S3 Express build — refused, never
/// signed as an ordinary bucket (a URL AWS would refuse with no hint).
fn refuse_unsupported(req: &S3Request) -> Result<()> {
    if req.region_set.is_some() {
        return Err(Error::InvalidRequest(msg_at!(
            "regionSet",
            "needs a Multi-Region Access Point ARN as `bucket` (feature sigv4a)"
        )));
    }
    #[cfg(not(feature = "s3express"))]
    if express::is_directory_bucket(&req.bucket) {
        return Err(express::unsupported());
    }
    Ok(())
}

/// The store profile's warnings: its longest lifetime, and what its URLs or uploads lack.
fn store_warnings(
    req: &S3Request,
    profile: &store::Profile,
    expires_in: u64,
    put: Option<store::Upload>,
    warnings: &mut Vec<Warning>,
) {
    store::expiry_warning(profile, expires_in, warnings);
    store::url_warnings(
        profile,
        req.endpoint.url.as_deref(),
        put,
        &req.headers,
        warnings,
    );
}

/// Writes the endpoint into `url`; the host's range in it, the scheme and the service. A
/// directory bucket (S3 Express One Zone) has its zonal endpoint, service and token name.
fn resolve_host(
    req: &S3Request,
    url: &mut String,
) -> Result<(
    core::ops::Range<usize>,
    &'static sigv4::Scheme,
    &'static str,
)> {
    let options = req.endpoint.options(&req.bucket);
    #[cfg(feature = "s3express")]
    if let Some(zone) = express::zone_id(&req.bucket)? {
        return Ok((
            express::resolve_into(&options, zone, url)?,
            &sigv4::AWS4_HMAC_SHA256_S3EXPRESS,
            express::SERVICE,
        ));
    }
    Ok((resolve_into(&options, url)?, &AWS4_HMAC_SHA256, "s3"))
}

/// The headers the URL signs: the caller's, and with `limits` (PUT only) the headers that
/// enforce them.
fn headers_to_sign(
    req: &S3Request,
    profile: &store::Profile,
    put: Option<store::Upload>,
) -> Result<Vec<(String, String)>> {
    let Some(limits) = &req.limits else {
        return signed_headers(&req.headers);
    };
    let Some(op) = put else {
        return Err(Error::InvalidRequest(msg_at!(
            "limits",
            "upload limits apply to PUT requests"
        )));
    };
    let mut all = req.headers.clone();
    for (name, value) in limits.headers(profile, op)? {
        all.push(name, value);
    }
    signed_headers(&all)
}

/// What SigV4 and SigV4a signing (a Multi-Region Access Point) both start with.
struct Start<'r> {
    /// The signing instant.
    time: Timestamp,
    /// The credentials, checked.
    creds: &'r Credentials,
    /// The URL's lifetime, seconds.
    expires_in: u64,
    /// The warnings so far (temporary credentials expiring first).
    warnings: Vec<Warning>,
    /// The object's path, checked.
    key: ObjectKey<'r>,
}

impl<'r> Start<'r> {
    fn of(req: &'r S3Request, now: Timestamp) -> Result<Self> {
        let time = req.signed_at.unwrap_or(now);
        let creds = req
            .credentials
            .as_ref()
            .ok_or_else(|| Error::InvalidCredentials(msg_at!("credentials", "not given")))?;
        validate_credentials(creds)?;
        let mut warnings = Vec::new();
        let expires_in = expiry(
            req.expires_in,
            req.credential_expiry,
            creds,
            time,
            &mut warnings,
        )?;
        let key = ObjectKey::of(req)?;
        Ok(Start {
            time,
            creds,
            expires_in,
            warnings,
            key,
        })
    }
}

/// The object's path: `keyPrefix` (with a `/` after it unless it ends in one) and the key, both
/// verbatim, checked before anything is written.
struct ObjectKey<'r> {
    prefix: Option<&'r str>,
    slash: bool,
    /// Bytes of prefix, slash and key.
    len: usize,
}

impl<'r> ObjectKey<'r> {
    fn of(req: &'r S3Request) -> Result<Self> {
        let prefix = req.key_prefix.as_deref().filter(|p| !p.is_empty());
        let slash = prefix.is_some_and(|p| !p.ends_with('/'));
        let len = prefix.map_or(0, str::len) + usize::from(slash) + req.key.len();
        if req.key.is_empty() {
            return Err(Error::InvalidKey(msg_at!("key", "empty")));
        }
        if len > MAX_KEY_BYTES {
            return Err(Error::InvalidKey(msg_at!(
                "key",
                "longer (with `keyPrefix`) than the {MAX_KEY_BYTES} bytes of UTF-8 S3 allows"
            )));
        }
        Ok(ObjectKey { prefix, slash, len })
    }

    /// Appends `/`, the encoded prefix and the encoded `key`.
    fn push_path(&self, url: &mut String, key: &str) {
        url.push('/');
        if let Some(p) = self.prefix {
            encode_path_into(url, p);
            if self.slash {
                url.push('/');
            }
        }
        encode_path_into(url, key);
    }
}

/// Room for the whole URL: scheme, host, path and the signed query, each at its worst encoding.
fn url_capacity(req: &S3Request, region: &str, creds: &Credentials, key_len: usize) -> usize {
    URL_ROOM
        + req.bucket.len() * 4
        + req.endpoint.url.as_ref().map_or(0, String::len)
        + req.endpoint.account_id.as_ref().map_or(0, String::len)
        + region.len() * 4
        + creds.access_key_id.len() * 3
        + creds
            .session_token
            .as_ref()
            .map_or(0, |t| t.expose().len() * 3)
        + key_len * 3
        + req
            .headers
            .iter()
            .map(|(n, _)| n.len() * 3 + 3)
            .sum::<usize>()
        + req
            .query
            .iter()
            .map(|(n, v)| (n.len() + v.len()) * 3 + 2)
            .sum::<usize>()
}

/// The caller's headers, validated and canonicalised (`host` is signed beside them).
fn signed_headers(given: &Params) -> Result<Vec<(String, String)>> {
    for (i, (name, _)) in given.iter().enumerate() {
        if RESERVED_HEADERS
            .iter()
            .any(|r| r.eq_ignore_ascii_case(name))
        {
            return Err(Error::InvalidHeader(msg_at!(&indexed("headers", i), "this header is set by the signature or the HTTP client and cannot be signed as a caller header")));
        }
    }
    let headers = canonical_headers(given.iter())?;
    // canonical_headers joins repeated names with ','; for a caller that is ambiguous input.
    if headers.len() != given.0.len() {
        return Err(Error::InvalidHeader(msg!(
            "a header is given more than once (names are case-insensitive)"
        )));
    }
    Ok(headers)
}

/// The caller's query parameters: named, and none of the signature's own `X-Amz-*`.
fn check_query(query: &Params) -> Result<()> {
    for (i, (name, _)) in query.iter().enumerate() {
        if name.is_empty() {
            return Err(Error::InvalidQuery(msg_at!(
                &indexed("query", i),
                "the name is empty"
            )));
        }
        if name.len() >= 6
            && name
                .get(..6)
                .is_some_and(|p| p.eq_ignore_ascii_case("x-amz-"))
        {
            return Err(Error::InvalidQuery(msg_at!(&indexed("query", i), "X-Amz-* parameters are reserved for the signature (sign x-amz-* headers through `headers`)")));
        }
    }
    Ok(())
}

/// Presigns one S3 request without a key cache (see [`Presigner`] for many URLs).
///
/// # Errors
/// As [`Presigner::presign`].
pub fn presign(req: &S3Request, now: Timestamp) -> Result<Presigned> {
    Presigner::new().presign(req, now)
}

fn validate_credentials(c: &Credentials) -> Result<()> {
    let id = &c.access_key_id;
    if id.is_empty() {
        return Err(Error::InvalidCredentials(msg_at!(
            "credentials.accessKeyId",
            "empty"
        )));
    }
    if !id.bytes().all(|b| b.is_ascii_graphic() && b != b'/') {
        return Err(Error::InvalidCredentials(msg_at!(
            "credentials.accessKeyId",
            "may contain only visible ASCII characters other than '/'"
        )));
    }
    if c.secret_access_key.expose().is_empty() {
        return Err(Error::InvalidCredentials(msg_at!(
            "credentials.secretAccessKey",
            "empty"
        )));
    }
    if c.session_token
        .as_ref()
        .is_some_and(|t| t.expose().is_empty())
    {
        return Err(Error::InvalidCredentials(msg_at!(
            "credentials.sessionToken",
            "empty"
        )));
    }
    Ok(())
}

/// The URL's lifetime: the 7-day rule, then the credential-expiry policy of temporary
/// credentials (shared by URLs and POST policies).
pub(crate) fn expiry(
    expires_in: Option<u64>,
    policy: CredentialExpiry,
    creds: &Credentials,
    time: Timestamp,
    warnings: &mut Vec<Warning>,
) -> Result<u64> {
    let expires_in = crate::lifetime::v4_expires_in(expires_in, "SigV4 presigned URLs")?;
    let Some(cred_exp) = creds.expires_at else {
        return Ok(expires_in);
    };
    let expires = time.add_secs(i64::try_from(expires_in).unwrap_or(i64::MAX))?;
    let names = ("credentials.expiresAt", "the credentials", "the URL");
    let expires =
        crate::lifetime::credential_expiry(policy, cred_exp, expires, time, names, warnings)?;
    Ok((expires.unix() - time.unix()).unsigned_abs())
}
