// Deno: the wasm is read next to this file and instantiated synchronously.
import { initSync } from "./dist/server/presign_wasm.js";
import * as glue from "./dist/server/presign_wasm.js";
import { makeApi, PresignError } from "./api.js";

initSync({ module: Deno.readFileSync(new URL("./dist/server/presign_wasm_bg.wasm", import.meta.url)) });
export const { presign, presignMany, presignAsync, presignPost, presignPostAsync, corsRules } = makeApi(glue);
export { PresignError };
