// presign/verify for browsers and bundlers: the default API plus `verify` (the .wasm is fetched
// next to this module once, by top-level await).
import init from "../dist/verify/presign_wasm.js";
import * as glue from "../dist/verify/presign_wasm.js";
import { makeApi, PresignError } from "../api.js";

await init({ module_or_path: new URL("../dist/verify/presign_wasm_bg.wasm", import.meta.url) });
export const { presign, presignMany, presignAsync, presignPost, presignPostAsync, corsRules, verify, verifyAsync } = makeApi(glue);
export { PresignError };
