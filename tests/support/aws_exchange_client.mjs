// The JS side of tests/aws_token_py_diff.py (not a test itself): the core's JSON façade of the
// credential exchanges, from pkg/dist/credentials (its Node build). One JSON command on stdin:
//   {"requests": [options…], "responses": [{kind, status, body}…]}
// One JSON answer on stdout: {"requests": [exchangeRequestJson(options)…], "responses": [exchangeResponseJson(…)…]}.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const DIST = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "pkg", "dist", "credentials");
const cmd = JSON.parse(readFileSync(0, "utf8"));
const glue = await import(pathToFileURL(join(DIST, "server", "presign_credentials.js")).href);
glue.initSync({ module: readFileSync(join(DIST, "server", "presign_credentials_bg.wasm")) });
const run = (fn, input) => JSON.parse(fn(new TextEncoder().encode(JSON.stringify(input)), Date.now()));
// No process.exit: it would cut a large answer still being written to the pipe.
process.stdout.write(JSON.stringify({
  requests: (cmd.requests ?? []).map((o) => run(glue.exchangeRequestJson, o)),
  responses: (cmd.responses ?? []).map((r) => run(glue.exchangeResponseJson, r)),
}) + "\n");
