// `presign/upload`'s streaming checksums (pkg/dist/upload, built by pkg/build.sh), against peers that
// are not ours: Node's crypto (md5, sha1, sha256) and zlib.crc32 (crc32), the AWS SDK for
// JavaScript's own checksum packages (@aws-crypto/crc32c, @aws-sdk/crc64-nvme: what @aws-sdk/client-s3
// sends as x-amz-checksum-crc32c / -crc64nvme), and the CRC catalogue's check values. For every
// algorithm, random bodies fed in random chunkings (Uint8Array, other views, ArrayBuffer) give the
// one-shot digest; both the ESM (speed wasm) and the CommonJS entry; the browser build's wasm (size
// build, compact SHA-256) through its web glue; the CLI (`presign checksum`) gives the same values;
// errors are PresignError with a code.
// Run:  node tests/npm_upload_hash.mjs   (pkg/dist built; PRESIGN_BIN or target/release/presign for the CLI checks)
// The AWS packages are installed on first use, pinned, into $SERVERS_PREFIX/npm-upload.
import { assert, test } from "./support/harness.mjs";
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import zlib from "node:zlib";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const PRESIGN_BIN = process.env.PRESIGN_BIN || path.join(ROOT, "target", "release", "presign");
const NPM_DIR = path.join(process.env.SERVERS_PREFIX || "/tmp/presign-servers", "npm-upload");
const PEERS = { "@aws-crypto/crc32c": "5.2.0", "@aws-sdk/crc64-nvme": "3.972.51" };
const ALGORITHMS = ["crc32", "crc32c", "crc64nvme", "md5", "sha1", "sha256"];

function ensurePeers() {
  const have = Object.entries(PEERS).every(([n, v]) => {
    const p = path.join(NPM_DIR, "node_modules", n, "package.json");
    return existsSync(p) && JSON.parse(readFileSync(p, "utf8")).version === v;
  });
  if (have) return;
  mkdirSync(NPM_DIR, { recursive: true });
  const own = path.join(NPM_DIR, "package.json");
  if (!existsSync(own)) writeFileSync(own, JSON.stringify({ name: "presign-npm-upload", private: true }) + "\n");
  const specs = Object.entries(PEERS).map(([n, v]) => `${n}@${v}`);
  process.stderr.write(`npm install ${specs.join(" ")} into ${NPM_DIR}\n`);
  execFileSync("npm", ["install", "--no-fund", "--no-audit", "--loglevel=error", ...specs], {
    cwd: NPM_DIR,
    stdio: ["ignore", process.stderr, process.stderr],
  });
}
ensurePeers();
const peer = createRequire(path.join(NPM_DIR, "package.json"));
const { AwsCrc32c } = peer("@aws-crypto/crc32c");
const { Crc64Nvme } = peer("@aws-sdk/crc64-nvme");

const esm = await import(pathToFileURL(path.join(ROOT, "pkg/dist/upload/node.js")).href);
const cjs = createRequire(import.meta.url)(path.join(ROOT, "pkg/dist/upload/node.cjs"));
// The browser build (size profile): its web glue, instantiated from the file.
const web = await (async () => {
  const glue = await import(pathToFileURL(path.join(ROOT, "pkg/dist/upload/web/presign_upload.js")).href);
  glue.initSync({ module: readFileSync(path.join(ROOT, "pkg/dist/upload/web/presign_upload_bg.wasm")) });
  const api = await import(pathToFileURL(path.join(ROOT, "pkg/api.js")).href);
  return { Hasher: api.HasherFn(glue), PresignError: api.PresignError };
})();

/** The peer's digest bytes (a CRC's value big-endian, as the AWS SDK sends it). */
async function reference(algorithm, body) {
  switch (algorithm) {
    case "crc32": {
      assert.equal(typeof zlib.crc32, "function", "Node >= 20.15 has zlib.crc32");
      const b = Buffer.alloc(4);
      b.writeUInt32BE(zlib.crc32(body));
      return b;
    }
    case "crc32c": {
      const c = new AwsCrc32c();
      c.update(body);
      return Buffer.from(await c.digest());
    }
    case "crc64nvme": {
      const c = new Crc64Nvme();
      c.update(body);
      return Buffer.from(await c.digest());
    }
    default:
      return createHash(algorithm).update(body).digest();
  }
}

let seed = 20261205;
function rand(n) {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
}

/** `body` cut at random places, each piece as a random kind of input. */
function chunkings(body) {
  const out = [];
  let at = 0;
  while (at < body.length) {
    const n = 1 + rand(rand(4) === 0 ? 16 : Math.max(1, body.length >> 1));
    const piece = body.subarray(at, at + n);
    at += piece.length;
    const kind = rand(3);
    if (kind === 0) out.push(piece);
    else if (kind === 1) out.push(new DataView(piece.buffer, piece.byteOffset, piece.byteLength));
    else out.push(piece.buffer.slice(piece.byteOffset, piece.byteOffset + piece.byteLength));
  }
  return out;
}

const SIZES = [0, 1, 3, 15, 16, 17, 63, 64, 65, 127, 1000, 4096, 65537, 300000];

test("the CRC catalogue's check values (\"123456789\") and the peers agree on them", async () => {
  const check = { crc32: "cbf43926", crc32c: "e3069283", crc64nvme: "ae8b14860a799888" };
  for (const [a, want] of Object.entries(check)) {
    assert.equal(new esm.Hasher(a).update("123456789").digest("hex"), want, a);
    assert.equal((await reference(a, Buffer.from("123456789"))).toString("hex"), want, `${a} (peer)`);
  }
});

for (const algorithm of ALGORITHMS) {
  test(`${algorithm}: random chunkings equal one shot and the peer, ESM, CommonJS and the browser build`, async () => {
    let cases = 0;
    for (const size of SIZES) {
      const body = randomBytes(size);
      const want = await reference(algorithm, body);
      for (const { Hasher } of [esm, cjs, web]) {
        const one = new Hasher(algorithm);
        assert.deepEqual(Buffer.from(one.update(body).digestBytes()), want, `${algorithm} one shot of ${size} bytes`);
        for (let k = 0; k < 3; k++) {
          const h = new Hasher(algorithm);
          for (const c of chunkings(body)) h.update(c);
          assert.equal(h.digest(), want.toString("base64"), `${algorithm}, ${size} bytes in chunks`);
          cases++;
        }
      }
    }
    assert.ok(cases >= 100, `${cases} chunked cases`);
  });
}

test("digestHeaders: each provider's header, as the SDKs send it", () => {
  const h = (a) => new esm.Hasher(a).update("123456789");
  assert.deepEqual(h("crc32c").digestHeaders("s3"), { "x-amz-checksum-crc32c": "4waSgw==" });
  assert.deepEqual(h("crc64nvme").digestHeaders("s3"), { "x-amz-checksum-crc64nvme": "rosUhgp5mIg=" });
  // azure-storage-blob: calculate_crc64_bytes is the CRC's 8 bytes little-endian.
  assert.deepEqual(h("crc64nvme").digestHeaders("azure"), { "x-ms-content-crc64": "iJh5CoYUi64=" });
  const md5 = createHash("md5").update("123456789").digest("base64");
  assert.deepEqual(h("md5").digestHeaders("s3"), { "content-md5": md5 });
  assert.deepEqual(h("md5").digestHeaders("azure"), { "content-md5": md5 });
  assert.deepEqual(h("md5").digestHeaders("gcs"), { "x-goog-hash": `md5=${md5}` });
  assert.deepEqual(h("crc32c").digestHeaders("gcs"), { "x-goog-hash": "crc32c=4waSgw==" });
  const sha = createHash("sha256").update("123456789").digest("base64");
  assert.deepEqual(h("sha256").digestHeaders("s3"), { "x-amz-checksum-sha256": sha });
});

test("errors are PresignError with a code; an unsupported header leaves the hasher usable", () => {
  const { Hasher, PresignError } = esm;
  const code = (f, want) => assert.throws(f, (e) => e instanceof PresignError && e.code === want);
  code(() => new Hasher("sha512"), "INVALID_REQUEST");
  code(() => new Hasher("crc64"), "INVALID_REQUEST");
  code(() => new Hasher(), "INVALID_REQUEST");
  assert.equal(new Hasher("CRC32C").algorithm, "crc32c");
  const h = new Hasher("sha256").update("abc");
  code(() => h.update(42), "INVALID_REQUEST");
  code(() => h.digestHeaders("azure"), "UNSUPPORTED");
  code(() => h.digestHeaders("gcs"), "UNSUPPORTED");
  code(() => h.digestHeaders("r2"), "INVALID_REQUEST");
  code(() => h.digest("latin1"), "INVALID_REQUEST");
  assert.equal(h.digest("hex"), createHash("sha256").update("abc").digest("hex"));
  code(() => h.update("more"), "INVALID_REQUEST"); // finished
  code(() => h.digest(), "INVALID_REQUEST");
  code(() => h.digestBytes(), "INVALID_REQUEST");
  const f = new Hasher("md5");
  f.free();
  code(() => f.update("x"), "INVALID_REQUEST"); // freed
  f.free(); // twice is harmless
  const c = new cjs.Hasher("md5");
  assert.throws(() => new cjs.Hasher("nope"), (e) => e instanceof cjs.PresignError && e.code === "INVALID_REQUEST");
  c[Symbol.dispose ?? Symbol.for("Symbol.dispose")]();
  assert.throws(() => c.digest(), (e) => e instanceof cjs.PresignError);
});

test("the CLI (`presign checksum`) gives the same values", { skip: !existsSync(PRESIGN_BIN) && `no ${PRESIGN_BIN}` }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), "presign-upload-"));
  try {
    for (const size of [0, 5, 70000]) {
      const body = randomBytes(size);
      const file = path.join(dir, `b${size}`);
      writeFileSync(file, body);
      for (const a of ALGORITHMS) {
        const out = execFileSync(PRESIGN_BIN, ["checksum", "-a", a, file], { encoding: "utf8" });
        assert.equal(out, `${new esm.Hasher(a).update(body).digest()}  ${file}\n`, `${a} of ${size} bytes`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
