// presign/credentials' Azure helpers over real HTTP against a local stand-in (pkg/dist/credentials/node.js,
// built by pkg/build.sh): azureToken / azureTokenProvider (Entra ID client credentials),
// azureManagedIdentityToken / …Provider (IMDS, App Service), azureUserDelegationKey / …Provider.
//
// What the stand-in proves: the helpers send, through fetch, the requests azure-identity 1.27 sends (the
// form and query pairs and the meaningful headers of tests/vectors/azure/entra-token-requests.json, as
// the stand-in received them), read the documented answers and error documents (SERVICE_ERROR without the
// secret), pass the token as `Authorization: Bearer`, and cache until shortly before expiry. What it does
// not prove: that Entra ID, IMDS or App Service accept these requests (the stand-in answers what their
// documentation shows; no real tenant is reachable here). Get User Delegation Key against a server that
// checks the token: tests/azure_live_oauth.py (Azurite).
//
// Run: node tests/credentials_azure.mjs   (after bash pkg/build.sh). Last line: "N passed, M failed".
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { tally } from "./support/demo_stack.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const api = await import(pathToFileURL(join(ROOT, "pkg/dist/credentials/node.js")).href);
const { azureToken, azureTokenProvider, azureManagedIdentityToken, azureManagedIdentityTokenProvider,
  azureUserDelegationKey, azureUserDelegationKeyProvider, PresignError } = api;
const vectors = JSON.parse(readFileSync(join(ROOT, "tests/vectors/azure/entra-token-requests.json"), "utf8")).cases;
const vector = (name) => vectors.find((c) => c.name === name);
const t = tally();

// --- the stand-in ------------------------------------------------------------------------------
const seen = [];
let tokenLife = 3599;
let n = 0;
const json = (res, status, doc) => { res.writeHead(status, { "content-type": "application/json" }); res.end(JSON.stringify(doc)); };
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => { body += c; });
  req.on("end", () => {
    const url = new URL(req.url, "http://x");
    seen.push({ method: req.method, path: url.pathname, query: url.search.slice(1), headers: req.headers, body });
    n++;
    if (req.method === "POST" && url.pathname.endsWith("/oauth2/v2.0/token")) {
      const form = new URLSearchParams(body);
      // Entra's error document: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#error-response
      if (form.get("client_secret") === "wrong-SECRET") {
        return json(res, 401, { error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided.\r\nTrace ID: x", error_codes: [7000215] });
      }
      return json(res, 200, { token_type: "Bearer", expires_in: tokenLife, ext_expires_in: tokenLife, access_token: `entra-${n}` });
    }
    if (req.method === "GET" && url.pathname === "/metadata/identity/oauth2/token") {
      if (req.headers.metadata !== "true") return json(res, 400, { error: "invalid_request", error_description: "Required metadata header not specified" });
      return json(res, 200, { access_token: `imds-${n}`, expires_in: String(tokenLife), expires_on: String(Math.floor(Date.now() / 1000) + tokenLife), resource: "https://storage.azure.com", token_type: "Bearer" });
    }
    if (req.method === "GET" && url.pathname === "/msi/token/") {
      if (req.headers["x-identity-header"] !== "f1b7e0c4-hdr") return json(res, 401, { statusCode: 401, message: "Unauthorized: wrong identity header" });
      return json(res, 200, { access_token: `app-${n}`, expires_on: String(Math.floor(Date.now() / 1000) + tokenLife), resource: "https://storage.azure.com", token_type: "Bearer" });
    }
    if (req.method === "POST" && url.pathname === "/devstoreaccount1/" && url.search === "?restype=service&comp=userdelegationkey") {
      if (!/^Bearer \S+$/.test(req.headers.authorization || "")) {
        res.writeHead(403, { "content-type": "application/xml" });
        return res.end("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code><Message>no token</Message></Error>");
      }
      const start = /<Start>([^<]+)<\/Start>/.exec(body)[1], expiry = /<Expiry>([^<]+)<\/Expiry>/.exec(body)[1];
      res.writeHead(200, { "content-type": "application/xml" });
      return res.end(`<?xml version="1.0" encoding="utf-8"?><UserDelegationKey><SignedOid>oid</SignedOid><SignedTid>tid</SignedTid><SignedStart>${start}</SignedStart><SignedExpiry>${expiry}</SignedExpiry><SignedService>b</SignedService><SignedVersion>2025-11-05</SignedVersion><Value>a2V5LSR7bn0=</Value></UserDelegationKey>`);
    }
    json(res, 404, { error: "not_found", error_description: `${req.method} ${url.pathname}` });
  });
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const HOST = `http://127.0.0.1:${server.address().port}`;
const last = () => seen[seen.length - 1];
const sorted = (pairs, skip = []) => JSON.stringify(pairs.filter(([k]) => !skip.includes(k)).sort());
const pairsOf = (text) => [...new URLSearchParams(text)];
const code = async (p) => { try { await p; return "resolved"; } catch (e) { return e instanceof PresignError ? `${e.code}: ${e.message}` : `other: ${e}`; } };
const near = (iso, ms) => Math.abs(Date.parse(iso) - (Date.now() + ms)) < 5000;

try {
  // --- client credentials ----------------------------------------------------------------------
  for (const name of ["client secret", "client assertion"]) {
    const v = vector(name);
    const { kind, ...options } = v.options;
    const tok = await azureToken({ ...options, authorityHost: HOST });
    const r = last();
    t.check(`azureToken (${name}): POST ${options.tenantId}/oauth2/v2.0/token`, r.method === "POST" && r.path === `/${options.tenantId}/oauth2/v2.0/token`, JSON.stringify(r));
    t.check(`azureToken (${name}): the form azure-identity sends`, sorted(pairsOf(r.body)) === sorted(v.request.form, v.extra), `${r.body} vs ${JSON.stringify(v.request.form)}`);
    t.check(`azureToken (${name}): content-type`, r.headers["content-type"] === v.request.headers["content-type"], r.headers["content-type"]);
    t.check(`azureToken (${name}): the answer`, tok.accessToken.startsWith("entra-") && tok.tokenType === "Bearer" && near(tok.expiresAt, 3599e3), JSON.stringify(tok));
  }
  let calls = 0;
  await azureToken({ tenantId: "t", clientId: "c", clientAssertion: async () => `jwt-${++calls}`, authorityHost: HOST });
  await azureToken({ tenantId: "t", clientId: "c", clientAssertion: () => `jwt-${++calls}`, authorityHost: HOST });
  t.check("azureToken: a clientAssertion function is read per request", calls === 2 && new URLSearchParams(last().body).get("client_assertion") === "jwt-2", last().body);
  const wrong = await code(azureToken({ tenantId: "t", clientId: "c", clientSecret: "wrong-SECRET", authorityHost: HOST }));
  t.check("azureToken: Entra's error document is SERVICE_ERROR with its code, without the secret",
    wrong.startsWith("SERVICE_ERROR") && wrong.includes("invalid_client") && wrong.includes("AADSTS7000215") && !wrong.includes("SECRET") && !wrong.includes("Trace ID"), wrong);
  const before = seen.length;
  const insecure = await code(azureToken({ tenantId: "t", clientId: "c", clientSecret: "s", authorityHost: "http://login.example.com" }));
  t.check("azureToken: http to a non-loopback authority is refused before any request", insecure.startsWith("INVALID_ENDPOINT") && seen.length === before, insecure);
  t.check("azureToken: secret and assertion together are refused",
    (await code(azureToken({ tenantId: "t", clientId: "c", clientSecret: "s", clientAssertion: "a", authorityHost: HOST }))).startsWith("INVALID_CREDENTIALS"));

  const provider = azureTokenProvider({ tenantId: "t", clientId: "c", clientSecret: "s", authorityHost: HOST });
  const b0 = seen.length;
  const [p1, p2] = await Promise.all([provider(), provider()]);
  const p3 = await provider();
  t.check("azureTokenProvider: concurrent and later calls share one request", seen.length === b0 + 1 && p1 === p2 && p2 === p3, `${seen.length - b0} requests`);
  tokenLife = 1;
  const short = azureTokenProvider({ tenantId: "t", clientId: "c", clientSecret: "s", authorityHost: HOST, refreshMargin: 0 });
  const s1 = await short();
  await new Promise((r) => setTimeout(r, 1100));
  const s2 = await short();
  t.check("azureTokenProvider: an expired token is fetched again", s1.accessToken !== s2.accessToken, `${s1.accessToken} ${s2.accessToken}`);
  tokenLife = 3599;

  // --- managed identity ------------------------------------------------------------------------
  const imds = vector("IMDS, client id");
  const mi = await azureManagedIdentityToken({ endpoint: `${HOST}/metadata/identity/oauth2/token`, clientId: imds.options.clientId });
  t.check("azureManagedIdentityToken (IMDS): the query and Metadata header azure-identity sends",
    last().method === "GET" && sorted(pairsOf(last().query)) === sorted(imds.request.query) && last().headers.metadata === "true", JSON.stringify(last()));
  t.check("azureManagedIdentityToken (IMDS): string expires_in read", mi.accessToken.startsWith("imds-") && near(mi.expiresAt, 3599e3), JSON.stringify(mi));
  const app = vector("App Service, resource id");
  const { kind: _k, ...appOptions } = app.options;
  const at = await azureManagedIdentityToken({ ...appOptions, endpoint: `${HOST}/msi/token/` });
  t.check("azureManagedIdentityToken (App Service): query, X-IDENTITY-HEADER and path as azure-identity sends them",
    last().path === "/msi/token/" && sorted(pairsOf(last().query)) === sorted(app.request.query) && last().headers["x-identity-header"] === "f1b7e0c4-hdr", JSON.stringify(last()));
  t.check("azureManagedIdentityToken (App Service): expires_on read", at.accessToken.startsWith("app-") && near(at.expiresAt, 3599e3), JSON.stringify(at));
  const badHeader = await code(azureManagedIdentityToken({ endpoint: `${HOST}/msi/token/`, identityHeader: "nope-HDR" }));
  t.check("azureManagedIdentityToken (App Service): its statusCode/message error is SERVICE_ERROR without the header",
    badHeader.startsWith("SERVICE_ERROR") && badHeader.includes("401") && !badHeader.includes("nope-HDR"), badHeader);
  const miProvider = azureManagedIdentityTokenProvider({ endpoint: `${HOST}/metadata/identity/oauth2/token` });
  const b1 = seen.length;
  const m1 = await miProvider(), m2 = await miProvider();
  t.check("azureManagedIdentityTokenProvider: cached", m1 === m2 && seen.length === b1 + 1, `${seen.length - b1} requests`);

  // --- user-delegation keys with the token -----------------------------------------------------
  const accountUrl = `${HOST}/devstoreaccount1`;
  const now = Date.now();
  const key = await azureUserDelegationKey({ accountUrl, accessToken: miProvider, start: now - 60e3, expiry: now + 3600e3 });
  t.check("azureUserDelegationKey: accountUrl, token from a provider function as Bearer",
    last().headers.authorization === `Bearer ${m1.accessToken}` && key.userDelegationKey.signedOid === "oid" && near(key.expiresAt, 3600e3), JSON.stringify(last().headers));
  t.check("azureUserDelegationKey: accountUrl and endpoint together are refused",
    (await code(azureUserDelegationKey({ accountUrl, endpoint: accountUrl, accessToken: "x", start: now, expiry: now + 60e3 }))).startsWith("INVALID_REQUEST"));
  t.check("azureUserDelegationKey: no token is INVALID_CREDENTIALS",
    (await code(azureUserDelegationKey({ accountUrl, accessToken: async () => "", start: now, expiry: now + 60e3 }))).startsWith("INVALID_CREDENTIALS"));
  const keys = azureUserDelegationKeyProvider({ accountUrl, accessToken: "tok", lifetime: 2 * 3600e3, backdate: 10 * 60e3 });
  const b2 = seen.length;
  const [k1, k2] = await Promise.all([keys(), keys()]);
  const body = seen[seen.length - 1].body;
  const start = Date.parse(/<Start>([^<]+)</.exec(body)[1]), expiry = Date.parse(/<Expiry>([^<]+)</.exec(body)[1]);
  t.check("azureUserDelegationKeyProvider: one request, start set back and expiry after the lifetime",
    seen.length === b2 + 1 && k1 === k2 && Math.abs(expiry - start - (2 * 3600e3 + 10 * 60e3)) < 2000 && near(k1.expiresAt, 2 * 3600e3), body);
} catch (e) {
  t.check("no unexpected exception", false, e && e.stack);
} finally {
  server.close();
}
t.summary();
process.exit(t.failed === 0 && t.passed >= 20 ? 0 : 1);
