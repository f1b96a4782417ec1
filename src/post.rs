//! Browser form uploads: an HTML `POST` to the bucket with a signed policy document — one
//! provider-neutral policy model for S3 ([`crate::s3::post`], SigV4 POST policy) and Google Cloud
//! Storage ([`crate::gcs::post`], V4 POST policy, HMAC or RSA through the external-signer seam).
//!
//! A presigned `PUT` can only cap an upload's size by signing its exact length; a form `POST`
//! with a policy can (`content-length-range`), can restrict the key to a prefix, the content type
//! to a family (`image/`), and lets the browser post a `FormData` directly.
//!
//! Specs: S3 <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTForms.html>; GCS
//! <https://cloud.google.com/storage/docs/xml-api/post-object-forms>,
//! <https://cloud.google.com/storage/docs/authentication/signatures#policy-document>.
//!
//! Azure Blob Storage has no POST policy: [`PostRequest::Azure`] is an [`Error::Unsupported`]
//! that names the alternative (a SAS `PUT` with `x-ms-blob-type: BlockBlob`).
//!
//! ## What the model turns into
//! - The key. `key` is exact, or holds `${filename}`, which the server replaces with the
//!   uploaded file's name. Its condition follows the provider's official SDK: S3 (boto3)
//!   `["starts-with", "$key", <text before it>]` when `${filename}` ends the key and `{"key":
//!   …}` otherwise; GCS (google-cloud-storage) always `{"key": …}`. `keyPrefix` allows any key
//!   under a (non-empty) prefix (`["starts-with", "$key", prefix]`) and pre-fills the `key`
//!   field with `{keyPrefix}${filename}` (or with `key`, which must then start with the
//!   prefix). `anyKey` is the one way to allow any key in the bucket (`["starts-with", "$key",
//!   ""]`): an empty `keyPrefix`, and on S3 a key that is `${filename}` alone (which boto3 turns
//!   into that condition), are errors that name it.
//! - Form fields — `acl`, `cache-control`, `content-disposition`, `content-encoding`,
//!   `content-type`, `success_action_status`, `success_action_redirect`, metadata
//!   (`x-amz-meta-*` / `x-goog-meta-*`, names lower-cased) and arbitrary `fields` — are sent
//!   pre-filled in the form. Each gets an exact `{"name": "value"}` condition unless a
//!   condition of the policy (`contentTypePrefix`, `startsWith`, `conditions`) already names
//!   the field: then the value is a default the client may change within that condition (it
//!   must satisfy it). `x-ignore-*` fields get no condition (both services ignore them).
//! - `contentLengthRange`, `contentTypePrefix`, `startsWith` and `conditions` are conditions
//!   only: the client supplies the fields they name unless a form field pre-fills them (see
//!   [`PostForm`]). `conditions` take the SDKs' own shapes, in the caller's order.
//!
//! Condition order (deterministic; with the same input the official SDKs produce the same):
//! `content-length-range`, `starts-with` conditions (content type first, then `startsWith` in
//! the given order), `conditions` in the given order, exact conditions of the form fields
//! sorted by name, then the provider's own: `bucket`, the key, and the signature's fields. A
//! caller who wants every condition in their own order states them all in `conditions` (a
//! field named there gets no exact condition of its own).
//!
//! ## Policy JSON
//! Written deterministically, in the layout of each provider's official SDK (S3: boto3's
//! `{"expiration": …, "conditions": […]}` with `", "` / `": "` separators; GCS:
//! google-cloud-storage's compact `{"conditions":[…],"expiration":…}`), so the same input gives
//! the same bytes and the same signature as the SDK. Strings are escaped as both SDKs escape
//! them (Python's `json.dumps` with `ensure_ascii`): `"` and `\` with a backslash; `\b \f \n \r
//! \t` by name; other control characters, DEL and every non-ASCII character as `\uXXXX` (lower
//! case hex; UTF-16 surrogate pairs above U+FFFF). GCS's conformance case "POST Policy
//! Character Escaping" pins this (`é` is `\u00e9` in the signed policy).

// Without S3 and GCS only the Azure refusal is left: the policy machinery is unused.
#![cfg_attr(
    not(any(feature = "s3", feature = "gcs")),
    allow(dead_code, unused_imports, unused_variables)
)]

use crate::error::{Error, Result};
use crate::time::Timestamp;
use crate::types::Params;

pub use crate::lifetime::{DEFAULT_EXPIRES, MAX_EXPIRES};
/// Longest object key both providers accept, in UTF-8 bytes.
pub const MAX_KEY_BYTES: usize = 1024;
/// The variable S3 and GCS replace with the uploaded file's name in the `key` field.
pub const FILENAME_VARIABLE: &str = "${filename}";

/// The conditions of a form upload, independent of the provider.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostPolicy {
    /// The bucket the form posts to.
    pub bucket: String,
    /// The object key: exact, or containing `${filename}`. Its condition is the provider's
    /// SDK's: on S3 a key ending in `${filename}` allows any key that starts with the text
    /// before it (boto3), every other key is exact; on GCS every key is exact
    /// (google-cloud-storage). With `key_prefix` or `any_key`, it is only the pre-filled value
    /// of the `key` field.
    pub key: Option<String>,
    /// Allow any key starting with this prefix, which must not be empty (use `any_key`). The
    /// `key` field is pre-filled with `key` if given (it must start with the prefix), else with
    /// `{keyPrefix}${filename}`.
    pub key_prefix: Option<String>,
    /// Allow any key in the bucket (`["starts-with", "$key", ""]`), the explicit way to ask for
    /// it. The `key` field is pre-filled with `key` if given, else with `${filename}`.
    pub any_key: bool,
    /// Lifetime in seconds, 1–604800 (default 3600).
    pub expires_in: Option<u64>,
    /// The signing instant; when absent the caller's `now` is used.
    pub signed_at: Option<Timestamp>,
    /// Allowed size of the uploaded file in bytes, inclusive: `content-length-range`.
    pub content_length_range: Option<ContentLengthRange>,
    /// The `content-type` field: exact (a field and a condition), or with `content_type_prefix`
    /// (or another condition on `content-type`) a pre-filled default within it.
    pub content_type: Option<String>,
    /// A `content-type` prefix such as `image/` (`""`: any): a `starts-with` condition; the
    /// client adds the `content-type` field unless `content_type` pre-fills it.
    pub content_type_prefix: Option<String>,
    /// `success_action_status`: 200, 201 or 204 (what the server answers instead of a redirect).
    pub success_action_status: Option<u16>,
    /// `success_action_redirect`: where the browser is sent after a successful upload.
    pub success_action_redirect: Option<String>,
    /// Object metadata: names without the provider's prefix (`uuid` becomes `x-amz-meta-uuid`
    /// or `x-goog-meta-uuid`); names are case-insensitive and emitted lower-case.
    pub metadata: Params,
    /// The canned ACL (`private`, `public-read`, …).
    pub acl: Option<String>,
    /// `cache-control` of the stored object.
    pub cache_control: Option<String>,
    /// `content-disposition` of the stored object.
    pub content_disposition: Option<String>,
    /// `content-encoding` of the stored object.
    pub content_encoding: Option<String>,
    /// Other pre-filled form fields (`x-amz-server-side-encryption`, `x-amz-storage-class`,
    /// `expires`, `x-ignore-*`, …). Each gets a `{"name": "value"}` condition unless a condition
    /// already names it (then the value must satisfy that condition) or it is an `x-ignore-*`
    /// field (no condition: the services ignore those).
    pub fields: Params,
    /// Other `starts-with` conditions, field name to prefix (`""`: any value, i.e. the field may
    /// be sent). The client adds these fields unless `fields` pre-fills them.
    pub starts_with: Params,
    /// Conditions in the caller's order, as the SDKs take them (boto3's `Conditions`,
    /// google-cloud-storage's `conditions`): placed after the `starts-with` conditions of the
    /// members above and before the exact conditions of the form fields. A condition is not a
    /// form field: the client supplies the field unless `fields` (or a typed member)
    /// pre-fills it. Names are without `$`; `key`, `bucket` and the signature's fields are
    /// refused (the form sets them).
    pub conditions: Vec<Condition>,
}

impl PostPolicy {
    /// A policy for exactly `key` (which may contain `${filename}`) in `bucket`.
    pub fn new(bucket: impl Into<String>, key: impl Into<String>) -> Self {
        PostPolicy {
            bucket: bucket.into(),
            key: Some(key.into()),
            ..Self::default()
        }
    }

    /// A policy for any key under `prefix` (not empty) in `bucket`.
    pub fn with_prefix(bucket: impl Into<String>, prefix: impl Into<String>) -> Self {
        PostPolicy {
            bucket: bucket.into(),
            key_prefix: Some(prefix.into()),
            ..Self::default()
        }
    }

    /// A policy for any key in `bucket` (see [`PostPolicy::any_key`]).
    pub fn for_any_key(bucket: impl Into<String>) -> Self {
        PostPolicy {
            bucket: bucket.into(),
            any_key: true,
            ..Self::default()
        }
    }
}

/// The inclusive size range of an upload, in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ContentLengthRange {
    /// Smallest size allowed.
    pub min: u64,
    /// Largest size allowed.
    pub max: u64,
}

/// One condition of a policy document. Field names are without the `$` the array forms put in
/// front of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    /// `{"name": "value"}`: the field must have exactly this value.
    Eq(String, String),
    /// `["eq", "$name", "value"]`: the same check as [`Condition::Eq`], in the array spelling
    /// (kept as given, so the policy bytes follow the caller's).
    EqArray(String, String),
    /// `["starts-with", "$name", "prefix"]`.
    StartsWith(String, String),
    /// `["content-length-range", min, max]`.
    ContentLengthRange(u64, u64),
}

impl Condition {
    /// The field the condition is about (`None` for `content-length-range`).
    pub fn field(&self) -> Option<&str> {
        match self {
            Condition::Eq(n, _) | Condition::EqArray(n, _) | Condition::StartsWith(n, _) => Some(n),
            Condition::ContentLengthRange(..) => None,
        }
    }

    /// Whether a field value satisfies this condition (always for `content-length-range`).
    fn accepts(&self, value: &str) -> bool {
        match self {
            Condition::Eq(_, v) | Condition::EqArray(_, v) => v == value,
            Condition::StartsWith(_, p) => value.starts_with(p.as_str()),
            Condition::ContentLengthRange(..) => true,
        }
    }
}

/// A signed form: post `fields` in this order, then the file, as `multipart/form-data` to
/// `url` (e.g. `FormData`: append every pair, then `append("file", blob)`).
///
/// The file field must come last: S3 and GCS ignore every field after it. Fields that only a
/// condition names (`contentTypePrefix`, `startsWith`, `conditions`) and that no form field
/// pre-fills are not included; append them before the file (e.g. `content-type` with the
/// file's type). A pre-filled field under a `starts-with` condition may be changed by the
/// client within it (replace the pair, do not append a second one). The `key` field may be
/// changed by the client within `keyPrefix`; `${filename}` in it is replaced by the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostForm {
    /// The form's `action`: the bucket's URL (as the provider's SDK writes it: S3
    /// `https://bucket.s3.region.amazonaws.com/` or path style `https://host/bucket`; GCS
    /// `https://storage.googleapis.com/bucket/` or `https://bucket.storage.googleapis.com/`).
    pub url: String,
    /// The form fields, in the order the provider's official SDK emits them (the provider's
    /// signature fields and `policy` included).
    pub fields: Vec<(String, String)>,
    /// When the policy expires.
    pub expires_at: Timestamp,
    /// Things worth knowing (S3: temporary credentials that expire before the policy).
    pub warnings: Vec<crate::types::Warning>,
}

impl PostForm {
    /// The value of field `name` (case-insensitive), if present.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A form upload for any provider (the `post` request schema, tagged by `provider`).
#[derive(Clone, Debug)]
#[allow(clippy::large_enum_variant)]
#[non_exhaustive]
pub enum PostRequest {
    /// S3 and S3-compatible stores.
    #[cfg(feature = "s3")]
    S3(crate::s3::post::S3PostRequest),
    /// Google Cloud Storage.
    #[cfg(feature = "gcs")]
    Gcs(crate::gcs::post::GcsPostRequest),
    /// Azure Blob Storage: always [`Error::Unsupported`] (no POST policy exists there).
    Azure(PostPolicy),
}

/// The message of the Azure refusal: it names what to use instead.
pub const AZURE_UNSUPPORTED: &str =
    "Azure Blob Storage has no POST policy for browser form uploads; \
use a SAS PUT instead (provider \"azure\", method \"PUT\", permissions \"cw\"): the browser sends \
the file as the body with the header x-ms-blob-type: BlockBlob (the result lists it); an exact \
size can be enforced by signing content-length";

/// Signs a form upload for any provider, without caches (for many forms, keep an
/// [`crate::s3::Presigner`] / [`crate::gcs::Presigner`] and call their `presign_post`).
///
/// # Errors
/// As the provider's `presign_post`; [`Error::Unsupported`] for Azure.
pub fn presign_post(req: &PostRequest, now: Timestamp) -> Result<PostForm> {
    PostSigner::new().presign_post(req, now)
}

/// Signs form uploads for any provider with caches kept across calls (derived S3 and GCS HMAC
/// keys, parsed RSA keys). Safe to share between threads.
#[derive(Debug, Default)]
pub struct PostSigner {
    #[cfg(feature = "s3")]
    s3: crate::s3::Presigner,
    #[cfg(feature = "gcs")]
    gcs: crate::gcs::Presigner,
}

impl PostSigner {
    /// A signer with empty caches.
    pub fn new() -> Self {
        Self::default()
    }

    /// Signs `req` (see [`presign_post`]).
    ///
    /// # Errors
    /// As the provider's `presign_post`; [`Error::Unsupported`] for Azure.
    pub fn presign_post(&self, req: &PostRequest, now: Timestamp) -> Result<PostForm> {
        match req {
            #[cfg(feature = "s3")]
            PostRequest::S3(r) => self.s3.presign_post(r, now),
            #[cfg(feature = "gcs")]
            PostRequest::Gcs(r) => self.gcs.presign_post(r, now),
            PostRequest::Azure(_) => Err(Error::Unsupported(AZURE_UNSUPPORTED.into())),
        }
    }
}

/// What differs between providers when a policy is laid out.
pub(crate) struct Dialect {
    /// `x-amz-meta-` / `x-goog-meta-`.
    pub meta_prefix: &'static str,
    /// How a `key` holding `${filename}` is constrained.
    pub filename_key: FilenameKey,
}

/// The condition of a `key` that holds `${filename}`: each provider's official SDK's rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
// With one provider only, the other's rule is unused.
#[cfg_attr(not(all(feature = "s3", feature = "gcs")), allow(dead_code))]
pub(crate) enum FilenameKey {
    /// boto3: `["starts-with", "$key", <text before it>]` when `${filename}` ends the key,
    /// `{"key": …}` otherwise.
    StartsWithWhenLast,
    /// google-cloud-storage: always `{"key": …}`.
    Exact,
}

/// A validated policy, before the provider adds its own conditions and fields.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The signing instant.
    pub time: Timestamp,
    /// The lifetime in seconds.
    #[cfg_attr(not(feature = "s3"), allow(dead_code))]
    pub expires_in: u64,
    /// `time + expires_in`.
    pub expires_at: Timestamp,
    /// The conditions before the form fields' exact ones, in order.
    pub conditions: Vec<Condition>,
    /// The exact conditions of the form fields no condition names, sorted by name.
    pub exact: Vec<(String, String)>,
    /// The pre-filled form fields (the key and the signature's aside), sorted by name.
    pub fields: Vec<(String, String)>,
    /// The `key` form field.
    pub key_field: String,
    /// The key's condition (`Eq` or `StartsWith`).
    pub key_condition: Condition,
    /// Things worth knowing about the policy.
    #[cfg_attr(not(feature = "s3"), allow(dead_code))]
    pub warnings: Vec<crate::types::Warning>,
}

impl Plan {
    /// The conditions in the documented order: this plan's, its fields' exact ones, `bucket`,
    /// the key, then `auth` (the provider's signature fields).
    pub(crate) fn all_conditions(&self, bucket: &str, auth: &[(&str, &str)]) -> Vec<Condition> {
        let mut c = Vec::with_capacity(self.conditions.len() + self.exact.len() + 2 + auth.len());
        c.extend(self.conditions.iter().cloned());
        c.extend(
            self.exact
                .iter()
                .map(|(n, v)| Condition::Eq(n.clone(), v.clone())),
        );
        c.push(Condition::Eq("bucket".into(), bucket.into()));
        c.push(self.key_condition.clone());
        c.extend(
            auth.iter()
                .map(|(n, v)| Condition::Eq((*n).into(), (*v).into())),
        );
        c
    }
}

/// Field names the form sets itself or the signature owns (compared case-insensitively).
const RESERVED_FIELDS: &[&str] = &[
    "key",
    "bucket",
    "policy",
    "file",
    "signature",
    "awsaccesskeyid",
    "googleaccessid",
    "x-amz-algorithm",
    "x-amz-credential",
    "x-amz-date",
    "x-amz-signature",
    "x-amz-security-token",
    "x-goog-algorithm",
    "x-goog-credential",
    "x-goog-date",
    "x-goog-signature",
    "content-length-range",
];

/// Whether `name` starts with `prefix`, ignoring ASCII case.
fn starts_with_ignore_case(name: &str, prefix: &str) -> bool {
    name.len() >= prefix.len()
        && name
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

/// An `x-ignore-*` field: in the form, never in the policy (S3 and GCS ignore them). Lower case
/// exactly, as google-cloud-storage and @google-cloud/storage test it: another casing is an
/// ordinary field with its exact condition, which holds whether or not the service ignores it.
fn is_ignored(name: &str) -> bool {
    name.starts_with("x-ignore-")
}

/// A form field name: ASCII letters, digits, `-`, `_` and `.`, not one the form or its
/// signature sets.
fn check_name(what: &str, i: usize, name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::InvalidRequest(format!(
            "`{what}[{i}]`: the field name is empty"
        )));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return Err(Error::InvalidRequest(format!(
            "`{what}[{i}]`: a field name may contain only ASCII letters, digits, '-', '_' and '.'"
        )));
    }
    if RESERVED_FIELDS.iter().any(|r| r.eq_ignore_ascii_case(name)) {
        return Err(Error::InvalidRequest(format!(
            "`{what}[{i}]`: this field is set by the form or its signature (the key through `key` / `keyPrefix` / `anyKey`, the size through `contentLengthRange`)"
        )));
    }
    Ok(())
}

/// A condition the caller gave in `conditions`, at index `i`.
fn check_condition(i: usize, c: &Condition) -> Result<()> {
    match c {
        Condition::ContentLengthRange(min, max) if min > max => Err(Error::InvalidRequest(
            format!("`conditions[{i}]`: content-length-range has its minimum above its maximum"),
        )),
        Condition::ContentLengthRange(..) => Ok(()),
        Condition::Eq(n, _) | Condition::EqArray(n, _) | Condition::StartsWith(n, _) => {
            check_name("conditions", i, n)
        }
    }
}

/// Keys (and the `key` field) are sent as form values: CR and LF are refused.
fn check_key_text(what: &str, k: &str) -> Result<()> {
    if k.len() > MAX_KEY_BYTES {
        return Err(Error::InvalidKey(format!(
            "{what}: longer than the {MAX_KEY_BYTES} bytes of UTF-8 allowed"
        )));
    }
    if k.contains(['\r', '\n']) {
        return Err(Error::InvalidKey(format!(
            "{what} contains CR or LF, which object keys in a form cannot carry"
        )));
    }
    Ok(())
}

impl PostPolicy {
    /// Validates the policy and lays out its provider-neutral part.
    pub(crate) fn plan(&self, now: Timestamp, d: &Dialect) -> Result<Plan> {
        let time = self.signed_at.unwrap_or(now);
        let expires_in = crate::lifetime::v4_expires_in(self.expires_in, "POST policies")?;
        let expires_at = time.add_secs(i64::try_from(expires_in).unwrap_or(i64::MAX))?;

        let mut warnings = Vec::new();
        let (key_field, key_condition) = self.key_plan(d, &mut warnings)?;

        // Pre-filled form fields.
        let mut fields: Vec<(String, String)> = Vec::new();
        let typed = [
            ("acl", &self.acl),
            ("cache-control", &self.cache_control),
            ("content-disposition", &self.content_disposition),
            ("content-encoding", &self.content_encoding),
            ("content-type", &self.content_type),
            ("success_action_redirect", &self.success_action_redirect),
        ];
        for (name, value) in typed {
            if let Some(v) = value {
                fields.push((name.to_owned(), v.clone()));
            }
        }
        if let Some(s) = self.success_action_status {
            if !matches!(s, 200 | 201 | 204) {
                return Err(Error::InvalidRequest(
                    "`successActionStatus`: must be 200, 201 or 204".into(),
                ));
            }
            fields.push(("success_action_status".into(), s.to_string()));
        }
        if self
            .success_action_redirect
            .as_deref()
            .is_some_and(str::is_empty)
        {
            return Err(Error::InvalidRequest(
                "successActionRedirect is empty; leave it out instead".into(),
            ));
        }
        for (i, (name, value)) in self.metadata.iter().enumerate() {
            check_name("metadata", i, name)?;
            for p in ["x-amz-meta-", "x-goog-meta-"] {
                if starts_with_ignore_case(name, p) {
                    return Err(Error::InvalidRequest(format!(
                        "`metadata[{i}]`: give the name without the {p} prefix (it is added for the provider)"
                    )));
                }
            }
            let mut full = String::with_capacity(d.meta_prefix.len() + name.len());
            full.push_str(d.meta_prefix);
            full.push_str(&name.to_ascii_lowercase());
            fields.push((full, value.to_owned()));
        }
        for (i, (name, value)) in self.fields.iter().enumerate() {
            check_name("fields", i, name)?;
            fields.push((name.to_owned(), value.to_owned()));
        }

        // Conditions that are not fields: the members' first, then the caller's, in order.
        let mut conditions = Vec::new();
        if let Some(r) = self.content_length_range {
            if r.min > r.max {
                return Err(Error::InvalidRequest(
                    "`contentLengthRange`: min is larger than max".into(),
                ));
            }
            conditions.push(Condition::ContentLengthRange(r.min, r.max));
        }
        if let Some(p) = &self.content_type_prefix {
            conditions.push(Condition::StartsWith("content-type".into(), p.clone()));
        }
        for (i, (name, prefix)) in self.starts_with.iter().enumerate() {
            check_name("startsWith", i, name)?;
            conditions.push(Condition::StartsWith(name.to_owned(), prefix.to_owned()));
        }
        for (i, c) in self.conditions.iter().enumerate() {
            check_condition(i, c)?;
            conditions.push(c.clone());
        }

        // One value per form field (names are case-insensitive in both services).
        let mut seen: Vec<String> = Vec::with_capacity(fields.len());
        for (n, _) in &fields {
            let lower = n.to_ascii_lowercase();
            if seen.contains(&lower) {
                return Err(Error::InvalidRequest(
                    "a field is constrained twice (by two members, or twice in `metadata`, `fields` or `startsWith`; names are case-insensitive); give it once".into(),
                ));
            }
            seen.push(lower);
        }

        // A field a condition names is a pre-filled value within it; any other gets its exact
        // condition (x-ignore-* fields none).
        let mut exact = Vec::with_capacity(fields.len());
        for (n, v) in &fields {
            if is_ignored(n) {
                continue;
            }
            let mut named = conditions
                .iter()
                .filter(|c| c.field().is_some_and(|f| f.eq_ignore_ascii_case(n)))
                .peekable();
            if named.peek().is_none() {
                exact.push((n.clone(), v.clone()));
            } else if !named.all(|c| c.accepts(v)) {
                return Err(Error::InvalidRequest(
                    "a pre-filled form field (fields, metadata or a typed member such as contentType) does not satisfy the condition that names it; the upload would be refused".into(),
                ));
            }
        }

        crate::text::sort_by(&mut exact, |a, b| a.0 < b.0);
        crate::text::sort_by(&mut fields, |a, b| a.0 < b.0);
        Ok(Plan {
            time,
            expires_in,
            expires_at,
            conditions,
            exact,
            fields,
            key_field,
            key_condition,
            warnings,
        })
    }

    /// The `key` field and its condition.
    fn key_plan(
        &self,
        d: &Dialect,
        warnings: &mut Vec<crate::types::Warning>,
    ) -> Result<(String, Condition)> {
        const ANY_KEY: &str = "set anyKey: true (--any-key in the CLI)";
        let prefix_cond = |p: &str| Condition::StartsWith("key".into(), p.into());
        if self.any_key {
            if self.key_prefix.is_some() {
                return Err(Error::InvalidKey(
                    "anyKey and keyPrefix both say which keys are allowed; give one".into(),
                ));
            }
            let field = match &self.key {
                Some(k) if k.is_empty() => {
                    return Err(Error::InvalidKey("the object key is empty".into()))
                }
                Some(k) => k.clone(),
                None => FILENAME_VARIABLE.to_owned(),
            };
            check_key_text("the object key", &field)?;
            return Ok((field, prefix_cond("")));
        }
        match (&self.key, &self.key_prefix) {
            (None, None) => Err(Error::InvalidKey(
                "give `key` (exact, may contain ${filename}), `keyPrefix` or `anyKey`".into(),
            )),
            (Some(k), None) => {
                if k.is_empty() {
                    return Err(Error::InvalidKey("the object key is empty".into()));
                }
                check_key_text("the object key", k)?;
                let cond = match d.filename_key {
                    FilenameKey::StartsWithWhenLast => match k.strip_suffix(FILENAME_VARIABLE) {
                        Some("") => {
                            return Err(Error::InvalidKey(format!(
                                "a key that is only ${{filename}} lets the uploader choose any key in the bucket; to allow that, {ANY_KEY}"
                            )))
                        }
                        Some(before) => prefix_cond(before),
                        None => {
                            if crate::text::find_str(k, FILENAME_VARIABLE).is_some() {
                                warnings.push(crate::types::Warning {
                                    code: "KEY_FILENAME_NOT_LAST",
                                    message: "the key holds ${filename} before its end, so its condition is the exact key (as boto3 writes it); servers that replace ${filename} with the file's name before checking the policy (SeaweedFS does, and S3 is reported to) refuse every upload to it; end the key with ${filename} or use keyPrefix".into(),
                                });
                            }
                            Condition::Eq("key".into(), k.clone())
                        }
                    },
                    FilenameKey::Exact => Condition::Eq("key".into(), k.clone()),
                };
                Ok((k.clone(), cond))
            }
            (key, Some(p)) => {
                if p.is_empty() {
                    return Err(Error::InvalidKey(format!(
                        "keyPrefix is empty, which would allow any key in the bucket; to allow that, {ANY_KEY}"
                    )));
                }
                check_key_text("keyPrefix", p)?;
                if crate::text::find_str(p, FILENAME_VARIABLE).is_some() {
                    return Err(Error::InvalidKey(
                        "keyPrefix cannot contain ${filename}; put it in `key`".into(),
                    ));
                }
                let field = match key {
                    Some(k) => {
                        check_key_text("the object key", k)?;
                        if !k.starts_with(p.as_str()) || k.is_empty() {
                            return Err(Error::InvalidKey(
                                "`key`: does not start with `keyPrefix`".into(),
                            ));
                        }
                        k.clone()
                    }
                    None => {
                        let mut f = String::with_capacity(p.len() + FILENAME_VARIABLE.len());
                        f.push_str(p);
                        f.push_str(FILENAME_VARIABLE);
                        f
                    }
                };
                check_key_text("the key field", &field)?;
                Ok((field, prefix_cond(p)))
            }
        }
    }
}

/// The two JSON layouts of the official SDKs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    /// boto3: `{"expiration": "…", "conditions": [{"k": "v"}, ["starts-with", "$k", "p"]]}`.
    Spaced,
    /// google-cloud-storage: `{"conditions":[{"k":"v"}],"expiration":"…"}`.
    Compact,
}

/// The policy document as JSON text, in `layout`.
pub(crate) fn policy_json(
    conditions: &[Condition],
    expiration: Timestamp,
    layout: Layout,
) -> String {
    let (comma, colon) = match layout {
        Layout::Spaced => (", ", ": "),
        Layout::Compact => (",", ":"),
    };
    let mut out = String::with_capacity(64 + conditions.len() * 64);
    let push_expiration = |out: &mut String| {
        json_string(out, "expiration");
        out.push_str(colon);
        json_string(out, &expiration.rfc3339());
    };
    out.push('{');
    if layout == Layout::Spaced {
        push_expiration(&mut out);
        out.push_str(comma);
    }
    json_string(&mut out, "conditions");
    out.push_str(colon);
    out.push('[');
    for (i, c) in conditions.iter().enumerate() {
        if i > 0 {
            out.push_str(comma);
        }
        match c {
            Condition::Eq(n, v) => {
                out.push('{');
                json_string(&mut out, n);
                out.push_str(colon);
                json_string(&mut out, v);
                out.push('}');
            }
            Condition::StartsWith(n, p) | Condition::EqArray(n, p) => {
                out.push('[');
                let op = match c {
                    Condition::EqArray(..) => "eq",
                    _ => "starts-with",
                };
                json_string(&mut out, op);
                out.push_str(comma);
                let mut dollar = String::with_capacity(n.len() + 1);
                dollar.push('$');
                dollar.push_str(n);
                json_string(&mut out, &dollar);
                out.push_str(comma);
                json_string(&mut out, p);
                out.push(']');
            }
            Condition::ContentLengthRange(min, max) => {
                out.push('[');
                json_string(&mut out, "content-length-range");
                out.push_str(comma);
                crate::encoding::push_decimal(&mut out, *min);
                out.push_str(comma);
                crate::encoding::push_decimal(&mut out, *max);
                out.push(']');
            }
        }
    }
    out.push(']');
    if layout == Layout::Compact {
        out.push_str(comma);
        push_expiration(&mut out);
    }
    out.push('}');
    out
}

/// Appends `s` as a JSON string escaped as Python's `json.dumps(ensure_ascii=True)` does: the
/// output is pure ASCII.
pub(crate) fn json_string(out: &mut String, s: &str) {
    crate::encoding::json_string_into(out, s, true);
}

// --- JSON in, JSON out (the `post` request schema) ---

#[cfg(feature = "json")]
crate::schema::json_struct!(ContentLengthRange {
    required { min: "min", max: "max" }
    optional {}
});

#[cfg(feature = "json")]
impl crate::schema::FromJson for Condition {
    /// One condition in the SDKs' shapes: `{"name": "value"}`, `["eq", "$name", "value"]`,
    /// `["starts-with", "$name", "prefix"]` or `["content-length-range", min, max]`.
    fn from_json(r: &mut crate::schema::Reader<'_>) -> Result<Self> {
        use crate::schema::Reader;
        let text = r.raw()?;
        let mut r = Reader::new(text);
        if text.starts_with('{') {
            let mut one: Option<(String, String)> = None;
            let mut count = 0usize;
            r.object(|r, name| {
                count += 1;
                let value = r.string()?.into_owned();
                one = Some((name.to_owned(), value));
                Ok(())
            })?;
            return match one {
                Some((n, v)) if count == 1 => Ok(Condition::Eq(n, v)),
                _ => Err(Error::InvalidRequest(
                    "an object condition has exactly one member, {\"field\": \"value\"}".into(),
                )),
            };
        }
        if !text.starts_with('[') {
            return Err(r.expected("an array or an object (a condition)"));
        }
        const OPS: &str = "expected \"eq\", \"starts-with\" or \"content-length-range\"";
        let mut op = String::new();
        let mut name = String::new();
        let mut value = String::new();
        let (mut min, mut max) = (0u64, 0u64);
        let mut n = 0usize;
        r.array(|r| {
            match (n, op.as_str()) {
                (0, _) => {
                    op = r.string()?.into_owned();
                    if !matches!(op.as_str(), "eq" | "starts-with" | "content-length-range") {
                        return Err(Error::InvalidRequest(OPS.into()));
                    }
                }
                (1, "content-length-range") => min = r.u64()?,
                (2, "content-length-range") => max = r.u64()?,
                (1, _) => {
                    let s = r.string()?;
                    name = s
                        .strip_prefix('$')
                        .ok_or_else(|| {
                            Error::InvalidRequest(
                                "the field name of an array condition starts with $".into(),
                            )
                        })?
                        .to_owned();
                }
                (2, _) => value = r.string()?.into_owned(),
                _ => {
                    return Err(Error::InvalidRequest(
                        "a condition array has three elements".into(),
                    ))
                }
            }
            n += 1;
            Ok(())
        })?;
        if n != 3 {
            return Err(Error::InvalidRequest(
                "a condition array has three elements".into(),
            ));
        }
        Ok(match op.as_str() {
            "eq" => Condition::EqArray(name, value),
            "starts-with" => Condition::StartsWith(name, value),
            _ => Condition::ContentLengthRange(min, max),
        })
    }
}

/// Reads member `name` of a policy into `p`; `Ok(false)` when `name` is not a policy member.
#[cfg(feature = "json")]
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
                        .map_err(|_| Error::InvalidRequest("expected 200, 201 or 204".into()))
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
#[cfg(feature = "json")]
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

#[cfg(feature = "json")]
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
                        "region" => crate::schema::set_field(&mut q.region, r)?,
                        "endpoint" => crate::schema::set_field(&mut q.endpoint, r)?,
                        "urlStyle" => crate::schema::set_field(&mut q.url_style, r)?,
                        "dualstack" => crate::schema::set_field(&mut q.dualstack, r)?,
                        "accelerate" => crate::schema::set_field(&mut q.accelerate, r)?,
                        "fips" => crate::schema::set_field(&mut q.fips, r)?,
                        "credentials" => crate::schema::set_field(&mut q.credentials, r)?,
                        "credentialExpiry" => {
                            crate::schema::set_field(&mut q.credential_expiry, r)?;
                        }
                        _ => return Ok(false),
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
                        "urlStyle" => crate::schema::set_field(&mut q.url_style, r)?,
                        "bucketBoundHostname" => {
                            crate::schema::set_field(&mut q.bucket_bound_hostname, r)?;
                        }
                        "scheme" => crate::schema::set_field(&mut q.scheme, r)?,
                        "endpoint" => crate::schema::set_field(&mut q.endpoint, r)?,
                        "universeDomain" => crate::schema::set_field(&mut q.universe_domain, r)?,
                        _ => return Ok(false),
                    }
                    Ok(true)
                })?;
                Ok(PostRequest::Gcs(q))
            }
            "azure" => {
                r.skip()?;
                Ok(PostRequest::Azure(PostPolicy::default()))
            }
            _ => Err(Error::InvalidRequest(
                "`provider`: expected \"s3\" or \"gcs\" (\"azure\" has no POST policy)".into(),
            )),
        }
    }
}

/// Parses one `post` request.
///
/// # Errors
/// [`Error::InvalidRequest`] naming the member that did not fit; never quoting a value.
#[cfg(feature = "json")]
pub fn parse_post_request(json: &str) -> Result<PostRequest> {
    crate::schema::from_str(json).map_err(|e| match e {
        Error::InvalidRequest(m) => Error::InvalidRequest(format!("not a valid post request: {m}")),
        other => other,
    })
}

/// Appends a form as `{"url","fields":[[name,value],…],"expiresAt"[,"warnings"]}` (fields as
/// an array of pairs: their order matters).
#[cfg(feature = "json")]
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
    let at = o.key("expiresAt");
    at.push('"');
    f.expires_at.rfc3339_into(at);
    at.push('"');
    crate::json::push_warnings(&mut o, &f.warnings);
    o.end();
}

/// A form result as JSON: the form object, or `{"error":{"code","message"}}`.
#[cfg(feature = "json")]
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
#[cfg(feature = "json")]
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
#[cfg(all(feature = "json", feature = "gcs"))]
pub fn gcs_post_string_to_sign_json(input: &str, now: Timestamp) -> String {
    match gcs_prepared(input, now) {
        Ok(p) => {
            let mut out = String::new();
            crate::schema::Object::new(&mut out)
                .str("stringToSign", p.string_to_sign())
                .end();
            out
        }
        Err(e) => crate::json::error_json(&e),
    }
}

/// Completes a GCS form with a hex signature of its string to sign made elsewhere.
#[cfg(all(feature = "json", feature = "gcs"))]
pub fn gcs_post_finish_json(input: &str, now: Timestamp, signature_hex: &str) -> String {
    post_result_json(&gcs_prepared(input, now).and_then(|p| p.finish(signature_hex)))
}

#[cfg(all(feature = "json", feature = "gcs"))]
fn gcs_prepared(input: &str, now: Timestamp) -> Result<crate::gcs::post::PreparedPost> {
    match parse_post_request(input)? {
        PostRequest::Gcs(r) => crate::gcs::post::prepare(&r, now),
        _ => Err(Error::InvalidRequest(
            "only \"provider\": \"gcs\" forms are signed by an external signer".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> Timestamp {
        Timestamp::parse_rfc3339("2026-11-24T10:00:00Z").unwrap()
    }

    const S3: Dialect = Dialect {
        meta_prefix: "x-amz-meta-",
        filename_key: FilenameKey::StartsWithWhenLast,
    };

    const GCS: Dialect = Dialect {
        meta_prefix: "x-goog-meta-",
        filename_key: FilenameKey::Exact,
    };

    #[test]
    fn json_strings_are_escaped_like_python_ensure_ascii() {
        let mut s = String::new();
        json_string(&mut s, "a\"b\\c/d\n\r\t\u{8}\u{c}\u{1}\u{7f}é日😀 ~");
        assert_eq!(
            s,
            r#""a\"b\\c/d\n\r\t\b\f\u0001\u007f\u00e9\u65e5\ud83d\ude00 ~""#
        );
    }

    #[test]
    fn layouts_match_the_sdks() {
        let c = [
            Condition::ContentLengthRange(0, 10),
            Condition::StartsWith("content-type".into(), "image/".into()),
            Condition::EqArray("acl".into(), "private".into()),
            Condition::Eq("bucket".into(), "b".into()),
        ];
        assert_eq!(
            policy_json(&c, t0(), Layout::Spaced),
            r#"{"expiration": "2026-11-24T10:00:00Z", "conditions": [["content-length-range", 0, 10], ["starts-with", "$content-type", "image/"], ["eq", "$acl", "private"], {"bucket": "b"}]}"#
        );
        assert_eq!(
            policy_json(&c, t0(), Layout::Compact),
            r#"{"conditions":[["content-length-range",0,10],["starts-with","$content-type","image/"],["eq","$acl","private"],{"bucket":"b"}],"expiration":"2026-11-24T10:00:00Z"}"#
        );
    }

    #[test]
    fn keys_prefixes_and_filename() {
        let plan =
            |p: PostPolicy, d: &Dialect| p.plan(t0(), d).map(|p| (p.key_field, p.key_condition));
        let sw = |p: &str| Condition::StartsWith("key".into(), p.into());
        let eq = |k: &str| Condition::Eq("key".into(), k.into());
        for d in [&S3, &GCS] {
            assert_eq!(
                plan(PostPolicy::new("b", "a/b.txt"), d).unwrap(),
                ("a/b.txt".into(), eq("a/b.txt"))
            );
            assert_eq!(
                plan(PostPolicy::with_prefix("b", "up/"), d).unwrap(),
                ("up/${filename}".into(), sw("up/"))
            );
            assert_eq!(
                plan(PostPolicy::for_any_key("b"), d).unwrap(),
                ("${filename}".into(), sw(""))
            );
            let mut p = PostPolicy::with_prefix("b", "up/");
            p.key = Some("up/default.bin".into());
            assert_eq!(plan(p, d).unwrap(), ("up/default.bin".into(), sw("up/")));
            let mut p = PostPolicy::for_any_key("b");
            p.key = Some("any/default.bin".into());
            assert_eq!(plan(p, d).unwrap(), ("any/default.bin".into(), sw("")));
            // ${filename} in the middle: exact for both (boto3, google-cloud-storage).
            assert_eq!(
                plan(PostPolicy::new("b", "up/${filename}.jpg"), d).unwrap(),
                ("up/${filename}.jpg".into(), eq("up/${filename}.jpg"))
            );
            for bad in [
                PostPolicy {
                    bucket: "b".into(),
                    ..PostPolicy::default()
                },
                PostPolicy::new("b", ""),
                PostPolicy::new("b", "a\nb"),
                PostPolicy::new("b", "k".repeat(1025)),
                PostPolicy::with_prefix("b", "a/${filename}/"),
                PostPolicy::with_prefix("b", ""),
                PostPolicy {
                    key: Some("other/x".into()),
                    ..PostPolicy::with_prefix("b", "up/")
                },
                PostPolicy {
                    key_prefix: Some("up/".into()),
                    ..PostPolicy::for_any_key("b")
                },
                PostPolicy {
                    key: Some(String::new()),
                    ..PostPolicy::for_any_key("b")
                },
            ] {
                assert_eq!(plan(bad, d).unwrap_err().code(), "INVALID_KEY");
            }
        }
        // A trailing ${filename}: boto3's starts-with on S3, google-cloud-storage's exact key.
        assert_eq!(
            plan(PostPolicy::new("b", "up/${filename}"), &S3).unwrap(),
            ("up/${filename}".into(), sw("up/"))
        );
        assert_eq!(
            plan(PostPolicy::new("b", "up/${filename}"), &GCS).unwrap(),
            ("up/${filename}".into(), eq("up/${filename}"))
        );
        // ${filename} alone: boto3 would allow any key; only with any_key.
        assert_eq!(
            plan(PostPolicy::new("b", "${filename}"), &S3)
                .unwrap_err()
                .code(),
            "INVALID_KEY"
        );
        assert_eq!(
            plan(PostPolicy::new("b", "${filename}"), &GCS).unwrap(),
            ("${filename}".into(), eq("${filename}"))
        );
        // The S3 warning for an exact key holding ${filename}.
        let w = PostPolicy::new("b", "a/${filename}.jpg")
            .plan(t0(), &S3)
            .unwrap()
            .warnings;
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, "KEY_FILENAME_NOT_LAST");
        assert!(PostPolicy::new("b", "a/${filename}.jpg")
            .plan(t0(), &GCS)
            .unwrap()
            .warnings
            .is_empty());
    }

    #[test]
    fn fields_are_sorted_checked_and_unique() {
        let mut p = PostPolicy::with_prefix("b", "up/");
        p.content_type = Some("image/png".into());
        p.acl = Some("private".into());
        p.success_action_status = Some(201);
        p.metadata.push("UUID", "1");
        p.fields.push("x-amz-storage-class", "STANDARD");
        p.starts_with.push("x-amz-meta-tag", "");
        p.content_length_range = Some(ContentLengthRange { min: 1, max: 9 });
        let plan = p.plan(t0(), &S3).unwrap();
        let names: Vec<_> = plan.fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "acl",
                "content-type",
                "success_action_status",
                "x-amz-meta-uuid",
                "x-amz-storage-class"
            ]
        );
        assert_eq!(plan.exact, plan.fields);
        assert_eq!(
            plan.conditions,
            [
                Condition::ContentLengthRange(1, 9),
                Condition::StartsWith("x-amz-meta-tag".into(), "".into())
            ]
        );
        assert_eq!(plan.expires_at.rfc3339(), "2026-11-24T11:00:00Z");

        // Pre-filled fields that a condition names get no exact condition; x-ignore-* none.
        let mut p = PostPolicy::new("b", "k");
        p.content_type = Some("image/png".into());
        p.content_type_prefix = Some("image/".into());
        p.fields.push("x-ignore-note", "n");
        p.fields.push("X-Ignore-Upper", "u");
        p.fields.push("Cache-Control", "max-age=1");
        p.conditions = vec![
            Condition::EqArray("cache-control".into(), "max-age=1".into()),
            Condition::Eq("acl".into(), "private".into()),
        ];
        let plan = p.plan(t0(), &S3).unwrap();
        let names: Vec<_> = plan.fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Cache-Control",
                "X-Ignore-Upper",
                "content-type",
                "x-ignore-note"
            ]
        );
        // Only lower-case x-ignore-* is exempt (as google-cloud-storage tests it).
        assert_eq!(plan.exact, [("X-Ignore-Upper".into(), "u".into())]);
        assert_eq!(
            plan.conditions,
            [
                Condition::StartsWith("content-type".into(), "image/".into()),
                Condition::EqArray("cache-control".into(), "max-age=1".into()),
                Condition::Eq("acl".into(), "private".into()),
            ]
        );

        let bad = |f: &dyn Fn(&mut PostPolicy)| {
            let mut p = PostPolicy::new("b", "k");
            f(&mut p);
            p.plan(t0(), &S3).unwrap_err().code()
        };
        assert_eq!(bad(&|p| p.fields.push("Policy", "x")), "INVALID_REQUEST");
        assert_eq!(
            bad(&|p| p.fields.push("X-Amz-Signature", "x")),
            "INVALID_REQUEST"
        );
        assert_eq!(bad(&|p| p.fields.push("a b", "x")), "INVALID_REQUEST");
        assert_eq!(bad(&|p| p.fields.push("", "x")), "INVALID_REQUEST");
        assert_eq!(bad(&|p| p.starts_with.push("$acl", "x")), "INVALID_REQUEST");
        assert_eq!(bad(&|p| p.starts_with.push("key", "x")), "INVALID_REQUEST");
        assert_eq!(
            bad(&|p| p.metadata.push("x-amz-meta-a", "x")),
            "INVALID_REQUEST"
        );
        assert_eq!(
            bad(&|p| {
                p.acl = Some("private".into());
                p.fields.push("ACL", "x");
            }),
            "INVALID_REQUEST"
        );
        // A pre-filled value outside its condition.
        assert_eq!(
            bad(&|p| {
                p.content_type = Some("b/c".into());
                p.content_type_prefix = Some("a/".into());
            }),
            "INVALID_REQUEST"
        );
        assert_eq!(
            bad(&|p| {
                p.fields.push("content-type", "b/c");
                p.starts_with.push("Content-Type", "a/");
            }),
            "INVALID_REQUEST"
        );
        assert_eq!(
            bad(&|p| {
                p.fields.push("acl", "a");
                p.conditions = vec![Condition::EqArray("ACL".into(), "b".into())];
            }),
            "INVALID_REQUEST"
        );
        // Conditions the form owns, or that cannot hold.
        for c in [
            Condition::StartsWith("key".into(), "a".into()),
            Condition::Eq("Bucket".into(), "b".into()),
            Condition::EqArray("x-amz-credential".into(), "c".into()),
            Condition::Eq("$acl".into(), "c".into()),
            Condition::StartsWith(String::new(), "c".into()),
            Condition::ContentLengthRange(2, 1),
        ] {
            assert_eq!(
                bad(&|p| p.conditions = vec![c.clone()]),
                "INVALID_REQUEST",
                "{c:?}"
            );
        }
        assert_eq!(
            bad(&|p| p.success_action_status = Some(302)),
            "INVALID_REQUEST"
        );
        assert_eq!(
            bad(&|p| p.success_action_redirect = Some(String::new())),
            "INVALID_REQUEST"
        );
        assert_eq!(
            bad(&|p| p.content_length_range = Some(ContentLengthRange { min: 2, max: 1 })),
            "INVALID_REQUEST"
        );
        assert_eq!(bad(&|p| p.expires_in = Some(0)), "INVALID_EXPIRY");
        assert_eq!(
            bad(&|p| p.expires_in = Some(MAX_EXPIRES + 1)),
            "INVALID_EXPIRY"
        );
    }

    #[cfg(all(feature = "json", feature = "s3", feature = "gcs"))]
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

    #[test]
    fn azure_is_refused_with_the_alternative() {
        let e = presign_post(&PostRequest::Azure(PostPolicy::new("c", "b")), t0()).unwrap_err();
        assert_eq!(e.code(), "UNSUPPORTED");
        assert!(e.message().contains("x-ms-blob-type: BlockBlob"));
        assert!(e.message().contains("PUT"));
    }
}
