// The browser builds against the server builds, on generated inputs: for each URL entry ("presign",
// presign/s3, presign/azure, presign/gcs), the browser build loaded through its real entry file
// (pkg/dist/<dir>/index.js, its .wasm fetched through a `file:` fetch shim) and the server build
// (pkg/dist/<dir>/node.js, the reference) are given the same inputs, mostly S3 requests as users
// write them (valid ones, then every member in turn set to a wrong value, unknown and misplaced
// members, odd objects), fewer Azure (service, account and user-delegation SAS) and GCS ones; through `presign`, `presignMany` (the case
// between two good requests) and a client (`createPresigner(config).presign(call)`, the members
// split between configuration and call in several ways, or the credentials given by
// `setCredentials`). Per case and way, either both sign the same result (deep-equal: url, method,
// headers, expiresAt, warnings), or both throw a PresignError with the same code and the browser's
// message is `terseMessage(server's message)` (below). Neither may throw anything else, nor hang
// (the cases run in a worker thread under a watchdog); presignMany keeps the good elements signed.
// The clock is frozen (Date.now = 2026-12-05T10:00:00Z) and many cases carry their own `signedAt`.
// Deterministic: a fixed SEED, so the same cases run every time, in the same order (changing a
// generator changes the cases after it). The checks (node:test tests, tests/support/harness.mjs):
// per group of cases and way ("s3 valid: presign", …) no mismatch, a mismatch being a failed
// subtest naming the case and both outcomes (the first SHOWN per check); per group, outcomes that
// show the generator is not degenerate (signed cases, distinct error codes); every KEPT rule met;
// no hang (QUIET_MS without a case reported) and no crash of the worker.
//   bash pkg/build.sh && node tests/npm_browser_parity.mjs     last line "N passed, M failed"
// No environment variables.
import { assert, test } from "./support/harness.mjs";
import { mulberry32 } from "./support/prng.mjs";
import { browserEntry } from "./support/browser_entry.mjs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { inspect, isDeepStrictEqual } from "node:util";
import { Worker, isMainThread, parentPort } from "node:worker_threads";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const SEED = 0x70a2c1e5;
const NOW = Date.UTC(2026, 11, 5, 10, 0, 0); // 2026-12-05T10:00:00Z, Date.now() for the whole run
const QUIET_MS = 20_000; // the worker reports each case; this long without a report is a hang
const SHOWN = 8; // mismatches shown per check (each a failed subtest); the rest are counted

/**
 * The browser build's message for the server build's `message`, as today's builds relate them:
 * the server's reader errors start with "not a valid request: " (presignMany's whole-array ones with
 * "expected an array of requests: " or "… calls: "), which the browser's lack; then
 * the browser keeps only the leading member path (`` `key`: empty `` → `` `key` ``), or nothing
 * when the message starts with no path ("expected an object, found a string" → "") — the sentence is compiled
 * out of the browser build where it is written with msg!/msg_at! (src/error.rs). Except (KEPT):
 * the messages both builds print in full, which are the JS layer's (pkg/api.js: the same code in
 * both builds) and the Rust sites written as string literals, the reader's among them ("unknown
 * member", "missing member", the lone-surrogate sentence, the method list, a json_enum!'s list of two or more names;
 * a one-name list is the s3 entry's `provider`, written with msg_at!, so terse). Warnings'
 * messages follow the same rule.
 */
const KEPT = [
  // the reader (src/schema/read.rs, src/schema/typed.rs)
  /^(?:`[^`]+`: )?unknown member$/,
  /^`[^`]+`: missing member$/,
  /^(?:`[^`]+`: )?a lone surrogate is not Unicode text$/,
  /^`[^`]+`: expected one of GET, PUT, HEAD, DELETE, POST$/,
  /^`[^`]+`: expected one of "[^"]*"(?: "[^"]*")+$/,
  // pkg/api.js
  /^`[^`]+`: (?:an invalid Date|must be a finite number(?: of milliseconds)?, not NaN or Infinity|out of range \(a Date holds ±8\.64e15 ms\)|must be a Date, a number of milliseconds or an RFC 3339 string)$/,
  /^(?:a request must be an object with a `provider` field|each element must be an object|a call must be an object \(its members go over the configuration's\)|presignMany takes an array)$/,
  // the signers (src/s3/express.rs, src/azure/mod.rs)
  /^`bucket`: a directory bucket \(S3 Express One Zone, --x-s3\) needs the S3 Express build: /,
  /^credentials must hold exactly one of accountKey, connectionString, userDelegationKey$/,
];
const keptSeen = new Set(); // the KEPT rules some case met (each must be met: a test below)
function terseMessage(message) {
  const m = message.replace(/^(?:not a valid request|expected an array of (?:requests|calls)): /, "");
  const i = KEPT.findIndex((r) => r.test(m));
  if (i >= 0) {
    keptSeen.add(i);
    return m;
  }
  return /^`[^`]+`/.exec(m)?.[0] ?? "";
}
/** The browser's result for the server's: the same, warnings' messages by terseMessage. */
function terseResult(r) {
  if (!Array.isArray(r?.warnings)) return r;
  return { ...r, warnings: r.warnings.map((w) => ({ ...w, message: typeof w?.message === "string" ? terseMessage(w.message) : w?.message })) };
}

// ============================================================================================
// The worker: loads the builds, generates the cases, compares, reports.
// ============================================================================================
async function runWorker() {
  Date.now = () => NOW;
  const builds = {};
  for (const dir of ["main", "s3", "azure", "gcs"]) {
    builds[dir] = { server: await import(pathToFileURL(join(ROOT, `pkg/dist/${dir}/node.js`)).href), browser: await browserEntry(ROOT, dir) };
  }
  for (const group of groups()) {
    parentPort.postMessage({ type: "group", group: group.calls ? runCalls(builds, group) : runGroup(builds, group) });
  }
  parentPort.postMessage({ type: "done", keptSeen: [...keptSeen] });
}

// --- Outcomes and the comparison rule -----------------------------------------------------------

const SECRETS = /wJalrXUtnFEMI[^"'\s]*|bGoa\+V7g[^"'\s]*|Eby8vdM02x[^"'\s]*/g;
const show = (v) => inspect(v, { depth: 6, compact: true, breakLength: Infinity, maxArrayLength: 8, maxStringLength: 160 }).replace(SECRETS, "<secret>");

/** What one call did: { ok: result } | { code, message } (a PresignError) | { foreign } (anything else thrown). */
function outcome(build, f) {
  try {
    return { ok: f() };
  } catch (e) {
    return thrown(build, e);
  }
}
function thrown(build, e) {
  if (e instanceof build.PresignError && e.name === "PresignError" && typeof e.code === "string") {
    return { code: e.code, message: e.message };
  }
  return { foreign: `${e?.constructor?.name ?? typeof e}: ${String(e?.message ?? e)}` };
}

/** An element of presignMany's answer as an outcome. */
function element(build, r) {
  if (r instanceof build.PresignError) return thrown(build, r);
  if (r && typeof r === "object" && typeof r.url === "string") return { ok: r };
  return { foreign: `neither a result nor a PresignError: ${show(r)}` };
}

/** Why the browser's outcome `b` does not fit the server's `s`, or undefined when it does. */
function disagree(s, b) {
  if (s.foreign || b.foreign) return `the ${s.foreign ? (b.foreign ? "server and browser builds" : "server build") : "browser build"} threw something other than a PresignError`;
  if (s.stage !== b.stage) return `they stop at different steps`;
  if ("ok" in s && "ok" in b) return isDeepStrictEqual(terseResult(s.ok), b.ok) ? undefined : "the results differ";
  if ("ok" in s || "ok" in b) return "one signs, the other refuses";
  if (s.code !== b.code) return "the codes differ";
  const want = terseMessage(s.message);
  return b.message === want ? undefined : `the browser's message is not ${JSON.stringify(want)}`;
}

// --- Running a group ----------------------------------------------------------------------------

/** The member names of a request to keep in a client's configuration, per split. */
const SPLITS = {
  "all in config": () => true,
  "all in call": (k) => k === "provider",
  "credentials in config": (k) => ["provider", "credentials", "region", "endpoint", "store", "accountId"].includes(k),
  "bucket in config": (k) => ["provider", "credentials", "bucket", "account", "container", "expiresIn", "urlStyle"].includes(k),
};

function clientOutcome(build, config, call, { credentials, many } = {}) {
  let client;
  try {
    client = build.createPresigner(config);
  } catch (e) {
    return { stage: "createPresigner", ...thrown(build, e) };
  }
  try {
    if (credentials !== undefined) {
      try {
        client.setCredentials(credentials.value);
      } catch (e) {
        return { stage: "setCredentials", ...thrown(build, e) };
      }
    }
    if (!many) return { stage: "presign", ...outcome(build, () => client.presign(call)) };
    const out = outcome(build, () => client.presignMany([{}, call, {}]));
    if (!("ok" in out)) return { stage: "presignMany", ...out };
    if (!Array.isArray(out.ok) || out.ok.length !== 3) return { stage: "presignMany", foreign: `not an array of 3: ${show(out.ok)}` };
    return { stage: "presignMany", elements: out.ok.map((r) => element(build, r)) };
  } finally {
    try { client.free(); } catch {}
  }
}

/** Splits `req` into [config, call] for a client of `provider`. */
function split(req, provider, keep, rand) {
  const plain = req !== null && typeof req === "object" && !Array.isArray(req) && Object.getPrototypeOf(req) === Object.prototype && typeof req.toJSON !== "function";
  if (!plain) return keep === SPLITS["all in config"] ? [req, {}] : [{ provider }, req];
  const config = {}, call = {};
  for (const k of Object.keys(req)) {
    if (keep(k) || (keep === SPLITS["bucket in config"] && k !== "key" && rand() < 0.3)) config[k] = req[k];
    else if (k !== "provider") call[k] = req[k];
  }
  if (!("provider" in req)) delete config.provider;
  return [config, call];
}

function runGroup(builds, group) {
  const rand = rng(SEED ^ hash(group.name));
  const ways = { presign: newWay(), presignMany: newWay(), client: newWay() };
  const codes = new Set();
  let signed = 0, cases = 0;
  for (const c of group.cases()) {
    for (const dir of group.dirs) {
      cases++;
      const what = `${c.what} [${dir}]`;
      parentPort.postMessage({ type: "case", what: `${group.name}: ${what}` });
      const { server, browser } = builds[dir];
      const req = c.req;
      const describe = () => `case: ${group.name}: ${what}\nrequest: ${show(req)}`;

      // presign
      const s = outcome(server, () => server.presign(req));
      const b = outcome(browser, () => browser.presign(req));
      if ("ok" in s) signed++;
      if (s.code) codes.add(s.code);
      record(ways.presign, what, disagree(s, b), () => `${describe()}\nserver:  ${show(s)}\nbrowser: ${show(b)}`);

      // presignMany: the case between two good requests of the entry's provider; both refuse the
      // whole array, or the same elements; the good ones are signed.
      const anchors = group.anchors;
      const many = (build) => {
        const out = outcome(build, () => build.presignMany([anchors[0], req, anchors[1]]));
        if (!("ok" in out)) return out;
        if (!Array.isArray(out.ok) || out.ok.length !== 3) return { foreign: `not an array of 3: ${show(out.ok)}` };
        return { elements: out.ok.map((r) => element(build, r)) };
      };
      const sm = many(server), bm = many(browser);
      let why;
      if (sm.elements && bm.elements) {
        for (let i = 0; i < 3 && !why; i++) {
          why = disagree(sm.elements[i], bm.elements[i]);
          if (!why && i !== 1 && !("ok" in sm.elements[i])) why = `the good element ${i} is not signed`;
        }
      } else {
        why = disagree(sm, bm) ?? "presignMany refused the whole array";
      }
      record(ways.presignMany, what, why, () => `${describe()}\nserver:  ${show(sm)}\nbrowser: ${show(bm)}`);

      // a client: two splits per case (by the PRNG), or the credentials through setCredentials
      const names = Object.keys(SPLITS);
      const provider = group.provider;
      const runs = [];
      if (c.client === "setCredentials") {
        const { credentials, ...rest } = req;
        runs.push(["setCredentials", { ...rest, credentials: anchors[0].credentials }, {}, { credentials: { value: credentials } }]);
      } else {
        const first = Math.floor(rand() * names.length);
        const second = (first + 1 + Math.floor(rand() * (names.length - 1))) % names.length;
        for (const how of [names[first], names[second]]) {
          const [config, call] = split(req, provider, SPLITS[how], rand);
          runs.push([how, config, call, rand() < 0.2 ? { many: true } : {}]);
        }
      }
      for (const [label, config, call, opts] of runs) {
        const sc = clientOutcome(server, config, call, opts);
        const bc = clientOutcome(browser, config, call, opts);
        let why2;
        if (sc.elements && bc.elements) {
          for (let i = 0; i < 3 && !why2; i++) why2 = disagree(sc.elements[i], bc.elements[i]);
        } else why2 = disagree(sc, bc);
        record(ways.client, `${what} (${label}${opts.many ? ", presignMany" : ""})`, why2,
          () => `${describe()}\nclient: ${label}\nconfig: ${show(config)}\ncall: ${show(call)}\nserver:  ${show(sc)}\nbrowser: ${show(bc)}`);
      }
    }
  }
  return {
    name: group.name, cases, signed, codes: [...codes].sort(), ways,
    min: group.min ?? 100, minSigned: group.minSigned ?? 0, minCodes: group.minCodes ?? 0,
  };
}

function newWay() {
  return { n: 0, bad: 0, shown: [] };
}
function record(way, what, why, detail) {
  way.n++;
  if (why === undefined) return;
  way.bad++;
  if (way.shown.length < SHOWN) way.shown.push({ what, detail: `${why}\n${detail()}`.slice(0, 3000) });
}

/** A group of odd calls (not requests): `calls()` gives [what, (build) => answer]. */
function runCalls(builds, group) {
  const way = newWay();
  const codes = new Set();
  let cases = 0, signed = 0;
  const answer = (build, f) => {
    const out = outcome(build, () => f(build));
    return Array.isArray(out.ok) ? { elements: out.ok.map((r) => element(build, r)) } : out;
  };
  for (const [what0, f] of group.calls()) {
    for (const dir of group.dirs) {
      cases++;
      const what = `${what0} [${dir}]`;
      parentPort.postMessage({ type: "case", what: `${group.name}: ${what}` });
      const s = answer(builds[dir].server, f), b = answer(builds[dir].browser, f);
      if ("ok" in s || s.elements) signed++;
      if (s.code) codes.add(s.code);
      let why;
      if (s.elements && b.elements) {
        why = s.elements.length !== b.elements.length ? "different lengths" : undefined;
        for (let i = 0; i < s.elements.length && !why; i++) why = disagree(s.elements[i], b.elements[i]);
      } else why = disagree(s, b);
      record(way, what, why, () => `case: ${group.name}: ${what}\nserver:  ${show(s)}\nbrowser: ${show(b)}`);
    }
  }
  return { name: group.name, cases, signed, codes: [...codes].sort(), ways: { calls: way }, min: group.min ?? 20, minSigned: 0, minCodes: 1 };
}

/** Odd arguments to presignMany, createPresigner and a client's methods; `good` is a request. */
function* oddCalls(good) {
  const { provider, ...rest } = good;
  const odd = [["undefined", undefined], ["null", null], ['"x"', "x"], ["5", 5], ["{}", {}], ["[]", []], ["an array-like", { length: 1, 0: good }], ["a Set", new Set([good])], ["a Date", new Date(NOW)], ["a symbol", Symbol("x")]];
  for (const [label, v] of odd) {
    yield [`presignMany(${label})`, (b) => b.presignMany(v)];
    yield [`createPresigner(${label})`, (b) => b.createPresigner(v).presign(rest)];
    yield [`client.presign(${label})`, (b) => b.createPresigner(good).presign(v)];
    yield [`client.presignMany(${label})`, (b) => b.createPresigner(good).presignMany(v)];
    yield [`client.presignMany([${label}])`, (b) => b.createPresigner(good).presignMany([v, {}])];
    yield [`client.setCredentials(${label})`, (b) => {
      const client = b.createPresigner(good);
      client.setCredentials(v);
      return client.presign({});
    }];
  }
  yield ["presignMany([])", (b) => b.presignMany([])];
  yield ["presignMany(100 requests)", (b) => b.presignMany(Array.from({ length: 100 }, (_, i) => ({ ...good, ...(i % 7 === 3 ? { expiresIn: i } : {}) })))];
  yield ["client: two calls", (b) => {
    const client = b.createPresigner({ provider, credentials: good.credentials });
    return [client.presign(rest), client.presign({ ...rest, expiresIn: 60 })];
  }];
  yield ["client: setCredentials, then a call", (b) => {
    const client = b.createPresigner(good);
    client.setCredentials(good.credentials);
    return client.presign({ expiresIn: 120 });
  }];
}

// --- Deterministic randomness -------------------------------------------------------------------

const rng = mulberry32; // tests/support/prng.mjs
function hash(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

// --- The cases ----------------------------------------------------------------------------------

const AWS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const AWS2 = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const STS = { accessKeyId: "ASIAEXAMPLEEXAMPLE12", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzEXAMPLEKEY", sessionToken: "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==" };
const AZ_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const HMAC = { hmac: { accessId: "GOOG1EEXAMPLE", secret: "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ" } };
const ISO = (ms) => new Date(ms).toISOString();
const S3_GOOD = { provider: "s3", bucket: "examplebucket", key: "test.txt", credentials: AWS, signedAt: "2026-12-05T09:30:00Z" };
const S3_GOOD2 = { provider: "s3", bucket: "logs.example.com", key: "2026/12/05/app.log", region: "eu-west-1", method: "PUT", credentials: AWS2 };
const AZ_GOOD = { provider: "azure", account: "myaccount", container: "photos", blob: "cat.jpg", credentials: { accountKey: AZ_KEY }, signedAt: "2026-12-05T09:30:00Z" };
const AZ_GOOD2 = { provider: "azure", account: "myaccount", container: "reports", blob: "2026/q4.pdf", method: "PUT", expiresIn: 600, credentials: { accountKey: AZ_KEY } };
// A user-delegation key as Azure issues one (times around NOW), and requests signed with it.
const AZ_UDK = { signedOid: "6d2a3b1c-0f4e-4b7a-9c1d-2e3f4a5b6c7d", signedTid: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  signedStart: "2026-12-05T08:00:00Z", signedExpiry: "2026-12-06T08:00:00Z", signedService: "b", signedVersion: "2025-07-05",
  value: "dGhpcyBpcyBhIDMyLWJ5dGUga2V5IGZvciB0ZXN0cyE=" };
const AZ_DELEGATION = { provider: "azure", account: "myaccount", container: "photos", blob: "uploads/cat.jpg", method: "PUT", permissions: "cw",
  credentials: { userDelegationKey: AZ_UDK }, version: "2026-04-06", expiresIn: 900, signedAt: "2026-12-05T09:30:00Z",
  preauthorizedAgentObjectId: "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d", correlationId: "corr-42", delegatedUserObjectId: "11111111-2222-4333-8444-555555555555",
  requestHeaders: { "x-ms-blob-type": "BlockBlob" }, requestQuery: { comp: "block" } };
// A header named __proto__ (an own member in JSON, which assigning it in JS would not make) in a
// result with a warning (the credentials expire before the URL): the one line reader's case.
const PROTO_HEADERS = (other) => JSON.parse(`{"__proto__": "v", ${JSON.stringify(other).slice(1, -1)}}`);
const S3_PROTO_WARN = { ...S3_GOOD, credentials: { ...STS, expiresAt: "2026-12-05T09:35:00Z" }, expiresIn: 3600,
  headers: PROTO_HEADERS({ "x-amz-meta-a": "b" }) };
const AZ_PROTO_WARN = { ...AZ_DELEGATION, credentials: { userDelegationKey: { ...AZ_UDK, signedExpiry: "2026-12-05T09:35:00Z" } },
  requestHeaders: PROTO_HEADERS(AZ_DELEGATION.requestHeaders) };
const AZ_ACCOUNT = { provider: "azure", sas: "account", account: "myaccount", container: "photos", services: "b", resourceTypes: "co", permissions: "rl",
  credentials: { accountKey: AZ_KEY }, signedAt: "2026-12-05T09:30:00Z", expiresIn: 3600 };
const GCS_GOOD = { provider: "gcs", bucket: "my-bucket", object: "photos/cat.jpg", credentials: HMAC, signedAt: "2026-12-05T09:30:00Z" };
const GCS_GOOD2 = { provider: "gcs", bucket: "my-bucket", object: "upload.bin", method: "PUT", headers: { "content-type": "application/octet-stream" }, credentials: HMAC };

/** Wrong values, each made fresh (a case may keep its object). */
const JUNK = [
  ["undefined", () => undefined],
  ["null", () => null],
  ['""', () => ""],
  ['"  "', () => "  "],
  ["lone high surrogate", () => "a\ud800b"],
  ["lone low surrogate", () => "\udc00"],
  ["a string", () => "example"],
  ["0", () => 0],
  ["-1", () => -1],
  ["-0", () => -0],
  ["1.5", () => 1.5],
  ["1e21", () => 1e21],
  ["2**53", () => 2 ** 53],
  ["NaN", () => NaN],
  ["Infinity", () => Infinity],
  ["-Infinity", () => -Infinity],
  ["true", () => true],
  ["false", () => false],
  ["{}", () => ({})],
  ["[]", () => []],
  ['["x"]', () => ["x"]],
  ["nested junk", () => ({ a: { b: [1, null, "\ud800", { c: NaN }] }, "": [] })],
  ["a Date", () => new Date(NOW + 3_600_000)],
  ["an invalid Date", () => new Date(NaN)],
  ['"3600"', () => "3600"],
  ["a symbol", () => Symbol("s")],
  ["a function", () => () => 1],
];
const JUNK_SHORT = JUNK.filter(([n]) => ["undefined", "null", '""', "lone high surrogate", "0", "-1", "1.5", "NaN", "true", "{}", "[]", "an invalid Date", "a Date", '"3600"'].includes(n));

/** Values per member (S3) as users write them: VALID ones, and EDGE ones (plausible slips, or
 * values some configuration refuses), which the valid generator picks one time in ten. */
const S3_VALID = {
  provider: ["s3"],
  method: ["GET", "PUT", "HEAD", "DELETE", "POST", "get", "put", "Put", "head", "delete", "post"],
  bucket: ["examplebucket", "my-bucket", "logs.example.com", "my.dotted.bucket", "a-b-c-1", "abc", "b".repeat(63), "xn--bucket", "bucket123"],
  key: ["test.txt", "photos/2026/cat.jpg", "a b c.txt", "ünïcødé/日本語.png", "100%.txt", "50% off/%2F.txt", "a+b=c.txt", "~user/file~", "/leading", "trailing/", "//double//slash//",
    "emoji 😀.txt", "k".repeat(1024), "é".repeat(512), "q?x=1#frag", "semi;colon,comma&amp", "tab\there", "line\nbreak", "..", "./a/../b", "*", "CON", "a".repeat(200) + "/" + "b".repeat(200)],
  keyPrefix: ["uploads", "uploads/", "users/42/", "/", "a b/", "ünï/"],
  region: ["us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1", "eu-central-2", "us-west-2"],
  endpoint: ["http://localhost:9000", "https://minio.example.com:9000", "http://127.0.0.1:9000", "https://s3.example.com/base", "https://nyc3.digitaloceanspaces.com",
    "http://[::1]:9000", "https://storage.googleapis.com", "https://s3.example.com/", "http://minio:9000/", "HTTPS://S3.EXAMPLE.COM"],
  urlStyle: ["path", "virtualHosted"],
  dualstack: [true, false],
  accelerate: [true, false],
  fips: [true, false],
  store: ["aws", "r2", "b2", "minio", "seaweedfs", "wasabi", "gcs-xml", "custom"],
  accountId: ["0123456789abcdef0123456789abcdef", "abc123"],
  expiresIn: [1, 60, 300, 3600, 86400, 604800],
  signedAt: [() => new Date(NOW - 60_000), () => NOW - 120_000, () => "2026-12-05T10:00:00Z", () => "2026-12-05T11:00:00+01:00", () => "2026-12-05T10:00:00.123Z",
    () => "2026-12-05T09:59:59.999999Z", () => "2026-12-05T05:00:00-05:00", () => new Date(Date.UTC(2026, 0, 1)), () => "2026-12-05t10:00:00z", () => 0],
  credentialExpiry: ["warn", "error", "clamp"],
  regionSet: ["*", "us-east-1,eu-west-1"],
};
const S3_EDGE = {
  bucket: ["Has_Upper", "photos--usw2-az1--x-s3", "ab", "-lead", "my..bucket", "192.168.1.1"],
  key: ["", "k".repeat(1025), "\u0000nul", "ünï".repeat(400)],
  region: ["auto", "us east", "EU-WEST-1", "", "mars-north-1"],
  endpoint: ["ftp://example.com", "localhost:9000", "https://", "https://s3.example.com?x=1", "http://user:pw@host"],
  store: ["R2", "s3", "aws "],
  accountId: ["ABC-123", ""],
  expiresIn: [604801, 0, 1.5, "3600", -60, 2 ** 31],
  signedAt: [() => "yesterday", () => new Date(NaN), () => -1000, () => "1969-12-31T23:59:59Z", () => "2026-02-30T10:00:00Z", () => "2026-12-05T10:00:60Z",
    () => "2026-12-05 10:00:00Z", () => "2026-12-05", () => 8.64e15 + 1, () => 1.5e12 + 0.5],
  credentialExpiry: ["Warn", "ignore"],
  method: ["PATCH", "OPTIONS", "gett"],
};
const S3_HEADERS = [
  { "content-type": "image/png" },
  { "Content-Type": "text/plain; charset=utf-8" },
  { "x-amz-meta-author": "Zoe", "x-amz-meta-tags": "a, b ,c" },
  { "content-md5": "1B2M2Y8AsgTpgAmY7PhCfg==" },
  { "x-amz-server-side-encryption": "AES256", "cache-control": "max-age=60" },
  { "x-amz-acl": "private", "content-disposition": 'attachment; filename="a b.txt"' },
  { "x-amz-checksum-sha256": "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" },
  { "content-length": "1024" },
  { "x-amz-meta-empty": "" },
  { "x-amz-storage-class": "STANDARD_IA", "x-amz-tagging": "a=b&c=d" },
];
const S3_HEADERS_EDGE = [
  { "x-amz-meta-author": "Zoë" },
  { "  x-amz-meta-pad  ": " spaced  value " },
  { "content-type": "a", "Content-Type": "b" },
  { host: "example.com" },
];
const S3_QUERY = [
  { "response-content-disposition": 'attachment; filename="a b.txt"' },
  { versionId: "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo" },
  { partNumber: "1", uploadId: "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA" },
  { uploads: "" },
  { "response-content-type": "text/plain", "response-cache-control": "no-cache" },
  { "x-id": "GetObject" },
  { "a b": "c d", "ü": "€" },
  { "X-Amz-Expires": "60" },
];
const S3_LIMITS = [
  { size: 1024 },
  { size: 0 },
  { size: 100, maxSize: 10_485_760 },
  { contentType: "image/png" },
  { contentType: "image/png", size: 48213 },
  { checksum: { algorithm: "md5", value: "1B2M2Y8AsgTpgAmY7PhCfg==" }, size: 0 },
  { size: 2 ** 53 - 1, contentType: "application/octet-stream" },
];
const S3_LIMITS_EDGE = [
  { maxSize: 10_485_760 },
  { size: 200, maxSize: 100 },
  { checksum: { algorithm: "sha256", value: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" } },
  { checksum: { algorithm: "crc32", value: "AAAAAA==" } },
  { checksum: { algorithm: "crc64nvme", value: "AAAAAAAAAAA=" } },
];
const CRED_EXPIRY = [() => ISO(NOW + 86_400_000), () => ISO(NOW + 600_000), () => ISO(NOW - 1000), () => new Date(NOW + 7_200_000), () => NOW + 1_800_000, () => NOW - 5000,
  () => "2026-12-05T10:30:00+00:00", () => "not a date"];

const fresh = (v) => (typeof v === "function" ? v() : v);
const clone = (v) => (typeof v === "object" && v !== null && !(v instanceof Date) ? structuredClone(v) : v);

/** Reorders `obj`'s members at random (JSON keeps insertion order; the reader names unknown members by position). */
function shuffled(obj, rand) {
  const keys = Object.keys(obj);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [keys[i], keys[j]] = [keys[j], keys[i]];
  }
  return Object.fromEntries(keys.map((k) => [k, obj[k]]));
}

/** A realistic S3 request: mostly valid, an EDGE value one time in ten per member. */
function s3Request(rand) {
  const pick = (a) => fresh(a[Math.floor(rand() * a.length)]);
  const maybe = (p) => rand() < p;
  const val = (m) => pick(S3_EDGE[m] && maybe(0.1) ? S3_EDGE[m] : S3_VALID[m]);
  const r = { provider: "s3" };
  if (maybe(0.6)) r.method = val("method");
  r.bucket = val("bucket");
  r.key = val("key");
  if (maybe(0.15)) r.keyPrefix = val("keyPrefix");
  if (maybe(0.45)) r.region = val("region");
  const flavour = rand();
  if (flavour < 0.25) {
    r.endpoint = val("endpoint");
    if (maybe(0.5)) r.urlStyle = maybe(0.8) ? "path" : "virtualHosted";
    if (maybe(0.3)) r.store = pick(["minio", "seaweedfs", "custom", "b2", "wasabi"]);
  } else if (flavour < 0.35) {
    r.store = val("store");
    if (r.store === "r2" && maybe(0.9)) r.accountId = val("accountId");
    if (r.store === "b2" || r.store === "wasabi") r.region ??= pick(["us-west-004", "eu-central-003", "us-east-1"]);
    if (maybe(0.05)) r.accountId ??= val("accountId");
  } else if (flavour < 0.5) {
    for (const f of ["dualstack", "accelerate", "fips"]) if (maybe(0.3)) r[f] = val(f);
    if (maybe(0.3)) r.urlStyle = val("urlStyle");
  }
  const c = maybe(0.3) ? { ...STS } : { ...(maybe(0.5) ? AWS : AWS2) };
  if (c.sessionToken && maybe(0.6)) c.expiresAt = pick(CRED_EXPIRY);
  r.credentials = maybe(0.3) ? shuffled(c, rand) : c;
  if (c.expiresAt !== undefined && maybe(0.5)) r.credentialExpiry = val("credentialExpiry");
  if (maybe(0.5)) r.expiresIn = val("expiresIn");
  if (maybe(0.6)) r.signedAt = val("signedAt");
  if (maybe(0.3)) r.headers = clone(pick(maybe(0.1) ? S3_HEADERS_EDGE : S3_HEADERS));
  if (maybe(0.25)) r.query = clone(pick(S3_QUERY));
  if (maybe(0.15)) {
    r.method = pick(["PUT", "put"]);
    r.limits = clone(pick(maybe(0.15) ? S3_LIMITS_EDGE : S3_LIMITS));
  }
  if (maybe(0.02)) r.regionSet = val("regionSet");
  return maybe(0.25) ? shuffled(r, rand) : r;
}

const AZ_VALID = {
  sas: ["service", "account", "userDelegation"],
  account: ["myaccount", "devstoreaccount1", "abc"],
  container: ["photos", "reports", "$root", "a-b-c"],
  blob: ["cat.jpg", "dir/sub dir/file name.txt", "ünïcødé/日本.png", "100%.txt", "a+b", "/lead", "trail/"],
  resource: ["blob", "container", "directory"],
  endpoint: ["http://127.0.0.1:10000/devstoreaccount1", "https://myaccount.blob.core.windows.net", "https://myaccount.blob.core.chinacloudapi.cn"],
  permissions: ["r", "rw", "racwdl", "cw", "d", "rl"],
  startsOn: [() => new Date(NOW - 300_000), () => "2026-12-05T09:55:00Z", () => NOW - 60_000],
  clockSkew: [0, 60, 300],
  expiresOn: [() => "2026-12-05T12:00:00Z", () => new Date(NOW + 86_400_000), () => NOW + 3_600_000],
  expiresIn: [60, 3600, 86400 * 7],
  ipRange: ["168.1.5.60-168.1.5.70", "10.0.0.1"],
  protocol: ["https", "https,http"],
  identifier: ["policy-1"],
  version: ["2025-07-05", "2020-12-06", "2026-04-06"],
  responseHeaders: [{ contentDisposition: 'attachment; filename="r.pdf"', contentType: "application/pdf" }, { cacheControl: "no-cache" }],
  method: ["GET", "put", "HEAD", "DELETE"],
  signedAt: [() => "2026-12-05T10:00:00Z", () => new Date(NOW), () => NOW],
  encryptionScope: ["scope1", "my-scope"],
  snapshot: ["2026-12-01T10:00:00.0000000Z"],
  versionId: ["2026-12-01T10:00:00.1234567Z"],
  services: ["b", "bf", "qtbf", "f"],
  resourceTypes: ["s", "co", "sco", "oc"],
  query: [{ comp: "block", blockid: "YmxvY2stMDAx" }, { restype: "container" }],
  credentialExpiry: ["warn", "error", "clamp"],
  preauthorizedAgentObjectId: ["a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"],
  agentObjectId: ["a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"],
  correlationId: ["corr-1"],
  delegatedUserObjectId: ["11111111-2222-4333-8444-555555555555"],
  requestHeaders: [{ "x-ms-blob-type": "BlockBlob" }, { "x-ms-version": "2026-04-06", "content-type": "image/png" }],
  requestQuery: [{ comp: "block" }, { comp: "blocklist", foo: "bar" }],
  "credentials.userDelegationKey": [AZ_UDK, { ...AZ_UDK, signedDelegatedUserTid: "72f988bf-86f1-41af-91ab-2d7cd011db47" }, { ...AZ_UDK, signedExpiry: "2026-12-05T10:10:00Z" }],
  "credentials.userDelegationKey.signedStart": [() => new Date(NOW - 3_600_000), () => NOW - 60_000, "2026-12-05T10:00:00+01:00"],
  "credentials.userDelegationKey.signedExpiry": ["2026-12-05T10:05:00Z", () => NOW + 86_400_000, "2026-12-20T00:00:00Z"],
  "credentials.userDelegationKey.signedVersion": ["2020-12-06", "2026-04-06"],
  "credentials.userDelegationKey.signedDelegatedUserTid": ["72f988bf-86f1-41af-91ab-2d7cd011db47"],
  "credentials.userDelegationKey.value": ["not base64!", "AAAA"],
  "credentials.connectionString": ["DefaultEndpointsProtocol=https;AccountName=myaccount;AccountKey=" + AZ_KEY + ";EndpointSuffix=core.windows.net", "UseDevelopmentStorage=true", "AccountName=x"],
  "responseHeaders.cacheControl": ["no-cache", "max-age=60"],
  "responseHeaders.contentType": ["text/plain; charset=utf-8"],
};
function azureRequest(rand) {
  const pick = (a) => fresh(a[Math.floor(rand() * a.length)]);
  const maybe = (p) => rand() < p;
  const r = { provider: "azure" };
  if (maybe(0.5)) r.method = pick(AZ_VALID.method);
  const credKind = rand();
  if (credKind < 0.12) {
    r.account = pick(AZ_VALID.account);
    r.credentials = { userDelegationKey: clone(pick(AZ_VALID["credentials.userDelegationKey"])) };
    for (const m of ["preauthorizedAgentObjectId", "correlationId", "credentialExpiry"]) if (maybe(0.3)) r[m] = pick(AZ_VALID[m]);
    if (maybe(0.3)) {
      r.version = "2026-04-06";
      if (maybe(0.6)) r.requestHeaders = clone(pick(AZ_VALID.requestHeaders));
      if (maybe(0.6)) r.requestQuery = clone(pick(AZ_VALID.requestQuery));
      if (maybe(0.4)) r.delegatedUserObjectId = pick(AZ_VALID.delegatedUserObjectId);
    }
  } else if (credKind < 0.22) {
    r.account = pick(AZ_VALID.account);
    r.credentials = { accountKey: AZ_KEY };
    r.sas = "account";
    if (maybe(0.7)) r.services = pick(AZ_VALID.services);
    if (maybe(0.7)) r.resourceTypes = pick(AZ_VALID.resourceTypes);
  } else if (credKind < 0.7) {
    r.account = pick(AZ_VALID.account);
    r.credentials = { accountKey: AZ_KEY };
  } else if (credKind < 0.8) {
    const se = pick(["", "&se=2026-12-06T00:00:00Z", "&se=2026-12-06", "&se=2026-12-01T00:00:00Z"]);
    r.credentials = { connectionString: `BlobEndpoint=https://myaccount.blob.core.windows.net/;SharedAccessSignature=sv=2025-07-05&ss=b&srt=co&sp=rwl${se}&sig=c2lnbmF0dXJl%3D` };
  } else {
    r.credentials = { connectionString: `DefaultEndpointsProtocol=https;AccountName=${pick(AZ_VALID.account)};AccountKey=${AZ_KEY};EndpointSuffix=core.windows.net` };
  }
  r.container = pick(AZ_VALID.container);
  if (maybe(0.85)) r.blob = pick(AZ_VALID.blob);
  for (const m of ["sas", "resource", "endpoint", "permissions", "startsOn", "clockSkew", "ipRange", "protocol", "identifier", "version", "responseHeaders", "signedAt", "encryptionScope", "snapshot", "versionId", "query"]) {
    if (r[m] === undefined && maybe(m === "signedAt" ? 0.6 : m === "snapshot" || m === "versionId" ? 0.04 : 0.12)) r[m] = clone(pick(AZ_VALID[m]));
  }
  if (maybe(0.2)) r.expiresOn = pick(AZ_VALID.expiresOn);
  else if (maybe(0.4)) r.expiresIn = pick(AZ_VALID.expiresIn);
  return maybe(0.25) ? shuffled(r, rand) : r;
}

const GCS_VALID = {
  bucket: ["my-bucket", "example.com", "bucket_with_underscore", "ab"],
  object: ["photos/cat.jpg", "a b.txt", "ünï/日本.png", "100%.txt", "a+b", "/lead", "trail/", "~tilde"],
  urlStyle: ["path", "virtualHosted", "bucketBound"],
  bucketBoundHostname: ["cdn.example.com", "https://cdn.example.com"],
  scheme: ["https", "http"],
  endpoint: ["http://localhost:4443", "https://storage.googleapis.com"],
  universeDomain: ["googleapis.com", "example-universe.com"],
  headers: [{ "content-type": "image/png" }, { "x-goog-meta-owner": "Zoë" }, { "x-goog-content-length-range": "0,1048576" }, { "x-goog-resumable": "start" }],
  query: [{ generation: "1700000000000000" }, { "response-content-disposition": "inline" }],
  expiresIn: [1, 600, 3600, 604800, 604801],
  method: ["GET", "put", "HEAD", "DELETE", "POST"],
  signedAt: [() => "2026-12-05T10:00:00Z", () => new Date(NOW - 1000), () => NOW],
};
function gcsRequest(rand) {
  const pick = (a) => fresh(a[Math.floor(rand() * a.length)]);
  const maybe = (p) => rand() < p;
  const r = { provider: "gcs", bucket: pick(GCS_VALID.bucket) };
  if (maybe(0.9)) r.object = pick(GCS_VALID.object);
  r.credentials = maybe(0.95) ? structuredClone(HMAC) : { serviceAccount: { client_email: "sa@p.iam.gserviceaccount.com", private_key: "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n" } };
  for (const m of ["method", "urlStyle", "scheme", "endpoint", "universeDomain", "headers", "query", "expiresIn", "signedAt"]) {
    if (maybe(m === "signedAt" || m === "method" ? 0.5 : 0.15)) r[m] = clone(pick(GCS_VALID[m]));
  }
  if (r.urlStyle === "bucketBound") r.bucketBoundHostname = pick(GCS_VALID.bucketBoundHostname);
  return maybe(0.25) ? shuffled(r, rand) : r;
}

/** GCS credentials as users pass them: a key file whole (its other fields skipped), HMAC, both, neither. */
function* gcsCredentialCases() {
  const SA = { type: "service_account", project_id: "p", private_key_id: "k1", client_email: "sa@p.iam.gserviceaccount.com",
    private_key: "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n", client_id: "1", extra: { nested: [1, "a\ud800b", { deep: null }] },
    universe_domain: "googleapis.com" };
  const { client_email, ...noEmail } = SA;
  const { private_key, ...noKey } = SA;
  const creds = {
    "a key file": { serviceAccount: SA }, "a key file without its private key": { serviceAccount: noKey },
    "a key file without client_email": { serviceAccount: noEmail }, "client_email a number": { serviceAccount: { ...SA, client_email: 5 } },
    "an authorized_user file": { serviceAccount: { ...SA, type: "authorized_user" } }, "another universe": { serviceAccount: { ...SA, universe_domain: "example.com" } },
    "a lone surrogate in a key file's member name": { serviceAccount: { ...SA, "x\udc00": 1 } }, "private_key a number": { serviceAccount: { ...SA, private_key: 1 } },
    "hmac and a key file": { ...HMAC, serviceAccount: SA }, "a key file and hmac": { serviceAccount: SA, ...HMAC },
    "neither": {}, "hmac null": { hmac: null }, "serviceAccount null": { serviceAccount: null }, "serviceAccount a string": { serviceAccount: "{}" },
    "hmac without secret": { hmac: { accessId: HMAC.hmac.accessId } }, "hmac with an extra member": { hmac: { ...HMAC.hmac, extra: 1 } },
    "hmac and an unknown member": { ...HMAC, signer2: 1 }, "a string": "hmac", "an array": [HMAC],
  };
  for (const [what, credentials] of Object.entries(creds)) yield { what: `credentials: ${what}`, req: { ...GCS_GOOD, credentials } };
}

/** Azure credentials as users pass them: exactly one of three, or not. */
function* azureCredentialCases() {
  const CS = AZ_VALID["credentials.connectionString"][0];
  const creds = {
    "an account key": { accountKey: AZ_KEY }, "a connection string": { connectionString: CS }, "a user-delegation key": { userDelegationKey: AZ_UDK },
    "key and connection string": { accountKey: AZ_KEY, connectionString: CS }, "connection string and key": { connectionString: CS, accountKey: AZ_KEY },
    "key and user-delegation key": { accountKey: AZ_KEY, userDelegationKey: AZ_UDK }, "all three": { accountKey: AZ_KEY, connectionString: CS, userDelegationKey: AZ_UDK },
    "neither": {}, "accountKey null": { accountKey: null }, "accountKey null and a connection string": { accountKey: null, connectionString: CS },
    "two, the second wrong": { accountKey: AZ_KEY, connectionString: 5 }, "two, then an unknown member": { accountKey: AZ_KEY, userDelegationKey: AZ_UDK, region: "x" },
    "userDelegationKey null": { userDelegationKey: null }, "userDelegationKey a string": { userDelegationKey: "key" },
    "a key without value": { userDelegationKey: { ...AZ_UDK, value: undefined } }, "a key with an extra member": { userDelegationKey: { ...AZ_UDK, extra: 1 } },
    "a key without signedOid, signedStart wrong": { userDelegationKey: { ...AZ_UDK, signedOid: undefined, signedStart: "yesterday" } },
    "a key of Dates": { userDelegationKey: { ...AZ_UDK, signedStart: new Date(NOW - 3_600_000), signedExpiry: new Date(NOW + 3_600_000) } },
    "an empty account key": { accountKey: "" }, "an account key not base64": { accountKey: "not base64" },
    "a string": AZ_KEY, "an array": [{ accountKey: AZ_KEY }], "sharedKey (another SDK's name)": { sharedKey: AZ_KEY },
  };
  for (const [what, credentials] of Object.entries(creds)) yield { what: `credentials: ${what}`, req: { ...AZ_GOOD, credentials } };
}

/** `obj` with the member at `path` (dotted) set to `v` (undefined: present, with the value undefined). */
function setPath(obj, path, v) {
  const copy = { ...obj };
  const keys = path.split(".");
  let o = copy;
  for (const k of keys.slice(0, -1)) {
    o[k] = o[k] !== null && typeof o[k] === "object" && !(o[k] instanceof Date) ? { ...o[k] } : {};
    o = o[k];
  }
  o[keys.at(-1)] = v;
  return copy;
}
/** `obj` with `name: v` inserted at position `at` ("first", "middle", "last"). */
function insertAt(obj, name, v, at) {
  const entries = Object.entries(obj);
  const i = at === "first" ? 0 : at === "middle" ? Math.floor(entries.length / 2) : entries.length;
  entries.splice(i, 0, [name, v]);
  const out = {};
  for (const [k, val] of entries) Object.defineProperty(out, k, { value: val, enumerable: true, writable: true, configurable: true });
  return out;
}
/** `obj` without `name`. */
const without = (obj, name) => Object.fromEntries(Object.entries(obj).filter(([k]) => k !== name));

/** Mutations of `base`: each path set to each value. */
function* mutations(base, paths, values, valid = {}) {
  for (const path of paths) {
    for (const [label, make] of values) yield { what: `${path} = ${label}`, req: setPath(base, path, make()) };
    for (const v of valid[path] ?? []) yield { what: `${path} = ${JSON.stringify(fresh(v)) ?? String(fresh(v))}`, req: setPath(base, path, fresh(v)) };
    if (!path.includes(".") && path in base) yield { what: `${path} missing`, req: without(base, path) };
  }
}

/** Odd members and odd objects around a good request of `provider`. */
function* structural(good, provider, otherProvider) {
  const typos = ["Key", "expires", "bucketName", "Bucket", "expiresAt", "signedat", "content-type", "region ", "", "__proto__", "constructor", "toString", "provider2", "credential", "\ud800x", "ключ"];
  for (const name of typos) {
    for (const at of ["first", "middle", "last"]) {
      yield { what: `unknown member ${JSON.stringify(name)} ${at}`, req: insertAt(good, name, name === "expires" ? 3600 : "x", at) };
    }
  }
  for (const name of ["0", "10", "4294967294", "4294967295", "-1", "01", "1.5"]) {
    yield { what: `member "${name}"`, req: { ...good, [name]: "x" } };
  }
  yield { what: "two unknown members", req: { ...good, foo: 1, bar: 2 } };
  yield { what: "an unknown member in credentials", req: { ...good, credentials: { ...good.credentials, region: "us-east-1" } } };
  yield { what: "an unknown member in credentials, first", req: { ...good, credentials: { sessionTokn: "t", ...good.credentials } } };
  // `provider` placed, missing and wrong
  for (const at of ["first", "middle", "last"]) yield { what: `provider ${at}`, req: insertAt(without(good, "provider"), "provider", provider, at) };
  yield { what: "provider missing", req: without(good, "provider") };
  for (const v of [provider.toUpperCase(), "aws", "amazon", "", ` ${provider}`, 5, null, true, {}, [provider], otherProvider, "S3\ud800"]) {
    yield { what: `provider = ${show(v)}`, req: { ...good, provider: v } };
    yield { what: `provider = ${show(v)} last`, req: insertAt(without(good, "provider"), "provider", v, "last") };
  }
  // the whole request not an object, or an odd one
  for (const [label, v] of [["null", null], ["undefined", undefined], ['"s3"', provider], ["[]", []], ["[request]", [good]], ["5", 5], ["true", true], ["a Date", new Date(NOW)], ["a function", () => good], ["a symbol", Symbol(provider)]]) {
    yield { what: `request = ${label}`, req: v };
  }
  yield { what: "toJSON: the request", req: { provider, toJSON: () => good } };
  yield { what: "toJSON: a string", req: { ...good, toJSON: () => "s3" } };
  yield { what: "toJSON: with NaN", req: { ...good, toJSON: () => ({ ...good, expiresIn: NaN }) } };
  yield { what: "toJSON: an unknown member", req: { ...good, toJSON: () => ({ ...good, bogus: 1 }) } };
  yield { what: "toJSON in credentials", req: { ...good, credentials: { toJSON: () => good.credentials } } };
  yield { what: "toJSON in a header", req: { ...good, headers: { "x-meta": { toJSON: () => "v" } } } };
  yield { what: "a symbol-keyed member", req: { ...good, [Symbol("key")]: "x" } };
  yield { what: "a symbol-keyed member in credentials", req: { ...good, credentials: { ...good.credentials, [Symbol.for("x")]: 1 } } };
  class Req {
    constructor() { Object.assign(this, good); }
    get extra() { return "not an own member"; }
  }
  yield { what: "a class instance", req: new Req() };
  class Half { constructor() { this.provider = provider; } }
  Half.prototype.credentials = good.credentials;
  yield { what: "a class instance, members on its prototype", req: Object.assign(new Half(), without(good, "credentials")) };
  yield { what: "Object.create(null)", req: Object.assign(Object.create(null), good) };
  yield { what: "a non-enumerable member", req: Object.defineProperty({ ...good }, "credentials", { value: good.credentials, enumerable: false }) };
  yield { what: "an enumerable getter", req: Object.defineProperty(without(good, "credentials"), "credentials", { get: () => good.credentials, enumerable: true }) };
  yield { what: "a frozen request", req: Object.freeze({ ...good }) };
  yield { what: "a Proxy", req: new Proxy({ ...good }, {}) };
  yield { what: "credentials = a Map", req: { ...good, credentials: new Map(Object.entries(good.credentials)) } };
  yield { what: "an enumerable getter of undefined", req: Object.defineProperty({ ...good }, "zzz", { get: () => undefined, enumerable: true }) };
  yield { what: "nesting 100 deep", req: { ...good, nested: JSON.parse("[".repeat(100) + "]".repeat(100)) } };
  yield { what: "nesting 100 deep in credentials", req: { ...good, credentials: { ...good.credentials, x: JSON.parse("{\"a\":".repeat(100) + "1" + "}".repeat(100)) } } };
  // Deeper than the reader's typed depth limit (128): skipped without recursion, so presignMany
  // refuses the element in its place and signs the others (it refused the whole array before).
  yield { what: "nesting 200 deep", req: { ...good, nested: JSON.parse("[".repeat(200) + "]".repeat(200)) } };
  yield { what: "nesting 150 deep in credentials", req: { ...good, credentials: { ...good.credentials, x: JSON.parse("{\"a\":".repeat(150) + "1" + "}".repeat(150)) } } };
  yield { what: "nesting 5000 deep before provider", req: { nested: JSON.parse("[".repeat(5000) + "]".repeat(5000)), ...good } };
  yield { what: "a huge unknown member", req: { ...good, bogus: "x".repeat(100_000) } };
}

/** Header / query maps as users write them, and wrong ones. */
function* maps(good, member, reserved) {
  const entries = [
    ["a lone surrogate in a name", { "x-amz-meta-\ud800": "v" }],
    ["a lone surrogate in a value", { "x-amz-meta-a": "v\udfff" }],
    ["a lone surrogate in the 3rd value", { a: "1", b: "2", c: "\ud83d" }],
    ["a number value", { "x-amz-meta-n": 5 }],
    ["a boolean value", { "x-amz-meta-b": true }],
    ["a null value", { "x-amz-meta-n": null }],
    ["an undefined value", { "x-amz-meta-u": undefined, "x-amz-meta-v": "v" }],
    ["an object value", { "x-amz-meta-o": {} }],
    ["an array value", { "x-amz-meta-a": ["v"] }],
    ["a NaN value", { "x-amz-meta-n": NaN }],
    ["a Date value", { "x-amz-meta-d": new Date(NOW) }],
    ["an empty name", { "": "v" }],
    ["a name with a space", { "x amz": "v" }],
    ["a name with a colon", { "x-amz-meta-a:b": "v" }],
    ["an upper-case name", { "X-AMZ-META-UP": "V" }],
    ["the same name twice, cased", { "content-type": "a/b", "Content-Type": "c/d" }],
    ["a value with a newline", { "x-amz-meta-a": "a\nb" }],
    ["a value with CR LF", { "x-amz-meta-a": "a\r\nb" }],
    ["a value with a NUL", { "x-amz-meta-a": "a\0b" }],
    ["a unicode value", { "x-amz-meta-a": "日本語 ünï 😀" }],
    ["an integer-like name", { "5": "v", a: "b" }],
    ["a header named __proto__", JSON.parse('{"__proto__": "v", "x-amz-meta-a": "b"}')],
    ["50 entries", Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`x-amz-meta-h${i}`, `v${i}`]))],
    ...reserved.map((n) => [`reserved ${n}`, { [n]: "v" }]),
  ];
  for (const [label, value] of entries) yield { what: `${member}: ${label}`, req: { ...good, [member]: value } };
}

function* s3Valid(n) {
  const rand = rng(SEED ^ 0x5);
  for (let i = 0; i < n; i++) yield { what: `valid #${i}`, req: s3Request(rand) };
}
const S3_PATHS = ["provider", "method", "signedAt", "bucket", "key", "keyPrefix", "region", "endpoint", "urlStyle", "dualstack", "accelerate", "fips", "store", "accountId",
  "credentials", "limits", "expiresIn", "headers", "query", "credentialExpiry", "regionSet",
  "credentials.accessKeyId", "credentials.secretAccessKey", "credentials.sessionToken", "credentials.expiresAt",
  "limits.size", "limits.maxSize", "limits.contentType", "limits.checksum", "limits.checksum.algorithm", "limits.checksum.value",
  "headers.content-type", "query.versionId"];
const S3_MUTATION_VALID = {
  ...Object.fromEntries(Object.entries(S3_VALID).map(([k, v]) => [k, [...v.slice(0, 3), ...(S3_EDGE[k] ?? []).slice(0, 3)]])),
  "credentials.sessionToken": ["FwoGZXIvYXdzEXAMPLE"],
  "credentials.expiresAt": CRED_EXPIRY.slice(0, 6),
  "limits.size": [0, 1024],
  "limits.checksum.algorithm": ["sha256", "SHA256", "crc32c", "sha512"],
};
const S3_BASE_PUT = {
  provider: "s3", method: "PUT", bucket: "uploads.example.com", key: "users/42/avatar 1.png", region: "eu-west-1",
  credentials: { ...STS, expiresAt: ISO(NOW + 86_400_000) }, expiresIn: 900, signedAt: "2026-12-05T09:59:00Z",
  headers: { "content-type": "image/png", "x-amz-meta-owner": "42" }, query: { versionId: "v1" },
  limits: { size: 48213, contentType: "image/png", checksum: { algorithm: "sha256", value: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" } },
  credentialExpiry: "warn",
};
const S3_BASE_R2 = { provider: "s3", store: "r2", accountId: "0123456789abcdef0123456789abcdef", bucket: "assets", key: "img/logo.svg", credentials: AWS2, signedAt: NOW - 1000 };
const S3_BASE_COMPAT = { provider: "s3", bucket: "media", key: "a/b.txt", endpoint: "http://localhost:9000", urlStyle: "path", store: "minio", credentials: AWS, expiresIn: 60 };

/** The groups: name, the entries its cases run on, the cases, the good requests around a presignMany case. */
function groups() {
  const s3 = { provider: "s3", anchors: [S3_GOOD, S3_GOOD2] };
  const az = { provider: "azure", anchors: [AZ_GOOD, AZ_GOOD2] };
  const gcs = { provider: "gcs", anchors: [GCS_GOOD, GCS_GOOD2] };
  const s3Reserved = ["host", "Host", "x-amz-date", "X-Amz-Signature", "x-amz-security-token", "authorization", "x-amz-content-sha256"];
  return [
    { ...s3, name: "s3 valid", dirs: ["s3", "main"], cases: () => s3Valid(1500), minSigned: 1500, minCodes: 5 },
    { ...s3, name: "s3 members", dirs: ["s3", "main"], minCodes: 8, minSigned: 200,
      cases: function* () {
        yield* mutations(S3_GOOD, S3_PATHS, JUNK, S3_MUTATION_VALID);
        yield* mutations(S3_BASE_PUT, S3_PATHS, JUNK, S3_MUTATION_VALID);
        yield* mutations(S3_BASE_R2, ["store", "accountId", "endpoint", "region", "urlStyle", "limits"], JUNK_SHORT, S3_MUTATION_VALID);
        yield* mutations(S3_BASE_COMPAT, ["bucket", "key", "endpoint", "urlStyle", "store", "region", "credentials.accessKeyId", "expiresIn", "signedAt"], JUNK_SHORT, S3_MUTATION_VALID);
      } },
    { ...s3, name: "s3 credentials", dirs: ["s3", "main"], minCodes: 3, minSigned: 20,
      cases: function* () {
        for (const c of mutations(S3_GOOD, ["credentials", "credentials.accessKeyId", "credentials.secretAccessKey", "credentials.sessionToken", "credentials.expiresAt"], JUNK_SHORT, S3_MUTATION_VALID)) {
          yield { ...c, client: "setCredentials" };
        }
        for (const e of CRED_EXPIRY) {
          for (const mode of [undefined, "warn", "error", "clamp"]) {
            const req = { ...S3_GOOD, credentials: { ...STS, expiresAt: e() }, expiresIn: 3600 };
            if (mode) req.credentialExpiry = mode;
            yield { what: `expiresAt ${show(e())} credentialExpiry ${mode}`, req, client: "setCredentials" };
          }
        }
      } },
    { ...s3, name: "s3 maps", dirs: ["s3", "main"], minCodes: 3,
      cases: function* () {
        yield* maps(S3_GOOD, "headers", s3Reserved);
        yield* maps(S3_GOOD, "query", s3Reserved.concat(["X-Amz-Date", "x-amz-credential", "X-Amz-Expires"]));
        yield* maps(S3_BASE_PUT, "headers", ["content-length", "content-md5", "x-amz-checksum-crc32"]);
        yield { what: "headers: a header named __proto__, with a warning", req: S3_PROTO_WARN };
      } },
    { ...s3, name: "s3 objects", dirs: ["s3", "main"], minCodes: 1, cases: () => structural(S3_GOOD, "s3", "gcs") },
    { name: "s3 calls", dirs: ["s3", "main"], calls: () => oddCalls(S3_GOOD) },
    { ...az, name: "azure valid", dirs: ["azure", "main"], min: 100, minSigned: 150, minCodes: 1,
      cases: function* () {
        const azurite = { provider: "azure", account: "devstoreaccount1", container: "uploads", blob: "b.txt", endpoint: "http://127.0.0.1:10000/devstoreaccount1", credentials: { accountKey: AZ_KEY }, signedAt: NOW };
        yield { what: "Azurite", req: azurite };
        yield { what: "Azurite, protocol https", req: { ...azurite, protocol: "https" } };
        yield { what: "Azurite, protocol https,http", req: { ...azurite, protocol: "https,http", method: "PUT" } };
        const rand = rng(SEED ^ 0xa2);
        for (let i = 0; i < 150; i++) yield { what: `valid #${i}`, req: azureRequest(rand) };
      } },
    { ...az, name: "azure members", dirs: ["azure", "main"], minCodes: 4,
      cases: () => mutations(AZ_GOOD, ["account", "container", "blob", "credentials", "credentials.accountKey", "credentials.connectionString", "sas", "resource", "permissions", "startsOn", "clockSkew", "expiresOn", "expiresIn", "ipRange", "protocol", "identifier", "encryptionScope", "snapshot", "versionId", "version", "responseHeaders", "responseHeaders.cacheControl", "responseHeaders.contentType", "services", "resourceTypes", "query", "signedAt", "method", "endpoint"], JUNK_SHORT, AZ_VALID) },
    { ...az, name: "azure delegation", dirs: ["azure", "main"], minCodes: 4, minSigned: 40,
      cases: function* () {
        yield* mutations(AZ_DELEGATION, ["credentials.userDelegationKey", ...Object.keys(AZ_UDK).map((k) => `credentials.userDelegationKey.${k}`),
          "credentials.userDelegationKey.signedDelegatedUserTid", "preauthorizedAgentObjectId", "agentObjectId", "correlationId", "delegatedUserObjectId",
          "requestHeaders", "requestQuery", "credentialExpiry", "version", "sas", "permissions", "expiresIn"], JUNK_SHORT, AZ_VALID);
        yield* maps(AZ_DELEGATION, "requestHeaders", ["x-ms-date", "authorization", "host"]);
        yield* maps(AZ_DELEGATION, "requestQuery", ["sig", "se", "comp"]);
        yield* maps(AZ_GOOD, "query", ["sig", "sv", "comp", "snapshot"]);
        yield { what: "requestHeaders: a header named __proto__, with a warning", req: AZ_PROTO_WARN };
      } },
    { ...az, name: "azure account", dirs: ["azure", "main"], minCodes: 3, minSigned: 20,
      cases: () => mutations(AZ_ACCOUNT, ["services", "resourceTypes", "permissions", "sas", "container", "blob", "encryptionScope", "snapshot", "versionId", "identifier"], JUNK_SHORT, AZ_VALID) },
    { ...az, name: "azure credentials", dirs: ["azure", "main"], min: 30, minCodes: 2, cases: azureCredentialCases },
    { ...az, name: "azure objects", dirs: ["azure"], min: 50, cases: () => structural(AZ_GOOD, "azure", "s3") },
    { name: "azure calls", dirs: ["azure"], calls: () => oddCalls(AZ_GOOD) },
    { ...gcs, name: "gcs valid", dirs: ["gcs", "main"], minSigned: 150, minCodes: 1,
      cases: function* () { const rand = rng(SEED ^ 0x6c); for (let i = 0; i < 150; i++) yield { what: `valid #${i}`, req: gcsRequest(rand) }; } },
    { ...gcs, name: "gcs members", dirs: ["gcs", "main"], minCodes: 4,
      cases: function* () {
        yield* mutations(GCS_GOOD, ["bucket", "object", "credentials", "credentials.hmac", "credentials.hmac.accessId", "credentials.hmac.secret", "urlStyle", "bucketBoundHostname", "scheme", "endpoint", "universeDomain", "headers", "query", "expiresIn", "signedAt", "method"], JUNK_SHORT, GCS_VALID);
        yield* maps(GCS_GOOD, "headers", ["host", "x-goog-date"]);
      } },
    { ...gcs, name: "gcs credentials", dirs: ["gcs", "main"], min: 30, minCodes: 2, cases: gcsCredentialCases },
    { ...gcs, name: "gcs objects", dirs: ["gcs"], min: 50, cases: () => structural(GCS_GOOD, "gcs", "azure") },
    { name: "gcs calls", dirs: ["gcs"], calls: () => oddCalls(GCS_GOOD) },
  ];
}

// ============================================================================================
// The main thread: runs the worker under a watchdog, then turns its report into tests.
// ============================================================================================
async function runMain() {
  const started = performance.now();
  const report = await new Promise((resolve) => {
    const groups = [];
    let last = "(before the first case)";
    let done = false;
    const worker = new Worker(new URL(import.meta.url));
    const finish = (extra) => {
      if (done) return;
      done = true;
      clearInterval(watch);
      resolve({ groups, last, ...extra });
    };
    let heard = performance.now();
    const watch = setInterval(() => {
      if (performance.now() - heard > QUIET_MS) {
        worker.terminate();
        finish({ hang: `no answer for ${QUIET_MS / 1000} s; the last case started: ${last}` });
      }
    }, 250);
    worker.on("message", (msg) => {
      heard = performance.now();
      if (msg.type === "case") last = msg.what;
      else if (msg.type === "group") groups.push(msg.group);
      else if (msg.type === "done") finish({ keptSeen: msg.keptSeen });
    });
    worker.on("error", (e) => finish({ crash: String(e && e.stack || e) }));
    worker.on("exit", (code) => finish({ crash: `the worker exited (${code}) before its report` }));
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  test("no hang, no crash", () => {
    assert.equal(report.hang, undefined, report.hang);
    assert.equal(report.crash, undefined, `${report.crash}\nlast case: ${report.last}`);
  });

  let cases = 0, comparisons = 0, mismatches = 0;
  for (const g of report.groups) {
    cases += g.cases;
    for (const [way, w] of Object.entries(g.ways)) {
      comparisons += w.n;
      mismatches += w.bad;
      test(`${g.name}: ${way}`, async (t) => {
        if (w.bad === 0) {
          assert.ok(w.n >= g.min, `only ${w.n} comparisons, fewer than ${g.min}`);
          return;
        }
        for (const { what, detail } of w.shown) {
          await t.test(`${g.name}: ${way} ${what}`, () => assert.fail(detail));
        }
        if (w.bad > w.shown.length) {
          await t.test(`${g.name}: ${way} and ${w.bad - w.shown.length} more`, () =>
            assert.fail(`${w.bad - w.shown.length} more mismatches not shown`));
        }
      });
    }
    // The generator is not degenerate: valid cases sign, mutated ones fail in several ways.
    test(`${g.name}: outcomes`, () => {
      assert.ok(g.signed >= g.minSigned, `${g.signed} of ${g.cases} cases signed (server, presign); at least ${g.minSigned} expected`);
      assert.ok(g.codes.length >= g.minCodes, `error codes seen: ${g.codes.join(", ") || "none"}; at least ${g.minCodes} expected`);
    });
  }
  test("cases: at least 3000", () => assert.ok(cases >= 3000, `${cases} cases`));
  // Parity cannot see what both builds get wrong alike (they share pkg/api.js's reader): the header
  // named __proto__ is checked against the input itself, in every build and way.
  test("a header named __proto__: an own member, in a result with a warning or none", async () => {
    const own = { value: "v", writable: true, enumerable: true, configurable: true };
    for (const [dir, req] of [["s3", S3_PROTO_WARN], ["main", S3_PROTO_WARN], ["azure", AZ_PROTO_WARN], ["main", AZ_PROTO_WARN]]) {
      const builds = { server: await import(pathToFileURL(join(ROOT, `pkg/dist/${dir}/node.js`)).href), browser: await browserEntry(ROOT, dir) };
      for (const [build, b] of Object.entries(builds)) {
        for (const warn of [true, false]) {
          const r0 = warn ? req : { ...req, credentials: req === S3_PROTO_WARN ? STS : AZ_DELEGATION.credentials };
          const client = b.createPresigner(r0);
          const ways = { presign: b.presign(r0), presignMany: b.presignMany([r0, r0])[1], "client.presign": client.presign({}) };
          client.free();
          for (const [way, r] of Object.entries(ways)) {
            const at = `${dir} ${build} ${way}${warn ? ", with a warning" : ""}`;
            assert.ok(r && r.headers, `${at}: no result (${r})`);
            assert.equal(Object.getPrototypeOf(r.headers), Object.prototype, at);
            assert.deepEqual(Object.getOwnPropertyDescriptor(r.headers, "__proto__"), own, at);
            assert.equal(Object.keys(r.headers)[0], "__proto__", at);
            assert.deepEqual(r.warnings?.map((w) => w.code), warn ? ["CREDENTIALS_EXPIRE_FIRST"] : undefined, at);
          }
        }
      }
    }
  });
  // Every sentence the rule keeps in full was met, so the rule holds for each of them.
  test("messages: every KEPT rule met", () => {
    assert.ok(report.keptSeen, "the run stopped before its end");
    const unmet = KEPT.filter((_, i) => !report.keptSeen.includes(i));
    assert.deepEqual(unmet.map(String), []);
  });
  for (const g of report.groups) console.log(`${g.name}: ${g.cases} cases, ${g.signed} signed; codes ${g.codes.join(" ")}`);
  const stopped = report.hang || report.crash ? " (the run stopped early: see \"no hang, no crash\")" : "";
  console.log(`parity: ${cases} cases, ${comparisons} comparisons of the browser build with the server build, ${mismatches} mismatches, ${seconds} s${stopped}`);
}

// Last, so that every constant above is initialised.
if (isMainThread) await runMain();
else await runWorker();
