//! Google Cloud Storage: V4 signed URLs — `GOOG4-HMAC-SHA256` with an HMAC key, and
//! `GOOG4-RSA-SHA256` with a service account's key, signed natively (cargo feature `gcs-rsa`) or
//! by any external signer (WebCrypto, IAM `signBlob`, a KMS, an HSM) through [`prepare`] and
//! [`PreparedUrl::finish`].
//!
//! Specs: <https://cloud.google.com/storage/docs/authentication/signatures>,
//! <https://cloud.google.com/storage/docs/access-control/signed-urls>,
//! <https://cloud.google.com/storage/docs/authentication/hmackeys>. The canonical request, string
//! to sign and key derivation are the V4 code shared with S3 (the crate's `sigv4` module), with credential scope
//! `{date}/auto/storage/goog4_request`.
//!
//! With an HMAC key:
//!
//! ```
//! use presign::gcs::{Credentials, GcsRequest};
//! use presign::{Method, Timestamp};
//!
//! let mut req = GcsRequest::new(Method::Put, "my-bucket", "uploads/cat 1.jpg");
//! req.credentials = Some(Credentials::hmac("GOOG1EEXAMPLEACCESSID", "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ"));
//! req.headers.push("Content-Type", "image/jpeg");
//! req.expires_in = Some(600);
//!
//! let now = Timestamp::parse_rfc3339("2026-11-24T10:00:00Z")?;
//! let out = presign::gcs::presign(&req, now)?;
//! assert!(out.url.starts_with(
//!     "https://storage.googleapis.com/my-bucket/uploads/cat%201.jpg?X-Goog-Algorithm=GOOG4-HMAC-SHA256\
//!      &X-Goog-Credential=GOOG1EEXAMPLEACCESSID%2F20261124%2Fauto%2Fstorage%2Fgoog4_request\
//!      &X-Goog-Date=20261124T100000Z&X-Goog-Expires=600&X-Goog-SignedHeaders=content-type%3Bhost\
//!      &X-Goog-Signature="));
//! assert_eq!(out.headers.0, vec![("content-type".to_string(), "image/jpeg".to_string())]);
//! # Ok::<(), presign::Error>(())
//! ```
//!
//! With a service account and an external signer (the two-step seam):
//!
//! ```
//! use presign::gcs::{Credentials, GcsRequest};
//! use presign::{Method, Timestamp};
//!
//! let mut req = GcsRequest::new(Method::Get, "my-bucket", "report.pdf");
//! // Only client_email is needed here: the private key stays with the signer.
//! req.credentials = Some(Credentials::service_account("signer@my-project.iam.gserviceaccount.com"));
//! let prepared = presign::gcs::prepare(&req, Timestamp::parse_rfc3339("2026-11-24T10:00:00Z")?)?;
//! assert!(prepared.string_to_sign().starts_with("GOOG4-RSA-SHA256\n20261124T100000Z\n20261124/auto/storage/goog4_request\n"));
//! // ... RSASSA-PKCS1-v1_5/SHA-256 over prepared.string_to_sign() elsewhere, then:
//! let signature_hex = "ab".repeat(256);
//! let out = prepared.finish(&signature_hex)?;
//! assert!(out.url.ends_with(&format!("&X-Goog-Signature={signature_hex}")));
//! # Ok::<(), presign::Error>(())
//! ```

use crate::prelude::*;

mod checks;
mod endpoint;
#[cfg(feature = "post")]
pub mod post;
#[cfg(feature = "gcs-rsa")]
mod rsa;
pub mod sign_blob;

pub use endpoint::{Endpoint, UrlScheme, UrlStyle};

use checks::{check_query, object_path, payload_hash, signed_headers};
pub(crate) use checks::{
    external_signature_bytes, external_signature_hex, no_credentials, signing_identity,
    validate_object,
};

#[cfg(feature = "gcs-rsa")]
use crate::encoding::hex;
use crate::error::msg;
use crate::error::{Error, Result};
use crate::sigv4::{self, KeyCache, Scheme, GOOG4_HMAC_SHA256};
use crate::time::Timestamp;
use crate::types::{Method, Params, Presigned, Secret};
use endpoint::resolve;

pub use crate::lifetime::{DEFAULT_EXPIRES, MAX_EXPIRES};
/// Longest object name GCS accepts, in UTF-8 bytes.
pub const MAX_OBJECT_BYTES: usize = 1024;
/// The credential scope's location: always `auto` for Cloud Storage.
pub const REGION: &str = "auto";
/// The credential scope's service.
pub const SERVICE: &str = "storage";

/// An HMAC key (<https://cloud.google.com/storage/docs/authentication/hmackeys>). `Debug`
/// redacts the secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HmacCredentials {
    /// The access id (`GOOG1E…` for service-account keys).
    pub access_id: String,
    /// The secret.
    pub secret: Secret,
}

#[cfg(feature = "json")]
crate::schema::json_struct!(HmacCredentials {
    required { access_id: "accessId", secret: "secret" }
    optional {}
});

/// A service account's JSON key, as Google issues it (`type`, `client_email`, `private_key`,
/// `universe_domain`, …). Only the fields below are read; the key file's other fields
/// (`project_id`, `private_key_id`, `client_id`, `token_uri`, …) are accepted and ignored, so the
/// file can be passed whole. `Debug` redacts the private key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceAccountKey {
    /// `service_account` when present; other credential types cannot sign URLs.
    pub key_type: Option<String>,
    /// The service account's e-mail: the credential's identity.
    pub client_email: String,
    /// The PEM PKCS#8 RSA key. Needed to sign natively (feature `gcs-rsa`); not needed for an
    /// external signer ([`prepare`] + [`PreparedUrl::finish`]).
    pub private_key: Option<Secret>,
    /// The universe the key belongs to (`googleapis.com` for Google's public cloud); selects
    /// `storage.{universe}` unless the request says otherwise.
    pub universe_domain: Option<String>,
}

#[cfg(feature = "json")]
crate::schema::json_struct!(ServiceAccountKey {
    lenient
    required { client_email: "client_email" }
    optional { key_type: "type", private_key: "private_key", universe_domain: "universe_domain" }
});

/// Who signs: `{"serviceAccount": <key JSON>}` or `{"hmac": {"accessId", "secret"}}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// A service account: `GOOG4-RSA-SHA256`.
    ServiceAccount(ServiceAccountKey),
    /// An HMAC key: `GOOG4-HMAC-SHA256`.
    Hmac(HmacCredentials),
}

#[cfg(feature = "json")]
impl crate::schema::FromJson for Credentials {
    /// `{"serviceAccount": {…}}` or `{"hmac": {…}}`: exactly one member.
    fn from_json(r: &mut crate::schema::Reader<'_>) -> Result<Self> {
        let mut out = None;
        r.object(|r, name| {
            let c = match name {
                "serviceAccount" => {
                    Credentials::ServiceAccount(crate::schema::FromJson::from_json(r)?)
                }
                "hmac" => Credentials::Hmac(crate::schema::FromJson::from_json(r)?),
                _ => return Err(crate::schema::unknown(name)),
            };
            if out.replace(c).is_some() {
                return Err(Error::InvalidRequest(msg!(
                    "expected one of `serviceAccount`, `hmac`, not both"
                )));
            }
            Ok(())
        })?;
        out.ok_or_else(|| Error::InvalidRequest(msg!("expected `serviceAccount` or `hmac`")))
    }
}

impl Credentials {
    /// An HMAC key.
    pub fn hmac(access_id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Credentials::Hmac(HmacCredentials {
            access_id: access_id.into(),
            secret: secret.into(),
        })
    }

    /// A service account without its private key, for an external signer.
    pub fn service_account(client_email: impl Into<String>) -> Self {
        Credentials::ServiceAccount(ServiceAccountKey {
            client_email: client_email.into(),
            ..ServiceAccountKey::default()
        })
    }

    /// A service account with its PEM private key, for native signing (feature `gcs-rsa`).
    pub fn service_account_key(
        client_email: impl Into<String>,
        private_key_pem: impl Into<Secret>,
    ) -> Self {
        Credentials::ServiceAccount(ServiceAccountKey {
            client_email: client_email.into(),
            private_key: Some(private_key_pem.into()),
            ..ServiceAccountKey::default()
        })
    }
}

/// The endpoint builders of a request that holds an [`Endpoint`] (URLs and form uploads).
macro_rules! gcs_endpoint_builders {
    ($ty:ident) => {
        $crate::builders::with_methods!($ty {
            /// Where the request goes, all options at once (one [`Endpoint`] can serve URLs and
            /// form uploads).
            set with_endpoint_options(endpoint: $crate::gcs::Endpoint) => endpoint;
            /// `path` (default), `virtualHosted` or `bucketBound` (with
            /// `with_bucket_bound_hostname`).
            some with_url_style(style: $crate::gcs::UrlStyle) => endpoint.url_style;
            /// The CNAME / load-balancer host of a bucket-bound URL, `[scheme://]host[:port]`.
            into with_bucket_bound_hostname(host: String) => endpoint.bucket_bound_hostname;
            /// `https` (default) or `http`.
            some with_scheme(scheme: $crate::gcs::UrlScheme) => endpoint.scheme;
            /// A custom endpoint or emulator in place of `storage.googleapis.com`.
            into with_endpoint(endpoint: String) => endpoint.url;
            /// The universe domain (default `googleapis.com`, or the key's `universe_domain`).
            into with_universe_domain(domain: String) => endpoint.universe_domain;
        });
    };
}
#[cfg(feature = "post")]
use gcs_endpoint_builders;

/// A signed-URL request for Cloud Storage (the `"provider": "gcs"` member of the request schema).
#[derive(Clone, Debug, Default)]
pub struct GcsRequest {
    /// HTTP method (default GET). A resumable upload starts with POST and the header
    /// `x-goog-resumable: start`.
    pub method: Method,
    /// Bucket name (Google's naming rules).
    pub bucket: String,
    /// Object name, exactly as stored: never normalised, encoded once. `None` signs the bucket
    /// itself (listing objects).
    pub object: Option<String>,
    /// Who signs. Required by the core; the CLI fills it from the environment.
    pub credentials: Option<Credentials>,
    /// Where the request goes: URL style, bucket-bound host, scheme, custom endpoint, universe.
    pub endpoint: Endpoint,
    /// Headers to sign (`content-type`, `content-md5`, `x-goog-meta-*`,
    /// `x-goog-content-length-range: min,max`, `x-goog-resumable: start`…); the client must send
    /// them with exactly these values. `x-goog-content-sha256` replaces `UNSIGNED-PAYLOAD`.
    pub headers: Params,
    /// Extra query parameters to sign (`response-content-disposition`, `response-content-type`,
    /// `generation`, `userProject`…). The signature's own `X-Goog-*` names are reserved.
    pub query: Params,
    /// Lifetime in seconds, 1–604800 (default 3600).
    pub expires_in: Option<u64>,
    /// The signing instant; when absent the caller's `now` is used.
    pub signed_at: Option<Timestamp>,
}

#[cfg(feature = "json")]
crate::schema::json_struct!(GcsRequest {
    required { bucket: "bucket" }
    optional {
        method: "method", object: "object", credentials: "credentials", headers: "headers",
        query: "query", expires_in: "expiresIn", signed_at: "signedAt",
    }
    flatten { endpoint }
});

impl GcsRequest {
    /// A request for one object with everything else at its default (path style on
    /// `https://storage.googleapis.com`, 1 hour).
    pub fn new(method: Method, bucket: impl Into<String>, object: impl Into<String>) -> Self {
        GcsRequest {
            method,
            bucket: bucket.into(),
            object: Some(object.into()),
            ..Self::default()
        }
    }

    /// A request for the bucket itself (listing objects).
    pub fn bucket(method: Method, bucket: impl Into<String>) -> Self {
        GcsRequest {
            method,
            bucket: bucket.into(),
            ..Self::default()
        }
    }
}

crate::builders::with_methods!(GcsRequest {
    /// Who signs.
    some with_credentials(credentials: Credentials) => credentials;
    /// A header to sign; the client must send it with exactly this value.
    push with_header(name, value) => headers;
    /// A query parameter to sign (`response-content-disposition`, `generation`…).
    push with_query(name, value) => query;
    /// How long the URL works: 1 s to 7 days, whole seconds (a fraction is dropped). Default 1
    /// hour.
    secs with_expires_in(lifetime) => expires_in;
});

gcs_endpoint_builders!(GcsRequest);

/// A request with everything but its signature: the external-signer seam. Sign
/// [`PreparedUrl::string_to_sign`] with the credential's key, then [`PreparedUrl::finish`].
#[derive(Clone, Debug)]
pub struct PreparedUrl {
    inner: sigv4::Prepared,
    /// `scheme://authority/path`.
    base_url: String,
    method: Method,
    headers: Params,
    expires_at: Timestamp,
    algorithm: &'static str,
}

impl PreparedUrl {
    /// `GOOG4-RSA-SHA256` or `GOOG4-HMAC-SHA256`: what the signature must be.
    pub fn algorithm(&self) -> &'static str {
        self.algorithm
    }

    /// The canonical request whose SHA-256 is in the string to sign.
    pub fn canonical_request(&self) -> &str {
        &self.inner.canonical_request
    }

    /// The string to sign: RSASSA-PKCS1-v1_5 with SHA-256 for `GOOG4-RSA-SHA256` (WebCrypto
    /// `RSASSA-PKCS1-v1_5` / `SHA-256`, IAM `signBlob`, KMS `RSA_SIGN_PKCS1_2048_SHA256`), HMAC with
    /// the derived V4 key for `GOOG4-HMAC-SHA256`.
    pub fn string_to_sign(&self) -> &str {
        &self.inner.string_to_sign
    }

    /// Completes the URL with a hex signature of [`PreparedUrl::string_to_sign`] (either case).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] if `signature_hex` is not hex of a plausible length for the
    /// algorithm (32 bytes for HMAC, 128–1024 bytes for RSA).
    pub fn finish(self, signature_hex: &str) -> Result<Presigned> {
        let sig = external_signature_hex(self.algorithm, signature_hex)?;
        Ok(self.finish_trusted(sig))
    }

    /// Completes the URL with the raw signature bytes (what WebCrypto's `sign` returns).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a length implausible for the algorithm.
    pub fn finish_bytes(self, signature: &[u8]) -> Result<Presigned> {
        let sig = external_signature_bytes(self.algorithm, signature)?;
        Ok(self.finish_trusted(sig))
    }

    fn finish_trusted(self, signature_hex: String) -> Presigned {
        let signed = self.inner.finish(signature_hex);
        let mut url = self.base_url;
        url.reserve(1 + signed.query.len());
        url.push('?');
        url.push_str(&signed.query);
        Presigned {
            url,
            method: self.method,
            headers: self.headers,
            expires_at: self.expires_at,
            warnings: Vec::new(),
        }
    }
}

/// A reusable GCS presigner: caches derived HMAC signing keys and (feature `gcs-rsa`) parsed
/// RSA keys across calls. Safe to share between threads.
#[derive(Debug, Default)]
pub struct Presigner {
    keys: KeyCache,
    #[cfg(feature = "gcs-rsa")]
    rsa: rsa::RsaKeyCache,
}

impl Presigner {
    /// A presigner with empty caches.
    pub fn new() -> Self {
        Self::default()
    }

    /// Presigns `req`. The signing instant is `req.signed_at` if set, else `now`.
    ///
    /// # Errors
    /// As [`Presigner::prepare`]; also [`Error::InvalidCredentials`] for a service account
    /// without a usable `private_key`, and [`Error::Unsupported`] for a service account when the
    /// crate is built without the `gcs-rsa` feature (use [`Presigner::prepare`] and an external
    /// signer there).
    pub fn presign(&self, req: &GcsRequest, now: Timestamp) -> Result<Presigned> {
        match &req.credentials {
            Some(Credentials::Hmac(h)) => {
                // The HMAC path signs in one pass: no separate string to sign is kept.
                let parts = Parts::new(req, now)?;
                let stamp = parts.time.amz_stamp();
                let key = self.keys.scoped(
                    &GOOG4_HMAC_SHA256,
                    h.secret.expose(),
                    parts.identity,
                    stamp.date(),
                    REGION,
                    SERVICE,
                );
                let signed = sigv4::sign_query(
                    &parts.sigv4_request(req),
                    Some(&parts.target.host),
                    &parts.auth(),
                    &stamp,
                    &key,
                    false,
                );
                let Parts {
                    mut base_url,
                    headers,
                    expires_at,
                    ..
                } = parts;
                base_url.reserve(1 + signed.len());
                base_url.push('?');
                signed.append_to(&mut base_url)?;
                Ok(Presigned {
                    url: base_url,
                    method: req.method,
                    headers: Params(headers),
                    expires_at,
                    warnings: Vec::new(),
                })
            }
            Some(Credentials::ServiceAccount(sa)) => {
                let pem = sa.private_key.as_ref().ok_or_else(|| {
                    Error::InvalidCredentials(msg!("the service-account key has no private_key; to sign elsewhere use prepare() and finish()"))
                })?;
                let prepared = self.prepare(req, now)?;
                self.sign_rsa(pem, prepared)
            }
            None => Err(no_credentials()),
        }
    }

    #[cfg(feature = "gcs-rsa")]
    fn sign_rsa(&self, pem: &Secret, prepared: PreparedUrl) -> Result<Presigned> {
        let key = self.rsa.get(pem.expose())?;
        let signature = key.sign_pkcs1_sha256(prepared.string_to_sign().as_bytes())?;
        Ok(prepared.finish_trusted(hex(&signature)))
    }

    #[cfg(not(feature = "gcs-rsa"))]
    fn sign_rsa(&self, _pem: &Secret, _prepared: PreparedUrl) -> Result<Presigned> {
        Err(Error::Unsupported(msg!("signing with a service-account key needs the `gcs-rsa` cargo feature; without it, sign the string to sign elsewhere (prepare() and finish())")))
    }

    /// Validates `req` and builds its canonical request and string to sign, leaving the
    /// signature to the caller: the external-signer seam. The signing instant is
    /// `req.signed_at` if set, else `now`.
    ///
    /// # Errors
    /// [`Error::InvalidKey`], [`Error::InvalidBucket`], [`Error::InvalidHeader`],
    /// [`Error::InvalidQuery`], [`Error::InvalidExpiry`], [`Error::InvalidEndpoint`],
    /// [`Error::InvalidCredentials`], [`Error::InvalidTime`] — each with the reason.
    pub fn prepare(&self, req: &GcsRequest, now: Timestamp) -> Result<PreparedUrl> {
        let parts = Parts::new(req, now)?;
        // The external signer signs the string to sign, so host goes into the header list.
        let mut headers = parts.headers.clone();
        let host_pos = headers.partition_point(|(n, _)| n.as_str() < "host");
        headers.insert(host_pos, ("host".to_owned(), parts.target.host.clone()));
        let inner = sigv4::prepare(
            &sigv4::Request {
                headers: &headers,
                ..parts.sigv4_request(req)
            },
            &parts.auth(),
        );
        let Parts {
            base_url,
            headers,
            expires_at,
            scheme,
            ..
        } = parts;
        Ok(PreparedUrl {
            inner,
            base_url,
            method: req.method,
            headers: Params(headers),
            expires_at,
            algorithm: scheme.algorithm,
        })
    }
}

/// A validated request, ready for either signing path: everything but the canonical request.
struct Parts<'r> {
    time: Timestamp,
    scheme: &'static Scheme,
    identity: &'r str,
    expires_in: u64,
    target: endpoint::Target,
    /// The caller's canonical headers, without `host`.
    headers: Vec<(String, String)>,
    /// `x-goog-content-sha256` if signed, else `UNSIGNED-PAYLOAD`.
    payload_hash: String,
    /// Encoded path (from the root).
    path: String,
    /// `scheme://authority/path`.
    base_url: String,
    expires_at: Timestamp,
}

impl<'r> Parts<'r> {
    fn new(req: &'r GcsRequest, now: Timestamp) -> Result<Self> {
        let time = req.signed_at.unwrap_or(now);
        let creds = req.credentials.as_ref().ok_or_else(no_credentials)?;
        let (scheme, identity, creds_universe) = signing_identity(creds, "URLs")?;

        let expires_in = crate::lifetime::v4_expires_in(req.expires_in, "V4 signed URLs")?;
        if let Some(object) = &req.object {
            validate_object("object", object)?;
        }

        let target = resolve(&req.endpoint.options(&req.bucket, creds_universe))?;

        let headers = signed_headers(&req.headers)?;
        let payload_hash = payload_hash(&headers)?;
        check_query(&req.query, scheme)?;
        let path = object_path(&target.path_prefix, req.object.as_deref());

        let mut base_url = String::with_capacity(
            target.scheme.len() + 3 + target.authority.len() + path.len() + 400,
        );
        base_url.push_str(target.scheme);
        base_url.push_str("://");
        base_url.push_str(&target.authority);
        base_url.push_str(&path);
        Ok(Parts {
            time,
            scheme,
            identity,
            expires_in,
            target,
            headers,
            payload_hash,
            path,
            base_url,
            expires_at: time.add_secs(i64::try_from(expires_in).unwrap_or(i64::MAX))?,
        })
    }

    fn sigv4_request<'a>(&'a self, req: &'a GcsRequest) -> sigv4::Request<'a> {
        sigv4::Request {
            method: req.method.as_str(),
            canonical_uri: &self.path,
            query: &req.query.0,
            headers: &self.headers,
            payload_hash: &self.payload_hash,
        }
    }

    fn auth(&self) -> sigv4::Auth<'_> {
        sigv4::Auth {
            scheme: self.scheme,
            access_key_id: self.identity,
            session_token: None,
            time: self.time,
            region: REGION,
            service: SERVICE,
            expires_in: self.expires_in,
        }
    }
}

/// Presigns one GCS request without caches (see [`Presigner`] for many URLs).
///
/// # Errors
/// As [`Presigner::presign`].
pub fn presign(req: &GcsRequest, now: Timestamp) -> Result<Presigned> {
    Presigner::new().presign(req, now)
}

/// Prepares one GCS request for an external signer (see [`Presigner::prepare`]).
///
/// # Errors
/// As [`Presigner::prepare`].
pub fn prepare(req: &GcsRequest, now: Timestamp) -> Result<PreparedUrl> {
    Presigner::new().prepare(req, now)
}

#[cfg(test)]
mod tests;
