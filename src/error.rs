//! The one error type of the crate.
//!
//! Every variant carries a human-readable message and maps to a stable machine code
//! ([`Error::code`]) that the CLI prints and the JS bindings put on `PresignError.code`.
//! Messages name the offending field but never contain secrets (secret keys, session tokens,
//! signatures) — callers may log them.

use core::fmt;

/// Everything that can go wrong while building a presigned request.
///
/// Marked `#[non_exhaustive]`: match on [`Error::code`] or add a wildcard arm.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The request as a whole is malformed (unknown field, wrong type, missing field).
    InvalidRequest(String),
    /// The object key / blob name is empty, too long or otherwise unusable.
    InvalidKey(String),
    /// The bucket / container name is not valid for the requested URL style.
    InvalidBucket(String),
    /// A header name or value cannot be signed (CR/LF, non-token name, reserved header…).
    InvalidHeader(String),
    /// A query parameter is malformed or reserved for the signature itself (`X-Amz-*`…).
    InvalidQuery(String),
    /// The expiry is out of the provider's range (S3: 1 s – 604800 s).
    InvalidExpiry(String),
    /// A time value could not be parsed or is out of range.
    InvalidTime(String),
    /// The endpoint URL, region or URL-style options are invalid or contradictory.
    InvalidEndpoint(String),
    /// Credentials are missing or malformed.
    InvalidCredentials(String),
    /// Temporary credentials expire before the URL would (with the `error` policy), or already expired.
    CredentialsExpire(String),
    /// The request asks for something this crate deliberately does not do.
    Unsupported(String),
}

impl Error {
    /// A stable, machine-readable code (`"INVALID_KEY"`, …). Never changes for a given variant.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidRequest(_) => "INVALID_REQUEST",
            Error::InvalidKey(_) => "INVALID_KEY",
            Error::InvalidBucket(_) => "INVALID_BUCKET",
            Error::InvalidHeader(_) => "INVALID_HEADER",
            Error::InvalidQuery(_) => "INVALID_QUERY",
            Error::InvalidExpiry(_) => "INVALID_EXPIRY",
            Error::InvalidTime(_) => "INVALID_TIME",
            Error::InvalidEndpoint(_) => "INVALID_ENDPOINT",
            Error::InvalidCredentials(_) => "INVALID_CREDENTIALS",
            Error::CredentialsExpire(_) => "CREDENTIALS_EXPIRE",
            Error::Unsupported(_) => "UNSUPPORTED",
        }
    }

    /// The human-readable message (without the code).
    pub fn message(&self) -> &str {
        match self {
            Error::InvalidRequest(m)
            | Error::InvalidKey(m)
            | Error::InvalidBucket(m)
            | Error::InvalidHeader(m)
            | Error::InvalidQuery(m)
            | Error::InvalidExpiry(m)
            | Error::InvalidTime(m)
            | Error::InvalidEndpoint(m)
            | Error::InvalidCredentials(m)
            | Error::CredentialsExpire(m)
            | Error::Unsupported(m) => m,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {}

/// Shorthand used throughout the crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_code_then_message() {
        let e = Error::InvalidKey("the object key is empty".into());
        assert_eq!(e.to_string(), "INVALID_KEY: the object key is empty");
        assert_eq!(format!("{e:?}"), "INVALID_KEY: the object key is empty");
    }
}
