//! Native GOOG4-RSA-SHA256 signing (feature `gcs-rsa`): a cache of parsed service-account keys,
//! so a presigner parses each PEM `private_key` once and reuses it for every URL.
//!
//! The RSA primitive itself lives in [`crate::crypto::RsaKey`], backed by `aws-lc-rs` (AWS-LC).
//!
//! Candidates, measured on this project's 2-core build machine (RSA-2048 PKCS#1 v1.5 / SHA-256,
//! release build, key parsed once; `cargo bench --bench gcs --features gcs-rsa`, bare-signature
//! group): `aws-lc-rs` 1.x ≈ 0.25–0.27 ms, `ring` 0.17 ≈ 0.61 ms, the pure-Rust `rsa` 0.10.0
//! (blinded, `crypto-bigint`) ≈ 2.5 ms. AWS-LC is constant-time, blinds the private-key
//! operation, is what object_store uses, and builds offline with a C compiler (about a minute,
//! no cmake). `rsa` 0.9.x is affected by RUSTSEC-2023-0071 (Marvin: timing side channel in
//! private-key operations) with
//! no patched 0.9 release; 0.10.0 replaced its big-integer code with constant-time `crypto-bigint`
//! and states that it resolves the issue. Either way this feature is native only: in JS runtimes
//! the npm package signs with WebCrypto through the external-signer seam, so no RSA code goes into
//! the wasm build.

use crate::cache::KeyCache;
use crate::crypto::RsaKey;
use crate::error::Result;
use crate::prelude::*;
use alloc::sync::Arc;
use zeroize::Zeroizing;

/// Parsed RSA keys, keyed by their PEM text (held zeroized): a presigner parses each key once.
pub(crate) struct RsaKeyCache(KeyCache<(Zeroizing<String>, Arc<RsaKey>)>);

impl Default for RsaKeyCache {
    fn default() -> Self {
        // How many distinct keys a presigner keeps parsed.
        RsaKeyCache(KeyCache::new(4))
    }
}

impl RsaKeyCache {
    /// The parsed key for `pem`, parsed on a miss.
    pub(crate) fn get(&self, pem: &str) -> Result<Arc<RsaKey>> {
        self.0.get(
            |(p, _)| p.as_str() == pem,
            |(_, key)| Arc::clone(key),
            || {
                Ok((
                    Zeroizing::new(pem.to_owned()),
                    Arc::new(RsaKey::from_pem(pem)?),
                ))
            },
        )
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.0.len()
    }
}

impl core::fmt::Debug for RsaKeyCache {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Google's published dummy service-account key (tests/vectors/gcs, Apache-2.0).
    const KEY_JSON: &str =
        include_str!("../../tests/vectors/gcs/test_service_account.not-a-test.json");

    fn pem() -> String {
        let key = KEY_JSON
            .split("\"private_key\": \"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap();
        key.replace("\\n", "\n")
    }

    #[test]
    fn parses_once_and_reuses() {
        let c = RsaKeyCache::default();
        let a = c.get(&pem()).unwrap();
        let b = c.get(&pem()).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(c.len(), 1);
        assert_eq!(a.modulus_len(), 256);
        assert_eq!(format!("{c:?}"), "KeyCache(1 keys)");
        assert_eq!(format!("{a:?}"), "RsaKey(2048 bits, <redacted>)");
    }

    #[test]
    fn escaped_newlines_are_accepted() {
        let escaped = pem().replace('\n', "\\n");
        let c = RsaKeyCache::default();
        let a = c.get(&escaped).unwrap();
        let b = c.get(&pem()).unwrap();
        assert_eq!(
            a.sign_pkcs1_sha256(b"x").unwrap(),
            b.sign_pkcs1_sha256(b"x").unwrap()
        );
    }

    #[test]
    fn bad_keys_are_credential_errors_without_key_material() {
        let good = pem();
        let body_line = good.lines().nth(1).unwrap().to_owned();
        let cases = [
            String::new(),
            "not a key".to_owned(),
            good.replace("PRIVATE KEY", "PUBLIC KEY"),
            good.replace(&body_line, "!!!!"),
            good.replace(&body_line, ""),
            good.lines().take(5).collect::<Vec<_>>().join("\n"),
        ];
        for pem in cases {
            let e = RsaKeyCache::default().get(&pem).unwrap_err();
            assert_eq!(e.code(), "INVALID_CREDENTIALS", "{e}");
            assert!(!e.message().contains(&body_line[..20]), "{e}");
        }
    }
}
