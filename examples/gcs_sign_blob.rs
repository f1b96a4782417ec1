//! A GCS V4 signed URL without a private key, through IAM Credentials `signBlob`, with your own HTTP
//! client: the crate builds the request and reads the answer (`presign::gcs::sign_blob`), the
//! program sends it. Here the "HTTP client" is a few lines of HTTP/1.1 over `TcpStream`, enough for
//! the local stand-in (`bash tests/servers/signblob.sh start`); against Google use your usual client
//! (reqwest, ureq, hyper…) with https and the default endpoint.
//!
//! ```sh
//! GCS_ACCESS_TOKEN=ya29.local-test-access-token cargo run --example gcs_sign_blob -- \
//!   http://127.0.0.1:4450 test-iam-credentials@dummy-project-id.iam.gserviceaccount.com \
//!   GET my-bucket report.pdf [storage-endpoint]
//! ```
//!
//! Prints the signed URL and the headers the client must send.

use presign::gcs::sign_blob::{SignBlobRequest, SignedBlob};
use presign::gcs::GcsRequest;
use presign::http::HttpRequest;
use presign::{Method, Timestamp};
use std::error::Error;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{SystemTime, UNIX_EPOCH};

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [iam_endpoint, email, method, bucket, object, rest @ ..] = args.as_slice() else {
        return Err(
            "usage: gcs_sign_blob IAM_ENDPOINT EMAIL METHOD BUCKET OBJECT [STORAGE_ENDPOINT]"
                .into(),
        );
    };
    let token = std::env::var("GCS_ACCESS_TOKEN").map_err(|_| "set GCS_ACCESS_TOKEN")?;
    let now = Timestamp::from_unix(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)?
            .as_secs()
            .try_into()?,
    )?;

    let mut iam = SignBlobRequest::new(email.as_str());
    iam.endpoint = Some(iam_endpoint.clone());
    let mut req = GcsRequest::new(method.parse::<Method>()?, bucket.as_str(), object.as_str())
        .with_credentials(iam.credentials()?);
    if let Some(storage) = rest.first() {
        req = req.with_endpoint(storage.as_str());
    }
    let prepared = presign::gcs::prepare(&req, now)?;
    let http = iam.build(prepared.string_to_sign())?;
    let (status, body) = send(&http, &token)?;
    let signed = SignedBlob::from_response(status, &body)?;
    let out = prepared.finish_bytes(&signed.signature)?;
    println!("{}", out.url);
    for (name, value) in out.headers.iter() {
        println!("{name}: {value}");
    }
    Ok(())
}

/// POSTs `req` with `Authorization: Bearer <token>` over plain HTTP/1.1 (a loopback stand-in only)
/// and returns the status and body.
fn send(req: &HttpRequest, token: &str) -> Result<(u16, String), Box<dyn Error>> {
    let rest = req
        .url
        .strip_prefix("http://")
        .ok_or("this example's client speaks plain http only (a local stand-in)")?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = TcpStream::connect(authority)?;
    let mut head = format!(
        "{} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nContent-Length: {}\r\nAuthorization: Bearer {token}\r\n",
        req.method.as_str(),
        req.body.len()
    );
    for (name, value) in req.headers.iter() {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(req.body.as_bytes())?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let (head, body) = response
        .split_once("\r\n\r\n")
        .ok_or("no end of the headers")?;
    let status = head.split(' ').nth(1).ok_or("no status")?.parse::<u16>()?;
    Ok((status, body.to_owned()))
}
