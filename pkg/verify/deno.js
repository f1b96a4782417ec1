// presign/verify for Deno: the default API plus `verify`.
import { initSync } from "../dist/verify/server/presign_wasm.js";
import * as glue from "../dist/verify/server/presign_wasm.js";
import { makeApi, PresignError } from "../api.js";

initSync({ module: Deno.readFileSync(new URL("../dist/verify/server/presign_wasm_bg.wasm", import.meta.url)) });
export const { presign, presignMany, presignAsync, presignPost, presignPostAsync, corsRules, verify, verifyAsync } = makeApi(glue);
export { PresignError };
