// The edge signer: a Cloudflare Worker (deploy with `wrangler deploy`, see README.md here; the demo
// runs it under workerd through demo.js, which adds the page). It holds the storage credentials in its
// bindings, lets only authenticated callers sign (auth.js: a bearer JWT or a session cookie), keeps
// each caller under their own key prefix, checks what they ask for (content type, size) and answers
// with presigned URLs made by the `presign` npm package. The browser then talks to the storage
// directly; no file passes through here. Every URL signed is logged as one JSON line.
//
// Every /api/ route needs a caller (401 with `WWW-Authenticate: Bearer` otherwise), except the demo's
// token endpoint:
//   GET  /api/config              providers configured, the caller's key prefix, size limits (maxBytes,
//                                 maxUploadBytes), allowed types, the checksum parts carry (partChecksums)
//   POST /api/sign                {provider, op: "upload"|"download"|"head", key, contentType?, size?}
//                                 -> {url, method, headers, expiresAt, key} or {error: {code, message}}
//   POST /api/form                {provider, key, contentType, size} -> a browser form upload under a
//                                 POST policy ({url, fields: [[name, value]...], expiresAt, key}), from
//                                 `presignPost` / `presignPostAsync`: the same checks as /api/sign, and
//                                 the policy itself pins the key, the content type (exact, or its family
//                                 `type/` when the allowed entry is `type/*`) and the size range
//                                 0..MAX_BYTES, so the storage enforces them. Azure has no POST policy:
//                                 the answer is the library's UNSUPPORTED error (the page then uses a SAS PUT).
//   GET  /api/cors?provider=s3    the CORS configuration the storage needs for this page's origin, from
//                                 `corsRules` over the requests this worker signs (upload, download and,
//                                 for S3 and GCS, the form POST): {provider, origin, rule, format, how,
//                                 allowedOrigins, allowedMethods, allowedHeaders, exposedHeaders, maxAge,
//                                 requests (the method and headers fed to corsRules)}
// Uploads in parts (S3 multipart upload, Azure blocks, GCS XML API multipart upload; `presign/multipart`),
// for files up to MAX_UPLOAD_BYTES. The worker keeps no state: every call carries the upload's
// {provider, key, contentType, size, partSize?, checksum?} (checked again each time: key prefix,
// allowed type, size limit), and the browser sends every request to the storage itself:
//   POST /api/upload/start        {provider, key, contentType, size, partSize?, checksum?} -> {key, provider,
//                                 size, partSize, partCount, checksum?, parts: [{partNumber, offset, length}],
//                                 create} — `create` is the signed request that starts the upload and answers
//                                 its upload id (S3, GCS; null for Azure, whose blocks need no session)
//   POST /api/upload/parts        {...upload, uploadId, partNumbers: [n...] (at most 100), digests?: [base64...]}
//                                 -> {parts: [{url, method, headers, expiresAt, part}]} (a digest per part
//                                 when the upload names a checksum: its header is signed where the provider
//                                 signs headers)
//   POST /api/upload/complete     {...upload, uploadId, parts: [{partNumber, etag, digest?}]} -> {url, method,
//                                 headers, body, expiresAt}: the browser sends it (the XML body as given)
//   POST /api/upload/abort        {...upload, uploadId} -> the signed DELETE (S3, GCS; Azure: UNSUPPORTED, 501)
//   POST /api/upload/list         {...upload, uploadId} -> the signed list request (resuming after a reload)
//   POST /api/upload/answer       {provider, step: "create"|"list"|"complete", status, body} -> the answer
//                                 read by `uploadResponse` ({uploadId}, {parts, isTruncated}, {ok: true}) or
//                                 its error (SERVICE_ERROR with the storage's code and message). Signs nothing.
// The worker only signs, also the complete step: it never talks to the storage, so it needs no route to
// the bucket, holds no request open while the storage assembles a large object, and nothing the storage
// answers passes through it unless the page asks it to read an answer (/api/upload/answer).
// The size limit bounds the plan (part numbers); S3 and GCS part URLs do not sign Content-Length, so the
// bytes of each part are not pinned by the signature (see README.md: check the object's size after complete).
//   POST /api/demo-token          DEMO ONLY, exists only when the DEMO_TOKENS binding is set (www/demo.sh
//                                 sets it, wrangler.toml does not): a short-lived HS256 token for the
//                                 user DEMO_SUB (default "demo"), signed with JWT_SECRET: {token, expiresAt, sub}
//
// Keys: a caller may only sign keys under USER_PREFIX with `{sub}` replaced by their token's subject
// (default "users/{sub}/"); a key with a `..` or `.` or empty segment, a leading `/`, a backslash, a
// percent-encoded escape (%XX) or a control character is refused (403), and so is a key under
// another prefix (403 KEY_PREFIX). A USER_PREFIX without `{sub}` (one prefix for everybody) is only
// accepted with DEMO_TOKENS.
//
// Bindings (text): authentication, see auth.js (JWT_SECRET, JWKS, JWKS_URL, JWT_ISSUER, JWT_AUDIENCE,
// LEEWAY, SESSION_SECRET, SESSION_COOKIE); USER_PREFIX; MAX_BYTES (default 10485760: single PUTs and
// forms), MAX_UPLOAD_BYTES (default 5368709120, 5 GiB: uploads in parts), ALLOWED_TYPES
// (comma list, `type/*` allowed; default "image/*,text/plain,application/pdf,application/octet-stream"),
// EXPIRES_IN (seconds, default 600), ORIGIN (the page's origin for CORS rules and the session cookie's
// Origin check; default: this worker's);
// S3_ENDPOINT, S3_REGION, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY;
// AZURE_CONNECTION_STRING, AZURE_CONTAINER; GCS_ENDPOINT, GCS_BUCKET, GCS_SERVICE_ACCOUNT (key JSON),
// GCS_FORM_ENDPOINT (an emulator for GCS form uploads; default GCS_ENDPOINT — the demo points it
// at fake-gcs-server itself, which verifies no POST policy, see demo.sh); DEMO_TOKENS, DEMO_SUB.
import { presignAsync, PresignError } from "presign";
import { presignPostAsync } from "presign/post";
import { corsRules } from "presign/cors";
import { planUploadAsync, uploadRequestAsync, uploadResponse } from "presign/multipart";
import { authenticate, AuthError, signHs256 } from "./auth.js";

const LABELS = { s3: "S3 (SeaweedFS)", azure: "Azure Blob (Azurite)", gcs: "Google Cloud Storage (fake-gcs + verifying proxy)" };

function settings(env) {
  return {
    maxBytes: Number(env.MAX_BYTES || 10 * 1024 * 1024),
    maxUploadBytes: Number(env.MAX_UPLOAD_BYTES || 5 * 1024 * 1024 * 1024),
    allowedTypes: (env.ALLOWED_TYPES || "image/*,text/plain,application/pdf,application/octet-stream")
      .split(",").map((s) => s.trim().toLowerCase()).filter(Boolean),
    expiresIn: Number(env.EXPIRES_IN || 600),
  };
}

function configured(env) {
  const out = [];
  if (env.S3_ENDPOINT && env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY) out.push("s3");
  if (env.AZURE_CONNECTION_STRING) out.push("azure");
  if (env.GCS_ENDPOINT && env.GCS_SERVICE_ACCOUNT) out.push("gcs");
  return out;
}

class Refused extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function json(body, status = 200) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

// The caller's key prefix: USER_PREFIX with {sub} replaced (auth.js allows only plain names as sub).
function userPrefix(env, sub) {
  const template = env.USER_PREFIX || "users/{sub}/";
  if (!template.includes("{sub}") && !env.DEMO_TOKENS) {
    throw new Refused(500, "CONFIG", "USER_PREFIX must contain {sub}: without it every user shares one prefix");
  }
  return template.split("{sub}").join(sub);
}

// The object key: under the caller's prefix, which it cannot leave: no empty, `.` or `..` segments,
// no leading "/", no backslash, no percent-encoded escape, no control characters.
function checkKey(key, prefix) {
  if (typeof key !== "string" || key.length === 0) throw new Refused(400, "BAD_KEY", "the key is missing");
  if (new TextEncoder().encode(key).length > 512) throw new Refused(400, "BAD_KEY", "the key is longer than 512 bytes");
  if (/[\u0000-\u001f\u007f-\u009f]/.test(key)) throw new Refused(403, "BAD_KEY", "the key contains control characters");
  if (key.startsWith("/")) throw new Refused(403, "BAD_KEY", 'the key starts with "/"');
  if (key.includes("\\")) throw new Refused(403, "BAD_KEY", "the key contains a backslash");
  if (/%[0-9A-Fa-f]{2}/.test(key)) throw new Refused(403, "BAD_KEY", "the key contains a percent-encoded escape (%XX): send the key itself");
  if (key.split("/").some((s) => s === "." || s === "..")) throw new Refused(403, "BAD_KEY", "the key has a '.' or '..' path segment");
  if (!key.startsWith(prefix)) throw new Refused(403, "KEY_PREFIX", `keys must start with "${prefix}"`);
  const rest = key.slice(prefix.length);
  if (rest.length === 0 || rest.split("/").some((s) => s === "")) {
    throw new Refused(400, "BAD_KEY", "the key has an empty path segment");
  }
}

function checkType(type, allowed) {
  const t = String(type || "").toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(t)) {
    throw new Refused(400, "BAD_TYPE", `"${type}" is not a media type`);
  }
  const ok = allowed.some((a) => a === t || (a.endsWith("/*") && t.startsWith(a.slice(0, -1))));
  if (!ok) throw new Refused(403, "TYPE_NOT_ALLOWED", `files of type ${t} are not accepted (allowed: ${allowed.join(", ")})`);
  return t;
}

// The allowed entry a media type matched: "type/" for a family entry ("type/*"), null for an exact one.
function typeFamily(t, allowed) {
  if (allowed.includes(t)) return null;
  const family = allowed.find((a) => a.endsWith("/*") && t.startsWith(a.slice(0, -1)));
  return family ? family.slice(0, -1) : null;
}

function checkSize(size, max) {
  if (!Number.isSafeInteger(size) || size < 0) throw new Refused(400, "BAD_SIZE", "the size must be a whole number of bytes");
  if (size > max) throw new Refused(413, "TOO_LARGE", `the file is ${size} bytes; the limit is ${max} bytes`);
}

// Content-Disposition for downloads: an ASCII fallback name and the exact UTF-8 name (RFC 6266).
function attachment(key) {
  const name = key.split("/").pop();
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const utf8 = encodeURIComponent(name).replace(/['()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

function request(env, provider, method, key, extra) {
  const s = settings(env);
  if (provider === "s3") {
    return {
      provider: "s3", method, bucket: env.S3_BUCKET || "presign-demo", key, endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION || "us-east-1", urlStyle: "path", expiresIn: s.expiresIn,
      credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
      headers: extra.headers || {}, query: extra.query || {},
    };
  }
  if (provider === "azure") {
    const r = {
      provider: "azure", method, container: env.AZURE_CONTAINER || "presign-demo", blob: key, expiresIn: s.expiresIn,
      credentials: { connectionString: env.AZURE_CONNECTION_STRING },
    };
    if (extra.disposition) r.responseHeaders = { contentDisposition: extra.disposition };
    return r;
  }
  return {
    provider: "gcs", method, bucket: env.GCS_BUCKET || "presign-demo", object: key, endpoint: env.GCS_ENDPOINT,
    urlStyle: "path", expiresIn: s.expiresIn, credentials: { serviceAccount: JSON.parse(env.GCS_SERVICE_ACCOUNT) },
    headers: extra.headers || {}, query: extra.query || {},
  };
}

// A form upload's POST policy request: the checked key, the content type (exact, or the allowed
// family as a starts-with condition) and the size range 0..MAX_BYTES, all enforced by the storage.
function postRequest(env, provider, key, type, family) {
  const s = settings(env);
  const common = {
    key, expiresIn: s.expiresIn, contentLengthRange: { min: 0, max: s.maxBytes },
    ...(family ? { contentTypePrefix: family } : { contentType: type }),
  };
  if (provider === "s3") {
    return {
      provider: "s3", bucket: env.S3_BUCKET || "presign-demo", endpoint: env.S3_ENDPOINT, region: env.S3_REGION || "us-east-1",
      urlStyle: "path", credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }, ...common,
    };
  }
  if (provider === "gcs") {
    return {
      provider: "gcs", bucket: env.GCS_BUCKET || "presign-demo", endpoint: env.GCS_FORM_ENDPOINT || env.GCS_ENDPOINT, urlStyle: "path",
      credentials: { serviceAccount: JSON.parse(env.GCS_SERVICE_ACCOUNT) }, ...common,
    };
  }
  // Azure has no POST policy: the library answers UNSUPPORTED, naming the SAS PUT alternative.
  return { provider, bucket: env.AZURE_CONTAINER || "presign-demo", ...common };
}

async function form(env, body, prefix) {
  const s = settings(env);
  const provider = body && body.provider;
  if (!configured(env).includes(provider)) {
    throw new Refused(400, "NO_PROVIDER", `provider "${provider}" is not configured on this worker`);
  }
  checkKey(body.key, prefix);
  // In a form's key, ${filename} is replaced by the storage with the uploaded file's name.
  if (body.key.includes("${")) throw new Refused(400, "BAD_KEY", 'the key must not contain "${"');
  const type = checkType(body.contentType, s.allowedTypes);
  checkSize(body.size, s.maxBytes);
  const out = await presignPostAsync(postRequest(env, provider, body.key, type, typeFamily(type, s.allowedTypes)));
  let url = out.url;
  // GCS's path-style form action is https://storage.googleapis.com/BUCKET/ (as in Google's POST
  // conformance cases); fake-gcs-server routes only /BUCKET. The URL is not part of the policy.
  if (provider === "gcs" && env.GCS_FORM_ENDPOINT) url = url.replace(/\/$/, "");
  const result = { url, fields: out.fields, expiresAt: out.expiresAt, key: body.key };
  if (out.warnings) result.warnings = out.warnings;
  return result;
}

// The CORS configuration for the requests this worker signs, computed by `corsRules` from the
// signed results themselves (their method and headers): an upload, a download and, where the
// provider has POST policies, the form post (multipart/form-data: no custom headers).
async function cors(env, provider, origin, prefix) {
  if (!configured(env).includes(provider)) {
    throw new Refused(404, "NO_PROVIDER", `provider "${provider}" is not configured on this worker`);
  }
  const key = prefix + "a.png";
  const signed = [
    await sign(env, { provider, op: "upload", key, contentType: "image/png", size: 1 }, prefix),
    await sign(env, { provider, op: "download", key }, prefix),
  ];
  const requests = signed.map((r) => ({ method: r.method, headers: r.headers }));
  if (provider !== "azure") requests.push({ method: "POST" });
  // an upload in parts: create, a part with its checksum header, complete, list, abort
  for (const r of await multipartSamples(env, provider, prefix)) requests.push({ method: r.method, headers: r.headers });
  const r = corsRules({ provider, origins: [origin], requests });
  const how = {
    s3: "aws s3api put-bucket-cors --bucket BUCKET --cors-configuration file://cors.json",
    azure: "PUT https://ACCOUNT.blob.core.windows.net/?restype=service&comp=properties with this body",
    gcs: "gcloud storage buckets update gs://BUCKET --cors-file=cors.json",
  }[provider];
  return {
    provider, origin, rule: r.rules, format: r.format, how, allowedOrigins: r.allowedOrigins, allowedMethods: r.allowedMethods,
    allowedHeaders: r.allowedHeaders,
    exposedHeaders: r.exposedHeaders, maxAge: r.maxAge, requests,
  };
}

// --- uploads in parts --------------------------------------------------------------------------

// The checksum the demo page gives its parts, one the storage verifies on each part: CRC-32C for S3 and
// GCS; MD5 for Azure (Content-MD5: Azure verifies MD5 and CRC-64, Azurite only MD5).
const PAGE_CHECKSUM = { s3: "crc32c", gcs: "crc32c", azure: "md5" };

// The upload's input for presign/multipart after the checks: the target and the upload's members.
function uploadInput(env, body, prefix) {
  const s = settings(env);
  const provider = body && body.provider;
  if (!configured(env).includes(provider)) {
    throw new Refused(400, "NO_PROVIDER", `provider "${provider}" is not configured on this worker`);
  }
  checkKey(body.key, prefix);
  const type = checkType(body.contentType, s.allowedTypes);
  checkSize(body.size, s.maxUploadBytes);
  if (body.size === 0) throw new Refused(400, "BAD_SIZE", "an empty file is sent with one PUT (/api/sign)");
  const input = { ...request(env, provider, "PUT", body.key, {}), size: body.size, contentType: type };
  if (body.partSize !== undefined) input.partSize = body.partSize;
  if (body.checksum !== undefined) input.checksum = body.checksum;
  if (body.uploadId !== undefined) {
    if (typeof body.uploadId !== "string" || body.uploadId.length > 1024) throw new Refused(400, "BAD_UPLOAD_ID", "uploadId must be a string");
    input.uploadId = body.uploadId;
  }
  return input;
}

const stepResult = (r, key) => {
  const out = { url: r.url, method: r.method, headers: r.headers, expiresAt: r.expiresAt, key };
  if (r.body !== undefined) out.body = r.body;
  if (r.part !== undefined) out.part = r.part;
  return out;
};

async function uploadStart(env, body, prefix) {
  const plan = await planUploadAsync(uploadInput(env, body, prefix));
  const out = {
    key: body.key, provider: plan.provider, size: plan.size, partSize: plan.partSize, partCount: plan.partCount,
    parts: plan.parts.map((p) => p.part || p), create: plan.create && stepResult(plan.create, body.key),
  };
  if (plan.checksum) out.checksum = plan.checksum;
  return out;
}

async function uploadParts(env, body, prefix) {
  const input = uploadInput(env, body, prefix);
  const numbers = body.partNumbers;
  if (!Array.isArray(numbers) || numbers.length === 0 || numbers.length > 100) {
    throw new Refused(400, "BAD_PARTS", "partNumbers: an array of 1 to 100 part numbers");
  }
  const digests = body.digests;
  if (digests !== undefined && (!Array.isArray(digests) || digests.length !== numbers.length)) {
    throw new Refused(400, "BAD_PARTS", "digests: one per part number, in the same order");
  }
  const parts = [];
  for (let i = 0; i < numbers.length; i++) {
    const step = { ...input, step: "part", partNumber: numbers[i] };
    if (digests) step.digest = digests[i];
    parts.push(stepResult(await uploadRequestAsync(step), body.key));
  }
  return { parts };
}

async function uploadStep(env, body, prefix, step) {
  const input = { ...uploadInput(env, body, prefix), step };
  if (step === "complete") input.parts = body.parts;
  return stepResult(await uploadRequestAsync(input), body.key);
}

// A step's answer read by the library (no signing): what the page got from the storage.
function uploadAnswer(body) {
  if (!body || typeof body.body !== "string" || body.body.length > 1 << 20) {
    throw new Refused(400, "BAD_ANSWER", "{provider, step, status, body}: body is the answer's text (at most 1 MiB)");
  }
  return uploadResponse({ provider: body.provider, step: body.step, status: body.status, body: body.body });
}

// The requests an upload in parts makes, as the page sends them (for the CORS rules).
async function multipartSamples(env, provider, prefix) {
  // a type the worker allows (the value is not part of the rule, only the header's name)
  const allowed = settings(env).allowedTypes;
  const type = allowed.includes("application/octet-stream") ? "application/octet-stream" : allowed[0].replace(/\*$/, "x");
  const base = { provider, key: prefix + "a.bin", contentType: type, size: 6 * 1024 * 1024, partSize: 5 * 1024 * 1024 };
  if (PAGE_CHECKSUM[provider]) base.checksum = PAGE_CHECKSUM[provider];
  const zero = { crc32c: "AAAAAA==", md5: "AAAAAAAAAAAAAAAAAAAAAA==" }[base.checksum];
  const out = [];
  if (provider !== "azure") out.push((await uploadStart(env, base, prefix)).create);
  const id = { ...base, uploadId: "ID" };
  out.push(...(await uploadParts(env, { ...id, partNumbers: [1], digests: zero ? [zero] : undefined }, prefix)).parts);
  const parts = [1, 2].map((n) => ({ partNumber: n, etag: '"e"', digest: zero }));
  out.push(await uploadStep(env, { ...id, parts }, prefix, "complete"));
  out.push(await uploadStep(env, id, prefix, "list"));
  if (provider !== "azure") out.push(await uploadStep(env, id, prefix, "abort"));
  return out;
}

async function sign(env, body, prefix) {
  const s = settings(env);
  const provider = body && body.provider;
  if (!configured(env).includes(provider)) {
    throw new Refused(400, "NO_PROVIDER", `provider "${provider}" is not configured on this worker`);
  }
  checkKey(body.key, prefix);
  let req;
  if (body.op === "upload") {
    const type = checkType(body.contentType, s.allowedTypes);
    checkSize(body.size, s.maxBytes);
    if (provider === "s3") {
      // content-length is signed: S3 refuses a body of any other size.
      req = request(env, provider, "PUT", body.key, { headers: { "content-type": type, "content-length": String(body.size) } });
    } else if (provider === "gcs") {
      // GCS enforces x-goog-content-length-range on upload.
      req = request(env, provider, "PUT", body.key, { headers: { "content-type": type, "x-goog-content-length-range": `0,${s.maxBytes}` } });
    } else {
      req = request(env, provider, "PUT", body.key, {}); // an Azure SAS signs no headers: the size was checked above
    }
  } else if (body.op === "download") {
    const d = attachment(body.key);
    req = request(env, provider, "GET", body.key, { disposition: d, query: { "response-content-disposition": d } });
  } else if (body.op === "head") {
    req = request(env, provider, "HEAD", body.key, {});
  } else {
    throw new Refused(400, "BAD_OP", 'op must be "upload", "download" or "head"');
  }
  const out = await presignAsync(req);
  const result = { url: out.url, method: out.method, headers: out.headers, expiresAt: out.expiresAt, key: body.key };
  // The browser sets content-length itself (a forbidden header name); it is signed for S3 and must equal the size.
  if (result.headers["content-length"] !== undefined) {
    result.browserSets = ["content-length"];
  }
  return result;
}

async function readJson(request) {
  try {
    return await request.json();
  } catch {
    throw new Refused(400, "BAD_JSON", "the request body is not JSON");
  }
}

// One JSON line per URL signed: who, what, until when. No token, secret or URL (a URL is a bearer credential).
function audit(caller, provider, op, result) {
  console.log(JSON.stringify({
    time: new Date().toISOString(), sub: caller.sub, via: caller.via, provider, op, key: result.key,
    method: result.method || "POST", expiresAt: result.expiresAt,
  }));
}

function unauthorized(e) {
  const error = e.code === "UNAUTHENTICATED" ? "" : ', error="invalid_token"';
  const r = json({ error: { code: e.code, message: e.message } }, 401);
  r.headers.set("www-authenticate", `Bearer realm="presign"${error}`);
  return r;
}

// The demo's token endpoint (only with DEMO_TOKENS): a short-lived HS256 token for DEMO_SUB.
async function demoToken(env) {
  if (!env.JWT_SECRET) throw new Refused(500, "CONFIG", "DEMO_TOKENS needs JWT_SECRET");
  const now = Math.floor(Date.now() / 1000);
  const ttl = Math.min(Number(env.DEMO_TOKEN_SECONDS || 600), 3600);
  const claims = { sub: env.DEMO_SUB || "demo", iat: now, exp: now + ttl };
  if (env.JWT_ISSUER) claims.iss = env.JWT_ISSUER;
  if (env.JWT_AUDIENCE) claims.aud = env.JWT_AUDIENCE;
  return { token: await signHs256(claims, env.JWT_SECRET), expiresAt: new Date(claims.exp * 1000).toISOString(), sub: claims.sub };
}

// A page on another origin (ORIGIN) calls the API with an Authorization header: the browser asks
// first (preflight). Only ORIGIN is allowed, and without credentials (cookies): it sends a bearer token.
function withCors(request, env, response) {
  const origin = request.headers.get("origin");
  if (env.ORIGIN && origin === env.ORIGIN) {
    response.headers.set("access-control-allow-origin", origin);
    response.headers.set("access-control-expose-headers", "www-authenticate");
  }
  response.headers.append("vary", "Origin");
  return response;
}

function preflight(request, env) {
  const r = new Response(null, { status: 204 });
  if (env.ORIGIN && request.headers.get("origin") === env.ORIGIN) {
    r.headers.set("access-control-allow-methods", "GET, POST");
    r.headers.set("access-control-allow-headers", "authorization, content-type");
    r.headers.set("access-control-max-age", "600");
  }
  return withCors(request, env, r);
}

export default {
  async fetch(request, env) {
    if (request.method === "OPTIONS") return preflight(request, env);
    return withCors(request, env, await handle(request, env));
  },
};

async function handle(request, env) {
  const url = new URL(request.url);
  try {
    if (url.pathname === "/api/demo-token" && env.DEMO_TOKENS && request.method === "POST") {
      return json(await demoToken(env));
    }
    if (!url.pathname.startsWith("/api/")) {
      return json({ error: { code: "NOT_FOUND", message: `no route for ${request.method} ${url.pathname}` } }, 404);
    }
    const caller = await authenticate(request, env);
    // A cookie comes with any request the browser makes, also from other sites' pages: those are refused.
    const origin = request.headers.get("origin");
    if (caller.via === "session-cookie" && origin !== null && origin !== url.origin && origin !== env.ORIGIN) {
      throw new Refused(403, "BAD_ORIGIN", "a session cookie is only accepted from this signer's own pages");
    }
    const prefix = userPrefix(env, caller.sub);
    if (url.pathname === "/api/config") {
      const s = settings(env);
      return json({
        providers: configured(env).map((id) => ({ id, label: LABELS[id] })), sub: caller.sub,
        prefix, maxBytes: s.maxBytes, maxUploadBytes: s.maxUploadBytes, allowedTypes: s.allowedTypes, expiresIn: s.expiresIn,
        partChecksums: PAGE_CHECKSUM,
      });
    }
    if (url.pathname === "/api/cors") {
      return json(await cors(env, url.searchParams.get("provider"), env.ORIGIN || url.origin, prefix));
    }
    if (url.pathname === "/api/form" && request.method === "POST") {
      const body = await readJson(request);
      const result = await form(env, body, prefix);
      audit(caller, body.provider, "form", result);
      return json(result);
    }
    const UPLOAD = { "/api/upload/start": "create", "/api/upload/parts": "part", "/api/upload/complete": "complete",
      "/api/upload/abort": "abort", "/api/upload/list": "list", "/api/upload/answer": "answer" };
    if (UPLOAD[url.pathname] && request.method === "POST") {
      const body = await readJson(request);
      const op = UPLOAD[url.pathname];
      if (op === "answer") return json(uploadAnswer(body));
      const result = op === "create" ? await uploadStart(env, body, prefix) : op === "part" ? await uploadParts(env, body, prefix)
        : await uploadStep(env, body, prefix, op);
      // one audit line per URL signed
      for (const r of op === "create" ? (result.create ? [result.create] : []) : op === "part" ? result.parts : [result]) {
        audit(caller, body.provider, `upload-${op}`, r);
      }
      return json(result);
    }
    if (url.pathname === "/api/sign" && request.method === "POST") {
      const body = await readJson(request);
      const result = await sign(env, body, prefix);
      audit(caller, body.provider, body.op, result);
      return json(result);
    }
    return json({ error: { code: "NOT_FOUND", message: `no route for ${request.method} ${url.pathname}` } }, 404);
  } catch (e) {
    if (e instanceof AuthError) {
      return e.status === 401 ? unauthorized(e) : json({ error: { code: e.code, message: e.message } }, e.status);
    }
    if (e instanceof Refused) return json({ error: { code: e.code, message: e.message } }, e.status);
    if (e instanceof PresignError) return json({ error: { code: e.code, message: e.message } }, e.code === "UNSUPPORTED" ? 501 : 400);
    return json({ error: { code: "INTERNAL", message: String(e && e.message || e) } }, 500);
  }
}
