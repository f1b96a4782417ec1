//! `presign upload-plan`: the plan of a large upload in parts (S3 multipart upload, Azure
//! blocks, GCS XML API multipart upload): part size and count, the create request, and with
//! `--upload-id` (or for Azure) every part's presigned request.

use super::defaults::EnvDefaults;
use super::{no_credentials, now, post::parse_size, request_from_args, Failure, SignOpts};
use presign::json::{push_str, Reader};
use presign::upload::{json::plan_upload, Uploads};
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
    target: String,
    /// The object's size: bytes, or 500kB, 10MB, 1GiB…
    #[arg(long, value_name = "SIZE")]
    size: String,
    /// Bytes per part (default: 8 MiB or what the size needs).
    #[arg(long, value_name = "SIZE")]
    part_size: Option<String>,
    /// The checksum each part carries: crc32, crc32c, crc64nvme, sha1, sha256, md5 (S3);
    /// md5, crc64 (Azure); crc32c, md5 (GCS).
    #[arg(long, value_name = "ALGORITHM")]
    checksum: Option<String>,
    /// The create step's answer: sign every part, the list and the abort request too.
    #[arg(long, value_name = "ID")]
    upload_id: Option<String>,
    #[command(flatten)]
    opts: SignOpts,
}

pub fn run(a: &UploadPlanArgs) -> Result<(), Failure> {
    let size = parse_size("--size", &a.size)?;
    let part_size = a
        .part_size
        .as_deref()
        .map(|s| parse_size("--part-size", s))
        .transpose()?;
    let text = request_from_args(&a.target, &a.opts)?;
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
    for (name, value) in [("checksum", &a.checksum), ("uploadId", &a.upload_id)] {
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
