//! `presign post`: a signed browser form upload (S3 SigV4 POST policy, GCS V4 POST policy),
//! printed as JSON: `{"url","fields":[[name,value],…],"expiresAt"}`.

use super::defaults::{EnvDefaults, Provider, Shape};
use super::{flags, is_json, no_credentials, now, Failure};
use presign::json::{parse_post_request, post_result_json, Object};
use presign::Error;
use presign::PostSigner;
use std::io::Write;

/// Arguments of `presign post`.
#[derive(clap::Args, Debug)]
#[command(after_help = concat!("Examples:\n  \
presign post s3://bucket/uploads/ --max-size 10MB --content-type image/ --expires 10m\n  \
presign post 's3://bucket/avatars/${filename}' --content-type image/png --acl public-read\n  \
presign post gs://bucket/inbox/ --max-size 1GiB --meta owner=alice --success-status 201\n  \
presign post s3://bucket/img/ --content-type image/ --field Content-Type=image/png\n  \
presign post s3://bucket/k --condition '[\"starts-with\",\"$x-amz-meta-tag\",\"\"]' --condition '{\"acl\":\"private\"}'\n  \
echo '{\"provider\":\"s3\",\"bucket\":\"b\",\"keyPrefix\":\"u/\"}' | presign post --json-request\n\n\
The target names the key: s3://bucket/prefix/ (ending in '/') allows any key under the prefix and \
pre-fills the key field with prefix${filename}; s3://bucket/key allows exactly that key (S3, as \
boto3: a key ending in ${filename} allows any key starting with the text before it; GCS, as \
google-cloud-storage: exact whatever it holds). Any key in the bucket only with --any-key (the \
target then names the bucket alone, or a key to pre-fill). Azure has no POST policy: sign a PUT \
instead (presign az://container/blob --method PUT).\n\n\
Output: {\"url\",\"fields\":[[name,value],...],\"expiresAt\"}: post the fields in this order, then \
the file as the last field. Fields that only a condition names (--content-type PREFIX/, \
--starts-with, --condition) are added by the client (e.g. content-type with the file's type) \
unless --field pre-fills them. Sizes: 10MB = 10,000,000 bytes, 10MiB = 10,485,760. Credentials \
come from the same environment variables as the URL signer.\n\n", super::lines::exit_rule!()))]
pub struct PostArgs {
    /// s3://bucket/prefix/, s3://bucket/key, gs://bucket/prefix/ or gs://bucket/key.
    #[arg(required_unless_present = "json_request")]
    target: Option<String>,
    /// Read `post` requests as JSON Lines on stdin instead of flags; write one result or
    /// {"error":{"code","message"}} per line, in order (exit codes below). Members a request
    /// leaves out (credentials, region, endpoint) come from the environment.
    #[arg(long, conflicts_with = "target")]
    json_request: bool,
    #[command(flatten)]
    validity: flags::Validity,
    /// Largest upload allowed: bytes, or 500kB, 10MB, 1GB, 10MiB, 1GiB… (content-length-range).
    #[arg(long, value_name = "SIZE")]
    max_size: Option<String>,
    /// Smallest upload allowed (default 0; needs --max-size).
    #[arg(long, value_name = "SIZE", requires = "max_size")]
    min_size: Option<String>,
    /// Content type: exact (image/png), or a prefix when it ends in '/' or '/*' (image/).
    #[arg(long, value_name = "TYPE")]
    content_type: Option<String>,
    /// Canned ACL of the object (private, public-read, …).
    #[arg(long)]
    acl: Option<String>,
    /// Cache-Control of the stored object.
    #[arg(long, value_name = "VALUE")]
    cache_control: Option<String>,
    /// Content-Disposition of the stored object.
    #[arg(long, value_name = "VALUE")]
    content_disposition: Option<String>,
    /// Content-Encoding of the stored object.
    #[arg(long, value_name = "VALUE")]
    content_encoding: Option<String>,
    /// Object metadata (repeatable), without the x-amz-meta- / x-goog-meta- prefix.
    #[arg(long = "meta", value_name = "NAME=VALUE")]
    metadata: Vec<String>,
    /// Another pre-filled form field (repeatable), e.g. x-amz-server-side-encryption=AES256: an
    /// exact condition too, unless a condition names the field (then a default within it);
    /// x-ignore-* fields: in the form only.
    #[arg(long = "field", value_name = "NAME=VALUE")]
    fields: Vec<String>,
    /// A starts-with condition on a field the client fills in (repeatable); empty prefix: any value.
    #[arg(long = "starts-with", value_name = "NAME=PREFIX")]
    starts_with: Vec<String>,
    /// A policy condition as the SDKs write it, kept in the order given (repeatable):
    /// '{"acl":"private"}', '["eq","$acl","private"]', '["starts-with","$Content-Type","image/"]'
    /// or '["content-length-range",1,100]'. Not a form field: the client sends the field
    /// unless --field pre-fills it.
    #[arg(long = "condition", value_name = "JSON")]
    conditions: Vec<String>,
    /// Allow any key in the bucket (["starts-with","$key",""]): the target names the bucket
    /// alone, or a key to pre-fill.
    #[arg(long)]
    any_key: bool,
    /// success_action_status: 200, 201 or 204.
    #[arg(long, value_name = "STATUS")]
    success_status: Option<u64>,
    /// success_action_redirect: where the browser goes after the upload.
    #[arg(long, value_name = "URL")]
    redirect: Option<String>,
    #[command(flatten)]
    location: flags::Location,
}

pub fn run(a: &PostArgs) -> Result<(), Failure> {
    let signer = PostSigner::new();
    let defaults = EnvDefaults::read();
    let mut stdout = std::io::stdout().lock();
    if !a.json_request {
        let form = sign_text(&signer, &defaults, &request_from_args(a)?)?;
        for w in &form.warnings {
            eprintln!("presign: warning: {}: {}", w.code, w.message);
        }
        let _ = writeln!(stdout, "{}", post_result_json(&Ok(form)));
        return Ok(());
    }
    // JSON Lines in, one result (or error object) per line out, in order.
    super::lines::answer_lines(std::io::stdin().lock(), stdout, |line| {
        let result = sign_text(&signer, &defaults, line);
        (post_result_json(&result), result.is_ok())
    })
}

/// Fills what the request `text` leaves out from the environment and signs it. Text that is not
/// JSON gets the library's explanation (it names no value).
fn sign_text(
    signer: &PostSigner,
    defaults: &EnvDefaults,
    text: &str,
) -> Result<presign::post::PostForm, Error> {
    let req = defaults.fill(text)?;
    // Text that is not JSON gets the library's explanation first.
    let refused = if req.provider == Provider::Azure {
        Some(Error::Unsupported(presign::AZURE_UNSUPPORTED.into()))
    } else if !req.has_credentials {
        Some(no_credentials(match req.provider {
            Provider::Gcs => Provider::Gcs,
            _ => Provider::S3,
        }))
    } else {
        None
    };
    if let Some(e) = refused.filter(|_| req.shape != Shape::Malformed && is_json(text)) {
        return Err(e);
    }
    signer.presign_post(&parse_post_request(&req.text)?, now()?)
}

/// The `post` request (its JSON text) for the command-line flags.
fn request_from_args(a: &PostArgs) -> Result<String, Failure> {
    let target = a.target.as_deref().unwrap_or_default();
    let (provider, rest) = if let Some(r) = target.strip_prefix("s3://") {
        ("s3", r)
    } else if let Some(r) = target.strip_prefix("gs://") {
        ("gcs", r)
    } else if target.starts_with("az://") || target.contains(".blob.") {
        return Err(Failure::Sign(Error::Unsupported(
            presign::AZURE_UNSUPPORTED.into(),
        )));
    } else {
        return Err(Failure::Usage(
            "the target must be s3://bucket/[prefix/ or key] or gs://bucket/[prefix/ or key]"
                .into(),
        ));
    };
    let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        return Err(Failure::Usage("the target names no bucket".into()));
    }
    let mut text = String::with_capacity(256);
    let mut r = Object::new(&mut text)
        .str("provider", provider)
        .str("bucket", bucket);
    if a.any_key {
        r = r.raw("anyKey", "true");
        if !key.is_empty() {
            r = r.str("key", key);
        }
    } else if key.is_empty() {
        return Err(Failure::Usage(
            "the target names no key or prefix; to allow any key in the bucket, add --any-key"
                .into(),
        ));
    } else if key.ends_with('/') {
        r = r.str("keyPrefix", key);
    } else {
        r = r.str("key", key);
    }
    r = r.raw("expiresIn", &a.validity.expires_in()?.to_string());
    if let Some(max) = &a.max_size {
        let max = parse_size("--max-size", max)?;
        let min = match &a.min_size {
            Some(m) => parse_size("--min-size", m)?,
            None => 0,
        };
        r = r.raw(
            "contentLengthRange",
            &format!(r#"{{"min":{min},"max":{max}}}"#),
        );
    }
    if let Some(ct) = &a.content_type {
        let prefix = ct.strip_suffix('*').unwrap_or(ct);
        r = if prefix.ends_with('/') {
            r.str("contentTypePrefix", prefix)
        } else {
            r.str("contentType", ct)
        };
    }
    for (member, value) in [
        ("acl", &a.acl),
        ("cacheControl", &a.cache_control),
        ("contentDisposition", &a.content_disposition),
        ("contentEncoding", &a.content_encoding),
        ("successActionRedirect", &a.redirect),
    ] {
        if let Some(v) = value {
            r = r.str(member, v);
        }
    }
    if let Some(s) = a.success_status {
        r = r.raw("successActionStatus", &s.to_string());
    }
    for (flag, member, items) in [
        ("--meta", "metadata", &a.metadata),
        ("--field", "fields", &a.fields),
        ("--starts-with", "startsWith", &a.starts_with),
    ] {
        if !items.is_empty() {
            r = r.pairs(member, pairs(flag, items)?);
        }
    }
    if !a.conditions.is_empty() {
        // Each condition is JSON already: checked here, read by the library.
        let mut list = String::from("[");
        for (i, c) in a.conditions.iter().enumerate() {
            if !is_json(c) {
                return Err(Failure::Usage(format!(
                    "--condition number {}: not JSON (e.g. '[\"starts-with\",\"$acl\",\"public\"]')",
                    i + 1
                )));
            }
            if i > 0 {
                list.push(',');
            }
            list.push_str(c);
        }
        list.push(']');
        r = r.raw("conditions", &list);
    }
    r = a.validity.write_credential_expiry(provider, r);
    r = a.location.write(provider, None, r)?;
    a.validity.write_signed_at(r)?.end();
    Ok(text)
}

/// `NAME=VALUE` pairs; a repeated name is refused (the library would refuse it too, but a map
/// would silently keep one).
fn pairs<'i>(flag: &str, items: &'i [String]) -> Result<Vec<(&'i str, &'i str)>, Failure> {
    let mut out: Vec<(&str, &str)> = Vec::with_capacity(items.len());
    for item in items {
        let (n, v) = item.split_once('=').unwrap_or((item.as_str(), ""));
        if out.iter().any(|(name, _)| *name == n) {
            return Err(Failure::Usage(format!("{flag}: a name is given twice")));
        }
        out.push((n, v));
    }
    Ok(out)
}

/// A size as people type it: `1048576`, `500kB`, `10MB`, `1GB`, `10MiB`, `1GiB` (`k`/`M`/`G`/`T`
/// are powers of 1000, `Ki`/`Mi`/`Gi`/`Ti` of 1024; the trailing `B` is optional).
pub(super) fn parse_size(flag: &str, s: &str) -> Result<u64, Failure> {
    let bad = || {
        Failure::Usage(format!(
            "{flag}: not a size (e.g. 1048576, 500kB, 10MB, 10MiB, 1GiB)"
        ))
    };
    let t = s.trim();
    let digits_end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(digits_end);
    let n: u64 = digits.parse().map_err(|_| bad())?;
    let unit = unit.trim().to_ascii_lowercase();
    let unit = unit.strip_suffix('b').unwrap_or(&unit);
    let factor: u64 = match unit {
        "" => 1,
        "k" => 1_000,
        "m" => 1_000_000,
        "g" => 1_000_000_000,
        "t" => 1_000_000_000_000,
        "ki" => 1 << 10,
        "mi" => 1 << 20,
        "gi" => 1 << 30,
        "ti" => 1 << 40,
        _ => return Err(bad()),
    };
    n.checked_mul(factor).ok_or_else(bad)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::{parse_size, request_from_args, Failure, PostArgs};
    // The tests read the request text with serde_json: an independent reader.
    use serde_json::{json, Value};

    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        post: PostArgs,
    }

    fn request(args: &[&str]) -> Result<Value, String> {
        use clap::Parser;
        let cli = Cli::try_parse_from(std::iter::once("post").chain(args.iter().copied()))
            .map_err(|e| e.to_string())?;
        let text = request_from_args(&cli.post).map_err(|f| match f {
            Failure::Usage(m) | Failure::Lines(m) | Failure::Io(m) => m,
            Failure::Sign(e) => e.to_string(),
        })?;
        Ok(serde_json::from_str(&text).unwrap())
    }

    #[test]
    fn any_key_conditions_and_prefilled_fields() {
        // The whole bucket only with --any-key (it used to be an empty keyPrefix).
        for target in ["s3://b", "s3://b/", "gs://b"] {
            assert!(request(&[target]).unwrap_err().contains("--any-key"));
            let r = request(&[target, "--any-key"]).unwrap();
            assert_eq!(r["anyKey"], json!(true));
            assert!(r.get("keyPrefix").is_none() && r.get("key").is_none());
        }
        let r = request(&["s3://b/default.bin", "--any-key"]).unwrap();
        assert_eq!(
            (r["anyKey"].clone(), r["key"].clone()),
            (json!(true), json!("default.bin"))
        );
        assert_eq!(request(&["s3://b/up/"]).unwrap()["keyPrefix"], json!("up/"));
        // Conditions keep the order given; --field pre-fills.
        let r = request(&[
            "s3://b/k",
            "--condition",
            r#"{"acl":"private"}"#,
            "--condition",
            r#"["starts-with","$Content-Type","image/"]"#,
            "--field",
            "Content-Type=image/png",
        ])
        .unwrap();
        assert_eq!(
            r["conditions"],
            json!([{"acl": "private"}, ["starts-with", "$Content-Type", "image/"]])
        );
        assert_eq!(r["fields"], json!({"Content-Type": "image/png"}));
        assert!(request(&["s3://b/k", "--condition", "[1,"])
            .unwrap_err()
            .contains("--condition"));
    }

    #[test]
    fn sizes() {
        let ok = |s: &str| parse_size("--max-size", s).ok();
        assert_eq!(ok("1048576"), Some(1_048_576));
        assert_eq!(ok("10MB"), Some(10_000_000));
        assert_eq!(ok("10mb"), Some(10_000_000));
        assert_eq!(ok("10MiB"), Some(10_485_760));
        assert_eq!(ok("500kB"), Some(500_000));
        assert_eq!(ok("1GiB"), Some(1 << 30));
        assert_eq!(ok("2 G"), Some(2_000_000_000));
        for bad in ["", "MB", "1.5MB", "10XB", "-1", "99999999999999999999"] {
            assert_eq!(ok(bad), None, "{bad}");
        }
    }
}
