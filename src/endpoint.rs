//! The one parser for endpoint URLs that callers supply (`scheme://host[:port][/path]`): S3's
//! custom endpoints, Azure blob endpoints, GCS endpoints and bucket-bound host names. Each
//! provider decides what to do with the parts (default ports, paths, URL style); the syntax
//! rules live here once.

use crate::encoding::{encode_path, percent_decode};
use crate::error::msg_at;
use crate::error::{Error, Result};
use crate::prelude::*;
use crate::text::{concat, find_str, split_byte, split_once_byte};

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
        let n: u16 = crate::encoding::parse_decimal(self.port?)?;
        let default = if self.scheme == Some("http") { 80 } else { 443 };
        (n != default).then_some(n)
    }

    /// `host` plus `:port` when the port is not the scheme's default.
    pub fn authority(&self) -> String {
        match self.non_default_port() {
            Some(p) => {
                let mut s = self.host.clone();
                s.push(':');
                crate::encoding::push_decimal(&mut s, p.into());
                s
            }
            None => self.host.clone(),
        }
    }

    /// `localhost`, `[::1]` or an address in 127.0.0.0/8: where `http://` may go (a local
    /// stand-in of a token or signing service).
    #[cfg(any(feature = "gcs", all(feature = "azure", exchanges)))]
    pub fn is_loopback(&self) -> bool {
        self.host == "localhost"
            || self.host == "[::1]"
            || parse_ipv4(&self.host).is_some_and(|ip| ip >> 24 == 127)
    }

    /// The path decoded once and re-encoded with the crate's rules, without a trailing slash.
    ///
    /// # Errors
    /// [`Error::InvalidEndpoint`] for a malformed percent-escape.
    pub fn encoded_path(&self, what: &str) -> Result<String> {
        let decoded = percent_decode(self.path).ok_or_else(|| {
            Error::InvalidEndpoint(msg_at!(what, "the path has a malformed percent-escape"))
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
    let bad = |why: &str| Error::InvalidEndpoint(msg_at!(what, "{why}"));
    let split = find_str(s, "://").and_then(|i| Some((s.get(..i)?, s.get(i + 3..)?)));
    let (scheme, rest) = match split {
        Some((sc, rest)) if sc.eq_ignore_ascii_case("https") => (Some("https"), rest),
        Some((sc, rest)) if sc.eq_ignore_ascii_case("http") => (Some("http"), rest),
        Some(_) => return Err(bad("the scheme must be http or https")),
        None if scheme_optional => (None, s),
        None => return Err(bad("expected scheme://host[:port][/path]")),
    };
    if rest.contains(['?', '#']) {
        return Err(bad("it cannot carry a query or fragment"));
    }
    let slash = rest.bytes().position(|b| b == b'/');
    let (authority, path) = match slash.and_then(|i| rest.split_at_checked(i)) {
        Some(parts) => parts,
        None => (rest, ""),
    };
    if crate::text::has_byte(authority, b'@') {
        return Err(bad("user information is not supported"));
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (addr, after) =
            split_once_byte(v6, b']', false).ok_or_else(|| bad("unclosed IPv6 bracket"))?;
        if !is_ipv6(addr) {
            return Err(bad("invalid IPv6 address"));
        }
        let port = match after {
            "" => None,
            p => Some(
                p.strip_prefix(':')
                    .ok_or_else(|| bad("junk after the IPv6 address"))?,
            ),
        };
        (concat(&["[", &addr.to_ascii_lowercase(), "]"]), port)
    } else {
        match split_once_byte(authority, b':', true) {
            Some((h, p)) => (h.to_ascii_lowercase(), Some(p)),
            None => (authority.to_ascii_lowercase(), None),
        }
    };
    if host.is_empty() {
        return Err(bad("the host is empty"));
    }
    let is_ip = host.starts_with('[') || parse_ipv4(&host).is_some();
    if !is_ip && !is_host_name(&host) {
        return Err(bad(
            "the host may contain only ASCII letters, digits, '-', '_' and non-empty dot-separated labels (write internationalised names in punycode)",
        ));
    }
    if let Some(p) = port {
        let ok = p.len() <= 5 && crate::encoding::parse_decimal::<u16>(p).is_some_and(|n| n > 0);
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

/// An IPv4 address as [`core::net::Ipv4Addr`] parses it: four dot-separated decimal parts
/// 0–255 without leading zeros. Returns the address as a big-endian `u32` (so comparing
/// two results compares the addresses).
pub(crate) fn parse_ipv4(s: &str) -> Option<u32> {
    match ipv4_prefix(s.as_bytes()) {
        Some((v, [])) => Some(v),
        _ => None,
    }
}

/// An IPv4 address at the start of `b`: its value and the bytes after it.
fn ipv4_prefix(mut b: &[u8]) -> Option<(u32, &[u8])> {
    let mut v = 0u32;
    for i in 0..4 {
        if i > 0 {
            b = b.strip_prefix(b".")?;
        }
        let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
        let (digits, rest) = b.split_at_checked(n).filter(|_| (1..=3).contains(&n))?;
        let part = digits
            .iter()
            .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
        if (n > 1 && digits.first() == Some(&b'0')) || part > 255 {
            return None;
        }
        v = v << 8 | part;
        b = rest;
    }
    Some((v, b))
}

/// Whether `s` is an IPv6 address as [`std::net::Ipv6Addr`] parses it: up to eight groups of
/// 1–4 hex digits separated by `:`, one `::` standing for one or more zero groups, the last two
/// groups optionally written as an IPv4 address.
pub(crate) fn is_ipv6(s: &str) -> bool {
    let mut b = s.as_bytes();
    let (head, head_v4) = ipv6_groups(&mut b, 8);
    if head == 8 {
        return b.is_empty();
    }
    if head_v4 {
        return false;
    }
    let Some(mut rest) = b.strip_prefix(b"::") else {
        return false;
    };
    ipv6_groups(&mut rest, 7 - head);
    rest.is_empty()
}

/// Reads up to `limit` `:`-separated groups from the start of `b` (advancing it past them);
/// an IPv4 address may stand for the last two. Returns how many groups were read and whether
/// an IPv4 address ended them.
fn ipv6_groups(b: &mut &[u8], limit: usize) -> (usize, bool) {
    for i in 0..limit {
        let group = if i > 0 {
            match b.strip_prefix(b":") {
                Some(g) => g,
                None => return (i, false),
            }
        } else {
            *b
        };
        if i + 1 < limit {
            if let Some((_, rest)) = ipv4_prefix(group) {
                *b = rest;
                return (i + 2, true);
            }
        }
        let n = group.iter().take_while(|c| c.is_ascii_hexdigit()).count();
        match group.get(n..) {
            Some(rest) if (1..=4).contains(&n) => *b = rest,
            _ => return (i, false),
        }
    }
    (limit, false)
}

/// Dot-separated, non-empty labels of `A-Z a-z 0-9 - _`.
pub(crate) fn is_host_name(h: &str) -> bool {
    !h.is_empty()
        && split_byte(h, b'.').all(|label| {
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
        assert_eq!(e.encoded_path("endpoint").unwrap(), "/Base%20Path");

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

    /// The IP validators agree with std's parsers, on random strings over the characters
    /// addresses are made of (so most inputs are near misses) and on crafted edge cases.
    #[test]
    fn ip_validators_match_std() {
        use proptest::prelude::*;
        let check = |s: &str| {
            assert_eq!(
                parse_ipv4(s),
                s.parse::<core::net::Ipv4Addr>().ok().map(u32::from),
                "{s}"
            );
            assert_eq!(is_ipv6(s), s.parse::<std::net::Ipv6Addr>().is_ok(), "{s}");
        };
        for s in [
            "",
            "0.0.0.0",
            "255.255.255.255",
            "256.1.1.1",
            "01.1.1.1",
            "1.1.1.01",
            "1.1.1",
            "1.1.1.1.",
            "1.1.1.1.1",
            "1234.1.1.1",
            "1.1.1.1234",
            "::",
            ":::",
            "::1",
            "1::",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "1::2:3:4:5:6:7:8",
            "1:2:3:4:5:6:1.2.3.4",
            "1:2:3:4:5:6:7:1.2.3.4",
            "::1.2.3.4",
            "::ffff:1.2.3.4",
            "1.2.3.4::",
            "::1.2.3.256",
            "::1234",
            "::12345",
            "fFfF::",
            "1:2:3:4:5::1.2.3.4",
            "1:2:3:4:5:6::1.2.3.4",
            "::1.2.3.4.5",
            "::01.2.3.4",
            "1:::2",
            "::1:",
            ":1::",
        ] {
            check(s);
        }
        proptest!(ProptestConfig::with_cases(20_000), |(s in "[0-9a-fA-F:.]{0,24}")| check(&s));
        proptest!(ProptestConfig::with_cases(20_000), |(s in "[0-2:.fg5]{0,20}")| check(&s));
        proptest!(ProptestConfig::with_cases(5_000), |(s in "([0-9]{1,4}\\.){0,4}[0-9]{0,4}")| check(&s));
        proptest!(ProptestConfig::with_cases(5_000), |(s in "(:{0,2}[0-9a-f]{0,5}){0,9}(:[0-9.]{0,16})?")| check(&s));
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
            assert!(e.message().starts_with("`endpoint`: "), "{bad}: {e}");
        }
        assert!(parse("x", "https://h/%zz", false)
            .unwrap()
            .encoded_path("x")
            .is_err());
    }
}
