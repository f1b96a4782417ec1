// Type check of the npm package's types (pkg/index.d.ts and each entry's generated dist/<entry>/index.d.ts,
// so pkg/dist must be built): a typed usage file of every entry must compile with `tsc --noEmit
// --strict`, and each of a set of wrong usages must be rejected (so the types are not `any` in disguise).
// TypeScript is installed on first run into $SERVERS_PREFIX/npm-ts.
// Each check is a node:test test (tests/support/harness.mjs).
//   node tests/npm_types.mjs        last line "N passed, M failed"
import { after, assert, test } from "./support/harness.mjs";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const PREFIX = process.env.SERVERS_PREFIX || join(tmpdir(), "presign-servers");
const TS_DIR = join(PREFIX, "npm-ts");
const TSC = join(TS_DIR, "node_modules/.bin/tsc");
if (!existsSync(TSC)) {
  mkdirSync(TS_DIR, { recursive: true });
  if (!existsSync(join(TS_DIR, "package.json"))) writeFileSync(join(TS_DIR, "package.json"), "{}\n");
  execFileSync("npm", ["install", "--no-fund", "--no-audit", "--loglevel=error", "typescript@5.9.3"], { cwd: TS_DIR, stdio: "inherit" });
}

const GOOD = `import { presign, presignMany, presignAsync, createPresigner, PresignError, type PresignRequest, type Presigned, type Presigner } from "presign";
import { presignPost, presignPostAsync, type PostRequest, type PostForm } from "presign/post";
import { corsRules, type CorsRules } from "presign/cors";
import { verify, type Verified, type Refused } from "presign/verify";
import { presign as s3Presign, presignMany as s3PresignMany, createPresigner as s3Client, type S3Request } from "presign/s3";
import { presign as mrapPresign, createPresigner as mrapClient } from "presign/sigv4a";
import { presign as expressPresign, presignMany as expressPresignMany, createPresigner as expressClient } from "presign/s3express";
import { presign as azurePresign, createPresigner as azureClient } from "presign/azure";
import { presign as gcsPresign, presignAsync as gcsPresignAsync, createPresigner as gcsClient, PresignError as GcsError } from "presign/gcs";
import { planUpload, uploadRequest, uploadResponse, planUploadAsync, uploadRequestAsync, Hasher as PartHasher, type UploadPlan, type UploadStepRequest, type UploadResponse } from "presign/multipart";
const s3: PresignRequest = {
  provider: "s3", method: "PUT", bucket: "b", key: "k", region: "eu-west-1", urlStyle: "path",
  headers: { "content-type": "image/png" }, query: { "response-content-disposition": "attachment" },
  credentials: { accessKeyId: "a", secretAccessKey: "s", sessionToken: "t" }, expiresIn: 600,
  signedAt: new Date(), credentialExpiry: "clamp",
};
const az: PresignRequest = {
  provider: "azure", container: "c", blob: "b", permissions: "rw", expiresIn: 60, version: "2025-07-05",
  protocol: "https", responseHeaders: { contentType: "text/plain" }, signedAt: 0,
  credentials: { connectionString: "UseDevelopmentStorage=true" },
};
const gcs: PresignRequest = {
  provider: "gcs", bucket: "b", object: "o", urlStyle: "virtualHosted", signedAt: "2026-11-24T10:00:00Z",
  credentials: { hmac: { accessId: "GOOG1", secret: "s" } },
};
const out: Presigned = presign(s3);
const url: string = out.url;
const when: string = out.expiresAt;
const hdrs: Record<string, string> = out.headers;
const many: Array<Presigned | PresignError> = presignMany([s3, az, gcs]);
for (const r of many) {
  if (r instanceof PresignError) { const c: string = r.code; void c; } else { void r.url; }
}
try { presign(az); } catch (e) { if (e instanceof PresignError && e.code === "INVALID_KEY") { void e.message; } }
const sa: PresignRequest = { provider: "gcs", bucket: "b", object: "o",
  credentials: { serviceAccount: { client_email: "a@b.iam.gserviceaccount.com", private_key: "-----BEGIN PRIVATE KEY-----" } } };
const later: Promise<Presigned> = presignAsync(sa);
const post: PostRequest = { provider: "s3", bucket: "b", keyPrefix: "uploads/", contentLengthRange: { min: 1, max: 10_000_000 },
  contentTypePrefix: "image/", metadata: { tag: "x" }, successActionStatus: 201, expiresIn: 600,
  credentials: { accessKeyId: "a", secretAccessKey: "s" } };
const form: PostForm = presignPost(post);
const sdkShaped: PostRequest = { provider: "s3", bucket: "b", key: "k", fields: { "Content-Type": "image/png", "x-ignore-note": "n" },
  conditions: [["starts-with", "$Content-Type", "image/"], { acl: "private" }, ["eq", "$x-amz-meta-tag", "v"], ["content-length-range", 1, 10]],
  credentials: { accessKeyId: "a", secretAccessKey: "s" } };
const wholeBucket: PostRequest = { provider: "gcs", bucket: "b", anyKey: true, credentials: { hmac: { accessId: "GOOG1", secret: "s" } } };
void presignPost(sdkShaped); void presignPost(wholeBucket);
for (const [name, value] of form.fields) { void name.length; void value.length; }
const gform: Promise<PostForm> = presignPostAsync({ provider: "gcs", bucket: "b", key: "k", credentials: { hmac: { accessId: "GOOG1", secret: "s" } } });
const cors: CorsRules = corsRules({ provider: "azure", origins: ["https://app.example.com"], requests: [presign(az)] });
const ruleText: string = cors.rules;
const verdict: Verified | Refused = verify({ url, method: "PUT", headers: out.headers, credentials: { accessKeyId: "a", secretAccessKey: "s" } });
if (verdict.valid) { const k: string = verdict.keyId; void k; } else { const c: string = verdict.error.code; void c; }
void url; void when; void hdrs; void later; void gform; void ruleText;
const client: Presigner = createPresigner({ provider: "s3", bucket: "b", region: "eu-west-1", credentials: { accessKeyId: "a", secretAccessKey: "s" } });
const put: Presigned = client.presign({ method: "PUT", key: "k", headers: { "content-type": "text/plain" }, expiresIn: 60 });
const puts: Array<Presigned | PresignError> = client.presignMany([{ key: "a" }, { key: "b", expiresIn: 30 }]);
client.setCredentials({ accessKeyId: "a2", secretAccessKey: "s2", sessionToken: "t" });
client.free();
const s3only: S3Request = { provider: "s3", bucket: "b", key: "k", credentials: { accessKeyId: "a", secretAccessKey: "s" } };
void s3Presign(s3only).url; void s3PresignMany([s3only]); s3Client({ provider: "s3", bucket: "b" }).free();
const mrap: S3Request = { provider: "s3", bucket: "arn:aws:s3::123456789012:accesspoint/x.mrap", key: "k", regionSet: "us-east-1,eu-west-1", credentials: { accessKeyId: "a", secretAccessKey: "s" } };
void mrapPresign(mrap).url; mrapClient({ provider: "s3", bucket: mrap.bucket, regionSet: "*" }).free();
const express: S3Request = { provider: "s3", bucket: "photos--usw2-az1--x-s3", key: "k", region: "us-west-2", credentials: { accessKeyId: "a", secretAccessKey: "s", sessionToken: "t" } };
void expressPresign(express).url; void expressPresignMany([express]); expressClient({ provider: "s3", bucket: express.bucket, region: "us-west-2" }).free();
void azurePresign(az).url; azureClient({ provider: "azure", container: "c", credentials: { connectionString: "UseDevelopmentStorage=true" } }).free();
void gcsPresign(gcs).url; void gcsPresignAsync(sa); gcsClient({ provider: "gcs", bucket: "b" }).free();
try { gcsPresign(gcs); } catch (e) { if (e instanceof GcsError) { const c: string = e.code; void c; } }
void put; void puts;
const big = { provider: "s3", bucket: "b", key: "big.bin", credentials: { accessKeyId: "a", secretAccessKey: "s" }, size: 300 * 1024 * 1024, checksum: "crc32c" } as const;
const plan: UploadPlan = planUpload(big);
const parts: number = plan.partCount + plan.parts.length;
const firstPart: UploadStepRequest = uploadRequest({ ...big, uploadId: "U", step: "part", partNumber: 1, digest: new PartHasher("crc32c").update("x").digest() });
const done: UploadStepRequest = uploadRequest({ ...big, uploadId: "U", step: "complete", parts: [{ partNumber: 1, etag: '"e"', digest: "AAAAAA==" }] });
const xml: string | undefined = done.body;
const answer: UploadResponse = uploadResponse({ provider: "s3", step: "create", status: 200, body: "<x/>" });
if ("uploadId" in answer) { const id: string = answer.uploadId; void id; }
const gplan: Promise<UploadPlan> = planUploadAsync({ ...sa, size: 1 });
const gpart: Promise<UploadStepRequest> = uploadRequestAsync({ ...sa, size: 1, uploadId: "U", step: "part", partNumber: 1 });
void parts; void firstPart; void xml; void gplan; void gpart;
`;
const BAD = {
  "unknown provider": `import { presign } from "presign"; presign({ provider: "ftp", bucket: "b", key: "k" });`,
  "s3 without key": `import { presign } from "presign"; presign({ provider: "s3", bucket: "b", credentials: { accessKeyId: "a", secretAccessKey: "s" } });`,
  "wrong urlStyle": `import { presign } from "presign"; presign({ provider: "s3", bucket: "b", key: "k", urlStyle: "vhost", credentials: { accessKeyId: "a", secretAccessKey: "s" } });`,
  "azure field on s3": `import { presign } from "presign"; presign({ provider: "s3", bucket: "b", key: "k", permissions: "r", credentials: { accessKeyId: "a", secretAccessKey: "s" } });`,
  "expiresIn as string": `import { presign } from "presign"; presign({ provider: "gcs", bucket: "b", object: "o", expiresIn: "1h", credentials: { hmac: { accessId: "a", secret: "s" } } });`,
  "result url is not a number": `import { presign } from "presign"; const n: number = presign({ provider: "gcs", bucket: "b", credentials: { hmac: { accessId: "a", secret: "s" } } }).url; void n;`,
  "presignAsync is not synchronous": `import { presignAsync } from "presign"; const u: string = presignAsync({ provider: "gcs", bucket: "b", credentials: { hmac: { accessId: "a", secret: "s" } } }).url; void u;`,
  "post fields are pairs, not an object": `import { presignPost } from "presign"; const f: Record<string, string> = presignPost({ provider: "s3", bucket: "b", key: "k", credentials: { accessKeyId: "a", secretAccessKey: "s" } }).fields; void f;`,
  "post contentLengthRange as a string": `import { presignPost } from "presign"; presignPost({ provider: "s3", bucket: "b", key: "k", contentLengthRange: "1-10", credentials: { accessKeyId: "a", secretAccessKey: "s" } });`,
  "post condition with an unknown operator": `import { presignPost } from "presign"; presignPost({ provider: "s3", bucket: "b", key: "k", conditions: [["ends-with", "$acl", "x"]], credentials: { accessKeyId: "a", secretAccessKey: "s" } });`,
  "post condition field without $": `import { presignPost } from "presign"; presignPost({ provider: "s3", bucket: "b", key: "k", conditions: [["starts-with", "acl", "x"]], credentials: { accessKeyId: "a", secretAccessKey: "s" } });`,
  "post content-length-range as strings": `import { presignPost } from "presign"; presignPost({ provider: "s3", bucket: "b", key: "k", conditions: [["content-length-range", "1", "10"]], credentials: { accessKeyId: "a", secretAccessKey: "s" } });`,
  "post anyKey as a string": `import { presignPost } from "presign"; presignPost({ provider: "s3", bucket: "b", anyKey: "yes", credentials: { accessKeyId: "a", secretAccessKey: "s" } });`,
  "cors origins as a string": `import { corsRules } from "presign"; corsRules({ provider: "s3", origins: "https://a.example", requests: [] });`,
  "verify verdict code is checked": `import { verify } from "presign/verify"; const v = verify({ url: "u", credentials: { accountKey: "k" } }); if (!v.valid && v.error.code === "NOPE") {}`,
  "unknown error code": `import { PresignError } from "presign"; declare const e: PresignError; if (e.code === "NOT_A_CODE") {}`,
  "presignPost is not in the URL entry": `import { presignPost } from "presign"; void presignPost;`,
  "corsRules is not in the URL entry": `import { corsRules } from "presign"; void corsRules;`,
  "presign/sigv4a takes S3 requests only": `import { presign } from "presign/sigv4a"; presign({ provider: "gcs", bucket: "b", key: "k", credentials: { hmac: { accessId: "a", secret: "s" } } });`,
  "regionSet is a string": `import { presign } from "presign/sigv4a"; presign({ provider: "s3", bucket: "b", key: "k", regionSet: ["*"], credentials: { accessKeyId: "a", secretAccessKey: "s" } });`,
  "presign/s3express takes S3 requests only": `import { presign } from "presign/s3express"; presign({ provider: "gcs", bucket: "b", key: "k", credentials: { hmac: { accessId: "a", secret: "s" } } });`,
  "presign/s3express has no presignAsync": `import { presignAsync } from "presign/s3express"; void presignAsync;`,
  "presign/s3 takes S3 requests only": `import { presign } from "presign/s3"; presign({ provider: "azure", container: "c", blob: "b", credentials: { connectionString: "UseDevelopmentStorage=true" } });`,
  "presign/azure's client is for Azure": `import { createPresigner } from "presign/azure"; createPresigner({ provider: "s3", bucket: "b" });`,
  "presign/s3 has no presignAsync": `import { presignAsync } from "presign/s3"; void presignAsync;`,
  "a client call's expiresIn is a number": `import { createPresigner } from "presign"; createPresigner({ provider: "s3", bucket: "b" }).presign({ key: "k", expiresIn: "1h" });`,
  "an upload plan needs its size": `import { planUpload } from "presign/multipart"; planUpload({ provider: "s3", bucket: "b", key: "k" });`,
  "an upload step is one of six": `import { uploadRequest } from "presign/multipart"; uploadRequest({ provider: "s3", bucket: "b", key: "k", size: 1, step: "explode" });`,
  "a part step needs its number": `import { uploadRequest } from "presign/multipart"; uploadRequest({ provider: "s3", bucket: "b", key: "k", size: 1, step: "part" });`,
  "planUploadAsync is not synchronous": `import { planUploadAsync } from "presign/multipart"; const n: number = planUploadAsync({ provider: "s3", bucket: "b", key: "k", size: 1 }).partCount; void n;`,
  "planUpload is not in the URL entry": `import { planUpload } from "presign"; void planUpload;`,
  "a client call has no provider switch": `import { createPresigner } from "presign"; createPresigner({ provider: "s3", bucket: "b" }).presign({ provider: "gcs", key: "k" });`,
};

const base = mkdtempSync(join(tmpdir(), "presign-types-"));
after(() => rmSync(base, { recursive: true, force: true }));
mkdirSync(join(base, "node_modules"));
symlinkSync(join(ROOT, "pkg"), join(base, "node_modules/presign"));
const tsc = (file) => {
  try {
    execFileSync(TSC, ["--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext",
      "--target", "es2022", "--skipLibCheck", "false", file], { cwd: base, stdio: "pipe" });
    return { ok: true, out: "" };
  } catch (e) {
    return { ok: false, out: `${e.stdout}${e.stderr}` };
  }
};
test("typed usage of all three providers compiles (tsc --strict)", () => {
  writeFileSync(join(base, "good.mts"), GOOD);
  const g = tsc("good.mts");
  assert.ok(g.ok, `tsc refused it:\n${g.out}`);
});
for (const [name, src] of Object.entries(BAD)) {
  test(`rejected: ${name}`, () => {
    writeFileSync(join(base, "bad.mts"), src);
    assert.equal(tsc("bad.mts").ok, false, "tsc accepted it");
  });
}
