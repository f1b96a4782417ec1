//! `presign` — presigned URLs from the command line.
//!
//! This binary and the JS bindings are the only places that read the clock or the environment.
//! Exit codes: 0 ok, 1 signing error, 2 usage error; JSON Lines modes: see `lines::EXIT_RULE`.

use clap::{Parser, Subcommand};
use presign::{Error, Presigned, Signer, Timestamp};
use serde_json::{json, Value};
use std::io::Write;
use std::process::ExitCode;

// Subcommand modules live next to the binary, in src/bin/presign/ (a crate root looks for
// `mod x;` beside itself, so the path is spelled out).
#[path = "presign/cors.rs"]
mod cors;
#[path = "presign/lines.rs"]
mod lines;
#[path = "presign/post.rs"]
mod post;
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
}

#[derive(clap::Args, Debug)]
struct SignOpts {
    /// HTTP method: GET, PUT, HEAD, DELETE, POST.
    #[arg(short = 'X', long, default_value = "GET")]
    method: String,
    /// Lifetime: seconds or 90s, 15m, 1h, 7d (max 7d).
    #[arg(short, long, default_value = "1h")]
    expires: String,
    /// A header to sign, "Name: value" (repeatable). The client must send it.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// A query parameter to sign, name=value (repeatable), e.g. response-content-disposition=attachment.
    #[arg(short, long = "query", value_name = "NAME=VALUE")]
    query: Vec<String>,
    /// Custom endpoint for S3-compatible stores, e.g. http://127.0.0.1:9000.
    #[arg(long)]
    endpoint: Option<String>,
    /// Region of the signature's credential scope.
    #[arg(long)]
    region: Option<String>,
    /// Path-style URL (https://host/bucket/key) instead of virtual-hosted.
    #[arg(long, conflicts_with = "virtual_hosted")]
    path_style: bool,
    /// Virtual-hosted URL (https://bucket.host/key); an error if the bucket name does not allow it.
    #[arg(long)]
    virtual_hosted: bool,
    /// Use the dual-stack AWS endpoint.
    #[arg(long)]
    dualstack: bool,
    /// Use S3 Transfer Acceleration.
    #[arg(long)]
    accelerate: bool,
    /// Use the FIPS AWS endpoint.
    #[arg(long)]
    fips: bool,
    /// Sign as of this instant (RFC 3339) instead of now.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// When temporary credentials expire before the URL: warn, error or clamp (S3).
    #[arg(long, default_value = "warn", value_name = "POLICY")]
    credential_expiry: String,
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
        (None, Some(target)) => single(target, &cli.opts),
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

/// Sets `key` on a JSON object (a no-op on anything else; callers only pass objects).
fn set(obj: &mut Value, key: &str, value: Value) {
    if let Some(o) = obj.as_object_mut() {
        o.insert(key.to_owned(), value);
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn now() -> Result<Timestamp, Error> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| Error::InvalidTime("the system clock is before 1970".into()))?
        .as_secs();
    Timestamp::from_unix(i64::try_from(secs).unwrap_or(i64::MAX))
}

/// The environment's defaults, read once: every request (single or batch line) that leaves a
/// field out takes it from here.
struct EnvDefaults {
    aws_credentials: Option<Value>,
    aws_region: Option<String>,
    aws_endpoint: Option<String>,
    azure_connection_string: Option<String>,
    azure_account: Option<String>,
    azure_key: Option<String>,
    gcs_credentials: Result<Option<Value>, String>,
}

impl EnvDefaults {
    fn read() -> Self {
        let aws_credentials = match (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
            (Some(id), Some(secret)) => {
                let mut c = json!({ "accessKeyId": id, "secretAccessKey": secret });
                if let Some(t) = env("AWS_SESSION_TOKEN") {
                    set(&mut c, "sessionToken", json!(t));
                }
                if let Some(exp) = env("AWS_CREDENTIAL_EXPIRATION") {
                    set(&mut c, "expiresAt", json!(exp));
                }
                Some(c)
            }
            _ => None,
        };
        let gcs_credentials = match (env("GCS_HMAC_ACCESS_ID"), env("GCS_HMAC_SECRET")) {
            (Some(id), Some(secret)) => Ok(Some(
                json!({ "hmac": { "accessId": id, "secret": secret } }),
            )),
            _ => match env("GOOGLE_APPLICATION_CREDENTIALS") {
                Some(path) => std::fs::read_to_string(&path)
                    .map_err(|e| {
                        format!("GOOGLE_APPLICATION_CREDENTIALS: cannot read {path:?}: {e}")
                    })
                    .and_then(|text| {
                        serde_json::from_str::<Value>(&text).map_err(|_| {
                            format!(
                                "GOOGLE_APPLICATION_CREDENTIALS: {path:?} is not a JSON key file"
                            )
                        })
                    })
                    .map(|key| Some(json!({ "serviceAccount": key }))),
                None => Ok(None),
            },
        };
        EnvDefaults {
            aws_credentials,
            aws_region: env("AWS_REGION").or_else(|| env("AWS_DEFAULT_REGION")),
            aws_endpoint: env("AWS_ENDPOINT_URL_S3").or_else(|| env("AWS_ENDPOINT_URL")),
            azure_connection_string: env("AZURE_STORAGE_CONNECTION_STRING"),
            azure_account: env("AZURE_STORAGE_ACCOUNT"),
            azure_key: env("AZURE_STORAGE_KEY"),
            gcs_credentials,
        }
    }

    /// Fills what `req` (a request-schema object) leaves out.
    fn fill(&self, req: &mut Value) -> Result<(), Error> {
        let Some(obj) = req.as_object_mut() else {
            return Ok(()); // the parser reports it
        };
        let missing =
            |o: &serde_json::Map<String, Value>, k: &str| o.get(k).is_none_or(Value::is_null);
        match obj.get("provider").and_then(Value::as_str) {
            Some("s3") => {
                if missing(obj, "credentials") {
                    if let Some(c) = &self.aws_credentials {
                        obj.insert("credentials".into(), c.clone());
                    }
                }
                if missing(obj, "region") {
                    if let Some(r) = &self.aws_region {
                        obj.insert("region".into(), json!(r));
                    }
                }
                let aws_variant = ["dualstack", "accelerate", "fips"]
                    .iter()
                    .any(|k| obj.get(*k) == Some(&Value::Bool(true)));
                if missing(obj, "endpoint") && !aws_variant {
                    if let Some(e) = &self.aws_endpoint {
                        obj.insert("endpoint".into(), json!(e));
                    }
                }
            }
            Some("azure") => {
                if missing(obj, "credentials") {
                    if let Some(cs) = &self.azure_connection_string {
                        obj.insert("credentials".into(), json!({ "connectionString": cs }));
                    } else if let Some(k) = &self.azure_key {
                        obj.insert("credentials".into(), json!({ "accountKey": k }));
                    }
                }
                if missing(obj, "account") && self.azure_connection_string.is_none() {
                    if let Some(a) = &self.azure_account {
                        obj.insert("account".into(), json!(a));
                    }
                }
            }
            Some("gcs") if missing(obj, "credentials") => match &self.gcs_credentials {
                Ok(Some(c)) => {
                    obj.insert("credentials".into(), c.clone());
                }
                Ok(None) => {}
                Err(e) => return Err(Error::InvalidCredentials(e.clone())),
            },
            _ => {}
        }
        Ok(())
    }
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
            let path = presign::encoding::percent_decode(path).ok_or_else(|| {
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

fn pairs(
    items: &[String],
    sep: char,
    what: &str,
) -> Result<serde_json::Map<String, Value>, Failure> {
    let mut out = serde_json::Map::new();
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
        out.insert(n.to_owned(), json!(v));
    }
    Ok(out)
}

/// The request object for a single command-line target.
fn request_from_args(target: &str, o: &SignOpts) -> Result<Value, Failure> {
    let expires = presign::time::parse_duration(&o.expires)
        .map_err(|e| Failure::Usage(format!("--expires: {}", e.message())))?;
    let headers = pairs(&o.headers, ':', "--header")?;
    let query = pairs(&o.query, '=', "--query")?;
    let style = if o.path_style {
        Some("path")
    } else if o.virtual_hosted {
        Some("virtualHosted")
    } else {
        None
    };
    let mut req = match parse_target(target)? {
        Target::S3 { bucket, key } => json!({
            "provider": "s3", "bucket": bucket, "key": key, "headers": headers, "query": query,
            "dualstack": o.dualstack, "accelerate": o.accelerate, "fips": o.fips,
            "credentialExpiry": o.credential_expiry,
        }),
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
            let mut r = json!({ "provider": "azure", "container": container, "blob": blob, "query": query });
            if let Some(a) = account {
                set(&mut r, "account", json!(a));
            }
            if let Some(e) = endpoint {
                set(&mut r, "endpoint", json!(e));
            }
            if let Some(p) = &o.permissions {
                set(&mut r, "permissions", json!(p));
            }
            r
        }
        Target::Gcs { bucket, object } => {
            json!({ "provider": "gcs", "bucket": bucket, "object": object, "headers": headers, "query": query })
        }
    };
    set(&mut req, "method", json!(o.method));
    set(&mut req, "expiresIn", json!(expires));
    let provider = req
        .get("provider")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if o.permissions.is_some() && provider != "azure" {
        return Err(Failure::Usage(
            "--permissions applies to Azure targets only".into(),
        ));
    }
    if let Some(e) = &o.endpoint {
        set(&mut req, "endpoint", json!(e));
    }
    if let Some(r) = &o.region {
        if provider != "s3" {
            return Err(Failure::Usage("--region applies to S3 targets only".into()));
        }
        set(&mut req, "region", json!(r));
    }
    if let Some(s) = style {
        if provider == "azure" {
            return Err(Failure::Usage(
                "--path-style/--virtual-hosted apply to S3 and GCS targets".into(),
            ));
        }
        set(&mut req, "urlStyle", json!(s));
    }
    if (o.dualstack || o.accelerate || o.fips) && provider != "s3" {
        return Err(Failure::Usage(
            "--dualstack, --accelerate and --fips apply to S3 targets only".into(),
        ));
    }
    if let Some(at) = &o.at {
        Timestamp::parse_rfc3339(at)
            .map_err(|e| Failure::Usage(format!("--at: {}", e.message())))?;
        set(&mut req, "signedAt", json!(at));
    }
    Ok(req)
}

fn single(target: &str, o: &SignOpts) -> Result<(), Failure> {
    let mut req = request_from_args(target, o)?;
    EnvDefaults::read().fill(&mut req)?;
    if req.get("credentials").is_none_or(Value::is_null) {
        let hint = match req.get("provider").and_then(Value::as_str) {
            Some("azure") => "set AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY",
            Some("gcs") => "set GOOGLE_APPLICATION_CREDENTIALS, or GCS_HMAC_ACCESS_ID and GCS_HMAC_SECRET",
            _ => "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        };
        return Err(Failure::Sign(Error::InvalidCredentials(format!(
            "no credentials: {hint}"
        ))));
    }
    let parsed = presign::json::parse_request(&req.to_string())?;
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

fn sign_line(signer: &Signer, line: &str, defaults: &EnvDefaults) -> Result<Presigned, Error> {
    // Defaults are merged into the JSON value; the library then reads the merged request. Text
    // that is not JSON gets the library's own explanation (it names no value).
    let mut value: Value = serde_json::from_str(line).map_err(|_| {
        presign::json::parse_request(line)
            .err()
            .unwrap_or_else(|| Error::InvalidRequest("not a valid request".into()))
    })?;
    defaults.fill(&mut value)?;
    signer.presign(&presign::json::parse_request(&value.to_string())?, now()?)
}
