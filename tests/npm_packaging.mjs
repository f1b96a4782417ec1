// Packaging test for the npm package: `npm pack` of pkg/ (built by pkg/build.sh), installed into
// fresh projects — Node ESM, Node CommonJS, Deno (npm `deno`), workerd (npm `workerd`), and a vite
// build (npm `vite`, its `browser` condition) of a tiny page run in headless Chromium
// (playwright-core + Debian's chromium) — each signing the same requests as the native CLI, which
// must give identical results (both sides re-serialised with JSON.stringify, so member order and
// every string are compared; the rules text of corsRules is compared byte for byte):
//   presign / presignMany  vs `presign batch`              S3, Azure, GCS (HMAC), through "presign",
//                                                          the provider's own entry (presign/s3 …)
//                                                          and client objects (createPresigner) of both
//   presignPost (presign/post) vs `presign post --json-request` S3 and GCS (HMAC) forms; Azure's UNSUPPORTED
//   corsRules (presign/cors) vs `presign cors`                S3 JSON and XML, GCS JSON, Azure XML
//   presign (presign/sigv4a) vs `presign batch`             an S3 Multi-Region Access Point (SigV4a)
// Also checks PresignError (class, code) from each runtime.
//
//   node tests/npm_packaging.mjs          (pkg/dist must exist: bash pkg/build.sh)
// Env: PRESIGN_BIN, SERVERS_PREFIX (npm tools are installed there), CHROMIUM (/usr/bin/chromium).
// The probe, its requests and the comparison with the CLI: tests/support/npm_probe.mjs (shared with
// tests/npm_bundlers.mjs).
// Each check is a node:test test (tests/support/harness.mjs); last line "N passed, M failed"; exit
// status 1 on any failure.

import { after, assert, test } from "./support/harness.mjs";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureNpm, PREFIX, VERSIONS } from "./support/demo_stack.mjs";
import {
  denoBin, denoEnv, distBuilt, imports, PROBE, PROBE_ENTRIES, packTarball, probeInChromium, project, runWorkerd, sh, verifyProbe,
} from "./support/npm_probe.mjs";

const { VITE_VERSION } = VERSIONS;

/** A command's failure with what it printed. */
const why = (e) => String(e.stack || e) + (e.stderr?.length ? `\n${e.stderr}` : "");
/** A test of one runtime whose setup may fail (a failure with the command's output). */
const step = (name, f) => test(name, async (t) => {
  try {
    await f(t);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    assert.fail(`${name}: ${why(e)}`);
  }
});

async function workerd(dir) {
  const pkg = "node_modules/presign";
  const entryDir = (sub) => (sub ? sub.slice(1) : "main");
  const at = (sub) => `${pkg}/dist/${entryDir(sub)}`;
  const modules = [{ name: `${pkg}/api.js`, type: "esModule" }];
  for (const sub of PROBE_ENTRIES) {
    modules.push({ name: `${at(sub)}/workerd.js`, type: "esModule" }, { name: `${at(sub)}/server/presign_${entryDir(sub)}.js`, type: "esModule" },
      { name: `${at(sub)}/server/presign_${entryDir(sub)}_bg.wasm`, type: "wasm" });
  }
  writeFileSync(join(dir, "worker.js"), PROBE(imports("esm", (sub) => `./${at(sub)}/workerd.js`)) +
    `export default { async fetch() { return new Response(out); } };\n`);
  return runWorkerd(dir, "worker.js", modules);
}

// A bundler: vite builds a tiny page that imports every entry (the package's `browser` builds, whose
// top-level await fetches the .wasm that vite emits as an asset); the built page runs the probe in
// headless Chromium, served from a loopback HTTP server.
async function bundler(t, base, tarball) {
  ensureNpm(join(PREFIX, "vite"), `vite@${VITE_VERSION}`);
  const dir = project(base, "bundler-vite", tarball, "module");
  writeFileSync(join(dir, "index.html"),
    `<!doctype html><meta charset="utf-8"><title>presign bundler probe</title><script type="module" src="./main.js"></script>\n`);
  writeFileSync(join(dir, "main.js"), PROBE(imports("esm")) + "window.__probe = out;\n");
  // es2022: the browser entry uses top-level await (vite's default targets predate it).
  writeFileSync(join(dir, "vite.config.mjs"), `export default { logLevel: "warn", build: { target: "es2022" } };\n`);
  sh("node", [join(PREFIX, "vite/node_modules/vite/bin/vite.js"), "build"], { cwd: dir });
  const out = join(dir, "dist");
  await t.test("vite: the build emits the .wasm as an asset", () => {
    const assets = readdirSync(join(out, "assets"));
    assert.ok(assets.some((f) => f.endsWith(".wasm")), assets.join(" "));
  });
  return probeInChromium(out);
}

if (!distBuilt()) {
  test("pkg/dist is built", () => assert.fail("pkg/dist is missing: run bash pkg/build.sh first"));
} else {
  const base = mkdtempSync(join(tmpdir(), "presign-npm-"));
  after(() => rmSync(base, { recursive: true, force: true }));
  let tarball, esm, cjs, deno;
  test("npm pack", () => {
    tarball = packTarball(base);
    assert.ok(existsSync(tarball), tarball);
  });

  step("node ESM", async (t) => {
    esm = project(base, "node-esm", tarball, "module");
    writeFileSync(join(esm, "probe.mjs"), PROBE(imports("esm")) + "console.log(out);\n");
    await verifyProbe(t, "node ESM", sh("node", ["probe.mjs"], { cwd: esm }));
  });
  step("node CJS", async (t) => {
    cjs = project(base, "node-cjs", tarball, "commonjs");
    writeFileSync(join(cjs, "probe.cjs"), PROBE(imports("cjs")) + "console.log(out);\n");
    await verifyProbe(t, "node CJS", sh("node", ["probe.cjs"], { cwd: cjs }));
  });
  step("deno", async (t) => {
    deno = denoBin();
    writeFileSync(join(esm, "probe-deno.mjs"), PROBE(imports("esm")) + "console.log(out);\n");
    await verifyProbe(t, "deno", sh(deno, ["run", "--allow-read", "probe-deno.mjs"], { cwd: esm, env: denoEnv() }));
  });
  step("workerd", async (t) => verifyProbe(t, "workerd", await workerd(esm)));

  // presign/verify: the second wasm flavor resolves through the exports map in each runtime.
  const VERIFY_PROBE = (imp) => `${imp}
const credentials = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const r = presign({ provider: "s3", method: "PUT", bucket: "b", key: "a b+ü.txt", region: "eu-west-1", headers: { "content-type": "text/plain" }, credentials });
const good = verify({ url: r.url, method: "PUT", headers: r.headers, credentials });
const bad = verify({ url: r.url.replace("a%20b", "a%20c"), method: "PUT", headers: r.headers, credentials });
console.log(JSON.stringify([good.valid, good.keyId, bad.valid, bad.error && bad.error.code]));
`;
  const wantVerify = JSON.stringify([true, "AKIAIOSFODNN7EXAMPLE", false, "SIGNATURE_MISMATCH"]);
  for (const [name, out] of [
    ["node ESM", () => {
      writeFileSync(join(esm, "verify.mjs"), VERIFY_PROBE(`import { presign } from "presign";\nimport { verify } from "presign/verify";`));
      return sh("node", ["verify.mjs"], { cwd: esm });
    }],
    ["node CJS", () => {
      writeFileSync(join(cjs, "verify.cjs"), VERIFY_PROBE(`const { presign } = require("presign");\nconst { verify } = require("presign/verify");`));
      return sh("node", ["verify.cjs"], { cwd: cjs });
    }],
    ["deno", () => sh(deno, ["run", "--allow-read", "verify.mjs"], { cwd: esm, env: denoEnv() })],
  ]) {
    step(`${name}: presign/verify verifies its own URL and refuses a tampered one`, () => assert.equal(out().trim(), wantVerify));
  }

  step("vite + Chromium", async (t) => verifyProbe(t, "vite + Chromium", await bundler(t, base, tarball)));
}
