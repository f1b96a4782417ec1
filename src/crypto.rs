//! The only file of the library that touches `sha2` (RustCrypto's SHA-256 compression function,
//! `default-features = false`) and, with the `gcs-rsa` feature, AWS-LC's RSA ([`RsaKey`]). The
//! message padding, HMAC (RFC 2104) and the streaming SHA-256 of the upload checksums
//! ([`Sha256Stream`], feature `upload`) are written here over that compression function.
//!
//! [`HmacKey`] keeps the HMAC state *after* the key has been absorbed (the inner and outer pad
//! blocks already compressed), so signing a string with a cached key costs only the blocks of
//! the message itself. A batch signs four messages at once ([`HmacKey::sign_x4`],
//! [`sha256_x4`]): in the four lanes of wasm SIMD's `i32x4` where the build has `simd128`, one
//! after another elsewhere.

use sha2::block_api::compress256;

/// SHA-256's initial hash value (FIPS 180-4, 5.3.3).
const H0: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// A SHA-256 computation part way through its message: the hash value after `done` bytes (whole
/// blocks) and the bytes since (`tail`, fewer than a block).
#[derive(Clone)]
struct Sha256State {
    h: [u32; 8],
    done: u64,
    tail: [u8; 64],
    tail_len: usize,
}

impl Sha256State {
    /// Nothing hashed yet.
    const NEW: Sha256State = Sha256State::at(H0, 0);

    /// The state whose hash value after `done` bytes is `h`, with nothing since.
    const fn at(h: [u32; 8], done: u64) -> Self {
        Sha256State {
            h,
            done,
            tail: [0; 64],
            tail_len: 0,
        }
    }

    /// Absorbs `data`: whole blocks compressed in place, the rest kept.
    fn update(&mut self, mut data: &[u8]) {
        if self.tail_len > 0 {
            let take = (64 - self.tail_len).min(data.len());
            let (head, rest) = data.split_at(take);
            if let Some(t) = self.tail.get_mut(self.tail_len..self.tail_len + take) {
                t.copy_from_slice(head);
            }
            self.tail_len += take;
            data = rest;
            if self.tail_len < 64 {
                return;
            }
            compress256(&mut self.h, core::slice::from_ref(&self.tail));
            self.done += 64;
            self.tail_len = 0;
        }
        let (blocks, rest) = data.as_chunks::<64>();
        compress256(&mut self.h, blocks);
        self.done += 64 * blocks.len() as u64;
        if let Some(t) = self.tail.get_mut(..rest.len()) {
            t.copy_from_slice(rest);
        }
        self.tail_len = rest.len();
    }

    /// The digest of everything absorbed followed by `msg`: the padding (`0x80`, zeros up to 8
    /// bytes before a block's end, the message's length in bits, big-endian) absorbed after it.
    fn finish(&self, msg: &[u8]) -> [u8; 32] {
        let mut s = self.clone();
        s.update(msg);
        let bits = (s.done + s.tail_len as u64).wrapping_mul(8);
        let zeros = 55usize.wrapping_sub(s.tail_len) % 64;
        let mut pad = [0u8; 72];
        pad[0] = 0x80;
        if let Some(p) = pad.get_mut(zeros + 1..zeros + 9) {
            p.copy_from_slice(&bits.to_be_bytes());
        }
        s.update(pad.get(..zeros + 9).unwrap_or_default());
        digest_of(&s.h)
    }

    /// How many blocks finishing with `msg` compresses: the tail, `msg`, the padding.
    #[cfg(all(
        batch_sign,
        any(test, all(target_arch = "wasm32", target_feature = "simd128"))
    ))]
    fn final_blocks(&self, msg: &[u8]) -> usize {
        (self.tail_len + msg.len() + 9).div_ceil(64)
    }

    /// Block `i` of those: the tail, then `msg`, then `0x80`, zeros and the message's length in
    /// bits (big-endian) at the end of the last (the four lanes' way to finish).
    #[cfg(all(
        batch_sign,
        any(test, all(target_arch = "wasm32", target_feature = "simd128"))
    ))]
    fn final_block(&self, msg: &[u8], i: usize) -> [u8; 64] {
        let start = 64 * i;
        let tail = self.tail.get(..self.tail_len).unwrap_or_default();
        // Most blocks lie within `msg`: one copy.
        if let Some(whole) = start
            .checked_sub(tail.len())
            .and_then(|at| msg.get(at..at + 64))
            .and_then(|b| <[u8; 64]>::try_from(b).ok())
        {
            return whole;
        }
        let mut block = [0u8; 64];
        // The part of `src`, which starts at `at` in what is finished, that falls in the block.
        let mut copy = |src: &[u8], at: usize| {
            let lo = start.max(at);
            let hi = (start + 64).min(at + src.len());
            if lo < hi {
                if let (Some(dst), Some(src)) = (
                    block.get_mut(lo - start..hi - start),
                    src.get(lo - at..hi - at),
                ) {
                    dst.copy_from_slice(src);
                }
            }
        };
        copy(tail, 0);
        copy(msg, tail.len());
        let end = tail.len() + msg.len();
        if let Some(b) = end.checked_sub(start).and_then(|j| block.get_mut(j)) {
            *b = 0x80;
        }
        if i + 1 == self.final_blocks(msg) {
            let bits = (self.done + end as u64).wrapping_mul(8);
            if let Some(b) = block.get_mut(56..) {
                b.copy_from_slice(&bits.to_be_bytes());
            }
        }
        block
    }
}

/// The digest bytes of a final hash value.
fn digest_of(h: &[u32; 8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, w) in h.iter().enumerate() {
        if let Some(o) = out.get_mut(4 * i..4 * i + 4) {
            o.copy_from_slice(&w.to_be_bytes());
        }
    }
    out
}

/// SHA-256 of `data`.
#[cfg(url_signer)]
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256State::NEW.finish(data)
}

/// A streaming SHA-256: the upload checksum of a body fed in chunks.
#[cfg(feature = "upload")]
#[derive(Clone)]
pub struct Sha256Stream(Sha256State);

#[cfg(feature = "upload")]
impl Default for Sha256Stream {
    fn default() -> Self {
        Sha256Stream(Sha256State::NEW)
    }
}

#[cfg(feature = "upload")]
impl Sha256Stream {
    /// Absorbs `data`.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    /// The digest of everything absorbed.
    pub fn finish(self) -> [u8; 32] {
        self.0.finish(&[])
    }
}

/// HMAC-SHA256 of `data` under `key` (RFC 4231's vectors check it).
#[cfg(test)]
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    HmacKey::new(key).sign(data)
}

/// A keyed HMAC-SHA256 state (RFC 2104), ready to sign many messages: the inner hash with the
/// key's inner pad block (and any start given to [`HmacKey::absorbed`]) absorbed, and the outer
/// hash value after the outer pad block.
#[cfg(url_signer)]
#[derive(Clone)]
pub struct HmacKey {
    inner: Sha256State,
    outer: [u32; 8],
}

#[cfg(url_signer)]
impl HmacKey {
    /// Absorbs `key` (any length: a key longer than a block is hashed first).
    pub fn new(key: &[u8]) -> Self {
        let mut block = zeroize::Zeroizing::new([0u8; 64]);
        let hashed;
        let key = match key.len() > 64 {
            true => {
                hashed = zeroize::Zeroizing::new(sha256(key));
                hashed.as_slice()
            }
            false => key,
        };
        if let Some(b) = block.get_mut(..key.len()) {
            b.copy_from_slice(key);
        }
        // The inner pad block (key ^ 0x36), then the outer one (key ^ 0x5c), in the one buffer.
        let (mut inner, mut outer) = (H0, H0);
        for (pad, h) in [(0x36, &mut inner), (0x36 ^ 0x5c, &mut outer)] {
            for b in block.iter_mut() {
                *b ^= pad;
            }
            compress256(h, core::slice::from_ref(&*block));
        }
        HmacKey {
            inner: Sha256State::at(inner, 64),
            outer,
        }
    }

    /// The outer hash of an inner digest: the HMAC.
    fn outer(&self, inner: &[u8; 32]) -> [u8; 32] {
        Sha256State::at(self.outer, 64).finish(inner)
    }

    /// HMAC of `data`.
    pub fn sign(&self, data: &[u8]) -> [u8; 32] {
        self.outer(&self.inner.finish(data))
    }

    /// HMAC of the concatenation of `parts` (no copy into one buffer).
    #[cfg(sigv4)]
    pub fn sign_parts(&self, parts: &[&[u8]]) -> [u8; 32] {
        self.absorbed(parts).sign(&[])
    }

    /// This key with `parts` already absorbed: signing `m` with it gives the HMAC of `parts`
    /// followed by `m`, without hashing the blocks of `parts` again (a start many messages share).
    #[cfg(sigv4)]
    pub fn absorbed(&self, parts: &[&[u8]]) -> Self {
        let mut inner = self.inner.clone();
        for p in parts {
            inner.update(p);
        }
        HmacKey {
            inner,
            outer: self.outer,
        }
    }

    /// The HMACs of four messages, each under its own key: `keys[i].sign(msgs[i])`, computed
    /// four at a time (see the module's docs).
    #[cfg(batch_sign)]
    pub(crate) fn sign_x4(keys: [&HmacKey; 4], msgs: [&[u8]; 4]) -> [[u8; 32]; 4] {
        let inner = finish_x4(keys.map(|k| &k.inner), msgs);
        let outer = keys.map(|k| Sha256State::at(k.outer, 64));
        finish_x4(outer.each_ref(), inner.each_ref().map(|d| &d[..]))
    }
}

#[cfg(url_signer)]
impl core::fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("HmacKey(<redacted>)")
    }
}

/// SHA-256 of four messages, computed four at a time (see the module's docs).
#[cfg(batch_sign)]
pub fn sha256_x4(msgs: [&[u8]; 4]) -> [[u8; 32]; 4] {
    finish_x4([&Sha256State::NEW; 4], msgs)
}

/// `states[i].finish(msgs[i])` for four computations: in wasm SIMD's four lanes, block by block
/// (a lane whose message has fewer blocks is done early; its later blocks are not read).
#[cfg(batch_sign)]
fn finish_x4(states: [&Sha256State; 4], msgs: [&[u8]; 4]) -> [[u8; 32]; 4] {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    return lanes::finish4(states, msgs);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        let mut out = [[0u8; 32]; 4];
        for ((o, s), m) in out.iter_mut().zip(states).zip(msgs) {
            *o = s.finish(m);
        }
        out
    }
}

/// SHA-256's compression of four blocks at once, one per lane of `i32x4` (FIPS 180-4, 6.2.2,
/// for each lane; the message words gathered across the four blocks).
#[cfg(all(batch_sign, target_arch = "wasm32", target_feature = "simd128"))]
mod lanes {
    use super::Sha256State;
    use core::arch::wasm32::{
        i32x4_add, u32x4, u32x4_extract_lane, u32x4_shl, u32x4_shr, u32x4_splat, v128,
        v128_bitselect, v128_or, v128_xor,
    };

    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];

    fn rotr(x: v128, n: u32) -> v128 {
        v128_or(u32x4_shr(x, n), u32x4_shl(x, 32 - n))
    }

    /// Word `i` (mod 16) of the message schedule.
    fn at(w: &[v128; 16], i: usize) -> v128 {
        w.get(i & 15).copied().unwrap_or(u32x4_splat(0))
    }

    /// One block of each lane's message into the lanes of `s`.
    fn compress4(s: &mut [v128; 8], blocks: &[[u8; 64]; 4]) {
        let [b0, b1, b2, b3] = blocks.each_ref().map(|b| b.as_chunks::<4>().0);
        let mut w = [u32x4_splat(0); 16];
        for ((((wi, x0), x1), x2), x3) in w.iter_mut().zip(b0).zip(b1).zip(b2).zip(b3) {
            let [x0, x1, x2, x3] = [x0, x1, x2, x3].map(|x| u32::from_be_bytes(*x));
            *wi = u32x4(x0, x1, x2, x3);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *s;
        for (t, k) in K.iter().enumerate() {
            let wt = if t < 16 {
                at(&w, t)
            } else {
                let (w15, w2) = (at(&w, t + 1), at(&w, t + 14));
                let s0 = v128_xor(v128_xor(rotr(w15, 7), rotr(w15, 18)), u32x4_shr(w15, 3));
                let s1 = v128_xor(v128_xor(rotr(w2, 17), rotr(w2, 19)), u32x4_shr(w2, 10));
                let next = i32x4_add(i32x4_add(at(&w, t), s0), i32x4_add(at(&w, t + 9), s1));
                if let Some(x) = w.get_mut(t & 15) {
                    *x = next;
                }
                next
            };
            let s1 = v128_xor(v128_xor(rotr(e, 6), rotr(e, 11)), rotr(e, 25));
            let ch = v128_bitselect(f, g, e);
            let t1 = i32x4_add(
                i32x4_add(i32x4_add(h, s1), i32x4_add(ch, u32x4_splat(*k))),
                wt,
            );
            let s0 = v128_xor(v128_xor(rotr(a, 2), rotr(a, 13)), rotr(a, 22));
            let maj = v128_bitselect(a, b, v128_xor(b, c));
            (h, g, f, e, d, c, b) = (g, f, e, i32x4_add(d, t1), c, b, a);
            a = i32x4_add(t1, i32x4_add(s0, maj));
        }
        for (x, y) in s.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *x = i32x4_add(*x, y);
        }
    }

    /// The hash values in the four lanes of `s`.
    fn split(s: &[v128; 8]) -> [[u32; 8]; 4] {
        let mut out = [[0u32; 8]; 4];
        for (j, v) in s.iter().enumerate() {
            let lanes = [
                u32x4_extract_lane::<0>(*v),
                u32x4_extract_lane::<1>(*v),
                u32x4_extract_lane::<2>(*v),
                u32x4_extract_lane::<3>(*v),
            ];
            for (o, lane) in out.iter_mut().zip(lanes) {
                if let Some(x) = o.get_mut(j) {
                    *x = lane;
                }
            }
        }
        out
    }

    pub(super) fn finish4(states: [&Sha256State; 4], msgs: [&[u8]; 4]) -> [[u8; 32]; 4] {
        let [h0, h1, h2, h3] = states.map(|s| s.h);
        let mut s = [u32x4_splat(0); 8];
        for (j, x) in s.iter_mut().enumerate() {
            let word = |h: &[u32; 8]| h.get(j).copied().unwrap_or(0);
            *x = u32x4(word(&h0), word(&h1), word(&h2), word(&h3));
        }
        let mut counts = [0usize; 4];
        for ((n, st), m) in counts.iter_mut().zip(states).zip(msgs) {
            *n = st.final_blocks(m);
        }
        let mut out = [[0u8; 32]; 4];
        let most = counts.iter().copied().max().unwrap_or(0);
        for i in 0..most {
            let mut blocks = [[0u8; 64]; 4];
            for (((b, st), m), n) in blocks.iter_mut().zip(states).zip(msgs).zip(counts) {
                if i < n {
                    *b = st.final_block(m, i);
                }
            }
            compress4(&mut s, &blocks);
            if counts.contains(&(i + 1)) {
                let hs = split(&s);
                for ((o, h), n) in out.iter_mut().zip(&hs).zip(counts) {
                    if n == i + 1 {
                        *o = super::digest_of(h);
                    }
                }
            }
        }
        out
    }
}

/// Compares two byte strings in time independent of where they differ (the verifier's).
#[cfg(feature = "verify")]
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
pub use self::rsa_pkcs1::{RsaKey, RsaPublicKey};

#[cfg(feature = "gcs-rsa")]
mod rsa_pkcs1 {
    use crate::error::msg;
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
            let bad = |why: &str| Error::InvalidCredentials(msg!("the private key {why}"));
            let (label, der) = pem_decode(pem, &bad)?;
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
                .map_err(|_| Error::InvalidCredentials(msg!("RSA signing failed")))?;
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

    /// The label and DER body of the one PEM block in `pem` (a text pasted with literal `\n`
    /// escapes instead of line breaks is accepted too). `bad` words the error.
    fn pem_decode(pem: &str, bad: &dyn Fn(&str) -> Error) -> Result<(String, Zeroizing<Vec<u8>>)> {
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
        Ok((label, der))
    }

    impl RsaKey {
        /// The public half, to verify signatures made with this key.
        pub fn public_key(&self) -> RsaPublicKey {
            use aws_lc_rs::signature::KeyPair as _;
            RsaPublicKey {
                pkcs1_der: self.pair.public_key().as_ref().to_vec(),
            }
        }
    }

    /// An RSA public key that verifies RSASSA-PKCS1-v1_5 / SHA-256 signatures (a service
    /// account's key as Google publishes it, to check GOOG4-RSA-SHA256 signed URLs). `Debug`
    /// prints only its size.
    #[derive(Clone, PartialEq, Eq)]
    pub struct RsaPublicKey {
        /// `RSAPublicKey` (RFC 8017) DER.
        pkcs1_der: Vec<u8>,
    }

    impl RsaPublicKey {
        /// Parses a PEM public key: `-----BEGIN PUBLIC KEY-----` (SubjectPublicKeyInfo),
        /// `-----BEGIN RSA PUBLIC KEY-----` (PKCS#1) or `-----BEGIN CERTIFICATE-----` (an X.509
        /// certificate, as Google serves a service account's keys; only its key is read — its
        /// validity dates and issuer are not checked).
        ///
        /// # Errors
        /// [`Error::InvalidCredentials`] for anything that is not an RSA public key of
        /// 2048–8192 bits.
        pub fn from_pem(pem: &str) -> Result<Self> {
            let bad = |why: &str| Error::InvalidCredentials(msg!("the public key {why}"));
            let (label, der) = pem_decode(pem, &bad)?;
            let key_der = match label.as_str() {
                "PUBLIC KEY" | "RSA PUBLIC KEY" => der.as_slice(),
                "CERTIFICATE" => spki_of_certificate(&der)
                    .ok_or_else(|| bad("is not a DER X.509 certificate"))?,
                _ => {
                    return Err(bad(
                        "must be PEM \"PUBLIC KEY\", \"RSA PUBLIC KEY\" or \"CERTIFICATE\"",
                    ))
                }
            };
            let key = aws_lc_rs::rsa::PublicKey::from_der(key_der)
                .map_err(|e| bad(&format!("is not a usable RSA key ({e})")))?;
            let out = RsaPublicKey {
                pkcs1_der: key.as_ref().to_vec(),
            };
            if !(2048..=8192).contains(&out.bits()) {
                return Err(bad("must have 2048-8192 bits"));
            }
            Ok(out)
        }

        /// The public half of a PEM private key, `-----BEGIN PRIVATE KEY-----` (PKCS#8, a
        /// service-account key file's `private_key`) or `-----BEGIN RSA PRIVATE KEY-----`.
        ///
        /// # Errors
        /// [`Error::InvalidCredentials`] for anything that is not an RSA private key of
        /// 2048–8192 bits; the message never contains key material.
        pub fn from_private_key_pem(pem: &str) -> Result<Self> {
            Ok(RsaKey::from_pem(pem)?.public_key())
        }

        /// Whether `signature` is a valid RSASSA-PKCS1-v1_5 / SHA-256 signature of `msg`.
        pub fn verify_pkcs1_sha256(&self, msg: &[u8], signature: &[u8]) -> bool {
            aws_lc_rs::signature::UnparsedPublicKey::new(
                &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
                &self.pkcs1_der,
            )
            .verify(msg, signature)
            .is_ok()
        }

        /// The modulus size in bits.
        pub fn bits(&self) -> u32 {
            aws_lc_rs::signature::RsaParameters::public_modulus_len(&self.pkcs1_der).unwrap_or(0)
        }
    }

    impl core::fmt::Debug for RsaPublicKey {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            write!(f, "RsaPublicKey({} bits)", self.bits())
        }
    }

    /// One DER element: its tag, its content, the whole element, and what follows it.
    struct Der<'a> {
        tag: u8,
        content: &'a [u8],
        whole: &'a [u8],
        rest: &'a [u8],
    }

    /// The first DER element of `input`.
    fn der_next(input: &[u8]) -> Option<Der<'_>> {
        let (&tag, rest) = input.split_first()?;
        let (&first, rest) = rest.split_first()?;
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 {
                return None;
            }
            let (bytes, rest) = rest.split_at_checked(n)?;
            (
                bytes
                    .iter()
                    .fold(0usize, |acc, b| acc << 8 | usize::from(*b)),
                rest,
            )
        };
        let (content, after) = rest.split_at_checked(len)?;
        Some(Der {
            tag,
            content,
            whole: input.get(..input.len() - after.len())?,
            rest: after,
        })
    }

    /// The SubjectPublicKeyInfo of a DER X.509 certificate (RFC 5280 section 4.1): the seventh
    /// element of `tbsCertificate` (the sixth when the optional `[0] version` is absent).
    fn spki_of_certificate(der: &[u8]) -> Option<&[u8]> {
        const SEQUENCE: u8 = 0x30;
        let cert = der_next(der).filter(|d| d.tag == SEQUENCE)?;
        let tbs = der_next(cert.content).filter(|d| d.tag == SEQUENCE)?;
        let mut rest = tbs.content;
        if let Some(version) = der_next(rest).filter(|d| d.tag == 0xa0) {
            rest = version.rest;
        }
        // serialNumber, signature, issuer, validity, subject
        for _ in 0..5 {
            rest = der_next(rest)?.rest;
        }
        der_next(rest)
            .filter(|d| d.tag == SEQUENCE)
            .map(|d| d.whole)
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
        // A start absorbed once signs as the whole message, across a block boundary too.
        let long = [b'x'; 100];
        assert_eq!(k.absorbed(&[&long[..70]]).sign(&long[70..]), k.sign(&long));
        assert_eq!(
            k.absorbed(&[b"Hi ", b"The"]).sign(b"re"),
            k.sign(b"Hi There")
        );
    }

    // Four messages at once give what one at a time gives (sha2's own digest the reference), for
    // lengths around the block and padding edges, each lane a different length, and HMACs under
    // different keys and absorbed starts. Natively this is the one-at-a-time path; the npm tests
    // (tests/npm_bad_input.mjs, client presignMany) check the wasm SIMD lanes against `presign`.
    #[cfg(batch_sign)]
    #[test]
    fn four_at_a_time_equals_one_at_a_time() {
        use sha2::Digest;
        let text: Vec<u8> = (0..300u32).map(|i| (i * 7 % 251) as u8).collect();
        for lens in [
            [0, 55, 56, 64],
            [63, 119, 120, 1],
            [300, 0, 128, 65],
            [9, 9, 9, 9],
        ] {
            let msgs = lens.map(|n| &text[..n]);
            let got = sha256_x4(msgs);
            // The lanes' block-by-block finish (what the wasm SIMD lanes compress), one lane at
            // a time, after starts that leave a tail of 0, 5, 6 and 63 bytes.
            for start in [0, 5, 70, 127] {
                let mut s = Sha256State::NEW;
                s.update(&text[..start]);
                for m in msgs {
                    let mut h = s.h;
                    for i in 0..s.final_blocks(m) {
                        compress256(&mut h, &[s.final_block(m, i)]);
                    }
                    let whole = [&text[..start], m].concat();
                    let want = sha2::Sha256::digest(&whole);
                    assert_eq!(digest_of(&h)[..], want[..], "{start} + {}", m.len());
                }
            }
            for (m, d) in msgs.iter().zip(got) {
                assert_eq!(d[..], sha2::Sha256::digest(m)[..], "{} bytes", m.len());
            }
            let a = HmacKey::new(b"key");
            let b = HmacKey::new(&[0xaa; 131]).absorbed(&[&text[..70]]);
            let keys = [&a, &b, &a, &b];
            let got = HmacKey::sign_x4(keys, msgs);
            for ((k, m), d) in keys.iter().zip(msgs).zip(got) {
                assert_eq!(d, k.sign(m));
            }
        }
    }

    #[test]
    fn streaming_sha256_across_block_edges() {
        use sha2::Digest;
        let text: Vec<u8> = (0..200u32).map(|i| i as u8).collect();
        for cut in [0, 1, 55, 63, 64, 65, 128, 199] {
            let mut s = Sha256State::NEW;
            s.update(&text[..cut]);
            s.update(&text[cut..cut.min(130).max(cut)]);
            s.update(&text[cut.min(130).max(cut)..]);
            assert_eq!(
                s.finish(&[])[..],
                sha2::Sha256::digest(&text)[..],
                "cut {cut}"
            );
            assert_eq!(
                Sha256State::NEW.finish(&text[..cut])[..],
                sha2::Sha256::digest(&text[..cut])[..]
            );
        }
    }

    #[cfg(feature = "verify")]
    #[test]
    fn constant_time_eq_compares() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
