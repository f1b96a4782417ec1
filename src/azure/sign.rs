//! Signing with a key: the SAS kind's own checks, the fields every kind shares, the
//! string-to-sign and the query.

use super::permissions::{PermissionScope, Permissions};
use super::sas::{self, Layout, SasFields, SignedVersion};
use super::service::Target;
use super::validate::{validate_ip_range, validate_signed_text};
use super::{account, service, user_delegation, write_addressing};
use super::{push_query, AzureRequest, Protocol, UserDelegationKey};
use super::{DEFAULT_EXPIRES, MAX_CLOCK_SKEW};
use crate::crypto::HmacKey;
use crate::error::{msg, msg_at};
use crate::error::{Error, Result};
use crate::prelude::*;
use crate::time::Timestamp;
use crate::types::{Method, Warning};

/// One signing: the request, what signs it and where the results go.
pub(super) struct Signing<'a, 'b> {
    pub req: &'a AzureRequest,
    pub kind: Kind<'a>,
    pub account: &'a str,
    pub scheme: &'static str,
    pub signing_key: &'a HmacKey,
    pub time: Timestamp,
    pub url: &'b mut String,
    pub query_start: usize,
    pub headers: &'b mut Vec<(String, String)>,
    pub warnings: &'b mut Vec<Warning>,
    /// Receives the string-to-sign when `Some`.
    pub sts_out: &'b mut Option<String>,
}

/// The kind of SAS the key makes: an account key makes a service or an account SAS, a
/// user-delegation key (carried here) a user-delegation SAS.
#[derive(Clone, Copy)]
pub(super) enum Kind<'a> {
    Service,
    Account,
    UserDelegation(&'a UserDelegationKey),
}

/// The SAS to make, one variant per kind, with what the kind signs.
enum Sas<'a> {
    /// A service SAS of `Target`.
    Service(Target),
    /// An account SAS.
    Account,
    /// A user-delegation SAS of `Target`, signed with the key.
    UserDelegation(Target, &'a UserDelegationKey),
}

impl Sas<'_> {
    fn target(&self) -> Option<&Target> {
        match self {
            Sas::Service(t) | Sas::UserDelegation(t, _) => Some(t),
            Sas::Account => None,
        }
    }

    fn scope(&self) -> PermissionScope {
        self.target().map_or(PermissionScope::Account, |t| t.scope)
    }
}

/// The signed values computed from the request, owned; [`fields`] lends them to the SAS.
struct Parts<'a> {
    sv: &'static str,
    sas: Sas<'a>,
    permissions: Option<String>,
    start: Option<String>,
    expiry: Option<String>,
    /// Account SAS: `ss`, `srt`.
    services: Option<(String, String)>,
    /// User delegation: `skt`, `ske`.
    key_times: Option<(String, String)>,
    bound_headers: Vec<(String, String)>,
    bound_query: Vec<(String, String)>,
}

/// Builds the SAS fields, signs them and appends the query. Returns `expiresAt`.
pub(super) fn sign(s: Signing<'_, '_>) -> Result<Timestamp> {
    let req = s.req;
    let version = match &req.version {
        Some(v) => SignedVersion::parse(v)?,
        None => SignedVersion::default_version(),
    };
    let layout = version.layout();
    let sv = version.as_str();
    let sas = resolve(req, s.kind, s.account, layout)?;
    let permissions = permissions(req, sas.scope(), sv)?;
    let (start, expiry) = times(req, s.time, &sas, s.warnings)?;
    check_signed_fields(req, s.scheme, s.warnings)?;
    let services = match sas {
        Sas::Account => Some(account::services_and_resource_types(req)?),
        _ => None,
    };
    let parts = Parts {
        sv,
        permissions,
        start: start.map(Timestamp::rfc3339),
        expiry: expiry.map(Timestamp::rfc3339),
        services,
        bound_headers: user_delegation::bound_headers(&req.request_headers)?,
        bound_query: user_delegation::bound_query(&req.request_query, &req.query)?,
        key_times: match s.kind {
            Kind::UserDelegation(k) => Some(user_delegation::key_time_strings(k)),
            Kind::Service | Kind::Account => None,
        },
        sas,
    };
    let fields = fields(req, &parts);
    let string_to_sign = match parts.sas.target() {
        None => sas::account_string_to_sign(layout, s.account, &fields)?,
        Some(t) => sas::service_string_to_sign(layout, &t.canonical, &fields)?,
    };
    let signature = sas::sign(s.signing_key, &string_to_sign);
    if let Some(out) = s.sts_out.as_mut() {
        *out = string_to_sign;
    }

    // The URL: addressing parameters, then the SAS.
    write_addressing(s.url, s.query_start, req, &parts.bound_query);
    let mut tail = String::with_capacity(320);
    sas::write_query(&mut tail, &fields, &signature);
    push_query(s.url, s.query_start, &tail);
    s.headers.extend(parts.bound_headers);

    Ok(match expiry {
        Some(e) => e,
        None => {
            s.warnings.push(Warning {
                code: "EXPIRY_FROM_POLICY",
                message: msg_at!("identifier", "the stored access policy sets the expiry; expiresAt is the signing instant because this request cannot know it"),
            });
            s.time
        }
    })
}

/// The SAS kind with its target, after refusing the members other kinds have.
fn resolve<'a>(
    req: &AzureRequest,
    kind: Kind<'a>,
    account: &str,
    layout: Layout,
) -> Result<Sas<'a>> {
    match kind {
        Kind::UserDelegation(_) if req.identifier.is_some() => {
            return Err(Error::Unsupported(msg!(
                "a user-delegation SAS cannot name a stored access policy (identifier)"
            )))
        }
        Kind::UserDelegation(_) => {}
        Kind::Service | Kind::Account => user_delegation::refuse_fields(req)?,
    }
    if let Kind::Account = kind {
        account::check(req)?;
        return Ok(Sas::Account);
    }
    service::check(req)?;
    let target = service::target(req, account, layout)?;
    Ok(match kind {
        Kind::UserDelegation(k) => Sas::UserDelegation(target, k),
        Kind::Service | Kind::Account => Sas::Service(target),
    })
}

/// `sp` in canonical order: the request's, none with a stored access policy (which a
/// user-delegation SAS cannot name: [`resolve`] refused it), else the method's default.
fn permissions(req: &AzureRequest, scope: PermissionScope, sv: &str) -> Result<Option<String>> {
    let permissions = match (req.permissions, &req.identifier) {
        (Some(p), _) => p,
        (None, Some(_)) => return Ok(None),
        (None, None) => default_permissions(req.method, scope)?,
    };
    permissions.to_sp(scope, sv).map(Some)
}

/// Permissions when the request names none and no stored access policy.
fn default_permissions(method: Method, scope: PermissionScope) -> Result<Permissions> {
    let listing = matches!(scope, PermissionScope::Container | PermissionScope::Account);
    match method {
        Method::Get | Method::Head if listing => Ok(Permissions::READ | Permissions::LIST),
        Method::Get | Method::Head => Ok(Permissions::READ),
        Method::Put => Ok(Permissions::CREATE | Permissions::WRITE),
        Method::Delete => Ok(Permissions::DELETE),
        Method::Post => Err(Error::InvalidRequest(msg!(
            "a POST SAS needs explicit permissions"
        ))),
    }
}

/// `st` and `se`, checked against each other, the signing instant and a user-delegation key.
fn times(
    req: &AzureRequest,
    time: Timestamp,
    sas: &Sas<'_>,
    warnings: &mut Vec<Warning>,
) -> Result<(Option<Timestamp>, Option<Timestamp>)> {
    let start = match (req.starts_on, req.clock_skew) {
        (st, Some(skew)) => {
            if skew > MAX_CLOCK_SKEW {
                return Err(Error::InvalidTime(msg_at!(
                    "clockSkew",
                    "at most {MAX_CLOCK_SKEW} s"
                )));
            }
            Some(st.unwrap_or(time).add_secs(-(skew as i64))?)
        }
        (st, None) => st,
    };
    let mut expiry = match (req.expires_on, req.expires_in) {
        (Some(_), Some(_)) => {
            return Err(Error::InvalidExpiry(msg!(
                "give expiresOn or expiresIn, not both"
            )))
        }
        (Some(e), None) => Some(e),
        (None, Some(0)) => {
            return Err(Error::InvalidExpiry(msg!(
                "expiresIn must be at least 1 second"
            )))
        }
        (None, Some(n)) => Some(
            time.add_secs(
                i64::try_from(n)
                    .map_err(|_| Error::InvalidExpiry(msg_at!("expiresIn", "out of range")))?,
            )?,
        ),
        (None, None) if req.identifier.is_some() && !matches!(sas, Sas::UserDelegation(..)) => None,
        (None, None) => Some(time.add_secs(DEFAULT_EXPIRES as i64)?),
    };
    if let Sas::UserDelegation(_, k) = sas {
        expiry =
            user_delegation::key_times(k, start, expiry, time, req.credential_expiry, warnings)?;
    }
    if let Some(e) = expiry {
        if e <= time {
            return Err(Error::InvalidExpiry(msg_at!(
                "expiresOn",
                "not after the signing instant"
            )));
        }
        if start.is_some_and(|st| st >= e) {
            return Err(Error::InvalidExpiry(msg_at!(
                "startsOn",
                "not before the expiry"
            )));
        }
    }
    Ok((start, expiry))
}

/// The other signed members: `sip`, `spr` (with a warning for https on an http endpoint) and
/// the text fields.
fn check_signed_fields(
    req: &AzureRequest,
    scheme: &str,
    warnings: &mut Vec<Warning>,
) -> Result<()> {
    if let Some(ip) = &req.ip_range {
        validate_ip_range(ip)?;
    }
    if req.protocol == Some(Protocol::Https) && scheme == "http" {
        // The SDKs sign it: the token is valid for the same account over https (and a user of
        // Azurite over http may be preparing it for the production URL).
        warnings.push(Warning {
            code: "HTTPS_ONLY_ON_HTTP",
            message: msg_at!("protocol", "\"https\" (spr=https) with an http endpoint: Azure refuses this URL over http; the SAS works for the same account over https"),
        });
    }
    validate_signed_text(req)
}

/// Every field of the SAS, borrowed from the request and `p`.
fn fields<'a>(req: &'a AzureRequest, p: &'a Parts<'a>) -> SasFields<'a> {
    let rh = &req.response_headers;
    let target = p.sas.target();
    SasFields {
        version: p.sv,
        services: p.services.as_ref().map(|(ss, _)| ss.as_str()),
        resource_types: p.services.as_ref().map(|(_, srt)| srt.as_str()),
        resource: target.map(|t| t.sr),
        permissions: p.permissions.as_deref(),
        start: p.start.as_deref(),
        expiry: p.expiry.as_deref(),
        ip: req.ip_range.as_deref(),
        protocol: req.protocol.map(Protocol::as_str),
        identifier: req.identifier.as_deref(),
        snapshot_time: target.and(req.snapshot.as_deref().or(req.version_id.as_deref())),
        encryption_scope: req.encryption_scope.as_deref(),
        directory_depth: target.and_then(|t| t.depth),
        cache_control: rh.cache_control.as_deref(),
        content_disposition: rh.content_disposition.as_deref(),
        content_encoding: rh.content_encoding.as_deref(),
        content_language: rh.content_language.as_deref(),
        content_type: rh.content_type.as_deref(),
        delegation: match (&p.sas, &p.key_times) {
            (Sas::UserDelegation(_, k), Some(times)) => Some(user_delegation::fields(
                k,
                times,
                req,
                &p.bound_headers,
                &p.bound_query,
            )),
            _ => None,
        },
    }
}
