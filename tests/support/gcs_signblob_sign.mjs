// Signs through the npm package's gcsSignBlobSigner (pkg/dist, built by pkg/build.sh), for Python
// tests (tests/gcs_live_signblob.py): reads one JSON object on stdin and prints one JSON object.
//
//   {"signer": {serviceAccountEmail, accessToken, endpoint}, "urls": [request...], "posts": [request...],
//    "conformance": true}
//   -> {"urls": [result | {"error"}...], "posts": [...], "conformance": [{"description", "got", "want"}...]}
//
// Each request's `credentials` is replaced by `{ signer }`. With "conformance", Google's V4 cases
// (tests/support/gcs_conformance.mjs) are signed through the signer too, with the signer's e-mail.
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fieldsObject, postRequest, urlRequest, VECTORS } from "./gcs_conformance.mjs";

const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const load = (dir) => import(pathToFileURL(join(ROOT, `pkg/dist/${dir}/node.js`)).href);
const { gcsSignBlobSigner } = await load("credentials");
const { presignAsync } = await load("main");
const { presignPostAsync } = await load("post");

let text = "";
for await (const chunk of process.stdin) text += chunk;
const input = JSON.parse(text);
const signer = gcsSignBlobSigner(input.signer);
const credentials = { signer };
const settle = (p) => p.then((r) => r, (e) => ({ error: { code: e.code || e.name, message: e.message } }));
const out = {};
out.urls = [];
for (const r of input.urls || []) out.urls.push(await settle(presignAsync({ ...r, credentials })));
out.posts = [];
for (const r of input.posts || []) out.posts.push(await settle(presignPostAsync({ ...r, credentials })));
if (input.conformance) {
  out.conformance = [];
  for (const t of VECTORS.signingV4Tests) {
    const req = urlRequest(t, credentials);
    if (!req) continue;
    const got = await settle(presignAsync(req));
    out.conformance.push({ description: `url: ${t.description}`, got: got.url || got, want: t.expectedUrl });
  }
  for (const t of VECTORS.postPolicyV4Tests) {
    const form = await settle(presignPostAsync(postRequest(t, credentials)));
    const got = form.fields ? { url: form.url, fields: fieldsObject(form.fields) } : form;
    out.conformance.push({ description: `post: ${t.description}`, got, want: t.policyOutput });
  }
}
process.stdout.write(JSON.stringify(out));
