//! Credential exchanges over JSON, for the JS bindings (`exchangeRequestJson` /
//! `exchangeResponseJson`) and the CLI: the library builds the HTTP request, the caller sends it
//! (`fetch`), and the library reads the answer. Every exchange is named by `kind`:
//!
//! - request:  `{"kind": K, …options}` → `{"url","method","headers","body"}` (the request to send;
//!   where the exchange needs the caller's bearer token, the caller adds `Authorization` itself —
//!   the JS helpers do, so the token never enters wasm);
//! - response: `{"kind": K, "status": 200, "body": "…", …options}` → the exchange's result object
//!   (credentials in the request schema's shape, ready to put in `credentials`, plus `expiresAt`
//!   where the service says), or `{"error":{"code","message"}}` (`SERVICE_ERROR` for an error
//!   document, with the service's own code and message).
//!
//! Kinds (each provider's exchange lives in its module; this file only dispatches):
//! `azure.userDelegationKey`, `azure.token` (Entra ID client credentials),
//! `azure.managedIdentityToken` (IMDS, App Service).

use super::{error_json, missing, Object, Reader};
use crate::error::msg_at;
use crate::error::{Error, Result};
use crate::http::HttpRequest;
use crate::schema::{json_struct, read_struct};
use crate::time::Timestamp;

/// The kinds this build knows, for the error on an unknown one.
const KINDS: &[&str] = &[
    #[cfg(feature = "azure")]
    "\"azure.userDelegationKey\"",
    #[cfg(feature = "azure")]
    "\"azure.token\"",
    #[cfg(feature = "azure")]
    "\"azure.managedIdentityToken\"",
];

/// The HTTP request of the exchange `input` names, at `now`; or the error object.
pub fn exchange_request_json(input: &str, now: Timestamp) -> String {
    match read_kind(input).and_then(|(kind, r)| request(&kind, r, now)) {
        Ok(req) => http_request_json(&req),
        Err(e) => error_json(&e),
    }
}

/// The result of the exchange `input` names from the response's `status` and `body`, at `now`;
/// or the error object.
pub fn exchange_response_json(input: &str, now: Timestamp) -> String {
    let mut out = String::new();
    match read_kind(input).and_then(|(kind, r)| response(&kind, r, now, &mut out)) {
        Ok(()) => out,
        Err(e) => error_json(&e),
    }
}

/// Reads the `kind` member and returns a reader positioned to read the rest of the object.
fn read_kind(input: &str) -> Result<(String, Reader<'_>)> {
    let mut r = Reader::new(input);
    let kind = r
        .peek_member("kind")
        .map_err(super::not_a_request)?
        .ok_or_else(|| missing("kind"))?
        .into_owned();
    r.skip_member_once("kind");
    Ok((kind, r))
}

fn unknown_kind() -> Error {
    Error::InvalidRequest(msg_at!(
        "kind",
        "expected one of {}",
        crate::text::join(KINDS, ", ")
    ))
}

/// Reads the rest of the object as `T` (every member known, nothing after it).
fn options<T: crate::schema::Members>(mut r: Reader<'_>) -> Result<T> {
    let t = read_struct(&mut r)?;
    r.finish()?;
    Ok(t)
}

fn request(kind: &str, r: Reader<'_>, now: Timestamp) -> Result<HttpRequest> {
    let _ = (&r, now);
    match kind {
        #[cfg(feature = "azure")]
        "azure.userDelegationKey" => options::<crate::azure::KeyRequest>(r)?.build(now),
        #[cfg(feature = "azure")]
        "azure.token" => options::<crate::azure::TokenRequest>(r)?.build(),
        #[cfg(feature = "azure")]
        "azure.managedIdentityToken" => options::<crate::azure::ManagedIdentityRequest>(r)?.build(),
        _ => Err(unknown_kind()),
    }
}

fn response(kind: &str, r: Reader<'_>, now: Timestamp, out: &mut String) -> Result<()> {
    let _ = (&r, now, &out);
    match kind {
        #[cfg(feature = "azure")]
        "azure.userDelegationKey" => {
            let Answer { status, body } = options(r)?;
            let key = crate::azure::UserDelegationKey::from_response(status, &body)?;
            let mut o = Object::new(out);
            push_user_delegation_key(o.key("userDelegationKey"), &key);
            o.time("expiresAt", key.signed_expiry).end();
            Ok(())
        }
        #[cfg(feature = "azure")]
        "azure.token" | "azure.managedIdentityToken" => {
            use crate::azure::AccessToken;
            let Answer { status, body } = options(r)?;
            let exchange = if kind == "azure.token" {
                AccessToken::CLIENT_CREDENTIALS
            } else {
                AccessToken::MANAGED_IDENTITY
            };
            let token = AccessToken::from_response(exchange, status, &body, now)?;
            Object::new(out)
                .str("accessToken", token.token.expose())
                .str("tokenType", &token.token_type)
                .time("expiresAt", token.expires_at)
                .end();
            Ok(())
        }
        _ => Err(unknown_kind()),
    }
}

/// A response as the caller received it.
struct Answer {
    status: u16,
    body: String,
}

json_struct!(Answer {
    required { status: "status", body: "body" }
    optional {}
});

/// `{"url","method","headers":{…},"body"}`.
pub fn http_request_json(req: &HttpRequest) -> String {
    let mut out = String::with_capacity(req.url.len() + req.body.len() + 128);
    Object::new(&mut out)
        .str("url", &req.url)
        .str("method", req.method.as_str())
        .pairs("headers", req.headers.iter())
        .str("body", &req.body)
        .end();
    out
}

#[cfg(feature = "azure")]
fn push_user_delegation_key(out: &mut String, k: &crate::azure::UserDelegationKey) {
    let mut o = Object::new(out)
        .str("signedOid", &k.signed_oid)
        .str("signedTid", &k.signed_tid)
        .time("signedStart", k.signed_start)
        .time("signedExpiry", k.signed_expiry)
        .str("signedService", &k.signed_service)
        .str("signedVersion", &k.signed_version);
    if let Some(tid) = &k.signed_delegated_user_tid {
        o = o.str("signedDelegatedUserTid", tid);
    }
    o.str("value", k.value.expose()).end();
}
