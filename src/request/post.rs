//! Form uploads (POST policies) for any provider: the request tagged by `provider`, and the
//! signer that dispatches it to the provider's POST signer. The policy model is [`crate::post`].

use crate::error::{Error, Result};
use crate::post::{PostForm, PostPolicy};
use crate::time::Timestamp;

/// A form upload for any provider (the `post` request schema, tagged by `provider`).
#[derive(Clone, Debug)]
#[allow(clippy::large_enum_variant)]
#[non_exhaustive]
pub enum PostRequest {
    /// S3 and S3-compatible stores.
    #[cfg(feature = "s3")]
    S3(crate::s3::post::S3PostRequest),
    /// Google Cloud Storage.
    #[cfg(feature = "gcs")]
    Gcs(crate::gcs::post::GcsPostRequest),
    /// Azure Blob Storage: always [`Error::Unsupported`] (no POST policy exists there).
    Azure(PostPolicy),
}

/// The message of the Azure refusal: it names what to use instead.
pub const AZURE_UNSUPPORTED: &str =
    "Azure Blob Storage has no POST policy for browser form uploads; \
use a SAS PUT instead (provider \"azure\", method \"PUT\", permissions \"cw\"): the browser sends \
the file as the body with the header x-ms-blob-type: BlockBlob (the result lists it); an exact \
size can be enforced by signing content-length";

/// Signs a form upload for any provider, without caches (for many forms, keep an
/// [`crate::s3::Presigner`] / [`crate::gcs::Presigner`] and call their `presign_post`).
///
/// # Errors
/// As the provider's `presign_post`; [`Error::Unsupported`] for Azure.
pub fn presign_post(req: &PostRequest, now: Timestamp) -> Result<PostForm> {
    PostSigner::new().presign_post(req, now)
}

/// Signs form uploads for any provider with caches kept across calls (derived S3 and GCS HMAC
/// keys, parsed RSA keys). Safe to share between threads.
#[derive(Debug, Default)]
pub struct PostSigner {
    #[cfg(feature = "s3")]
    s3: crate::s3::Presigner,
    #[cfg(feature = "gcs")]
    gcs: crate::gcs::Presigner,
}

impl PostSigner {
    /// A signer with empty caches.
    pub fn new() -> Self {
        Self::default()
    }

    /// Signs `req` (see [`presign_post`]).
    ///
    /// # Errors
    /// As the provider's `presign_post`; [`Error::Unsupported`] for Azure.
    // Without S3 and GCS (post alone) every request is refused before the instant is read.
    #[cfg_attr(not(sigv4), allow(unused_variables))]
    pub fn presign_post(&self, req: &PostRequest, now: Timestamp) -> Result<PostForm> {
        match req {
            #[cfg(feature = "s3")]
            PostRequest::S3(r) => self.s3.presign_post(r, now),
            #[cfg(feature = "gcs")]
            PostRequest::Gcs(r) => self.gcs.presign_post(r, now),
            PostRequest::Azure(_) => Err(Error::Unsupported(AZURE_UNSUPPORTED.into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> Timestamp {
        Timestamp::parse_rfc3339("2026-11-24T10:00:00Z").unwrap()
    }

    #[test]
    fn azure_is_refused_with_the_alternative() {
        let e = presign_post(&PostRequest::Azure(PostPolicy::new("c", "b")), t0()).unwrap_err();
        assert_eq!(e.code(), "UNSUPPORTED");
        assert!(e.message().contains("x-ms-blob-type: BlockBlob"));
        assert!(e.message().contains("PUT"));
    }
}
