//! The only file that touches `hmac` / `sha2` (RustCrypto, `default-features = false`) and, with
//! the `gcs-rsa` feature, AWS-LC's RSA ([`RsaKey`]).
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

// --- RSA (feature `gcs-rsa`): GOOG4-RSA-SHA256 signatures; kept apart from the HMAC code ---
#[cfg(feature = "gcs-rsa")]
pub use self::rsa_pkcs1::RsaKey;

#[cfg(feature = "gcs-rsa")]
mod rsa_pkcs1 {
    use crate::error::{Error, Result};
    use zeroize::Zeroizing;

    /// An RSA private key ready to sign (RSASSA-PKCS1-v1_5 with SHA-256), backed by `aws-lc-rs`
    /// (AWS-LC: constant-time, blinded; measured 2.3x faster than `ring` for RSA-2048 here).
    /// Parse once and reuse: parsing costs about a tenth of a signature.
    /// `Debug` prints no key material.
    pub struct RsaKey {
        pair: aws_lc_rs::rsa::KeyPair,
        rng: aws_lc_rs::rand::SystemRandom,
    }

    impl RsaKey {
        /// Parses a PEM private key: `-----BEGIN PRIVATE KEY-----` (PKCS#8, what Google's
        /// service-account JSON holds) or `-----BEGIN RSA PRIVATE KEY-----` (PKCS#1). A key pasted
        /// with literal `\n` escapes instead of line breaks is accepted too.
        ///
        /// # Errors
        /// [`Error::InvalidCredentials`] for anything that is not an RSA key of 2048–8192 bits. The
        /// message never contains key material.
        pub fn from_pem(pem: &str) -> Result<Self> {
            let bad = |why: &str| Error::InvalidCredentials(format!("the private key {why}"));
            let text = if pem.contains('\n') {
                Zeroizing::new(pem.to_owned())
            } else {
                Zeroizing::new(pem.replace("\\n", "\n"))
            };
            let mut label = None;
            let mut body = Zeroizing::new(String::with_capacity(text.len()));
            let mut ended = false;
            for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                if let Some(l) = line
                    .strip_prefix("-----BEGIN ")
                    .and_then(|l| l.strip_suffix("-----"))
                {
                    if label.is_some() {
                        return Err(bad("has more than one PEM block"));
                    }
                    label = Some(l.to_owned());
                } else if line.starts_with("-----END ") {
                    ended = true;
                    break;
                } else if label.is_some() {
                    body.push_str(line);
                }
            }
            let label = label.ok_or_else(|| bad("is not PEM (no -----BEGIN line)"))?;
            if !ended {
                return Err(bad("is not PEM (no -----END line)"));
            }
            let der = Zeroizing::new(
                crate::encoding::base64_decode(&body)
                    .ok_or_else(|| bad("has invalid base64 in its PEM body"))?,
            );
            let parsed = match label.as_str() {
                "PRIVATE KEY" => aws_lc_rs::rsa::KeyPair::from_pkcs8(&der),
                "RSA PRIVATE KEY" => aws_lc_rs::rsa::KeyPair::from_der(&der),
                _ => {
                    return Err(bad(
                        "must be PEM \"PRIVATE KEY\" (PKCS#8) or \"RSA PRIVATE KEY\"",
                    ))
                }
            };
            let pair = parsed.map_err(|e| {
                bad(&format!(
                    "is not a usable RSA key ({e}; 2048-8192 bits are supported)"
                ))
            })?;
            Ok(RsaKey {
                pair,
                rng: aws_lc_rs::rand::SystemRandom::new(),
            })
        }

        /// RSASSA-PKCS1-v1_5 / SHA-256 signature of `msg` (deterministic for a given key and
        /// message; AWS-LC blinds the private-key operation).
        ///
        /// # Errors
        /// [`Error::InvalidCredentials`] if AWS-LC refuses to sign (it does not for a parsed key).
        pub fn sign_pkcs1_sha256(&self, msg: &[u8]) -> Result<Vec<u8>> {
            let mut sig = vec![0u8; self.pair.public_modulus_len()];
            self.pair
                .sign(
                    &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                    &self.rng,
                    msg,
                    &mut sig,
                )
                .map_err(|_| Error::InvalidCredentials("RSA signing failed".into()))?;
            Ok(sig)
        }

        /// The modulus size in bytes (the signature's length).
        pub fn modulus_len(&self) -> usize {
            self.pair.public_modulus_len()
        }
    }

    impl core::fmt::Debug for RsaKey {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            write!(f, "RsaKey({} bits, <redacted>)", self.modulus_len() * 8)
        }
    }
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
