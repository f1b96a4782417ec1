//! S3 multipart upload (CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
//! AbortMultipartUpload, ListParts) through the S3 presigner, and the ListParts answer (GCS's
//! XML API answers the same document).

#[cfg(feature = "s3")]
use super::step::xml_api_step;
use super::{document, exchange, ListedPart, ListedParts, Provider};
#[cfg(feature = "s3")]
use super::{Step, StepRequest};
#[cfg(sigv4)]
use crate::checksum::Algorithm;
use crate::error::{Error, Result};
#[cfg(feature = "s3")]
use crate::prelude::*;
#[cfg(feature = "s3")]
use crate::request::Signer;
#[cfg(feature = "s3")]
use crate::time::Timestamp;

/// The S3 name of the algorithm (`x-amz-checksum-algorithm` on the create step, the suffix of
/// the `CompletedPart` element that repeats a part's digest): none for MD5, which only
/// `Content-MD5` carries.
#[cfg(sigv4)]
fn s3_name(a: Algorithm) -> Option<&'static str> {
    Some(match a {
        Algorithm::Crc32 => "CRC32",
        Algorithm::Crc32c => "CRC32C",
        Algorithm::Crc64Nvme => "CRC64NVME",
        Algorithm::Sha1 => "SHA1",
        Algorithm::Sha256 => "SHA256",
        _ => return None,
    })
}

#[cfg(feature = "s3")]
pub(super) fn sign(
    signer: &Signer,
    target: &crate::s3::S3Request,
    algorithm: Option<Algorithm>,
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
        Step::Create => {
            if let Some(name) = algorithm.and_then(s3_name) {
                r.headers.push("x-amz-checksum-algorithm", name);
            }
        }
        Step::Part { digest, .. } | Step::Put { digest } => {
            if let Some(c) = digest {
                let (name, value) = c.s3_header();
                r.headers.push(name, value);
            }
        }
        Step::Complete { parts, .. } => {
            body = complete_body(
                "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">",
                parts.iter().map(|p| {
                    let checksum = match (algorithm.and_then(s3_name), &p.checksum) {
                        (Some(name), Some(v)) => Some((name, v.as_str())),
                        _ => None,
                    };
                    (p.number, p.etag.as_str(), checksum)
                }),
                true,
            );
        }
        Step::Abort { .. } | Step::List { .. } => {}
    }
    let presigned = signer.presign(&crate::Request::S3(r), now)?;
    Ok(StepRequest {
        presigned,
        body,
        range: None,
    })
}

/// A `CompleteMultipartUpload` document: `open` (the root's start tag), then one `<Part>` per
/// part. S3: `ETag`, `PartNumber`, then the checksum, as boto3 sends it (botocore serializes the
/// members in the caller's order; its transfer manager, s3transfer, gives them in this one). GCS:
/// `PartNumber` then `ETag`, as google-cloud-storage's `XMLMPUContainer` writes them. A part's
/// checksum is its algorithm's S3 name (`CRC32`) and digest.
#[cfg(sigv4)]
pub(super) fn complete_body<'p>(
    open: &str,
    parts: impl Iterator<Item = (u32, &'p str, Option<(&'static str, &'p str)>)>,
    etag_first: bool,
) -> String {
    let mut out = String::with_capacity(128);
    out.push_str(open);
    for (number, etag, checksum) in parts {
        out.push_str("<Part>");
        if !etag_first {
            push_number(&mut out, number);
        }
        out.push_str("<ETag>");
        xml_text(&mut out, etag);
        out.push_str("</ETag>");
        if etag_first {
            push_number(&mut out, number);
        }
        // `<ChecksumCRC32>…</ChecksumCRC32>`: the algorithm's S3 name after `Checksum`.
        if let Some((name, v)) = checksum {
            for piece in ["<Checksum", name, ">"] {
                out.push_str(piece);
            }
            xml_text(&mut out, v);
            for piece in ["</Checksum", name, ">"] {
                out.push_str(piece);
            }
        }
        out.push_str("</Part>");
    }
    out.push_str("</CompleteMultipartUpload>");
    out
}

#[cfg(sigv4)]
fn push_number(out: &mut String, n: u32) {
    out.push_str("<PartNumber>");
    crate::encoding::push_decimal(out, u64::from(n));
    out.push_str("</PartNumber>");
}

/// Escapes XML text (`&`, `<`, `>`), as the SDKs' serializers do.
#[cfg(sigv4)]
fn xml_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// A `ListPartsResult` (S3, GCS).
pub(super) fn parse_list_parts(provider: Provider, status: u16, body: &str) -> Result<ListedParts> {
    let what = exchange(provider, "list");
    let x = document(what, status, body, "ListPartsResult")?;
    let bad = |why: &str| crate::http::bad_response(what, why);
    let mut out = ListedParts::default();
    let mut cur: Option<(ListedPart, [bool; 3])> = None;
    for (path, text) in &x.leaves {
        match path.as_str() {
            "IsTruncated" => out.is_truncated = text == "true",
            "NextPartNumberMarker" if !text.is_empty() => {
                out.next_part_number_marker = Some(
                    text.parse()
                        .map_err(|_| bad("a malformed <NextPartNumberMarker>"))?,
                );
            }
            _ => {
                let Some(field) = path.strip_prefix("Part/") else {
                    continue;
                };
                let slot = match field {
                    "PartNumber" => 0,
                    "ETag" => 1,
                    "Size" => 2,
                    f if f.starts_with("Checksum") => 3,
                    _ => continue,
                };
                // A field seen again starts the next part (the reader flattens the elements).
                let fresh = match &cur {
                    Some((_, seen)) => seen.get(slot).copied().unwrap_or(false),
                    None => true,
                };
                if fresh {
                    if let Some(done) = cur.take() {
                        out.parts.push(finish(done, &bad)?);
                    }
                    cur = Some((ListedPart::default(), [false; 3]));
                }
                let Some((p, seen)) = cur.as_mut() else {
                    continue;
                };
                match slot {
                    0 => p.number = text.parse().map_err(|_| bad("a malformed <PartNumber>"))?,
                    1 => p.etag.clone_from(text),
                    2 => p.size = text.parse().map_err(|_| bad("a malformed <Size>"))?,
                    _ => p.checksum = Some(text.clone()),
                }
                if let Some(s) = seen.get_mut(slot) {
                    *s = true;
                }
            }
        }
    }
    if let Some(done) = cur.take() {
        out.parts.push(finish(done, &bad)?);
    }
    Ok(out)
}

fn finish((p, seen): (ListedPart, [bool; 3]), bad: &impl Fn(&str) -> Error) -> Result<ListedPart> {
    if !seen[0] || p.number == 0 {
        return Err(bad("a <Part> without a <PartNumber>"));
    }
    if !seen[1] {
        return Err(bad("a <Part> without an <ETag>"));
    }
    Ok(p)
}
