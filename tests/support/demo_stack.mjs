// Shared by the browser tests of the demo (tests/browser_*.mjs): starts `bash www/demo.sh --no-cors`
// (storage servers, buckets, generated CORS rule files, the workerd signer serving the page) and stops
// it by its PID (demo.sh's trap then stops what it started); switches storage CORS rules with
// www/storage.py; installs npm packages into $SERVERS_PREFIX and Debian packages when missing.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
export const PREFIX = process.env.SERVERS_PREFIX || join(tmpdir(), "presign-servers");
const PY = join(PREFIX, "py/venv/bin/python");

/** The pinned tool versions (tests/servers/versions.env, the one list); the environment overrides. */
export const VERSIONS = Object.fromEntries(
  readFileSync(join(ROOT, "tests/servers/versions.env"), "utf8")
    .split("\n")
    .map((l) => /^([A-Z0-9_]+)=(\S*)$/.exec(l))
    .filter(Boolean)
    .map(([, k, v]) => [k, process.env[k] || v]),
);

/** A test tally: check(name, ok, detail) prints one line; summary() prints "N passed, M failed". */
export function tally() {
  const t = { passed: 0, failed: 0 };
  t.check = (name, ok, detail = "") => {
    if (ok) t.passed++;
    else t.failed++;
    console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok ? "" : `  -- ${String(detail).slice(0, 600)}`}`);
  };
  t.summary = () => console.log(`${t.passed} passed, ${t.failed} failed`);
  return t;
}

export function ensureApt(bin, pkg) {
  if (existsSync(bin)) return;
  console.log(`apt-get install ${pkg}`);
  execFileSync("apt-get", ["update", "-qq"], { stdio: "ignore" });
  execFileSync("apt-get", ["install", "-y", "-qq", pkg], { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}

/** Installs npm package `spec` (name@version) into its own folder `dir`; another installed version is replaced. */
export function ensureNpm(dir, spec) {
  const at = spec.lastIndexOf("@");
  const [name, want] = [spec.slice(0, at), spec.slice(at + 1)];
  const manifest = join(dir, "node_modules", name, "package.json");
  if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).version === want) return;
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, "package.json"))) writeFileSync(join(dir, "package.json"), "{}\n");
  execFileSync("npm", ["install", "--no-fund", "--no-audit", "--loglevel=error", spec], { cwd: dir, stdio: "ignore" });
}

/** Starts demo.sh on `port` (with `env` added); `ready` resolves with the page URL once it prints DEMO_URL=… */
export function startDemo(port, env = {}) {
  const child = spawn("bash", [join(ROOT, "www/demo.sh"), "--no-cors"], {
    env: { ...process.env, ...env, DEMO_PORT: String(port), SERVERS_PREFIX: PREFIX },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const ready = new Promise((resolve, reject) => {
    // A cold machine builds the CLI and the wasm package first.
    const timer = setTimeout(() => reject(new Error(`demo.sh printed no DEMO_URL within 25 min:\n${log.slice(-3000)}`)), 25 * 60 * 1000);
    const onData = (d) => {
      log += d;
      const m = /DEMO_URL=(\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`demo.sh exited (${code}) before it was ready:\n${log.slice(-3000)}`));
    });
  });
  ready.catch(() => {});
  return { child, ready, runDir: join(PREFIX, `demo-${port}`), log: () => log };
}

/** SIGTERM to demo.sh's PID; its trap stops the worker and the servers it started. */
export async function stopDemo(demo) {
  const child = demo.child;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.on("exit", r));
  child.kill("SIGTERM");
  const t = setTimeout(() => child.kill("SIGKILL"), 60000);
  await exited;
  clearTimeout(t);
}

/** www/storage.py: "cors-off", p | "cors-on", p, file */
export const storage = (...args) => execFileSync(PY, [join(ROOT, "www/storage.py"), ...args], {
  encoding: "utf8", timeout: 60000, env: { ...process.env, SERVERS_PREFIX: PREFIX },
});

/** The CORS rule file demo.sh generated with `presign cors` for provider p. */
export const ruleFile = (demo, p) => join(demo.runDir, `cors-${p}.${p === "azure" ? "xml" : "json"}`);

/** `presign cors PROVIDER --origin ORIGIN --stdin` over `requests` (JSON Lines): the CLI's rule text. */
export function cliCors(provider, origin, requests) {
  const bin = process.env.PRESIGN_BIN || join(ROOT, "target/release/presign");
  return execFileSync(bin, ["cors", provider, "--origin", origin, "--stdin"], {
    input: requests.map((r) => JSON.stringify(r)).join("\n") + "\n", encoding: "utf8", env: { PATH: process.env.PATH },
  });
}
