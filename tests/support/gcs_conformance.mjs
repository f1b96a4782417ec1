// Google's V4 conformance cases (tests/vectors/gcs/v4_signatures.json) said through the request
// schema: one mapping for the JS tests that sign them (npm_vectors.mjs signs with WebCrypto,
// credentials_gcs.mjs and gcs_live_signblob.py through a signBlob signer).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
export const VECTORS = JSON.parse(readFileSync(join(ROOT, "tests/vectors/gcs/v4_signatures.json"), "utf8"));
/** Google's dummy service-account key the cases are signed with. */
export const KEY = JSON.parse(readFileSync(join(ROOT, "tests/vectors/gcs/test_service_account.not-a-test.json"), "utf8"));

/** The URL request of signing case `t` with `credentials`, or null for a case whose client
 * hostname, emulator or universe fields have no one-to-one schema member (tests/gcs_vectors.rs maps those). */
export function urlRequest(t, credentials) {
  if (t.hostname || t.emulatorHostname || t.clientEndpoint || t.universeDomain) return null;
  const req = {
    provider: "gcs", method: t.method, bucket: t.bucket, expiresIn: Number(t.expiration), signedAt: t.timestamp,
    credentials,
  };
  if (t.object !== undefined) req.object = t.object;
  if (t.headers) req.headers = t.headers;
  if (t.queryParameters) req.query = t.queryParameters;
  if (t.scheme) req.scheme = t.scheme;
  if (t.urlStyle === "VIRTUAL_HOSTED_STYLE") req.urlStyle = "virtualHosted";
  if (t.urlStyle === "BUCKET_BOUND_HOSTNAME") {
    req.urlStyle = "bucketBound";
    req.bucketBoundHostname = t.bucketBoundHostname;
  }
  return req;
}

const FIELD_MEMBERS = {
  acl: "acl", "cache-control": "cacheControl", "content-disposition": "contentDisposition",
  "content-encoding": "contentEncoding", "content-type": "contentType",
  success_action_status: "successActionStatus", success_action_redirect: "successActionRedirect",
};

/** The POST-policy request of case `t` (postPolicyV4Tests) with `credentials`. */
export function postRequest(t, credentials) {
  const i = t.policyInput;
  const req = {
    provider: "gcs", bucket: i.bucket, key: i.object, expiresIn: Number(i.expiration), signedAt: i.timestamp,
    scheme: i.scheme, credentials,
  };
  if (i.urlStyle === "VIRTUAL_HOSTED_STYLE") req.urlStyle = "virtualHosted";
  if (i.urlStyle === "BUCKET_BOUND_HOSTNAME") {
    req.urlStyle = "bucketBound";
    req.bucketBoundHostname = i.bucketBoundHostname;
  }
  for (const [name, value] of Object.entries(i.fields || {})) {
    if (name.startsWith("x-goog-meta-")) (req.metadata ||= {})[name.slice(12)] = value;
    else if (name === "success_action_status") req.successActionStatus = Number(value);
    else req[FIELD_MEMBERS[name]] = value;
  }
  const c = i.conditions || {};
  if (c.startsWith) req.startsWith = { [c.startsWith[0].replace(/^\$/, "")]: c.startsWith[1] };
  if (c.contentLengthRange) req.contentLengthRange = { min: c.contentLengthRange[0], max: c.contentLengthRange[1] };
  return req;
}

/** A form's fields as an object, after checking each name comes once. */
export function fieldsObject(fields) {
  const o = Object.fromEntries(fields);
  if (Object.keys(o).length !== fields.length) throw new Error(`a field repeats: ${JSON.stringify(fields)}`);
  return o;
}
