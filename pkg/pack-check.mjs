// What the npm package ships: `npm pack --dry-run --json` of pkg/ (after `bash pkg/build.sh`)
// checked against rules, so an accidental inclusion (a test, a source map, a build script) or a
// missing file fails. Also checks package.json's metadata against Cargo.toml (one version, one
// licence) and that the shipped licences are the repository's.
// Usage: node pkg/pack-check.mjs. Ends with 'N passed, M failed'; exits 1 on a failure.
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PKG = dirname(fileURLToPath(import.meta.url));
const ROOT = join(PKG, "..");
let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${!ok && detail ? ` — ${detail}` : ""}`);
}

// What may ship: per entry of pkg/entries.mjs its generated entry files and types, the glue and
// wasm of its two builds (pkg/build.sh); the API over the glue (api.js, dist/api.cjs); the README
// and the licences. ENTRY: the entries' folders, read from the one list.
const { ENTRIES } = await import(new URL("./entries.mjs", import.meta.url).href);
const ENTRY = `(${ENTRIES.map((e) => e.dir).join("|")})`;
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE-(MIT|APACHE)$/,
  /^api\.js$/,
  /^index\.d\.ts$/,
  /^dist\/api\.cjs$/,
  new RegExp(`^dist/${ENTRY}/((index|node|workerd|deno)\\.js|node\\.cjs|index\\.d\\.ts)$`),
  // the wasm and glue of entry E are named presign_E
  { test: (f) => ENTRIES.some((e) => new RegExp(`^dist/${e.dir}/(web|server|server/cjs)/presign_${e.dir}(\\.js|_bg\\.wasm)$`).test(f)) },
  new RegExp(`^dist/${ENTRY}/server/cjs/package\\.json$`),
];
// Never, whatever the rules above say (belt and braces: named so that a widened rule still fails).
const FORBIDDEN = [
  [/\.map$/, "a source map (none is intended: the glue is readable JS and the wasm has no DWARF)"],
  [/(^|\/)(tests?|__tests__)\/|[._-](test|spec)\.[cm]?[jt]s$/, "a test file"],
  [/\.(rs|sh|py|toml|lock)$/, "a source or build file of the repository"],
  [/(^|\/)(size|pack-check)\.mjs$|(^|\/)build\.sh$/, "a packaging tool"],
  [/(^|\/)node_modules\//, "node_modules"],
  [/\.d\.ts$/, "a type file other than index.d.ts and the entries' index.d.ts", (p) => !/^(dist\/[a-z0-9]+\/)?index\.d\.ts$/.test(p)],
];

let packed;
try {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: PKG,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  packed = JSON.parse(out)[0];
} catch (e) {
  check("npm pack --dry-run", false, String(e.stderr || e.message).trim());
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(1);
}
const files = packed.files.map((f) => f.path);
const sizeOf = new Map(packed.files.map((f) => [f.path, f.size]));
console.log(`npm pack --dry-run: ${packed.name}@${packed.version}, ${packed.entryCount} files, ` +
  `${packed.size} bytes packed, ${packed.unpackedSize} unpacked`);

for (const f of files) {
  const bad = FORBIDDEN.find(([re, , also]) => re.test(f) && (!also || also(f)));
  check(`allowed: ${f}`, !bad && ALLOWED.some((re) => re.test(f)), bad ? bad[1] : "matches no rule in pkg/pack-check.mjs");
}

// Every file package.json points at ships (exports conditions, types, main, module).
const manifest = JSON.parse(readFileSync(join(PKG, "package.json"), "utf8"));
const targets = new Set();
(function walk(v) {
  if (typeof v === "string") targets.add(v.replace(/^\.\//, ""));
  else if (v && typeof v === "object") Object.values(v).forEach(walk);
})([manifest.exports, manifest.types, manifest.main, manifest.module]);
for (const t of [...targets].sort()) check(`shipped (package.json points at it): ${t}`, files.includes(t));
// Every entry ships its files, for every runtime and both builds.
for (const e of ENTRIES) {
  const want = ["index.js", "node.js", "node.cjs", "deno.js", "workerd.js", "index.d.ts",
    ...["web", "server", "server/cjs"].flatMap((b) => [`${b}/presign_${e.dir}.js`, `${b}/presign_${e.dir}_bg.wasm`])];
  const missing = want.filter((f) => !files.includes(`dist/${e.dir}/${f}`));
  check(`entry ${e.path}: every runtime's files ship`, missing.length === 0, `missing: ${missing.join(" ")}`);
}
// Every declared "files" entry matches something (a stale entry hides a rename).
for (const entry of manifest.files) {
  const hit = entry.endsWith("/") ? files.some((f) => f.startsWith(entry)) : files.includes(entry);
  check(`"files" entry ships something: ${entry}`, hit);
}

// The README and the licences: present, and the licences are the repository's own.
check("README.md ships", files.includes("README.md"));
let readme = "";
try {
  readme = readFileSync(join(PKG, "README.md"), "utf8");
} catch {}
check("README.md is the package's (starts with '# presign', shows an import)",
  /^# presign\b/.test(readme) && readme.includes('from "presign"'));
for (const lic of ["LICENSE-MIT", "LICENSE-APACHE"]) {
  const repo = readFileSync(join(ROOT, lic));
  let copy = null;
  try {
    copy = readFileSync(join(PKG, lic));
  } catch {}
  check(`${lic} ships, identical to the repository's`,
    files.includes(lic) && sizeOf.get(lic) === statSync(join(ROOT, lic)).size && copy !== null && copy.equals(repo));
}

// Metadata: one version and one licence for the crate and the package; where to report bugs.
const cargo = readFileSync(join(ROOT, "Cargo.toml"), "utf8");
const cargoField = (k) => (cargo.match(new RegExp(`^${k} = "([^"]*)"`, "m")) || [])[1];
check("version equals Cargo.toml's", manifest.version === cargoField("version"), `${manifest.version} vs ${cargoField("version")}`);
check("license equals Cargo.toml's", manifest.license === cargoField("license"), `${manifest.license} vs ${cargoField("license")}`);
const repoUrl = cargoField("repository");
check("repository names the same repository as Cargo.toml, with directory pkg",
  typeof manifest.repository === "object" && manifest.repository.url === `git+${repoUrl}.git` && manifest.repository.directory === "pkg");
check("homepage is set", typeof manifest.homepage === "string" && manifest.homepage.startsWith(repoUrl));
check("bugs points at the issue tracker", manifest.bugs && manifest.bugs.url === `${repoUrl}/issues`);

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
