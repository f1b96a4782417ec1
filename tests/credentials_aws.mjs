// presign/credentials' AWS helpers over real HTTP against moto (tests/servers/moto.sh, moto[server] on
// 127.0.0.1:5055): awsWebIdentityCredentials (STS AssumeRoleWithWebIdentity) and cognitoCredentials
// (Cognito Identity GetId + GetCredentialsForIdentity), from pkg/dist/credentials/node.js (pkg/build.sh).
//
// Checks: the helpers fetch moto's answers and resolve to { credentials, expiresAt } ready for an
// S3Request (ASIA key, session token, expiry DurationSeconds after now); the answer is cached until
// refreshMargin before its expiry, concurrent callers share one request, a refresh happens when the
// margin is reached, a failure is not cached; the token / logins functions are called per exchange;
// GetId runs once per provider (skipped with identityId); a user-supplied fetch replaces
// globalThis.fetch (it sees every request; its canned STS / Cognito error documents become
// SERVICE_ERROR with the service's code, without the token); moto's 90 s Cognito credentials with a 1 h
// URL follow credentialExpiry in presign/s3 (error, clamp).
// What moto does not prove: it checks neither the web-identity token, nor the role's trust policy, nor
// Logins (any token gets credentials); see docs/credentials.md.
//
// Run: node tests/credentials_aws.mjs   (after bash pkg/build.sh). Last line: "N passed, M failed".
import { assert, test, after } from "./support/harness.mjs";
import { execFileSync, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const MOTO_SH = join(ROOT, "tests/servers/moto.sh");
const { awsWebIdentityCredentials, cognitoCredentials, PresignError } = await import(pathToFileURL(join(ROOT, "pkg/dist/credentials/node.js")).href);
const { presign } = await import(pathToFileURL(join(ROOT, "pkg/dist/s3/node.js")).href);

const wasRunning = spawnSync("bash", [MOTO_SH, "status"]).status === 0;
const started = execFileSync("bash", [MOTO_SH, "start"], { encoding: "utf8" });
const MOTO = /^MOTO_ENDPOINT=(\S+)/m.exec(started)[1];
after(() => { if (!wasRunning) spawnSync("bash", [MOTO_SH, "stop"]); });

const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIiwiYXVkIjoic3RzLmFtYXpvbmF3cy5jb20ifQ.c2ln";
const ROLE = "arn:aws:iam::123456789012:role/web-uploader";
const REGION = "eu-west-1";

/** A fetch that records each request (target or form Action) and forwards it to the real one. */
function recording() {
  const seen = [];
  const f = async (url, init) => {
    seen.push({ url, target: init.headers["x-amz-target"], body: init.body });
    return fetch(url, init);
  };
  return { fetch: f, seen };
}

/** moto's CreateIdentityPool (moto reads the region from the Authorization scope and checks no signature). */
async function createPool() {
  const res = await fetch(MOTO + "/", {
    method: "POST",
    headers: {
      "x-amz-target": "AWSCognitoIdentityService.CreateIdentityPool",
      "content-type": "application/x-amz-json-1.1",
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261205/${REGION}/cognito-identity/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify({ IdentityPoolName: "uploads", AllowUnauthenticatedIdentities: true, SupportedLoginProviders: { "accounts.google.com": "client-1" } }),
  });
  const doc = await res.json();
  assert.equal(res.status, 200, JSON.stringify(doc));
  return doc.IdentityPoolId;
}

const seconds = (iso) => Date.parse(iso) / 1000;
const rejectsWith = async (p, code, serviceCode) => {
  const e = await p.then(() => null, (err) => err);
  assert.ok(e instanceof PresignError, String(e));
  assert.equal(e.code, code);
  if (serviceCode) assert.match(e.message, new RegExp(`"${serviceCode}"`));
  assert.doesNotMatch(e.message, /c2ln|SECRET-TOKEN/);
};

test("awsWebIdentityCredentials: moto's credentials, ready for an S3Request", async () => {
  const rec = recording();
  const get = awsWebIdentityCredentials({ roleArn: ROLE, webIdentityToken: JWT, durationSeconds: 1800, endpoint: MOTO, fetch: rec.fetch });
  const before = Date.now() / 1000;
  const r = await get();
  assert.match(r.credentials.accessKeyId, /^ASIA/);
  assert.ok(r.credentials.secretAccessKey.length >= 20 && r.credentials.sessionToken.length >= 20);
  assert.equal(r.credentials.expiresAt, r.expiresAt);
  assert.ok(Math.abs(seconds(r.expiresAt) - (before + 1800)) < 10, r.expiresAt);
  assert.equal(rec.seen.length, 1);
  assert.equal(rec.seen[0].url, MOTO + "/");
  assert.match(rec.seen[0].body, /^Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fweb-uploader&RoleSessionName=presign-\d+&WebIdentityToken=/);
  const { url } = presign({ provider: "s3", region: REGION, bucket: "uploads", key: "a.jpg", method: "PUT", expiresIn: 600, credentials: r.credentials });
  assert.equal(new URL(url).searchParams.get("X-Amz-Security-Token"), r.credentials.sessionToken);
});

test("awsWebIdentityCredentials: cached until refreshMargin before expiry; concurrent callers share one request", async () => {
  const rec = recording();
  const get = awsWebIdentityCredentials({ roleArn: ROLE, webIdentityToken: JWT, roleSessionName: "app-42", durationSeconds: 900, endpoint: MOTO, fetch: rec.fetch });
  const [a, b] = await Promise.all([get(), get()]);
  assert.equal(a, b);
  assert.equal(await get(), a);
  assert.equal(rec.seen.length, 1);
  assert.match(rec.seen[0].body, /&RoleSessionName=app-42&/);
  // A margin longer than the credentials' life: every call asks again.
  const rec2 = recording();
  const eager = awsWebIdentityCredentials({ roleArn: ROLE, webIdentityToken: JWT, durationSeconds: 900, refreshMargin: 901_000, endpoint: MOTO, fetch: rec2.fetch });
  const c = await eager();
  const d = await eager();
  assert.notEqual(c.credentials.accessKeyId, d.credentials.accessKeyId);
  assert.equal(rec2.seen.length, 2);
});

test("awsWebIdentityCredentials: the token function is called per exchange", async () => {
  let calls = 0;
  const get = awsWebIdentityCredentials({ roleArn: ROLE, webIdentityToken: async () => `${JWT}${++calls}`, durationSeconds: 900, refreshMargin: 901_000, endpoint: MOTO });
  await get();
  await get();
  assert.equal(calls, 2);
});

test("awsWebIdentityCredentials: a user-supplied fetch; STS's error document is SERVICE_ERROR and not cached", async () => {
  let n = 0;
  const userFetch = async (url, init) => {
    if (n++ === 0) {
      // STS's error document (https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html).
      return new Response(`<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>Couldn't retrieve verification key from your identity provider</Message></Error><RequestId>1</RequestId></ErrorResponse>`, { status: 400 });
    }
    return fetch(url, init);
  };
  const get = awsWebIdentityCredentials({ roleArn: ROLE, webIdentityToken: "SECRET-TOKEN-1234", endpoint: MOTO, fetch: userFetch });
  await rejectsWith(get(), "SERVICE_ERROR", "InvalidIdentityToken");
  const r = await get();
  assert.match(r.credentials.accessKeyId, /^ASIA/);
  assert.equal(n, 2);
});

test("awsWebIdentityCredentials: bad options are errors before any request", async () => {
  const rec = recording();
  await rejectsWith(awsWebIdentityCredentials({ roleArn: "role", webIdentityToken: JWT, endpoint: MOTO, fetch: rec.fetch })(), "INVALID_REQUEST");
  await rejectsWith(awsWebIdentityCredentials({ roleArn: ROLE, webIdentityToken: JWT, durationSeconds: 60, endpoint: MOTO, fetch: rec.fetch })(), "INVALID_REQUEST");
  await rejectsWith(awsWebIdentityCredentials({ roleArn: ROLE, webIdentityToken: "", endpoint: MOTO, fetch: rec.fetch })(), "INVALID_CREDENTIALS");
  assert.equal(rec.seen.length, 0);
});

test("cognitoCredentials: GetId once, then GetCredentialsForIdentity; moto's 90 s credentials", async () => {
  const pool = await createPool();
  const rec = recording();
  let loginCalls = 0;
  const logins = () => { loginCalls++; return { "accounts.google.com": JWT, "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdE": "tok\"en/ü" }; };
  const get = cognitoCredentials({ identityPoolId: pool, logins, endpoint: MOTO, fetch: rec.fetch });
  const a = await get();
  // moto names the identity after the region of the request's signature scope (us-east-1 when unsigned).
  assert.match(a.identityId, /^[a-z0-9-]+:[0-9a-f-]{36}$/);
  assert.ok(a.credentials.accessKeyId && a.credentials.secretAccessKey && a.credentials.sessionToken);
  assert.equal(a.credentials.expiresAt, a.expiresAt);
  const life = seconds(a.expiresAt) - Date.now() / 1000;
  assert.ok(life > 60 && life <= 91, `${life}`);
  // 90 s is within the default 5 min margin: the next call refreshes, without a second GetId.
  const b = await get();
  assert.equal(b.identityId, a.identityId);
  assert.deepEqual(rec.seen.map((s) => s.target), ["AWSCognitoIdentityService.GetId", "AWSCognitoIdentityService.GetCredentialsForIdentity", "AWSCognitoIdentityService.GetCredentialsForIdentity"]);
  assert.equal(loginCalls, 2);
  assert.deepEqual(JSON.parse(rec.seen[0].body), { IdentityPoolId: pool, Logins: logins() });
  // With a 10 s margin the answer is kept.
  const rec2 = recording();
  const kept = cognitoCredentials({ identityPoolId: pool, logins, endpoint: MOTO, refreshMargin: 10_000, fetch: rec2.fetch });
  const c = await kept();
  assert.equal(await kept(), c);
  assert.equal(rec2.seen.length, 2);
  // A known identity skips GetId; a guest sends no Logins.
  const rec3 = recording();
  await cognitoCredentials({ identityPoolId: pool, identityId: a.identityId, endpoint: MOTO, fetch: rec3.fetch })();
  assert.deepEqual(rec3.seen.map((s) => s.target), ["AWSCognitoIdentityService.GetCredentialsForIdentity"]);
  assert.deepEqual(JSON.parse(rec3.seen[0].body), { IdentityId: a.identityId });
});

test("cognitoCredentials: the credentials follow credentialExpiry in presign/s3", async () => {
  const pool = await createPool();
  const { credentials } = await cognitoCredentials({ identityPoolId: pool, endpoint: MOTO })();
  const req = { provider: "s3", region: REGION, bucket: "uploads", key: "a.jpg", method: "PUT", expiresIn: 3600, credentials };
  assert.throws(() => presign({ ...req, credentialExpiry: "error" }), (e) => e.code.startsWith("CREDENTIALS_EXPIRE"));
  const { url } = presign({ ...req, credentialExpiry: "clamp" });
  assert.ok(Number(new URL(url).searchParams.get("X-Amz-Expires")) <= 90, url);
  const warned = presign(req);
  assert.ok(warned.warnings.some((w) => w.code === "CREDENTIALS_EXPIRE_FIRST"), JSON.stringify(warned.warnings));
});

test("cognitoCredentials: a user-supplied fetch; Cognito's error document is SERVICE_ERROR", async () => {
  // The awsJson1_1 error document (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/CommonErrors.html).
  const userFetch = async () => new Response(JSON.stringify({ __type: "com.amazonaws.cognito.identity.model#NotAuthorizedException", message: "Logins don't match. Please include at least one valid login for this identity or identity pool." }), { status: 400 });
  await rejectsWith(cognitoCredentials({ identityPoolId: "eu-west-1:x", logins: { "accounts.google.com": "SECRET-TOKEN-1234" }, endpoint: MOTO, fetch: userFetch })(), "SERVICE_ERROR", "NotAuthorizedException");
  await rejectsWith(cognitoCredentials({ identityPoolId: "no-region", endpoint: MOTO, fetch: userFetch })(), "INVALID_REQUEST");
});
