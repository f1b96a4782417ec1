// What each function of a wasm costs a page after gzip: every function body in turn replaced by
// `unreachable`, the module gzipped (-9) and compared with the whole. twiggy counts raw bytes;
// gzip weighs repetitive code far less than code that is not, and gzip is what a page ships.
//   node pkg/attribution.mjs <wasm with a name section> [N]
// The wasm: a size build as pkg/build.sh makes it, with `-g` added to its wasm-opt passes (names
// kept). The name section is left out of the measured module. Prints the N largest bodies (30)
// by that cost: gzip bytes, raw bytes, name.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const [file, count = "30"] = process.argv.slice(2);
if (!file) {
  console.error("usage: node pkg/attribution.mjs <wasm with a name section> [N]");
  process.exit(2);
}
const wasm = readFileSync(file);

function leb(buf, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}
function encodeLeb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
}

// Sections: [id, start of the section, start of its content, end].
const sections = [];
for (let at = 8; at < wasm.length; ) {
  const id = wasm[at];
  const [size, content] = leb(wasm, at + 1);
  sections.push([id, at, content, content + size]);
  at = content + size;
}
const customName = (s) => {
  const [len, at] = leb(wasm, s[2]);
  return wasm.subarray(at, at + len).toString();
};

// Imported functions come first in the function index space.
let imported = 0;
for (const [id, , content] of sections.filter((s) => s[0] === 2)) {
  let [n, at] = leb(wasm, content);
  for (; n > 0; n--) {
    for (let k = 0; k < 2; k++) {
      const [len, next] = leb(wasm, at);
      at = next + len;
    }
    const kind = wasm[at++];
    if (kind === 0) {
      imported++;
      at = leb(wasm, at)[1];
    } else if (kind === 1) {
      at++;
      const [flags, next] = leb(wasm, at);
      at = leb(wasm, next)[1];
      if (flags & 1) at = leb(wasm, at)[1];
    } else if (kind === 2) {
      const [flags, next] = leb(wasm, at);
      at = leb(wasm, next)[1];
      if (flags & 1) at = leb(wasm, at)[1];
    } else if (kind === 3) {
      at += 2;
    } else {
      throw new Error(`import kind ${kind} (${id})`);
    }
  }
}

// Function names (name section, subsection 1).
const names = new Map();
for (const s of sections.filter((s) => s[0] === 0 && customName(s) === "name")) {
  let at = leb(wasm, s[2]);
  at = at[1] + at[0];
  while (at < s[3]) {
    const sub = wasm[at];
    const [size, content] = leb(wasm, at + 1);
    if (sub === 1) {
      let [n, p] = leb(wasm, content);
      for (; n > 0; n--) {
        const [index, q] = leb(wasm, p);
        const [len, r] = leb(wasm, q);
        names.set(index, wasm.subarray(r, r + len).toString());
        p = r + len;
      }
    }
    at = content + size;
  }
}

// The module without custom sections, with the code section rebuilt around one replaced body.
const code = sections.find((s) => s[0] === 10);
const kept = sections.filter((s) => s[0] !== 0 && s !== code);
const bodies = [];
{
  let [n, at] = leb(wasm, code[2]);
  for (; n > 0; n--) {
    const [size, content] = leb(wasm, at);
    bodies.push([at, content + size]);
    at = content + size;
  }
}
const UNREACHABLE = Buffer.from([0x03, 0x00, 0x00, 0x0b]); // size 3: no locals, unreachable, end
function module(skip) {
  const body = Buffer.concat([encodeLeb(bodies.length), ...bodies.map((b, i) => (i === skip ? UNREACHABLE : wasm.subarray(b[0], b[1])))]);
  const parts = [wasm.subarray(0, 8)];
  for (const s of [...kept, code].sort((a, b) => a[1] - b[1])) {
    parts.push(s === code ? Buffer.concat([Buffer.from([10]), encodeLeb(body.length), body]) : wasm.subarray(s[1], s[3]));
  }
  return Buffer.concat(parts);
}
const gz = (b) => gzipSync(b, { level: 9 }).length;
const whole = gz(module(-1));
const largest = bodies
  .map((b, i) => [i, b[1] - b[0]])
  .sort((a, b) => b[1] - a[1])
  .slice(0, Number(count));
const rows = largest.map(([i, raw]) => [whole - gz(module(i)), raw, names.get(i + imported) ?? `function ${i + imported}`]);
console.log(`gzip -9 of the module without its name section: ${whole} B`);
console.log("gzip B   raw B   function");
for (const [g, raw, name] of rows.sort((a, b) => b[0] - a[0])) console.log(`${String(g).padStart(6)}  ${String(raw).padStart(6)}   ${name}`);
