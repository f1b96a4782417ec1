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

use crate::error::{Error, Result};
use std::borrow::Cow;

/// The upper-case hex digit of a nibble, as a byte.
#[inline]
fn hex_byte(n: u8) -> u8 {
    b"0123456789ABCDEF"
        .get(usize::from(n & 15))
        .copied()
        .unwrap_or(b'0')
}

/// Per byte: 1 = unreserved (kept everywhere), 2 = `/` (kept in paths), 0 = percent-encoded.
// Built at compile time: an index out of bounds here fails the build, never a run.
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
pub fn encode_component_into(out: &mut String, s: &str) {
    encode_into(out, s, false);
}

/// `s` percent-encoded (everything but unreserved; `/` becomes `%2F`).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    encode_into(&mut out, s, false);
    out
}

/// Appends `s` percent-encoded as a URL path (`/` kept).
pub fn encode_path_into(out: &mut String, s: &str) {
    encode_into(out, s, true);
}

/// `s` percent-encoded as a URL path (`/` kept).
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

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    hex_into(&mut s, bytes);
    s
}

/// Appends lower-case hex.
pub fn hex_into(out: &mut String, bytes: &[u8]) {
    // Converted in chunks on the stack, then appended as ASCII text in one go.
    for chunk in bytes.chunks(32) {
        let buf = hex_chunk(chunk);
        let used = buf.get(..chunk.len() * 2).unwrap_or_default();
        out.push_str(core::str::from_utf8(used).unwrap_or_default());
    }
}

/// The two lower-case hex digits of every byte.
// Built at compile time: an index out of bounds here fails the build, never a run.
#[allow(clippy::indexing_slicing)]
static HEX_PAIRS: [[u8; 2]; 256] = {
    const LOWER: &[u8; 16] = b"0123456789abcdef";
    let mut t = [[0u8; 2]; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = [LOWER[b >> 4], LOWER[b & 15]];
        b += 1;
    }
    t
};

/// Lower-case hex of up to 32 bytes into a stack buffer (the rest stays zero).
fn hex_chunk(chunk: &[u8]) -> [u8; 64] {
    let mut buf = [0u8; 64];
    for (pair, &b) in buf.chunks_exact_mut(2).zip(chunk) {
        if let ([hi, lo], Some([h, l])) = (pair, HEX_PAIRS.get(usize::from(b))) {
            *hi = *h;
            *lo = *l;
        }
    }
    buf
}

/// Lower-case hex of a SHA-256 digest, on the stack (64 ASCII bytes).
pub(crate) fn hex32(bytes: &[u8; 32]) -> [u8; 64] {
    hex_chunk(bytes)
}

/// Appends the decimal digits of `n` (no `format!`/`to_string` on the signing path).
pub fn push_decimal(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut start = buf.len();
    loop {
        start -= 1;
        if let Some(d) = buf.get_mut(start) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || start == 0 {
            break;
        }
    }
    let digits = buf.get(start..).unwrap_or_default();
    out.push_str(core::str::from_utf8(digits).unwrap_or_default());
}

/// The base64 character for the low six bits of `n`.
fn b64_char(n: u32) -> char {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char::from(ALPHABET.get((n & 63) as usize).copied().unwrap_or(b'A'))
}

/// Standard base64 with padding (RFC 4648 §4).
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b0 = chunk.first().copied().unwrap_or(0);
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let n = u32::from(b0) << 16 | u32::from(b1) << 8 | u32::from(b2);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(b64_char(n >> shift));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64 (padding required when the length is not a multiple of 4 is *not*
/// enforced; whitespace is not allowed). Returns `None` on any invalid character.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let t = s.trim_end_matches('=');
    if s.len() - t.len() > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(t.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for c in t.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = acc << 6 | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if bits >= 6 {
        return None;
    }
    Some(out)
}

/// A canonical query string under construction: parameters are encoded on insertion and the
/// output is sorted by encoded name, then encoded value (SigV4 and GOOG4 both specify this).
///
/// The string returned by [`CanonicalQuery::finish`] is both the signed canonical query and the
/// query emitted in the URL.
#[derive(Default, Clone, Debug)]
pub struct CanonicalQuery<'a> {
    pairs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

impl<'a> CanonicalQuery<'a> {
    /// An empty query with room for `n` parameters.
    pub fn with_capacity(n: usize) -> Self {
        CanonicalQuery {
            pairs: Vec::with_capacity(n),
        }
    }

    /// Adds a parameter given raw (unencoded) name and value.
    pub fn push(&mut self, name: &str, value: &str) {
        self.pairs.push((
            Cow::Owned(encode_component(name)),
            Cow::Owned(encode_component(value)),
        ));
    }

    /// Adds a parameter whose name and value are already encoded with this module's rules.
    pub fn push_encoded(&mut self, name: impl Into<Cow<'a, str>>, value: impl Into<Cow<'a, str>>) {
        self.pairs.push((name.into(), value.into()));
    }

    /// Sorts and joins: `a=1&b=2`. Parameters with an empty value are written `name=`.
    /// `extra` bytes of capacity are reserved for what the caller appends (a signature).
    pub fn finish(mut self, extra: usize) -> String {
        sort_by(&mut self.pairs, |a, b| a < b);
        let len: usize = self.pairs.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
        let mut out = String::with_capacity(len + extra);
        for (i, (k, v)) in self.pairs.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(k);
            out.push('=');
            out.push_str(v);
        }
        out
    }
}

/// Canonical headers as SigV4 and GOOG4 define them: names lower-cased and sorted; values with
/// leading/trailing spaces and tabs removed and inner runs collapsed to one space; repeated
/// names joined with `,` in the order given.
///
/// # Errors
/// [`Error::InvalidHeader`] for a name that is empty or has a character outside visible ASCII or
/// a `:` (Google's conformance cases sign names such as `header/name/with/slash`, so the rule is
/// no stricter than the canonical form needs), or a value with a control
/// character (CR and LF included) or a non-ASCII character. The message names the header by its
/// position (`headers[2]`), never its name or value.
pub fn canonical_headers<'h>(
    headers: impl IntoIterator<Item = (&'h str, &'h str)>,
) -> Result<Vec<(String, String)>> {
    let headers = headers.into_iter();
    // One spare slot: callers insert `host`.
    let mut out: Vec<(String, String)> = Vec::with_capacity(headers.size_hint().0 + 1);
    for (i, (name, value)) in headers.enumerate() {
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic() && b != b':') {
            return Err(Error::InvalidHeader(format!(
                "`headers[{i}]`: the name must be visible ASCII without ':'"
            )));
        }
        // One pass: the first forbidden byte, and whether any whitespace needs collapsing
        // (a tab, a leading, trailing or repeated space).
        let mut bad = None;
        let mut untidy = false;
        let mut after_space = true;
        for b in value.bytes() {
            if (b < 0x20 && b != b'\t') || b >= 0x7f {
                bad = Some(b);
                break;
            }
            untidy |= b == b'\t' || (b == b' ' && after_space);
            after_space = b == b' ';
        }
        untidy |= after_space && !value.is_empty();
        if let Some(bad) = bad {
            let what = match bad {
                b'\r' | b'\n' => "a CR or LF",
                b if b >= 0x80 => {
                    "a non-ASCII character (encode it, e.g. percent- or RFC 2047-encoding)"
                }
                _ => "a control character",
            };
            return Err(Error::InvalidHeader(format!(
                "`headers[{i}]`: the value contains {what}"
            )));
        }
        let value = if untidy {
            collapse_whitespace(value)
        } else {
            value.to_owned()
        };
        out.push((name.to_ascii_lowercase(), value));
    }
    sort_by(&mut out, |a, b| a.0 < b.0);
    out.dedup_by(|later, earlier| {
        if later.0 == earlier.0 {
            earlier.1.push(',');
            earlier.1.push_str(&later.1);
            true
        } else {
            false
        }
    });
    Ok(out)
}

/// Trims spaces and tabs at both ends and collapses inner runs to a single space.
fn collapse_whitespace(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for word in v.split([' ', '\t']).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Appends `name=value` with `value` percent-encoded, preceded by `&` unless `out` is empty.
pub fn append_param(out: &mut String, name: &str, value: &str) {
    if !out.is_empty() {
        out.push('&');
    }
    out.push_str(name);
    out.push('=');
    encode_component_into(out, value);
}

/// Decodes lower- or upper-case hex. Returns `None` for an odd length or a non-hex character.
pub fn hex_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return None;
    }
    b.chunks_exact(2)
        .map(|pair| match pair {
            [hi, lo] => Some(hex_val(*hi)? << 4 | hex_val(*lo)?),
            _ => None,
        })
        .collect()
}

/// Splits a raw URL query (`a=1&b=%20&c`, without the `?`) into decoded `(name, value)` pairs,
/// in order: `%XX` escapes decoded with [`percent_decode`] (`+` stays `+`), a part without `=`
/// has the empty value, empty parts (`a=1&&b=2`) are skipped. Returns `None` for a malformed
/// escape or text that is not UTF-8 once decoded.
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

/// The byte offset of the first `pat` in `s`, as `s.find(pat)` gives it, by a plain scan:
/// `str`'s substring searcher costs kilobytes in the wasm build, and the haystacks here are
/// short (endpoints, origins, keys).
pub(crate) fn find_str(s: &str, pat: &str) -> Option<usize> {
    let (s, p) = (s.as_bytes(), pat.as_bytes());
    (0..=s.len().checked_sub(p.len())?).find(|&i| s.get(i..i + p.len()) == Some(p))
}

/// `s.split_once(sep)` (or `s.rsplit_once(sep)` with `last`) for an ASCII `sep`, by a byte
/// scan: `str`'s char searchers (and `memchr`/`memrchr` behind them) cost over a kilobyte of
/// wasm. For short, cold inputs (endpoints, names, connection strings).
pub(crate) fn split_once_byte(s: &str, sep: u8, last: bool) -> Option<(&str, &str)> {
    let mut found = None;
    for (i, b) in s.bytes().enumerate() {
        if b == sep {
            found = Some(i);
            if !last {
                break;
            }
        }
    }
    let i = found?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// `s.split(sep)` for an ASCII `sep`, by a byte scan (see [`split_once_byte`]).
pub(crate) fn split_byte(s: &str, sep: u8) -> SplitByte<'_> {
    SplitByte { rest: Some(s), sep }
}

/// See [`split_byte`].
pub(crate) struct SplitByte<'a> {
    rest: Option<&'a str>,
    sep: u8,
}

impl<'a> Iterator for SplitByte<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        let s = self.rest?;
        match split_once_byte(s, self.sep, false) {
            Some((part, rest)) => {
                self.rest = Some(rest);
                Some(part)
            }
            None => {
                self.rest = None;
                Some(s)
            }
        }
    }
}

/// `parts.concat()`: see [`join`].
pub(crate) fn concat(parts: &[&str]) -> String {
    join(parts, "")
}

/// `parts.join(sep)`, as a plain loop: the standard library's generic join costs over a
/// kilobyte of wasm per element type.
pub(crate) fn join<S: AsRef<str>>(parts: &[S], sep: &str) -> String {
    let len = parts.iter().map(|p| p.as_ref().len() + sep.len()).sum();
    let mut out = String::with_capacity(len);
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(p.as_ref());
    }
    out
}

/// The crate's one sort, stable, for the short lists signing deals with (headers, query
/// parameters, policy fields, CORS lists): binary insertion, O(n log n) comparisons (and
/// O(n²) swaps). The standard library's sorts are fast on long inputs but cost kilobytes of code
/// per element type in the wasm build; these lists hold a handful of items.
pub fn sort_by<T>(v: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    for i in 1..v.len() {
        // Binary search for the slot after every element not greater than `v[i]` (equal
        // elements keep their order), then swaps down to it: written out rather than
        // `partition_point` + `rotate_right`, whose generic code costs hundreds of bytes of
        // wasm per element type.
        let (mut lo, mut hi) = (0, i);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match (v.get(i), v.get(mid)) {
                (Some(x), Some(y)) if !less(x, y) => lo = mid + 1,
                _ => hi = mid,
            }
        }
        for j in (lo..i).rev() {
            v.swap(j, j + 1);
        }
    }
}

/// The index of the first byte of `b` that a JSON string cannot hold as it is (`"`, `\\` or a
/// control character below 0x20), or `b.len()`. Eight bytes at a time: the reader and the
/// writer of JSON spend most of their time here.
pub(crate) fn json_special(b: &[u8]) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let x = u64::from_le_bytes(w);
        // A byte is zero in `y` iff it equals the pattern byte; `(y - LO) & !y & HI` flags zero
        // bytes (and may flag bytes above a real hit — only the lowest flag is used).
        let quote = x ^ (LO * u64::from(b'"'));
        let backslash = x ^ (LO * u64::from(b'\\'));
        let hit = (quote.wrapping_sub(LO) & !quote)
            | (backslash.wrapping_sub(LO) & !backslash)
            | (x.wrapping_sub(LO * 0x20) & !x);
        let hit = hit & HI;
        if hit != 0 {
            return i + (hit.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + b
        .get(i..)
        .unwrap_or_default()
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        .unwrap_or(b.len() - i)
}

/// Appends `s` as a JSON string, quotes included — the one JSON string escaper (results, errors,
/// POST policy documents). `"` `\` and control characters are escaped (`\b \f \n \r \t`, else
/// `\u00xx`); with `ascii`, every character outside space..`~` is escaped as UTF-16 `\uxxxx`
/// units too (Python's `json.dumps` default, which the clouds' policy documents are signed in).
pub fn json_string_into(out: &mut String, s: &str, ascii: bool) {
    fn unit(out: &mut String, u: u32) {
        out.push_str("\\u");
        for shift in [12, 8, 4, 0] {
            out.push(char::from_digit((u >> shift) & 15, 16).unwrap_or('0'));
        }
    }
    out.reserve(s.len() + 2);
    out.push('"');
    if !ascii {
        // Only ASCII bytes are ever escaped here, so whole runs between them are copied.
        let mut rest = s;
        loop {
            let n = json_special(rest.as_bytes());
            out.push_str(rest.get(..n).unwrap_or_default());
            let Some(c) = rest.get(n..).and_then(|r| r.chars().next()) else {
                break;
            };
            push_escape(out, c, unit);
            rest = rest.get(n + 1..).unwrap_or_default();
        }
    } else {
        for c in s.chars() {
            if (' '..='~').contains(&c) && c != '"' && c != '\\' {
                out.push(c);
            } else if c.is_ascii_control() || c == '"' || c == '\\' {
                push_escape(out, c, unit);
            } else {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    unit(out, u32::from(*u));
                }
            }
        }
    }
    out.push('"');
}

/// The escape of `"`, `\` or an ASCII control character.
fn push_escape(out: &mut String, c: char, unit: fn(&mut String, u32)) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        _ => unit(out, u32::from(c)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_str_join_concat_are_std_s() {
        use proptest::prelude::*;
        proptest!(ProptestConfig::with_cases(5_000), |(s in "[:/aé]{0,12}", p in "[:/aé]{0,3}")| {
            prop_assert_eq!(find_str(&s, &p), s.find(p.as_str()));
        });
        proptest!(|(v in proptest::collection::vec("[aé,]{0,3}", 0..5), sep in "[,;]{0,2}")| {
            prop_assert_eq!(join(&v, &sep), v.join(sep.as_str()));
            let refs: Vec<&str> = v.iter().map(String::as_str).collect();
            prop_assert_eq!(concat(&refs), v.concat());
        });
        proptest!(ProptestConfig::with_cases(5_000), |(s in "[:.aé日]{0,12}", sep in "[:.]")| {
            let (sep_b, sep_c) = (sep.as_bytes()[0], sep.chars().next().unwrap());
            prop_assert_eq!(split_once_byte(&s, sep_b, false), s.split_once(sep_c));
            prop_assert_eq!(split_once_byte(&s, sep_b, true), s.rsplit_once(sep_c));
            prop_assert_eq!(
                split_byte(&s, sep_b).collect::<Vec<_>>(),
                s.split(sep_c).collect::<Vec<_>>()
            );
        });
    }

    #[test]
    fn sort_by_is_a_stable_sort() {
        // Against the standard library's stable sort, on every permutation-ish input.
        let mut seed = 7u64;
        for n in 0..40 {
            let mut v: Vec<(u8, usize)> = (0..n)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((seed >> 60) as u8, i)
                })
                .collect();
            let mut want = v.clone();
            want.sort_by_key(|p| p.0);
            sort_by(&mut v, |a, b| a.0 < b.0);
            assert_eq!(v, want);
        }
    }

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

    #[test]
    fn base64_rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, enc) in cases {
            assert_eq!(base64(plain.as_bytes()), enc);
            assert_eq!(base64_decode(enc).unwrap(), plain.as_bytes());
        }
        assert_eq!(base64_decode("Zm9v!"), None);
        assert_eq!(base64_decode("Z"), None);
    }

    #[test]
    fn decimal_digits_match_std() {
        for n in [0, 1, 9, 10, 99, 3600, 604_800, 1_000_000_007, u64::MAX] {
            let mut s = String::from("x=");
            push_decimal(&mut s, n);
            assert_eq!(s, format!("x={n}"));
        }
    }

    #[test]
    fn hex_is_lower_case() {
        assert_eq!(hex(&[0x00, 0xab, 0xff]), "00abff");
    }

    #[test]
    fn hex_decode_inverts_hex_and_refuses_junk() {
        assert_eq!(hex_decode("00abFF").unwrap(), [0x00, 0xab, 0xff]);
        assert_eq!(hex_decode("").unwrap(), Vec::<u8>::new());
        assert_eq!(hex_decode("abc"), None);
        assert_eq!(hex_decode("zz"), None);
    }

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

    #[test]
    fn canonical_query_sorts_encoded_names_then_values() {
        let mut q = CanonicalQuery::default();
        q.push("b", "2");
        q.push("a-b", "x");
        q.push("a", "2");
        q.push("a", "1");
        q.push("ሴ", "v");
        q.push("uploads", "");
        assert_eq!(q.finish(0), "%E1%88%B4=v&a=1&a=2&a-b=x&b=2&uploads=");
    }

    #[test]
    fn canonical_headers_trim_collapse_sort_and_join() {
        let h = canonical_headers([
            ("My-Header2", "  \"a   b\t\tc\"  "),
            ("my-header1", "value2"),
            ("Host", "example.com"),
            ("MY-HEADER1", "value1"),
            ("x-empty", ""),
        ])
        .unwrap();
        let got: Vec<(&str, &str)> = h.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(
            got,
            [
                ("host", "example.com"),
                ("my-header1", "value2,value1"),
                ("my-header2", "\"a b c\""),
                ("x-empty", "")
            ]
        );
    }

    #[test]
    fn canonical_headers_reject_injection() {
        for (n, v) in [
            ("x-a", "a\r\nx-b: c"),
            ("x-a", "a\nb"),
            ("x-a", "\u{0}"),
            ("x-a", "é"),
            ("x a", "v"),
            ("x:a", "v"),
            ("xé", "v"),
            ("", "v"),
            ("x-a\r\n", "v"),
        ] {
            let e = canonical_headers([(n, v)]).unwrap_err();
            assert_eq!(e.code(), "INVALID_HEADER");
            assert!(
                !e.message().contains(v) || v.is_empty() || v == "v",
                "value leaked: {e}"
            );
        }
    }
}
