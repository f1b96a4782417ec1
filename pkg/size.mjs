// Size report: what a bundler user ships for each entry of the package. For every entry in
// pkg/entries.mjs, a page that imports everything the entry exports is built with vite (its
// `browser` condition, production mode: minified JS); every emitted .js and .wasm file is counted,
// gzip -9 and brotli -11. Also the files a server runtime loads (the speed build, read from disk).
//   node pkg/size.mjs [--check]     (pkg/dist must exist: bash pkg/build.sh)
// Each entry has a guard (CI: no growth; the measured size when it was last lowered, plus a
// margin under 1 KB) and, for the URL entries, a target (the size a library of this kind should
// ship; reported). With --check, exits 1 when an entry's gzip total exceeds its
// guard. Ends with "N passed, M failed" (one check per entry).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { ENTRIES } from "./entries.mjs";

const PKG = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(PKG);
const PREFIX = process.env.SERVERS_PREFIX || join(tmpdir(), "presign-servers");

// KiB gzip of JS + wasm as a vite user ships them. GUARDS: measured with this script (see the
// commit that set them), rounded up; lower them when an entry shrinks.
const GUARDS = { main: 49.8, s3: 27.2, sigv4a: 55.9, s3express: 35.7, azure: 30.6, gcs: 27.3, post: 37.4, cors: 16.1, credentials: 56.0, verify: 51.9, upload: 19.9, multipart: 89.7 };
const TARGETS = { s3: 30, gcs: 32, azure: 32, main: 50 };

const versions = Object.fromEntries(
  readFileSync(join(ROOT, "tests/servers/versions.env"), "utf8")
    .split("\n")
    .map((l) => /^([A-Z0-9_]+)=(\S*)$/.exec(l))
    .filter(Boolean)
    .map(([, k, v]) => [k, process.env[k] || v]),
);
const viteDir = join(PREFIX, "vite");
const viteBin = join(viteDir, "node_modules/vite/bin/vite.js");
try {
  readFileSync(join(viteDir, "node_modules/vite/package.json"));
} catch {
  mkdirSync(viteDir, { recursive: true });
  try {
    readFileSync(join(viteDir, "package.json"));
  } catch {
    writeFileSync(join(viteDir, "package.json"), "{}\n");
  }
  execFileSync("npm", ["install", "--no-fund", "--no-audit", "--loglevel=error", `vite@${versions.VITE_VERSION}`], { cwd: viteDir, stdio: "ignore" });
}

const sizes = (buf) => ({
  raw: buf.length,
  gzip: gzipSync(buf, { level: 9 }).length,
  brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const sum = (list) => list.reduce((t, s) => ({ raw: t.raw + s.raw, gzip: t.gzip + s.gzip, brotli: t.brotli + s.brotli }), { raw: 0, gzip: 0, brotli: 0 });

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : [join(dir, d.name)]);
}

/** What vite emits for a page importing all of entry `e`'s exports. */
function shipped(e, base) {
  const dir = join(base, e.dir);
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(PKG, join(dir, "node_modules/presign"));
  symlinkSync(join(viteDir, "node_modules/vite"), join(dir, "node_modules/vite"));
  const spec = e.path === "." ? "presign" : `presign/${e.path.slice(2)}`;
  const names = [...e.exports, "PresignError"];
  writeFileSync(join(dir, "main.js"), `import { ${names.join(", ")} } from "${spec}";\nwindow.__presign = [${names.join(", ")}];\n`);
  writeFileSync(join(dir, "index.html"), `<!doctype html><script type="module" src="./main.js"></script>\n`);
  writeFileSync(join(dir, "vite.config.mjs"), `export default { logLevel: "error", build: { target: "es2022" } };\n`);
  execFileSync(process.execPath, [viteBin, "build"], { cwd: dir, stdio: "pipe" });
  const out = files(join(dir, "dist")).filter((f) => /\.(js|wasm)$/.test(f));
  return out.map((f) => ({ f: f.slice(join(dir, "dist").length + 1), ...sizes(readFileSync(f)) }));
}

const check = process.argv.includes("--check");
let passed = 0;
let failed = 0;
const base = mkdtempSync(join(tmpdir(), "presign-size-"));
try {
  console.log("entry               | shipped by vite: gzip (brotli)        | files | server runtimes load (speed build, raw)");
  for (const e of ENTRIES) {
    // PRESIGN_ENTRIES="s3 azure" bash pkg/build.sh builds only some: the others are reported as
    // missing (a failure with --check).
    if (!existsSync(join(PKG, "dist", e.dir, `web/presign_${e.dir}_bg.wasm`))) {
      console.log(`${e.dir.padEnd(19)} | not built`);
      if (check) failed++;
      continue;
    }
    const list = shipped(e, base);
    const t = sum(list);
    const wasm = list.filter((x) => x.f.endsWith(".wasm"));
    const js = list.filter((x) => x.f.endsWith(".js"));
    const server = readFileSync(join(PKG, "dist", e.dir, `server/presign_${e.dir}_bg.wasm`)).length;
    const name = e.path === "." ? "presign" : `presign/${e.path.slice(2)}`;
    console.log(`${name.padEnd(19)} | ${kb(t.gzip).padStart(8)} (${kb(t.brotli)}), wasm ${kb(sum(wasm).gzip)}, js ${kb(sum(js).gzip)} | ${list.length} | ${kb(server)}`);
    const guard = GUARDS[e.dir];
    const ok = guard !== undefined && t.gzip <= guard * 1024;
    const target = TARGETS[e.dir];
    const aim = target === undefined ? "" : `; target ${target} KB: ${t.gzip <= target * 1024 ? "met" : `not met (${kb(t.gzip - target * 1024)} over)`}`;
    console.log(`  guard ${guard ?? "none"} KB gzip: ${ok ? "within" : "EXCEEDED"}${aim}`);
    if (ok) passed++;
    else failed++;
  }
} finally {
  rmSync(base, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
if (check && failed > 0) process.exit(1);
