// The edge signer's authentication and key isolation (www/worker/worker.js + auth.js), run under
// workerd as www/demo.sh runs it (www/worker/make-config.mjs), on a port of its own. Tokens and
// cookies are minted here with node:crypto, independently of the worker's WebCrypto code:
//   - no credential -> 401 with `WWW-Authenticate: Bearer`; expired, not yet valid, wrongly signed
//     (HS256 with another secret, RS256 / ES256 by another key, alg=none, HS256 "signed" with the RSA
//     public key as secret), wrong iss / aud, a forged session cookie -> 401;
//   - another user's prefix and traversal attempts (../, %2e%2e/, /users/x, backslash) -> 403;
//   - valid HS256, RS256 and ES256 (JWKS binding), RS256 via JWKS_URL (served here), session cookie
//     -> URLs that SeaweedFS accepts for PUT then GET; HS256 and ES256 callers also through Azurite and
//     fake-gcs behind the verifying proxy (tests/servers/*.sh, as demo.sh starts them);
//   - one JSON log line per URL signed, with no token or secret in the worker's output;
//   - uploads in parts (/api/upload/*): refused outside the prefix, for a type not allowed and past
//     MAX_UPLOAD_BYTES on every endpoint; the create / part / complete / list / abort requests the
//     worker signs equal presign/multipart's for the same input and instant (read back from expiresAt);
//     an upload in parts through them (with a reload's list step in the middle) completes on SeaweedFS
//     (CRC-32C per part, verified by the server), Azurite and the GCS proxy (which emulates the XML API
//     multipart upload over fake-gcs-server); the downloaded object's SHA-256 equals the bytes sent;
//   - the template bundled by `wrangler deploy --dry-run` (www/worker/wrangler.toml, worker.js,
//     auth.js and the packed npm package; the same cached wrangler as tests/npm_bundlers.mjs), and
//     that bundle run under workerd: 401 without a token, 403 for another prefix, URLs SeaweedFS accepts.
//
//   flock /tmp/presign-live.lock node tests/worker_auth.mjs     (pkg/dist must exist: bash pkg/build.sh)
// The servers not running are started (and stopped at the end); bucket "presign-worker-auth". Env: SERVERS_PREFIX,
// SKIP_WRANGLER=1. Last line "N passed, M failed"; exit status 1 on any failure.
import { createHash, createHmac, generateKeyPairSync, randomBytes, sign as nodeSign } from "node:crypto";
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ensureNpm, PREFIX, ROOT, tally, VERSIONS } from "./support/demo_stack.mjs";
import { distBuilt, freePorts, packTarball, project, sh, workerdBin } from "./support/npm_probe.mjs";

const t = tally();
let jwksHits = 0; // requests the JWKS_URL server answered
const { check } = t;
const ISS = "https://issuer.example";
const AUD = "presign-signer";
const APP = "https://app.example"; // the page's origin (ORIGIN): allowed to call the API cross-origin
const JWT_SECRET = randomBytes(32).toString("hex");
const SESSION_SECRET = randomBytes(32).toString("hex");
const b64u = (b) => Buffer.from(b).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

// ---- tokens, with node:crypto -------------------------------------------------------------------
const rsaA = generateKeyPairSync("rsa", { modulusLength: 2048 });
const rsaOther = generateKeyPairSync("rsa", { modulusLength: 2048 });
const rsaUrl = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ecA = generateKeyPairSync("ec", { namedCurve: "P-256" });
const ecOther = generateKeyPairSync("ec", { namedCurve: "P-256" });
const jwk = (pair, kid, alg) => ({ ...pair.publicKey.export({ format: "jwk" }), kid, alg, use: "sig" });
const JWKS = { keys: [jwk(rsaA, "rsa-a", "RS256"), jwk(ecA, "ec-a", "ES256")] };
const JWKS_AT_URL = { keys: [jwk(rsaUrl, "rsa-url", "RS256")] };

function jwt(header, claims, signer) {
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(claims))}`;
  return `${input}.${b64u(signer(Buffer.from(input)))}`;
}
const claims = (over = {}) => ({ sub: "alice", iss: ISS, aud: AUD, iat: now(), exp: now() + 300, ...over });
const hs = (c, secret = JWT_SECRET) => jwt({ alg: "HS256", typ: "JWT" }, c, (d) => createHmac("sha256", secret).update(d).digest());
const rs = (c, key = rsaA.privateKey, kid = "rsa-a") => jwt({ alg: "RS256", typ: "JWT", kid }, c, (d) => nodeSign("sha256", d, key));
const es = (c, key = ecA.privateKey, kid = "ec-a") =>
  jwt({ alg: "ES256", typ: "JWT", kid }, c, (d) => nodeSign("sha256", d, { key, dsaEncoding: "ieee-p1363" }));
function cookie(sub, exp, secret = SESSION_SECRET) {
  const body = b64u(JSON.stringify({ sub, exp }));
  return `presign_session=${body}.${b64u(createHmac("sha256", secret).update(body).digest())}`;
}

// ---- the storage servers (as demo.sh starts them) -----------------------------------------------
const serverEnv = { ...process.env, SERVERS_PREFIX: PREFIX };
/** tests/servers/NAME.sh start, unless it runs: its KEY=value lines, and whether it was started here. */
function server(name) {
  const script = join(ROOT, `tests/servers/${name}.sh`);
  let running = true;
  try {
    execFileSync("bash", [script, "status"], { stdio: "ignore", env: serverEnv });
  } catch {
    running = false;
  }
  const out = execFileSync("bash", [script, "start"], { encoding: "utf8", env: serverEnv, stdio: ["ignore", "pipe", "ignore"] });
  const env = Object.fromEntries(out.split("\n").map((l) => /^([A-Z0-9_]+)=(\S*)/.exec(l)).filter(Boolean).map((m) => [m[1], m[2]]));
  return { env, stop: running ? null : () => execFileSync("bash", [script, "stop"], { stdio: "ignore", env: serverEnv }) };
}

// ---- the worker under workerd --------------------------------------------------------------------
async function startWorker(dir, port, env) {
  execFileSync("node", [join(ROOT, "www/worker/make-config.mjs"), dir, String(port)], {
    env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "ignore", "inherit"],
  });
  return serve(join(dir, "config.capnp"), port);
}

/** workerd serving `config` on 127.0.0.1:port, once it answers; its output in log(). */
async function serve(config, port) {
  const child = spawn(workerdBin(), ["serve", config], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  for (let i = 0; i < 300; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/api/config`);
      return { child, log: () => log };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill();
  throw new Error(`workerd did not start:\n${log}`);
}

async function call(base, path, { token, cookie: c, body, origin } = {}) {
  const headers = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (c) headers.cookie = c;
  if (origin) headers.origin = origin;
  if (body !== undefined) headers["content-type"] = "application/json";
  const r = await fetch(base + path, body === undefined ? { headers } : { method: "POST", headers, body: JSON.stringify(body) });
  const text = await r.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch { /* not JSON */ }
  return { status: r.status, headers: r.headers, json, text };
}

const upload = (key, size, provider = "s3") => ({ provider, op: "upload", key, contentType: "text/plain", size });

/** PUT `body` through a URL signed for `auth`, then GET it through another: [ok, detail]. */
async function roundTrip(base, auth, provider, key, body) {
  const put = await call(base, "/api/sign", { ...auth, body: upload(key, Buffer.byteLength(body), provider) });
  if (!put.json?.url) return [false, `sign upload: ${put.status} ${put.text.slice(0, 300)}`];
  // as the page sends it: the signed headers (the client sets content-length), Azure's content type
  const headers = Object.fromEntries(Object.entries(put.json.headers).filter(([k]) => k !== "content-length"));
  if (provider === "azure") headers["content-type"] = "text/plain";
  const p = await fetch(put.json.url, { method: "PUT", headers, body });
  const get = await call(base, "/api/sign", { ...auth, body: { provider, op: "download", key } });
  const g = get.json?.url ? await fetch(get.json.url) : null;
  const got = g ? await g.text() : "";
  return [p.ok && g?.ok && got === body, `PUT ${p.status} ${p.ok ? "" : await p.text().catch(() => "")} GET ${g?.status} ${got.slice(0, 200)}`];
}

async function signerChecks(base, worker) {
  const signAs = (auth, key, size = 5) => call(base, "/api/sign", { ...auth, body: upload(key, size) });

  // 401s
  const none = await call(base, "/api/sign", { body: upload("users/alice/a.txt", 1) });
  check("no credential -> 401 with WWW-Authenticate: Bearer",
    none.status === 401 && /^Bearer\b/.test(none.headers.get("www-authenticate") || ""), `${none.status} ${none.headers.get("www-authenticate")}`);
  const cfgNone = await call(base, "/api/config");
  check("no credential on /api/config -> 401", cfgNone.status === 401, cfgNone.status);
  const bad = {
    "expired HS256 token (exp 10 min ago)": hs(claims({ exp: now() - 600 })),
    "HS256 token without exp": hs((({ exp, ...c }) => c)(claims())),
    "HS256 token not valid yet (nbf in 10 min)": hs(claims({ nbf: now() + 600 })),
    "HS256 signed with another secret": hs(claims(), randomBytes(32).toString("hex")),
    "RS256 signed by another RSA key (same kid)": rs(claims(), rsaOther.privateKey),
    "RS256 signed by another RSA key (no kid)": jwt({ alg: "RS256" }, claims(), (d) => nodeSign("sha256", d, rsaOther.privateKey)),
    "ES256 signed by another EC key": es(claims(), ecOther.privateKey),
    "ES256 header over an RS256 signature by the JWKS's RSA key": jwt({ alg: "ES256", kid: "rsa-a" }, claims(), (d) => nodeSign("sha256", d, rsaA.privateKey)),
    "alg none, empty signature": `${b64u(JSON.stringify({ alg: "none", typ: "JWT" }))}.${b64u(JSON.stringify(claims()))}.`,
    "alg None, empty signature": `${b64u(JSON.stringify({ alg: "None" }))}.${b64u(JSON.stringify(claims()))}.`,
    "HS256 'signed' with the RSA public key (PEM) as secret": hs(claims(), rsaA.publicKey.export({ type: "spki", format: "pem" })),
    "HS256 'signed' with the RSA public key (JWK JSON) as secret": hs(claims(), JSON.stringify(JWKS.keys[0])),
    "RS256 with a wrong issuer": rs(claims({ iss: "https://evil.example" })),
    "RS256 with a wrong audience": rs(claims({ aud: "another-app" })),
    "RS256 without an audience": rs(claims({ aud: undefined })),
    "ES256 with a wrong issuer": es(claims({ iss: "https://evil.example" })),
    "RS256 with sub leaving the prefix (../bob)": rs(claims({ sub: "../bob" })),
    "payload altered after signing (sub alice -> bob)": (() => {
      const [h, , s] = rs(claims()).split(".");
      return `${h}.${b64u(JSON.stringify(claims({ sub: "bob" })))}.${s}`;
    })(),
  };
  for (const [name, token] of Object.entries(bad)) {
    const r = await signAs({ token }, "users/alice/a.txt");
    check(`${name} -> 401`, r.status === 401 && /^Bearer\b/.test(r.headers.get("www-authenticate") || "") && !r.json?.url,
      `${r.status} ${r.text.slice(0, 200)}`);
  }
  for (const [name, c] of Object.entries({
    "session cookie signed with another secret": cookie("alice", now() + 300, randomBytes(32).toString("hex")),
    "expired session cookie": cookie("alice", now() - 600),
  })) {
    const r = await signAs({ cookie: c }, "users/alice/a.txt");
    check(`${name} -> 401`, r.status === 401 && !r.json?.url, `${r.status} ${r.text.slice(0, 200)}`);
  }
  const demoToken = await call(base, "/api/demo-token", { body: {} });
  check("no DEMO_TOKENS binding: /api/demo-token hands out no token", demoToken.status === 401 && !demoToken.json?.token, demoToken.status);

  // 403s: alice's token, keys outside users/alice/
  const alice = { token: hs(claims()) };
  for (const key of ["users/bob/x.txt", "users/alice/../bob/x.txt", "users/alice/%2e%2e/bob/x.txt", "users/alice/%2E%2E%2Fbob%2Fx.txt",
    "/users/alice/x.txt", "/users/bob/x.txt", "users/alice\\..\\bob\\x.txt", "users\\alice\\x.txt", "users/alice/./x.txt", "../users/alice/x.txt",
    "users/alice/x\u0000.txt", "users/alicex/y.txt", "uploads/x.txt"]) {
    for (const op of ["upload", "download"]) {
      const r = await call(base, op === "upload" ? "/api/sign" : "/api/sign", { ...alice, body: op === "upload" ? upload(key, 1) : { provider: "s3", op, key } });
      check(`alice's ${op} of ${JSON.stringify(key)} -> 403`, r.status === 403 && !r.json?.url, `${r.status} ${r.text.slice(0, 200)}`);
    }
  }
  const form = await call(base, "/api/form", { ...alice, body: { provider: "s3", key: "users/bob/x.txt", contentType: "text/plain", size: 1 } });
  check("alice's form upload into bob's prefix -> 403", form.status === 403, `${form.status} ${form.text.slice(0, 200)}`);
  const foreign = await signAs({ cookie: cookie("alice", now() + 300), origin: "https://evil.example" }, "users/alice/a.txt");
  check("session cookie sent from another site's page (Origin) -> 403", foreign.status === 403, `${foreign.status} ${foreign.text.slice(0, 200)}`);
  // a page on ORIGIN calls the API from another origin: preflight and response allow it, no other origin
  const pre = (origin) => fetch(`${base}/api/sign`, { method: "OPTIONS", headers: {
    origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" } });
  const app = await pre(APP);
  check("preflight from ORIGIN: allowed (origin, POST, authorization)", app.status === 204 && app.headers.get("access-control-allow-origin") === APP &&
    /POST/.test(app.headers.get("access-control-allow-methods")) && /authorization/.test(app.headers.get("access-control-allow-headers")),
  JSON.stringify([...app.headers]));
  const evil = await pre("https://evil.example");
  check("preflight from another origin: not allowed", !evil.headers.get("access-control-allow-origin") && !evil.headers.get("access-control-allow-headers"),
    JSON.stringify([...evil.headers]));
  const fromApp = await signAs({ ...alice, origin: APP }, "users/alice/from-app.txt");
  check("a bearer call from ORIGIN is signed and readable there (access-control-allow-origin)",
    fromApp.status === 200 && fromApp.headers.get("access-control-allow-origin") === APP, `${fromApp.status} ${JSON.stringify([...fromApp.headers])}`);
  const cfg = await call(base, "/api/config", alice);
  check("/api/config gives alice her prefix users/alice/", cfg.status === 200 && cfg.json.prefix === "users/alice/", cfg.text.slice(0, 200));

  // valid credentials -> URLs the storage accepts
  const good = {
    "HS256": { token: hs(claims()) },
    "HS256, aud as an array, exp 30 s ago (within the leeway)": { token: hs(claims({ aud: ["x", AUD], exp: now() - 30 })) },
    "RS256 via the JWKS binding": { token: rs(claims()) },
    "RS256 via the JWKS binding, no kid": { token: jwt({ alg: "RS256" }, claims(), (d) => nodeSign("sha256", d, rsaA.privateKey)) },
    "ES256 via the JWKS binding": { token: es(claims()) },
    "RS256 via JWKS_URL": { token: rs(claims(), rsaUrl.privateKey, "rsa-url") },
    "session cookie": { cookie: cookie("alice", now() + 300) },
    "session cookie from the signer's own page (Origin)": { cookie: cookie("alice", now() + 300), origin: base },
  };
  let n = 0;
  for (const [name, auth] of Object.entries(good)) {
    const key = `users/alice/auth-${n++} ${name.replace(/[^A-Za-z0-9]+/g, "-")}.txt`;
    const body = `signed for alice through ${name} at ${new Date().toISOString()}`;
    const [ok, detail] = await roundTrip(base, auth, "s3", key, body);
    check(`${name}: SeaweedFS accepts the signed PUT and the GET returns the bytes`, ok, detail);
  }
  // Azure (Azurite) and GCS (fake-gcs behind the verifying proxy): one HS256 and one ES256 caller each.
  for (const provider of ["azure", "gcs"]) {
    for (const [name, auth] of [["HS256", { token: hs(claims()) }], ["ES256", { token: es(claims()) }]]) {
      const [ok, detail] = await roundTrip(base, auth, provider, `users/alice/${provider} ${name}.txt`, `${provider} ${name} ${Date.now()}`);
      check(`${provider}: ${name} caller's signed PUT accepted and GET returns the bytes`, ok, detail);
    }
    const r = await call(base, "/api/sign", { token: hs(claims()), body: upload("users/bob/x.txt", 1, provider) });
    check(`${provider}: alice's upload into bob's prefix -> 403`, r.status === 403 && !r.json?.url, `${r.status} ${r.text.slice(0, 200)}`);
  }
  check("the JWKS at JWKS_URL was fetched once and then served from the worker's cache", jwksHits === 1, `${jwksHits} fetches`);
  const tok = alice.token;
  // the audit log: one JSON line per URL signed, without any token or secret
  await new Promise((r) => setTimeout(r, 300));
  const lines = worker.log().split("\n").filter((l) => l.startsWith("{")).map((l) => {
    try {
      return JSON.parse(l);
    } catch {
      return null;
    }
  }).filter(Boolean);
  const uploads = lines.filter((l) => l.op === "upload" && l.sub === "alice" && l.provider === "s3" && l.method === "PUT");
  check("each signed upload is logged as one JSON line (time, sub, provider, op, key, method, expiresAt)",
    uploads.length === Object.keys(good).length + 1 && uploads.every((l) => l.time && l.key.startsWith("users/alice/") && l.expiresAt),
    `${uploads.length} upload lines: ${JSON.stringify(lines.slice(0, 3))}`);
  const out = worker.log();
  check("the worker's output holds no token, cookie or secret",
    ![tok.split(".")[2], JWT_SECRET, SESSION_SECRET, good["session cookie"].cookie.split(".")[1]].some((s) => out.includes(s)), "a secret appears in the log");
}

// ---- uploads in parts ---------------------------------------------------------------------------
const MiB = 1 << 20;
const MAX_UPLOAD = 64 * MiB; // the MAX_UPLOAD_BYTES binding of this run
const EXPIRES_IN = 600; // the worker's default EXPIRES_IN

/** The target request worker.js builds for `provider` (its request()), from the same bindings. */
function target(provider, key, b) {
  if (provider === "s3") {
    return { provider, method: "PUT", bucket: b.S3_BUCKET, key, endpoint: b.S3_ENDPOINT, region: b.S3_REGION, urlStyle: "path", expiresIn: EXPIRES_IN,
      credentials: { accessKeyId: b.S3_ACCESS_KEY_ID, secretAccessKey: b.S3_SECRET_ACCESS_KEY }, headers: {}, query: {} };
  }
  if (provider === "azure") {
    return { provider, method: "PUT", container: b.AZURE_CONTAINER, blob: key, expiresIn: EXPIRES_IN, credentials: { connectionString: b.AZURE_CONNECTION_STRING } };
  }
  return { provider, method: "PUT", bucket: b.GCS_BUCKET, object: key, endpoint: b.GCS_ENDPOINT, urlStyle: "path", expiresIn: EXPIRES_IN,
    credentials: { serviceAccount: JSON.parse(b.GCS_SERVICE_ACCOUNT) }, headers: {}, query: {} };
}

async function multipartChecks(base, bindings) {
  const lib = await import(pathToFileURL(join(ROOT, "pkg/dist/multipart/node.js")).href);
  const alice = { token: hs(claims()) };
  const api = (path, body) => call(base, `/api/upload/${path}`, { ...alice, body });
  for (const provider of ["s3", "azure", "gcs"]) {
    const up = { provider, key: `users/alice/parts ${provider} ünï (1).bin`, contentType: "application/octet-stream", size: 11 * MiB + 7, partSize: 5 * MiB };
    if (provider !== "azure") up.checksum = "crc32c";
    // refusals, on every endpoint
    const extra = { parts: { uploadId: "U", partNumbers: [1] }, complete: { uploadId: "U", parts: [] }, list: { uploadId: "U" }, abort: { uploadId: "U" }, start: {} };
    for (const [what, change, status, code] of [
      ["a key in bob's prefix", { key: "users/bob/big.bin" }, 403, "KEY_PREFIX"],
      ["a key leaving the prefix with ../", { key: "users/alice/../bob/big.bin" }, 403, "BAD_KEY"],
      ["a type not allowed", { contentType: "application/x-msdownload" }, 403, "TYPE_NOT_ALLOWED"],
      ["a size past MAX_UPLOAD_BYTES", { size: MAX_UPLOAD + 1 }, 413, "TOO_LARGE"],
    ]) {
      const got = [];
      for (const [path, more] of Object.entries(extra)) {
        const r = await api(path, { ...up, ...more, ...change });
        if (r.status !== status || r.json?.error?.code !== code || r.text.includes("http")) got.push(`${path}: ${r.status} ${r.text.slice(0, 120)}`);
      }
      check(`${provider} upload in parts: ${what} -> ${status} ${code} on start, parts, complete, list, abort`, got.length === 0, got.join("; "));
    }
    const noAuth = await call(base, "/api/upload/start", { body: up });
    check(`${provider} upload in parts: no credential -> 401`, noAuth.status === 401, noAuth.status);

    // the signed requests equal the library's for the same input and instant
    const input = { ...target(provider, up.key, bindings), size: up.size, partSize: up.partSize, contentType: up.contentType };
    if (up.checksum) input.checksum = up.checksum;
    const same = async (what, got, step) => {
      const signedAt = new Date(Date.parse(got.expiresAt) - EXPIRES_IN * 1000).toISOString();
      const want = await lib.uploadRequestAsync({ ...input, ...step, signedAt });
      const pick = (r) => JSON.stringify({ url: r.url, method: r.method, headers: r.headers, body: r.body, part: r.part });
      check(`${provider} upload in parts: the worker's ${what} request equals presign/multipart's`, pick(got) === pick(want), `${pick(got)}\n${pick(want)}`);
    };
    const start = await api("start", up);
    const plan = start.json || {};
    check(`${provider} upload in parts: start plans 3 parts of 5 MiB (the last 1 MiB + 7)`, start.status === 200 && plan.partCount === 3 &&
      plan.parts?.[2]?.length === MiB + 7 && (provider === "azure" ? plan.create === null : !!plan.create?.url), start.text.slice(0, 300));
    if (plan.create) await same("create", plan.create, { step: "create" });
    // the bytes and their part digests (CRC-32C by the library's Hasher; the server checks them)
    const bytes = randomBytes(up.size);
    const slice = (p) => bytes.subarray(p.offset, p.offset + p.length);
    const digest = (p) => new lib.Hasher("crc32c").update(slice(p)).digest();
    let uploadId = "";
    if (plan.create) {
      const c = await fetch(plan.create.url, { method: "POST", headers: plan.create.headers });
      const a = await api("answer", { provider, step: "create", status: c.status, body: await c.text() });
      uploadId = a.json?.uploadId || "";
      check(`${provider} upload in parts: the storage answers the signed create with an upload id (read by /api/upload/answer)`, uploadId !== "", a.text.slice(0, 300));
    }
    const id = uploadId ? { uploadId } : {};
    const sendParts = async (numbers) => {
      const ps = numbers.map((n) => plan.parts[n - 1]);
      const r = await api("parts", { ...up, ...id, partNumbers: numbers, digests: up.checksum ? ps.map(digest) : undefined });
      const out = [];
      for (const [i, s] of (r.json?.parts || []).entries()) {
        await same(`part ${numbers[i]}`, s, { step: "part", ...id, partNumber: numbers[i], ...(up.checksum ? { digest: digest(ps[i]) } : {}) });
        const res = await fetch(s.url, { method: s.method, headers: s.headers, body: slice(s.part) });
        out.push({ partNumber: numbers[i], status: res.status, etag: res.headers.get("etag") || "", text: res.ok ? "" : await res.text() });
      }
      return out;
    };
    const first = await sendParts([1, 3]);
    check(`${provider} upload in parts: the storage accepts parts 1 and 3`, first.length === 2 && first.every((p) => p.status < 300), JSON.stringify(first));
    // a reload: the list step says what the storage holds
    const list = await api("list", { ...up, ...id });
    await same("list", list.json, { step: "list", ...id });
    const l = await fetch(list.json.url, { method: list.json.method, headers: list.json.headers });
    const listed = await api("answer", { provider, step: "list", status: l.status, body: await l.text() });
    const held = (listed.json?.parts || []).map((p) => p.partNumber).sort();
    check(`${provider} upload in parts: after a reload the list step names parts 1 and 3`, JSON.stringify(held) === "[1,3]", listed.text.slice(0, 300));
    const second = await sendParts([2]);
    check(`${provider} upload in parts: the storage accepts the missing part 2`, second.length === 1 && second[0].status < 300, JSON.stringify(second));
    const byNumber = Object.fromEntries([...first, ...second].map((p) => [p.partNumber, p]));
    const parts = plan.parts.map((p) => ({ partNumber: p.partNumber, etag: byNumber[p.partNumber].etag, ...(up.checksum ? { digest: digest(p) } : {}) }));
    const done = await api("complete", { ...up, ...id, parts });
    await same("complete", done.json, { step: "complete", ...id, parts });
    const d = await fetch(done.json.url, { method: done.json.method, headers: done.json.headers, body: new TextEncoder().encode(done.json.body) });
    const verdict = await api("answer", { provider, step: "complete", status: d.status, body: await d.text() });
    check(`${provider} upload in parts: the storage completes the upload`, verdict.json?.ok === true, `${d.status} ${verdict.text.slice(0, 300)}`);
    const get = await call(base, "/api/sign", { ...alice, body: { provider, op: "download", key: up.key } });
    const g = await fetch(get.json.url);
    const got = Buffer.from(await g.arrayBuffer());
    const sha = (b) => createHash("sha256").update(b).digest("hex");
    check(`${provider} upload in parts: the object downloaded has the SHA-256 of the ${up.size} bytes sent`, g.ok && sha(got) === sha(bytes), `${g.status} ${got.length} bytes`);
    if (provider !== "azure") {
      const ab = await api("abort", { ...up, ...id });
      await same("abort", ab.json, { step: "abort", ...id });
    } else {
      const ab = await api("abort", { ...up });
      check("azure upload in parts: abort is the library's UNSUPPORTED (501): uncommitted blocks expire", ab.status === 501 && ab.json?.error?.code === "UNSUPPORTED", ab.text.slice(0, 200));
    }
  }
  const lines = bindings.log().split("\n").filter((l) => l.includes('"op":"upload-part"'));
  check("each signed part is logged as one JSON audit line (op upload-part)", lines.length >= 6, `${lines.length} lines`);
}

// ---- the template bundled by wrangler ----------------------------------------------------------
async function wranglerBundle(base, storage) {
  const dir = project(base, "signer-template", packTarball(base), "module");
  for (const f of ["worker.js", "auth.js", "wrangler.toml"]) copyFileSync(join(ROOT, "www/worker", f), join(dir, f));
  const wdir = join(PREFIX, `wrangler-${VERSIONS.WRANGLER_VERSION}`);
  ensureNpm(wdir, `wrangler@${VERSIONS.WRANGLER_VERSION}`);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CLOUDFLARE_|CF_|WRANGLER_)/.test(k)));
  Object.assign(env, {
    WRANGLER_SEND_METRICS: "false", WRANGLER_SEND_ERROR_REPORTS: "false", WRANGLER_HIDE_BANNER: "true",
    CLOUDFLARE_CF_FETCH_ENABLED: "false", XDG_CONFIG_HOME: join(base, "xdg"), NO_COLOR: "1",
  });
  const log = sh("node", [join(wdir, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--outdir", "out"], { cwd: dir, env });
  const files = readdirSync(join(dir, "out"));
  const js = readFileSync(join(dir, "out", files.find((f) => f.endsWith(".js")) || "worker.js"), "utf8");
  check("wrangler deploy --dry-run bundles the template (worker.js + auth.js + presign, its server .wasm modules)",
    files.filter((f) => f.endsWith(".wasm")).length === 4 && js.includes("WWW-Authenticate".toLowerCase()) && js.includes("users/{sub}/"),
    `${files.join(" ")}\n${log.slice(-1500)}`);
  // The bundle itself under workerd, with the bindings a deployment would have: it refuses a caller
  // without a token, and signs for alice under users/alice/ a URL SeaweedFS accepts.
  const main = files.find((f) => f.endsWith(".js"));
  const modules = [`(name = "${main}", esModule = embed "${main}")`,
    ...files.filter((f) => f.endsWith(".wasm")).map((f) => `(name = "${f}", wasm = embed "${f}")`)];
  const bindings = Object.entries({ JWT_SECRET, ...storage }).map(([k, v]) => `(name = "${k}", text = ${JSON.stringify(v)})`);
  const [port] = await freePorts(1);
  writeFileSync(join(dir, "out/config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .w) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const w :Workerd.Worker = (modules = [ ${modules.join(", ")} ], bindings = [ ${bindings.join(", ")} ], compatibilityDate = "2025-09-01");
`);
  const worker = await serve(join(dir, "out/config.capnp"), port);
  try {
    const b = `http://127.0.0.1:${port}`;
    const none = await call(b, "/api/sign", { body: upload("users/alice/a.txt", 1) });
    check("the wrangler bundle under workerd: no credential -> 401 with WWW-Authenticate: Bearer",
      none.status === 401 && /^Bearer\b/.test(none.headers.get("www-authenticate") || ""), `${none.status} ${none.text.slice(0, 200)}`);
    const bob = await call(b, "/api/sign", { token: hs(claims()), body: upload("users/bob/a.txt", 1) });
    check("the wrangler bundle under workerd: another user's prefix -> 403", bob.status === 403, `${bob.status} ${bob.text.slice(0, 200)}`);
    const [ok, detail] = await roundTrip(b, { token: hs(claims()) }, "s3", "users/alice/from the wrangler bundle.txt", `bundle ${Date.now()}`);
    check("the wrangler bundle under workerd: an HS256 caller's URLs are accepted by SeaweedFS (PUT, then GET)", ok, detail + worker.log());
  } finally {
    worker.child.kill();
  }
  check("the template binds no DEMO_TOKENS and no secret in wrangler.toml",
    !/DEMO_TOKENS\s*=|JWT_SECRET\s*=|SESSION_SECRET\s*=|SECRET_ACCESS_KEY\s*=/.test(readFileSync(join(ROOT, "www/worker/wrangler.toml"), "utf8")), "");
}

async function main() {
  if (!distBuilt()) {
    console.log("pkg/dist is missing: run bash pkg/build.sh first");
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
  const base = mkdtempSync(join(tmpdir(), "presign-worker-auth-"));
  const cleanup = [];
  try {
    const bucket = "presign-worker-auth";
    const servers = { s3: server("s3"), azure: server("azurite"), gcs: server("gcs") };
    for (const sv of Object.values(servers)) if (sv.stop) cleanup.push(sv.stop);
    const all = { ...servers.s3.env, ...servers.azure.env, ...servers.gcs.env };
    // the bucket / container on each (www/storage.py, as demo.sh makes them)
    execFileSync(join(PREFIX, "py/venv/bin/python"), [join(ROOT, "www/storage.py"), "setup"], {
      stdio: "ignore", env: { ...serverEnv, ...all, DEMO_BUCKET: bucket },
    });
    const [port, jwksPort] = await freePorts(2);
    const jwksServer = createServer((req, res) => {
      jwksHits++;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(JWKS_AT_URL));
    });
    await new Promise((r) => jwksServer.listen(jwksPort, "127.0.0.1", r));
    cleanup.push(() => jwksServer.close());
    const storage = {
      S3_ENDPOINT: all.S3_ENDPOINT, S3_ACCESS_KEY_ID: all.S3_ACCESS_KEY, S3_SECRET_ACCESS_KEY: all.S3_SECRET_KEY,
      S3_REGION: "us-east-1", S3_BUCKET: bucket,
      AZURE_CONNECTION_STRING: all.AZURITE_CONNECTION_STRING, AZURE_CONTAINER: bucket,
      GCS_ENDPOINT: all.GCS_ENDPOINT, GCS_BUCKET: bucket, GCS_SERVICE_ACCOUNT: readFileSync(all.GCS_SERVICE_ACCOUNT_JSON, "utf8"),
    };
    const worker = await startWorker(join(base, "worker"), port, {
      JWT_SECRET, SESSION_SECRET, JWKS: JSON.stringify(JWKS), JWKS_URL: `http://127.0.0.1:${jwksPort}/jwks.json`,
      JWT_ISSUER: ISS, JWT_AUDIENCE: AUD, ORIGIN: APP, MAX_UPLOAD_BYTES: String(MAX_UPLOAD), ...storage,
    });
    cleanup.push(() => worker.child.kill());
    await signerChecks(`http://127.0.0.1:${port}`, worker);
    await multipartChecks(`http://127.0.0.1:${port}`, { ...storage, log: worker.log });
    if (process.env.SKIP_WRANGLER !== "1") {
      try {
        await wranglerBundle(base, {
          S3_ENDPOINT: all.S3_ENDPOINT, S3_ACCESS_KEY_ID: all.S3_ACCESS_KEY, S3_SECRET_ACCESS_KEY: all.S3_SECRET_KEY, S3_BUCKET: bucket,
        });
      } catch (e) {
        check("wrangler deploy --dry-run of the template", false, `${e.message}\n${e.stdout || ""}\n${e.stderr || ""}`);
      }
    }
  } catch (e) {
    check("worker_auth run", false, String(e.stack || e));
  } finally {
    for (const f of cleanup.reverse()) {
      try {
        f();
      } catch { /* already gone */ }
    }
    rmSync(base, { recursive: true, force: true });
  }
  t.summary();
  process.exit(t.failed ? 1 : 0);
}

main();
