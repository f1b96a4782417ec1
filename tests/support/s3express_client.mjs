// The JS side of tests/s3express_py_diff.py (not a test itself): the core's JSON exchange
// `aws.s3ExpressCreateSession` through the presign/credentials wasm (pkg/dist/credentials), at a
// given instant. Reads a JSON list on stdin, each {"mode":"request"|"response", "input":{…}, "now":ms}
// (input without `kind`), and writes one JSON list of answers (exchangeRequestJson /
// exchangeResponseJson output, parsed).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const DIST = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "pkg", "dist", "credentials");
const glue = await import(pathToFileURL(join(DIST, "server", "presign_credentials.js")).href);
glue.initSync({ module: readFileSync(join(DIST, "server", "presign_credentials_bg.wasm")) });
const utf8 = (v) => new TextEncoder().encode(JSON.stringify(v));
const kind = "aws.s3ExpressCreateSession";
const answers = JSON.parse(readFileSync(0, "utf8")).map(({ mode, input, now }) => {
  const fn = mode === "request" ? glue.exchangeRequestJson : glue.exchangeResponseJson;
  return JSON.parse(fn(utf8({ kind, ...input }), now));
});
// No process.exit: it would cut a large answer still being written to the pipe.
process.stdout.write(JSON.stringify(answers) + "\n");
