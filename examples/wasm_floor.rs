//! The SHA-256 floor under the npm package's per-URL cost: SHA-256 and HMAC-SHA256 with a cached
//! key, exactly as the crate's (internal) `crypto` module computes them — the same `sha2` and
//! `hmac` crates, the key state cloned per message — in a loop, compiled with the
//! package's wasm profile. benches/npm.mjs builds it (wasm-bindgen `--target nodejs`, into
//! target/wasm-floor/) and times the loops to report nanoseconds per 64-byte block.
//!
//! Each iteration feeds its digest back into the message, so no iteration can be skipped or
//! hoisted out of the loop.

use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::wasm_bindgen;

/// A `len`-byte message of varied bytes.
fn message(len: u32) -> Vec<u8> {
    (0..len).map(|i| (i.wrapping_mul(31) % 251) as u8).collect()
}

/// Mixes a digest into the message's first bytes (the next iteration depends on this one).
fn feed(msg: &mut [u8], digest: &[u8; 32]) {
    for (m, d) in msg.iter_mut().zip(digest.iter().take(4)) {
        *m ^= d;
    }
}

fn word(digest: &[u8; 32]) -> u32 {
    u32::from_le_bytes([digest[0], digest[1], digest[2], digest[3]])
}

/// `iters` SHA-256 digests of a `len`-byte message; returns bits of the last one.
#[wasm_bindgen]
pub fn sha256_loop(len: u32, iters: u32) -> u32 {
    let mut msg = message(len);
    let mut digest = [0u8; 32];
    for _ in 0..iters {
        digest = Sha256::digest(core::hint::black_box(&msg)).into();
        feed(&mut msg, &digest);
    }
    word(&digest)
}

/// `iters` HMAC-SHA256 signatures of a `len`-byte message under one cached key (its pad blocks
/// compressed once, before the loop); returns bits of the last one.
#[wasm_bindgen]
pub fn hmac_loop(len: u32, iters: u32) -> u32 {
    let Ok(key) = hmac::Hmac::<Sha256>::new_from_slice(b"a 32-byte signing key, as SigV4.") else {
        return 0;
    };
    let mut msg = message(len);
    let mut digest = [0u8; 32];
    for _ in 0..iters {
        let mut m = key.clone();
        m.update(core::hint::black_box(&msg));
        digest = m.finalize().into_bytes().into();
        feed(&mut msg, &digest);
    }
    word(&digest)
}

/// The lever a batch has and one URL has not: SHA-256 of four messages at once, one per lane of
/// wasm SIMD's `i32x4` (the rounds of each lane as FIPS 180-4 writes them; the message words
/// gathered across the four blocks). Not the crate's code: a measurement of what multi-buffer
/// hashing would give `presignMany`, whose canonical requests and strings to sign are
/// independent of each other. Checked against `sha2` first (`sha256_x4_check`).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
// A measurement, not the library: its indices are in range by construction (16 words, 64-byte
// blocks of a padded message, four lanes), and reading them plainly is what is timed.
#[allow(clippy::indexing_slicing)]
mod x4 {
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
    const H0: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];

    fn rotr(x: v128, n: u32) -> v128 {
        v128_or(u32x4_shr(x, n), u32x4_shl(x, 32 - n))
    }

    fn word(block: &[u8], i: usize) -> u32 {
        let mut w = [0u8; 4];
        w.copy_from_slice(&block[4 * i..4 * i + 4]);
        u32::from_be_bytes(w)
    }

    /// One 64-byte block of each of four messages into the four lanes of `s`.
    #[inline(never)]
    fn compress4(s: &mut [v128; 8], blocks: [&[u8]; 4]) {
        let mut w = [u32x4_splat(0); 16];
        for (i, wi) in w.iter_mut().enumerate() {
            *wi = u32x4(
                word(blocks[0], i),
                word(blocks[1], i),
                word(blocks[2], i),
                word(blocks[3], i),
            );
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *s;
        for (t, k) in K.iter().enumerate() {
            let wt = if t < 16 {
                w[t]
            } else {
                let (w15, w2) = (w[(t + 1) & 15], w[(t + 14) & 15]);
                let s0 = v128_xor(v128_xor(rotr(w15, 7), rotr(w15, 18)), u32x4_shr(w15, 3));
                let s1 = v128_xor(v128_xor(rotr(w2, 17), rotr(w2, 19)), u32x4_shr(w2, 10));
                let next = i32x4_add(i32x4_add(w[t & 15], s0), i32x4_add(w[(t + 9) & 15], s1));
                w[t & 15] = next;
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

    /// `msg` padded as SHA-256 pads it.
    fn padded(msg: &[u8]) -> Vec<u8> {
        let mut v = msg.to_vec();
        v.push(0x80);
        while v.len() % 64 != 56 {
            v.push(0);
        }
        v.extend_from_slice(&(msg.len() as u64 * 8).to_be_bytes());
        v
    }

    /// SHA-256 of four messages of one length.
    pub fn sha256_x4(msgs: [&[u8]; 4]) -> [[u8; 32]; 4] {
        let p = msgs.map(padded);
        // A closure: the intrinsic is a target-feature function, which is not `FnMut`.
        let mut s = H0.map(|h| u32x4_splat(h));
        for i in (0..p[0].len()).step_by(64) {
            compress4(&mut s, [0, 1, 2, 3].map(|l| &p[l][i..i + 64]));
        }
        let mut out = [[0u8; 32]; 4];
        for (j, st) in s.iter().enumerate() {
            let lanes = [
                u32x4_extract_lane::<0>(*st),
                u32x4_extract_lane::<1>(*st),
                u32x4_extract_lane::<2>(*st),
                u32x4_extract_lane::<3>(*st),
            ];
            for (o, lane) in out.iter_mut().zip(lanes) {
                o[4 * j..4 * j + 4].copy_from_slice(&lane.to_be_bytes());
            }
        }
        out
    }
}

/// Four different `len`-byte messages, one per lane.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn lane_messages(len: u32) -> Vec<Vec<u8>> {
    (0..4u8)
        .map(|l| message(len).iter().map(|b| b ^ l).collect())
        .collect()
}

/// Whether the four-lane SHA-256 gives `sha2`'s digests for four different `len`-byte messages.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[allow(clippy::indexing_slicing)] // four messages, made here
#[wasm_bindgen]
pub fn sha256_x4_check(len: u32) -> bool {
    let m = lane_messages(len);
    let got = x4::sha256_x4([&m[0], &m[1], &m[2], &m[3]]);
    m.iter()
        .zip(got)
        .all(|(m, d)| Sha256::digest(m)[..] == d[..])
}

/// `iters` rounds of four SHA-256 digests of `len`-byte messages at once; returns bits of the last.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[allow(clippy::indexing_slicing)] // four messages, made here
#[wasm_bindgen]
pub fn sha256_x4_loop(len: u32, iters: u32) -> u32 {
    let mut m = lane_messages(len);
    let mut digest = [[0u8; 32]; 4];
    for _ in 0..iters {
        digest = x4::sha256_x4(core::hint::black_box([&m[0], &m[1], &m[2], &m[3]]));
        for (msg, d) in m.iter_mut().zip(&digest) {
            feed(msg, d);
        }
    }
    word(&digest[0])
}
