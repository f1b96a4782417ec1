// Shared vectors through the npm build's Node entries (pkg/dist/<entry>/node.js, built by pkg/build.sh),
// from JS. Every URL vector is signed six ways: through "presign" (all three providers) and its
// browser build, through the provider's own entry (presign/s3, presign/azure, presign/gcs) and its
// browser build (their index.js, whose requests pkg/api.js reads: tests/support/browser_entry.mjs)
// and, where the call is synchronous, through a client object of each provider entry
// (createPresigner with the whole request, an empty call):
// - Google's V4 conformance cases (tests/vectors/gcs/v4_signatures.json) signed with
//   `presignAsync`: the string to sign comes from the wasm core, the RSA signature from WebCrypto
//   with the conformance key; the whole URL must equal Google's expectedUrl. Cases that name a
//   client hostname, emulator or universe are mapped by the Rust runner only (their request
//   fields have no one-to-one schema field) and are skipped here, and counted as such.
// - azure-storage-node's fixed-key SAS vectors (sv 2018-03-28, tests/vectors/azure).
// - @azure/storage-blob's SAS cases (tests/vectors/azure/storage-blob-js-sas.json), with the
//   request's instants given as text, Dates and milliseconds.
// - The S3 documentation's presigned GET (tests/vectors/aws/s3-docs-examples.json).
// Each check is a node:test test (tests/support/harness.mjs).
//   node tests/npm_vectors.mjs     last line "N passed, M failed"
import { assert, test } from "./support/harness.mjs";
import { browserEntry } from "./support/browser_entry.mjs";
import { KEY, postRequest, urlRequest, VECTORS } from "./support/gcs_conformance.mjs";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const load = (dir) => import(pathToFileURL(join(ROOT, `pkg/dist/${dir}/node.js`)).href);
const main = await load("main");
const { presignPost, presignPostAsync } = await load("post");
const { PresignError } = main;
const own = { s3: await load("s3"), azure: await load("azure"), gcs: await load("gcs") };
// The provider entries' browser builds too: their requests are read by pkg/api.js's readers.
const web = { main: await browserEntry(ROOT, "main"), s3: await browserEntry(ROOT, "s3"), azure: await browserEntry(ROOT, "azure"), gcs: await browserEntry(ROOT, "gcs") };
const clientOf = (entry) => (req) => {
  const c = entry.createPresigner(req);
  try { return c.presign({}); } finally { c.free(); }
};
/** [label, presign, presignAsync or null] for provider `p`: each way a URL vector is signed. */
const ways = (p) => [
  ["presign", main.presign, main.presignAsync],
  ["presign browser build", web.main.presign, web.main.presignAsync],
  [`presign/${p}`, own[p].presign, own[p].presignAsync || null],
  [`presign/${p} client`, clientOf(own[p]), null],
  [`presign/${p} browser build`, web[p].presign, web[p].presignAsync || null],
  [`presign/${p} browser build, client`, clientOf(web[p]), null],
];

let skipped = 0;

/** `f()` (sync or async) throws / rejects, and `check(e)` asserts on the error; a return is a failure. */
async function throws(f, check) {
  let out;
  try {
    out = await f();
  } catch (e) {
    return check(e);
  }
  assert.fail(`returned ${JSON.stringify(out)?.slice(0, 200)}`);
}
/** A PresignError with `code`: its class and code. */
function isPresignError(e, code) {
  assert.ok(e instanceof PresignError, `not a PresignError: ${e && e.stack || e}`);
  assert.equal(e.code, code);
}

// --- GCS conformance, RSA through WebCrypto ------------------------------------------------------
// The cases said through the request schema by tests/support/gcs_conformance.mjs.
for (const t of VECTORS.signingV4Tests) {
  const req = urlRequest(t, { serviceAccount: KEY });
  if (req === null) {
    skipped++;
    continue;
  }
  for (const [way, , presignAsync] of ways("gcs").filter((w) => w[2])) {
    test(`gcs conformance (${way}): ${t.description}`, async () => {
      const out = await presignAsync(req);
      assert.equal(out.url, t.expectedUrl);
    });
  }
}

// A service-account request without a private key is a PresignError, not a crash.
test("service account without private_key rejects with INVALID_CREDENTIALS", () => throws(
  () => main.presignAsync({ provider: "gcs", bucket: "my-bucket", object: "o", credentials: { serviceAccount: { client_email: KEY.client_email } } }),
  (e) => isPresignError(e, "INVALID_CREDENTIALS")));

// --- GCS POST-policy conformance, RSA through WebCrypto -----------------------------------------
// Each policyInput said through the post request schema (tests/support/gcs_conformance.mjs); the
// form (url + every field, policy and signature included) must equal Google's policyOutput.
for (const t of VECTORS.postPolicyV4Tests) {
  const req = postRequest(t, { serviceAccount: KEY });
  test(`gcs post conformance: ${t.description}`, async () => {
    const form = await presignPostAsync(req);
    const want = t.policyOutput;
    assert.equal(form.url, want.url);
    // every field, each once (the order is not compared)
    assert.equal(form.fields.length, Object.keys(want.fields).length, `fields: ${JSON.stringify(form.fields)}`);
    assert.deepEqual(Object.fromEntries(form.fields), want.fields);
  });
}
test("azure post refused with UNSUPPORTED naming a SAS PUT", () => throws(
  () => presignPost({ provider: "azure", bucket: "c", key: "k" }),
  (e) => {
    isPresignError(e, "UNSUPPORTED");
    assert.match(e.message, /SAS PUT/);
  }));

// --- Azure: @azure/storage-blob's SAS cases (tests/vectors/azure/storage-blob-js-sas.json) ---------
// Each request as written (RFC 3339 text), then with its instants (signedAt, startsOn, expiresOn)
// as Dates and as milliseconds: the SDK's signature and token parameters every time.
const azureCases = JSON.parse(readFileSync(join(ROOT, "tests/vectors/azure/storage-blob-js-sas.json"), "utf8")).cases;
const asInstants = (req, conv) => Object.fromEntries(Object.entries(req).map(([k, v]) =>
  [k, ["signedAt", "startsOn", "expiresOn"].includes(k) ? conv(Date.parse(v)) : v]));
for (const c of azureCases) {
  for (const [form, req] of [["text", c.request], ["Date", asInstants(c.request, (ms) => new Date(ms))],
    ["ms", asInstants(c.request, (ms) => ms)]]) {
    for (const [way, presign] of ways("azure")) {
      test(`azure ${c.id} (${way}, instants as ${form}): the SDK's sig and parameters`, () => {
        const got = new URL(presign(req).url).searchParams;
        const ours = Object.fromEntries(Object.keys(c.expected.params).map((k) => [k, got.get(k)]));
        assert.deepEqual(ours, c.expected.params);
        assert.equal(got.get("sig"), c.expected.signature);
      });
    }
  }
}

// --- Azure: the fixed-key vectors of Microsoft's azure-storage-node (sv 2018-03-28) -----------------
// (tests/vectors/azure/azure-storage-node-sas-2018-03-28.json), mapped to requests as
// tests/azure_vectors.rs does; the vector without permissions and with an invalid account name is
// not a valid request.
const nodeVectors = JSON.parse(readFileSync(join(ROOT, "tests/vectors/azure/azure-storage-node-sas-2018-03-28.json"), "utf8")).vectors;
for (const v of nodeVectors.filter((v) => v.inputs.account_name !== "storageAccount")) {
  const i = v.inputs;
  const req = {
    provider: "azure", account: i.account_name, version: v.signed_version, permissions: i.permission,
    expiresOn: i.expiry, protocol: i.protocol, credentials: { accountKey: i.account_key },
    signedAt: "2011-01-01T00:00:00Z", // before the expiry; the instant is not part of the signature
  };
  if (i.start !== null) req.startsOn = i.start;
  if (i.ip !== null) req.ipRange = i.ip;
  if (v.kind === "service_sas_blob") Object.assign(req, { container: i.container, blob: i.blob });
  else Object.assign(req, { sas: "account", services: i.services, resourceTypes: i.resource_types });
  for (const [way, presign] of ways("azure")) {
    test(`azure ${v.id} (${way}): the vector's signature and parameters`, () => {
      const got = new URL(presign(req).url).searchParams;
      const want = v.expected.query_values || {};
      assert.deepEqual(Object.fromEntries(Object.keys(want).map((k) => [k, got.get(k)])), want);
      assert.equal(got.get("sig"), v.expected.signature);
    });
  }
}

// --- S3 documentation example --------------------------------------------------------------------
const docs = JSON.parse(readFileSync(join(ROOT, "tests/vectors/aws/s3-docs-examples.json"), "utf8"));
const text = JSON.stringify(docs);
const sig = "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
test("s3 docs example present in the vector file", () => assert.ok(text.includes(sig), `${sig} is not in s3-docs-examples.json`));
const DOC = {
  provider: "s3", bucket: "examplebucket", key: "test.txt", expiresIn: 86400, signedAt: "2013-05-24T00:00:00Z",
  credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
};
/** The URL ends with the documented signature. */
const signedAsDocumented = (url) => assert.equal(url.slice(url.lastIndexOf("X-Amz-Signature=")), `X-Amz-Signature=${sig}`, url);
for (const [way, presign] of ways("s3")) {
  test(`s3 docs presigned GET (${way})`, () => signedAsDocumented(presign(DOC).url));
}
const { presign, presignAsync } = main;
test("presignAsync of an HMAC request equals presign", async () => {
  const viaAsync = await presignAsync({
    provider: "s3", bucket: "examplebucket", key: "test.txt", expiresIn: 86400, signedAt: "2013-05-24T00:00:00Z",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  });
  assert.equal(viaAsync.url, presign(DOC).url);
});

// --- One URL's result: read from the wasm's lines (presign, a client's presign) or from JSON
// (presignMany, and any result with warnings): the same object ----------------------------------
const AWS_KEYS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const AT = "2026-11-24T10:00:00Z";
const SAME = [
  ["s3 GET, no header", { provider: "s3", bucket: "b", key: "k", signedAt: AT, credentials: AWS_KEYS }],
  ["s3 PUT, two signed headers", { provider: "s3", method: "PUT", bucket: "b", key: "a/b.txt", signedAt: AT, credentials: AWS_KEYS,
    headers: { "content-type": "text/plain", "x-amz-meta-note": "say \"hi\" \\ back" } }],
  ["s3 key with quotes, backslash, %, non-ASCII", { provider: "s3", bucket: "b", key: 'q"uo\\te %41 é 😀 \u0001', signedAt: AT, credentials: AWS_KEYS }],
  ["s3 with a warning (credentials expire first: JSON)", { provider: "s3", bucket: "b", key: "k", signedAt: AT, expiresIn: 7200,
    credentials: { ...AWS_KEYS, sessionToken: "token", expiresAt: "2026-11-24T10:30:00Z" } }],
  ["azure PUT (x-ms-blob-type)", { provider: "azure", method: "PUT", account: "myaccount", container: "photos", blob: "cat.jpg", permissions: "cw",
    signedAt: AT, credentials: { accountKey: "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==" } }],
  ["gcs HMAC PUT with a header", { provider: "gcs", method: "PUT", bucket: "bkt", object: "o.bin", signedAt: AT, headers: { "content-type": "application/octet-stream" },
    credentials: { hmac: { accessId: "GOOG1EXAMPLE", secret: "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ" } } }],
];
for (const [label, req] of SAME) {
  const [fromJson] = main.presignMany([req]);
  test(`result of ${label}: presign (lines) equals presignMany (JSON)`, () => {
    assert.ok(!(fromJson instanceof Error), String(fromJson));
    assert.deepStrictEqual(main.presign(req), fromJson);
    assert.deepStrictEqual(Object.keys(main.presign(req)), Object.keys(fromJson));
  });
  test(`result of ${label}: presign/${req.provider} and its client equal presignMany (JSON)`, () => {
    assert.deepStrictEqual(own[req.provider].presign(req), fromJson);
    assert.deepStrictEqual(own[req.provider].createPresigner(req).presign({}), fromJson);
  });
}
test("a result with a warning keeps its warnings (the JSON form)", () => {
  const r = main.presign(SAME[3][1]);
  assert.equal(r.warnings[0].code, "CREDENTIALS_EXPIRE_FIRST");
});
test("a result's headers: an object of the signed headers, none for a plain GET", () => {
  assert.deepStrictEqual(main.presign(SAME[0][1]).headers, {});
  assert.deepStrictEqual(Object.keys(main.presign(SAME[1][1]).headers), ["content-type", "x-amz-meta-note"]);
});

// signedAt as a Date, milliseconds (fractions dropped, as `new Date(ms)` does) and RFC 3339 text
// name the same instant: each must give the documented signature.
const AWS_DOC_MS = Date.UTC(2013, 4, 24);
for (const [label, at] of [["Date", new Date(AWS_DOC_MS)], ["ms", AWS_DOC_MS], ["ms + 0.9", AWS_DOC_MS + 0.9],
  ["Date 999 ms later", new Date(AWS_DOC_MS + 999)], ["RFC 3339 with offset", "2013-05-24T02:00:00+02:00"]]) {
  test(`s3 docs presigned GET with signedAt as ${label}`, () => signedAsDocumented(presign({
    provider: "s3", bucket: "examplebucket", key: "test.txt", expiresIn: 86400, signedAt: at,
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  }).url));
}
for (const [label, at] of [["an invalid Date", new Date(NaN)], ["NaN", NaN], ["Infinity", Infinity], ["9e15 ms", 9e15], ["a boolean", true]]) {
  test(`signedAt ${label} refused with INVALID_TIME`, () => throws(
    () => presign({ provider: "s3", bucket: "examplebucket", key: "test.txt", signedAt: at, credentials: { accessKeyId: "A", secretAccessKey: "S" } }),
    (e) => isPresignError(e, "INVALID_TIME")));
}

console.log(`note: ${skipped} GCS conformance cases with client hostname/emulator/universe fields are run by tests/gcs_vectors.rs only`);
