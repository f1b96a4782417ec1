//! The only percent-encoding, hex and base64 code in the crate, and the canonical query builder.
//!
//! # The encoding contract
//! - Every byte outside RFC 3986 *unreserved* (`A-Z a-z 0-9 - _ . ~`) is written as `%XX` with
//!   upper-case hex, byte by byte of the UTF-8 text. Nothing is normalised: NFC and NFD stay
//!   different, `+` is `%2B`, a space is `%20`, `%` is `%25`.
//! - In a path, `/` is kept; everything else follows the rule above ([`encode_path`]).
//! - The canonical query is built once, sorted by encoded name then encoded value
//!   ([`CanonicalQuery`]), and the *same* string is signed and emitted in the URL — there is no
//!   second encoder that could drift from the signed one.

use crate::prelude::*;

#[cfg(sigv4)]
mod canonical;
mod codec;
#[cfg(any(json_reader, json_writer))]
mod json;

#[cfg(sigv4)]
pub use canonical::{canonical_headers, CanonicalQuery};
#[cfg(hex_decoder)]
pub use codec::hex_decode;
#[cfg(url_signer)]
pub(crate) use codec::parse_decimal;
#[cfg(member_paths)]
pub use codec::push_decimal;
#[cfg(hashing)]
pub use codec::{base64, base64_decode, hex};
#[cfg(sigv4)]
pub(crate) use codec::{hex32, hex_into};
#[cfg(json_reader)]
pub(crate) use json::json_special;
#[cfg(json_writer)]
pub use json::json_string_into;

/// The upper-case hex digit of a nibble, as a byte.
#[inline]
#[cfg(url_signer)]
fn hex_byte(n: u8) -> u8 {
    b"0123456789ABCDEF"
        .get(usize::from(n & 15))
        .copied()
        .unwrap_or(b'0')
}

/// Per byte: 1 = unreserved (kept everywhere), 2 = `/` (kept in paths), 0 = percent-encoded.
// Built at compile time: an index out of bounds here fails the build, never a run.
#[cfg(url_signer)]
#[allow(clippy::indexing_slicing)]
static KEEP: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.' || c == b'~' {
            t[b] = 1;
        }
        b += 1;
    }
    t[b'/' as usize] = 2;
    t
};

#[cfg(url_signer)]
fn encode_into(out: &mut String, s: &str, keep_slash: bool) {
    // KEEP 1 → 0 < keep: always kept; KEEP 2 → 1 < keep: kept in paths; KEEP 0 → 255.
    let keep = if keep_slash { 2 } else { 1 };
    let escaped = |b: u8| {
        KEEP.get(usize::from(b))
            .copied()
            .unwrap_or(0)
            .wrapping_sub(1)
            >= keep
    };
    let bytes = s.as_bytes();
    // Copy runs of bytes that stay as they are in one go; runs are ASCII, so their ends are
    // character boundaries.
    let mut run = 0;
    while let Some(i) = bytes
        .get(run..)
        .and_then(|rest| rest.iter().position(|&b| escaped(b)))
        .map(|off| run + off)
    {
        if run == 0 {
            out.reserve(s.len() + s.len() / 2);
        }
        out.push_str(s.get(run..i).unwrap_or_default());
        let b = bytes.get(i).copied().unwrap_or(0);
        out.push('%');
        out.push(char::from(hex_byte(b >> 4)));
        out.push(char::from(hex_byte(b & 15)));
        run = i + 1;
    }
    out.push_str(s.get(run..).unwrap_or_default());
}

/// Appends `s` percent-encoded (everything but unreserved; `/` becomes `%2F`).
#[cfg(url_signer)]
pub fn encode_component_into(out: &mut String, s: &str) {
    encode_into(out, s, false);
}

/// `s` percent-encoded (everything but unreserved; `/` becomes `%2F`).
#[cfg(sigv4)]
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    encode_into(&mut out, s, false);
    out
}

/// Appends `s` percent-encoded as a URL path (`/` kept).
#[cfg(url_signer)]
pub fn encode_path_into(out: &mut String, s: &str) {
    encode_into(out, s, true);
}

/// `s` percent-encoded as a URL path (`/` kept).
#[cfg(url_signer)]
pub fn encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    encode_into(&mut out, s, true);
    out
}

/// Decodes `%XX` escapes (and nothing else: `+` stays `+`). Returns `None` for a malformed
/// escape or bytes that are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hi = hex_val(*b.get(i + 1)?)?;
            let lo = hex_val(*b.get(i + 2)?)?;
            out.push(hi << 4 | lo);
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub(super) fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Appends `name=value` with `value` percent-encoded, preceded by `&` unless `out` is empty.
#[cfg(any(feature = "azure", test))]
pub fn append_param(out: &mut String, name: &str, value: &str) {
    if !out.is_empty() {
        out.push('&');
    }
    out.push_str(name);
    out.push('=');
    encode_component_into(out, value);
}

/// Splits a raw URL query (`a=1&b=%20&c`, without the `?`) into decoded `(name, value)` pairs,
/// in order: `%XX` escapes decoded with [`percent_decode`] (`+` stays `+`), a part without `=`
/// has the empty value, empty parts (`a=1&&b=2`) are skipped. Returns `None` for a malformed
/// escape or text that is not UTF-8 once decoded. (The verifier's, and the GCS upload steps' seam
/// for keys signed outside the crate; tests read bodies with it.)
#[cfg(any(feature = "verify", gcs_upload, all(test, feature = "azure")))]
pub fn split_query(query: &str) -> Option<Vec<(String, String)>> {
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            Some((percent_decode(name)?, percent_decode(value)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_encoding_matches_rfc3986_unreserved() {
        assert_eq!(encode_component("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(encode_component("a b+c=d/e"), "a%20b%2Bc%3Dd%2Fe");
        assert_eq!(encode_component("%?#!*'()"), "%25%3F%23%21%2A%27%28%29");
        assert_eq!(encode_component("ሴ"), "%E1%88%B4");
        assert_eq!(encode_path("/a b/ሴ/"), "/a%20b/%E1%88%B4/");
    }

    #[test]
    fn decode_inverts_encode() {
        for s in ["", "plain", "a b+c", "%41", "ሴ/é\u{301}", "\u{0}\u{7f}"] {
            assert_eq!(percent_decode(&encode_component(s)).as_deref(), Some(s));
            assert_eq!(percent_decode(&encode_path(s)).as_deref(), Some(s));
        }
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%FF"), None);
        assert_eq!(percent_decode("a+b").as_deref(), Some("a+b"));
    }

    #[cfg(any(feature = "verify", feature = "azure"))]
    #[test]
    fn split_query_decodes_pairs_in_order() {
        let q = split_query("b=%20x&&uploads&a=1%2B2=3&=v").unwrap();
        let pairs: Vec<(&str, &str)> = q.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(
            pairs,
            [("b", " x"), ("uploads", ""), ("a", "1+2=3"), ("", "v")]
        );
        assert_eq!(split_query("a=%4"), None);
        assert_eq!(split_query("a=%FF"), None);
        assert_eq!(
            split_query("a+b=c+d").unwrap(),
            [("a+b".into(), "c+d".into())]
        );
    }
}
