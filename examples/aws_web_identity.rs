//! Temporary AWS credentials with your own HTTP client: STS `AssumeRoleWithWebIdentity` with an
//! OpenID Connect token (here read from a file, as on EKS or GitHub Actions), sent with `reqwest`,
//! then a presigned GET signed with the answer. The crate builds the request and reads the answer;
//! it never does I/O.
//!
//! ```text
//! AWS_ROLE_ARN=arn:aws:iam::123456789012:role/reader \
//! AWS_WEB_IDENTITY_TOKEN_FILE=/var/run/secrets/eks.amazonaws.com/serviceaccount/token \
//! AWS_REGION=eu-west-1 cargo run --example aws_web_identity -- my-bucket path/to/object.bin
//! ```
//!
//! `STS_ENDPOINT=http://127.0.0.1:5055` sends the exchange to a local stand-in instead
//! (`bash tests/servers/moto.sh start`; moto accepts any token).

use presign::s3::sts::{web_identity_credentials, WebIdentityRequest};
use presign::s3::{Presigner, S3Request};
use presign::{Method, Timestamp};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(bucket), Some(key)) = (args.next(), args.next()) else {
        return Err("usage: aws_web_identity BUCKET KEY".into());
    };
    let env = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
    let region = env("AWS_REGION").unwrap_or_else(|_| "us-east-1".into());
    let token = std::fs::read_to_string(env("AWS_WEB_IDENTITY_TOKEN_FILE")?)?;

    // 1. The exchange: the crate builds the request ...
    let mut exchange =
        WebIdentityRequest::new(env("AWS_ROLE_ARN")?, "presign-example", token.trim())
            .with_region(&region)
            .with_duration_seconds(900);
    if let Ok(endpoint) = env("STS_ENDPOINT") {
        exchange = exchange.with_endpoint(endpoint);
    }
    let http = exchange.build()?;
    // ... your client sends it as built ...
    let client = reqwest::blocking::Client::new();
    let mut send = client.post(&http.url).body(http.body.clone());
    for (name, value) in http.headers.iter() {
        send = send.header(name, value);
    }
    let response = send.send()?;
    let status = response.status().as_u16();
    let body = response.text()?;
    // ... and the crate reads the answer (STS's error document becomes Error::Service).
    let credentials = web_identity_credentials(status, &body)?;

    // 2. Sign with the temporary credentials. They carry their expiry, so a URL that would outlive
    //    them follows `credential_expiry` (default: a warning).
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let now = Timestamp::from_unix(i64::try_from(now)?)?;
    let request = S3Request::new(Method::Get, bucket, key)
        .with_region(region)
        .with_expires_in(Duration::from_secs(600))
        .with_credentials(credentials);
    let signed = Presigner::new().presign(&request, now)?;
    for warning in &signed.warnings {
        eprintln!("warning: {}: {}", warning.code, warning.message);
    }
    println!("{}", signed.url);
    Ok(())
}
