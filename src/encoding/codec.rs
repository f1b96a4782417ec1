//! Hex, base64 and decimal digits: the crate's only codecs of bytes as text.

#[cfg(any(hashing, member_paths, hex_decoder))]
use crate::prelude::*;

/// Lower-case hex.
#[cfg(hashing)]
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    hex_into(&mut s, bytes);
    s
}

/// Appends lower-case hex.
#[cfg(hashing)]
pub fn hex_into(out: &mut String, bytes: &[u8]) {
    // Converted in chunks on the stack, then appended as ASCII text in one go.
    for chunk in bytes.chunks(32) {
        let buf = hex_chunk(chunk);
        let used = buf.get(..chunk.len() * 2).unwrap_or_default();
        out.push_str(core::str::from_utf8(used).unwrap_or_default());
    }
}

/// The two lower-case hex digits of every byte (the speed builds: a table lookup per byte).
// Built at compile time: an index out of bounds here fails the build, never a run.
#[cfg(all(hashing, not(no_std_wasm)))]
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

/// The two lower-case hex digits of `b`.
#[cfg(all(hashing, not(no_std_wasm)))]
fn hex_pair(b: u8) -> [u8; 2] {
    HEX_PAIRS.get(usize::from(b)).copied().unwrap_or_default()
}

/// The two lower-case hex digits of `b` (the browser builds: computed, no 512-byte table).
#[cfg(all(hashing, no_std_wasm))]
use hex_digits as hex_pair;

/// The two lower-case hex digits of `b`, computed.
#[cfg(all(hashing, any(no_std_wasm, test)))]
fn hex_digits(b: u8) -> [u8; 2] {
    let digit = |n: u8| if n < 10 { b'0' + n } else { b'a' - 10 + n };
    [digit(b >> 4), digit(b & 15)]
}

/// Lower-case hex of up to 32 bytes into a stack buffer (the rest stays zero).
#[cfg(hashing)]
fn hex_chunk(chunk: &[u8]) -> [u8; 64] {
    let mut buf = [0u8; 64];
    for (pair, &b) in buf.chunks_exact_mut(2).zip(chunk) {
        pair.copy_from_slice(&hex_pair(b));
    }
    buf
}

/// Lower-case hex of a SHA-256 digest, on the stack (64 ASCII bytes).
#[cfg(sigv4)]
pub(crate) fn hex32(bytes: &[u8; 32]) -> [u8; 64] {
    hex_chunk(bytes)
}

/// Appends the decimal digits of `n` (no `format!`/`to_string` on the signing path).
#[cfg(member_paths)]
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
    // The digits written, from `start` on: ASCII, one char each.
    for &d in buf.iter().skip(start) {
        out.push(char::from(d));
    }
}

/// The number `s` writes in decimal digits (one or more, nothing else: no sign, no space), if
/// `T` holds it: the crate's one integer reader, instead of core's `str::parse` per type.
#[cfg(url_signer)]
pub(crate) fn parse_decimal<T: TryFrom<u64>>(s: &str) -> Option<T> {
    let mut n = 0u64;
    for b in s.bytes() {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    if s.is_empty() {
        return None;
    }
    T::try_from(n).ok()
}

/// The base64 character for the low six bits of `n`.
#[cfg(hashing)]
fn b64_char(n: u32) -> char {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char::from(ALPHABET.get((n & 63) as usize).copied().unwrap_or(b'A'))
}

/// Standard base64 with padding (RFC 4648 §4).
#[cfg(hashing)]
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
#[cfg(hashing)]
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

/// Decodes lower- or upper-case hex. Returns `None` for an odd length or a non-hex character.
/// (SigV4a signatures, and the verifier's RSA signatures.)
#[cfg(hex_decoder)]
pub fn hex_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return None;
    }
    b.chunks_exact(2)
        .map(|pair| match pair {
            [hi, lo] => Some(super::hex_val(*hi)? << 4 | super::hex_val(*lo)?),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(hashing)]
    fn both_hex_digit_writers_are_format_s() {
        for b in 0..=255u8 {
            let want = format!("{b:02x}");
            assert_eq!(hex_pair(b), want.as_bytes(), "{b}");
            assert_eq!(hex_digits(b), want.as_bytes(), "{b}");
        }
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

    #[cfg(hex_decoder)]
    #[test]
    fn hex_decode_inverts_hex_and_refuses_junk() {
        assert_eq!(hex_decode("00abFF").unwrap(), [0x00, 0xab, 0xff]);
        assert_eq!(hex_decode("").unwrap(), Vec::<u8>::new());
        assert_eq!(hex_decode("abc"), None);
        assert_eq!(hex_decode("zz"), None);
    }
}
