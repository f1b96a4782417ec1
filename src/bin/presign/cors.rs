//! `presign cors`: the storage-side CORS rule that browser requests need, in the provider's format.

use super::Failure;
use presign::cors::{cors_rules, CorsRequest, Provider};
use presign::{Method, Params};
use serde_json::Value;
use std::io::{BufRead, Write};

/// Arguments of `presign cors`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
presign cors s3 --origin https://app.example.com --method PUT -H content-type -H x-amz-meta-owner\n  \
presign batch < requests.jsonl | presign cors azure --origin https://app.example.com --stdin\n\n\
Formats: native (s3: S3 JSON for `aws s3api put-bucket-cors --cors-configuration`, gcs: JSON for \
`gcloud storage buckets update --cors-file`, azure: Set Blob Service Properties XML), s3-json, s3-xml \
(the PutBucketCors body), gcs-json, azure-xml.")]
pub struct CorsArgs {
    /// s3, azure or gcs.
    provider: String,
    /// An origin allowed to make the requests, scheme://host[:port] (repeatable), or *.
    #[arg(long = "origin", value_name = "ORIGIN", required = true)]
    origins: Vec<String>,
    /// A method the browser will use (repeatable); each gets every --header.
    #[arg(short = 'X', long = "method", value_name = "METHOD")]
    methods: Vec<String>,
    /// A header the browser will send (repeatable): "Name" or "Name: value".
    #[arg(short = 'H', long = "header", value_name = "NAME")]
    headers: Vec<String>,
    /// Also read JSON Lines on stdin: presign results or requests (their method and headers).
    #[arg(long)]
    stdin: bool,
    /// Output format: native, s3-json, s3-xml, gcs-json, azure-xml.
    #[arg(long, default_value = "native")]
    format: String,
    /// Seconds a browser may cache the preflight answer.
    #[arg(long, value_name = "SECONDS", default_value_t = presign::cors::DEFAULT_MAX_AGE)]
    max_age: u32,
}

pub fn run(a: &CorsArgs) -> Result<(), Failure> {
    let provider: Provider = a
        .provider
        .parse()
        .map_err(|e: presign::Error| Failure::Usage(e.message().to_owned()))?;
    let mut requests = Vec::new();
    let headers: Params = a
        .headers
        .iter()
        .map(|h| match h.split_once(':') {
            Some((n, v)) => (n.trim().to_owned(), v.trim().to_owned()),
            None => (h.trim().to_owned(), String::new()),
        })
        .collect();
    for m in &a.methods {
        let method: Method = m
            .parse()
            .map_err(|e: presign::Error| Failure::Usage(format!("--method: {}", e.message())))?;
        requests.push(CorsRequest {
            method,
            headers: headers.clone(),
        });
    }
    if a.methods.is_empty() && !a.headers.is_empty() {
        return Err(Failure::Usage(
            "--header needs a --method to go with".into(),
        ));
    }
    if a.stdin {
        for (i, line) in std::io::stdin().lock().lines().enumerate() {
            let line = line.map_err(|e| Failure::Usage(format!("stdin line {}: {e}", i + 1)))?;
            if line.trim().is_empty() {
                continue;
            }
            requests.push(from_json_line(&line, i + 1)?);
        }
    }
    if requests.is_empty() {
        return Err(Failure::Usage(
            "no requests: give --method (and --header), or --stdin with presign results".into(),
        ));
    }
    let mut rules = cors_rules(provider, &a.origins, &requests)?;
    rules.max_age = a.max_age;
    let text = match a.format.as_str() {
        "native" => rules.native(),
        "s3-json" => rules.s3_json(),
        "s3-xml" => rules.s3_xml(),
        "gcs-json" => rules.gcs_json(),
        "azure-xml" => rules.azure_xml(),
        f => {
            return Err(Failure::Usage(format!(
                "--format {f:?} is not one of native, s3-json, s3-xml, gcs-json, azure-xml"
            )))
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
    Ok(())
}

/// A presign result or request: `method` (default GET) and `headers` (an object).
fn from_json_line(line: &str, n: usize) -> Result<CorsRequest, Failure> {
    let v: Value = serde_json::from_str(line)
        .map_err(|_| Failure::Usage(format!("stdin line {n} is not JSON")))?;
    if let Some(e) = v.get("error") {
        let code = e.get("code").and_then(Value::as_str).unwrap_or("?");
        return Err(Failure::Usage(format!(
            "stdin line {n} is an error result ({code}), not a request"
        )));
    }
    let method = match v.get("method").and_then(Value::as_str) {
        Some(m) => m.parse().map_err(|e: presign::Error| {
            Failure::Usage(format!("stdin line {n}: {}", e.message()))
        })?,
        None => Method::Get,
    };
    let mut headers = Params::new();
    if let Some(h) = v.get("headers").and_then(Value::as_object) {
        for (k, val) in h {
            headers.push(k.clone(), val.as_str().unwrap_or_default());
        }
    }
    Ok(CorsRequest { method, headers })
}
