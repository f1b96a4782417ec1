//! # presign
//!
//! Presigned URLs for cloud object storage — Amazon S3 and S3-compatible stores (SigV4),
//! Azure Blob Storage (SAS) and Google Cloud Storage (V4) — in pure Rust, with no cloud SDK.
//! The same core compiles to WebAssembly (the `presign` npm package) and to the `presign` CLI.
//!
//! ## The time contract
//! Signing is a pure function of (credentials, request, signing instant). Nothing in this crate
//! reads a clock, the environment or the network: every entry point takes a [`Timestamp`] (the
//! request's own `signedAt` wins when present). The CLI and the JS bindings read the clock.
//!
//! ## The encoding contract
//! Object keys are signed exactly as given: no Unicode normalisation (NFC and NFD stay
//! different), no dot-segment or slash normalisation, every byte outside RFC 3986 unreserved
//! percent-encoded once with upper-case hex. One canonical query builder produces both the signed
//! and the emitted query, so they cannot drift. See [`encoding`].
//!
//! ## Errors
//! Bad input is an [`Error`] with a stable [`Error::code`], never a panic. Secrets never appear in
//! errors or `Debug` output.
//!
//! ```
//! # #[cfg(feature = "json")] {
//! let req: presign::Request = presign::json::parse_request(r#"{
//!   "provider": "s3", "method": "GET", "bucket": "examplebucket", "key": "test.txt",
//!   "expiresIn": 86400, "signedAt": "2013-05-24T00:00:00Z",
//!   "credentials": {"accessKeyId": "AKIAIOSFODNN7EXAMPLE",
//!                   "secretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
//! }"#).unwrap();
//! let now = presign::Timestamp::from_unix(0).unwrap(); // ignored: signedAt is given
//! let out = presign::presign(&req, now).unwrap();
//! assert!(out.url.ends_with("X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"));
//! # }
//! ```
#![forbid(unsafe_code)]
// A build with some providers or features left out (the npm package's per-entry wasm) leaves
// shared helpers unused; the full build (every provider and feature) is linted without this.
#![cfg_attr(
    not(all(
        feature = "s3",
        feature = "azure",
        feature = "gcs",
        feature = "json",
        feature = "post",
        feature = "cors"
    )),
    allow(dead_code, unused_imports, unused_macros)
)]
#![warn(missing_docs)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod cache;
#[cfg(feature = "cors")]
pub mod cors;
pub mod crypto;
pub mod encoding;
mod endpoint;
mod error;
#[cfg(feature = "json")]
pub mod json;
mod lifetime;
#[cfg(feature = "post")]
pub mod post;
mod request;
#[cfg(feature = "json")]
mod schema;
pub mod sigv4;
mod text;
pub mod time;
mod types;

#[cfg(feature = "s3")]
pub mod s3;

#[cfg(feature = "azure")]
pub mod azure;
#[cfg(feature = "gcs")]
pub mod gcs;

#[cfg(feature = "verify")]
pub mod verify;

#[cfg(feature = "wasm")]
mod wasm;

pub use error::{Error, Result};
pub use request::{presign, Request, Signer};
pub use time::Timestamp;
pub use types::{CredentialExpiry, Method, Params, Presigned, Secret, Warning};

// README examples are compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
mod readme {}
