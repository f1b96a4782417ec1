#!/usr/bin/env node
// SigV4a through the npm package's own entry, presign/sigv4a (pkg/dist/sigv4a/node.js, built by
// pkg/build.sh), against AWS's pure-JavaScript SigV4a signer, @smithy/signature-v4a 3.6.2 (the one
// the AWS SDK for JavaScript v3 uses where the CRT is not available). That signer only signs
// headers (no presign), so it serves here as the peer for the key and the signature:
//   - its private key for the case's credentials (getSigV4aSigningKey, captured through its
//     getSignature) gives the public key (node:crypto) under which our URL's signature must verify,
//     over the string to sign rebuilt from our URL;
//   - it signs that string to sign (its getSignature: noble-curves ECDSA, RFC 6979, low s): the
//     signature must be ours byte for byte; our URL with its signature must pass our verifier
//     (`presign verify`, given the secret), and a flipped digit must not;
//   - the native CLI (`presign batch`, PRESIGN_BIN) gives the same URL as the wasm: both RFC 6979.
// Also: presign/s3 refuses a Multi-Region Access Point ARN (INVALID_BUCKET) and `regionSet`;
// presign/verify answers UNSUPPORTED for a SigV4a URL.
//
// Known difference, not generated: @smithy/signature-v4a builds the KDF's key "AWS4A" + secret from
// each UTF-16 code unit's low byte (charCodeAt into a Uint8Array), where aws-c-auth (botocore's CRT)
// and we use the secret's UTF-8 bytes; for a secret with non-ASCII characters its key differs from
// the CRT's and ours (all three agree on ASCII secrets, which is what AWS issues). Unicode secrets
// are compared with the CRT in tests/sigv4a_py_diff.py.
//
// The string to sign rebuilt here is checked by the second point: if it differed from the one our
// verifier builds, the SDK's signature over it would be refused.
//
// Run:  node tests/npm_sigv4a.mjs     (node 20; pkg/dist built; PRESIGN_BIN or target/release/presign)
// The SDK is installed on first use, only when missing, into $SERVERS_PREFIX/npm-sigv4a.
// Last line: "N passed, M failed"; exit status 1 when M > 0 or fewer than 200 cases agree.
import { execFileSync, spawnSync } from "node:child_process";
import { createECDH, createHash, createPublicKey, verify as ecVerify } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(HERE);
const PRESIGN_BIN = process.env.PRESIGN_BIN || path.join(ROOT, "target", "release", "presign");
const NPM_DIR = path.join(process.env.SERVERS_PREFIX || "/tmp/presign-servers", "npm-sigv4a");
const SDK = { "@smithy/signature-v4a": "3.6.2", "@aws-crypto/sha256-js": "5.2.0" };
const CASES = 240;

function ensureSdk() {
  const have = Object.entries(SDK).every(([n, v]) => {
    const p = path.join(NPM_DIR, "node_modules", n, "package.json");
    return existsSync(p) && JSON.parse(readFileSync(p, "utf8")).version === v;
  });
  if (have) return;
  mkdirSync(NPM_DIR, { recursive: true });
  const own = path.join(NPM_DIR, "package.json");
  if (!existsSync(own)) writeFileSync(own, JSON.stringify({ name: "presign-npm-sigv4a", private: true }) + "\n");
  const specs = Object.entries(SDK).map(([n, v]) => `${n}@${v}`);
  process.stderr.write(`npm install ${specs.join(" ")} into ${NPM_DIR}\n`);
  execFileSync("npm", ["install", "--no-fund", "--no-audit", "--loglevel=error", ...specs], {
    cwd: NPM_DIR,
    stdio: ["ignore", process.stderr, process.stderr],
  });
}
ensureSdk();
const req = createRequire(path.join(NPM_DIR, "package.json"));
const { SignatureV4a } = req("@smithy/signature-v4a");
const { Sha256 } = req("@aws-crypto/sha256-js");

const load = (dir) => import(pathToFileURL(path.join(ROOT, `pkg/dist/${dir}/node.js`)).href);
const sigv4a = await load("sigv4a");
const s3 = await load("s3");

let passed = 0, failed = 0;
const check = (name, ok, detail = "") => {
  ok ? passed++ : failed++;
  if (!ok || process.env.VERBOSE) console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok ? "" : `  -- ${detail}`}`);
  return ok;
};

// --- deterministic cases ---------------------------------------------------------------------
let seed = 0x5164a;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (a) => a[Math.floor(rnd() * a.length)];
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const KEY_PARTS = ["photos", "a b", "ü", "日本語", "e\u0301", "x+y", "100%", "~tilde", "semi;colon", "q?", "h#",
  "(paren)", "!*'", "emoji😀", "dots..", "$&=", "@at", "[b]"];
function gen(i) {
  const method = pick(["GET", "GET", "PUT", "HEAD", "DELETE"]);
  const headers = {};
  if (method === "PUT" && rnd() < 0.6) headers["Content-Type"] = pick(["text/plain", "image/jpeg", "application/json; charset=utf-8"]);
  if (method === "PUT" && rnd() < 0.3) headers["x-amz-meta-note"] = pick(["hello", "  padded  value  ", "a,b"]);
  const query = {};
  if (method === "GET" && rnd() < 0.4) query["response-content-disposition"] = pick(['attachment; filename="ü 1.txt"', "inline"]);
  const c = {
    accessKeyId: pick(["AKIAIOSFODNN7EXAMPLE", "ASIA" + "Q".repeat(int(10, 16)), "AKID+=_.-~", "minio-admin", "k", "AKIA!$&'()*,;:@"]),
    // ASCII only: see the header for what the SDK does with other characters.
    secretAccessKey: pick(["wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "s3cr3t", "with space ~!@#$%^&*()", "+/=".repeat(10), "x".repeat(128), "0" + "Zz9/".repeat(10)]),
    sessionToken: rnd() < 0.3 ? "IQoJb3JpZ2luX2Vj" + "Ab+/=9".repeat(int(3, 30)) : undefined,
  };
  const instant = new Date(Date.UTC(2026, 11, 5, 12) - pick([0, 59, int(0, 2 * 365 * 86400)]) * 1000);
  const request = {
    provider: "s3", method, bucket: `arn:aws:s3::123456789012:accesspoint/${pick(["mfzwi23gnjvgw.mrap", "x.mrap"])}`,
    key: Array.from({ length: int(1, 3) }, () => pick(KEY_PARTS)).join("/") + pick(["", ".txt", "/"]),
    credentials: c, expiresIn: pick([1, 60, 900, 3600, 86400, 604800]),
    signedAt: instant.toISOString().replace(/\.\d{3}Z$/, "Z"), headers, query,
  };
  if (i % 3 !== 0) request.regionSet = pick(["*", "us-east-1", "us-east-1,eu-west-1", "ap-southeast-2,us-west-2"]);
  return request;
}

// --- the string to sign, from a presigned URL (S3: path as sent, UNSIGNED-PAYLOAD) ---------------
const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (ch) => "%" + ch.charCodeAt(0).toString(16).toUpperCase());
function stringToSign(url, method, headers) {
  const u = new URL(url);
  const raw = u.search.slice(1).split("&").map((p) => p.split("=")).filter(([k]) => k !== "X-Amz-Signature");
  const dec = (s) => decodeURIComponent(s);
  const q = raw.map(([k, v]) => [enc(dec(k)), enc(dec(v))]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
  const params = Object.fromEntries(raw.map(([k, v]) => [dec(k), dec(v)]));
  const signed = params["X-Amz-SignedHeaders"].split(";");
  const hv = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v.trim().split(/\s+/).join(" ")]));
  hv.host = u.host;
  const cr = [method, u.pathname, q.map(([k, v]) => `${k}=${v}`).join("&"),
    signed.map((h) => `${h}:${hv[h]}\n`).join(""), signed.join(";"), "UNSIGNED-PAYLOAD"].join("\n");
  return ["AWS4-ECDSA-P256-SHA256", params["X-Amz-Date"], params["X-Amz-Credential"].split("/").slice(1).join("/"),
    createHash("sha256").update(cr).digest("hex")].join("\n");
}

/** The SDK's private key for these credentials: its own derivation, caught at getSignature. */
async function sdkKey(creds) {
  const signer = new SignatureV4a({ credentials: creds, region: "*", service: "s3", sha256: Sha256 });
  let key = null;
  const orig = signer.getSignature.bind(signer);
  signer.getSignature = async (pKey, sts) => { key = pKey; return orig(pKey, sts); };
  await signer.sign({ method: "GET", protocol: "https:", hostname: "h", path: "/", query: {}, headers: { host: "h" } }, {});
  return { signer, key };
}
function publicKeyOf(priv) {
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(Buffer.from(priv));
  const pt = ecdh.getPublicKey();
  const b64u = (b) => Buffer.from(b).toString("base64url");
  return createPublicKey({ key: { kty: "EC", crv: "P-256", x: b64u(pt.subarray(1, 33)), y: b64u(pt.subarray(33)) }, format: "jwk" });
}
const ecdsaOk = (pub, sts, sigHex) => { try { return ecVerify("sha256", Buffer.from(sts), { key: pub, dsaEncoding: "der" }, Buffer.from(sigHex, "hex")); } catch { return false; } };
const verifyCli = (url, method, headers, c, at) => {
  const args = ["verify", url, "--method", method, "--json", "--at", at];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  const env = { PATH: process.env.PATH, AWS_ACCESS_KEY_ID: c.accessKeyId, AWS_SECRET_ACCESS_KEY: c.secretAccessKey };
  if (c.sessionToken) env.AWS_SESSION_TOKEN = c.sessionToken;
  const r = spawnSync(PRESIGN_BIN, args, { env, encoding: "utf8" });
  return { ok: r.status === 0, out: r.stdout + r.stderr };
};

const requests = Array.from({ length: CASES }, (_, i) => gen(i));
const cli = spawnSync(PRESIGN_BIN, ["batch"], { input: requests.map((r) => JSON.stringify(r)).join("\n") + "\n", encoding: "utf8", env: { PATH: process.env.PATH } });
const cliUrls = cli.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l).url);
check("presign batch signed every case", cli.status === 0 && cliUrls.length === CASES, cli.stderr);

let agree = 0;
for (const [i, r] of requests.entries()) {
  const name = `case ${i} ${r.method} ${r.regionSet ?? "(default)"} ${JSON.stringify(r.key).slice(0, 24)}`;
  let url;
  try { url = sigv4a.presign(r).url; } catch (e) { check(`${name}: presign/sigv4a signs`, false, e.message); continue; }
  const a = check(`${name}: wasm URL = native CLI URL (both RFC 6979)`, url === cliUrls[i], `\n  wasm: ${url}\n  cli:  ${cliUrls[i]}`);
  const sts = stringToSign(url, r.method, r.headers);
  const { signer, key } = await sdkKey(r.credentials);
  const ours = new URL(url).searchParams.get("X-Amz-Signature");
  const b = check(`${name}: our signature verifies under the SDK's derived key`, ecdsaOk(publicKeyOf(key), sts, ours));
  const theirs = await signer.getSignature(key, sts);
  // Both RFC 6979 with a low s: the same bytes.
  const d = check(`${name}: the SDK's signature of our string to sign is ours, byte for byte`, theirs === ours, `\n  ours:   ${ours}\n  theirs: ${theirs}`);
  const swapped = url.replace(/X-Amz-Signature=[0-9a-f]+/, `X-Amz-Signature=${theirs}`);
  const v = verifyCli(swapped, r.method, r.headers, r.credentials, r.signedAt);
  const c = check(`${name}: our verifier accepts the SDK's signature`, v.ok, v.out);
  if (i % 8 === 0) {
    const last = theirs.at(-1);
    const bad = swapped.replace(/[0-9a-f]$/, last === "0" ? "1" : "0");
    check(`${name}: our verifier refuses a flipped digit`, !verifyCli(bad, r.method, r.headers, r.credentials, r.signedAt).ok);
  }
  agree += Number(a && b && c && d);
}

// presign/s3 has no SigV4a.
const creds = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "s" };
const code = (f) => { try { f(); return "(no error)"; } catch (e) { return e.code; } };
check("presign/s3: an MRAP ARN is an invalid bucket there", code(() => s3.presign({ provider: "s3", bucket: "arn:aws:s3::123456789012:accesspoint/x.mrap", key: "k", credentials: creds })) === "INVALID_BUCKET");
check("presign/s3: regionSet is refused there", code(() => s3.presign({ provider: "s3", bucket: "b", key: "k", regionSet: "*", credentials: creds })) === "INVALID_REQUEST");

// presign/verify has no P-256 code: a SigV4a URL is UNSUPPORTED there (the CLI checks it above).
const { verify: npmVerify } = await load("verify");
const r0 = requests[1];
const v0 = npmVerify({ url: sigv4a.presign(r0).url, method: r0.method, headers: r0.headers, credentials: r0.credentials });
check("presign/verify: a SigV4a URL is UNSUPPORTED there", !v0.valid && v0.error.code === "UNSUPPORTED", JSON.stringify(v0));

console.log(`${agree} of ${CASES} cases agree in every check`);
if (agree < 200) { console.log(`only ${agree} cases agree; at least 200 must`); failed++; }
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
