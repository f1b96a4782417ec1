//! Where a GCS request goes: the URL's scheme and authority, the signed `host` and the path
//! prefix (`/bucket` in path style).
//!
//! Rules — Google's conformance cases (`tests/vectors/gcs/v4_signatures.json`) and
//! <https://cloud.google.com/storage/docs/request-endpoints>:
//! - path style (the default): `https://storage.{universe}/{bucket}/{object}`;
//! - virtual-hosted style: `https://{bucket}.storage.{universe}/{object}`;
//! - bucket-bound hostname (a CNAME or load balancer): `{scheme}://{hostname}/{object}`;
//! - a custom endpoint or emulator (`[scheme://]host[:port]`) takes the place of
//!   `storage.{universe}` in the first two;
//! - `{universe}` is `googleapis.com` unless a universe domain is given.
//!
//! A port stays in the URL exactly as written (even `:443`), while the signed `host` header never
//! carries one: conformance cases "Simple GET with non-default hostname" (`localhost:8080` is
//! signed as `host:localhost`), "Endpoint on client with scheme" and "Simple GET with endpoint on
//! client" (`storage.googleapis.com:443`).

use crate::encoding::encode_path;
use crate::error::{msg, msg_at};
use crate::error::{Error, Result};
use crate::prelude::*;
use crate::text::concat;

/// How the bucket appears in the URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlStyle {
    /// `https://storage.googleapis.com/{bucket}/{object}` (Google's default).
    Path,
    /// `https://{bucket}.storage.googleapis.com/{object}`.
    VirtualHosted,
    /// `{scheme}://{bucketBoundHostname}/{object}`: a CNAME or load balancer serving one bucket.
    BucketBound,
}

#[cfg(feature = "json")]
crate::schema::json_enum!(UrlStyle {
    Path: "path",
    VirtualHosted: "virtualHosted",
    BucketBound: "bucketBound",
});

/// The URL scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlScheme {
    /// `https` (the default).
    Https,
    /// `http` — emulators, or a bucket-bound hostname served without TLS.
    Http,
}

#[cfg(feature = "json")]
crate::schema::json_enum!(UrlScheme {
    Https: "https",
    Http: "http"
});

impl UrlScheme {
    /// `https` or `http`.
    pub fn as_str(self) -> &'static str {
        match self {
            UrlScheme::Https => "https",
            UrlScheme::Http => "http",
        }
    }
}

/// The universe domain of Google's public cloud.
pub(crate) const DEFAULT_UNIVERSE: &str = "googleapis.com";

/// Where requests go: URL style, bucket-bound host, scheme, custom endpoint and universe
/// domain, shared by signed URLs ([`GcsRequest::endpoint`](super::GcsRequest::endpoint)) and
/// form uploads ([`GcsPostRequest::endpoint`](super::post::GcsPostRequest::endpoint)). In the
/// request schema its members sit flat in the request object (`urlStyle`,
/// `bucketBoundHostname`, `scheme`, `endpoint`, `universeDomain`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Endpoint {
    /// `path` (default), `virtualHosted` or `bucketBound`.
    pub url_style: Option<UrlStyle>,
    /// The CNAME / load-balancer host (`[scheme://]host[:port]`) of a bucket-bound URL or form.
    pub bucket_bound_hostname: Option<String>,
    /// `https` (default) or `http`.
    pub scheme: Option<UrlScheme>,
    /// A custom endpoint or emulator, `[scheme://]host[:port]`, in place of
    /// `storage.googleapis.com` (the schema's `endpoint`). The signed `host` omits the port
    /// (Google's conformance cases).
    pub url: Option<String>,
    /// The universe domain (default `googleapis.com`, or the key's `universe_domain`).
    pub universe_domain: Option<String>,
}

#[cfg(feature = "json")]
crate::schema::json_flat!(Endpoint {
    url_style: "urlStyle",
    bucket_bound_hostname: "bucketBoundHostname",
    scheme: "scheme",
    url: "endpoint",
    universe_domain: "universeDomain",
});

impl Endpoint {
    /// The options that address `bucket`, signed by credentials of `credentials_universe`.
    pub(crate) fn options<'a>(
        &'a self,
        bucket: &'a str,
        credentials_universe: Option<&'a str>,
    ) -> EndpointOptions<'a> {
        EndpointOptions {
            bucket,
            url_style: self.url_style,
            bucket_bound_hostname: self.bucket_bound_hostname.as_deref(),
            scheme: self.scheme,
            endpoint: self.url.as_deref(),
            universe_domain: self.universe_domain.as_deref(),
            credentials_universe,
        }
    }
}

/// The options that decide the endpoint, borrowed from an [`Endpoint`].
pub(crate) struct EndpointOptions<'a> {
    pub bucket: &'a str,
    pub url_style: Option<UrlStyle>,
    pub bucket_bound_hostname: Option<&'a str>,
    pub scheme: Option<UrlScheme>,
    pub endpoint: Option<&'a str>,
    /// The request's own `universeDomain`.
    pub universe_domain: Option<&'a str>,
    /// The universe domain the service-account key names, if any.
    pub credentials_universe: Option<&'a str>,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Target {
    pub scheme: &'static str,
    /// `host[:port]` as it appears in the URL.
    pub authority: String,
    /// The signed `host` header: the host without a port.
    pub host: String,
    /// `/bucket` in path style, empty otherwise.
    pub path_prefix: String,
}

pub(crate) fn resolve(o: &EndpointOptions<'_>) -> Result<Target> {
    validate_bucket(o.bucket)?;
    check_universes(o)?;
    let style = url_style(o)?;
    if let Some(hostname) = o.bucket_bound_hostname {
        return bucket_bound(o, hostname);
    }
    let (scheme, base) = base_host(o)?;
    if style == UrlStyle::VirtualHosted {
        return virtual_hosted(o, scheme, &base);
    }
    Ok(Target {
        scheme,
        authority: base.authority(),
        host: base.host,
        path_prefix: concat(&["/", &encode_path(o.bucket)]),
    })
}

/// The request's and the key's universe: each well-formed, and the same when both are given.
fn check_universes(o: &EndpointOptions<'_>) -> Result<()> {
    if let Some(u) = o.universe_domain {
        validate_universe("universeDomain", u)?;
    }
    if let Some(u) = o.credentials_universe {
        validate_universe("credentials.serviceAccount.universe_domain", u)?;
    }
    if let (Some(req), Some(key)) = (o.universe_domain, o.credentials_universe) {
        if !req.eq_ignore_ascii_case(key) {
            return Err(Error::InvalidCredentials(msg_at!(
                "universeDomain",
                "differs from the service-account key's universe_domain"
            )));
        }
    }
    Ok(())
}

/// The URL style: bucket-bound when a bucket-bound hostname is given, else as asked (path by
/// default).
fn url_style(o: &EndpointOptions<'_>) -> Result<UrlStyle> {
    Ok(match (o.url_style, o.bucket_bound_hostname) {
        (None | Some(UrlStyle::BucketBound), Some(_)) => UrlStyle::BucketBound,
        (Some(UrlStyle::BucketBound), None) => {
            return Err(Error::InvalidEndpoint(msg!(
                "urlStyle \"bucketBound\" needs a bucketBoundHostname"
            )))
        }
        (Some(_), Some(_)) => {
            return Err(Error::InvalidEndpoint(msg_at!(
                "bucketBoundHostname",
                "only used with urlStyle \"bucketBound\""
            )))
        }
        (style, None) => style.unwrap_or(UrlStyle::Path),
    })
}

/// The target on a bucket-bound hostname (a CNAME or load balancer in front of the bucket).
fn bucket_bound(o: &EndpointOptions<'_>, hostname: &str) -> Result<Target> {
    if o.endpoint.is_some() {
        return Err(Error::InvalidEndpoint(msg!(
            "endpoint and bucketBoundHostname both name the host; give one"
        )));
    }
    if o.universe_domain.is_some() {
        return Err(Error::InvalidEndpoint(msg!("universeDomain selects storage.{{universe}}; it cannot be combined with bucketBoundHostname")));
    }
    let spec = parse_host_spec("bucketBoundHostname", hostname)?;
    let scheme = pick_scheme("bucketBoundHostname", spec.scheme, o.scheme)?;
    Ok(Target {
        scheme,
        authority: spec.authority(),
        host: spec.host,
        path_prefix: String::new(),
    })
}

/// The scheme and the host the bucket lives under: the custom endpoint, or `storage.{universe}`.
fn base_host(o: &EndpointOptions<'_>) -> Result<(&'static str, HostSpec)> {
    Ok(match o.endpoint {
        Some(ep) => {
            if o.universe_domain.is_some() {
                return Err(Error::InvalidEndpoint(msg!("universeDomain selects storage.{{universe}}; it cannot be combined with a custom endpoint")));
            }
            let spec = parse_host_spec("endpoint", ep)?;
            (pick_scheme("endpoint", spec.scheme, o.scheme)?, spec)
        }
        None => {
            let universe = o
                .universe_domain
                .or(o.credentials_universe)
                .unwrap_or(DEFAULT_UNIVERSE)
                .to_ascii_lowercase();
            let spec = HostSpec {
                scheme: None,
                host: concat(&["storage.", &universe]),
                port: None,
                is_ip: false,
            };
            (o.scheme.unwrap_or(UrlScheme::Https).as_str(), spec)
        }
    })
}

/// The target with the bucket in the host name.
fn virtual_hosted(
    o: &EndpointOptions<'_>,
    scheme: &'static str,
    base: &HostSpec,
) -> Result<Target> {
    if base.is_ip {
        return Err(Error::InvalidEndpoint(msg!("a virtual-hosted URL needs a host name, and the endpoint is an IP address; use path style")));
    }
    if scheme == "https" && crate::text::has_byte(o.bucket, b'.') {
        return Err(Error::InvalidBucket(msg_at!("bucket", "a name with dots cannot be virtual-hosted over https (the wildcard TLS certificate does not match it); use urlStyle \"path\"")));
    }
    let host = concat(&[o.bucket, ".", &base.host]);
    let authority = match &base.port {
        Some(p) => concat(&[&host, ":", p]),
        None => host.clone(),
    };
    Ok(Target {
        scheme,
        authority,
        host,
        path_prefix: String::new(),
    })
}

fn pick_scheme(
    what: &str,
    written: Option<&'static str>,
    asked: Option<UrlScheme>,
) -> Result<&'static str> {
    match (written, asked) {
        (Some(w), Some(a)) if w != a.as_str() => Err(Error::InvalidEndpoint(msg_at!(
            what,
            "its scheme and `scheme` differ; give one or make them agree"
        ))),
        (Some(w), _) => Ok(w),
        (None, a) => Ok(a.unwrap_or(UrlScheme::Https).as_str()),
    }
}

/// A parsed `[scheme://]host[:port][/]`.
#[derive(Debug)]
struct HostSpec {
    scheme: Option<&'static str>,
    /// Lower-case; an IPv6 address keeps its brackets.
    host: String,
    /// The port as written (digits only), even the scheme's default.
    port: Option<String>,
    is_ip: bool,
}

impl HostSpec {
    fn authority(&self) -> String {
        match &self.port {
            Some(p) => concat(&[&self.host, ":", p]),
            None => self.host.clone(),
        }
    }
}

fn parse_host_spec(what: &str, s: &str) -> Result<HostSpec> {
    let e = crate::endpoint::parse(what, s, true)?;
    if !e.path.is_empty() && e.path != "/" {
        return Err(Error::InvalidEndpoint(msg_at!(
            what,
            "it cannot carry a path (GCS signs the object path from the root)"
        )));
    }
    Ok(HostSpec {
        scheme: e.scheme,
        port: e.port.map(str::to_owned),
        is_ip: e.is_ip,
        host: e.host,
    })
}

pub(super) fn validate_universe(what: &str, u: &str) -> Result<()> {
    if !crate::endpoint::is_host_name(u) {
        return Err(Error::InvalidEndpoint(msg_at!(
            what,
            "must be a domain name such as \"googleapis.com\" (no scheme, port or path)"
        )));
    }
    Ok(())
}

/// Google's bucket naming rules (<https://cloud.google.com/storage/docs/buckets#naming>):
/// lower-case letters, digits, `-`, `_` and `.`; starts and ends with a letter or digit; 3–63
/// characters, or up to 222 with dots when every dot-separated part has at most 63; not an IPv4
/// address.
fn validate_bucket(b: &str) -> Result<()> {
    let bad = |why: &str| Error::InvalidBucket(msg_at!("bucket", "not a valid bucket name: {why}"));
    if b.is_empty() {
        return Err(Error::InvalidBucket(msg_at!("bucket", "empty")));
    }
    if !b
        .bytes()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'-' | b'_' | b'.'))
    {
        return Err(bad(
            "only lower-case letters, digits, '-', '_' and '.' are allowed",
        ));
    }
    let edge_ok = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !edge_ok(b.as_bytes().first()) || !edge_ok(b.as_bytes().last()) {
        return Err(bad("it must start and end with a letter or digit"));
    }
    let max = if crate::text::has_byte(b, b'.') {
        222
    } else {
        63
    };
    if b.len() < 3 || b.len() > max {
        return Err(bad(
            "it must have 3-63 characters (up to 222 with dots, 63 per dot-separated part)",
        ));
    }
    if crate::text::split_byte(b, b'.').any(|p| p.is_empty() || p.len() > 63) {
        return Err(bad("every dot-separated part must have 1-63 characters"));
    }
    if crate::endpoint::parse_ipv4(b).is_some() {
        return Err(bad("it cannot be an IP address"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(bucket: &'static str) -> EndpointOptions<'static> {
        EndpointOptions {
            bucket,
            url_style: None,
            bucket_bound_hostname: None,
            scheme: None,
            endpoint: None,
            universe_domain: None,
            credentials_universe: None,
        }
    }

    fn show(t: &Target) -> String {
        format!(
            "{}://{}{} host={}",
            t.scheme, t.authority, t.path_prefix, t.host
        )
    }

    #[test]
    fn styles_and_universes() {
        let mut o = opts("bkt");
        assert_eq!(
            show(&resolve(&o).unwrap()),
            "https://storage.googleapis.com/bkt host=storage.googleapis.com"
        );
        o.url_style = Some(UrlStyle::VirtualHosted);
        assert_eq!(
            show(&resolve(&o).unwrap()),
            "https://bkt.storage.googleapis.com host=bkt.storage.googleapis.com"
        );
        o.universe_domain = Some("Domain.com");
        assert_eq!(
            show(&resolve(&o).unwrap()),
            "https://bkt.storage.domain.com host=bkt.storage.domain.com"
        );
        let mut o = opts("bkt");
        o.credentials_universe = Some("example.org");
        assert_eq!(
            show(&resolve(&o).unwrap()),
            "https://storage.example.org/bkt host=storage.example.org"
        );
        o.universe_domain = Some("other.org");
        assert_eq!(resolve(&o).unwrap_err().code(), "INVALID_CREDENTIALS");
    }

    #[test]
    fn endpoints_keep_their_port_in_the_url_but_not_in_the_signed_host() {
        let cases = [
            (
                "localhost:8080",
                Some(UrlScheme::Http),
                "http://localhost:8080/bkt host=localhost",
            ),
            (
                "storage.googleapis.com:443",
                Some(UrlScheme::Https),
                "https://storage.googleapis.com:443/bkt host=storage.googleapis.com",
            ),
            (
                "http://127.0.0.1:4443/",
                None,
                "http://127.0.0.1:4443/bkt host=127.0.0.1",
            ),
            (
                "HTTPS://XYZ.googleapis.com",
                None,
                "https://xyz.googleapis.com/bkt host=xyz.googleapis.com",
            ),
            (
                "http://[::1]:9000",
                None,
                "http://[::1]:9000/bkt host=[::1]",
            ),
        ];
        for (ep, scheme, want) in cases {
            let mut o = opts("bkt");
            o.endpoint = Some(ep);
            o.scheme = scheme;
            assert_eq!(show(&resolve(&o).unwrap()), want, "{ep}");
        }
    }

    #[test]
    fn bucket_bound_hostnames() {
        let mut o = opts("bkt");
        o.bucket_bound_hostname = Some("mydomain.tld");
        o.scheme = Some(UrlScheme::Http);
        assert_eq!(
            show(&resolve(&o).unwrap()),
            "http://mydomain.tld host=mydomain.tld"
        );
        o.url_style = Some(UrlStyle::BucketBound);
        o.scheme = None;
        o.bucket_bound_hostname = Some("https://cdn.example.com:8443");
        assert_eq!(
            show(&resolve(&o).unwrap()),
            "https://cdn.example.com:8443 host=cdn.example.com"
        );
    }

    #[test]
    fn contradictions_are_errors() {
        let mut o = opts("bkt");
        o.url_style = Some(UrlStyle::BucketBound);
        assert_eq!(resolve(&o).unwrap_err().code(), "INVALID_ENDPOINT");
        o.url_style = Some(UrlStyle::Path);
        o.bucket_bound_hostname = Some("cdn.example.com");
        assert_eq!(resolve(&o).unwrap_err().code(), "INVALID_ENDPOINT");
        o.url_style = None;
        o.endpoint = Some("http://localhost:1");
        assert_eq!(resolve(&o).unwrap_err().code(), "INVALID_ENDPOINT");
        let mut o = opts("bkt");
        o.endpoint = Some("http://localhost:1");
        o.scheme = Some(UrlScheme::Https);
        assert_eq!(resolve(&o).unwrap_err().code(), "INVALID_ENDPOINT");
        let mut o = opts("bkt");
        o.endpoint = Some("localhost:1");
        o.universe_domain = Some("domain.com");
        assert_eq!(resolve(&o).unwrap_err().code(), "INVALID_ENDPOINT");
        let mut o = opts("bkt");
        o.endpoint = Some("10.0.0.1");
        o.url_style = Some(UrlStyle::VirtualHosted);
        assert_eq!(resolve(&o).unwrap_err().code(), "INVALID_ENDPOINT");
        let mut o = opts("my.bucket");
        o.url_style = Some(UrlStyle::VirtualHosted);
        assert_eq!(resolve(&o).unwrap_err().code(), "INVALID_BUCKET");
        o.scheme = Some(UrlScheme::Http);
        assert_eq!(
            show(&resolve(&o).unwrap()),
            "http://my.bucket.storage.googleapis.com host=my.bucket.storage.googleapis.com"
        );
    }

    #[test]
    fn bad_endpoints() {
        for ep in [
            "ftp://x",
            "https://",
            "https://u:p@host",
            "https://host?x=1",
            "https://host/base",
            "https://host:0",
            "https://host:99999",
            "https://host:+1",
            "https://host:",
            "https://hôst",
            "https://a..b",
            "https://[zz]:1",
            "",
        ] {
            let mut o = opts("bkt");
            o.endpoint = Some(ep);
            assert_eq!(resolve(&o).unwrap_err().code(), "INVALID_ENDPOINT", "{ep}");
        }
        for u in ["", "https://x.com", "x.com:443", "x.com/", "a..b"] {
            let mut o = opts("bkt");
            o.universe_domain = Some(u);
            assert_eq!(resolve(&o).unwrap_err().code(), "INVALID_ENDPOINT", "{u}");
        }
    }

    #[test]
    fn bucket_names() {
        let long = "x".repeat(64);
        for b in [
            "",
            "ab",
            "Bucket",
            "a/b",
            "a b",
            "-ab",
            "ab-",
            "_ab",
            "a..b",
            "192.168.1.1",
            "ä-bucket",
            long.as_str(),
        ] {
            assert_eq!(
                validate_bucket(b).unwrap_err().code(),
                "INVALID_BUCKET",
                "{b}"
            );
        }
        let ok63 = "x".repeat(63);
        let dotted = format!("{}.{}", "x".repeat(63), "y".repeat(63));
        for b in ["abc", "test-bucket", "my_bucket", "a.b.c", &ok63, &dotted] {
            assert!(validate_bucket(b).is_ok(), "{b}");
        }
    }
}
