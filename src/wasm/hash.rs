//! The streaming upload checksums of `presign/upload` (feature `upload`): a `Hasher` object per
//! body, fed chunk by chunk from JS (WebCrypto has no streaming digest and no CRC or MD5). The JS
//! class in `pkg/api.js` wraps it; errors cross as the error object's JSON text.

use crate::checksum::{Algorithm, Checksum, Hasher};
use crate::json::{self, Object};
use crate::prelude::*;
use crate::Error;
use wasm_bindgen::prelude::wasm_bindgen;

/// A checksum in progress; `None` once a digest was taken.
#[wasm_bindgen(js_name = Hasher)]
pub struct WasmHasher(Option<Hasher>);

fn finished() -> String {
    json::error_json(&Error::InvalidRequest(
        "this Hasher is finished (a digest was taken): create a new one".into(),
    ))
}

#[wasm_bindgen(js_class = Hasher)]
impl WasmHasher {
    /// A hasher for `algorithm` (crc32, crc32c, crc64nvme, md5, sha1, sha256); throws the error
    /// object's JSON text for another name.
    #[wasm_bindgen(constructor)]
    pub fn new(algorithm: &str) -> Result<WasmHasher, String> {
        let a = Algorithm::from_name(algorithm).map_err(|e| json::error_json(&e))?;
        Ok(WasmHasher(Some(Hasher::new(a))))
    }

    /// Absorbs the next chunk; throws once finished.
    pub fn update(&mut self, data: &[u8]) -> Result<(), String> {
        self.0.as_mut().ok_or_else(finished)?.update(data);
        Ok(())
    }

    fn finish(&mut self) -> Result<Checksum, String> {
        self.0.take().map(Hasher::finish).ok_or_else(finished)
    }

    /// Finishes: the digest bytes (a CRC's value big-endian).
    #[wasm_bindgen(js_name = digestBytes)]
    pub fn digest_bytes(&mut self) -> Result<Vec<u8>, String> {
        Ok(self.finish()?.as_bytes().to_vec())
    }

    /// Finishes: `base64` or `hex` of the digest, or the JSON object of the headers `s3`, `azure`
    /// or `gcs` verify it from. A bad form or an algorithm the provider does not verify leaves the
    /// hasher as it was.
    pub fn digest(&mut self, form: &str) -> Result<String, String> {
        let err = |e: Error| json::error_json(&e);
        let sum = self.0.clone().ok_or_else(finished)?.finish();
        let header = |(name, value): (&str, String)| {
            let mut out = String::new();
            Object::new(&mut out).str(name, &value).end();
            out
        };
        let out = match form {
            "base64" => sum.base64(),
            "hex" => sum.hex(),
            "s3" => header(sum.s3_header()),
            "azure" => header(sum.azure_header().map_err(err)?),
            "gcs" => header(("x-goog-hash", sum.gcs_hash().map_err(err)?)),
            _ => {
                return Err(err(Error::InvalidRequest(
                    "the digest form is base64, hex, s3, azure or gcs".into(),
                )))
            }
        };
        self.0 = None;
        Ok(out)
    }
}
