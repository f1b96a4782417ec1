//! The canonical request of a V4 query signature, written in one string whose canonical query is
//! also the URL's: the auth parameters (with the cached head of a scope, or in full), the
//! caller's query, the signed headers and the payload hash.

use super::{Auth, Request, Scheme, StampText};
use crate::encoding::{encode_component, encode_component_into, push_decimal, CanonicalQuery};
use crate::prelude::*;

/// `req.headers` with `host` (if given) merged in at its sorted place.
fn headers_with_host<'h>(
    headers: &'h [(String, String)],
    host: Option<&'h str>,
) -> impl Iterator<Item = (&'h str, &'h str)> + Clone {
    let pos = match host {
        Some(_) => headers.partition_point(|(n, _)| n.as_str() < "host"),
        None => headers.len(),
    };
    let pair = |(n, v): &'h (String, String)| (n.as_str(), v.as_str());
    // `partition_point` and `len` are at most `len`: the split always exists.
    let (before, after) = headers.split_at(pos);
    let (before, after) = (before.iter().map(pair), after.iter().map(pair));
    before.chain(host.map(|h| ("host", h))).chain(after)
}

/// Writes the canonical request into one string and returns it with the byte range of the
/// canonical query inside it (that same text is the URL's query, so it is encoded once).
pub(super) fn canonical_request(
    req: &Request<'_>,
    host: Option<&str>,
    auth: &Auth<'_>,
    stamp: StampText<'_>,
    head: Option<&str>,
) -> (String, core::ops::Range<usize>) {
    let scheme = auth.scheme;
    let headers = headers_with_host(req.headers, host);
    let (names_len, values_len, count) =
        headers.clone().fold((0, 0, 0), |(n, v, c), (name, value)| {
            (n + name.len(), v + value.len(), c + 1)
        });
    let token_len = auth.session_token.map_or(0, |t| t.len() * 3 + 24);
    let caller_query: usize = req
        .query
        .iter()
        .map(|(k, v)| (k.len() + v.len()) * 3 + 2)
        .sum();
    // Parameter names and fixed values, plus everything that may be percent-encoded at its
    // worst, so the string is allocated once.
    let query_len = 160
        + scheme.algorithm.len()
        + (auth.access_key_id.len() + auth.region.len() + auth.service.len()) * 3
        + scheme.terminator.len()
        + names_len * 3
        + count * 3
        + token_len
        + caller_query;
    let mut cr = String::with_capacity(
        req.method.len()
            + req.canonical_uri.len()
            + query_len
            + names_len * 2
            + values_len
            + count * 3
            + req.payload_hash.len()
            + 8,
    );
    cr.push_str(req.method);
    cr.push('\n');
    cr.push_str(req.canonical_uri);
    cr.push('\n');
    let q_start = cr.len();
    if req.query.is_empty() && scheme.scope_has_region() {
        // Only the auth parameters: written straight in, already in sorted order.
        auth_query_into(&mut cr, auth, stamp, head, headers.clone());
    } else {
        cr.push_str(&general_query(req, auth, stamp, headers.clone()));
    }
    let q_end = cr.len();
    cr.push('\n');
    for (name, value) in headers.clone() {
        cr.push_str(name);
        cr.push(':');
        cr.push_str(value);
        cr.push('\n');
    }
    cr.push('\n');
    for (i, (name, _)) in headers.enumerate() {
        if i > 0 {
            cr.push(';');
        }
        cr.push_str(name);
    }
    cr.push('\n');
    cr.push_str(req.payload_hash);
    (cr, q_start..q_end)
}

/// `X-Amz-Credential`'s value from its parts (access key id, date, region, service,
/// terminator): each encoded, joined by an encoded `/`; the region is left out when the
/// scheme's scope has none (SigV4a).
fn credential_into(out: &mut String, scheme: &Scheme, parts: [&str; 5]) {
    let regional = scheme.scope_has_region();
    for (i, part) in parts.into_iter().enumerate() {
        if i == 2 && !regional {
            continue;
        }
        if i > 0 {
            out.push_str("%2F");
        }
        encode_component_into(out, part);
    }
}

/// The parts of `X-Amz-Credential` for `auth` at `stamp`.
fn credential_parts<'a>(auth: &Auth<'a>, stamp: StampText<'a>) -> [&'a str; 5] {
    [
        auth.access_key_id,
        stamp.date,
        auth.region,
        auth.service,
        auth.scheme.terminator,
    ]
}

/// `X-Amz-SignedHeaders`'s value, encoded: the names joined by an encoded `;`.
fn signed_headers_into<'h>(out: &mut String, headers: impl Iterator<Item = (&'h str, &'h str)>) {
    for (i, (name, _)) in headers.enumerate() {
        if i > 0 {
            out.push_str("%3B");
        }
        encode_component_into(out, name);
    }
}

/// The start of the auth parameters, up to the date's value:
/// `{Algorithm}=…&{Credential}=…&{Date}=` (what `ScopedKey` caches per scope).
pub(super) fn query_head_into(out: &mut String, scheme: &Scheme, credential: [&str; 5]) {
    out.push_str(scheme.params.algorithm);
    out.push('=');
    out.push_str(scheme.algorithm);
    out.push('&');
    out.push_str(scheme.params.credential);
    out.push('=');
    credential_into(out, scheme, credential);
    out.push('&');
    out.push_str(scheme.params.date);
    out.push('=');
}

/// The auth parameters alone, in the canonical order: Algorithm, Credential, Date, Expires,
/// Security-Token, SignedHeaders (byte order of the names, the same for both dialects). `head`
/// is the cached text up to the date's value (`ScopedKey::query_head`), if any.
fn auth_query_into<'h>(
    out: &mut String,
    auth: &Auth<'_>,
    stamp: StampText<'_>,
    head: Option<&str>,
    headers: impl Iterator<Item = (&'h str, &'h str)>,
) {
    let scheme = auth.scheme;
    let param = |out: &mut String, name: &str| {
        out.push_str(name);
        out.push('=');
    };
    match head {
        Some(h) => out.push_str(h),
        None => query_head_into(out, scheme, credential_parts(auth, stamp)),
    }
    out.push_str(stamp.datetime);
    out.push('&');
    param(out, scheme.params.expires);
    push_decimal(out, auth.expires_in);
    if let Some(token) = auth.session_token {
        out.push('&');
        param(out, scheme.params.security_token);
        encode_component_into(out, token);
    }
    out.push('&');
    param(out, scheme.params.signed_headers);
    signed_headers_into(out, headers);
}

/// The canonical query with the caller's parameters: everything encoded, then sorted.
fn general_query<'h>(
    req: &Request<'_>,
    auth: &Auth<'_>,
    stamp: StampText<'_>,
    headers: impl Iterator<Item = (&'h str, &'h str)>,
) -> String {
    let scheme = auth.scheme;
    let mut credential = String::with_capacity(
        (auth.access_key_id.len() + auth.region.len() + auth.service.len()) * 3 + 40,
    );
    credential_into(&mut credential, scheme, credential_parts(auth, stamp));
    let mut signed_headers_q = String::new();
    signed_headers_into(&mut signed_headers_q, headers);
    let mut expires = String::with_capacity(20);
    push_decimal(&mut expires, auth.expires_in);

    let mut q = CanonicalQuery::with_capacity(req.query.len() + 6);
    for (k, v) in req.query {
        q.push(k, v);
    }
    let names = &scheme.params;
    q.push_encoded(names.algorithm, scheme.algorithm);
    q.push_encoded(names.credential, credential);
    q.push_encoded(names.date, stamp.datetime);
    q.push_encoded(names.expires, expires);
    q.push_encoded(names.signed_headers, signed_headers_q);
    if let Some(token) = auth.session_token {
        q.push_encoded(names.security_token, encode_component(token));
    }
    #[cfg(feature = "sigv4a")]
    if !scheme.scope_has_region() {
        // SigV4a: the regions the signature is valid in (`*` or a comma-separated list).
        q.push_encoded(super::REGION_SET_PARAM, encode_component(auth.region));
    }
    q.finish(0)
}
