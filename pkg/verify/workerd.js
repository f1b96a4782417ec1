// presign/verify for Cloudflare Workers (workerd): the default API plus `verify`; the .wasm is
// imported as a compiled module.
import wasmModule from "../dist/verify/server/presign_wasm_bg.wasm";
import { initSync } from "../dist/verify/server/presign_wasm.js";
import * as glue from "../dist/verify/server/presign_wasm.js";
import { makeApi, PresignError } from "../api.js";

initSync({ module: wasmModule });
export const { presign, presignMany, presignAsync, presignPost, presignPostAsync, corsRules, verify, verifyAsync } = makeApi(glue);
export { PresignError };
