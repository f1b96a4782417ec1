//! Azure Blob Storage shared access signatures (SAS): service SAS (blob, snapshot, version,
//! container, directory) and account SAS signed with the account key, user-delegation SAS
//! signed with a user-delegation key, connection strings, Azurite.
//!
//! Spec: <https://learn.microsoft.com/rest/api/storageservices/create-service-sas>,
//! <https://learn.microsoft.com/rest/api/storageservices/create-account-sas>,
//! <https://learn.microsoft.com/rest/api/storageservices/create-user-delegation-sas>.
//!
//! ```
//! use presign::azure::{AzureRequest, Credentials};
//! use presign::{Method, Timestamp};
//!
//! let mut req = AzureRequest::new(Method::Put, "myaccount", "photos", "cat 1.jpg");
//! req.credentials = Some(Credentials::account_key("a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5"));
//! req.expires_in = Some(600);
//!
//! let now = Timestamp::parse_rfc3339("2026-11-24T10:00:00Z")?;
//! let out = presign::azure::presign(&req, now)?;
//! assert!(out.url.starts_with("https://myaccount.blob.core.windows.net/photos/cat%201.jpg?sv=2025-07-05&sr=b&sp=cw&se=2026-11-24T10%3A10%3A00Z&sig="));
//! assert_eq!(out.headers.0, [("x-ms-blob-type".to_string(), "BlockBlob".to_string())]);
//! assert_eq!(out.expires_at.rfc3339(), "2026-11-24T10:10:00Z");
//! # Ok::<(), presign::Error>(())
//! ```
//!
//! # Rules
//! - Blob names are signed exactly as typed (the canonicalized resource holds the raw name) and
//!   percent-encoded once in the URL path, `/` kept — see [`crate::encoding`]. No Unicode
//!   normalisation. Control characters are refused in every signed field, blob names included:
//!   a line break would shift the lines of the string-to-sign.
//! - Permissions are typed flags ([`Permissions`]) emitted in the canonical order of the
//!   resource kind; a letter the kind does not know is an error. Without `permissions` (and
//!   without a stored access policy `identifier`) the method decides: `GET`/`HEAD` → `r` (`rl` for
//!   a container or account SAS), `PUT` → `cw`, `DELETE` → `d`; `POST` needs explicit permissions.
//! - `sv` defaults to [`DEFAULT_VERSION`] (2025-07-05, see there why); any version in
//!   [`sas::KNOWN_VERSIONS`] can be asked for with `version`.
//! - `st` is left out unless `startsOn` or `clockSkew` is given. Azure compares `st` with its own
//!   clock, so `st` = the signing instant fails intermittently when the signer's clock runs
//!   ahead; `clockSkew` back-dates `st` (from `startsOn`, or from the signing instant) by that
//!   many seconds (at most [`MAX_CLOCK_SKEW`]).
//! - The expiry is `expiresOn`, or `expiresIn` seconds after signing (default
//!   [`DEFAULT_EXPIRES`]); with a stored access policy (`identifier`) and neither, `se` is left to
//!   the policy, `expiresAt` is the signing instant and a `EXPIRY_FROM_POLICY` warning says so.
//! - A user-delegation key is taken when Azure could have issued it: start and expiry each within
//!   7 days of its (unknown) request time, so a back-dated start is fine and a key lives at most
//!   14 days ([`delegation::MAX_KEY_LIFETIME`]). It must not have expired at the signing instant.
//!   The SAS's `st`/`se` may lie anywhere that overlaps the key's validity; a SAS expiring at or
//!   before the key starts, or starting at or after it expires, is refused (Azure would refuse
//!   every request with it); a SAS outliving its key follows `credentialExpiry` (default: a
//!   `CREDENTIALS_EXPIRE_FIRST` warning).
//! - `protocol: "https"` with an http endpoint is signed (the token is valid for the same
//!   account over https) with a `HTTPS_ONLY_ON_HTTP` warning: Azure refuses that URL over http.
//! - The result's `headers` are what the client must send: `x-ms-blob-type: BlockBlob` for a
//!   `PUT` to a blob without a `comp` parameter (block uploads with `comp=block`/`blocklist` need
//!   none), plus the headers bound with `requestHeaders` (user delegation, 2026-04-06+).
//! - Extra `query` parameters (`comp`, `blockid`, `restype`, `timeout`…) are added to the URL
//!   unsigned, as Azure expects; SAS parameter names (`sv`, `sig`, `sp`, `snapshot`…) are refused.

pub mod connection_string;
pub mod delegation;
mod endpoint;
pub mod permissions;
pub mod sas;

pub use connection_string::ConnectionString;
pub use delegation::{HttpRequest, KeyRequest, UserDelegationKey};
pub use endpoint::DEFAULT_SUFFIX;
pub use permissions::{PermissionScope, Permissions};
pub use sas::{SignedVersion, DEFAULT_VERSION};

use crate::crypto::HmacKey;
use crate::encoding::{
    append_param, base64_decode, encode_component_into, encode_path_into, percent_decode,
};
use crate::error::{Error, Result};
use crate::time::Timestamp;
use crate::types::{CredentialExpiry, Method, Params, Presigned, Secret, Warning};
use sas::{DelegationFields, Layout, SasFields};
use zeroize::Zeroizing;

/// Lifetime when the request names neither `expiresOn` nor `expiresIn`: 1 hour.
pub const DEFAULT_EXPIRES: u64 = 3600;
/// Longest blob name Azure accepts, in characters.
pub const MAX_BLOB_NAME_CHARS: usize = 1024;
/// Largest `clockSkew`, seconds.
pub const MAX_CLOCK_SKEW: u64 = 3600;
/// Longest stored access policy identifier.
pub const MAX_IDENTIFIER_CHARS: usize = 64;

/// Which kind of SAS to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SasKind {
    /// Service SAS signed with the account key (default with an account key).
    Service,
    /// Account SAS (`ss`, `srt`) signed with the account key.
    Account,
    /// User-delegation SAS signed with a user-delegation key (default with one).
    UserDelegation,
}

#[cfg(feature = "json")]
crate::schema::json_enum!(SasKind {
    Service: "service",
    Account: "account",
    UserDelegation: "userDelegation",
});

/// What a service or user-delegation SAS grants access to (`sr`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    /// One blob (`sr=b`), or its snapshot (`bs`) / version (`bv`). Default when `blob` is given.
    Blob,
    /// The container and every blob in it (`sr=c`). Default without `blob`.
    Container,
    /// A directory of a hierarchical-namespace account (`sr=d`, `sdd`); `blob` names it.
    Directory,
}

#[cfg(feature = "json")]
crate::schema::json_enum!(Resource {
    Blob: "blob",
    Container: "container",
    Directory: "directory",
});

/// Protocols the SAS allows (`spr`). Without one Azure allows both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// `https` only.
    Https,
    /// `https,http`.
    HttpsAndHttp,
}

#[cfg(feature = "json")]
crate::schema::json_enum!(Protocol {
    Https: "https",
    HttpsAndHttp: "https,http"
});

impl Protocol {
    /// The `spr` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Https => "https",
            Protocol::HttpsAndHttp => "https,http",
        }
    }
}

/// Response header overrides (`rscc`, `rscd`, `rsce`, `rscl`, `rsct`): the service answers a
/// read through the SAS with these values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResponseHeaders {
    /// `Cache-Control` (`rscc`).
    pub cache_control: Option<String>,
    /// `Content-Disposition` (`rscd`).
    pub content_disposition: Option<String>,
    /// `Content-Encoding` (`rsce`).
    pub content_encoding: Option<String>,
    /// `Content-Language` (`rscl`).
    pub content_language: Option<String>,
    /// `Content-Type` (`rsct`).
    pub content_type: Option<String>,
}

#[cfg(feature = "json")]
crate::schema::json_struct!(ResponseHeaders {
    required {}
    optional {
        cache_control: "cacheControl", content_disposition: "contentDisposition",
        content_encoding: "contentEncoding", content_language: "contentLanguage",
        content_type: "contentType",
    }
});

impl ResponseHeaders {
    fn is_empty(&self) -> bool {
        self == &ResponseHeaders::default()
    }
}

/// Who signs: exactly one of an account key, a connection string or a user-delegation key.
/// `Debug` redacts every secret.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Credentials {
    /// The storage account key (base64).
    pub account_key: Option<Secret>,
    /// A connection string (see [`ConnectionString`]). One with only a `SharedAccessSignature`
    /// makes the presigner build URLs with that ready SAS.
    pub connection_string: Option<Secret>,
    /// A user-delegation key (see [`delegation`]).
    pub user_delegation_key: Option<UserDelegationKey>,
}

#[cfg(feature = "json")]
crate::schema::json_struct!(Credentials {
    required {}
    optional {
        account_key: "accountKey", connection_string: "connectionString",
        user_delegation_key: "userDelegationKey",
    }
});

impl Credentials {
    /// An account key.
    pub fn account_key(key: impl Into<Secret>) -> Self {
        Credentials {
            account_key: Some(key.into()),
            ..Self::default()
        }
    }
    /// A connection string.
    pub fn connection_string(s: impl Into<Secret>) -> Self {
        Credentials {
            connection_string: Some(s.into()),
            ..Self::default()
        }
    }
    /// A user-delegation key.
    pub fn user_delegation_key(key: UserDelegationKey) -> Self {
        Credentials {
            user_delegation_key: Some(key),
            ..Self::default()
        }
    }
}

/// A presign request for Azure Blob Storage (the `"provider": "azure"` member of the request
/// schema).
#[derive(Clone, Debug, Default)]
pub struct AzureRequest {
    /// HTTP method (default GET).
    pub method: Method,
    /// `service`, `account` or `userDelegation`; default from the credentials.
    pub sas: Option<SasKind>,
    /// Storage account name (3–24 lower-case letters and digits); may come from the connection
    /// string.
    pub account: Option<String>,
    /// Container (3–63 of `a-z 0-9 -`, or `$root`, `$web`, `$logs`).
    pub container: Option<String>,
    /// Blob name exactly as stored (or the directory of a directory SAS).
    pub blob: Option<String>,
    /// `blob`, `container` or `directory` (service and user-delegation SAS).
    pub resource: Option<Resource>,
    /// Custom blob endpoint `scheme://host[:port][/path]`.
    pub endpoint: Option<String>,
    /// Who signs. Required by the core; the CLI fills it from the environment.
    pub credentials: Option<Credentials>,
    /// Permission letters (`sp`), any order.
    pub permissions: Option<String>,
    /// `st`: when the SAS becomes valid (default: absent = immediately).
    pub starts_on: Option<Timestamp>,
    /// `se`: when the SAS expires. Not together with `expires_in`.
    pub expires_on: Option<Timestamp>,
    /// Lifetime in seconds from the signing instant (default [`DEFAULT_EXPIRES`]).
    pub expires_in: Option<u64>,
    /// `sip`: one IPv4 address or a range `a.b.c.d-e.f.g.h`.
    pub ip_range: Option<String>,
    /// `spr`.
    pub protocol: Option<Protocol>,
    /// `si`: a stored access policy on the container.
    pub identifier: Option<String>,
    /// `ses`: the encryption scope for writes.
    pub encryption_scope: Option<String>,
    /// A blob snapshot (`sr=bs`; the URL carries `snapshot=`).
    pub snapshot: Option<String>,
    /// A blob version (`sr=bv`; the URL carries `versionid=`).
    pub version_id: Option<String>,
    /// `sv` (default [`DEFAULT_VERSION`]).
    pub version: Option<String>,
    /// Response header overrides.
    pub response_headers: ResponseHeaders,
    /// Account SAS: `ss` letters (default `b`).
    pub services: Option<String>,
    /// Account SAS: `srt` letters (default from the URL: `o` with a blob, `c` with a container,
    /// else `s`).
    pub resource_types: Option<String>,
    /// Back-dates `st` by this many seconds (see the module docs).
    pub clock_skew: Option<u64>,
    /// The signing instant; when absent the caller's `now` is used.
    pub signed_at: Option<Timestamp>,
    /// Extra unsigned query parameters for the URL (`comp`, `blockid`, `restype`…).
    pub query: Params,
    /// User delegation: `saoid`, a pre-authorized agent object id.
    pub preauthorized_agent_object_id: Option<String>,
    /// User delegation: `suoid`, an agent object id checked against POSIX ACLs.
    pub agent_object_id: Option<String>,
    /// User delegation: `scid`, a correlation id for audit logs.
    pub correlation_id: Option<String>,
    /// User delegation (2025-07-05+): `sduoid`, the Entra object id of the only user who may use
    /// the SAS (with their own token).
    pub delegated_user_object_id: Option<String>,
    /// User delegation (2026-04-06+): headers the request must carry (`srh`); they are returned
    /// in the result's `headers`.
    pub request_headers: Params,
    /// User delegation (2026-04-06+): query parameters the request must carry (`srq`); they are
    /// added to the URL.
    pub request_query: Params,
    /// User delegation: what to do when the key expires before the SAS (default `warn`).
    pub credential_expiry: CredentialExpiry,
}

#[cfg(feature = "json")]
crate::schema::json_struct!(AzureRequest {
    required {}
    optional {
        method: "method", sas: "sas", account: "account", container: "container", blob: "blob",
        resource: "resource", endpoint: "endpoint", credentials: "credentials",
        permissions: "permissions", starts_on: "startsOn", expires_on: "expiresOn",
        expires_in: "expiresIn", ip_range: "ipRange", protocol: "protocol",
        identifier: "identifier", encryption_scope: "encryptionScope", snapshot: "snapshot",
        version_id: "versionId", version: "version", response_headers: "responseHeaders",
        services: "services", resource_types: "resourceTypes", clock_skew: "clockSkew",
        signed_at: "signedAt", query: "query",
        preauthorized_agent_object_id: "preauthorizedAgentObjectId",
        agent_object_id: "agentObjectId", correlation_id: "correlationId",
        delegated_user_object_id: "delegatedUserObjectId", request_headers: "requestHeaders",
        request_query: "requestQuery", credential_expiry: "credentialExpiry",
    }
});

impl AzureRequest {
    /// A blob request (`sr=b`) with everything else at its default.
    pub fn new(
        method: Method,
        account: impl Into<String>,
        container: impl Into<String>,
        blob: impl Into<String>,
    ) -> Self {
        AzureRequest {
            method,
            account: Some(account.into()),
            container: Some(container.into()),
            blob: Some(blob.into()),
            ..Self::default()
        }
    }
}

/// Decoded account / delegation keys, absorbed into HMAC state, for the last few keys seen.
struct KeyCache(crate::cache::KeyCache<(Zeroizing<String>, HmacKey)>);

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
                            Error::InvalidCredentials(format!("the {what} is not base64"))
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

/// A reusable Azure presigner: caches decoded keys across calls.
#[derive(Debug, Default)]
pub struct Presigner {
    keys: KeyCache,
}

/// The signing material after connection-string resolution.
enum Key<'a> {
    Account(&'a str),
    Delegation(&'a UserDelegationKey),
    /// A ready SAS token from a connection string.
    Ready(&'a str),
}

impl Presigner {
    /// A presigner with an empty key cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Presigns `req`. The signing instant is `req.signed_at` if set, else `now`.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] (blob name), [`Error::InvalidBucket`] (container),
    /// [`Error::InvalidRequest`], [`Error::InvalidQuery`], [`Error::InvalidHeader`],
    /// [`Error::InvalidExpiry`], [`Error::InvalidTime`], [`Error::InvalidEndpoint`],
    /// [`Error::InvalidCredentials`], [`Error::CredentialsExpire`], [`Error::Unsupported`] —
    /// each with the reason.
    pub fn presign(&self, req: &AzureRequest, now: Timestamp) -> Result<Presigned> {
        self.presign_inner(req, now, &mut None)
    }

    /// As [`Presigner::presign`], and also returns the string-to-sign (for debugging: compare
    /// it with what the service logs, e.g. Azurite's `--debug` log). It is empty when the
    /// credentials are a connection string with a ready SAS.
    ///
    /// # Errors
    /// As [`Presigner::presign`].
    pub fn presign_with_string_to_sign(
        &self,
        req: &AzureRequest,
        now: Timestamp,
    ) -> Result<(Presigned, String)> {
        let mut sts = Some(String::new());
        let p = self.presign_inner(req, now, &mut sts)?;
        Ok((p, sts.unwrap_or_default()))
    }

    fn presign_inner(
        &self,
        req: &AzureRequest,
        now: Timestamp,
        sts_out: &mut Option<String>,
    ) -> Result<Presigned> {
        let time = req.signed_at.unwrap_or(now);
        let creds = req
            .credentials
            .as_ref()
            .ok_or_else(|| Error::InvalidCredentials("no credentials given".into()))?;
        let given = [
            creds.account_key.is_some(),
            creds.connection_string.is_some(),
            creds.user_delegation_key.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if given != 1 {
            return Err(Error::InvalidCredentials(
                "credentials must hold exactly one of accountKey, connectionString, userDelegationKey".into(),
            ));
        }
        let cs = match &creds.connection_string {
            Some(s) => Some(ConnectionString::parse(s.expose())?),
            None => None,
        };
        let key = match (&creds.account_key, &creds.user_delegation_key, &cs) {
            (Some(k), _, _) => Key::Account(k.expose()),
            (_, Some(k), _) => Key::Delegation(k),
            (_, _, Some(cs)) => match (&cs.account_key, &cs.shared_access_signature) {
                (Some(k), _) => Key::Account(k.expose()),
                (None, Some(s)) => Key::Ready(s.expose()),
                (None, None) => {
                    return Err(Error::InvalidCredentials(
                        "the connection string has neither AccountKey nor SharedAccessSignature"
                            .into(),
                    ))
                }
            },
            _ => {
                return Err(Error::InvalidCredentials(
                    "credentials must hold exactly one of accountKey, connectionString, userDelegationKey".into(),
                ))
            }
        };

        // Account and endpoint: the request's, else the connection string's.
        let cs_account = cs.as_ref().and_then(|c| c.account_name.as_deref());
        let account = match (req.account.as_deref(), cs_account) {
            (Some(a), Some(b)) if a != b => {
                return Err(Error::InvalidRequest(
                    "`account`: differs from the connection string's AccountName".into(),
                ))
            }
            (a, b) => a.or(b),
        };
        if let Some(a) = account {
            validate_account(a)?;
        }
        let endpoint = req
            .endpoint
            .as_deref()
            .or_else(|| cs.as_ref().and_then(|c| c.blob_endpoint.as_deref()));
        let scheme = cs.as_ref().and_then(|c| c.protocol).unwrap_or("https");
        let suffix = cs
            .as_ref()
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
                return Err(Error::InvalidBucket("a blob needs its container".into()));
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

        let mut warnings = Vec::new();
        let mut headers: Vec<(String, String)> = Vec::new();

        let expires_at = match key {
            Key::Ready(sas) => {
                check_ready_sas_request(req)?;
                write_addressing(&mut url, query_start, req, &[]);
                ready_sas(&mut url, query_start, sas, time, &mut warnings)?
            }
            Key::Account(_) | Key::Delegation(_) => {
                let account = account
                    .ok_or_else(|| Error::InvalidRequest("no account given to sign for".into()))?;
                let kind = match (&key, req.sas) {
                    (Key::Account(_), None | Some(SasKind::Service)) => SasKind::Service,
                    (Key::Account(_), Some(SasKind::Account)) => SasKind::Account,
                    (Key::Delegation(_), None | Some(SasKind::UserDelegation)) => {
                        SasKind::UserDelegation
                    }
                    (Key::Delegation(_), Some(_)) => {
                        return Err(Error::InvalidCredentials(
                            "a user-delegation key signs only a user-delegation SAS (sas: \"userDelegation\")".into(),
                        ))
                    }
                    _ => {
                        return Err(Error::InvalidCredentials(
                            "a user-delegation SAS needs credentials.userDelegationKey".into(),
                        ))
                    }
                };
                let signing_key = match key {
                    Key::Account(k) => self.keys.get(k, "account key")?,
                    Key::Delegation(k) => {
                        k.validate()?;
                        self.keys
                            .get(k.value.expose(), "user-delegation key value")?
                    }
                    Key::Ready(_) => {
                        return Err(Error::InvalidCredentials("no signing key".into()))
                    }
                };
                let udk = match key {
                    Key::Delegation(k) => Some(k),
                    _ => None,
                };
                sign(Signing {
                    req,
                    kind,
                    account,
                    scheme: base.scheme,
                    udk,
                    signing_key: &signing_key,
                    time,
                    url: &mut url,
                    query_start,
                    headers: &mut headers,
                    warnings: &mut warnings,
                    sts_out,
                })?
            }
        };

        // x-ms-blob-type for a plain blob upload.
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
        Ok(Presigned {
            url,
            method: req.method,
            headers: Params(headers),
            expires_at,
            warnings,
        })
    }
}

/// Presigns one Azure request without a key cache (see [`Presigner`] for many URLs).
///
/// # Errors
/// As [`Presigner::presign`].
pub fn presign(req: &AzureRequest, now: Timestamp) -> Result<Presigned> {
    Presigner::new().presign(req, now)
}

struct Signing<'a, 'b> {
    req: &'a AzureRequest,
    kind: SasKind,
    account: &'a str,
    scheme: &'static str,
    udk: Option<&'a UserDelegationKey>,
    signing_key: &'a HmacKey,
    time: Timestamp,
    url: &'b mut String,
    query_start: usize,
    headers: &'b mut Vec<(String, String)>,
    warnings: &'b mut Vec<Warning>,
    /// Receives the string-to-sign when `Some`.
    sts_out: &'b mut Option<String>,
}

/// Builds the SAS fields, signs them and appends the query. Returns `expiresAt`.
fn sign(s: Signing<'_, '_>) -> Result<Timestamp> {
    let req = s.req;
    let version = match &req.version {
        Some(v) => SignedVersion::parse(v)?,
        None => SignedVersion::default_version(),
    };
    let layout = version.layout();
    let sv = version.as_str();
    let delegation = s.kind == SasKind::UserDelegation;
    let account_sas = s.kind == SasKind::Account;

    // Fields that belong to other kinds.
    if !delegation {
        for (name, given) in delegation_only_fields(req) {
            if given {
                return Err(Error::Unsupported(format!(
                    "{name} exists only in a user-delegation SAS"
                )));
            }
        }
    }
    if delegation && req.identifier.is_some() {
        return Err(Error::Unsupported(
            "a user-delegation SAS cannot name a stored access policy (identifier)".into(),
        ));
    }
    if account_sas {
        if req.resource.is_some() {
            return Err(Error::InvalidRequest(
                "resource applies to a service or user-delegation SAS; an account SAS names resourceTypes".into(),
            ));
        }
        if req.identifier.is_some() {
            return Err(Error::Unsupported(
                "an account SAS cannot name a stored access policy (identifier)".into(),
            ));
        }
        if !req.response_headers.is_empty() {
            return Err(Error::Unsupported(
                "response header overrides exist only in a service or user-delegation SAS".into(),
            ));
        }
    } else {
        if req.services.is_some() || req.resource_types.is_some() {
            return Err(Error::InvalidRequest(
                "services and resourceTypes belong to an account SAS (sas: \"account\")".into(),
            ));
        }
        if req.container.is_none() {
            return Err(Error::InvalidBucket(
                "a service or user-delegation SAS needs a container".into(),
            ));
        }
    }

    // Resource, scope, canonicalized resource.
    let container = req.container.as_deref().unwrap_or("");
    let (scope, sr, canonical, depth) = if account_sas {
        (PermissionScope::Account, None, String::new(), None)
    } else {
        let resource = req.resource.unwrap_or(if req.blob.is_some() {
            Resource::Blob
        } else {
            Resource::Container
        });
        match resource {
            Resource::Blob => {
                let blob = req
                    .blob
                    .as_deref()
                    .ok_or_else(|| Error::InvalidKey("a blob SAS needs a blob name".into()))?;
                let sr = match (&req.snapshot, &req.version_id) {
                    (Some(_), Some(_)) => {
                        return Err(Error::InvalidRequest(
                            "give snapshot or versionId, not both".into(),
                        ))
                    }
                    (Some(_), None) => "bs",
                    (None, Some(_)) => "bv",
                    (None, None) => "b",
                };
                (
                    PermissionScope::Blob,
                    Some(sr),
                    sas::canonical_resource(s.account, container, Some(blob)),
                    None,
                )
            }
            Resource::Container => {
                if req.snapshot.is_some() || req.version_id.is_some() {
                    return Err(Error::InvalidRequest(
                        "a container SAS cannot name a snapshot or versionId (use resource \"blob\")"
                            .into(),
                    ));
                }
                (
                    PermissionScope::Container,
                    Some("c"),
                    sas::canonical_resource(s.account, container, None),
                    None,
                )
            }
            Resource::Directory => {
                let dir = req.blob.as_deref().ok_or_else(|| {
                    Error::InvalidKey("a directory SAS names its directory in blob".into())
                })?;
                if dir.starts_with('/') || dir.ends_with('/') {
                    return Err(Error::InvalidKey(
                        "a directory SAS's directory must not start or end with '/'".into(),
                    ));
                }
                if req.snapshot.is_some() || req.version_id.is_some() {
                    return Err(Error::InvalidRequest(
                        "a directory SAS cannot name a snapshot or versionId".into(),
                    ));
                }
                if layout == Layout::V2015_04_05 {
                    return Err(Error::Unsupported(
                        "`resource`: a directory SAS needs signed version 2020-02-10 or later"
                            .into(),
                    ));
                }
                let depth =
                    u32::try_from(crate::text::split_byte(dir, b'/').count()).unwrap_or(u32::MAX);
                (
                    PermissionScope::Directory,
                    Some("d"),
                    sas::canonical_resource(s.account, container, Some(dir)),
                    Some(depth),
                )
            }
        }
    };

    // Permissions.
    let permissions = match (&req.permissions, &req.identifier) {
        (Some(p), _) => Some(Permissions::parse(p, scope, sv)?.as_string()),
        (None, Some(_)) => None,
        (None, None) => Some(
            Permissions::parse(default_permissions(req.method, scope)?, scope, sv)?.as_string(),
        ),
    };
    if delegation && permissions.is_none() {
        return Err(Error::InvalidRequest(
            "a user-delegation SAS needs permissions".into(),
        ));
    }

    // Times.
    let start = match (req.starts_on, req.clock_skew) {
        (st, Some(skew)) => {
            if skew > MAX_CLOCK_SKEW {
                return Err(Error::InvalidTime(format!(
                    "`clockSkew`: at most {MAX_CLOCK_SKEW} s"
                )));
            }
            Some(st.unwrap_or(s.time).add_secs(-(skew as i64))?)
        }
        (st, None) => st,
    };
    let mut expiry = match (req.expires_on, req.expires_in) {
        (Some(_), Some(_)) => {
            return Err(Error::InvalidExpiry(
                "give expiresOn or expiresIn, not both".into(),
            ))
        }
        (Some(e), None) => Some(e),
        (None, Some(0)) => {
            return Err(Error::InvalidExpiry(
                "expiresIn must be at least 1 second".into(),
            ))
        }
        (None, Some(n)) => Some(
            s.time.add_secs(
                i64::try_from(n)
                    .map_err(|_| Error::InvalidExpiry("`expiresIn`: out of range".into()))?,
            )?,
        ),
        (None, None) if req.identifier.is_some() && !delegation => None,
        (None, None) => Some(s.time.add_secs(DEFAULT_EXPIRES as i64)?),
    };
    if let Some(k) = s.udk {
        if k.signed_expiry <= s.time {
            return Err(Error::CredentialsExpire(
                "`credentials.userDelegationKey.signedExpiry`: the key expires at or before the signing instant".into(),
            ));
        }
        // Azure takes a request only while both the SAS and its key are in force: a SAS whose
        // times lie wholly outside the key's could never be used. Inside, or overlapping, is
        // fine (`st` before `skt` is ordinary: the key's start is back-dated or not).
        if expiry.is_some_and(|e| e <= k.signed_start) {
            return Err(Error::InvalidExpiry(
                "`expiresOn`: at or before the user-delegation key's start; Azure would refuse every request with this SAS".into(),
            ));
        }
        if start.is_some_and(|st| st >= k.signed_expiry) {
            return Err(Error::InvalidTime(
                "`startsOn`: at or after the user-delegation key's expiry; Azure would refuse every request with this SAS".into(),
            ));
        }
        if expiry.is_some_and(|e| e > k.signed_expiry) {
            let msg = "`credentials.userDelegationKey.signedExpiry`: the key expires before the SAS would; the SAS stops working when the key does".to_owned();
            match req.credential_expiry {
                CredentialExpiry::Warn => s.warnings.push(Warning {
                    code: "CREDENTIALS_EXPIRE_FIRST",
                    message: msg,
                }),
                CredentialExpiry::Error => return Err(Error::CredentialsExpire(msg)),
                CredentialExpiry::Clamp => expiry = Some(k.signed_expiry),
            }
        }
    }
    if let Some(e) = expiry {
        if e <= s.time {
            return Err(Error::InvalidExpiry(
                "`expiresOn`: not after the signing instant".into(),
            ));
        }
        if start.is_some_and(|st| st >= e) {
            return Err(Error::InvalidExpiry(
                "`startsOn`: not before the expiry".into(),
            ));
        }
    }
    let start_s = start.map(Timestamp::rfc3339);
    let expiry_s = expiry.map(Timestamp::rfc3339);

    // Everything else that is signed.
    if let Some(ip) = &req.ip_range {
        validate_ip_range(ip)?;
    }
    if req.protocol == Some(Protocol::Https) && s.scheme == "http" {
        // The SDKs sign it: the token is valid for the same account over https (and a user of
        // Azurite over http may be preparing it for the production URL).
        s.warnings.push(Warning {
            code: "HTTPS_ONLY_ON_HTTP",
            message: "protocol \"https\" (spr=https) with an http endpoint: Azure refuses this URL over http; the SAS works for the same account over https".into(),
        });
    }
    let text = |name: &str, v: &Option<String>| -> Result<()> {
        if let Some(v) = v {
            validate_text(name, v)?;
        }
        Ok(())
    };
    text("identifier", &req.identifier)?;
    if req
        .identifier
        .as_ref()
        .is_some_and(|i| i.chars().count() > MAX_IDENTIFIER_CHARS)
    {
        return Err(Error::InvalidRequest(format!(
            "identifier is longer than {MAX_IDENTIFIER_CHARS} characters"
        )));
    }
    text("encryptionScope", &req.encryption_scope)?;
    text("snapshot", &req.snapshot)?;
    text("versionId", &req.version_id)?;
    text(
        "preauthorizedAgentObjectId",
        &req.preauthorized_agent_object_id,
    )?;
    text("agentObjectId", &req.agent_object_id)?;
    text("correlationId", &req.correlation_id)?;
    text("delegatedUserObjectId", &req.delegated_user_object_id)?;
    let rh = &req.response_headers;
    text("responseHeaders.cacheControl", &rh.cache_control)?;
    text(
        "responseHeaders.contentDisposition",
        &rh.content_disposition,
    )?;
    text("responseHeaders.contentEncoding", &rh.content_encoding)?;
    text("responseHeaders.contentLanguage", &rh.content_language)?;
    text("responseHeaders.contentType", &rh.content_type)?;

    let services;
    let resource_types;
    if account_sas {
        services = Some(match &req.services {
            Some(v) => permissions::parse_services(v)?,
            None => "b".to_owned(),
        });
        resource_types = Some(match &req.resource_types {
            Some(v) => permissions::parse_resource_types(v)?,
            None => if req.blob.is_some() {
                "o"
            } else if req.container.is_some() {
                "c"
            } else {
                "s"
            }
            .to_owned(),
        });
    } else {
        services = None;
        resource_types = None;
    }

    // User delegation: bound headers and query parameters.
    let bound_headers = bound_headers(&req.request_headers)?;
    let bound_query = bound_query(&req.request_query, &req.query)?;
    let key_start = s.udk.map(|k| k.signed_start.rfc3339());
    let key_expiry = s.udk.map(|k| k.signed_expiry.rfc3339());
    let delegation_fields = s.udk.map(|k| DelegationFields {
        key_oid: &k.signed_oid,
        key_tid: &k.signed_tid,
        key_start: key_start.as_deref().unwrap_or(""),
        key_expiry: key_expiry.as_deref().unwrap_or(""),
        key_service: &k.signed_service,
        key_version: &k.signed_version,
        key_delegated_user_tid: k.signed_delegated_user_tid.as_deref(),
        preauthorized_agent_oid: req.preauthorized_agent_object_id.as_deref(),
        agent_oid: req.agent_object_id.as_deref(),
        correlation_id: req.correlation_id.as_deref(),
        delegated_user_oid: req.delegated_user_object_id.as_deref(),
        request_headers: &bound_headers,
        request_query: &bound_query,
    });

    let fields = SasFields {
        version: sv,
        services: services.as_deref(),
        resource_types: resource_types.as_deref(),
        resource: sr,
        permissions: permissions.as_deref(),
        start: start_s.as_deref(),
        expiry: expiry_s.as_deref(),
        ip: req.ip_range.as_deref(),
        protocol: req.protocol.map(Protocol::as_str),
        identifier: req.identifier.as_deref(),
        snapshot_time: if account_sas {
            None
        } else {
            req.snapshot.as_deref().or(req.version_id.as_deref())
        },
        encryption_scope: req.encryption_scope.as_deref(),
        directory_depth: depth,
        cache_control: rh.cache_control.as_deref(),
        content_disposition: rh.content_disposition.as_deref(),
        content_encoding: rh.content_encoding.as_deref(),
        content_language: rh.content_language.as_deref(),
        content_type: rh.content_type.as_deref(),
        delegation: delegation_fields,
    };
    let string_to_sign = if account_sas {
        sas::account_string_to_sign(layout, s.account, &fields)?
    } else {
        sas::service_string_to_sign(layout, &canonical, &fields)?
    };
    let signature = sas::sign(s.signing_key, &string_to_sign);
    if let Some(out) = s.sts_out.as_mut() {
        *out = string_to_sign;
    }

    // The URL: addressing parameters, then the SAS.
    write_addressing(s.url, s.query_start, req, &bound_query);
    let mut tail = String::with_capacity(320);
    sas::write_query(&mut tail, &fields, &signature);
    push_query(s.url, s.query_start, &tail);
    s.headers.extend(bound_headers);

    Ok(match expiry {
        Some(e) => e,
        None => {
            s.warnings.push(Warning {
                code: "EXPIRY_FROM_POLICY",
                message: "`identifier`: the stored access policy sets the expiry; expiresAt is the signing instant because this request cannot know it".into(),
            });
            s.time
        }
    })
}

/// Appends an already-encoded `a=b&c=d` to the query part of `url`.
fn push_query(url: &mut String, query_start: usize, encoded: &str) {
    if encoded.is_empty() {
        return;
    }
    if url.len() > query_start {
        url.push('&');
    }
    url.push_str(encoded);
}

/// Appends the parameters that address the resource: `snapshot`, `versionid`, the caller's
/// `query` and the bound `requestQuery`.
fn write_addressing(
    url: &mut String,
    query_start: usize,
    req: &AzureRequest,
    bound_query: &[(String, String)],
) {
    let mut q = String::new();
    if let Some(v) = &req.snapshot {
        append_param(&mut q, "snapshot", v);
    }
    if let Some(v) = &req.version_id {
        append_param(&mut q, "versionid", v);
    }
    for (k, v) in req.query.iter() {
        append_param(&mut q, k, v);
    }
    for (k, v) in bound_query {
        append_param(&mut q, k, v);
    }
    push_query(url, query_start, &q);
}

/// The request's user-delegation-only fields, by JSON name, and whether each is given.
fn delegation_only_fields(req: &AzureRequest) -> [(&'static str, bool); 6] {
    [
        (
            "preauthorizedAgentObjectId",
            req.preauthorized_agent_object_id.is_some(),
        ),
        ("agentObjectId", req.agent_object_id.is_some()),
        ("correlationId", req.correlation_id.is_some()),
        (
            "delegatedUserObjectId",
            req.delegated_user_object_id.is_some(),
        ),
        ("requestHeaders", !req.request_headers.is_empty()),
        ("requestQuery", !req.request_query.is_empty()),
    ]
}

/// A connection string with only a `SharedAccessSignature`: nothing about the SAS can change.
fn check_ready_sas_request(req: &AzureRequest) -> Result<()> {
    for (name, given) in [
        ("sas", req.sas.is_some()),
        ("resource", req.resource.is_some()),
        ("permissions", req.permissions.is_some()),
        ("startsOn", req.starts_on.is_some()),
        ("expiresOn", req.expires_on.is_some()),
        ("expiresIn", req.expires_in.is_some()),
        ("ipRange", req.ip_range.is_some()),
        ("protocol", req.protocol.is_some()),
        ("identifier", req.identifier.is_some()),
        ("encryptionScope", req.encryption_scope.is_some()),
        ("version", req.version.is_some()),
        ("responseHeaders", !req.response_headers.is_empty()),
        ("services", req.services.is_some()),
        ("resourceTypes", req.resource_types.is_some()),
        ("clockSkew", req.clock_skew.is_some()),
    ]
    .into_iter()
    .chain(delegation_only_fields(req))
    {
        if given {
            return Err(Error::InvalidRequest(format!(
                "{name} cannot be applied: the connection string carries a ready SAS, which this crate only appends to URLs"
            )));
        }
    }
    for (name, v) in [("snapshot", &req.snapshot), ("versionId", &req.version_id)] {
        if let Some(v) = v {
            validate_text(name, v)?;
        }
    }
    Ok(())
}

/// Appends a ready SAS token and returns its expiry (`se`), or the signing instant with a
/// warning when it has none that can be read.
fn ready_sas(
    url: &mut String,
    query_start: usize,
    sas: &str,
    time: Timestamp,
    warnings: &mut Vec<Warning>,
) -> Result<Timestamp> {
    let bad = |why: &str| {
        Error::InvalidCredentials(format!(
            "the connection string's SharedAccessSignature {why}"
        ))
    };
    if !sas
        .bytes()
        .all(|b| b.is_ascii_graphic() && !matches!(b, b'#' | b'?'))
    {
        return Err(bad("must be a URL query (visible ASCII, no '#' or '?')"));
    }
    let mut expiry = None;
    let mut has_sig = false;
    for pair in crate::text::split_byte(sas, b'&') {
        let (k, v) = crate::text::split_once_byte(pair, b'=', false).unwrap_or((pair, ""));
        let v = percent_decode(v).ok_or_else(|| bad("has a malformed percent-escape"))?;
        match k {
            "sig" => has_sig = !v.is_empty(),
            "se" => {
                expiry = Timestamp::parse_rfc3339(&v)
                    .or_else(|_| Timestamp::parse_rfc3339(&format!("{v}T00:00:00Z")))
                    .ok()
            }
            _ => {}
        }
    }
    if !has_sig {
        return Err(bad("has no sig parameter"));
    }
    push_query(url, query_start, sas);
    match expiry {
        Some(e) if e <= time => Err(Error::CredentialsExpire(
            "`credentials.connectionString`: its SAS expires at or before the signing instant"
                .into(),
        )),
        Some(e) => Ok(e),
        None => {
            warnings.push(Warning {
                code: "EXPIRY_UNKNOWN",
                message: "the connection string's SAS has no readable se (expiry); expiresAt is the signing instant".into(),
            });
            Ok(time)
        }
    }
}

/// Permissions when the request names none and no stored access policy.
fn default_permissions(method: Method, scope: PermissionScope) -> Result<&'static str> {
    let listing = matches!(scope, PermissionScope::Container | PermissionScope::Account);
    match method {
        Method::Get | Method::Head if listing => Ok("rl"),
        Method::Get | Method::Head => Ok("r"),
        Method::Put => Ok("cw"),
        Method::Delete => Ok("d"),
        Method::Post => Err(Error::InvalidRequest(
            "a POST SAS needs explicit permissions".into(),
        )),
    }
}

/// Account names: 3–24 lower-case letters and digits.
pub(crate) fn validate_account(a: &str) -> Result<()> {
    if (3..=24).contains(&a.len())
        && a.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        Ok(())
    } else {
        Err(Error::InvalidRequest(
            "`account`: must be 3-24 lower-case letters and digits".into(),
        ))
    }
}

/// Container names: 3–63 of `a-z 0-9 -`, starting and ending with a letter or digit, no `--`;
/// or one of the special containers `$root`, `$web`, `$logs`.
fn validate_container(c: &str) -> Result<()> {
    if matches!(c, "$root" | "$web" | "$logs") {
        return Ok(());
    }
    let b = c.as_bytes();
    let ok = (3..=63).contains(&b.len())
        && b.iter()
            .all(|&x| x.is_ascii_lowercase() || x.is_ascii_digit() || x == b'-')
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
        && !b.windows(2).any(|w| w == b"--");
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidBucket(
            "`container`: must be 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit (or $root, $web, $logs)".into(),
        ))
    }
}

/// Blob names: 1–1024 characters, no control characters.
fn validate_blob(b: &str) -> Result<()> {
    if b.is_empty() {
        return Err(Error::InvalidKey("`blob`: empty".into()));
    }
    if b.chars().count() > MAX_BLOB_NAME_CHARS {
        return Err(Error::InvalidKey(format!(
            "`blob`: longer than the {MAX_BLOB_NAME_CHARS} characters Azure allows"
        )));
    }
    if b.chars().any(char::is_control) {
        return Err(Error::InvalidKey(
            "`blob`: contains a control character (it would break the string-to-sign's lines)"
                .into(),
        ));
    }
    Ok(())
}

/// A signed text field: not empty, no control characters.
fn validate_text(name: &str, v: &str) -> Result<()> {
    if v.is_empty() {
        return Err(Error::InvalidRequest(format!(
            "`{name}`: empty; leave it out instead"
        )));
    }
    if v.chars().any(char::is_control) {
        return Err(Error::InvalidRequest(format!(
            "`{name}`: contains a control character (it would break the string-to-sign's lines)"
        )));
    }
    Ok(())
}

/// `sip`: an IPv4 address or `first-last` with first ≤ last.
fn validate_ip_range(s: &str) -> Result<()> {
    let ip = crate::endpoint::parse_ipv4;
    let ok = match crate::text::split_once_byte(s, b'-', false) {
        Some((a, b)) => matches!((ip(a), ip(b)), (Some(a), Some(b)) if a <= b),
        None => ip(s).is_some(),
    };
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidRequest(
            "`ipRange`: must be an IPv4 address or a range like 168.1.5.60-168.1.5.70 (first <= last)".into(),
        ))
    }
}

/// Caller query parameters: non-empty names, no SAS parameter names, no control characters.
fn validate_query(q: &Params) -> Result<()> {
    for (i, (name, value)) in q.iter().enumerate() {
        if name.is_empty() {
            return Err(Error::InvalidQuery(format!(
                "`query[{i}]`: the name is empty"
            )));
        }
        if sas::RESERVED_QUERY
            .iter()
            .any(|r| r.eq_ignore_ascii_case(name))
        {
            return Err(Error::InvalidQuery(format!(
                "`query[{i}]`: this parameter is set by the SAS or by a request field (snapshot, versionId)"
            )));
        }
        if name.chars().chain(value.chars()).any(char::is_control) {
            return Err(Error::InvalidQuery(format!(
                "`query[{i}]`: contains a control character"
            )));
        }
    }
    Ok(())
}

fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
}

/// `requestHeaders` (`srh`): names lower-cased, letters/digits/`-_.~` only; values printable
/// ASCII; no repeats.
fn bound_headers(h: &Params) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(h.0.len());
    for (i, (name, value)) in h.iter().enumerate() {
        if !is_token(name) {
            return Err(Error::InvalidHeader(format!(
                "`requestHeaders[{i}]`: the name may contain only letters, digits, '-', '_', '.', '~'"
            )));
        }
        if !value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err(Error::InvalidHeader(format!(
                "`requestHeaders[{i}]`: the value must be printable ASCII"
            )));
        }
        let lower = name.to_ascii_lowercase();
        if out.iter().any(|(n, _)| *n == lower) {
            return Err(Error::InvalidHeader(format!(
                "`requestHeaders[{i}]`: the name is given twice (names are case-insensitive)"
            )));
        }
        out.push((lower, value.to_owned()));
    }
    Ok(out)
}

/// `requestQuery` (`srq`): names letters/digits/`-_.~`, not SAS names, not repeated, not also
/// in `query`; values without control characters.
fn bound_query(q: &Params, extra: &Params) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(q.0.len());
    for (i, (name, value)) in q.iter().enumerate() {
        if !is_token(name) {
            return Err(Error::InvalidQuery(format!(
                "`requestQuery[{i}]`: the name may contain only letters, digits, '-', '_', '.', '~'"
            )));
        }
        if sas::RESERVED_QUERY
            .iter()
            .any(|r| r.eq_ignore_ascii_case(name))
        {
            return Err(Error::InvalidQuery(format!(
                "`requestQuery[{i}]`: this is a SAS parameter"
            )));
        }
        if value.chars().any(char::is_control) {
            return Err(Error::InvalidQuery(format!(
                "`requestQuery[{i}]`: the value contains a control character"
            )));
        }
        if out.iter().any(|(n, _)| n == name) || extra.iter().any(|(n, _)| n == name) {
            return Err(Error::InvalidQuery(format!(
                "`requestQuery[{i}]`: the name is given twice (in requestQuery, or in requestQuery and query)"
            )));
        }
        out.push((name.to_owned(), value.to_owned()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = connection_string::DEV_ACCOUNT_KEY;

    fn t(s: &str) -> Timestamp {
        Timestamp::parse_rfc3339(s).unwrap()
    }

    fn now() -> Timestamp {
        t("2026-11-24T10:00:00Z")
    }

    fn blob_req(method: Method, blob: &str) -> AzureRequest {
        let mut r = AzureRequest::new(method, "myaccount", "photos", blob);
        r.credentials = Some(Credentials::account_key(KEY));
        r
    }

    /// The URL up to `&sig=` (signatures are pinned by the vectors and the SDK diff).
    fn unsigned(url: &str) -> &str {
        url.split("&sig=").next().unwrap()
    }

    fn code(r: Result<Presigned>) -> &'static str {
        r.unwrap_err().code()
    }

    #[test]
    fn blob_get_has_defaults_in_order() {
        let out = presign(&blob_req(Method::Get, "a b/ü+%?#.jpg"), now()).unwrap();
        assert_eq!(
            unsigned(&out.url),
            "https://myaccount.blob.core.windows.net/photos/a%20b/%C3%BC%2B%25%3F%23.jpg?sv=2025-07-05&sr=b&sp=r&se=2026-11-24T11%3A00%3A00Z"
        );
        assert!(out.url.ends_with("%3D"), "{}", out.url);
        assert_eq!(out.method, Method::Get);
        assert!(out.headers.is_empty());
        assert_eq!(out.expires_at, t("2026-11-24T11:00:00Z"));
        assert!(out.warnings.is_empty());
    }

    #[test]
    fn put_upload_needs_blob_type_but_block_uploads_do_not() {
        let out = presign(&blob_req(Method::Put, "x"), now()).unwrap();
        assert_eq!(
            out.headers.0,
            [("x-ms-blob-type".to_string(), "BlockBlob".to_string())]
        );
        let mut r = blob_req(Method::Put, "x");
        r.query.push("comp", "block");
        r.query.push("blockid", "YmxvY2stMQ==");
        let out = presign(&r, now()).unwrap();
        assert!(out.headers.is_empty());
        assert!(
            out.url
                .starts_with("https://myaccount.blob.core.windows.net/photos/x?comp=block&blockid=YmxvY2stMQ%3D%3D&sv=2025-07-05&sr=b&sp=cw&"),
            "{}",
            out.url
        );
        // A container PUT (create container) has no blob: no blob type.
        let mut r = blob_req(Method::Put, "x");
        r.blob = None;
        r.query.push("restype", "container");
        assert!(presign(&r, now()).unwrap().headers.is_empty());
    }

    #[test]
    fn permissions_are_canonical_and_checked_per_resource() {
        let mut r = blob_req(Method::Get, "x");
        r.permissions = Some("wcr".into());
        assert!(presign(&r, now()).unwrap().url.contains("&sp=rcw&"));
        r.permissions = Some("rl".into());
        assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
        r.resource = Some(Resource::Container);
        let out = presign(&r, now()).unwrap();
        assert!(
            out.url.contains("?sv=2025-07-05&sr=c&sp=rl&"),
            "{}",
            out.url
        );
        // A container SAS still addresses the blob in the URL.
        assert!(out
            .url
            .starts_with("https://myaccount.blob.core.windows.net/photos/x?"));
        let mut r = blob_req(Method::Post, "x");
        assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
        r.permissions = Some("a".into());
        assert!(presign(&r, now()).is_ok());
    }

    #[test]
    fn snapshots_versions_and_directories() {
        let mut r = blob_req(Method::Get, "x");
        r.snapshot = Some("2026-01-01T00:00:00.1234567Z".into());
        let out = presign(&r, now()).unwrap();
        assert!(out
            .url
            .contains("/photos/x?snapshot=2026-01-01T00%3A00%3A00.1234567Z&sv=2025-07-05&sr=bs&"));
        r.version_id = Some("2026-01-01T00:00:00.1234567Z".into());
        assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
        r.snapshot = None;
        assert!(presign(&r, now()).unwrap().url.contains("?versionid="));
        let mut d = blob_req(Method::Get, "a/b/c");
        d.resource = Some(Resource::Directory);
        d.permissions = Some("rl".into());
        let out = presign(&d, now()).unwrap();
        assert!(out.url.contains("&sr=d&sp=rl&"), "{}", out.url);
        assert!(out.url.contains("&sdd=3&sig="), "{}", out.url);
        d.blob = Some("a/b/".into());
        assert_eq!(code(presign(&d, now())), "INVALID_KEY");
        d.blob = Some("a".into());
        d.version = Some("2018-03-28".into());
        assert_eq!(code(presign(&d, now())), "UNSUPPORTED");
    }

    #[test]
    fn start_clock_skew_and_expiry_rules() {
        let mut r = blob_req(Method::Get, "x");
        r.clock_skew = Some(300);
        let out = presign(&r, now()).unwrap();
        assert!(out
            .url
            .contains("&st=2026-11-24T09%3A55%3A00Z&se=2026-11-24T11%3A00%3A00Z&"));
        r.clock_skew = Some(MAX_CLOCK_SKEW + 1);
        assert_eq!(code(presign(&r, now())), "INVALID_TIME");
        let mut r = blob_req(Method::Get, "x");
        r.expires_in = Some(60);
        r.expires_on = Some(now());
        assert_eq!(code(presign(&r, now())), "INVALID_EXPIRY");
        r.expires_in = None;
        assert_eq!(code(presign(&r, now())), "INVALID_EXPIRY");
        r.expires_on = None;
        r.expires_in = Some(0);
        assert_eq!(code(presign(&r, now())), "INVALID_EXPIRY");
        let mut r = blob_req(Method::Get, "x");
        r.starts_on = Some(t("2026-11-24T12:00:00Z"));
        assert_eq!(code(presign(&r, now())), "INVALID_EXPIRY");
        // signedAt wins over now.
        let mut r = blob_req(Method::Get, "x");
        r.signed_at = Some(t("2030-01-01T00:00:00Z"));
        assert_eq!(
            presign(&r, now()).unwrap().expires_at,
            t("2030-01-01T01:00:00Z")
        );
    }

    #[test]
    fn stored_policy_may_supply_permissions_and_expiry() {
        let mut r = blob_req(Method::Get, "x");
        r.identifier = Some("policy-1".into());
        let out = presign(&r, now()).unwrap();
        assert!(
            out.url.contains("?sv=2025-07-05&sr=b&si=policy-1&sig="),
            "{}",
            out.url
        );
        assert_eq!(out.expires_at, now());
        assert_eq!(out.warnings.len(), 1);
        assert_eq!(out.warnings[0].code, "EXPIRY_FROM_POLICY");
        r.identifier = Some("x".repeat(65));
        assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
    }

    #[test]
    fn signed_fields_refuse_control_characters_and_bad_values() {
        let mut r = blob_req(Method::Get, "a\nb");
        assert_eq!(code(presign(&r, now())), "INVALID_KEY");
        r.blob = Some("x".into());
        r.response_headers.content_type = Some("text/plain\r\nx: y".into());
        assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
        r.response_headers.content_type = Some(String::new());
        assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
        let mut r = blob_req(Method::Get, "x");
        for bad in ["1.2.3", "10.0.0.2-10.0.0.1", "::1", "1.2.3.4-", "01.2.3.4"] {
            r.ip_range = Some(bad.into());
            assert_eq!(code(presign(&r, now())), "INVALID_REQUEST", "{bad}");
        }
        r.ip_range = Some("10.0.0.1-10.0.0.9".into());
        assert!(presign(&r, now()).is_ok());
        let mut r = blob_req(Method::Get, "x");
        r.query.push("SIG", "x");
        assert_eq!(code(presign(&r, now())), "INVALID_QUERY");
        let mut r = blob_req(Method::Get, "x");
        r.version = Some("2019-02-02".into());
        assert_eq!(code(presign(&r, now())), "UNSUPPORTED");
        for (container, code_want) in [
            ("ab", "INVALID_BUCKET"),
            ("a--b", "INVALID_BUCKET"),
            ("Abc", "INVALID_BUCKET"),
        ] {
            let mut r = blob_req(Method::Get, "x");
            r.container = Some(container.into());
            assert_eq!(code(presign(&r, now())), code_want, "{container}");
        }
        let mut r = blob_req(Method::Get, "x");
        r.account = Some("My_Account".into());
        assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
        let mut r = blob_req(Method::Get, &"x".repeat(1025));
        assert_eq!(code(presign(&r, now())), "INVALID_KEY");
        r.blob = Some("ü".repeat(1024));
        assert!(presign(&r, now()).is_ok());
    }

    /// Issue 16: an https-only SAS for an http endpoint (Azurite over http, or a token prepared
    /// for the account's https URL) is signed, as the SDKs do, with a warning.
    #[test]
    fn https_only_on_an_http_endpoint_signs_with_a_warning() {
        let mut r = blob_req(Method::Get, "x");
        r.protocol = Some(Protocol::Https);
        let out = presign(&r, now()).unwrap();
        assert!(out.url.contains("&spr=https&"));
        assert!(out.warnings.is_empty());
        r.endpoint = Some("http://127.0.0.1:10000".into());
        let out = presign(&r, now()).unwrap();
        assert!(
            out.url
                .starts_with("http://127.0.0.1:10000/myaccount/photos/x?sv="),
            "{}",
            out.url
        );
        assert!(out.url.contains("&spr=https&"));
        let codes: Vec<_> = out.warnings.iter().map(|w| w.code).collect();
        assert_eq!(codes, ["HTTPS_ONLY_ON_HTTP"]);
        // The same token as for the https endpoint of the same account.
        let mut https = r.clone();
        https.endpoint = Some("https://127.0.0.1:10000".into());
        let sig = |u: &str| u.split("&sig=").nth(1).unwrap().to_owned();
        assert_eq!(sig(&out.url), sig(&presign(&https, now()).unwrap().url));
        let mut cs = blob_req(Method::Get, "x");
        cs.account = None;
        cs.credentials = Some(Credentials::connection_string("UseDevelopmentStorage=true"));
        cs.protocol = Some(Protocol::Https);
        let out = presign(&cs, now()).unwrap();
        assert_eq!(out.warnings[0].code, "HTTPS_ONLY_ON_HTTP");
    }

    #[test]
    fn https_and_http_on_an_http_endpoint() {
        let mut r = blob_req(Method::Get, "x");
        r.endpoint = Some("http://127.0.0.1:10000".into());
        r.protocol = Some(Protocol::HttpsAndHttp);
        let out = presign(&r, now()).unwrap();
        assert!(out
            .url
            .starts_with("http://127.0.0.1:10000/myaccount/photos/x?sv="));
        assert!(out.url.contains("&spr=https%2Chttp&"));
    }

    #[test]
    fn account_sas_defaults_and_refusals() {
        let mut r = blob_req(Method::Get, "x");
        r.sas = Some(SasKind::Account);
        let out = presign(&r, now()).unwrap();
        assert!(
            out.url
                .starts_with("https://myaccount.blob.core.windows.net/photos/x?sv=2025-07-05&ss=b&srt=o&sp=rl&se="),
            "{}",
            out.url
        );
        r.blob = None;
        r.container = None;
        r.services = Some("fb".into());
        r.resource_types = Some("os".into());
        r.permissions = Some("lrw".into());
        let out = presign(&r, now()).unwrap();
        assert!(
            out.url.starts_with(
                "https://myaccount.blob.core.windows.net/?sv=2025-07-05&ss=bf&srt=so&sp=rwl&se="
            ),
            "{}",
            out.url
        );
        r.identifier = Some("p".into());
        assert_eq!(code(presign(&r, now())), "UNSUPPORTED");
        r.identifier = None;
        r.resource = Some(Resource::Blob);
        assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
        r.resource = None;
        r.permissions = Some("rm".into());
        assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
        let mut s = blob_req(Method::Get, "x");
        s.services = Some("b".into());
        assert_eq!(code(presign(&s, now())), "INVALID_REQUEST");
        s.services = None;
        s.correlation_id = Some("c".into());
        assert_eq!(code(presign(&s, now())), "UNSUPPORTED");
    }

    fn udk(start: &str, expiry: &str) -> UserDelegationKey {
        UserDelegationKey {
            signed_oid: "oid".into(),
            signed_tid: "tid".into(),
            signed_start: t(start),
            signed_expiry: t(expiry),
            signed_service: "b".into(),
            signed_version: "2025-07-05".into(),
            signed_delegated_user_tid: None,
            value: Secret::new("a2V5a2V5a2V5a2V5"),
        }
    }

    #[test]
    fn user_delegation_key_lifetime_and_expiry_policy() {
        let mut r = blob_req(Method::Get, "x");
        r.credentials = Some(Credentials::user_delegation_key(udk(
            "2026-11-24T09:00:00Z",
            "2026-11-24T10:30:00Z",
        )));
        let out = presign(&r, now()).unwrap();
        assert!(out.url.contains(
            "&skoid=oid&sktid=tid&skt=2026-11-24T09%3A00%3A00Z&ske=2026-11-24T10%3A30%3A00Z&sks=b&skv=2025-07-05&sig="
        ));
        assert_eq!(out.warnings[0].code, "CREDENTIALS_EXPIRE_FIRST");
        assert_eq!(out.expires_at, t("2026-11-24T11:00:00Z"));
        r.credential_expiry = CredentialExpiry::Clamp;
        let out = presign(&r, now()).unwrap();
        assert!(out.warnings.is_empty());
        assert_eq!(out.expires_at, t("2026-11-24T10:30:00Z"));
        r.credential_expiry = CredentialExpiry::Error;
        assert_eq!(code(presign(&r, now())), "CREDENTIALS_EXPIRE");
        // 14 days and 1 s: no request time has both ends within 7 days of it.
        r.credentials = Some(Credentials::user_delegation_key(udk(
            "2026-11-17T09:00:00Z",
            "2026-12-01T09:00:01Z",
        )));
        assert_eq!(code(presign(&r, now())), "INVALID_CREDENTIALS");
        r.credentials = Some(Credentials::user_delegation_key(udk(
            "2026-11-24T08:00:00Z",
            "2026-11-24T09:00:00Z",
        )));
        assert_eq!(code(presign(&r, now())), "CREDENTIALS_EXPIRE");
        r.credentials = Some(Credentials::user_delegation_key(udk(
            "2026-11-24T09:00:00Z",
            "2026-11-25T09:00:00Z",
        )));
        r.sas = Some(SasKind::Service);
        assert_eq!(code(presign(&r, now())), "INVALID_CREDENTIALS");
        r.sas = None;
        r.identifier = Some("p".into());
        assert_eq!(code(presign(&r, now())), "UNSUPPORTED");
        r.identifier = None;
        r.request_headers.push("x-ms-meta-a", "1");
        assert_eq!(code(presign(&r, now())), "UNSUPPORTED");
        r.version = Some("2026-04-06".into());
        r.method = Method::Put;
        r.request_query.push("job", "4 2");
        let out = presign(&r, now()).unwrap();
        assert_eq!(
            out.headers.0,
            [
                ("x-ms-blob-type".to_string(), "BlockBlob".to_string()),
                ("x-ms-meta-a".to_string(), "1".to_string()),
            ]
        );
        assert!(out
            .url
            .contains("/photos/x?job=4%20that".replace("that", "2").as_str()));
        assert!(out.url.contains("&srh=x-ms-meta-a&srq=job&"), "{}", out.url);
        let mut dup = r.clone();
        dup.query.push("job", "1");
        assert_eq!(code(presign(&dup, now())), "INVALID_QUERY");
        let mut dup = r.clone();
        dup.request_headers.push("X-MS-META-A", "2");
        assert_eq!(code(presign(&dup, now())), "INVALID_HEADER");
    }

    /// Issue 16: a key whose start was back-dated (an hour, or days, before it was requested)
    /// with an expiry 7 days after the request signs; the SAS's own `st`/`se` anywhere inside the
    /// key's validity, and a SAS that could never be used with the key is refused.
    #[test]
    fn back_dated_user_delegation_keys_sign() {
        let mut r = blob_req(Method::Get, "x");
        for (start, expiry) in [
            ("2026-11-24T09:00:00Z", "2026-12-01T10:00:00Z"),
            ("2026-11-17T10:00:00Z", "2026-12-01T10:00:00Z"),
            ("2026-11-21T10:00:00Z", "2026-11-25T10:00:00Z"),
        ] {
            r.credentials = Some(Credentials::user_delegation_key(udk(start, expiry)));
            r.starts_on = Some(t(start));
            r.expires_on = Some(t(expiry));
            let out = presign(&r, now()).unwrap();
            assert!(out.warnings.is_empty(), "{:?}", out.warnings);
            assert_eq!(out.expires_at, t(expiry));
            assert!(out.url.contains(&format!(
                "&skt={}&ske={}&",
                start.replace(':', "%3A"),
                expiry.replace(':', "%3A")
            )));
        }
        // A key that starts later: a SAS ending at or before the key's start, or starting at or
        // after its expiry, could never be used.
        r.credentials = Some(Credentials::user_delegation_key(udk(
            "2026-11-24T12:00:00Z",
            "2026-11-25T12:00:00Z",
        )));
        r.starts_on = None;
        r.expires_on = Some(t("2026-11-24T12:00:00Z"));
        assert_eq!(code(presign(&r, now())), "INVALID_EXPIRY");
        r.expires_on = Some(t("2026-11-24T12:00:01Z"));
        assert!(presign(&r, now()).is_ok());
        r.starts_on = Some(t("2026-11-25T12:00:00Z"));
        r.expires_on = Some(t("2026-11-25T13:00:00Z"));
        assert_eq!(code(presign(&r, now())), "INVALID_TIME");
    }

    #[test]
    fn connection_strings_give_account_key_and_endpoint() {
        let mut r = blob_req(Method::Get, "x");
        r.account = None;
        r.credentials = Some(Credentials::connection_string("UseDevelopmentStorage=true"));
        let out = presign(&r, now()).unwrap();
        assert!(out.url.starts_with(
            "http://127.0.0.1:10000/devstoreaccount1/photos/x?sv=2025-07-05&sr=b&sp=r&"
        ));
        r.account = Some("other".into());
        assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
        r.account = None;
        r.credentials = Some(Credentials::connection_string(format!(
            "DefaultEndpointsProtocol=http;AccountName=acc1;AccountKey={KEY};EndpointSuffix=core.chinacloudapi.cn"
        )));
        assert!(presign(&r, now())
            .unwrap()
            .url
            .starts_with("http://acc1.blob.core.chinacloudapi.cn/photos/x?"));
        // The request's endpoint wins over the connection string's.
        r.endpoint = Some("https://cdn.example.com/base/".into());
        assert!(presign(&r, now())
            .unwrap()
            .url
            .starts_with("https://cdn.example.com/base/photos/x?"));
        let mut both = blob_req(Method::Get, "x");
        both.credentials = Some(Credentials {
            account_key: Some(Secret::new(KEY)),
            connection_string: Some(Secret::new("UseDevelopmentStorage=true")),
            user_delegation_key: None,
        });
        assert_eq!(code(presign(&both, now())), "INVALID_CREDENTIALS");
        both.credentials = None;
        assert_eq!(code(presign(&both, now())), "INVALID_CREDENTIALS");
    }

    #[test]
    fn ready_sas_is_appended_and_nothing_else_signed() {
        let sas = "sv=2025-07-05&ss=b&srt=co&sp=rl&se=2026-12-01T00%3A00%3A00Z&sig=a%2Bb%3D";
        let mut r = blob_req(Method::Put, "a b");
        r.account = None;
        r.credentials = Some(Credentials::connection_string(format!(
            "BlobEndpoint=https://acc.blob.core.windows.net/;SharedAccessSignature=?{sas}"
        )));
        let out = presign(&r, now()).unwrap();
        assert_eq!(
            out.url,
            format!("https://acc.blob.core.windows.net/photos/a%20b?{sas}")
        );
        assert_eq!(out.expires_at, t("2026-12-01T00:00:00Z"));
        assert_eq!(out.headers.0.len(), 1);
        r.permissions = Some("r".into());
        assert_eq!(code(presign(&r, now())), "INVALID_REQUEST");
        r.permissions = None;
        assert_eq!(
            code(presign(&r, t("2027-01-01T00:00:00Z"))),
            "CREDENTIALS_EXPIRE"
        );
        r.credentials = Some(Credentials::connection_string(
            "BlobEndpoint=https://acc.blob.core.windows.net;SharedAccessSignature=sv=2025-07-05&sp=r",
        ));
        assert_eq!(code(presign(&r, now())), "INVALID_CREDENTIALS");
    }

    #[test]
    fn secrets_never_reach_errors_or_debug() {
        let mut r = blob_req(Method::Get, "x");
        r.credentials = Some(Credentials::account_key("NOT-BASE64-SECRET!"));
        let e = presign(&r, now()).unwrap_err();
        assert_eq!(e.code(), "INVALID_CREDENTIALS");
        assert!(!e.message().contains("SECRET"), "{e}");
        assert!(!format!("{r:?}").contains("SECRET"));
        r.credentials = Some(Credentials::connection_string(
            "AccountName=acc;AccountKey=TOPSECRET;Oops=1",
        ));
        let e = presign(&r, now()).unwrap_err();
        assert!(!e.message().contains("TOPSECRET"), "{e}");
        assert!(!format!("{r:?}").contains("TOPSECRET"));
        let p = Presigner::new();
        r.credentials = Some(Credentials::account_key(KEY));
        p.presign(&r, now()).unwrap();
        assert_eq!(format!("{p:?}"), "Presigner { keys: KeyCache(1 keys) }");
    }

    #[test]
    fn the_key_cache_gives_the_same_signature() {
        let p = Presigner::new();
        let r = blob_req(Method::Get, "x");
        let a = p.presign(&r, now()).unwrap();
        let b = p.presign(&r, now()).unwrap();
        assert_eq!(a, b);
        assert_eq!(a, presign(&r, now()).unwrap());
        for i in 0..20 {
            let mut o = blob_req(Method::Get, "x");
            let key = crate::encoding::base64(format!("key number {i}").as_bytes());
            o.credentials = Some(Credentials::account_key(key));
            assert_ne!(p.presign(&o, now()).unwrap().url, a.url);
        }
        assert_eq!(p.presign(&r, now()).unwrap(), a);
    }

    #[cfg(feature = "json")]
    #[test]
    fn the_json_schema_uses_the_issue_field_names() {
        let req: crate::Request = crate::schema::from_str(&format!(
            r#"{{"provider":"azure","sas":"service","account":"myaccount","container":"c-1","blob":"b",
                "resource":"blob","method":"put","permissions":"cw","startsOn":"2026-11-24T09:00:00Z",
                "expiresIn":600,"ipRange":"1.2.3.4","protocol":"https,http","identifier":"p",
                "encryptionScope":"s","version":"2026-10-06","clockSkew":60,
                "responseHeaders":{{"contentType":"text/plain"}},"query":{{"timeout":"30"}},
                "credentials":{{"accountKey":"{KEY}"}},"signedAt":"2026-11-24T10:00:00Z"}}"#
        ))
        .unwrap();
        let out = crate::presign(&req, Timestamp::from_unix(0).unwrap()).unwrap();
        assert_eq!(
            unsigned(&out.url),
            "https://myaccount.blob.core.windows.net/c-1/b?timeout=30&sv=2026-10-06&sr=b&sp=cw&st=2026-11-24T08%3A59%3A00Z&se=2026-11-24T10%3A10%3A00Z&sip=1.2.3.4&spr=https%2Chttp&si=p&ses=s&rsct=text%2Fplain"
        );
        for bad in [
            r#"{"provider":"azure","bogus":1}"#,
            r#"{"provider":"azure","protocol":"http"}"#,
            r#"{"provider":"azure","sas":"Service"}"#,
            r#"{"provider":"azure","credentials":{"accountKey":"k","extra":1}}"#,
        ] {
            assert!(
                crate::schema::from_str::<crate::Request>(bad).is_err(),
                "{bad}"
            );
        }
    }
}
