//! The only file that touches `hmac` / `sha2` (RustCrypto, `default-features = false`).
//!
//! [`HmacKey`] keeps the HMAC state *after* the key has been absorbed (the inner and outer pad
//! blocks already compressed), so signing a string with a cached key costs only the blocks of
//! the message itself.

use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = hmac::Hmac<Sha256>;

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// HMAC-SHA256 of `data` under `key`.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    HmacKey::new(key).sign(data)
}

/// A keyed HMAC-SHA256 state, ready to sign many messages.
#[derive(Clone)]
pub struct HmacKey(HmacSha256);

impl HmacKey {
    /// Absorbs `key` (any length: HMAC hashes keys longer than a block).
    pub fn new(key: &[u8]) -> Self {
        // `new_from_slice` accepts every key length for HMAC; the error arm is unreachable, but we
        // keep the library free of panics and fall back to the equivalent pre-hashed key.
        match HmacSha256::new_from_slice(key) {
            Ok(m) => HmacKey(m),
            Err(_) => {
                let mut block = [0u8; 64];
                for (b, h) in block.iter_mut().zip(sha256(key)) {
                    *b = h;
                }
                HmacKey(HmacSha256::new(&block.into()))
            }
        }
    }

    /// HMAC of `data`.
    pub fn sign(&self, data: &[u8]) -> [u8; 32] {
        let mut m = self.0.clone();
        m.update(data);
        m.finalize().into_bytes().into()
    }

    /// HMAC of the concatenation of `parts` (no copy into one buffer).
    pub fn sign_parts(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut m = self.0.clone();
        for p in parts {
            m.update(p);
        }
        m.finalize().into_bytes().into()
    }
}

impl core::fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("HmacKey(<redacted>)")
    }
}

/// Compares two byte strings in time independent of where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        diff |= x ^ y;
    }
    core::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::hex;

    #[test]
    fn sha256_of_empty_string() {
        assert_eq!(
            hex(&sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    // RFC 4231 test cases 1 and 6 (key longer than the block size).
    #[test]
    fn hmac_rfc4231() {
        assert_eq!(
            hex(&hmac_sha256(&[0x0b; 20], b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex(&hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
        let k = HmacKey::new(&[0x0b; 20]);
        assert_eq!(k.sign_parts(&[b"Hi ", b"There"]), k.sign(b"Hi There"));
    }

    #[test]
    fn constant_time_eq_compares() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
