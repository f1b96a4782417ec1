//! What a SAS allows: the protocol (`spr`), the client's address (`sip`), and the permission
//! letter (`sp`; an account SAS's services `ss` and resource types `srt`) the request needs.

use super::{find_ci, Kind, Level, Sas, Signed, Target};
use crate::azure::permissions::Permissions;
use crate::prelude::*;
use crate::types::Method;
use crate::verify::{fail, Check, IncomingRequest, ParsedUrl, VerifyError};
use core::net::{IpAddr, Ipv4Addr};

/// Protocol (`spr`) and the client's address (`sip`).
pub(super) fn check_protocol_and_address(
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
pub(super) fn allowed_letter(
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

/// `sip`: one IPv4 address or `first-last`.
fn parse_ip_range(s: &str) -> Option<(Ipv4Addr, Ipv4Addr)> {
    let ip = |p: &str| p.parse::<Ipv4Addr>().ok();
    match s.split_once('-') {
        Some((a, b)) => Some((ip(a)?, ip(b)?)).filter(|(a, b)| a <= b),
        None => ip(s).map(|a| (a, a)),
    }
}
