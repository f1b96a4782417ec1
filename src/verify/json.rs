//! `verify_json`: one verification as JSON in, JSON out (for the JS bindings and tests), read
//! with the crate's JSON reader and written with its writer.
//!
//! Input: `{"url", "method"?, "headers"?: {…}, "credentials": {…}, "clientIp"?, "clockSkew"?,
//! "region"?, "host"?, "debug"?}`. `credentials` has the request schema's shape for the URL's
//! provider — S3 `{accessKeyId, secretAccessKey, sessionToken?}`; Azure `{accountKey}`,
//! `{connectionString}` or `{userDelegationKey: {…}}`; GCS `{hmac: {accessId, secret}}`,
//! `{serviceAccount: <key JSON>}` (its public half is used),
//! `{publicKey: {clientEmail, pem}}` (a PEM public key or X.509 certificate) or
//! `{rsaChecked: {clientEmail, valid}}` (the RSA signature checked outside, e.g. by WebCrypto, over
//! the string to sign a `debug` verdict of the same URL gave).
//!
//! Output: `{"valid": true, "provider", "algorithm", "keyId", "method", "resource",
//! "permissions"?, "allowedBy"?, "signedHeaders", "notBefore"?, "expiresAt", "ipRange"?,
//! "debug"?}` or `{"valid": false, "error": {"code", "message", "debug"?}}`; input that cannot be
//! read gives the code `INVALID_REQUEST`.

use super::{
    verify, IncomingRequest, KeyId, Provider, Verified, VerifyError, VerifyKey, VerifyOptions,
};
use crate::azure::ConnectionString;
use crate::error::{msg, msg_at};
use crate::error::{Error, Result};
use crate::gcs::{HmacCredentials, ServiceAccountKey};
use crate::prelude::*;
use crate::schema::{from_str, missing, unknown, FromJson, Object, Reader};
use crate::time::Timestamp;
use crate::types::{Method, Params, Secret};

/// The input object; `credentials` is kept as JSON text until the URL says which provider's
/// shape to read.
#[derive(Default)]
struct Input {
    url: String,
    method: Method,
    headers: Params,
    credentials: String,
    client_ip: Option<String>,
    clock_skew: Option<u64>,
    region: Option<String>,
    host: Option<String>,
    debug: bool,
}

impl FromJson for Input {
    fn from_json(r: &mut Reader<'_>) -> Result<Self> {
        let mut out = Input::default();
        let (mut url, mut credentials) = (None, None);
        r.object(|r, name| {
            match name {
                "url" => url = Some(String::from_json(r)?),
                "method" => out.method = Method::from_json(r)?,
                "headers" => out.headers = Params::from_json(r)?,
                "credentials" => credentials = Some(r.raw()?.to_owned()),
                "clientIp" => out.client_ip = FromJson::from_json(r)?,
                "clockSkew" => out.clock_skew = FromJson::from_json(r)?,
                "region" => out.region = FromJson::from_json(r)?,
                "host" => out.host = FromJson::from_json(r)?,
                "debug" => out.debug = bool::from_json(r)?,
                _ => return Err(unknown(name)),
            }
            Ok(())
        })?;
        out.url = url.ok_or_else(|| missing("url"))?;
        out.credentials = credentials.ok_or_else(|| missing("credentials"))?;
        Ok(out)
    }
}

/// A GCS service account's public key: `{"clientEmail", "pem"}`.
struct GcsPublicKey {
    client_email: String,
    pem: String,
}

impl FromJson for GcsPublicKey {
    fn from_json(r: &mut Reader<'_>) -> Result<Self> {
        let (mut client_email, mut pem) = (None, None);
        r.object(|r, name| {
            match name {
                "clientEmail" => client_email = Some(String::from_json(r)?),
                "pem" => pem = Some(String::from_json(r)?),
                _ => return Err(unknown(name)),
            }
            Ok(())
        })?;
        Ok(GcsPublicKey {
            client_email: client_email.ok_or_else(|| missing("clientEmail"))?,
            pem: pem.ok_or_else(|| missing("pem"))?,
        })
    }
}

/// GCS credentials for verifying: exactly one of `hmac`, `serviceAccount`, `publicKey`,
/// `rsaChecked`.
enum GcsCredentials {
    Hmac(HmacCredentials),
    ServiceAccount(ServiceAccountKey),
    PublicKey(GcsPublicKey),
    RsaChecked(RsaChecked),
}

/// `{"clientEmail", "valid"}`: a GOOG4-RSA-SHA256 signature checked outside the crate (the JS
/// package checks it with WebCrypto over the string to sign a first `debug` call returned).
#[derive(Default)]
struct RsaChecked {
    client_email: String,
    valid: bool,
}

crate::schema::json_struct!(RsaChecked {
    required { client_email: "clientEmail", valid: "valid" }
    optional {}
});

impl FromJson for GcsCredentials {
    fn from_json(r: &mut Reader<'_>) -> Result<Self> {
        let mut out = None;
        r.object(|r, name| {
            let c = match name {
                "hmac" => GcsCredentials::Hmac(FromJson::from_json(r)?),
                "serviceAccount" => GcsCredentials::ServiceAccount(FromJson::from_json(r)?),
                "publicKey" => GcsCredentials::PublicKey(FromJson::from_json(r)?),
                "rsaChecked" => GcsCredentials::RsaChecked(FromJson::from_json(r)?),
                _ => return Err(unknown(name)),
            };
            if out.replace(c).is_some() {
                return Err(Error::InvalidRequest(msg!(
                    "give one of hmac, serviceAccount, publicKey, rsaChecked"
                )));
            }
            Ok(())
        })?;
        out.ok_or_else(|| {
            Error::InvalidRequest(msg!(
                "give one of hmac, serviceAccount, publicKey, rsaChecked"
            ))
        })
    }
}

/// The one key the input's credentials give, and the identity it belongs to (`None`: any).
struct OneKey {
    id: Option<String>,
    key: VerifyKey,
}

impl OneKey {
    fn lookup(&self, id: &KeyId<'_>) -> Option<VerifyKey> {
        let name = match *id {
            KeyId::S3 { access_key_id } => access_key_id,
            KeyId::GcsHmac { access_id } => access_id,
            KeyId::GcsServiceAccount { client_email } => client_email,
            KeyId::AzureAccount { account } | KeyId::AzureUserDelegation { account, .. } => account,
        };
        match &self.id {
            Some(id) if id != name => None,
            _ => Some(self.key.clone()),
        }
    }
}

/// The provider a URL's signature parameters name (the verifier checks it again).
fn provider_of(url: &str) -> Option<Provider> {
    let query = url
        .split_once('#')
        .map_or(url, |(u, _)| u)
        .split_once('?')?
        .1;
    let names: Vec<&str> = query
        .split('&')
        .map(|p| p.split_once('=').map_or(p, |(n, _)| n))
        .collect();
    if names.iter().any(|n| n.starts_with("X-Amz-")) {
        Some(Provider::S3)
    } else if names.iter().any(|n| n.starts_with("X-Goog-")) {
        Some(Provider::Gcs)
    } else if names.contains(&"sig") {
        Some(Provider::Azure)
    } else {
        None
    }
}

fn credentials_key(provider: Provider, json: &str) -> Result<OneKey> {
    let at = |e: Error| match e {
        Error::InvalidRequest(m) => Error::InvalidRequest(msg_at!("credentials", "{m}")),
        other => other,
    };
    match provider {
        Provider::S3 => {
            let c: crate::s3::Credentials = from_str(json).map_err(at)?;
            Ok(OneKey {
                id: Some(c.access_key_id.clone()),
                key: VerifyKey::S3(c),
            })
        }
        Provider::Azure => {
            let c: crate::azure::Credentials = from_str(json).map_err(at)?;
            match c {
                crate::azure::Credentials::AccountKey(k) => Ok(OneKey {
                    id: None,
                    key: VerifyKey::AzureAccountKey(k),
                }),
                crate::azure::Credentials::ConnectionString(cs) => {
                    let cs = ConnectionString::parse(cs.expose())?;
                    let key = cs.account_key.ok_or_else(|| {
                        Error::InvalidCredentials(msg!(
                            "the connection string has no AccountKey to verify with"
                        ))
                    })?;
                    Ok(OneKey {
                        id: cs.account_name,
                        key: VerifyKey::AzureAccountKey(key),
                    })
                }
                crate::azure::Credentials::UserDelegationKey(udk) => Ok(OneKey {
                    id: None,
                    key: VerifyKey::AzureUserDelegation(udk),
                }),
            }
        }
        Provider::Gcs => match from_str::<GcsCredentials>(json).map_err(at)? {
            GcsCredentials::Hmac(h) => Ok(OneKey {
                id: Some(h.access_id),
                key: VerifyKey::GcsHmac(h.secret),
            }),
            GcsCredentials::ServiceAccount(sa) => {
                let pem = sa.private_key.ok_or_else(|| {
                    Error::InvalidCredentials(msg!("the service-account key has no private_key; give publicKey {{clientEmail, pem}} instead"))
                })?;
                Ok(OneKey {
                    id: Some(sa.client_email),
                    key: public_from_private(&pem)?,
                })
            }
            GcsCredentials::PublicKey(p) => Ok(OneKey {
                id: Some(p.client_email),
                key: public_from_pem(&p.pem)?,
            }),
            GcsCredentials::RsaChecked(c) => Ok(OneKey {
                id: Some(c.client_email),
                key: VerifyKey::GcsRsaChecked(c.valid),
            }),
        },
    }
}

#[cfg(feature = "gcs-rsa")]
fn public_from_private(pem: &Secret) -> Result<VerifyKey> {
    Ok(VerifyKey::GcsRsa(
        crate::crypto::RsaPublicKey::from_private_key_pem(pem.expose())?,
    ))
}

#[cfg(feature = "gcs-rsa")]
fn public_from_pem(pem: &str) -> Result<VerifyKey> {
    Ok(VerifyKey::GcsRsa(crate::crypto::RsaPublicKey::from_pem(
        pem,
    )?))
}

#[cfg(not(feature = "gcs-rsa"))]
fn public_from_private(_pem: &Secret) -> Result<VerifyKey> {
    Err(rsa_unsupported())
}

#[cfg(not(feature = "gcs-rsa"))]
fn public_from_pem(_pem: &str) -> Result<VerifyKey> {
    Err(rsa_unsupported())
}

#[cfg(not(feature = "gcs-rsa"))]
fn rsa_unsupported() -> Error {
    Error::Unsupported(msg!(
        "verifying GOOG4-RSA-SHA256 signatures needs the `gcs-rsa` cargo feature"
    ))
}

/// Verifies one presigned URL given as JSON (see the module docs for the shapes) at `now`.
pub fn verify_json(input: &str, now: Timestamp) -> String {
    match run(input, now) {
        Ok(r) => result_json(&r),
        Err(e) => {
            let mut out = String::with_capacity(128);
            push_refused(&mut out, e.code(), e.message(), None);
            out
        }
    }
}

/// A verdict as JSON: `{"valid": true, …}` or `{"valid": false, "error": {…}}` (the shapes of
/// [`verify_json`]).
pub fn result_json(r: &core::result::Result<Verified, VerifyError>) -> String {
    let mut out = String::with_capacity(256);
    match r {
        Ok(v) => push_verified(&mut out, v),
        Err(e) => push_refused(&mut out, e.code(), e.message(), e.debug()),
    }
    out
}

fn run(input: &str, now: Timestamp) -> Result<Result<Verified, VerifyError>> {
    let input: Input = from_str(input).map_err(|e| match e {
        Error::InvalidRequest(m) => Error::InvalidRequest(msg!("not a valid verify input: {m}")),
        other => other,
    })?;
    let client_ip = match &input.client_ip {
        Some(ip) => Some(ip.parse().map_err(|_| {
            Error::InvalidRequest(msg_at!("clientIp", "expected an IPv4 or IPv6 address"))
        })?),
        None => None,
    };
    let Some(provider) = provider_of(&input.url) else {
        return Ok(Err(VerifyError::new(
            super::Check::NotPresigned,
            "the URL has no S3 (X-Amz-Signature), GCS (X-Goog-Signature) or Azure SAS (sig) signature",
        )));
    };
    let key = credentials_key(provider, &input.credentials)?;
    let opts = VerifyOptions {
        clock_skew: input.clock_skew.unwrap_or(super::DEFAULT_CLOCK_SKEW),
        region: input.region,
        host: input.host,
        debug: input.debug,
    };
    let req = IncomingRequest {
        url: &input.url,
        method: input.method,
        headers: &input.headers.0,
        client_ip,
    };
    Ok(verify(&req, &|id: &KeyId<'_>| key.lookup(id), now, &opts))
}

fn push_verified(out: &mut String, v: &Verified) {
    let mut o = Object::new(out)
        .raw("valid", "true")
        .str("provider", v.provider.as_str())
        .str("algorithm", v.algorithm)
        .str("keyId", &v.key_id)
        .str("method", v.method.as_str())
        .str("resource", &v.resource);
    if let Some((sp, letter)) = &v.permissions {
        o = o
            .str("permissions", sp)
            .str("allowedBy", letter.encode_utf8(&mut [0; 4]));
    }
    let list = o.key("signedHeaders");
    list.push('[');
    for (i, h) in v.signed_headers.iter().enumerate() {
        if i > 0 {
            list.push(',');
        }
        crate::schema::push_str(list, h);
    }
    list.push(']');
    if let Some(t) = v.not_before {
        o = o.str("notBefore", &t.rfc3339());
    }
    o = o.str("expiresAt", &v.expires_at.rfc3339());
    if let Some(ip) = &v.ip_range {
        o = o.str("ipRange", ip);
    }
    if let Some(d) = &v.debug {
        push_debug(o.key("debug"), d);
    }
    o.end();
}

fn push_refused(out: &mut String, code: &str, message: &str, debug: Option<&super::DebugInfo>) {
    let mut o = Object::new(out).raw("valid", "false");
    let mut e = Object::new(o.key("error"))
        .str("code", code)
        .str("message", message);
    if let Some(d) = debug {
        push_debug(e.key("debug"), d);
    }
    e.end();
    o.end();
}

fn push_debug(out: &mut String, d: &super::DebugInfo) {
    Object::new(out)
        .str("canonicalRequest", &d.canonical_request)
        .str("stringToSign", &d.string_to_sign)
        .end();
}
