// Bad input through the npm build's Node entries (pkg/dist/<entry>/node.js, built by pkg/build.sh);
// the URL cases run through "presign", the provider's own entry and a client object of it (the bad
// value in the client's configuration, and in a call):
// - JSON has no NaN or Infinity (JSON.stringify writes null, which reads as an absent member):
//   every number member of every call refuses them with the member's code, never a silent
//   default; an explicit null still means "absent".
// - presignMany isolates its elements: a lone surrogate (or a NaN) in one element is a
//   PresignError in that element's place, the others are signed.
// - Error messages quote nothing from the input: a canary put in a member never comes back.
// Each check is a node:test test (tests/support/harness.mjs).
// - The browser builds (pkg/dist/<entry>/web, feature terse-errors) give the same codes with
//   messages of the member path alone; the server builds give the path and the sentence.
//   node tests/npm_bad_input.mjs     last line "N passed, M failed"
import { assert, test } from "./support/harness.mjs";
import { browserEntry } from "./support/browser_entry.mjs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const load = (dir) => import(pathToFileURL(join(ROOT, `pkg/dist/${dir}/node.js`)).href);
const { presign, presignMany, presignAsync, PresignError } = await load("main");
const { presignPost, presignPostAsync } = await load("post");
const { corsRules } = await load("cors");
const { verify } = await load("verify");
const own = { s3: await load("s3"), azure: await load("azure"), gcs: await load("gcs") };
const untagged = ({ provider, ...rest }) => rest;
/** [label, presign] for a request of provider `p`: its own entry, and its client (bad value in the configuration or in the call). */
const otherWays = (p) => [
  [`presign/${p}`, own[p].presign],
  [`presign/${p} client (configuration)`, (req) => own[p].createPresigner(req).presign({})],
  [`presign/${p} client (call)`, (req) => own[p].createPresigner({ provider: p }).presign(untagged(req))],
];
/** [label, presignMany] for lists of provider `p`'s requests: "presign", its own entry, its client. */
const manyWays = (p) => [
  ["presign", presignMany],
  [`presign/${p}`, own[p].presignMany],
  [`presign/${p} client`, (list) => own[p].createPresigner({ provider: p }).presignMany(list.map(untagged))],
];

const show = (e) => (e instanceof PresignError ? `${e.code}: ${e.message}` : String(e && e.stack || e));

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
  assert.ok(e instanceof PresignError, `not a PresignError: ${show(e)}`);
  assert.equal(e.code, code);
}

// Expects `f()` (sync or async) to throw / reject a PresignError with `code` (whose message does not quote `not`).
function refused(name, code, f, { not } = {}) {
  return test(`${name}: ${code}`, () => throws(f, (e) => {
    isPresignError(e, code);
    if (not !== undefined) assert.ok(!String(e.message).includes(not), `the message quotes ${not}: ${e.message}`);
  }));
}

/** presignMany's results, summarised: "ok" for a signed URL, "CODE" for a PresignError, else what it is. */
const verdicts = (out) => out.map((r) => (r instanceof PresignError ? r.code : typeof r?.url === "string" ? "ok" : JSON.stringify(r)));

const AT = "2026-11-24T10:00:00Z";
const AWS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const HMAC = { hmac: { accessId: "GOOG1EEXAMPLE", secret: "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ" } };
const S3 = { provider: "s3", bucket: "b", key: "k", signedAt: AT, credentials: AWS };
const GCS = { provider: "gcs", bucket: "my-bucket", object: "o", signedAt: AT, credentials: HMAC };
const AZURE = { provider: "azure", account: "acct", container: "photos", blob: "b", signedAt: AT, credentials: { accountKey: "a2V5" } };
const S3_POST = { provider: "s3", bucket: "b", key: "k", signedAt: AT, credentials: AWS };
const GCS_POST = { provider: "gcs", bucket: "my-bucket", key: "k", signedAt: AT, credentials: HMAC };
const SA = { serviceAccount: { client_email: "x@p.iam.gserviceaccount.com", private_key: "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n" } };
const CORS = { provider: "s3", origins: ["https://app.example.com"], requests: [{ method: "PUT" }] };

// --- NaN and ±Infinity: the member's code, never the default ---------------------------------
const nonFinite = [["NaN", NaN], ["Infinity", Infinity], ["-Infinity", -Infinity]];
const set = (obj, path, v) => {
  const copy = structuredClone(obj);
  const keys = path.split(".");
  let o = copy;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  o[keys.at(-1)] = v;
  return copy;
};
const cases = [
  // [call, base request, member path, code]
  ["presign s3", presign, S3, "expiresIn", "INVALID_EXPIRY"],
  ["presign gcs", presign, GCS, "expiresIn", "INVALID_EXPIRY"],
  ["presign azure", presign, AZURE, "expiresIn", "INVALID_EXPIRY"],
  ["presign azure", presign, AZURE, "clockSkew", "INVALID_TIME"],
  ["presign azure", presign, AZURE, "startsOn", "INVALID_TIME"],
  ["presign azure", presign, { ...AZURE, expiresIn: undefined }, "expiresOn", "INVALID_TIME"],
  ["presign s3", presign, S3, "signedAt", "INVALID_TIME"],
  ["presign s3", presign, S3, "credentials.expiresAt", "INVALID_TIME"],
  ["presignAsync gcs service account", presignAsync, { ...GCS, credentials: SA }, "expiresIn", "INVALID_EXPIRY"],
  ["presignPost s3", presignPost, S3_POST, "expiresIn", "INVALID_EXPIRY"],
  ["presignPost gcs", presignPost, GCS_POST, "expiresIn", "INVALID_EXPIRY"],
  ["presignPost s3", presignPost, S3_POST, "signedAt", "INVALID_TIME"],
  ["presignPost s3", presignPost, { ...S3_POST, contentLengthRange: { min: 0, max: 10 } }, "contentLengthRange.min", "INVALID_REQUEST"],
  ["presignPost s3", presignPost, { ...S3_POST, contentLengthRange: { min: 0, max: 10 } }, "contentLengthRange.max", "INVALID_REQUEST"],
  ["presignPost gcs", presignPost, GCS_POST, "successActionStatus", "INVALID_REQUEST"],
  ["presignPostAsync gcs service account", presignPostAsync, { ...GCS_POST, credentials: SA }, "expiresIn", "INVALID_EXPIRY"],
  ["corsRules", corsRules, CORS, "maxAge", "INVALID_REQUEST"],
  ["verify", verify, { url: "https://b.s3.amazonaws.com/k", credentials: AWS }, "clockSkew", "INVALID_REQUEST"],
  // A string member given a NaN would be read as absent too.
  ["presign s3", presign, S3, "region", "INVALID_REQUEST"],
  ["presign s3", presign, S3, "headers.content-type", "INVALID_REQUEST"],
];
for (const [call, f, base, path, code] of cases) {
  for (const [label, v] of nonFinite) {
    await refused(`${call} ${path}: ${label}`, code, () => f(set(base, path, v)));
    if (f === presign) {
      for (const [way, g] of otherWays(base.provider)) {
        await refused(`${call} ${path}: ${label} (${way})`, code, () => g(set(base, path, v)));
      }
    }
  }
}
await refused("presign s3 credentials.expiresAt: an invalid Date", "INVALID_TIME",
  () => presign(set(S3, "credentials.expiresAt", new Date(NaN))));
await refused("presign azure startsOn: an invalid Date", "INVALID_TIME", () => presign({ ...AZURE, startsOn: new Date(NaN) }));
// Before this was fixed, the default lifetime was signed: the URL said X-Amz-Expires=3600.
test("presign s3 expiresIn NaN does not sign the default lifetime", () => {
  let url = "";
  try { url = presign({ ...S3, expiresIn: NaN }).url; } catch {}
  assert.doesNotMatch(url, /X-Amz-Expires=3600/);
});
// An explicit null still means "absent" (the default).
test("presign s3 expiresIn: null is the default lifetime", () => {
  const out = presign({ ...S3, expiresIn: null, region: null });
  assert.match(out.url, /X-Amz-Expires=3600/);
});

// presignMany: a non-finite number fails its element only, in every entry and client.
for (const [p, good] of [["s3", S3], ["gcs", GCS], ["azure", AZURE]]) {
  for (const [way, many] of manyWays(p)) {
    test(`presignMany ${p} NaN / Infinity (${way}): errors in place, the rest signed`, () => {
      const out = many([good, { ...good, expiresIn: NaN }, { ...good, expiresIn: Infinity }, good]);
      assert.deepEqual(verdicts(out), ["ok", "INVALID_EXPIRY", "INVALID_EXPIRY", "ok"]);
    });
  }
}
test("presignMany NaN / Infinity: errors in place, the rest signed", () => {
  const out = presignMany([S3, { ...S3, expiresIn: NaN }, { ...GCS, expiresIn: Infinity }, GCS]);
  assert.deepEqual(verdicts(out), ["ok", "INVALID_EXPIRY", "INVALID_EXPIRY", "ok"]);
});

// presignMany signs in slices of 64 (pkg/api.js signMany): errors stay in their places across the
// slices' edges, and every URL is the one of its own element, signed at the one instant.
for (const [p, good, member] of [["s3", S3, "key"], ["gcs", GCS, "object"], ["azure", AZURE, "blob"]]) {
  for (const [way, many] of manyWays(p)) {
    test(`presignMany ${p} x200 (${way}): bad elements across slices in place, each URL its own`, () => {
      const bad = new Set([0, 63, 64, 127, 128, 199]);
      const list = Array.from({ length: 200 }, (_, i) =>
        bad.has(i) ? { ...good, expiresIn: i % 2 ? NaN : 0 } : { ...good, [member]: `obj-${i}`, signedAt: undefined });
      const out = many(list);
      assert.equal(out.length, 200);
      const want = list.map((_, i) => (bad.has(i) ? "INVALID_EXPIRY" : "ok"));
      assert.deepEqual(verdicts(out), want);
      const instants = new Set();
      out.forEach((r, i) => {
        if (bad.has(i)) return;
        assert.ok(new URL(r.url).pathname.endsWith(`/obj-${i}`), `${i}: ${r.url}`);
        instants.add(r.expiresAt);
      });
      assert.equal(instants.size, 1, `one signing instant for the batch: ${[...instants]}`);
    });
  }
}

// --- A client's quick way: a call of plain `method`, object member, `headers`, `expiresIn` ------
// crosses as values (pkg/api.js `presignKey`), anything else as JSON. Either way a call gives what
// the stateless call of the configuration's and the call's members gives: each call here is
// compared with `presign` of both in one object (its JSON way). The glue's `presignKey` is counted,
// so the quick way is known to be taken for the plain calls and not for the others.
const glueOf = (p) => import(pathToFileURL(join(ROOT, `pkg/dist/${p}/server/presign_${p}.js`)).href);
const quickCalls = { s3: 0, gcs: 0, azure: 0 };
const quickSlices = { s3: 0, gcs: 0, azure: 0 };
for (const p of ["s3", "gcs", "azure"]) {
  const proto = (await glueOf(p)).PresignerClient.prototype;
  for (const [name, count] of [["presignKey", quickCalls], ["presignKeys", quickSlices]]) {
    const quick = proto[name];
    proto[name] = function (...args) {
      count[p]++;
      return quick.apply(this, args);
    };
  }
}
const outcome = (f) => {
  try {
    return JSON.stringify(f());
  } catch (e) {
    return e instanceof PresignError ? `${e.code}: ${e.message}` : `not a PresignError: ${e}`;
  }
};
for (const [p, good, member] of [["s3", S3, "key"], ["gcs", GCS, "object"], ["azure", AZURE, "blob"]]) {
  const { [member]: _, ...config } = good;
  if (p !== "azure") config.headers = { "x-amz-meta-config": "1" };
  config.method = "PUT";
  config.expiresIn = 900;
  const plain = [
    ["the object alone", { [member]: "a b/ü😀+%2F~!*'()" }],
    ["a line break in the object member", { [member]: "a\nb" }],
    ["every member", { method: "GET", [member]: "k", expiresIn: 60, ...(p === "azure" ? {} : { headers: { "content-type": "image/jpeg", "x-goog-meta-a": " a  b " } }) }],
    ["an empty object member", { [member]: "" }],
    ["expiresIn 0", { [member]: "k", expiresIn: 0 }],
    ["expiresIn past the maximum", { [member]: "k", expiresIn: 604801 }],
    ["expiresIn 2^53 - 1", { [member]: "k", expiresIn: 2 ** 53 - 1 }],
    ["expiresIn -0", { [member]: "k", expiresIn: -0 }],
    ["each method", { method: "DELETE", [member]: "k" }],
    ["HEAD", { method: "HEAD", [member]: "k" }],
    ["POST", { method: "POST", [member]: "k" }],
    ...(p === "azure" ? [] : [
      ["empty headers (over the configuration's)", { [member]: "k", headers: {} }],
      ["a reserved header", { [member]: "k", headers: { host: "example.com" } }],
      ["an empty header name", { [member]: "k", headers: { "": "v" } }],
      ["a header name that is not ASCII", { [member]: "k", headers: { "x-amz-meta-ü": "v" } }],
      ["a header value that is not ASCII", { [member]: "k", headers: { "x-amz-meta-a": "é" } }],
      ["a header value with a control character", { [member]: "k", headers: { "x-amz-meta-a": "a\u0001b" } }],
      ["a numeric header name (ordered first)", { [member]: "k", headers: { b: "1", 7: "2", a: "3" } }],
    ]),
  ];
  const other = [
    ["a lower-case method", { method: "put", [member]: "k" }],
    ["an unknown method", { method: "PATCH", [member]: "k" }],
    ["a method in an array", { method: ["GET"], [member]: "k" }],
    ["a lone surrogate in the object member", { [member]: "k\ud800" }],
    ["a number as the object member", { [member]: 5 }],
    ["no object member", { method: "GET" }],
    ["expiresIn 1.5", { [member]: "k", expiresIn: 1.5 }],
    ["expiresIn -1", { [member]: "k", expiresIn: -1 }],
    ["expiresIn NaN", { [member]: "k", expiresIn: NaN }],
    ["expiresIn 2^53", { [member]: "k", expiresIn: 2 ** 53 }],
    ["expiresIn as text", { [member]: "k", expiresIn: "60" }],
    ["expiresIn null", { [member]: "k", expiresIn: null }],
    ["a member more", { [member]: "k", query: { versionId: "1" } }],
    ["an unknown member", { [member]: "k", surprise: 1 }],
    ["a member set to undefined", { [member]: "k", method: undefined }],
    ["headers on Azure, elsewhere a header with a line break", { [member]: "k", headers: { "x-amz-meta-a": "a\nb" } }],
    ["a header name with a lone surrogate", { [member]: "k", headers: { "x-\udc00": "v" } }],
    ["a header value with a lone surrogate", { [member]: "k", headers: { "x-amz-meta-a": "\ud800" } }],
    ["a header value that is a number", { [member]: "k", headers: { "x-amz-meta-a": 1 } }],
    ["headers null", { [member]: "k", headers: null }],
    ["headers an array", { [member]: "k", headers: ["a"] }],
    ["headers with toJSON", { [member]: "k", headers: { a: "1", toJSON: () => ({ b: "2" }) } }],
    ["a call with toJSON", { [member]: "k", toJSON: () => ({ [member]: "j" }) }],
    ["a call whose prototype has toJSON", Object.assign(Object.create({ toJSON: () => ({ [member]: "j" }) }), { [member]: "k" })],
    ["an inherited method", Object.assign(Object.create({ method: "GET" }), { [member]: "k" })],
    ["an array with the object member", Object.assign([], { [member]: "k" })],
    ["a function with the object member", Object.assign(() => {}, { [member]: "k" })],
  ];
  // The call as JSON has it (toJSON applied, undefined members dropped; an array is not a call),
  // over the configuration.
  const stateless = (call) => {
    const json = typeof call.toJSON === "function" ? call.toJSON() : call;
    if (typeof json === "function") return presign(json); // not JSON data at all
    const members = Object.entries(json).filter(([, v]) => v !== undefined);
    return Array.isArray(json) ? presign(null) : presign({ ...config, ...Object.fromEntries(members) });
  };
  // Said alike by both ways: where an unknown member sits (its place in the object differs), that
  // a call or a request is not an object.
  const alike = (text) => text.replace(/`\[\d+\]`: unknown member/, "`[i]`: unknown member").replace(/a (call|request) must be an object.*/, "not an object");
  // One client for every call in turn, each way: what a call sets (method, lifetime, headers)
  // must not stay for the next.
  test(`client ${p}: calls one after another, each way, give what presign gives`, () => {
    const client = own[p].createPresigner(config);
    for (const [label, call] of [...plain, ...other, ...plain.slice().reverse()]) {
      assert.equal(alike(outcome(() => client.presign(call))), alike(outcome(() => stateless(call))), label);
    }
  });
  // presignMany: a slice of quick calls only crosses as values (`presignKeys`), any other slice as
  // JSON; each result in its place. Keys vary in UTF-16 length (a pair is two units), some with
  // line breaks; the call lists repeat so slices of 64 hold every kind.
  test(`client ${p}: presignMany of quick calls, and with another call, give what presign gives`, () => {
    const client = own[p].createPresigner(config);
    const calls = Array.from({ length: 150 }, (_, i) => {
      const call = plain[i % plain.length][1];
      return i % 3 ? { ...call, [member]: `${call[member]}-${i}${["😀", "\n", "ü", ""][i % 4]}` } : call;
    });
    const each = (out) => out.map((r) => (r instanceof PresignError ? `${r.code}: ${r.message}` : JSON.stringify(r)));
    const before = quickSlices[p];
    assert.deepEqual(each(client.presignMany(calls)), calls.map((c) => outcome(() => stateless(c))));
    assert.equal(quickSlices[p] - before, 3, "three slices of quick calls");
    const mixed = [...calls.slice(0, 70), other[0][1], ...calls.slice(70)];
    assert.deepEqual(each(client.presignMany(mixed)).map(alike), mixed.map((c) => alike(outcome(() => stateless(c)))));
    assert.equal(quickSlices[p] - before, 3 + 2, "the slice with another call as JSON");
  });
  for (const [quick, list] of [[true, plain], [false, other]]) {
    for (const [label, call] of list) {
      test(`client ${p} ${quick ? "quick way" : "JSON way"}: ${label} gives what presign gives`, () => {
        const client = own[p].createPresigner(config);
        const before = quickCalls[p];
        const got = outcome(() => client.presign(call));
        assert.equal(quickCalls[p] - before, quick ? 1 : 0, "the way taken");
        const want = outcome(() => stateless(call));
        assert.equal(quick ? got : alike(got), quick ? want : alike(want));
        if (["the object alone", "every member"].includes(label)) assert.ok(got.startsWith('{"url":'), got);
      });
    }
  }
}

// --- What JSON cannot hold (a BigInt, a cycle): a PresignError, in its place in a batch -------
const cyclic = { ...S3, key: "k" };
cyclic.headers = { self: cyclic };
const notJson = [
  ["a BigInt expiresIn", { ...S3, expiresIn: 3600n }],
  ["a BigInt in a header", { ...S3, headers: { "x-amz-meta-n": 1n } }],
  ["a cycle", cyclic],
];
for (const [label, bad] of notJson) {
  await refused(`presign ${label}`, "INVALID_REQUEST", () => presign(bad));
  for (const [way, g] of otherWays("s3")) await refused(`presign ${label} (${way})`, "INVALID_REQUEST", () => g(bad));
  for (const [way, many] of manyWays("s3")) {
    test(`presignMany ${label} (${way}): error in place, the rest signed`, () => {
      assert.deepEqual(verdicts(many([S3, bad, S3])), ["ok", "INVALID_REQUEST", "ok"]);
    });
  }
}

// --- A client after free(): its calls refused with a PresignError, free() again harmless ------
for (const [p, good] of [["s3", S3], ["gcs", GCS], ["azure", AZURE]]) {
  test(`presign/${p} client after free(): PresignError, and free() twice is harmless`, () => {
    const c = own[p].createPresigner(good);
    assert.equal(typeof c.presign({}).url, "string");
    c.free();
    c.free();
    throws(() => c.presign({}), (e) => isPresignError(e, "INVALID_REQUEST"));
    throws(() => c.presignMany([{}]), (e) => isPresignError(e, "INVALID_REQUEST"));
    throws(() => c.setCredentials(good.credentials), (e) => isPresignError(e, "INVALID_REQUEST"));
  });
}

// --- Lone surrogates: one element's error, not the whole array's -----------------------------
const lone = [
  ["key", { ...S3, key: "a\ud800b" }],
  ["key (low half)", { ...S3, key: "a\udc00" }],
  ["header value", { ...S3, headers: { "x-amz-meta-a": "v\ud83d" } }],
  ["header name", { ...S3, headers: { "x-amz-meta-\udfff": "v" } }],
  ["an unknown member's name", { ...S3, ["bogus\ud800"]: 1 }],
  ["credentials.secretAccessKey", { ...S3, credentials: { ...AWS, secretAccessKey: "s\ud800" } }],
  ["gcs object", { ...GCS, object: "\udbff" }],
  ["azure blob", { ...AZURE, blob: "x\ud800" }],
];
for (const [label, bad] of lone) {
  test(`presignMany lone surrogate in ${label}: error in place, the rest signed`, () => {
    assert.deepEqual(verdicts(presignMany([S3, bad, GCS])), ["ok", "INVALID_REQUEST", "ok"]);
  });
  await refused(`presign lone surrogate in ${label}`, "INVALID_REQUEST", () => presign(bad));
  const good = { s3: S3, gcs: GCS, azure: AZURE }[bad.provider];
  for (const [way, many] of manyWays(bad.provider).slice(1)) {
    test(`presignMany lone surrogate in ${label} (${way}): error in place, the rest signed`, () => {
      assert.deepEqual(verdicts(many([good, bad, good])), ["ok", "INVALID_REQUEST", "ok"]);
    });
  }
  for (const [way, g] of otherWays(bad.provider)) {
    await refused(`presign lone surrogate in ${label} (${way})`, "INVALID_REQUEST", () => g(bad));
  }
}
await refused("presignPost lone surrogate in key", "INVALID_REQUEST", () => presignPost({ ...S3_POST, key: "k\ud800" }));
await refused("corsRules lone surrogate in an origin", "INVALID_REQUEST",
  () => corsRules({ ...CORS, origins: ["https://a\ud800.example"] }));

// --- No echo: a canary in a member never appears in the error --------------------------------
const C = "CANARYzq7";
const echo = [
  ["presign s3 region", (sign = presign) => sign({ ...S3, region: `${C} x` })],
  ["presign s3 bucket", (sign = presign) => sign({ ...S3, bucket: `${C}/x` })],
  ["presign s3 bucket (virtual-hosted)", (sign = presign) => sign({ ...S3, bucket: `_${C}`, urlStyle: "virtualHosted" })],
  ["presign s3 endpoint", (sign = presign) => sign({ ...S3, endpoint: `ftp://${C}` })],
  ["presign s3 header name", (sign = presign) => sign({ ...S3, headers: { [`${C} x`]: "v" } })],
  ["presign s3 header value", (sign = presign) => sign({ ...S3, headers: { "x-amz-meta-a": `${C}\n` } })],
  ["presign s3 reserved query", (sign = presign) => sign({ ...S3, query: { [`X-Amz-${C}`]: "v" } })],
  ["presign s3 unknown member", (sign = presign) => sign({ ...S3, [C]: 1 })],
  ["presign s3 method", (sign = presign) => sign({ ...S3, method: C })],
  ["presign s3 signedAt text", (sign = presign) => sign({ ...S3, signedAt: C })],
  ["presign s3 signedAt ms out of range", (sign = presign) => sign({ ...S3, signedAt: 8.7e15 }), "8700000000000000"],
  ["presign s3 expiresIn too long", (sign = presign) => sign({ ...S3, expiresIn: 987654321 }), "987654321"],
  ["presign gcs bucket", (sign = presign) => sign({ ...GCS, bucket: `${C}!` })],
  ["presign gcs universeDomain", (sign = presign) => sign({ ...GCS, universeDomain: `${C}/x` })],
  ["presign azure account", (sign = presign) => sign({ ...AZURE, account: `${C}!` })],
  ["presign azure container", (sign = presign) => sign({ ...AZURE, container: `${C}!` })],
  ["presign azure permissions", (sign = presign) => sign({ ...AZURE, permissions: `r${C}` })],
  ["presign azure ipRange", (sign = presign) => sign({ ...AZURE, ipRange: C })],
  ["presign azure version", (sign = presign) => sign({ ...AZURE, version: C })],
  ["presign azure connection string", (sign = presign) => sign({ ...AZURE, account: undefined, credentials: { connectionString: `AccountName=a;${C}=x` } })],
  ["presignPost s3 metadata name", () => presignPost({ ...S3_POST, metadata: { [`x-amz-meta-${C}`]: "v" } })],
  ["presignPost s3 key outside keyPrefix", () => presignPost({ ...S3_POST, key: C, keyPrefix: "p/" })],
  ["corsRules origin", () => corsRules({ ...CORS, origins: [`${C}://x/y`] })],
  ["corsRules provider", () => corsRules({ ...CORS, provider: C })],
];
// The URL cases again through each provider's own entry and its client.
for (const [name, f, canary] of [...echo]) {
  const m = /^presign (s3|gcs|azure) /.exec(name);
  if (m) for (const [way, g] of otherWays(m[1])) echo.push([`${name} (${way})`, () => f(g), canary]);
}
// The error's code is part of the name (as before the move to node:test): found by a first call.
for (const [name, f, canary = C] of echo) {
  let code;
  try { await f(); } catch (e) { code = e && e.code; }
  test(code === undefined ? `no echo: ${name}` : `no echo: ${name} (${code})`, () => throws(f, (e) => {
    assert.ok(e instanceof PresignError, `not a PresignError: ${show(e)}`);
    assert.ok(!e.message.includes(canary), `the message quotes ${canary}: ${e.message}`);
  }));
}
test("no echo: verify with an unknown key id", () => {
  const v = verify({ url: `https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${C}%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T100000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00`, credentials: AWS });
  assert.equal(v.valid, false);
  assert.ok(!v.error.message.includes(C), `the message quotes ${C}: ${v.error.message}`);
});

// --- Browser builds: the code and the member path, not the sentence -------------------------
/** An entry's browser (size) build, run in Node through its own index.js: its `presign`, and a
 * client's (the request as the configuration, then an empty call: refused when the client is made
 * or at the call). */
async function browserPresign(dir) {
  const entry = await browserEntry(ROOT, dir);
  const presign = (req) => entry.presign(req);
  presign.client = (req) => entry.createPresigner(req).presign({});
  presign.createPresigner = entry.createPresigner;
  return presign;
}
const web = { main: await browserPresign("main"), s3: await browserPresign("s3"), azure: await browserPresign("azure"), gcs: await browserPresign("gcs") };
// [request, code, the browser build's message, the start of the server build's]
const terse = [
  [{ ...S3, key: "" }, "INVALID_KEY", "`key`", "`key`: empty"],
  [{ ...S3, bucket: "" }, "INVALID_BUCKET", "`bucket`", "`bucket`: empty"],
  [{ ...S3, credentials: { ...AWS, accessKeyId: "" } }, "INVALID_CREDENTIALS", "`credentials.accessKeyId`", "`credentials.accessKeyId`: empty"],
  [{ ...S3, credentials: { ...AWS, accessKeyId: 5 } }, "INVALID_REQUEST", "`credentials.accessKeyId`", "not a valid request: `credentials.accessKeyId`: expected a string"],
  [{ ...S3, headers: { host: "h" } }, "INVALID_HEADER", "`headers[0]`", "`headers[0]`: this header is set by the signature"],
  [{ ...S3, query: { "X-Amz-Date": "d" } }, "INVALID_QUERY", "`query[0]`", "`query[0]`: X-Amz-* parameters are reserved"],
  [{ ...S3, expiresIn: 0 }, "INVALID_EXPIRY", "`expiresIn`", "`expiresIn`:"],
  [{ ...S3, region: "us east" }, "INVALID_ENDPOINT", "`region`", "`region`:"],
  [{ ...S3, surprise: 1 }, "INVALID_REQUEST", "`[5]`: unknown member", "not a valid request: `[5]`: unknown member"],
  [{ ...AZURE, account: "A!" }, "INVALID_REQUEST", "`account`", "`account`: must be 3-24"],
  [{ ...AZURE, container: "x" }, "INVALID_BUCKET", "`container`", "`container`: must be 3-63"],
  [{ ...GCS, bucket: "" }, "INVALID_BUCKET", "`bucket`", "`bucket`: empty"],
];
// What JSON cannot hold, and a client after free(), in the browser builds too.
for (const dir of ["main", "s3", "gcs"]) {
  const good = dir === "gcs" ? GCS : S3;
  test(`browser build ${dir}: a BigInt member is INVALID_REQUEST, a freed client's call too`, () => {
    throws(() => web[dir]({ ...good, expiresIn: 1n }), (e) => isPresignError(e, "INVALID_REQUEST"));
    const c = web[dir].createPresigner(good);
    assert.equal(typeof c.presign({}).url, "string");
    c.free();
    throws(() => c.presign({}), (e) => isPresignError(e, "INVALID_REQUEST"));
    throws(() => c.presignMany([]), (e) => isPresignError(e, "INVALID_REQUEST"));
  });
}
// A configuration that cannot be read is refused when the client is made, not at its first call.
for (const dir of ["main", "s3"]) {
  test(`browser build ${dir}: createPresigner refuses an unknown member itself`, () =>
    throws(() => web[dir].createPresigner({ provider: "s3", surprise: 1 }), (e) => isPresignError(e, "INVALID_REQUEST")));
}
test("server build s3: createPresigner refuses an unknown member itself", () =>
  throws(() => own.s3.createPresigner({ provider: "s3", surprise: 1 }), (e) => isPresignError(e, "INVALID_REQUEST")));
for (const [req, code, short, long] of terse) {
  const label = JSON.stringify(req).slice(0, 90);
  for (const dir of ["main", req.provider]) {
    test(`browser build ${dir}: ${code} ${short} for ${label}`, () => throws(() => web[dir](req), (e) => {
      isPresignError(e, code);
      assert.equal(e.message, short);
    }));
    test(`browser build ${dir}, client: ${code} ${short} for ${label}`, () => throws(() => web[dir].client(req), (e) => {
      isPresignError(e, code);
      assert.equal(e.message, short);
    }));
  }
  test(`server build: ${code} with its sentence for ${label}`, () => throws(() => own[req.provider].presign(req), (e) => {
    isPresignError(e, code);
    assert.ok(e.message.startsWith(long) && (e.message.length > short.length || short.includes(":")), `message: ${e.message}`);
  }));
}
