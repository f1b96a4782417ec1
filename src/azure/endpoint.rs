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

use crate::error::{msg, msg_at};
use crate::error::{Error, Result};
use crate::prelude::*;

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
                Error::InvalidEndpoint(msg_at!("endpoint", "an IP address or localhost: the URL needs the account as its first path segment, but no account is given"))
            })?;
            base.base.path.push('/');
            base.base.path.push_str(account);
        }
        return Ok(base.base);
    }
    let account = account.ok_or_else(|| {
        Error::InvalidRequest(msg!(
            "no account given (and no endpoint to address the blob service)"
        ))
    })?;
    validate_suffix(suffix)?;
    // `{account}.blob.{suffix}`, the suffix lower-cased (built by hand: this runs per URL).
    let mut authority = String::with_capacity(account.len() + 6 + suffix.len());
    authority.push_str(account);
    authority.push_str(".blob.");
    let start = authority.len();
    authority.push_str(suffix);
    if let Some(tail) = authority.get_mut(start..) {
        tail.make_ascii_lowercase();
    }
    Ok(Base {
        scheme,
        authority,
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
        Err(Error::InvalidEndpoint(msg!("the endpoint suffix (connection string EndpointSuffix) must be a DNS name such as core.windows.net")))
    }
}

struct Parsed {
    base: Base,
    /// An IP address or `localhost`: the account goes into the path.
    path_style: bool,
}

fn parse(s: &str) -> Result<Parsed> {
    if s.contains(['?', '#']) {
        return Err(Error::InvalidEndpoint(msg_at!(
            "endpoint",
            "it cannot carry a query or fragment (pass a SAS through a connection string)"
        )));
    }
    let e = crate::endpoint::parse("endpoint", s, false)?;
    Ok(Parsed {
        path_style: e.is_ip || e.host == "localhost",
        base: Base {
            scheme: e.scheme.unwrap_or("https"),
            authority: e.authority(),
            path: e.encoded_path("endpoint")?,
        },
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
