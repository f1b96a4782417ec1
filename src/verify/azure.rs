//! Azure Blob SAS: service, account and user-delegation. The string to sign is rebuilt from the
//! URL's parameters by the signer's own layouts ([`crate::azure::sas`]) and signed by
//! [`sas::sign`]; permissions are read by [`Permissions::parse`].

use super::{
    check_times, fail, header_values, Check, DebugInfo, IncomingRequest, KeyId, KeyLookup,
    ParsedUrl, Provider, Verified, VerifyError, VerifyKey, VerifyOptions,
};
use crate::azure::permissions::{PermissionScope, Permissions};
use crate::azure::sas::{self, DelegationFields, SasFields, SignedVersion};
use crate::crypto::{constant_time_eq, HmacKey};
use crate::encoding::base64_decode;
use crate::time::Timestamp;
use crate::types::Method;
use std::net::{IpAddr, Ipv4Addr};
use zeroize::Zeroizing;

/// What the URL's path addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Level {
    Service,
    Container,
    Blob,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Service,
    Account,
    UserDelegation,
}

pub(super) fn verify(
    url: &ParsedUrl,
    req: &IncomingRequest<'_>,
    keys: &(impl KeyLookup + ?Sized),
    now: Timestamp,
    opts: &VerifyOptions,
) -> Result<Verified, VerifyError> {
    let q = |name: &str| url.param(name);
    let sv = url.required("sv")?;
    let sig = url.required("sig")?;
    if q("si")?.is_some() {
        return fail(
            Check::Unsupported,
            "the SAS names a stored access policy (si), whose permissions and expiry live on the container: this verifier cannot check them",
        );
    }
    let version = SignedVersion::parse(sv)
        .map_err(|e| VerifyError::new(Check::Unsupported, e.message().to_owned()))?;
    let sv = version.as_str();
    let sp = url.required("sp")?;
    let se = url.required("se")?;
    let st = q("st")?;
    let sr = q("sr")?;
    let ss = q("ss")?;
    let srt = q("srt")?;
    let sip = q("sip")?;
    let spr = q("spr")?;
    let skoid = q("skoid")?;

    let kind = match (ss.is_some() || srt.is_some(), skoid.is_some()) {
        (true, false) => Kind::Account,
        (false, true) => Kind::UserDelegation,
        (false, false) => Kind::Service,
        (true, true) => {
            return fail(
                Check::Malformed,
                "the SAS mixes account SAS (ss, srt) and user-delegation (skoid) fields",
            )
        }
    };

    // Account, container and blob from the URL: IP and localhost hosts are path style (the
    // account first), other hosts name the account in their first label (the signer's rule,
    // azure/endpoint.rs).
    let path = url.path.strip_prefix('/').unwrap_or(&url.path);
    let (account, rest) = if url.is_ip_or_localhost {
        path.split_once('/').unwrap_or((path, ""))
    } else {
        (url.host.split('.').next().unwrap_or(""), path)
    };
    if account.is_empty() {
        return fail(Check::Malformed, "the URL names no storage account");
    }
    let (container, blob) = match rest.split_once('/') {
        Some((c, b)) => (c, Some(b).filter(|b| !b.is_empty())),
        None => (rest, None),
    };
    let level = match (container.is_empty(), blob) {
        (true, _) => Level::Service,
        (false, None) => Level::Container,
        (false, Some(_)) => Level::Blob,
    };

    // The key.
    let skt = q("skt")?;
    let ske = q("ske")?;
    let sks = q("sks")?;
    let skv = q("skv")?;
    let sktid = q("sktid")?;
    let skdutid = q("skdutid")?;
    let key_id = match (kind, skoid) {
        (Kind::UserDelegation, Some(oid)) => KeyId::AzureUserDelegation {
            account,
            signed_oid: oid,
            signed_tid: sktid.unwrap_or(""),
        },
        _ => KeyId::AzureAccount { account },
    };
    let unknown = || {
        VerifyError::new(
            Check::UnknownKey,
            "no matching key is known for the URL's account",
        )
    };
    let (key_b64, udk) = match (kind, keys.lookup(&key_id)) {
        (Kind::Service | Kind::Account, Some(VerifyKey::AzureAccountKey(k))) => (k, None),
        (Kind::UserDelegation, Some(VerifyKey::AzureUserDelegation(k))) => {
            let same_time = |text: Option<&str>, t: Timestamp| {
                text.and_then(parse_time).is_some_and(|x| x == t)
            };
            let same = Some(k.signed_oid.as_str()) == skoid
                && Some(k.signed_tid.as_str()) == sktid
                && same_time(skt, k.signed_start)
                && same_time(ske, k.signed_expiry)
                && Some(k.signed_service.as_str()) == sks
                && Some(k.signed_version.as_str()) == skv
                && k.signed_delegated_user_tid.as_deref() == skdutid;
            if !same {
                return Err(unknown());
            }
            // The signer's rule for a key (one function): a key Azure could not have issued
            // verifies nothing.
            k.validate().map_err(|e| {
                VerifyError::new(
                    Check::UnknownKey,
                    format!(
                        "the known user-delegation key is not one Azure issues: {}",
                        e.message()
                    ),
                )
            })?;
            (k.value.clone(), Some(k))
        }
        _ => return Err(unknown()),
    };
    let raw_key = Zeroizing::new(
        base64_decode(key_b64.expose())
            .filter(|k| !k.is_empty())
            .ok_or_else(|| VerifyError::new(Check::UnknownKey, "the known key is not base64"))?,
    );
    let hmac = HmacKey::new(&raw_key);

    // The resource the SAS signs, and the permission scope of its letters.
    let snapshot = find_ci(url, "snapshot")?;
    let version_id = find_ci(url, "versionid")?;
    let mismatch = |what: &str| VerifyError::new(Check::ResourceMismatch, what.to_owned());
    let (scope, canonical, snapshot_time) = match kind {
        Kind::Account => {
            if sr.is_some() {
                return fail(Check::Malformed, "an account SAS has no sr");
            }
            (PermissionScope::Account, String::new(), None)
        }
        Kind::Service | Kind::UserDelegation => {
            let sr = sr.ok_or_else(|| VerifyError::new(Check::Malformed, "sr is missing"))?;
            match (sr, blob) {
                ("b" | "bs" | "bv", Some(b)) => {
                    let time = match sr {
                        "bs" => Some(snapshot.ok_or_else(|| {
                            VerifyError::new(
                                Check::MissingParameter,
                                "a snapshot SAS (sr=bs) needs the snapshot parameter",
                            )
                        })?),
                        "bv" => Some(version_id.ok_or_else(|| {
                            VerifyError::new(
                                Check::MissingParameter,
                                "a version SAS (sr=bv) needs the versionid parameter",
                            )
                        })?),
                        _ => None,
                    };
                    (
                        PermissionScope::Blob,
                        sas::canonical_resource(account, container, Some(b)),
                        time,
                    )
                }
                ("b" | "bs" | "bv", None) => {
                    return Err(mismatch(
                        "a blob SAS (sr=b) is used on a URL without a blob",
                    ))
                }
                ("c", _) if level != Level::Service => (
                    PermissionScope::Container,
                    sas::canonical_resource(account, container, None),
                    None,
                ),
                ("c", _) => return Err(mismatch("a container SAS is used on no container")),
                ("d", Some(b)) => {
                    let depth: usize = q("sdd")?
                        .and_then(|d| d.parse().ok())
                        .filter(|d| *d >= 1)
                        .ok_or_else(|| {
                        VerifyError::new(
                            Check::Malformed,
                            "a directory SAS (sr=d) needs sdd, the directory's depth",
                        )
                    })?;
                    let end = b
                        .match_indices('/')
                        .nth(depth - 1)
                        .map_or(b.len(), |(i, _)| i);
                    let dir = b.get(..end).unwrap_or(b);
                    if dir.split('/').count() != depth {
                        return Err(mismatch(
                            "the URL's path is shallower than the directory SAS's sdd",
                        ));
                    }
                    (
                        PermissionScope::Directory,
                        sas::canonical_resource(account, container, Some(dir)),
                        None,
                    )
                }
                ("d", None) => return Err(mismatch("a directory SAS is used on no directory")),
                (_, _) => return fail(Check::Malformed, "sr is not b, bs, bv, c or d"),
            }
        }
    };

    // User delegation 2026-04-06+: headers and query parameters bound to the request.
    let mut bound_headers = Vec::new();
    if let Some(names) = q("srh")? {
        for name in names.split(',') {
            let values = header_values(req, name);
            if values.is_empty() {
                return fail(
                    Check::MissingHeader,
                    format!(
                        "the header at position {} of srh is not in the request",
                        bound_headers.len()
                    ),
                );
            }
            let value = values
                .iter()
                .map(|v| v.trim())
                .collect::<Vec<_>>()
                .join(",");
            bound_headers.push((name.to_ascii_lowercase(), value));
        }
    }
    let mut bound_query = Vec::new();
    if let Some(names) = q("srq")? {
        for name in names.split(',') {
            let value = q(name)?.ok_or_else(|| {
                VerifyError::new(
                    Check::MissingParameter,
                    format!(
                        "the query parameter at position {} of srq is not in the URL",
                        bound_query.len()
                    ),
                )
            })?;
            bound_query.push((name.to_owned(), value.to_owned()));
        }
    }

    let delegation = match kind {
        Kind::UserDelegation => Some(DelegationFields {
            key_oid: skoid.unwrap_or(""),
            key_tid: sktid.unwrap_or(""),
            key_start: skt.unwrap_or(""),
            key_expiry: ske.unwrap_or(""),
            key_service: sks.unwrap_or(""),
            key_version: skv.unwrap_or(""),
            key_delegated_user_tid: skdutid,
            preauthorized_agent_oid: q("saoid")?,
            agent_oid: q("suoid")?,
            correlation_id: q("scid")?,
            delegated_user_oid: q("sduoid")?,
            request_headers: &bound_headers,
            request_query: &bound_query,
        }),
        _ => None,
    };
    let fields = SasFields {
        version: sv,
        services: ss,
        resource_types: srt,
        resource: sr,
        permissions: Some(sp),
        start: st,
        expiry: Some(se),
        ip: sip,
        protocol: spr,
        identifier: None,
        snapshot_time,
        encryption_scope: q("ses")?,
        directory_depth: None,
        cache_control: q("rscc")?,
        content_disposition: q("rscd")?,
        content_encoding: q("rsce")?,
        content_language: q("rscl")?,
        content_type: q("rsct")?,
        delegation,
    };
    let layout = version.layout();
    let string_to_sign = match kind {
        Kind::Account => sas::account_string_to_sign(layout, account, &fields),
        _ => sas::service_string_to_sign(layout, &canonical, &fields),
    }
    .map_err(|e| VerifyError::new(Check::Unsupported, e.message().to_owned()))?;

    // The signature.
    let expected = sas::sign(&hmac, &string_to_sign);
    if !constant_time_eq(expected.as_bytes(), sig.as_bytes()) {
        let mut e = VerifyError::new(
            Check::SignatureMismatch,
            "the signature does not match the SAS fields and the resource",
        );
        if opts.debug {
            e.debug = Some(Box::new(DebugInfo {
                canonical_request: String::new(),
                string_to_sign: string_to_sign.clone(),
            }));
        }
        return Err(e);
    }

    // Time: the SAS's, and the user-delegation key's.
    let time = |name: &str, text: &str| {
        parse_time(text).ok_or_else(|| {
            VerifyError::new(
                Check::Malformed,
                format!("{name} is not an ISO 8601 UTC time"),
            )
        })
    };
    let expires_at = time("se", se)?;
    let not_before = st.map(|s| time("st", s)).transpose()?;
    check_times(not_before, expires_at, now, opts)?;
    if let Some(k) = udk {
        // Azure takes the SAS only while its key is in force too (the key's start with the same
        // clock-skew allowance as `st`).
        let skew = i64::try_from(opts.clock_skew).unwrap_or(i64::MAX);
        if k.signed_start.unix().saturating_sub(now.unix()) > skew {
            return fail(
                Check::NotYetValid,
                "the user-delegation key's start is later than now, beyond the allowed clock skew",
            );
        }
        if now >= k.signed_expiry {
            return fail(Check::Expired, "the user-delegation key has expired");
        }
    }

    // Protocol and address.
    match spr {
        None | Some("https,http") => {}
        Some("https") if url.scheme == "https" => {}
        Some("https") => {
            return fail(
                Check::ProtocolDenied,
                "the SAS allows https only (spr=https)",
            )
        }
        Some(_) => return fail(Check::Malformed, "spr is not https or https,http"),
    }
    if let Some(range) = sip {
        let (first, last) = parse_ip_range(range).ok_or_else(|| {
            VerifyError::new(
                Check::Malformed,
                "sip is not an IPv4 address or range a.b.c.d-e.f.g.h",
            )
        })?;
        if let Some(ip) = req.client_ip {
            let inside = match ip {
                IpAddr::V4(v4) => first <= v4 && v4 <= last,
                IpAddr::V6(v6) => v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| first <= v4 && v4 <= last),
            };
            if !inside {
                return fail(
                    Check::IpDenied,
                    "the client's address is outside the SAS's IP range (sip)",
                );
            }
        }
    }

    // What the SAS allows.
    let perms = Permissions::parse(sp, scope, sv)
        .map_err(|e| VerifyError::new(Check::Malformed, format!("sp: {}", e.message())))?;
    if kind == Kind::Account {
        if !ss.is_some_and(|s| s.contains('b')) {
            return fail(
                Check::PermissionDenied,
                "the account SAS does not include the blob service (ss)",
            );
        }
        let (letter, name) = match level {
            Level::Service => ('s', "service"),
            Level::Container => ('c', "container"),
            Level::Blob => ('o', "object"),
        };
        if !srt.is_some_and(|s| s.contains(letter)) {
            return fail(
                Check::PermissionDenied,
                format!("the account SAS's resource types (srt) do not include {name} ({letter})"),
            );
        }
    }
    let comp = find_ci(url, "comp")?.map(str::to_ascii_lowercase);
    let needed = required_letters(req.method, level, comp.as_deref(), version_id.is_some());
    let Some(letter) = needed.iter().copied().find(|c| perms.contains(*c)) else {
        let any: String = needed.iter().collect();
        return fail(
            Check::PermissionDenied,
            format!(
                "sp does not allow the request's method on this {} (needs one of: {any})",
                match level {
                    Level::Service => "service",
                    Level::Container => "container",
                    Level::Blob => "blob",
                }
            ),
        );
    };

    let mut resource = String::with_capacity(rest.len() + 1);
    resource.push('/');
    resource.push_str(rest);
    Ok(Verified {
        provider: Provider::Azure,
        algorithm: match kind {
            Kind::Service => "SAS-service",
            Kind::Account => "SAS-account",
            Kind::UserDelegation => "SAS-user-delegation",
        },
        key_id: match kind {
            Kind::UserDelegation => skoid.unwrap_or("").to_owned(),
            _ => account.to_owned(),
        },
        method: req.method,
        resource,
        permissions: Some((sp.to_owned(), letter)),
        signed_headers: bound_headers.into_iter().map(|(n, _)| n).collect(),
        not_before,
        expires_at,
        ip_range: sip.map(str::to_owned),
        debug: opts.debug.then(|| DebugInfo {
            canonical_request: String::new(),
            string_to_sign,
        }),
    })
}

/// The value of the one parameter named `name` in any case (`versionid`, `versionId`).
fn find_ci<'u>(url: &'u ParsedUrl, name: &str) -> Result<Option<&'u str>, VerifyError> {
    let mut found = None;
    for (n, v) in &url.query {
        if n.eq_ignore_ascii_case(name) {
            if found.is_some() {
                return fail(Check::Malformed, format!("{name} is given twice"));
            }
            found = Some(v.as_str());
        }
    }
    Ok(found)
}

/// The permission letters of which one allows `method` on `level` with `comp` (any one is
/// enough), per the REST reference's operation tables:
/// <https://learn.microsoft.com/rest/api/storageservices/create-service-sas#permissions-for-a-directory-container-or-blob>,
/// <https://learn.microsoft.com/rest/api/storageservices/create-account-sas#blob-service>.
fn required_letters(
    method: Method,
    level: Level,
    comp: Option<&str>,
    version: bool,
) -> &'static [char] {
    match (level, method) {
        (Level::Blob, Method::Get | Method::Head) => match comp {
            Some("tags") => &['t'],
            _ => &['r'],
        },
        (Level::Blob, Method::Put) => match comp {
            // Put Blob, Copy Blob, Put Block (List), Snapshot Blob.
            None | Some("block" | "blocklist" | "snapshot") => &['c', 'w'],
            Some("appendblock") => &['a', 'w'],
            Some("tags") => &['t'],
            Some("immutabilitypolicy" | "legalhold") => &['i'],
            // metadata, properties, lease, page, tier, copy (abort), expiry, …
            Some(_) => &['w'],
        },
        (Level::Blob, Method::Delete) => match comp {
            Some("immutabilitypolicy") => &['i'],
            _ if version => &['x'],
            _ => &['d'],
        },
        (Level::Blob, Method::Post) => match comp {
            Some("query") => &['r'],
            _ => &['w'],
        },
        (Level::Container | Level::Service, Method::Get | Method::Head) => match comp {
            Some("list") => &['l'],
            Some("blobs") => &['f'],
            _ => &['r'],
        },
        (Level::Container, Method::Put) => match comp {
            None => &['c'],
            Some(_) => &['w'],
        },
        (Level::Container | Level::Service, Method::Delete) => &['d'],
        (Level::Container | Level::Service, Method::Post) | (Level::Service, Method::Put) => &['w'],
    }
}

/// An SAS time: RFC 3339 (`2026-11-24T10:00:00Z`, fractional seconds allowed), or the shorter
/// ISO 8601 forms Azure accepts, `2026-11-24` and `2026-11-24T10:00Z`.
pub(super) fn parse_time(s: &str) -> Option<Timestamp> {
    if let Ok(t) = Timestamp::parse_rfc3339(s) {
        return Some(t);
    }
    let b = s.as_bytes();
    let full = match b.len() {
        10 => format!("{s}T00:00:00Z"),
        17 if b.get(16) == Some(&b'Z') && b.get(13) == Some(&b':') => {
            format!("{}:00Z", s.get(..16)?)
        }
        _ => return None,
    };
    Timestamp::parse_rfc3339(&full).ok()
}

/// `sip`: one IPv4 address or `first-last`.
fn parse_ip_range(s: &str) -> Option<(Ipv4Addr, Ipv4Addr)> {
    let ip = |p: &str| p.parse::<Ipv4Addr>().ok();
    match s.split_once('-') {
        Some((a, b)) => Some((ip(a)?, ip(b)?)).filter(|(a, b)| a <= b),
        None => ip(s).map(|a| (a, a)),
    }
}
