// An npm entry's browser build loaded in Node through its real entry file (pkg/dist/<dir>/index.js,
// which fetches its .wasm next to itself): fetch answers `file:` URLs from disk, anything else as
// before.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

let shimmed = false;
/** The exports of `pkg/dist/<dir>/index.js` under checkout `root`. */
export function browserEntry(root, dir) {
  if (!shimmed) {
    shimmed = true;
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (input, init) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input?.url;
      if (typeof url === "string" && url.startsWith("file:")) {
        return new Response(readFileSync(fileURLToPath(url)), { headers: { "content-type": "application/wasm" } });
      }
      return realFetch(input, init);
    };
  }
  return import(pathToFileURL(join(root, `pkg/dist/${dir}/index.js`)).href);
}
