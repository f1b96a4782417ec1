//! The one error type of the crate.
//!
//! Every variant carries a human-readable message and maps to a stable machine code
//! ([`Error::code`]) that the CLI prints and the JS bindings put on `PresignError.code`.
//!
//! Messages quote nothing from the input: no value, no part of one, no number computed from
//! one, and no name the input chose. They name where the problem is — the member's path in
//! the request schema (`` `credentials.expiresAt` ``), with map entries (headers, query
//! parameters, metadata…), array elements and unknown members by their position from 0
//! (`` `headers[2]` ``, `` `origins[0]` ``, `` `[5]` ``) — and say what is wrong, with the
//! crate's own words only (limits, valid letters, supported versions). So a secret put in the
//! wrong member never echoes back, and callers may log messages as they are. (One exception,
//! outside requests: [`Error::Service`] passes on the code and first message line of an error
//! document a service answered to a credential exchange, see [`crate::http`].)

use crate::prelude::*;
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
    /// A credential exchange's response (a token, a key, temporary credentials, a remote
    /// signature) is an error document, or not the document expected.
    Service(String),
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
            Error::Service(_) => "SERVICE_ERROR",
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
            | Error::Unsupported(m)
            | Error::Service(m) => m,
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

impl core::error::Error for Error {}

/// `s` in double quotes, as `{:?}` writes ordinary text (`"`, `\\` and control characters
/// escaped), without pulling the standard library's Unicode-aware `Debug` escaper (kilobytes of
/// tables) into the wasm build. Not for the caller's input, which no message quotes (see the
/// module documentation); only for what a storage service answered (its error code).
// Only for services' answers: unused by builds without an exchange or upload step (the npm S3
// entry, cors, post, json alone).
#[cfg_attr(not(service_answers), allow(dead_code))]
pub(crate) fn quoted(s: &str) -> Quoted<'_> {
    Quoted(s)
}

/// See [`quoted`].
// See `quoted` (the same builds leave it unused).
#[cfg_attr(not(service_answers), allow(dead_code))]
pub(crate) struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        f.write_char('"')?;
        for c in self.0.chars() {
            match c {
                '\\' => f.write_str("\\\\")?,
                '"' => f.write_str("\\\"")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                '\0' => f.write_str("\\0")?,
                c if c.is_control() => write!(f, "\\u{{{:x}}}", u32::from(c))?,
                c => f.write_char(c)?,
            }
        }
        f.write_char('"')
    }
}

/// The text of an error message, at one error site: the member path (if the site has one) and
/// the sentence, as `` `path`: sentence `` (`msg_at!`) or the sentence alone (`msg!`); the sentence
/// is a `format!` string and its arguments, or a literal.
///
/// The npm package's browser builds (feature `terse-errors`, which acts on wasm32 only) compile
/// the sentence out: the message is then the member path alone (`` `key` ``), or empty, and the
/// error still carries its stable [`Error::code`]. Every other build — the crate, the CLI, the
/// npm package's server builds (Node, Deno, workerd) — keeps the full sentence. In the terse
/// build the sentence is still type-checked (inside an `if false`, which the compiler drops with
/// its text), so both builds accept the same sites.
macro_rules! msg {
    ($s:literal $(, $($arg:tt)*)?) => {{
        #[cfg(not(terse_errors))]
        let m = ::alloc::format!($s $(, $($arg)*)?);
        #[cfg(terse_errors)]
        let m = {
            if false {
                let _ = ::alloc::format!($s $(, $($arg)*)?);
            }
            ::alloc::string::String::new()
        };
        m
    }};
}
pub(crate) use msg;

/// [`msg!`] with the member path first: `` msg_at!("credentials.secretAccessKey", "is empty") ``
/// reads `` `credentials.secretAccessKey`: is empty ``, and `` `credentials.secretAccessKey` `` in
/// the terse build. The path is a `&str` expression (a literal or a name the site was given).
#[cfg(all(member_paths, not(terse_errors)))]
macro_rules! msg_at {
    ($path:expr, $($s:tt)+) => {
        $crate::error::at_path($path, $crate::error::msg!($($s)+))
    };
}
/// The terse build's: the path alone, by one call of two arguments at each of the many sites
/// (no empty sentence built and passed there); the sentence is still type-checked.
#[cfg(all(member_paths, terse_errors))]
macro_rules! msg_at {
    // A position (`headers[2]`) written straight into the path, without a string for it first.
    (&indexed($name:expr, $i:expr), $($s:tt)+) => {{
        if false {
            // The site's `indexed` (imported there, and the non-terse builds' path).
            let _ = indexed($name, $i);
            let _ = ::alloc::format!($($s)+);
        }
        $crate::error::indexed_alone($name, $i)
    }};
    ($path:expr, $($s:tt)+) => {{
        if false {
            let _ = ::alloc::format!($($s)+);
        }
        $crate::error::path_alone($path)
    }};
}
#[cfg(member_paths)]
pub(crate) use msg_at;

/// A sentence put before a message that already names its member path:
/// `` msg_before!(m; "not a valid request: ") `` (a [`msg!`] sentence: a literal or a `format!`
/// string and its arguments); the terse build keeps `m` alone.
#[cfg(feature = "json")]
macro_rules! msg_before {
    ($m:expr; $($s:tt)+) => {{
        let m: ::alloc::string::String = $m;
        #[cfg(not(terse_errors))]
        let m = {
            let mut s = $crate::error::msg!($($s)+);
            s.push_str(&m);
            s
        };
        #[cfg(terse_errors)]
        if false {
            let _ = $crate::error::msg!($($s)+);
        }
        m
    }};
}
#[cfg(feature = "json")]
pub(crate) use msg_before;

/// The member path of element `i` (from 0) of `name`: `` headers[2] `` (for [`msg_at!`]; no
/// `format!`, so the terse build carries no formatting machinery for it).
#[cfg(input_checks)]
pub(crate) fn indexed(name: &str, i: usize) -> String {
    let mut s = String::with_capacity(name.len() + 6);
    push_indexed(&mut s, name, i);
    s
}

/// Appends `` headers[2] ``: the one writer of a position path ([`indexed`], [`indexed_alone`]).
#[cfg(input_checks)]
fn push_indexed(out: &mut String, name: &str, i: usize) {
    out.push_str(name);
    out.push('[');
    crate::encoding::push_decimal(out, i as u64);
    out.push(']');
}

/// `` `path`: sentence ``, or `` `path` `` alone when the sentence is empty (the terse build's).
/// One home of the message layout; the schema reader's path prefixing ([`prefix_path`]) reads it.
#[cfg(member_paths)]
pub(crate) fn at_path(path: &str, sentence: String) -> String {
    let mut m = String::with_capacity(path.len() + sentence.len() + 4);
    m.push('`');
    m.push_str(path);
    m.push('`');
    if !sentence.is_empty() {
        m.push_str(": ");
        m.push_str(&sentence);
    }
    m
}

/// `` `path` ``: [`at_path`] without a sentence (the terse build's [`msg_at!`]).
#[cfg(all(member_paths, terse_errors))]
#[inline(never)]
pub(crate) fn path_alone(path: &str) -> String {
    at_path(path, String::new())
}

/// `` `name[i]` ``: [`path_alone`] of [`indexed`], in one string.
#[cfg(all(input_checks, terse_errors))]
#[inline(never)]
pub(crate) fn indexed_alone(name: &str, i: usize) -> String {
    let mut m = String::with_capacity(name.len() + 8);
    m.push('`');
    push_indexed(&mut m, name, i);
    m.push('`');
    m
}

/// Puts a segment in front of a message's member path: a member's name (`key` before
/// `` `accessKeyId`: … `` gives `` `key.accessKeyId`: … ``) or a position (`key` before
/// `` `[2]`: … `` gives `` `key[2]`: … ``); a message without a path gets `` `key`: `` (or, empty,
/// becomes `` `key` ``).
#[cfg(json_reader)]
pub(crate) fn prefix_path(key: &str, m: String) -> String {
    match m.strip_prefix('`') {
        Some(rest) => {
            let dot = if rest.starts_with('[') { "" } else { "." };
            let mut out = String::with_capacity(key.len() + m.len() + 2);
            out.push('`');
            out.push_str(key);
            out.push_str(dot);
            out.push_str(rest);
            out
        }
        None => at_path(key, m),
    }
}

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

    #[test]
    fn quoted_is_debug_for_ordinary_text() {
        for s in [
            "",
            "plain",
            "a \"quoted\" word",
            "back\\slash",
            "line\nbreak\r\ttab\0nul",
            "bell\u{7}del\u{7f}c1\u{85}",
            "bücher ☃ 日本",
        ] {
            assert_eq!(quoted(s).to_string(), format!("{s:?}"));
        }
    }
}
