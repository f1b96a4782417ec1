// Cloudflare Workers (workerd) and other runtimes that import .wasm files as compiled modules:
// Workers cannot compile wasm from bytes at run time, so the module is imported and
// instantiated synchronously.
import wasmModule from "./dist/server/presign_wasm_bg.wasm";
import { initSync } from "./dist/server/presign_wasm.js";
import * as glue from "./dist/server/presign_wasm.js";
import { makeApi, PresignError } from "./api.js";

initSync({ module: wasmModule });
export const { presign, presignMany, presignAsync, presignPost, presignPostAsync, corsRules } = makeApi(glue);
export { PresignError };
