// Shared by the tests of the packed npm package (tests/npm_packaging.mjs, tests/npm_bundlers.mjs): the
// probe every client runs (the same requests, POST policies and CORS configurations, signed through the
// package), the native CLI's answers for them (`presign batch`, `presign post --json-request`,
// `presign cors`), and the comparison; `npm pack` of pkg/ and fresh projects that install the tarball;
// running a worker in workerd, and a built page in headless Chromium (playwright-core + Debian's
// chromium), each returning the probe's output.
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import { extname, join, normalize } from "node:path";
import { ensureApt, ensureNpm, PREFIX, ROOT, VERSIONS } from "./demo_stack.mjs";

const PRESIGN = process.env.PRESIGN_BIN || join(ROOT, "target/release/presign");
const { DENO_VERSION, WORKERD_VERSION, PLAYWRIGHT_CORE_VERSION } = VERSIONS;
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

const AT = "2026-11-24T10:00:00Z";
export const REQUESTS = [
  {
    provider: "s3", method: "PUT", bucket: "my-bucket", key: "uploads/cat 1+ü (x).jpg", region: "eu-west-1",
    headers: { "Content-Type": "image/jpeg" }, expiresIn: 600, signedAt: AT,
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", sessionToken: "tok/+=" },
  },
  {
    provider: "s3", bucket: "examplebucket", key: "test.txt", expiresIn: 86400, signedAt: "2013-05-24T00:00:00Z",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  },
  {
    provider: "azure", method: "PUT", container: "photos", blob: "dir/cat 1+%#?ü.jpg", expiresIn: 600, signedAt: AT,
    credentials: { connectionString: "UseDevelopmentStorage=true" },
  },
  {
    provider: "azure", account: "myaccount", container: "docs", blob: "report.pdf", permissions: "r", signedAt: AT,
    responseHeaders: { contentDisposition: "attachment; filename=\"r.pdf\"" },
    credentials: { accountKey: "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5" },
  },
  {
    provider: "gcs", method: "PUT", bucket: "my-bucket", object: "uploads/cat 1+ü.jpg", signedAt: AT,
    headers: { "content-type": "image/jpeg", "x-goog-content-length-range": "0,1048576" },
    credentials: { hmac: { accessId: "GOOG1EEXAMPLE", secret: "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ" } },
  },
];
// Form uploads (POST policies): S3 with a prefix, a size range, a content-type family, metadata and a
// session token; S3 path style on a custom endpoint with ${filename}; GCS HMAC with an exact key,
// content type, metadata and a redirect; GCS HMAC with a prefix; Azure (none: UNSUPPORTED).
const POSTS = [
  {
    provider: "s3", bucket: "my-bucket", keyPrefix: "uploads/ü+ /", region: "eu-west-1", signedAt: AT, expiresIn: 600,
    contentLengthRange: { min: 1, max: 10000000 }, contentTypePrefix: "image/", metadata: { owner: "alice ü" },
    successActionStatus: 201,
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", sessionToken: "tok/+=" },
  },
  {
    provider: "s3", bucket: "presign-demo", key: "inbox/${filename}", endpoint: "http://127.0.0.1:8333", urlStyle: "path",
    region: "us-east-1", signedAt: AT, contentType: "text/plain", cacheControl: "no-cache", acl: "private",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  },
  {
    provider: "gcs", bucket: "my-bucket", key: "uploads/cat 1+ü.jpg", signedAt: AT, expiresIn: 3600,
    contentType: "image/jpeg", contentLengthRange: { min: 0, max: 1048576 }, metadata: { owner: "bob" },
    successActionRedirect: "https://example.com/done?x=1&y=ü",
    credentials: { hmac: { accessId: "GOOG1EEXAMPLE", secret: "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ" } },
  },
  {
    provider: "gcs", bucket: "my-bucket", keyPrefix: "inbox/", signedAt: AT, contentTypePrefix: "text/", successActionStatus: 204,
    credentials: { hmac: { accessId: "GOOG1EEXAMPLE", secret: "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ" } },
  },
  { provider: "azure", bucket: "photos", keyPrefix: "uploads/", signedAt: AT },
];

// CORS configurations; `cli` are the matching `presign cors` arguments (requests go on stdin).
const CORS = [
  {
    opts: { provider: "s3", origins: ["https://app.example.com", "http://127.0.0.1:8790"], requests: [
      { method: "PUT", headers: { "content-type": "image/png", "content-length": "12", "x-amz-meta-owner": "a" } },
      { method: "GET" }, { method: "POST" }] },
    cli: ["s3", "--origin", "https://app.example.com", "--origin", "http://127.0.0.1:8790"],
  },
  {
    opts: { provider: "s3", origins: ["https://app.example.com"], format: "s3-xml", maxAge: 600, requests: [
      { method: "PUT", headers: { "Content-Type": "text/plain", "x-amz-checksum-sha256": "x" } }, { method: "DELETE" }] },
    cli: ["s3", "--origin", "https://app.example.com", "--format", "s3-xml", "--max-age", "600"],
  },
  {
    opts: { provider: "gcs", origins: ["*"], requests: [
      { method: "PUT", headers: { "content-type": "image/jpeg", "x-goog-content-length-range": "0,1048576" } },
      { method: "POST", headers: { "x-goog-resumable": "start" } }, { method: "GET" }] },
    cli: ["gcs", "--origin", "*"],
  },
  {
    opts: { provider: "azure", origins: ["https://app.example.com"], requests: [
      { method: "PUT", headers: { "x-ms-blob-type": "BlockBlob", "content-type": "image/png" } }, { method: "GET" }, { method: "HEAD" }] },
    cli: ["azure", "--origin", "https://app.example.com"],
  },
];

// An S3 Multi-Region Access Point (SigV4a, ECDSA P-256 in the wasm): presign/sigv4a, whose point is
// to run where the AWS SDK's CRT cannot (workerd, browsers). RFC 6979: the CLI's URL, byte for byte.
const MRAP = {
  provider: "s3", method: "PUT", bucket: "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap", key: "uploads/cat 1+ü.jpg",
  regionSet: "us-east-1,eu-west-1", signedAt: AT, expiresIn: 900, headers: { "content-type": "image/jpeg" },
  credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", sessionToken: "tok+/=" },
};

// An S3 Express One Zone directory bucket with session credentials: presign/s3express signs it for the
// zonal endpoint (the CLI's URL, byte for byte); presign/s3, built without the feature, refuses it
// (UNSUPPORTED, naming presign/s3express) rather than signing it as an ordinary bucket.
const EXPRESS = {
  provider: "s3", method: "GET", bucket: "photos--usw2-az1--x-s3", key: "cat 1+ü.jpg", region: "us-west-2",
  signedAt: AT, expiresIn: 300,
  credentials: { accessKeyId: "ASIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", sessionToken: "session+/=" },
};

// An upload in parts (presign/multipart): an S3 plan with an upload id, so every part is signed.
const PLAN = {
  provider: "s3", bucket: "my-bucket", key: "uploads/big ü+.bin", region: "eu-west-1", signedAt: AT, expiresIn: 900,
  size: 20 * 1024 * 1024 + 3, partSize: 8 * 1024 * 1024, uploadId: "up+id/1=",
  credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
};

const BAD = { provider: "s3", bucket: "b", key: "", credentials: { accessKeyId: "a", secretAccessKey: "TOPSECRET" } };

// Which entry each name of the probe comes from: the URL signer of all three providers ("presign"),
// each provider's own entry, form uploads and CORS; every entry is imported in every runtime.
const USE = [
  ["", ["presign", "presignMany", "createPresigner", "PresignError"]],
  ["/s3", ["presign as s3Presign", "presignMany as s3PresignMany", "createPresigner as s3Client"]],
  ["/azure", ["presign as azurePresign", "presignMany as azurePresignMany", "createPresigner as azureClient"]],
  ["/gcs", ["presign as gcsPresign", "presignMany as gcsPresignMany", "createPresigner as gcsClient"]],
  ["/post", ["presignPost"]],
  ["/cors", ["corsRules"]],
  ["/sigv4a", ["presign as sigv4aPresign"]],
  ["/s3express", ["presign as s3expressPresign"]],
  ["/upload", ["Hasher"]],
  ["/multipart", ["planUpload"]],
];
/** The entries the probe imports ("", "/s3", …). */
export const PROBE_ENTRIES = USE.map(([sub]) => sub);
/**
 * The probe's imports as ES modules (`esm`) or `require` (`cjs`); `from(sub)` names the module of
 * the entry `sub` ("" or "/s3" …; default: the package's own specifier).
 */
export function imports(kind, from = (sub) => `presign${sub}`) {
  return USE.map(([sub, names]) => kind === "cjs"
    ? `const { ${names.map((n) => n.replace(" as ", ": ")).join(", ")} } = require("${from(sub)}");`
    : `import { ${names.join(", ")} } from "${from(sub)}";`).join("\n");
}

// What a client takes per call; the rest of a request is the client's configuration.
const CALL = ["method", "key", "blob", "object", "headers", "expiresIn", "signedAt", "permissions", "responseHeaders"];

// The script each runtime runs: sign REQUESTS one by one and with presignMany, through the
// three-provider entry, the provider's own entry and a client object of each; try BAD; sign
// POSTS and CORS; print JSON.
export const PROBE = (imp) => `${imp}
const requests = ${JSON.stringify(REQUESTS)};
const CALL = ${JSON.stringify(CALL)};
const entry = { s3: [s3Presign, s3PresignMany, s3Client], azure: [azurePresign, azurePresignMany, azureClient], gcs: [gcsPresign, gcsPresignMany, gcsClient] };
const split = (r) => {
  const config = {}, call = {};
  for (const [k, v] of Object.entries(r)) (CALL.includes(k) ? call : config)[k] = v;
  return [config, call];
};
const one = requests.map((r) => presign(r));
const many = presignMany(requests);
const own = requests.map((r) => entry[r.provider][0](r));
const ownMany = requests.map((r) => entry[r.provider][1]([r])[0]);
const client = requests.map((r) => {
  const [config, call] = split(r);
  const c = createPresigner(config);
  try { return [c.presign(call), c.presignMany([call, call])]; } finally { c.free(); }
});
const ownClient = requests.map((r) => {
  const [config, call] = split(r);
  const c = entry[r.provider][2](config);
  try { return c.presign(call); } finally { c.free(); }
});
let error = null;
try { presign(${JSON.stringify(BAD)}); } catch (e) {
  error = { isPresignError: e instanceof PresignError, isError: e instanceof Error, code: e.code, name: e.name, message: e.message };
}
const posts = ${JSON.stringify(POSTS)}.map((r) => {
  try { return presignPost(r); } catch (e) { return { error: { code: e.code, message: e.message } }; }
});
const cors = ${JSON.stringify(CORS.map((c) => c.opts))}.map((o) => corsRules(o));
const mrap = sigv4aPresign(${JSON.stringify(MRAP)});
const express = s3expressPresign(${JSON.stringify(EXPRESS)});
let expressInS3 = null;
try { expressInS3 = { url: s3Presign(${JSON.stringify(EXPRESS)}).url }; } catch (e) { expressInS3 = { code: e.code, message: e.message }; }
const sum = (a) => new Hasher(a).update("1234").update(new TextEncoder().encode("56789"));
const upload = [sum("crc32c").digestHeaders("s3"), sum("crc64nvme").digestHeaders("azure"), sum("md5").digestHeaders("gcs"), sum("sha256").digestHeaders("s3")];
const plan = planUpload(${JSON.stringify(PLAN)});
const out = JSON.stringify({ one, many, own, ownMany, client, ownClient, error, posts, cors, mrap, express, expressInS3, upload, plan });
`;

function expected() {
  const lines = REQUESTS.map((r) => JSON.stringify(r)).join("\n") + "\n";
  const out = execFileSync(PRESIGN, ["batch"], { input: lines, env: { PATH: process.env.PATH } });
  return out.toString().trim().split("\n").map((l) => JSON.parse(l));
}

// `presign post --json-request` exits 1 when a line failed (Azure's): read its output anyway.
let postsWanted = null;
function expectedPosts() {
  if (!postsWanted) {
    const r = spawnSync(PRESIGN, ["post", "--json-request"], {
      input: POSTS.map((p) => JSON.stringify(p)).join("\n") + "\n", env: { PATH: process.env.PATH }, encoding: "utf8",
    });
    postsWanted = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  }
  return postsWanted;
}

let corsWanted = null;
function expectedCors() {
  corsWanted ||= CORS.map((c) => execFileSync(PRESIGN, ["cors", ...c.cli, "--stdin"], {
    input: c.opts.requests.map((r) => JSON.stringify(r)).join("\n") + "\n", env: { PATH: process.env.PATH }, encoding: "utf8",
  }));
  return corsWanted;
}

/**
 * Checks a probe's output (its last line) against the native CLI's answers: one node:test subtest of
 * `t` (a test's context) per check, each named after `runtime`.
 */
export async function verifyProbe(t, runtime, text) {
  let got;
  try {
    got = JSON.parse(text.trim().split("\n").pop());
  } catch {
    await t.test(`${runtime}: prints a result`, () => assert.fail(`not JSON: ${text.slice(0, 500)}`));
    return;
  }
  // Both sides re-serialised with JSON.stringify: member order and every string are compared.
  const same = (g, w) => assert.equal(JSON.stringify(g), JSON.stringify(w));
  const want = expected();
  for (const [i, r] of REQUESTS.entries()) {
    await t.test(`${runtime}: ${r.provider} #${i} presign() equals the native CLI`, () => same(got.one[i], want[i]));
    await t.test(`${runtime}: ${r.provider} #${i} presignMany() equals the native CLI`, () => same(got.many[i], want[i]));
    const client = (got.client || [])[i] || [];
    for (const [what, g] of [
      [`presign/${r.provider}'s presign()`, (got.own || [])[i]],
      [`presign/${r.provider}'s presignMany()`, (got.ownMany || [])[i]],
      ["createPresigner(config).presign(call)", client[0]],
      ["createPresigner(config).presignMany([call, call]) (both)", (client[1] || [])[0]],
      ["createPresigner(config).presignMany([call, call]) (second)", (client[1] || [])[1]],
      [`presign/${r.provider}'s createPresigner(config).presign(call)`, (got.ownClient || [])[i]],
    ]) {
      await t.test(`${runtime}: ${r.provider} #${i} ${what} equals the native CLI`, () => same(g, want[i]));
    }
  }
  const posts = expectedPosts();
  for (const [i, r] of POSTS.entries()) {
    await t.test(`${runtime}: ${r.provider} form #${i} presignPost() equals \`presign post --json-request\``,
      () => same((got.posts || [])[i], posts[i]));
  }
  const cors = expectedCors();
  for (const [i, c] of CORS.entries()) {
    const g = (got.cors || [])[i] || {};
    // the CLI prints the rules text and a newline
    await t.test(`${runtime}: corsRules(${c.opts.provider}, ${c.opts.format || "native"}) rules equal \`presign cors\` byte for byte`,
      () => assert.equal(g.rules + "\n", cors[i]));
    await t.test(`${runtime}: corsRules(${c.opts.provider}) lists the origins and every method asked for`, () => {
      assert.deepEqual(g.allowedOrigins, c.opts.origins);
      for (const q of c.opts.requests) assert.ok((g.allowedMethods || []).includes(q.method), `${q.method} not in ${JSON.stringify(g)}`);
    });
  }
  const mrap = JSON.stringify(execFileSync(PRESIGN, ["batch"], { input: JSON.stringify(MRAP) + "\n", env: { PATH: process.env.PATH } })
    .toString().trim().split("\n").map((l) => JSON.parse(l))[0]);
  await t.test(`${runtime}: presign/sigv4a (S3 Multi-Region Access Point, SigV4a) equals the native CLI`,
    () => assert.equal(JSON.stringify(got.mrap), mrap));
  const express = JSON.stringify(execFileSync(PRESIGN, ["batch"], { input: JSON.stringify(EXPRESS) + "\n", env: { PATH: process.env.PATH } })
    .toString().trim().split("\n").map((l) => JSON.parse(l))[0]);
  await t.test(`${runtime}: presign/s3express (S3 Express One Zone directory bucket) equals the native CLI`, () => {
    assert.equal(JSON.stringify(got.express), express);
    assert.match(String((got.express || {}).url), /^https:\/\/photos--usw2-az1--x-s3\.s3express-usw2-az1\.us-west-2\.amazonaws\.com\/.*X-Amz-S3session-Token=/);
  });
  await t.test(`${runtime}: presign/s3 refuses a directory bucket (UNSUPPORTED, naming presign/s3express)`, () => {
    const g = got.expressInS3 || {};
    assert.equal(g.code, "UNSUPPORTED", JSON.stringify(g));
    assert.match(String(g.message), /presign\/s3express/);
  });
  // presign/upload: the streaming Hasher's headers for "123456789" fed in two chunks = `presign checksum`'s.
  const checkFile = join(PREFIX, "npm-probe-123456789.txt");
  writeFileSync(checkFile, "123456789");
  const uploadWant = [["crc32c", "s3"], ["crc64nvme", "azure"], ["md5", "gcs"], ["sha256", "s3"]].map(([a, f]) =>
    Object.fromEntries(execFileSync(PRESIGN, ["checksum", "-a", a, "--format", f, checkFile], { encoding: "utf8" })
      .trim().split("\n").map((l) => l.split(": "))));
  await t.test(`${runtime}: presign/upload's Hasher headers equal \`presign checksum\``,
    () => assert.equal(JSON.stringify(got.upload), JSON.stringify(uploadWant)));
  // presign/multipart: the plan equals the CLI's (`presign upload-plan --json-request`).
  const planWant = JSON.parse(execFileSync(PRESIGN, ["upload-plan", "--json-request"], {
    input: `${JSON.stringify(PLAN)}\n`, encoding: "utf8", env: { PATH: process.env.PATH },
  }));
  await t.test(`${runtime}: presign/multipart's planUpload equals \`presign upload-plan\``,
    () => assert.equal(JSON.stringify(got.plan), JSON.stringify(planWant)));
  const e = got.error || {};
  await t.test(`${runtime}: bad input throws PresignError with code INVALID_KEY, no secret`, () => {
    assert.deepEqual({ isPresignError: e.isPresignError, isError: e.isError, code: e.code, name: e.name },
      { isPresignError: true, isError: true, code: "INVALID_KEY", name: "PresignError" });
    assert.ok(!String(e.message).includes("TOPSECRET"), `the message holds the secret: ${e.message}`);
  });
}


/** Runs a command; its stdout as text (stderr is kept on the thrown error). */
export function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...opts }).toString();
}

/** `npm pack` of pkg/ (pkg/dist must be built) into `base`; the tarball's path. */
export function packTarball(base) {
  return join(base, sh("npm", ["pack", join(ROOT, "pkg"), "--pack-destination", base, "--silent"]).trim().split("\n").pop());
}

/** The package built? (pkg/build.sh writes pkg/dist). */
export const distBuilt = () => existsSync(join(ROOT, "pkg/dist/main/web/presign_main_bg.wasm"));

/** A fresh npm project `base/name` (package.json of `type`) with the tarball installed; its path. */
export function project(base, name, tarball, type) {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type }) + "\n");
  sh("npm", ["install", "--no-fund", "--no-audit", "--loglevel=error", tarball], { cwd: dir });
  return dir;
}

/** Deno's binary (npm `deno`, installed into $SERVERS_PREFIX/deno when missing). */
export function denoBin() {
  ensureNpm(join(PREFIX, "deno"), `deno@${DENO_VERSION}`);
  return join(PREFIX, "deno/node_modules/@deno/linux-x64-glibc/deno");
}

/** Environment for Deno: no update check, its cache under $SERVERS_PREFIX. */
export const denoEnv = () => ({ ...process.env, DENO_NO_UPDATE_CHECK: "1", DENO_DIR: join(PREFIX, "deno/cache") });

/** workerd's binary (npm `workerd`, installed into $SERVERS_PREFIX/workerd when missing). */
export function workerdBin() {
  ensureNpm(join(PREFIX, "workerd"), `workerd@${WORKERD_VERSION}`);
  return join(PREFIX, "workerd/node_modules/@cloudflare/workerd-linux-64/bin/workerd");
}

/**
 * Serves the worker `main` (an ES module in `dir`) with workerd on a loopback port, GETs `/` once and
 * stops it; the response's text. `modules`: the other modules, [{ name, type: "esModule" | "wasm" }],
 * each a file `dir/name`.
 */
export async function runWorkerd(dir, main, modules, compatibilityDate = "2025-09-01") {
  const bin = workerdBin();
  const list = [{ name: main, type: "esModule" }, ...modules]
    .map((m) => `(name = "${m.name}", ${m.type} = embed "${m.name}")`);
  const [port] = await freePorts(1);
  writeFileSync(join(dir, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .w) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const w :Workerd.Worker = (
  modules = [ ${list.join(", ")} ],
  compatibilityDate = "${compatibilityDate}",
);
`);
  const child = spawn(bin, ["serve", join(dir, "config.capnp")], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  try {
    return await fetchText(`http://127.0.0.1:${port}/`, () => `workerd did not answer: ${log}`, 100, () => child.exitCode !== null);
  } finally {
    child.kill();
  }
}

/** `n` distinct loopback TCP ports that were free a moment ago (the OS's picks), for servers started next. */
export async function freePorts(n) {
  const servers = [];
  try {
    for (let i = 0; i < n; i++) {
      const srv = net.createServer();
      servers.push(srv);
      await new Promise((resolve, reject) => srv.on("error", reject).listen(0, "127.0.0.1", resolve));
    }
    return servers.map((srv) => srv.address().port);
  } finally {
    await Promise.all(servers.map((srv) => new Promise((r) => srv.close(r))));
  }
}

/**
 * GETs `url` until it answers (`tries` times, 100 ms apart); its text, or `onFail()` when it never does
 * or `gone()` says the server has exited.
 */
export async function fetchText(url, onFail, tries = 100, gone = () => false) {
  for (let i = 0; i < tries && !gone(); i++) {
    try {
      const r = await fetch(url);
      return await r.text();
    } catch {
      await new Promise((res) => setTimeout(res, 100));
    }
  }
  return onFail();
}

/**
 * Serves the built site in `out` (index.html and its assets) from a loopback HTTP server, opens it
 * in headless Chromium and returns `window.__probe` once the page has set it (or a text naming the
 * page's errors).
 */
export async function probeInChromium(out) {
  ensureNpm(join(PREFIX, "playwright-core"), `playwright-core@${PLAYWRIGHT_CORE_VERSION}`);
  ensureApt(CHROMIUM, "chromium");
  const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
  const server = http.createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^\/+/, "") || "index.html";
    const file = join(out, path);
    if (!file.startsWith(out) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const require = createRequire(import.meta.url);
  const { chromium } = require(join(PREFIX, "playwright-core/node_modules/playwright-core"));
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, timeout: 60000,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const errors = [];
  try {
    const page = await browser.newPage();
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.__probe, null, { timeout: 30000 }).catch(() => {});
    return (await page.evaluate(() => window.__probe)) || `no result from the page; errors: ${errors.join("; ")}`;
  } finally {
    await browser.close().catch(() => {});
    server.close();
  }
}
