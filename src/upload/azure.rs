//! Azure block blobs: Put Block, Put Block List, Get Block List, through the SAS presigner.
//!
//! Block ids: the part number in 6 decimal digits, base64 (`000001` → `MDAwMDAx`): every id of a
//! blob has the same length (Azure requires it), they sort as the parts do, and the ids need no
//! percent-escape; the list step reads the part number back.

#[cfg(feature = "azure")]
use super::step::with_step;
use super::{document, exchange, ListedPart, ListedParts};
#[cfg(feature = "azure")]
use super::{Step, StepRequest};
#[cfg(feature = "azure")]
use crate::encoding::base64;
use crate::encoding::base64_decode;
#[cfg(feature = "azure")]
use crate::error::Error;
use crate::error::Result;
#[cfg(feature = "azure")]
use crate::prelude::*;
#[cfg(feature = "azure")]
use crate::request::Signer;
#[cfg(feature = "azure")]
use crate::time::Timestamp;
#[cfg(feature = "azure")]
use crate::types::{Method, Params};

/// Digits of the part number in a block id (50,000 blocks at most: 5 would do; 6 keeps the
/// base64 free of padding).
const ID_DIGITS: usize = 6;

/// The block id of part `number`.
#[cfg(feature = "azure")]
pub fn block_id(number: u32) -> String {
    base64(format!("{number:0ID_DIGITS$}").as_bytes())
}

/// The part number of a block id [`block_id`] made.
fn part_of(id: &str) -> Option<u32> {
    let raw = base64_decode(id)?;
    if raw.len() != ID_DIGITS || !raw.iter().all(u8::is_ascii_digit) {
        return None;
    }
    core::str::from_utf8(&raw).ok()?.parse().ok()
}

#[cfg(feature = "azure")]
pub(super) fn sign(
    signer: &Signer,
    target: &crate::azure::AzureRequest,
    content_type: Option<&str>,
    step: Step<'_>,
    now: Timestamp,
) -> Result<StepRequest> {
    let mut r = target.clone();
    let mut body = String::new();
    let mut extra: Vec<(&str, String)> = Vec::new();
    if let (Some(ct), Step::Complete { .. } | Step::Put { .. }) = (content_type, step) {
        // Put Block List and Put Blob set the blob's type from this header.
        crate::encoding::canonical_headers([("x-ms-blob-content-type", ct)])
            .map_err(|_| Error::InvalidHeader("`contentType`: not a valid header value".into()))?;
        extra.push(("x-ms-blob-content-type", ct.into()));
    }
    block_step(&mut r.method, &mut r.query, step)?;
    match step {
        Step::Part { digest, .. } | Step::Put { digest } => {
            if let Some(c) = digest {
                // Content-MD5, or x-ms-content-crc64 (the CRC-64/NVME little-endian).
                extra.push(c.azure_header()?);
            }
        }
        Step::Complete { parts, .. } => {
            body.push_str("<?xml version='1.0' encoding='utf-8'?>\n<BlockList>");
            for p in parts {
                body.push_str("<Latest>");
                body.push_str(&block_id(p.number));
                body.push_str("</Latest>");
            }
            body.push_str("</BlockList>");
        }
        Step::Create | Step::Abort { .. } | Step::List { .. } => {}
    }
    let mut presigned = signer.presign(&crate::Request::Azure(r), now)?;
    if !extra.is_empty() {
        // A SAS signs no header: the client sends these (the service checks a digest against
        // the bytes).
        for (name, value) in extra {
            presigned.headers.push(name, value);
        }
        crate::text::sort_by(&mut presigned.headers.0, |a, b| a < b);
    }
    Ok(StepRequest {
        presigned,
        body,
        range: None,
    })
}

/// The Blob service operation of a step: its method and signed query (Put Block, Put Block
/// List, Get Block List, Put Blob).
#[cfg(feature = "azure")]
fn block_step(method: &mut Method, query: &mut Params, step: Step<'_>) -> Result<()> {
    match step {
        Step::Create | Step::Abort { .. } => return Err(Error::Unsupported(
            "Azure block blobs have no create or abort step: stage blocks, then commit the list \
                 (uncommitted blocks expire after 7 days)"
                .into(),
        )),
        Step::Part { number, .. } => {
            let id = block_id(number);
            with_step(
                method,
                query,
                Method::Put,
                &[("comp", "block"), ("blockid", &id)],
            );
        }
        Step::Complete { .. } => with_step(method, query, Method::Put, &[("comp", "blocklist")]),
        Step::List { .. } => with_step(
            method,
            query,
            Method::Get,
            &[("comp", "blocklist"), ("blocklisttype", "uncommitted")],
        ),
        Step::Put { .. } => *method = Method::Put,
    }
    Ok(())
}

/// A `BlockList` answer: the uncommitted blocks, as parts.
pub(super) fn parse_block_list(status: u16, body: &str) -> Result<ListedParts> {
    let what = exchange(super::Provider::Azure, "list");
    let x = document(what, status, body, "BlockList")?;
    let bad = |why: &str| crate::http::bad_response(what, why);
    let mut out = ListedParts::default();
    let mut pending: Option<ListedPart> = None;
    for (path, text) in &x.leaves {
        match path.as_str() {
            "UncommittedBlocks/Block/Name" => {
                if pending.is_some() {
                    return Err(bad("a <Block> without a <Size>"));
                }
                let number =
                    part_of(text).ok_or_else(|| bad("a block id this plan did not make"))?;
                pending = Some(ListedPart {
                    number,
                    ..ListedPart::default()
                });
            }
            "UncommittedBlocks/Block/Size" => {
                let mut p = pending
                    .take()
                    .ok_or_else(|| bad("a <Block> without a <Name>"))?;
                p.size = text.parse().map_err(|_| bad("a malformed <Size>"))?;
                out.parts.push(p);
            }
            _ => {}
        }
    }
    if pending.is_some() {
        return Err(bad("a <Block> without a <Size>"));
    }
    Ok(out)
}
