//! Microsoft Entra ID access tokens for Azure Storage without an account key: the sans-io
//! halves of the token requests a server runtime makes — the request to send, and the parser of
//! its JSON answer. The caller sends the request with its own HTTP client and reads any
//! environment itself (the library reads none); the token then authorizes
//! [`KeyRequest`](super::KeyRequest) (`Authorization: Bearer …`), whose user-delegation key
//! signs SAS URLs.
//!
//! - [`TokenRequest`]: OAuth 2.0 client credentials at `{authorityHost}/{tenant}/oauth2/v2.0/token`,
//!   with a client secret or a client assertion (a federated / workload-identity JWT).
//!   Spec: <https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow>.
//! - [`ManagedIdentityRequest`]: a managed identity, from the Azure Instance Metadata Service
//!   (VMs, AKS, Container Instances) or from the `IDENTITY_ENDPOINT` of App Service / Functions.
//!   Specs: <https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token>,
//!   <https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference>.
//! - [`AccessToken::from_response`]: the answer of either, or the service's error.
//!
//! The request shapes are those azure-identity 1.27 (through MSAL 1.39) sends
//! (tests/vectors/azure/entra-token-requests.json).
//!
//! ```
//! use presign::azure::token::{AccessToken, TokenRequest};
//! use presign::{Secret, Timestamp};
//!
//! let req = TokenRequest::with_secret("my-tenant", "my-client", Secret::new("s3cret"));
//! let http = req.build()?;
//! assert_eq!(http.url, "https://login.microsoftonline.com/my-tenant/oauth2/v2.0/token");
//! // ... POST it, then:
//! let now = Timestamp::parse_rfc3339("2026-11-24T10:00:00Z")?;
//! let body = r#"{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"eyJ0..."}"#;
//! let token = AccessToken::from_response(AccessToken::CLIENT_CREDENTIALS, 200, body, now)?;
//! assert_eq!(token.expires_at, now.add_secs(3599)?);
//! # Ok::<(), presign::Error>(())
//! ```

use crate::encoding::append_param;
use crate::error::{msg, msg_at};
use crate::error::{Error, Result};
use crate::http::{bad_response, service_error, HttpRequest};
use crate::prelude::*;
use crate::schema::Reader;
use crate::time::Timestamp;
use crate::types::{Method, Params, Secret};
use alloc::borrow::Cow;

/// The scope of a token for Azure Storage (client credentials).
pub const STORAGE_SCOPE: &str = "https://storage.azure.com/.default";

/// The resource of a managed-identity token for Azure Storage (the scope without `/.default`,
/// as azure-identity sends it).
pub const STORAGE_RESOURCE: &str = "https://storage.azure.com";

/// Microsoft Entra ID's public-cloud authority host. Sovereign clouds have their own
/// (`https://login.microsoftonline.us`, `https://login.chinacloudapi.cn`).
pub const DEFAULT_AUTHORITY_HOST: &str = "https://login.microsoftonline.com";

/// The Azure Instance Metadata Service's token endpoint.
pub const IMDS_ENDPOINT: &str = "http://169.254.169.254/metadata/identity/oauth2/token";

/// `client_assertion_type` of a JWT client assertion (RFC 7523).
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// An OAuth 2.0 client-credentials token request to Microsoft Entra ID. `Debug` redacts the
/// secret and the assertion.
#[derive(Clone, Debug, Default)]
pub struct TokenRequest {
    /// The directory (tenant) id or domain.
    pub tenant_id: String,
    /// The application (client) id.
    pub client_id: String,
    /// The client secret; exactly one of this and `client_assertion`.
    pub client_secret: Option<Secret>,
    /// A client assertion: a signed JWT, such as the federated token a workload identity
    /// (Kubernetes, GitHub Actions) reads from `AZURE_FEDERATED_TOKEN_FILE`.
    pub client_assertion: Option<Secret>,
    /// The authority host (default [`DEFAULT_AUTHORITY_HOST`]): `https://…`, or `http://` to a
    /// loopback address (a local stand-in).
    pub authority_host: Option<String>,
    /// The scope (default [`STORAGE_SCOPE`]).
    pub scope: Option<String>,
}

#[cfg(feature = "json")]
crate::schema::json_struct!(TokenRequest {
    required { tenant_id: "tenantId", client_id: "clientId" }
    optional {
        client_secret: "clientSecret", client_assertion: "clientAssertion",
        authority_host: "authorityHost", scope: "scope",
    }
});

impl TokenRequest {
    /// A request authenticated with a client secret.
    pub fn with_secret(
        tenant_id: impl Into<String>,
        client_id: impl Into<String>,
        secret: Secret,
    ) -> Self {
        TokenRequest {
            tenant_id: tenant_id.into(),
            client_id: client_id.into(),
            client_secret: Some(secret),
            ..TokenRequest::default()
        }
    }

    /// A request authenticated with a client assertion (a federated JWT).
    pub fn with_assertion(
        tenant_id: impl Into<String>,
        client_id: impl Into<String>,
        assertion: Secret,
    ) -> Self {
        TokenRequest {
            tenant_id: tenant_id.into(),
            client_id: client_id.into(),
            client_assertion: Some(assertion),
            ..TokenRequest::default()
        }
    }

    /// The `POST` to send: a form body with `grant_type=client_credentials`, `client_id`,
    /// `client_secret` or `client_assertion` + `client_assertion_type`, and `scope`. No
    /// clock: a client-credentials request does not depend on the time.
    ///
    /// # Errors
    /// [`Error::InvalidCredentials`] for a missing or empty tenant, client id, secret or
    /// assertion, or both a secret and an assertion; [`Error::InvalidEndpoint`] for an
    /// authority host that is not `https://host[:port]` (or `http://` to a loopback address).
    pub fn build(&self) -> Result<HttpRequest> {
        let tenant = self.tenant_id.as_str();
        if tenant.is_empty()
            || !tenant
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        {
            return Err(Error::InvalidCredentials(msg_at!(
                "tenantId",
                "a directory (tenant) id or domain (letters, digits, '-', '.', '_') is required"
            )));
        }
        non_empty("clientId", &self.client_id)?;
        let (name, value) = match (&self.client_secret, &self.client_assertion) {
            (Some(s), None) => ("client_secret", s),
            (None, Some(a)) => ("client_assertion", a),
            _ => {
                return Err(Error::InvalidCredentials(msg!(
                    "give exactly one of `clientSecret` and `clientAssertion`"
                )))
            }
        };
        if value.expose().is_empty() {
            return Err(Error::InvalidCredentials(msg!(
                "`{}` is empty",
                if name == "client_secret" {
                    "clientSecret"
                } else {
                    "clientAssertion"
                }
            )));
        }
        let host = self
            .authority_host
            .as_deref()
            .unwrap_or(DEFAULT_AUTHORITY_HOST);
        let e = crate::endpoint::parse("authorityHost", host, false)?;
        if e.scheme != Some("https") && !e.is_loopback() {
            return Err(Error::InvalidEndpoint(msg_at!(
                "authorityHost",
                "https is required (http only to a loopback address)"
            )));
        }
        let mut url = String::with_capacity(host.len() + tenant.len() + 24);
        url.push_str(e.scheme.unwrap_or("https"));
        url.push_str("://");
        url.push_str(&e.authority());
        url.push_str(&e.encoded_path("authorityHost")?);
        url.push('/');
        url.push_str(tenant);
        url.push_str("/oauth2/v2.0/token");

        let mut body = String::with_capacity(160 + value.expose().len());
        append_param(&mut body, "grant_type", "client_credentials");
        append_param(&mut body, "client_id", &self.client_id);
        append_param(&mut body, name, value.expose());
        if name == "client_assertion" {
            append_param(&mut body, "client_assertion_type", JWT_BEARER);
        }
        append_param(
            &mut body,
            "scope",
            self.scope.as_deref().unwrap_or(STORAGE_SCOPE),
        );
        Ok(HttpRequest {
            url,
            method: Method::Post,
            headers: Params(vec![
                (
                    "content-type".into(),
                    "application/x-www-form-urlencoded".into(),
                ),
                ("accept".into(), "application/json".into()),
            ]),
            body,
        })
    }
}

/// A managed-identity token request: to the Azure Instance Metadata Service (IMDS) when no
/// `identity_header` is given, else to App Service / Functions' `IDENTITY_ENDPOINT`. The
/// caller reads `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` from its environment and passes them
/// here. `Debug` redacts the identity header.
#[derive(Clone, Debug, Default)]
pub struct ManagedIdentityRequest {
    /// The token endpoint: App Service's `IDENTITY_ENDPOINT`; for IMDS, default
    /// [`IMDS_ENDPOINT`] (another for a stand-in or pod identity).
    pub endpoint: Option<String>,
    /// App Service's `IDENTITY_HEADER`, sent as `X-IDENTITY-HEADER`; its presence selects the
    /// App Service protocol (api-version 2019-08-01; IMDS's is 2018-02-01).
    pub identity_header: Option<Secret>,
    /// A user-assigned identity by client id (at most one of the three ids; none for the
    /// system-assigned identity).
    pub client_id: Option<String>,
    /// A user-assigned identity by object (principal) id.
    pub object_id: Option<String>,
    /// A user-assigned identity by Azure resource id (`msi_res_id` for IMDS, `mi_res_id` for
    /// App Service).
    pub resource_id: Option<String>,
    /// The resource (default [`STORAGE_RESOURCE`]).
    pub resource: Option<String>,
}

#[cfg(feature = "json")]
crate::schema::json_struct!(ManagedIdentityRequest {
    required {}
    optional {
        endpoint: "endpoint", identity_header: "identityHeader", client_id: "clientId",
        object_id: "objectId", resource_id: "resourceId", resource: "resource",
    }
});

impl ManagedIdentityRequest {
    /// The `GET` to send: `?api-version=…&resource=…` plus the user-assigned identity's id, with
    /// `Metadata: true` (and `X-IDENTITY-HEADER` for App Service).
    ///
    /// # Errors
    /// [`Error::InvalidCredentials`] for more than one identity id or an empty one, or an
    /// App Service identity header without an endpoint; [`Error::InvalidEndpoint`] for an
    /// endpoint that is not `http(s)://host[:port][/path]`.
    pub fn build(&self) -> Result<HttpRequest> {
        let app_service = self.identity_header.as_ref();
        let ids = [
            ("clientId", "client_id", &self.client_id),
            ("objectId", "object_id", &self.object_id),
            (
                "resourceId",
                if app_service.is_some() {
                    "mi_res_id"
                } else {
                    "msi_res_id"
                },
                &self.resource_id,
            ),
        ];
        let mut id = None;
        for (what, wire, v) in ids {
            if let Some(v) = v {
                non_empty(what, v)?;
                if id.replace((wire, v)).is_some() {
                    return Err(Error::InvalidCredentials(msg!(
                        "give at most one of `clientId`, `objectId` and `resourceId`"
                    )));
                }
            }
        }
        let endpoint = match (&self.endpoint, app_service) {
            (Some(e), _) => e.as_str(),
            (None, None) => IMDS_ENDPOINT,
            (None, Some(_)) => {
                return Err(Error::InvalidCredentials(msg!(
                    "`identityHeader` without `endpoint`: pass App Service's IDENTITY_ENDPOINT too"
                )))
            }
        };
        let e = crate::endpoint::parse("endpoint", endpoint, false)?;
        let mut query = String::with_capacity(96);
        let version = if app_service.is_some() {
            "2019-08-01"
        } else {
            "2018-02-01"
        };
        append_param(&mut query, "api-version", version);
        let resource = self.resource.as_deref().unwrap_or(STORAGE_RESOURCE);
        non_empty("resource", resource)?;
        append_param(&mut query, "resource", resource);
        if let Some((wire, v)) = id {
            append_param(&mut query, wire, v);
        }
        let mut url = String::with_capacity(endpoint.len() + query.len() + 8);
        url.push_str(e.scheme.unwrap_or("http"));
        url.push_str("://");
        url.push_str(&e.authority());
        // The path as given, trailing slash kept (azure-identity sends IDENTITY_ENDPOINT as is).
        let path = crate::encoding::percent_decode(e.path).ok_or_else(|| {
            Error::InvalidEndpoint(msg_at!(
                "endpoint",
                "the path has a malformed percent-escape"
            ))
        })?;
        crate::encoding::encode_path_into(&mut url, &path);
        url.push('?');
        url.push_str(&query);
        let mut headers = Vec::with_capacity(2);
        if let Some(h) = app_service {
            non_empty("identityHeader", h.expose())?;
            headers.push(("x-identity-header".into(), h.expose().into()));
        }
        headers.push(("metadata".into(), "true".into()));
        Ok(HttpRequest {
            url,
            method: Method::Get,
            headers: Params(headers),
            body: String::new(),
        })
    }
}

fn non_empty(what: &str, v: &str) -> Result<()> {
    if v.is_empty() || v.chars().any(char::is_control) {
        return Err(Error::InvalidCredentials(msg!(
            "`{what}` is empty or has a control character"
        )));
    }
    Ok(())
}

/// An access token. `Debug` redacts it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessToken {
    /// The token, for `Authorization: Bearer …`.
    pub token: Secret,
    /// When it expires: `now + expires_in`, or `expires_on` when the answer has no
    /// `expires_in` (App Service).
    pub expires_at: Timestamp,
    /// `token_type` (`Bearer`).
    pub token_type: String,
}

/// The members of a token answer or an error document that the parser reads.
#[derive(Default)]
struct TokenFields<'a> {
    access_token: Option<Cow<'a, str>>,
    token_type: Option<Cow<'a, str>>,
    expires_in: Option<u64>,
    expires_on: Option<u64>,
    /// Entra / IMDS: `error`, `error_description`.
    error: Option<Cow<'a, str>>,
    error_description: Option<Cow<'a, str>>,
    /// App Service: `statusCode`, `message`.
    status_code: Option<u64>,
    message: Option<Cow<'a, str>>,
}

/// A number, or a string of decimal digits (IMDS writes `"expires_in":"3599"`).
fn number_or_digits(r: &mut Reader<'_>) -> Result<Option<u64>> {
    if r.next_token() == Some(b'"') {
        let s = r.string()?;
        Ok(s.parse().ok())
    } else {
        r.u64().map(Some)
    }
}

fn read_fields(body: &str) -> Result<TokenFields<'_>> {
    let mut f = TokenFields::default();
    let mut r = Reader::new(body.trim_start_matches('\u{feff}'));
    r.object(|r, name| {
        match name {
            "access_token" => f.access_token = Some(r.string()?),
            "token_type" => f.token_type = Some(r.string()?),
            "expires_in" => f.expires_in = number_or_digits(r)?,
            "expires_on" => f.expires_on = number_or_digits(r)?,
            "error" => f.error = Some(r.string()?),
            "error_description" => f.error_description = Some(r.string()?),
            "statusCode" => f.status_code = number_or_digits(r)?,
            "message" | "Message" => f.message = Some(r.string()?),
            _ => r.skip()?,
        }
        Ok(())
    })?;
    r.finish()?;
    Ok(f)
}

impl AccessToken {
    /// The exchange name of a client-credentials answer, for [`AccessToken::from_response`].
    pub const CLIENT_CREDENTIALS: &'static str = "Entra ID token";
    /// The exchange name of a managed-identity answer, for [`AccessToken::from_response`].
    pub const MANAGED_IDENTITY: &'static str = "managed identity token";

    /// Reads a token answer as the HTTP client received it, at `now` (for `expires_in`).
    /// `exchange` names it in errors ([`AccessToken::CLIENT_CREDENTIALS`] or
    /// [`AccessToken::MANAGED_IDENTITY`]).
    ///
    /// # Errors
    /// [`Error::Service`] (`SERVICE_ERROR`): an error document — Entra ID's and IMDS's
    /// `{"error","error_description",…}`, App Service's `{"statusCode","message"}` — with the
    /// service's code and the first line of its description; any other non-2xx status; or a
    /// 2xx answer without a non-empty `access_token` and an expiry (`expires_in` or
    /// `expires_on`, numbers or digit strings).
    pub fn from_response(exchange: &str, status: u16, body: &str, now: Timestamp) -> Result<Self> {
        let fields = read_fields(body);
        let ok = (200..300).contains(&status);
        let f = match fields {
            Ok(f) => f,
            Err(_) if !ok => return Err(service_error(exchange, status, "", "")),
            Err(_) => return Err(bad_response(exchange, "the body is not a JSON object")),
        };
        if let Some(code) = &f.error {
            let desc = f.error_description.as_deref().unwrap_or("");
            return Err(service_error(exchange, status, code, desc));
        }
        if !ok || f.status_code.is_some() {
            let code = f.status_code.map(|c| c.to_string()).unwrap_or_default();
            let message = f.message.as_deref().unwrap_or("");
            return Err(service_error(exchange, status, &code, message));
        }
        let token = match f.access_token {
            Some(t) if !t.is_empty() && !t.chars().any(char::is_control) => t,
            _ => return Err(bad_response(exchange, "no access_token")),
        };
        let expires_at = match (f.expires_in, f.expires_on) {
            (Some(s), _) => i64::try_from(s).ok().and_then(|s| now.add_secs(s).ok()),
            (None, Some(at)) => i64::try_from(at)
                .ok()
                .and_then(|at| Timestamp::from_unix(at).ok()),
            (None, None) => return Err(bad_response(exchange, "no expires_in or expires_on")),
        }
        .ok_or_else(|| bad_response(exchange, "the expiry is out of range"))?;
        Ok(AccessToken {
            token: Secret::new(token.into_owned()),
            expires_at,
            token_type: f
                .token_type
                .map(Cow::into_owned)
                .unwrap_or_else(|| "Bearer".into()),
        })
    }
}

#[cfg(test)]
mod tests;
