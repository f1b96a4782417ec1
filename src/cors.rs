//! CORS rules for direct browser uploads and downloads: the storage-side configuration that the
//! given presigned requests need, in each provider's native format.
//!
//! A browser that `fetch()`es a presigned URL from another origin first sends a preflight
//! (`OPTIONS` with `Access-Control-Request-Method` and `Access-Control-Request-Headers`) unless the
//! request is "simple". The storage service answers it from the bucket's (S3, GCS) or the
//! account's (Azure) CORS rules. [`cors_rules`] derives those rules from the requests themselves:
//!
//! - **allowed methods**: the methods of the requests;
//! - **allowed headers**: every header the client must send for the signature to verify
//!   (`content-type`, `x-amz-checksum-*`, `x-amz-meta-*`, `x-goog-resumable`, `x-goog-meta-*`…),
//!   `x-ms-blob-type` for Azure uploads, and `content-type` for every upload (a browser sends a
//!   `File`'s type); headers the browser sets itself (`content-length`, `host`…) are left out;
//! - **exposed headers**: what a page needs to read back — `ETag` (multipart uploads), the request
//!   id and Azure's `x-ms-error-code` (readable errors), GCS's `x-goog-generation` and, for
//!   resumable uploads, `Location` (the session URI);
//! - **max age**: how long a browser may cache the preflight (default [`DEFAULT_MAX_AGE`]).
//!
//! Output formats (one rule each):
//! - S3: [`CorsRules::s3_json`], the `CORSConfiguration` of
//!   [PutBucketCors](https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html) as
//!   `aws s3api put-bucket-cors --cors-configuration file://cors.json` reads it, and
//!   [`CorsRules::s3_xml`], the request body itself;
//! - GCS: [`CorsRules::gcs_json`], the list `gcloud storage buckets update --cors-file` reads
//!   ([cross-origin docs](https://cloud.google.com/storage/docs/cross-origin)); GCS uses
//!   `responseHeader` both to answer `Access-Control-Request-Headers` and to expose headers, so
//!   the list holds both;
//! - Azure: [`CorsRules::azure_xml`], a
//!   [Set Blob Service Properties](https://learn.microsoft.com/rest/api/storageservices/set-blob-service-properties)
//!   body with one `<Cors><CorsRule>` (it replaces the account's blob CORS rules and leaves the
//!   other properties as they are).
//!
//! Origins and header names are validated to a character set that needs no escaping in JSON or
//! XML, so every output is written directly.

use crate::encoding::push_decimal;
use crate::error::{indexed, msg, msg_at};
use crate::error::{Error, Result};
use crate::prelude::*;
use crate::types::{Method, Params, Presigned};
use core::fmt;

/// Default `max age` of a preflight answer, in seconds (one hour).
pub const DEFAULT_MAX_AGE: u32 = 3600;

/// Azure allows at most 64 origins, 64 allowed and 64 exposed headers per rule.
const AZURE_MAX_ITEMS: usize = 64;
/// Azure's limit on the length of one origin or header name.
const AZURE_MAX_LEN: usize = 256;

/// The storage provider whose CORS format to produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Provider {
    /// Amazon S3 and S3-compatible stores (PutBucketCors).
    S3,
    /// Azure Blob Storage (Set Blob Service Properties).
    Azure,
    /// Google Cloud Storage (bucket `cors`).
    Gcs,
}

impl Provider {
    /// `s3`, `azure` or `gcs`, as in the request schema.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::S3 => "s3",
            Provider::Azure => "azure",
            Provider::Gcs => "gcs",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::str::FromStr for Provider {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "s3" => Ok(Provider::S3),
            "azure" => Ok(Provider::Azure),
            "gcs" => Ok(Provider::Gcs),
            _ => Err(Error::InvalidRequest(msg_at!(
                "provider",
                "not one of s3, azure, gcs"
            ))),
        }
    }
}

/// What the rules need to know about one request a browser will make: its method and the
/// headers it sends. A [`Presigned`] result converts into it (`(&presigned).into()`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CorsRequest {
    /// The method.
    pub method: Method,
    /// The headers the browser sends (names are what matters; values are ignored).
    pub headers: Params,
}

impl CorsRequest {
    /// A request with no headers.
    pub fn new(method: Method) -> Self {
        CorsRequest {
            method,
            headers: Params::new(),
        }
    }
}

impl From<&Presigned> for CorsRequest {
    fn from(p: &Presigned) -> Self {
        CorsRequest {
            method: p.method,
            headers: p.headers.clone(),
        }
    }
}

/// One CORS rule, ready to be written in a provider's format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorsRules {
    /// Whose format [`CorsRules::native`] writes.
    pub provider: Provider,
    /// Origins allowed (`scheme://host[:port]`, or `*`).
    pub origins: Vec<String>,
    /// Methods allowed.
    pub methods: Vec<Method>,
    /// Request headers allowed (lower case).
    pub allowed_headers: Vec<String>,
    /// Response headers the page may read.
    pub exposed_headers: Vec<String>,
    /// Seconds a browser may cache the preflight answer.
    pub max_age: u32,
}

/// Headers a page cannot set (the browser does): never in `Access-Control-Request-Headers`.
/// From the Fetch standard's forbidden request-header names.
const BROWSER_SET: &[&str] = &[
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

/// Derives the CORS rule that lets pages on `origins` make `requests`.
///
/// # Errors
/// - [`Error::InvalidRequest`]: no origin, no request, an origin that is not
///   `scheme://host[:port]` (no path, no trailing `/`: browsers send the origin without one, so
///   such a rule never matches) or `*`; a wildcard inside an origin for Azure or GCS (only S3
///   knows `https://*.example.com`); more origins or headers than Azure allows (64).
/// - [`Error::InvalidHeader`]: a header name outside `A-Z a-z 0-9 - _ .`.
pub fn cors_rules<S: AsRef<str>>(
    provider: Provider,
    origins: &[S],
    requests: &[CorsRequest],
) -> Result<CorsRules> {
    if origins.is_empty() {
        return Err(Error::InvalidRequest(msg!(
            "CORS rules need at least one origin, e.g. https://app.example.com"
        )));
    }
    if requests.is_empty() {
        return Err(Error::InvalidRequest(msg!(
            "CORS rules need at least one request (its method and headers)"
        )));
    }
    let out_origins = distinct_origins(provider, origins)?;
    let (methods, allowed, resumable) = methods_and_headers(provider, requests)?;
    let exposed = exposed_headers(provider, resumable);

    if provider == Provider::Azure
        && (out_origins.len() > AZURE_MAX_ITEMS || allowed.len() > AZURE_MAX_ITEMS)
    {
        return Err(Error::InvalidRequest(msg!("Azure allows at most {AZURE_MAX_ITEMS} origins and {AZURE_MAX_ITEMS} allowed headers in a CORS rule")));
    }
    Ok(CorsRules {
        provider,
        origins: out_origins,
        methods,
        allowed_headers: allowed,
        exposed_headers: exposed,
        max_age: DEFAULT_MAX_AGE,
    })
}

/// The origins, each checked, without repeats (in the order given).
fn distinct_origins<S: AsRef<str>>(provider: Provider, origins: &[S]) -> Result<Vec<String>> {
    let mut out_origins: Vec<String> = Vec::with_capacity(origins.len());
    for (i, o) in origins.iter().enumerate() {
        let o = check_origin(provider, i, o.as_ref())?;
        if !out_origins.iter().any(|x| x == o) {
            out_origins.push(o.to_owned());
        }
    }
    Ok(out_origins)
}

/// The methods and the headers to allow for `requests` (sorted), and whether one of them starts a
/// GCS resumable upload.
fn methods_and_headers(
    provider: Provider,
    requests: &[CorsRequest],
) -> Result<(Vec<Method>, Vec<String>, bool)> {
    let mut methods: Vec<Method> = Vec::new();
    let mut allowed: Vec<String> = Vec::new();
    let mut resumable = false;
    for (i, r) in requests.iter().enumerate() {
        if !methods.contains(&r.method) {
            methods.push(r.method);
        }
        let upload = matches!(r.method, Method::Put | Method::Post);
        if upload {
            // A browser sends a File's or Blob's type as content-type.
            add(&mut allowed, "content-type");
            if provider == Provider::Azure && r.method == Method::Put {
                add(&mut allowed, "x-ms-blob-type");
            }
        }
        for (j, (name, _)) in r.headers.iter().enumerate() {
            check_header_name(i, j, name)?;
            let name = name.to_ascii_lowercase();
            if name == "x-goog-resumable" {
                resumable = true;
            }
            if !BROWSER_SET.contains(&name.as_str())
                && !name.starts_with("proxy-")
                && !name.starts_with("sec-")
            {
                add(&mut allowed, &name);
            }
        }
    }
    if resumable {
        // The session URI answers PUTs of the data, chunks with content-range.
        if !methods.contains(&Method::Put) {
            methods.push(Method::Put);
        }
        add(&mut allowed, "content-range");
    }
    crate::text::sort_by(&mut methods, |a, b| method_rank(*a) < method_rank(*b));
    crate::text::sort_by(&mut allowed, |a, b| a < b);
    Ok((methods, allowed, resumable))
}

/// The response headers a page needs to read, per provider.
fn exposed_headers(provider: Provider, resumable: bool) -> Vec<String> {
    let mut exposed: Vec<String> = Vec::new();
    match provider {
        Provider::S3 => {
            // ETag: the part's ETag is what CompleteMultipartUpload needs.
            exposed.extend(["ETag", "x-amz-request-id", "x-amz-version-id"].map(String::from));
        }
        Provider::Azure => {
            exposed.extend(["ETag", "x-ms-error-code", "x-ms-request-id"].map(String::from));
        }
        Provider::Gcs => {
            exposed.extend(["ETag", "x-goog-generation"].map(String::from));
            if resumable {
                exposed.push("Location".into());
            }
        }
    }
    exposed
}

fn add(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|x| x == name) {
        list.push(name.to_owned());
    }
}

fn method_rank(m: Method) -> u8 {
    match m {
        Method::Get => 0,
        Method::Head => 1,
        Method::Put => 2,
        Method::Post => 3,
        Method::Delete => 4,
    }
}

/// `*`, or `scheme://host[:port]` of visible ASCII without characters that need escaping.
fn check_origin(provider: Provider, i: usize, o: &str) -> Result<&str> {
    if o == "*" {
        return Ok(o);
    }
    let bad = |why: &str| {
        Err(Error::InvalidRequest(msg_at!(
            &indexed("origins", i),
            "{why}; an origin is scheme://host[:port], e.g. https://app.example.com"
        )))
    };
    if o.len() > AZURE_MAX_LEN {
        return bad("is too long");
    }
    let Some((scheme, rest)) =
        crate::text::find_str(o, "://").and_then(|i| Some((o.get(..i)?, o.get(i + 3..)?)))
    else {
        return bad("has no scheme");
    };
    if scheme.is_empty()
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    {
        return bad("has an invalid scheme");
    }
    if rest.is_empty() {
        return bad("has no host");
    }
    if rest.as_bytes().contains(&b'/') {
        return bad("has a path or a trailing '/' (browsers send the origin without one, so the rule would never match)");
    }
    if !rest
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-.:[]_*".contains(&b))
    {
        return bad("contains a character not allowed in a host");
    }
    if rest.as_bytes().contains(&b'*') {
        if provider != Provider::S3 {
            return bad(&msg!(
                "has a wildcard; {provider} allows only the whole origin \"*\""
            ));
        }
        if rest.bytes().filter(|&b| b == b'*').count() > 1 {
            return bad("has more than one '*'");
        }
    }
    Ok(o)
}

fn check_header_name(i: usize, j: usize, name: &str) -> Result<()> {
    if name.is_empty()
        || name.len() > AZURE_MAX_LEN
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        return Err(Error::InvalidHeader(msg!("`requests[{i}].headers[{j}]`: this header name cannot be put in a CORS rule (use A-Z a-z 0-9 - _ .)")));
    }
    Ok(())
}

impl CorsRules {
    /// The rule in the provider's own format: S3 JSON, GCS JSON or Azure XML.
    pub fn native(&self) -> String {
        match self.provider {
            Provider::S3 => self.s3_json(),
            Provider::Azure => self.azure_xml(),
            Provider::Gcs => self.gcs_json(),
        }
    }

    /// S3 `CORSConfiguration` as JSON (`aws s3api put-bucket-cors --cors-configuration`, the
    /// `CORSConfiguration` argument of the SDKs' `PutBucketCors`).
    pub fn s3_json(&self) -> String {
        let mut s = String::from("{\"CORSRules\":[{");
        let mut first = true;
        if !self.allowed_headers.is_empty() {
            json_field(&mut s, &mut first, "AllowedHeaders", &self.allowed_headers);
        }
        json_field(&mut s, &mut first, "AllowedMethods", &self.method_names());
        json_field(&mut s, &mut first, "AllowedOrigins", &self.origins);
        if !self.exposed_headers.is_empty() {
            json_field(&mut s, &mut first, "ExposeHeaders", &self.exposed_headers);
        }
        s.push_str(",\"MaxAgeSeconds\":");
        push_decimal(&mut s, self.max_age.into());
        s.push_str("}]}");
        s
    }

    /// The PutBucketCors request body (`PUT /?cors`).
    pub fn s3_xml(&self) -> String {
        let mut s = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><CORSRule>",
        );
        for h in &self.allowed_headers {
            xml_elem(&mut s, "AllowedHeader", h);
        }
        for m in self.method_names() {
            xml_elem(&mut s, "AllowedMethod", &m);
        }
        for o in &self.origins {
            xml_elem(&mut s, "AllowedOrigin", o);
        }
        for h in &self.exposed_headers {
            xml_elem(&mut s, "ExposeHeader", h);
        }
        xml_elem(&mut s, "MaxAgeSeconds", &self.max_age_digits());
        s.push_str("</CORSRule></CORSConfiguration>");
        s
    }

    /// The bucket's `cors` list as `gcloud storage buckets update --cors-file` reads it.
    /// `responseHeader` holds the allowed request headers and the exposed ones (GCS answers
    /// both from it).
    pub fn gcs_json(&self) -> String {
        let mut response: Vec<String> = self.allowed_headers.clone();
        for h in &self.exposed_headers {
            if !response.iter().any(|x| x.eq_ignore_ascii_case(h)) {
                response.push(h.clone());
            }
        }
        let mut s = String::from("[{");
        let mut first = true;
        json_field(&mut s, &mut first, "origin", &self.origins);
        json_field(&mut s, &mut first, "method", &self.method_names());
        if !response.is_empty() {
            json_field(&mut s, &mut first, "responseHeader", &response);
        }
        s.push_str(",\"maxAgeSeconds\":");
        push_decimal(&mut s, self.max_age.into());
        s.push_str("}]");
        s
    }

    /// A Set Blob Service Properties body (`PUT /?restype=service&comp=properties`) with this
    /// rule as the account's only blob CORS rule.
    pub fn azure_xml(&self) -> String {
        let mut s = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<StorageServiceProperties><Cors><CorsRule>",
        );
        xml_elem(
            &mut s,
            "AllowedOrigins",
            &crate::text::join(&self.origins, ","),
        );
        xml_elem(
            &mut s,
            "AllowedMethods",
            &crate::text::join(&self.method_names(), ","),
        );
        xml_elem(
            &mut s,
            "AllowedHeaders",
            &crate::text::join(&self.allowed_headers, ","),
        );
        xml_elem(
            &mut s,
            "ExposedHeaders",
            &crate::text::join(&self.exposed_headers, ","),
        );
        xml_elem(&mut s, "MaxAgeInSeconds", &self.max_age_digits());
        s.push_str("</CorsRule></Cors></StorageServiceProperties>");
        s
    }

    /// `max_age` in decimal (written without the formatting machinery: wasm size).
    fn max_age_digits(&self) -> String {
        let mut s = String::new();
        push_decimal(&mut s, self.max_age.into());
        s
    }

    pub(crate) fn method_names(&self) -> Vec<String> {
        self.methods.iter().map(|m| m.as_str().to_owned()).collect()
    }
}

/// Writes `"name":["a","b"]` through the crate's one JSON string escaper.
fn json_field(s: &mut String, first: &mut bool, name: &str, values: &[String]) {
    if !*first {
        s.push(',');
    }
    *first = false;
    crate::encoding::json_string_into(s, name, false);
    s.push(':');
    json_list(s, values);
}

/// Writes `["a","b"]` through the crate's one JSON string escaper.
pub(crate) fn json_list(s: &mut String, values: &[String]) {
    s.push('[');
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        crate::encoding::json_string_into(s, v, false);
    }
    s.push(']');
}

/// Writes `<name>value</name>` (values are validated: no character needs escaping).
fn xml_elem(s: &mut String, name: &str, value: &str) {
    s.push('<');
    s.push_str(name);
    s.push('>');
    s.push_str(value);
    s.push_str("</");
    s.push_str(name);
    s.push('>');
}

#[cfg(test)]
mod tests;
