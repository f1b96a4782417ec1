//! `presign` — presigned URLs from the command line.
//!
//! This binary and the JS bindings are the only places that read the clock or the environment.
//! Exit codes: 0 ok, 1 signing error, 2 usage error.

use clap::{Parser, Subcommand};
use presign::s3::{Credentials, S3Request, UrlStyle};
use presign::{CredentialExpiry, Error, Method, Params, Presigned, Request, Signer, Timestamp};
use std::io::{BufRead, Write};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "presign",
    version,
    about = "Presigned URLs for S3 and S3-compatible stores",
    long_about = "Presigned URLs for S3 and S3-compatible stores.\n\n\
Credentials and defaults come from the standard AWS variables: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, \
AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_REGION / AWS_DEFAULT_REGION, AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL.\n\n\
Exit codes: 0 ok, 1 signing error, 2 usage error.",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// What to sign: s3://bucket/key (the key exactly as stored, not URL-encoded).
    #[arg(required = true)]
    target: Option<String>,

    #[command(flatten)]
    opts: SignOpts,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Read JSON Lines of the request schema on stdin; write one JSON result or
    /// {"error":{"code","message"}} per line, in order. Blank lines are skipped.
    /// Requests without credentials, region or endpoint take them from the environment.
    Batch,
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
    /// When temporary credentials expire before the URL: warn, error or clamp.
    #[arg(long, default_value = "warn", value_name = "POLICY")]
    credential_expiry: String,
    /// Print the full result object as JSON (url, method, headers, expiresAt).
    #[arg(long)]
    json: bool,
}

/// A usage error (exit 2) or a signing error (exit 1).
enum Failure {
    Usage(String),
    Sign(Error),
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

/// Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN /
/// AWS_CREDENTIAL_EXPIRATION.
fn env_credentials() -> Result<Option<Credentials>, Error> {
    let (Some(id), Some(secret)) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) else {
        return Ok(None);
    };
    let mut c = Credentials::new(id, secret);
    if let Some(t) = env("AWS_SESSION_TOKEN") {
        c = c.with_session_token(t);
    }
    if let Some(exp) = env("AWS_CREDENTIAL_EXPIRATION") {
        c = c.with_expiry(Timestamp::parse_rfc3339(&exp).map_err(|e| {
            Error::InvalidCredentials(format!("AWS_CREDENTIAL_EXPIRATION: {}", e.message()))
        })?);
    }
    Ok(Some(c))
}

fn env_region() -> Option<String> {
    env("AWS_REGION").or_else(|| env("AWS_DEFAULT_REGION"))
}

fn env_endpoint() -> Option<String> {
    env("AWS_ENDPOINT_URL_S3").or_else(|| env("AWS_ENDPOINT_URL"))
}

/// Fills what a request leaves out from the environment.
fn fill_from_env(req: &mut S3Request) -> Result<(), Error> {
    if req.credentials.is_none() {
        req.credentials = env_credentials()?;
    }
    if req.region.is_none() {
        req.region = env_region();
    }
    if req.endpoint.is_none() && !req.dualstack && !req.accelerate && !req.fips {
        req.endpoint = env_endpoint();
    }
    Ok(())
}

fn parse_target(target: &str) -> Result<(String, String), Failure> {
    let rest = target.strip_prefix("s3://").ok_or_else(|| {
        Failure::Usage(format!("target {target:?} must look like s3://bucket/key"))
    })?;
    match rest.split_once('/') {
        Some((bucket, key)) if !bucket.is_empty() && !key.is_empty() => {
            Ok((bucket.to_owned(), key.to_owned()))
        }
        _ => Err(Failure::Usage(format!(
            "target {target:?} must name a bucket and a key: s3://bucket/key"
        ))),
    }
}

fn single(target: &str, o: &SignOpts) -> Result<(), Failure> {
    let (bucket, key) = parse_target(target)?;
    let method: Method = o
        .method
        .parse()
        .map_err(|e: Error| Failure::Usage(e.message().to_owned()))?;
    let expires = presign::time::parse_duration(&o.expires)
        .map_err(|e| Failure::Usage(e.message().to_owned()))?;
    let mut headers = Params::new();
    for h in &o.headers {
        let (n, v) = h
            .split_once(':')
            .ok_or_else(|| Failure::Usage(format!("--header {h:?} must be \"Name: value\"")))?;
        headers.push(n.trim(), v);
    }
    let mut query = Params::new();
    for q in &o.query {
        let (n, v) = q.split_once('=').unwrap_or((q.as_str(), ""));
        query.push(n, v);
    }
    let signed_at = match &o.at {
        Some(at) => Some(
            Timestamp::parse_rfc3339(at)
                .map_err(|e| Failure::Usage(format!("--at: {}", e.message())))?,
        ),
        None => None,
    };
    let credential_expiry = match o.credential_expiry.as_str() {
        "warn" => CredentialExpiry::Warn,
        "error" => CredentialExpiry::Error,
        "clamp" => CredentialExpiry::Clamp,
        other => {
            return Err(Failure::Usage(format!(
                "--credential-expiry {other:?} must be warn, error or clamp"
            )))
        }
    };
    let mut req = S3Request::new(method, bucket, key);
    req.expires_in = Some(expires);
    req.headers = headers;
    req.query = query;
    req.endpoint = o.endpoint.clone();
    req.region = o.region.clone();
    req.url_style = if o.path_style {
        Some(UrlStyle::Path)
    } else if o.virtual_hosted {
        Some(UrlStyle::VirtualHosted)
    } else {
        None
    };
    req.dualstack = o.dualstack;
    req.accelerate = o.accelerate;
    req.fips = o.fips;
    req.signed_at = signed_at;
    req.credential_expiry = credential_expiry;
    fill_from_env(&mut req)?;
    if req.credentials.is_none() {
        return Err(Failure::Sign(Error::InvalidCredentials(
            "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY".into(),
        )));
    }
    let out = Signer::new().presign(&Request::S3(req), now()?)?;
    for w in &out.warnings {
        eprintln!("presign: warning: {}: {}", w.code, w.message);
    }
    let mut stdout = std::io::stdout().lock();
    if o.json {
        let _ = writeln!(stdout, "{}", to_json(&out));
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

fn to_json(out: &Presigned) -> String {
    presign::json::result_json(&Ok(out.clone()))
}

fn batch() -> Result<(), Failure> {
    let signer = Signer::new();
    let stdin = std::io::stdin().lock();
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    // Read once: environment defaults apply to every line.
    let env_creds = env_credentials();
    for line in stdin.lines() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                let e = Error::InvalidRequest(format!("unreadable input line: {e}"));
                let _ = writeln!(stdout, "{}", presign::json::error_json(&e));
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let _ = writeln!(
            stdout,
            "{}",
            presign::json::result_json(&sign_line(&signer, &line, &env_creds))
        );
    }
    let _ = stdout.flush();
    Ok(())
}

fn sign_line(
    signer: &Signer,
    line: &str,
    env_creds: &Result<Option<Credentials>, Error>,
) -> Result<Presigned, Error> {
    let mut req: Request = presign::json::parse_request(line)?;
    #[allow(irrefutable_let_patterns)]
    if let Request::S3(r) = &mut req {
        if r.credentials.is_none() {
            r.credentials = env_creds.clone()?;
        }
        fill_from_env(r)?;
    }
    signer.presign(&req, now()?)
}
