//! The HTTP requests the library builds for the caller to send (credential exchanges: a
//! user-delegation key, a token, temporary credentials, a remote signature). The library never
//! sends them: the caller's HTTP client (JS `fetch`, `reqwest`, …) does, and hands the response's
//! status and body back to the matching parser. One type for every provider.

use crate::error::{quoted, Error};
use crate::prelude::*;
use crate::types::{Method, Params};
use core::fmt;

/// An HTTP request to send as is. Header names are lower-case; the HTTP client adds
/// `Content-Length` (and `Host`). Where a request needs the caller's own `Authorization`
/// (a bearer token the library never sees), the builder's documentation says so.
///
/// `Debug` shows the method, URL and header names only: header values and the body may carry
/// tokens or client secrets.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The full URL.
    pub url: String,
    /// The method.
    pub method: Method,
    /// Headers to send, lower-case names.
    pub headers: Params,
    /// The body (UTF-8 text: XML, JSON or a form); empty for none.
    pub body: String,
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n).collect();
        f.debug_struct("HttpRequest")
            .field("url", &self.url)
            .field("method", &self.method)
            .field("headers", &names)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

/// The error for a service's error document: the exchange (`"STS AssumeRoleWithWebIdentity"`),
/// the HTTP status, and the service's own error code and the first line of its message — the
/// service's text, which the caller needs to act on; never a token or key the caller sent.
// Unused by builds without an exchange or upload step (the npm S3 entry, cors, post, json alone).
#[cfg_attr(not(service_answers), allow(dead_code))]
pub(crate) fn service_error(exchange: &str, status: u16, code: &str, message: &str) -> Error {
    let line = message.lines().next().unwrap_or("");
    Error::Service(format!(
        "{exchange}: the service answered {status} with error {}: {}",
        quoted(code),
        quoted(line)
    ))
}

/// The error for a response that is not the document expected (`why` in the crate's words).
#[allow(dead_code)] // the parsers of each exchange (some builds have none)
pub(crate) fn bad_response(exchange: &str, why: &str) -> Error {
    Error::Service(format!("{exchange} response: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_header_values_and_body() {
        let r = HttpRequest {
            url: "https://example.com/token".into(),
            method: Method::Post,
            headers: Params(vec![("authorization".into(), "Bearer SECRET1".into())]),
            body: "client_secret=SECRET2".into(),
        };
        let d = format!("{r:?}");
        assert!(
            d.contains("authorization") && d.contains("example.com"),
            "{d}"
        );
        assert!(!d.contains("SECRET"), "{d}");
    }
}
