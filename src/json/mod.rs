//! JSON in, JSON out: the one place that turns request-schema JSON into results, shared by the
//! CLI's `batch` mode and the JS bindings.
//!
//! A result line is the [`Presigned`] object, or `{"error":{"code":"…","message":"…"}}`.

use crate::prelude::*;

#[cfg(url_signer)]
mod client;
#[cfg(feature = "cors")]
mod cors;
#[cfg(feature = "exchange")]
mod exchange;
#[cfg(feature = "post")]
mod post;
#[cfg(feature = "serde")]
pub mod serde;
#[cfg(feature = "upload")]
mod upload;
#[cfg(feature = "cors")]
pub use cors::cors_json;
#[cfg(feature = "exchange")]
pub use exchange::{exchange_request_json, exchange_response_json, http_request_json};
#[cfg(all(feature = "post", feature = "gcs"))]
pub use post::{gcs_post_finish_json, gcs_post_string_to_sign_json};
#[cfg(feature = "post")]
pub use post::{parse_post_request, post_json, post_result_json, push_post_form};

#[cfg(gcs_upload)]
pub use upload::{gcs_upload_finish_json, gcs_upload_strings_to_sign_json};
#[cfg(feature = "upload")]
pub use upload::{plan_upload, plan_upload_json, upload_request_json, upload_response_json};

pub use crate::schema::{from_str, missing, unknown, FromJson, Reader};
pub use crate::schema::{push_str, string, Object};
#[cfg(url_signer)]
pub use client::Client;
#[cfg(all(wasm_url, not(no_std_wasm)))]
pub(crate) use client::KeyCall;

#[cfg(feature = "gcs")]
use crate::error::msg;
use crate::error::{msg_at, msg_before};
use crate::error::{Error, Result};
use crate::request::{Request, Signer};
use crate::time::Timestamp;
use crate::types::Presigned;

/// Parses one request (the request schema, tagged by `provider`).
///
/// # Errors
/// [`Error::InvalidRequest`] naming the member that did not fit (unknown member, wrong type,
/// missing member) or the byte offset of a syntax error; never quoting a value.
pub fn parse_request(json: &str) -> Result<Request> {
    from_str(json).map_err(not_a_request)
}

pub(crate) fn not_a_request(e: Error) -> Error {
    match e {
        Error::InvalidRequest(m) => Error::InvalidRequest(msg_before!(m; "not a valid request: ")),
        other => other,
    }
}

impl FromJson for Request {
    fn from_json(r: &mut Reader<'_>) -> Result<Self> {
        let provider = r
            .peek_member("provider")?
            .ok_or_else(|| missing("provider"))?;
        r.skip_member_once("provider");
        match &*provider {
            #[cfg(feature = "s3")]
            "s3" => FromJson::from_json(r).map(Request::S3),
            #[cfg(feature = "azure")]
            "azure" => FromJson::from_json(r).map(Request::Azure),
            #[cfg(feature = "gcs")]
            "gcs" => FromJson::from_json(r).map(Request::Gcs),
            _ => Err(Error::InvalidRequest(msg_at!(
                "provider",
                "expected one of {}",
                crate::text::join(PROVIDERS, ", ")
            ))),
        }
    }
}

/// The providers this build signs for.
pub(crate) const PROVIDERS: &[&str] = &[
    #[cfg(feature = "s3")]
    "\"s3\"",
    #[cfg(feature = "azure")]
    "\"azure\"",
    #[cfg(feature = "gcs")]
    "\"gcs\"",
];

/// Appends a result object (`{"url","method","headers","expiresAt"[,"warnings"]}`).
pub fn push_presigned(out: &mut String, p: &Presigned) {
    let mut o = Object::new(out)
        .str("url", &p.url)
        .str("method", p.method.as_str())
        .pairs("headers", p.headers.iter())
        .time("expiresAt", p.expires_at);
    push_warnings(&mut o, &p.warnings);
    o.end();
}

/// Appends `"warnings":[{"code","message"},…]` to a result object; nothing when there are none.
pub fn push_warnings(o: &mut Object<'_>, warnings: &[crate::types::Warning]) {
    if warnings.is_empty() {
        return;
    }
    let w = o.key("warnings");
    w.push('[');
    for (i, warning) in warnings.iter().enumerate() {
        if i > 0 {
            w.push(',');
        }
        Object::new(w)
            .str("code", warning.code)
            .str("message", &warning.message)
            .end();
    }
    w.push(']');
}

/// A result as JSON: the presigned object or the error object.
pub fn result_json(r: &Result<Presigned>) -> String {
    match r {
        Ok(p) => {
            let mut out = String::with_capacity(p.url.len() + 128);
            push_presigned(&mut out, p);
            out
        }
        Err(e) => error_json(e),
    }
}

/// `{"error":{"code":"…","message":"…"}}`.
pub fn error_json(e: &Error) -> String {
    let mut out = String::with_capacity(e.message().len() + 48);
    push_error(&mut out, e);
    out
}

pub(crate) fn push_error(out: &mut String, e: &Error) {
    let mut o = Object::new(out);
    Object::new(o.key("error"))
        .str("code", e.code())
        .str("message", e.message())
        .end();
    o.end();
}

/// Presigns one JSON request.
pub fn presign_json(signer: &Signer, json: &str, now: Timestamp) -> String {
    result_json(&presign(signer, json, now))
}

/// Presigns one JSON request: the result itself, for a front end that writes it its own way
/// (the wasm bindings).
pub(crate) fn presign(signer: &Signer, json: &str, now: Timestamp) -> Result<Presigned> {
    parse_request(json).and_then(|req| signer.presign(&req, now))
}

/// Presigns a JSON array of requests; returns a JSON array of results in the same order. A bad
/// element gives an error object in its place; only input that is not an array fails as a whole.
pub fn presign_many_json(signer: &Signer, json: &str, now: Timestamp) -> String {
    presign_many(signer, json, now, &JSON_ARRAY)
}

/// [`presign_many_json`] with its results written as `batch` says.
pub(crate) fn presign_many(signer: &Signer, json: &str, now: Timestamp, batch: &Batch) -> String {
    let capacity = json.len() + json.len() / 2 + 2;
    sign_many(signer, json, now, capacity, "requests", batch, &mut |r| {
        Request::from_json(r)
    })
}

/// How a batch's answer is written: the text before its first result, between two results and
/// after the last, and how each result (or error) is written. Whatever fails as a whole (input
/// that is not an array) is the error object alone.
pub(crate) struct Batch {
    pub(crate) open: &'static str,
    pub(crate) between: &'static str,
    pub(crate) close: &'static str,
    pub(crate) push: fn(&mut String, Result<Presigned>),
}

/// A JSON array of result and error objects.
pub(crate) const JSON_ARRAY: Batch = Batch {
    open: "[",
    between: ",",
    close: "]",
    push: push_result,
};

/// Appends a result object, or the error object.
pub(crate) fn push_result(out: &mut String, r: Result<Presigned>) {
    match r {
        Ok(p) => push_presigned(out, &p),
        Err(e) => push_error(out, &e),
    }
}

/// The batch loop of [`presign_many_json`] and of the client's: each element is read in place by
/// `read`; one that does not fit the schema is skipped (and answered with its error), so it does
/// not spoil the others. Only malformed JSON stops the batch, and the error says it expected an
/// array of `what`.
pub(crate) fn sign_many(
    signer: &Signer,
    json: &str,
    now: Timestamp,
    capacity: usize,
    what: &str,
    batch: &Batch,
    read: &mut dyn FnMut(&mut Reader<'_>) -> Result<Request>,
) -> String {
    let mut out = String::with_capacity(capacity);
    out.push_str(batch.open);
    let mut r = Reader::new(json);
    let mut first = true;
    let listed = r
        .array(|r| {
            if !first {
                out.push_str(batch.between);
            }
            first = false;
            let start = r.position();
            let result = match read(r) {
                Ok(req) => signer.presign(&req, now),
                Err(e) => {
                    r.rewind(start);
                    r.skip()?;
                    Err(not_a_request(e))
                }
            };
            (batch.push)(&mut out, result);
            Ok(())
        })
        .and_then(|()| r.finish());
    if let Err(e) = listed {
        return error_json(&Error::InvalidRequest(msg_before!(
            e.message().into();
            "expected an array of {what}: "
        )));
    }
    out.push_str(batch.close);
    out
}

/// The external-signer seam over JSON, for GCS service-account requests: the string to sign,
/// `{"stringToSign":"…"}`, or an error object. Signing is a pure function of the request and the
/// instant, so [`gcs_finish_json`] with the same request and instant completes the same URL.
#[cfg(feature = "gcs")]
pub fn gcs_string_to_sign_json(json: &str, now: Timestamp) -> String {
    string_to_sign_json(
        gcs_prepared(json, now),
        crate::gcs::PreparedUrl::string_to_sign,
    )
}

/// `{"stringToSign"}` of something prepared for a signature made elsewhere (a GCS URL or form),
/// or the error object: the one writer of that answer.
#[cfg(feature = "gcs")]
pub(crate) fn string_to_sign_json<P>(prepared: Result<P>, text: fn(&P) -> &str) -> String {
    match prepared {
        Ok(p) => {
            let mut out = String::new();
            Object::new(&mut out).str("stringToSign", text(&p)).end();
            out
        }
        Err(e) => error_json(&e),
    }
}

/// Completes a GCS request with a signature of its string to sign made elsewhere (hex): the
/// result object, or an error object.
#[cfg(feature = "gcs")]
pub fn gcs_finish_json(json: &str, now: Timestamp, signature_hex: &str) -> String {
    result_json(&gcs_prepared(json, now).and_then(|p| p.finish(signature_hex)))
}

#[cfg(feature = "gcs")]
fn gcs_prepared(json: &str, now: Timestamp) -> Result<crate::gcs::PreparedUrl> {
    match parse_request(json)? {
        Request::Gcs(r) => crate::gcs::prepare(&r, now),
        #[allow(unreachable_patterns)]
        _ => Err(Error::InvalidRequest(msg!(
            "only \"provider\": \"gcs\" requests are signed by an external signer"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC_EXAMPLE: &str = r#"{"provider":"s3","bucket":"examplebucket","key":"test.txt",
        "expiresIn":86400,"signedAt":"2013-05-24T00:00:00Z",
        "credentials":{"accessKeyId":"AKIAIOSFODNN7EXAMPLE","secretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}"#;

    #[test]
    fn one_request_gives_the_documented_url() {
        let out: serde_json::Value = serde_json::from_str(&presign_json(
            &Signer::new(),
            DOC_EXAMPLE,
            Timestamp::from_unix(0).unwrap(),
        ))
        .unwrap();
        // AWS S3 docs example signature (tests/vectors/aws/s3-docs-examples.json).
        assert!(out["url"].as_str().unwrap().ends_with(
            "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        ));
        assert_eq!(out["method"], "GET");
        assert_eq!(out["expiresAt"], "2013-05-25T00:00:00Z");
        assert_eq!(out["headers"], serde_json::json!({}));
    }

    #[test]
    fn signed_at_as_unix_milliseconds_is_the_same_instant() {
        // 2013-05-24T00:00:00Z = 1369353600 s (`date -ud @1369353600`); the docs signature again.
        let signer = Signer::new();
        let now = Timestamp::from_unix(0).unwrap();
        let ms = DOC_EXAMPLE.replace("\"2013-05-24T00:00:00Z\"", "1369353600999");
        assert!(presign_json(&signer, &ms, now).contains(
            "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        ));
        for (bad, code, says) in [
            (
                "-1",
                "INVALID_REQUEST",
                "`signedAt`: expected an RFC 3339 date-time",
            ),
            (
                "1.5",
                "INVALID_REQUEST",
                "`signedAt`: expected a non-negative integer",
            ),
            (
                "true",
                "INVALID_REQUEST",
                "or Unix milliseconds, found a boolean",
            ),
            (
                "\"yesterday\"",
                "INVALID_REQUEST",
                "`signedAt`: expected an RFC 3339",
            ),
            (
                "253402300800000",
                "INVALID_TIME",
                "outside the supported range",
            ),
            ("99999999999999999999", "INVALID_REQUEST", "too large"),
        ] {
            let req = DOC_EXAMPLE.replace("\"2013-05-24T00:00:00Z\"", bad);
            let out = presign_json(&signer, &req, now);
            assert!(out.contains(code) && out.contains(says), "{bad}: {out}");
        }
    }

    #[test]
    fn a_bad_element_does_not_spoil_the_batch() {
        let batch =
            format!(r#"[{DOC_EXAMPLE}, {{"provider":"s3","bucket":"b","key":"k","bogus":1}}, 7]"#);
        let out: serde_json::Value = serde_json::from_str(&presign_many_json(
            &Signer::new(),
            &batch,
            Timestamp::from_unix(0).unwrap(),
        ))
        .unwrap();
        let arr = out.as_array().unwrap();
        assert_eq!(arr.len(), 3);
        assert!(arr[0]["url"].is_string());
        assert_eq!(arr[1]["error"]["code"], "INVALID_REQUEST");
        // The unknown member is named by its position, not by the input's text.
        let message = arr[1]["error"]["message"].as_str().unwrap();
        assert!(message.contains("`[3]`: unknown member"), "{message}");
        assert!(!message.contains("bogus"), "{message}");
        assert_eq!(arr[2]["error"]["code"], "INVALID_REQUEST");
        // A lone surrogate (JSON.stringify writes one as a \uD800-\uDFFF escape) in a value, in
        // a map's name, or in an unknown member's name fails its element only.
        let lone = [
            r#"{"provider":"s3","bucket":"b","key":"k\ud800"}"#,
            r#"{"provider":"s3","bucket":"b","key":"k","headers":{"x-amz-meta-\udc00":"v"}}"#,
            r#"{"provider":"s3","bucket":"b","key":"k","bogus\udbff":1}"#,
        ];
        for bad in lone {
            let batch = format!("[{DOC_EXAMPLE},{bad},{DOC_EXAMPLE}]");
            let out: serde_json::Value = serde_json::from_str(&presign_many_json(
                &Signer::new(),
                &batch,
                Timestamp::from_unix(0).unwrap(),
            ))
            .unwrap();
            let arr = out.as_array().unwrap_or_else(|| panic!("{bad}: {out}"));
            assert_eq!(arr.len(), 3, "{bad}");
            assert!(
                arr[0]["url"].is_string() && arr[2]["url"].is_string(),
                "{bad}"
            );
            assert_eq!(arr[1]["error"]["code"], "INVALID_REQUEST", "{bad}");
        }
        let not_array = presign_many_json(&Signer::new(), "{}", Timestamp::from_unix(0).unwrap());
        assert!(not_array.starts_with(r#"{"error":{"code":"INVALID_REQUEST""#));
    }

    #[test]
    fn map_order_survives_every_json_path() {
        // Azure signs srh/srq in the order given: a JSON value must not re-sort object keys.
        let req = r#"{"provider":"s3","bucket":"b","key":"k","headers":{"x-amz-meta-z":"1","content-type":"t"}}"#;
        let Request::S3(r) = parse_request(req).unwrap() else {
            panic!("not s3")
        };
        assert_eq!(r.headers.0[0].0, "x-amz-meta-z");
    }

    #[cfg(feature = "gcs")]
    #[test]
    fn external_signer_round_trip_over_json() {
        let req = r#"{"provider":"gcs","bucket":"test-bucket","object":"test-object","signedAt":"2019-02-01T09:00:00Z","expiresIn":10,
            "credentials":{"serviceAccount":{"client_email":"test-iam-credentials@dummy-project-id.iam.gserviceaccount.com"}}}"#;
        let t = Timestamp::from_unix(0).unwrap();
        let sts: serde_json::Value =
            serde_json::from_str(&gcs_string_to_sign_json(req, t)).unwrap();
        // Google's conformance case "Simple GET" (tests/vectors/gcs/v4_signatures.json).
        assert!(sts["stringToSign"]
            .as_str()
            .unwrap()
            .starts_with("GOOG4-RSA-SHA256\n20190201T090000Z\n20190201/auto/storage/goog4_request\n00e2fb794ea93d7adb703edaebdd509821"));
        let sig = "ab".repeat(256);
        let out: serde_json::Value = serde_json::from_str(&gcs_finish_json(req, t, &sig)).unwrap();
        assert!(out["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("&X-Goog-Signature={sig}")));
        let bad: serde_json::Value = serde_json::from_str(&gcs_finish_json(req, t, "zz")).unwrap();
        assert_eq!(bad["error"]["code"], "INVALID_REQUEST");
        let s3 = r#"{"provider":"s3","bucket":"b","key":"k"}"#;
        assert!(gcs_string_to_sign_json(s3, t).contains("INVALID_REQUEST"));
    }

    #[test]
    fn secrets_do_not_leak_into_errors() {
        let req = r#"{"provider":"s3","bucket":"b","key":"","credentials":{"accessKeyId":"AKID","secretAccessKey":"TOPSECRETVALUE","sessionToken":"TOKENVALUE"}}"#;
        let out = presign_json(&Signer::new(), req, Timestamp::from_unix(0).unwrap());
        assert!(out.contains("INVALID_KEY"));
        assert!(!out.contains("TOPSECRETVALUE") && !out.contains("TOKENVALUE"));
        // A secret in the wrong place: the error names the member, never the value.
        for req in [
            r#"{"provider":"s3","bucket":"b","key":"k","credentials":"AKID:TOPSECRETVALUE"}"#,
            r#"{"provider":"s3","bucket":"b","key":"k","credentials":{"accessKeyId":"AKID","secretAccessKey":"TOPSECRET\"VALUE"},"expiresIn":"TOPSECRETVALUE"}"#,
        ] {
            let out = presign_json(&Signer::new(), req, Timestamp::from_unix(0).unwrap());
            assert!(out.contains("INVALID_REQUEST"), "{out}");
            assert!(
                !out.contains("TOPSECRET") && !out.contains("VALUE"),
                "{out}"
            );
            let many = presign_many_json(
                &Signer::new(),
                &format!("[{req}]"),
                Timestamp::from_unix(0).unwrap(),
            );
            assert!(
                !many.contains("TOPSECRET") && !many.contains("VALUE"),
                "{many}"
            );
        }
    }
}
