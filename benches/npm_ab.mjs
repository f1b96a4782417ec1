// A/B of the npm build's speed in one Node process: this checkout's pkg/dist against another
// checkout's (e.g. a worktree of an older commit, built with pkg/build.sh), same requests as
// benches/npm.mjs. Both packages are loaded side by side and timed in alternation, many short
// rounds; the report is the minimum and the median per URL of each, and their ratio. On a shared
// or virtual machine the minimum of short interleaved rounds is far steadier than one long run.
//
//   node benches/npm_ab.mjs <other-checkout> [--rounds N] [--browser] [--entry s3|azure|gcs]
//
// --browser: the browser (size) build instead of the speed build Node loads, as benches/npm.mjs
// runs it. --entry: a provider's entry (its rows alone; GCS rows only there) instead of `presign`.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { browserBuild } from "./browser_build.mjs";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const OTHER = process.argv[2] && resolve(process.argv[2]);
if (!OTHER) throw new Error("usage: node benches/npm_ab.mjs <other-checkout> [--rounds N]");
const ROUNDS = Number(process.argv[process.argv.indexOf("--rounds") + 1]) || 31;
const BROWSER = process.argv.includes("--browser");
const ENTRY = process.argv.includes("--entry") ? process.argv[process.argv.indexOf("--entry") + 1] : "main";
const load = (root) => BROWSER
  ? browserBuild(root, ENTRY, ["presign", "presignMany", "createPresigner"])
  : import(pathToFileURL(join(root, `pkg/dist/${ENTRY}/node.js`)).href);
const signs = (p) => ENTRY === "main" || ENTRY === p;
const sides = { this: await load(ROOT), other: await load(OTHER) };

// The requests of benches/npm.mjs: an S3 PUT with a signed content-type, an Azure blob SAS (rw).
const AT = new Date("2026-11-24T10:00:00Z");
const KEYS = Array.from({ length: 1000 }, (_, i) => `uploads/${String(i).padStart(4, "0")}/cat.jpg`);
const s3Config = { provider: "s3", bucket: "my-bucket", region: "eu-west-1", expiresIn: 3600, signedAt: AT,
  credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" } };
const s3Call = (key) => ({ method: "PUT", key, headers: { "content-type": "image/jpeg" } });
const s3Req = (key) => ({ ...s3Config, ...s3Call(key) });
const azConfig = { provider: "azure", method: "PUT", account: "myaccount", container: "photos", permissions: "rw",
  startsOn: AT, expiresOn: new Date(AT.getTime() + 3600e3), protocol: "https", version: "2025-07-05", signedAt: AT,
  credentials: { accountKey: "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==" } };
const azCall = (blob) => ({ blob });
const gcsConfig = { provider: "gcs", bucket: "my-bucket", expiresIn: 3600, signedAt: AT,
  credentials: { hmac: { accessId: "GOOG1EEXAMPLE", secret: "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ" } } };
const gcsCall = (object) => ({ method: "PUT", object, headers: { "content-type": "image/jpeg" } });
const gcsReq = (object) => ({ ...gcsConfig, ...gcsCall(object) });
const azReq = (blob) => ({ ...azConfig, ...azCall(blob) });

// The providers this entry signs: [label, configuration, call of a key, request of a key].
const providers = [
  signs("s3") && ["S3", s3Config, s3Call, s3Req],
  ENTRY === "gcs" && ["GCS", gcsConfig, gcsCall, gcsReq],
  signs("azure") && ["Azure", azConfig, azCall, azReq],
].filter(Boolean);
// Rows: name -> (side) -> [function of i, URLs per call].
const rows = {};
for (const [side, p] of Object.entries(sides)) {
  const add = (name, f, per = 1) => ((rows[name] ||= {})[side] = [f, per]);
  for (const [label, config, call, req] of providers) {
    const client = p.createPresigner(config);
    add(`${label} presign`, (i) => p.presign(req(KEYS[i % 1000])));
    add(`${label} presignMany x1000`, () => p.presignMany(KEYS.map(req)), 1000);
    add(`${label} client.presign`, (i) => client.presign(call(KEYS[i % 1000])));
    add(`${label} client.presignMany x1000`, () => client.presignMany(KEYS.map(call)), 1000);
  }
}
// Equal work first: both sides give the same URL for every row's first request.
for (const k of KEYS.slice(0, 3)) {
  for (const [, , , r] of providers) {
    const a = sides.this.presign(r(k)).url;
    const b = sides.other.presign(r(k)).url;
    if (a !== b) throw new Error(`the two builds sign differently:\n ${a}\n ${b}`);
  }
}
const round = ([f, per]) => {
  const calls = per === 1 ? 2000 : 2; // about 2,000 URLs per round either way
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) f(i);
  return Number(process.hrtime.bigint() - t0) / (calls * per);
};
const stat = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], med: s[s.length >> 1] };
};
console.log(`node ${process.version}; ${BROWSER ? "browser" : "speed"} builds; this = ${ROOT}, other = ${OTHER}; ${ROUNDS} rounds of ~2,000 URLs, alternating`);
console.log(`${"ns per URL".padEnd(32)}${"this min".padStart(10)}${"other min".padStart(11)}${"ratio".padStart(7)}` +
  `${"this med".padStart(10)}${"other med".padStart(11)}${"ratio".padStart(7)}`);
for (const [name, bySide] of Object.entries(rows)) {
  for (let i = 0; i < 3; i++) { round(bySide.this); round(bySide.other); } // warm up
  const t = [], o = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2) { t.push(round(bySide.this)); o.push(round(bySide.other)); } else { o.push(round(bySide.other)); t.push(round(bySide.this)); }
  }
  const a = stat(t), b = stat(o);
  const f = (x) => x.toFixed(0).padStart(10);
  console.log(`${name.padEnd(32)}${f(a.min)} ${f(b.min)}${(a.min / b.min).toFixed(2).padStart(7)}` +
    `${f(a.med)} ${f(b.med)}${(a.med / b.med).toFixed(2).padStart(7)}`);
}
