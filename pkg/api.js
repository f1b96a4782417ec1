// The JS face of presign, shared by every entry point (node, node CJS, workerd, deno, browser).
// It only converts: request objects to request JSON (signedAt normalised), the clock reading,
// result JSON to objects, error objects to PresignError. Signing happens in the wasm core.

/** An error from presign: `code` is stable (INVALID_KEY, INVALID_HEADER, ...). */
export class PresignError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "PresignError";
    this.code = code;
  }
}

function signedAt(v) {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new PresignError("INVALID_TIME", "signedAt is an invalid Date");
    return v.toISOString();
  }
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new PresignError("INVALID_TIME", "signedAt must be a finite number of milliseconds");
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) throw new PresignError("INVALID_TIME", `signedAt ${v} is out of range`);
    return d.toISOString();
  }
  if (typeof v === "string") return v;
  throw new PresignError("INVALID_TIME", "signedAt must be a Date, a number of milliseconds or an RFC 3339 string");
}

function toJson(request) {
  if (request === null || typeof request !== "object" || Array.isArray(request)) {
    throw new PresignError("INVALID_REQUEST", "a request must be an object with a `provider` field");
  }
  const v = request.signedAt;
  // A valid Date or a string stringifies as it is (Date#toJSON is toISOString): no copy.
  if (v === undefined || typeof v === "string" || (v instanceof Date && !Number.isNaN(v.getTime()))) {
    return request;
  }
  const at = signedAt(v);
  const copy = { ...request, signedAt: at };
  if (at === undefined) delete copy.signedAt;
  return copy;
}

// JSON goes into wasm as UTF-8 bytes: TextEncoder copies natively, where wasm-bindgen's string
// passing copies character by character (measured ~5x slower for a batch).
const encoder = new TextEncoder();
const utf8 = (value) => encoder.encode(JSON.stringify(value));

function unwrap(result) {
  if (result && result.error) throw new PresignError(result.error.code, result.error.message);
  return result;
}

function hex(bytes) {
  let s = "";
  for (const b of bytes) s += (b < 16 ? "0" : "") + b.toString(16);
  return s;
}

// Parsed service-account keys, by PEM text: importing costs more than a signature.
const rsaKeys = new Map();

function importRsaKey(pem) {
  if (typeof pem !== "string" || pem === "") {
    return Promise.reject(new PresignError("INVALID_CREDENTIALS",
      "the service-account key has no private_key"));
  }
  let key = rsaKeys.get(pem);
  if (!key) {
    const text = pem.includes("\n") ? pem : pem.replace(/\\n/g, "\n");
    const m = /-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END PRIVATE KEY-----/.exec(text);
    if (!m) {
      return Promise.reject(new PresignError("INVALID_CREDENTIALS",
        "the private key must be PEM \"PRIVATE KEY\" (PKCS#8), as in a service-account key file"));
    }
    let der;
    try {
      der = Uint8Array.from(atob(m[1].replace(/\s+/g, "")), (c) => c.charCodeAt(0));
    } catch {
      return Promise.reject(new PresignError("INVALID_CREDENTIALS", "the private key has invalid base64"));
    }
    key = globalThis.crypto.subtle
      .importKey("pkcs8", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"])
      .catch(() => {
        rsaKeys.delete(pem);
        throw new PresignError("INVALID_CREDENTIALS", "the private key is not a usable RSA key");
      });
    if (rsaKeys.size >= 8) rsaKeys.delete(rsaKeys.keys().next().value);
    rsaKeys.set(pem, key);
  }
  return key;
}

/** Builds the public API over the wasm-bindgen glue (after its wasm is instantiated). */
export function makeApi(glue) {
  function presign(request) {
    return unwrap(JSON.parse(glue.presignJson(utf8(toJson(request)), Date.now())));
  }
  function presignMany(requests) {
    if (!Array.isArray(requests)) throw new PresignError("INVALID_REQUEST", "presignMany takes an array of requests");
    // An element that cannot even be converted gets its error in place; the rest are signed.
    const early = new Map();
    const items = requests.map((r, i) => {
      try {
        return toJson(r);
      } catch (e) {
        early.set(i, e);
        return null;
      }
    });
    const out = JSON.parse(glue.presignManyJson(utf8(items), Date.now()));
    if (!Array.isArray(out)) unwrap(out);
    return out.map((r, i) =>
      early.has(i) ? early.get(i) : r && r.error ? new PresignError(r.error.code, r.error.message) : r,
    );
  }
  // GCS with a service-account key: the core prepares the string to sign, WebCrypto signs it
  // (RSASSA-PKCS1-v1_5 / SHA-256), the core completes the result. The same instant for both
  // halves: signing is a pure function of the request and the instant.
  async function signWithWebCrypto(request, stringToSignJson, finishJson) {
    const json = utf8(toJson(request));
    const now = Date.now();
    const { stringToSign } = unwrap(JSON.parse(stringToSignJson(json, now)));
    const key = await importRsaKey(request.credentials.serviceAccount.private_key);
    const sig = await globalThis.crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, new TextEncoder().encode(stringToSign));
    return unwrap(JSON.parse(finishJson(json, now, hex(new Uint8Array(sig)))));
  }
  const serviceAccount = (r) => r && r.provider === "gcs" && r.credentials && r.credentials.serviceAccount;
  async function presignAsync(request) {
    if (!serviceAccount(request)) return presign(request);
    return signWithWebCrypto(request, glue.gcsStringToSignJson, glue.gcsFinishJson);
  }
  // Browser form uploads (S3 / GCS POST policy): { url, fields: [[name, value], ...], expiresAt }.
  function presignPost(request) {
    return unwrap(JSON.parse(glue.presignPostJson(utf8(toJson(request)), Date.now())));
  }
  async function presignPostAsync(request) {
    if (!serviceAccount(request)) return presignPost(request);
    return signWithWebCrypto(request, glue.gcsPostStringToSignJson, glue.gcsPostFinishJson);
  }
  // The bucket's CORS configuration for these presigned requests (results or request objects),
  // in the provider's native format: { provider, format, rules, allowedOrigins, ... }.
  function corsRules(options) {
    if (options === null || typeof options !== "object") {
      throw new PresignError("INVALID_REQUEST", "corsRules takes { provider, origins, requests }");
    }
    return unwrap(JSON.parse(glue.corsRulesJson(utf8(options))));
  }
  const api = { presign, presignMany, presignAsync, presignPost, presignPostAsync, corsRules };
  // `presign/verify` only: checks a presigned URL as the storage server would. Returns the
  // verdict ({ valid: true, ... } or { valid: false, error: { code, message } }); throws
  // PresignError only for input that is not a verify request.
  if (glue.verifyJson) {
    api.verify = function verify(request) {
      if (request === null || typeof request !== "object") {
        throw new PresignError("INVALID_REQUEST", "verify takes { url, method, headers, credentials }");
      }
      const out = JSON.parse(glue.verifyJson(utf8(request), Date.now()));
      if (!out.valid && out.error && out.error.code === "INVALID_REQUEST") unwrap(out);
      return out;
    };
  }
  return api;
}
