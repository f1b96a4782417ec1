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
//! let req = AzureRequest::new(Method::Put, "myaccount", "photos", "cat 1.jpg")
//!     .with_credentials(Credentials::account_key("a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5"))
//!     .with_expires_in(core::time::Duration::from_secs(600));
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
//!   percent-encoded once in the URL path, `/` kept — the crate's one encoder (see the crate's encoding contract). No Unicode
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

use crate::prelude::*;

mod account;
pub mod connection_string;
pub mod delegation;
mod endpoint;
pub mod permissions;
mod presigner;
mod ready;
pub mod sas;
mod service;
mod sign;
// Not in the npm URL entries (wasm without `exchange`): its callers would change how the shared
// endpoint and encoding code is inlined there (pkg/size.mjs: no growth).
#[cfg(exchanges)]
pub mod token;
mod user_delegation;
mod validate;

pub use crate::http::HttpRequest;
pub use connection_string::ConnectionString;
pub use delegation::{KeyRequest, UserDelegationKey};
pub use endpoint::DEFAULT_SUFFIX;
pub use permissions::{PermissionScope, Permissions, ResourceTypes, Services};
pub use sas::{SignedVersion, DEFAULT_VERSION};
#[cfg(exchanges)]
pub use token::{AccessToken, ManagedIdentityRequest, TokenRequest};
pub(crate) use validate::validate_account;

use crate::encoding::append_param;
use crate::error::Result;
use crate::time::Timestamp;
use crate::types::{CredentialExpiry, Method, Params, Presigned, Secret};

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
        [
            &self.cache_control,
            &self.content_disposition,
            &self.content_encoding,
            &self.content_language,
            &self.content_type,
        ]
        .iter()
        .all(|h| h.is_none())
    }
}

/// Who signs: an account key, a connection string or a user-delegation key. In JSON, an object
/// with exactly one of `accountKey`, `connectionString`, `userDelegationKey`. `Debug` redacts
/// every secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// The storage account key (base64): a service or account SAS.
    AccountKey(Secret),
    /// A connection string (see [`ConnectionString`]): its account key signs; one with only a
    /// `SharedAccessSignature` makes the presigner build URLs with that ready SAS.
    ConnectionString(Secret),
    /// A user-delegation key (see [`delegation`]): a user-delegation SAS.
    UserDelegationKey(UserDelegationKey),
}

/// The members of a credentials object as read, before [`Credentials`] takes exactly one.
#[cfg(feature = "json")]
#[derive(Default)]
struct CredentialMembers {
    account_key: Option<Secret>,
    connection_string: Option<Secret>,
    user_delegation_key: Option<UserDelegationKey>,
}

#[cfg(feature = "json")]
crate::schema::json_struct!(CredentialMembers {
    required {}
    optional {
        account_key: "accountKey", connection_string: "connectionString",
        user_delegation_key: "userDelegationKey",
    }
});

#[cfg(feature = "json")]
impl crate::schema::FromJson for Credentials {
    /// Exactly one of `accountKey`, `connectionString`, `userDelegationKey`.
    fn from_json(r: &mut crate::schema::Reader<'_>) -> Result<Self> {
        let mut m: CredentialMembers = crate::schema::FromJson::from_json(r)?;
        let given = usize::from(m.account_key.is_some())
            + usize::from(m.connection_string.is_some())
            + usize::from(m.user_delegation_key.is_some());
        if given == 1 {
            if let Some(k) = m.account_key.take() {
                return Ok(Credentials::AccountKey(k));
            }
            if let Some(s) = m.connection_string.take() {
                return Ok(Credentials::ConnectionString(s));
            }
            if let Some(k) = m.user_delegation_key.take() {
                return Ok(Credentials::UserDelegationKey(k));
            }
        }
        Err(crate::error::Error::InvalidCredentials(
            "credentials must hold exactly one of accountKey, connectionString, userDelegationKey"
                .into(),
        ))
    }
}

impl Credentials {
    /// An account key.
    pub fn account_key(key: impl Into<Secret>) -> Self {
        Credentials::AccountKey(key.into())
    }
    /// A connection string.
    pub fn connection_string(s: impl Into<Secret>) -> Self {
        Credentials::ConnectionString(s.into())
    }
    /// A user-delegation key.
    pub fn user_delegation_key(key: UserDelegationKey) -> Self {
        Credentials::UserDelegationKey(key)
    }
}

/// A presign request for Azure Blob Storage (the `"provider": "azure"` member of the request
/// schema). Build it with [`AzureRequest::new`] (a blob), [`AzureRequest::container`] or
/// [`AzureRequest::account_sas`] and the `with_*` methods; fields may be set directly too.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
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
    /// The permissions (`sp`; in JSON their letters, any order), checked for the resource and
    /// emitted in its canonical order when signing.
    pub permissions: Option<Permissions>,
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
    /// Account SAS: the services (`ss`; in JSON their letters, any order; default `b`).
    pub services: Option<Services>,
    /// Account SAS: the resource types (`srt`; in JSON their letters, any order; default from
    /// the URL: `o` with a blob, `c` with a container, else `s`).
    pub resource_types: Option<ResourceTypes>,
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

    /// A container request (`sr=c`, or the container of an account SAS) with everything else
    /// at its default.
    pub fn container(
        method: Method,
        account: impl Into<String>,
        container: impl Into<String>,
    ) -> Self {
        AzureRequest {
            method,
            account: Some(account.into()),
            container: Some(container.into()),
            ..Self::default()
        }
    }

    /// An account SAS (`sas: "account"`) for the account's blob service; add a container or
    /// blob with the fields `container` and `blob` for the URL.
    pub fn account_sas(method: Method, account: impl Into<String>) -> Self {
        AzureRequest {
            method,
            sas: Some(SasKind::Account),
            account: Some(account.into()),
            ..Self::default()
        }
    }
}

crate::builders::with_methods!(AzureRequest {
    /// Who signs.
    some with_credentials(credentials: Credentials) => credentials;
    /// The kind of SAS (default: from the credentials).
    some with_sas(sas: SasKind) => sas;
    /// What a service or user-delegation SAS grants (default: the blob when one is named, else the container).
    some with_resource(resource: Resource) => resource;
    /// A custom blob endpoint, `scheme://host[:port][/path]` (Azurite, sovereign clouds).
    into with_endpoint(endpoint: String) => endpoint;
    /// The permissions (`sp`), e.g. `Permissions::READ | Permissions::LIST`; they are checked
    /// for the resource and put in its canonical order when signing.
    some with_permissions(permissions: Permissions) => permissions;
    /// When the SAS becomes valid (`st`).
    some with_starts_on(starts_on: Timestamp) => starts_on;
    /// When the SAS expires (`se`); not together with [`AzureRequest::with_expires_in`].
    some with_expires_on(expires_on: Timestamp) => expires_on;
    /// How long the SAS works from the signing instant, whole seconds (a fraction is dropped).
    /// Default 1 hour.
    secs with_expires_in(lifetime) => expires_in;
    /// Back-dates `st` by this much (whole seconds, at most [`MAX_CLOCK_SKEW`]), from
    /// `startsOn` or from the signing instant.
    secs with_clock_skew(skew) => clock_skew;
    /// The client addresses allowed (`sip`): one IPv4 address or `a.b.c.d-e.f.g.h`.
    into with_ip_range(ip_range: String) => ip_range;
    /// The protocols allowed (`spr`).
    some with_protocol(protocol: Protocol) => protocol;
    /// A stored access policy on the container (`si`).
    into with_identifier(identifier: String) => identifier;
    /// The encryption scope for writes (`ses`).
    into with_encryption_scope(encryption_scope: String) => encryption_scope;
    /// A blob snapshot (`sr=bs`).
    into with_snapshot(snapshot: String) => snapshot;
    /// A blob version (`sr=bv`).
    into with_version_id(version_id: String) => version_id;
    /// The signed version (`sv`), one of [`sas::KNOWN_VERSIONS`].
    into with_version(version: String) => version;
    /// Response header overrides.
    set with_response_headers(headers: ResponseHeaders) => response_headers;
    /// Account SAS: the services (`ss`, default `b`), e.g. `Services::BLOB`.
    some with_services(services: Services) => services;
    /// Account SAS: the resource types (`srt`, default from the URL), e.g.
    /// `ResourceTypes::CONTAINER | ResourceTypes::OBJECT`.
    some with_resource_types(resource_types: ResourceTypes) => resource_types;
    /// An extra unsigned query parameter for the URL (`comp`, `blockid`, `restype`…).
    push with_query(name, value) => query;
    /// User delegation: a pre-authorized agent object id (`saoid`).
    into with_preauthorized_agent_object_id(preauthorized_agent_object_id: String) => preauthorized_agent_object_id;
    /// User delegation: an agent object id checked against POSIX ACLs (`suoid`).
    into with_agent_object_id(agent_object_id: String) => agent_object_id;
    /// User delegation: a correlation id for audit logs (`scid`).
    into with_correlation_id(correlation_id: String) => correlation_id;
    /// User delegation (2025-07-05+): the only user who may use the SAS (`sduoid`).
    into with_delegated_user_object_id(delegated_user_object_id: String) => delegated_user_object_id;
    /// User delegation (2026-04-06+): a header the request must carry (`srh`); it is returned
    /// in the result's `headers`.
    push with_request_header(name, value) => request_headers;
    /// User delegation (2026-04-06+): a query parameter the request must carry (`srq`); it is
    /// added to the URL.
    push with_request_query(name, value) => request_query;
    /// User delegation: what to do when the key expires before the SAS (default: warn).
    set with_credential_expiry(policy: CredentialExpiry) => credential_expiry;
});

/// A reusable Azure presigner: caches decoded keys across calls.
#[derive(Debug, Default)]
pub struct Presigner {
    keys: presigner::KeyCache,
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
    ///
    /// [`Error::InvalidKey`]: crate::Error::InvalidKey
    /// [`Error::InvalidBucket`]: crate::Error::InvalidBucket
    /// [`Error::InvalidRequest`]: crate::Error::InvalidRequest
    /// [`Error::InvalidQuery`]: crate::Error::InvalidQuery
    /// [`Error::InvalidHeader`]: crate::Error::InvalidHeader
    /// [`Error::InvalidExpiry`]: crate::Error::InvalidExpiry
    /// [`Error::InvalidTime`]: crate::Error::InvalidTime
    /// [`Error::InvalidEndpoint`]: crate::Error::InvalidEndpoint
    /// [`Error::InvalidCredentials`]: crate::Error::InvalidCredentials
    /// [`Error::CredentialsExpire`]: crate::Error::CredentialsExpire
    /// [`Error::Unsupported`]: crate::Error::Unsupported
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
}

/// Presigns one Azure request without a key cache (see [`Presigner`] for many URLs).
///
/// # Errors
/// As [`Presigner::presign`].
pub fn presign(req: &AzureRequest, now: Timestamp) -> Result<Presigned> {
    Presigner::new().presign(req, now)
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

#[cfg(test)]
mod tests;
