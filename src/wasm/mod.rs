//! wasm-bindgen bindings for the npm package: JSON as UTF-8 bytes in, JSON text out. The JS
//! wrapper in `pkg/` turns objects into request JSON (normalising `signedAt`) and encodes it with
//! `TextEncoder` (a native copy; wasm-bindgen's string passing copies character by character),
//! reads the clock, parses the result and throws `PresignError` for error objects. Nothing here
//! but conversions.

use crate::error::msg;
use crate::json;
use crate::prelude::*;

// The plan's exports only where a provider can sign its steps: the `presign/upload` entry carries
// the checksum hashers alone (features "upload"), so the multipart model stays out of it.
#[cfg(upload_plan)]
mod upload;
use crate::time::Timestamp;
// The multipart and upload entries export only from the submodules (`upload`, `hash`).
#[cfg_attr(not(wasm_exports), allow(unused_imports))]
use wasm_bindgen::prelude::wasm_bindgen;

#[cfg(feature = "upload")]
mod hash;

#[cfg(wasm_fields)]
mod fields;

/// The size build's allocator (feature `wasm-small-alloc`): a free list, no size classes.
#[cfg(all(feature = "wasm-small-alloc", target_arch = "wasm32"))]
#[global_allocator]
static ALLOC: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

/// The browser builds' panic handler (`no_std_wasm`: no std there): a trap, as `panic = "abort"`
/// makes std's, without formatting a message first. None is reachable: clippy denies
/// unwrap/expect/panic/indexing in the library.
#[cfg(no_std_wasm)]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// One signer per module instance, so derived keys are reused across calls.
#[cfg(wasm_signer)]
fn signer() -> &'static crate::request::Signer {
    static SIGNER: crate::sync::Once<crate::request::Signer> = crate::sync::Once::new();
    SIGNER.get_or_init(crate::request::Signer::new)
}

/// The instant `now_ms` (JS's clock), or the error object of a bad one.
// Unused by the entries whose exports take no request and instant (presign/cors, presign/upload)
// and by the fields builds (`at`).
#[cfg_attr(not(wasm_request_exports), allow(dead_code))]
fn now(now_ms: f64) -> Result<Timestamp, String> {
    at(now_ms, Ok).map_err(|e| json::error_json(&e))
}

/// `f` at the instant `now_ms` (JS's clock, or a bad one: an error).
// Unused by the entries whose exports take no request and instant (presign/cors, presign/upload).
#[cfg_attr(not(any(wasm_request_exports, wasm_fields)), allow(dead_code))]
fn at<T>(now_ms: f64, f: impl FnOnce(Timestamp) -> crate::Result<T>) -> crate::Result<T> {
    // `as` saturates for out-of-range floats and maps NaN to 0; the range check follows.
    Timestamp::from_unix_millis(now_ms as i64).and_then(f)
}

/// The input bytes as text (`TextEncoder` always gives UTF-8; anything else is an error object).
// Unused by the entry that exports only the checksum hashers (presign/upload).
#[cfg_attr(not(wasm_text_exports), allow(dead_code))]
fn text(bytes: &[u8]) -> Result<&str, String> {
    core::str::from_utf8(bytes).map_err(|_| {
        json::error_json(&crate::Error::InvalidRequest(msg!(
            "the request is not UTF-8 text"
        )))
    })
}

/// Runs `f` on the input text and the instant, or answers the error object of either.
// Unused by the entries whose exports take no request and instant (presign/cors, presign/upload).
#[cfg_attr(not(wasm_request_exports), allow(dead_code))]
fn with(bytes: &[u8], now_ms: f64, f: impl FnOnce(&str, Timestamp) -> String) -> String {
    match (text(bytes), now(now_ms)) {
        (Ok(s), Ok(t)) => f(s, t),
        (Err(e), _) | (_, Err(e)) => e,
    }
}

/// One URL's answer in the server builds: the result as lines (see [`push_after_url`]; 10-15 %
/// off one URL's time against its JSON), or, for an error, a result with warnings or one whose
/// text holds a line break, its JSON object (one line: the writer escapes line breaks). The
/// browser builds of the JSON entries (presign/sigv4a, presign/s3express) answer JSON, which
/// `api.js` reads too (their wasm 0.2 KB gzip smaller; a page signs a URL at a time), and the
/// fields builds answer [`lines`]. The lines go on after the URL in its own string (the signer
/// leaves room there): no copy of it.
#[cfg(all(wasm_url, not(no_std_wasm)))]
fn answer(r: crate::Result<crate::Presigned>) -> String {
    match r {
        Ok(p) if in_lines(&p) => {
            let mut out = p.url;
            push_after_url(&mut out, p.method, p.expires_at, &p.headers);
            out
        }
        r => json::result_json(&r),
    }
}

/// Whether a result is answered as lines (see `answer`).
#[cfg(all(wasm_url, not(no_std_wasm)))]
fn in_lines(p: &crate::Presigned) -> bool {
    let lines = |s: &str| !s.contains('\n');
    p.warnings.is_empty() && lines(&p.url) && p.headers.iter().all(|(n, v)| lines(n) && lines(v))
}

/// The one line format of a result, read by `pkg/api.js` `result`: after the URL, the lines
/// `method`, `expiresAt`, the number of headers, then each header's name and value, each line
/// ended by a line break; `result` builds the object the JSON would give without `JSON.parse`
/// (a header named `__proto__` an own member, as `JSON.parse` makes it). The server builds'
/// [`answer`] and the fields builds' [`lines`] write it.
#[cfg(any(all(wasm_url, not(no_std_wasm)), wasm_fields))]
fn push_after_url(
    out: &mut String,
    method: crate::Method,
    expires_at: Timestamp,
    headers: &crate::Params,
) {
    out.push('\n');
    out.push_str(method.as_str());
    out.push('\n');
    expires_at.rfc3339_into(out);
    out.push('\n');
    crate::encoding::push_decimal(out, headers.0.len() as u64);
    out.push('\n');
    for (name, value) in headers.iter() {
        out.push_str(name);
        out.push('\n');
        out.push_str(value);
        out.push('\n');
    }
}

/// A batch's answer in the server builds: a line break (what tells it from an error object for
/// the whole batch, `{…}`, and from the browser builds' JSON array, `[…]`), then each result's
/// lines as `answer` writes them, or its line of JSON.
#[cfg(all(wasm_url, not(no_std_wasm)))]
const BATCH: json::Batch = json::Batch {
    open: "\n",
    between: "",
    close: "",
    push: |out, r| match r {
        Ok(p) if in_lines(&p) => {
            out.push_str(&p.url);
            push_after_url(out, p.method, p.expires_at, &p.headers);
        }
        r => {
            json::push_result(out, r);
            out.push('\n');
        }
    },
};

/// The JSON entries' browser builds' batch answer: a JSON array.
#[cfg(all(wasm_url, no_std_wasm))]
const BATCH: json::Batch = json::JSON_ARRAY;

/// The JSON entries' browser builds' answer: the result or error object as JSON (see the other
/// `answer`).
#[cfg(all(wasm_url, no_std_wasm))]
fn answer(r: crate::Result<crate::Presigned>) -> String {
    json::result_json(&r)
}

/// Presigns one request (request-schema JSON); returns the result (see `answer`) or the error
/// object as JSON.
#[cfg(wasm_url)]
#[wasm_bindgen(js_name = presignJson)]
pub fn presign_json(request: &[u8], now_ms: f64) -> String {
    with(request, now_ms, |request, t| {
        answer(json::presign(signer(), request, t))
    })
}

/// The fields builds' answer (the browser builds of the URL entries, whose requests `pkg/api.js`
/// reads and passes as fields, `fields.rs`), so that their wasm carries no JSON writer (`pkg/api.js`
/// `lines` reads it). A result: its url and the lines of [`push_after_url`], then each warning's
/// code and message, each line ended by a line break (none holds one: URLs are percent-encoded,
/// header names and values are refused with one, and warnings' messages are the crate's own
/// sentences). An error: an empty line, its code, its message (the rest of the text, which may
/// hold line breaks).
#[cfg(wasm_fields)]
fn lines(r: crate::Result<crate::Presigned>) -> String {
    let p = match r {
        Ok(p) => p,
        Err(e) => return error_lines(&e),
    };
    let mut out = p.url;
    push_after_url(&mut out, p.method, p.expires_at, &p.headers);
    for w in &p.warnings {
        for s in [w.code, &*w.message] {
            out.push_str(s);
            out.push('\n');
        }
    }
    out
}

/// An error as [`lines`] answers it.
#[cfg(wasm_fields)]
fn error_lines(e: &crate::Error) -> String {
    let mut out = String::from("\n");
    out.push_str(e.code());
    out.push('\n');
    out.push_str(e.message());
    out
}

/// The answer of `sign` at the instant `now_ms`, as [`lines`].
#[cfg(wasm_fields)]
fn presign_fields(
    now_ms: f64,
    sign: impl FnOnce(Timestamp) -> crate::Result<crate::Presigned>,
) -> String {
    lines(at(now_ms, sign))
}

/// Presigns one S3 request given as fields (the browser build of `presign/s3`).
#[cfg(all(wasm_fields, feature = "s3"))]
#[wasm_bindgen(js_name = presignS3Fields)]
pub fn presign_s3_fields(fields: &str, now_ms: f64) -> String {
    use crate::request::Request::S3;
    presign_fields(now_ms, |t| {
        fields::s3_request(fields).and_then(|r| signer().presign(&S3(r), t))
    })
}

/// Presigns one Azure request given as fields (the browser build of `presign/azure`).
#[cfg(all(wasm_fields, feature = "azure"))]
#[wasm_bindgen(js_name = presignAzureFields)]
pub fn presign_azure_fields(fields: &str, now_ms: f64) -> String {
    use crate::request::Request::Azure;
    presign_fields(now_ms, |t| {
        fields::azure_request(fields).and_then(|r| signer().presign(&Azure(r), t))
    })
}

/// Presigns one GCS request given as fields (the browser build of `presign/gcs`).
#[cfg(all(wasm_fields, feature = "gcs"))]
#[wasm_bindgen(js_name = presignGcsFields)]
pub fn presign_gcs_fields(fields: &str, now_ms: f64) -> String {
    use crate::request::Request::Gcs;
    presign_fields(now_ms, |t| {
        fields::gcs_request(fields).and_then(|r| signer().presign(&Gcs(r), t))
    })
}

/// A GCS request given as fields, for a signature made elsewhere: its string to sign, or the
/// error as [`lines`] (an empty first line; a string to sign starts with its algorithm).
#[cfg(all(wasm_fields, feature = "gcs"))]
#[wasm_bindgen(js_name = gcsStringToSignFields)]
pub fn gcs_string_to_sign_fields(fields: &str, now_ms: f64) -> String {
    match at(now_ms, |t| {
        fields::gcs_request(fields).and_then(|r| crate::gcs::prepare(&r, t))
    }) {
        Ok(p) => p.string_to_sign().into(),
        Err(e) => error_lines(&e),
    }
}

/// Completes the same request and instant with the hex signature, as [`lines`].
#[cfg(all(wasm_fields, feature = "gcs"))]
#[wasm_bindgen(js_name = gcsFinishFields)]
pub fn gcs_finish_fields(fields: &str, now_ms: f64, signature_hex: &str) -> String {
    lines(at(now_ms, |t| {
        fields::gcs_request(fields)
            .and_then(|r| crate::gcs::prepare(&r, t))
            .and_then(|p| p.finish(signature_hex))
    }))
}

/// An RFC 3339 instant as Unix milliseconds (whole seconds, as the schema reads it), or NaN when
/// the text is not one or leaves years 0001-9999: `pkg/api.js`'s readers check instants
/// with it where the schema reader does, while reading.
#[cfg(wasm_fields)]
#[wasm_bindgen(js_name = instantMillis)]
pub fn instant_millis(text: &str) -> f64 {
    Timestamp::parse_rfc3339(text).map_or(f64::NAN, |t| (t.unix() * 1000) as f64)
}

/// Presigns a JSON array of requests in one call; returns the results (see `BATCH`).
#[cfg(wasm_url)]
#[wasm_bindgen(js_name = presignManyJson)]
pub fn presign_many_json(requests: &[u8], now_ms: f64) -> String {
    with(requests, now_ms, |requests, t| {
        json::presign_many(signer(), requests, t, &BATCH)
    })
}

/// GCS with a service-account key in JS runtimes: the string to sign (`{"stringToSign"}`) for
/// WebCrypto (RSASSA-PKCS1-v1_5 / SHA-256) to sign.
#[cfg(all(feature = "wasm-url", feature = "gcs"))]
#[wasm_bindgen(js_name = gcsStringToSignJson)]
pub fn gcs_string_to_sign_json(request: &[u8], now_ms: f64) -> String {
    with(request, now_ms, |request, t| {
        json::gcs_string_to_sign_json(request, t)
    })
}

/// Completes the same request and instant with the hex signature.
#[cfg(all(feature = "wasm-url", feature = "gcs"))]
#[wasm_bindgen(js_name = gcsFinishJson)]
pub fn gcs_finish_json(request: &[u8], now_ms: f64, signature_hex: &str) -> String {
    with(request, now_ms, |request, t| {
        json::gcs_finish_json(request, t, signature_hex)
    })
}

#[cfg(feature = "post")]
fn post_signer() -> &'static crate::PostSigner {
    static SIGNER: crate::sync::Once<crate::PostSigner> = crate::sync::Once::new();
    SIGNER.get_or_init(crate::PostSigner::new)
}

/// A browser form upload (S3 / GCS POST policy): `{"url","fields","expiresAt"}` or an error.
#[cfg(feature = "post")]
#[wasm_bindgen(js_name = presignPostJson)]
pub fn presign_post_json(request: &[u8], now_ms: f64) -> String {
    with(request, now_ms, |request, t| {
        crate::json::post_json(Some(post_signer()), request, t)
    })
}

/// A GCS form with a service-account key: the string to sign (the base64 policy) for WebCrypto.
#[cfg(all(feature = "gcs", feature = "post"))]
#[wasm_bindgen(js_name = gcsPostStringToSignJson)]
pub fn gcs_post_string_to_sign_json(request: &[u8], now_ms: f64) -> String {
    with(request, now_ms, |request, t| {
        crate::json::gcs_post_string_to_sign_json(request, t)
    })
}

/// Completes the same form and instant with the hex signature.
#[cfg(all(feature = "gcs", feature = "post"))]
#[wasm_bindgen(js_name = gcsPostFinishJson)]
pub fn gcs_post_finish_json(request: &[u8], now_ms: f64, signature_hex: &str) -> String {
    with(request, now_ms, |request, t| {
        crate::json::gcs_post_finish_json(request, t, signature_hex)
    })
}

/// The storage-side CORS configuration that the given presigned requests need (`corsRules`).
#[cfg(feature = "cors")]
#[wasm_bindgen(js_name = corsRulesJson)]
pub fn cors_rules_json(input: &[u8]) -> String {
    match text(input) {
        Ok(s) => json::cors_json(s),
        Err(e) => e,
    }
}

/// Verifies a presigned URL as the storage server would (`verify`): the verdict as JSON. GCS
/// RSA signatures need the `gcs-rsa` feature, which the wasm build does not have.
#[cfg(feature = "verify")]
#[wasm_bindgen(js_name = verifyJson)]
pub fn verify_json(input: &[u8], now_ms: f64) -> String {
    with(input, now_ms, |input, t| {
        crate::verify::verify_json(input, t)
    })
}

/// The HTTP request of a credential exchange (`{"kind", …}`, see [`json::exchange_request_json`]).
#[cfg(feature = "exchange")]
#[wasm_bindgen(js_name = exchangeRequestJson)]
pub fn exchange_request_json(input: &[u8], now_ms: f64) -> String {
    with(input, now_ms, json::exchange_request_json)
}

/// The result of a credential exchange from its response (`{"kind","status","body", …}`).
#[cfg(feature = "exchange")]
#[wasm_bindgen(js_name = exchangeResponseJson)]
pub fn exchange_response_json(input: &[u8], now_ms: f64) -> String {
    with(input, now_ms, json::exchange_response_json)
}

/// A call's method code: 1-5 for `Method::ALL`'s, anything else none.
#[cfg(all(wasm_url, not(no_std_wasm)))]
fn method_of(code: i64) -> Option<crate::types::Method> {
    usize::try_from(code)
        .ok()
        .and_then(|c| c.checked_sub(1))
        .and_then(|i| crate::types::Method::ALL.get(i).copied())
}

/// The text up to the next line break (or the end), taken off `text`.
#[cfg(all(wasm_url, not(no_std_wasm)))]
fn take_line<'a>(text: &mut &'a str) -> &'a str {
    // A byte loop: these lines are short, and `split_once` calls the char searcher and `memchr`
    // (3 % of a client's batch URL in `node --cpu-prof`, with the numbers' `split`).
    let end = text.bytes().position(|b| b == b'\n').unwrap_or(text.len());
    let (line, rest) = text.split_at_checked(end).unwrap_or((text, ""));
    *text = rest.get(1..).unwrap_or_default();
    line
}

/// The numbers of a line of `presignKeys` (`-1` for a missing or malformed one).
#[cfg(all(wasm_url, not(no_std_wasm)))]
fn numbers<const N: usize>(line: &str) -> [i64; N] {
    let mut out = [-1; N];
    for (o, word) in out.iter_mut().zip(line.split(' ')) {
        *o = word.parse().unwrap_or(-1);
    }
    out
}

/// A call given as values taken off `text`: its numbers (`method` a code of `method_of`,
/// `headers` pairs of lines, none when negative; `expires_in` seconds, none when negative), its
/// header lines, then its key: `units` UTF-16 units of text (JS's string length), or the rest.
#[cfg(all(wasm_url, not(no_std_wasm)))]
fn take_call<'a>(
    text: &mut &'a str,
    method: i64,
    headers: i64,
    expires_in: i64,
    units: Option<usize>,
) -> json::KeyCall<'a> {
    let headers = usize::try_from(headers).ok().map(|n| {
        // A pair takes two bytes at least: a count past the text's cannot reserve beyond it.
        let pairs = (0..n.min(text.len()))
            .map(|_| (take_line(text).to_owned(), take_line(text).to_owned()));
        crate::types::Params(pairs.collect())
    });
    let end = match units {
        None => text.len(),
        Some(units) => {
            let mut seen = 0;
            text.char_indices()
                .find(|&(_, ch)| {
                    seen += ch.len_utf16();
                    seen > units
                })
                .map_or(text.len(), |(i, _)| i)
        }
    };
    let (key, rest) = text.split_at_checked(end).unwrap_or((text, ""));
    *text = rest;
    json::KeyCall {
        method: method_of(method),
        key,
        headers,
        expires_in: u64::try_from(expires_in).ok(),
    }
}

/// A client object (`createPresigner`): the configuration crosses into wasm once; each call
/// carries only what changes. Freed by JS (`free()` / `Symbol.dispose`).
#[cfg(wasm_url)]
#[wasm_bindgen(js_name = PresignerClient)]
pub struct Client(Result<json::Client, String>);

#[cfg(wasm_url)]
#[wasm_bindgen(js_class = PresignerClient)]
impl Client {
    /// Reads the configuration (request-schema members with `provider`); a configuration that
    /// does not fit makes a client whose every answer is its error object (`error`). Not a
    /// `Result`: throwing the `String` would link wasm-bindgen's conversion to a JS value and its
    /// externref allocator for this one case (0.3 KB gzip of every URL entry's browser wasm).
    #[wasm_bindgen(constructor)]
    pub fn new(config: &[u8]) -> Client {
        Client(
            text(config).and_then(|t| json::Client::from_json(t).map_err(|e| json::error_json(&e))),
        )
    }

    /// The configuration's error object as JSON, or `""` when it was read.
    pub fn error(&self) -> String {
        self.0.as_ref().err().cloned().unwrap_or_default()
    }

    /// Replaces members of the configuration (rotating credentials); `""` or an error object.
    pub fn update(&mut self, members: &[u8]) -> String {
        let client = match &mut self.0 {
            Ok(c) => c,
            Err(e) => return e.clone(),
        };
        match text(members).map(|t| client.update(t).map_err(|e| json::error_json(&e))) {
            Ok(Ok(())) => String::new(),
            Ok(Err(e)) | Err(e) => e,
        }
    }

    /// Presigns one call; the result (see `answer`) or the error object as JSON.
    pub fn presign(&self, call: &[u8], now_ms: f64) -> String {
        self.with_client(|c| with(call, now_ms, |call, t| answer(c.presign(call, t))))
    }

    /// Presigns a call `{method, key, headers, expiresIn}` given as values (pkg/api.js
    /// `quickCall`; `json::Client::presign_key`): `method` 0 for none, else 1-5
    /// (`Method::ALL`); `headers` how many pairs of lines (a name, a value) `text` starts with,
    /// negative for none; the rest of `text` is the key; `expires_in` whole seconds, negative for
    /// none. The result as `presign`'s. `text` crosses as a string: wasm-bindgen writes a short
    /// one into the wasm's memory faster than `TextEncoder` into a buffer copied there (a `/tmp`
    /// micro-benchmark: `encode` of an S3 call's text took ~0.16 µs).
    // Not in the browser builds of presign/sigv4a and presign/s3express (their clients send JSON:
    // pkg/api.js `createPresignerJsonFn`), whose wasm it would grow by ~2 KB of gzip.
    #[cfg(not(no_std_wasm))]
    #[wasm_bindgen(js_name = presignKey)]
    pub fn presign_key(
        &self,
        method: u8,
        headers: i32,
        mut text: &str,
        expires_in: f64,
        now_ms: f64,
    ) -> String {
        self.with_client(|c| {
            // `as` saturates; pkg/api.js passes only safe integers.
            let [method, headers, expires_in] =
                [f64::from(method), f64::from(headers), expires_in].map(|n| n as i64);
            let call = take_call(&mut text, method, headers, expires_in, None);
            match now(now_ms) {
                Ok(t) => answer(c.presign_key(call, t)),
                Err(e) => e,
            }
        })
    }

    /// Presigns calls given as values, one after another: each a line of its numbers
    /// (`<method> <headers> <expiresIn> <key length in UTF-16 units>`, as `presignKey`'s), its
    /// header lines, its key. The results as `presignMany`'s.
    #[cfg(not(no_std_wasm))]
    #[wasm_bindgen(js_name = presignKeys)]
    pub fn presign_keys(&self, text: &[u8], now_ms: f64) -> String {
        self.with_client(|c| {
            with(text, now_ms, |mut text, t| {
                let mut out = String::with_capacity(text.len() * 8 + 64);
                out.push_str(BATCH.open);
                let calls = core::iter::from_fn(|| {
                    if text.is_empty() {
                        return None;
                    }
                    let [method, headers, expires_in, units] = numbers(take_line(&mut text));
                    let units = usize::try_from(units).ok();
                    Some(take_call(&mut text, method, headers, expires_in, units))
                });
                let mut first = true;
                c.presign_keys(calls, t, &mut |r| {
                    if !first {
                        out.push_str(BATCH.between);
                    }
                    first = false;
                    (BATCH.push)(&mut out, r);
                });
                out.push_str(BATCH.close);
                out
            })
        })
    }

    /// Presigns an array of calls; the results (see `BATCH`), or the configuration's error object.
    #[wasm_bindgen(js_name = presignMany)]
    pub fn presign_many(&self, calls: &[u8], now_ms: f64) -> String {
        self.with_client(|c| with(calls, now_ms, |calls, t| c.presign_many(calls, t, &BATCH)))
    }
}

#[cfg(wasm_url)]
impl Client {
    /// `call`'s answer of the client, or the configuration's error object (every answer of a
    /// client whose configuration did not fit).
    fn with_client(&self, call: impl FnOnce(&json::Client) -> String) -> String {
        match &self.0 {
            Ok(c) => call(c),
            Err(e) => e.clone(),
        }
    }
}
