//! `presign cors`: the storage-side CORS rule that browser requests need, in the provider's format.

use super::Failure;
use presign::cors::{cors_rules, CorsRequest, Provider};
use presign::json::{from_str, Reader};
use presign::{Method, Params};
use std::io::Write;

/// Arguments of `presign cors`.
#[derive(clap::Args, Debug)]
#[command(after_help = concat!("Examples:\n  \
presign cors s3 --origin https://app.example.com --method PUT -H content-type -H x-amz-meta-owner\n  \
presign batch < requests.jsonl | presign cors azure --origin https://app.example.com --stdin\n\n\
Formats: native (s3: S3 JSON for `aws s3api put-bucket-cors --cors-configuration`, gcs: JSON for \
`gcloud storage buckets update --cors-file`, azure: Set Blob Service Properties XML), s3-json, s3-xml \
(the PutBucketCors body), gcs-json, azure-xml.\n\n", super::lines::exit_rule!()))]
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
    /// Also read JSON Lines on stdin: presign results or requests (their method and headers);
    /// a bad line is named on stderr and no rule is printed (exit codes below).
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
        // A rule missing a request would fail in the browser unnoticed: a bad line is named on
        // stderr and no rule is printed (the JSON Lines exit rule: 1).
        super::lines::each_line(std::io::stdin().lock(), |n, line| {
            match line.and_then(from_json_line) {
                Ok(r) => {
                    requests.push(r);
                    Ok(true)
                }
                Err(e) => {
                    eprintln!("presign: stdin line {n}: {e}");
                    Ok(false)
                }
            }
        })?
        .finish("no rule is printed")?;
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
        _ => {
            return Err(Failure::Usage(
                "--format is not one of native, s3-json, s3-xml, gcs-json, azure-xml".into(),
            ))
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
    Ok(())
}

/// A presign result or request: `method` (default GET) and `headers` (an object). Of members
/// given twice, the last counts; well-formed JSON that is not an object names neither (a GET).
fn from_json_line(line: &str) -> Result<CorsRequest, presign::Error> {
    let bad = |m: &str| presign::Error::InvalidRequest(m.into());
    let not_json = || bad("the line is not JSON");
    if !super::is_json(line) {
        return Err(not_json());
    }
    let (mut error, mut method, mut headers) = (false, None, None);
    // JSON that is not an object names neither member (a GET, as any request without them).
    let _ = Reader::new(line).object(|r, name| {
        let value = r.raw()?;
        match name {
            "error" => error = true,
            "method" => method = Some(value),
            "headers" => headers = Some(value),
            _ => {}
        }
        Ok(())
    });
    if error {
        return Err(bad("the line is an error result, not a request"));
    }
    let method = match method {
        Some(m) if m.starts_with('"') => from_str::<String>(m)
            .map_err(|_| not_json())?
            .parse()
            .map_err(|e: presign::Error| bad(&format!("`method`: {}", e.message())))?,
        Some("null") | None => Method::Get,
        Some(_) => return Err(bad("`method`: expected a string")),
    };
    let mut out = Params::new();
    match headers {
        Some(h) if h.starts_with('{') => {
            let mut wrong = false;
            Reader::new(h)
                .map(|r, name| {
                    let value = r.raw()?;
                    if !value.starts_with('"') {
                        wrong = true;
                        return Ok(());
                    }
                    let value = from_str::<String>(value)?;
                    // A name given twice keeps its first place and takes the last value.
                    match out.0.iter_mut().find(|(n, _)| n == name) {
                        Some(pair) => pair.1 = value,
                        None => out.push(name, value),
                    }
                    Ok(())
                })
                .map_err(|_| not_json())?;
            if wrong {
                return Err(bad("`headers`: every value must be a string"));
            }
        }
        Some("null") | None => {}
        Some(_) => return Err(bad("`headers`: expected an object")),
    }
    Ok(CorsRequest {
        method,
        headers: out,
    })
}
