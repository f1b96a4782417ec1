//! GCS XML API multipart upload (`POST ?uploads`, `PUT ?partNumber=&uploadId=`,
//! `POST ?uploadId=`, `DELETE ?uploadId=`, `GET ?uploadId=`) through the V4 signer. Digests go
//! in `x-goog-hash` (`crc32c=…` or `md5=…`), a signed header.

#[cfg(feature = "gcs")]
use super::step::xml_api_step;
#[cfg(feature = "gcs")]
use super::{Step, StepRequest};
#[cfg(feature = "gcs")]
use crate::error::Result;
#[cfg(feature = "gcs")]
use crate::prelude::*;
#[cfg(feature = "gcs")]
use crate::request::Signer;
#[cfg(feature = "gcs")]
use crate::time::Timestamp;

#[cfg(feature = "gcs")]
pub(super) fn sign(
    signer: &Signer,
    target: &crate::gcs::GcsRequest,
    content_type: Option<&str>,
    step: Step<'_>,
    now: Timestamp,
) -> Result<StepRequest> {
    let mut r = target.clone();
    if let (Some(ct), Step::Create | Step::Put { .. }) = (content_type, step) {
        r.headers.push("content-type", ct);
    }
    xml_api_step(&mut r.method, &mut r.query, &mut r.headers, step);
    let mut body = String::new();
    match step {
        Step::Part { digest, .. } | Step::Put { digest } => {
            if let Some(c) = digest {
                r.headers.push("x-goog-hash", c.gcs_hash()?);
            }
        }
        Step::Complete { parts, .. } => {
            body = super::s3::complete_body(
                "<CompleteMultipartUpload>",
                parts.iter().map(|p| (p.number, p.etag.as_str(), None)),
                false,
            );
        }
        Step::Create | Step::Abort { .. } | Step::List { .. } => {}
    }
    let presigned = signer.presign(&crate::Request::Gcs(r), now)?;
    Ok(StepRequest {
        presigned,
        body,
        range: None,
    })
}
