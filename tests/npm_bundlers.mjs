// Real build tools and runtimes as clients of the packed npm package (`npm pack` of pkg/, installed into
// fresh projects). Each builds or runs the probe of tests/support/npm_probe.mjs — the same requests,
// POST policies and CORS configurations as tests/npm_packaging.mjs, signed through the package — and
// its output must equal the native CLI's for the same input (`presign batch`, `presign post
// --json-request`, `presign cors`; signedAt is given, so both are deterministic):
//   - wrangler: a Cloudflare Worker project (wrangler.jsonc, src/index.js signing in its fetch handler)
//     bundled by `wrangler deploy --dry-run --outdir`; the bundle (which must import the package's
//     server .wasm as a module: the `workerd` condition) run in workerd, and the project run by
//     `wrangler dev --local`. Nothing reaches Cloudflare: metrics, error reports, the banner's update
//     check and miniflare's cf.json fetch are off, no account is configured, its config and logs go
//     to a scratch XDG_CONFIG_HOME, and CLOUDFLARE_* / CF_* / WRANGLER_* variables are not passed on;
//   - webpack 5 (Node API, production mode, target web) and esbuild (--bundle --format=esm) build a
//     page importing every entry (their `browser` builds: top-level await fetches each .wasm); the page runs
//     in headless Chromium (Debian's chromium driven by playwright-core). webpack emits the .wasm files
//     as assets itself; esbuild leaves `new URL("./web/presign_<entry>_bg.wasm", import.meta.url)` as
//     it is, so the .wasm files are copied to `<outdir>/web/`, as an esbuild user must;
//   - Deno with an `npm:presign` specifier, resolved from the project's node_modules (deno.json
//     `"nodeModulesDir": "manual"`, the tarball installed by npm): run with --cached-only and an
//     unreachable registry, so it cannot fetch anything, and the specifier must resolve into that
//     node_modules;
//   - Bun (npm `bun`, its binary from @oven/bun-linux-x64): `bun add <tarball>`, then `bun run`. When
//     the binary cannot be installed or run here, its test is skipped and says why (not counted).
//
//   node tests/npm_bundlers.mjs          (pkg/dist must exist: bash pkg/build.sh)
// Env: PRESIGN_BIN, SERVERS_PREFIX (tools are installed there, pinned: one folder per version),
//      CHROMIUM (/usr/bin/chromium).
// Each check is a node:test test (tests/support/harness.mjs), one parent test per client; last line
// "N passed, M failed"; exit status 1 on any failure.
import { after, assert, test } from "./support/harness.mjs";
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ensureNpm, PREFIX, VERSIONS } from "./support/demo_stack.mjs";
import {
  denoBin, denoEnv, distBuilt, fetchText, freePorts, imports, PROBE, PROBE_ENTRIES, packTarball, probeInChromium, project, runWorkerd, sh, verifyProbe,
} from "./support/npm_probe.mjs";

// wrangler 4.86.0 is the newest whose engines field accepts Node 20 (">=20.3.0"); 4.87.0 and later
// need Node 22.
const { WRANGLER_VERSION, WEBPACK_VERSION, ESBUILD_VERSION, BUN_VERSION } = VERSIONS;
const COMPATIBILITY_DATE = "2025-09-01";
// Nothing listens here: a client that tried the registry instead of the local tarball fails.
const NO_REGISTRY = "http://127.0.0.1:9/";


/** Installs `name@version` into its own folder under $SERVERS_PREFIX (once); that folder's node_modules. */
function tool(name, version) {
  const dir = join(PREFIX, `${name}-${version}`);
  ensureNpm(dir, `${name}@${version}`);
  return join(dir, "node_modules");
}

/** The page (main.js: the probe, result in window.__probe) a browser bundler starts from. */
function pageProject(base, tarball) {
  const dir = project(base, "browser", tarball, "module");
  writeFileSync(join(dir, "main.js"), PROBE(imports("esm")) + "window.__probe = out;\n");
  return dir;
}

const page = (moduleScript) => `<!doctype html><meta charset="utf-8"><title>presign bundler probe</title>
<script${moduleScript ? ` type="module"` : ""} src="./main.js"></script>\n`;

/** The installed package's wasm of entry `sub` ("" or "/s3" …), build "web" or "server". */
const wasmOf = (dir, sub, build) => {
  const e = sub ? sub.slice(1) : "main";
  return join(dir, `node_modules/presign/dist/${e}/${build}/presign_${e}_bg.wasm`);
};

const sameBytes = (a, b) => existsSync(a) && existsSync(b) && readFileSync(a).equals(readFileSync(b));

async function wrangler(t, base, tarball) {
  const bin = join(tool("wrangler", WRANGLER_VERSION), "wrangler/bin/wrangler.js");
  const dir = project(base, "worker-wrangler", tarball, "module");
  mkdirSync(join(dir, "src"));
  // Signs in the fetch handler, as a Worker would.
  writeFileSync(join(dir, "src/index.js"), `${imports("esm")}
export default {
  async fetch() {
${PROBE("")}
    return new Response(out, { headers: { "content-type": "application/json" } });
  },
};
`);
  writeFileSync(join(dir, "wrangler.jsonc"),
    JSON.stringify({ name: "presign-probe", main: "src/index.js", compatibility_date: COMPATIBILITY_DATE }, null, 2) + "\n");
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CLOUDFLARE_|CF_|WRANGLER_)/.test(k)));
  Object.assign(env, {
    WRANGLER_SEND_METRICS: "false", WRANGLER_SEND_ERROR_REPORTS: "false", WRANGLER_HIDE_BANNER: "true",
    CLOUDFLARE_CF_FETCH_ENABLED: "false", XDG_CONFIG_HOME: join(base, "xdg"), NO_COLOR: "1",
  });

  // The deployable bundle.
  sh("node", [bin, "deploy", "--dry-run", "--outdir", "out"], { cwd: dir, env });
  const out = join(dir, "out");
  const files = readdirSync(out);
  const wasm = files.filter((f) => f.endsWith(".wasm"));
  const js = existsSync(join(out, "index.js")) ? readFileSync(join(out, "index.js"), "utf8") : "";
  await t.test("wrangler deploy --dry-run: the bundle imports one .wasm module per entry the worker imports", () => {
    assert.equal(wasm.length, PROBE_ENTRIES.length, files.join(" "));
    for (const w of wasm) assert.ok(js.includes(`from "./${w}"`), `the bundle does not import ${w}`);
  });
  for (const sub of PROBE_ENTRIES) {
    const serverWasm = wasmOf(dir, sub, "server");
    await t.test(`wrangler deploy --dry-run: presign${sub}'s server build is one of them (the \`workerd\` condition)`,
      () => assert.ok(wasm.some((w) => sameBytes(join(out, w), serverWasm)), wasm.join(" ")));
  }
  const modules = wasm.map((name) => ({ name, type: "wasm" }));
  await verifyProbe(t, "wrangler bundle in workerd", await runWorkerd(out, "index.js", modules, COMPATIBILITY_DATE));

  // The same project in wrangler's local dev server (miniflare + its own workerd).
  const [port, inspectorPort] = await freePorts(2);
  const child = spawn("node", [bin, "dev", "--local", "--ip", "127.0.0.1", "--port", String(port),
    "--inspector-port", String(inspectorPort), "--show-interactive-dev-session=false"],
  { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  try {
    // A cold machine needs a while: wrangler bundles, then miniflare starts workerd.
    const failed = () => `wrangler dev did not answer:\n${log.replace(/\x1b\[[0-9;]*m/g, "")}`;
    const gone = () => child.exitCode !== null || /The Workers runtime failed to start/.test(log);
    await verifyProbe(t, "wrangler dev --local", await fetchText(`http://127.0.0.1:${port}/`, failed, 900, gone));
  } finally {
    // wrangler dev and the workerd it started share the process group made for it here.
    const exited = new Promise((r) => child.on("exit", r));
    if (child.exitCode === null) {
      process.kill(-child.pid, "SIGTERM");
      const timer = setTimeout(() => process.kill(-child.pid, "SIGKILL"), 10000);
      await exited;
      clearTimeout(timer);
    }
  }
}

async function webpack(t, dir) {
  const lib = join(tool("webpack", WEBPACK_VERSION), "webpack");
  const out = join(dir, "out-webpack");
  // webpack's Node API (webpack-cli is not needed): production mode minifies the glue too.
  writeFileSync(join(dir, "build-webpack.cjs"), `const webpack = require(${JSON.stringify(lib)});
webpack({
  mode: "production", target: "web", context: __dirname, entry: "./main.js",
  output: { path: ${JSON.stringify(out)}, filename: "main.js", clean: true },
}, (err, stats) => {
  if (err || stats.hasErrors()) {
    console.error(err || stats.toString({ colors: false, modules: false }));
    process.exit(1);
  }
});
`);
  sh("node", ["build-webpack.cjs"], { cwd: dir });
  const wasm = readdirSync(out).filter((f) => f.endsWith(".wasm"));
  for (const sub of PROBE_ENTRIES) {
    await t.test(`webpack: the build emits presign${sub}'s browser .wasm as an asset`,
      () => assert.ok(wasm.some((w) => sameBytes(join(out, w), wasmOf(dir, sub, "web"))), readdirSync(out).join(" ")));
  }
  writeFileSync(join(out, "index.html"), page(false));
  await verifyProbe(t, "webpack + Chromium", await probeInChromium(out));
}

async function esbuild(t, dir) {
  const bin = join(tool("esbuild", ESBUILD_VERSION), ".bin/esbuild");
  const out = join(dir, "out-esbuild");
  sh(bin, ["main.js", "--bundle", "--format=esm", "--platform=browser", "--target=es2022", "--minify",
    `--outfile=${join(out, "main.js")}`, "--log-level=warning"], { cwd: dir });
  // esbuild does not rewrite new URL("./web/presign_<entry>_bg.wasm", import.meta.url): the .wasm
  // files go where the bundle will fetch them (their names differ per entry).
  mkdirSync(join(out, "web"), { recursive: true });
  for (const sub of PROBE_ENTRIES) {
    const w = wasmOf(dir, sub, "web");
    copyFileSync(w, join(out, "web", w.split("/").pop()));
  }
  writeFileSync(join(out, "index.html"), page(true));
  await verifyProbe(t, "esbuild + Chromium", await probeInChromium(out));
}

async function deno(t, base, tarball) {
  const dir = project(base, "deno-npm", tarball, "module");
  writeFileSync(join(dir, "deno.json"), JSON.stringify({ nodeModulesDir: "manual" }) + "\n");
  writeFileSync(join(dir, "probe.mjs"), `${PROBE(imports("esm", (sub) => `npm:presign${sub}`))}` +
    `console.log(import.meta.resolve("npm:presign"));\nconsole.log(out);\n`);
  const text = sh(denoBin(), ["run", "--cached-only", "--allow-read", "probe.mjs"], {
    cwd: dir, env: { ...denoEnv(), NPM_CONFIG_REGISTRY: NO_REGISTRY },
  });
  await t.test("deno: npm:presign resolves to the tarball's deno entry in node_modules",
    () => assert.equal(text.split("\n")[0], pathToFileURL(join(dir, "node_modules/presign/dist/main/deno.js")).href));
  await verifyProbe(t, "deno (npm:presign)", text);
}

async function bun(t, base, tarball) {
  let exe;
  try {
    exe = join(tool("bun", BUN_VERSION), "bun/bin/bun.exe");
    sh(exe, ["--version"]);
  } catch (e) {
    const why = String(e.message || e).split("\n")[0];
    t.skip(`not run: bun ${BUN_VERSION} (npm \`bun\`) cannot be installed or run here -- ${why}`);
    return;
  }
  const dir = join(base, "bun");
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "bun-probe", private: true, type: "module" }) + "\n");
  // Bun keeps its install and transpiler caches out of the home directory, and asks no registry.
  const env = {
    ...process.env, DO_NOT_TRACK: "1", BUN_INSTALL_CACHE_DIR: join(base, "bun-cache"), BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0",
    BUN_CONFIG_REGISTRY: NO_REGISTRY,
  };
  sh(exe, ["add", tarball], { cwd: dir, env });
  writeFileSync(join(dir, "probe.mjs"), PROBE(imports("esm")) +
    `console.log(import.meta.resolve("presign"));\nconsole.log(out);\n`);
  const text = sh(exe, ["run", "probe.mjs"], { cwd: dir, env });
  await t.test("bun: presign resolves into the project's node_modules (installed by bun from the tarball)", () => {
    const resolved = text.split("\n")[0];
    assert.ok(resolved.startsWith(pathToFileURL(join(dir, "node_modules/presign/")).href), resolved);
  });
  await verifyProbe(t, "bun", text);
}

if (!distBuilt()) {
  test("pkg/dist is built", () => assert.fail("pkg/dist is missing: run bash pkg/build.sh first"));
} else {
  const base = mkdtempSync(join(tmpdir(), "presign-bundlers-"));
  after(() => rmSync(base, { recursive: true, force: true }));
  // Each client is its own test: one that breaks is a failure (with its command's output), the others still run.
  const step = (name, f) => test(name, async (t) => {
    try {
      await f(t);
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      const output = (e.stdout?.length ? `\n${e.stdout}` : "") + (e.stderr?.length ? `\n${e.stderr}` : "");
      assert.fail(`${name} run: ${String(e.stack || e)}${output}`);
    }
  });
  let tarball, browser;
  test("npm pack", () => {
    tarball = packTarball(base);
    assert.ok(existsSync(tarball), tarball);
  });
  step("wrangler", (t) => wrangler(t, base, tarball));
  // The page both browser bundlers build.
  step("webpack", (t) => webpack(t, (browser ||= pageProject(base, tarball))));
  step("esbuild", (t) => esbuild(t, (browser ||= pageProject(base, tarball))));
  step("deno", (t) => deno(t, base, tarball));
  step("bun", (t) => bun(t, base, tarball));
}
