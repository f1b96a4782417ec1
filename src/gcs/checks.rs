//! What is checked around a GCS signature: the credentials' identity and scheme, the object name,
//! and signatures made outside the crate (the external-signer seam shared by URLs and POST
//! policies).

use super::{Credentials, MAX_OBJECT_BYTES};
use crate::encoding::hex;
use crate::error::{Error, Result};
use crate::sigv4::{Scheme, GOOG4_HMAC_SHA256, GOOG4_RSA_SHA256};

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
                return Err(Error::InvalidCredentials("the HMAC secret is empty".into()));
            }
            Ok((&GOOG4_HMAC_SHA256, &h.access_id, None))
        }
        Credentials::ServiceAccount(sa) => {
            if sa
                .key_type
                .as_deref()
                .is_some_and(|t| t != "service_account")
            {
                return Err(Error::InvalidCredentials(format!(
                    "`credentials.serviceAccount.type`: this key type cannot sign {what}; a service-account key (type \"service_account\") or an HMAC key is needed"
                )));
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
        return Err(Error::InvalidRequest(format!(
            "the signature must be the hex of a {} signature",
            expected_signature(algorithm)
        )));
    }
    Ok(signature_hex.to_ascii_lowercase())
}

/// [`external_signature_hex`] for raw signature bytes (what WebCrypto's `sign` returns).
pub(crate) fn external_signature_bytes(algorithm: &str, signature: &[u8]) -> Result<String> {
    if !plausible_signature_len(algorithm, signature.len()) {
        return Err(Error::InvalidRequest(format!(
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
        return Err(Error::InvalidCredentials(format!("{what} is empty")));
    }
    if !id.bytes().all(|b| b.is_ascii_graphic() && b != b'/') {
        return Err(Error::InvalidCredentials(format!(
            "{what} may contain only visible ASCII characters other than '/'"
        )));
    }
    Ok(())
}

pub(crate) fn no_credentials() -> Error {
    Error::InvalidCredentials("no credentials given".into())
}

/// Google's object naming rules (<https://cloud.google.com/storage/docs/objects#naming>): 1–1024
/// bytes of UTF-8, no CR or LF, not `.` or `..`, not under `.well-known/acme-challenge/`. Anything
/// else is signed exactly as given.
pub(crate) fn validate_object(what: &str, o: &str) -> Result<()> {
    if o.is_empty() {
        return Err(Error::InvalidKey(format!(
            "`{what}`: empty (leave `object` out to sign the bucket itself)"
        )));
    }
    if o.len() > MAX_OBJECT_BYTES {
        return Err(Error::InvalidKey(format!(
            "`{what}`: longer than the {MAX_OBJECT_BYTES} bytes of UTF-8 Cloud Storage allows"
        )));
    }
    if o.contains(['\r', '\n']) {
        return Err(Error::InvalidKey(format!(
            "`{what}`: Cloud Storage object names cannot contain CR or LF"
        )));
    }
    if o == "." || o == ".." {
        return Err(Error::InvalidKey(format!(
            "`{what}`: \".\" and \"..\" are not valid Cloud Storage object names"
        )));
    }
    if o.starts_with(".well-known/acme-challenge/") {
        return Err(Error::InvalidKey(format!(
            "`{what}`: Cloud Storage object names cannot start with .well-known/acme-challenge/"
        )));
    }
    Ok(())
}
