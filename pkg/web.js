// Browsers and bundlers (vite, esbuild, webpack): the .wasm is fetched next to this module
// (bundlers rewrite the URL) and instantiated once, by top-level await; after import, every call
// is synchronous.
import init from "./dist/presign_wasm.js";
import * as glue from "./dist/presign_wasm.js";
import { makeApi, PresignError } from "./api.js";

await init({ module_or_path: new URL("./dist/presign_wasm_bg.wasm", import.meta.url) });
export const { presign, presignMany, presignAsync, presignPost, presignPostAsync, corsRules } = makeApi(glue);
export { PresignError };
