//! `presign upload-plan`: the plan of a large upload in parts (S3 multipart upload, Azure
//! blocks, GCS XML API multipart upload): part size and count, the create request, and with
//! `--upload-id` (or for Azure) every part's presigned request.

use super::defaults::EnvDefaults;
use super::{no_credentials, now, post::parse_size, request_from_args, Failure, Limits, SignOpts};
use presign::json::{error_json, push_str, Reader};
use presign::json::{plan_upload, plan_upload_json, upload_request_json, upload_response_json};
use presign::upload::Uploads;
use std::io::Write;

/// Arguments of `presign upload-plan`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
presign upload-plan s3://bucket/big.iso --size 1GiB --json\n  \
presign upload-plan s3://bucket/big.iso --size 1GiB --part-size 64MiB --checksum crc32 --json\n  \
presign upload-plan s3://bucket/big.iso --size 1GiB --upload-id ID --json   (every part's URL)\n  \
presign upload-plan az://container/big.iso --size 20GB --json\n  \
presign upload-plan gs://bucket/big.iso --size 300MiB --json\n\n\
Sizes: 10MB = 10,000,000 bytes, 10MiB = 10,485,760. Part size: default 8 MiB, larger when the \
object needs it to stay within the provider's part count (S3 and GCS: 5 MiB to 5 GiB, 10,000 \
parts; Azure: up to 4000 MiB, 50,000 blocks). Output (--json): {\"provider\",\"size\",\"partSize\",\
\"partCount\",\"checksum\"?,\"create\",\"parts\":[...],\"list\"?,\"abort\"?}.")]
pub struct UploadPlanArgs {
    /// s3://bucket/key, az://container/blob, https://ACCOUNT.blob.core.windows.net/container/blob or gs://bucket/object.
    #[arg(required_unless_present = "json_request")]
    target: Option<String>,
    /// The object's size: bytes, or 500kB, 10MB, 1GiB…
    #[arg(long, value_name = "SIZE", required_unless_present = "json_request")]
    size: Option<String>,
    /// Read JSON Lines on stdin instead of flags: the request schema with the upload's members
    /// (size, partSize, checksum, uploadId) is a plan; with "step" (create, part, complete, abort,
    /// list, put) one step's request; {"provider","step","status","body"} reads a step's answer
    /// (the body is required, "" for none).
    /// One result or {"error":{"code","message"}} per line, in order; members a request leaves
    /// out (credentials, region, endpoint) come from the environment.
    #[arg(long, conflicts_with_all = ["target", "size"])]
    json_request: bool,
    /// Bytes per part (default: 8 MiB or what the size needs).
    #[arg(long, value_name = "SIZE")]
    part_size: Option<String>,
    /// The checksum each part carries: crc32, crc32c, crc64nvme, sha1, sha256, md5 (S3);
    /// md5, crc64nvme (Azure: sent little-endian as x-ms-content-crc64; crc64 is the same);
    /// crc32c, md5 (GCS). Digests are base64, a CRC's big-endian.
    #[arg(long, value_name = "ALGORITHM")]
    checksum: Option<String>,
    /// The object's content type: signed into the create step (S3, GCS), sent with the complete
    /// step as x-ms-blob-content-type (Azure).
    #[arg(long, value_name = "TYPE")]
    content_type: Option<String>,
    /// The create step's answer: sign every part, the list and the abort request too.
    #[arg(long, value_name = "ID")]
    upload_id: Option<String>,
    #[command(flatten)]
    opts: SignOpts,
}

pub fn run(a: &UploadPlanArgs) -> Result<(), Failure> {
    if a.json_request {
        return lines();
    }
    let (Some(target), Some(size)) = (&a.target, &a.size) else {
        return Err(Failure::Usage("missing target or --size".into()));
    };
    let size = parse_size("--size", size)?;
    let part_size = a
        .part_size
        .as_deref()
        .map(|s| parse_size("--part-size", s))
        .transpose()?;
    let text = request_from_args(target, &a.opts, &Limits::default())?;
    let req = EnvDefaults::read().fill(&text)?;
    if !req.has_credentials {
        return Err(Failure::Sign(no_credentials(req.provider)));
    }
    // The request object with the upload's members beside it.
    let mut input = req.text.trim_end().to_owned();
    input.pop(); // '}'
    input.push_str(&format!(",\"size\":{size}"));
    if let Some(p) = part_size {
        input.push_str(&format!(",\"partSize\":{p}"));
    }
    for (name, value) in [
        ("checksum", &a.checksum),
        ("contentType", &a.content_type),
        ("uploadId", &a.upload_id),
    ] {
        if let Some(v) = value {
            input.push(',');
            push_str(&mut input, name);
            input.push(':');
            push_str(&mut input, v);
        }
    }
    input.push('}');
    let out = plan_upload(&Uploads::new(), &input, now()?)?;
    let mut stdout = std::io::stdout().lock();
    if a.opts.json {
        let _ = writeln!(stdout, "{out}");
    } else {
        let _ = writeln!(stdout, "{}", summary(&out));
    }
    Ok(())
}

/// `--json-request`: a plan, a step or an answer per line.
fn lines() -> Result<(), Failure> {
    let up = Uploads::new();
    let defaults = EnvDefaults::read();
    super::lines::answer_lines(std::io::stdin().lock(), std::io::stdout().lock(), |line| {
        let member = |name: &str| Reader::new(line).peek_member(name).ok().flatten().is_some();
        // An answer to read carries its body (a string); a step names its step.
        let out = if member("body") {
            upload_response_json(line)
        } else {
            match defaults.fill(line) {
                Err(e) => error_json(&e),
                Ok(req) => match now() {
                    Err(e) => error_json(&e),
                    Ok(t) if member("step") => upload_request_json(&up, &req.text, t),
                    Ok(t) => plan_upload_json(&up, &req.text, t),
                },
            }
        };
        let ok = !out.starts_with("{\"error\":");
        (out, ok)
    })
}

/// `provider: N parts of M bytes`, then the create URL (without --json).
fn summary(out: &str) -> String {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut r = Reader::new(out);
    let _ = r.object(|r, name| {
        let raw = r.raw()?;
        fields.push((name.to_owned(), raw.to_owned()));
        Ok(())
    });
    let get = |n: &str| {
        fields
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.trim_matches('"').to_owned())
            .unwrap_or_default()
    };
    let mut s = format!(
        "{}: {} bytes in {} parts of {} bytes",
        get("provider"),
        get("size"),
        get("partCount"),
        get("partSize")
    );
    let create = get("create");
    if let Some(url) = create
        .split("\"url\":\"")
        .nth(1)
        .and_then(|u| u.split('"').next())
    {
        s.push_str("\ncreate: POST ");
        s.push_str(url);
    }
    s
}
