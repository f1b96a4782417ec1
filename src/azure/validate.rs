//! Checks of the request's names and signed text fields, shared by every SAS kind.

use super::{sas, AzureRequest, MAX_BLOB_NAME_CHARS, MAX_IDENTIFIER_CHARS};
use crate::error::{indexed, msg_at};
use crate::error::{Error, Result};
use crate::prelude::*;
use crate::types::Params;

/// Account names: 3–24 lower-case letters and digits.
pub(crate) fn validate_account(a: &str) -> Result<()> {
    if (3..=24).contains(&a.len())
        && a.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        Ok(())
    } else {
        Err(Error::InvalidRequest(msg_at!(
            "account",
            "must be 3-24 lower-case letters and digits"
        )))
    }
}

/// Container names: 3–63 of `a-z 0-9 -`, starting and ending with a letter or digit, no `--`;
/// or one of the special containers `$root`, `$web`, `$logs`.
pub(super) fn validate_container(c: &str) -> Result<()> {
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
        Err(Error::InvalidBucket(msg_at!("container", "must be 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit (or $root, $web, $logs)")))
    }
}

/// Blob names: 1–1024 characters, no control characters.
pub(super) fn validate_blob(b: &str) -> Result<()> {
    if b.is_empty() {
        return Err(Error::InvalidKey(msg_at!("blob", "empty")));
    }
    if crate::text::char_count(b) > MAX_BLOB_NAME_CHARS {
        return Err(Error::InvalidKey(msg_at!(
            "blob",
            "longer than the {MAX_BLOB_NAME_CHARS} characters Azure allows"
        )));
    }
    if b.chars().any(char::is_control) {
        return Err(Error::InvalidKey(msg_at!(
            "blob",
            "contains a control character (it would break the string-to-sign's lines)"
        )));
    }
    Ok(())
}

/// A signed text field: not empty, no control characters.
pub(super) fn validate_text(name: &str, v: &str) -> Result<()> {
    if v.is_empty() {
        return Err(Error::InvalidRequest(msg_at!(
            name,
            "empty; leave it out instead"
        )));
    }
    if v.chars().any(char::is_control) {
        return Err(Error::InvalidRequest(msg_at!(
            name,
            "contains a control character (it would break the string-to-sign's lines)"
        )));
    }
    Ok(())
}

/// `sip`: an IPv4 address or `first-last` with first ≤ last.
pub(super) fn validate_ip_range(s: &str) -> Result<()> {
    let ip = crate::endpoint::parse_ipv4;
    let ok = match crate::text::split_once_byte(s, b'-', false) {
        Some((a, b)) => matches!((ip(a), ip(b)), (Some(a), Some(b)) if a <= b),
        None => ip(s).is_some(),
    };
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidRequest(msg_at!(
            "ipRange",
            "must be an IPv4 address or a range like 168.1.5.60-168.1.5.70 (first <= last)"
        )))
    }
}

/// Caller query parameters: non-empty names, no SAS parameter names, no control characters.
pub(super) fn validate_query(q: &Params) -> Result<()> {
    for (i, (name, value)) in q.iter().enumerate() {
        if name.is_empty() {
            return Err(Error::InvalidQuery(msg_at!(
                &indexed("query", i),
                "the name is empty"
            )));
        }
        if sas::RESERVED_QUERY
            .iter()
            .any(|r| r.eq_ignore_ascii_case(name))
        {
            return Err(Error::InvalidQuery(msg_at!(
                &indexed("query", i),
                "this parameter is set by the SAS or by a request field (snapshot, versionId)"
            )));
        }
        if name.chars().chain(value.chars()).any(char::is_control) {
            return Err(Error::InvalidQuery(msg_at!(
                &indexed("query", i),
                "contains a control character"
            )));
        }
    }
    Ok(())
}

/// The signed text members: not empty, no control characters; `identifier` at most
/// [`MAX_IDENTIFIER_CHARS`] characters.
pub(super) fn validate_signed_text(req: &AzureRequest) -> Result<()> {
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
        .is_some_and(|i| crate::text::char_count(i) > MAX_IDENTIFIER_CHARS)
    {
        return Err(Error::InvalidRequest(msg_at!(
            "identifier",
            "longer than {MAX_IDENTIFIER_CHARS} characters"
        )));
    }
    let rh = &req.response_headers;
    for (name, v) in [
        ("encryptionScope", &req.encryption_scope),
        ("snapshot", &req.snapshot),
        ("versionId", &req.version_id),
        (
            "preauthorizedAgentObjectId",
            &req.preauthorized_agent_object_id,
        ),
        ("agentObjectId", &req.agent_object_id),
        ("correlationId", &req.correlation_id),
        ("delegatedUserObjectId", &req.delegated_user_object_id),
        ("responseHeaders.cacheControl", &rh.cache_control),
        (
            "responseHeaders.contentDisposition",
            &rh.content_disposition,
        ),
        ("responseHeaders.contentEncoding", &rh.content_encoding),
        ("responseHeaders.contentLanguage", &rh.content_language),
        ("responseHeaders.contentType", &rh.content_type),
    ] {
        text(name, v)?;
    }
    Ok(())
}
