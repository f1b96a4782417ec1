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
