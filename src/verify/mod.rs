//! Server-side verification of presigned URLs: the inverse of each signer, for gateways,
//! proxies, local dev servers and tests that receive a presigned URL and must decide whether to
//! serve it.
//!
//! - S3 SigV4 query authentication (`X-Amz-*`),
//!   <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html>; with the cargo
//!   feature `sigv4a`, also S3 SigV4a (`AWS4-ECDSA-P256-SHA256`, Multi-Region Access Points), checked
//!   with the public key derived from the secret ([`crate::sigv4a`]);
//! - Google Cloud Storage V4 signed URLs (`X-Goog-*`): `GOOG4-HMAC-SHA256` with the HMAC secret,
//!   `GOOG4-RSA-SHA256` with the service account's public key or certificate (cargo feature
//!   `gcs-rsa`), <https://cloud.google.com/storage/docs/authentication/signatures>;
//! - Azure Blob service, account and user-delegation SAS (`sv`, `sig`, …),
//!   <https://learn.microsoft.com/rest/api/storageservices/create-service-sas>.
//!
//! # One canonicalisation
//! The verifier takes the URL apart and recomputes the signature through the very functions the
//! signers use — the crate's `sigv4` code for the V4 canonical request and string to sign,
//! [`crate::azure::sas`] for the SAS string-to-sign layouts, its one encoder for every
//! percent-encoding — so a URL verifies here exactly when this crate would have produced it from
//! the same inputs, and the two cannot drift apart.
//!
//! # What is checked
//! The signature (compared in constant time); the algorithm / signed version; the expiry; the
//! start (`X-Amz-Date`, `X-Goog-Date`, `st`), with a clock-skew tolerance for requests dated in
//! the future ([`VerifyOptions::clock_skew`], default 15 minutes as AWS allows); every signed
//! header present in the request (its value is part of the signature); the `Host` header against
//! the URL's host; the credential scope (service, terminator, date, and the region when
//! [`VerifyOptions::region`] is set); SAS permissions against the request's method and target
//! (`sp=r` does not allow a `PUT`), signed services and resource types of an account SAS, the
//! protocol (`spr`), and the IP range (`sip`) when the caller passes the client's address.
//!
//! Checks run in this order: the URL's syntax, the key lookup, the signature, then time, scope,
//! permissions and addresses — so an unauthenticated caller learns nothing but
//! `SIGNATURE_MISMATCH` about a URL it tampered with.
//!
//! # Errors
//! A [`VerifyError`] names the check that failed with a stable [`VerifyError::code`]. It never
//! contains the expected signature; with [`VerifyOptions::debug`] a signature mismatch carries
//! the canonical request and the string to sign (as S3 returns them), which let a client find
//! what it signed differently.
//!
//! ```
//! use presign::s3::{Credentials, S3Request};
//! use presign::verify::{verify, IncomingRequest, Keyring, VerifyOptions};
//! use presign::{Method, Timestamp};
//!
//! let creds = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
//! let mut req = S3Request::new(Method::Put, "my-bucket", "cat 1.jpg");
//! req.credentials = Some(creds.clone());
//! req.headers.push("content-type", "image/jpeg");
//! let now = Timestamp::parse_rfc3339("2026-11-24T10:00:00Z")?;
//! let url = presign::s3::presign(&req, now)?.url;
//!
//! let keys = Keyring::new().with_s3(creds);
//! let headers = [("Content-Type".to_string(), "image/jpeg".to_string())];
//! let incoming = IncomingRequest::new(&url, Method::Put).with_headers(&headers);
//! let later = now.add_secs(60)?;
//! let ok = verify(&incoming, &keys, later, &VerifyOptions::default()).unwrap();
//! assert_eq!(ok.key_id, "AKIAIOSFODNN7EXAMPLE");
//! assert_eq!(ok.expires_at.rfc3339(), "2026-11-24T11:00:00Z");
//!
//! // The same URL used for a GET, or without the signed header, is refused.
//! let get = IncomingRequest::new(&url, Method::Get).with_headers(&headers);
//! assert_eq!(verify(&get, &keys, later, &VerifyOptions::default()).unwrap_err().code(), "SIGNATURE_MISMATCH");
//! let bare = IncomingRequest::new(&url, Method::Put);
//! assert_eq!(verify(&bare, &keys, later, &VerifyOptions::default()).unwrap_err().code(), "MISSING_HEADER");
//! # Ok::<(), presign::Error>(())
//! ```

use crate::prelude::*;

mod azure;
#[cfg(feature = "json")]
mod json;
mod url;
mod v4;

/// A service account's RSA public key, to check `GOOG4-RSA-SHA256` URLs
/// ([`Keyring::with_gcs_public_key`]).
#[cfg(feature = "gcs-rsa")]
pub use crate::crypto::RsaPublicKey;
#[cfg(feature = "json")]
pub use json::{result_json, verify_json};

use crate::azure::UserDelegationKey;
use crate::time::Timestamp;
use crate::types::{Method, Secret};
use core::fmt;
use core::net::IpAddr;
use url::ParsedUrl;

/// The clock-skew tolerance when none is given: 15 minutes, what AWS allows.
pub const DEFAULT_CLOCK_SKEW: u64 = 900;

/// The request a server received: the URL as requested (scheme, host and the raw path and query,
/// exactly as sent), the method, the headers and, if known, the client's address.
#[derive(Clone, Copy, Debug)]
pub struct IncomingRequest<'a> {
    /// The full URL: `scheme://host[:port]/path?query`, path and query as received (not decoded).
    pub url: &'a str,
    /// The request's method.
    pub method: Method,
    /// The request's headers, names in any case. A `Host` header, when present, must name the
    /// URL's host.
    pub headers: &'a [(String, String)],
    /// The client's address; when given, a SAS IP range (`sip`) is checked against it.
    pub client_ip: Option<IpAddr>,
}

impl<'a> IncomingRequest<'a> {
    /// A request without headers or client address.
    pub fn new(url: &'a str, method: Method) -> Self {
        IncomingRequest {
            url,
            method,
            headers: &[],
            client_ip: None,
        }
    }

    /// With these headers.
    pub fn with_headers(mut self, headers: &'a [(String, String)]) -> Self {
        self.headers = headers;
        self
    }

    /// With the client's address.
    pub fn with_client_ip(mut self, ip: IpAddr) -> Self {
        self.client_ip = Some(ip);
        self
    }
}

/// How strict to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Seconds a request may be dated in the future (`X-Amz-Date`, `X-Goog-Date`, `st` after
    /// `now`) and still be accepted: the signer's clock may run ahead. Default
    /// [`DEFAULT_CLOCK_SKEW`]. Expiry is never extended.
    pub clock_skew: u64,
    /// The region this server answers for (S3 and GCS credential scope). `None` accepts any.
    pub region: Option<String>,
    /// The host (`host[:port]`) this server answers for: the URL's must equal it. `None`
    /// accepts any (the signature still binds the V4 host).
    pub host: Option<String>,
    /// Return the canonical request and string to sign in [`Verified::debug`] and with a
    /// `SIGNATURE_MISMATCH` error. Never the expected signature.
    pub debug: bool,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            clock_skew: DEFAULT_CLOCK_SKEW,
            region: None,
            host: None,
            debug: false,
        }
    }
}

/// The identity a URL names, for the caller's key lookup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyId<'a> {
    /// An AWS access key id (`X-Amz-Credential`).
    S3 {
        /// `AKIA…` / `ASIA…`.
        access_key_id: &'a str,
    },
    /// A GCS HMAC access id (`GOOG4-HMAC-SHA256`).
    GcsHmac {
        /// `GOOG1…`.
        access_id: &'a str,
    },
    /// A GCS service account (`GOOG4-RSA-SHA256`).
    GcsServiceAccount {
        /// The service account's e-mail.
        client_email: &'a str,
    },
    /// An Azure storage account (service or account SAS, signed with the account key).
    AzureAccount {
        /// The account name.
        account: &'a str,
    },
    /// An Azure user-delegation key (user-delegation SAS).
    AzureUserDelegation {
        /// The account name.
        account: &'a str,
        /// `skoid`.
        signed_oid: &'a str,
        /// `sktid`.
        signed_tid: &'a str,
    },
}

/// A key that verifies signatures. `Debug` redacts every secret.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum VerifyKey {
    /// AWS credentials: the secret, and the session token URLs signed with them must carry.
    S3(crate::s3::Credentials),
    /// A GCS HMAC secret.
    GcsHmac(Secret),
    /// A GCS service account's public key.
    #[cfg(feature = "gcs-rsa")]
    GcsRsa(crate::crypto::RsaPublicKey),
    /// A GCS service account whose RSA signature was checked outside the crate (WebCrypto in
    /// JS runtimes, an HSM…): `true` when it verified over the string to sign this verifier
    /// builds for the same URL (see [`VerifyOptions::debug`]). Every other check still runs here.
    GcsRsaChecked(bool),
    /// An Azure account key (base64).
    AzureAccountKey(Secret),
    /// An Azure user-delegation key: the SAS's `skoid`, `sktid`, `skt`, `ske`, `sks`, `skv` must
    /// be this key's.
    AzureUserDelegation(UserDelegationKey),
}

/// Finds the key for an identity a URL names. Implemented for closures
/// `Fn(&KeyId) -> Option<VerifyKey>` and for [`Keyring`].
pub trait KeyLookup {
    /// The key of `id`, or `None` when it is unknown.
    fn lookup(&self, id: &KeyId<'_>) -> Option<VerifyKey>;
}

impl<F: Fn(&KeyId<'_>) -> Option<VerifyKey>> KeyLookup for F {
    fn lookup(&self, id: &KeyId<'_>) -> Option<VerifyKey> {
        self(id)
    }
}

/// A fixed set of keys, looked up by identity.
#[derive(Clone, Debug, Default)]
pub struct Keyring {
    entries: Vec<(String, Kind, VerifyKey)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    S3,
    GcsHmac,
    GcsServiceAccount,
    Azure,
    AzureDelegation,
}

impl Keyring {
    /// An empty keyring.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds AWS credentials (found by their access key id).
    pub fn with_s3(mut self, creds: crate::s3::Credentials) -> Self {
        let id = creds.access_key_id.clone();
        self.entries.push((id, Kind::S3, VerifyKey::S3(creds)));
        self
    }

    /// Adds a GCS HMAC key.
    pub fn with_gcs_hmac(mut self, access_id: &str, secret: impl Into<Secret>) -> Self {
        self.entries.push((
            access_id.to_owned(),
            Kind::GcsHmac,
            VerifyKey::GcsHmac(secret.into()),
        ));
        self
    }

    /// Adds a GCS service account's public key.
    #[cfg(feature = "gcs-rsa")]
    pub fn with_gcs_public_key(
        mut self,
        client_email: &str,
        key: crate::crypto::RsaPublicKey,
    ) -> Self {
        self.entries.push((
            client_email.to_owned(),
            Kind::GcsServiceAccount,
            VerifyKey::GcsRsa(key),
        ));
        self
    }

    /// Adds an Azure account key (base64).
    pub fn with_azure_account_key(mut self, account: &str, key: impl Into<Secret>) -> Self {
        self.entries.push((
            account.to_owned(),
            Kind::Azure,
            VerifyKey::AzureAccountKey(key.into()),
        ));
        self
    }

    /// Adds an Azure user-delegation key of `account`.
    pub fn with_azure_user_delegation_key(mut self, account: &str, key: UserDelegationKey) -> Self {
        self.entries.push((
            account.to_owned(),
            Kind::AzureDelegation,
            VerifyKey::AzureUserDelegation(key),
        ));
        self
    }
}

impl KeyLookup for Keyring {
    fn lookup(&self, id: &KeyId<'_>) -> Option<VerifyKey> {
        let (name, kind) = match *id {
            KeyId::S3 { access_key_id } => (access_key_id, Kind::S3),
            KeyId::GcsHmac { access_id } => (access_id, Kind::GcsHmac),
            KeyId::GcsServiceAccount { client_email } => (client_email, Kind::GcsServiceAccount),
            KeyId::AzureAccount { account } => (account, Kind::Azure),
            KeyId::AzureUserDelegation {
                account,
                signed_oid,
                signed_tid,
            } => {
                return self.entries.iter().find_map(|(n, k, key)| match key {
                    VerifyKey::AzureUserDelegation(udk)
                        if *k == Kind::AzureDelegation
                            && n == account
                            && udk.signed_oid == signed_oid
                            && udk.signed_tid == signed_tid =>
                    {
                        Some(key.clone())
                    }
                    _ => None,
                })
            }
        };
        self.entries
            .iter()
            .find(|(n, k, _)| *k == kind && n == name)
            .map(|(_, _, key)| key.clone())
    }
}

/// Which family of presigned URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    /// S3 SigV4 (`X-Amz-*`).
    S3,
    /// Google Cloud Storage V4 (`X-Goog-*`).
    Gcs,
    /// Azure SAS.
    Azure,
}

impl Provider {
    /// `s3`, `gcs`, `azure` (the request schema's provider names).
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::S3 => "s3",
            Provider::Gcs => "gcs",
            Provider::Azure => "azure",
        }
    }
}

/// What the signature covers, for debugging a mismatch.
#[derive(Clone, PartialEq, Eq)]
pub struct DebugInfo {
    /// The V4 canonical request (empty for Azure, which signs the string-to-sign directly).
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
}

impl fmt::Debug for DebugInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DebugInfo")
            .field("canonical_request", &self.canonical_request)
            .field("string_to_sign", &self.string_to_sign)
            .finish()
    }
}

/// A URL that verified: who signed it, what it allows, until when.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verified {
    /// The family of URL.
    pub provider: Provider,
    /// `AWS4-HMAC-SHA256`, `GOOG4-HMAC-SHA256`, `GOOG4-RSA-SHA256`, or the SAS kind:
    /// `SAS-service`, `SAS-account`, `SAS-user-delegation`.
    pub algorithm: &'static str,
    /// The access key id, HMAC access id, service-account e-mail, Azure account name, or the
    /// user-delegation key's object id (`skoid`).
    pub key_id: String,
    /// The method the URL was used with (and allows).
    pub method: Method,
    /// The target as decoded from the URL: `/bucket/key` (path style) or `/key`
    /// (virtual-hosted) for S3 and GCS; `/container/blob` for Azure.
    pub resource: String,
    /// Azure: the signed permissions (`sp`) and the letter that allows this request.
    pub permissions: Option<(String, char)>,
    /// The signed headers (V4), lower-case; `host` included.
    pub signed_headers: Vec<String>,
    /// The signing instant (V4) or the start (`st`), when the URL has one.
    pub not_before: Option<Timestamp>,
    /// The instant the URL stops working.
    pub expires_at: Timestamp,
    /// Azure: the IP range (`sip`) the SAS is limited to — checked only when the request
    /// carried [`IncomingRequest::client_ip`].
    pub ip_range: Option<String>,
    /// With [`VerifyOptions::debug`]: the canonical request and string to sign.
    pub debug: Option<DebugInfo>,
}

/// Which check refused the URL. Each maps to a stable code ([`VerifyError::code`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Check {
    /// `MALFORMED`: the URL or one of its signature parameters cannot be read.
    Malformed,
    /// `NOT_PRESIGNED`: no signature parameters of any known kind.
    NotPresigned,
    /// `UNSUPPORTED`: an algorithm, signed version or feature (stored access policy) this
    /// verifier does not check.
    Unsupported,
    /// `UNKNOWN_KEY`: the key lookup knows no key of the right kind for the URL's identity.
    UnknownKey,
    /// `SIGNATURE_MISMATCH`: the signature is not the one the request's parts give.
    SignatureMismatch,
    /// `EXPIRED`: the URL (or the user-delegation key) has expired.
    Expired,
    /// `NOT_YET_VALID`: dated (or starting, or its user-delegation key starting) further in the
    /// future than the clock skew allows.
    NotYetValid,
    /// `INVALID_EXPIRY`: `X-Amz-Expires` / `X-Goog-Expires` outside 1–604800 seconds.
    InvalidExpiry,
    /// `MISSING_HEADER`: a signed (or SAS-bound) header is not in the request.
    MissingHeader,
    /// `MISSING_PARAMETER`: a SAS-bound query parameter, or the snapshot / version the SAS
    /// names, is not in the URL.
    MissingParameter,
    /// `HOST_MISMATCH`: the `Host` header or [`VerifyOptions::host`] is not the URL's host.
    HostMismatch,
    /// `SCOPE_MISMATCH`: the credential scope's service, terminator, date or region is wrong.
    ScopeMismatch,
    /// `TOKEN_MISMATCH`: the session token is not the credentials' one.
    TokenMismatch,
    /// `PERMISSION_DENIED`: the SAS's permissions, services or resource types do not allow
    /// this method on this target.
    PermissionDenied,
    /// `RESOURCE_MISMATCH`: the URL's path is not what the SAS's resource kind (`sr`) signs.
    ResourceMismatch,
    /// `PROTOCOL_DENIED`: an `spr=https` SAS used over http.
    ProtocolDenied,
    /// `IP_DENIED`: the client's address is outside the SAS's IP range.
    IpDenied,
}

impl Check {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Check::Malformed => "MALFORMED",
            Check::NotPresigned => "NOT_PRESIGNED",
            Check::Unsupported => "UNSUPPORTED",
            Check::UnknownKey => "UNKNOWN_KEY",
            Check::SignatureMismatch => "SIGNATURE_MISMATCH",
            Check::Expired => "EXPIRED",
            Check::NotYetValid => "NOT_YET_VALID",
            Check::InvalidExpiry => "INVALID_EXPIRY",
            Check::MissingHeader => "MISSING_HEADER",
            Check::MissingParameter => "MISSING_PARAMETER",
            Check::HostMismatch => "HOST_MISMATCH",
            Check::ScopeMismatch => "SCOPE_MISMATCH",
            Check::TokenMismatch => "TOKEN_MISMATCH",
            Check::PermissionDenied => "PERMISSION_DENIED",
            Check::ResourceMismatch => "RESOURCE_MISMATCH",
            Check::ProtocolDenied => "PROTOCOL_DENIED",
            Check::IpDenied => "IP_DENIED",
        }
    }
}

/// Why a URL was refused: the failed check, a message naming what was wrong (never the expected
/// signature or a secret), and with [`VerifyOptions::debug`] what the signature was computed
/// over.
///
/// One pointer wide (the fields are boxed): every step of a verifier returns it through `?`, and
/// a wider error is moved field by field at each of them.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifyError(Box<Refusal>);

#[derive(Clone, PartialEq, Eq)]
struct Refusal {
    check: Check,
    message: String,
    debug: Option<DebugInfo>,
}

impl VerifyError {
    pub(crate) fn new(check: Check, message: impl Into<String>) -> Self {
        VerifyError(Box::new(Refusal {
            check,
            message: message.into(),
            debug: None,
        }))
    }

    /// The check that failed.
    pub fn check(&self) -> Check {
        self.0.check
    }

    /// The stable code of the check (`SIGNATURE_MISMATCH`, `EXPIRED`, …).
    pub fn code(&self) -> &'static str {
        self.0.check.code()
    }

    /// The human-readable reason.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// With [`VerifyOptions::debug`], for a signature mismatch: the canonical request and the
    /// string to sign the verifier computed.
    pub fn debug(&self) -> Option<&DebugInfo> {
        self.0.debug.as_ref()
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.0.message)
    }
}

impl fmt::Debug for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl core::error::Error for VerifyError {}

fn fail<T>(check: Check, message: impl Into<String>) -> Result<T, VerifyError> {
    Err(VerifyError::new(check, message))
}

/// `SIGNATURE_MISMATCH` with `message`; with [`VerifyOptions::debug`], the canonical request and
/// string to sign, never the expected signature.
fn signature_mismatch(
    message: &'static str,
    opts: &VerifyOptions,
    canonical_request: &str,
    string_to_sign: &str,
) -> VerifyError {
    let mut e = VerifyError::new(Check::SignatureMismatch, message);
    e.0.debug = debug_info(opts, canonical_request, string_to_sign);
    e
}

/// With [`VerifyOptions::debug`], what the signature covers. Not generic (no closure): one copy
/// in the wasm for every verdict that carries it.
fn debug_info(
    opts: &VerifyOptions,
    canonical_request: &str,
    string_to_sign: &str,
) -> Option<DebugInfo> {
    opts.debug.then(|| DebugInfo {
        canonical_request: canonical_request.to_owned(),
        string_to_sign: string_to_sign.to_owned(),
    })
}

/// Verifies a presigned URL as received by a server.
///
/// `keys` finds the key for the identity the URL names; `now` is the server's clock (the crate
/// never reads one). Returns who signed the URL, what it allows and until when.
///
/// # Errors
/// A [`VerifyError`] whose [`code`](VerifyError::code) names the failed check; see [`Check`].
pub fn verify(
    req: &IncomingRequest<'_>,
    keys: &(impl KeyLookup + ?Sized),
    now: Timestamp,
    opts: &VerifyOptions,
) -> Result<Verified, VerifyError> {
    let url = ParsedUrl::parse(req.url)?;
    // The Host header the client sent must be the URL's (an HTTP server builds the URL from it,
    // but a proxy may be handed both).
    for (name, value) in req.headers {
        if name.eq_ignore_ascii_case("host") && !value.trim().eq_ignore_ascii_case(&url.authority) {
            return fail(
                Check::HostMismatch,
                "the Host header does not name the URL's host",
            );
        }
    }
    if let Some(h) = &opts.host {
        if !h.eq_ignore_ascii_case(&url.authority) {
            return fail(Check::HostMismatch, "the URL's host is not this server's");
        }
    }
    let has = |name: &str| url.query.iter().any(|(n, _)| n == name);
    if has("X-Amz-Algorithm") || has("X-Amz-Signature") {
        v4::verify(&url, req, keys, now, opts, Provider::S3)
    } else if has("X-Goog-Algorithm") || has("X-Goog-Signature") {
        v4::verify(&url, req, keys, now, opts, Provider::Gcs)
    } else if has("sig") {
        azure::verify(&url, req, keys, now, opts)
    } else {
        fail(
            Check::NotPresigned,
            "the URL has no S3 (X-Amz-Signature), GCS (X-Goog-Signature) or Azure SAS (sig) signature",
        )
    }
}

/// The values of the request's header `name` (case-insensitive), in order.
fn header_values<'r>(req: &'r IncomingRequest<'_>, name: &str) -> Vec<&'r str> {
    req.headers
        .iter()
        .filter(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect()
}

/// The not-before and expiry checks shared by every provider: `start` more than the clock skew
/// after `now` is not yet valid; `now` at or after `expires` is expired.
fn check_times(
    start: Option<Timestamp>,
    expires: Timestamp,
    now: Timestamp,
    opts: &VerifyOptions,
) -> Result<(), VerifyError> {
    if let Some(st) = start {
        let skew = i64::try_from(opts.clock_skew).unwrap_or(i64::MAX);
        if st.unix().saturating_sub(now.unix()) > skew {
            return fail(
                Check::NotYetValid,
                "the URL is not valid yet: its start is later than now plus the allowed clock skew",
            );
        }
    }
    if now >= expires {
        return fail(Check::Expired, "the URL has expired");
    }
    Ok(())
}

#[cfg(test)]
mod tests;
