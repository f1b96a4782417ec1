//! GCS XML API multipart upload (`POST ?uploads`, `PUT ?partNumber=&uploadId=`,
//! `POST ?uploadId=`, `DELETE ?uploadId=`, `GET ?uploadId=`) through the V4 signer. Digests go
//! in `x-goog-hash` (`crc32c=…` or `md5=…`), a signed header.

use super::{with_step, Step, StepRequest};
use crate::error::Result;
use crate::request::Signer;
use crate::time::Timestamp;
use crate::types::Method;

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
    let mut body = String::new();
    match step {
        Step::Create => {
            with_step(
                &mut r.method,
                &mut r.query,
                Method::Post,
                &[("uploads", "")],
            );
        }
        Step::Part {
            upload_id,
            number,
            digest,
        } => {
            let n = number.to_string();
            with_step(
                &mut r.method,
                &mut r.query,
                Method::Put,
                &[("partNumber", &n), ("uploadId", upload_id)],
            );
            r.headers.0.clear();
            if let Some(c) = digest {
                r.headers.push("x-goog-hash", c.gcs_hash()?);
            }
        }
        Step::Complete { upload_id, parts } => {
            with_step(
                &mut r.method,
                &mut r.query,
                Method::Post,
                &[("uploadId", upload_id)],
            );
            r.headers.0.clear();
            body = super::s3::complete_body(
                "<CompleteMultipartUpload>",
                parts.iter().map(|p| (p.number, p.etag.as_str(), None)),
                false,
            );
        }
        Step::Abort { upload_id } => {
            with_step(
                &mut r.method,
                &mut r.query,
                Method::Delete,
                &[("uploadId", upload_id)],
            );
            r.headers.0.clear();
        }
        Step::List { upload_id } => {
            with_step(
                &mut r.method,
                &mut r.query,
                Method::Get,
                &[("uploadId", upload_id)],
            );
            r.headers.0.clear();
        }
        Step::Put { digest } => {
            r.method = Method::Put;
            if let Some(c) = digest {
                r.headers.push("x-goog-hash", c.gcs_hash()?);
            }
        }
    }
    let presigned = signer.presign(&crate::Request::Gcs(r), now)?;
    Ok(StepRequest {
        presigned,
        body,
        range: None,
    })
}
