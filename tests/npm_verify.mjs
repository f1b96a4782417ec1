// `presign/verify` from JS (pkg/dist/verify/node.js, built by pkg/build.sh): URLs made by the official JS
// SDKs (@aws-sdk/s3-request-presigner, @azure/storage-blob, @google-cloud/storage — GCS RSA through
// verifyAsync and WebCrypto) verify, and each tampered variant is
// refused with the check that failed; every verdict equals the native CLI's (`presign verify --json`)
// for the same URL, method, headers and key. SDKs are installed on first run into $SERVERS_PREFIX
// (npm-bench, npm-azure), the same folders and versions as benches/npm.mjs and azure_js_diff.mjs.
// Each check is a node:test test (tests/support/harness.mjs).
//   node tests/npm_verify.mjs     last line "N passed, M failed"
import { assert, test } from "./support/harness.mjs";
import { execFileSync, spawnSync } from "node:child_process";
import { createPublicKey } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const PREFIX = process.env.SERVERS_PREFIX || join(tmpdir(), "presign-servers");
const BIN = process.env.PRESIGN_BIN || join(ROOT, "target/release/presign");

function ensure(dir, specs) {
  const missing = specs.filter((s) => !existsSync(join(dir, "node_modules", s.slice(0, s.lastIndexOf("@")), "package.json")));
  if (missing.length === 0) return;
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, "package.json"))) writeFileSync(join(dir, "package.json"), "{}\n");
  execFileSync("npm", ["install", "--no-fund", "--no-audit", "--loglevel=error", ...missing], { cwd: dir, stdio: "inherit" });
}
const AWS_DIR = join(PREFIX, "npm-bench");
const AZ_DIR = join(PREFIX, "npm-azure");
ensure(AWS_DIR, ["@aws-sdk/client-s3@3.1175.0", "@aws-sdk/s3-request-presigner@3.1169.0"]);
ensure(AZ_DIR, ["@azure/storage-blob@12.32.0"]);
ensure(AWS_DIR, ["@google-cloud/storage@7.22.0"]);
const { S3Client, PutObjectCommand, GetObjectCommand } = createRequire(join(AWS_DIR, "package.json"))("@aws-sdk/client-s3");
const { getSignedUrl } = createRequire(join(AWS_DIR, "package.json"))("@aws-sdk/s3-request-presigner");
const az = createRequire(join(AZ_DIR, "package.json"))("@azure/storage-blob");
const { Storage } = createRequire(join(AWS_DIR, "package.json"))("@google-cloud/storage");
const { verify, verifyAsync, PresignError } = await import(pathToFileURL(join(ROOT, "pkg/dist/verify/node.js")).href);
const { presignAsync, PresignError: MainError } = await import(pathToFileURL(join(ROOT, "pkg/dist/main/node.js")).href);

test("one PresignError class for every entry (presign/verify's is presign's)", () => assert.ok(PresignError === MainError, "two classes"));

/** The CLI's verdict for the same input (keys from the environment, as `presign verify` reads them). */
function cli(url, method, headers, env) {
  const args = ["verify", url, "--method", method, "--json"];
  for (const [n, v] of Object.entries(headers)) args.push("-H", `${n}: ${v}`);
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|AZURE_|GCS_|GOOGLE_)/.test(k)));
  const r = spawnSync(BIN, args, { env: { ...clean, ...env }, encoding: "utf8" });
  return { status: r.status, verdict: r.stdout ? JSON.parse(r.stdout) : null, stderr: r.stderr };
}

/** Checks one URL from JS and from the CLI: `want` is "valid" or the expected failure code. */
async function both(name, { url, method, headers = {}, credentials, env }, want) {
  const js = () => verifyAsync({ url, method, headers, credentials });
  await test(`${name}: ${want}`, async () => {
    const v = await js();
    assert.equal(v.valid ? "valid" : v.error.code, want, JSON.stringify(v));
  });
  await test(`${name}: CLI verdict equals the npm verdict`, async () => {
    const v = await js();
    const c = cli(url, method, headers, env);
    assert.ok(c.verdict, `no verdict from the CLI (exit ${c.status}): ${c.stderr}`);
    // the same verdict, member for member and in the same order, and the exit status that goes with it
    assert.equal(JSON.stringify(c.verdict), JSON.stringify(v));
    assert.equal(c.status, v.valid ? 0 : 1, c.stderr);
  });
}

const flip = (url, param) => url.replace(new RegExp(`([?&]${param}=[^&]*?)([0-9a-f])(&|$)`), (_, a, d, e) => a + (d === "0" ? "1" : "0") + e);

// --- S3: @aws-sdk/s3-request-presigner ------------------------------------------------------------
const AK = "AKIAIOSFODNN7EXAMPLE", SK = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const s3creds = { accessKeyId: AK, secretAccessKey: SK };
const s3env = { AWS_ACCESS_KEY_ID: AK, AWS_SECRET_ACCESS_KEY: SK };
const client = new S3Client({ region: "eu-west-1", credentials: { ...s3creds }, requestChecksumCalculation: "WHEN_REQUIRED" });
for (const key of ["photos/cat 1.jpg", "a+b=c&d/ü 😀.txt", "x"]) {
  const put = await getSignedUrl(client, new PutObjectCommand({ Bucket: "my-bucket", Key: key, ContentType: "image/jpeg" }),
    { expiresIn: 600, signableHeaders: new Set(["content-type"]) });
  const headers = { "content-type": "image/jpeg" };
  const s3 = (url, method = "PUT", h = headers) => ({ url, method, headers: h, credentials: s3creds, env: s3env });
  await both(`aws-sdk PUT ${JSON.stringify(key)}`, s3(put), "valid");
  await both(`aws-sdk PUT ${JSON.stringify(key)}, signature flipped`, s3(flip(put, "X-Amz-Signature")), "SIGNATURE_MISMATCH");
  await both(`aws-sdk PUT ${JSON.stringify(key)}, sent as GET`, s3(put, "GET"), "SIGNATURE_MISMATCH");
  await both(`aws-sdk PUT ${JSON.stringify(key)}, without its signed content-type`, s3(put, "PUT", {}), "MISSING_HEADER");
  await both(`aws-sdk PUT ${JSON.stringify(key)}, other key`, s3(put.replace(/amazonaws\.com\/[^?]*/, "amazonaws.com/other")), "SIGNATURE_MISMATCH");
  await both(`aws-sdk PUT ${JSON.stringify(key)}, wrong secret`, { ...s3(put), credentials: { ...s3creds, secretAccessKey: "x" + SK.slice(1) }, env: { ...s3env, AWS_SECRET_ACCESS_KEY: "x" + SK.slice(1) } }, "SIGNATURE_MISMATCH");
}
const old = await getSignedUrl(client, new GetObjectCommand({ Bucket: "my-bucket", Key: "k" }),
  { expiresIn: 60, signingDate: new Date(Date.now() - 3600_000) });
await both("aws-sdk GET signed an hour ago for 60 s", { url: old, method: "GET", credentials: s3creds, env: s3env }, "EXPIRED");

// --- Azure: @azure/storage-blob ---------------------------------------------------------------------
const ACCOUNT = "myaccount", KEY = Buffer.from("presign-npm-verify-test-key-0123456789").toString("base64");
const cred = new az.StorageSharedKeyCredential(ACCOUNT, KEY);
const azenv = { AZURE_STORAGE_ACCOUNT: ACCOUNT, AZURE_STORAGE_KEY: KEY };
const azcreds = { accountKey: KEY };
const sas = (perms, blobName = "dir/a b+c ü.txt") => {
  const q = az.generateBlobSASQueryParameters({
    containerName: "photos", blobName, permissions: az.BlobSASPermissions.parse(perms),
    startsOn: new Date(Date.now() - 60_000), expiresOn: new Date(Date.now() + 3600_000), protocol: az.SASProtocol.Https,
  }, cred).toString();
  const path = blobName.split("/").map(encodeURIComponent).join("/");
  return `https://${ACCOUNT}.blob.core.windows.net/photos/${path}?${q}`;
};
const azure = (url, method) => ({ url, method, credentials: azcreds, env: azenv });
const read = sas("r"), write = sas("cw");
await both("azure-storage-blob read SAS, GET", azure(read, "GET"), "valid");
await both("azure-storage-blob read SAS, PUT", azure(read, "PUT"), "PERMISSION_DENIED");
await both("azure-storage-blob write SAS, PUT", azure(write, "PUT"), "valid");
await both("azure-storage-blob read SAS, signature changed", azure(read.replace(/sig=([^&]+)/, (_, s) => `sig=${encodeURIComponent(Buffer.from(Buffer.from(decodeURIComponent(s), "base64").map((b, i) => (i === 0 ? b ^ 1 : b))).toString("base64"))}`), "GET"), "SIGNATURE_MISMATCH");
await both("azure-storage-blob read SAS, other blob", azure(read.replace("a%20b%2Bc", "a%20b%2Bd"), "GET"), "SIGNATURE_MISMATCH");
await both("azure-storage-blob read SAS, sp widened", azure(read.replace("sp=r", "sp=rw"), "PUT"), "SIGNATURE_MISMATCH");

// --- GCS RSA: @google-cloud/storage and presignAsync URLs, checked with WebCrypto (verifyAsync) -----
// The service-account key from Google's conformance files; the CLI reads it through
// GOOGLE_APPLICATION_CREDENTIALS (its public half) and checks RSA natively (AWS-LC).
const KEY_FILE = join(ROOT, "tests/vectors/gcs/test_service_account.not-a-test.json");
const sa = JSON.parse(readFileSync(KEY_FILE, "utf8"));
const gcsenv = { GOOGLE_APPLICATION_CREDENTIALS: KEY_FILE };
const spki = createPublicKey(sa.private_key).export({ type: "spki", format: "pem" });
const gcsBucket = new Storage({ projectId: sa.project_id, credentials: { client_email: sa.client_email, private_key: sa.private_key } }).bucket("my-bucket");
const sdkGcs = await gcsBucket.file("dir/a b+c ü.txt").getSignedUrl({ version: "v4", action: "write", contentType: "text/plain", expires: Date.now() + 600_000 });
const ours = await presignAsync({ provider: "gcs", method: "PUT", bucket: "my-bucket", object: "dir/a b+c ü.txt",
  headers: { "content-type": "text/plain" }, expiresIn: 600, credentials: { serviceAccount: sa } });
for (const [who, url] of [["google-cloud-storage", sdkGcs[0]], ["presignAsync", ours.url]]) {
  const gcs = (u, method = "PUT", headers = { "content-type": "text/plain" }) => ({ url: u, method, headers, credentials: { serviceAccount: sa }, env: gcsenv });
  await both(`${who} GCS RSA PUT`, gcs(url), "valid");
  await both(`${who} GCS RSA PUT, signature flipped`, gcs(flip(url, "X-Goog-Signature")), "SIGNATURE_MISMATCH");
  await both(`${who} GCS RSA PUT, other object`, gcs(url.replace("a%20b", "a%20c")), "SIGNATURE_MISMATCH");
  await both(`${who} GCS RSA PUT, sent as GET`, gcs(url, "GET"), "SIGNATURE_MISMATCH");
  await both(`${who} GCS RSA PUT, without its signed content-type`, gcs(url, "PUT", {}), "MISSING_HEADER");
  // The same verdict from an SPKI public key (derived here by node:crypto, not by presign).
  await test(`${who} GCS RSA PUT verifies with the SPKI public key`, async () => {
    const viaSpki = await verifyAsync({ url, method: "PUT", headers: { "content-type": "text/plain" }, credentials: { publicKey: { clientEmail: sa.client_email, pem: spki } } });
    assert.equal(viaSpki.valid, true, JSON.stringify(viaSpki));
  });
}
test("verify (sync) of a GCS RSA URL says UNSUPPORTED and points to verifyAsync", () => {
  const sync = verify({ url: ours.url, method: "PUT", headers: ours.headers, credentials: { serviceAccount: sa } });
  assert.equal(sync.valid, false, JSON.stringify(sync));
  assert.equal(sync.error.code, "UNSUPPORTED");
});

// Input that is not a verify request throws; a verdict never does.
test("malformed input throws PresignError(INVALID_REQUEST)", () => {
  assert.throws(() => verify({ url: 5 }), (e) => e instanceof PresignError && e.code === "INVALID_REQUEST");
});
test("a URL without a signature is a verdict, not a throw", () => {
  const junk = verify({ url: "https://example.com/no-signature", credentials: s3creds });
  assert.equal(junk.valid, false, JSON.stringify(junk));
  assert.equal(typeof junk.error.code, "string");
});
