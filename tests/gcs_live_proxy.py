"""Live test: GCS V4 signed URLs from the `presign` CLI against fake-gcs-server behind
gcs_verify_proxy.py (tests/servers/gcs.sh). fake-gcs-server checks no signature; the proxy in
front of it verifies GOOG4-RSA-SHA256 (cross-checked there with google-cloud-storage) and
GOOG4-HMAC-SHA256, the signed headers and the expiry, then forwards the request unchanged.

Starts the servers (unless they already run; then they are left running), stops them at the
end. Every URL comes from `$PRESIGN_BIN batch` (default target/release/presign, built with
`cargo build --release --features cli`), path style, http, endpoint = the proxy. Everything below
runs twice: with the service-account key gcs.sh generated (GOOG4-RSA-SHA256) and with the HMAC key
the proxy knows (GOOG4-HMAC-SHA256).

Positive: PUT with the returned headers (a signed content-type), then GET (body and content-type)
and DELETE, for hostile object names; the stored name is checked through the emulator's JSON API.
Negative, each next to a control that works: a tampered signature, the URL used for another object,
a changed X-Goog-Expires, PUT with a GET URL, a signed content-type sent different, an expired URL,
a wrong key; x-goog-content-length-range sent as signed / missing / widened.

Prints one line per check and ends with "N passed, M failed"; exit status 1 on any failure.
Run: /tmp/presign-servers/py/venv/bin/python tests/gcs_live_proxy.py
"""

import datetime
import json
import os
import re
import sys
import urllib.parse

from harness import (TESTS, check, flip_last, iso, replace_param, require_presign, send, server, sign, summary,
                     utc_now, with_path)

# Google's published dummy key: a valid RSA key the proxy does not trust for our service account.
OTHER_KEY_FILE = os.path.join(TESTS, "vectors", "gcs", "test_service_account.not-a-test.json")
CONTENT_TYPE = "text/plain; charset=utf-8"

# The CLI must not pick up ambient Google configuration.

HOSTILE_NAMES = [
    "plain.txt",
    "with space.txt",
    "two  spaces .txt",
    "plus+sign=equals.txt",
    "percent%20literal%.txt",
    "question?mark.txt",
    "hash#tag.txt",
    "sub-delims!*'()&;,$@:.txt",
    "tilde~and_under-score.txt",
    "folder/sub folder/file.txt",
    "unicode-caf\u00e9-nfc.txt",
    "unicode-cafe\u0301-nfd.txt",
    "emoji-\U0001F600.txt",
    "\u65e5\u672c\u8a9e/\u30d5\u30a1\u30a4\u30eb.txt",
    "brackets[]{}<>|^`\\.txt",
    "double//slash.txt",
    "/leading-slash.txt",
]
# fake-gcs-server cleans the path before storing ("double//slash.txt" is kept as "double/slash.txt",
# "/leading-slash.txt" as "leading-slash.txt"); real GCS keeps names verbatim. The signature is
# still verified over the name as sent, so PUT/GET/DELETE are checked; only the stored-name check is
# skipped for these. (A name ending in "/" is accepted on PUT but never served back by the
# filesystem backend, so it is left out.)
SERVER_NORMALISES = {"double//slash.txt", "/leading-slash.txt"}



def note(text):
    print("note " + text)


def error_code(data):
    m = re.search(rb"<Code>([^<]*)</Code>", data)
    return m.group(1).decode() if m else ""


def json_api(emulator, method, path, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    return send(method, emulator + path, headers, None if body is None else json.dumps(body).encode())


def stored_names(emulator, bucket):
    """Object names as the emulator lists them (JSON API, no signature involved)."""
    names, token = [], ""
    while True:
        q = "?pageToken=" + urllib.parse.quote(token, safe="") if token else ""
        st, _, data = json_api(emulator, "GET", f"/storage/v1/b/{bucket}/o{q}")
        assert st == 200, (st, data[:300])
        doc = json.loads(data)
        names += [o["name"] for o in doc.get("items", [])]
        token = doc.get("nextPageToken", "")
        if not token:
            return names


def fresh_bucket(emulator, bucket):
    st, _, data = json_api(emulator, "POST", "/storage/v1/b?project=test-project", {"name": bucket})
    assert st in (200, 409), (st, data[:300])
    for name in stored_names(emulator, bucket):
        st, _, _ = json_api(emulator, "DELETE", f"/storage/v1/b/{bucket}/o/" + urllib.parse.quote(name, safe=""))
        assert st in (200, 204, 404), st


def main():
    require_presign()
    try:
        with server("gcs") as env:
            run(env)
    except Exception as e:  # a crash is one more failure, and the summary line still comes
        check("the test ran to the end", False, repr(e))
    return summary()


def run(env):
    proxy = env["GCS_ENDPOINT"]
    emulator = env["GCS_EMULATOR_ENDPOINT"]
    with open(env["GCS_SERVICE_ACCOUNT_JSON"], encoding="utf-8") as f:
        service_account = json.load(f)
    with open(OTHER_KEY_FILE, encoding="utf-8") as f:
        other_key = json.load(f)["private_key"]
    hmac_id, hmac_secret = env["GCS_HMAC_ACCESS_ID"], env["GCS_HMAC_SECRET"]
    # The proxy only trusts these two identities; the wrong-key variants keep the identity and
    # change the key material.
    schemes = [
        (
            "rsa",
            "GOOG4-RSA-SHA256",
            {"serviceAccount": service_account},
            {"serviceAccount": dict(service_account, private_key=other_key)},
        ),
        (
            "hmac",
            "GOOG4-HMAC-SHA256",
            {"hmac": {"accessId": hmac_id, "secret": hmac_secret}},
            {"hmac": {"accessId": hmac_id, "secret": ("A" if hmac_secret[0] != "A" else "B") + hmac_secret[1:]}},
        ),
    ]
    for label, algorithm, creds, wrong_creds in schemes:
        print(f"== {label}: {algorithm}")
        run_scheme(label, algorithm, creds, wrong_creds, proxy, emulator)


def run_scheme(label, algorithm, creds, wrong_creds, proxy, emulator):
    bucket = f"presign-live-{label}"
    fresh_bucket(emulator, bucket)

    def req(method, name, credentials=creds, **extra):
        r = {
            "provider": "gcs",
            "method": method,
            "bucket": bucket,
            "object": name,
            "endpoint": proxy,
            "urlStyle": "path",
            "credentials": credentials,
        }
        r.update(extra)
        return r

    # --- positive: PUT with the returned headers, stored name, GET, DELETE per hostile name ------
    for name in HOSTILE_NAMES:
        body = f"{label} body of {name!r}".encode()
        put, get, delete = sign(
            [
                req("PUT", name, headers={"Content-Type": CONTENT_TYPE}),
                req("GET", name),
                req("DELETE", name),
            ]
        )
        if name == HOSTILE_NAMES[0]:
            check(
                f"[{label}] URL is path style on the proxy, signed with {algorithm}",
                put["url"].startswith(f"{proxy}/{bucket}/{name}?X-Goog-Algorithm={algorithm}&"),
                put["url"],
            )
            check(
                f"[{label}] PUT result lists exactly the signed content-type",
                put["headers"] == {"content-type": CONTENT_TYPE} and put["method"] == "PUT",
                str(put),
            )
        st, _, data = send("PUT", put["url"], put["headers"], body)
        check(f"[{label}] PUT {name!r}", st == 200, f"{st} {data[:300]!r}")
        if name not in SERVER_NORMALISES:
            names = stored_names(emulator, bucket)
            check(f"[{label}] stored under the exact name {name!r}", name in names, f"listed {names}")
        st, h, data = send("GET", get["url"])
        check(
            f"[{label}] GET {name!r} (body, content-type as signed)",
            st == 200 and data == body and h.get("content-type") == CONTENT_TYPE,
            f"{st} {h.get('content-type')} {data[:300]!r}",
        )
        st, _, data = send("DELETE", delete["url"])
        check(f"[{label}] DELETE {name!r}", st in (200, 204), f"{st} {data[:300]!r}")
        st, _, data = send("GET", get["url"])
        check(f"[{label}] GET after DELETE {name!r} is 404", st == 404, f"{st} {data[:300]!r}")

    # --- negatives, each next to its control --------------------------------------------------
    target, other = "target object+1.txt", "other object+1.txt"
    ten_min_ago = iso(utc_now() - datetime.timedelta(minutes=10))
    (put_target, put_other, good, other_get, wrong_key, expired, old_but_valid, typed, ranged) = sign(
        [
            req("PUT", target),
            req("PUT", other),
            req("GET", target, expiresIn=600),
            req("GET", other),
            req("GET", target, credentials=wrong_creds),
            req("GET", target, expiresIn=60, signedAt=ten_min_ago),
            req("GET", target, expiresIn=3600, signedAt=ten_min_ago),
            req("PUT", "typed.txt", headers={"content-type": "image/png"}),
            req("PUT", "ranged.bin", headers={"x-goog-content-length-range": "0,5"}),
        ]
    )
    def works(text, response, ok=True):
        st, _, data = response
        check(f"[{label}] control: {text} works", st == 200 and ok, f"{st} {data[:300]!r}")

    def refused(text, response, status=403, code="SignatureDoesNotMatch"):
        st, _, data = response
        check(f"[{label}] {text} refused ({status} {code})", st == status and error_code(data) == code, f"{st} {data[:300]!r}")

    works("PUT with a PUT URL", send("PUT", put_target["url"], put_target["headers"], b"secret content"))
    send("PUT", put_other["url"], put_other["headers"], b"other content")

    r = send("GET", good["url"])
    works("the untouched GET URL", r, r[2] == b"secret content")
    refused("tampered signature", send("GET", replace_param(good["url"], "X-Goog-Signature", flip_last)))
    refused("changed X-Goog-Expires", send("GET", replace_param(good["url"], "X-Goog-Expires", "601")))

    r = send("GET", other_get["url"])
    works("the other object with its own URL", r, r[2] == b"other content")
    other_path = urllib.parse.urlsplit(other_get["url"]).path
    refused("URL used for another object", send("GET", with_path(good["url"], other_path)))

    refused("PUT with a GET URL", send("PUT", good["url"], {}, b"overwrite attempt"))
    r = send("GET", good["url"])
    works("GET after the refused PUT (object unchanged)", r, r[2] == b"secret content")

    refused("same identity, wrong key", send("GET", wrong_key["url"]))

    works("signed 10 min ago for 3600 s", send("GET", old_but_valid["url"]))
    refused("signed 10 min ago for 60 s (expired)", send("GET", expired["url"]), 400, "ExpiredToken")

    works("signed content-type sent as signed", send("PUT", typed["url"], typed["headers"], b"png?"),
          typed["headers"] == {"content-type": "image/png"})
    refused("signed content-type sent different", send("PUT", typed["url"], {"Content-Type": "text/html"}, b"<p>"))

    works("x-goog-content-length-range sent as signed", send("PUT", ranged["url"], ranged["headers"], b"12345"),
          ranged["headers"] == {"x-goog-content-length-range": "0,5"})
    refused("x-goog-content-length-range left out", send("PUT", ranged["url"], {}, b"12345"))
    refused("x-goog-content-length-range widened",
            send("PUT", ranged["url"], {"x-goog-content-length-range": "0,1000000"}, b"12345"))
    st, _, data = send("PUT", ranged["url"], ranged["headers"], b"123456")
    if st == 200:
        note(f"[{label}] a 6-byte body under a signed range 0,5 is stored (200): neither the proxy nor "
             "fake-gcs-server enforces the range (GCS documents 400 for a size outside it); not counted")
    else:
        check(f"[{label}] body outside the signed x-goog-content-length-range refused", st == 400, f"{st} {data[:300]!r}")


if __name__ == "__main__":
    sys.exit(main())
