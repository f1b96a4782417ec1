//! The V4 query-string ("presigned") signature shared by AWS SigV4 and Google's GOOG4 — one
//! implementation of the canonical request, string to sign and key derivation for both.
//!
//! Specs: AWS <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html>; Google
//! <https://cloud.google.com/storage/docs/authentication/signatures>. The two differ only in the
//! names collected in a [`Scheme`].
//!
//! Everything here is a pure function of its inputs. Callers pass the path already encoded
//! (S3 and GCS encode once and never normalise), canonical headers from
//! [`crate::encoding::canonical_headers`] (which must include `host`), raw query parameters, and
//! the payload hash (`UNSIGNED-PAYLOAD` for presigned URLs).
//!
//! Signing is two steps so that a signature made elsewhere (WebCrypto, a KMS, IAM `signBlob`)
//! can finish a request: [`prepare`] gives the string to sign, [`Prepared::finish`] takes the
//! signature. [`presign`] does both with an HMAC [`SigningKey`].

use crate::prelude::*;

mod canonical;

use crate::cache;
use crate::crypto::{sha256, HmacKey};
#[cfg(any(feature = "post", feature = "verify", feature = "s3express", test))]
use crate::encoding::hex;
use crate::encoding::{hex32, hex_into};
use crate::error::Result;
use crate::text::part;
use crate::time::{AmzStamp, Timestamp};
use alloc::sync::Arc;
use canonical::{canonical_request, query_head_into};
use zeroize::Zeroizing;

/// The payload hash presigned URLs use.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The names that distinguish one V4 dialect from another.
#[derive(Debug, PartialEq, Eq)]
pub struct Scheme {
    /// Value of the algorithm parameter and first line of the string to sign.
    pub algorithm: &'static str,
    /// Prepended to the secret to derive the signing key (`AWS4`, `GOOG4`).
    pub key_prefix: &'static str,
    /// Last element of the credential scope (`aws4_request`).
    pub terminator: &'static str,
    /// The query parameters the signature sets.
    pub params: ParamNames,
}

/// The names of the query parameters a V4 signature sets, one dialect's spelling.
#[derive(Debug, PartialEq, Eq)]
pub struct ParamNames {
    /// `X-Amz-Algorithm`.
    pub algorithm: &'static str,
    /// `X-Amz-Credential`.
    pub credential: &'static str,
    /// `X-Amz-Date`.
    pub date: &'static str,
    /// `X-Amz-Expires`.
    pub expires: &'static str,
    /// `X-Amz-SignedHeaders`.
    pub signed_headers: &'static str,
    /// `X-Amz-Signature`.
    pub signature: &'static str,
    /// `X-Amz-Security-Token`.
    pub security_token: &'static str,
}

impl ParamNames {
    /// Every name: the first six in the order the fast path writes them (which must be their
    /// byte order, the canonical query's; a test checks it for both dialects), the signature last.
    #[cfg(any(feature = "gcs", feature = "verify"))]
    pub(crate) fn all(&self) -> [&'static str; 7] {
        [
            self.algorithm,
            self.credential,
            self.date,
            self.expires,
            self.security_token,
            self.signed_headers,
            self.signature,
        ]
    }
}

impl Scheme {
    /// The name of the signature parameter (`X-Amz-Signature`).
    pub fn signature_param(&self) -> &'static str {
        self.params.signature
    }
    /// Whether the credential scope names a region: every dialect but SigV4a, whose scope is
    /// `{date}/{service}/{terminator}` (its regions are the signed `X-Amz-Region-Set` parameter).
    pub fn scope_has_region(&self) -> bool {
        // Without the feature there is no SigV4a scheme: the branches on this fold away.
        #[cfg(feature = "sigv4a")]
        return self.algorithm != AWS4_ECDSA_P256_SHA256.algorithm;
        #[cfg(not(feature = "sigv4a"))]
        true
    }
    /// Whether `name` (case-insensitively) is one of the parameters the signature sets.
    #[cfg(feature = "gcs")]
    pub fn is_reserved_param(&self, name: &str) -> bool {
        self.params
            .all()
            .iter()
            .any(|p| p.eq_ignore_ascii_case(name))
    }
}

#[cfg(feature = "s3")]
const AMZ_PARAMS: ParamNames = ParamNames {
    algorithm: "X-Amz-Algorithm",
    credential: "X-Amz-Credential",
    date: "X-Amz-Date",
    expires: "X-Amz-Expires",
    signed_headers: "X-Amz-SignedHeaders",
    signature: "X-Amz-Signature",
    security_token: "X-Amz-Security-Token",
};
#[cfg(feature = "gcs")]
const GOOG_PARAMS: ParamNames = ParamNames {
    algorithm: "X-Goog-Algorithm",
    credential: "X-Goog-Credential",
    date: "X-Goog-Date",
    expires: "X-Goog-Expires",
    signed_headers: "X-Goog-SignedHeaders",
    signature: "X-Goog-Signature",
    security_token: "X-Goog-Security-Token",
};

/// AWS Signature Version 4.
#[cfg(feature = "s3")]
pub const AWS4_HMAC_SHA256: Scheme = Scheme {
    algorithm: "AWS4-HMAC-SHA256",
    key_prefix: "AWS4",
    terminator: "aws4_request",
    params: AMZ_PARAMS,
};
/// S3 Express One Zone's session signature: SigV4 whose token parameter is
/// `X-Amz-S3session-Token` (the `CreateSession` token) instead of `X-Amz-Security-Token`
/// (botocore's `S3ExpressQueryAuth`). The name sorts where the STS token's does (after
/// `X-Amz-Expires`, before `X-Amz-SignedHeaders`), so the fast path's order holds.
#[cfg(feature = "s3express")]
pub const AWS4_HMAC_SHA256_S3EXPRESS: Scheme = Scheme {
    algorithm: "AWS4-HMAC-SHA256",
    key_prefix: "AWS4",
    terminator: "aws4_request",
    params: ParamNames {
        security_token: "X-Amz-S3session-Token",
        ..AMZ_PARAMS
    },
};
/// SigV4a's query parameter naming the regions a signature is valid in (`*` or a comma-separated
/// list); signed, and set from `Auth::region` when the scheme is `AWS4_ECDSA_P256_SHA256`
/// (cargo feature `sigv4a`).
#[cfg(any(feature = "sigv4a", feature = "verify"))]
pub const REGION_SET_PARAM: &str = "X-Amz-Region-Set";

/// AWS SigV4a: an ECDSA P-256 signature of the string to sign, with a key derived from the
/// secret (`AWS4A` + secret; see `crate::sigv4a`, cargo feature `sigv4a`), a scope without a
/// region, and the region set in [`REGION_SET_PARAM`], written from `Auth::region`.
#[cfg(feature = "sigv4a")]
pub const AWS4_ECDSA_P256_SHA256: Scheme = Scheme {
    algorithm: "AWS4-ECDSA-P256-SHA256",
    key_prefix: "AWS4A",
    terminator: "aws4_request",
    params: AMZ_PARAMS,
};
/// Google V4 with an HMAC key.
#[cfg(feature = "gcs")]
pub const GOOG4_HMAC_SHA256: Scheme = Scheme {
    algorithm: "GOOG4-HMAC-SHA256",
    key_prefix: "GOOG4",
    terminator: "goog4_request",
    params: GOOG_PARAMS,
};
/// Google V4 with a service account's RSA key.
#[cfg(feature = "gcs")]
pub const GOOG4_RSA_SHA256: Scheme = Scheme {
    algorithm: "GOOG4-RSA-SHA256",
    key_prefix: "GOOG4",
    terminator: "goog4_request",
    params: GOOG_PARAMS,
};

/// The derived V4 signing key for one (scheme, secret, date, region, service), kept as a keyed
/// HMAC state so each signature costs only the string-to-sign's blocks.
#[derive(Clone, Debug)]
pub struct SigningKey(HmacKey);

impl SigningKey {
    /// Derives `kSigning = HMAC(HMAC(HMAC(HMAC(prefix + secret, date), region), service), terminator)`
    /// (`prefix` `AWS4`/`GOOG4`, terminator `aws4_request`/`goog4_request`). `date` is `YYYYMMDD`.
    pub fn derive(scheme: &Scheme, secret: &str, date: &str, region: &str, service: &str) -> Self {
        let mut k = Zeroizing::new(Vec::with_capacity(scheme.key_prefix.len() + secret.len()));
        k.extend_from_slice(scheme.key_prefix.as_bytes());
        k.extend_from_slice(secret.as_bytes());
        let k_date = Zeroizing::new(HmacKey::new(&k).sign(date.as_bytes()));
        let k_region = Zeroizing::new(HmacKey::new(&*k_date).sign(region.as_bytes()));
        let k_service = Zeroizing::new(HmacKey::new(&*k_region).sign(service.as_bytes()));
        let k_signing =
            Zeroizing::new(HmacKey::new(&*k_service).sign(scheme.terminator.as_bytes()));
        SigningKey(HmacKey::new(&*k_signing))
    }

    /// Hex HMAC of `string_to_sign` (the final SigV4 signature; also the S3 POST-policy signature).
    #[cfg(any(feature = "post", feature = "verify", test))]
    pub fn sign_hex(&self, string_to_sign: &[u8]) -> String {
        hex(&self.0.sign(string_to_sign))
    }
}

/// A small cache of derived signing keys, so presigning many URLs with the same credentials
/// derives the key once per (scheme, secret, date, region, service). Safe to share between
/// threads.
pub struct KeyCache(cache::KeyCache<CacheEntry>);

impl core::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.0.fmt(f)
    }
}

impl Default for KeyCache {
    fn default() -> Self {
        KeyCache(cache::KeyCache::new(CACHE_SIZE))
    }
}

struct CacheEntry {
    key_prefix: &'static str,
    secret: Zeroizing<String>,
    scoped: Arc<ScopedKey>,
}

/// A derived signing key together with what stays the same for every request in its scope:
/// the encoded `X-Amz-Credential` value for one access key id.
#[derive(Debug)]
pub(crate) struct ScopedKey {
    key: SigningKey,
    access_key_id: String,
    date: String,
    region: String,
    service: String,
    terminator: &'static str,
    algorithm: &'static str,
    /// Names of the algorithm, credential and date parameters.
    head_params: [&'static str; 3],
    /// The start of the canonical query, up to the date's value:
    /// `X-Amz-Algorithm=…&X-Amz-Credential=…&X-Amz-Date=` (the credential percent-encoded).
    query_head: String,
    /// The string to sign between the date-time and the hash:
    /// `\n{date}/{region}/{service}/{terminator}\n`.
    scope_line: String,
    /// The key with the start of the last string to sign absorbed (see [`SignedStart`]).
    #[cfg(not(no_std_wasm))]
    signed_start: SignedStart,
}

/// The key with a string to sign's start — algorithm, date-time and scope, 69 bytes for S3 in
/// `us-east-1` — absorbed: what every URL signed in the same second shares, so each skips one of
/// its ~10 SHA-256 blocks (the server builds; the browser builds sign a URL at a time).
#[cfg(not(no_std_wasm))]
struct SignedStart(crate::sync::Lock<Option<(AmzStamp, HmacKey)>>);

#[cfg(not(no_std_wasm))]
impl core::fmt::Debug for SignedStart {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SignedStart(<redacted>)")
    }
}

impl ScopedKey {
    /// The cached start of the canonical query (see `query_head`) if it is the one `auth`
    /// (signing on `date`) needs.
    fn query_head_for(&self, auth: &Auth<'_>, date: &str) -> Option<&str> {
        let s = auth.scheme;
        (self.access_key_id == auth.access_key_id
            && self.date == date
            && self.region == auth.region
            && self.service == auth.service
            && self.terminator == s.terminator
            && self.algorithm == s.algorithm
            && self.head_params == [s.params.algorithm, s.params.credential, s.params.date])
        .then_some(self.query_head.as_str())
    }

    /// The signature of the string to sign at `stamp` whose hash is `digest`, in this key's
    /// scope (its algorithm, date, region, service): `start` (the string to sign up to the hash,
    /// see [`sign_query`]) is absorbed once per second.
    #[cfg(not(no_std_wasm))]
    fn sign_in_scope(&self, stamp: &AmzStamp, start: &[&[u8]], digest: &[u8; 64]) -> [u8; 32] {
        self.with_start(stamp, start, |key| key.sign(digest))
    }

    /// `f` of this key with `start` absorbed at `stamp` (cached for the second).
    #[cfg(not(no_std_wasm))]
    fn with_start<R>(&self, stamp: &AmzStamp, start: &[&[u8]], f: impl FnOnce(&HmacKey) -> R) -> R {
        self.signed_start.0.with(|cached| match cached {
            Some((at, key)) if at == stamp => f(key),
            _ => {
                let key = self.key.0.absorbed(start);
                let out = f(&key);
                *cached = Some((*stamp, key));
                out
            }
        })
    }
}

const CACHE_SIZE: usize = 8;

impl KeyCache {
    /// An empty cache.
    #[cfg(test)]
    pub fn new() -> Self {
        Self::default()
    }

    /// The signing key for these inputs, derived on a miss.
    #[cfg(any(feature = "post", test))]
    pub fn get(
        &self,
        scheme: &Scheme,
        secret: &str,
        date: &str,
        region: &str,
        service: &str,
    ) -> SigningKey {
        self.entry(scheme, secret, None, date, region, service)
            .key
            .clone()
    }

    /// The signing key and the encoded credential of `access_key_id` in this scope, derived
    /// on a miss.
    pub(crate) fn scoped(
        &self,
        scheme: &Scheme,
        secret: &str,
        access_key_id: &str,
        date: &str,
        region: &str,
        service: &str,
    ) -> Arc<ScopedKey> {
        self.entry(scheme, secret, Some(access_key_id), date, region, service)
    }

    /// The entry for these inputs; an `access_key_id` of `None` matches any.
    fn entry(
        &self,
        scheme: &Scheme,
        secret: &str,
        access_key_id: Option<&str>,
        date: &str,
        region: &str,
        service: &str,
    ) -> Arc<ScopedKey> {
        let hit = |e: &CacheEntry| {
            let s = &e.scoped;
            e.key_prefix == scheme.key_prefix
                && s.terminator == scheme.terminator
                && s.date == date
                && s.region == region
                && s.service == service
                && access_key_id.is_none_or(|id| s.access_key_id == id)
                && *e.secret == secret
        };
        let make = || {
            let access_key_id = access_key_id.unwrap_or_default();
            let head_params = [
                scheme.params.algorithm,
                scheme.params.credential,
                scheme.params.date,
            ];
            let mut query_head = String::new();
            query_head_into(
                &mut query_head,
                scheme,
                [access_key_id, date, region, service, scheme.terminator],
            );
            let scoped = Arc::new(ScopedKey {
                key: SigningKey::derive(scheme, secret, date, region, service),
                access_key_id: access_key_id.to_owned(),
                date: date.to_owned(),
                region: region.to_owned(),
                service: service.to_owned(),
                terminator: scheme.terminator,
                algorithm: scheme.algorithm,
                head_params,
                query_head,
                scope_line: crate::text::concat(&[
                    "\n",
                    date,
                    "/",
                    region,
                    "/",
                    service,
                    "/",
                    scheme.terminator,
                    "\n",
                ]),
                #[cfg(not(no_std_wasm))]
                signed_start: SignedStart(crate::sync::Lock::new(None)),
            });
            Ok::<_, core::convert::Infallible>(CacheEntry {
                key_prefix: scheme.key_prefix,
                secret: Zeroizing::new(secret.to_owned()),
                scoped,
            })
        };
        match self.0.get(hit, |e| Arc::clone(&e.scoped), make) {
            Ok(scoped) => scoped,
            Err(never) => match never {},
        }
    }
}

/// Who signs, when, for how long, and in which scope.
#[derive(Clone, Copy, Debug)]
pub struct Auth<'a> {
    /// The dialect: [`AWS4_HMAC_SHA256`], [`GOOG4_HMAC_SHA256`] or [`GOOG4_RSA_SHA256`].
    pub scheme: &'static Scheme,
    /// The access key id (`AKIA…`), HMAC access id or service-account e-mail.
    pub access_key_id: &'a str,
    /// The session token of temporary credentials; signed as `X-Amz-Security-Token`.
    pub session_token: Option<&'a str>,
    /// The signing instant (`X-Amz-Date`).
    // Read by `prepare` and `authorization`: not by the S3 URL signer alone (npm presign/s3).
    #[cfg_attr(not(any(sigv4_prepared, feature = "s3express")), allow(dead_code))]
    pub time: Timestamp,
    /// Region of the credential scope; with [`AWS4_ECDSA_P256_SHA256`], the region set
    /// (`X-Amz-Region-Set`: `*` or a comma-separated list) and no part of the scope.
    pub region: &'a str,
    /// Service of the credential scope (`s3`).
    pub service: &'a str,
    /// `X-Amz-Expires`, seconds.
    pub expires_in: u64,
}

/// The request being presigned.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// HTTP method, upper case.
    pub method: &'a str,
    /// The path exactly as it will appear in the URL (already percent-encoded).
    pub canonical_uri: &'a str,
    /// Extra query parameters, raw (unencoded).
    pub query: &'a [(String, String)],
    /// Canonical headers (lower-case names, sorted, normalised values), `host` included.
    pub headers: &'a [(String, String)],
    /// Hex SHA-256 of the body, or [`UNSIGNED_PAYLOAD`].
    pub payload_hash: &'a str,
}

/// A request ready to be signed: everything but the signature.
#[cfg(any(sigv4_prepared, test))]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prepared {
    /// The canonical request that is hashed.
    pub canonical_request: String,
    /// The string to sign — what an HMAC key or RSA key signs.
    pub string_to_sign: String,
    /// The URL query without the signature (sorted, encoded once).
    pub query: String,
    signature_param: &'static str,
}

/// The output of [`presign`] / [`Prepared::finish`], with every intermediate stage for debugging
/// and test vectors.
#[cfg(any(sigv4_prepared, test))]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    /// The canonical request that was hashed.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The hex signature.
    pub signature: String,
    /// The full query string for the URL: the canonical query plus the signature parameter.
    pub query: String,
}

#[cfg(any(sigv4_prepared, test))]
impl Prepared {
    /// Completes the request with a lower-case hex signature of [`Prepared::string_to_sign`].
    pub fn finish(self, signature_hex: String) -> Signed {
        let mut query = self.query;
        query.reserve(self.signature_param.len() + 2 + signature_hex.len());
        query.push('&');
        query.push_str(self.signature_param);
        query.push('=');
        query.push_str(&signature_hex);
        Signed {
            canonical_request: self.canonical_request,
            string_to_sign: self.string_to_sign,
            signature: signature_hex,
            query,
        }
    }
}

/// The signing instant's date-time (`YYYYMMDD'T'HHMMSS'Z'`) and date (`YYYYMMDD`) as text, taken
/// from the [`AmzStamp`] once per signature (each is written several times).
#[derive(Clone, Copy)]
struct StampText<'a> {
    datetime: &'a str,
    date: &'a str,
}

impl<'a> StampText<'a> {
    fn of(stamp: &'a AmzStamp) -> Self {
        StampText {
            datetime: stamp.datetime(),
            date: stamp.date(),
        }
    }
}

/// Builds the canonical query (auth parameters and `req.query`), the canonical request and the
/// string to sign.
#[cfg(any(sigv4_prepared, test))]
pub fn prepare(req: &Request<'_>, auth: &Auth<'_>) -> Prepared {
    let scheme = auth.scheme;
    let amz = auth.time.amz_stamp();
    let stamp = StampText::of(&amz);
    let (canonical_request, range) = canonical_request(req, None, auth, stamp, None);
    let q = canonical_request.get(range).unwrap_or_default();
    let mut query = String::with_capacity(q.len() + scheme.signature_param().len() + 2 + 64);
    query.push_str(q);

    let digest = hex32(&sha256(canonical_request.as_bytes()));
    let parts = string_to_sign_parts(auth, stamp, &digest);
    let mut string_to_sign = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        // Every part is ASCII text (names, date, hex): never a lossy conversion.
        string_to_sign.push_str(core::str::from_utf8(part).unwrap_or_default());
    }

    Prepared {
        canonical_request,
        string_to_sign,
        query,
        signature_param: scheme.signature_param(),
    }
}

/// A signed query kept inside its canonical request: what [`sign_query`] returns for callers
/// that only need the URL (no string to sign or copies kept).
#[derive(Debug)]
pub(crate) struct SignedQuery {
    canonical_request: String,
    query: core::ops::Range<usize>,
    signature: [u8; 32],
    signature_param: &'static str,
    /// Deferred ([`sign_query`]): the key with the string to sign's start absorbed.
    #[cfg(batch_sign)]
    unsigned: Option<HmacKey>,
}

/// A URL whose signature is left to compute (see [`sign_query`]): its canonical request and
/// the key with its string to sign's start absorbed. The URL ends with the signature's 64 hex
/// digits, zeros until [`Unsigned::finish`] or [`Unsigned::finish_x4`] writes them.
#[cfg(batch_sign)]
#[derive(Debug)]
pub(crate) struct Unsigned {
    canonical_request: String,
    key: HmacKey,
}

#[cfg(batch_sign)]
impl Unsigned {
    /// Computes the signature and writes it over the end of `url`.
    pub(crate) fn finish(&self, url: &mut String) {
        let digest = hex32(&sha256(self.canonical_request.as_bytes()));
        put_signature(url, &self.key.sign(&digest));
    }

    /// [`Unsigned::finish`] of four URLs at once: the canonical requests' hashes, then the
    /// strings to sign's ends, four lanes at a time ([`crate::crypto::sha256_x4`]).
    pub(crate) fn finish_x4(all: [(&Unsigned, &mut String); 4]) {
        let [a, b, c, d] = all;
        let [ua, ub, uc, ud] = [a.0, b.0, c.0, d.0];
        let crs = [ua, ub, uc, ud].map(|u| u.canonical_request.as_bytes());
        let digests = crate::crypto::sha256_x4(crs).map(|d| hex32(&d));
        let keys = [&ua.key, &ub.key, &uc.key, &ud.key];
        let signatures = HmacKey::sign_x4(keys, digests.each_ref().map(|d| &d[..]));
        for (url, signature) in [a.1, b.1, c.1, d.1].into_iter().zip(&signatures) {
            put_signature(url, signature);
        }
    }
}

/// Writes `signature`'s hex over the last 64 characters of `url` (the zeros of a deferred one).
#[cfg(batch_sign)]
fn put_signature(url: &mut String, signature: &[u8; 32]) {
    if let Some(end) = url
        .len()
        .checked_sub(64)
        .filter(|&e| url.is_char_boundary(e))
    {
        url.truncate(end);
        hex_into(url, signature);
    }
}

impl SignedQuery {
    /// None: this build does not defer (see [`sign_query`]).
    #[cfg(all(feature = "s3", not(batch_sign)))]
    pub(crate) fn unsigned(self) -> Option<core::convert::Infallible> {
        None
    }

    /// What remains to compute of a deferred signature ([`sign_query`]), taking the
    /// canonical request with it; None when signed.
    #[cfg(batch_sign)]
    pub(crate) fn unsigned(self) -> Option<Unsigned> {
        let key = self.unsigned?;
        Some(Unsigned {
            canonical_request: self.canonical_request,
            key,
        })
    }

    /// Bytes [`SignedQuery::append_to`] writes.
    pub(crate) fn len(&self) -> usize {
        self.query.len() + 2 + self.signature_param.len() + 64
    }

    /// Appends the canonical query and then the signature parameter (`…&X-Amz-Signature=hex`).
    pub(crate) fn append_to(&self, out: &mut String) -> Result<()> {
        out.reserve(self.len());
        out.push_str(part(&self.canonical_request, self.query.clone())?);
        out.push('&');
        out.push_str(self.signature_param);
        out.push('=');
        hex_into(out, &self.signature);
        Ok(())
    }
}

/// Signs `req` with an HMAC key, like [`presign`], but keeps only the query. `host`, when given,
/// is signed as the `host` header in its sorted place among `req.headers` (which must then not
/// contain `host`), so callers need not copy it into their header list. `stamp` is the signing
/// instant, `auth.time.amz_stamp()`, which the caller already has for the key's date (`auth.time`
/// itself is not read again). With `defer` (the server builds' batches) and a key whose scope is
/// cached, the query is signed but for its signature: its hex is zeros and
/// [`SignedQuery::unsigned`] keeps what computes it ([`Unsigned`]), which a batch does four at a
/// time.
pub(crate) fn sign_query(
    req: &Request<'_>,
    host: Option<&str>,
    auth: &Auth<'_>,
    stamp: &AmzStamp,
    key: &ScopedKey,
    defer: bool,
) -> SignedQuery {
    #[cfg(not(no_std_wasm))]
    let amz = stamp;
    let stamp = StampText::of(stamp);
    let head = key.query_head_for(auth, stamp.date);
    let (canonical_request, query) = canonical_request(req, host, auth, stamp, head);
    // The string to sign up to the hash when the scope is the cached one (`head`): its line of
    // the string to sign is cached too.
    let start = [
        auth.scheme.algorithm.as_bytes(),
        b"\n",
        stamp.datetime.as_bytes(),
        key.scope_line.as_bytes(),
    ];
    #[cfg(batch_sign)]
    if let (true, Some(_)) = (defer, head) {
        return SignedQuery {
            canonical_request,
            query,
            signature: [0; 32],
            signature_param: auth.scheme.signature_param(),
            unsigned: Some(key.with_start(amz, &start, HmacKey::clone)),
        };
    }
    #[cfg(not(batch_sign))]
    let _ = defer;
    let digest = hex32(&sha256(canonical_request.as_bytes()));
    let signature = match head {
        Some(_) => {
            #[cfg(not(no_std_wasm))]
            let signature = key.sign_in_scope(amz, &start, &digest);
            #[cfg(no_std_wasm)]
            let signature = {
                let [a, b, c, d] = start;
                key.key.0.sign_parts(&[a, b, c, d, &digest])
            };
            signature
        }
        None => key
            .key
            .0
            .sign_parts(&string_to_sign_parts(auth, stamp, &digest)),
    };
    SignedQuery {
        canonical_request,
        query,
        signature,
        signature_param: auth.scheme.signature_param(),
        #[cfg(batch_sign)]
        unsigned: None,
    }
}

/// The string to sign as pieces: algorithm, date-time, scope and the hex hash of the canonical
/// request, separated by newlines (hashed without being joined).
fn string_to_sign_parts<'a>(
    auth: &Auth<'a>,
    stamp: StampText<'a>,
    digest_hex: &'a [u8; 64],
) -> [&'a [u8]; 13] {
    let s = auth.scheme;
    // SigV4a's scope has no region: both the region and its separator are left out.
    let (region, slash): (&[u8], &[u8]) = match s.scope_has_region() {
        true => (auth.region.as_bytes(), b"/"),
        false => (b"", b""),
    };
    [
        s.algorithm.as_bytes(),
        b"\n",
        stamp.datetime.as_bytes(),
        b"\n",
        stamp.date.as_bytes(),
        b"/",
        region,
        slash,
        auth.service.as_bytes(),
        b"/",
        s.terminator.as_bytes(),
        b"\n",
        digest_hex,
    ]
}

/// The `Authorization` header value of a header-signed request (not a presigned URL): the
/// canonical request of `req` (its query canonicalised, its headers, which must include `host`
/// and every `x-amz-*` header sent, and its payload hash), signed with `key` in the scope of
/// `auth` (`auth.expires_in` and `auth.session_token` are not read: a session token is one of
/// `req.headers`). Credential exchanges signed with SigV4 (S3 Express `CreateSession`) use it.
#[cfg(feature = "s3express")]
pub(crate) fn authorization(req: &Request<'_>, auth: &Auth<'_>, key: &SigningKey) -> String {
    let amz = auth.time.amz_stamp();
    let stamp = StampText::of(&amz);
    let mut query = crate::encoding::CanonicalQuery::with_capacity(req.query.len());
    for (k, v) in req.query {
        query.push(k, v);
    }
    let signed_names = crate::text::join(
        &req.headers
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>(),
        ";",
    );
    let mut cr = String::new();
    for part in [
        req.method,
        "\n",
        req.canonical_uri,
        "\n",
        &query.finish(0),
        "\n",
    ] {
        cr.push_str(part);
    }
    for (name, value) in req.headers {
        for part in [name.as_str(), ":", value.as_str(), "\n"] {
            cr.push_str(part);
        }
    }
    for part in ["\n", &signed_names, "\n", req.payload_hash] {
        cr.push_str(part);
    }
    let digest = hex32(&sha256(cr.as_bytes()));
    let signature = hex(&key
        .0
        .sign_parts(&string_to_sign_parts(auth, stamp, &digest)));
    let s = auth.scheme;
    crate::text::concat(&[
        s.algorithm,
        " Credential=",
        auth.access_key_id,
        "/",
        stamp.date,
        "/",
        auth.region,
        "/",
        auth.service,
        "/",
        s.terminator,
        ", SignedHeaders=",
        &signed_names,
        ", Signature=",
        &signature,
    ])
}

/// Presigns `req` with an HMAC signing key: [`prepare`], then [`Prepared::finish`] (the signers
/// go through their key caches; the test suites use this).
#[cfg(test)]
pub fn presign(req: &Request<'_>, auth: &Auth<'_>, key: &SigningKey) -> Signed {
    let prepared = prepare(req, auth);
    let signature = key.sign_hex(prepared.string_to_sign.as_bytes());
    prepared.finish(signature)
}

#[cfg(test)]
mod tests;
