// The JS face of presign, shared by every entry (presign, presign/s3, …, presign/verify) and
// runtime (node, node CJS, workerd, deno, browser). It only converts: request objects to request
// JSON (instants normalised), the clock reading, result JSON to objects, error objects to
// PresignError. Signing happens in the wasm core. Each function is made by its own factory over
// an entry's wasm-bindgen glue, so a bundler keeps only the functions an entry exports.

/** An error from presign: `code` is stable (INVALID_KEY, INVALID_HEADER, ...). */
export class PresignError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "PresignError";
    this.code = code;
  }
}

// An instant as the core reads it: RFC 3339 text, or Unix ms (>= 0) for a Date or a number
// (stringifying a Date costs ~0.7 µs more each). Messages name the member, never the value.
function instant(name, v) {
  if (v === undefined || v === null || typeof v === "string") return v ?? undefined;
  let ms;
  if (v instanceof Date) {
    ms = v.getTime();
    if (Number.isNaN(ms)) throw new PresignError("INVALID_TIME", `\`${name}\`: an invalid Date`);
  } else if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new PresignError("INVALID_TIME", `\`${name}\`: must be a finite number of milliseconds, not NaN or Infinity`);
    // As `new Date(v)`: whole ms within ±8.64e15.
    if (Math.abs(v) > 8.64e15) throw new PresignError("INVALID_TIME", `\`${name}\`: out of range (a Date holds ±8.64e15 ms)`);
    ms = Math.trunc(v) + 0;
  } else {
    throw new PresignError("INVALID_TIME", `\`${name}\`: must be a Date, a number of milliseconds or an RFC 3339 string`);
  }
  return ms >= 0 ? ms : new Date(ms).toISOString();
}

// The request's `Instant` members (index.d.ts), and any other Date member, converted.
const INSTANTS = new Set(["signedAt", "startsOn", "expiresOn"]);
function toJson(request, what = "a request must be an object with a `provider` field") {
  if (request === null || typeof request !== "object" || Array.isArray(request)) {
    throw new PresignError("INVALID_REQUEST", what);
  }
  let copy;
  for (const k of Object.keys(request)) {
    const v = request[k];
    if (INSTANTS.has(k) ? v !== undefined && typeof v !== "string" : v instanceof Date) {
      copy ??= { ...request };
      copy[k] = instant(k, v);
    }
  }
  return copy ?? request;
}

// JSON has no NaN or Infinity: JSON.stringify writes null for them (and for an invalid Date), which
// the core reads as an absent member. A text with a null is searched for them (an explicit null
// still means absent): number members are named, with their out-of-range code; others by position.
const NUMBER_CODES = {
  expiresIn: "INVALID_EXPIRY", signedAt: "INVALID_TIME", startsOn: "INVALID_TIME", expiresOn: "INVALID_TIME",
  expiresAt: "INVALID_TIME", clockSkew: "INVALID_TIME", successActionStatus: "INVALID_REQUEST",
  maxAge: "INVALID_REQUEST", min: "INVALID_REQUEST", max: "INVALID_REQUEST",
};
const NAMED = new Set([...Object.keys(NUMBER_CODES), "credentials", "contentLengthRange"]);
// The PresignError for the first NaN, ±Infinity or invalid Date in `v`, or undefined.
function nonFinite(v, codes, path = "", key = "") {
  const bad = typeof v === "number" ? !Number.isFinite(v) : v instanceof Date && Number.isNaN(v.getTime());
  if (bad) {
    const what = v instanceof Date ? "an invalid Date" : "must be a finite number, not NaN or Infinity";
    return new PresignError(codes[key] || "INVALID_REQUEST", `\`${path}\`: ${what}`);
  }
  if (v === null || typeof v !== "object" || v instanceof Date || typeof v.toJSON === "function") return undefined;
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const named = !Array.isArray(v) && NAMED.has(k);
    const e = nonFinite(v[k], codes, named ? (path ? `${path}.${k}` : k) : `${path}[${i}]`, named ? k : "");
    if (e) return e;
  }
  return undefined;
}
const VERIFY_CODES = {}; // every input error of `verify` is INVALID_REQUEST

// Encoded into one reused buffer (~9x faster than encode()), which wasm-bindgen copies at the
// call: use the view before the next utf8(), or .slice() it to keep it across an await.
const encoder = /*#__PURE__*/ new TextEncoder();
let scratch = /*#__PURE__*/ new Uint8Array(4096);
// JSON text of `value`. What JSON cannot hold (a BigInt, a cycle: JSON.stringify's TypeError, or
// nothing at all) is an INVALID_REQUEST whose message names no value.
function stringify(value) {
  try {
    const text = JSON.stringify(value);
    if (text !== undefined) return text;
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
  }
  throw new PresignError("INVALID_REQUEST", "not JSON data (a BigInt, a cycle)");
}
function utf8(value, codes = NUMBER_CODES) {
  const text = stringify(value);
  if (text.includes("null")) {
    const e = nonFinite(value, codes);
    if (e) throw e;
  }
  return encode(text);
}
function encode(text) {
  // At most 3 UTF-8 bytes per UTF-16 unit; large batches get their own buffer.
  if (scratch.length < text.length * 3) {
    if (text.length > 65536) return encoder.encode(text);
    scratch = new Uint8Array(text.length * 3);
  }
  return scratch.subarray(0, encoder.encodeInto(text, scratch).written);
}

function unwrap(result) {
  if (result && result.error) throw new PresignError(result.error.code, result.error.message);
  return result;
}

// One URL's answer from the wasm (its `answer`): a JSON object (an error, or a result with
// warnings), or the result as lines (`result`), read here without JSON.parse. (Exported for
// benches/npm.mjs; no entry re-exports it.)
export function answer(text) {
  return text.charCodeAt(0) === 123 ? unwrap(JSON.parse(text)) : result(text, 0);
}

// The result at `i` in an answer, as JSON would give it: a line of JSON (an error, a result with
// warnings), or the lines url, method, expiresAt, the number of headers, then their names and
// values, each line ended by a line break (src/wasm/mod.rs `push_after_url`: the one line format of
// every URL entry's build but the JSON ones' browser builds). `after` is left after its last line.
let after = 0;
function result(text, i) {
  const line = () => text.slice(i, (i = text.indexOf("\n", i) + 1) - 1);
  const url = line();
  let out;
  if (url.charCodeAt(0) === 123) out = JSON.parse(url);
  else {
    const method = line(), expiresAt = line();
    let headers = {};
    for (let n = +line(); n > 0; n--) {
      const name = line();
      // A computed key makes an own member, as JSON.parse does (assigning would set the prototype).
      if (name === "__proto__") headers = { ...headers, [name]: line() };
      else headers[name] = line();
    }
    out = { url, method, headers, expiresAt };
  }
  after = i;
  return out;
}

// A batch's answer from the wasm: a JSON array (the browser builds), an error object for the
// whole batch, or a line break and then each result as `result` reads it (the server builds).
// (Exported for benches/npm.mjs, as `answer`.)
export function answers(text) {
  if (text.charCodeAt(0) !== 10) {
    const out = JSON.parse(text);
    if (!Array.isArray(out)) unwrap(out);
    return out;
  }
  const out = [];
  for (let i = 1; i < text.length; i = after) out.push(result(text, i));
  return out;
}

function hex(bytes) {
  let s = "";
  for (const b of bytes) s += (b < 16 ? "0" : "") + b.toString(16);
  return s;
}

// The DER inside a PEM block of `label` (key files may carry "\\n" escapes); throws PresignError.
function pemDer(pem, label, hint) {
  const text = typeof pem === "string" ? (pem.includes("\n") ? pem : pem.replace(/\\n/g, "\n")) : "";
  const m = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(text);
  if (!m) throw new PresignError("INVALID_CREDENTIALS", `the key must be PEM "${label}" ${hint}`);
  try {
    return Uint8Array.from(atob(m[1].replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  } catch {
    throw new PresignError("INVALID_CREDENTIALS", "the key has invalid base64");
  }
}

const RSA = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };

// Imported CryptoKeys by PEM (importing costs more than a signature), at most 8 of each kind.
function cached(map, pem, make) {
  let key = map.get(pem);
  if (!key) {
    try {
      key = make().catch(() => {
        map.delete(pem);
        throw new PresignError("INVALID_CREDENTIALS", "the key is not a usable RSA key");
      });
    } catch (e) {
      return Promise.reject(e);
    }
    if (map.size >= 8) map.delete(map.keys().next().value);
    map.set(pem, key);
  }
  return key;
}

const signingKeys = /*#__PURE__*/ new Map();
const verifyingKeys = /*#__PURE__*/ new Map();

// A service account's private key, for signing.
function importRsaKey(pem) {
  if (typeof pem !== "string" || pem === "") {
    return Promise.reject(new PresignError("INVALID_CREDENTIALS", "the service-account key has no private_key"));
  }
  return cached(signingKeys, pem, () => globalThis.crypto.subtle.importKey(
    "pkcs8", pemDer(pem, "PRIVATE KEY", "(PKCS#8), as in a service-account key file"), RSA, false, ["sign"]));
}

// A public key for verifying: a service account's private key (its public half) or an SPKI
// "PUBLIC KEY" PEM.
function publicRsaKey(pem, isPublic) {
  const subtle = globalThis.crypto.subtle;
  return cached(verifyingKeys, pem, () => isPublic
    ? subtle.importKey("spki", pemDer(pem, "PUBLIC KEY", "(SPKI; certificates need the Rust crate or the CLI)"), RSA, false, ["verify"])
    : subtle.importKey("pkcs8", pemDer(pem, "PRIVATE KEY", "(PKCS#8)"), RSA, true, ["sign"])
        .then((k) => subtle.exportKey("jwk", k))
        .then(({ kty, n, e }) => subtle.importKey("jwk", { kty, n, e, alg: "RS256", ext: true }, RSA, false, ["verify"])));
}

// An array signed in slices of 64 elements, all at one instant: an element that cannot even be
// converted gets its error in place; the rest are signed. `sign(bytes, now)` takes a slice's UTF-8
// JSON; `signQuick(part, now)`, if given, gives a slice's results another way, or undefined.
// Slices, not one call: a result text over V8's regular object size (~128 KB, 300 S3 URLs)
// is allocated as a large object, which made decoding a 1000-URL batch's answer ~5x slower per URL
// (0.38 against 0.07 µs, a TextDecoder micro-benchmark; benches/npm_ab.mjs: client presignMany 0.94).
function signMany(requests, sign, what, signQuick) {
  if (!Array.isArray(requests)) throw new PresignError("INVALID_REQUEST", `${what} takes an array`);
  const now = Date.now();
  const slice = (part) => {
    const out = signQuick?.(part, now);
    return out === undefined ? signSlice(part, sign, now) : out.map(inPlace);
  };
  const out = slice(requests.slice(0, 64));
  for (let i = 64; i < requests.length; i += 64) out.push(...slice(requests.slice(i, i + 64)));
  return out;
}
// A batch's result, or its error object as the PresignError put in its place.
const inPlace = (r) => (r && r.error ? new PresignError(r.error.code, r.error.message) : r);
function signSlice(requests, sign, now) {
  const early = new Map();
  const items = requests.map((r, i) => {
    try {
      return toJson(r, "each element must be an object");
    } catch (e) {
      early.set(i, e);
      return null;
    }
  });
  let text;
  try {
    text = stringify(items);
  } catch {
    // An element JSON cannot hold: its error in its place (toJSON's own errors still throw).
    items.forEach((r, i) => {
      try {
        stringify(r);
      } catch (e) {
        if (!(e instanceof PresignError)) throw e;
        early.set(i, e);
        items[i] = null;
      }
    });
    text = stringify(items);
  }
  if (text.includes("null")) {
    items.forEach((r, i) => {
      const e = r === null ? undefined : nonFinite(r, NUMBER_CODES);
      if (e) {
        early.set(i, e);
        items[i] = null;
      }
    });
    text = stringify(items);
  }
  const out = answers(sign(encode(text), now));
  return out.map((r, i) =>
    early.has(i) ? early.get(i) : inPlace(r),
  );
}

// fromJson: a JSON answer, its error object thrown. Used where an entry ships it anyway (the
// readers of signWithWebCrypto, below; presignPost, the upload functions); elsewhere
// `unwrap(JSON.parse(…))` is written out, which vite ships smaller there (with fromJson:
// presign/sigv4a +13 bytes gzip, presign/cors +10, presign/upload +9).
const fromJson = (text) => unwrap(JSON.parse(text));
// GCS signed outside the core: the core prepares the string to sign, `sign` signs it
// (RSASSA-PKCS1-v1_5 / SHA-256: WebCrypto with a service-account key, or a signer such as
// gcsSignBlobSigner's), the core completes the result. The same instant for both halves:
// signing is a pure function of the request and the instant.
async function signWithWebCrypto(request, stringToSignJson, finishJson, prepare = (r) => utf8(toJson(r)).slice(), read = fromJson, finished = fromJson) {
  const c = request.credentials;
  const signer = c.signer;
  if (signer !== undefined) {
    if (signer === null || typeof signer.sign !== "function" || typeof signer.clientEmail !== "string" || Object.keys(c).length !== 1) {
      throw new PresignError("INVALID_CREDENTIALS", "`credentials.signer`: expected { clientEmail, sign(stringToSign) } (gcsSignBlobSigner makes one), alone in `credentials`");
    }
    const serviceAccount = { type: "service_account", client_email: signer.clientEmail };
    if (signer.universeDomain !== undefined) serviceAccount.universe_domain = signer.universeDomain;
    request = { ...request, credentials: { serviceAccount } };
  }
  const json = prepare(request); // kept across the await
  const now = Date.now();
  // One string to sign ({stringToSign}), or several ({stringsToSign}: an upload plan's requests),
  // whose signatures the core takes comma-separated, in order.
  const out = read(stringToSignJson(json, now));
  const key = signer === undefined ? await importRsaKey(c.serviceAccount.private_key) : undefined;
  const signOne = async (stringToSign) => {
    if (key) return hex(new Uint8Array(await globalThis.crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, encoder.encode(stringToSign))));
    const sig = await signer.sign(stringToSign);
    if (typeof sig === "string") return sig;
    if (!(sig instanceof ArrayBuffer || ArrayBuffer.isView(sig))) throw new PresignError("INVALID_REQUEST", "the signer must return the signature as hex or bytes");
    return hex(new Uint8Array(sig.buffer || sig, sig.byteOffset || 0, sig.byteLength));
  };
  const sigs = await Promise.all((out.stringsToSign || [out.stringToSign]).map(signOne));
  return finished(finishJson(json, now, sigs.join(",")));
}
const serviceAccount = (r) => r && r.provider === "gcs" && r.credentials && (r.credentials.serviceAccount || r.credentials.signer);

/** `presign(request)`: one presigned request, synchronously. */
export function presignFn(glue) {
  return function presign(request) {
    return answer(glue.presignJson(utf8(toJson(request)), Date.now()));
  };
}

/** `presignMany(requests)`: an array in one call, a PresignError in each bad element's place. */
export function presignManyFn(glue) {
  return function presignMany(requests) {
    return signMany(requests, glue.presignManyJson, "presignMany");
  };
}

/** `presignAsync(request)`: as presign; GCS service-account keys are signed with WebCrypto, and
 * `credentials: { signer }` (e.g. gcsSignBlobSigner) signs elsewhere. */
export function presignAsyncFn(glue) {
  const presign = presignFn(glue);
  return async function presignAsync(request) {
    if (!serviceAccount(request)) return presign(request);
    return signWithWebCrypto(request, glue.gcsStringToSignJson, glue.gcsFinishJson);
  };
}

// A client's calls after its free(): refused as bad input, not with wasm-bindgen's null-pointer Error.
function freed() {
  throw new PresignError("INVALID_REQUEST", "the client was freed");
}
// The quick way of a client's calls (`presignKey`, `presignKeys`): the method's code (src/types.rs
// `Method::ALL`; other spellings take the JSON way) and the provider's member for the object.
const METHOD_CODE = { __proto__: null, GET: 1, PUT: 2, HEAD: 3, DELETE: 4, POST: 5 };
const OBJECT_MEMBER = { __proto__: null, s3: "key", azure: "blob", gcs: "object" };
// A client's call of only plain `method`, object member (`name`), `headers` and `expiresIn` —
// a known upper-case method, well-formed text, headers an object of such strings without line
// breaks, a safe non-negative integer lifetime, no other member, no toJSON — crosses as values:
// no JSON to write and read. quickCall gives its text (the header lines, a name's then its
// value's in JSON's order, then the key) and leaves its numbers in `quick` (-1: absent);
// undefined for any other call, which takes the JSON way.
const quick = { method: 0, headers: -1, expiresIn: -1, keyLength: 0 };
function quickCall(c, name) {
  const key = name && c?.[name];
  const m = c?.method;
  const e = c?.expiresIn;
  const h = name === "blob" ? undefined : c?.headers;
  const code = m === undefined ? 0 : typeof m === "string" ? METHOD_CODE[m] : undefined;
  if (
    typeof key !== "string" ||
    typeof c !== "object" ||
    code === undefined ||
    (e !== undefined && !(Number.isSafeInteger(e) && e >= 0)) ||
    !key.isWellFormed?.() ||
    Array.isArray(c) ||
    c.toJSON !== undefined ||
    Object.keys(c).length !== 1 + (m !== undefined) + (e !== undefined) + (h !== undefined)
  ) return undefined;
  let text = "";
  if (h !== undefined) {
    if (h === null || typeof h !== "object" || Array.isArray(h) || h.toJSON !== undefined) return undefined;
    const names = Object.keys(h);
    for (let i = 0; i < names.length; i++) {
      const n = names[i];
      const v = h[n];
      if (typeof v !== "string" || !n.isWellFormed() || !v.isWellFormed() || n.includes("\n") || v.includes("\n")) return undefined;
      text += n + "\n" + v + "\n";
    }
    quick.headers = names.length;
  } else quick.headers = -1;
  quick.method = code;
  quick.expiresIn = e ?? -1;
  quick.keyLength = key.length;
  return text + key;
}
// A client's call that is not an object.
const NOT_A_CALL = "a call must be an object (its members go over the configuration's)";

/**
 * `createPresigner(config)`: a client. The configuration (provider, credentials, region, bucket,
 * defaults…) crosses into wasm once and its derived keys are cached there; each call carries only
 * what changes. A call gives what `presign({...config, ...call})` gives. The server builds' calls
 * of plain values take the quick way (`quickCall`), the rest cross as JSON.
 */
export function createPresignerFn(glue) {
  return (config) => clientOver(glue, config, (live, name) => ({
    one(c) {
      const text = quickCall(c, name);
      return text === undefined ? undefined : answer(live().presignKey(quick.method, quick.headers, text, quick.expiresIn, Date.now()));
    },
    many(part, now) {
      // A slice of quick calls only, each after a line of its numbers (`presignKeys`).
      let text = "";
      for (let i = 0; i < part.length; i++) {
        const t = quickCall(part[i], name);
        if (t === undefined) return undefined;
        text += `${quick.method} ${quick.headers} ${quick.expiresIn} ${quick.keyLength}\n${t}`;
      }
      return answers(live().presignKeys(encode(text), now));
    },
  }));
}

/** `createPresigner(config)` of the browser builds of presign/sigv4a and presign/s3express: every
 * call as JSON (their wasm has no quick way). */
export function createPresignerJsonFn(glue) {
  return (config) => clientOver(glue, config);
}

// A client over the glue's PresignerClient; `quickWay(live, name)`, if given, its calls' quick
// way (`one(call)`, `many(slice, now)`: a result, or undefined for the JSON way).
function clientOver(glue, config, quickWay) {
  let client = new glue.PresignerClient(utf8(toJson(config)));
  const error = client.error();
  if (error) {
    client.free();
    unwrap(JSON.parse(error));
  }
  const call = (c) => utf8(toJson(c, NOT_A_CALL));
  const live = () => client || freed();
  // The provider's member for the object, when the configuration's JSON is the object itself.
  const quickly = quickWay?.(live, typeof config.toJSON === "function" ? undefined : OBJECT_MEMBER[config.provider]);
  const free = () => {
    client?.free();
    client = null;
  };
  return {
    presign: (c) => quickly?.one(c) ?? answer(live().presign(call(c), Date.now())),
    presignMany: (calls) => signMany(calls, (bytes, now) => live().presignMany(bytes, now), "presignMany", quickly?.many),
    /** Replaces the credentials (temporary credentials rotate); the key cache follows. */
    setCredentials(credentials) {
      const e = live().update(utf8({ credentials }));
      if (e) unwrap(JSON.parse(e));
    },
    free,
    [Symbol.dispose ?? Symbol.for("Symbol.dispose")]: free,
  };
}

// ---- the URL entries' browser builds (presign, presign/s3, presign/azure, presign/gcs) -------------
// Their wasm has no JSON reader (0.3 of its size): these readers read the providers' request
// schemas — the members of the Rust schema reader (src/s3/mod.rs, src/s3/endpoint.rs,
// src/s3/store.rs, src/checksum.rs; src/azure/mod.rs, src/azure/delegation.rs,
// src/azure/permissions.rs; src/gcs/mod.rs, src/gcs/endpoint.rs), their types, and its member paths
// and codes (tests/npm_browser_parity.mjs compares them with the server builds, which read with
// Rust) — and pass what they read as fields (src/wasm/fields.rs). They check what the schema reader
// checks while reading, at the same step (the first error found is the one reported): types,
// names, required members, instants (their text through the wasm's own RFC 3339 reader), checksum
// values and letter sets. The values' own checks (key, bucket, headers, lifetime, endpoint,
// credentials) stay in the wasm, after reading.
const LONE = /\p{Cs}/u; // a lone surrogate: a pair is one code point here
const lone = (s) => LONE.test(s);
const LONE_TEXT = "a lone surrogate is not Unicode text"; // src/schema/read.rs
// The schema reader's error at `path` (terse: the path, and only the sentences it keeps).
function bad(path, text = "") {
  throw new PresignError("INVALID_REQUEST", path ? `\`${path}\`${text && ": " + text}` : text);
}
const under = (path, m) => (path ? path + (m[0] === "[" ? "" : ".") + m : m);
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
// The value as JSON gives it to the schema reader (member order, toJSON, Dates, dropped members),
// with JSON's NaN and Infinity refused as `utf8` refuses them.
function asJson(value) {
  const text = stringify(value);
  if (text.includes("null")) {
    const e = nonFinite(value, NUMBER_CODES);
    if (e) throw e;
  }
  return JSON.parse(text);
}
// Value readers: (value, path) => the field's text, or a throw.
const str = (v, p) => (typeof v !== "string" ? bad(p) : lone(v) ? bad(p, LONE_TEXT) : v);
const bool = (v, p) => (typeof v === "boolean" ? (v ? "1" : undefined) : bad(p));
const u64 = (v, p) => (typeof v === "number" && v >= 0 && v < 2 ** 64 && /^\d+$/.test((v = String(v))) ? v : bad(p));
const optional = (read) => (v, p) => (v === null ? undefined : read(v, p));
// An instant: Unix ms within years 0001-9999 (src/time.rs), or RFC 3339 text the wasm reads.
const instantOf = (glue) => (v, p) => {
  if (typeof v === "number") {
    v = u64(v, p);
    if (+v > 253402300799999) throw new PresignError("INVALID_TIME", "");
    return v;
  }
  const ms = glue.instantMillis(str(v, p));
  return Number.isNaN(ms) ? bad(p) : String(ms);
};
const when = (glue) => optional(instantOf(glue));
const oneOf = (names) => (v, p) => (names.includes(str(v, p)) ? v : bad(p, `expected one of "${names.join('" "')}"`));
const verb = (v, p) => (/^(GET|PUT|HEAD|DELETE|POST)$/i.test(str(v, p)) ? v.toUpperCase() : bad(p, "expected one of GET, PUT, HEAD, DELETE, POST"));
function pairs(v, p) {
  if (!isObject(v)) bad(p);
  const out = [];
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i], x = v[k];
    // the path made only for an error
    if (lone(k)) bad(`${p}[${i}]`, LONE_TEXT);
    if (typeof x !== "string" || lone(x)) str(x, `${p}[${i}]`);
    out.push(k, x);
  }
  return out;
}
// Reads object `o`'s members into `into` (the last one given wins); `tag` is skipped, and so is an
// unknown member when `lenient` (a key file's other fields).
function members(o, table, path, into, tag, lenient) {
  const keys = Object.keys(o);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (lone(k)) bad(under(path, `[${i}]`), LONE_TEXT);
    if (k === tag) continue;
    const read = Object.hasOwn(table, k) && table[k];
    if (read) into[k] = read(o[k], under(path, k));
    else if (!lenient) bad(under(path, `[${i}]`), "unknown member");
  }
  return into;
}
// The first required member missing.
function required(rec, names, path) {
  for (const k of names) if (rec[k] === undefined) bad(under(path, k), "missing member");
  return rec;
}
const struct = (table, names, check = (r) => r, lenient) =>
  (v, p) => (isObject(v) ? check(required(members(v, table, p, {}, undefined, lenient), names, p), p) : bad(p));
const object = (table, names, check) => optional(struct(table, names, check));
// A checksum's value: its digest in standard base64 with padding (src/checksum.rs).
const DIGEST_BYTES = { crc32: 4, crc32c: 4, crc64nvme: 8, md5: 16, sha1: 20, sha256: 32 };
function digest(c, p) {
  let bytes = "";
  try {
    bytes = atob(c.value);
  } catch {}
  return btoa(bytes) === c.value && bytes.length === DIGEST_BYTES[c.algorithm] ? c : bad(p);
}
// The S3 request's members (src/s3/mod.rs S3Request, Credentials; endpoint.rs; store.rs).
const s3Members = (glue) => ({
  method: verb, bucket: str, key: str, keyPrefix: optional(str),
  credentials: object({ accessKeyId: str, secretAccessKey: str, sessionToken: optional(str), expiresAt: when(glue) }, ["accessKeyId", "secretAccessKey"]),
  expiresIn: optional(u64), signedAt: when(glue), headers: pairs, query: pairs,
  credentialExpiry: oneOf(["warn", "error", "clamp"]), regionSet: optional(str),
  limits: object({
    size: optional(u64), maxSize: optional(u64), contentType: optional(str),
    checksum: object({ algorithm: oneOf(Object.keys(DIGEST_BYTES)), value: str }, ["algorithm", "value"], digest),
  }, []),
  region: optional(str), endpoint: optional(str), urlStyle: optional(oneOf(["virtualHosted", "path"])),
  dualstack: bool, accelerate: bool, fips: bool,
  store: oneOf(["aws", "r2", "b2", "minio", "seaweedfs", "wasabi", "gcs-xml", "custom"]), accountId: optional(str),
});
// An S3 request's values in the order of src/wasm/fields.rs.
const s3Values = (r, c = r.credentials || {}, l = r.limits || {}, k = l.checksum || {}) => [
  r.method, r.bucket, r.key, r.keyPrefix, r.credentials && "1", c.accessKeyId, c.secretAccessKey, c.sessionToken,
  c.expiresAt, r.expiresIn, r.signedAt, r.credentialExpiry, r.regionSet, r.limits && "1", l.size, l.maxSize, l.contentType,
  k.algorithm, k.value, r.region, r.endpoint, r.urlStyle, r.dualstack, r.accelerate, r.fips, r.store, r.accountId];
const s3Schema = (glue) => ({ provider: "s3", members: s3Members(glue), required: ["bucket", "key"], values: s3Values, pairs: ["headers", "query"], sign: glue.presignS3Fields });

// Azure (src/azure/mod.rs AzureRequest, Credentials, ResponseHeaders; delegation.rs
// UserDelegationKey; permissions.rs): letter sets are checked here, their letters passed on.
const letters = (valid, re = RegExp(`^[${valid}]+$`)) => optional((v, p) => (re.test(str(v, p)) ? v : bad(p)));
const AZ_CREDENTIALS = ["accountKey", "connectionString", "userDelegationKey"];
const azureCredentials = (glue) => object({
  accountKey: optional(str), connectionString: optional(str),
  userDelegationKey: object({
    signedOid: str, signedTid: str, signedStart: instantOf(glue), signedExpiry: instantOf(glue), signedService: str,
    signedVersion: str, value: str, signedDelegatedUserTid: optional(str),
  }, ["signedOid", "signedTid", "signedStart", "signedExpiry", "signedService", "signedVersion", "value"]),
}, [], (c) => {
  const given = AZ_CREDENTIALS.filter((k) => c[k] !== undefined);
  if (given.length !== 1) throw new PresignError("INVALID_CREDENTIALS", `credentials must hold exactly one of ${AZ_CREDENTIALS.join(", ")}`);
  const v = c[given[0]];
  return { ...(typeof v === "string" ? { value: v } : v), kind: given[0][0] };
});
const azureMembers = (glue) => ({
  method: verb, sas: optional(oneOf(["service", "account", "userDelegation"])), account: optional(str),
  container: optional(str), blob: optional(str), resource: optional(oneOf(["blob", "container", "directory"])),
  endpoint: optional(str), credentials: azureCredentials(glue), permissions: letters("racwdxyltfmeiup"),
  startsOn: when(glue), expiresOn: when(glue), expiresIn: optional(u64), ipRange: optional(str),
  protocol: optional(oneOf(["https", "https,http"])), identifier: optional(str), encryptionScope: optional(str),
  snapshot: optional(str), versionId: optional(str), version: optional(str),
  responseHeaders: struct({ cacheControl: optional(str), contentDisposition: optional(str), contentEncoding: optional(str), contentLanguage: optional(str), contentType: optional(str) }, []),
  services: letters("bqtf"), resourceTypes: letters("sco"), clockSkew: optional(u64), signedAt: when(glue), query: pairs,
  preauthorizedAgentObjectId: optional(str), agentObjectId: optional(str), correlationId: optional(str),
  delegatedUserObjectId: optional(str), requestHeaders: pairs, requestQuery: pairs, credentialExpiry: oneOf(["warn", "error", "clamp"]),
});
// An Azure request's values in the order of src/wasm/fields.rs.
const azureValues = (r, c = r.credentials || {}, h = r.responseHeaders || {}) => [
  r.method, r.sas, r.account, r.container, r.blob, r.resource, r.endpoint, c.kind, c.value, c.signedOid, c.signedTid,
  c.signedStart, c.signedExpiry, c.signedService, c.signedVersion, c.signedDelegatedUserTid, r.permissions, r.startsOn,
  r.expiresOn, r.expiresIn, r.ipRange, r.protocol, r.identifier, r.encryptionScope, r.snapshot, r.versionId, r.version,
  h.cacheControl, h.contentDisposition, h.contentEncoding, h.contentLanguage, h.contentType, r.services, r.resourceTypes,
  r.clockSkew, r.signedAt, r.preauthorizedAgentObjectId, r.agentObjectId, r.correlationId, r.delegatedUserObjectId,
  r.credentialExpiry];
const azureSchema = (glue) => ({ provider: "azure", members: azureMembers(glue), required: [], values: azureValues, pairs: ["query", "requestHeaders", "requestQuery"], sign: glue.presignAzureFields });

// GCS: `{ serviceAccount: <key file> }` (its other fields skipped) or `{ hmac }`, exactly one.
const GCS_KEY = /*#__PURE__*/ struct({ type: optional(str), client_email: str, private_key: optional(str), universe_domain: optional(str) }, ["client_email"], undefined, true);
const GCS_HMAC = /*#__PURE__*/ struct({ accessId: str, secret: str }, ["accessId", "secret"]);
function gcsCredentials(v, p) {
  if (!isObject(v)) bad(p);
  let out;
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (lone(k)) bad(under(p, `[${i}]`), LONE_TEXT);
    const read = k === "serviceAccount" ? GCS_KEY : k === "hmac" ? GCS_HMAC : bad(under(p, `[${i}]`), "unknown member");
    const c = read(v[k], under(p, k));
    if (out) bad(under(p, k)); // not both
    out = { ...c, kind: k[0] };
  }
  return out || bad(p);
}
const gcsMembers = (glue) => ({
  method: verb, bucket: str, object: optional(str), credentials: optional(gcsCredentials),
  headers: pairs, query: pairs, expiresIn: optional(u64), signedAt: when(glue),
  urlStyle: optional(oneOf(["path", "virtualHosted", "bucketBound"])), bucketBoundHostname: optional(str),
  scheme: optional(oneOf(["https", "http"])), endpoint: optional(str), universeDomain: optional(str),
});
const gcsValues = (r, c = r.credentials || {}) => [
  r.method, r.bucket, r.object, c.kind, c.accessId ?? c.client_email, c.secret ?? c.type, c.private_key, c.universe_domain,
  r.expiresIn, r.signedAt, r.urlStyle, r.bucketBoundHostname, r.scheme, r.endpoint, r.universeDomain];
const gcsSchema = (glue) => ({ provider: "gcs", members: gcsMembers(glue), required: ["bucket"], values: gcsValues, pairs: ["headers", "query"], sign: glue.presignGcsFields });

// The `provider` tag, found as the schema reader finds it (before the other members are read):
// required in a request and a configuration, optional in a call.
function tag(o, needed) {
  if (!isObject(o)) bad("");
  for (const k of Object.keys(o)) {
    if (lone(k)) bad("", LONE_TEXT);
    if (k === "provider") return str(o[k], k);
  }
  if (needed) bad("provider", "missing member");
}
// A browser build over its providers' schemas: read (a request or configuration, whose tag picks
// the schema; a call on top of a configuration read before, its schema), fields
// (src/wasm/fields.rs: lengths, then the values), sign. A record keeps its schema in `$`.
function fieldsOf(...schemas) {
  // Every member present from the start: one object shape per provider (fast to read: 2.5 times
  // faster for Azure's 32 members than objects that grow member by member).
  const blank = {};
  for (const s of schemas) blank[s.provider] = Object.fromEntries([...Object.keys(s.members).map((k) => [k, undefined]), ["$", s]]);
  const read = (o, needed, base) => {
    o = asJson(o);
    const p = tag(o, needed);
    base ??= Object.hasOwn(blank, p) ? blank[p] : bad("provider");
    if (p !== undefined && p !== base.$.provider) bad("provider");
    return members(o, base.$.members, "", { ...base }, "provider");
  };
  const fields = (rec, schema = rec.$) => {
    const v = schema.values(required(rec, schema.required, ""));
    for (const k of schema.pairs) {
      const list = rec[k] || [];
      v.push(String(list.length / 2), ...list);
    }
    let lens = "", text = "";
    for (const x of v) {
      if (x !== undefined) {
        lens += x.length;
        text += x;
      }
      lens += ",";
    }
    return lens + ";" + text;
  };
  return { read, fields, sign: (rec, now) => lines(rec.$.sign(fields(rec), now)) };
}
// Their wasm's answer (src/wasm/mod.rs `lines`): an error (an empty line, code, message), or the
// result as `result` reads it, then its warnings' codes and messages, each line ended by a line break.
function lines(text) {
  if (text.charCodeAt(0) === 10) {
    const i = text.indexOf("\n", 1);
    throw new PresignError(text.slice(1, i), text.slice(i + 1));
  }
  const r = result(text, 0);
  const warnings = text.slice(after);
  if (warnings) r.warnings = [...warnings.matchAll(/([^\n]*)\n([^\n]*)\n/g)].map(([, code, message]) => ({ code, message }));
  return r;
}
// Each element signed on its own; an element's error in its place.
function eachOf(list, sign) {
  if (!Array.isArray(list)) throw new PresignError("INVALID_REQUEST", "presignMany takes an array");
  const now = Date.now();
  return list.map((r) => {
    try {
      return sign(toJson(r, "each element must be an object"), now);
    } catch (e) {
      if (e instanceof PresignError) return e;
      throw e;
    }
  });
}

// The exports of a browser build that reads its requests here.
const presignWith = (f) => (request) => f.sign(f.read(toJson(request), true), Date.now());
const presignManyWith = (f) => (requests) => eachOf(requests, (r, now) => f.sign(f.read(r, true), now));
function createPresignerWith(f) {
  return function createPresigner(config) {
    let base = f.read(toJson(config), true);
    const live = () => base || freed();
    const free = () => {
      base = null;
    };
    return {
      presign: (c) => f.sign(f.read(toJson(c, NOT_A_CALL), false, live()), Date.now()),
      presignMany: (calls) => {
        if (Array.isArray(calls)) live(); // refused as a whole, as the JSON client refuses it
        return eachOf(calls, (c, now) => f.sign(f.read(c, false, base), now));
      },
      /** Replaces the credentials (temporary credentials rotate). */
      setCredentials(credentials) {
        base = f.read({ credentials }, false, live());
      },
      free,
      [Symbol.dispose ?? Symbol.for("Symbol.dispose")]: free,
    };
  };
}

/** `presign(request)` of presign/s3's browser build (the request read here). */
export function presignS3Fn(glue) {
  return presignWith(fieldsOf(s3Schema(glue)));
}
/** `presignMany(requests)` of presign/s3's browser build. */
export function presignManyS3Fn(glue) {
  return presignManyWith(fieldsOf(s3Schema(glue)));
}
/** `createPresigner(config)` of presign/s3's browser build: the configuration read here once. */
export function createPresignerS3Fn(glue) {
  return createPresignerWith(fieldsOf(s3Schema(glue)));
}
// `presign`'s browser build: the three readers, the request's tag picking one.
const allSchemas = (glue) => fieldsOf(s3Schema(glue), azureSchema(glue), gcsSchema(glue));
/** `presign(request)` of presign's browser build (the request read here). */
export function presignAllFn(glue) {
  return presignWith(allSchemas(glue));
}
/** `presignMany(requests)` of presign's browser build. */
export function presignManyAllFn(glue) {
  return presignManyWith(allSchemas(glue));
}
/** `createPresigner(config)` of presign's browser build. */
export function createPresignerAllFn(glue) {
  return createPresignerWith(allSchemas(glue));
}
/** `presignAsync(request)` of presign's browser build: GCS service accounts signed with WebCrypto. */
export function presignAsyncAllFn(glue) {
  return presignAsyncWith(glue, allSchemas(glue));
}
/** `presign(request)` of presign/azure's browser build (the request read here). */
export function presignAzureFn(glue) {
  return presignWith(fieldsOf(azureSchema(glue)));
}
/** `presignMany(requests)` of presign/azure's browser build. */
export function presignManyAzureFn(glue) {
  return presignManyWith(fieldsOf(azureSchema(glue)));
}
/** `createPresigner(config)` of presign/azure's browser build. */
export function createPresignerAzureFn(glue) {
  return createPresignerWith(fieldsOf(azureSchema(glue)));
}
/** `presign(request)` of presign/gcs's browser build (the request read here). */
export function presignGcsFn(glue) {
  return presignWith(fieldsOf(gcsSchema(glue)));
}
/** `presignMany(requests)` of presign/gcs's browser build. */
export function presignManyGcsFn(glue) {
  return presignManyWith(fieldsOf(gcsSchema(glue)));
}
/** `createPresigner(config)` of presign/gcs's browser build. */
export function createPresignerGcsFn(glue) {
  return createPresignerWith(fieldsOf(gcsSchema(glue)));
}
/** `presignAsync(request)` of presign/gcs's browser build: service accounts signed with WebCrypto. */
export function presignAsyncGcsFn(glue) {
  return presignAsyncWith(glue, fieldsOf(gcsSchema(glue)));
}
function presignAsyncWith(glue, f) {
  const presign = presignWith(f);
  return async function presignAsync(request) {
    if (!serviceAccount(request)) return presign(request);
    // The string to sign, or an error as lines.
    const read = (text) => (text[0] === "\n" ? lines(text) : { stringToSign: text });
    return signWithWebCrypto(request, glue.gcsStringToSignFields, glue.gcsFinishFields, (r) => f.fields(f.read(toJson(r), true)), read, lines);
  };
}

/** `presignPost(request)`: a browser form upload (S3 / GCS POST policy): { url, fields, expiresAt }. */
export function presignPostFn(glue) {
  return function presignPost(request) {
    return fromJson(glue.presignPostJson(utf8(toJson(request)), Date.now()));
  };
}

/** `presignPostAsync(request)`: as presignPost; GCS service-account keys are signed with WebCrypto,
 * and `credentials: { signer }` (e.g. gcsSignBlobSigner) signs elsewhere. */
export function presignPostAsyncFn(glue) {
  const presignPost = presignPostFn(glue);
  return async function presignPostAsync(request) {
    if (!serviceAccount(request)) return presignPost(request);
    return signWithWebCrypto(request, glue.gcsPostStringToSignJson, glue.gcsPostFinishJson);
  };
}

// An upload's input: the target request with the upload's members (toJson converts its instants).
const uploadInput = (input) => utf8(toJson(input, "an upload takes an object: the target request with `size` (and the step's members)"));

/** `planUpload(input)` (presign/multipart): the plan of an upload in parts, synchronously. */
export function planUploadFn(glue) {
  return function planUpload(input) {
    return fromJson(glue.planUploadJson(uploadInput(input), Date.now()));
  };
}

/** `uploadRequest(input)` (presign/multipart): one step's request (`step`: create, part, complete, abort, list, put). */
export function uploadRequestFn(glue) {
  return function uploadRequest(input) {
    return fromJson(glue.uploadRequestJson(uploadInput(input), Date.now()));
  };
}

/** `uploadResponse({ provider, step, status, body })` (presign/multipart): a step's answer read. */
export function uploadResponseFn(glue) {
  return function uploadResponse(input) {
    if (input === null || typeof input !== "object" || Array.isArray(input)) {
      throw new PresignError("INVALID_REQUEST", "uploadResponse takes { provider, step, status, body }");
    }
    return fromJson(glue.uploadResponseJson(utf8(input)));
  };
}

// The async upload functions: as the synchronous ones, but a GCS service-account key (or a
// `credentials: { signer }`) signs every request of the call through the string-to-sign seam.
const uploadSeam = (glue, plan) => [
  (bytes, now) => glue.gcsUploadStringsToSignJson(bytes, now, plan),
  (bytes, now, sigs) => glue.gcsUploadFinishJson(bytes, now, plan, sigs),
];

/** `planUploadAsync(input)`: as planUpload; GCS service-account keys are signed with WebCrypto, and `credentials: { signer }` signs elsewhere. */
export function planUploadAsyncFn(glue) {
  const planUpload = planUploadFn(glue);
  return async function planUploadAsync(input) {
    if (!serviceAccount(input)) return planUpload(input);
    return signWithWebCrypto(input, ...uploadSeam(glue, true));
  };
}

/** `uploadRequestAsync(input)`: as uploadRequest; GCS service-account keys are signed with WebCrypto, and `credentials: { signer }` signs elsewhere. */
export function uploadRequestAsyncFn(glue) {
  const uploadRequest = uploadRequestFn(glue);
  return async function uploadRequestAsync(input) {
    if (!serviceAccount(input)) return uploadRequest(input);
    return signWithWebCrypto(input, ...uploadSeam(glue, false));
  };
}

/** `corsRules(options)`: the bucket's CORS configuration for these presigned requests. */
export function corsRulesFn(glue) {
  return function corsRules(options) {
    if (options === null || typeof options !== "object") {
      throw new PresignError("INVALID_REQUEST", "corsRules takes { provider, origins, requests }");
    }
    return unwrap(JSON.parse(glue.corsRulesJson(utf8(options))));
  };
}

/**
 * `verify(request)`: checks a presigned URL as the storage server would. Returns the verdict
 * ({ valid: true, ... } or { valid: false, error: { code, message } }); throws PresignError only for
 * input that is not a verify request.
 */
export function verifyFn(glue) {
  return function verify(request) {
    if (request === null || typeof request !== "object") {
      throw new PresignError("INVALID_REQUEST", "verify takes { url, method, headers, credentials }");
    }
    const out = JSON.parse(glue.verifyJson(utf8(request, VERIFY_CODES), Date.now()));
    if (!out.valid && out.error && out.error.code === "INVALID_REQUEST") unwrap(out);
    return out;
  };
}

/**
 * `verifyAsync(request)`: as verify; GCS URLs signed with a service-account key (GOOG4-RSA-SHA256)
 * have their RSA signature checked by WebCrypto over the string to sign the core builds, and the core
 * runs every other check with that result (credentials { rsaChecked: { clientEmail, valid } }).
 */
export function verifyAsyncFn(glue) {
  const verify = verifyFn(glue);
  return async function verifyAsync(request) {
    const c = request && request.credentials;
    const sa = c && (c.serviceAccount || c.publicKey);
    const rsa = sa && typeof request.url === "string" && /[?&]X-Goog-Algorithm=GOOG4-RSA-SHA256(&|$)/.test(request.url);
    if (!rsa) return verify(request);
    const clientEmail = c.serviceAccount ? c.serviceAccount.client_email : c.publicKey.clientEmail;
    const checked = (valid, debug) => verify({ ...request, debug, credentials: { rsaChecked: { clientEmail, valid } } });
    const first = checked(false, true);
    if (first.valid || first.error.code !== "SIGNATURE_MISMATCH" || !first.error.debug) {
      return request.debug ? first : checked(false, false);
    }
    const sigHex = new URL(request.url).searchParams.get("X-Goog-Signature") || "";
    const sig = /^(?:[0-9a-f]{2})+$/.test(sigHex) ? Uint8Array.from(sigHex.match(/../g), (h) => parseInt(h, 16)) : null;
    const key = await publicRsaKey(c.serviceAccount ? c.serviceAccount.private_key : c.publicKey.pem, !c.serviceAccount);
    const valid = sig !== null && await globalThis.crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, sig,
      encoder.encode(first.error.debug.stringToSign));
    return checked(valid, request.debug);
  };
}

/**
 * A credential exchange (presign/credentials): the request built in wasm from `{kind, ...options}`,
 * sent with `fetch` (the `fetch` option replaces the runtime's; `headers` adds the caller's own,
 * e.g. a bearer token, which never enters wasm), and the answer read in wasm into the exchange's
 * result (credentials in the request schema's shape, `expiresAt` where the service says).
 * Throws PresignError (SERVICE_ERROR for the service's error document) or the fetch's own error.
 */
async function exchange(glue, kind, options, { fetch: fetchImpl = globalThis.fetch, headers, response = {} } = {}) {
  const request = unwrap(JSON.parse(glue.exchangeRequestJson(utf8(toJson({ kind, ...options }, "options must be an object")), Date.now())));
  const res = await fetchImpl(request.url, {
    method: request.method,
    headers: { ...request.headers, ...headers },
    body: request.body === "" ? undefined : request.body,
  });
  const body = await res.text();
  return unwrap(JSON.parse(glue.exchangeResponseJson(utf8({ kind, status: res.status, body, ...response }), Date.now())));
}

/**
 * A value computed by `make()` and kept until `margin` ms before its `expiresAt`; concurrent
 * callers share one pending computation. A failure is not cached.
 */
function cachedUntilExpiry(make, margin = 5 * 60 * 1000) {
  let value, pending;
  return function get() {
    if (value && Date.parse(value.expiresAt) - margin > Date.now()) return Promise.resolve(value);
    pending ??= make().then(
      (v) => { value = v; pending = undefined; return v; },
      (e) => { pending = undefined; throw e; },
    );
    return pending;
  };
}

/** The bearer token of `accessToken`: a string, or a function returning one (or `{ accessToken }`,
 * as the token providers resolve), sync or async; called for every request it authorizes. */
async function bearerToken(accessToken, what = "an Entra ID access token") {
  const v = typeof accessToken === "function" ? await accessToken() : accessToken;
  const t = v !== null && typeof v === "object" ? v.accessToken : v;
  if (typeof t !== "string" || t === "") {
    throw new PresignError("INVALID_CREDENTIALS", `\`accessToken\`: ${what} (a non-empty string, or a function returning one) is required`);
  }
  return t;
}

/**
 * `azureUserDelegationKey({ accountUrl, accessToken, start, expiry, fetch? })`: Get User Delegation
 * Key with an Entra ID bearer token (a string or an async function, e.g. a token provider); resolves
 * to `{ userDelegationKey, expiresAt }`. `accountUrl` is the account's blob endpoint
 * (`https://acct.blob.core.windows.net`, Azurite's `http://127.0.0.1:10000/devstoreaccount1`);
 * `account` (+ `endpoint`) is the other way to name it.
 */
export function azureUserDelegationKeyFn(glue) {
  return async function azureUserDelegationKey({ accessToken, accountUrl, fetch, ...options } = {}) {
    if (accountUrl !== undefined) {
      if (options.endpoint !== undefined) throw new PresignError("INVALID_REQUEST", "give `accountUrl` or `endpoint`, not both");
      options.endpoint = accountUrl;
    }
    const token = await bearerToken(accessToken);
    return exchange(glue, "azure.userDelegationKey", options, { fetch, headers: { authorization: `Bearer ${token}` } });
  };
}

const MINUTE = 60 * 1000;

/**
 * `azureUserDelegationKeyProvider({ accountUrl, accessToken, lifetime?, backdate?, refreshMargin?, fetch? })`:
 * a function resolving to `{ userDelegationKey, expiresAt }`, a key valid from `backdate` ms before
 * the request (default 5 min, for clock skew) to `lifetime` ms after it (default 1 h, at most 7 days),
 * kept until `refreshMargin` ms (default 5 min) before its expiry; concurrent callers share one request.
 */
export function azureUserDelegationKeyProviderFn(glue) {
  const get = azureUserDelegationKeyFn(glue);
  return function azureUserDelegationKeyProvider({ lifetime = 60 * MINUTE, backdate = 5 * MINUTE, refreshMargin = 5 * MINUTE, ...options } = {}) {
    return cachedUntilExpiry(() => {
      const now = Date.now();
      return get({ ...options, start: now - backdate, expiry: now + lifetime });
    }, refreshMargin);
  };
}

/**
 * `azureToken({ tenantId, clientId, clientSecret | clientAssertion, authorityHost?, scope?, fetch? })`:
 * an Entra ID access token by OAuth 2.0 client credentials (scope https://storage.azure.com/.default);
 * resolves to `{ accessToken, tokenType, expiresAt }`. `clientAssertion` (a federated JWT, e.g. the
 * workload-identity token file's content) may be an async function, read for every request.
 */
export function azureTokenFn(glue) {
  return async function azureToken({ clientAssertion, fetch, ...options } = {}) {
    if (typeof clientAssertion === "function") clientAssertion = await clientAssertion();
    if (clientAssertion !== undefined) options.clientAssertion = clientAssertion;
    return exchange(glue, "azure.token", options, { fetch });
  };
}

/**
 * `azureManagedIdentityToken({ endpoint?, identityHeader?, clientId? | objectId? | resourceId?, fetch? })`:
 * a managed identity's access token for Azure Storage, from IMDS (default) or, with `identityHeader`,
 * from App Service / Functions (pass `process.env.IDENTITY_ENDPOINT` and `IDENTITY_HEADER`); resolves
 * to `{ accessToken, tokenType, expiresAt }`.
 */
export function azureManagedIdentityTokenFn(glue) {
  return function azureManagedIdentityToken({ fetch, ...options } = {}) {
    return exchange(glue, "azure.managedIdentityToken", options, { fetch });
  };
}

/** `azureTokenProvider(options)`: azureToken's answer, kept until `refreshMargin` ms (default 5 min) before it expires. */
export function azureTokenProviderFn(glue) {
  const get = azureTokenFn(glue);
  return function azureTokenProvider({ refreshMargin = 5 * MINUTE, ...options } = {}) {
    return cachedUntilExpiry(() => get(options), refreshMargin);
  };
}

/** `azureManagedIdentityTokenProvider(options)`: azureManagedIdentityToken's answer, kept until `refreshMargin` ms (default 5 min) before it expires. */
export function azureManagedIdentityTokenProviderFn(glue) {
  const get = azureManagedIdentityTokenFn(glue);
  return function azureManagedIdentityTokenProvider({ refreshMargin = 5 * MINUTE, ...options } = {}) {
    return cachedUntilExpiry(() => get(options), refreshMargin);
  };
}

/** A value given as is, or as a function (sync or async) called for every request. */
async function fresh(v) {
  return typeof v === "function" ? v() : v;
}

/**
 * `awsWebIdentityCredentials({ roleArn, webIdentityToken, roleSessionName?, durationSeconds?, policy?,
 * policyArns?, providerId?, region?, endpoint?, refreshMargin?, fetch? })`: STS AssumeRoleWithWebIdentity
 * with an OpenID Connect token (a string, or a sync/async function called for each exchange, e.g. one
 * that reads a projected token file or asks the identity provider). Returns a function resolving to
 * `{ credentials: { accessKeyId, secretAccessKey, sessionToken, expiresAt }, expiresAt }`, kept until
 * `refreshMargin` ms (default 5 min) before they expire; concurrent callers share one request.
 * `roleSessionName` defaults to `presign-<ms since 1970>`; `fetch` replaces globalThis.fetch.
 */
export function awsWebIdentityCredentialsFn(glue) {
  return function awsWebIdentityCredentials({ webIdentityToken, roleSessionName, refreshMargin = 5 * MINUTE, fetch, ...options } = {}) {
    return cachedUntilExpiry(async () => {
      const token = await fresh(webIdentityToken);
      return exchange(glue, "aws.assumeRoleWithWebIdentity", {
        ...options,
        roleSessionName: roleSessionName ?? `presign-${Date.now()}`,
        webIdentityToken: token,
      }, { fetch });
    }, refreshMargin);
  };
}

/**
 * `cognitoCredentials({ identityPoolId, logins?, identityId?, customRoleArn?, accountId?, region?,
 * endpoint?, refreshMargin?, fetch? })`: Cognito identity pool credentials — GetId (once; skipped when
 * `identityId` is given) then GetCredentialsForIdentity. `logins` maps provider names to their tokens
 * (an object, or a sync/async function returning one, called for each exchange); without it, a guest
 * identity. Returns a function resolving to `{ identityId, credentials: { accessKeyId, secretAccessKey,
 * sessionToken, expiresAt }, expiresAt }`, kept until `refreshMargin` ms (default 5 min) before they
 * expire; concurrent callers share one request. `fetch` replaces globalThis.fetch.
 */
export function cognitoCredentialsFn(glue) {
  return function cognitoCredentials({ identityPoolId, logins, identityId, customRoleArn, accountId, region, endpoint, refreshMargin = 5 * MINUTE, fetch } = {}) {
    let id = identityId;
    return cachedUntilExpiry(async () => {
      const map = (await fresh(logins)) ?? undefined;
      if (id === undefined) {
        ({ identityId: id } = await exchange(glue, "aws.cognitoGetId", { identityPoolId, logins: map, accountId, region, endpoint }, { fetch }));
      }
      return exchange(glue, "aws.cognitoGetCredentials", { identityId: id, logins: map, customRoleArn, region, endpoint }, { fetch });
    }, refreshMargin);
  };
}

// The bytes of a chunk for the wasm Hasher: a Uint8Array as it is, another view or an ArrayBuffer
// as a Uint8Array over the same memory, a string as its UTF-8.
function chunkBytes(chunk) {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && chunk instanceof SharedArrayBuffer)) return new Uint8Array(chunk);
  if (typeof chunk === "string") return encoder.encode(chunk);
  throw new PresignError("INVALID_REQUEST", "update takes a Uint8Array, an ArrayBuffer(View) or a string");
}

// A call into the wasm Hasher, its thrown error object text turned into PresignError.
function hasherCall(f) {
  try {
    return f();
  } catch (e) {
    if (typeof e === "string") unwrap(JSON.parse(e));
    throw e;
  }
}

/**
 * `new Hasher(algorithm)` (presign/upload): a streaming upload checksum, "crc32", "crc32c",
 * "crc64nvme", "md5", "sha1" or "sha256". `update(chunk)` as often as needed, then one of
 * `digest()` (base64, the header value), `digest("hex")`, `digestBytes()` or `digestHeaders(provider)`
 * (the headers S3, Azure or GCS verify it from), which finish it. `free()` / `using` release the
 * wasm memory at once (a FinalizationRegistry does it otherwise).
 */
export function HasherFn(glue) {
  return class Hasher {
    #wasm;
    constructor(algorithm) {
      if (typeof algorithm !== "string") {
        throw new PresignError("INVALID_REQUEST", "new Hasher(algorithm): crc32, crc32c, crc64nvme, md5, sha1 or sha256");
      }
      this.#wasm = hasherCall(() => new glue.Hasher(algorithm));
      /** The algorithm's name, lower case. */
      this.algorithm = algorithm.toLowerCase();
    }
    /** Absorbs the next chunk of the body; returns this. */
    update(chunk) {
      const bytes = chunkBytes(chunk);
      hasherCall(() => this.#live().update(bytes));
      return this;
    }
    /** Finishes: the digest in base64 (default; S3 x-amz-checksum-*, Content-MD5) or hex. */
    digest(encoding = "base64") {
      if (encoding !== "base64" && encoding !== "hex") {
        throw new PresignError("INVALID_REQUEST", "digest(encoding): base64 or hex");
      }
      return hasherCall(() => this.#live().digest(encoding));
    }
    /** Finishes: the digest bytes (a CRC's value big-endian). */
    digestBytes() {
      return hasherCall(() => this.#live().digestBytes());
    }
    /** Finishes: the headers `provider` ("s3", "azure", "gcs") verifies the body from. */
    digestHeaders(provider) {
      if (provider !== "s3" && provider !== "azure" && provider !== "gcs") {
        throw new PresignError("INVALID_REQUEST", "digestHeaders(provider): s3, azure or gcs");
      }
      return JSON.parse(hasherCall(() => this.#live().digest(provider)));
    }
    #live() {
      if (!this.#wasm) throw new PresignError("INVALID_REQUEST", "this Hasher was freed");
      return this.#wasm;
    }
    /** Releases the wasm memory now; a later call throws. */
    free() {
      this.#wasm?.free();
      this.#wasm = undefined;
    }
    [Symbol.dispose ?? Symbol.for("Symbol.dispose")]() {
      this.free();
    }
  };
}

/**
 * `gcsSignBlobSigner({ serviceAccountEmail, accessToken, endpoint?, universeDomain?, fetch? })`: a GCS
 * signer for `presignAsync` / `presignPostAsync` (`credentials: { signer }`) without a private key:
 * each string to sign goes to the IAM Credentials signBlob method
 * (`https://iamcredentials.{universe}/v1/projects/-/serviceAccounts/{email}:signBlob`) with the bearer
 * token (Cloud Run, GKE Workload Identity, Compute Engine, Workload Identity Federation: a token of a
 * principal allowed iam.serviceAccounts.signBlob on the account). `accessToken` is a string or a
 * function (sync or async) returning one or `{ accessToken }`, called per signature (cache it there:
 * a signature is per string to sign, so the signer itself has nothing to cache). A plain object
 * `{ clientEmail, universeDomain, sign(stringToSign) }`, usable with any entry's presignAsync.
 */
export function gcsSignBlobSignerFn(glue) {
  return function gcsSignBlobSigner({ accessToken, fetch, ...options } = {}) {
    // The e-mail and the endpoint are checked now, not at the first signature.
    unwrap(JSON.parse(glue.exchangeRequestJson(utf8(toJson({ ...options, kind: "gcs.signBlob", stringToSign: "-" }, "options must be an object")), Date.now())));
    const { serviceAccountEmail: clientEmail, universeDomain } = options;
    return {
      clientEmail,
      universeDomain,
      async sign(stringToSign) {
        const token = await bearerToken(accessToken, "an OAuth 2.0 access token allowed to sign as the service account");
        const out = await exchange(glue, "gcs.signBlob", { ...options, stringToSign }, { fetch, headers: { authorization: `Bearer ${token}` } });
        return out.signature;
      },
    };
  };
}

/**
 * `s3ExpressSession({ bucket, region?, credentials, sessionMode?, endpoint?, fips?, dualstack?, fetch? })`:
 * S3 Express One Zone `CreateSession` for a directory bucket (`name--usw2-az1--x-s3`), signed with the
 * IAM `credentials` (long-term or STS); resolves to `{ credentials, expiresAt }`, session credentials
 * (5 minutes) ready for `credentials` in a request for that bucket.
 */
export function s3ExpressSessionFn(glue) {
  return function s3ExpressSession({ fetch, ...options } = {}) {
    return exchange(glue, "aws.s3ExpressCreateSession", options, { fetch });
  };
}

/** `s3ExpressSessionProvider(options)`: s3ExpressSession's answer, kept until `refreshMargin` ms (default 1 min: sessions last 5) before it expires. */
export function s3ExpressSessionProviderFn(glue) {
  const get = s3ExpressSessionFn(glue);
  return function s3ExpressSessionProvider({ refreshMargin = MINUTE, ...options } = {}) {
    return cachedUntilExpiry(() => get(options), refreshMargin);
  };
}
