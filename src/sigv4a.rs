//! SigV4a (`AWS4-ECDSA-P256-SHA256`): the asymmetric V4 signature AWS asks for where one request
//! may be served in several regions — S3 Multi-Region Access Points above all. Cargo feature
//! `sigv4a`.
//!
//! The canonical request and string to sign are SigV4's (the SigV4 layer's `prepare` with
//! [`AWS4_ECDSA_P256_SHA256`]), with two differences the scheme carries: the credential scope has
//! no region (`{date}/{service}/aws4_request`), and the signed `X-Amz-Region-Set` parameter names
//! the regions (`*`, or a comma-separated list; the signing `Auth`'s region holds it).
//!
//! The key is not an HMAC chain but an ECDSA P-256 private key derived once from the access key
//! id and the secret ([`SigningKey::derive`]): NIST SP 800-108 counter-mode KDF with HMAC-SHA256,
//! keyed with `AWS4A` + secret, label `AWS4-ECDSA-P256-SHA256`, context = access key id followed
//! by a one-byte external counter (1, 2, …); the 256-bit output `c` is accepted when
//! `c ≤ n − 2` (`n` the curve order) and the private key is `c + 1`, otherwise the counter goes
//! up. It does not depend on the date, region or service, so one key serves every URL of a
//! credential ([`KeyCache`] keeps it).
//!
//! The signature is ECDSA P-256 over SHA-256 of the string to sign, DER-encoded, in lower-case
//! hex. Ours is deterministic (RFC 6979, low `s`): the same inputs give the same URL, and the same
//! bytes as the AWS SDK for JavaScript's signer (@smithy/signature-v4a, also RFC 6979 and low `s`).
//! The CRT (aws-c-auth: botocore, the other SDKs) draws a random nonce, so its signatures differ
//! from ours and from one another; any of them verifies under the public key
//! ([`PublicKey::verify_hex`], which takes either `s`).
//!
//! Spec: AWS's SigV4a description in the IAM user guide
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html>)
//! and the reference implementation in aws-c-auth (`source/key_derivation.c`).

use crate::cache;
use crate::crypto::HmacKey;
use crate::encoding::{hex, hex_decode};
use crate::error::msg;
use crate::error::{Error, Result};
use crate::prelude::*;
use crate::sigv4::{self, Auth, Request, Signed};
use alloc::sync::Arc;
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{DerSignature, VerifyingKey};
use zeroize::Zeroizing;

pub use crate::sigv4::{AWS4_ECDSA_P256_SHA256, REGION_SET_PARAM};

/// The region set when none is given: every region.
pub const ANY_REGION: &str = "*";

/// The KDF's label (the algorithm's name) and the prefix of its key.
const LABEL: &[u8] = b"AWS4-ECDSA-P256-SHA256";
const KEY_PREFIX: &str = "AWS4A";
/// The last counter aws-c-auth tries; an output above `n - 2` has probability about 2^-32, so
/// the first counter almost always succeeds.
const MAX_COUNTER: u8 = 254;

/// The ECDSA P-256 private key SigV4a signs with, derived from AWS credentials. `Debug` prints
/// nothing of the key; the key is zeroed when dropped.
#[derive(Clone)]
pub struct SigningKey(p256::ecdsa::SigningKey);

impl core::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SigningKey(..)")
    }
}

impl SigningKey {
    /// Derives the key of (`access_key_id`, `secret_access_key`), as AWS does (see the module
    /// documentation).
    ///
    /// # Errors
    /// [`Error::InvalidCredentials`] if no counter gives a key (never seen: each try fails with
    /// probability about 2^-32).
    pub fn derive(access_key_id: &str, secret_access_key: &str) -> Result<Self> {
        let mut k = Zeroizing::new(Vec::with_capacity(
            KEY_PREFIX.len() + secret_access_key.len(),
        ));
        k.extend_from_slice(KEY_PREFIX.as_bytes());
        k.extend_from_slice(secret_access_key.as_bytes());
        let prf = HmacKey::new(&k);
        for counter in 1..=MAX_COUNTER {
            // Fixed input (SP 800-108): i = 1 (one block), label, 0x00, context (the access key
            // id and the external counter), L = 256 bits; all integers big-endian.
            let mut c = Zeroizing::new(prf.sign_parts(&[
                &1u32.to_be_bytes(),
                LABEL,
                &[0],
                access_key_id.as_bytes(),
                &[counter],
                &256u32.to_be_bytes(),
            ]));
            // c ≤ n − 2 exactly when c + 1 (without wrapping) is a valid non-zero scalar, < n:
            // add one, and let the curve's constant-time range check decide.
            let wrapped = add_one(&mut c);
            if wrapped {
                continue;
            }
            if let Ok(key) = p256::ecdsa::SigningKey::from_slice(&*c) {
                return Ok(SigningKey(key));
            }
        }
        Err(Error::InvalidCredentials(msg!(
            "no SigV4a key can be derived from these credentials"
        )))
    }

    /// The public key, which verifies this key's signatures.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(*self.0.verifying_key())
    }

    /// The SigV4a signature of `string_to_sign`: ECDSA P-256 over its SHA-256, RFC 6979
    /// deterministic, `s` in the lower half of the order (as the AWS SDK for JavaScript's signer
    /// writes it, so the two give the same bytes), DER-encoded, lower-case hex.
    ///
    /// # Errors
    /// [`Error::InvalidCredentials`] if the signer fails (it does not for a valid key).
    pub fn sign_hex(&self, string_to_sign: &[u8]) -> Result<String> {
        let sig: p256::ecdsa::Signature = self
            .0
            .try_sign(string_to_sign)
            .map_err(|_| Error::InvalidCredentials(msg!("the SigV4a signature failed")))?;
        Ok(hex(sig.normalize_s().to_der().as_bytes()))
    }
}

/// Adds one to a big-endian 256-bit number in place (no early exit); true when it wrapped to 0.
fn add_one(n: &mut [u8; 32]) -> bool {
    let mut carry = 1u16;
    for b in n.iter_mut().rev() {
        let v = u16::from(*b) + carry;
        *b = (v & 0xff) as u8;
        carry = v >> 8;
    }
    carry == 1
}

/// A SigV4a public key (P-256 point), for verifying signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    /// Reads a SEC1 point: `04 ‖ X ‖ Y` (65 bytes) or compressed (33 bytes).
    ///
    /// # Errors
    /// [`Error::InvalidCredentials`] if the bytes are not a point of P-256.
    pub fn from_sec1(bytes: &[u8]) -> Result<Self> {
        VerifyingKey::from_sec1_bytes(bytes)
            .map(PublicKey)
            .map_err(|_| Error::InvalidCredentials(msg!("not a P-256 public key")))
    }

    /// The uncompressed SEC1 point, `04 ‖ X ‖ Y` (65 bytes; X and Y are big-endian).
    pub fn to_sec1_uncompressed(&self) -> Vec<u8> {
        self.0.to_sec1_point(false).as_bytes().to_vec()
    }

    /// Whether `signature_hex` (hex of a DER ECDSA signature, either case) is a valid signature
    /// of `string_to_sign` (ECDSA P-256 over its SHA-256) by this key.
    pub fn verify_hex(&self, string_to_sign: &[u8], signature_hex: &str) -> bool {
        hex_decode(signature_hex)
            .and_then(|der| DerSignature::from_bytes(&der).ok())
            .is_some_and(|sig| self.0.verify(string_to_sign, &sig).is_ok())
    }
}

/// Derived SigV4a keys per (access key id, secret), so presigning many URLs derives once. Safe
/// to share between threads; `Debug` prints only the number of keys.
pub struct KeyCache(cache::KeyCache<CacheEntry>);

struct CacheEntry {
    access_key_id: String,
    secret: Zeroizing<String>,
    key: Arc<SigningKey>,
}

impl Default for KeyCache {
    fn default() -> Self {
        KeyCache(cache::KeyCache::new(8))
    }
}

impl core::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.0.fmt(f)
    }
}

impl KeyCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The key of these credentials, derived on a miss.
    ///
    /// # Errors
    /// As [`SigningKey::derive`].
    pub fn get(&self, access_key_id: &str, secret_access_key: &str) -> Result<Arc<SigningKey>> {
        self.0.get(
            |e| e.access_key_id == access_key_id && *e.secret == secret_access_key,
            |e| Arc::clone(&e.key),
            || {
                Ok(CacheEntry {
                    access_key_id: access_key_id.to_owned(),
                    secret: Zeroizing::new(secret_access_key.to_owned()),
                    key: Arc::new(SigningKey::derive(access_key_id, secret_access_key)?),
                })
            },
        )
    }
}

/// Presigns `req` with SigV4a: the SigV4 layer's `prepare` (with `auth.scheme` set to
/// [`AWS4_ECDSA_P256_SHA256`] whatever it was, and `auth.region` as the region set), then the
/// ECDSA signature.
///
/// # Errors
/// As [`SigningKey::sign_hex`].
pub fn presign(req: &Request<'_>, auth: &Auth<'_>, key: &SigningKey) -> Result<Signed> {
    let auth = Auth {
        scheme: &AWS4_ECDSA_P256_SHA256,
        ..*auth
    };
    let prepared = sigv4::prepare(req, &auth);
    let signature = key.sign_hex(prepared.string_to_sign.as_bytes())?;
    Ok(prepared.finish(signature))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn add_one_carries_and_wraps() {
        let mut a = [0u8; 32];
        a[31] = 0xff;
        a[30] = 0x01;
        assert!(!add_one(&mut a));
        assert_eq!((a[30], a[31]), (0x02, 0x00));
        let mut m = [0xffu8; 32];
        assert!(add_one(&mut m));
        assert_eq!(m, [0u8; 32]);
    }

    #[test]
    fn signatures_verify_and_tampering_fails() {
        let k = SigningKey::derive("AKIDEXAMPLE", "secret").unwrap();
        let sig = k.sign_hex(b"hello").unwrap();
        assert!(k.public_key().verify_hex(b"hello", &sig));
        assert!(k.public_key().verify_hex(b"hello", &sig.to_uppercase()));
        assert!(!k.public_key().verify_hex(b"hellO", &sig));
        assert!(!k.public_key().verify_hex(b"hello", "zz"));
        // RFC 6979: the same key and message give the same signature.
        assert_eq!(sig, k.sign_hex(b"hello").unwrap());
        let other = SigningKey::derive("AKIDEXAMPLE2", "secret").unwrap();
        assert!(!other.public_key().verify_hex(b"hello", &sig));
        assert_eq!(format!("{k:?}"), "SigningKey(..)");
    }

    #[test]
    fn the_cache_derives_once_per_credential() {
        let c = KeyCache::new();
        let a = c.get("A", "s").unwrap();
        let b = c.get("A", "s").unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        let d = c.get("A", "t").unwrap();
        assert!(!Arc::ptr_eq(&a, &d));
        assert_eq!(format!("{c:?}"), "KeyCache(2 keys)");
    }
}
