//! Uploads as JSON: the plan, each step's request and the answers' parsers, shared by the CLI
//! and the npm package (`planUploadJson`, `uploadRequestJson`, `uploadResponseJson`).
//!
//! Input: one object, the request schema of the target (`provider`, `bucket`, `key`,
//! `credentials`…) with the upload's members beside it:
//!
//! | member | where | what |
//! | --- | --- | --- |
//! | `size` | all | the object's size in bytes (required) |
//! | `partSize` | all | bytes per part (default: [`crate::upload::DEFAULT_PART_SIZE`] or larger) |
//! | `checksum` | all | `crc32`, `crc32c`, `crc64nvme`, `sha1`, `sha256`, `md5` (`crc64` is read as `crc64nvme`) |
//! | `contentType` | all | the object's type: signed into create (S3, GCS), sent with complete (Azure) and put |
//! | `uploadId` | plan, steps | the create step's answer (S3, GCS) |
//! | `step` | steps | `create`, `part`, `complete`, `abort`, `list`, `put` |
//! | `partNumber`, `digest` | `part` | the part and its digest (base64) |
//! | `digest` | `put` | the object's digest |
//! | `parts` | `complete` | `[{"partNumber", "etag", "digest"?}]` |
//!
//! Output: the plan `{"provider","size","partSize","partCount","checksum"?,"create","parts":[…]}`
//! (with an `uploadId`, or for Azure, each part also carries its presigned request when no
//! checksum is named, and `list` / `abort` follow); a step `{"url","method","headers",
//! "expiresAt","body"?,"part"?}`; errors `{"error":{"code","message"}}`.

use crate::checksum::Algorithm;
use crate::error::{Error, Result};
use crate::json::{error_json, parse_request, push_presigned, push_str, Object, Reader};
use crate::prelude::*;
use crate::time::Timestamp;
use crate::types::Presigned;
use crate::upload::{
    checksum_algorithm, parse_complete_response, parse_create_response, parse_list_response,
    CompletedPart, PartRange, Provider, StepRequest, UploadRequest, Uploads,
};

/// The upload members of an input object; the rest is the target request.
#[derive(Default)]
struct Input {
    size: Option<u64>,
    part_size: Option<u64>,
    checksum: Option<Algorithm>,
    content_type: Option<String>,
    upload_id: Option<String>,
    step: Option<String>,
    part_number: Option<u64>,
    digest: Option<String>,
    parts: Option<Vec<CompletedPart>>,
    request: String,
}

fn read_input(json: &str) -> Result<Input> {
    let mut input = Input::default();
    let mut request = String::with_capacity(json.len());
    request.push('{');
    let mut r = Reader::new(json);
    r.object(|r, name| {
        match name {
            "size" => input.size = Some(r.u64()?),
            "partSize" => input.part_size = Some(r.u64()?),
            "checksum" => input.checksum = Some(checksum_algorithm(&r.string()?)?),
            "contentType" => input.content_type = Some(r.string()?.into_owned()),
            "uploadId" => input.upload_id = Some(r.string()?.into_owned()),
            "step" => input.step = Some(r.string()?.into_owned()),
            "partNumber" => input.part_number = Some(r.u64()?),
            "digest" => input.digest = Some(r.string()?.into_owned()),
            "parts" => {
                let mut parts = Vec::new();
                r.array(|r| {
                    let mut p = CompletedPart::default();
                    let mut has_number = false;
                    r.object(|r, name| {
                        match name {
                            "partNumber" => {
                                p.number = u32::try_from(r.u64()?).unwrap_or(0);
                                has_number = true;
                            }
                            "etag" => p.etag = r.string()?.into_owned(),
                            "digest" => p.checksum = Some(r.string()?.into_owned()),
                            // The list step's answer may be passed back as it is.
                            "size" => drop(r.u64()?),
                            _ => return Err(crate::json::unknown(name)),
                        }
                        Ok(())
                    })?;
                    if !has_number {
                        return Err(crate::json::missing("partNumber"));
                    }
                    parts.push(p);
                    Ok(())
                })?;
                input.parts = Some(parts);
            }
            _ => {
                if request.len() > 1 {
                    request.push(',');
                }
                push_str(&mut request, name);
                request.push(':');
                request.push_str(r.raw()?);
            }
        }
        Ok(())
    })?;
    r.finish()?;
    request.push('}');
    input.request = request;
    Ok(input)
}

impl Input {
    fn upload(&self) -> Result<UploadRequest> {
        let target = parse_request(&self.request)?;
        Ok(UploadRequest {
            target,
            size: self.size.ok_or_else(|| crate::json::missing("size"))?,
            part_size: self.part_size,
            checksum: self.checksum,
            content_type: self.content_type.clone(),
        })
    }

    fn upload_id(&self) -> &str {
        self.upload_id.as_deref().unwrap_or("")
    }
}

/// The plan as JSON (see the module documentation).
pub fn plan_upload_json(up: &Uploads, json: &str, now: Timestamp) -> String {
    match plan_upload(up, json, now) {
        Ok(s) => s,
        Err(e) => error_json(&e),
    }
}

/// [`plan_upload_json`] with the error as an [`Error`] (the CLI's exit code needs it).
///
/// # Errors
/// The input's or the plan's error.
pub fn plan_upload(up: &Uploads, json: &str, now: Timestamp) -> Result<String> {
    let input = read_input(json)?;
    let req = input.upload()?;
    plan_sealed(up, &input, &req, now, &mut Seal::Signed)
}

fn plan_sealed(
    up: &Uploads,
    input: &Input,
    req: &UploadRequest,
    now: Timestamp,
    seal: &mut Seal,
) -> Result<String> {
    let mut plan = up.plan(req, now)?;
    if let Some(p) = plan.create.take() {
        plan.create = Some(seal.seal(p)?);
    }
    let mut out = String::with_capacity(512);
    let mut o = Object::new(&mut out)
        .str("provider", plan.provider.as_str())
        .raw("size", &plan.size.to_string())
        .raw("partSize", &plan.part_size.to_string())
        .raw("partCount", &plan.part_count.to_string());
    if let Some(a) = plan.checksum {
        o = o.str("checksum", a.name());
    }
    match &plan.create {
        Some(p) => push_presigned(o.key("create"), p),
        None => o.key("create").push_str("null"),
    }
    // With an upload id (or for Azure, which needs none) the parts can be signed now, unless
    // each needs its own digest.
    let sign_parts =
        (input.upload_id.is_some() || plan.provider == Provider::Azure) && plan.checksum.is_none();
    let parts = o.key("parts");
    parts.push('[');
    for (i, range) in plan.parts().enumerate() {
        if i > 0 {
            parts.push(',');
        }
        if sign_parts {
            let step = seal.step(up.part(req, input.upload_id(), range.number, None, now)?)?;
            push_step(parts, &step);
        } else {
            push_range(parts, range);
        }
    }
    parts.push(']');
    if input.upload_id.is_some() || plan.provider == Provider::Azure {
        let list = seal.step(up.list(req, input.upload_id(), now)?)?;
        push_presigned(o.key("list"), &list.presigned);
        if plan.provider != Provider::Azure {
            let abort = seal.step(up.abort(req, input.upload_id(), now)?)?;
            push_presigned(o.key("abort"), &abort.presigned);
        }
    }
    o.end();
    Ok(out)
}

fn push_range(out: &mut String, r: PartRange) {
    Object::new(out)
        .raw("partNumber", &r.number.to_string())
        .raw("offset", &r.offset.to_string())
        .raw("length", &r.length.to_string())
        .end();
}

/// A step's request: the presigned object, then `body` and `part` when present.
fn push_step(out: &mut String, s: &StepRequest) {
    push_presigned(out, &s.presigned);
    if s.body.is_empty() && s.range.is_none() {
        return;
    }
    out.pop(); // reopen the object
    if !s.body.is_empty() {
        out.push_str(",\"body\":");
        push_str(out, &s.body);
    }
    if let Some(r) = s.range {
        out.push_str(",\"part\":");
        push_range(out, r);
    }
    out.push('}');
}

/// One step's request as JSON (see the module documentation).
pub fn upload_request_json(up: &Uploads, json: &str, now: Timestamp) -> String {
    match step(up, json, now) {
        Ok(s) => s,
        Err(e) => error_json(&e),
    }
}

fn step(up: &Uploads, json: &str, now: Timestamp) -> Result<String> {
    let input = read_input(json)?;
    let req = input.upload()?;
    step_sealed(up, &input, &req, now, &mut Seal::Signed)
}

fn step_sealed(
    up: &Uploads,
    input: &Input,
    req: &UploadRequest,
    now: Timestamp,
    seal: &mut Seal,
) -> Result<String> {
    let id = input.upload_id();
    let out = match input.step.as_deref() {
        Some("create") => up.create(req, now)?,
        Some("part") => {
            let n = input
                .part_number
                .ok_or_else(|| crate::json::missing("partNumber"))?;
            let n = u32::try_from(n).unwrap_or(0);
            up.part(req, id, n, input.digest.as_deref(), now)?
        }
        Some("complete") => {
            let parts = input
                .parts
                .as_deref()
                .ok_or_else(|| crate::json::missing("parts"))?;
            up.complete(req, id, parts, now)?
        }
        Some("abort") => up.abort(req, id, now)?,
        Some("list") => up.list(req, id, now)?,
        Some("put") => up.put(req, input.digest.as_deref(), now)?,
        Some(_) => return Err(bad_step()),
        None => return Err(crate::json::missing("step")),
    };
    let out = seal.step(out)?;
    let mut s = String::with_capacity(out.presigned.url.len() + out.body.len() + 160);
    push_step(&mut s, &out);
    Ok(s)
}

/// How the requests of a call are completed: as the builder signs them, or, for GCS with a
/// service-account key in a build without RSA (the npm package), with signatures made elsewhere
/// (WebCrypto, IAM signBlob). Each request is then signed by the builder with a stand-in HMAC key
/// (same method, query, headers, instant and lifetime), and its service-account string to sign is
/// built from that request; the signatures complete them in the same order.
enum Seal {
    Signed,
    #[cfg(feature = "gcs")]
    External {
        /// The target with its service-account credentials.
        template: Box<crate::gcs::GcsRequest>,
        now: Timestamp,
        /// The strings to sign so far (first pass).
        strings: Vec<String>,
        /// The signatures, hex, in order (second pass).
        signatures: Option<alloc::vec::IntoIter<String>>,
    },
}

impl Seal {
    fn step(&mut self, mut s: StepRequest) -> Result<StepRequest> {
        s.presigned = self.seal(s.presigned)?;
        Ok(s)
    }

    fn seal(&mut self, p: Presigned) -> Result<Presigned> {
        match self {
            Seal::Signed => Ok(p),
            #[cfg(feature = "gcs")]
            Seal::External {
                template,
                now,
                strings,
                signatures,
            } => {
                let prepared = crate::gcs::prepare(&gcs_request(template, &p)?, *now)?;
                match signatures {
                    None => {
                        strings.push(prepared.string_to_sign().to_owned());
                        Ok(p)
                    }
                    Some(it) => {
                        let sig = it.next().ok_or_else(signature_count)?;
                        prepared.finish(&sig)
                    }
                }
            }
        }
    }
}

#[cfg(feature = "gcs")]
fn signature_count() -> Error {
    Error::InvalidRequest(
        "`signatures`: one signature per string to sign, in the same order".into(),
    )
}

/// The service-account request of a request the builder signed with the stand-in key: the
/// target with the step's method, headers and query (the URL's, less the signature's own
/// `X-Goog-*` parameters, which a caller cannot set).
#[cfg(feature = "gcs")]
fn gcs_request(template: &crate::gcs::GcsRequest, p: &Presigned) -> Result<crate::gcs::GcsRequest> {
    let mut r = template.clone();
    r.method = p.method;
    r.headers = p.headers.clone();
    let query = p.url.split_once('?').map_or("", |(_, q)| q);
    let pairs = crate::encoding::split_query(query)
        .ok_or_else(|| Error::InvalidRequest("the signed URL has a malformed query".into()))?;
    r.query = crate::types::Params(
        pairs
            .into_iter()
            .filter(|(n, _)| !n.starts_with("X-Goog-"))
            .collect(),
    );
    Ok(r)
}

/// For GCS with a service-account key: the input's upload request with a stand-in HMAC key, and
/// the target as given (the template of every request).
#[cfg(feature = "gcs")]
fn external(input: &Input) -> Result<(UploadRequest, crate::gcs::GcsRequest)> {
    let mut req = input.upload()?;
    let template = match &mut req.target {
        crate::request::Request::Gcs(g)
            if matches!(
                g.credentials,
                Some(crate::gcs::Credentials::ServiceAccount(_))
            ) =>
        {
            let template = g.clone();
            g.credentials = Some(crate::gcs::Credentials::Hmac(crate::gcs::HmacCredentials {
                access_id: "GOOG1ESTANDIN".into(),
                secret: "stand-in".into(),
            }));
            template
        }
        #[allow(unreachable_patterns)]
        _ => {
            return Err(Error::InvalidRequest(
                "only GCS requests with a service-account key are signed by an external signer"
                    .into(),
            ))
        }
    };
    Ok((req, template))
}

/// GCS with a service-account key signed elsewhere: the strings to sign of every request the
/// plan (`plan` true) or the step would sign, in order, `{"stringsToSign":[…]}`; sign each
/// (RSASSA-PKCS1-v1_5 / SHA-256) and pass the signatures with the same input and instant to
/// [`gcs_upload_finish_json`].
#[cfg(feature = "gcs")]
pub fn gcs_upload_strings_to_sign_json(
    up: &Uploads,
    json: &str,
    now: Timestamp,
    plan: bool,
) -> String {
    let run = || -> Result<String> {
        let (_, seal) = sealed(up, json, now, plan, None)?;
        let Seal::External { strings, .. } = seal else {
            return Ok(String::new());
        };
        let mut out =
            String::with_capacity(64 + strings.iter().map(|s| s.len() + 3).sum::<usize>());
        out.push_str("{\"stringsToSign\":[");
        for (i, s) in strings.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_str(&mut out, s);
        }
        out.push_str("]}");
        Ok(out)
    };
    run().unwrap_or_else(|e| error_json(&e))
}

/// Completes the plan or the step of [`gcs_upload_strings_to_sign_json`] (same input and
/// instant) with the signatures, hex, comma-separated, in order: the output of
/// [`plan_upload_json`] or [`upload_request_json`].
#[cfg(feature = "gcs")]
pub fn gcs_upload_finish_json(
    up: &Uploads,
    json: &str,
    now: Timestamp,
    plan: bool,
    signatures: &str,
) -> String {
    let run = || -> Result<String> {
        let signatures = signatures.split(',').map(str::to_owned).collect();
        let (out, seal) = sealed(up, json, now, plan, Some(signatures))?;
        if let Seal::External {
            signatures: Some(mut rest),
            ..
        } = seal
        {
            if rest.next().is_some() {
                return Err(signature_count());
            }
        }
        Ok(out)
    };
    run().unwrap_or_else(|e| error_json(&e))
}

/// Both passes of an upload signed outside: the plan or the step of `json` at `now`, sealed by
/// `signatures` (second pass) or collecting the strings to sign (first pass, `None`). Returns the
/// output and the seal, which holds the strings or the signatures left over.
#[cfg(feature = "gcs")]
fn sealed(
    up: &Uploads,
    json: &str,
    now: Timestamp,
    plan: bool,
    signatures: Option<Vec<String>>,
) -> Result<(String, Seal)> {
    let input = read_input(json)?;
    let (req, template) = external(&input)?;
    let mut seal = Seal::External {
        template: Box::new(template),
        now,
        strings: Vec::new(),
        signatures: signatures.map(Vec::into_iter),
    };
    let out = if plan {
        plan_sealed(up, &input, &req, now, &mut seal)?
    } else {
        step_sealed(up, &input, &req, now, &mut seal)?
    };
    Ok((out, seal))
}

fn bad_step() -> Error {
    Error::InvalidRequest(
        "`step`: expected one of \"create\", \"part\", \"complete\", \"abort\", \"list\", \"put\""
            .into(),
    )
}

/// Reads a step's answer: `{"provider","step","status","body"}` → `{"uploadId"}` (create),
/// `{"parts":[{"partNumber","size","etag","digest"?}],"isTruncated","nextPartNumberMarker"?}`
/// (list), `{"ok":true}` (complete); or the error object.
pub fn upload_response_json(json: &str) -> String {
    match response(json) {
        Ok(s) => s,
        Err(e) => error_json(&e),
    }
}

fn response(json: &str) -> Result<String> {
    let (mut provider, mut step, mut status, mut body) = (None, None, None, None);
    let mut r = Reader::new(json);
    r.object(|r, name| {
        match name {
            "provider" => provider = Some(r.string()?.into_owned()),
            "step" => step = Some(r.string()?.into_owned()),
            "status" => status = Some(<u16 as crate::json::FromJson>::from_json(r)?),
            "body" => body = Some(r.string()?.into_owned()),
            _ => return Err(crate::json::unknown(name)),
        }
        Ok(())
    })?;
    r.finish()?;
    let provider = match provider.as_deref() {
        Some("s3") => Provider::S3,
        Some("azure") => Provider::Azure,
        Some("gcs") => Provider::Gcs,
        Some(_) => {
            return Err(Error::InvalidRequest(
                "`provider`: expected one of \"s3\", \"azure\", \"gcs\"".into(),
            ))
        }
        None => return Err(crate::json::missing("provider")),
    };
    let status = status.ok_or_else(|| crate::json::missing("status"))?;
    let body = body.unwrap_or_default();
    let mut out = String::with_capacity(64 + body.len() / 2);
    match step.as_deref() {
        Some("create") => {
            let id = parse_create_response(provider, status, &body)?;
            Object::new(&mut out).str("uploadId", &id).end();
        }
        Some("list") => {
            let l = parse_list_response(provider, status, &body)?;
            let mut o = Object::new(&mut out);
            let a = o.key("parts");
            a.push('[');
            for (i, p) in l.parts.iter().enumerate() {
                if i > 0 {
                    a.push(',');
                }
                let mut po = Object::new(a)
                    .raw("partNumber", &p.number.to_string())
                    .raw("size", &p.size.to_string())
                    .str("etag", &p.etag);
                if let Some(d) = &p.checksum {
                    po = po.str("digest", d);
                }
                po.end();
            }
            a.push(']');
            o = o.raw("isTruncated", if l.is_truncated { "true" } else { "false" });
            if let Some(m) = l.next_part_number_marker {
                o = o.raw("nextPartNumberMarker", &m.to_string());
            }
            o.end();
        }
        Some("complete") => {
            parse_complete_response(provider, status, &body)?;
            out.push_str("{\"ok\":true}");
        }
        _ => {
            return Err(Error::InvalidRequest(
                "`step`: expected one of \"create\", \"list\", \"complete\"".into(),
            ))
        }
    }
    Ok(out)
}
