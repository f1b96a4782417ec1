//! Form uploads (POST policies) over JSON: the `post` request schema in, `{"url","fields",
//! "expiresAt"}` or an error object out, for the CLI and the JS bindings.

use crate::error::{msg, msg_at, msg_before};
use crate::error::{Error, Result};
use crate::post::{PostForm, PostPolicy};
use crate::prelude::*;
use crate::request::post::{presign_post, PostRequest, PostSigner};
use crate::time::Timestamp;

/// Reads member `name` of a policy into `p`; `Ok(false)` when `name` is not a policy member.
fn read_policy_member(
    p: &mut PostPolicy,
    r: &mut crate::schema::Reader<'_>,
    name: &str,
) -> Result<bool> {
    use crate::schema::FromJson;
    match name {
        "bucket" => crate::schema::set_field(&mut p.bucket, r)?,
        "key" => crate::schema::set_field(&mut p.key, r)?,
        "keyPrefix" => crate::schema::set_field(&mut p.key_prefix, r)?,
        "anyKey" => crate::schema::set_field(&mut p.any_key, r)?,
        "expiresIn" => crate::schema::set_field(&mut p.expires_in, r)?,
        "signedAt" => crate::schema::set_field(&mut p.signed_at, r)?,
        "contentLengthRange" => crate::schema::set_field(&mut p.content_length_range, r)?,
        "contentType" => crate::schema::set_field(&mut p.content_type, r)?,
        "contentTypePrefix" => crate::schema::set_field(&mut p.content_type_prefix, r)?,
        "successActionStatus" => {
            let s: Option<u64> = FromJson::from_json(r)?;
            p.success_action_status = s
                .map(|s| {
                    u16::try_from(s)
                        .map_err(|_| Error::InvalidRequest(msg!("expected 200, 201 or 204")))
                })
                .transpose()?;
        }
        "successActionRedirect" => crate::schema::set_field(&mut p.success_action_redirect, r)?,
        "metadata" => crate::schema::set_field(&mut p.metadata, r)?,
        "acl" => crate::schema::set_field(&mut p.acl, r)?,
        "cacheControl" => crate::schema::set_field(&mut p.cache_control, r)?,
        "contentDisposition" => crate::schema::set_field(&mut p.content_disposition, r)?,
        "contentEncoding" => crate::schema::set_field(&mut p.content_encoding, r)?,
        "fields" => crate::schema::set_field(&mut p.fields, r)?,
        "startsWith" => crate::schema::set_field(&mut p.starts_with, r)?,
        "conditions" => crate::schema::set_field(&mut p.conditions, r)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// Reads the members of one provider's request: the policy's, then `other` for the provider's
/// own; anything else is an unknown member. `bucket` is required.
fn read_post_object<'a>(
    r: &mut crate::schema::Reader<'a>,
    policy: &mut PostPolicy,
    mut other: impl FnMut(&mut crate::schema::Reader<'a>, &str) -> Result<bool>,
) -> Result<()> {
    let mut has_bucket = false;
    r.object(|r, name| {
        has_bucket |= name == "bucket";
        if read_policy_member(policy, r, name)? || other(r, name)? {
            Ok(())
        } else {
            Err(crate::schema::unknown(name))
        }
    })?;
    if has_bucket {
        Ok(())
    } else {
        Err(crate::schema::missing("bucket"))
    }
}

impl crate::schema::FromJson for PostRequest {
    /// The `post` request schema: the policy's members (camelCase, flat) beside the provider's
    /// (S3: `region`, `endpoint`, `urlStyle`, `dualstack`, `accelerate`, `fips`,
    /// `credentials`, `credentialExpiry`; GCS: `credentials`, `urlStyle`,
    /// `bucketBoundHostname`, `scheme`, `endpoint`, `universeDomain`), tagged by `provider`.
    /// `"azure"` reads as [`PostRequest::Azure`] whatever else it holds.
    fn from_json(r: &mut crate::schema::Reader<'_>) -> Result<Self> {
        let provider = r
            .peek_member("provider")?
            .ok_or_else(|| crate::schema::missing("provider"))?;
        r.skip_member_once("provider");
        match &*provider {
            #[cfg(feature = "s3")]
            "s3" => {
                let mut q = crate::s3::post::S3PostRequest::default();
                read_post_object(r, &mut q.policy, |r, name| {
                    match name {
                        "credentials" => crate::schema::set_field(&mut q.credentials, r)?,
                        "credentialExpiry" => {
                            crate::schema::set_field(&mut q.credential_expiry, r)?;
                        }
                        _ => return crate::schema::Flat::read_member(&mut q.endpoint, r, name),
                    }
                    Ok(true)
                })?;
                Ok(PostRequest::S3(q))
            }
            #[cfg(feature = "gcs")]
            "gcs" => {
                let mut q = crate::gcs::post::GcsPostRequest::default();
                read_post_object(r, &mut q.policy, |r, name| {
                    match name {
                        "credentials" => crate::schema::set_field(&mut q.credentials, r)?,
                        _ => return crate::schema::Flat::read_member(&mut q.endpoint, r, name),
                    }
                    Ok(true)
                })?;
                Ok(PostRequest::Gcs(q))
            }
            "azure" => {
                r.skip()?;
                Ok(PostRequest::Azure(PostPolicy::default()))
            }
            _ => Err(Error::InvalidRequest(msg_at!(
                "provider",
                "expected \"s3\" or \"gcs\" (\"azure\" has no POST policy)"
            ))),
        }
    }
}

/// Parses one `post` request.
///
/// # Errors
/// [`Error::InvalidRequest`] naming the member that did not fit; never quoting a value.
pub fn parse_post_request(json: &str) -> Result<PostRequest> {
    crate::schema::from_str(json).map_err(|e| match e {
        Error::InvalidRequest(m) => {
            Error::InvalidRequest(msg_before!(m; "not a valid post request: "))
        }
        other => other,
    })
}

/// Appends a form as `{"url","fields":[[name,value],…],"expiresAt"[,"warnings"]}` (fields as
/// an array of pairs: their order matters).
pub fn push_post_form(out: &mut String, f: &PostForm) {
    use crate::schema::{push_str, Object};
    let mut o = Object::new(out).str("url", &f.url);
    let w = o.key("fields");
    w.push('[');
    for (i, (n, v)) in f.fields.iter().enumerate() {
        if i > 0 {
            w.push(',');
        }
        w.push('[');
        push_str(w, n);
        w.push(',');
        push_str(w, v);
        w.push(']');
    }
    w.push(']');
    o = o.time("expiresAt", f.expires_at);
    crate::json::push_warnings(&mut o, &f.warnings);
    o.end();
}

/// A form result as JSON: the form object, or `{"error":{"code","message"}}`.
pub fn post_result_json(r: &Result<PostForm>) -> String {
    match r {
        Ok(f) => {
            let mut out = String::with_capacity(f.url.len() + 1024);
            push_post_form(&mut out, f);
            out
        }
        Err(e) => crate::json::error_json(e),
    }
}

/// Signs one JSON `post` request: the form object or the error object. `signer` keeps caches
/// across calls; `None` signs without them.
pub fn post_json(signer: Option<&PostSigner>, input: &str, now: Timestamp) -> String {
    let result = parse_post_request(input).and_then(|req| match signer {
        Some(s) => s.presign_post(&req, now),
        None => presign_post(&req, now),
    });
    post_result_json(&result)
}

/// The external-signer seam over JSON for GCS forms signed with a service-account key (JS
/// runtimes sign with WebCrypto): `{"stringToSign":"…"}` (the base64 policy) or an error object.
/// Signing is a pure function of the request and the instant, so [`gcs_post_finish_json`] with
/// the same request and instant completes the same form.
#[cfg(feature = "gcs")]
pub fn gcs_post_string_to_sign_json(input: &str, now: Timestamp) -> String {
    crate::json::string_to_sign_json(
        gcs_prepared(input, now),
        crate::gcs::post::PreparedPost::string_to_sign,
    )
}

/// Completes a GCS form with a hex signature of its string to sign made elsewhere.
#[cfg(feature = "gcs")]
pub fn gcs_post_finish_json(input: &str, now: Timestamp, signature_hex: &str) -> String {
    post_result_json(&gcs_prepared(input, now).and_then(|p| p.finish(signature_hex)))
}

#[cfg(feature = "gcs")]
fn gcs_prepared(input: &str, now: Timestamp) -> Result<crate::gcs::post::PreparedPost> {
    match parse_post_request(input)? {
        PostRequest::Gcs(r) => crate::gcs::post::prepare(&r, now),
        _ => Err(Error::InvalidRequest(msg!(
            "only \"provider\": \"gcs\" forms are signed by an external signer"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> Timestamp {
        Timestamp::parse_rfc3339("2026-11-24T10:00:00Z").unwrap()
    }

    #[cfg(all(feature = "s3", feature = "gcs"))]
    #[test]
    fn json_requests_and_results() {
        let s3 = r#"{"provider": "s3", "bucket": "bkt", "keyPrefix": "up/", "region": "eu-west-1",
            "contentLengthRange": {"min": 0, "max": 10}, "contentTypePrefix": "image/",
            "successActionStatus": 201, "metadata": {"who": "me"}, "fields": {"x-amz-storage-class": "STANDARD"},
            "startsWith": {"x-amz-meta-tag": ""}, "expiresIn": 600, "signedAt": "2026-11-24T10:00:00Z",
            "credentials": {"accessKeyId": "AKIDEXAMPLE", "secretAccessKey": "SECRETKEY"}}"#;
        let out = post_json(
            Some(&PostSigner::new()),
            s3,
            Timestamp::from_unix(0).unwrap(),
        );
        assert!(
            out.starts_with(r#"{"url":"https://bkt.s3.eu-west-1.amazonaws.com/","fields":[["success_action_status","201"],["x-amz-meta-who","me"],["x-amz-storage-class","STANDARD"],["key","up/${filename}"],["x-amz-algorithm","AWS4-HMAC-SHA256"],["x-amz-credential","AKIDEXAMPLE/20261124/eu-west-1/s3/aws4_request"],["x-amz-date","20261124T100000Z"],["policy",""#),
            "{out}"
        );
        assert!(
            out.ends_with(r#""]],"expiresAt":"2026-11-24T10:10:00Z"}"#),
            "{out}"
        );
        assert!(!out.contains("SECRETKEY"));

        let gcs = r#"{"bucket": "bkt", "key": "o", "provider": "gcs", "urlStyle": "virtualHosted",
            "credentials": {"hmac": {"accessId": "GOOG1E", "secret": "s"}}}"#;
        let out = post_json(None, gcs, t0());
        assert!(
            out.starts_with(r#"{"url":"https://bkt.storage.googleapis.com/","fields":[["key","o"],["x-goog-algorithm","GOOG4-HMAC-SHA256"]"#),
            "{out}"
        );

        for (bad, want) in [
            (r#"{"provider": "s3", "key": "k"}"#, "INVALID_REQUEST"),
            (
                r#"{"provider": "s3", "bucket": "b", "key": "k", "bogus": 1}"#,
                "INVALID_REQUEST",
            ),
            (
                r#"{"provider": "gcs", "bucket": "b", "key": "k", "region": "x"}"#,
                "INVALID_REQUEST",
            ),
            (r#"{"bucket": "b", "key": "k"}"#, "INVALID_REQUEST"),
            (r#"{"provider": "ftp", "bucket": "b"}"#, "INVALID_REQUEST"),
            (
                r#"{"provider": "s3", "bucket": "b", "key": "k", "successActionStatus": 70000}"#,
                "INVALID_REQUEST",
            ),
            (
                r#"{"provider": "s3", "bucket": "b", "key": "k", "contentLengthRange": {"min": 1}}"#,
                "INVALID_REQUEST",
            ),
            (
                r#"{"provider": "s3", "bucket": "b", "key": "k"}"#,
                "INVALID_CREDENTIALS",
            ),
            (
                r#"{"provider": "azure", "container": "c", "blob": "b"}"#,
                "UNSUPPORTED",
            ),
        ] {
            let out = post_json(None, bad, t0());
            assert!(
                out.starts_with(&format!(r#"{{"error":{{"code":"{want}""#)),
                "{bad} -> {out}"
            );
        }
        let out = post_json(None, r#"{"provider": "azure"}"#, t0());
        assert!(out.contains("x-ms-blob-type: BlockBlob"), "{out}");
    }
}
