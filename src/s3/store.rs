//! Store profiles: what each S3-compatible store documents about presigned requests, as data.
//!
//! A profile ([`Store::profile`]) knows the store's endpoint shape and default region, its
//! lifetime cap, whether it accepts POST policies and enforces their `content-length-range`,
//! whether it checks the headers a presigned URL signs (so a signed `Content-Length` caps the
//! size), which checksums it verifies on PutObject and on UploadPart, and whether presigned URLs
//! work on a custom domain. Every fact cites the store's own documentation (or, where said so, a
//! measurement in this repository's live tests); a fact the documentation does not settle is
//! [`Fact::Unknown`], and the library then does not rely on it.
//!
//! [`UploadLimits`] ask for "exactly N bytes, at most M, of this type, with this checksum" on a
//! presigned PUT; the signer signs what the store enforces or answers [`Error::Unsupported`]
//! naming the alternative — never a URL that the store would accept without enforcing what was
//! asked.

use crate::checksum::{Algorithm, Checksum};
use crate::error::{msg_at, Error, Result};
use crate::lifetime::MAX_EXPIRES;
use crate::prelude::*;
use crate::types::{Params, Warning};

/// Which store a request is for (the schema's `store`). Default: [`Store::Aws`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Store {
    /// Amazon S3.
    #[default]
    Aws,
    /// Cloudflare R2 (`https://<accountId>.r2.cloudflarestorage.com`, region `auto`).
    R2,
    /// Backblaze B2's S3-compatible API (`https://s3.<region>.backblazeb2.com`).
    B2,
    /// MinIO (self-hosted: give `endpoint`).
    Minio,
    /// SeaweedFS's S3 gateway (self-hosted: give `endpoint`).
    Seaweedfs,
    /// Wasabi (`https://s3.<region>.wasabisys.com`).
    Wasabi,
    /// Google Cloud Storage's XML API with HMAC keys (`https://storage.googleapis.com`).
    GcsXml,
    /// Any other S3-compatible endpoint: no profile, the library's behaviour before profiles.
    Custom,
}

#[cfg(feature = "json")]
crate::schema::json_enum!(Store {
    Aws: "aws",
    R2: "r2",
    B2: "b2",
    Minio: "minio",
    Seaweedfs: "seaweedfs",
    Wasabi: "wasabi",
    GcsXml: "gcs-xml",
    Custom: "custom",
});

/// A documented yes, a documented no, or not known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fact {
    /// Documented (or measured, where the profile says so) to hold.
    Yes,
    /// Documented not to hold.
    No,
    /// Not settled by the store's documentation; the library does not rely on it.
    Unknown,
}

/// What a store does with a checksum header on an upload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChecksumSupport {
    /// The store computes the checksum of the body and refuses a mismatch.
    Verified,
    /// The store refuses the request whatever the body (for example R2's 501 NotImplemented).
    Refused,
    /// Not documented.
    Unknown,
}

/// The position of `a` in the profiles' checksum tables ([`Algorithm::ALL`]'s order).
fn index(a: Algorithm) -> usize {
    Algorithm::ALL
        .iter()
        .position(|x| *x == a)
        .unwrap_or(usize::MAX)
}

/// The upload operation a presigned PUT performs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Upload {
    /// PutObject: a PUT without `partNumber` + `uploadId`.
    PutObject,
    /// UploadPart: a PUT with `partNumber` and `uploadId` in the query.
    UploadPart,
}

impl Upload {
    /// The operation of a PUT with these query parameters.
    pub fn of(query: &Params) -> Upload {
        let has = |n: &str| query.iter().any(|(k, _)| k == n);
        if has("partNumber") && has("uploadId") {
            Upload::UploadPart
        } else {
            Upload::PutObject
        }
    }

    fn name(self) -> &'static str {
        match self {
            Upload::PutObject => "PutObject",
            Upload::UploadPart => "UploadPart",
        }
    }
}

/// What a store documents about presigned requests. Sources are cited beside each profile in
/// this file's constants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Profile {
    /// The store.
    pub store: Store,
    /// Its name in messages ("Cloudflare R2").
    pub name: &'static str,
    /// The region of the credential scope when the request names none.
    pub default_region: &'static str,
    /// The host suffix of the store's S3 API (`r2.cloudflarestorage.com`), where it has one: an
    /// endpoint elsewhere is a custom domain.
    pub api_host_suffix: Option<&'static str>,
    /// Longest lifetime of a presigned URL, in seconds (`None`: not documented; the SigV4 limit
    /// of 7 days applies anyway).
    pub max_expires: Option<u64>,
    /// Accepts browser form uploads signed with a POST policy.
    pub post_policy: Fact,
    /// Enforces a POST policy's `content-length-range`.
    pub content_length_range: Fact,
    /// Checks every header a presigned URL signs (`Content-Length`, `Content-Type`…): a request
    /// with another value fails the signature.
    pub signed_headers: Fact,
    /// Accepts presigned URLs on a custom domain (an endpoint off `api_host_suffix`).
    pub custom_domain: Fact,
    /// Checksums on PutObject, in the order of [`Algorithm::ALL`] (crc32, crc32c, crc64nvme, md5,
    /// sha1, sha256).
    pub put_checksums: [ChecksumSupport; 6],
    /// Checksums on UploadPart, in the order of [`Algorithm::ALL`].
    pub part_checksums: [ChecksumSupport; 6],
}

use ChecksumSupport::{Refused as R, Unknown as U, Verified as V};
use Fact::{No, Unknown, Yes};

/// Amazon S3.
/// - Lifetime 1 s – 7 days: <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html>.
/// - POST policies and `content-length-range`:
///   <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html>.
/// - Signed headers must be sent with the signed values:
///   <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html>.
/// - Presigned uploads: "use Content-MD5" for integrity; the x-amz-checksum-* algorithms were
///   documented as unsupported for presigned URLs and later as supported, so they stay unknown:
///   <https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html>.
///   UploadPart verifies Content-MD5: <https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html>.
/// - Custom domains: not documented for presigned URLs.
const AWS: Profile = Profile {
    store: Store::Aws,
    name: "Amazon S3",
    default_region: "us-east-1",
    api_host_suffix: None,
    max_expires: Some(MAX_EXPIRES),
    post_policy: Yes,
    content_length_range: Yes,
    signed_headers: Yes,
    custom_domain: Unknown,
    put_checksums: [U, U, U, V, U, U],
    part_checksums: [U, U, U, V, U, U],
};

/// Cloudflare R2.
/// - Endpoint `https://<ACCOUNT_ID>.r2.cloudflarestorage.com`, region `auto` (`us-east-1` and
///   empty alias it): <https://developers.cloudflare.com/r2/api/s3/api/>.
/// - Lifetime 1 s – 7 days; POST "is not currently supported"; presigned URLs "cannot be used
///   with custom domains"; a signed header sent with another value → 403 SignatureDoesNotMatch:
///   <https://developers.cloudflare.com/r2/api/s3/presigned-urls/>.
/// - Content-MD5 on PutObject and UploadPart; CRC-64/NVME full-object, CRC-32/CRC-32C/SHA-1/
///   SHA-256 composite: <https://developers.cloudflare.com/r2/api/s3/api/> ("Checksum Types").
///   Per operation, as users report it from R2 in the SDKs' public issue trackers (not in R2's
///   documentation, not measured here): PutObject
///   verifies crc32, crc32c, sha1, sha256 and md5; UploadPart answers 501 to sha1 and sha256.
const R2: Profile = Profile {
    store: Store::R2,
    name: "Cloudflare R2",
    default_region: "auto",
    api_host_suffix: Some("r2.cloudflarestorage.com"),
    max_expires: Some(MAX_EXPIRES),
    post_policy: No,
    content_length_range: No,
    signed_headers: Yes,
    custom_domain: No,
    put_checksums: [V, V, V, V, V, V],
    part_checksums: [U, U, U, V, R, R],
};

/// Backblaze B2 (S3-compatible API).
/// - Endpoint `https://s3.<region>.backblazeb2.com`, HTTPS only, both URL styles; SigV4 only:
///   <https://www.backblaze.com/docs/cloud-storage-call-the-s3-compatible-api>.
/// - Presigned URLs for download and upload:
///   <https://www.backblaze.com/docs/cloud-storage-s3-compatible-api>.
/// - POST Object is not among the supported calls (same page); lifetime cap, checksums and
///   custom domains are not documented there.
const B2: Profile = Profile {
    store: Store::B2,
    name: "Backblaze B2",
    default_region: "us-east-1",
    api_host_suffix: Some("backblazeb2.com"),
    max_expires: None,
    post_policy: No,
    content_length_range: No,
    signed_headers: Yes,
    custom_domain: Unknown,
    put_checksums: [U; 6],
    part_checksums: [U; 6],
};

/// MinIO.
/// - Presigned URLs up to 7 days and POST policies with `content-length-range`
///   (`PresignedPutObject`, `PresignedPostPolicy`, `SetContentLengthRange`):
///   <https://min.io/docs/minio/linux/developers/go/API.html>.
/// - Checksums and custom domains: not documented per operation for presigned requests.
const MINIO: Profile = Profile {
    store: Store::Minio,
    name: "MinIO",
    default_region: "us-east-1",
    api_host_suffix: None,
    max_expires: Some(MAX_EXPIRES),
    post_policy: Yes,
    content_length_range: Yes,
    signed_headers: Yes,
    custom_domain: Unknown,
    put_checksums: [U; 6],
    part_checksums: [U; 6],
};

/// SeaweedFS's S3 gateway.
/// - Presigned URLs: <https://github.com/seaweedfs/seaweedfs/wiki/Amazon-S3-API> ("Presigned URL
///   is supported").
/// - Measured here (tests/servers/README.md, tests/post_live_seaweedfs.py): Expires > 7 days →
///   400; signed headers checked; POST policies with `content-length-range` enforced
///   (EntityTooLarge / EntityTooSmall).
/// - Checksums: not in SeaweedFS's documentation; measured here by tests/s3_live_limits.py against
///   the pinned SeaweedFS (tests/servers/versions.env): every algorithm on PutObject and UploadPart
///   refuses a wrong digest (400) beside the right one (200). A measurement of one version, not a
///   promise of the project: re-run the live test when the pin moves.
const SEAWEEDFS: Profile = Profile {
    store: Store::Seaweedfs,
    name: "SeaweedFS",
    default_region: "us-east-1",
    api_host_suffix: None,
    max_expires: Some(MAX_EXPIRES),
    post_policy: Yes,
    content_length_range: Yes,
    signed_headers: Yes,
    custom_domain: Unknown,
    put_checksums: [V; 6],
    part_checksums: [V; 6],
};

/// Wasabi.
/// - Presigned URLs "valid for up to 7 days":
///   <https://docs.wasabi.com/docs/how-do-i-generate-pre-signed-urls-for-temporary-access-with-wasabi>.
/// - Endpoints `s3.<region>.wasabisys.com`:
///   <https://docs.wasabi.com/docs/what-are-the-service-urls-for-wasabi-s-different-storage-regions>.
/// - POST policies, checksums, custom domains: not documented there.
const WASABI: Profile = Profile {
    store: Store::Wasabi,
    name: "Wasabi",
    default_region: "us-east-1",
    api_host_suffix: Some("wasabisys.com"),
    max_expires: Some(MAX_EXPIRES),
    post_policy: Unknown,
    content_length_range: Unknown,
    signed_headers: Yes,
    custom_domain: Unknown,
    put_checksums: [U; 6],
    part_checksums: [U; 6],
};

/// Google Cloud Storage, XML API with HMAC keys (AWS SigV4 interoperability).
/// - Endpoint `https://storage.googleapis.com` for S3 tools with HMAC keys:
///   <https://cloud.google.com/storage/docs/interoperability>.
/// - Signed URLs last at most 7 days (604800 s):
///   <https://cloud.google.com/storage/docs/access-control/signed-urls>.
/// - POST forms with policy documents exist for GOOG4 signatures
///   (<https://cloud.google.com/storage/docs/xml-api/post-object-forms>); with AWS4 fields they
///   are not documented. Checksums (`x-amz-checksum-*`) and custom domains: not documented.
const GCS_XML: Profile = Profile {
    store: Store::GcsXml,
    name: "Google Cloud Storage (XML API)",
    default_region: "us-east-1",
    api_host_suffix: Some("storage.googleapis.com"),
    max_expires: Some(MAX_EXPIRES),
    post_policy: Unknown,
    content_length_range: Unknown,
    signed_headers: Yes,
    custom_domain: Unknown,
    put_checksums: [U; 6],
    part_checksums: [U; 6],
};

/// Any other endpoint: no profile. Signed headers are part of SigV4 itself (a server that does
/// not check them does not verify signatures):
/// <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html>. POST policies
/// are signed as before profiles (the caller vouches for the server).
const CUSTOM: Profile = Profile {
    store: Store::Custom,
    name: "a custom S3-compatible store",
    default_region: "us-east-1",
    api_host_suffix: None,
    max_expires: None,
    post_policy: Unknown,
    content_length_range: Unknown,
    signed_headers: Yes,
    custom_domain: Unknown,
    put_checksums: [U; 6],
    part_checksums: [U; 6],
};

impl Store {
    /// Every store.
    pub const ALL: [Store; 8] = [
        Store::Aws,
        Store::R2,
        Store::B2,
        Store::Minio,
        Store::Seaweedfs,
        Store::Wasabi,
        Store::GcsXml,
        Store::Custom,
    ];

    /// The store's documented facts.
    pub fn profile(self) -> &'static Profile {
        match self {
            Store::Aws => &AWS,
            Store::R2 => &R2,
            Store::B2 => &B2,
            Store::Minio => &MINIO,
            Store::Seaweedfs => &SEAWEEDFS,
            Store::Wasabi => &WASABI,
            Store::GcsXml => &GCS_XML,
            Store::Custom => &CUSTOM,
        }
    }

    /// The schema's name (`"r2"`).
    pub fn name(self) -> &'static str {
        match self {
            Store::Aws => "aws",
            Store::R2 => "r2",
            Store::B2 => "b2",
            Store::Minio => "minio",
            Store::Seaweedfs => "seaweedfs",
            Store::Wasabi => "wasabi",
            Store::GcsXml => "gcs-xml",
            Store::Custom => "custom",
        }
    }
}

impl Profile {
    /// What the store does with `checksum` on `op`.
    pub fn checksum(&self, op: Upload, checksum: Algorithm) -> ChecksumSupport {
        let table = match op {
            Upload::PutObject => &self.put_checksums,
            Upload::UploadPart => &self.part_checksums,
        };
        table
            .get(index(checksum))
            .copied()
            .unwrap_or(ChecksumSupport::Unknown)
    }

    /// The algorithms the store verifies on `op`, for messages (`"md5, crc32"`, or `"none
    /// documented"`).
    fn verified_list(&self, op: Upload) -> String {
        // Written by hand: `[&str]::join` and its panic paths cost wasm bytes.
        let mut out = String::new();
        for c in Algorithm::ALL {
            if self.checksum(op, c) == ChecksumSupport::Verified {
                if !out.is_empty() {
                    out.push_str(", ");
                }
                out.push_str(c.name());
            }
        }
        if out.is_empty() {
            out.push_str("none documented");
        }
        out
    }
}

/// The endpoint a store's profile builds when the request gives none: `None` for AWS (its own
/// rules) and for stores without a fixed endpoint, which then need `endpoint`.
///
/// # Errors
/// [`Error::InvalidEndpoint`] when the store needs `accountId` or `endpoint`, or `accountId` is
/// given for another store or is not a DNS label.
pub(crate) fn endpoint(
    store: Store,
    account_id: Option<&str>,
    region: Option<&str>,
) -> Result<Option<String>> {
    if account_id.is_some() && store != Store::R2 {
        return Err(Error::InvalidEndpoint(msg_at!(
            "accountId",
            "only R2 endpoints are built from an account id (`store: \"r2\"`)"
        )));
    }
    Ok(match store {
        Store::Aws => None,
        Store::R2 => {
            let id = account_id.ok_or_else(|| {
                Error::InvalidEndpoint(
                    msg_at!("store", "r2 needs `accountId` (or an `endpoint`): R2's S3 API is https://<accountId>.r2.cloudflarestorage.com"),
                )
            })?;
            if id.is_empty()
                || id.len() > 63
                || !id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            {
                return Err(Error::InvalidEndpoint(
                    msg_at!("accountId", "an R2 account id is lower-case letters and digits (32 hex digits in the dashboard)"),
                ));
            }
            Some(crate::text::concat(&[
                "https://",
                id,
                ".r2.cloudflarestorage.com",
            ]))
        }
        Store::B2 => {
            let r = region.ok_or_else(|| {
                Error::InvalidEndpoint(
                    msg_at!("store", "b2 needs `region` (us-west-004…) or an `endpoint`: B2's S3 API is https://s3.<region>.backblazeb2.com"),
                )
            })?;
            Some(crate::text::concat(&["https://s3.", r, ".backblazeb2.com"]))
        }
        Store::Wasabi => Some(crate::text::concat(&[
            "https://s3.",
            region.unwrap_or(WASABI.default_region),
            ".wasabisys.com",
        ])),
        Store::GcsXml => Some("https://storage.googleapis.com".into()),
        Store::Minio | Store::Seaweedfs | Store::Custom => None,
    })
}

/// Whether a self-hosted store was named without its endpoint.
pub(crate) fn needs_endpoint(store: Store) -> bool {
    matches!(store, Store::Minio | Store::Seaweedfs)
}

/// What an upload through a presigned PUT must be (the S3 request's `limits`). The signer signs
/// the headers the store checks, or answers [`Error::Unsupported`] naming the alternative.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UploadLimits {
    /// The exact size in bytes: signed as `Content-Length` (the only size cap a presigned PUT
    /// can carry).
    pub size: Option<u64>,
    /// At most this many bytes. A presigned PUT cannot carry a range: give `size` too (it must
    /// not exceed this), or use a POST policy's `contentLengthRange` where the store enforces
    /// it.
    pub max_size: Option<u64>,
    /// The exact `Content-Type`.
    pub content_type: Option<String>,
    /// The body's checksum, which the store must verify (JSON: `{"algorithm": "sha256", "value":
    /// "<base64>"}`).
    pub checksum: Option<Checksum>,
}

#[cfg(feature = "json")]
crate::schema::json_struct!(UploadLimits {
    required { }
    optional {
        size: "size", max_size: "maxSize", content_type: "contentType", checksum: "checksum",
    }
});

impl UploadLimits {
    /// The headers that make the store enforce these limits on `op`, checked against `profile`.
    ///
    /// # Errors
    /// [`Error::Unsupported`] naming the alternative when the store does not enforce a limit
    /// (or is not documented to); [`Error::InvalidRequest`] for contradictory limits or a
    /// checksum value of the wrong length.
    pub fn headers(&self, profile: &Profile, op: Upload) -> Result<Vec<(&'static str, String)>> {
        let mut out = Vec::new();
        let sized = self.size.is_some() || self.content_type.is_some();
        if sized && profile.signed_headers != Fact::Yes {
            return Err(Error::Unsupported(msg_at!(
                "limits",
                "{} is not documented to check signed headers, so a signed Content-Length or Content-Type would not be a limit",
                profile.name
            )));
        }
        match (self.size, self.max_size) {
            (None, Some(_)) => {
                let alternative = if profile.post_policy == Fact::Yes
                    && profile.content_length_range == Fact::Yes
                {
                    "or a POST policy with `contentLengthRange` (presign post), which this store enforces"
                } else {
                    "this store has no POST policy with an enforced `contentLengthRange` to fall back on"
                };
                return Err(Error::Unsupported(msg_at!(
                    "limits.maxSize",
                    "a presigned PUT cannot carry a size range; give the exact `limits.size` (signed Content-Length), {alternative}"
                )));
            }
            (Some(size), Some(max)) if size > max => {
                return Err(Error::InvalidRequest(msg_at!(
                    "limits.size",
                    "larger than `limits.maxSize`"
                )));
            }
            _ => {}
        }
        if let Some(size) = self.size {
            let mut s = String::new();
            crate::encoding::push_decimal(&mut s, size);
            out.push(("content-length", s));
        }
        if let Some(t) = &self.content_type {
            out.push(("content-type", t.clone()));
        }
        if let Some(c) = &self.checksum {
            match profile.checksum(op, c.algorithm()) {
                ChecksumSupport::Verified => out.push(c.s3_header()),
                support => {
                    let what = if support == ChecksumSupport::Refused {
                        "refuses"
                    } else {
                        "is not documented to verify"
                    };
                    return Err(Error::Unsupported(msg_at!(
                        "limits.checksum",
                        "{} {what} {} on {}; it verifies: {}",
                        profile.name,
                        c.algorithm().name(),
                        op.name(),
                        profile.verified_list(op)
                    )));
                }
            }
        }
        Ok(out)
    }
}

/// Warnings for a presigned URL the store will refuse: a custom domain where the store accepts
/// presigned URLs only on its API host, a checksum header the store refuses on this operation.
pub(crate) fn url_warnings(
    profile: &Profile,
    endpoint: Option<&str>,
    put: Option<Upload>,
    headers: &Params,
    warnings: &mut Vec<Warning>,
) {
    if let (Fact::No, Some(suffix), Some(ep)) =
        (profile.custom_domain, profile.api_host_suffix, endpoint)
    {
        let host = host_of(ep);
        let on_api = host.len() > suffix.len()
            && host.ends_with(suffix)
            && host.as_bytes().get(host.len() - suffix.len() - 1) == Some(&b'.');
        if !on_api {
            warnings.push(Warning {
                code: "STORE_CUSTOM_DOMAIN",
                message: msg_at!(
                    "endpoint",
                    "{} accepts presigned URLs only on its S3 API host (*.{suffix}), not on a custom domain",
                    profile.name
                ),
            });
        }
    }
    let Some(op) = put else { return };
    for (name, _) in headers.iter() {
        let Some(c) = Algorithm::ALL
            .iter()
            .find(|c| c.s3_header_name().eq_ignore_ascii_case(name))
        else {
            continue;
        };
        if profile.checksum(op, *c) == ChecksumSupport::Refused {
            warnings.push(Warning {
                code: "STORE_REFUSES_CHECKSUM",
                message: msg_at!(
                    "headers",
                    "{} refuses {} on {}; it verifies: {}",
                    profile.name,
                    c.name(),
                    op.name(),
                    profile.verified_list(op)
                ),
            });
        }
    }
}

/// A warning when `expires_in` is beyond the store's documented cap.
pub(crate) fn expiry_warning(profile: &Profile, expires_in: u64, warnings: &mut Vec<Warning>) {
    if profile.max_expires.is_some_and(|cap| expires_in > cap) {
        warnings.push(Warning {
            code: "STORE_EXPIRY_CAP",
            message: msg_at!(
                "expiresIn",
                "longer than {} accepts; it refuses the URL",
                profile.name
            ),
        });
    }
}

/// Whether a POST policy will be enforced by the store.
///
/// # Errors
/// [`Error::Unsupported`] when the store refuses POST policies, or (a named profile) is not
/// documented to accept them or to enforce the policy's `content-length-range`.
#[cfg(feature = "post")]
pub(crate) fn check_post(profile: &Profile, has_length_range: bool) -> Result<()> {
    if profile.store == Store::Custom {
        return Ok(());
    }
    let alternative = if profile.signed_headers == Fact::Yes {
        "; sign a presigned PUT with `limits.size` (exact Content-Length) instead"
    } else {
        ""
    };
    let (fact, what) = if profile.post_policy != Fact::Yes {
        (profile.post_policy, "POST policy uploads")
    } else if has_length_range && profile.content_length_range != Fact::Yes {
        (
            profile.content_length_range,
            "a POST policy's content-length-range",
        )
    } else {
        return Ok(());
    };
    let verb = if fact == Fact::No {
        "does not accept"
    } else {
        "is not documented to enforce"
    };
    Err(Error::Unsupported(msg_at!(
        "store",
        "{} {verb} {what}{alternative}",
        profile.name
    )))
}

/// The host of `scheme://host[:port][/…]`. Byte scans, not `str` patterns: the pattern
/// searchers' panic paths pulled core's Unicode tables into the wasm build (presign/s3: 46.7 -> 41.3
/// KB gzip with this and the hand-written list in `verified_list`, node pkg/size.mjs).
fn host_of(endpoint: &str) -> &str {
    let b = endpoint.as_bytes();
    let start = b.windows(3).position(|w| w == b"://").map_or(0, |i| i + 3);
    let end = b
        .iter()
        .skip(start)
        .position(|c| matches!(c, b'/' | b':' | b'?'))
        .map_or(b.len(), |i| start + i);
    endpoint.get(start..end).unwrap_or("")
}

#[cfg(test)]
mod tests;
