// Packaging test for the npm package: `npm pack` of pkg/ (built by pkg/build.sh), installed into
// fresh projects — Node ESM, Node CommonJS, Deno (npm `deno`), workerd (npm `workerd`) — each
// signing the same requests for S3, Azure and GCS (HMAC) as the native CLI (`$PRESIGN_BIN batch`),
// which must give byte-identical results. Also checks PresignError (class, code) from each runtime.
//
//   node tests/npm_packaging.mjs          (pkg/dist must exist: bash pkg/build.sh)
// Last line "N passed, M failed"; exit status 1 on any failure.

import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const PRESIGN = process.env.PRESIGN_BIN || join(ROOT, "target/release/presign");
const PREFIX = process.env.SERVERS_PREFIX || join(tmpdir(), "presign-servers");
const DENO_VERSION = "2.9.6";
const WORKERD_VERSION = process.env.WORKERD_VERSION || "1.20261117.1";

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok ? "" : `  -- ${detail}`}`);
}

const AT = "2026-11-24T10:00:00Z";
const REQUESTS = [
  {
    provider: "s3", method: "PUT", bucket: "my-bucket", key: "uploads/cat 1+ü (x).jpg", region: "eu-west-1",
    headers: { "Content-Type": "image/jpeg" }, expiresIn: 600, signedAt: AT,
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", sessionToken: "tok/+=" },
  },
  {
    provider: "s3", bucket: "examplebucket", key: "test.txt", expiresIn: 86400, signedAt: "2013-05-24T00:00:00Z",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  },
  {
    provider: "azure", method: "PUT", container: "photos", blob: "dir/cat 1+%#?ü.jpg", expiresIn: 600, signedAt: AT,
    credentials: { connectionString: "UseDevelopmentStorage=true" },
  },
  {
    provider: "azure", account: "myaccount", container: "docs", blob: "report.pdf", permissions: "r", signedAt: AT,
    responseHeaders: { contentDisposition: "attachment; filename=\"r.pdf\"" },
    credentials: { accountKey: "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5" },
  },
  {
    provider: "gcs", method: "PUT", bucket: "my-bucket", object: "uploads/cat 1+ü.jpg", signedAt: AT,
    headers: { "content-type": "image/jpeg", "x-goog-content-length-range": "0,1048576" },
    credentials: { hmac: { accessId: "GOOG1EEXAMPLE", secret: "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ" } },
  },
];
const BAD = { provider: "s3", bucket: "b", key: "", credentials: { accessKeyId: "a", secretAccessKey: "TOPSECRET" } };

// The script each runtime runs: sign REQUESTS one by one and with presignMany, try BAD, print JSON.
const PROBE = (imp) => `${imp}
const requests = ${JSON.stringify(REQUESTS)};
const one = requests.map((r) => presign(r));
const many = presignMany(requests);
let error = null;
try { presign(${JSON.stringify(BAD)}); } catch (e) {
  error = { isPresignError: e instanceof PresignError, isError: e instanceof Error, code: e.code, name: e.name, message: e.message };
}
const out = JSON.stringify({ one, many, error });
`;

function expected() {
  const lines = REQUESTS.map((r) => JSON.stringify(r)).join("\n") + "\n";
  const out = execFileSync(PRESIGN, ["batch"], { input: lines, env: { PATH: process.env.PATH } });
  return out.toString().trim().split("\n").map((l) => JSON.parse(l));
}

function verify(runtime, text) {
  let got;
  try {
    got = JSON.parse(text.trim().split("\n").pop());
  } catch (e) {
    check(`${runtime}: prints a result`, false, text.slice(0, 500));
    return;
  }
  const want = expected();
  REQUESTS.forEach((r, i) => {
    const w = JSON.stringify(want[i]);
    check(`${runtime}: ${r.provider} #${i} presign() equals the native CLI`, JSON.stringify(got.one[i]) === w,
      `\n   js:  ${JSON.stringify(got.one[i])}\n   cli: ${w}`);
    check(`${runtime}: ${r.provider} #${i} presignMany() equals the native CLI`, JSON.stringify(got.many[i]) === w,
      `\n   js:  ${JSON.stringify(got.many[i])}\n   cli: ${w}`);
  });
  const e = got.error || {};
  check(`${runtime}: bad input throws PresignError with code INVALID_KEY, no secret`,
    e.isPresignError && e.isError && e.code === "INVALID_KEY" && e.name === "PresignError" && !String(e.message).includes("TOPSECRET"),
    JSON.stringify(e));
}

function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...opts }).toString();
}

function ensureNpm(dir, spec) {
  const name = spec.slice(0, spec.lastIndexOf("@"));
  if (existsSync(join(dir, "node_modules", name))) return;
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, "package.json"))) writeFileSync(join(dir, "package.json"), "{}\n");
  sh("npm", ["install", "--no-fund", "--no-audit", "--loglevel=error", spec], { cwd: dir });
}

function project(base, name, tarball, type) {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type }) + "\n");
  sh("npm", ["install", "--no-fund", "--no-audit", "--loglevel=error", tarball], { cwd: dir });
  return dir;
}

async function workerd(dir) {
  ensureNpm(join(PREFIX, "workerd"), `workerd@${WORKERD_VERSION}`);
  const bin = join(PREFIX, "workerd/node_modules/@cloudflare/workerd-linux-64/bin/workerd");
  const pkg = "node_modules/presign";
  const modules = ["workerd.js", "api.js", "dist/presign_wasm.js"].map(
    (f) => `(name = "${pkg}/${f}", esModule = embed "${pkg}/${f}")`);
  modules.push(`(name = "${pkg}/dist/presign_wasm_bg.wasm", wasm = embed "${pkg}/dist/presign_wasm_bg.wasm")`);
  writeFileSync(join(dir, "worker.js"), PROBE(`import { presign, presignMany, PresignError } from "./${pkg}/workerd.js";`) +
    `export default { async fetch() { return new Response(out); } };\n`);
  const port = 18787 + Math.floor(Math.random() * 1000);
  writeFileSync(join(dir, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .w) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const w :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js"), ${modules.join(", ")} ],
  compatibilityDate = "2025-09-01",
);
`);
  const child = spawn(bin, ["serve", join(dir, "config.capnp")], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  try {
    for (let i = 0; i < 100; i++) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/`);
        return await r.text();
      } catch {
        await new Promise((res) => setTimeout(res, 100));
      }
    }
    return `workerd did not answer: ${log}`;
  } finally {
    child.kill();
  }
}

async function main() {
  if (!existsSync(join(ROOT, "pkg/dist/presign_wasm_bg.wasm"))) {
    console.log("pkg/dist is missing: run bash pkg/build.sh first");
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
  const base = mkdtempSync(join(tmpdir(), "presign-npm-"));
  try {
    const tarball = join(base, sh("npm", ["pack", join(ROOT, "pkg"), "--pack-destination", base, "--silent"]).trim().split("\n").pop());
    check("npm pack", existsSync(tarball), tarball);

    const esm = project(base, "node-esm", tarball, "module");
    writeFileSync(join(esm, "probe.mjs"), PROBE(`import { presign, presignMany, PresignError } from "presign";`) + "console.log(out);\n");
    verify("node ESM", sh("node", ["probe.mjs"], { cwd: esm }));

    const cjs = project(base, "node-cjs", tarball, "commonjs");
    writeFileSync(join(cjs, "probe.cjs"), PROBE(`const { presign, presignMany, PresignError } = require("presign");`) + "console.log(out);\n");
    verify("node CJS", sh("node", ["probe.cjs"], { cwd: cjs }));

    ensureNpm(join(PREFIX, "deno"), `deno@${DENO_VERSION}`);
    const deno = join(PREFIX, "deno/node_modules/@deno/linux-x64-glibc/deno");
    writeFileSync(join(esm, "probe-deno.mjs"), PROBE(`import { presign, presignMany, PresignError } from "presign";`) + "console.log(out);\n");
    verify("deno", sh(deno, ["run", "--allow-read", "probe-deno.mjs"], {
      cwd: esm, env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", DENO_DIR: join(PREFIX, "deno/cache") },
    }));

    verify("workerd", await workerd(esm));
  } catch (e) {
    check("packaging run", false, String(e.stack || e) + (e.stderr ? `\n${e.stderr}` : ""));
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
