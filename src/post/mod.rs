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
//! Azure Blob Storage has no POST policy: [`PostRequest::Azure`](crate::PostRequest::Azure) is an [`Error::Unsupported`]
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
#![cfg_attr(not(sigv4), allow(dead_code, unused_imports, unused_variables))]

use crate::prelude::*;

mod json;

#[cfg(test)]
use json::json_string;
pub(crate) use json::{policy_json, Layout};

use crate::error::{indexed, msg, msg_at};
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
        return Err(Error::InvalidRequest(msg_at!(
            &indexed(what, i),
            "the field name is empty"
        )));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return Err(Error::InvalidRequest(msg_at!(
            &indexed(what, i),
            "a field name may contain only ASCII letters, digits, '-', '_' and '.'"
        )));
    }
    if RESERVED_FIELDS.iter().any(|r| r.eq_ignore_ascii_case(name)) {
        return Err(Error::InvalidRequest(msg_at!(&indexed(what, i), "this field is set by the form or its signature (the key through `key` / `keyPrefix` / `anyKey`, the size through `contentLengthRange`)")));
    }
    Ok(())
}

/// A condition the caller gave in `conditions`, at index `i`.
fn check_condition(i: usize, c: &Condition) -> Result<()> {
    match c {
        Condition::ContentLengthRange(min, max) if min > max => {
            Err(Error::InvalidRequest(msg_at!(
                &indexed("conditions", i),
                "content-length-range has its minimum above its maximum"
            )))
        }
        Condition::ContentLengthRange(..) => Ok(()),
        Condition::Eq(n, _) | Condition::EqArray(n, _) | Condition::StartsWith(n, _) => {
            check_name("conditions", i, n)
        }
    }
}

/// Keys (and the `key` field) are sent as form values: CR and LF are refused.
fn check_key_text(what: &str, k: &str) -> Result<()> {
    if k.len() > MAX_KEY_BYTES {
        return Err(Error::InvalidKey(msg!(
            "{what}: longer than the {MAX_KEY_BYTES} bytes of UTF-8 allowed"
        )));
    }
    if k.contains(['\r', '\n']) {
        return Err(Error::InvalidKey(msg!(
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

        let mut fields = self.form_fields(d)?;
        let conditions = self.conditions_besides_fields()?;
        check_fields_unique(&fields)?;
        let mut exact = exact_conditions(&fields, &conditions)?;

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

    /// The pre-filled form fields: the typed members', then `metadata` (under the provider's
    /// prefix) and `fields`, each name checked.
    fn form_fields(&self, d: &Dialect) -> Result<Vec<(String, String)>> {
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
            let status = match s {
                200 => "200",
                201 => "201",
                204 => "204",
                _ => {
                    return Err(Error::InvalidRequest(msg_at!(
                        "successActionStatus",
                        "must be 200, 201 or 204"
                    )))
                }
            };
            fields.push(("success_action_status".into(), status.into()));
        }
        if self
            .success_action_redirect
            .as_deref()
            .is_some_and(str::is_empty)
        {
            return Err(Error::InvalidRequest(msg!(
                "successActionRedirect is empty; leave it out instead"
            )));
        }
        for (i, (name, value)) in self.metadata.iter().enumerate() {
            check_name("metadata", i, name)?;
            for p in ["x-amz-meta-", "x-goog-meta-"] {
                if starts_with_ignore_case(name, p) {
                    return Err(Error::InvalidRequest(msg_at!(
                        &indexed("metadata", i),
                        "give the name without the {p} prefix (it is added for the provider)"
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
        Ok(fields)
    }

    /// Conditions that are not fields: the members' first, then the caller's, in order.
    fn conditions_besides_fields(&self) -> Result<Vec<Condition>> {
        let mut conditions = Vec::new();
        if let Some(r) = self.content_length_range {
            if r.min > r.max {
                return Err(Error::InvalidRequest(msg_at!(
                    "contentLengthRange",
                    "min is larger than max"
                )));
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
        Ok(conditions)
    }

    /// The `key` field and its condition: `anyKey`, an exact `key` (which may end with
    /// `${filename}`), or `keyPrefix` (with or without a `key` under it).
    fn key_plan(
        &self,
        d: &Dialect,
        warnings: &mut Vec<crate::types::Warning>,
    ) -> Result<(String, Condition)> {
        if self.any_key {
            return self.any_key_plan();
        }
        match (&self.key, &self.key_prefix) {
            (None, None) => Err(Error::InvalidKey(msg!(
                "give `key` (exact, may contain ${{filename}}), `keyPrefix` or `anyKey`"
            ))),
            (Some(k), None) => exact_key_plan(k, d, warnings),
            (key, Some(p)) => prefix_key_plan(key.as_deref(), p),
        }
    }

    /// `anyKey`: every key in the bucket; the field is `key`, or `${filename}`.
    fn any_key_plan(&self) -> Result<(String, Condition)> {
        if self.key_prefix.is_some() {
            return Err(Error::InvalidKey(msg!(
                "anyKey and keyPrefix both say which keys are allowed; give one"
            )));
        }
        let field = match &self.key {
            Some(k) if k.is_empty() => {
                return Err(Error::InvalidKey(msg!("the object key is empty")))
            }
            Some(k) => k.clone(),
            None => FILENAME_VARIABLE.to_owned(),
        };
        check_key_text("the object key", &field)?;
        Ok((field, key_starts_with("")))
    }
}

/// How a message says to allow every key.
const ANY_KEY: &str = "set anyKey: true (--any-key in the CLI)";

/// The condition on the `key` field that allows the keys starting with `prefix`.
fn key_starts_with(prefix: &str) -> Condition {
    Condition::StartsWith("key".into(), prefix.into())
}

/// An exact `key`; where the service replaces a final `${filename}` (S3), its condition is a
/// prefix.
fn exact_key_plan(
    k: &str,
    d: &Dialect,
    warnings: &mut Vec<crate::types::Warning>,
) -> Result<(String, Condition)> {
    if k.is_empty() {
        return Err(Error::InvalidKey(msg!("the object key is empty")));
    }
    check_key_text("the object key", k)?;
    let cond = match d.filename_key {
        FilenameKey::StartsWithWhenLast => match k.strip_suffix(FILENAME_VARIABLE) {
            Some("") => {
                return Err(Error::InvalidKey(msg!("a key that is only ${{filename}} lets the uploader choose any key in the bucket; to allow that, {ANY_KEY}")))
            }
            Some(before) => key_starts_with(before),
            None => {
                if crate::text::find_str(k, FILENAME_VARIABLE).is_some() {
                    warnings.push(crate::types::Warning {
                        code: "KEY_FILENAME_NOT_LAST",
                        message: "the key holds ${filename} before its end, so its condition is the exact key (as boto3 writes it); servers that replace ${filename} with the file's name before checking the policy (SeaweedFS does, and S3 is reported to) refuse every upload to it; end the key with ${filename} or use keyPrefix".into(),
                    });
                }
                Condition::Eq("key".into(), k.to_owned())
            }
        },
        FilenameKey::Exact => Condition::Eq("key".into(), k.to_owned()),
    };
    Ok((k.to_owned(), cond))
}

/// `keyPrefix`: the field is the `key` under it, or the prefix and `${filename}`.
fn prefix_key_plan(key: Option<&str>, p: &str) -> Result<(String, Condition)> {
    if p.is_empty() {
        return Err(Error::InvalidKey(msg!(
            "keyPrefix is empty, which would allow any key in the bucket; to allow that, {ANY_KEY}"
        )));
    }
    check_key_text("keyPrefix", p)?;
    if crate::text::find_str(p, FILENAME_VARIABLE).is_some() {
        return Err(Error::InvalidKey(msg!(
            "keyPrefix cannot contain ${{filename}}; put it in `key`"
        )));
    }
    let field = match key {
        Some(k) => {
            check_key_text("the object key", k)?;
            if !k.starts_with(p) || k.is_empty() {
                return Err(Error::InvalidKey(msg_at!(
                    "key",
                    "does not start with `keyPrefix`"
                )));
            }
            k.to_owned()
        }
        None => {
            let mut f = String::with_capacity(p.len() + FILENAME_VARIABLE.len());
            f.push_str(p);
            f.push_str(FILENAME_VARIABLE);
            f
        }
    };
    check_key_text("the key field", &field)?;
    Ok((field, key_starts_with(p)))
}

/// One value per form field (names are case-insensitive in both services).
fn check_fields_unique(fields: &[(String, String)]) -> Result<()> {
    let mut seen: Vec<String> = Vec::with_capacity(fields.len());
    for (n, _) in fields {
        let lower = n.to_ascii_lowercase();
        if seen.contains(&lower) {
            return Err(Error::InvalidRequest(msg!("a field is constrained twice (by two members, or twice in `metadata`, `fields` or `startsWith`; names are case-insensitive); give it once")));
        }
        seen.push(lower);
    }
    Ok(())
}

/// The exact conditions of the pre-filled fields: a field a condition names is a pre-filled value
/// within it; any other gets its exact condition (x-ignore-* fields none).
fn exact_conditions(
    fields: &[(String, String)],
    conditions: &[Condition],
) -> Result<Vec<(String, String)>> {
    let mut exact = Vec::with_capacity(fields.len());
    for (n, v) in fields {
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
            return Err(Error::InvalidRequest(msg!("a pre-filled form field (fields, metadata or a typed member such as contentType) does not satisfy the condition that names it; the upload would be refused")));
        }
    }
    Ok(exact)
}

#[cfg(test)]
mod tests;
