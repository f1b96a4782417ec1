//! The canonical request of a V4 query signature, written in one string whose canonical query is
//! also the URL's: the auth parameters (with the cached head of a scope, or in full), the
//! caller's query, the signed headers and the payload hash.

use super::{Auth, Request, Scheme, StampText};
use crate::encoding::{encode_component, encode_component_into, push_decimal, CanonicalQuery};
use crate::prelude::*;

/// `req.headers` with `host` (if given) merged in at its sorted place, read by index: one
/// small function for every walk over them (an iterator chain was instantiated per walk).
#[derive(Clone, Copy)]
struct Headers<'h> {
    list: &'h [(String, String)],
    host: Option<&'h str>,
    /// Where `host` goes (`list.len()` without one).
    pos: usize,
}

impl<'h> Headers<'h> {
    fn new(list: &'h [(String, String)], host: Option<&'h str>) -> Self {
        let pos = match host {
            Some(_) => list.partition_point(|(n, _)| n.as_str() < "host"),
            None => list.len(),
        };
        Headers { list, host, pos }
    }

    fn len(&self) -> usize {
        self.list.len() + usize::from(self.host.is_some())
    }

    /// The `i`-th header's name and value (`("", "")` past the end, which no caller asks for).
    fn get(&self, i: usize) -> (&'h str, &'h str) {
        let i = match self.host {
            Some(h) if i == self.pos => return ("host", h),
            Some(_) if i > self.pos => i - 1,
            _ => i,
        };
        self.list
            .get(i)
            .map_or(("", ""), |(n, v)| (n.as_str(), v.as_str()))
    }
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
    let headers = Headers::new(req.headers, host);
    let count = headers.len();
    let (mut names_len, mut values_len) = (0, 0);
    for i in 0..count {
        let (name, value) = headers.get(i);
        names_len += name.len();
        values_len += value.len();
    }
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
        auth_query_into(&mut cr, auth, stamp, head, headers);
    } else {
        cr.push_str(&general_query(req, auth, stamp, headers));
    }
    let q_end = cr.len();
    cr.push('\n');
    for i in 0..count {
        let (name, value) = headers.get(i);
        cr.push_str(name);
        cr.push(':');
        cr.push_str(value);
        cr.push('\n');
    }
    cr.push('\n');
    for i in 0..count {
        if i > 0 {
            cr.push(';');
        }
        cr.push_str(headers.get(i).0);
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
fn signed_headers_into(out: &mut String, headers: Headers<'_>) {
    for i in 0..headers.len() {
        if i > 0 {
            out.push_str("%3B");
        }
        encode_component_into(out, headers.get(i).0);
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
fn auth_query_into(
    out: &mut String,
    auth: &Auth<'_>,
    stamp: StampText<'_>,
    head: Option<&str>,
    headers: Headers<'_>,
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
fn general_query(
    req: &Request<'_>,
    auth: &Auth<'_>,
    stamp: StampText<'_>,
    headers: Headers<'_>,
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
