//! Presigned URLs for cloud object storage — Amazon S3 and S3-compatible stores (SigV4: Cloudflare
//! R2, MinIO, Backblaze B2, Wasabi…), Azure Blob Storage (service, account and user-delegation SAS)
//! and Google Cloud Storage (V4, HMAC or service-account RSA) — in pure Rust, with no cloud SDK.
//!
//! A presigned URL lets someone without credentials do one thing to one object for a while: a
//! browser uploads a file straight to the bucket, a customer downloads a report, a worker fetches
//! its input. This crate computes such URLs as a pure function of credentials, request and signing
//! instant: it does no I/O, reads no clock and no environment, so it runs unchanged in a server, a
//! CLI, a test and WebAssembly. It also writes browser form uploads (S3 and GCS POST policies), the
//! bucket CORS rules those requests need, and verifies presigned URLs as the storage server would.
//!
//! # Quick start
//!
//! ```
//! # #[cfg(feature = "s3")] {
//! use presign::s3::{Credentials, Presigner, S3Request};
//! use presign::{Method, Timestamp};
//! use std::time::Duration;
//!
//! let req = S3Request::new(Method::Put, "my-bucket", "uploads/cat 1.jpg")
//!     .with_region("eu-west-1")
//!     .with_credentials(Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
//!     .with_header("content-type", "image/jpeg") // signed: the client must send it
//!     .with_expires_in(Duration::from_secs(600));
//!
//! let signer = Presigner::new(); // caches derived keys: keep it for many URLs
//! let now = Timestamp::parse_rfc3339("2026-11-24T10:00:00Z")?; // the caller reads the clock
//! let out = signer.presign(&req, now)?;
//! assert!(out.url.starts_with("https://my-bucket.s3.eu-west-1.amazonaws.com/uploads/cat%201.jpg?X-Amz-Algorithm="));
//! assert_eq!(out.headers.0, [("content-type".to_string(), "image/jpeg".to_string())]);
//! assert_eq!(out.expires_at.rfc3339(), "2026-11-24T10:10:00Z");
//! # }
//! # Ok::<(), presign::Error>(())
//! ```
//!
//! The result, [`Presigned`], is the same for every provider: the URL, the method, the headers the
//! client must send for the signature to verify, and when the URL stops working.
//!
//! # Which entry point
//!
//! | you have | use |
//! | --- | --- |
//! | requests for one provider, as typed fields | [`s3::Presigner`], [`azure::Presigner`], [`gcs::Presigner`] (module docs have examples) |
//! | requests for any provider | [`Request`] and [`Signer`] |
//! | the request schema as JSON (a config file, a queue, a browser) | [`json::parse_request`], then [`Signer`] |
//! | the request schema inside your own (de)serialization: a web framework's JSON body, YAML… | feature `serde`: [`Request`] is `Deserialize`, [`Presigned`] is `Serialize`, through the same reader and writer (`json::serde`) |
//! | a browser form upload with a size range, a key prefix or a content-type family | [`PostRequest`] and [`PostSigner`]; [`s3::post`], [`gcs::post`] |
//! | a bucket that must accept those requests from a web page | [`cors::cors_rules`] |
//! | a GCS service-account key that never leaves a KMS, IAM `signBlob` or WebCrypto | [`gcs::prepare`], then [`gcs::PreparedUrl::finish`] |
//! | an Azure identity instead of an account key | [`azure::delegation`]: the Get User Delegation Key request and its answer |
//! | a presigned URL to check (a gateway, a proxy, a test) | `verify::verify` (feature `verify`) |
//!
//! Every signer caches derived keys; keep one for many URLs. They are `Send + Sync`.
//!
//! ## Any provider, one signer
//!
//! The request schema is one JSON model (camelCase, tagged by `provider`, unknown members refused)
//! shared by this crate, the `presign` CLI and the npm package; the reference of every member is
//! `docs/reference.md` in the repository.
//!
//! ```
//! # #[cfg(all(feature = "json", feature = "azure", feature = "gcs"))] {
//! use presign::{json, Signer, Timestamp};
//!
//! let signer = Signer::new();
//! let now = Timestamp::parse_rfc3339("2026-11-24T10:00:00Z")?;
//! let azure = json::parse_request(r#"{"provider": "azure", "method": "PUT",
//!     "container": "photos", "blob": "cat 1.jpg", "expiresIn": 600,
//!     "credentials": {"connectionString": "UseDevelopmentStorage=true"}}"#)?;
//! let out = signer.presign(&azure, now)?;
//! assert!(out.url.starts_with("http://127.0.0.1:10000/devstoreaccount1/photos/cat%201.jpg?sv=2025-07-05&sr=b&sp=cw&"));
//! assert_eq!(out.headers.0, [("x-ms-blob-type".to_string(), "BlockBlob".to_string())]);
//!
//! let gcs = json::parse_request(r#"{"provider": "gcs", "bucket": "my-bucket", "object": "report.pdf",
//!     "credentials": {"hmac": {"accessId": "GOOG1EEXAMPLE", "secret": "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ"}}}"#)?;
//! assert!(signer.presign(&gcs, now)?.url.contains("X-Goog-Algorithm=GOOG4-HMAC-SHA256"));
//!
//! // A bad request is an error naming the member, never a panic.
//! let err = json::parse_request(r#"{"provider": "s3", "bucket": "b", "key": "k", "expires": 60}"#).unwrap_err();
//! assert_eq!(err.code(), "INVALID_REQUEST");
//! # }
//! # Ok::<(), presign::Error>(())
//! ```
//!
//! ## The bucket's CORS rule
//!
//! A page that `fetch()`es a presigned URL needs a CORS rule on the bucket (S3, GCS) or the account
//! (Azure) that allows its origin, the method and the headers it sends. [`cors::cors_rules`]
//! derives it from the presigned requests themselves:
//!
//! ```
//! # #[cfg(feature = "s3")] {
//! use presign::cors::{cors_rules, CorsRequest, Provider};
//! use presign::Method;
//!
//! let mut put = CorsRequest::new(Method::Put);
//! put.headers.push("content-type", "image/jpeg"); // or `(&presigned).into()`
//! let rules = cors_rules(Provider::S3, &["https://app.example.com"], &[put, CorsRequest::new(Method::Get)])?;
//! assert_eq!(rules.methods, [Method::Get, Method::Put]); // sorted
//! assert!(rules.s3_json().starts_with(r#"{"CORSRules":[{"AllowedHeaders":["content-type"]"#)); // for put-bucket-cors
//! # }
//! # Ok::<(), presign::Error>(())
//! ```
//!
//! # The time contract
//! Signing is a pure function of (credentials, request, signing instant). Nothing in this crate
//! reads a clock, the environment or the network: every entry point takes a [`Timestamp`] (the
//! request's own `signedAt` wins when present). The CLI and the JS bindings read the clock.
//!
//! # The encoding contract
//! Object keys are signed exactly as given: no Unicode normalisation (NFC and NFD stay
//! different), no dot-segment or slash normalisation, every byte outside RFC 3986 unreserved
//! percent-encoded once with upper-case hex. One canonical query builder produces both the signed
//! and the emitted query, so they cannot drift. [`percent_decode`] reads such a path or value back.
//!
//! # Errors
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
//! assert!(!format!("{req:?}").contains("wJalrXUtnFEMI")); // Debug redacts the secret
//! # }
//! ```
//!
//! Non-fatal remarks (temporary credentials that expire before the URL, for one) are
//! [`Warning`]s on the result.
//!
//! # Cargo features
//!
//! | feature | default | what |
//! | --- | --- | --- |
//! | `s3` | yes | [`s3`]: SigV4 presigned URLs and POST policies |
//! | `azure` | yes | [`azure`]: service, account and user-delegation SAS |
//! | `gcs` | yes | [`gcs`]: V4 signed URLs and POST policies (HMAC, or RSA through an external signer) |
//! | `json` | yes | [`json`]: the request schema as JSON, results as JSON (a small strict reader and writer, no serde) |
//! | `gcs-rsa` | no | GCS `GOOG4-RSA-SHA256` signed natively with a service-account key (AWS-LC through `aws-lc-rs`; keep it out of wasm builds) |
//! | `upload` | no | `upload`: large uploads in parts (S3 multipart, Azure blocks, GCS XML multipart) with per-part checksums |
//! | `verify` | no | `verify`: checking presigned URLs as the storage server would (all three providers) |
//! | `upload` | no | `checksum::Hasher`: the upload checksums clouds verify (CRC-32, CRC-32C, CRC-64/NVME, MD5, SHA-1, SHA-256), streaming (the algorithms and each cloud's header are in `checksum` with any provider) |
//! | `cli` | no | the `presign` command-line tool (`cargo install presign --features cli`) |
//! | `wasm` | no | the wasm-bindgen bindings of the npm package (built by `pkg/build.sh`) |
//!
//! # The same core elsewhere
//! The `presign` CLI (feature `cli`) signs from the command line and JSON Lines, writes CORS rules
//! and verifies URLs; the `presign` npm package runs this crate as WebAssembly in browsers,
//! Cloudflare Workers, Node and Deno. Both take the same request schema and give byte-identical
//! results.
#![forbid(unsafe_code)]
// The browser wasm builds go without std (see `no_std_wasm` in build.rs): alloc's types through
// `prelude`, the two shared-state primitives through `sync`, a panic handler that traps.
#![cfg_attr(no_std_wasm, no_std)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// The named cfgs of build.rs (`url_signer`, `sigv4`, …) stand for feature combinations inside the
// crate; the documentation's availability notes name crate features only.
#![cfg_attr(
    docsrs,
    doc(auto_cfg(hide(
        url_signer,
        sigv4,
        sigv4_prepared,
        any_signer,
        v4_lifetime,
        expiring_credentials,
        hashing,
        hex_decoder,
        input_checks,
        member_paths,
        request_reader,
        json_reader,
        json_writer,
        object_writer,
        exchanges,
        xml_reader,
        service_answers,
        gcs_upload,
        upload_plan,
        terse_errors,
        wasm_url,
        wasm_fields,
        wasm_signer,
        wasm_exports,
        wasm_request_exports,
        wasm_text_exports,
        no_std_wasm,
        batch_sign,
        once_values,
        presign_vectors
    )))
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

// A feature combination tested in more than one place is a named cfg, computed once in build.rs
// (`url_signer`: s3, azure or gcs; `sigv4`: s3 or gcs; …), each name documented there.
extern crate alloc;

#[cfg(url_signer)]
mod builders;
#[cfg(url_signer)]
mod cache;
#[cfg(hashing)]
pub mod checksum;
#[cfg(feature = "cors")]
pub mod cors;
#[cfg(hashing)]
mod crypto;
/// The crate's SHA-256 and HMAC-SHA256, for examples/wasm_floor.rs (the hashing floor
/// benches/npm.mjs reports): not part of the API, no stability promise.
#[doc(hidden)]
#[cfg(batch_sign)]
pub mod floor {
    pub use crate::crypto::{sha256, sha256_x4, HmacKey};
}
mod encoding;
#[cfg(url_signer)]
mod endpoint;
mod error;
pub mod http;
#[cfg(feature = "json")]
pub mod json;
#[cfg(any_signer)]
mod lifetime;
#[cfg(feature = "post")]
pub mod post;
mod prelude;
mod request;
// The JSON reader also reads the Azure token answers (`azure::token`), with or without `json`.
#[cfg(json_reader)]
mod schema;
#[cfg(sigv4)]
mod sigv4;
#[cfg(feature = "sigv4a")]
pub mod sigv4a;
mod sync;
mod text;
pub mod time;
mod types;
#[cfg(xml_reader)]
mod xml;

#[cfg(feature = "s3")]
pub mod s3;

#[cfg(feature = "azure")]
pub mod azure;
#[cfg(feature = "gcs")]
pub mod gcs;

#[cfg(feature = "verify")]
pub mod verify;

#[cfg(feature = "upload")]
pub mod upload;

#[cfg(feature = "wasm")]
mod wasm;

pub use encoding::percent_decode;
pub use error::{Error, Result};
#[cfg(feature = "post")]
pub use request::post::{presign_post, PostRequest, PostSigner, AZURE_UNSUPPORTED};
pub use request::{presign, Request, Signer};
pub use time::Timestamp;
pub use types::{CredentialExpiry, Method, Params, Presigned, Secret, Warning};

// The README's and docs/' Rust examples are compiled and run as doctests (the other code blocks name
// their language, so rustdoc leaves them alone).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
mod readme {}
#[cfg(doctest)]
mod docs {
    #[doc = include_str!("../docs/architecture.md")]
    mod architecture {}
    #[doc = include_str!("../docs/azure.md")]
    mod azure {}
    #[doc = include_str!("../docs/credentials.md")]
    mod credentials {}
    #[doc = include_str!("../docs/gcs.md")]
    mod gcs {}
    #[doc = include_str!("../docs/performance.md")]
    mod performance {}
    #[doc = include_str!("../docs/reference.md")]
    mod reference {}
    #[doc = include_str!("../docs/s3.md")]
    mod s3 {}
    #[doc = include_str!("../docs/s3express.md")]
    mod s3express {}
    #[doc = include_str!("../docs/security.md")]
    mod security {}
    #[doc = include_str!("../docs/testing.md")]
    mod testing {}
    #[doc = include_str!("../docs/uploads.md")]
    mod uploads {}
}

#[cfg(test)]
mod tests {
    /// The names between `start` and the next `end` in `text`, split at commas, quotes and
    /// whitespace dropped.
    fn names(text: &str, start: &str, end: &str) -> std::collections::BTreeSet<String> {
        let from = text.find(start).map(|i| i + start.len()).unwrap();
        let list = &text[from..];
        let list = &list[..list.find(end).unwrap()];
        list.split(',')
            .map(|n| n.trim().trim_matches('"').to_string())
            .filter(|n| !n.is_empty())
            .collect()
    }

    /// Every cfg build.rs declares is hidden from the documentation's availability notes, and
    /// nothing else is.
    #[test]
    fn the_docs_hide_exactly_the_cfgs_of_build_rs() {
        let build = include_str!("../build.rs");
        let declared: std::collections::BTreeSet<String> = build
            .lines()
            .filter_map(|l| l.trim().strip_prefix("(\""))
            .map(|l| l[..l.find('"').unwrap()].to_string())
            .collect();
        let hidden = names(include_str!("lib.rs"), "doc(auto_cfg(hide(", ")");
        assert!(declared.len() > 20, "{declared:?}");
        assert_eq!(declared, hidden);
    }
}
