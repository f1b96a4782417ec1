//! The SAS token itself: signed versions and their string-to-sign layouts, the signature, and
//! the token's query parameters.
//!
//! [`SasFields`] holds every signed field as the exact text that is both signed and emitted, so
//! the string-to-sign and the query cannot drift apart. Field values are signed *decoded* (as
//! typed) and emitted percent-encoded once by the crate's one encoder.
//!
//! Layouts (one line per field, joined by `\n`; an absent field is an empty line):
//!
//! | SAS | signed versions | fields |
//! | --- | --- | --- |
//! | service, account key | 2015-04-05 … 2018-03-28 | `sp st se canonicalizedResource si sip spr sv rscc rscd rsce rscl rsct` |
//! | service, account key | 2020-12-06 … | `sp st se canonicalizedResource si sip spr sv sr snapshotTime ses rscc rscd rsce rscl rsct` |
//! | user delegation | 2020-12-06 … | `sp st se canonicalizedResource skoid sktid skt ske sks skv saoid suoid scid sip spr sv sr snapshotTime ses rscc rscd rsce rscl rsct` |
//! | user delegation | 2025-07-05 … | as above with `skdutid sduoid` after `scid` |
//! | user delegation | 2026-04-06 … | as above with `srh srq` after `ses` |
//! | account | 2015-04-05 … 2018-03-28 | `accountName sp ss srt st se sip spr sv` + a final `\n` |
//! | account | 2020-12-06 … | `accountName sp ss srt st se sip spr sv ses` + a final `\n` |
//!
//! `snapshotTime` is the snapshot (`sr=bs`) or the version id (`sr=bv`). `sdd` (directory depth)
//! is emitted but not signed. Spec:
//! <https://learn.microsoft.com/rest/api/storageservices/create-service-sas#version-2020-12-06-and-later>,
//! <https://learn.microsoft.com/rest/api/storageservices/create-user-delegation-sas#version-2020-12-06-and-later>,
//! <https://learn.microsoft.com/rest/api/storageservices/create-account-sas#version-2020-12-06-and-later>.

use crate::crypto::HmacKey;
use crate::encoding::{append_param, base64};
use crate::error::{msg, msg_at};
use crate::error::{Error, Result};
use crate::prelude::*;

/// Signed versions (`sv`) this crate can sign, oldest first: the service versions from
/// 2020-12-06 to the newest the official SDKs emit, plus 2018-03-28, kept only so the fixed-key
/// vectors of Microsoft's retired azure-storage-node SDK can be checked.
pub const KNOWN_VERSIONS: &[&str] = &[
    "2018-03-28",
    "2020-12-06",
    "2021-02-12",
    "2021-04-10",
    "2021-06-08",
    "2021-08-06",
    "2021-10-04",
    "2021-12-02",
    "2022-11-02",
    "2023-01-03",
    "2023-05-03",
    "2023-08-03",
    "2023-11-03",
    "2024-05-04",
    "2024-08-04",
    "2024-11-04",
    "2025-01-05",
    "2025-05-05",
    "2025-07-05",
    "2025-11-05",
    "2026-02-06",
    "2026-04-06",
    "2026-06-06",
    "2026-10-06",
];

/// The signed version used when a request names none: `2025-07-05`.
///
/// Why this one: it is a released service version that real Azure accepts, and it is the newest
/// whose string-to-sign layouts Azurite 3.35 (the newest Azurite that runs on node 20) verifies
/// for every SAS kind — service, container, account and user-delegation SAS. The 2026-04-06 and
/// later user-delegation layout (extra `srh`/`srq` lines) is rejected by Azurite 3.35, and
/// 2020-12-06 would work too but leaves out the delegated-user fields (`skdutid`, `sduoid`).
pub const DEFAULT_VERSION: &str = "2025-07-05";

/// A string-to-sign layout; each signed version maps to exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layout {
    /// 2015-04-05 up to 2018-11-09 (exclusive): no `sr`, snapshot time or encryption scope.
    V2015_04_05,
    /// 2020-12-06: `sr`, snapshot time and `ses` signed; user delegation with `saoid/suoid/scid`.
    V2020_12_06,
    /// 2025-07-05: user delegation adds `skdutid` and `sduoid`.
    V2025_07_05,
    /// 2026-04-06: user delegation adds `srh` and `srq`.
    V2026_04_06,
}

/// A signed version this crate knows, with its layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignedVersion(&'static str);

impl SignedVersion {
    /// Looks `sv` up in [`KNOWN_VERSIONS`].
    ///
    /// # Errors
    /// [`Error::Unsupported`] for a version this crate has no layout for (the message names the
    /// supported range).
    pub fn parse(sv: &str) -> Result<Self> {
        KNOWN_VERSIONS
            .iter()
            .find(|v| **v == sv)
            .map(|v| SignedVersion(v))
            .ok_or_else(|| {
                Error::Unsupported(msg_at!("version", "not a supported signed version; use a service version from 2020-12-06 to 2026-10-06 (default {DEFAULT_VERSION})"))
            })
    }

    /// The default, [`DEFAULT_VERSION`].
    pub fn default_version() -> Self {
        SignedVersion(DEFAULT_VERSION)
    }

    /// `sv` as text.
    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// The string-to-sign layout of this version.
    pub fn layout(self) -> Layout {
        let v = self.0;
        if v >= "2026-04-06" {
            Layout::V2026_04_06
        } else if v >= "2025-07-05" {
            Layout::V2025_07_05
        } else if v >= "2020-12-06" {
            Layout::V2020_12_06
        } else {
            Layout::V2015_04_05
        }
    }
}

/// The user-delegation part of a SAS: the key's identity and the delegation-only fields.
#[derive(Clone, Copy, Debug, Default)]
pub struct DelegationFields<'a> {
    /// `skoid`, the key's object id.
    pub key_oid: &'a str,
    /// `sktid`, the key's tenant id.
    pub key_tid: &'a str,
    /// `skt`, the key's start (`YYYY-MM-DDTHH:MM:SSZ`).
    pub key_start: &'a str,
    /// `ske`, the key's expiry.
    pub key_expiry: &'a str,
    /// `sks`, the key's service (`b`).
    pub key_service: &'a str,
    /// `skv`, the key's version.
    pub key_version: &'a str,
    /// `skdutid` (2025-07-05+): the delegated user's tenant id bound to the key.
    pub key_delegated_user_tid: Option<&'a str>,
    /// `saoid`: a pre-authorized agent object id (hierarchical-namespace accounts).
    pub preauthorized_agent_oid: Option<&'a str>,
    /// `suoid`: an agent object id checked against POSIX ACLs (hierarchical-namespace accounts).
    pub agent_oid: Option<&'a str>,
    /// `scid`: a correlation id for the storage audit logs.
    pub correlation_id: Option<&'a str>,
    /// `sduoid` (2025-07-05+): the Entra object id of the user allowed to use the SAS.
    pub delegated_user_oid: Option<&'a str>,
    /// `srh` (2026-04-06+): headers the request must carry, `(lower-case name, value)`.
    pub request_headers: &'a [(String, String)],
    /// `srq` (2026-04-06+): query parameters the request must carry.
    pub request_query: &'a [(String, String)],
}

/// Every field of a SAS token, as the exact text signed and emitted.
#[derive(Clone, Copy, Debug, Default)]
pub struct SasFields<'a> {
    /// `sv`.
    pub version: &'a str,
    /// `ss` (account SAS).
    pub services: Option<&'a str>,
    /// `srt` (account SAS).
    pub resource_types: Option<&'a str>,
    /// `sr`: `b`, `bs`, `bv`, `c` or `d` (service and user-delegation SAS).
    pub resource: Option<&'a str>,
    /// `sp`, in canonical order.
    pub permissions: Option<&'a str>,
    /// `st`.
    pub start: Option<&'a str>,
    /// `se`.
    pub expiry: Option<&'a str>,
    /// `sip`: one IPv4 address or `a-b`.
    pub ip: Option<&'a str>,
    /// `spr`: `https` or `https,http`.
    pub protocol: Option<&'a str>,
    /// `si`: a stored access policy.
    pub identifier: Option<&'a str>,
    /// The signed snapshot time: the snapshot (`sr=bs`) or version id (`sr=bv`). Emitted by the
    /// caller as `snapshot=` / `versionid=`, which address the resource.
    pub snapshot_time: Option<&'a str>,
    /// `ses`.
    pub encryption_scope: Option<&'a str>,
    /// `sdd` (directory SAS; not signed).
    pub directory_depth: Option<u32>,
    /// `rscc`.
    pub cache_control: Option<&'a str>,
    /// `rscd`.
    pub content_disposition: Option<&'a str>,
    /// `rsce`.
    pub content_encoding: Option<&'a str>,
    /// `rscl`.
    pub content_language: Option<&'a str>,
    /// `rsct`.
    pub content_type: Option<&'a str>,
    /// Present for a user-delegation SAS.
    pub delegation: Option<DelegationFields<'a>>,
}

fn line(out: &mut String, v: Option<&str>) {
    out.push_str(v.unwrap_or(""));
    out.push('\n');
}

/// The canonicalized resource of a blob-service SAS: `/blob/{account}/{container}[/{blob}]`,
/// with the blob name raw (not encoded).
pub fn canonical_resource(account: &str, container: &str, blob: Option<&str>) -> String {
    let mut s = String::with_capacity(
        7 + account.len() + container.len() + blob.map_or(0, |b| b.len() + 1),
    );
    s.push_str("/blob/");
    s.push_str(account);
    s.push('/');
    s.push_str(container);
    if let Some(b) = blob {
        s.push('/');
        s.push_str(b);
    }
    s
}

/// The string-to-sign of a service or user-delegation SAS (user delegation when
/// `f.delegation` is set).
///
/// # Errors
/// [`Error::Unsupported`] when a field cannot be signed in `layout` (a user-delegation SAS,
/// `sr`/snapshot/encryption scope before 2020-12-06; `skdutid`/`sduoid` before 2025-07-05;
/// `srh`/`srq` before 2026-04-06; a stored access policy with user delegation).
pub fn service_string_to_sign(
    layout: Layout,
    canonical_resource: &str,
    f: &SasFields<'_>,
) -> Result<String> {
    let mut s = String::with_capacity(192 + canonical_resource.len());
    line(&mut s, f.permissions);
    line(&mut s, f.start);
    line(&mut s, f.expiry);
    s.push_str(canonical_resource);
    s.push('\n');
    if layout == Layout::V2015_04_05 {
        if f.delegation.is_some() {
            return Err(unsupported("a user-delegation SAS", "2020-12-06"));
        }
        if f.snapshot_time.is_some() || f.encryption_scope.is_some() {
            return Err(unsupported(
                "snapshots, versions and encryption scopes",
                "2020-12-06",
            ));
        }
        line(&mut s, f.identifier);
        line(&mut s, f.ip);
        line(&mut s, f.protocol);
        line(&mut s, Some(f.version));
    } else {
        match &f.delegation {
            None => line(&mut s, f.identifier),
            Some(d) => {
                if f.identifier.is_some() {
                    return Err(Error::Unsupported(msg!(
                        "a user-delegation SAS cannot name a stored access policy (identifier)"
                    )));
                }
                delegation_key_lines(&mut s, layout, d)?;
            }
        }
        line(&mut s, f.ip);
        line(&mut s, f.protocol);
        line(&mut s, Some(f.version));
        line(&mut s, f.resource);
        line(&mut s, f.snapshot_time);
        line(&mut s, f.encryption_scope);
        if let Some(d) = &f.delegation {
            bound_request_lines(&mut s, layout, d)?;
        }
    }
    line(&mut s, f.cache_control);
    line(&mut s, f.content_disposition);
    line(&mut s, f.content_encoding);
    line(&mut s, f.content_language);
    s.push_str(f.content_type.unwrap_or(""));
    Ok(s)
}

/// The user-delegation key's lines and the delegation-only ids (`skoid` … `scid`, then
/// `skdutid`, `sduoid` from 2025-07-05).
fn delegation_key_lines(s: &mut String, layout: Layout, d: &DelegationFields<'_>) -> Result<()> {
    line(s, Some(d.key_oid));
    line(s, Some(d.key_tid));
    line(s, Some(d.key_start));
    line(s, Some(d.key_expiry));
    line(s, Some(d.key_service));
    line(s, Some(d.key_version));
    line(s, d.preauthorized_agent_oid);
    line(s, d.agent_oid);
    line(s, d.correlation_id);
    if layout >= Layout::V2025_07_05 {
        line(s, d.key_delegated_user_tid);
        line(s, d.delegated_user_oid);
    } else if d.key_delegated_user_tid.is_some() || d.delegated_user_oid.is_some() {
        return Err(unsupported(
            "a delegated user (signedDelegatedUserTid / delegatedUserObjectId)",
            "2025-07-05",
        ));
    }
    Ok(())
}

/// The headers (`srh`) and query parameters (`srq`) bound to the request, 2026-04-06+.
fn bound_request_lines(s: &mut String, layout: Layout, d: &DelegationFields<'_>) -> Result<()> {
    if layout < Layout::V2026_04_06 {
        if !d.request_headers.is_empty() || !d.request_query.is_empty() {
            return Err(unsupported(
                "binding request headers or query parameters (srh / srq)",
                "2026-04-06",
            ));
        }
        return Ok(());
    }
    for (k, v) in d.request_headers {
        s.push_str(k);
        s.push(':');
        s.push_str(v);
        s.push('\n');
    }
    s.push('\n');
    for (k, v) in d.request_query {
        s.push('\n');
        s.push_str(k);
        s.push(':');
        s.push_str(v);
    }
    s.push('\n');
    Ok(())
}

/// The string-to-sign of an account SAS (it ends with a newline).
///
/// # Errors
/// [`Error::Unsupported`] for an encryption scope before 2020-12-06.
pub fn account_string_to_sign(layout: Layout, account: &str, f: &SasFields<'_>) -> Result<String> {
    let mut s = String::with_capacity(128 + account.len());
    s.push_str(account);
    s.push('\n');
    line(&mut s, f.permissions);
    line(&mut s, f.services);
    line(&mut s, f.resource_types);
    line(&mut s, f.start);
    line(&mut s, f.expiry);
    line(&mut s, f.ip);
    line(&mut s, f.protocol);
    line(&mut s, Some(f.version));
    if layout >= Layout::V2020_12_06 {
        line(&mut s, f.encryption_scope);
    } else if f.encryption_scope.is_some() {
        return Err(unsupported("encryption scopes", "2020-12-06"));
    }
    Ok(s)
}

fn unsupported(what: &str, since: &str) -> Error {
    Error::Unsupported(msg!("{what} need signed version {since} or later"))
}

/// The signature: base64 of HMAC-SHA256 of the UTF-8 string-to-sign under the decoded key.
pub(crate) fn sign(key: &HmacKey, string_to_sign: &str) -> String {
    base64(&key.sign(string_to_sign.as_bytes()))
}

/// Appends the SAS query parameters (`sv` … `sig`), each percent-encoded once, separated by
/// `&` from whatever `out` already holds. `snapshot` / `versionid` are the caller's (they address
/// the resource).
pub fn write_query(out: &mut String, f: &SasFields<'_>, signature: &str) {
    let mut p = |name: &str, v: Option<&str>| {
        if let Some(v) = v {
            append_param(out, name, v);
        }
    };
    p("sv", Some(f.version));
    p("ss", f.services);
    p("srt", f.resource_types);
    p("sr", f.resource);
    p("sp", f.permissions);
    p("st", f.start);
    p("se", f.expiry);
    p("sip", f.ip);
    p("spr", f.protocol);
    p("si", f.identifier);
    p("ses", f.encryption_scope);
    if let Some(d) = &f.delegation {
        p("skoid", Some(d.key_oid));
        p("sktid", Some(d.key_tid));
        p("skt", Some(d.key_start));
        p("ske", Some(d.key_expiry));
        p("sks", Some(d.key_service));
        p("skv", Some(d.key_version));
        p("skdutid", d.key_delegated_user_tid);
        p("sduoid", d.delegated_user_oid);
        p("saoid", d.preauthorized_agent_oid);
        p("suoid", d.agent_oid);
        p("scid", d.correlation_id);
        if !d.request_headers.is_empty() {
            p("srh", Some(&join_names(d.request_headers)));
        }
        if !d.request_query.is_empty() {
            p("srq", Some(&join_names(d.request_query)));
        }
    }
    p("rscc", f.cache_control);
    p("rscd", f.content_disposition);
    p("rsce", f.content_encoding);
    p("rscl", f.content_language);
    p("rsct", f.content_type);
    if let Some(depth) = f.directory_depth {
        let mut sdd = String::new();
        crate::encoding::push_decimal(&mut sdd, depth.into());
        p("sdd", Some(&sdd));
    }
    p("sig", Some(signature));
}

fn join_names(pairs: &[(String, String)]) -> String {
    let mut s = String::new();
    for (i, (k, _)) in pairs.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(k);
    }
    s
}

/// SAS query parameter names a caller may not pass as extra query parameters (compared
/// case-insensitively), because the signature or the resource fields set them.
pub const RESERVED_QUERY: &[&str] = &[
    "sv",
    "ss",
    "srt",
    "sr",
    "sp",
    "st",
    "se",
    "sip",
    "spr",
    "si",
    "ses",
    "sdd",
    "sig",
    "rscc",
    "rscd",
    "rsce",
    "rscl",
    "rsct",
    "skoid",
    "sktid",
    "skt",
    "ske",
    "sks",
    "skv",
    "skdutid",
    "sduoid",
    "saoid",
    "suoid",
    "scid",
    "srh",
    "srq",
    "snapshot",
    "versionid",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_map_to_layouts() {
        let l = |v: &str| SignedVersion::parse(v).unwrap().layout();
        assert_eq!(l("2018-03-28"), Layout::V2015_04_05);
        assert_eq!(l("2020-12-06"), Layout::V2020_12_06);
        assert_eq!(l("2025-05-05"), Layout::V2020_12_06);
        assert_eq!(l("2025-07-05"), Layout::V2025_07_05);
        assert_eq!(l("2026-02-06"), Layout::V2025_07_05);
        assert_eq!(l("2026-04-06"), Layout::V2026_04_06);
        assert_eq!(l("2026-10-06"), Layout::V2026_04_06);
        for bad in ["2019-02-02", "2026-10-07", "2099-01-01", "", "latest"] {
            assert_eq!(SignedVersion::parse(bad).unwrap_err().code(), "UNSUPPORTED");
        }
        assert!(KNOWN_VERSIONS.windows(2).all(|w| w[0] < w[1]));
        assert!(KNOWN_VERSIONS.contains(&DEFAULT_VERSION));
    }

    #[test]
    fn canonical_resource_keeps_the_blob_name_raw() {
        assert_eq!(
            canonical_resource("acc", "c", Some("a b/%2F+ü")),
            "/blob/acc/c/a b/%2F+ü"
        );
        assert_eq!(canonical_resource("acc", "$root", None), "/blob/acc/$root");
    }

    #[test]
    fn layout_restrictions_are_errors() {
        let f = SasFields {
            version: "2018-03-28",
            encryption_scope: Some("s"),
            ..SasFields::default()
        };
        assert_eq!(
            service_string_to_sign(Layout::V2015_04_05, "/blob/a/c", &f)
                .unwrap_err()
                .code(),
            "UNSUPPORTED"
        );
        assert_eq!(
            account_string_to_sign(Layout::V2015_04_05, "a", &f)
                .unwrap_err()
                .code(),
            "UNSUPPORTED"
        );
        let h = [("x-ms-foo".to_string(), "1".to_string())];
        let f = SasFields {
            version: "2025-07-05",
            delegation: Some(DelegationFields {
                request_headers: &h,
                ..DelegationFields::default()
            }),
            ..SasFields::default()
        };
        assert_eq!(
            service_string_to_sign(Layout::V2025_07_05, "/blob/a/c", &f)
                .unwrap_err()
                .code(),
            "UNSUPPORTED"
        );
    }

    #[test]
    fn empty_service_layout_has_one_line_per_field() {
        let f = SasFields {
            version: "2020-12-06",
            ..SasFields::default()
        };
        let s = service_string_to_sign(Layout::V2020_12_06, "/blob/a/c", &f).unwrap();
        // sp st se resource si sip spr sv sr snapshot ses rscc rscd rsce rscl rsct: 16 fields.
        assert_eq!(s.split('\n').count(), 16);
        let a = account_string_to_sign(Layout::V2020_12_06, "a", &f).unwrap();
        // account sp ss srt st se sip spr sv ses + the final newline.
        assert_eq!(a.split('\n').count(), 11);
        assert!(a.ends_with("2020-12-06\n\n"));
    }
}
