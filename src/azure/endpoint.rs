//! Blob service endpoints: `https://{account}.blob.{suffix}` by default, or a custom blob
//! endpoint (Azurite, private endpoints, custom domains, sovereign clouds) kept with its path.
//!
//! | case | base URL |
//! | --- | --- |
//! | no endpoint | `https://{account}.blob.core.windows.net` (`endpointSuffix` / `DefaultEndpointsProtocol` from a connection string) |
//! | custom host name | as given: `https://acc.privatelink.blob.core.windows.net`, `http://acc.blob.localhost:10000`, `https://cdn.example.com/base` |
//! | IP address or `localhost`, no path | path style, account first: `http://127.0.0.1:10000/devstoreaccount1` |
//! | IP address or `localhost` with a path | as given (the path is taken to start with the account) |
//!
//! Default ports (`:443` for https, `:80` for http) are dropped.

use crate::encoding::{encode_path, percent_decode};
use crate::error::{Error, Result};

/// The public Azure cloud's endpoint suffix.
pub const DEFAULT_SUFFIX: &str = "core.windows.net";

/// Where blob URLs start: `scheme://authority` + `path` (encoded, no trailing slash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Base {
    pub scheme: &'static str,
    /// Host plus a non-default `:port`.
    pub authority: String,
    /// Encoded base path without a trailing slash ("" or "/devstoreaccount1").
    pub path: String,
}

/// Resolves the blob endpoint for `account`.
///
/// `endpoint` is a custom blob endpoint; without it the URL is built from `account`, `scheme`
/// and `suffix`.
pub(crate) fn resolve(
    account: Option<&str>,
    endpoint: Option<&str>,
    scheme: &'static str,
    suffix: &str,
) -> Result<Base> {
    if let Some(ep) = endpoint {
        let mut base = parse(ep)?;
        if base.path_style && base.base.path.is_empty() {
            let account = account.ok_or_else(|| {
                Error::InvalidEndpoint(format!(
                    "endpoint {ep:?} is an IP address or localhost: the URL needs the account as its first path segment, but no account is given"
                ))
            })?;
            base.base.path.push('/');
            base.base.path.push_str(account);
        }
        return Ok(base.base);
    }
    let account = account.ok_or_else(|| {
        Error::InvalidRequest(
            "no account given (and no endpoint to address the blob service)".into(),
        )
    })?;
    validate_suffix(suffix)?;
    Ok(Base {
        scheme,
        authority: format!("{account}.blob.{}", suffix.to_ascii_lowercase()),
        path: String::new(),
    })
}

fn validate_suffix(suffix: &str) -> Result<()> {
    let ok = !suffix.is_empty()
        && !suffix.starts_with(['.', '-'])
        && !suffix.ends_with('.')
        && suffix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidEndpoint(format!(
            "endpoint suffix {suffix:?} must be a DNS name such as core.windows.net"
        )))
    }
}

struct Parsed {
    base: Base,
    /// An IP address or `localhost`: the account goes into the path.
    path_style: bool,
}

fn parse(s: &str) -> Result<Parsed> {
    let bad = |why: &str| Error::InvalidEndpoint(format!("endpoint {s:?}: {why}"));
    let (scheme, rest) = match s.split_once("://") {
        Some((sc, rest)) if sc.eq_ignore_ascii_case("https") => ("https", rest),
        Some((sc, rest)) if sc.eq_ignore_ascii_case("http") => ("http", rest),
        Some(_) => return Err(bad("the scheme must be http or https")),
        None => return Err(bad(
            "expected scheme://host[:port][/path], e.g. https://myaccount.blob.core.windows.net",
        )),
    };
    if rest.contains(['?', '#']) {
        return Err(bad(
            "an endpoint cannot carry a query or fragment (pass a SAS through a connection string)",
        ));
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(bad("user information in the endpoint is not supported"));
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
        (format!("[{}]", addr.to_ascii_lowercase()), port)
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
    if !is_ip
        && !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
    {
        return Err(bad(
            "the host may contain only ASCII letters, digits, '-', '.' and '_' (write internationalised names in punycode)",
        ));
    }
    let port = match port {
        None => None,
        Some(p) => {
            let n: u16 = p
                .parse()
                .ok()
                .filter(|&n| n > 0 && p.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| bad("the port must be a number from 1 to 65535"))?;
            let default = if scheme == "https" { 443 } else { 80 };
            (n != default).then_some(n)
        }
    };
    let decoded =
        percent_decode(path).ok_or_else(|| bad("the path has a malformed percent-escape"))?;
    let path = encode_path(decoded.trim_end_matches('/'));
    let path_style = is_ip || host == "localhost";
    let authority = match port {
        Some(p) => format!("{host}:{p}"),
        None => host,
    };
    Ok(Parsed {
        base: Base {
            scheme,
            authority,
            path,
        },
        path_style,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(b: &Base) -> String {
        format!("{}://{}{}", b.scheme, b.authority, b.path)
    }

    #[test]
    fn default_endpoint_is_virtual_hosted_in_the_public_cloud() {
        let b = resolve(Some("acc"), None, "https", DEFAULT_SUFFIX).unwrap();
        assert_eq!(url(&b), "https://acc.blob.core.windows.net");
        let b = resolve(Some("acc"), None, "http", "core.chinacloudapi.cn").unwrap();
        assert_eq!(url(&b), "http://acc.blob.core.chinacloudapi.cn");
        assert!(resolve(None, None, "https", DEFAULT_SUFFIX).is_err());
        assert!(resolve(Some("acc"), None, "https", "bad/suffix").is_err());
    }

    #[test]
    fn ip_and_localhost_endpoints_are_path_style() {
        for (ep, want) in [
            (
                "http://127.0.0.1:10000",
                "http://127.0.0.1:10000/devstoreaccount1",
            ),
            (
                "http://127.0.0.1:10000/",
                "http://127.0.0.1:10000/devstoreaccount1",
            ),
            (
                "http://localhost:10000",
                "http://localhost:10000/devstoreaccount1",
            ),
            ("http://[::1]:10000", "http://[::1]:10000/devstoreaccount1"),
            (
                "http://127.0.0.1:10000/devstoreaccount1/",
                "http://127.0.0.1:10000/devstoreaccount1",
            ),
        ] {
            let b = resolve(Some("devstoreaccount1"), Some(ep), "https", DEFAULT_SUFFIX).unwrap();
            assert_eq!(url(&b), want, "{ep}");
        }
        assert!(resolve(
            None,
            Some("http://127.0.0.1:10000"),
            "https",
            DEFAULT_SUFFIX
        )
        .is_err());
    }

    #[test]
    fn custom_host_endpoints_are_kept_with_their_path() {
        for (ep, want) in [
            (
                "https://acc.privatelink.blob.core.windows.net",
                "https://acc.privatelink.blob.core.windows.net",
            ),
            (
                "https://cdn.example.com:443/base/",
                "https://cdn.example.com/base",
            ),
            (
                "http://devstoreaccount1.blob.localhost:10000",
                "http://devstoreaccount1.blob.localhost:10000",
            ),
            (
                "HTTPS://ACC.BLOB.CORE.USGOVCLOUDAPI.NET",
                "https://acc.blob.core.usgovcloudapi.net",
            ),
        ] {
            let b = resolve(Some("acc"), Some(ep), "https", DEFAULT_SUFFIX).unwrap();
            assert_eq!(url(&b), want, "{ep}");
        }
    }

    #[test]
    fn malformed_endpoints_are_refused() {
        for ep in [
            "acc.blob.core.windows.net",
            "ftp://h",
            "https://",
            "https://h:0",
            "https://h:99999",
            "https://u@h",
            "https://h/?sv=1",
            "https://h/#x",
            "https://h é",
            "https://[::1",
            "https://h/%zz",
        ] {
            let e = resolve(Some("acc"), Some(ep), "https", DEFAULT_SUFFIX).unwrap_err();
            assert_eq!(e.code(), "INVALID_ENDPOINT", "{ep}");
        }
    }
}
