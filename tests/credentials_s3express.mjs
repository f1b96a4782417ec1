// presign/credentials' S3 Express helpers (pkg/dist/credentials/node.js, built by pkg/build.sh):
// s3ExpressSession / s3ExpressSessionProvider with a stub `fetch` and Date.now frozen at the instant of
// the botocore vector (nothing leaves the process).
//
// What it proves: the helper sends, through the given fetch, the CreateSession request botocore 1.44.18
// sends for the same bucket, credentials and instant (URL, x-amz-date, x-amz-content-sha256 and the
// Authorization signature, taken from botocore with a stubbed CreateSession; see
// tests/s3express_py_diff.py for 240 generated cases through the same wasm); it reads the answer into
// `{ credentials, expiresAt }` ready for an S3Request (and the URL presign/s3express signs with them is
// botocore's, while presign/s3 refuses the directory bucket with UNSUPPORTED); an S3
// error document becomes a SERVICE_ERROR PresignError without the secret; the provider shares one
// request and refreshes `refreshMargin` before the session ends. What it does not prove: that AWS accepts
// the request (no directory bucket is reachable here).
//
// Run: node tests/credentials_s3express.mjs   (after bash pkg/build.sh). Last line: "N passed, M failed".
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { tally } from "./support/demo_stack.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const { s3ExpressSession, s3ExpressSessionProvider, PresignError } = await import(pathToFileURL(join(ROOT, "pkg/dist/credentials/node.js")).href);
const { presign } = await import(pathToFileURL(join(ROOT, "pkg/dist/s3express/node.js")).href);
const { presign: s3Presign } = await import(pathToFileURL(join(ROOT, "pkg/dist/s3/node.js")).href);
const t = tally();

let now = Date.parse("2026-11-24T10:00:00Z");
Date.now = () => now;
const BUCKET = "mybucket--usw2-az1--x-s3";
const IAM = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const SESSION_XML = '<?xml version="1.0" encoding="UTF-8"?>\n<CreateSessionResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Credentials><SessionToken>TOKEN/+=abc</SessionToken><SecretAccessKey>sessSecret/+x</SecretAccessKey><AccessKeyId>ASIASESSIONKEY</AccessKeyId><Expiration>2026-11-24T10:05:00Z</Expiration></Credentials></CreateSessionResult>';
const seen = [];
let answer = { status: 200, body: SESSION_XML };
const fetch = async (url, init) => {
  seen.push({ url, ...init });
  return new Response(answer.body, { status: answer.status });
};

try {
  const s = await s3ExpressSession({ bucket: BUCKET, region: "us-west-2", credentials: IAM, fetch });
  const sent = seen[0];
  t.check("CreateSession: botocore's URL and method",
    sent.url === `https://${BUCKET}.s3express-usw2-az1.us-west-2.amazonaws.com/?session` && sent.method === "GET", JSON.stringify(sent));
  t.check("CreateSession: botocore's signed headers and Authorization",
    sent.headers["x-amz-date"] === "20261124T100000Z"
    && sent.headers["x-amz-content-sha256"] === "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    && sent.headers.authorization === "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261124/us-west-2/s3express/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=dab7d9d4631641035a7af602b1a3bec2b010b53ca9a0fb0b78ac8a741655aaeb"
    && sent.body === undefined, JSON.stringify(sent.headers));
  t.check("the answer: session credentials and expiresAt",
    s.credentials.accessKeyId === "ASIASESSIONKEY" && s.credentials.sessionToken === "TOKEN/+=abc"
    && s.credentials.expiresAt === "2026-11-24T10:05:00Z" && s.expiresAt === "2026-11-24T10:05:00Z", JSON.stringify(s));
  const { url } = presign({ provider: "s3", method: "GET", bucket: BUCKET, key: "a b/c", region: "us-west-2", credentials: s.credentials, expiresIn: 600 });
  t.check("a URL signed with them is botocore's (canonical parameter order)",
    url.includes("X-Amz-S3session-Token=TOKEN%2F%2B%3Dabc&") && url.endsWith("X-Amz-Signature=bb25e6d317ca8116a6b14f3da4334d57b08c36a7e8d75e2e90a5bae5ab5e47c3"), url);
  // presign/s3 (built without the feature s3express) refuses the directory bucket, naming the entry
  // that signs it, instead of signing it for the general endpoint.
  let refused;
  try { s3Presign({ provider: "s3", method: "GET", bucket: BUCKET, key: "a b/c", region: "us-west-2", credentials: s.credentials, expiresIn: 600 }); } catch (e) { refused = e; }
  t.check("presign/s3 refuses a directory bucket: UNSUPPORTED naming presign/s3express",
    refused instanceof PresignError && refused.code === "UNSUPPORTED" && /presign\/s3express/.test(refused.message), refused && `${refused.code} ${refused.message}`);
  const ro = seen.length;
  await s3ExpressSession({ bucket: BUCKET, region: "us-west-2", credentials: { ...IAM, sessionToken: "STS-TOKEN" }, sessionMode: "ReadOnly", fetch });
  const h = seen[ro].headers;
  t.check("STS credentials and sessionMode: x-amz-security-token and x-amz-create-session-mode, signed",
    h["x-amz-security-token"] === "STS-TOKEN" && h["x-amz-create-session-mode"] === "ReadOnly"
    && h.authorization.includes("SignedHeaders=host;x-amz-content-sha256;x-amz-create-session-mode;x-amz-date;x-amz-security-token"), JSON.stringify(h));

  // S3's error document (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
  answer = { status: 403, body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>' };
  let err;
  try { await s3ExpressSession({ bucket: BUCKET, region: "us-west-2", credentials: IAM, fetch }); } catch (e) { err = e; }
  t.check("an error document: SERVICE_ERROR with S3's code, no secret",
    err instanceof PresignError && err.code === "SERVICE_ERROR" && /AccessDenied/.test(err.message) && !/wJalr/.test(err.message), err && err.message);
  err = undefined;
  try { await s3ExpressSession({ bucket: "general-bucket", credentials: IAM, fetch }); } catch (e) { err = e; }
  t.check("a bucket that is not a directory bucket: INVALID_BUCKET before any request", err && err.code === "INVALID_BUCKET", err && err.message);

  // The provider: one request for concurrent callers, refreshed a minute before the session ends.
  answer = { status: 200, body: SESSION_XML };
  const get = s3ExpressSessionProvider({ bucket: BUCKET, region: "us-west-2", credentials: IAM, fetch });
  const before = seen.length;
  const [a, b] = await Promise.all([get(), get()]);
  now += 3 * 60e3; // 10:03, two minutes left: still cached
  const c = await get();
  t.check("provider: one request, cached while more than refreshMargin is left", seen.length === before + 1 && a === b && a === c);
  now += 61e3; // 10:04:01, less than a minute left
  await get();
  t.check("provider: a new CreateSession within refreshMargin of the end", seen.length === before + 2);
} catch (e) {
  t.check("no unexpected exception", false, e && e.stack);
}
t.summary();
process.exit(t.failed === 0 && t.passed >= 10 ? 0 : 1);
