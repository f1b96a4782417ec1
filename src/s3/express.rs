//! S3 Express One Zone: directory buckets (`name--{azid}--x-s3`), their zonal endpoints, the
//! `CreateSession` exchange (sans-io: request builder and response parser) and presigned URLs
//! signed with the session's credentials.
//!
//! A directory bucket is recognised by its `--x-s3` suffix, as the AWS SDKs do:
//! [`presign`](super::presign) then addresses `https://{bucket}.s3express-{azid}.{region}.amazonaws.com`,
//! signs with the SigV4 service name `s3express` and puts the credentials' session token in
//! `X-Amz-S3session-Token` (instead of `X-Amz-Security-Token`) — what botocore's
//! `S3ExpressQueryAuth` does. The session token is the one [`CreateSession`] returns; session
//! credentials last 5 minutes, and their `expires_at` bounds the URL through the request's
//! `credential_expiry` policy (warn, error or clamp).
//!
//! All of it but [`is_directory_bucket`] and the constants needs the cargo feature `s3express`
//! (default; the npm entries `presign/s3express`, `presign/credentials` and `presign/verify`).
//! Without it a directory bucket is refused with [`Error::Unsupported`]: signed as an ordinary
//! bucket, its URL would be one AWS refuses.
//!
//! Spec: <https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateSession.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-express-Regions-and-Zones.html>.
//!
//! ```
//! use presign::s3::express::CreateSession;
//! use presign::s3::{Credentials, S3Request};
//! use presign::{CredentialExpiry, Method, Timestamp};
//!
//! let now = Timestamp::parse_rfc3339("2026-11-24T10:00:00Z")?;
//! let iam = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
//! let create = CreateSession::new("photos--usw2-az1--x-s3", iam).with_region("us-west-2");
//! let http = create.build(now)?;
//! assert_eq!(http.url, "https://photos--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com/?session");
//! // ... send it with your HTTP client, then:
//! # let body = "<CreateSessionResult><Credentials><SessionToken>TOKEN</SessionToken>\
//! #   <SecretAccessKey>SECRET</SecretAccessKey><AccessKeyId>ASIAEXAMPLE</AccessKeyId>\
//! #   <Expiration>2026-11-24T10:05:00Z</Expiration></Credentials></CreateSessionResult>";
//! let session = presign::s3::express::parse_create_session(200, body)?;
//!
//! let req = S3Request::new(Method::Get, "photos--usw2-az1--x-s3", "cat.jpg")
//!     .with_region("us-west-2")
//!     .with_credentials(session)
//!     .with_expires_in(std::time::Duration::from_secs(3600))
//!     .with_credential_expiry(CredentialExpiry::Clamp);
//! let url = presign::s3::presign(&req, now)?;
//! assert!(url.url.contains("X-Amz-S3session-Token=TOKEN"));
//! assert_eq!(url.expires_at.rfc3339(), "2026-11-24T10:05:00Z"); // clamped to the session
//! # Ok::<(), presign::Error>(())
//! ```

#[cfg(feature = "s3express")]
use super::endpoint::{
    aws_dns_suffix, is_virtual_hostable, resolve_custom, EndpointOptions, UrlStyle,
};
#[cfg(feature = "s3express")]
use super::{validate_credentials, Credentials, Endpoint};
use crate::error::Error;
#[cfg(feature = "s3express")]
use crate::error::Result;
#[cfg(feature = "s3express")]
use crate::http::{bad_response, service_error, HttpRequest};
#[cfg(feature = "s3express")]
use crate::prelude::*;
#[cfg(feature = "s3express")]
use crate::sigv4::{self, SigningKey, AWS4_HMAC_SHA256};
#[cfg(feature = "s3express")]
use crate::time::Timestamp;
#[cfg(feature = "s3express")]
use crate::types::{Method, Params, Secret};
#[cfg(feature = "s3express")]
use crate::xml::Xml;
#[cfg(feature = "s3express")]
use core::ops::Range;

/// The suffix that marks a directory bucket's name.
pub const DIRECTORY_BUCKET_SUFFIX: &str = "--x-s3";
/// The SigV4 service name of the zonal endpoints (`CreateSession` and the presigned URLs).
pub const SERVICE: &str = "s3express";
/// The query parameter that carries the session token in a presigned URL.
pub const SESSION_TOKEN_PARAM: &str = "X-Amz-S3session-Token";
/// How long the credentials `CreateSession` returns last, in seconds (5 minutes).
pub const SESSION_LIFETIME: u64 = 300;

#[cfg(feature = "s3express")]
/// The Availability Zone id lengths the AWS endpoint rules try, in their order (`usw2-az1`,
/// `use1-az10`, `usw2-lax1-az1`, `usw2-lax1-az10`, and a 20-character form).
const ZONE_ID_LENGTHS: [usize; 5] = [8, 9, 13, 14, 20];

/// Whether `bucket` names a directory bucket (ends with `--x-s3`).
pub fn is_directory_bucket(bucket: &str) -> bool {
    bucket.ends_with(DIRECTORY_BUCKET_SUFFIX)
}

#[cfg(feature = "s3express")]
/// The Availability Zone id of a directory bucket's name (`usw2-az1` of
/// `photos--usw2-az1--x-s3`), found as the AWS endpoint rules find it: the first of the zone-id
/// lengths they know that is preceded by `--`. `None` for other buckets.
///
/// # Errors
/// [`Error::InvalidBucket`] for a name that ends with `--x-s3` but has no zone id.
pub fn zone_id(bucket: &str) -> Result<Option<&str>> {
    let Some(rest) = bucket.strip_suffix(DIRECTORY_BUCKET_SUFFIX) else {
        return Ok(None);
    };
    for len in ZONE_ID_LENGTHS {
        let Some(start) = rest.len().checked_sub(len) else {
            continue;
        };
        if start >= 2 && rest.get(start - 2..start) == Some("--") {
            if let Some(zone) = rest.get(start..) {
                return Ok(Some(zone));
            }
        }
    }
    Err(Error::InvalidBucket(
        "`bucket`: ends with --x-s3 (a directory bucket) but has no Availability Zone id (name--usw2-az1--x-s3)".into(),
    ))
}

#[cfg(feature = "s3express")]
/// Appends a directory bucket's zonal endpoint (scheme, host and path prefix, as
/// [`super::endpoint::resolve_into`]) to `out` and returns the host's byte range.
///
/// AWS: `https://{bucket}.s3express[-fips]-{zone}[.dualstack].{region}.{suffix}`, virtual-hosted
/// only. A custom endpoint: as for other buckets (virtual-hosted by default, path style with an
/// IP address or `urlStyle: "path"`).
pub(crate) fn resolve_into(
    o: &EndpointOptions<'_>,
    zone: &str,
    out: &mut String,
) -> Result<Range<usize>> {
    if !is_virtual_hostable(o.bucket, false) {
        return Err(Error::InvalidBucket(
            "`bucket`: a directory bucket's name must be a DNS label set without dots (3-63 of a-z 0-9 -)".into(),
        ));
    }
    if !zone
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(Error::InvalidBucket(
            "`bucket`: the Availability Zone id may contain only a-z 0-9 -".into(),
        ));
    }
    if o.accelerate {
        return Err(Error::InvalidEndpoint(
            "`accelerate`: directory buckets (S3 Express One Zone) do not support Transfer Acceleration".into(),
        ));
    }
    if let Some(ep) = o.endpoint {
        return resolve_custom(o, ep, out);
    }
    if o.url_style == Some(UrlStyle::Path) {
        return Err(Error::InvalidEndpoint(
            "`urlStyle`: the zonal endpoints of directory buckets are virtual-hosted only".into(),
        ));
    }
    let suffix = aws_dns_suffix(o.region)?;
    if o.fips && suffix == "amazonaws.com.cn" {
        // As the AWS endpoint rules: "Partition does not support FIPS".
        return Err(Error::InvalidEndpoint(
            "`fips`: the China regions have no FIPS endpoints".into(),
        ));
    }
    out.push_str("https://");
    let start = out.len();
    for part in [
        o.bucket,
        if o.fips {
            ".s3express-fips-"
        } else {
            ".s3express-"
        },
        zone,
        if o.dualstack { ".dualstack." } else { "." },
        o.region,
        ".",
        suffix,
    ] {
        out.push_str(part);
    }
    Ok(start..out.len())
}

#[cfg(feature = "s3express")]
/// The access `CreateSession` asks for (`x-amz-create-session-mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionMode {
    /// Read and write (the service's default).
    ReadWrite,
    /// Read only.
    ReadOnly,
}

#[cfg(all(feature = "s3express", feature = "json"))]
crate::schema::json_enum!(SessionMode {
    ReadWrite: "ReadWrite",
    ReadOnly: "ReadOnly"
});

#[cfg(feature = "s3express")]
impl SessionMode {
    fn as_str(self) -> &'static str {
        match self {
            SessionMode::ReadWrite => "ReadWrite",
            SessionMode::ReadOnly => "ReadOnly",
        }
    }
}

#[cfg(feature = "s3express")]
/// A `CreateSession` request (`GET /?session` on the bucket's zonal endpoint, signed with SigV4
/// for the service `s3express` with IAM credentials: long-term keys or STS credentials). The
/// JSON exchange `aws.s3ExpressCreateSession` reads it.
#[derive(Clone, Debug)]
pub struct CreateSession {
    /// The directory bucket (`name--usw2-az1--x-s3`).
    pub bucket: String,
    /// The region and endpoint options, as for presigned URLs (`region`, `endpoint`,
    /// `urlStyle`, `dualstack`, `fips`).
    pub endpoint: Endpoint,
    /// The IAM credentials that sign the request (their session token, if any, is sent as
    /// `x-amz-security-token`).
    pub credentials: Credentials,
    /// `x-amz-create-session-mode` (default: the service's, `ReadWrite`).
    pub session_mode: Option<SessionMode>,
}

#[cfg(all(feature = "s3express", feature = "json"))]
crate::schema::json_struct!(CreateSession {
    required { bucket: "bucket", credentials: "credentials" }
    optional { session_mode: "sessionMode" }
    flatten { endpoint }
});

// A stand-in before `credentials` is read (a required member: never left in a result).
#[cfg(all(feature = "s3express", feature = "json"))]
impl crate::schema::Placeholder for Credentials {
    fn placeholder() -> Self {
        Credentials::new("", "")
    }
}

#[cfg(feature = "s3express")]
/// SHA-256 of the empty body, the `x-amz-content-sha256` of a `GET`.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

#[cfg(feature = "s3express")]
impl CreateSession {
    /// A request for a session on `bucket`, signed with `credentials`, in `us-east-1` until
    /// [`CreateSession::with_region`].
    pub fn new(bucket: impl Into<String>, credentials: Credentials) -> Self {
        CreateSession {
            bucket: bucket.into(),
            endpoint: Endpoint::default(),
            credentials,
            session_mode: None,
        }
    }

    /// The bucket's region.
    #[must_use]
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.endpoint.region = Some(region.into());
        self
    }

    /// A read-only or read-write session.
    #[must_use]
    pub fn with_session_mode(mut self, mode: SessionMode) -> Self {
        self.session_mode = Some(mode);
        self
    }

    /// The request to send at `now`: the URL, `GET`, and the headers `x-amz-date`,
    /// `x-amz-content-sha256`, `authorization` (and `x-amz-security-token`,
    /// `x-amz-create-session-mode` when set). The HTTP client adds `Host` (it is signed: the
    /// URL's authority).
    ///
    /// # Errors
    /// [`Error::InvalidBucket`] when `bucket` is not a directory bucket's name,
    /// [`Error::InvalidEndpoint`], [`Error::InvalidCredentials`], and
    /// [`Error::CredentialsExpire`] when the credentials' `expiresAt` is at or before `now`.
    pub fn build(&self, now: Timestamp) -> Result<HttpRequest> {
        let zone = zone_id(&self.bucket)?.ok_or_else(|| {
            Error::InvalidBucket(
                "`bucket`: not a directory bucket (S3 Express One Zone names end with --azid--x-s3)"
                    .into(),
            )
        })?;
        let creds = &self.credentials;
        validate_credentials(creds)?;
        if let Some(at) = creds.expires_at {
            crate::lifetime::credentials_in_force(at, now, || {
                "`credentials.expiresAt`: the credentials expire at or before the request".into()
            })?;
        }
        let region = self.endpoint.region();
        let mut url = String::new();
        let host = resolve_into(&self.endpoint.options(&self.bucket), zone, &mut url)?;
        let host_text = crate::text::part(&url, host.clone())?.to_owned();
        let path = match crate::text::part(&url, host.end..)? {
            "" => "/".to_owned(),
            p => p.to_owned(),
        };
        if !url.ends_with('/') && path == "/" {
            url.push('/');
        }
        url.push_str("?session");

        let stamp = now.amz_stamp();
        let mut headers: Vec<(String, String)> = vec![
            ("host".into(), host_text),
            ("x-amz-content-sha256".into(), EMPTY_SHA256.into()),
        ];
        if let Some(mode) = self.session_mode {
            headers.push(("x-amz-create-session-mode".into(), mode.as_str().into()));
        }
        headers.push(("x-amz-date".into(), stamp.datetime().into()));
        if let Some(token) = &creds.session_token {
            headers.push(("x-amz-security-token".into(), token.expose().into()));
        }
        let key = SigningKey::derive(
            &AWS4_HMAC_SHA256,
            creds.secret_access_key.expose(),
            stamp.date(),
            region,
            SERVICE,
        );
        let authorization = sigv4::authorization(
            &sigv4::Request {
                method: "GET",
                canonical_uri: &path,
                query: &[("session".to_owned(), String::new())],
                headers: &headers,
                payload_hash: EMPTY_SHA256,
            },
            &sigv4::Auth {
                scheme: &AWS4_HMAC_SHA256,
                access_key_id: &creds.access_key_id,
                session_token: None,
                time: now,
                region,
                service: SERVICE,
                expires_in: 0,
            },
            &key,
        );
        // `host` is the HTTP client's to send.
        headers.remove(0);
        headers.push(("authorization".into(), authorization));
        Ok(HttpRequest {
            url,
            method: Method::Get,
            headers: Params(headers),
            body: String::new(),
        })
    }
}

#[cfg(feature = "s3express")]
/// The exchange's name in errors.
const EXCHANGE: &str = "S3 Express CreateSession";

#[cfg(feature = "s3express")]
/// Reads `CreateSession`'s answer: on a 2xx, `<CreateSessionResult><Credentials>` with
/// `AccessKeyId`, `SecretAccessKey`, `SessionToken` and `Expiration`, as [`Credentials`] whose
/// `expires_at` is the session's end; otherwise S3's `<Error><Code/><Message/></Error>`.
///
/// # Errors
/// [`Error::Service`] for an error document (or a non-2xx status without one),
/// [`Error::Service`] through `bad_response` for a 2xx answer that is not the expected document.
pub fn parse_create_session(status: u16, body: &str) -> Result<Credentials> {
    let doc = Xml::parse(body);
    if !(200..300).contains(&status) {
        let doc = doc.ok().filter(|d| d.root == "Error");
        let field = |name: &str| {
            doc.as_ref()
                .and_then(|d| d.one(name).ok().flatten())
                .unwrap_or("")
                .to_owned()
        };
        return Err(service_error(
            EXCHANGE,
            status,
            &field("Code"),
            &field("Message"),
        ));
    }
    let doc = doc.map_err(|why| bad_response(EXCHANGE, &why))?;
    if doc.root == "Error" {
        // S3 may answer 200 with an error document.
        let field = |name: &str| doc.one(name).ok().flatten().unwrap_or("").to_owned();
        return Err(service_error(
            EXCHANGE,
            status,
            &field("Code"),
            &field("Message"),
        ));
    }
    if doc.root != "CreateSessionResult" {
        return Err(bad_response(
            EXCHANGE,
            "the document is not a <CreateSessionResult>",
        ));
    }
    let field = |name: &str| -> Result<&str> {
        match doc.one(&crate::text::concat(&["Credentials/", name])) {
            Ok(Some(v)) if !v.is_empty() => Ok(v),
            Ok(_) => Err(bad_response(
                EXCHANGE,
                &crate::text::concat(&["<Credentials> has no ", name]),
            )),
            Err(why) => Err(bad_response(EXCHANGE, &why)),
        }
    };
    let expires_at = Timestamp::parse_rfc3339(field("Expiration")?)
        .map_err(|_| bad_response(EXCHANGE, "<Expiration> is not an RFC 3339 instant"))?;
    let creds = Credentials {
        access_key_id: field("AccessKeyId")?.to_owned(),
        secret_access_key: Secret::new(field("SecretAccessKey")?),
        session_token: Some(Secret::new(field("SessionToken")?)),
        expires_at: Some(expires_at),
    };
    validate_credentials(&creds)
        .map_err(|_| bad_response(EXCHANGE, "<AccessKeyId> is not an access key id"))?;
    Ok(creds)
}

/// The refusal of a directory bucket by a build without the feature `s3express`. Its sentence is
/// a literal, kept whole in the browser builds too (unlike `msg!` text): it names the entry to
/// import instead, which a page's developer needs to read where the error shows.
#[cfg(not(feature = "s3express"))]
pub(crate) fn unsupported() -> Error {
    Error::Unsupported(
        "`bucket`: a directory bucket (S3 Express One Zone, --x-s3) needs the S3 Express build: \
         import from \"presign/s3express\" (npm) or enable the cargo feature `s3express`"
            .into(),
    )
}

#[cfg(all(test, feature = "s3express"))]
mod tests;

#[cfg(all(test, not(feature = "s3express")))]
mod without_the_feature {
    use crate::s3::{presign, Credentials, S3Request};
    use crate::{Method, Timestamp};

    fn req(bucket: &str) -> S3Request {
        S3Request::new(Method::Get, bucket, "k")
            .with_region("us-west-2")
            .with_credentials(Credentials::new("ASIAEXAMPLE", "secret").with_session_token("t"))
    }

    #[test]
    fn a_directory_bucket_is_refused_not_signed_as_an_ordinary_bucket() {
        let now = Timestamp::from_unix(1_800_000_000).unwrap();
        let err = presign(&req("photos--usw2-az1--x-s3"), now).unwrap_err();
        assert_eq!(err.code(), "UNSUPPORTED");
        assert!(err.to_string().contains("presign/s3express"), "{err}");
        assert!(err.to_string().contains("`s3express`"), "{err}");
        // Even a name with no zone id: the suffix alone decides.
        let err = presign(&req("photos--x-s3"), now).unwrap_err();
        assert_eq!(err.code(), "UNSUPPORTED");
        // Ordinary buckets are signed as before.
        assert!(presign(&req("photos--usw2-az1"), now).is_ok());
    }
}
