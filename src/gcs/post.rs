//! Cloud Storage browser form uploads: the V4 POST policy, with an HMAC key
//! (`GOOG4-HMAC-SHA256`) or a service account's RSA key (`GOOG4-RSA-SHA256`, natively with the
//! `gcs-rsa` feature or through the external-signer seam [`prepare`] + [`PreparedPost::finish`]).
//!
//! Spec: <https://cloud.google.com/storage/docs/xml-api/post-object-forms>,
//! <https://cloud.google.com/storage/docs/authentication/signatures#policy-document>. The string
//! to sign is the base64 policy itself; an RSA key signs it with RSASSA-PKCS1-v1_5 / SHA-256, an
//! HMAC key with the V4 signing key of `{date}/auto/storage/goog4_request`. The policy JSON and
//! the form fields are laid out as google-cloud-storage's `generate_signed_post_policy_v4` does
//! (Google's conformance cases pin the bytes): conditions as described in [`crate::post`], then
//! `bucket`, the key, `x-goog-date`, `x-goog-credential`, `x-goog-algorithm`; fields: the
//! exact-match fields, `key`, `x-goog-algorithm`, `x-goog-credential`, `x-goog-date`,
//! `x-goog-signature`, `policy`. The file goes last.
//!
//! ```
//! use presign::gcs::post::GcsPostRequest;
//! use presign::gcs::Credentials;
//! use presign::post::PostPolicy;
//! use presign::Timestamp;
//!
//! let mut req = GcsPostRequest::new(PostPolicy::new("my-bucket", "uploads/${filename}"));
//! req.credentials = Some(Credentials::service_account("signer@my-project.iam.gserviceaccount.com"));
//! let prepared = presign::gcs::post::prepare(&req, Timestamp::parse_rfc3339("2026-11-24T10:00:00Z")?)?;
//! assert_eq!(prepared.algorithm(), "GOOG4-RSA-SHA256");
//! // ... RSASSA-PKCS1-v1_5/SHA-256 over prepared.string_to_sign() elsewhere, then:
//! let form = prepared.finish(&"ab".repeat(256))?;
//! assert_eq!(form.url, "https://storage.googleapis.com/my-bucket/");
//! assert_eq!(form.field("key"), Some("uploads/${filename}"));
//! assert_eq!(form.fields.last().map(|(n, _)| n.as_str()), Some("policy"));
//! # Ok::<(), presign::Error>(())
//! ```

use super::endpoint::resolve;
use super::{no_credentials, validate_object, Credentials, Endpoint, Presigner, REGION, SERVICE};
use crate::encoding::base64;
use crate::error::msg;
use crate::error::{Error, Result};
use crate::post::{policy_json, Dialect, FilenameKey, Layout, PostForm, PostPolicy};
use crate::prelude::*;
use crate::sigv4::GOOG4_HMAC_SHA256;
use crate::time::Timestamp;

/// A form upload to Cloud Storage: the policy and where and as whom to sign it (the
/// `"provider": "gcs"` member of the `post` request schema).
#[derive(Clone, Debug, Default)]
pub struct GcsPostRequest {
    /// What the form may upload.
    pub policy: PostPolicy,
    /// Who signs. Required by the core; the CLI fills it from the environment.
    pub credentials: Option<Credentials>,
    /// Where the form posts: URL style, bucket-bound host, scheme, custom endpoint, universe
    /// (the same options as a signed URL's).
    pub endpoint: Endpoint,
}

impl GcsPostRequest {
    /// A request for `policy` with everything else at its default.
    pub fn new(policy: PostPolicy) -> Self {
        GcsPostRequest {
            policy,
            ..Self::default()
        }
    }
}

crate::builders::with_methods!(GcsPostRequest {
    /// Who signs.
    some with_credentials(credentials: Credentials) => credentials;
});

super::gcs_endpoint_builders!(GcsPostRequest);

const DIALECT: Dialect = Dialect {
    meta_prefix: "x-goog-meta-",
    filename_key: FilenameKey::Exact,
};

/// A form with everything but its signature: the external-signer seam. Sign
/// [`PreparedPost::string_to_sign`] (the base64 policy), then [`PreparedPost::finish`].
#[derive(Clone, Debug)]
pub struct PreparedPost {
    url: String,
    /// Fields up to and including `x-goog-date`.
    fields: Vec<(String, String)>,
    policy: String,
    expires_at: Timestamp,
    algorithm: &'static str,
}

impl PreparedPost {
    /// `GOOG4-RSA-SHA256` or `GOOG4-HMAC-SHA256`: what the signature must be.
    pub fn algorithm(&self) -> &'static str {
        self.algorithm
    }

    /// What to sign: the base64 policy document (the `policy` field's value).
    pub fn string_to_sign(&self) -> &str {
        &self.policy
    }

    /// The policy document as JSON (the decoded `policy` field).
    pub fn policy_json(&self) -> String {
        crate::encoding::base64_decode(&self.policy)
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default()
    }

    /// Completes the form with a hex signature of [`PreparedPost::string_to_sign`] (either case).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] if `signature_hex` is not hex of a plausible length for the
    /// algorithm (32 bytes for HMAC, 128–1024 bytes for RSA).
    pub fn finish(self, signature_hex: &str) -> Result<PostForm> {
        let sig = super::external_signature_hex(self.algorithm, signature_hex)?;
        Ok(self.finish_trusted(sig))
    }

    /// Completes the form with the raw signature bytes (what WebCrypto's `sign` returns).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a length implausible for the algorithm.
    pub fn finish_bytes(self, signature: &[u8]) -> Result<PostForm> {
        let sig = super::external_signature_bytes(self.algorithm, signature)?;
        Ok(self.finish_trusted(sig))
    }

    fn finish_trusted(self, signature_hex: String) -> PostForm {
        let mut fields = self.fields;
        fields.push(("x-goog-signature".into(), signature_hex));
        fields.push(("policy".into(), self.policy));
        PostForm {
            url: self.url,
            fields,
            expires_at: self.expires_at,
            warnings: Vec::new(),
        }
    }
}

impl Presigner {
    /// Signs a browser form upload (V4 POST policy) with the request's HMAC key or, with the
    /// `gcs-rsa` feature, its service-account key. The signing instant is
    /// `req.policy.signed_at` if set, else `now`.
    ///
    /// # Errors
    /// As [`Presigner::prepare_post`]; also [`Error::InvalidCredentials`] for a service account
    /// without a usable `private_key`, and [`Error::Unsupported`] for a service account when
    /// the crate is built without `gcs-rsa` (use [`prepare`] and an external signer there).
    pub fn presign_post(&self, req: &GcsPostRequest, now: Timestamp) -> Result<PostForm> {
        match &req.credentials {
            Some(Credentials::Hmac(h)) => {
                let prepared = self.prepare_post(req, now)?;
                let stamp = prepared_time(req, now).amz_stamp();
                let sig = self
                    .keys
                    .get(
                        &GOOG4_HMAC_SHA256,
                        h.secret.expose(),
                        stamp.date(),
                        REGION,
                        SERVICE,
                    )
                    .sign_hex(prepared.policy.as_bytes());
                Ok(prepared.finish_trusted(sig))
            }
            Some(Credentials::ServiceAccount(sa)) => {
                let pem = sa.private_key.as_ref().ok_or_else(|| {
                    Error::InvalidCredentials(msg!("the service-account key has no private_key; to sign elsewhere use gcs::post::prepare() and finish()"))
                })?;
                let prepared = self.prepare_post(req, now)?;
                self.sign_post_rsa(pem.expose(), prepared)
            }
            None => Err(no_credentials()),
        }
    }

    #[cfg(feature = "gcs-rsa")]
    fn sign_post_rsa(&self, pem: &str, prepared: PreparedPost) -> Result<PostForm> {
        let key = self.rsa.get(pem)?;
        let signature = key.sign_pkcs1_sha256(prepared.policy.as_bytes())?;
        Ok(prepared.finish_trusted(crate::encoding::hex(&signature)))
    }

    #[cfg(not(feature = "gcs-rsa"))]
    fn sign_post_rsa(&self, _pem: &str, _prepared: PreparedPost) -> Result<PostForm> {
        Err(Error::Unsupported(msg!("signing with a service-account key needs the `gcs-rsa` cargo feature; without it, sign the policy elsewhere (gcs::post::prepare() and finish())")))
    }

    /// Validates `req` and builds its policy document, leaving the signature to the caller:
    /// the external-signer seam. The signing instant is `req.policy.signed_at` if set, else
    /// `now`.
    ///
    /// # Errors
    /// [`Error::InvalidKey`], [`Error::InvalidBucket`], [`Error::InvalidRequest`] (a field the
    /// policy cannot carry), [`Error::InvalidExpiry`], [`Error::InvalidEndpoint`],
    /// [`Error::InvalidCredentials`].
    pub fn prepare_post(&self, req: &GcsPostRequest, now: Timestamp) -> Result<PreparedPost> {
        let creds = req.credentials.as_ref().ok_or_else(no_credentials)?;
        let (scheme, identity, creds_universe) = super::signing_identity(creds, "policies")?;
        let plan = req.policy.plan(now, &DIALECT)?;
        validate_object("key", &plan.key_field)?;

        let target = resolve(&req.endpoint.options(&req.policy.bucket, creds_universe))?;
        let url = crate::text::concat(&[
            target.scheme,
            "://",
            &target.authority,
            &target.path_prefix,
            "/",
        ]);

        let stamp = plan.time.amz_stamp();
        let credential = crate::text::concat(&[
            identity,
            "/",
            stamp.date(),
            "/",
            REGION,
            "/",
            SERVICE,
            "/",
            scheme.terminator,
        ]);
        let conditions = plan.all_conditions(
            &req.policy.bucket,
            &[
                ("x-goog-date", stamp.datetime()),
                ("x-goog-credential", &credential),
                ("x-goog-algorithm", scheme.algorithm),
            ],
        );
        let policy = base64(policy_json(&conditions, plan.expires_at, Layout::Compact).as_bytes());

        let mut fields = plan.fields;
        fields.reserve(6);
        fields.push(("key".into(), plan.key_field));
        fields.push(("x-goog-algorithm".into(), scheme.algorithm.into()));
        fields.push(("x-goog-credential".into(), credential));
        fields.push(("x-goog-date".into(), stamp.datetime().into()));
        Ok(PreparedPost {
            url,
            fields,
            policy,
            expires_at: plan.expires_at,
            algorithm: scheme.algorithm,
        })
    }
}

/// The signing instant `prepare_post` used.
fn prepared_time(req: &GcsPostRequest, now: Timestamp) -> Timestamp {
    req.policy.signed_at.unwrap_or(now)
}

/// Prepares one form for an external signer (see [`Presigner::prepare_post`]).
///
/// # Errors
/// As [`Presigner::prepare_post`].
pub fn prepare(req: &GcsPostRequest, now: Timestamp) -> Result<PreparedPost> {
    Presigner::new().prepare_post(req, now)
}

/// Signs one form without caches (see [`Presigner::presign_post`]).
///
/// # Errors
/// As [`Presigner::presign_post`].
pub fn presign_post(req: &GcsPostRequest, now: Timestamp) -> Result<PostForm> {
    Presigner::new().presign_post(req, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gcs::UrlStyle;
    use crate::sigv4::SigningKey;

    fn t0() -> Timestamp {
        Timestamp::parse_rfc3339("2026-11-24T10:00:00Z").unwrap()
    }

    fn hmac_req(policy: PostPolicy) -> GcsPostRequest {
        let mut r = GcsPostRequest::new(policy);
        r.credentials = Some(Credentials::hmac("GOOG1EXAMPLE", "c2VjcmV0"));
        r
    }

    #[test]
    fn hmac_signs_the_base64_policy_with_the_v4_key_and_agrees_with_the_seam() {
        let mut p = PostPolicy::with_prefix("bkt", "up/");
        p.metadata.push("Who", "é");
        let r = hmac_req(p);
        let form = presign_post(&r, t0()).unwrap();
        let prepared = prepare(&r, t0()).unwrap();
        assert_eq!(prepared.algorithm(), "GOOG4-HMAC-SHA256");
        let key = SigningKey::derive(
            &GOOG4_HMAC_SHA256,
            "c2VjcmV0",
            "20261124",
            "auto",
            "storage",
        );
        let sig = key.sign_hex(prepared.string_to_sign().as_bytes());
        assert_eq!(form.field("x-goog-signature"), Some(sig.as_str()));
        assert_eq!(
            prepared.policy_json(),
            r#"{"conditions":[{"x-goog-meta-who":"\u00e9"},{"bucket":"bkt"},["starts-with","$key","up/"],{"x-goog-date":"20261124T100000Z"},{"x-goog-credential":"GOOG1EXAMPLE/20261124/auto/storage/goog4_request"},{"x-goog-algorithm":"GOOG4-HMAC-SHA256"}],"expiration":"2026-11-24T11:00:00Z"}"#
        );
        assert_eq!(prepared.finish(&sig.to_ascii_uppercase()).unwrap(), form);
        let names: Vec<_> = form.fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "x-goog-meta-who",
                "key",
                "x-goog-algorithm",
                "x-goog-credential",
                "x-goog-date",
                "x-goog-signature",
                "policy"
            ]
        );
        assert_eq!(form.url, "https://storage.googleapis.com/bkt/");
    }

    #[test]
    fn url_styles() {
        let mut r = hmac_req(PostPolicy::new("bkt", "o"));
        r.endpoint.url_style = Some(UrlStyle::VirtualHosted);
        assert_eq!(
            presign_post(&r, t0()).unwrap().url,
            "https://bkt.storage.googleapis.com/"
        );
        let mut r = hmac_req(PostPolicy::new("bkt", "o"));
        r.endpoint.bucket_bound_hostname = Some("http://cdn.example.com".into());
        assert_eq!(
            presign_post(&r, t0()).unwrap().url,
            "http://cdn.example.com/"
        );
        let mut r = hmac_req(PostPolicy::new("bkt", "o"));
        r.endpoint.url = Some("http://127.0.0.1:4443".into());
        assert_eq!(
            presign_post(&r, t0()).unwrap().url,
            "http://127.0.0.1:4443/bkt/"
        );
    }

    #[test]
    fn bad_input_is_refused() {
        let mut r = hmac_req(PostPolicy::new("bkt", "o"));
        r.credentials = None;
        assert_eq!(prepare(&r, t0()).unwrap_err().code(), "INVALID_CREDENTIALS");
        for (p, code) in [
            (PostPolicy::new("bkt", ".."), "INVALID_KEY"),
            (
                PostPolicy::new("bkt", ".well-known/acme-challenge/x"),
                "INVALID_KEY",
            ),
            (PostPolicy::new("Bad_Bucket!", "o"), "INVALID_BUCKET"),
        ] {
            assert_eq!(prepare(&hmac_req(p), t0()).unwrap_err().code(), code);
        }
        let p = prepare(&hmac_req(PostPolicy::new("bkt", "o")), t0()).unwrap();
        assert_eq!(
            p.clone().finish("abc").unwrap_err().code(),
            "INVALID_REQUEST"
        );
        assert_eq!(
            p.clone().finish_bytes(&[0; 31]).unwrap_err().code(),
            "INVALID_REQUEST"
        );
        assert!(p.finish_bytes(&[0; 32]).is_ok());
        let mut r = hmac_req(PostPolicy::new("bkt", "o"));
        r.credentials = Some(Credentials::service_account("sa@p.iam.gserviceaccount.com"));
        assert_eq!(
            presign_post(&r, t0()).unwrap_err().code(),
            "INVALID_CREDENTIALS"
        );
    }
}
