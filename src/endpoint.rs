//! The one parser for endpoint URLs that callers supply (`scheme://host[:port][/path]`): S3's
//! custom endpoints, Azure blob endpoints, GCS endpoints and bucket-bound host names. Each
//! provider decides what to do with the parts (default ports, paths, URL style); the syntax
//! rules live here once.

use crate::encoding::{encode_path, percent_decode};
use crate::error::{Error, Result};

/// An endpoint taken apart. `host` is lower-case; an IPv6 address keeps its brackets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Endpoint<'a> {
    /// `"https"` or `"http"`; `None` when the input had no scheme (only if allowed).
    pub scheme: Option<&'static str>,
    pub host: String,
    /// The port digits as written (1–65535), even the scheme's default.
    pub port: Option<&'a str>,
    /// An IPv4 or IPv6 address rather than a name.
    pub is_ip: bool,
    /// The raw path: `""` or starting with `/`.
    pub path: &'a str,
}

impl Endpoint<'_> {
    /// The port unless it is the scheme's default (`443` for https, `80` for http).
    pub fn non_default_port(&self) -> Option<u16> {
        let n: u16 = self.port?.parse().ok()?;
        let default = if self.scheme == Some("http") { 80 } else { 443 };
        (n != default).then_some(n)
    }

    /// `host` plus `:port` when the port is not the scheme's default.
    pub fn authority(&self) -> String {
        match self.non_default_port() {
            Some(p) => [self.host.as_str(), ":", &p.to_string()].concat(),
            None => self.host.clone(),
        }
    }

    /// The path decoded once and re-encoded with the crate's rules, without a trailing slash.
    ///
    /// # Errors
    /// [`Error::InvalidEndpoint`] for a malformed percent-escape.
    pub fn encoded_path(&self, what: &str, input: &str) -> Result<String> {
        let decoded = percent_decode(self.path).ok_or_else(|| {
            Error::InvalidEndpoint(format!(
                "{what} {input:?}: the path has a malformed percent-escape"
            ))
        })?;
        Ok(encode_path(decoded.trim_end_matches('/')))
    }
}

/// Parses `s`; `what` names it in errors (`endpoint`, `bucketBoundHostname`…). Without
/// `scheme_optional` a missing scheme is an error.
///
/// # Errors
/// [`Error::InvalidEndpoint`]: a scheme other than http/https, a query or fragment, user
/// information, a malformed IPv6 address, an empty host, a host name with characters outside
/// `A-Z a-z 0-9 - _` or an empty label, a port outside 1–65535.
pub(crate) fn parse<'a>(what: &str, s: &'a str, scheme_optional: bool) -> Result<Endpoint<'a>> {
    let bad = |why: &str| Error::InvalidEndpoint(format!("{what} {s:?}: {why}"));
    let (scheme, rest) = match s.split_once("://") {
        Some((sc, rest)) if sc.eq_ignore_ascii_case("https") => (Some("https"), rest),
        Some((sc, rest)) if sc.eq_ignore_ascii_case("http") => (Some("http"), rest),
        Some(_) => return Err(bad("the scheme must be http or https")),
        None if scheme_optional => (None, s),
        None => return Err(bad("expected scheme://host[:port][/path]")),
    };
    if rest.contains(['?', '#']) {
        return Err(bad("it cannot carry a query or fragment"));
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(bad("user information is not supported"));
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (addr, after) = v6
            .split_once(']')
            .ok_or_else(|| bad("unclosed IPv6 bracket"))?;
        if addr.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(bad("invalid IPv6 address"));
        }
        let port = match after {
            "" => None,
            p => Some(
                p.strip_prefix(':')
                    .ok_or_else(|| bad("junk after the IPv6 address"))?,
            ),
        };
        (["[", &addr.to_ascii_lowercase(), "]"].concat(), port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_ascii_lowercase(), Some(p)),
            None => (authority.to_ascii_lowercase(), None),
        }
    };
    if host.is_empty() {
        return Err(bad("the host is empty"));
    }
    let is_ip = host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok();
    if !is_ip && !is_host_name(&host) {
        return Err(bad(
            "the host may contain only ASCII letters, digits, '-', '_' and non-empty dot-separated labels (write internationalised names in punycode)",
        ));
    }
    if let Some(p) = port {
        let ok = !p.is_empty()
            && p.len() <= 5
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u16>().is_ok_and(|n| n > 0);
        if !ok {
            return Err(bad("the port must be a number from 1 to 65535"));
        }
    }
    Ok(Endpoint {
        scheme,
        host,
        port,
        is_ip,
        path,
    })
}

/// Dot-separated, non-empty labels of `A-Z a-z 0-9 - _`.
pub(crate) fn is_host_name(h: &str) -> bool {
    !h.is_empty()
        && h.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_of_an_endpoint() {
        let e = parse("endpoint", "HTTP://Minio.Example:9000/Base%20Path/", false).unwrap();
        assert_eq!(e.scheme, Some("http"));
        assert_eq!(e.host, "minio.example");
        assert_eq!(e.port, Some("9000"));
        assert!(!e.is_ip);
        assert_eq!(e.authority(), "minio.example:9000");
        assert_eq!(e.encoded_path("endpoint", "x").unwrap(), "/Base%20Path");

        let e = parse("endpoint", "https://[::1]:443", false).unwrap();
        assert_eq!(
            (e.host.as_str(), e.is_ip, e.authority()),
            ("[::1]", true, "[::1]".into())
        );
        let e = parse("endpoint", "http://127.0.0.1:80", false).unwrap();
        assert_eq!((e.port, e.authority()), (Some("80"), "127.0.0.1".into()));
        let e = parse("hostname", "cdn.example.com:8443", true).unwrap();
        assert_eq!(
            (e.scheme, e.authority()),
            (None, "cdn.example.com:8443".into())
        );
    }

    #[test]
    fn malformed_endpoints_are_errors_naming_the_field() {
        for bad in [
            "ftp://h",
            "h",
            "https://",
            "https://h?x=1",
            "https://h#f",
            "https://u@h",
            "https://[::1",
            "https://[zz]",
            "https://[::1]x",
            "https://h:0",
            "https://h:65536",
            "https://h:",
            "https://h:+1",
            "https://a..b",
            "https://a b",
            "https://bücher.example",
        ] {
            let e = parse("endpoint", bad, false).unwrap_err();
            assert_eq!(e.code(), "INVALID_ENDPOINT", "{bad}");
            assert!(e.message().starts_with("endpoint "), "{bad}: {e}");
        }
        assert!(parse("x", "https://h/%zz", false)
            .unwrap()
            .encoded_path("x", "https://h/%zz")
            .is_err());
    }
}
