// `presign/multipart` (pkg/dist/multipart, built by pkg/build.sh): uploads in parts from JS. Every
// plan, step and answer through the npm entry equals the native CLI's (`presign upload-plan
// --json-request`, one JSON line per input) for the same input and instant — the CLI's requests are
// the ones tests/upload_py_diff.py compares with boto3, azure-storage-blob and google-cloud-storage,
// and tests/upload_live_servers.py sends to the servers. GCS with a service-account key: the CLI
// signs natively (RSA in Rust), `planUploadAsync` / `uploadRequestAsync` sign with WebCrypto through
// the string-to-sign seam: the URLs must be the same bytes. Bad input is a PresignError with a code,
// never a wasm trap. Both the ESM (speed wasm) and the CommonJS entry, and the browser build's wasm
// (size build) through its web glue.
// Run:  node tests/npm_multipart.mjs   (pkg/dist built; PRESIGN_BIN or target/release/presign)
import { assert, test } from "./support/harness.mjs";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const PRESIGN_BIN = process.env.PRESIGN_BIN || path.join(ROOT, "target", "release", "presign");
const DIST = path.join(ROOT, "pkg/dist/multipart");

const esm = await import(pathToFileURL(path.join(DIST, "node.js")).href);
const cjs = createRequire(import.meta.url)(path.join(DIST, "node.cjs"));
const web = await (async () => {
  const glue = await import(pathToFileURL(path.join(DIST, "web/presign_multipart.js")).href);
  glue.initSync({ module: readFileSync(path.join(DIST, "web/presign_multipart_bg.wasm")) });
  const api = await import(pathToFileURL(path.join(ROOT, "pkg/api.js")).href);
  return Object.fromEntries(["planUpload", "uploadRequest", "uploadResponse", "planUploadAsync", "uploadRequestAsync"]
    .map((f) => [f, api[`${f}Fn`](glue)]).concat([["PresignError", api.PresignError]]));
})();
const RUNTIMES = { esm, cjs, web };

const SA = JSON.parse(readFileSync(path.join(ROOT, "tests/vectors/gcs/test_service_account.not-a-test.json"), "utf8"));
const AT = "2026-12-05T10:00:00Z";
const MiB = 1 << 20;
const TARGETS = {
  s3: { provider: "s3", bucket: "presign-demo", key: "uploads/big file+ünï (1).bin", region: "eu-west-1", endpoint: "http://127.0.0.1:8333", urlStyle: "path",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" } },
  s3aws: { provider: "s3", bucket: "my-bucket", key: "video.mp4", region: "us-east-1", headers: { "x-amz-meta-who": "me" },
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", sessionToken: "TOKEN/+=" } },
  azure: { provider: "azure", container: "presign-demo", blob: "uploads/big file+ünï (1).bin",
    credentials: { connectionString: "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;" } },
  gcsHmac: { provider: "gcs", bucket: "presign-demo", object: "uploads/big file+ünï (1).bin", endpoint: "http://127.0.0.1:4444", urlStyle: "path",
    credentials: { hmac: { accessId: "GOOG1EXAMPLEACCESSID", secret: "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ" } } },
  gcsKey: { provider: "gcs", bucket: "presign-demo", object: "uploads/big file+ünï (1).bin", endpoint: "http://127.0.0.1:4444", urlStyle: "path",
    credentials: { serviceAccount: SA } },
};
const DIGEST = { crc32: "AAAAAA==", crc32c: "4waSgw==", md5: "1B2M2Y8AsgTpLAcTtC7Xsg==", crc64nvme: "AAAAAAAAAAA=", sha256: "47DEQpj8HSSa+/TXp3FsQ+yKbOAP5q4Gz6RTzQc9jCI=" };

/** Inputs for one target: plans (with and without an upload id, a checksum, a part size) and every step. */
function inputs(name) {
  const t = { ...TARGETS[name], signedAt: AT, expiresIn: 900 };
  const provider = t.provider;
  const checksum = provider === "s3" ? "crc32" : provider === "gcs" ? "crc32c" : "md5";
  const size = 200 * MiB + 12345;
  const up = { ...t, size, partSize: 16 * MiB, contentType: "application/octet-stream" };
  const id = provider === "azure" ? {} : { uploadId: "2~ID with/+= and ünï" };
  const parts = Array.from({ length: 13 }, (_, i) => ({ partNumber: 13 - i, etag: `"etag-${13 - i}"` }));
  const out = [
    { ...t, size: 5 * MiB },
    up,
    { ...up, ...id },
    { ...up, ...id, checksum },
    { ...up, step: "create" },
    { ...up, ...id, step: "part", partNumber: 1 },
    { ...up, ...id, step: "part", partNumber: 13 },
    { ...up, ...id, checksum, step: "part", partNumber: 2, digest: DIGEST[checksum] },
    { ...up, ...id, step: "complete", parts },
    { ...up, ...id, checksum, step: "complete", parts: parts.map((p) => ({ ...p, digest: DIGEST[checksum] })) },
    { ...up, ...id, step: "list" },
    { ...up, step: "put", size: 100 },
    { ...up, step: "put", size: 100, checksum, digest: DIGEST[checksum] },
  ];
  if (provider !== "azure") out.push({ ...up, ...id, step: "abort" });
  else out.splice(4, 1); // Azure has no create step
  return out;
}

/** The CLI's answers, one per input line (`presign upload-plan --json-request`; exit 1 when a line failed). */
function cli(lines) {
  const r = spawnSync(PRESIGN_BIN, ["upload-plan", "--json-request"], {
    input: lines.map((l) => JSON.stringify(l)).join("\n") + "\n",
    env: { PATH: process.env.PATH }, // no credentials from the environment
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${PRESIGN_BIN}: ${r.error || r.stderr}`);
  const out = r.stdout.toString().trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(out.length, lines.length);
  return out;
}

/** One input through the entry: a plan or a step, sync or async; the result, or {error} as the CLI prints it. */
async function npm(rt, input, async) {
  const f = input.step ? (async ? rt.uploadRequestAsync : rt.uploadRequest) : (async ? rt.planUploadAsync : rt.planUpload);
  try {
    return await f(input);
  } catch (e) {
    assert.ok(e instanceof rt.PresignError, `not a PresignError: ${e}`);
    return { error: { code: e.code, message: e.message } };
  }
}

for (const name of Object.keys(TARGETS)) {
  const lines = inputs(name);
  const want = cli(lines);
  test(`${name}: the CLI signs every input (no error)`, () => {
    const errors = want.filter((w) => w.error).map((w) => w.error.code);
    assert.deepEqual(errors, []);
  });
  for (const [rt, api] of Object.entries(RUNTIMES)) {
    // The synchronous functions cannot sign with a service-account key: they say so.
    const async = name === "gcsKey";
    test(`${name} (${rt}): ${lines.length} plans and steps equal the CLI's${async ? " (async, WebCrypto RSA)" : ""}`, async () => {
      for (let i = 0; i < lines.length; i++) {
        const got = await npm(api, lines[i], async);
        assert.deepEqual(got, want[i], `input ${i} (${lines[i].step || "plan"})`);
      }
    });
    if (async) {
      test(`${name} (${rt}): the synchronous functions refuse a service-account key (UNSUPPORTED)`, async () => {
        for (const input of [lines[1], lines[5]]) {
          const got = await npm(api, input, false);
          assert.equal(got.error && got.error.code, "UNSUPPORTED");
        }
      });
    } else {
      test(`${name} (${rt}): the async functions give the synchronous ones' result`, async () => {
        for (const input of [lines[2], lines[5]]) assert.deepEqual(await npm(api, input, true), await npm(api, input, false));
      });
    }
  }
}

test("gcs: a plan signed by a `credentials: { signer }` equals the CLI's (the signer gets every string to sign)", async () => {
  const { createSign } = await import("node:crypto");
  const seen = [];
  const signer = {
    clientEmail: SA.client_email,
    sign(s) {
      seen.push(s);
      return createSign("RSA-SHA256").update(s).sign(SA.private_key, "hex");
    },
  };
  const input = { ...inputs("gcsKey")[2] };
  const [want] = cli([input]);
  const got = await esm.planUploadAsync({ ...input, credentials: { signer } });
  assert.deepEqual(got, want);
  assert.equal(seen.length, 1 + want.parts.length + 2); // create, every part, list, abort
});

// The answers: uploadResponse reads what the servers send, as the CLI does.
const ANSWERS = [
  { provider: "s3", step: "create", status: 200, body: '<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket><Key>k</Key><UploadId>VXBsb2FkIElE</UploadId></InitiateMultipartUploadResult>' },
  { provider: "gcs", step: "create", status: 200, body: "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>ABPnzm4</UploadId></InitiateMultipartUploadResult>" },
  { provider: "s3", step: "list", status: 200, body: '<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket><Key>k</Key><UploadId>U</UploadId><PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>2</NextPartNumberMarker><MaxParts>1000</MaxParts><IsTruncated>false</IsTruncated><Part><PartNumber>1</PartNumber><LastModified>2026-12-05T10:00:00.000Z</LastModified><ETag>"a"</ETag><Size>16777216</Size><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part><Part><PartNumber>2</PartNumber><LastModified>2026-12-05T10:00:00.000Z</LastModified><ETag>"b"</ETag><Size>5</Size></Part></ListPartsResult>' },
  { provider: "s3", step: "complete", status: 200, body: "<CompleteMultipartUploadResult><Location>l</Location><Bucket>b</Bucket><Key>k</Key><ETag>\"x-2\"</ETag></CompleteMultipartUploadResult>" },
  { provider: "s3", step: "complete", status: 200, body: "<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>" },
  { provider: "s3", step: "create", status: 403, body: "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error>" },
  { provider: "azure", step: "complete", status: 201, body: "" },
  { provider: "s3", step: "create", status: 200, body: "not xml" },
];
const answers = cli(ANSWERS);
for (const [rt, api] of Object.entries(RUNTIMES)) {
  test(`uploadResponse (${rt}): ${ANSWERS.length} answers read as the CLI reads them`, () => {
    ANSWERS.forEach((a, i) => {
      let got;
      try {
        got = api.uploadResponse(a);
      } catch (e) {
        assert.ok(e instanceof api.PresignError, String(e));
        got = { error: { code: e.code, message: e.message } };
      }
      // The browser build's messages are terse (code and member path); the code is the same.
      if (rt === "web" && got.error) assert.equal(got.error.code, answers[i].error && answers[i].error.code, `answer ${i}`);
      else assert.deepEqual(got, answers[i], `answer ${i}`);
    });
  });
}
test("uploadResponse: an S3 error document is SERVICE_ERROR even with status 200", () => {
  assert.equal(answers[4].error.code, "SERVICE_ERROR");
  assert.equal(answers[5].error.code, "SERVICE_ERROR");
  assert.deepEqual(answers[0], { uploadId: "VXBsb2FkIElE" });
});

// Bad input: a PresignError with a stable code from every function, sync and async, never a trap.
const s3 = { ...TARGETS.s3, size: 100 * MiB };
const BAD = [
  ["not an object", null, "INVALID_REQUEST"],
  ["an array", [s3], "INVALID_REQUEST"],
  ["no size", { ...s3, size: undefined }, "INVALID_REQUEST"],
  ["size NaN", { ...s3, size: NaN }, "INVALID_REQUEST"],
  ["size 0", { ...s3, size: 0 }, "INVALID_REQUEST"],
  ["negative size", { ...s3, size: -1 }, "INVALID_REQUEST"],
  ["size past 5 GiB x 10,000", { ...s3, size: 5 * 1024 * MiB * 10000 + 1 }, "INVALID_REQUEST"],
  ["part size below 5 MiB", { ...s3, partSize: MiB }, "INVALID_REQUEST"],
  ["unknown checksum", { ...s3, checksum: "crc16" }, "INVALID_REQUEST"],
  ["checksum the provider does not verify", { ...TARGETS.azure, size: 10, checksum: "sha256" }, "INVALID_REQUEST"],
  ["empty key", { ...s3, key: "" }, "INVALID_KEY"],
  ["no provider", { size: 10 }, "INVALID_REQUEST"],
  ["unknown step", { ...s3, step: "explode" }, "INVALID_REQUEST"],
  ["part without upload id", { ...s3, step: "part", partNumber: 1 }, "INVALID_REQUEST"],
  ["part 0", { ...s3, step: "part", uploadId: "U", partNumber: 0 }, "INVALID_REQUEST"],
  ["part past the plan", { ...s3, step: "part", uploadId: "U", partNumber: 14 }, "INVALID_REQUEST"],
  ["digest without checksum", { ...s3, step: "part", uploadId: "U", partNumber: 1, digest: "AAAAAA==" }, "INVALID_REQUEST"],
  ["checksum without digest", { ...s3, step: "part", uploadId: "U", partNumber: 1, checksum: "crc32" }, "INVALID_REQUEST"],
  ["malformed digest", { ...s3, step: "part", uploadId: "U", partNumber: 1, checksum: "crc32", digest: "AAAA" }, "INVALID_REQUEST"],
  ["complete with a part missing", { ...s3, step: "complete", uploadId: "U", parts: [{ partNumber: 1, etag: '"a"' }] }, "INVALID_REQUEST"],
  ["complete with parts not an array", { ...s3, step: "complete", uploadId: "U", parts: "1" }, "INVALID_REQUEST"],
  ["lone surrogate in the key", { ...s3, key: "a\ud800" }, "INVALID_REQUEST"],
];
for (const [rt, api] of Object.entries(RUNTIMES)) {
  test(`bad input (${rt}): ${BAD.length} inputs, each a PresignError with its code (sync and async)`, async () => {
    for (const [what, input, code] of BAD) {
      const f = input && input.step ? [api.uploadRequest, api.uploadRequestAsync] : [api.planUpload, api.planUploadAsync];
      for (const fn of f) {
        let err;
        try {
          await fn(input);
        } catch (e) {
          err = e;
        }
        assert.ok(err instanceof api.PresignError, `${what}: ${err}`);
        assert.equal(err.code, code, `${what}: ${err.message}`);
      }
    }
  });
  test(`bad answers (${rt}): uploadResponse refuses them with a PresignError`, () => {
    for (const input of [null, "x", { provider: "s3", step: "create" }, { provider: "ftp", step: "create", status: 200, body: "" },
      { provider: "s3", step: "part", status: 200, body: "" }, { provider: "s3", step: "create", status: NaN, body: "" }]) {
      assert.throws(() => api.uploadResponse(input), (e) => e instanceof api.PresignError && typeof e.code === "string");
    }
  });
  test(`gcs async (${rt}): a bad key is INVALID_CREDENTIALS, a signer's malformed signature INVALID_REQUEST`, async () => {
    const bad = { ...TARGETS.gcsKey, size: 10, credentials: { serviceAccount: { ...SA, private_key: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" } } };
    await assert.rejects(api.planUploadAsync(bad), (e) => e instanceof api.PresignError && e.code === "INVALID_CREDENTIALS");
    const signer = { clientEmail: SA.client_email, sign: () => "zz" };
    await assert.rejects(api.planUploadAsync({ ...bad, credentials: { signer } }), (e) => e instanceof api.PresignError && e.code === "INVALID_REQUEST");
  });
}
