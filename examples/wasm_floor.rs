//! The SHA-256 floor under the npm package's per-URL cost: the crate's own `crypto::sha256` and
//! `crypto::HmacKey::sign` (a cached key, as the signers use it) in a loop, compiled with the
//! package's wasm profile. benches/npm.mjs builds it (wasm-bindgen `--target nodejs`, into
//! target/wasm-floor/) and times the loops to report nanoseconds per 64-byte block.
//!
//! Each iteration feeds its digest back into the message, so no iteration can be skipped or
//! hoisted out of the loop.

use presign::crypto::{sha256, HmacKey};
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
