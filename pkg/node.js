// Node.js, ESM: the wasm is read from the package folder and instantiated synchronously.
import { readFileSync } from "node:fs";
import { initSync } from "./dist/server/presign_wasm.js";
import * as glue from "./dist/server/presign_wasm.js";
import { makeApi, PresignError } from "./api.js";

initSync({ module: readFileSync(new URL("./dist/server/presign_wasm_bg.wasm", import.meta.url)) });
export const { presign, presignMany, presignAsync, presignPost, presignPostAsync, corsRules } = makeApi(glue);
export { PresignError };
