//! `presign` — presigned URLs from the command line.
//!
//! This binary and the JS bindings are the only places that read the clock or the environment.
//! Exit codes: 0 ok, 1 signing error, 2 usage error; JSON Lines modes: see `lines::EXIT_RULE`.

use clap::{Parser, Subcommand};
use defaults::{EnvDefaults, Provider};
use presign::json::Object;
use presign::{Error, Presigned, Signer, Timestamp};
use std::io::Write;
use std::process::ExitCode;

// Subcommand modules live next to the binary, in src/bin/presign/ (a crate root looks for
// `mod x;` beside itself, so the path is spelled out).
#[path = "presign/checksum.rs"]
mod checksum;
#[path = "presign/cors.rs"]
mod cors;
#[path = "presign/defaults.rs"]
mod defaults;
#[path = "presign/flags.rs"]
mod flags;
#[path = "presign/lines.rs"]
mod lines;
#[path = "presign/post.rs"]
mod post;
#[path = "presign/upload.rs"]
mod upload;
#[path = "presign/verify.rs"]
mod verify;

#[derive(Parser, Debug)]
#[command(
    name = "presign",
    version,
    about = "Presigned URLs for S3 (and S3-compatible stores), Azure Blob Storage and Google Cloud Storage",
    long_about = concat!("Presigned URLs for S3 (and S3-compatible stores), Azure Blob Storage and Google Cloud Storage.\n\n\
Targets: s3://bucket/key, az://container/blob, https://ACCOUNT.blob.core.windows.net/container/blob, gs://bucket/object.\n\n\
Credentials and defaults come from the usual variables. S3: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, \
AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_REGION / AWS_DEFAULT_REGION, AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL. \
Azure: AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY. \
GCS: GOOGLE_APPLICATION_CREDENTIALS (a service-account key file), or GCS_HMAC_ACCESS_ID and GCS_HMAC_SECRET.\n\n\
Exit codes: 0 ok, 1 signing error, 2 usage error. ", lines::exit_rule!()),
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// What to sign: s3://bucket/key, az://container/blob, gs://bucket/object (names exactly as stored, not URL-encoded),
    /// or https://ACCOUNT.blob.core.windows.net/container/blob (URL-encoded, as a browser shows it).
    #[arg(required = true)]
    target: Option<String>,

    #[command(flatten)]
    opts: SignOpts,

    #[command(flatten)]
    limits: Limits,
}

/// Upload limits of the sign command (not of upload-plan, whose --size is the object's size).
#[derive(clap::Args, Debug, Default)]
struct Limits {
    /// Upload limit (S3 PUT): the exact size in bytes, signed as Content-Length.
    #[arg(long, value_name = "BYTES")]
    size: Option<u64>,
    /// Upload limit (S3 PUT): at most this many bytes (needs --size; a PUT carries no range).
    #[arg(long, value_name = "BYTES")]
    max_size: Option<u64>,
    /// Upload limit (S3 PUT): a checksum the store must verify, ALGORITHM=BASE64 (md5, crc32,
    /// crc32c, crc64nvme, sha1, sha256).
    #[arg(long, value_name = "ALG=BASE64")]
    checksum: Option<String>,
}

#[derive(Subcommand, Debug)]
// Parsed once per run: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
enum Command {
    /// Read JSON Lines of the request schema on stdin; write one JSON result or
    /// {"error":{"code","message"}} per line, in order. Blank lines are skipped.
    /// Requests without credentials, region or endpoint take them from the environment.
    #[command(after_help = lines::EXIT_RULE)]
    Batch,
    /// The storage-side CORS rule that browser requests need (S3 JSON/XML, GCS JSON, Azure XML).
    Cors(cors::CorsArgs),
    /// A signed browser form upload (S3 / GCS POST policy), printed as JSON {"url","fields","expiresAt"}.
    Post(post::PostArgs),
    /// Check a presigned URL as the storage server would: signature, expiry, signed headers,
    /// scope, SAS permissions, IP range. Exit 0 valid, 1 invalid, 2 usage error.
    Verify(verify::VerifyArgs),
    /// The plan of a large upload in parts (S3 multipart, Azure blocks, GCS XML multipart):
    /// part size and count, the create request, and with --upload-id every part's request.
    UploadPlan(upload::UploadPlanArgs),
    /// A file's upload checksum (crc32, crc32c, crc64nvme, md5, sha1, sha256), as a value or as
    /// the header (S3 x-amz-checksum-*, Azure x-ms-content-crc64, GCS x-goog-hash) a PUT signs.
    Checksum(checksum::ChecksumArgs),
}

#[derive(clap::Args, Debug)]
struct SignOpts {
    /// HTTP method: GET, PUT, HEAD, DELETE, POST.
    #[arg(short = 'X', long, default_value = "GET")]
    method: String,
    #[command(flatten)]
    validity: flags::Validity,
    /// A header to sign, "Name: value" (repeatable). The client must send it.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// A query parameter to sign, name=value (repeatable), e.g. response-content-disposition=attachment.
    #[arg(short, long = "query", value_name = "NAME=VALUE")]
    query: Vec<String>,
    #[command(flatten)]
    location: flags::Location,
    /// Azure SAS permissions, e.g. r, cw, racwd (default: from the method: GET/HEAD r, PUT cw, DELETE d).
    #[arg(long)]
    permissions: Option<String>,
    /// Print the full result object as JSON (url, method, headers, expiresAt).
    #[arg(long)]
    json: bool,
}

/// Why a run failed: a usage error (exit 2), a signing error (exit 1), failed lines of a JSON
/// Lines mode (exit 1, the message says how many), or unreadable stdin / unwritable stdout (exit 2).
enum Failure {
    Usage(String),
    Sign(Error),
    Lines(String),
    Io(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Sign(e)
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match (&cli.command, &cli.target) {
        (Some(Command::Batch), _) => batch(),
        (Some(Command::Cors(a)), _) => cors::run(a),
        (Some(Command::Post(a)), _) => post::run(a),
        (Some(Command::Verify(a)), _) => return verify::run(a),
        (Some(Command::UploadPlan(a)), _) => upload::run(a),
        (Some(Command::Checksum(a)), _) => checksum::run(a),
        (None, Some(target)) => single(target, &cli.opts, &cli.limits),
        (None, None) => Err(Failure::Usage(
            "missing target, e.g. s3://bucket/key".into(),
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(m)) => {
            eprintln!("presign: {m}");
            eprintln!("Try 'presign --help'.");
            ExitCode::from(2)
        }
        Err(Failure::Sign(e)) => {
            eprintln!("presign: {e}");
            ExitCode::from(1)
        }
        Err(Failure::Lines(m)) => {
            eprintln!("presign: {m}");
            ExitCode::from(1)
        }
        Err(Failure::Io(m)) => {
            eprintln!("presign: {m}");
            ExitCode::from(2)
        }
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Whether `text` is one JSON value (RFC 8259) whose strings are Unicode text: the library reader's
/// grammar, plus every string decoded (a lone `\uD800`-`\uDFFF` escape is not text). What the CLI
/// calls JSON where the library does not read the text itself.
fn is_json(text: &str) -> bool {
    /// Decodes every string of the value at `r`'s position (nesting is bounded: `raw` checked it).
    fn strings(r: &mut presign::json::Reader<'_>) -> Result<(), Error> {
        let raw = r.raw()?;
        let mut inner = presign::json::Reader::new(raw);
        match raw.as_bytes().first() {
            Some(b'"') => inner.string().map(drop),
            Some(b'{') => inner.object(|r, _| strings(r)),
            Some(b'[') => inner.array(strings),
            _ => Ok(()),
        }
    }
    let mut r = presign::json::Reader::new(text);
    strings(&mut r).and_then(|()| r.finish()).is_ok()
}

fn now() -> Result<Timestamp, Error> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| Error::InvalidTime("the system clock is before 1970".into()))?
        .as_secs();
    Timestamp::from_unix(i64::try_from(secs).unwrap_or(i64::MAX))
}

/// What a command-line target names.
enum Target {
    S3 {
        bucket: String,
        key: String,
    },
    Azure {
        account: Option<String>,
        endpoint: Option<String>,
        container: String,
        blob: String,
    },
    Gcs {
        bucket: String,
        object: String,
    },
}

fn split_bucket_path(rest: &str, form: &str) -> Result<(String, String), Failure> {
    match rest.split_once('/') {
        Some((b, k)) if !b.is_empty() && !k.is_empty() => Ok((b.to_owned(), k.to_owned())),
        _ => Err(Failure::Usage(format!("the target must look like {form}"))),
    }
}

fn parse_target(target: &str) -> Result<Target, Failure> {
    if let Some(rest) = target.strip_prefix("s3://") {
        let (bucket, key) = split_bucket_path(rest, "s3://bucket/key")?;
        return Ok(Target::S3 { bucket, key });
    }
    if let Some(rest) = target.strip_prefix("gs://") {
        let (bucket, object) = split_bucket_path(rest, "gs://bucket/object")?;
        return Ok(Target::Gcs { bucket, object });
    }
    if let Some(rest) = target.strip_prefix("az://") {
        let (container, blob) = split_bucket_path(rest, "az://container/blob")?;
        return Ok(Target::Azure {
            account: None,
            endpoint: None,
            container,
            blob,
        });
    }
    // https://ACCOUNT.blob.core.windows.net/container/blob (the path as in a browser: decoded once)
    for scheme in ["https://", "http://"] {
        let Some(rest) = target.strip_prefix(scheme) else {
            continue;
        };
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        if let Some((account, _)) = host.split_once(".blob.") {
            let path = presign::percent_decode(path).ok_or_else(|| {
                Failure::Usage("the target has a malformed percent-escape".into())
            })?;
            let (container, blob) = split_bucket_path(
                &path,
                "https://account.blob.core.windows.net/container/blob",
            )?;
            return Ok(Target::Azure {
                account: Some(account.to_owned()),
                endpoint: Some(format!("{scheme}{host}")),
                container,
                blob,
            });
        }
    }
    Err(Failure::Usage(
        "the target must be s3://bucket/key, az://container/blob, \
         https://account.blob.core.windows.net/container/blob or gs://bucket/object"
            .into(),
    ))
}

/// `Name: value` (`sep` ':', both trimmed) or `name=value` (`sep` '=', the name trimmed; no '=':
/// an empty value) pairs, in order; a name given again takes the later value, in the first one's
/// place.
fn pairs(items: &[String], sep: char, what: &str) -> Result<Vec<(String, String)>, Failure> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(items.len());
    for item in items {
        let (n, v) = match item.split_once(sep) {
            Some((n, v)) => (n.trim(), if sep == ':' { v.trim() } else { v }),
            None if sep == '=' => (item.as_str(), ""),
            None => {
                return Err(Failure::Usage(format!(
                    "{what}: each must be \"Name: value\""
                )))
            }
        };
        match out.iter_mut().find(|(name, _)| name == n) {
            Some(pair) => v.clone_into(&mut pair.1),
            None => out.push((n.to_owned(), v.to_owned())),
        }
    }
    Ok(out)
}

/// The request (its JSON text) for a single command-line target.
fn request_from_args(target: &str, o: &SignOpts, limits: &Limits) -> Result<String, Failure> {
    let expires = o.validity.expires_in()?;
    let headers = pairs(&o.headers, ':', "--header")?;
    let query = pairs(&o.query, '=', "--query")?;
    let target = parse_target(target)?;
    fn each(p: &[(String, String)]) -> impl Iterator<Item = (&str, &str)> {
        p.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
    let mut text = String::with_capacity(256);
    let (provider, target_endpoint, r) = match &target {
        Target::S3 { bucket, key } => {
            let mut r = Object::new(&mut text)
                .str("provider", "s3")
                .str("bucket", bucket)
                .str("key", key)
                .pairs("headers", each(&headers))
                .pairs("query", each(&query));
            if let Some(limits) = limits_json(limits)? {
                r = r.raw("limits", &limits);
            }
            ("s3", None, r)
        }
        Target::Azure {
            account,
            endpoint,
            container,
            blob,
        } => {
            if !headers.is_empty() {
                return Err(Failure::Usage(
                    "--header: an Azure SAS does not sign request headers; the result lists the headers to send".into(),
                ));
            }
            let mut r = Object::new(&mut text)
                .str("provider", "azure")
                .str("container", container)
                .str("blob", blob)
                .pairs("query", each(&query));
            if let Some(a) = account {
                r = r.str("account", a);
            }
            if let Some(p) = &o.permissions {
                r = r.str("permissions", p);
            }
            ("azure", endpoint.as_deref(), r)
        }
        Target::Gcs { bucket, object } => {
            let r = Object::new(&mut text)
                .str("provider", "gcs")
                .str("bucket", bucket)
                .str("object", object)
                .pairs("headers", each(&headers))
                .pairs("query", each(&query));
            ("gcs", None, r)
        }
    };
    if provider != "s3"
        && (limits.size.is_some() || limits.max_size.is_some() || limits.checksum.is_some())
    {
        return Err(Failure::Usage(
            "--size, --max-size and --checksum apply to S3 targets only".into(),
        ));
    }
    if o.permissions.is_some() && provider != "azure" {
        return Err(Failure::Usage(
            "--permissions applies to Azure targets only".into(),
        ));
    }
    let r = o
        .validity
        .write_credential_expiry(provider, r)
        .str("method", &o.method)
        .raw("expiresIn", &expires.to_string());
    let r = o.location.write(provider, target_endpoint, r)?;
    o.validity.write_signed_at(r)?.end();
    Ok(text)
}

/// The S3 request's `limits` member from --size, --max-size and --checksum, if any is given.
fn limits_json(o: &Limits) -> Result<Option<String>, Failure> {
    if o.size.is_none() && o.max_size.is_none() && o.checksum.is_none() {
        return Ok(None);
    }
    let mut text = String::new();
    let mut l = Object::new(&mut text);
    if let Some(n) = o.size {
        l = l.raw("size", &n.to_string());
    }
    if let Some(n) = o.max_size {
        l = l.raw("maxSize", &n.to_string());
    }
    if let Some(c) = &o.checksum {
        let (alg, value) = c.split_once('=').ok_or_else(|| {
            Failure::Usage("--checksum: expected ALGORITHM=BASE64, e.g. sha256=47DEQ…".into())
        })?;
        let mut inner = String::new();
        Object::new(&mut inner)
            .str("algorithm", alg)
            .str("value", value)
            .end();
        l = l.raw("checksum", &inner);
    }
    l.end();
    Ok(Some(text))
}

/// Why a request the environment could not complete has no credentials.
fn no_credentials(provider: Provider) -> Error {
    let hint = match provider {
        Provider::Azure => {
            "set AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY"
        }
        Provider::Gcs => {
            "set GOOGLE_APPLICATION_CREDENTIALS, or GCS_HMAC_ACCESS_ID and GCS_HMAC_SECRET"
        }
        Provider::S3 | Provider::Other => "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
    };
    Error::InvalidCredentials(format!("no credentials: {hint}"))
}

fn single(target: &str, o: &SignOpts, limits: &Limits) -> Result<(), Failure> {
    let text = request_from_args(target, o, limits)?;
    let req = EnvDefaults::read().fill(&text)?;
    if !req.has_credentials {
        return Err(Failure::Sign(no_credentials(req.provider)));
    }
    let parsed = presign::json::parse_request(&req.text)?;
    let out = Signer::new().presign(&parsed, now()?)?;
    for w in &out.warnings {
        eprintln!("presign: warning: {}: {}", w.code, w.message);
    }
    let mut stdout = std::io::stdout().lock();
    if o.json {
        let _ = writeln!(stdout, "{}", presign::json::result_json(&Ok(out)));
    } else {
        let _ = writeln!(stdout, "{}", out.url);
        if !out.headers.is_empty() {
            eprintln!("presign: the client must send these headers with the request:");
            for (n, v) in out.headers.iter() {
                eprintln!("  {n}: {v}");
            }
        }
    }
    Ok(())
}

fn batch() -> Result<(), Failure> {
    let signer = Signer::new();
    // Read once: environment defaults apply to every line.
    let defaults = EnvDefaults::read();
    lines::answer_lines(std::io::stdin().lock(), std::io::stdout().lock(), |line| {
        let result = sign_line(&signer, line, &defaults);
        (presign::json::result_json(&result), result.is_ok())
    })
}

/// One `batch` line: the environment fills what it leaves out, and the library reads the result
/// once (text that is not JSON, or not a request, gets the library's explanation).
fn sign_line(signer: &Signer, line: &str, defaults: &EnvDefaults) -> Result<Presigned, Error> {
    let req = defaults.fill(line)?;
    signer.presign(&presign::json::parse_request(&req.text)?, now()?)
}
