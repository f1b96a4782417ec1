//! Where an S3 request goes: scheme, host (the signed `host` header) and the path prefix
//! (`/bucket` in path style), for AWS partitions and custom endpoints.
//!
//! Rules (they follow the AWS SDKs' S3 endpoint rules):
//! - AWS: `{bucket}.s3.{region}.{suffix}` (virtual-hosted) or `s3.{region}.{suffix}/{bucket}`
//!   (path); suffix `amazonaws.com`, `amazonaws.com.cn` for `cn-*`, and the ISO partitions'.
//!   `us-east-1` uses the global `s3.amazonaws.com` unless dualstack/FIPS is on.
//!   Dualstack: `s3.dualstack.{region}`; FIPS: `s3-fips.{region}`; accelerate:
//!   `{bucket}.s3-accelerate[.dualstack].amazonaws.com` (aws partition, virtual-hosted only).
//! - Custom endpoint `scheme://host[:port][/base]`: virtual-hosted `scheme://{bucket}.host…` or path
//!   `scheme://host…/{bucket}`; an IP-address host is always path style.
//! - Without an explicit `urlStyle`, buckets that cannot be a DNS label set (upper case,
//!   underscores, dots over https — the TLS wildcard certificate does not cover them) fall back
//!   to path style. An explicit `virtualHosted` for such a bucket is an error.

use crate::encoding::encode_path_into;
use crate::error::{msg, msg_at};
use crate::error::{Error, Result};
use crate::prelude::*;
use core::ops::Range;

/// How the bucket is addressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlStyle {
    /// `https://bucket.s3.region.amazonaws.com/key`
    VirtualHosted,
    /// `https://s3.region.amazonaws.com/bucket/key`
    Path,
}

#[cfg(feature = "json")]
crate::schema::json_enum!(UrlStyle {
    VirtualHosted: "virtualHosted",
    Path: "path"
});

/// Where requests go: the region and the endpoint options, shared by presigned URLs
/// ([`S3Request::endpoint`](super::S3Request::endpoint)) and form uploads
/// ([`S3PostRequest::endpoint`](super::post::S3PostRequest::endpoint)). In the request schema
/// its members sit flat in the request object (`region`, `endpoint`, `urlStyle`, `dualstack`,
/// `accelerate`, `fips`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Endpoint {
    /// Region (default `us-east-1`): of the credential scope and, for AWS, of the host.
    pub region: Option<String>,
    /// Custom endpoint (`scheme://host[:port][/base]`) for S3-compatible stores (the schema's
    /// `endpoint`).
    pub url: Option<String>,
    /// `virtualHosted` or `path`; default: virtual-hosted when the bucket name allows it.
    pub url_style: Option<UrlStyle>,
    /// Use the dual-stack (IPv6) AWS endpoint.
    pub dualstack: bool,
    /// Use S3 Transfer Acceleration.
    pub accelerate: bool,
    /// Use the FIPS AWS endpoint.
    pub fips: bool,
    /// The store's profile (default AWS): its endpoint shape, default region and documented
    /// limits ([`Store`](super::store::Store)).
    pub store: super::store::Store,
    /// R2's account id: the endpoint becomes `https://<accountId>.r2.cloudflarestorage.com`.
    pub account_id: Option<String>,
}

#[cfg(feature = "json")]
crate::schema::json_flat!(Endpoint {
    region: "region",
    url: "endpoint",
    url_style: "urlStyle",
    dualstack: "dualstack",
    accelerate: "accelerate",
    fips: "fips",
    store: "store",
    account_id: "accountId",
});

impl Endpoint {
    /// The region of the credential scope: the given one or [`DEFAULT_REGION`](super::DEFAULT_REGION).
    pub(crate) fn region(&self) -> &str {
        self.region
            .as_deref()
            .unwrap_or(self.store.profile().default_region)
    }

    /// The options that address `bucket`.
    pub(crate) fn options<'a>(&'a self, bucket: &'a str) -> EndpointOptions<'a> {
        EndpointOptions {
            bucket,
            region: self.region(),
            endpoint: self.url.as_deref(),
            url_style: self.url_style,
            dualstack: self.dualstack,
            accelerate: self.accelerate,
            fips: self.fips,
            store: self.store,
            account_id: self.account_id.as_deref(),
            given_region: self.region.as_deref(),
        }
    }
}

/// The options that decide the endpoint.
#[derive(Clone, Copy, Debug)]
pub(crate) struct EndpointOptions<'a> {
    pub bucket: &'a str,
    pub region: &'a str,
    pub endpoint: Option<&'a str>,
    pub url_style: Option<UrlStyle>,
    pub dualstack: bool,
    pub accelerate: bool,
    pub fips: bool,
    pub store: super::store::Store,
    pub account_id: Option<&'a str>,
    /// The region as the request gives it (a store's endpoint needs it, not its default).
    pub given_region: Option<&'a str>,
}

/// A resolved target (tests compare these; the signing path uses [`resolve_into`]).
#[cfg(test)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    pub scheme: String,
    /// Host with a non-default port: both the URL authority and the signed `host` header.
    pub host: String,
    /// Encoded path before the key, without a trailing slash (`""`, `/bucket`, `/base/bucket`).
    pub path_prefix: String,
}

#[cfg(test)]
pub(crate) fn resolve(o: &EndpointOptions<'_>) -> Result<Target> {
    let mut out = String::new();
    let host = resolve_into(o, &mut out)?;
    Ok(Target {
        scheme: crate::text::part(&out, ..host.start.saturating_sub(3))?.to_owned(),
        host: crate::text::part(&out, host.clone())?.to_owned(),
        path_prefix: crate::text::part(&out, host.end..)?.to_owned(),
    })
}

/// Appends `scheme://host[:port]` and the encoded path prefix (`""`, `/bucket`, `/base/bucket`,
/// no trailing slash) to `out`, and returns the byte range of the host (with a non-default
/// port) in `out`: both the URL authority and the signed `host` header.
pub(crate) fn resolve_into(o: &EndpointOptions<'_>, out: &mut String) -> Result<Range<usize>> {
    validate_bucket(o.bucket)?;
    if let Some(ep) = o.endpoint {
        if o.account_id.is_some() {
            return Err(Error::InvalidEndpoint(msg_at!(
                "accountId",
                "cannot be given with `endpoint`: both name the endpoint; give one"
            )));
        }
        return resolve_custom(o, ep, out);
    }
    match super::store::endpoint(o.store, o.account_id, o.given_region)? {
        Some(ep) => resolve_custom(o, &ep, out),
        None if super::store::needs_endpoint(o.store) => Err(Error::InvalidEndpoint(msg_at!(
            "endpoint",
            "a self-hosted store (minio, seaweedfs) needs its endpoint"
        ))),
        None => resolve_aws(o, out),
    }
}

/// The DNS suffix of `region`'s partition: `amazonaws.com`, `amazonaws.com.cn` for `cn-*`, and the
/// ISO partitions'; `None` for what is not a region name. Also the services' regional endpoints
/// (STS, Cognito Identity) use it.
pub(crate) fn dns_suffix(region: &str) -> Option<&'static str> {
    if region.is_empty()
        || !region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return None;
    }
    Some(if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else if region.starts_with("us-isob-") {
        "sc2s.sgov.gov"
    } else if region.starts_with("us-isof-") {
        "csp.hci.ic.gov"
    } else if region.starts_with("us-iso-") {
        "c2s.ic.gov"
    } else if region.starts_with("eu-isoe-") {
        "cloud.adc-e.uk"
    } else {
        "amazonaws.com"
    })
}

fn resolve_aws(o: &EndpointOptions<'_>, out: &mut String) -> Result<Range<usize>> {
    let suffix = aws_dns_suffix(o.region)?;
    let hostable = is_virtual_hostable(o.bucket, false);
    let virtual_hosted = match o.url_style {
        Some(UrlStyle::Path) => false,
        Some(UrlStyle::VirtualHosted) => {
            if !hostable {
                return Err(not_hostable(o.bucket, true));
            }
            true
        }
        None => hostable,
    };
    if o.accelerate {
        check_accelerate(o, suffix, hostable)?;
    }
    out.push_str("https://");
    let start = out.len();
    if virtual_hosted {
        out.push_str(o.bucket);
        out.push('.');
    }
    push_aws_host(o, suffix, out);
    let host = start..out.len();
    if !virtual_hosted {
        out.push('/');
        encode_path_into(out, o.bucket);
    }
    Ok(host)
}

/// S3 Transfer Acceleration: the commercial partition outside GovCloud, not with FIPS, a
/// virtual-hosted bucket name without dots.
fn check_accelerate(o: &EndpointOptions<'_>, suffix: &str, hostable: bool) -> Result<()> {
    if suffix != "amazonaws.com" || o.region.starts_with("us-gov-") {
        return Err(Error::InvalidEndpoint(msg_at!(
            "accelerate",
            "S3 Transfer Acceleration is not available in this region"
        )));
    }
    if o.fips {
        return Err(Error::InvalidEndpoint(msg!(
            "S3 Transfer Acceleration cannot be combined with FIPS endpoints"
        )));
    }
    if !hostable || o.url_style == Some(UrlStyle::Path) {
        return Err(Error::InvalidBucket(msg_at!("bucket", "S3 Transfer Acceleration needs a virtual-hosted, DNS-compatible bucket name without dots")));
    }
    Ok(())
}

/// The AWS S3 host after the bucket label: the accelerate, FIPS and dual-stack forms; us-east-1's
/// plain endpoint has no region.
fn push_aws_host(o: &EndpointOptions<'_>, suffix: &str, out: &mut String) {
    if o.accelerate {
        out.push_str(if o.dualstack {
            "s3-accelerate.dualstack.amazonaws.com"
        } else {
            "s3-accelerate.amazonaws.com"
        });
        return;
    }
    out.push_str(if o.fips { "s3-fips" } else { "s3" });
    if o.dualstack {
        out.push_str(".dualstack");
    }
    if o.region != "us-east-1" || o.dualstack || o.fips {
        out.push('.');
        out.push_str(o.region);
    }
    out.push('.');
    out.push_str(suffix);
}

/// The DNS suffix of an AWS region's partition (`amazonaws.com`, `amazonaws.com.cn`, the ISO
/// partitions'), after checking the region is an AWS region name.
pub(super) fn aws_dns_suffix(region: &str) -> Result<&'static str> {
    dns_suffix(region).ok_or_else(|| {
        Error::InvalidEndpoint(msg_at!(
            "region",
            "not an AWS region name (e.g. eu-west-1); for other stores pass an endpoint"
        ))
    })
}

pub(super) fn resolve_custom(
    o: &EndpointOptions<'_>,
    ep: &str,
    out: &mut String,
) -> Result<Range<usize>> {
    if o.dualstack || o.accelerate || o.fips {
        return Err(Error::InvalidEndpoint(msg!("dualstack, accelerate and fips select AWS endpoints; they cannot be combined with a custom endpoint")));
    }
    if o.region.is_empty()
        || !o
            .region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return Err(Error::InvalidEndpoint(msg_at!(
            "region",
            "may contain only letters, digits, '-', '_' and '.'"
        )));
    }
    let ep = parse_endpoint(ep)?;
    let hostable = !ep.is_ip && is_virtual_hostable(o.bucket, ep.scheme == "http");
    let virtual_hosted = match o.url_style {
        Some(UrlStyle::Path) => false,
        Some(UrlStyle::VirtualHosted) => {
            if ep.is_ip {
                return Err(Error::InvalidEndpoint(msg!("a virtual-hosted URL needs a host name, and the endpoint is an IP address; use path style")));
            }
            if !hostable {
                return Err(not_hostable(o.bucket, ep.scheme == "https"));
            }
            true
        }
        None => hostable,
    };
    out.push_str(ep.scheme);
    out.push_str("://");
    let start = out.len();
    if virtual_hosted {
        out.push_str(o.bucket);
        out.push('.');
    }
    out.push_str(&ep.authority);
    let host = start..out.len();
    out.push_str(&ep.base_path);
    if !virtual_hosted {
        out.push('/');
        encode_path_into(out, o.bucket);
    }
    Ok(host)
}

fn not_hostable(bucket: &str, https: bool) -> Error {
    let why = if https && crate::text::has_byte(bucket, b'.') {
        " (a bucket with dots does not match the wildcard TLS certificate over https)"
    } else {
        ""
    };
    Error::InvalidBucket(msg_at!(
        "bucket",
        "cannot be virtual-hosted{why}; use urlStyle \"path\""
    ))
}

/// Any bucket name S3 can address in path style (legacy names included): 1–255 of
/// `A-Z a-z 0-9 . - _`.
fn validate_bucket(b: &str) -> Result<()> {
    if b.is_empty() {
        return Err(Error::InvalidBucket(msg_at!("bucket", "empty")));
    }
    if b.len() > 255
        || !b
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_'))
    {
        let hint = if b.starts_with("arn:") {
            " (access point and Outposts ARNs are not supported; use the access point's alias or endpoint)"
        } else {
            ""
        };
        return Err(Error::InvalidBucket(msg_at!(
            "bucket",
            "not a valid bucket name (1-255 of A-Z a-z 0-9 . - _){hint}"
        )));
    }
    Ok(())
}

/// DNS-compatible bucket names: 3–63 characters, lower-case letters, digits, `-` and (over
/// http only) `.` between labels; not formatted like an IPv4 address.
pub(crate) fn is_virtual_hostable(b: &str, allow_dots: bool) -> bool {
    if b.len() < 3 || b.len() > 63 {
        return false;
    }
    // Labels between dots: non-empty, `a-z 0-9 -`, neither starting nor ending with `-`.
    let mut prev = b'.';
    let mut digits_and_dots = true;
    for c in b.bytes() {
        let ok = match c {
            b'a'..=b'z' | b'0'..=b'9' => true,
            b'-' => prev != b'.',
            b'.' => allow_dots && prev != b'.' && prev != b'-',
            _ => false,
        };
        if !ok {
            return false;
        }
        digits_and_dots &= c.is_ascii_digit() || c == b'.';
        prev = c;
    }
    prev != b'.' && prev != b'-' && !(digits_and_dots && crate::endpoint::parse_ipv4(b).is_some())
}

#[derive(Debug)]
struct CustomEndpoint {
    scheme: &'static str,
    /// Host plus a non-default port.
    authority: String,
    is_ip: bool,
    /// Encoded, no trailing slash.
    base_path: String,
}

fn parse_endpoint(s: &str) -> Result<CustomEndpoint> {
    let e = crate::endpoint::parse("endpoint", s, false)?;
    Ok(CustomEndpoint {
        scheme: e.scheme.unwrap_or("https"),
        authority: e.authority(),
        is_ip: e.is_ip,
        base_path: e.encoded_path("endpoint")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(bucket: &str, region: &str) -> EndpointOptions<'static> {
        EndpointOptions {
            bucket: Box::leak(bucket.to_owned().into_boxed_str()),
            region: Box::leak(region.to_owned().into_boxed_str()),
            endpoint: None,
            url_style: None,
            dualstack: false,
            accelerate: false,
            fips: false,
            store: crate::s3::store::Store::Aws,
            account_id: None,
            given_region: None,
        }
    }

    fn url(t: &Target) -> String {
        format!("{}://{}{}", t.scheme, t.host, t.path_prefix)
    }

    #[test]
    fn aws_partitions() {
        let cases = [
            ("bk1", "us-east-1", "https://bk1.s3.amazonaws.com"),
            ("bk1", "eu-west-1", "https://bk1.s3.eu-west-1.amazonaws.com"),
            (
                "bk1",
                "cn-north-1",
                "https://bk1.s3.cn-north-1.amazonaws.com.cn",
            ),
            (
                "bk1",
                "us-gov-west-1",
                "https://bk1.s3.us-gov-west-1.amazonaws.com",
            ),
            (
                "my.bucket",
                "eu-west-1",
                "https://s3.eu-west-1.amazonaws.com/my.bucket",
            ),
            ("MyBucket", "us-east-1", "https://s3.amazonaws.com/MyBucket"),
            (
                "my_bucket",
                "us-east-1",
                "https://s3.amazonaws.com/my_bucket",
            ),
        ];
        for (b, r, want) in cases {
            assert_eq!(url(&resolve(&opts(b, r)).unwrap()), want, "{b} {r}");
        }
    }

    #[test]
    fn aws_variants() {
        let mut o = opts("bkt", "us-east-1");
        o.dualstack = true;
        assert_eq!(
            url(&resolve(&o).unwrap()),
            "https://bkt.s3.dualstack.us-east-1.amazonaws.com"
        );
        o.dualstack = false;
        o.accelerate = true;
        assert_eq!(
            url(&resolve(&o).unwrap()),
            "https://bkt.s3-accelerate.amazonaws.com"
        );
        o.dualstack = true;
        assert_eq!(
            url(&resolve(&o).unwrap()),
            "https://bkt.s3-accelerate.dualstack.amazonaws.com"
        );
        let mut o = opts("bkt", "us-west-2");
        o.fips = true;
        assert_eq!(
            url(&resolve(&o).unwrap()),
            "https://bkt.s3-fips.us-west-2.amazonaws.com"
        );
        o.url_style = Some(UrlStyle::Path);
        assert_eq!(
            url(&resolve(&o).unwrap()),
            "https://s3-fips.us-west-2.amazonaws.com/bkt"
        );
        let mut o = opts("a.b", "us-east-1");
        o.accelerate = true;
        assert_eq!(resolve(&o).unwrap_err().code(), "INVALID_BUCKET");
        let mut o = opts("bkt", "cn-north-1");
        o.accelerate = true;
        assert_eq!(resolve(&o).unwrap_err().code(), "INVALID_ENDPOINT");
    }

    #[test]
    fn explicit_virtual_for_unhostable_bucket_is_an_error() {
        let mut o = opts("my.bucket", "eu-west-1");
        o.url_style = Some(UrlStyle::VirtualHosted);
        assert_eq!(resolve(&o).unwrap_err().code(), "INVALID_BUCKET");
    }

    #[test]
    fn custom_endpoints() {
        let cases = [
            (
                "http://127.0.0.1:8333",
                None,
                "bkt",
                "http://127.0.0.1:8333/bkt",
            ),
            (
                "https://minio.example.com:443/",
                None,
                "bkt",
                "https://bkt.minio.example.com",
            ),
            (
                "https://minio.example.com",
                Some(UrlStyle::Path),
                "bkt",
                "https://minio.example.com/bkt",
            ),
            (
                "http://Example.COM:9000/base/",
                None,
                "a.b",
                "http://a.b.example.com:9000/base",
            ),
            (
                "https://example.com:8443/s3",
                None,
                "a.b",
                "https://example.com:8443/s3/a.b",
            ),
            ("http://[::1]:9000", None, "bkt", "http://[::1]:9000/bkt"),
            (
                "HTTPS://r2.example.com/sp%20ace",
                None,
                "bkt",
                "https://bkt.r2.example.com/sp%20ace",
            ),
        ];
        for (ep, style, b, want) in cases {
            let mut o = opts(b, "us-east-1");
            o.endpoint = Some(ep);
            o.url_style = style;
            assert_eq!(url(&resolve(&o).unwrap()), want, "{ep}");
        }
    }

    #[test]
    fn bad_endpoints() {
        for ep in [
            "s3.example.com",
            "ftp://x",
            "https://",
            "https://u:p@host",
            "https://host?x=1",
            "https://host:0",
            "https://host:99999",
            "https://host:+1",
            "https://hôst",
            "https://[zz]:1",
            "https://host/%zz",
        ] {
            let mut o = opts("bkt", "us-east-1");
            o.endpoint = Some(ep);
            assert_eq!(resolve(&o).unwrap_err().code(), "INVALID_ENDPOINT", "{ep}");
        }
        let mut o = opts("bkt", "us-east-1");
        o.endpoint = Some("http://10.0.0.1");
        o.url_style = Some(UrlStyle::VirtualHosted);
        assert_eq!(resolve(&o).unwrap_err().code(), "INVALID_ENDPOINT");
    }

    #[test]
    fn bucket_names() {
        for b in ["", "a/b", "arn:aws:s3:::x", "a b", "ä"] {
            assert_eq!(
                resolve(&opts(b, "us-east-1")).unwrap_err().code(),
                "INVALID_BUCKET",
                "{b}"
            );
        }
        assert!(!is_virtual_hostable("192.168.1.1", true));
        assert!(!is_virtual_hostable("ab", true));
        assert!(!is_virtual_hostable("a..b", true));
        assert!(!is_virtual_hostable("-ab", true));
        assert!(is_virtual_hostable("a.b.c", true));
        assert!(!is_virtual_hostable("a.b.c", false));
    }

    /// The rule as S3's documentation states it, label by label (the form the fast scan
    /// replaced): every short name over a small alphabet must get the same answer.
    #[test]
    fn hostable_scan_matches_the_label_rule() {
        fn by_labels(b: &str, allow_dots: bool) -> bool {
            (3..=63).contains(&b.len())
                && b.parse::<core::net::Ipv4Addr>().is_err()
                && crate::text::split_byte(b, b'.').all(|l| {
                    !l.is_empty()
                        && l.bytes()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
                        && !l.starts_with('-')
                        && !l.ends_with('-')
                })
                && (allow_dots || !b.contains('.'))
        }
        let alphabet = ['a', '1', '-', '.', 'A', '_'];
        let mut names = Vec::new();
        let mut level = vec![String::new()];
        for _ in 0..6 {
            level = level
                .iter()
                .flat_map(|n| alphabet.iter().map(move |c| format!("{n}{c}")))
                .collect();
            names.extend(level.iter().cloned());
        }
        names.extend(
            [
                "1.2.3.4",
                "10.0.0.255",
                "1.2.3.4.5",
                "256.1.1.1",
                "01.2.3.4",
            ]
            .map(String::from),
        );
        for n in &names {
            for dots in [false, true] {
                assert_eq!(
                    is_virtual_hostable(n, dots),
                    by_labels(n, dots),
                    "{n:?} {dots}"
                );
            }
        }
    }
}
