//! S3 browser form uploads: the SigV4 POST policy.
//!
//! Spec: <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html>. The
//! string to sign is the base64 policy itself; the signature is the hex HMAC of it with the
//! SigV4 signing key of `{date}/{region}/s3/aws4_request` — the same derived key (and key cache)
//! as presigned URLs. The policy's conditions are laid out as described in [`crate::post`]; the
//! JSON is byte-identical to boto3's `generate_presigned_post` for the same conditions, and the
//! form fields come in boto3's order: the exact-match fields, `key`, `x-amz-algorithm`,
//! `x-amz-credential`, `x-amz-date`, `x-amz-security-token` (temporary credentials), `policy`,
//! `x-amz-signature`. The file goes last.
//!
//! ```
//! use presign::post::{ContentLengthRange, PostPolicy};
//! use presign::s3::post::S3PostRequest;
//! use presign::s3::Credentials;
//! use presign::Timestamp;
//!
//! let mut policy = PostPolicy::with_prefix("my-bucket", "uploads/");
//! policy.content_length_range = Some(ContentLengthRange { min: 0, max: 10_000_000 });
//! policy.content_type_prefix = Some("image/".into());
//! policy.expires_in = Some(600);
//! let req = S3PostRequest::new(policy)
//!     .with_region("eu-west-1")
//!     .with_credentials(Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
//!
//! let form = presign::s3::Presigner::new().presign_post(&req, Timestamp::parse_rfc3339("2026-11-24T10:00:00Z")?)?;
//! assert_eq!(form.url, "https://my-bucket.s3.eu-west-1.amazonaws.com/");
//! assert_eq!(form.field("key"), Some("uploads/${filename}"));
//! assert_eq!(form.field("x-amz-credential"), Some("AKIAIOSFODNN7EXAMPLE/20261124/eu-west-1/s3/aws4_request"));
//! assert_eq!(form.fields.last().map(|(n, _)| n.as_str()), Some("x-amz-signature"));
//! assert_eq!(form.expires_at.rfc3339(), "2026-11-24T10:10:00Z");
//! # Ok::<(), presign::Error>(())
//! ```

use super::endpoint::resolve_into;
use super::{validate_credentials, Credentials, Endpoint, Presigner};
use crate::encoding::base64;
use crate::error::{msg, msg_at};
use crate::error::{Error, Result};
use crate::post::{policy_json, Dialect, FilenameKey, Layout, PostForm, PostPolicy};
use crate::prelude::*;
use crate::sigv4::AWS4_HMAC_SHA256;
use crate::time::Timestamp;
use crate::types::{CredentialExpiry, Secret};

/// A form upload to S3 or an S3-compatible store: the policy and where and as whom to sign it
/// (the `"provider": "s3"` member of the `post` request schema).
#[derive(Clone, Debug, Default)]
pub struct S3PostRequest {
    /// What the form may upload.
    pub policy: PostPolicy,
    /// Where the form posts: region, custom endpoint, URL style, AWS endpoint variants (the
    /// same options as a presigned URL's).
    pub endpoint: Endpoint,
    /// Who signs. Required by the core; the CLI fills it from the environment.
    pub credentials: Option<Credentials>,
    /// What to do when temporary credentials expire before the policy (default `warn`).
    pub credential_expiry: CredentialExpiry,
}

impl S3PostRequest {
    /// A request for `policy` with everything else at its default.
    pub fn new(policy: PostPolicy) -> Self {
        S3PostRequest {
            policy,
            ..Self::default()
        }
    }
}

crate::builders::with_methods!(S3PostRequest {
    /// Who signs.
    some with_credentials(credentials: Credentials) => credentials;
    /// What to do when temporary credentials expire before the policy (default: warn).
    set with_credential_expiry(policy: CredentialExpiry) => credential_expiry;
});

super::s3_endpoint_builders!(S3PostRequest);

const DIALECT: Dialect = Dialect {
    meta_prefix: "x-amz-meta-",
    filename_key: FilenameKey::StartsWithWhenLast,
};

impl Presigner {
    /// Signs a browser form upload (SigV4 POST policy). The signing instant is
    /// `req.policy.signed_at` if set, else `now`.
    ///
    /// # Errors
    /// [`Error::InvalidKey`], [`Error::InvalidBucket`], [`Error::InvalidRequest`] (a field the
    /// policy cannot carry), [`Error::InvalidExpiry`], [`Error::InvalidEndpoint`],
    /// [`Error::InvalidCredentials`], [`Error::CredentialsExpire`].
    pub fn presign_post(&self, req: &S3PostRequest, now: Timestamp) -> Result<PostForm> {
        let creds = req
            .credentials
            .as_ref()
            .ok_or_else(|| Error::InvalidCredentials(msg!("no credentials given")))?;
        validate_credentials(creds)?;
        let region = req.endpoint.region();
        let profile = req.endpoint.store.profile();
        super::store::check_post(profile, req.policy.content_length_range.is_some())?;
        let mut plan = req.policy.plan(now, &DIALECT)?;

        // The credential-expiry policy of presigned URLs, applied to the policy's lifetime.
        let mut warnings = core::mem::take(&mut plan.warnings);
        let expires_in = super::expiry(
            Some(plan.expires_in),
            req.credential_expiry,
            creds,
            plan.time,
            &mut warnings,
        )?;
        if expires_in != plan.expires_in {
            plan.expires_in = expires_in;
            plan.expires_at = plan
                .time
                .add_secs(i64::try_from(expires_in).unwrap_or(i64::MAX))?;
        }

        super::store::expiry_warning(profile, plan.expires_in, &mut warnings);
        let url = form_action(req)?;

        let stamp = plan.time.amz_stamp();
        let credential = crate::text::concat(&[
            creds.access_key_id.as_str(),
            "/",
            stamp.date(),
            "/",
            region,
            "/s3/",
            AWS4_HMAC_SHA256.terminator,
        ]);
        let token = creds.session_token.as_ref().map(Secret::expose);
        let mut auth: Vec<(&str, &str)> = vec![
            ("x-amz-algorithm", AWS4_HMAC_SHA256.algorithm),
            ("x-amz-credential", &credential),
            ("x-amz-date", stamp.datetime()),
        ];
        if let Some(t) = token {
            auth.push(("x-amz-security-token", t));
        }
        let conditions = plan.all_conditions(&req.policy.bucket, &auth);
        let policy = base64(policy_json(&conditions, plan.expires_at, Layout::Spaced).as_bytes());
        let signature = self
            .keys
            .get(
                &AWS4_HMAC_SHA256,
                creds.secret_access_key.expose(),
                stamp.date(),
                region,
                "s3",
            )
            .sign_hex(policy.as_bytes());

        let mut fields = plan.fields;
        fields.reserve(auth.len() + 3);
        fields.push(("key".into(), plan.key_field));
        fields.extend(auth.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())));
        fields.push(("policy".into(), policy));
        fields.push(("x-amz-signature".into(), signature));
        Ok(PostForm {
            url,
            fields,
            expires_at: plan.expires_at,
            warnings,
        })
    }
}

/// The form's action URL, as boto3 writes it: `https://bucket.host/` (virtual-hosted),
/// `https://host/bucket` (path style, no trailing slash).
fn form_action(req: &S3PostRequest) -> Result<String> {
    if super::express::is_directory_bucket(&req.policy.bucket) {
        // Not built: the form would need the zonal endpoint, the s3express scope and
        // X-Amz-S3session-Token (botocore's S3ExpressPostAuth); refused rather than wrong.
        return Err(Error::InvalidBucket(
            "`bucket`: form uploads to directory buckets (S3 Express One Zone) are not supported; presign a PUT URL".into(),
        ));
    }
    let mut url = String::with_capacity(96 + req.policy.bucket.len() * 2);
    let host = resolve_into(&req.endpoint.options(&req.policy.bucket), &mut url)?;
    if host.end == url.len() {
        url.push('/');
    }
    Ok(url)
}

/// Signs a policy document written elsewhere (already base64-encoded, as it goes into the
/// `policy` field): the hex `x-amz-signature`. `time` is the instant of the policy's
/// `x-amz-date` (its date selects the signing key).
///
/// # Errors
/// [`Error::InvalidCredentials`] for unusable credentials, [`Error::InvalidEndpoint`] for a
/// region that cannot be in a credential scope, [`Error::InvalidRequest`] if `policy_base64` is
/// not base64.
pub fn sign_policy(
    credentials: &Credentials,
    region: &str,
    time: Timestamp,
    policy_base64: &str,
) -> Result<String> {
    validate_credentials(credentials)?;
    if region.is_empty() || crate::text::has_byte(region, b'/') {
        return Err(Error::InvalidEndpoint(msg_at!(
            "region",
            "empty or has a '/'; it cannot be part of a credential scope"
        )));
    }
    if crate::encoding::base64_decode(policy_base64).is_none() {
        return Err(Error::InvalidRequest(msg!(
            "the policy must be base64 (the text of the form's policy field)"
        )));
    }
    let stamp = time.amz_stamp();
    Ok(crate::sigv4::SigningKey::derive(
        &AWS4_HMAC_SHA256,
        credentials.secret_access_key.expose(),
        stamp.date(),
        region,
        "s3",
    )
    .sign_hex(policy_base64.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::post::ContentLengthRange;

    fn t0() -> Timestamp {
        Timestamp::parse_rfc3339("2026-11-24T10:00:00Z").unwrap()
    }

    fn creds() -> Credentials {
        Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
    }

    fn req(policy: PostPolicy) -> S3PostRequest {
        let mut r = S3PostRequest::new(policy);
        r.credentials = Some(creds());
        r
    }

    fn decoded_policy(form: &PostForm) -> String {
        String::from_utf8(crate::encoding::base64_decode(form.field("policy").unwrap()).unwrap())
            .unwrap()
    }

    #[test]
    fn fields_come_in_boto3_order_and_sign_the_policy_text() {
        let mut p = PostPolicy::new("bkt", "a/${filename}");
        p.content_length_range = Some(ContentLengthRange { min: 1, max: 10 });
        p.acl = Some("private".into());
        let mut r = req(p);
        r.credentials = Some(creds().with_session_token("TOKEN"));
        let form = Presigner::new().presign_post(&r, t0()).unwrap();
        let names: Vec<_> = form.fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "acl",
                "key",
                "x-amz-algorithm",
                "x-amz-credential",
                "x-amz-date",
                "x-amz-security-token",
                "policy",
                "x-amz-signature"
            ]
        );
        assert_eq!(form.url, "https://bkt.s3.amazonaws.com/");
        assert_eq!(
            decoded_policy(&form),
            r#"{"expiration": "2026-11-24T11:00:00Z", "conditions": [["content-length-range", 1, 10], {"acl": "private"}, {"bucket": "bkt"}, ["starts-with", "$key", "a/"], {"x-amz-algorithm": "AWS4-HMAC-SHA256"}, {"x-amz-credential": "AKIAIOSFODNN7EXAMPLE/20261124/us-east-1/s3/aws4_request"}, {"x-amz-date": "20261124T100000Z"}, {"x-amz-security-token": "TOKEN"}]}"#
        );
        assert_eq!(
            form.field("x-amz-signature").unwrap(),
            sign_policy(&creds(), "us-east-1", t0(), form.field("policy").unwrap()).unwrap()
        );
    }

    #[test]
    fn endpoints_follow_the_url_presigner() {
        let mut r = req(PostPolicy::new("bkt", "k"));
        r.endpoint.url = Some("http://127.0.0.1:8333".into());
        assert_eq!(
            Presigner::new().presign_post(&r, t0()).unwrap().url,
            "http://127.0.0.1:8333/bkt"
        );
        let mut r = req(PostPolicy::new("my.bucket", "k"));
        r.endpoint.region = Some("eu-west-1".into());
        assert_eq!(
            Presigner::new().presign_post(&r, t0()).unwrap().url,
            "https://s3.eu-west-1.amazonaws.com/my.bucket"
        );
        let mut r = req(PostPolicy::new("bad bucket", "k"));
        r.endpoint.region = Some("eu-west-1".into());
        assert_eq!(
            Presigner::new().presign_post(&r, t0()).unwrap_err().code(),
            "INVALID_BUCKET"
        );
        // Directory buckets: not built, refused (a form for the general endpoint would fail there).
        let r = req(PostPolicy::new("b--usw2-az1--x-s3", "k"));
        assert_eq!(
            Presigner::new().presign_post(&r, t0()).unwrap_err().code(),
            "INVALID_BUCKET"
        );
    }

    #[test]
    fn credentials_are_checked_and_expiry_policy_applies() {
        let mut r = req(PostPolicy::new("bkt", "k"));
        r.credentials = None;
        assert_eq!(
            Presigner::new().presign_post(&r, t0()).unwrap_err().code(),
            "INVALID_CREDENTIALS"
        );
        let mut r = req(PostPolicy::new("bkt", "k"));
        r.credentials = Some(creds().with_expiry(t0().add_secs(60).unwrap()));
        let form = Presigner::new().presign_post(&r, t0()).unwrap();
        assert_eq!(form.warnings.len(), 1);
        r.credential_expiry = CredentialExpiry::Clamp;
        let form = Presigner::new().presign_post(&r, t0()).unwrap();
        assert_eq!(form.expires_at.rfc3339(), "2026-11-24T10:01:00Z");
        assert!(decoded_policy(&form).contains(r#""expiration": "2026-11-24T10:01:00Z""#));
        r.credential_expiry = CredentialExpiry::Error;
        assert_eq!(
            Presigner::new().presign_post(&r, t0()).unwrap_err().code(),
            "CREDENTIALS_EXPIRE"
        );
    }

    #[test]
    fn secrets_stay_out_of_errors_and_debug() {
        let mut r = req(PostPolicy::new("bkt", ""));
        r.credentials = Some(creds().with_session_token("SESSIONSECRET"));
        let e = Presigner::new().presign_post(&r, t0()).unwrap_err();
        assert!(!e.to_string().contains("EXAMPLEKEY"));
        assert!(!format!("{r:?}").contains("EXAMPLEKEY"));
        assert!(!format!("{r:?}").contains("SESSIONSECRET"));
        assert_eq!(
            sign_policy(&creds(), "us-east-1", t0(), "not base64!")
                .unwrap_err()
                .code(),
            "INVALID_REQUEST"
        );
    }
}
