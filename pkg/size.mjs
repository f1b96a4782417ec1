// Size report: the bytes a user ships per entry point (the entry module, api.js, the wasm-bindgen
// glue and the .wasm), raw / gzip -9 / brotli -11.
//   node pkg/size.mjs [--budget BYTES]   (pkg/dist must exist: bash pkg/build.sh)
// With --budget, exits 1 when the browser entry's gzip total exceeds BYTES.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const PKG = dirname(fileURLToPath(import.meta.url));
const ENTRIES = {
  "browser (web.js)": ["web.js", "api.js", "dist/presign_wasm.js", "dist/presign_wasm_bg.wasm"],
  "workerd (workerd.js, speed build)": ["workerd.js", "api.js", "dist/server/presign_wasm.js", "dist/server/presign_wasm_bg.wasm"],
  "node ESM (node.js, speed build)": ["node.js", "api.js", "dist/server/presign_wasm.js", "dist/server/presign_wasm_bg.wasm"],
  "node CJS (node.cjs, speed build)": ["node.cjs", "dist/api.cjs", "dist/server/cjs/presign_wasm.js", "dist/server/cjs/presign_wasm_bg.wasm"],
  "presign/verify (verify/web.js)": ["verify/web.js", "api.js", "dist/verify/presign_wasm.js", "dist/verify/presign_wasm_bg.wasm"],
  "presign/verify node ESM (verify/node.js, speed build)": ["verify/node.js", "api.js", "dist/verify/server/presign_wasm.js", "dist/verify/server/presign_wasm_bg.wasm"],
};
const sizes = (buf) => ({
  raw: buf.length,
  gzip: gzipSync(buf, { level: 9 }).length,
  brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let browserGzip = 0;
for (const [name, files] of Object.entries(ENTRIES)) {
  const total = { raw: 0, gzip: 0, brotli: 0 };
  const parts = files.map((f) => {
    const s = sizes(readFileSync(join(PKG, f)));
    for (const k of Object.keys(total)) total[k] += s[k];
    return `${f} ${kb(s.gzip)}`;
  });
  if (name.startsWith("browser")) browserGzip = total.gzip;
  console.log(`${name}: raw ${kb(total.raw)}, gzip ${kb(total.gzip)}, brotli ${kb(total.brotli)}  [gzip: ${parts.join(", ")}]`);
}
const i = process.argv.indexOf("--budget");
if (i > 0) {
  const budget = Number(process.argv[i + 1]);
  const ok = browserGzip <= budget;
  console.log(`budget ${kb(budget)} gzip for the browser entry: ${ok ? "within" : "EXCEEDED"} (${kb(browserGzip)})`);
  process.exit(ok ? 0 : 1);
}
