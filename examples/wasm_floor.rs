//! The SHA-256 floor under the npm package's per-URL cost: SHA-256 and HMAC-SHA256 with a cached
//! key, and SHA-256 of four messages at once in wasm SIMD's lanes (what `presignMany` uses) —
//! the crate's own code (`presign::floor`, not API) — in a loop, compiled with the package's
//! wasm profile. benches/npm.mjs builds it (wasm-bindgen `--target nodejs`, into
//! target/wasm-floor/) and times the loops to report nanoseconds per 64-byte block.
//!
//! Each iteration feeds its digest back into the message, so no iteration can be skipped or
//! hoisted out of the loop.

use presign::floor::{sha256, HmacKey};
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
        digest = sha256(core::hint::black_box(&msg));
        feed(&mut msg, &digest);
    }
    word(&digest)
}

/// `iters` HMAC-SHA256 signatures of a `len`-byte message under one cached key (its pad blocks
/// compressed once, before the loop); returns bits of the last one.
#[wasm_bindgen]
pub fn hmac_loop(len: u32, iters: u32) -> u32 {
    let key = HmacKey::new(b"a 32-byte signing key, as SigV4.");
    let mut msg = message(len);
    let mut digest = [0u8; 32];
    for _ in 0..iters {
        digest = key.sign(core::hint::black_box(&msg));
        feed(&mut msg, &digest);
    }
    word(&digest)
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
    let got = presign::floor::sha256_x4([&m[0], &m[1], &m[2], &m[3]]);
    m.iter().zip(got).all(|(m, d)| {
        use sha2::Digest;
        sha2::Sha256::digest(m)[..] == d[..]
    })
}

/// `iters` rounds of four SHA-256 digests of `len`-byte messages at once; returns bits of the last.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[allow(clippy::indexing_slicing)] // four messages, made here
#[wasm_bindgen]
pub fn sha256_x4_loop(len: u32, iters: u32) -> u32 {
    let mut m = lane_messages(len);
    let mut digest = [[0u8; 32]; 4];
    for _ in 0..iters {
        digest = presign::floor::sha256_x4(core::hint::black_box([&m[0], &m[1], &m[2], &m[3]]));
        for (msg, d) in m.iter_mut().zip(&digest) {
            feed(msg, d);
        }
    }
    word(&digest[0])
}
