"""Live test: GCS V4 signed URLs and POST policies signed without a private key, through the IAM
Credentials signBlob method, as Cloud Run / GKE / Workload Identity Federation sign them. Google's
service cannot run here: tests/servers/signblob.sh starts a local stand-in (signblob.py) that signs
with the test service accounts' keys (RSASSA-PKCS1-v1_5 / SHA-256, as IAM does with a
Google-managed key), checks the bearer token and answers Google's error documents.

Signing goes through the npm package (pkg/dist, `bash pkg/build.sh`): `gcsSignBlobSigner` with
`presignAsync` / `presignPostAsync` (tests/support/gcs_signblob_sign.mjs); the wasm core builds the
string to sign and the signBlob request, the JS driver sends it with fetch.

  (a) Google's V4 conformance cases (tests/vectors/gcs), URLs and POST policies, signed through
      signBlob with the conformance key: the URL (and every form field) equals Google's expected.
  (b) fake-gcs-server behind the verifying proxy (tests/servers/gcs.sh): PUT then GET through URLs
      signed through signBlob for gcs.sh's service account are accepted; a tampered signature is
      refused beside its working control. No local server checks POST policies: a form signed
      through signBlob has its x-goog-signature verified here over its policy with the account's
      public key (and a tampered policy refused).
  (c) google-cloud-storage's own signBlob path (generate_signed_url(version="v4",
      service_account_email=..., access_token=...), which posts to iamcredentials through
      google.auth's requests transport) pointed at the same stand-in: the SDK hard-codes
      https://iamcredentials.googleapis.com, so `_signing.requests` is replaced by a transport that
      rewrites that prefix to the stand-in's URL and changes nothing else. For the generated cases of
      tests/gcs_py_diff.py (group A) the URLs are byte-identical to presign's, and the signBlob
      request the SDK sent (path, JSON body, content type) equals presign's.
  (e) The Rust crate's exchange with a bring-your-own HTTP client (examples/gcs_sign_blob.rs, run
      with cargo): its PUT and GET URLs are accepted by the proxy, a tampered one refused.
  (d) Errors: a wrong token (401 UNAUTHENTICATED) and an unknown account (404 NOT_FOUND) reject with
      SERVICE_ERROR carrying Google's status, without the token.

Run under the live lock (fixed ports: gcs 4443/4444, the stand-in 4450):
  flock /tmp/presign-live.lock /tmp/presign-servers/py/venv/bin/python tests/gcs_live_signblob.py
Last line "N passed, M failed"; exit status 1 on any failure.
"""

import base64
import json
import os
import subprocess
import sys
import types

import gcs_py_diff as diff  # the SDK case generator (group A) and the SDK's frozen clock
from harness import ROOT, TESTS, check, send, server, summary

from cryptography.exceptions import InvalidSignature  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding  # noqa: E402
from google.auth.transport import requests as google_requests  # noqa: E402
from google.cloud.storage import _signing  # noqa: E402

N_SDK = 120
SIGNER = os.path.join(TESTS, "support", "gcs_signblob_sign.mjs")
IAM = "https://iamcredentials.googleapis.com/"
ENTRIES = ["credentials", "main", "post"]  # what tests/support/gcs_signblob_sign.mjs imports


def js_sign(signer, urls=(), posts=(), conformance=False):
    inp = {"signer": signer, "urls": list(urls), "posts": list(posts), "conformance": conformance}
    out = subprocess.run(["node", SIGNER], input=json.dumps(inp), capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise RuntimeError(f"gcs_signblob_sign.mjs failed: {out.stderr[-1500:]}")
    return json.loads(out.stdout)


def last_request(endpoint):
    st, _, data = send("GET", endpoint + "/_last")
    assert st == 200, st
    return json.loads(data)


def main():
    missing = [e for e in ENTRIES
               if not os.path.exists(os.path.join(ROOT, "pkg", "dist", e, "server", f"presign_{e}.js"))]
    if missing:
        # .ci/test-all runs the live tests before it builds the npm package: build the entries used.
        print(f"pkg/dist lacks {missing}: PRESIGN_ENTRIES=\"{' '.join(ENTRIES)}\" bash pkg/build.sh")
        subprocess.run(["bash", os.path.join(ROOT, "pkg", "build.sh")], check=True, stdout=subprocess.DEVNULL,
                       env=dict(os.environ, PRESIGN_ENTRIES=" ".join(ENTRIES)))
    try:
        # gcs.sh first: it makes the service-account key the proxy trusts, which the stand-in loads.
        with server("gcs") as gcs, server("signblob") as sb:
            run(gcs, sb)
    except Exception as e:  # a crash is one more failure, and the summary line still comes
        check("the test ran to the end", False, repr(e))
    return summary()


def run(gcs, sb):
    endpoint, token = sb["SIGNBLOB_ENDPOINT"], sb["SIGNBLOB_TOKEN"]
    with open(gcs["GCS_SERVICE_ACCOUNT_JSON"], encoding="utf-8") as f:
        sa = json.load(f)
    vectors_signer = {"serviceAccountEmail": diff.CLIENT_EMAIL, "accessToken": token, "endpoint": endpoint}
    proxy_signer = {"serviceAccountEmail": sa["client_email"], "accessToken": token, "endpoint": endpoint}

    print("== (a) Google's conformance cases through signBlob")
    out = js_sign(vectors_signer, conformance=True)
    for c in out["conformance"]:
        got, want = c["got"], c["want"]
        if c["description"].startswith("post:"):
            ok = isinstance(got, dict) and got.get("url") == want["url"] and got.get("fields") == want["fields"]
        else:
            ok = got == want
        check(f"(a) {c['description']}", ok, f"got {json.dumps(got)[:300]}")
    check("(a) at least 20 conformance cases ran", len(out["conformance"]) >= 20, str(len(out["conformance"])))

    print("== (b) the verifying proxy")
    run_proxy(gcs, proxy_signer, sa)

    print("== (e) the Rust crate with its own HTTP client (examples/gcs_sign_blob.rs)")
    run_rust_example(gcs, endpoint, token, sa)

    print("== (c) google-cloud-storage's signBlob path, byte for byte")
    run_sdk(endpoint, token, vectors_signer)

    print("== (d) error documents")
    bad_token = dict(vectors_signer, accessToken="ya29.WRONGTOKEN")
    unknown = dict(vectors_signer, serviceAccountEmail="nobody@dummy-project-id.iam.gserviceaccount.com")
    req = {"provider": "gcs", "bucket": "my-bucket", "object": "o"}
    r = js_sign(bad_token, urls=[req])["urls"][0]
    err = r.get("error", {})
    check("(d) a wrong token: SERVICE_ERROR with UNAUTHENTICATED, token not echoed",
          err.get("code") == "SERVICE_ERROR" and "UNAUTHENTICATED" in err.get("message", "")
          and "401" in err.get("message", "") and "WRONGTOKEN" not in json.dumps(r), json.dumps(r))
    r = js_sign(unknown, urls=[req])["urls"][0]
    err = r.get("error", {})
    check("(d) an unknown account: SERVICE_ERROR with NOT_FOUND",
          err.get("code") == "SERVICE_ERROR" and "NOT_FOUND" in err.get("message", ""), json.dumps(r))
    r = js_sign(vectors_signer, urls=[req])["urls"][0]
    check("(d) control: the same request with the right token and account signs", "url" in r, json.dumps(r))


def run_proxy(gcs, signer, sa):
    proxy, emulator = gcs["GCS_ENDPOINT"], gcs["GCS_EMULATOR_ENDPOINT"]
    bucket = "presign-live-signblob"
    st, _, data = send("POST", emulator + "/storage/v1/b?project=test-project", {"Content-Type": "application/json"},
                       json.dumps({"name": bucket}).encode())
    check("(b) bucket created in the emulator", st in (200, 409), f"{st} {data[:200]!r}")
    base = {"provider": "gcs", "bucket": bucket, "endpoint": proxy, "urlStyle": "path"}
    names = ["signblob plain.txt", "sign blob/caf\u00e9 \U0001F600+1.txt"]
    reqs = []
    for name in names:
        reqs += [dict(base, method="PUT", object=name, headers={"Content-Type": "text/plain"}),
                 dict(base, method="GET", object=name)]
    post = dict(base, key="form/upload.txt", contentLengthRange={"min": 0, "max": 1024}, expiresIn=600)
    out = js_sign(signer, urls=reqs, posts=[post])
    urls = out["urls"]
    for i, name in enumerate(names):
        put, get = urls[2 * i], urls[2 * i + 1]
        if "url" not in put or "url" not in get:
            check(f"(b) signed {name!r}", False, json.dumps([put, get])[:400])
            continue
        check(f"(b) {name!r}: GOOG4-RSA-SHA256 credential is the signBlob account",
              "X-Goog-Algorithm=GOOG4-RSA-SHA256" in put["url"]
              and "X-Goog-Credential=" + sa["client_email"].replace("@", "%40") in put["url"], put["url"])
        body = f"signBlob body of {name}".encode()
        st, _, data = send("PUT", put["url"], put["headers"], body)
        check(f"(b) PUT {name!r} accepted by the proxy", st == 200, f"{st} {data[:300]!r}")
        st, _, data = send("GET", get["url"])
        check(f"(b) GET {name!r} accepted, body as stored", st == 200 and data == body, f"{st} {data[:300]!r}")
        tampered = diff_last_hex(get["url"])
        st, _, data = send("GET", tampered)
        check(f"(b) GET {name!r} with a tampered signature refused (403)", st == 403, f"{st} {data[:300]!r}")
        st, _, _ = send("GET", get["url"])
        check(f"(b) control after the tampered one: GET {name!r} still accepted", st == 200, str(st))

    form = out["posts"][0]
    if "fields" not in form:
        check("(b) POST policy signed", False, json.dumps(form)[:400])
        return
    fields = dict(form["fields"])
    public = serialization.load_pem_private_key(sa["private_key"].encode(), password=None).public_key()

    def verifies(policy, sig_hex):
        try:
            public.verify(bytes.fromhex(sig_hex), policy.encode(), padding.PKCS1v15(), hashes.SHA256())
            return True
        except (InvalidSignature, ValueError):
            return False

    policy = fields.get("policy", "")
    doc = json.loads(base64.b64decode(policy))
    check("(b) POST policy: GOOG4-RSA-SHA256 by the signBlob account",
          fields.get("x-goog-algorithm") == "GOOG4-RSA-SHA256"
          and fields.get("x-goog-credential", "").startswith(sa["client_email"] + "/"), json.dumps(fields)[:400])
    check("(b) POST policy: x-goog-signature verifies over the policy with the account's public key",
          verifies(policy, fields.get("x-goog-signature", "")), json.dumps(fields)[:400])
    tampered = base64.b64encode(json.dumps(dict(doc, expiration="2099-01-01T00:00:00Z")).encode()).decode()
    check("(b) POST policy: the signature does not verify over a tampered policy",
          not verifies(tampered, fields.get("x-goog-signature", "")), tampered)


def run_rust_example(gcs, endpoint, token, sa):
    proxy = gcs["GCS_ENDPOINT"]
    bucket, name = "presign-live-signblob", "rust example/\u00e9t\u00e9.txt"

    def sign(method):
        out = subprocess.run(
            ["cargo", "run", "--quiet", "--example", "gcs_sign_blob", "--", endpoint, sa["client_email"], method,
             bucket, name, proxy],
            cwd=ROOT, capture_output=True, text=True, timeout=900, env=dict(os.environ, GCS_ACCESS_TOKEN=token))
        if out.returncode != 0:
            raise RuntimeError(f"the example failed: {out.stderr[-1500:]}")
        return out.stdout.split("\n")[0]

    put, get = sign("PUT"), sign("GET")
    body = b"signed through the Rust crate's signBlob exchange"
    st, _, data = send("PUT", put, {}, body)
    check("(e) PUT through the Rust example's URL accepted by the proxy", st == 200, f"{st} {data[:300]!r} {put}")
    st, _, data = send("GET", get)
    check("(e) GET through the Rust example's URL, body as stored", st == 200 and data == body, f"{st} {data[:300]!r}")
    st, _, data = send("GET", diff_last_hex(get))
    check("(e) the same GET with a tampered signature refused (403)", st == 403, f"{st} {data[:300]!r}")


def diff_last_hex(url):
    """The URL with the signature's last hex digit changed."""
    return url[:-1] + ("0" if url[-1] != "0" else "1")


class RedirectingRequest(google_requests.Request):
    """google.auth's requests transport, with the IAM Credentials prefix sent to the stand-in."""

    target = None
    calls = 0

    def __call__(self, url, method="GET", body=None, headers=None, timeout=None, **kwargs):
        if not url.startswith(IAM):
            raise RuntimeError(f"unexpected URL from the SDK: {url}")
        RedirectingRequest.calls += 1
        return super().__call__(self.target + "/" + url[len(IAM):], method, body, headers, timeout, **kwargs)


def run_sdk(endpoint, token, signer):
    RedirectingRequest.target = endpoint
    if not hasattr(_signing, "requests") or not hasattr(_signing, "_sign_message"):
        sys.exit("google.cloud.storage._signing no longer has requests/_sign_message: update this test")
    _signing.requests = types.SimpleNamespace(Request=RedirectingRequest)
    rng = diff.random.Random(diff.SEED)
    cases, bucket_level_skipped = [], 0
    while len(cases) < N_SDK:
        c, sdk, bucket_level, instant = diff.sdk_case(rng)
        if bucket_level:  # Bucket.generate_signed_url has no service_account_email / access_token
            bucket_level_skipped += 1
            continue
        sdk = dict(sdk, service_account_email=diff.CLIENT_EMAIL, access_token=token)
        cases.append((c, sdk, bucket_level, instant))
    ours = js_sign(signer, urls=[c for c, *_ in cases])["urls"]
    # The request presign sent for the last URL, to compare with the SDK's.
    same_request = 0
    for i, ((c, sdk, bucket_level, instant), got) in enumerate(zip(cases, ours)):
        before = RedirectingRequest.calls
        want = diff.sdk_url(sdk, c["bucket"], c.get("object"), bucket_level, instant)
        sdk_req = last_request(endpoint)
        via_sign_blob = RedirectingRequest.calls == before + 1
        ok = via_sign_blob and got.get("url") == want
        check(f"(c) case {i} {c['method']} {c['bucket']}/{c.get('object', '')!r}: URL equals the SDK's", ok,
              f"signBlob calls {RedirectingRequest.calls - before}\n  ours {got.get('url', got)}\n  sdk  {want}")
        if i < 5:
            # Re-sign this case with presign and read the request it sent.
            js_sign(signer, urls=[c])
            ours_req = last_request(endpoint)
            same = (ours_req["path"] == sdk_req["path"]
                    and json.loads(ours_req["body"]) == json.loads(sdk_req["body"])
                    and ours_req["headers"].get("content-type") == sdk_req["headers"].get("content-type")
                    and ours_req["headers"].get("authorization") == sdk_req["headers"].get("authorization"))
            same_request += same
            check(f"(c) case {i}: presign's signBlob request equals the SDK's (path, JSON body, content type, bearer)",
                  same, f"\n  ours {ours_req}\n  sdk  {sdk_req}")
    print(f"note: {len(cases)} SDK cases from tests/gcs_py_diff.py's generator (seed {diff.SEED}; "
          f"{bucket_level_skipped} bucket-level cases skipped: the SDK signs those only with a key); "
          f"{same_request} signBlob requests compared")


if __name__ == "__main__":
    sys.exit(main())
