// The JS side of tests/azure_live_oauth.py (not a test itself): one JSON command in argv[2], one JSON
// answer on stdout. Modes:
//   {"mode":"helper", accountUrl, accessToken, start, expiry}   azureUserDelegationKey (presign/credentials)
//   {"mode":"provider", accountUrl, accessToken, lifetime}      azureUserDelegationKeyProvider, called twice
//   {"mode":"request", options}                                  the core's request (exchangeRequestJson)
//   {"mode":"response", kind, status, body}                      the core's parser (exchangeResponseJson)
//   {"mode":"requests", list: [options…]}                        exchangeRequestJson for each (tests/azure_token_py_diff.py)
// The command is read from stdin when argv[2] is absent.
// HTTPS to Azurite's self-signed certificate: the caller sets NODE_EXTRA_CA_CERTS.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const DIST = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "pkg", "dist", "credentials");
const cmd = JSON.parse(process.argv[2] ?? readFileSync(0, "utf8"));
const out = (v) => process.stdout.write(JSON.stringify(v) + "\n");
const failed = (e) => ({ error: { code: e.code || "JS_ERROR", message: String(e.message || e) } });

if (cmd.mode === "request" || cmd.mode === "response" || cmd.mode === "requests") {
  const glue = await import(pathToFileURL(join(DIST, "server", "presign_credentials.js")).href);
  glue.initSync({ module: readFileSync(join(DIST, "server", "presign_credentials_bg.wasm")) });
  const run = (fn, input) => JSON.parse(fn(new TextEncoder().encode(JSON.stringify(input)), Date.now()));
  // No process.exit: it would cut a large answer still being written to the pipe.
  if (cmd.mode === "requests") out(cmd.list.map((o) => run(glue.exchangeRequestJson, o)));
  else if (cmd.mode === "request") out(run(glue.exchangeRequestJson, cmd.options));
  else out(run(glue.exchangeResponseJson, { kind: cmd.kind, status: cmd.status, body: cmd.body }));
} else {
  const { azureUserDelegationKey, azureUserDelegationKeyProvider } = await import(pathToFileURL(join(DIST, "node.js")).href);
  try {
    if (cmd.mode === "helper") {
      out(await azureUserDelegationKey({ accountUrl: cmd.accountUrl, accessToken: cmd.accessToken, start: cmd.start, expiry: cmd.expiry }));
    } else {
      const get = azureUserDelegationKeyProvider({ accountUrl: cmd.accountUrl, accessToken: async () => cmd.accessToken, lifetime: cmd.lifetime });
      const a = await get(), b = await get();
      out({ ...a, sameObject: a === b });
    }
  } catch (e) {
    out(failed(e));
  }
}
