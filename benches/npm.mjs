// Node benchmark of the npm build (pkg/, built by pkg/build.sh) against JS peers, in one run:
// ns per presigned S3 PUT URL with a signed content-type, one URL per call and `presignMany` of
// 1,000. Peers (installed on first run into $SERVERS_PREFIX/npm-bench): @aws-sdk/s3-request-presigner,
// aws4fetch, aws4, @smithy/signature-v4. Before timing, every peer must produce the same
// X-Amz-Signature as ours for the same request and instant.
//
//   node benches/npm.mjs [--seconds S]
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

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
};
const SECONDS = Number(process.argv[process.argv.indexOf("--seconds") + 1]) || 1;

if (!Object.keys(PEERS).every((p) => existsSync(join(DIR, "node_modules", p)))) {
  mkdirSync(DIR, { recursive: true });
  if (!existsSync(join(DIR, "package.json"))) writeFileSync(join(DIR, "package.json"), "{}\n");
  execFileSync("npm", ["install", "--no-fund", "--no-audit", "--loglevel=error",
    ...Object.entries(PEERS).map(([p, v]) => `${p}@${v}`)], { cwd: DIR, stdio: "inherit" });
}
const require = createRequire(join(DIR, "package.json"));
const { presign, presignMany } = await import(pathToFileURL(join(ROOT, "pkg/node.js")).href);

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
console.log("aws4fetch, aws4 and @smithy/signature-v4 give the same X-Amz-Signature as presign; " +
  "@aws-sdk/s3-request-presigner signs the same headers and instant (plus its own x-id and X-Amz-Content-Sha256)");

// --- timing ------------------------------------------------------------------------------------------
async function bench(name, f, perCall = 1) {
  for (let i = 0; i < 200; i++) await f(i);
  let n = 0;
  const t0 = process.hrtime.bigint();
  const end = t0 + BigInt(Math.round(SECONDS * 1e9));
  let t = t0;
  while (t < end) {
    for (let i = 0; i < 50; i++) await f(n + i);
    n += 50;
    t = process.hrtime.bigint();
  }
  const ns = Number(t - t0) / (n * perCall);
  return { name, ns };
}
const results = [
  await bench("presign (npm, wasm)", (i) => presign(req(KEYS[i % 1000]))),
  await bench("presignMany x1000 (npm, wasm), per URL", () => presignMany(KEYS.map(req)), 1000),
  await bench("aws4", (i) => aws4sign(KEYS[i % 1000])),
  await bench("@smithy/signature-v4", (i) => smithySign(KEYS[i % 1000])),
  await bench("aws4fetch", (i) => aws4fetch(KEYS[i % 1000])),
  await bench("@aws-sdk/s3-request-presigner", (i) => sdk(KEYS[i % 1000])),
];
const base = results[0].ns;
console.log(`node ${process.version}; ns per presigned S3 PUT URL (signed content-type), ${SECONDS}s each`);
for (const r of results) {
  console.log(`${r.name.padEnd(44)} ${r.ns.toFixed(0).padStart(9)} ns  ${(r.ns / base).toFixed(2)}x presign`);
}
