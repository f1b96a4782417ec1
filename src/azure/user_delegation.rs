//! What only a user-delegation SAS has: the key's times against the SAS's, the agent and
//! correlation ids, and the headers and query parameters bound to the request (`srh`, `srq`).

use super::{sas, AzureRequest, UserDelegationKey};
use crate::error::{indexed, msg_at};
use crate::error::{Error, Result};
use crate::lifetime::{credentials_in_force, expire_first};
use crate::prelude::*;
use crate::time::Timestamp;
use crate::types::{CredentialExpiry, Params, Warning};
use sas::DelegationFields;

/// The member both key-expiry messages name.
const KEY_EXPIRY: &str = "credentials.userDelegationKey.signedExpiry";

/// The request's user-delegation-only fields, by JSON name, and whether each is given.
pub(super) fn delegation_only_fields(req: &AzureRequest) -> [(&'static str, bool); 6] {
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

/// Refuses the user-delegation-only fields in a service or account SAS.
pub(super) fn refuse_fields(req: &AzureRequest) -> Result<()> {
    for (name, given) in delegation_only_fields(req) {
        if given {
            return Err(Error::Unsupported(msg_at!(
                name,
                "exists only in a user-delegation SAS"
            )));
        }
    }
    Ok(())
}

/// The key's rules at the signing instant `time`: in force, overlapping the SAS's `start` and
/// `expiry`, and `policy` when it expires before the SAS. Returns the expiry to sign.
///
/// Azure takes a request only while both the SAS and its key are in force: a SAS whose times
/// lie wholly outside the key's could never be used. Inside, or overlapping, is fine (`st`
/// before `skt` is ordinary: the key's start is back-dated or not).
pub(super) fn key_times(
    k: &UserDelegationKey,
    start: Option<Timestamp>,
    expiry: Option<Timestamp>,
    time: Timestamp,
    policy: CredentialExpiry,
    warnings: &mut Vec<Warning>,
) -> Result<Option<Timestamp>> {
    credentials_in_force(k.signed_expiry, time, || {
        msg_at!(
            KEY_EXPIRY,
            "the key expires at or before the signing instant"
        )
    })?;
    if expiry.is_some_and(|e| e <= k.signed_start) {
        return Err(Error::InvalidExpiry(msg_at!("expiresOn", "at or before the user-delegation key's start; Azure would refuse every request with this SAS")));
    }
    if start.is_some_and(|st| st >= k.signed_expiry) {
        return Err(Error::InvalidTime(msg_at!("startsOn", "at or after the user-delegation key's expiry; Azure would refuse every request with this SAS")));
    }
    expiry
        .map(|e| {
            expire_first(policy, k.signed_expiry, e, warnings, || {
                msg_at!(
                    KEY_EXPIRY,
                    "the key expires before the SAS would; the SAS stops working when the key does"
                )
            })
        })
        .transpose()
}

/// The key's start and expiry as signed (`skt`, `ske`).
pub(super) fn key_time_strings(k: &UserDelegationKey) -> (String, String) {
    (k.signed_start.rfc3339(), k.signed_expiry.rfc3339())
}

/// The signed fields of the key and of the request's user-delegation members.
pub(super) fn fields<'a>(
    k: &'a UserDelegationKey,
    (key_start, key_expiry): &'a (String, String),
    req: &'a AzureRequest,
    request_headers: &'a [(String, String)],
    request_query: &'a [(String, String)],
) -> DelegationFields<'a> {
    DelegationFields {
        key_oid: &k.signed_oid,
        key_tid: &k.signed_tid,
        key_start,
        key_expiry,
        key_service: &k.signed_service,
        key_version: &k.signed_version,
        key_delegated_user_tid: k.signed_delegated_user_tid.as_deref(),
        preauthorized_agent_oid: req.preauthorized_agent_object_id.as_deref(),
        agent_oid: req.agent_object_id.as_deref(),
        correlation_id: req.correlation_id.as_deref(),
        delegated_user_oid: req.delegated_user_object_id.as_deref(),
        request_headers,
        request_query,
    }
}

fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
}

/// `requestHeaders` (`srh`): names lower-cased, letters/digits/`-_.~` only; values printable
/// ASCII; no repeats.
pub(super) fn bound_headers(h: &Params) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(h.0.len());
    for (i, (name, value)) in h.iter().enumerate() {
        if !is_token(name) {
            return Err(Error::InvalidHeader(msg_at!(
                &indexed("requestHeaders", i),
                "the name may contain only letters, digits, '-', '_', '.', '~'"
            )));
        }
        if !value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err(Error::InvalidHeader(msg_at!(
                &indexed("requestHeaders", i),
                "the value must be printable ASCII"
            )));
        }
        let lower = name.to_ascii_lowercase();
        if out.iter().any(|(n, _)| *n == lower) {
            return Err(Error::InvalidHeader(msg_at!(
                &indexed("requestHeaders", i),
                "the name is given twice (names are case-insensitive)"
            )));
        }
        out.push((lower, value.to_owned()));
    }
    Ok(out)
}

/// `requestQuery` (`srq`): names letters/digits/`-_.~`, not SAS names, not repeated, not also
/// in `query`; values without control characters.
pub(super) fn bound_query(q: &Params, extra: &Params) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(q.0.len());
    for (i, (name, value)) in q.iter().enumerate() {
        if !is_token(name) {
            return Err(Error::InvalidQuery(msg_at!(
                &indexed("requestQuery", i),
                "the name may contain only letters, digits, '-', '_', '.', '~'"
            )));
        }
        if sas::RESERVED_QUERY
            .iter()
            .any(|r| r.eq_ignore_ascii_case(name))
        {
            return Err(Error::InvalidQuery(msg_at!(
                &indexed("requestQuery", i),
                "this is a SAS parameter"
            )));
        }
        if value.chars().any(char::is_control) {
            return Err(Error::InvalidQuery(msg_at!(
                &indexed("requestQuery", i),
                "the value contains a control character"
            )));
        }
        if out.iter().any(|(n, _)| n == name) || extra.iter().any(|(n, _)| n == name) {
            return Err(Error::InvalidQuery(msg_at!(
                &indexed("requestQuery", i),
                "the name is given twice (in requestQuery, or in requestQuery and query)"
            )));
        }
        out.push((name.to_owned(), value.to_owned()));
    }
    Ok(out)
}
