//! Uploads in parts (feature `upload`; the `presign/upload` entry): the plan, each step's
//! request, and the answers' parsers, as JSON (`crate::json::plan_upload_json` and siblings).

use super::with;
use crate::json;
use crate::prelude::*;
use crate::sync::Once;
use crate::upload::Uploads;
use wasm_bindgen::prelude::wasm_bindgen;

/// One builder per module instance, so derived keys are reused across calls.
fn uploads() -> &'static Uploads {
    static UPLOADS: Once<Uploads> = Once::new();
    UPLOADS.get_or_init(Uploads::new)
}

/// The plan: `{"provider","size","partSize","partCount","checksum"?,"create","parts",…}`.
#[wasm_bindgen(js_name = planUploadJson)]
pub fn plan_upload_json(input: &[u8], now_ms: f64) -> String {
    with(input, now_ms, |input, t| {
        json::plan_upload_json(uploads(), input, t)
    })
}

/// One step's request: `{"url","method","headers","expiresAt","body"?,"part"?}`.
#[wasm_bindgen(js_name = uploadRequestJson)]
pub fn upload_request_json(input: &[u8], now_ms: f64) -> String {
    with(input, now_ms, |input, t| {
        json::upload_request_json(uploads(), input, t)
    })
}

/// A step's answer read: `{"uploadId"}`, `{"parts",…}` or `{"ok":true}`.
#[wasm_bindgen(js_name = uploadResponseJson)]
pub fn upload_response_json(input: &[u8]) -> String {
    match super::text(input) {
        Ok(s) => json::upload_response_json(s),
        Err(e) => e,
    }
}

/// GCS with a service-account key (`planUploadAsync`, `uploadRequestAsync`): the strings to sign
/// of every request of the plan (`plan` true) or of the step, `{"stringsToSign":[…]}`, for
/// WebCrypto (RSASSA-PKCS1-v1_5 / SHA-256) to sign.
#[cfg(feature = "gcs")]
#[wasm_bindgen(js_name = gcsUploadStringsToSignJson)]
pub fn gcs_upload_strings_to_sign_json(input: &[u8], now_ms: f64, plan: bool) -> String {
    with(input, now_ms, |input, t| {
        json::gcs_upload_strings_to_sign_json(uploads(), input, t, plan)
    })
}

/// Completes the same input and instant with the signatures (hex, comma-separated, in order).
#[cfg(feature = "gcs")]
#[wasm_bindgen(js_name = gcsUploadFinishJson)]
pub fn gcs_upload_finish_json(input: &[u8], now_ms: f64, plan: bool, signatures: &str) -> String {
    with(input, now_ms, |input, t| {
        json::gcs_upload_finish_json(uploads(), input, t, plan, signatures)
    })
}
