//! The presigner: credentials resolved to one kind of key, the URL of the target, then a SAS
//! signed with the key or a ready SAS appended.

use super::endpoint;
use super::sign::{sign, Kind, Signing};
use super::validate::{validate_account, validate_blob, validate_container, validate_query};
use super::UserDelegationKey;
use super::DEFAULT_SUFFIX;
use super::{ready, AzureRequest, ConnectionString, Credentials, Presigner, SasKind};
use crate::crypto::HmacKey;
use crate::encoding::{base64_decode, encode_component_into, encode_path_into};
use crate::error::{msg, msg_at};
use crate::error::{Error, Result};
use crate::prelude::*;
use crate::time::Timestamp;
use crate::types::{Method, Params, Presigned, Warning};
use zeroize::Zeroizing;

/// Decoded account / delegation keys, absorbed into HMAC state, for the last few keys seen.
pub(super) struct KeyCache(crate::cache::KeyCache<(Zeroizing<String>, HmacKey)>);

impl Default for KeyCache {
    fn default() -> Self {
        KeyCache(crate::cache::KeyCache::new(8))
    }
}

impl KeyCache {
    fn get(&self, key_b64: &str, what: &str) -> Result<HmacKey> {
        self.0.get(
            |(s, _)| s.as_str() == key_b64,
            |(_, k)| k.clone(),
            || {
                let raw = Zeroizing::new(
                    base64_decode(key_b64)
                        .filter(|k| !k.is_empty())
                        .ok_or_else(|| {
                            Error::InvalidCredentials(msg!("the {what} is not base64"))
                        })?,
                );
                Ok((Zeroizing::new(key_b64.to_owned()), HmacKey::new(&raw)))
            },
        )
    }
}

impl core::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.0.fmt(f)
    }
}

/// The signing material after connection-string resolution: a key that signs, or a ready SAS.
enum Key<'a> {
    Sign(SigningKey<'a>),
    /// A ready SAS token from a connection string.
    Ready(&'a str),
}

/// A key that signs, one variant per kind of key.
enum SigningKey<'a> {
    /// An account key (base64): a service or an account SAS.
    Account(&'a str),
    /// A user-delegation key: a user-delegation SAS.
    Delegation(&'a UserDelegationKey),
}

/// The URL of the target, up to and including `?`.
struct Address<'a> {
    /// The account, from the request or the connection string.
    account: Option<&'a str>,
    scheme: &'static str,
    url: String,
    /// Where the query starts in `url`.
    query_start: usize,
}

impl Presigner {
    pub(super) fn presign_inner(
        &self,
        req: &AzureRequest,
        now: Timestamp,
        sts_out: &mut Option<String>,
    ) -> Result<Presigned> {
        let time = req.signed_at.unwrap_or(now);
        let creds = req
            .credentials
            .as_ref()
            .ok_or_else(|| Error::InvalidCredentials(msg!("no credentials given")))?;
        let cs = match creds {
            Credentials::ConnectionString(s) => Some(ConnectionString::parse(s.expose())?),
            _ => None,
        };
        let key = key(creds, cs.as_ref())?;
        let Address {
            account,
            scheme,
            mut url,
            query_start,
        } = address(req, cs.as_ref())?;
        let mut warnings = Vec::new();
        let mut headers: Vec<(String, String)> = Vec::new();
        let expires_at = match key {
            Key::Ready(sas) => {
                ready::check_ready_sas_request(req)?;
                super::write_addressing(&mut url, query_start, req, &[]);
                ready::ready_sas(&mut url, query_start, sas, time, &mut warnings)?
            }
            Key::Sign(key) => {
                let account = account
                    .ok_or_else(|| Error::InvalidRequest(msg!("no account given to sign for")))?;
                let (kind, key_b64, what) = match key {
                    SigningKey::Account(k) => (account_key_sas(req.sas)?, k, "account key"),
                    SigningKey::Delegation(k) => {
                        if matches!(req.sas, Some(SasKind::Service | SasKind::Account)) {
                            return Err(Error::InvalidCredentials(msg!("a user-delegation key signs only a user-delegation SAS (sas: \"userDelegation\")")));
                        }
                        k.validate()?;
                        let value = k.value.expose();
                        (Kind::UserDelegation(k), value, "user-delegation key value")
                    }
                };
                sign(Signing {
                    req,
                    kind,
                    account,
                    scheme,
                    signing_key: &self.keys.get(key_b64, what)?,
                    time,
                    url: &mut url,
                    query_start,
                    headers: &mut headers,
                    warnings: &mut warnings,
                    sts_out,
                })?
            }
        };
        Ok(finish(req, url, query_start, headers, expires_at, warnings))
    }
}

/// The key that signs (or the ready SAS); `cs` is the parsed connection string.
fn key<'a>(creds: &'a Credentials, cs: Option<&'a ConnectionString>) -> Result<Key<'a>> {
    match (creds, cs) {
        (Credentials::AccountKey(k), _) => Ok(Key::Sign(SigningKey::Account(k.expose()))),
        (Credentials::UserDelegationKey(k), _) => Ok(Key::Sign(SigningKey::Delegation(k))),
        (Credentials::ConnectionString(_), cs) => {
            match cs.map(|c| (&c.account_key, &c.shared_access_signature)) {
                Some((Some(k), _)) => Ok(Key::Sign(SigningKey::Account(k.expose()))),
                Some((None, Some(s))) => Ok(Key::Ready(s.expose())),
                _ => Err(Error::InvalidCredentials(msg!(
                    "the connection string has neither AccountKey nor SharedAccessSignature"
                ))),
            }
        }
    }
}

/// The kind of SAS an account key makes: the one asked for, a service SAS by default.
fn account_key_sas(asked: Option<SasKind>) -> Result<Kind<'static>> {
    match asked {
        None | Some(SasKind::Service) => Ok(Kind::Service),
        Some(SasKind::Account) => Ok(Kind::Account),
        Some(SasKind::UserDelegation) => Err(Error::InvalidCredentials(msg!(
            "a user-delegation SAS needs credentials.userDelegationKey"
        ))),
    }
}

/// The account and endpoint (the request's, else the connection string's), the checked
/// target, and its URL up to `?`.
fn address<'a>(req: &'a AzureRequest, cs: Option<&'a ConnectionString>) -> Result<Address<'a>> {
    let cs_account = cs.and_then(|c| c.account_name.as_deref());
    let account = match (req.account.as_deref(), cs_account) {
        (Some(a), Some(b)) if a != b => {
            return Err(Error::InvalidRequest(msg_at!(
                "account",
                "differs from the connection string's AccountName"
            )))
        }
        (a, b) => a.or(b),
    };
    if let Some(a) = account {
        validate_account(a)?;
    }
    let endpoint = req
        .endpoint
        .as_deref()
        .or_else(|| cs.and_then(|c| c.blob_endpoint.as_deref()));
    let scheme = cs.and_then(|c| c.protocol).unwrap_or("https");
    let suffix = cs
        .and_then(|c| c.endpoint_suffix.as_deref())
        .unwrap_or(DEFAULT_SUFFIX);
    let base = endpoint::resolve(account, endpoint, scheme, suffix)?;

    // Target.
    if let Some(c) = &req.container {
        validate_container(c)?;
    }
    if let Some(b) = &req.blob {
        validate_blob(b)?;
        if req.container.is_none() {
            return Err(Error::InvalidBucket(msg!("a blob needs its container")));
        }
    }
    validate_query(&req.query)?;
    let mut url = String::with_capacity(
        base.scheme.len()
            + base.authority.len()
            + base.path.len()
            + req.container.as_ref().map_or(0, String::len)
            + req.blob.as_ref().map_or(0, |b| b.len() * 3)
            + 420,
    );
    url.push_str(base.scheme);
    url.push_str("://");
    url.push_str(&base.authority);
    url.push_str(&base.path);
    url.push('/');
    if let Some(c) = &req.container {
        // Only `$` of `$root` / `$web` / `$logs` changes: `%24root`, as the SDKs write it.
        encode_component_into(&mut url, c);
        if let Some(b) = &req.blob {
            url.push('/');
            encode_path_into(&mut url, b);
        }
    }
    url.push('?');
    let query_start = url.len();
    Ok(Address {
        account,
        scheme: base.scheme,
        url,
        query_start,
    })
}

/// The result: `x-ms-blob-type` for a plain blob upload, headers sorted, no `?` without a
/// query.
fn finish(
    req: &AzureRequest,
    mut url: String,
    query_start: usize,
    mut headers: Vec<(String, String)>,
    expires_at: Timestamp,
    warnings: Vec<Warning>,
) -> Presigned {
    let has_comp = req
        .query
        .iter()
        .chain(req.request_query.iter())
        .any(|(n, _)| n.eq_ignore_ascii_case("comp"));
    if req.method == Method::Put
        && req.blob.is_some()
        && !has_comp
        && !headers.iter().any(|(n, _)| n == "x-ms-blob-type")
    {
        headers.push(("x-ms-blob-type".into(), "BlockBlob".into()));
    }
    crate::text::sort_by(&mut headers, |a, b| a < b);
    if url.len() == query_start {
        url.pop();
    }
    Presigned {
        url,
        method: req.method,
        headers: Params(headers),
        expires_at,
        warnings,
    }
}
