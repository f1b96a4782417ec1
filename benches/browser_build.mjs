// An npm entry's browser (size) build loaded in Node, as benches/npm.mjs and benches/npm_ab.mjs
// time it (browsers get it; Node's entries load the speed build): the wasm-bindgen glue
// instantiated synchronously and the named factories of pkg/api.js over it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** `{ [name]: the entry's factory of name (pkg/entries.mjs webFactory)(glue) }` for the browser build of entry `dir` under checkout `root`. */
export async function browserBuild(root, dir, names) {
  const glue = await import(pathToFileURL(join(root, `pkg/dist/${dir}/web/presign_${dir}.js`)).href);
  glue.initSync({ module: readFileSync(join(root, `pkg/dist/${dir}/web/presign_${dir}_bg.wasm`)) });
  const api = await import(pathToFileURL(join(root, "pkg/api.js")).href);
  // The entry's own factories (the URL entries' browser builds read requests in JS); a checkout from
  // before pkg/entries.mjs named them has the JSON ones alone.
  const { webFactory = (d, n) => `${n}Fn` } = await import(pathToFileURL(join(root, "pkg/entries.mjs")).href);
  return Object.fromEntries(names.map((n) => [n, api[webFactory(dir, n)](glue)]));
}
