//! Azure Blob SAS: service, account and user-delegation. The string to sign is rebuilt from the
//! URL's parameters by the signer's own layouts ([`crate::azure::sas`]) and signed by
//! [`sas::sign`]; permissions are read by [`Permissions::parse_for`](crate::azure::Permissions::parse_for).
//! The key that signed is found in `key`, what the SAS allows is checked in `allowed`.

use crate::prelude::*;

mod allowed;
mod key;

use super::{
    check_times, fail, header_values, signature_mismatch, Check, DebugInfo, IncomingRequest,
    KeyLookup, ParsedUrl, Provider, Verified, VerifyError, VerifyOptions,
};
use crate::azure::permissions::PermissionScope;
use crate::azure::sas::{self, DelegationFields, SasFields, SignedVersion};
use crate::azure::UserDelegationKey;
use crate::crypto::{constant_time_eq, HmacKey};
use crate::time::Timestamp;
use allowed::{allowed_letter, check_protocol_and_address};
use key::{key, read_key_fields, KeyFields};

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

/// The SAS fields of the URL that decide its kind and what it allows.
struct Sas<'u> {
    version: SignedVersion,
    sig: &'u str,
    sp: &'u str,
    se: &'u str,
    st: Option<&'u str>,
    sr: Option<&'u str>,
    ss: Option<&'u str>,
    srt: Option<&'u str>,
    sip: Option<&'u str>,
    spr: Option<&'u str>,
    skoid: Option<&'u str>,
    kind: Kind,
}

/// What the URL's path names: the account, the path after it, its container and blob.
struct Target<'u> {
    account: &'u str,
    rest: &'u str,
    container: &'u str,
    blob: Option<&'u str>,
    level: Level,
}

/// The resource the SAS signs: the scope of its permission letters, the canonicalized
/// resource, the snapshot time, and whether the URL names a blob version.
struct Signed<'u> {
    scope: PermissionScope,
    canonical: String,
    snapshot_time: Option<&'u str>,
    version_id: bool,
}

pub(super) fn verify(
    url: &ParsedUrl,
    req: &IncomingRequest<'_>,
    keys: &(impl KeyLookup + ?Sized),
    now: Timestamp,
    opts: &VerifyOptions,
) -> Result<Verified, VerifyError> {
    let sas = read_sas(url)?;
    let target = target(url)?;
    let key_fields = read_key_fields(url)?;
    let (hmac, udk) = key(keys, &sas, &target, &key_fields)?;
    let signed = resource(url, &sas, &target)?;
    let bound = bound(url, req)?;
    let string_to_sign = string_to_sign(url, &sas, &target, &key_fields, &signed, &bound)?;
    check_signature(&hmac, &sas, &string_to_sign, opts)?;
    let (not_before, expires_at) = check_sas_times(&sas, udk.as_ref(), now, opts)?;
    check_protocol_and_address(url, req, &sas)?;
    let letter = allowed_letter(url, req, &sas, &target, &signed)?;

    let mut resource = String::with_capacity(target.rest.len() + 1);
    resource.push('/');
    resource.push_str(target.rest);
    Ok(Verified {
        provider: Provider::Azure,
        algorithm: match sas.kind {
            Kind::Service => "SAS-service",
            Kind::Account => "SAS-account",
            Kind::UserDelegation => "SAS-user-delegation",
        },
        key_id: match sas.kind {
            Kind::UserDelegation => sas.skoid.unwrap_or("").to_owned(),
            _ => target.account.to_owned(),
        },
        method: req.method,
        resource,
        permissions: Some((sas.sp.to_owned(), letter)),
        signed_headers: bound.0.into_iter().map(|(n, _)| n).collect(),
        not_before,
        expires_at,
        ip_range: sas.sip.map(str::to_owned),
        debug: opts.debug.then(|| DebugInfo {
            canonical_request: String::new(),
            string_to_sign,
        }),
    })
}

/// The SAS fields and its kind; a stored access policy (`si`) cannot be checked.
fn read_sas(url: &ParsedUrl) -> Result<Sas<'_>, VerifyError> {
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
    Ok(Sas {
        version,
        sig,
        sp,
        se,
        st,
        sr,
        ss,
        srt,
        sip,
        spr,
        skoid,
        kind,
    })
}

/// Account, container and blob from the URL: IP and localhost hosts are path style (the
/// account first), other hosts name the account in their first label (the signer's rule,
/// azure/endpoint.rs).
fn target(url: &ParsedUrl) -> Result<Target<'_>, VerifyError> {
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
    Ok(Target {
        account,
        rest,
        container,
        blob,
        level,
    })
}

/// The resource the SAS signs, and the permission scope of its letters.
fn resource<'u>(
    url: &'u ParsedUrl,
    sas: &Sas<'u>,
    target: &Target<'u>,
) -> Result<Signed<'u>, VerifyError> {
    let snapshot = find_ci(url, "snapshot")?;
    let version_id = find_ci(url, "versionid")?;
    let signed = |scope, canonical, snapshot_time| Signed {
        scope,
        canonical,
        snapshot_time,
        version_id: version_id.is_some(),
    };
    if sas.kind == Kind::Account {
        if sas.sr.is_some() {
            return fail(Check::Malformed, "an account SAS has no sr");
        }
        return Ok(signed(PermissionScope::Account, String::new(), None));
    }
    let mismatch = |what: &str| VerifyError::new(Check::ResourceMismatch, what.to_owned());
    let (account, container) = (target.account, target.container);
    let sr = sas
        .sr
        .ok_or_else(|| VerifyError::new(Check::Malformed, "sr is missing"))?;
    match (sr, target.blob) {
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
            let canonical = sas::canonical_resource(account, container, Some(b));
            Ok(signed(PermissionScope::Blob, canonical, time))
        }
        ("b" | "bs" | "bv", None) => Err(mismatch(
            "a blob SAS (sr=b) is used on a URL without a blob",
        )),
        ("c", _) if target.level != Level::Service => {
            let canonical = sas::canonical_resource(account, container, None);
            Ok(signed(PermissionScope::Container, canonical, None))
        }
        ("c", _) => Err(mismatch("a container SAS is used on no container")),
        ("d", Some(b)) => {
            let dir = directory(url, b)?;
            let canonical = sas::canonical_resource(account, container, Some(dir));
            Ok(signed(PermissionScope::Directory, canonical, None))
        }
        ("d", None) => Err(mismatch("a directory SAS is used on no directory")),
        (_, _) => fail(Check::Malformed, "sr is not b, bs, bv, c or d"),
    }
}

/// The directory of a directory SAS: the first `sdd` segments of the blob path `b`.
fn directory<'u>(url: &'u ParsedUrl, b: &'u str) -> Result<&'u str, VerifyError> {
    let depth: usize = url
        .param("sdd")?
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
        return Err(VerifyError::new(
            Check::ResourceMismatch,
            "the URL's path is shallower than the directory SAS's sdd",
        ));
    }
    Ok(dir)
}

type Pairs = Vec<(String, String)>;

/// User delegation 2026-04-06+: the headers (`srh`) and query parameters (`srq`) bound to the
/// request, with the request's values.
fn bound(url: &ParsedUrl, req: &IncomingRequest<'_>) -> Result<(Pairs, Pairs), VerifyError> {
    let mut bound_headers = Vec::new();
    if let Some(names) = url.param("srh")? {
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
    if let Some(names) = url.param("srq")? {
        for name in names.split(',') {
            let value = url.param(name)?.ok_or_else(|| {
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
    Ok((bound_headers, bound_query))
}

/// The string-to-sign, rebuilt from the URL's fields by the signer's layouts.
fn string_to_sign(
    url: &ParsedUrl,
    sas: &Sas<'_>,
    target: &Target<'_>,
    kf: &KeyFields<'_>,
    signed: &Signed<'_>,
    (request_headers, request_query): &(Pairs, Pairs),
) -> Result<String, VerifyError> {
    let q = |name: &str| url.param(name);
    let delegation = match sas.kind {
        Kind::UserDelegation => Some(DelegationFields {
            key_oid: sas.skoid.unwrap_or(""),
            key_tid: kf.sktid.unwrap_or(""),
            key_start: kf.skt.unwrap_or(""),
            key_expiry: kf.ske.unwrap_or(""),
            key_service: kf.sks.unwrap_or(""),
            key_version: kf.skv.unwrap_or(""),
            key_delegated_user_tid: kf.skdutid,
            preauthorized_agent_oid: q("saoid")?,
            agent_oid: q("suoid")?,
            correlation_id: q("scid")?,
            delegated_user_oid: q("sduoid")?,
            request_headers,
            request_query,
        }),
        _ => None,
    };
    let fields = SasFields {
        version: sas.version.as_str(),
        services: sas.ss,
        resource_types: sas.srt,
        resource: sas.sr,
        permissions: Some(sas.sp),
        start: sas.st,
        expiry: Some(sas.se),
        ip: sas.sip,
        protocol: sas.spr,
        identifier: None,
        snapshot_time: signed.snapshot_time,
        encryption_scope: q("ses")?,
        directory_depth: None,
        cache_control: q("rscc")?,
        content_disposition: q("rscd")?,
        content_encoding: q("rsce")?,
        content_language: q("rscl")?,
        content_type: q("rsct")?,
        delegation,
    };
    let layout = sas.version.layout();
    match sas.kind {
        Kind::Account => sas::account_string_to_sign(layout, target.account, &fields),
        _ => sas::service_string_to_sign(layout, &signed.canonical, &fields),
    }
    .map_err(|e| VerifyError::new(Check::Unsupported, e.message().to_owned()))
}

/// The signature against the one `hmac` makes of `string_to_sign`.
fn check_signature(
    hmac: &HmacKey,
    sas: &Sas<'_>,
    string_to_sign: &str,
    opts: &VerifyOptions,
) -> Result<(), VerifyError> {
    let expected = sas::sign(hmac, string_to_sign);
    if constant_time_eq(expected.as_bytes(), sas.sig.as_bytes()) {
        return Ok(());
    }
    Err(signature_mismatch(
        "the signature does not match the SAS fields and the resource",
        opts,
        "",
        string_to_sign,
    ))
}

/// Time: the SAS's (`st`, `se`), and the user-delegation key's. Returns `st` and `se`.
fn check_sas_times(
    sas: &Sas<'_>,
    udk: Option<&UserDelegationKey>,
    now: Timestamp,
    opts: &VerifyOptions,
) -> Result<(Option<Timestamp>, Timestamp), VerifyError> {
    let time = |name: &str, text: &str| {
        parse_time(text).ok_or_else(|| {
            VerifyError::new(
                Check::Malformed,
                format!("{name} is not an ISO 8601 UTC time"),
            )
        })
    };
    let expires_at = time("se", sas.se)?;
    let not_before = sas.st.map(|s| time("st", s)).transpose()?;
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
    Ok((not_before, expires_at))
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
