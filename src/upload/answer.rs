//! The services' answers: the XML document a step expects, or its error document.

use super::Provider;
use crate::error::{Error, Result};
use crate::prelude::*;

/// The name of a step's exchange in errors (`S3 ListParts`).
pub(super) fn exchange(provider: Provider, step: &str) -> &'static str {
    match (provider, step) {
        (Provider::S3, "create") => "S3 CreateMultipartUpload",
        (Provider::S3, "complete") => "S3 CompleteMultipartUpload",
        (Provider::S3, _) => "S3 ListParts",
        (Provider::Gcs, "create") => "GCS initiate multipart upload",
        (Provider::Gcs, "complete") => "GCS complete multipart upload",
        (Provider::Gcs, _) => "GCS list parts",
        (Provider::Azure, "complete") => "Azure Put Block List",
        (Provider::Azure, _) => "Azure Get Block List",
    }
}

/// The document with root `root`, or the error of an error document / another status.
pub(super) fn document(what: &str, status: u16, body: &str, root: &str) -> Result<crate::xml::Xml> {
    if !(200..300).contains(&status) {
        return Err(error_document(what, status, body));
    }
    let x = crate::xml::Xml::parse(body).map_err(|e| crate::http::bad_response(what, &e))?;
    if x.root == "Error" {
        return Err(error_document(what, status, body));
    }
    if x.root != root {
        return Err(crate::http::bad_response(what, "not the document expected"));
    }
    Ok(x)
}

/// An `<Error><Code>…</Code><Message>…</Message></Error>` answer (all three clouds) as
/// [`Error::Service`]; any other body: the status alone.
pub(super) fn error_document(what: &str, status: u16, body: &str) -> Error {
    if let Ok(x) = crate::xml::Xml::parse(body) {
        if x.root == "Error" {
            let code = x.one("Code").ok().flatten().unwrap_or("");
            let message = x.one("Message").ok().flatten().unwrap_or("");
            return crate::http::service_error(what, status, code, message);
        }
    }
    crate::http::bad_response(
        what,
        &format!("the service answered {status} without an error document"),
    )
}
