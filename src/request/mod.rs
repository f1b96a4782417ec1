//! A presign request for any provider, and the signer that dispatches it to the provider's
//! presigner (the shared types are in `types.rs`).
//!
//! With the `json` feature (default) requests are read from camelCase JSON ([`crate::json`]);
//! unknown members are an error. A request is tagged by `provider`:
//!
//! ```json
//! {"provider": "s3", "method": "PUT", "bucket": "b", "key": "photos/cat 1.jpg",
//!  "region": "eu-west-1", "expiresIn": 600, "headers": {"content-type": "image/jpeg"},
//!  "credentials": {"accessKeyId": "AKIA…", "secretAccessKey": "…"}}
//! ```

use crate::error::msg;
use crate::error::{Error, Result};
use crate::time::Timestamp;
use crate::types::Presigned;

#[cfg(feature = "post")]
pub(crate) mod post;

/// A presign request for any provider, tagged by `provider` in JSON.
#[derive(Clone, Debug)]
#[non_exhaustive]
// Requests are built once per URL and moved rarely; boxing would only cost an allocation.
#[allow(clippy::large_enum_variant)]
pub enum Request {
    /// Amazon S3 and S3-compatible stores (`"provider": "s3"`).
    #[cfg(feature = "s3")]
    S3(crate::s3::S3Request),
    /// Azure Blob Storage SAS (`"provider": "azure"`).
    #[cfg(feature = "azure")]
    Azure(crate::azure::AzureRequest),
    /// Google Cloud Storage V4 signed URLs (`"provider": "gcs"`).
    #[cfg(feature = "gcs")]
    Gcs(crate::gcs::GcsRequest),
}

impl Request {
    /// The instant the request asks to be signed at, if it names one.
    pub fn signed_at(&self) -> Option<Timestamp> {
        match self {
            #[cfg(feature = "s3")]
            Request::S3(r) => r.signed_at,
            #[cfg(feature = "azure")]
            Request::Azure(r) => r.signed_at,
            #[cfg(feature = "gcs")]
            Request::Gcs(r) => r.signed_at,
            // Only reachable in a build without any provider.
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}

/// A reusable signer for requests of any provider. It caches derived keys, so a batch signed
/// through one `Signer` derives each key once. Cheap to create; safe to share between threads.
#[derive(Debug, Default)]
pub struct Signer {
    #[cfg(feature = "s3")]
    s3: crate::s3::Presigner,
    #[cfg(feature = "azure")]
    azure: crate::azure::Presigner,
    #[cfg(feature = "gcs")]
    gcs: crate::gcs::Presigner,
}

impl Signer {
    /// A signer with empty caches.
    pub fn new() -> Self {
        Self::default()
    }

    /// Presigns `req`. The signing instant is `req`'s `signedAt` if present, else `now`.
    ///
    /// # Errors
    /// Any [`Error`] the provider reports for invalid input.
    pub fn presign(&self, req: &Request, now: Timestamp) -> Result<Presigned> {
        let _ = now; // unused only in a build without any provider
        match req {
            #[cfg(feature = "s3")]
            Request::S3(r) => self.s3.presign(r, now),
            #[cfg(feature = "azure")]
            Request::Azure(r) => self.azure.presign(r, now),
            #[cfg(feature = "gcs")]
            Request::Gcs(r) => self.gcs.presign(r, now),
            // Only reachable in a build without any provider.
            #[allow(unreachable_patterns)]
            _ => Err(Error::Unsupported(msg!(
                "this build of presign has no provider (features s3, azure, gcs)"
            ))),
        }
    }
}

impl Signer {
    /// [`Signer::presign`]; an S3 URL's signature may be left to compute (`sigv4::Unsigned`:
    /// a batch computes four at a time).
    #[cfg(batch_sign)]
    pub(crate) fn presign_unsigned(
        &self,
        req: &Request,
        now: Timestamp,
    ) -> Result<(Presigned, Option<crate::sigv4::Unsigned>)> {
        match req {
            Request::S3(r) => self.s3.presign_unsigned(r, now),
            #[allow(unreachable_patterns)]
            _ => self.presign(req, now).map(|p| (p, None)),
        }
    }
}

/// Presigns one request without a cache (see [`Signer`] for batches).
///
/// # Errors
/// Any [`Error`] the provider reports for invalid input.
pub fn presign(req: &Request, now: Timestamp) -> Result<Presigned> {
    Signer::new().presign(req, now)
}
