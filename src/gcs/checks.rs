//! What is checked around a GCS signature: the credentials' identity and scheme, the object name,
//! and signatures made outside the crate (the external-signer seam shared by URLs and POST
//! policies).

use super::{Credentials, MAX_OBJECT_BYTES};
use crate::encoding::{canonical_headers, encode_path_into, hex};
use crate::error::{indexed, msg, msg_at};
use crate::error::{Error, Result};
use crate::prelude::*;
use crate::sigv4;
use crate::sigv4::{Scheme, GOOG4_HMAC_SHA256, GOOG4_RSA_SHA256};
use crate::types::Params;

/// The scheme, identity and key universe of credentials that sign `what` (`"URLs"`, `"policies"`),
/// after checking them: HMAC access id and secret, or a service-account key and its e-mail.
pub(crate) fn signing_identity<'c>(
    creds: &'c Credentials,
    what: &str,
) -> Result<(&'static Scheme, &'c str, Option<&'c str>)> {
    match creds {
        Credentials::Hmac(h) => {
            validate_identity("the HMAC access id", &h.access_id)?;
            if h.secret.expose().is_empty() {
                return Err(Error::InvalidCredentials(msg!("the HMAC secret is empty")));
            }
            Ok((&GOOG4_HMAC_SHA256, &h.access_id, None))
        }
        Credentials::ServiceAccount(sa) => {
            if sa
                .key_type
                .as_deref()
                .is_some_and(|t| t != "service_account")
            {
                return Err(Error::InvalidCredentials(msg_at!("credentials.serviceAccount.type", "this key type cannot sign {what}; a service-account key (type \"service_account\") or an HMAC key is needed")));
            }
            validate_identity("the service account's client_email", &sa.client_email)?;
            Ok((
                &GOOG4_RSA_SHA256,
                &sa.client_email,
                sa.universe_domain.as_deref(),
            ))
        }
    }
}

/// A signature made outside the crate (the external-signer seam of URLs and POST policies), as
/// lower-case hex, after checking it is hex of a length plausible for `algorithm`: 32 bytes for
/// HMAC, 128–1024 bytes for RSA.
pub(crate) fn external_signature_hex(algorithm: &str, signature_hex: &str) -> Result<String> {
    let ok = signature_hex.len().is_multiple_of(2)
        && signature_hex.bytes().all(|b| b.is_ascii_hexdigit())
        && plausible_signature_len(algorithm, signature_hex.len() / 2);
    if !ok {
        return Err(Error::InvalidRequest(msg!(
            "the signature must be the hex of a {} signature",
            expected_signature(algorithm)
        )));
    }
    Ok(signature_hex.to_ascii_lowercase())
}

/// [`external_signature_hex`] for raw signature bytes (what WebCrypto's `sign` returns).
pub(crate) fn external_signature_bytes(algorithm: &str, signature: &[u8]) -> Result<String> {
    if !plausible_signature_len(algorithm, signature.len()) {
        return Err(Error::InvalidRequest(msg!(
            "the signature must be a {}",
            expected_signature(algorithm)
        )));
    }
    Ok(hex(signature))
}

fn plausible_signature_len(algorithm: &str, n: usize) -> bool {
    if algorithm == GOOG4_HMAC_SHA256.algorithm {
        n == 32
    } else {
        (128..=1024).contains(&n)
    }
}

fn expected_signature(algorithm: &str) -> &'static str {
    if algorithm == GOOG4_HMAC_SHA256.algorithm {
        "32-byte HMAC-SHA256"
    } else {
        "128-1024-byte RSA"
    }
}

/// The identity goes into `X-Goog-Credential` before `/{scope}`: visible ASCII without `/`.
fn validate_identity(what: &str, id: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::InvalidCredentials(msg!("{what} is empty")));
    }
    if !id.bytes().all(|b| b.is_ascii_graphic() && b != b'/') {
        return Err(Error::InvalidCredentials(msg!(
            "{what} may contain only visible ASCII characters other than '/'"
        )));
    }
    Ok(())
}

pub(crate) fn no_credentials() -> Error {
    Error::InvalidCredentials(msg!("no credentials given"))
}

/// Google's object naming rules (<https://cloud.google.com/storage/docs/objects#naming>): 1–1024
/// bytes of UTF-8, no CR or LF, not `.` or `..`, not under `.well-known/acme-challenge/`. Anything
/// else is signed exactly as given.
pub(crate) fn validate_object(what: &str, o: &str) -> Result<()> {
    if o.is_empty() {
        return Err(Error::InvalidKey(msg_at!(
            what,
            "empty (leave `object` out to sign the bucket itself)"
        )));
    }
    if o.len() > MAX_OBJECT_BYTES {
        return Err(Error::InvalidKey(msg_at!(
            what,
            "longer than the {MAX_OBJECT_BYTES} bytes of UTF-8 Cloud Storage allows"
        )));
    }
    if o.contains(['\r', '\n']) {
        return Err(Error::InvalidKey(msg_at!(
            what,
            "Cloud Storage object names cannot contain CR or LF"
        )));
    }
    if o == "." || o == ".." {
        return Err(Error::InvalidKey(msg_at!(
            what,
            "\".\" and \"..\" are not valid Cloud Storage object names"
        )));
    }
    if o.starts_with(".well-known/acme-challenge/") {
        return Err(Error::InvalidKey(msg_at!(
            what,
            "Cloud Storage object names cannot start with .well-known/acme-challenge/"
        )));
    }
    Ok(())
}

/// Headers a caller may not sign: `host` is set from the URL, and the others belong to the
/// signature or to header authentication. (`x-goog-date` is allowed: a conformance case signs it.)
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "authorization",
    "x-goog-algorithm",
    "x-goog-credential",
    "x-goog-expires",
    "x-goog-signedheaders",
    "x-goog-signature",
];

/// The caller's headers, validated and canonicalised (`host` is signed beside them).
pub(super) fn signed_headers(given: &Params) -> Result<Vec<(String, String)>> {
    for (i, (name, _)) in given.iter().enumerate() {
        if RESERVED_HEADERS
            .iter()
            .any(|r| r.eq_ignore_ascii_case(name.trim()))
        {
            return Err(Error::InvalidHeader(msg_at!(&indexed("headers", i), "this header is set by the signature or the HTTP client and cannot be signed as a caller header")));
        }
    }
    let caller_headers = canonical_headers(given.iter())?;
    // canonical_headers joins repeated names with ','; for a caller that is ambiguous input.
    if caller_headers.len() != given.0.len() {
        return Err(Error::InvalidHeader(msg!(
            "a header is given more than once (names are case-insensitive)"
        )));
    }
    Ok(caller_headers)
}

/// The payload hash to sign: `x-goog-content-sha256` when the caller signs it (hex, or
/// `UNSIGNED-PAYLOAD`), else `UNSIGNED-PAYLOAD`.
pub(super) fn payload_hash(headers: &[(String, String)]) -> Result<String> {
    let Some((_, v)) = headers.iter().find(|(n, _)| n == "x-goog-content-sha256") else {
        return Ok(sigv4::UNSIGNED_PAYLOAD.to_owned());
    };
    if v != sigv4::UNSIGNED_PAYLOAD && (v.is_empty() || !v.bytes().all(|b| b.is_ascii_hexdigit())) {
        return Err(Error::InvalidHeader(msg!(
            "x-goog-content-sha256 must be the hex SHA-256 of the payload (or UNSIGNED-PAYLOAD)"
        )));
    }
    Ok(v.clone())
}

/// The caller's query parameters: named, and none of the signature's own.
pub(super) fn check_query(query: &Params, scheme: &Scheme) -> Result<()> {
    for (i, (name, _)) in query.iter().enumerate() {
        if name.is_empty() {
            return Err(Error::InvalidQuery(msg_at!(
                &indexed("query", i),
                "the name is empty"
            )));
        }
        if scheme.is_reserved_param(name) {
            return Err(Error::InvalidQuery(msg_at!(
                &indexed("query", i),
                "this parameter is set by the signature (other X-Goog-* parameters may be signed)"
            )));
        }
    }
    Ok(())
}

/// The encoded path: the endpoint's prefix, then `/` and the object (`/` alone for neither).
pub(super) fn object_path(path_prefix: &str, object: Option<&str>) -> String {
    let object_len = object.map_or(0, |o| o.len() * 3 / 2 + 1);
    let mut path = String::with_capacity(path_prefix.len() + object_len + 1);
    path.push_str(path_prefix);
    match object {
        Some(object) => {
            path.push('/');
            encode_path_into(&mut path, object);
        }
        None if path.is_empty() => path.push('/'),
        None => {}
    }
    path
}
