//! Large uploads straight from a client to the bucket, in parts, through presigned requests only
//! (cargo feature `upload`): one model for the three clouds.
//!
//! | step | S3 (and S3-compatibles) | Azure Blob | GCS (XML API multipart upload) |
//! | --- | --- | --- | --- |
//! | create | `POST ?uploads` → `UploadId` | none (blocks need no session) | `POST ?uploads` → `UploadId` |
//! | part *n* | `PUT ?partNumber=n&uploadId=…` | Put Block `PUT ?comp=block&blockid=…` | `PUT ?partNumber=n&uploadId=…` |
//! | complete | `POST ?uploadId=…` + `CompleteMultipartUpload` XML | Put Block List `PUT ?comp=blocklist` + `BlockList` XML | `POST ?uploadId=…` + `CompleteMultipartUpload` XML |
//! | abort | `DELETE ?uploadId=…` | none (uncommitted blocks expire after 7 days) | `DELETE ?uploadId=…` |
//! | list (resume) | ListParts `GET ?uploadId=…` | Get Block List `GET ?comp=blocklist&blocklisttype=uncommitted` | `GET ?uploadId=…` |
//!
//! The caller's HTTP client sends every request; the library builds them ([`Uploads`]) and reads
//! the answers it needs ([`parse_create_response`], [`parse_list_response`],
//! [`parse_complete_response`]); as JSON: `presign::json::plan_upload_json` and its siblings. Like every signer in the crate it reads no clock: the signing
//! instant comes in.
//!
//! ```
//! # #[cfg(feature = "json")] {
//! use presign::upload::{UploadRequest, Uploads};
//! use presign::{json, Timestamp};
//!
//! let target = json::parse_request(r#"{"provider": "s3", "bucket": "my-bucket", "key": "big.bin",
//!     "credentials": {"accessKeyId": "AKIAIOSFODNN7EXAMPLE", "secretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}"#)?;
//! let req = UploadRequest::new(target, 1 << 30); // 1 GiB
//! let now = Timestamp::parse_rfc3339("2026-11-24T10:00:00Z")?;
//! let up = Uploads::new();
//! let plan = up.plan(&req, now)?;
//! assert_eq!((plan.part_size, plan.part_count), (8 << 20, 128));
//! let create = plan.create.as_ref().unwrap();
//! assert!(create.url.starts_with("https://my-bucket.s3.amazonaws.com/big.bin?X-Amz-Algorithm="));
//! assert!(create.url.contains("&uploads=&"));
//! let part = up.part(&req, "UPLOAD-ID", 2, None, now)?;
//! assert_eq!(part.range, Some(presign::upload::PartRange { number: 2, offset: 8 << 20, length: 8 << 20 }));
//! # }
//! # Ok::<(), presign::Error>(())
//! ```

use crate::prelude::*;

mod answer;
mod azure;
mod digest;
mod gcs;
mod layout;
mod s3;
mod step;

use crate::checksum::Algorithm;
use crate::error::{Error, Result};
use crate::request::Request;
#[cfg(url_signer)]
use crate::request::Signer;
use crate::time::Timestamp;
use crate::types::Presigned;
use answer::{document, error_document, exchange};
use digest::{check_algorithm, digest, part_digest_error};
use layout::{layout, part_range, GIB, MIB};
use step::Step;

/// Which cloud an upload goes to (from the target [`Request`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    /// S3 and S3-compatible stores.
    S3,
    /// Azure Blob Storage (block blobs).
    Azure,
    /// Google Cloud Storage (XML API multipart upload).
    Gcs,
}

impl Provider {
    /// `s3`, `azure` or `gcs`, as in the request schema.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::S3 => "s3",
            Provider::Azure => "azure",
            Provider::Gcs => "gcs",
        }
    }

    /// Whether the provider verifies `algorithm` on a part and a single PUT: S3 all of them
    /// (`x-amz-checksum-*`, `Content-MD5`), Azure md5 and crc64nvme (`Content-MD5`,
    /// `x-ms-content-crc64`), GCS crc32c and md5 (`x-goog-hash`).
    pub fn verifies(self, algorithm: Algorithm) -> bool {
        match self {
            Provider::S3 => true,
            Provider::Azure => matches!(algorithm, Algorithm::Md5 | Algorithm::Crc64Nvme),
            Provider::Gcs => matches!(algorithm, Algorithm::Crc32c | Algorithm::Md5),
        }
    }

    /// The provider's part-size rule.
    pub fn limits(self) -> Limits {
        match self {
            // https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
            Provider::S3 => Limits {
                min_part: 5 * MIB,
                max_part: 5 * GIB,
                max_parts: 10_000,
            },
            // https://learn.microsoft.com/rest/api/storageservices/put-block (version 2019-12-12+)
            Provider::Azure => Limits {
                min_part: 1,
                max_part: 4000 * MIB,
                max_parts: 50_000,
            },
            // https://cloud.google.com/storage/quotas#requests (XML API multipart uploads)
            Provider::Gcs => Limits {
                min_part: 5 * MIB,
                max_part: 5 * GIB,
                max_parts: 10_000,
            },
        }
    }
}

/// A provider's part-size rule: every part but the last at least `min_part` bytes, every part at
/// most `max_part`, at most `max_parts` parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Smallest part but the last, in bytes.
    pub min_part: u64,
    /// Largest part, in bytes.
    pub max_part: u64,
    /// Most parts (blocks) in one object.
    pub max_parts: u32,
}

/// The part size chosen when the caller names none: 8 MiB (boto3's `multipart_chunksize`), or
/// the smallest whole number of MiB that keeps the object within the provider's part count.
pub const DEFAULT_PART_SIZE: u64 = 8 * MIB;

/// The checksum algorithm of an upload by its name in the request schema: an [`Algorithm`] name
/// (`crc32`, `crc32c`, `crc64nvme`, `md5`, `sha1`, `sha256`), or `crc64`, read as `crc64nvme`
/// (Azure's CRC-64 is CRC-64/NVME; its digest is given big-endian like every other).
///
/// # Errors
/// [`Error::InvalidRequest`] for any other name.
pub fn checksum_algorithm(name: &str) -> Result<Algorithm> {
    if name.eq_ignore_ascii_case("crc64") {
        return Ok(Algorithm::Crc64Nvme);
    }
    Algorithm::from_name(name).map_err(|_| {
        Error::InvalidRequest(
            "`checksum`: expected one of crc32, crc32c, crc64nvme (or crc64), sha1, sha256, md5"
                .into(),
        )
    })
}

/// An upload to plan: the target object (a request of the schema: bucket, key, credentials,
/// endpoint, lifetime, signed headers such as `content-type` for the create step; its `method`
/// is ignored), its size, and optionally the part size and the checksum algorithm every part
/// carries.
#[derive(Clone, Debug)]
pub struct UploadRequest {
    /// The object and who signs.
    pub target: Request,
    /// The object's size in bytes (at least 1).
    pub size: u64,
    /// The part size; default: see [`DEFAULT_PART_SIZE`].
    pub part_size: Option<u64>,
    /// The checksum every part carries (its digest is given per part).
    pub checksum: Option<Algorithm>,
    /// The object's content type: signed into the create step (S3, GCS), sent with the complete
    /// step as `x-ms-blob-content-type` (Azure); and with the single PUT.
    pub content_type: Option<String>,
}

impl UploadRequest {
    /// An upload of `size` bytes to `target`, part size chosen, no checksum.
    pub fn new(target: Request, size: u64) -> Self {
        UploadRequest {
            target,
            size,
            part_size: None,
            checksum: None,
            content_type: None,
        }
    }

    /// The provider of the target.
    ///
    /// # Errors
    /// [`Error::Unsupported`] in a build without the target's provider.
    pub fn provider(&self) -> Result<Provider> {
        match &self.target {
            #[cfg(feature = "s3")]
            Request::S3(_) => Ok(Provider::S3),
            #[cfg(feature = "azure")]
            Request::Azure(_) => Ok(Provider::Azure),
            #[cfg(feature = "gcs")]
            Request::Gcs(_) => Ok(Provider::Gcs),
            #[allow(unreachable_patterns)]
            _ => Err(Error::Unsupported("this build has no such provider".into())),
        }
    }

    /// The part size and count, checked against the provider's limits.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] saying which limit the size or part size breaks.
    pub fn layout(&self) -> Result<(u64, u32)> {
        layout(self.provider()?, self.size, self.part_size)
    }
}

/// One part's bytes: part `number` (from 1) is `length` bytes from `offset` of the object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartRange {
    /// The part number, from 1.
    pub number: u32,
    /// Where the part starts in the object.
    pub offset: u64,
    /// How many bytes it has.
    pub length: u64,
}

/// The plan of an upload: the layout, and the create request (none for Azure, whose blocks need
/// no session).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadPlan {
    /// The cloud.
    pub provider: Provider,
    /// The object's size.
    pub size: u64,
    /// Every part but the last has this size.
    pub part_size: u64,
    /// How many parts.
    pub part_count: u32,
    /// The checksum each part carries.
    pub checksum: Option<Algorithm>,
    /// The request that starts the upload and answers its upload id (S3, GCS); `None` for Azure.
    pub create: Option<Presigned>,
}

impl UploadPlan {
    /// Part `number`'s bytes.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when there is no such part.
    pub fn part_range(&self, number: u32) -> Result<PartRange> {
        part_range(self.size, self.part_size, self.part_count, number)
    }

    /// Every part's bytes, in order.
    pub fn parts(&self) -> impl Iterator<Item = PartRange> + '_ {
        (1..=self.part_count).filter_map(|n| self.part_range(n).ok())
    }
}

/// A request of one upload step: the presigned request (URL, method, headers to send), the body
/// to send (the complete step's XML; empty otherwise) and, for a part, its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepRequest {
    /// URL, method, headers, expiry.
    pub presigned: Presigned,
    /// The body (XML for the complete step), empty for none; parts send their bytes.
    pub body: String,
    /// The part's bytes (part steps only).
    pub range: Option<PartRange>,
}

/// An uploaded part, for the complete step: its number, the `ETag` the server answered (S3,
/// GCS; Azure ignores it) and its checksum digest (S3, when the upload names an algorithm).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompletedPart {
    /// The part number.
    pub number: u32,
    /// The ETag header of the part's answer, as sent (quotes included).
    pub etag: String,
    /// The part's checksum digest (base64), when the upload names an algorithm.
    pub checksum: Option<String>,
}

/// The builder of every upload step. Keep one for many requests: its signer caches derived keys.
#[derive(Debug, Default)]
pub struct Uploads {
    #[cfg(url_signer)]
    signer: Signer,
}

impl Uploads {
    /// A builder with empty key caches.
    pub fn new() -> Self {
        Self::default()
    }

    /// The plan: layout and create request.
    ///
    /// # Errors
    /// The layout's errors ([`UploadRequest::layout`]), a checksum the provider does not verify,
    /// and any error of the target request.
    pub fn plan(&self, req: &UploadRequest, now: Timestamp) -> Result<UploadPlan> {
        let provider = req.provider()?;
        let (part_size, part_count) = req.layout()?;
        check_algorithm(provider, req.checksum)?;
        let create = match provider {
            Provider::Azure => None,
            _ => Some(self.sign_step(req, Step::Create, now)?.presigned),
        };
        Ok(UploadPlan {
            provider,
            size: req.size,
            part_size,
            part_count,
            checksum: req.checksum,
            create,
        })
    }

    /// The create request alone (S3, GCS).
    ///
    /// # Errors
    /// [`Error::Unsupported`] for Azure; any error of the target request.
    pub fn create(&self, req: &UploadRequest, now: Timestamp) -> Result<StepRequest> {
        check_algorithm(req.provider()?, req.checksum)?;
        self.sign_step(req, Step::Create, now)
    }

    /// Part `number`: its URL, headers (with the checksum header when the upload names an
    /// algorithm: then `checksum`, the part's digest in base64, is required) and its bytes.
    /// `upload_id` is the create step's answer (ignored for Azure).
    ///
    /// # Errors
    /// A part number outside the plan, a missing or malformed digest, any error of the target.
    pub fn part(
        &self,
        req: &UploadRequest,
        upload_id: &str,
        number: u32,
        checksum: Option<&str>,
        now: Timestamp,
    ) -> Result<StepRequest> {
        let provider = req.provider()?;
        let (part_size, count) = req.layout()?;
        let range = part_range(req.size, part_size, count, number)?;
        let digest = digest(provider, req.checksum, checksum)?;
        let mut out = self.sign_step(
            req,
            Step::Part {
                upload_id,
                number,
                digest,
            },
            now,
        )?;
        out.range = Some(range);
        Ok(out)
    }

    /// The complete request with its XML body; `parts` as uploaded (any order: the body lists
    /// them by number).
    ///
    /// # Errors
    /// A part missing, repeated or outside the plan; a missing or malformed ETag or digest.
    pub fn complete(
        &self,
        req: &UploadRequest,
        upload_id: &str,
        parts: &[CompletedPart],
        now: Timestamp,
    ) -> Result<StepRequest> {
        let provider = req.provider()?;
        let (_, count) = req.layout()?;
        let mut sorted: Vec<&CompletedPart> = parts.iter().collect();
        crate::text::sort_by(&mut sorted, |a, b| a.number < b.number);
        let in_order = sorted
            .iter()
            .enumerate()
            .all(|(i, p)| u64::from(p.number) == i as u64 + 1);
        if sorted.len() != count as usize || !in_order {
            return Err(Error::InvalidRequest(
                "`parts`: every part of the plan, each once, numbered from 1".into(),
            ));
        }
        for (i, p) in sorted.iter().enumerate() {
            if provider != Provider::Azure && (p.etag.is_empty() || p.etag.contains(['\r', '\n'])) {
                return Err(Error::InvalidRequest(format!(
                    "`parts[{i}].etag`: the part's ETag header is required"
                )));
            }
            // S3 repeats each part's digest in the body (not MD5, which only Content-MD5 carries).
            let repeated = req.checksum.filter(|a| *a != Algorithm::Md5);
            if provider == Provider::S3 && (repeated.is_some() || p.checksum.is_some()) {
                digest(provider, repeated, p.checksum.as_deref())
                    .map_err(|_| part_digest_error(i, repeated))?;
            }
        }
        self.sign_step(
            req,
            Step::Complete {
                upload_id,
                parts: &sorted,
            },
            now,
        )
    }

    /// The abort request (S3, GCS): the server drops the parts.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for Azure (uncommitted blocks expire after 7 days; deleting the
    /// blob would delete an object it may replace).
    pub fn abort(
        &self,
        req: &UploadRequest,
        upload_id: &str,
        now: Timestamp,
    ) -> Result<StepRequest> {
        self.sign_step(req, Step::Abort { upload_id }, now)
    }

    /// The list request (resuming): the parts the server holds.
    ///
    /// # Errors
    /// Any error of the target request.
    pub fn list(
        &self,
        req: &UploadRequest,
        upload_id: &str,
        now: Timestamp,
    ) -> Result<StepRequest> {
        self.sign_step(req, Step::List { upload_id }, now)
    }

    /// A single PUT of the whole object with its checksum header (the small-file path): the
    /// target with method PUT and the digest signed in where the provider signs headers.
    ///
    /// # Errors
    /// A missing or malformed digest, any error of the target.
    pub fn put(
        &self,
        req: &UploadRequest,
        checksum: Option<&str>,
        now: Timestamp,
    ) -> Result<StepRequest> {
        let digest = digest(req.provider()?, req.checksum, checksum)?;
        self.sign_step(req, Step::Put { digest }, now)
    }

    fn sign_step(
        &self,
        req: &UploadRequest,
        step: Step<'_>,
        now: Timestamp,
    ) -> Result<StepRequest> {
        if let Step::Part { upload_id, .. }
        | Step::Complete { upload_id, .. }
        | Step::Abort { upload_id }
        | Step::List { upload_id } = step
        {
            if req.provider()? != Provider::Azure && upload_id.is_empty() {
                return Err(Error::InvalidRequest(
                    "`uploadId`: the create step's answer is required".into(),
                ));
            }
        }
        let ct = req.content_type.as_deref();
        let _ = (ct, now); // unused only in a build without any provider
        match &req.target {
            #[cfg(feature = "s3")]
            Request::S3(t) => s3::sign(&self.signer, t, req.checksum, ct, step, now),
            #[cfg(feature = "azure")]
            Request::Azure(t) => azure::sign(&self.signer, t, ct, step, now),
            #[cfg(feature = "gcs")]
            Request::Gcs(t) => gcs::sign(&self.signer, t, ct, step, now),
            #[allow(unreachable_patterns)]
            _ => Err(Error::Unsupported("this build has no such provider".into())),
        }
    }
}

/// The upload id in the create step's answer (S3 and GCS `InitiateMultipartUploadResult`).
///
/// # Errors
/// [`Error::Service`]: the service's error document (code and message), or a body that is not
/// the answer expected.
pub fn parse_create_response(provider: Provider, status: u16, body: &str) -> Result<String> {
    let what = exchange(provider, "create");
    let x = document(what, status, body, "InitiateMultipartUploadResult")?;
    match x
        .one("UploadId")
        .map_err(|e| crate::http::bad_response(what, &e))?
    {
        Some(id) if !id.is_empty() => Ok(id.to_owned()),
        _ => Err(crate::http::bad_response(what, "no <UploadId>")),
    }
}

/// A part the server holds (the list step's answer).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListedPart {
    /// The part number (Azure: read back from the block id this module makes).
    pub number: u32,
    /// Its size in bytes.
    pub size: u64,
    /// Its ETag (S3, GCS; empty for Azure).
    pub etag: String,
    /// Its checksum digest when the server lists one (S3 `ChecksumCRC32`…).
    pub checksum: Option<String>,
}

/// The list step's answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListedParts {
    /// The parts, as listed.
    pub parts: Vec<ListedPart>,
    /// More parts follow (S3, GCS): list again from `next_part_number_marker`.
    pub is_truncated: bool,
    /// Where the next page starts (S3, GCS).
    pub next_part_number_marker: Option<u32>,
}

impl ListedParts {
    /// The parts as [`CompletedPart`]s for the complete step.
    pub fn completed(&self) -> Vec<CompletedPart> {
        self.parts
            .iter()
            .map(|p| CompletedPart {
                number: p.number,
                etag: p.etag.clone(),
                checksum: p.checksum.clone(),
            })
            .collect()
    }
}

/// The parts the server holds: S3 and GCS `ListPartsResult`, Azure `BlockList` (uncommitted
/// blocks with the ids this module makes).
///
/// # Errors
/// [`Error::Service`]: an error document, or a body that is not the answer expected.
pub fn parse_list_response(provider: Provider, status: u16, body: &str) -> Result<ListedParts> {
    match provider {
        Provider::Azure => azure::parse_block_list(status, body),
        _ => s3::parse_list_parts(provider, status, body),
    }
}

/// Checks the complete step's answer. S3 may answer 200 with an error document (the failure
/// arrives after the status line): that is an error too.
///
/// # Errors
/// [`Error::Service`] with the service's code and message.
pub fn parse_complete_response(provider: Provider, status: u16, body: &str) -> Result<()> {
    let what = exchange(provider, "complete");
    if provider == Provider::Azure {
        if (200..300).contains(&status) {
            return Ok(());
        }
        return Err(error_document(what, status, body));
    }
    document(what, status, body, "CompleteMultipartUploadResult").map(drop)
}

// Last in the file: the public-API lister reads a file up to its test module.
#[cfg(test)]
mod tests;
