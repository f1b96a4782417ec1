//! Azure Blob SAS: service, account and user-delegation. The string to sign is rebuilt from the
//! URL's parameters by the signer's own layouts ([`crate::azure::sas`]) and signed by
//! [`sas::sign`]; permissions are read by [`Permissions::parse_for`].

use super::{
    check_times, fail, header_values, Check, DebugInfo, IncomingRequest, KeyId, KeyLookup,
    ParsedUrl, Provider, Verified, VerifyError, VerifyKey, VerifyOptions,
};
use crate::azure::permissions::{PermissionScope, Permissions};
use crate::azure::sas::{self, DelegationFields, SasFields, SignedVersion};
use crate::azure::UserDelegationKey;
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

/// The user-delegation key's fields in the URL (`skt`, `ske`, `sks`, `skv`, `sktid`,
/// `skdutid`).
struct KeyFields<'u> {
    skt: Option<&'u str>,
    ske: Option<&'u str>,
    sks: Option<&'u str>,
    skv: Option<&'u str>,
    sktid: Option<&'u str>,
    skdutid: Option<&'u str>,
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

fn read_key_fields(url: &ParsedUrl) -> Result<KeyFields<'_>, VerifyError> {
    let q = |name: &str| url.param(name);
    Ok(KeyFields {
        skt: q("skt")?,
        ske: q("ske")?,
        sks: q("sks")?,
        skv: q("skv")?,
        sktid: q("sktid")?,
        skdutid: q("skdutid")?,
    })
}

/// The key that signed: the account key, or the known user-delegation key whose fields the
/// URL repeats.
fn key(
    keys: &(impl KeyLookup + ?Sized),
    sas: &Sas<'_>,
    target: &Target<'_>,
    kf: &KeyFields<'_>,
) -> Result<(HmacKey, Option<UserDelegationKey>), VerifyError> {
    let key_id = match (sas.kind, sas.skoid) {
        (Kind::UserDelegation, Some(oid)) => KeyId::AzureUserDelegation {
            account: target.account,
            signed_oid: oid,
            signed_tid: kf.sktid.unwrap_or(""),
        },
        _ => KeyId::AzureAccount {
            account: target.account,
        },
    };
    let unknown = || {
        VerifyError::new(
            Check::UnknownKey,
            "no matching key is known for the URL's account",
        )
    };
    let (key_b64, udk) = match (sas.kind, keys.lookup(&key_id)) {
        (Kind::Service | Kind::Account, Some(VerifyKey::AzureAccountKey(k))) => (k, None),
        (Kind::UserDelegation, Some(VerifyKey::AzureUserDelegation(k))) => {
            if !same_key(&k, sas, kf) {
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
    Ok((HmacKey::new(&raw_key), udk))
}

/// Whether the URL's key fields are those of the known key `k`.
fn same_key(k: &UserDelegationKey, sas: &Sas<'_>, kf: &KeyFields<'_>) -> bool {
    let same_time =
        |text: Option<&str>, t: Timestamp| text.and_then(parse_time).is_some_and(|x| x == t);
    Some(k.signed_oid.as_str()) == sas.skoid
        && Some(k.signed_tid.as_str()) == kf.sktid
        && same_time(kf.skt, k.signed_start)
        && same_time(kf.ske, k.signed_expiry)
        && Some(k.signed_service.as_str()) == kf.sks
        && Some(k.signed_version.as_str()) == kf.skv
        && k.signed_delegated_user_tid.as_deref() == kf.skdutid
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
    let mut e = VerifyError::new(
        Check::SignatureMismatch,
        "the signature does not match the SAS fields and the resource",
    );
    if opts.debug {
        e.debug = Some(Box::new(DebugInfo {
            canonical_request: String::new(),
            string_to_sign: string_to_sign.to_owned(),
        }));
    }
    Err(e)
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

/// Protocol (`spr`) and the client's address (`sip`).
fn check_protocol_and_address(
    url: &ParsedUrl,
    req: &IncomingRequest<'_>,
    sas: &Sas<'_>,
) -> Result<(), VerifyError> {
    match sas.spr {
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
    let Some(range) = sas.sip else {
        return Ok(());
    };
    let (first, last) = parse_ip_range(range).ok_or_else(|| {
        VerifyError::new(
            Check::Malformed,
            "sip is not an IPv4 address or range a.b.c.d-e.f.g.h",
        )
    })?;
    let inside = match req.client_ip {
        None => true,
        Some(IpAddr::V4(v4)) => first <= v4 && v4 <= last,
        Some(IpAddr::V6(v6)) => v6
            .to_ipv4_mapped()
            .is_some_and(|v4| first <= v4 && v4 <= last),
    };
    if !inside {
        return fail(
            Check::IpDenied,
            "the client's address is outside the SAS's IP range (sip)",
        );
    }
    Ok(())
}

/// What the SAS allows: the permission letter that allows the request (and, for an account
/// SAS, the blob service and the level's resource type).
fn allowed_letter(
    url: &ParsedUrl,
    req: &IncomingRequest<'_>,
    sas: &Sas<'_>,
    target: &Target<'_>,
    signed: &Signed<'_>,
) -> Result<char, VerifyError> {
    let perms = Permissions::parse_for(sas.sp, signed.scope, sas.version.as_str())
        .map_err(|e| VerifyError::new(Check::Malformed, format!("sp: {}", e.message())))?;
    if sas.kind == Kind::Account {
        check_account_scope(sas, target.level)?;
    }
    let comp = find_ci(url, "comp")?.map(str::to_ascii_lowercase);
    let needed = required_letters(req.method, target.level, comp.as_deref(), signed.version_id);
    match needed
        .iter()
        .copied()
        .find(|c| Permissions::letter(*c).is_some_and(|p| perms.contains(p)))
    {
        Some(letter) => Ok(letter),
        None => {
            let any: String = needed.iter().collect();
            fail(
                Check::PermissionDenied,
                format!(
                    "sp does not allow the request's method on this {} (needs one of: {any})",
                    match target.level {
                        Level::Service => "service",
                        Level::Container => "container",
                        Level::Blob => "blob",
                    }
                ),
            )
        }
    }
}

/// An account SAS must cover the blob service (`ss`) and the URL's level (`srt`).
fn check_account_scope(sas: &Sas<'_>, level: Level) -> Result<(), VerifyError> {
    if !sas.ss.is_some_and(|s| s.contains('b')) {
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
    if !sas.srt.is_some_and(|s| s.contains(letter)) {
        return fail(
            Check::PermissionDenied,
            format!("the account SAS's resource types (srt) do not include {name} ({letter})"),
        );
    }
    Ok(())
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
