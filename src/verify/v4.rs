//! S3 SigV4 and GCS V4 query authentication: the URL's parts go back through
//! [`crate::sigv4::prepare`], the one canonical request and string-to-sign builder.

use super::{
    check_times, fail, header_values, Check, DebugInfo, IncomingRequest, KeyId, KeyLookup,
    ParsedUrl, Provider, Verified, VerifyError, VerifyKey, VerifyOptions,
};
use crate::crypto::constant_time_eq;
use crate::encoding::{canonical_headers, encode_path};
use crate::sigv4::{
    self, Scheme, SigningKey, AWS4_HMAC_SHA256, GOOG4_HMAC_SHA256, GOOG4_RSA_SHA256,
    UNSIGNED_PAYLOAD,
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
    // The dialect: both share parameter names per provider; GCS has two algorithms.
    let names = match provider {
        Provider::Gcs => &GOOG4_HMAC_SHA256,
        _ => &AWS4_HMAC_SHA256,
    };
    let n = &names.params;
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
    // S3 Express One Zone (a directory bucket's session): SigV4 for the service `s3express`, its
    // session token in X-Amz-S3session-Token (`crate::s3::express`).
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
    let date_text = url.required(n.date)?;
    let expires_text = url.required(n.expires)?;
    let signed_headers_text = url.required(n.signed_headers)?;
    let signature = url.required(n.signature)?;
    let token = url.param(scheme.params.security_token)?;

    // X-Amz-Date: exactly the form the signer writes.
    let time = Timestamp::parse_amz_datetime(date_text).ok_or_else(|| {
        VerifyError::new(
            Check::Malformed,
            format!("{} must be YYYYMMDD'T'HHMMSS'Z'", n.date),
        )
    })?;

    // X-Amz-Expires: decimal seconds, as the signer writes them (no sign, no leading zero).
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

    // X-Amz-Credential: id/date/region/service/terminator; SigV4a's has no region, its region
    // set is X-Amz-Region-Set (signed, and in the place of the region below).
    let parts: Vec<&str> = credential.split('/').collect();
    let region_set = match scheme.scope_has_region() {
        true => None,
        false => Some(url.required(sigv4::REGION_SET_PARAM)?),
    };
    let (id, scope_date, region, service, terminator) = match (parts.as_slice(), region_set) {
        ([id, d, r, s, t], None) => (id, d, *r, s, t),
        ([id, d, s, t], Some(set)) => (id, d, set, s, t),
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
    if id.is_empty() {
        return fail(Check::Malformed, format!("{} has no key id", n.credential));
    }
    let expected_service = match provider {
        Provider::Gcs => crate::gcs::SERVICE,
        _ if express => crate::s3::express::SERVICE,
        _ => "s3",
    };
    if *terminator != scheme.terminator || *service != expected_service {
        return fail(
            Check::ScopeMismatch,
            format!(
                "the credential scope must end with {expected_service}/{}",
                scheme.terminator
            ),
        );
    }
    let stamp = time.amz_date();
    if *scope_date != stamp {
        return fail(
            Check::ScopeMismatch,
            format!("the credential scope's date is not the date of {}", n.date),
        );
    }

    // X-Amz-SignedHeaders: lower-case names, sorted, no repeats, host among them.
    let signed: Vec<&str> = signed_headers_text.split(';').collect();
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

    // The signed headers' values from the request; host is the URL's (GCS signs it without a
    // port, as its signer does — see gcs/endpoint.rs, `Target::host`).
    let host = match provider {
        Provider::Gcs => url.host.as_str(),
        _ => url.authority.as_str(),
    };
    let mut given: Vec<(&str, &str)> = Vec::with_capacity(signed.len());
    for name in &signed {
        if *name == "host" {
            given.push(("host", host));
            continue;
        }
        let values = header_values(req, name);
        if values.is_empty() {
            return fail(
                Check::MissingHeader,
                format!(
                    "the header at position {} of {} is not in the request",
                    signed.iter().position(|n| n == name).unwrap_or(0),
                    n.signed_headers
                ),
            );
        }
        given.extend(values.into_iter().map(|v| (*name, v)));
    }
    let headers = canonical_headers(given).map_err(|_| {
        VerifyError::new(
            Check::Malformed,
            "a header the URL signs has a value that cannot be signed (a control or non-ASCII character)",
        )
    })?;

    // GCS signs a payload hash given as x-goog-content-sha256; S3 presigned URLs never do.
    let payload_hash = match provider {
        Provider::Gcs => headers
            .iter()
            .find(|(n, _)| n == "x-goog-content-sha256")
            .map_or(UNSIGNED_PAYLOAD, |(_, v)| v.as_str()),
        _ => UNSIGNED_PAYLOAD,
    };

    // Every other parameter is signed as given (the signer's `query`).
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
    let prepared = sigv4::prepare(
        &sigv4::Request {
            method: req.method.as_str(),
            canonical_uri: &canonical_uri,
            query: &query,
            headers: &headers,
            payload_hash,
        },
        &sigv4::Auth {
            scheme,
            access_key_id: id,
            session_token: token,
            time,
            region,
            service,
            expires_in,
        },
    );
    let debug = || DebugInfo {
        canonical_request: prepared.canonical_request.clone(),
        string_to_sign: prepared.string_to_sign.clone(),
    };

    // The key, then the signature.
    let key_id = match (provider, scheme.algorithm) {
        (Provider::S3, _) => KeyId::S3 { access_key_id: id },
        (_, a) if a == GOOG4_RSA_SHA256.algorithm => KeyId::GcsServiceAccount { client_email: id },
        _ => KeyId::GcsHmac { access_id: id },
    };
    let key = keys.lookup(&key_id);
    let mismatch = || {
        let mut e = VerifyError::new(
            Check::SignatureMismatch,
            "the signature does not match the request (method, path, query, the headers it signs)",
        );
        if opts.debug {
            e.debug = Some(Box::new(debug()));
        }
        e
    };
    let hmac_ok = |secret: &str| {
        #[cfg(feature = "sigv4a")]
        if !scheme.scope_has_region() {
            // SigV4a: the public key of the key derived from the secret verifies the DER
            // signature, written in lower-case hex as the SDKs do.
            return !signature.bytes().any(|b| b.is_ascii_uppercase())
                && crate::sigv4a::SigningKey::derive(id, secret).is_ok_and(|k| {
                    k.public_key()
                        .verify_hex(prepared.string_to_sign.as_bytes(), signature)
                });
        }
        let k = SigningKey::derive(scheme, secret, scope_date, region, service);
        let expected = k.sign_hex(prepared.string_to_sign.as_bytes());
        constant_time_eq(expected.as_bytes(), signature.as_bytes())
    };
    match (key, scheme.algorithm) {
        (Some(VerifyKey::S3(creds)), _) if provider == Provider::S3 => {
            if !hmac_ok(creds.secret_access_key.expose()) {
                return Err(mismatch());
            }
            match (&creds.session_token, token) {
                (None, None) => {}
                (Some(expected), Some(given))
                    if constant_time_eq(expected.expose().as_bytes(), given.as_bytes()) => {}
                (Some(_), _) => {
                    return fail(
                        Check::TokenMismatch,
                        "the URL does not carry the credentials' session token",
                    )
                }
                (None, Some(_)) => {
                    return fail(
                        Check::TokenMismatch,
                        "the URL carries a session token the credentials do not have",
                    )
                }
            }
        }
        (Some(VerifyKey::GcsHmac(secret)), a) if a == GOOG4_HMAC_SHA256.algorithm => {
            if token.is_some() {
                return fail(Check::Malformed, "GCS signed URLs carry no security token");
            }
            if !hmac_ok(secret.expose()) {
                return Err(mismatch());
            }
        }
        #[cfg(feature = "gcs-rsa")]
        (Some(VerifyKey::GcsRsa(public)), a) if a == GOOG4_RSA_SHA256.algorithm => {
            // Hex of the RSA signature, lower case as Google and the signer write it.
            let ok = token.is_none()
                && !signature.bytes().any(|b| b.is_ascii_uppercase())
                && crate::encoding::hex_decode(signature).is_some_and(|sig| {
                    public.verify_pkcs1_sha256(prepared.string_to_sign.as_bytes(), &sig)
                });
            if !ok {
                return Err(mismatch());
            }
        }
        (Some(VerifyKey::GcsRsaChecked(valid)), a) if a == GOOG4_RSA_SHA256.algorithm => {
            // The same rules as the native check; the signature itself was checked elsewhere.
            if !(valid && token.is_none() && !signature.bytes().any(|b| b.is_ascii_uppercase())) {
                return Err(mismatch());
            }
        }
        _ => {
            return fail(
                Check::UnknownKey,
                format!("no {} key is known for the URL's key id", scheme.algorithm),
            )
        }
    }

    // Time, then the scope this server answers for.
    let expires_at = time
        .add_secs(i64::try_from(expires_in).unwrap_or(i64::MAX))
        .map_err(|_| VerifyError::new(Check::InvalidExpiry, "the expiry is out of range"))?;
    check_times(Some(time), expires_at, now, opts)?;
    if let Some(r) = &opts.region {
        let in_set = |set: &str| set == "*" || set.split(',').any(|s| s == r);
        let ok = match region_set {
            None => r == region,
            Some(set) => in_set(set),
        };
        if !ok {
            return fail(
                Check::ScopeMismatch,
                "the URL is signed for another region than this server's",
            );
        }
    }

    Ok(Verified {
        provider,
        algorithm: scheme.algorithm,
        key_id: (*id).to_owned(),
        method: req.method,
        resource: url.path.clone(),
        permissions: None,
        signed_headers: signed.iter().map(|s| (*s).to_owned()).collect(),
        not_before: Some(time),
        expires_at,
        ip_range: None,
        debug: opts.debug.then(debug),
    })
}

/// Decimal digits without a leading zero (as [`crate::encoding::push_decimal`] writes them).
fn parse_decimal(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse().ok()
}
