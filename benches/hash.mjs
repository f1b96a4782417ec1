// Throughput of presign/upload's streaming checksums (pkg/dist/upload, built by pkg/build.sh) in Node,
// MB/s (10^6 bytes per second) over one body hashed in chunks, against JS peers, in one run:
// - SHA-256: ours streaming (the speed build server runtimes load: opt-level 3, wasm SIMD; and the
//   browser build run in Node: size profile, compact SHA-256), hash-wasm's createSHA256 (streaming,
//   C compiled to wasm), WebCrypto's crypto.subtle.digest (one shot over the whole body: it cannot
//   stream), and Node's native crypto.createHash (OpenSSL; not available in browsers) for scale.
// - CRC-32C: ours (both builds), hash-wasm's createCRC32(0x82f63b78) and @aws-crypto/crc32c (the
//   pure-JS CRC-32C the AWS SDK for JavaScript uses for x-amz-checksum-crc32c).
// Every row must give the same digest before it is timed. Peers are installed on first run, pinned,
// into $SERVERS_PREFIX/npm-hash-bench. A benchmark, not a test: CI does not run it.
//
//   node benches/hash.mjs [--mib 64] [--chunk-kib 1024] [--rounds 3]     (best of --rounds per row)
import { execFileSync } from "node:child_process";
import { createHash, randomFillSync, webcrypto } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const PREFIX = process.env.SERVERS_PREFIX || join(tmpdir(), "presign-servers");
const DIR = join(PREFIX, "npm-hash-bench");
const PEERS = { "hash-wasm": "4.13.0", "@aws-crypto/crc32c": "5.2.0" };
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const MIB = arg("--mib", 64);
const CHUNK = arg("--chunk-kib", 1024) * 1024;
const ROUNDS = arg("--rounds", 3);

const installed = (p) => {
  const f = join(DIR, "node_modules", p, "package.json");
  return existsSync(f) && JSON.parse(readFileSync(f, "utf8")).version === PEERS[p];
};
if (!Object.keys(PEERS).every(installed)) {
  mkdirSync(DIR, { recursive: true });
  if (!existsSync(join(DIR, "package.json"))) writeFileSync(join(DIR, "package.json"), "{}\n");
  execFileSync("npm", ["install", "--no-fund", "--no-audit", "--loglevel=error",
    ...Object.entries(PEERS).map(([p, v]) => `${p}@${v}`)], { cwd: DIR, stdio: "inherit" });
}
const require = createRequire(join(DIR, "package.json"));
const hashWasm = require("hash-wasm");
const { AwsCrc32c } = require("@aws-crypto/crc32c");

const speed = await import(pathToFileURL(join(ROOT, "pkg/dist/upload/node.js")).href);
const browser = await (async () => {
  const glue = await import(pathToFileURL(join(ROOT, "pkg/dist/upload/web/presign_upload.js")).href);
  glue.initSync({ module: readFileSync(join(ROOT, "pkg/dist/upload/web/presign_upload_bg.wasm")) });
  const api = await import(pathToFileURL(join(ROOT, "pkg/api.js")).href);
  return { Hasher: api.HasherFn(glue) };
})();

const body = new Uint8Array(MIB * 1024 * 1024);
for (let at = 0; at < body.length; at += 65536) randomFillSync(body, at, Math.min(65536, body.length - at));
const chunks = [];
for (let at = 0; at < body.length; at += CHUNK) chunks.push(body.subarray(at, at + CHUNK));
const hex = (b) => Buffer.from(b).toString("hex");

const ours = (Hasher, algorithm) => () => {
  const h = new Hasher(algorithm);
  for (const c of chunks) h.update(c);
  return h.digest("hex");
};
const hw = (make) => async () => {
  const h = await make();
  h.init();
  for (const c of chunks) h.update(c);
  return h.digest("hex");
};
const SUITES = {
  "SHA-256": [
    ["presign/upload, speed build (node)", ours(speed.Hasher, "sha256")],
    ["presign/upload, browser build", ours(browser.Hasher, "sha256")],
    ["hash-wasm createSHA256", hw(() => hashWasm.createSHA256())],
    ["WebCrypto subtle.digest (one shot)", async () => hex(await webcrypto.subtle.digest("SHA-256", body))],
    ["node:crypto createHash (native)", () => {
      const h = createHash("sha256");
      for (const c of chunks) h.update(c);
      return h.digest("hex");
    }],
  ],
  "CRC-32C": [
    ["presign/upload, speed build (node)", ours(speed.Hasher, "crc32c")],
    ["presign/upload, browser build", ours(browser.Hasher, "crc32c")],
    ["hash-wasm createCRC32(0x82f63b78)", hw(() => hashWasm.createCRC32(0x82f63b78))],
    ["@aws-crypto/crc32c (pure JS)", async () => {
      const h = new AwsCrc32c();
      for (const c of chunks) h.update(c);
      return hex(await h.digest());
    }],
  ],
};

console.log(`node ${process.version}; ${MIB} MiB in ${CHUNK / 1024} KiB chunks; best of ${ROUNDS}; MB = 10^6 bytes`);
let mismatch = false;
for (const [suite, rows] of Object.entries(SUITES)) {
  const results = [];
  let want;
  for (const [name, run] of rows) {
    const digest = await run(); // warm-up, and the digest every row must agree on
    want ??= digest;
    let best = Infinity;
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = process.hrtime.bigint();
      await run();
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
    }
    results.push({ name, mbs: body.length / 1e6 / best, same: digest === want });
    if (digest !== want) mismatch = true;
  }
  const base = results.find((r) => r.name.startsWith("hash-wasm")).mbs;
  console.log(`\n${suite}                                  MB/s   vs hash-wasm`);
  for (const r of results) {
    console.log(`  ${r.name.padEnd(38)} ${r.mbs.toFixed(0).padStart(6)}   ${(r.mbs / base).toFixed(2)}x${r.same ? "" : "   DIGEST DIFFERS"}`);
  }
}
if (mismatch) {
  console.log("\na row's digest differs from the first row's: its number means nothing");
  process.exit(1);
}
