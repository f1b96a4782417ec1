//! The upload steps and the signing request each one makes of the target.

use super::CompletedPart;
use crate::checksum::Checksum;
#[cfg(url_signer)]
use crate::prelude::*;
#[cfg(url_signer)]
use crate::types::{Method, Params};

/// One step, with what it needs beyond the target.
// A build with `upload` and no provider makes steps it never signs: their fields go unread.
#[cfg_attr(not(url_signer), allow(dead_code))]
#[derive(Clone, Copy)]
pub(super) enum Step<'a> {
    Create,
    Part {
        upload_id: &'a str,
        number: u32,
        digest: Option<Checksum>,
    },
    Complete {
        upload_id: &'a str,
        parts: &'a [&'a CompletedPart],
    },
    Abort {
        upload_id: &'a str,
    },
    List {
        upload_id: &'a str,
    },
    Put {
        digest: Option<Checksum>,
    },
}

/// The signing request of a step: the target's method, extra signed query and headers.
#[cfg(url_signer)]
pub(super) fn with_step(method: &mut Method, query: &mut Params, m: Method, q: &[(&str, &str)]) {
    *method = m;
    for (n, v) in q {
        query.push(*n, *v);
    }
}

/// The signing request of a step of the XML multipart API, S3's and GCS's alike: the method and
/// signed query of the table in the module's documentation. The steps after the create one drop
/// the object's headers (content-type, metadata), which belong to the create step; the single
/// PUT keeps them.
#[cfg(sigv4)]
pub(super) fn xml_api_step(
    method: &mut Method,
    query: &mut Params,
    headers: &mut Params,
    step: Step<'_>,
) {
    match step {
        Step::Create => return with_step(method, query, Method::Post, &[("uploads", "")]),
        Step::Put { .. } => {
            *method = Method::Put;
            return;
        }
        Step::Part {
            upload_id, number, ..
        } => {
            let n = number.to_string();
            let q = [("partNumber", n.as_str()), ("uploadId", upload_id)];
            with_step(method, query, Method::Put, &q);
        }
        Step::Complete { upload_id, .. } => {
            with_step(method, query, Method::Post, &[("uploadId", upload_id)]);
        }
        Step::Abort { upload_id } => {
            with_step(method, query, Method::Delete, &[("uploadId", upload_id)]);
        }
        Step::List { upload_id } => {
            with_step(method, query, Method::Get, &[("uploadId", upload_id)]);
        }
    }
    headers.0.clear();
}
