// presign/credentials' gcsSignBlobSigner over real HTTP against the local signBlob stand-in
// (tests/servers/signblob.py, started here on a free port with Google's conformance key), with
// presignAsync / presignPostAsync of the "presign", "presign/gcs" and "presign/post" entries
// (pkg/dist/<entry>/node.js, built by pkg/build.sh).
//
// Checks: Google's V4 conformance cases (URLs and POST policies) signed through signBlob equal
// Google's expected URLs and fields; generated requests signed through signBlob equal the CLI's
// private-key signatures (`presign batch`, PRESIGN_BIN or target/release/presign, built with
// `cargo build --release --features cli`); the signBlob request (bearer token, JSON payload) as the
// stand-in received it; Google's error documents (wrong token, unknown account) reject with
// SERVICE_ERROR without the token; bad options reject early with typed errors; the user's own
// fetch and token function are used; any plain { clientEmail, sign } object works as a signer.
//
// What the stand-in proves and does not: the client's half of signBlob (the request, the answer, the
// URL completed with it). Google's IAM authorization (roles, scopes) is not modelled.
// Run: node tests/credentials_gcs.mjs   Last line: "N passed, M failed".
import { assert, test, after } from "./support/harness.mjs";
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { browserEntry } from "./support/browser_entry.mjs";
import { fieldsObject, KEY, postRequest, urlRequest, VECTORS } from "./support/gcs_conformance.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const load = (dir) => import(pathToFileURL(join(ROOT, `pkg/dist/${dir}/node.js`)).href);
const { gcsSignBlobSigner, PresignError } = await load("credentials");
const main = await load("main");
const gcsEntry = await load("gcs");
const gcsWeb = await browserEntry(ROOT, "gcs"); // the browser builds: their requests read in JS
const mainWeb = await browserEntry(ROOT, "main");
const { presignPostAsync } = await load("post");
const PY = join(process.env.SERVERS_PREFIX || "/tmp/presign-servers", "py/venv/bin/python");
const PRESIGN_BIN = process.env.PRESIGN_BIN || join(ROOT, "target", "release", "presign");
const TOKEN = "ya29.test-token-for-the-stand-in";

// --- the stand-in, on a free port ---------------------------------------------------------------
const child = spawn(PY, [join(ROOT, "tests/servers/signblob.py"), "--listen", "127.0.0.1:0", "--token", TOKEN,
  "--account", join(ROOT, "tests/vectors/gcs/test_service_account.not-a-test.json")], { stdio: ["ignore", "pipe", "inherit"] });
after(() => child.kill());
const ENDPOINT = await new Promise((resolve, reject) => {
  child.once("exit", (code) => reject(new Error(`signblob.py exited ${code}`)));
  createInterface({ input: child.stdout }).once("line", (l) => resolve(l.split("=")[1]));
});
const last = async () => (await fetch(`${ENDPOINT}/_last`)).json();
const options = { serviceAccountEmail: KEY.client_email, accessToken: TOKEN, endpoint: ENDPOINT };
const signer = gcsSignBlobSigner(options);

async function rejects(f, code, check = () => {}) {
  let out;
  try {
    out = await f();
  } catch (e) {
    assert.ok(e instanceof PresignError, `not a PresignError: ${e && e.stack}`);
    assert.equal(e.code, code, e.message);
    return check(e);
  }
  assert.fail(`resolved ${JSON.stringify(out)?.slice(0, 200)}`);
}

// --- Google's conformance cases, through signBlob ---------------------------------------------------
for (const t of VECTORS.signingV4Tests) {
  const req = urlRequest(t, { signer });
  if (!req) continue;
  test(`conformance url (presign): ${t.description}`, async () => assert.equal((await main.presignAsync(req)).url, t.expectedUrl));
  test(`conformance url (presign/gcs): ${t.description}`, async () => assert.equal((await gcsEntry.presignAsync(req)).url, t.expectedUrl));
  test(`conformance url (presign/gcs, browser build): ${t.description}`, async () => assert.equal((await gcsWeb.presignAsync(req)).url, t.expectedUrl));
  // The same with the key itself, signed by WebCrypto (the key file whole: its other fields skipped).
  const keyed = urlRequest(t, { serviceAccount: KEY });
  test(`conformance url (presign/gcs, browser build, key): ${t.description}`, async () => assert.equal((await gcsWeb.presignAsync(keyed)).url, t.expectedUrl));
  test(`conformance url (presign, browser build): ${t.description}`, async () => assert.equal((await mainWeb.presignAsync(req)).url, t.expectedUrl));
  test(`conformance url (presign, browser build, key): ${t.description}`, async () => assert.equal((await mainWeb.presignAsync(keyed)).url, t.expectedUrl));
}
for (const t of VECTORS.postPolicyV4Tests) {
  test(`conformance post: ${t.description}`, async () => {
    const form = await presignPostAsync(postRequest(t, { signer }));
    assert.equal(form.url, t.policyOutput.url);
    assert.deepEqual(fieldsObject(form.fields), t.policyOutput.fields);
  });
}

// --- the same requests as the CLI's private-key signature ------------------------------------------
test("generated requests: signBlob URLs equal the CLI's private-key URLs", async () => {
  assert.ok(existsSync(PRESIGN_BIN), `${PRESIGN_BIN} not found; build it: cargo build --release --features cli`);
  const names = ["a.txt", "dir/sub dir/caf\u00e9 \u{1F600}.bin", "q?#%&=+.txt", "~tilde/../x"];
  const reqs = [];
  for (let i = 0; i < 40; i++) {
    const r = {
      provider: "gcs", bucket: i % 3 ? "test-bucket" : "my.dotted.bucket", object: names[i % names.length],
      method: ["GET", "PUT", "DELETE", "HEAD", "POST"][i % 5], expiresIn: 1 + i * 15000,
      signedAt: new Date(Date.UTC(2026, 10, 24, 10, 0, i)).toISOString().replace(".000", ""),
    };
    if (i % 4 === 1) r.headers = { "Content-Type": "text/plain", "x-goog-meta-Owner": " a  b " };
    if (i % 6 === 2) r.query = { "response-content-disposition": 'attachment; filename="a b.txt"', generation: "17" };
    if (i % 7 === 3) {
      r.urlStyle = "virtualHosted";
      r.bucket = "test-bucket";
    }
    if (i % 9 === 4 && !r.urlStyle) r.endpoint = "http://127.0.0.1:4444";
    reqs.push(r);
  }
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|AZURE_|GOOGLE_|GCS_)/.test(k)));
  const p = spawnSync(PRESIGN_BIN, ["batch"], {
    input: reqs.map((r) => JSON.stringify({ ...r, credentials: { serviceAccount: KEY } }) + "\n").join(""), env,
  });
  assert.equal(p.status, 0, `${p.stderr} ${p.stdout.toString().split("\n").filter((l) => l.includes("error")).join("\n")}`);
  const cli = p.stdout.toString().split("\n").filter(Boolean).map((l) => JSON.parse(l));
  assert.equal(cli.length, reqs.length);
  for (const [i, r] of reqs.entries()) {
    const got = await main.presignAsync({ ...r, credentials: { signer } });
    assert.equal(got.url, cli[i].url, JSON.stringify(r));
    assert.deepEqual(got.headers, cli[i].headers);
    assert.equal(got.expiresAt, cli[i].expiresAt);
  }
});

// --- the request the stand-in received ----------------------------------------------------------------
test("the signBlob request: POST with the bearer token and {payload: base64(string to sign)}", async () => {
  let stringToSign;
  const spy = { clientEmail: signer.clientEmail, sign: (s) => { stringToSign = s; return signer.sign(s); } };
  await main.presignAsync({ provider: "gcs", bucket: "my-bucket", object: "o", credentials: { signer: spy } });
  const seen = await last();
  assert.equal(seen.path, `/v1/projects/-/serviceAccounts/${KEY.client_email}:signBlob?alt=json`);
  assert.equal(seen.headers.authorization, `Bearer ${TOKEN}`);
  assert.equal(seen.headers["content-type"], "application/json");
  assert.deepEqual(JSON.parse(seen.body), { payload: Buffer.from(stringToSign).toString("base64") });
  assert.match(stringToSign, /^GOOG4-RSA-SHA256\n/);
});

// --- errors ------------------------------------------------------------------------------------------
test("a wrong token: SERVICE_ERROR with Google's UNAUTHENTICATED, the token not echoed", () => rejects(
  () => main.presignAsync({ provider: "gcs", bucket: "my-bucket", object: "o",
    credentials: { signer: gcsSignBlobSigner({ ...options, accessToken: "ya29.WRONGSECRET" }) } }),
  "SERVICE_ERROR", (e) => {
    assert.match(e.message, /401.*UNAUTHENTICATED/);
    assert.doesNotMatch(e.message, /WRONGSECRET/);
  }));
test("an unknown account: SERVICE_ERROR with NOT_FOUND", () => rejects(
  () => presignPostAsync({ provider: "gcs", bucket: "my-bucket", key: "o",
    credentials: { signer: gcsSignBlobSigner({ ...options, serviceAccountEmail: "nobody@x.iam.gserviceaccount.com" }) } }),
  "SERVICE_ERROR", (e) => assert.match(e.message, /404.*NOT_FOUND/)));
test("bad options reject when the signer is made", async () => {
  await rejects(() => gcsSignBlobSigner({ ...options, serviceAccountEmail: "not-an-email" }), "INVALID_CREDENTIALS");
  await rejects(() => gcsSignBlobSigner({ ...options, endpoint: "http://iam.example.com" }), "INVALID_ENDPOINT");
  await rejects(() => gcsSignBlobSigner({ ...options, endpoint: undefined, universeDomain: "https://x" }), "INVALID_ENDPOINT");
  await rejects(() => gcsSignBlobSigner({ ...options, unknownOption: 1 }), "INVALID_REQUEST");
});
test("no token: INVALID_CREDENTIALS at the first signature", () => rejects(
  () => main.presignAsync({ provider: "gcs", bucket: "my-bucket", object: "o",
    credentials: { signer: gcsSignBlobSigner({ ...options, accessToken: undefined }) } }),
  "INVALID_CREDENTIALS"));
test("a signer beside other credentials, or not a signer: INVALID_CREDENTIALS", async () => {
  await rejects(() => main.presignAsync({ provider: "gcs", bucket: "my-bucket", object: "o", credentials: { signer, hmac: { accessId: "a", secret: "s" } } }), "INVALID_CREDENTIALS");
  await rejects(() => main.presignAsync({ provider: "gcs", bucket: "my-bucket", object: "o", credentials: { signer: { clientEmail: "a@b.com" } } }), "INVALID_CREDENTIALS");
});
test("a signer answering garbage: a PresignError", async () => {
  const bad = (sig) => ({ clientEmail: KEY.client_email, sign: async () => sig });
  await rejects(() => main.presignAsync({ provider: "gcs", bucket: "my-bucket", object: "o", credentials: { signer: bad("zz") } }), "INVALID_REQUEST");
  await rejects(() => main.presignAsync({ provider: "gcs", bucket: "my-bucket", object: "o", credentials: { signer: bad(42) } }), "INVALID_REQUEST");
  await rejects(() => main.presignAsync({ provider: "gcs", bucket: "my-bucket", object: "o", credentials: { signer: bad(new Uint8Array(3)) } }), "INVALID_REQUEST");
});

// --- the user's own fetch and token source; any signer object ---------------------------------------------
test("the user's fetch and token function are used, once per signature", async () => {
  let fetches = 0, tokens = 0;
  const s = gcsSignBlobSigner({
    ...options,
    accessToken: async () => { tokens++; return { accessToken: TOKEN }; },
    fetch: (url, init) => { fetches++; return fetch(url, init); },
  });
  const req = { provider: "gcs", bucket: "my-bucket", object: "o", signedAt: "2026-11-24T10:00:00Z" };
  const a = await main.presignAsync({ ...req, credentials: { signer: s } });
  const b = await main.presignAsync({ ...req, credentials: { signer } });
  assert.equal(a.url, b.url);
  assert.equal(fetches, 1);
  assert.equal(tokens, 1);
});
test("a plain { clientEmail, sign } signer returning bytes (WebCrypto) gives the same URL", async () => {
  const der = Buffer.from(KEY.private_key.replace(/-----[^-]+-----|\s/g, ""), "base64");
  const key = await crypto.subtle.importKey("pkcs8", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
  const own = { clientEmail: KEY.client_email, sign: (s) => crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, new TextEncoder().encode(s)) };
  const req = { provider: "gcs", bucket: "my-bucket", object: "o", signedAt: "2026-11-24T10:00:00Z", method: "PUT" };
  const a = await gcsEntry.presignAsync({ ...req, credentials: { signer: own } });
  const b = await gcsEntry.presignAsync({ ...req, credentials: { signer } });
  assert.equal(a.url, b.url);
});
