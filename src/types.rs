//! The types every provider shares: the HTTP method, secrets, ordered name/value pairs, the
//! presigned result and its warnings, and the credential-expiry policy.

use crate::error::msg;
use crate::error::{Error, Result};
use crate::prelude::*;
use crate::time::Timestamp;
use core::fmt;
use zeroize::Zeroizing;

/// The HTTP method the presigned request is for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Method {
    /// Download.
    #[default]
    Get,
    /// Upload.
    Put,
    /// Metadata.
    Head,
    /// Delete.
    Delete,
    /// Actions such as S3 CreateMultipartUpload (`?uploads`) and form uploads.
    Post,
}

impl Method {
    /// Every method, in the order of the JS client's method codes (1 = GET … 5 = POST).
    pub(crate) const ALL: [Method; 5] = [
        Method::Get,
        Method::Put,
        Method::Head,
        Method::Delete,
        Method::Post,
    ];

    /// Upper-case name, as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Head => "HEAD",
            Method::Delete => "DELETE",
            Method::Post => "POST",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::str::FromStr for Method {
    type Err = Error;
    /// Case-insensitive: `put`, `PUT` and `Put` are the same.
    fn from_str(s: &str) -> Result<Self> {
        // Compared in place: no upper-cased copy (an allocation per request).
        Method::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                Error::InvalidRequest(msg!(
                    "the method is not one of GET, PUT, HEAD, DELETE, POST"
                ))
            })
    }
}

/// A secret string (secret key, session token, account key): zeroed on drop, redacted in
/// `Debug`, never serialized.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(Zeroizing::new(s.into()))
    }
    /// The secret itself — for signing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret::new(s)
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret::new(s)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// An ordered list of name/value pairs (headers or query parameters). In JSON it is an object
/// (`{"content-type": "image/png"}`); order is kept as given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// No parameters.
    pub fn new() -> Self {
        Params(Vec::new())
    }
    /// Appends a pair.
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }
    /// Whether there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Iterates the pairs as string slices.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(a, b)| (a.as_str(), b.as_str()))
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Params {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Params(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

/// A non-fatal remark about a presigned request (for example: the credentials expire first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// Stable machine code, e.g. `CREDENTIALS_EXPIRE_FIRST`.
    pub code: &'static str,
    /// Human-readable explanation.
    pub message: String,
}

/// A presigned request — the result shape shared by every provider.
///
/// `headers` are exactly the headers the client must send (besides `Host`) for the signature to
/// verify, with the values as signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Presigned {
    /// The full URL.
    pub url: String,
    /// The method the URL is valid for.
    pub method: Method,
    /// Headers the client must send, lower-case names, sorted.
    pub headers: Params,
    /// When the URL stops working.
    pub expires_at: Timestamp,
    /// Non-fatal remarks; omitted from JSON when empty.
    pub warnings: Vec<Warning>,
}

/// What to do when temporary credentials expire before the URL would.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CredentialExpiry {
    /// Sign anyway and add a `CREDENTIALS_EXPIRE_FIRST` warning (default).
    #[default]
    Warn,
    /// Fail with [`Error::CredentialsExpire`].
    Error,
    /// Shorten the URL's lifetime to the credentials' remaining lifetime.
    Clamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_debug() {
        let s = Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        assert_eq!(format!("{s:?}"), "<redacted>");
    }

    #[test]
    fn methods_parse_case_insensitively() {
        assert_eq!("put".parse::<Method>().unwrap(), Method::Put);
        assert_eq!("Delete".parse::<Method>().unwrap(), Method::Delete);
        assert_eq!("hEaD".parse::<Method>().unwrap(), Method::Head);
        for bad in ["PATCH", "", "GETS", "PU", " GET", "ＧＥＴ"] {
            assert_eq!(
                bad.parse::<Method>().unwrap_err().code(),
                "INVALID_REQUEST",
                "{bad}"
            );
        }
    }
}
