//! Signing without a private key: the IAM Service Account Credentials `signBlob` call, as
//! Cloud Run, GKE, Compute Engine and Workload Identity Federation sign URLs (they hold an
//! access token, not a key). The two sans-io halves: [`SignBlobRequest::build`] makes the
//! request for a string to sign (the caller adds `Authorization: Bearer <token>` and sends it),
//! and [`SignedBlob::from_response`] reads the answer into the signature, which completes the
//! URL or the POST policy through the external-signer seam ([`super::PreparedUrl::finish_bytes`],
//! [`super::post::PreparedPost::finish_bytes`]).
//!
//! Spec: <https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/signBlob>.
//! The request is the one google-cloud-storage 3.x sends for
//! `generate_signed_url(service_account_email=…, access_token=…)`: `POST
//! https://iamcredentials.{universe}/v1/projects/-/serviceAccounts/{email}:signBlob?alt=json`
//! with `{"payload": base64(string to sign)}`. The signature is RSASSA-PKCS1-v1_5 / SHA-256
//! with one of the service account's Google-managed keys, the same bytes its private key gives.
//!
//! ```
//! use presign::gcs::sign_blob::{SignBlobRequest, SignedBlob};
//! use presign::gcs::GcsRequest;
//! use presign::{Method, Timestamp};
//!
//! let signer = SignBlobRequest::new("signer@my-project.iam.gserviceaccount.com");
//! let req = GcsRequest::new(Method::Get, "my-bucket", "report.pdf")
//!     .with_credentials(signer.credentials()?);
//! let prepared = presign::gcs::prepare(&req, Timestamp::parse_rfc3339("2026-11-24T10:00:00Z")?)?;
//! let http = signer.build(prepared.string_to_sign())?;
//! assert_eq!(http.url, "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/signer@my-project.iam.gserviceaccount.com:signBlob?alt=json");
//! // ... send it with `Authorization: Bearer <access token>`, then:
//! let body = format!(r#"{{"keyId": "1a2b", "signedBlob": "{}"}}"#, "q83v".repeat(86));
//! let blob = SignedBlob::from_response(200, &body)?;
//! let url = prepared.finish_bytes(&blob.signature)?.url;
//! assert!(url.contains("&X-Goog-Signature=abcdef"));
//! # Ok::<(), presign::Error>(())
//! ```

use super::Credentials;
use crate::encoding::{base64, base64_decode, hex};
use crate::error::{Error, Result};
use crate::http::{bad_response, service_error, HttpRequest};
use crate::prelude::*;
use crate::schema::{Object, Reader};
use crate::types::{Method, Params};
use alloc::borrow::Cow;

/// The exchange's name in errors.
const EXCHANGE: &str = "IAM signBlob";

/// A `signBlob` request's options: whose key signs, and where the call goes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignBlobRequest {
    /// The service account that signs; it becomes the URL's credential
    /// (`X-Goog-Credential`), so it must be the account's e-mail
    /// (`name@project.iam.gserviceaccount.com`), not its unique id.
    pub service_account_email: String,
    /// The IAM Credentials endpoint, `scheme://host[:port][/path]`; default
    /// `https://iamcredentials.{universe}`. `http://` only to a loopback address (a local
    /// stand-in).
    pub endpoint: Option<String>,
    /// The universe domain (default `googleapis.com`): the endpoint is
    /// `https://iamcredentials.{universe}` and the credentials carry it, so URLs go to
    /// `storage.{universe}`.
    pub universe_domain: Option<String>,
}

impl SignBlobRequest {
    /// A request for `service_account_email`'s signature on Google's public cloud.
    pub fn new(service_account_email: impl Into<String>) -> Self {
        SignBlobRequest {
            service_account_email: service_account_email.into(),
            ..Self::default()
        }
    }

    /// The credentials that sign through this exchange: the service account without a key
    /// (for [`super::prepare`] / [`super::post::prepare`]), with the universe domain if given.
    ///
    /// # Errors
    /// As [`SignBlobRequest::build`] for the e-mail and the universe.
    pub fn credentials(&self) -> Result<Credentials> {
        validate_email(&self.service_account_email)?;
        if let Some(u) = &self.universe_domain {
            super::endpoint::validate_universe("universeDomain", u)?;
        }
        let mut sa = super::ServiceAccountKey {
            client_email: self.service_account_email.clone(),
            key_type: Some("service_account".into()),
            ..super::ServiceAccountKey::default()
        };
        sa.universe_domain.clone_from(&self.universe_domain);
        Ok(Credentials::ServiceAccount(sa))
    }

    /// The `POST` that asks for the signature of `string_to_sign`, without `Authorization`:
    /// the caller adds `Authorization: Bearer <token>`, an OAuth 2.0 access token with the
    /// `cloud-platform` (or `iam`) scope for a principal that holds
    /// `iam.serviceAccounts.signBlob` on the account (Service Account Token Creator). The token
    /// never passes through the library.
    ///
    /// # Errors
    /// [`Error::InvalidCredentials`] for an e-mail that is not `local@domain` (letters, digits,
    /// `.`, `_`, `+`, `-`); [`Error::InvalidEndpoint`] for a malformed endpoint or universe,
    /// `http://` to a host that is not a loopback address, or both `endpoint` and
    /// `universeDomain`; [`Error::InvalidRequest`] for an empty string to sign.
    pub fn build(&self, string_to_sign: &str) -> Result<HttpRequest> {
        validate_email(&self.service_account_email)?;
        if string_to_sign.is_empty() {
            return Err(Error::InvalidRequest(
                "signBlob: the string to sign is empty".into(),
            ));
        }
        let mut url = match (&self.endpoint, &self.universe_domain) {
            (Some(_), Some(_)) => {
                return Err(Error::InvalidEndpoint(
                    "give `endpoint` or `universeDomain`, not both".into(),
                ))
            }
            (Some(e), None) => base_url(e)?,
            (None, u) => {
                let u = u.as_deref().unwrap_or(super::endpoint::DEFAULT_UNIVERSE);
                super::endpoint::validate_universe("universeDomain", u)?;
                let mut s = String::with_capacity(24 + u.len());
                s.push_str("https://iamcredentials.");
                s.push_str(u);
                s
            }
        };
        url.push_str("/v1/projects/-/serviceAccounts/");
        url.push_str(&self.service_account_email);
        url.push_str(":signBlob?alt=json");
        let mut body = String::with_capacity(16 + string_to_sign.len() * 4 / 3);
        Object::new(&mut body)
            .str("payload", &base64(string_to_sign.as_bytes()))
            .end();
        Ok(HttpRequest {
            url,
            method: Method::Post,
            headers: Params(vec![("content-type".into(), "application/json".into())]),
            body,
        })
    }
}

/// `scheme://authority[/path]` of a caller's endpoint: https, or http to a loopback address.
fn base_url(endpoint: &str) -> Result<String> {
    let e = crate::endpoint::parse("endpoint", endpoint, false)?;
    if e.scheme != Some("https") && !e.is_loopback() {
        return Err(Error::InvalidEndpoint(
            "`endpoint`: https is required (http only to a loopback address)".into(),
        ));
    }
    let mut url = String::with_capacity(endpoint.len() + 64);
    url.push_str(e.scheme.unwrap_or("https"));
    url.push_str("://");
    url.push_str(&e.authority());
    url.push_str(&e.encoded_path("endpoint")?);
    Ok(url)
}

/// A service account's e-mail, which goes into the request's path and the URL's credential:
/// `local@domain`, the local part of letters, digits, `.`, `_`, `+`, `-`, the domain a host
/// name.
fn validate_email(email: &str) -> Result<()> {
    let ok = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && local.len() <= 64
            && local
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'+' | b'-'))
            && domain.contains('.')
            && crate::endpoint::is_host_name(domain)
    });
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidCredentials(
            "`serviceAccountEmail`: a service account's e-mail (name@project.iam.gserviceaccount.com) is required".into(),
        ))
    }
}

/// A `signBlob` answer: the signature and the id of the Google-managed key that made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedBlob {
    /// `keyId`: the key that signed (empty if the answer had none).
    pub key_id: String,
    /// `signedBlob` decoded: the RSASSA-PKCS1-v1_5 / SHA-256 signature.
    pub signature: Vec<u8>,
}

impl SignedBlob {
    /// The signature as lower-case hex, as `X-Goog-Signature` and `x-goog-signature` carry it.
    pub fn signature_hex(&self) -> String {
        hex(&self.signature)
    }

    /// Reads a `signBlob` answer as the HTTP client received it.
    ///
    /// # Errors
    /// [`Error::Service`] (`SERVICE_ERROR`): Google's error document
    /// `{"error":{"code","message","status"}}` (401 for a bad token, 403 without
    /// `iam.serviceAccounts.signBlob`, 404 for an unknown account…) with its `status` and the
    /// first line of its message; any other non-2xx status; a 2xx answer that is not a JSON
    /// object with a non-empty base64 `signedBlob`.
    pub fn from_response(status: u16, body: &str) -> Result<Self> {
        let ok = (200..300).contains(&status);
        let fields = match read_fields(body) {
            Ok(f) => f,
            Err(_) if !ok => return Err(service_error(EXCHANGE, status, "", "")),
            Err(_) => return Err(bad_response(EXCHANGE, "the body is not a JSON object")),
        };
        if let Some(err) = fields.error {
            let code = match (err.status, err.code) {
                (Some(s), _) => s.into_owned(),
                (None, Some(c)) => c.to_string(),
                (None, None) => String::new(),
            };
            return Err(service_error(
                EXCHANGE,
                status,
                &code,
                err.message.as_deref().unwrap_or(""),
            ));
        }
        if !ok {
            return Err(service_error(EXCHANGE, status, "", ""));
        }
        let signature = fields
            .signed_blob
            .as_deref()
            .and_then(base64_decode)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| bad_response(EXCHANGE, "no base64 signedBlob"))?;
        Ok(SignedBlob {
            key_id: fields.key_id.map(Cow::into_owned).unwrap_or_default(),
            signature,
        })
    }
}

/// The members of an answer or an error document that the parser reads.
#[derive(Default)]
struct Fields<'a> {
    key_id: Option<Cow<'a, str>>,
    signed_blob: Option<Cow<'a, str>>,
    error: Option<ErrorDoc<'a>>,
}

/// `{"code": 403, "message": "…", "status": "PERMISSION_DENIED", "details": […]}`.
#[derive(Default)]
struct ErrorDoc<'a> {
    code: Option<u64>,
    message: Option<Cow<'a, str>>,
    status: Option<Cow<'a, str>>,
}

fn read_fields(body: &str) -> Result<Fields<'_>> {
    let mut f = Fields::default();
    let mut r = Reader::new(body.trim_start_matches('\u{feff}'));
    r.object(|r, name| {
        match name {
            "keyId" => f.key_id = Some(r.string()?),
            "signedBlob" => f.signed_blob = Some(r.string()?),
            "error" => {
                let mut e = ErrorDoc::default();
                r.object(|r, name| {
                    match name {
                        "code" => e.code = r.u64().ok(),
                        "message" => e.message = Some(r.string()?),
                        "status" => e.status = Some(r.string()?),
                        _ => r.skip()?,
                    }
                    Ok(())
                })?;
                f.error = Some(e);
            }
            _ => r.skip()?,
        }
        Ok(())
    })?;
    r.finish()?;
    Ok(f)
}

/// `gcs.signBlob` over JSON (`presign::json::exchange_request_json`): the request's options
/// and the string to sign.
#[cfg(feature = "exchange")]
#[derive(Default)]
pub(crate) struct SignBlobJson {
    service_account_email: String,
    endpoint: Option<String>,
    universe_domain: Option<String>,
    string_to_sign: String,
}

#[cfg(feature = "exchange")]
crate::schema::json_struct!(SignBlobJson {
    required { service_account_email: "serviceAccountEmail", string_to_sign: "stringToSign" }
    optional { endpoint: "endpoint", universe_domain: "universeDomain" }
});

#[cfg(feature = "exchange")]
impl SignBlobJson {
    /// The request to send ([`SignBlobRequest::build`]).
    pub(crate) fn build(self) -> Result<HttpRequest> {
        SignBlobRequest {
            service_account_email: self.service_account_email,
            endpoint: self.endpoint,
            universe_domain: self.universe_domain,
        }
        .build(&self.string_to_sign)
    }
}

#[cfg(test)]
mod tests;
