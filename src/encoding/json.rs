//! The one JSON string escaper (results, errors, POST policy documents, CORS rules), and the scan
//! the JSON reader shares with it.

#[cfg(json_writer)]
use crate::prelude::*;

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
#[cfg(json_writer)]
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
#[cfg(json_writer)]
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
