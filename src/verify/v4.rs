//! S3 SigV4 and GCS V4 query authentication: the URL's parts go back through
//! [`crate::sigv4::prepare`], the one canonical request and string-to-sign builder.
//!
//! The steps, in the order the checks run: [`Params::parse`] (the URL's syntax: algorithm,
//! credential scope, date, expiry, signed header names), [`signed_header_values`] (the request's
//! values of the headers the URL signs), [`prepare`] (canonical request and string to sign),
//! [`signature_matches`] (key lookup, signature, session token), [`check_time_and_region`].
//!
//! The steps (and the parts of [`Params::parse`]) are `#[inline(always)]`: the npm size build
//! (opt-level z) otherwise keeps each as a function, and every step boundary then costs a call,
//! a stack frame and a copy of its `Result` — 0.18 KB gzip of presign/verify, measured (0.12 KB
//! since [`VerifyError`] is one pointer). `hmac_ok` stays a function: it has two callers, and
//! inlined twice it would be code twice.

use super::{
    check_times, debug_info, fail, header_values, signature_mismatch, Check, IncomingRequest,
    KeyId, KeyLookup, ParsedUrl, Provider, Verified, VerifyError, VerifyKey, VerifyOptions,
};
use crate::crypto::constant_time_eq;
use crate::encoding::{canonical_headers, encode_path};
use crate::prelude::*;
use crate::sigv4::{
    self, ParamNames, Prepared, Scheme, SigningKey, AWS4_HMAC_SHA256, GOOG4_HMAC_SHA256,
    GOOG4_RSA_SHA256, UNSIGNED_PAYLOAD,
};
use crate::time::Timestamp;

/// Longest lifetime of a V4 presigned URL: 7 days (S3 and GCS alike).
use crate::lifetime::MAX_EXPIRES;

pub(super) fn verify(
    url: &ParsedUrl,
    req: &IncomingRequest<'_>,
    keys: &(impl KeyLookup + ?Sized),
    now: Timestamp,
    opts: &VerifyOptions,
    provider: Provider,
) -> Result<Verified, VerifyError> {
    let p = Params::parse(url, provider)?;
    let headers = signed_header_values(url, req, &p, provider)?;
    let prepared = prepare(url, req, &p, &headers, provider);
    if !signature_matches(keys, &p, &prepared, provider)? {
        return Err(signature_mismatch(
            "the signature does not match the request (method, path, query, the headers it signs)",
            opts,
            &prepared.canonical_request,
            &prepared.string_to_sign,
        ));
    }
    let expires_at = check_time_and_region(&p, now, opts)?;
    Ok(Verified {
        provider,
        algorithm: p.scheme.algorithm,
        key_id: p.id.to_owned(),
        method: req.method,
        resource: url.path.clone(),
        permissions: None,
        signed_headers: p.signed.iter().map(|s| (*s).to_owned()).collect(),
        not_before: Some(p.time),
        expires_at,
        ip_range: None,
        debug: debug_info(opts, &prepared.canonical_request, &prepared.string_to_sign),
    })
}

/// The URL's V4 parameters, read and checked for syntax; nothing here needs a key.
struct Params<'u> {
    /// The dialect's parameter names (`X-Amz-*` or `X-Goog-*`), for messages.
    names: &'static ParamNames,
    scheme: &'static Scheme,
    time: Timestamp,
    expires_in: u64,
    id: &'u str,
    scope_date: &'u str,
    /// The scope's region; SigV4a's region set in its place.
    region: &'u str,
    service: &'u str,
    /// SigV4a's `X-Amz-Region-Set`.
    region_set: Option<&'u str>,
    signed: Vec<&'u str>,
    signature: &'u str,
    token: Option<&'u str>,
}

impl<'u> Params<'u> {
    #[inline(always)]
    fn parse(url: &'u ParsedUrl, provider: Provider) -> Result<Self, VerifyError> {
        // The dialect: both share parameter names per provider; GCS has two algorithms.
        let names = match provider {
            Provider::Gcs => &GOOG4_HMAC_SHA256.params,
            _ => &AWS4_HMAC_SHA256.params,
        };
        let (scheme, credential, express) = scheme(url, names, provider)?;
        let date_text = url.required(names.date)?;
        let expires_text = url.required(names.expires)?;
        let signed_headers_text = url.required(names.signed_headers)?;
        let signature = url.required(names.signature)?;
        let token = url.param(scheme.params.security_token)?;
        let (time, expires_in) = times(names, date_text, expires_text)?;
        let scope = Scope::parse(url, names, scheme, credential)?;
        scope.check(names, scheme, provider, express, time)?;
        let signed = signed_header_names(names, signed_headers_text)?;
        Ok(Params {
            names,
            scheme,
            time,
            expires_in,
            id: scope.id,
            scope_date: scope.date,
            region: scope.region,
            service: scope.service,
            region_set: scope.region_set,
            signed,
            signature,
            token,
        })
    }
}

/// The algorithm's scheme and the credential; S3 Express One Zone session URLs (SigV4 for the
/// service `s3express`, the session token in X-Amz-S3session-Token, `crate::s3::express`) have
/// their own scheme.
#[inline(always)]
fn scheme<'u>(
    url: &'u ParsedUrl,
    n: &ParamNames,
    provider: Provider,
) -> Result<(&'static Scheme, &'u str, bool), VerifyError> {
    let algorithm = url.required(n.algorithm)?;
    let scheme: &'static Scheme = match (provider, algorithm) {
        (Provider::S3, a) if a == AWS4_HMAC_SHA256.algorithm => &AWS4_HMAC_SHA256,
        #[cfg(feature = "sigv4a")]
        (Provider::S3, a) if a == sigv4::AWS4_ECDSA_P256_SHA256.algorithm => {
            &sigv4::AWS4_ECDSA_P256_SHA256
        }
        (Provider::Gcs, a) if a == GOOG4_HMAC_SHA256.algorithm => &GOOG4_HMAC_SHA256,
        (Provider::Gcs, a) if a == GOOG4_RSA_SHA256.algorithm => &GOOG4_RSA_SHA256,
        _ => {
            return fail(
                Check::Unsupported,
                format!("{} names an algorithm that is not supported", n.algorithm),
            )
        }
    };
    let credential = url.required(n.credential)?;
    let express = matches!(provider, Provider::S3)
        && scheme.algorithm == AWS4_HMAC_SHA256.algorithm
        && credential.split('/').nth(3) == Some(crate::s3::express::SERVICE);
    #[cfg(not(feature = "s3express"))]
    if express {
        return fail(
            Check::Unsupported,
            "an S3 Express One Zone session URL (service s3express): verifying it needs the cargo feature `s3express`",
        );
    }
    #[cfg(feature = "s3express")]
    let scheme = match express {
        true => &sigv4::AWS4_HMAC_SHA256_S3EXPRESS,
        false => scheme,
    };
    Ok((scheme, credential, express))
}

/// X-Amz-Date, exactly the form the signer writes; X-Amz-Expires, decimal seconds as the signer
/// writes them (no sign, no leading zero), within the lifetimes of presigned URLs.
#[inline(always)]
fn times(
    n: &ParamNames,
    date_text: &str,
    expires_text: &str,
) -> Result<(Timestamp, u64), VerifyError> {
    let time = Timestamp::parse_amz_datetime(date_text).ok_or_else(|| {
        VerifyError::new(
            Check::Malformed,
            format!("{} must be YYYYMMDD'T'HHMMSS'Z'", n.date),
        )
    })?;
    let expires_in = parse_decimal(expires_text).ok_or_else(|| {
        VerifyError::new(
            Check::Malformed,
            format!("{} must be a number of seconds", n.expires),
        )
    })?;
    if !(1..=MAX_EXPIRES).contains(&expires_in) {
        return fail(
            Check::InvalidExpiry,
            format!(
                "{} is outside 1 to {MAX_EXPIRES} seconds, the lifetimes of presigned URLs",
                n.expires
            ),
        );
    }
    Ok((time, expires_in))
}

/// X-Amz-Credential: id/date/region/service/terminator; SigV4a's has no region, its region set
/// is X-Amz-Region-Set (signed, and in the place of the region).
struct Scope<'u> {
    id: &'u str,
    date: &'u str,
    region: &'u str,
    service: &'u str,
    terminator: &'u str,
    region_set: Option<&'u str>,
}

impl<'u> Scope<'u> {
    #[inline(always)]
    fn parse(
        url: &'u ParsedUrl,
        n: &ParamNames,
        scheme: &Scheme,
        credential: &'u str,
    ) -> Result<Self, VerifyError> {
        let parts: Vec<&str> = credential.split('/').collect();
        let region_set = match scheme.scope_has_region() {
            true => None,
            false => Some(url.required(sigv4::REGION_SET_PARAM)?),
        };
        let (id, date, region, service, terminator) = match (parts.as_slice(), region_set) {
            ([id, d, r, s, t], None) => (*id, *d, *r, *s, *t),
            ([id, d, s, t], Some(set)) => (*id, *d, set, *s, *t),
            _ => {
                return fail(
                    Check::Malformed,
                    format!(
                        "{} must be id/date/{}service/{}",
                        n.credential,
                        if scheme.scope_has_region() {
                            "region/"
                        } else {
                            ""
                        },
                        scheme.terminator
                    ),
                )
            }
        };
        Ok(Scope {
            id,
            date,
            region,
            service,
            terminator,
            region_set,
        })
    }

    /// A key id; the service and terminator of the scheme; the date of X-Amz-Date.
    #[inline(always)]
    fn check(
        &self,
        n: &ParamNames,
        scheme: &Scheme,
        provider: Provider,
        express: bool,
        time: Timestamp,
    ) -> Result<(), VerifyError> {
        if self.id.is_empty() {
            return fail(Check::Malformed, format!("{} has no key id", n.credential));
        }
        let expected_service = match provider {
            Provider::Gcs => crate::gcs::SERVICE,
            _ if express => crate::s3::express::SERVICE,
            _ => "s3",
        };
        if self.terminator != scheme.terminator || self.service != expected_service {
            return fail(
                Check::ScopeMismatch,
                format!(
                    "the credential scope must end with {expected_service}/{}",
                    scheme.terminator
                ),
            );
        }
        if self.date != time.amz_date() {
            return fail(
                Check::ScopeMismatch,
                format!("the credential scope's date is not the date of {}", n.date),
            );
        }
        Ok(())
    }
}

/// X-Amz-SignedHeaders: lower-case names, sorted, no repeats, host among them.
#[inline(always)]
fn signed_header_names<'u>(n: &ParamNames, text: &'u str) -> Result<Vec<&'u str>, VerifyError> {
    let signed: Vec<&str> = text.split(';').collect();
    let tidy = signed.iter().all(|n| {
        !n.is_empty()
            && n.bytes()
                .all(|b| b.is_ascii_graphic() && b != b':' && !b.is_ascii_uppercase())
    }) && signed.windows(2).all(|w| matches!(w, [a, b] if a < b));
    if !tidy {
        return fail(
            Check::Malformed,
            format!(
                "{} must be lower-case header names, sorted, separated by ';'",
                n.signed_headers
            ),
        );
    }
    if !signed.contains(&"host") {
        return fail(
            Check::Malformed,
            format!("{} must include host", n.signed_headers),
        );
    }
    Ok(signed)
}

/// The signed headers' values from the request, canonical; host is the URL's (GCS signs it
/// without a port, as its signer does — see gcs/endpoint.rs, `Target::host`).
#[inline(always)]
fn signed_header_values(
    url: &ParsedUrl,
    req: &IncomingRequest<'_>,
    p: &Params<'_>,
    provider: Provider,
) -> Result<Vec<(String, String)>, VerifyError> {
    let host = match provider {
        Provider::Gcs => url.host.as_str(),
        _ => url.authority.as_str(),
    };
    let mut given: Vec<(&str, &str)> = Vec::with_capacity(p.signed.len());
    for (position, name) in p.signed.iter().enumerate() {
        if *name == "host" {
            given.push(("host", host));
            continue;
        }
        let values = header_values(req, name);
        if values.is_empty() {
            return fail(
                Check::MissingHeader,
                format!(
                    "the header at position {position} of {} is not in the request",
                    p.names.signed_headers
                ),
            );
        }
        given.extend(values.into_iter().map(|v| (*name, v)));
    }
    canonical_headers(given).map_err(|_| {
        VerifyError::new(
            Check::Malformed,
            "a header the URL signs has a value that cannot be signed (a control or non-ASCII character)",
        )
    })
}

/// The canonical request and string to sign, through the signer's own builder: every parameter
/// but the signature's is signed as given (the signer's `query`); GCS signs a payload hash given
/// as x-goog-content-sha256, S3 presigned URLs never do.
#[inline(always)]
fn prepare(
    url: &ParsedUrl,
    req: &IncomingRequest<'_>,
    p: &Params<'_>,
    headers: &[(String, String)],
    provider: Provider,
) -> Prepared {
    let payload_hash = match provider {
        Provider::Gcs => headers
            .iter()
            .find(|(n, _)| n == "x-goog-content-sha256")
            .map_or(UNSIGNED_PAYLOAD, |(_, v)| v.as_str()),
        _ => UNSIGNED_PAYLOAD,
    };
    let scheme = p.scheme;
    let query: Vec<(String, String)> = url
        .query
        .iter()
        .filter(|(n, _)| {
            !scheme.params.all().contains(&n.as_str())
                && (scheme.scope_has_region() || n != sigv4::REGION_SET_PARAM)
        })
        .cloned()
        .collect();
    let canonical_uri = encode_path(&url.path);
    sigv4::prepare(
        &sigv4::Request {
            method: req.method.as_str(),
            canonical_uri: &canonical_uri,
            query: &query,
            headers,
            payload_hash,
        },
        &sigv4::Auth {
            scheme,
            access_key_id: p.id,
            session_token: p.token,
            time: p.time,
            region: p.region,
            service: p.service,
            expires_in: p.expires_in,
        },
    )
}

/// The key the URL names, then the signature with it (`false`: it does not match), then the
/// session token.
#[inline(always)]
fn signature_matches(
    keys: &(impl KeyLookup + ?Sized),
    p: &Params<'_>,
    prepared: &Prepared,
    provider: Provider,
) -> Result<bool, VerifyError> {
    let (scheme, id, signature, token) = (p.scheme, p.id, p.signature, p.token);
    let key_id = match (provider, scheme.algorithm) {
        (Provider::S3, _) => KeyId::S3 { access_key_id: id },
        (_, a) if a == GOOG4_RSA_SHA256.algorithm => KeyId::GcsServiceAccount { client_email: id },
        _ => KeyId::GcsHmac { access_id: id },
    };
    let string_to_sign = prepared.string_to_sign.as_bytes();
    // Hex of the signature, lower case as the SDKs, Google and the signers write it.
    let lower_hex = !signature.bytes().any(|b| b.is_ascii_uppercase());
    match (keys.lookup(&key_id), scheme.algorithm) {
        (Some(VerifyKey::S3(creds)), _) if provider == Provider::S3 => {
            if !hmac_ok(p, string_to_sign, creds.secret_access_key.expose()) {
                return Ok(false);
            }
            check_session_token(creds.session_token.as_ref(), token)?;
            Ok(true)
        }
        (Some(VerifyKey::GcsHmac(secret)), a) if a == GOOG4_HMAC_SHA256.algorithm => {
            if token.is_some() {
                return fail(Check::Malformed, "GCS signed URLs carry no security token");
            }
            Ok(hmac_ok(p, string_to_sign, secret.expose()))
        }
        #[cfg(feature = "gcs-rsa")]
        (Some(VerifyKey::GcsRsa(public)), a) if a == GOOG4_RSA_SHA256.algorithm => Ok(token
            .is_none()
            && lower_hex
            && crate::encoding::hex_decode(signature)
                .is_some_and(|sig| public.verify_pkcs1_sha256(string_to_sign, &sig))),
        (Some(VerifyKey::GcsRsaChecked(valid)), a) if a == GOOG4_RSA_SHA256.algorithm => {
            // The same rules as the native check; the signature itself was checked elsewhere.
            Ok(valid && token.is_none() && lower_hex)
        }
        _ => fail(
            Check::UnknownKey,
            format!("no {} key is known for the URL's key id", scheme.algorithm),
        ),
    }
}

/// The signature made with an HMAC secret: SigV4 and GOOG4-HMAC compare the HMAC in constant
/// time; for SigV4a the public key of the key derived from the secret verifies the DER
/// signature, written in lower-case hex as the SDKs do.
fn hmac_ok(p: &Params<'_>, string_to_sign: &[u8], secret: &str) -> bool {
    #[cfg(feature = "sigv4a")]
    if !p.scheme.scope_has_region() {
        return !p.signature.bytes().any(|b| b.is_ascii_uppercase())
            && crate::sigv4a::SigningKey::derive(p.id, secret)
                .is_ok_and(|k| k.public_key().verify_hex(string_to_sign, p.signature));
    }
    let k = SigningKey::derive(p.scheme, secret, p.scope_date, p.region, p.service);
    let expected = k.sign_hex(string_to_sign);
    constant_time_eq(expected.as_bytes(), p.signature.as_bytes())
}

/// The URL carries exactly the credentials' session token, or none when they have none.
#[inline(always)]
fn check_session_token(
    expected: Option<&crate::types::Secret>,
    given: Option<&str>,
) -> Result<(), VerifyError> {
    match (expected, given) {
        (None, None) => Ok(()),
        (Some(expected), Some(given))
            if constant_time_eq(expected.expose().as_bytes(), given.as_bytes()) =>
        {
            Ok(())
        }
        (Some(_), _) => fail(
            Check::TokenMismatch,
            "the URL does not carry the credentials' session token",
        ),
        (None, Some(_)) => fail(
            Check::TokenMismatch,
            "the URL carries a session token the credentials do not have",
        ),
    }
}

/// Time, then the scope this server answers for; the expiry instant.
#[inline(always)]
fn check_time_and_region(
    p: &Params<'_>,
    now: Timestamp,
    opts: &VerifyOptions,
) -> Result<Timestamp, VerifyError> {
    let expires_at = p
        .time
        .add_secs(i64::try_from(p.expires_in).unwrap_or(i64::MAX))
        .map_err(|_| VerifyError::new(Check::InvalidExpiry, "the expiry is out of range"))?;
    check_times(Some(p.time), expires_at, now, opts)?;
    if let Some(r) = &opts.region {
        let in_set = |set: &str| set == "*" || set.split(',').any(|s| s == r);
        let ok = match p.region_set {
            None => r == p.region,
            Some(set) => in_set(set),
        };
        if !ok {
            return fail(
                Check::ScopeMismatch,
                "the URL is signed for another region than this server's",
            );
        }
    }
    Ok(expires_at)
}

/// Decimal digits without a leading zero (as [`crate::encoding::push_decimal`] writes them).
fn parse_decimal(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse().ok()
}
