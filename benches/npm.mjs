// Node benchmark of the npm build (pkg/, built by pkg/build.sh) against JS peers, in one run, ns per
// presigned URL (one URL per call, and `presignMany` of 1,000 per URL):
// - S3 PUT with a signed content-type: @aws-sdk/s3-request-presigner, aws4fetch, aws4,
//   @smithy/signature-v4.
// - Azure blob service SAS (read+write, fixed st/se, https only, sv pinned on both sides):
//   @azure/storage-blob `generateBlobSASQueryParameters` with a StorageSharedKeyCredential.
// - GCS V4 GET signed with a service-account key (RSASSA-PKCS1-v1_5 / SHA-256; ours through
//   `presignAsync` and WebCrypto): @google-cloud/storage `file.getSignedUrl`. Async calls are
//   awaited one after the other.
// Peers are installed on first run into $SERVERS_PREFIX/npm-bench. Before timing, every peer must
// produce the same signature as ours for the same request and instant (the one exception, the
// AWS SDK presigner, is explained below).
// Our rows: the stateless calls (`presign`, `presignMany`), the client objects of `createPresigner`
// (the configuration read once, each call carries only what changes), and the browser entry's size
// build run in Node. Also the compile + instantiate time of each entry's wasm (median of 20), and the
// floors under our per-URL cost (SHA-256 blocks, JSON marshaling) next to the package's targets; see
// the sections at the end.
//
//   node benches/npm.mjs [--seconds S] [--rounds R]
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { browserBuild as loadBrowserBuild } from "./browser_build.mjs";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const PREFIX = process.env.SERVERS_PREFIX || join(tmpdir(), "presign-servers");
const DIR = join(PREFIX, "npm-bench");
const PEERS = {
  "@aws-sdk/client-s3": "3.1175.0",
  "@aws-sdk/s3-request-presigner": "3.1169.0",
  aws4fetch: "1.0.20",
  aws4: "1.13.2",
  "@smithy/signature-v4": "5.7.5",
  "@smithy/protocol-http": "5.6.2",
  "@aws-crypto/sha256-js": "5.2.0",
  "@azure/storage-blob": "12.32.0",
  // 8.x needs node >= 22; 7.22.0 is the newest release for the node 20 of this machine.
  "@google-cloud/storage": "7.22.0",
};
const SECONDS = Number(process.argv[process.argv.indexOf("--seconds") + 1]) || 1;
// With --rounds R, a group's rows take turns R times (SECONDS / R each) and each reports its median
// round: a neighbour's burst on a shared machine then slows one round of every row, not one row.
const ROUNDS = Math.max(1, Math.round(Number(process.argv[process.argv.indexOf("--rounds") + 1]) || 1));

if (!Object.keys(PEERS).every((p) => existsSync(join(DIR, "node_modules", p)))) {
  mkdirSync(DIR, { recursive: true });
  if (!existsSync(join(DIR, "package.json"))) writeFileSync(join(DIR, "package.json"), "{}\n");
  execFileSync("npm", ["install", "--no-fund", "--no-audit", "--loglevel=error",
    ...Object.entries(PEERS).map(([p, v]) => `${p}@${v}`)], { cwd: DIR, stdio: "inherit" });
}
const require = createRequire(join(DIR, "package.json"));
const entry = (name) => import(pathToFileURL(join(ROOT, `pkg/dist/${name}/node.js`)).href);
const { presign, presignMany, presignAsync, createPresigner } = await entry("main");
const own = { s3: await entry("s3"), azure: await entry("azure") };
// An entry's browser (size) build, run in Node: { presign, createPresigner }.
const browserBuild = (dir) => loadBrowserBuild(ROOT, dir, ["presign", "createPresigner"]);
// The browser entry's size build, run in Node for comparison (browsers get it; Node gets the speed build).
const browser = await browserBuild("main");
const browserOwn = { s3: await browserBuild("s3"), azure: await browserBuild("azure") };

// The floors section (at the end) times examples/wasm_floor.rs: the crate's SHA-256 and HMAC in
// the wasm profile Node loads (wasm-speed), through wasm-bindgen and wasm-opt as pkg/build.sh does. Cargo
// decides whether it is stale; the glue is regenerated when the wasm is newer than it.
const FLOOR = join(ROOT, "target/wasm-floor");
{
  // As pkg/build.sh builds the speed flavor: wasm SIMD, in its own target dir.
  const targetDir = join(process.env.CARGO_TARGET_DIR || join(ROOT, "target"), "wasm-simd");
  const env = { ...process.env, PATH: `${process.env.HOME}/.cargo/bin:${process.env.PATH}`,
    RUSTFLAGS: "-C target-feature=+simd128", CARGO_TARGET_DIR: targetDir };
  execFileSync("cargo", ["build", "--quiet", "--example", "wasm_floor", "--profile", "wasm-speed", "--target",
    "wasm32-unknown-unknown", "--no-default-features", "--features", "wasm,s3,azure,gcs"], { cwd: ROOT, env, stdio: "inherit" });
  const raw = join(targetDir, "wasm32-unknown-unknown/wasm-speed/examples/wasm_floor.wasm");
  const out = join(FLOOR, "wasm_floor_bg.wasm");
  if (!existsSync(out) || statSync(raw).mtimeMs > statSync(out).mtimeMs) {
    execFileSync("wasm-bindgen", [raw, "--target", "nodejs", "--out-dir", FLOOR, "--out-name", "wasm_floor",
      "--no-typescript"], { env, stdio: "inherit" });
    execFileSync(join(PREFIX, "binaryen/node_modules/.bin/wasm-opt"), ["-O3", "--enable-simd", "--enable-bulk-memory",
      "--enable-nontrapping-float-to-int", "--enable-sign-ext", "--enable-mutable-globals", out, "-o", out],
    { stdio: "inherit" });
  }
}

const AK = "AKIAIOSFODNN7EXAMPLE";
const SK = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const REGION = "eu-west-1";
const BUCKET = "my-bucket";
const HOST = `${BUCKET}.s3.${REGION}.amazonaws.com`;
const AT = new Date("2026-11-24T10:00:00Z");
const CT = "image/jpeg";
const KEYS = Array.from({ length: 1000 }, (_, i) => `uploads/${String(i).padStart(4, "0")}/cat.jpg`);
const req = (key) => ({
  provider: "s3", method: "PUT", bucket: BUCKET, key, region: REGION, expiresIn: 3600, signedAt: AT,
  headers: { "content-type": CT }, credentials: { accessKeyId: AK, secretAccessKey: SK },
});

// --- peers -------------------------------------------------------------------------------------
const { S3Client, PutObjectCommand } = require("@aws-sdk/client-s3");
const { getSignedUrl } = require("@aws-sdk/s3-request-presigner");
const client = new S3Client({ region: REGION, credentials: { accessKeyId: AK, secretAccessKey: SK },
  requestChecksumCalculation: "WHEN_REQUIRED" });
const sdk = (key) => getSignedUrl(client, new PutObjectCommand({ Bucket: BUCKET, Key: key, ContentType: CT }),
  { expiresIn: 3600, signingDate: AT, signableHeaders: new Set(["content-type"]) });

const { AwsV4Signer } = require("aws4fetch");
const aws4fetch = async (key) => {
  const s = new AwsV4Signer({
    url: `https://${HOST}/${key}?X-Amz-Expires=3600`, method: "PUT", headers: { "content-type": CT },
    accessKeyId: AK, secretAccessKey: SK, region: REGION, service: "s3", signQuery: true, allHeaders: true,
    datetime: "20261124T100000Z",
  });
  return (await s.sign()).url.toString();
};

const aws4 = require("aws4");
const aws4sign = (key) => {
  const o = aws4.sign({ host: HOST, path: `/${key}?X-Amz-Expires=3600&X-Amz-Date=20261124T100000Z`,
    method: "PUT", service: "s3", region: REGION, headers: { "content-type": CT }, signQuery: true },
  { accessKeyId: AK, secretAccessKey: SK });
  return `https://${o.host}${o.path}`;
};

const { SignatureV4 } = require("@smithy/signature-v4");
const { Sha256 } = require("@aws-crypto/sha256-js");
const smithy = new SignatureV4({ credentials: { accessKeyId: AK, secretAccessKey: SK }, region: REGION,
  service: "s3", sha256: Sha256, uriEscapePath: false, applyChecksum: false });
const smithySign = async (key) => {
  const r = await smithy.presign({ method: "PUT", protocol: "https:", hostname: HOST, path: `/${key}`,
    headers: { host: HOST, "content-type": CT, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" }, query: {} },
  { expiresIn: 3600, signingDate: AT, unsignableHeaders: new Set(["x-amz-content-sha256"]),
    unhoistableHeaders: new Set(["x-amz-content-sha256"]) });
  const q = Object.entries(r.query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
  return `https://${HOST}${r.path}?${q}`;
};

const sig = (url) => new URL(url).searchParams.get("X-Amz-Signature");

// --- equal work: the same signature for the same request -------------------------------------------
const ours = presign(req(KEYS[0]));
if (!/^[0-9a-f]{64}$/.test(sig(ours.url))) throw new Error(`no signature in ${ours.url}`);
for (const [name, f] of [["aws4fetch", aws4fetch], ["aws4", aws4sign], ["@smithy/signature-v4", smithySign]]) {
  const url = await f(KEYS[0]);
  if (sig(url) !== sig(ours.url)) throw new Error(`${name} signs differently:\n ours ${ours.url}\n ${name} ${url}`);
}
// The v3 SDK always adds x-id=PutObject and X-Amz-Content-Sha256 to the query, so its signature
// cannot equal ours; check it signs the same headers for the same scope and instant instead.
{
  const u = new URL(await sdk(KEYS[0]));
  const p = (n) => u.searchParams.get(n);
  if (p("X-Amz-SignedHeaders") !== "content-type;host" || p("X-Amz-Date") !== "20261124T100000Z" ||
    !/^[0-9a-f]{64}$/.test(p("X-Amz-Signature") || "")) throw new Error(`unexpected SDK URL ${u}`);
}
console.log("S3: aws4fetch, aws4 and @smithy/signature-v4 give the same X-Amz-Signature as presign; " +
  "@aws-sdk/s3-request-presigner signs the same headers and instant (plus its own x-id and X-Amz-Content-Sha256)");

// --- Azure: blob service SAS ---------------------------------------------------------------------
const AZ_ACCOUNT = "myaccount";
const AZ_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const AZ_CONTAINER = "photos";
const AZ_VERSION = "2025-07-05";
const AZ_END = new Date(AT.getTime() + 3600e3);
const azReq = (blob) => ({
  provider: "azure", method: "PUT", account: AZ_ACCOUNT, container: AZ_CONTAINER, blob, permissions: "rw",
  startsOn: AT, expiresOn: AZ_END, protocol: "https", version: AZ_VERSION, signedAt: AT,
  credentials: { accountKey: AZ_KEY },
});
const azure = require("@azure/storage-blob");
const azCred = new azure.StorageSharedKeyCredential(AZ_ACCOUNT, AZ_KEY);
const azBase = `https://${AZ_ACCOUNT}.blob.core.windows.net/${AZ_CONTAINER}/`;
// The whole URL, as ours returns it: the SDK's token appended to the blob's URL.
const azSdk = (blob) => `${azBase}${blob}?${azure.generateBlobSASQueryParameters({
  containerName: AZ_CONTAINER, blobName: blob, permissions: azure.BlobSASPermissions.parse("rw"),
  startsOn: AT, expiresOn: AZ_END, protocol: azure.SASProtocol.Https, version: AZ_VERSION,
}, azCred).toString()}`;
{
  const o = new URL(presign(azReq(KEYS[0])).url);
  const t = new URL(azSdk(KEYS[0]));
  const params = (u) => [...u.searchParams].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join("&");
  const sig = o.searchParams.get("sig");
  if (!/^[A-Za-z0-9+/]{43}=$/.test(sig || "") || sig !== t.searchParams.get("sig") || params(o) !== params(t) ||
    o.origin + o.pathname !== t.origin + t.pathname || o.searchParams.get("sv") !== AZ_VERSION ||
    o.searchParams.get("sp") !== "rw") {
    throw new Error(`@azure/storage-blob signs differently:\n ours ${o}\n sdk  ${t}`);
  }
  const many = presignMany(KEYS.slice(0, 3).map(azReq));
  for (const [i, r] of many.entries()) {
    if (r.url !== presign(azReq(KEYS[i])).url) throw new Error(`presignMany differs at ${i}: ${r.url}`);
  }
}
console.log(`Azure: @azure/storage-blob gives the same sig and the same sv/sr/sp/st/se/spr as presign (sv ${AZ_VERSION})`);

// --- GCS: V4 with a service-account key (RSA) --------------------------------------------------------
// The SDK refuses an `expires` in the past (measured against the real clock), so the fixed
// instant here is one in the future: the next UTC midnight plus 10 hours, the same for both
// sides (the SDK's `accessibleAt` sets X-Goog-Date). PKCS#1 v1.5 signatures are deterministic,
// so an equal X-Goog-Signature means an equal string to sign under the same key.
const GCS_AT = new Date(Math.ceil(Date.now() / 86400e3) * 86400e3 + 10 * 3600e3);
const GCS_BUCKET = "my-bucket";
const SA = JSON.parse(readFileSync(join(ROOT, "tests/vectors/gcs/test_service_account.not-a-test.json"), "utf8"));
const gcsReq = (object) => ({
  provider: "gcs", method: "GET", bucket: GCS_BUCKET, object, expiresIn: 3600, signedAt: GCS_AT,
  credentials: { serviceAccount: SA },
});
const { Storage } = require("@google-cloud/storage");
const gcsBucket = new Storage({ projectId: SA.project_id,
  credentials: { client_email: SA.client_email, private_key: SA.private_key } }).bucket(GCS_BUCKET);
// A File object per call, as `storage.bucket(b).file(name).getSignedUrl(...)` is used.
const gcsSdk = async (object) => (await gcsBucket.file(object).getSignedUrl({
  version: "v4", action: "read", accessibleAt: GCS_AT, expires: GCS_AT.getTime() + 3600e3,
}))[0];
{
  const o = new URL((await presignAsync(gcsReq(KEYS[0]))).url);
  const t = new URL(await gcsSdk(KEYS[0]));
  const p = (u) => ["X-Goog-Algorithm", "X-Goog-Credential", "X-Goog-Date", "X-Goog-Expires",
    "X-Goog-SignedHeaders", "X-Goog-Signature"].map((n) => u.searchParams.get(n)).join("\n");
  if (!/^[0-9a-f]{512}$/.test(o.searchParams.get("X-Goog-Signature") || "") || p(o) !== p(t) ||
    o.origin + o.pathname !== t.origin + t.pathname || [...o.searchParams].length !== [...t.searchParams].length) {
    throw new Error(`@google-cloud/storage signs differently:\n ours ${o}\n sdk  ${t}`);
  }
}
console.log(`GCS: @google-cloud/storage gives the same X-Goog-Signature and X-Goog-* parameters as presignAsync ` +
  `(X-Goog-Date ${GCS_AT.toISOString()})`);

// --- client objects: the configuration once, each call only what changes ---------------------------
const { key: _k, method: _m, headers: _h, ...s3Config } = req(KEYS[0]);
const s3Call = (key) => ({ method: "PUT", key, headers: { "content-type": CT } });
const s3Client = createPresigner(s3Config);
const s3BrowserClient = browser.createPresigner(s3Config);
const { blob: _b, ...azConfig } = azReq(KEYS[0]);
const azClient = createPresigner(azConfig);
const azCall = (blob) => ({ blob });
const s3OwnClient = own.s3.createPresigner(s3Config);
const s3OwnBrowserClient = browserOwn.s3.createPresigner(s3Config);
const azOwnClient = own.azure.createPresigner(azConfig);
const azOwnBrowserClient = browserOwn.azure.createPresigner(azConfig);
for (const [i, k] of KEYS.slice(0, 3).entries()) {
  const want = presign(req(k)).url;
  if (s3Client.presign(s3Call(k)).url !== want || s3Client.presignMany([s3Call(k)])[0].url !== want ||
    s3BrowserClient.presign(s3Call(k)).url !== want || azClient.presign(azCall(k)).url !== presign(azReq(k)).url ||
    s3OwnClient.presign(s3Call(k)).url !== want || s3OwnBrowserClient.presign(s3Call(k)).url !== want ||
    azOwnClient.presign(azCall(k)).url !== presign(azReq(k)).url || azOwnBrowserClient.presign(azCall(k)).url !== presign(azReq(k)).url) {
    throw new Error(`a client's URL differs from presign's at ${i}`);
  }
}
console.log("clients: createPresigner's URLs equal presign's (S3 and Azure; presign, presign/s3, presign/azure; speed and browser builds)");

// --- timing ------------------------------------------------------------------------------------------
// A call that returns a promise is awaited; a synchronous one is not (awaiting a value that is not
// a promise costs a microtask, ~90 ns on this machine, which every synchronous row carried before).
async function warm(f) {
  for (let i = 0; i < 200; i++) {
    const r = f(i);
    if (r instanceof Promise) await r;
  }
}
// The mean ns per call of `f` over `seconds`.
async function slice(f, seconds) {
  let n = 0;
  const t0 = process.hrtime.bigint();
  const end = t0 + BigInt(Math.round(seconds * 1e9));
  let t = t0;
  while (t < end) {
    for (let i = 0; i < 50; i++) {
      const r = f(n + i);
      if (r instanceof Promise) await r;
    }
    n += 50;
    t = process.hrtime.bigint();
  }
  return Number(t - t0) / n;
}
async function bench(name, f, perCall = 1) {
  await warm(f);
  return { name, ns: (await slice(f, SECONDS)) / perCall };
}
// A group's rows ([name, f, perCall]) timed in ROUNDS turns; each row's median round (and the
// fastest and slowest).
async function timeRows(rows) {
  for (const [, f] of rows) await warm(f);
  const rounds = rows.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, [, f, perCall = 1]] of rows.entries()) rounds[i].push((await slice(f, SECONDS / ROUNDS)) / perCall);
  }
  return rows.map(([name], i) => {
    const t = rounds[i].sort((a, b) => a - b);
    const mid = t.length >> 1;
    return { name, ns: t.length % 2 ? t[mid] : (t[mid - 1] + t[mid]) / 2, min: t[0], max: t[t.length - 1] };
  });
}
const groups = [
  ["S3", "ns per presigned S3 PUT URL (signed content-type)", await timeRows([
    ["presign (npm, wasm)", (i) => presign(req(KEYS[i % 1000]))],
    ["presignMany x1000 (npm, wasm), per URL", () => presignMany(KEYS.map(req)), 1000],
    ["client.presign (createPresigner)", (i) => s3Client.presign(s3Call(KEYS[i % 1000]))],
    ["client.presignMany x1000, per URL", () => s3Client.presignMany(KEYS.map(s3Call)), 1000],
    ["aws4", (i) => aws4sign(KEYS[i % 1000])],
    ["@smithy/signature-v4", (i) => smithySign(KEYS[i % 1000])],
    ["aws4fetch", (i) => aws4fetch(KEYS[i % 1000])],
    ["@aws-sdk/s3-request-presigner", (i) => sdk(KEYS[i % 1000])],
    ["presign, browser size build, in Node", (i) => browser.presign(req(KEYS[i % 1000]))],
    ["client.presign, browser size build, in Node", (i) => s3BrowserClient.presign(s3Call(KEYS[i % 1000]))],
    ["presign/s3 client.presign", (i) => s3OwnClient.presign(s3Call(KEYS[i % 1000]))],
    ["presign/s3 client.presign, browser size build, in Node", (i) => s3OwnBrowserClient.presign(s3Call(KEYS[i % 1000]))],
  ])],
  ["Azure", `ns per Azure blob SAS URL (sp=rw, sv ${AZ_VERSION})`, await timeRows([
    ["presign (npm, wasm)", (i) => presign(azReq(KEYS[i % 1000]))],
    ["presignMany x1000 (npm, wasm), per URL", () => presignMany(KEYS.map(azReq)), 1000],
    ["client.presign (createPresigner)", (i) => azClient.presign(azCall(KEYS[i % 1000]))],
    ["client.presignMany x1000, per URL", () => azClient.presignMany(KEYS.map(azCall)), 1000],
    ["@azure/storage-blob", (i) => azSdk(KEYS[i % 1000])],
    ["presign, browser size build, in Node", (i) => browser.presign(azReq(KEYS[i % 1000]))],
    ["presign/azure client.presign", (i) => azOwnClient.presign(azCall(KEYS[i % 1000]))],
    ["presign/azure client.presign, browser size build, in Node", (i) => azOwnBrowserClient.presign(azCall(KEYS[i % 1000]))],
  ])],
  ["GCS", "ns per GCS V4 GET URL, service-account RSA, awaited one by one", await timeRows([
    ["presignAsync (npm, wasm + WebCrypto)", (i) => presignAsync(gcsReq(KEYS[i % 1000]))],
    ["@google-cloud/storage", (i) => gcsSdk(KEYS[i % 1000])],
  ])],
];
console.log(`node ${process.version}; ${ROUNDS > 1 ? `${SECONDS}s per row in ${ROUNDS} rounds (rows take turns), ` +
  "the median round (fastest-slowest)" : `${SECONDS}s each`}`);
for (const [, title, results] of groups) {
  const base = results[0].ns;
  console.log(`\n${title}`);
  for (const r of results) {
    console.log(`${r.name.padEnd(44)} ${r.ns.toFixed(0).padStart(9)} ns  ${(r.ns / base).toFixed(2)}x presign` +
      (ROUNDS > 1 ? `  (${r.min.toFixed(0)}-${r.max.toFixed(0)})` : ""));
  }
}
console.log("");
for (const [provider, , [ours, ...rest]] of groups) {
  console.log(`${`${provider}:`.padEnd(7)}${ours.name.split(" ")[0]} ${ours.ns.toFixed(0)} ns; ` +
    rest.map((r) => `${r.name.replace(/ \(npm.*\)|, per URL/g, "")} ${(r.ns / ours.ns).toFixed(2)}x`).join(", "));
}

// --- floors under the package's per-URL cost (same run, same machine) ------------------------------
// SHA: what the signature itself hashes. S3 SigV4: SHA-256 of the canonical request
//   (METHOD \n path \n query-without-signature \n name:value\n per signed header \n signed;headers \n
//   UNSIGNED-PAYLOAD) and one HMAC of the string to sign (AWS4-HMAC-SHA256 \n X-Amz-Date \n scope \n
//   hex of that SHA-256) under the derived key, which the signer caches. The string to sign's start
//   (all but the 64 hex digits) is the same for every URL of a scope signed in the same second, as
//   all of the bench's are: the server builds keep the HMAC state after it (src/sigv4.rs
//   ScopedKey::sign_in_scope, an HmacKey with the start absorbed), so a URL compresses only what
//   follows the start's whole blocks (its 69 bytes in eu-west-1 hold one: the HMAC is 3 blocks, not
//   4) — as many blocks as an HMAC of the string to sign without them, which is what is timed.
//   Azure SAS: one HMAC of the string to sign under the cached decoded key. Blocks: SHA-256 of n
//   bytes is ceil((n + 9) / 64) blocks (0x80, 8 length bytes); HMAC of n bytes with both pad blocks
//   already compressed (as src/crypto.rs HmacKey keeps them) is ceil((64 + n + 9) / 64) - 1 inner +
//   1 outer (the 32-byte inner digest) = ceil((n + 73) / 64). The lengths are exact: the package's
//   own verifier (presign/verify, debug) rebuilds the canonical request and string to sign from the
//   URL, and a valid verdict means the same bytes were signed. Timed per call at exactly these
//   lengths with examples/wasm_floor.rs (best of 15 runs).
// Marshaling: what pkg/api.js does around the wasm call, per URL, no signing: the request object
// built as the bench's loop builds it, its Date instants as milliseconds (a copy), JSON.stringify,
// TextEncoder.encodeInto a reused buffer, reading the package's exact result text as api.js does
// (`answer`: one URL's lines; `answers` for a batch's).
// "wasm call": the glue's presignJson / presignManyJson on already-encoded bytes (copy in, the
// Rust core, decoding the result text), i.e. the package minus its JS work.
{
  const floor = createRequire(import.meta.url)(join(FLOOR, "wasm_floor.js"));
  const glue = await import(pathToFileURL(join(ROOT, "pkg/dist/main/server/presign_main.js")).href);
  await entry("verify");
  const vglue = await import(pathToFileURL(join(ROOT, "pkg/dist/verify/server/presign_verify.js")).href);
  const { answer, answers } = await import(pathToFileURL(join(ROOT, "pkg/api.js")).href); // reads results as api.js does
  const enc = new TextEncoder();
  const shaBlocks = (n) => Math.ceil((n + 9) / 64);
  const hmacBlocks = (n) => Math.ceil((n + 73) / 64);
  const perCall = (f, len) => {
    const iters = Math.max(100, Math.round(4e4 / hmacBlocks(len))); // ~10 ms: short runs, best of 15
    f(len, iters);
    let best = Infinity;
    for (let r = 0; r < 15; r++) {
      const t0 = process.hrtime.bigint();
      f(len, iters);
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / iters);
    }
    return best;
  };
  // The canonical request and string to sign of the bench's first request, from the verifier
  // (its clock set inside the URL's validity).
  const debug = (make, credentials) => {
    const { url, method, headers } = presign(make(KEYS[0]));
    const v = JSON.parse(vglue.verifyJson(enc.encode(JSON.stringify({ url, method, headers, credentials, debug: true })),
      AT.getTime() + 1000));
    if (!v.valid || !v.debug) throw new Error(`verify refused the bench's URL: ${JSON.stringify(v)}`);
    return { cr: enc.encode(v.debug.canonicalRequest || "").length, sts: enc.encode(v.debug.stringToSign).length };
  };
  const s3 = debug(req, { accessKeyId: AK, secretAccessKey: SK });
  const az = debug(azReq, { accountKey: AZ_KEY });
  const sha1k = perCall(floor.sha256_loop, 1024) / shaBlocks(1024);
  const hmac1k = perCall(floor.hmac_loop, 1024) / hmacBlocks(1024);
  const s3Sha = perCall(floor.sha256_loop, s3.cr);
  // The whole blocks of the string to sign's start, absorbed once per second (see above), and what
  // a URL still hashes of it: an HMAC of that many bytes compresses the same blocks.
  const s3Absorbed = Math.floor((s3.sts - 64) / 64);
  const s3Rest = s3.sts - 64 * s3Absorbed;
  const s3Hmac = perCall(floor.hmac_loop, s3Rest);
  const azHmac = perCall(floor.hmac_loop, az.sts);
  const s3Blocks = shaBlocks(s3.cr) + hmacBlocks(s3Rest);
  // Four messages at once (the crate's `sha256_x4`, checked against sha2 first): what a client's
  // presignMany hashes per block and message, its canonical requests and strings to sign four at
  // a time.
  for (const len of [0, 55, 56, 64, s3.cr, 1024]) {
    if (!floor.sha256_x4_check(len)) throw new Error(`the four-lane SHA-256 differs from sha2 at ${len} bytes`);
  }
  const x4Block = perCall(floor.sha256_x4_loop, s3.cr) / (4 * shaBlocks(s3.cr));

  const now = AT.getTime();
  const encoded = (make) => KEYS.map((k) => enc.encode(JSON.stringify(make(k))));
  const [s3In, azIn] = [encoded(req), encoded(azReq)];
  const [s3Out, azOut] = [s3In, azIn].map((ins) => ins.map((b) => glue.presignJson(b, now))); // the exact results
  const s3ManyIn = enc.encode(JSON.stringify(KEYS.map(req)));
  const s3ManyOut = glue.presignManyJson(s3ManyIn, now);
  if (answer(s3Out[7]).url !== presign(req(KEYS[7])).url || answer(azOut[7]).url !== presign(azReq(KEYS[7])).url ||
    answers(s3ManyOut)[7].url !== presign(req(KEYS[7])).url) throw new Error("the glue's results differ from presign's");
  let sink = 0; // keeps every encoded request alive in the timed loops
  const scratch = new Uint8Array(1 << 20);
  const msDates = (r) => {
    const c = { ...r };
    for (const k of ["signedAt", "startsOn", "expiresOn"]) if (c[k] instanceof Date) c[k] = c[k].getTime();
    return c;
  };
  const encodeLikeApi = (v) => enc.encodeInto(JSON.stringify(v), scratch).written;
  const marshal = (make, out) => (i) => {
    sink += encodeLikeApi(msDates(make(KEYS[i % 1000])));
    return answer(out[i % 1000]);
  };
  const rows = [
    ["S3 presign", groups[0][2][0].ns, s3Sha + s3Hmac, undefined, await bench("marshal", marshal(req, s3Out)),
      await bench("wasm call", (i) => glue.presignJson(s3In[i % 1000], now))],
    ["S3 presignMany x1000", groups[0][2][1].ns, s3Sha + s3Hmac, 3000, await bench("marshal", () => {
      sink += encodeLikeApi(KEYS.map((k) => msDates(req(k))));
      return answers(s3ManyOut);
    }, 1000), await bench("wasm call", () => glue.presignManyJson(s3ManyIn, now), 1000)],
    ["Azure presign", groups[1][2][0].ns, azHmac, 4000, await bench("marshal", marshal(azReq, azOut)),
      await bench("wasm call", (i) => glue.presignJson(azIn[i % 1000], now))],
  ];
  // A client's calls (pkg/api.js `quickCall`): "wasm call" is the glue's PresignerClient#presignKey
  // (#presignKeys for presignMany, per slice of 64 calls as api.js `signMany` sends them) on the
  // texts api.js writes for the bench's calls; "marshal" is the JS around it — the client's presign
  // (presignMany) with the glue's method answering the exact text it would without signing:
  // everything but the wasm's work.
  const qc = new glue.PresignerClient(enc.encode(JSON.stringify(msDates(s3Config))));
  const keyText = (k) => `content-type\n${CT}\n${k}`;
  const keyOut = KEYS.map((k) => qc.presignKey(2, 1, keyText(k), -1, now));
  const slicesIn = [];
  for (let i = 0; i < KEYS.length; i += 64) {
    slicesIn.push(enc.encode(KEYS.slice(i, i + 64).map((k) => `2 1 -1 ${k.length}\n${keyText(k)}`).join("")));
  }
  const slicesOut = slicesIn.map((b) => qc.presignKeys(b, now));
  // The stub's answer to a slice: one of that many calls (the bench's keys are all one length).
  const sliceOut = new Map(slicesIn.map((b, i) => [b.length, slicesOut[i]]));
  if (answer(keyOut[7]).url !== s3Client.presign(s3Call(KEYS[7])).url ||
    answers(slicesOut[0])[7].url !== s3Client.presign(s3Call(KEYS[7])).url) {
    throw new Error("the client glue's results differ");
  }
  const keyCall = await bench("wasm call", (i) => qc.presignKey(2, 1, keyText(KEYS[i % 1000]), -1, now));
  const keysCall = await bench("wasm call", () => slicesIn.map((b) => qc.presignKeys(b, now)), 1000);
  const proto = glue.PresignerClient.prototype;
  const [signOne, signMany] = [proto.presignKey, proto.presignKeys];
  let served = 0;
  proto.presignKey = () => keyOut[served++ % 1000];
  proto.presignKeys = (bytes) => sliceOut.get(bytes.length);
  const [aroundOne, aroundMany] = [
    await bench("JS around", (i) => s3Client.presign(s3Call(KEYS[i % 1000]))),
    await bench("JS around", () => s3Client.presignMany(KEYS.map(s3Call)), 1000),
  ];
  Object.assign(proto, { presignKey: signOne, presignKeys: signMany });
  if (served < 1000 || s3Client.presign(s3Call(KEYS[7])).url !== answer(keyOut[7]).url) {
    throw new Error("the client's glue was not the one stubbed, or was not put back");
  }
  rows.push(
    ["S3 client.presign", groups[0][2][2].ns, s3Sha + s3Hmac, 4000, aroundOne, keyCall],
    ["S3 client.presignMany", groups[0][2][3].ns, x4Block * s3Blocks, 3000, aroundMany, keysCall],
  );
  if (!sink) throw new Error("nothing was encoded");
  const us = (ns) => (ns / 1000).toFixed(2).padStart(9);
  console.log(`\nfloors, SHA-256 in wasm (the crate's code, wasm-speed profile, SIMD, wasm-opt -O3, as Node loads it): ${sha1k.toFixed(0)} ns/block ` +
    `(1 KB messages), HMAC ${hmac1k.toFixed(0)} ns/block (1 KB, pads cached)`);
  console.log(`S3 URL:    canonical request ${s3.cr} B = ${shaBlocks(s3.cr)} blocks (${s3Sha.toFixed(0)} ns), string to ` +
    `sign ${s3.sts} B = ${hmacBlocks(s3Rest)} HMAC blocks (${hmacBlocks(s3.sts)} less the ${s3Absorbed} of its start absorbed once per ` +
    `second, ${s3Hmac.toFixed(0)} ns): ${s3Blocks} blocks, ` +
    `${((s3Sha + s3Hmac) / s3Blocks).toFixed(0)} ns/block at these sizes = ${(s3Sha + s3Hmac).toFixed(0)} ns`);
  console.log(`a client's presignMany: SHA-256 of four messages at once in wasm SIMD lanes, ${x4Block.toFixed(0)} ns/block per message ` +
    `(${s3.cr} B messages; one at a time ${(s3Sha / shaBlocks(s3.cr)).toFixed(0)}): an S3 URL's ${s3Blocks} blocks in ` +
    `${(x4Block * s3Blocks).toFixed(0)} ns`);
  console.log(`Azure SAS: string to sign ${az.sts} B = ${hmacBlocks(az.sts)} HMAC blocks, ` +
    `${(azHmac / hmacBlocks(az.sts)).toFixed(0)} ns/block at this size = ${azHmac.toFixed(0)} ns`);
  console.log(`\nus per URL${"package".padStart(23)}${"wasm call".padStart(10)}${"SHA floor".padStart(10)}` +
    `${"marshal".padStart(9)}${"SHA+marsh".padStart(10)}${"target".padStart(9)}`);
  for (const [name, pkg, sha, target, marshal, call] of rows) {
    console.log(`${name.padEnd(24)}${us(pkg)} ${us(call.ns)} ${us(sha)}${us(marshal.ns)} ${us(sha + marshal.ns)}` +
      `${target ? us(target) : "        -"}`);
  }
}

// --- compile + instantiate time of each entry's wasm (Node, median of 20) ---------------------------
{
  const { ENTRIES } = await import(pathToFileURL(join(ROOT, "pkg/entries.mjs")).href);
  console.log("\ncompile + instantiate, median of 20 (WebAssembly.compile, then instantiate with the module's imports)");
  for (const e of ENTRIES) {
    const row = [];
    for (const build of ["web", "server"]) {
      const bytes = readFileSync(join(ROOT, `pkg/dist/${e.dir}/${build}/presign_${e.dir}_bg.wasm`));
      const times = [];
      for (let i = 0; i < 20; i++) {
        const t0 = process.hrtime.bigint();
        const m = await WebAssembly.compile(bytes);
        // The glue's imports are JS functions; stand-ins of the same names instantiate the same.
        const imports = {};
        for (const { module, name } of WebAssembly.Module.imports(m)) (imports[module] ??= {})[name] = () => {};
        await WebAssembly.instantiate(m, imports);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      times.sort((a, b) => a - b);
      row.push(`${build === "web" ? "browser build" : "server build"} ${((times[9] + times[10]) / 2).toFixed(2)} ms (${(bytes.length / 1024).toFixed(0)} KB)`);
    }
    console.log(`${(e.path === "." ? "presign" : "presign/" + e.path.slice(2)).padEnd(16)} ${row.join(", ")}`);
  }
}
