//! The canonical query and canonical headers of SigV4 and GOOG4: built once, signed and
//! emitted as the same string.

use super::encode_component;
use crate::error::{indexed, msg_at};
use crate::error::{Error, Result};
use crate::prelude::*;
use crate::text::sort_by;
use alloc::borrow::Cow;

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
            return Err(Error::InvalidHeader(msg_at!(
                &indexed("headers", i),
                "the name must be visible ASCII without ':'"
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
            return Err(Error::InvalidHeader(msg_at!(
                &indexed("headers", i),
                "the value contains {what}"
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

#[cfg(test)]
mod tests {
    use super::*;

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
