//! A connection string with only a `SharedAccessSignature`: the ready SAS is appended to the
//! URL as it is, and nothing about it can change.

use super::user_delegation::delegation_only_fields;
use super::validate::validate_text;
use super::{push_query, AzureRequest};
use crate::encoding::percent_decode;
use crate::error::{msg, msg_at};
use crate::error::{Error, Result};
use crate::prelude::*;
use crate::text::concat;
use crate::time::Timestamp;
use crate::types::Warning;

/// A connection string with only a `SharedAccessSignature`: nothing about the SAS can change.
pub(super) fn check_ready_sas_request(req: &AzureRequest) -> Result<()> {
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
            return Err(Error::InvalidRequest(msg!("{name} cannot be applied: the connection string carries a ready SAS, which this crate only appends to URLs")));
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
pub(super) fn ready_sas(
    url: &mut String,
    query_start: usize,
    sas: &str,
    time: Timestamp,
    warnings: &mut Vec<Warning>,
) -> Result<Timestamp> {
    let bad = |why: &str| {
        Error::InvalidCredentials(msg!("the connection string's SharedAccessSignature {why}"))
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
                    // A date alone: its midnight, UTC.
                    .or_else(|_| Timestamp::parse_rfc3339(&concat(&[&v, "T00:00:00Z"])))
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
        Some(e) if e <= time => Err(Error::CredentialsExpire(msg_at!(
            "credentials.connectionString",
            "its SAS expires at or before the signing instant"
        ))),
        Some(e) => Ok(e),
        None => {
            warnings.push(Warning {
                code: "EXPIRY_UNKNOWN",
                message: msg_at!(
                    "credentials.connectionString",
                    "its SAS has no readable se (expiry); expiresAt is the signing instant"
                ),
            });
            Ok(time)
        }
    }
}
