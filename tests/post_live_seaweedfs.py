"""Live test: browser form uploads (S3 SigV4 POST policies) from `presign post --json-request` against
SeaweedFS, which verifies POST policies: signature, expiry, starts-with, content-length-range
(tests/servers/s3.sh; see tests/servers/README.md). Starts the server unless it is already running, and stops it at
the end only if this test started it.

The form is posted as a browser posts FormData: the returned fields in order, fields the policy leaves
open (content-type for a content-type prefix), then the file last (python-requests multipart).

Positive: a prefix form stores the upload under the key with ${filename} replaced by the file's name
(hostile names too), with the signed metadata, cache-control and content type; an exact-key form stores
under exactly that key; success_action_status is honoured. Stored keys are checked with boto3
(an independent client).
Negative, each beside a working control posted with the same form: file over / under the
content-length-range, content type outside the prefix, key outside the prefix, key changed on an
exact-key form, tampered signature, tampered policy, a field the policy does not cover, expired policy,
wrong secret. Every refusal must also leave nothing stored.

What the SDKs' Fields + Conditions express (issue 16): a pre-filled content-type under a starts-with
condition (accepted as signed and when changed within the prefix, refused outside it); the SDK shapes in
the caller's order with an x-ignore-* field and an ["eq", ...] condition the browser supplies; exact
conditions without a form field (accepted when the browser sends the field as signed, refused when it is
missing or different); anyKey (an upload at the bucket's root). ${filename} in the middle of a key,
signed as boto3 does (an exact key condition): SeaweedFS replaces ${filename} in the key field with the
file part's name *before* it checks the policy, so the exact condition refuses every upload except one
whose file is literally named "${filename}" (the check records both); hence the result's warning.

GCS: no local server verifies GCS POST policies (fake-gcs-server accepts anything; the verifying
proxy checks signed URLs only), so GCS forms are checked by Google's 11 conformance vectors
(tests/post_vectors.rs) and against google-cloud-storage (tests/post_py_diff.py), not live.

Prints one line per check and ends with "N passed, M failed"; exit status 1 on any failure.
"""

import base64
import datetime
import json
import re
import sys

import requests

from harness import check, iso, require_presign, server, sign_forms, summary, utc_now
from harness import AWS_EXAMPLE_KEY_ID as AK, AWS_EXAMPLE_SECRET as SK

BUCKET = "presign-post-live"
PREFIX = "post live/"


def form_req(endpoint, secret=SK, **policy):
    r = {
        "provider": "s3",
        "bucket": BUCKET,
        "region": "us-east-1",
        "endpoint": endpoint,
        "urlStyle": "path",
        "credentials": {"accessKeyId": AK, "secretAccessKey": secret},
    }
    r.update(policy)
    return r


def post(form, filename, body, content_type="text/plain", fields=None, extra=(), file_type=None):
    """Posts like a browser: the form's fields in order, open fields, then the file."""
    data = list(fields if fields is not None else form["fields"]) + list(extra)
    if content_type is not None:
        data.append(("content-type", content_type))
    file_type = file_type or content_type or "application/octet-stream"
    r = requests.post(form["url"], data=data, files={"file": (filename, body, file_type)},
                      timeout=30, allow_redirects=False)
    code = re.search(r"<Code>([^<]+)</Code>", r.text)
    return r.status_code, (code.group(1) if code else ""), r


def replaced(form, name, value):
    return [(n, value if n == name else v) for n, v in form["fields"]]


def without(form, name):
    return [(n, v) for n, v in form["fields"] if n != name]


def main():
    require_presign()
    with server("s3") as env:
        run(env["S3_ENDPOINT"])
    return summary()


def run(endpoint):
    import boto3
    import botocore.config

    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=AK,
                      aws_secret_access_key=SK, config=botocore.config.Config(s3={"addressing_style": "path"}))
    try:
        s3.create_bucket(Bucket=BUCKET)
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass

    def stored(key):
        try:
            return s3.get_object(Bucket=BUCKET, Key=key)
        except s3.exceptions.NoSuchKey:
            return None

    def refused(name, form, filename, body, want_status, want_code, **kw):
        """A refusal beside its control: the same form with a fresh file name must work first."""
        st, code, r = post(form, "control-" + filename, body if kw.get("control_body") is None else kw.pop("control_body"),
                           kw.pop("control_type", "text/plain"))
        check(f"control for '{name}': the untouched form works", st in (200, 201, 204), f"{st} {r.text[:200]}")
        st, code, r = post(form, filename, body, **kw)
        check(f"{name}: refused with {want_status} {want_code}", st == want_status and code == want_code,
              f"{st} {code} {r.text[:200]}")
        key = (kw.get("fields") and dict(kw["fields"]).get("key") or PREFIX + "${filename}").replace("${filename}", filename)
        check(f"{name}: nothing stored", stored(key) is None, key)

    now = utc_now()
    prefix_policy = {
        "keyPrefix": PREFIX,
        "contentLengthRange": {"min": 1, "max": 100},
        "contentTypePrefix": "text/",
        "successActionStatus": 201,
        "metadata": {"Owner": "alice"},
        "cacheControl": "max-age=60",
        "expiresIn": 600,
    }
    form, exact, expired, fresh, wrong_secret = sign_forms([
        form_req(endpoint, **prefix_policy),
        form_req(endpoint, key=PREFIX + "exact name.txt", expiresIn=600),
        form_req(endpoint, keyPrefix=PREFIX, expiresIn=60, signedAt=iso(now - datetime.timedelta(minutes=20))),
        form_req(endpoint, keyPrefix=PREFIX, expiresIn=60, signedAt=iso(now)),
        form_req(endpoint, secret=SK[:-1] + "X", keyPrefix=PREFIX),
    ])
    check("form action is the path-style bucket URL", form["url"] == f"{endpoint}/{BUCKET}", form["url"])

    # --- positive: ${filename} substitution, signed fields stored ------------------------------------
    for name in ["hello world.txt", "caf\u00e9 \U0001F600.txt", "plus+and&amp=.txt", "quote's (1).txt"]:
        body = f"body of {name}".encode()
        st, code, r = post(form, name, body)
        check(f"POST {name!r}: 201 (success_action_status)", st == 201, f"{st} {code} {r.text[:200]}")
        obj = stored(PREFIX + name)
        check(f"stored under the substituted key {PREFIX + name!r}", obj is not None and obj["Body"].read() == body,
              str([o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]))
        if name == "hello world.txt" and obj:
            check("signed metadata stored (x-amz-meta-owner)", obj["Metadata"] == {"owner": "alice"}, obj["Metadata"])
            check("signed cache-control stored", obj.get("CacheControl") == "max-age=60", obj.get("CacheControl"))
            check("content type within the prefix stored", obj.get("ContentType") == "text/plain", obj.get("ContentType"))

    st, code, r = post(exact, "whatever.bin", b"exact", content_type=None)
    obj = stored(PREFIX + "exact name.txt")
    check("exact-key form stores under exactly that key", st in (200, 204) and obj is not None and obj["Body"].read() == b"exact",
          f"{st} {code}")

    # --- negatives, each beside its control ------------------------------------------------------------
    refused("file over content-length-range max (101 > 100)", form, "big.txt", b"x" * 101, 400, "EntityTooLarge",
            control_body=b"x" * 100)
    refused("empty file under content-length-range min (0 < 1)", form, "empty.txt", b"", 400, "EntityTooSmall",
            control_body=b"x")
    refused("content type outside the starts-with prefix", form, "img.png", b"png", 403, "AccessDenied",
            content_type="image/png", control_type="text/csv")
    refused("key outside the key prefix", form, "out.txt", b"x", 403, "AccessDenied",
            fields=replaced(form, "key", "elsewhere/${filename}"))
    sig = dict(form["fields"])["x-amz-signature"]
    refused("tampered x-amz-signature", form, "sig.txt", b"x", 403, "SignatureDoesNotMatch",
            fields=replaced(form, "x-amz-signature", ("0" if sig[0] != "0" else "1") + sig[1:]))
    policy = base64.b64decode(dict(form["fields"])["policy"]).decode()
    loosened = base64.b64encode(policy.replace('"content-length-range", 1, 100', '"content-length-range", 1, 100000').encode()).decode()
    check("test setup: the loosened policy differs", loosened != dict(form["fields"])["policy"], policy)
    refused("tampered policy (size limit raised) with the original signature", form, "pol.txt", b"x" * 200, 403,
            "SignatureDoesNotMatch", fields=replaced(form, "policy", loosened), control_body=b"x" * 50)
    refused("a field the policy does not cover (x-amz-meta-extra)", form, "extra.txt", b"x", 403, "AccessDenied",
            extra=[("x-amz-meta-extra", "1")])
    refused("signed metadata changed", form, "meta.txt", b"x", 403, "AccessDenied",
            fields=replaced(form, "x-amz-meta-owner", "mallory"))

    st, code, r = post(exact, "ctl.bin", b"exact again", content_type=None)
    check("control: the exact-key form works again", st in (200, 204), f"{st} {code}")
    st, code, r = post(exact, "x.bin", b"x", content_type=None, fields=replaced(exact, "key", PREFIX + "other name.txt"))
    check("exact-key form with the key changed: refused 403 AccessDenied", st == 403 and code == "AccessDenied", f"{st} {code}")
    check("exact-key form with the key changed: nothing stored", stored(PREFIX + "other name.txt") is None)

    st, code, r = post(fresh, "fresh.txt", b"x")
    check("control: a policy signed now with a 60 s lifetime works", st in (200, 204), f"{st} {code} {r.text[:200]}")
    st, code, r = post(expired, "expired.txt", b"x")
    check("expired policy refused 403 AccessDenied", st == 403 and code == "AccessDenied", f"{st} {code} {r.text[:200]}")
    check("expired policy: nothing stored", stored(PREFIX + "expired.txt") is None)
    st, code, r = post(wrong_secret, "secret.txt", b"x")
    check("wrong secret refused 403 SignatureDoesNotMatch", st == 403 and code == "SignatureDoesNotMatch", f"{st} {code}")

    run_sdk_shapes(endpoint, stored)

    # --- clean up what this test stored ------------------------------------------------------------------
    for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=o["Key"])


def run_sdk_shapes(endpoint, stored):
    """What boto3's Fields + Conditions express (issue 16): a pre-filled field under a starts-with
    condition, exact conditions without a form field (the browser supplies the field), conditions
    in the caller's order, x-ignore-* fields, anyKey; and ${filename} in the middle of an exact key."""
    ok = lambda st: st in (200, 201, 204)  # noqa: E731
    prefilled, shaped, exact_only, middle, any_key = sign_forms([
        # the typed members: a default content type within the prefix
        form_req(endpoint, keyPrefix=PREFIX + "pre/", contentTypePrefix="text/", contentType="text/plain",
                 contentLengthRange={"min": 1, "max": 100}, expiresIn=600),
        # the SDKs' spelling, conditions in the caller's order (the size range last), an x-ignore-* field
        form_req(endpoint, key=PREFIX + "shaped/${filename}", expiresIn=600,
                 fields={"Content-Type": "text/csv", "x-ignore-note": "not in the policy"},
                 conditions=[["starts-with", "$Content-Type", "text/"], ["eq", "$x-amz-meta-color", "blue"],
                             ["content-length-range", 1, 100]]),
        # exact conditions only: the browser supplies content-type and x-amz-meta-tag
        form_req(endpoint, key=PREFIX + "exact-only.txt", expiresIn=600,
                 conditions=[{"Content-Type": "text/plain"}, {"x-amz-meta-tag": "blue"}]),
        # ${filename} in the middle: boto3's exact key condition
        form_req(endpoint, key=PREFIX + "mid-${filename}.txt", expiresIn=600),
        # any key in the bucket, said explicitly
        form_req(endpoint, anyKey=True, expiresIn=600),
    ])
    f = dict(prefilled["fields"])
    pol = json.loads(base64.b64decode(f["policy"]))
    check("pre-filled form: content-type field carries the default", f.get("content-type") == "text/plain", f)
    check("pre-filled form: its policy has the starts-with and no exact content-type condition",
          ["starts-with", "$content-type", "text/"] in pol["conditions"]
          and not any(isinstance(c, dict) and "content-type" in c for c in pol["conditions"]), pol)
    st, code, r = post(prefilled, "default.txt", b"pre-filled", content_type=None, file_type="text/plain")
    obj = stored(PREFIX + "pre/default.txt")
    check("pre-filled starts-with field as signed: accepted and stored with the default type",
          ok(st) and obj is not None and obj.get("ContentType") == "text/plain", f"{st} {code} {obj and obj.get('ContentType')}")
    st, code, r = post(prefilled, "changed.csv", b"changed", content_type=None, file_type="text/csv",
                       fields=replaced(prefilled, "content-type", "text/csv"))
    obj = stored(PREFIX + "pre/changed.csv")
    check("pre-filled field changed within the prefix (text/csv): accepted, stored as text/csv",
          ok(st) and obj is not None and obj.get("ContentType") == "text/csv", f"{st} {code} {r.text[:200]}")
    st, code, r = post(prefilled, "outside.png", b"png", content_type=None, file_type="image/png",
                       fields=replaced(prefilled, "content-type", "image/png"))
    check("pre-filled field changed outside the prefix (image/png): refused 403 AccessDenied",
          st == 403 and code == "AccessDenied", f"{st} {code} {r.text[:200]}")
    check("outside the prefix: nothing stored", stored(PREFIX + "pre/outside.png") is None)

    f = dict(shaped["fields"])
    pol = json.loads(base64.b64decode(f["policy"]))
    check("caller's conditions first, in the caller's order",
          pol["conditions"][:3] == [["starts-with", "$Content-Type", "text/"], ["eq", "$x-amz-meta-color", "blue"],
                                    ["content-length-range", 1, 100]], pol["conditions"][:4])
    check("x-ignore-* field in the form, not in the policy",
          f.get("x-ignore-note") == "not in the policy" and "x-ignore" not in json.dumps(pol), f)
    st, code, r = post(shaped, "shaped.csv", b"a,b", content_type=None, file_type="text/csv",
                       extra=[("x-amz-meta-color", "blue")])
    obj = stored(PREFIX + "shaped/shaped.csv")
    check("SDK-shaped form (pre-filled Content-Type, eq array supplied by the browser, x-ignore-* field): accepted",
          ok(st) and obj is not None and obj["Metadata"] == {"color": "blue"}, f"{st} {code} {r.text[:200]}")
    st, code, r = post(shaped, "shaped-big.csv", b"x" * 101, content_type=None, file_type="text/csv",
                       extra=[("x-amz-meta-color", "blue")])
    check("SDK-shaped form: the caller's content-length-range holds (101 > 100 refused)",
          st == 400 and code == "EntityTooLarge", f"{st} {code}")

    for name, extra, want in [
        ("both supplied as signed", [("Content-Type", "text/plain"), ("x-amz-meta-tag", "blue")], True),
        ("content-type missing", [("x-amz-meta-tag", "blue")], False),
        ("content-type different", [("Content-Type", "text/html"), ("x-amz-meta-tag", "blue")], False),
        ("x-amz-meta-tag missing", [("Content-Type", "text/plain")], False),
        ("x-amz-meta-tag different", [("Content-Type", "text/plain"), ("x-amz-meta-tag", "red")], False),
    ]:
        st, code, r = post(exact_only, "e.txt", b"exact-only " + name.encode(), content_type=None, file_type="text/plain",
                           extra=extra)
        obj = stored(PREFIX + "exact-only.txt")
        if want:
            check(f"exact-only conditions, {name}: accepted, stored with them",
                  ok(st) and obj is not None and obj.get("ContentType") == "text/plain" and obj["Metadata"] == {"tag": "blue"},
                  f"{st} {code} {r.text[:200]}")
            s3_delete(endpoint, PREFIX + "exact-only.txt")
        else:
            check(f"exact-only conditions, {name}: refused 403 AccessDenied, nothing stored",
                  st == 403 and code == "AccessDenied" and obj is None, f"{st} {code} {r.text[:200]}")

    # ${filename} in the middle of an exact key: how the server substitutes before checking.
    f = dict(middle["fields"])
    pol = json.loads(base64.b64decode(f["policy"]))
    check("middle ${filename}: exact key condition, as boto3 writes it",
          {"key": PREFIX + "mid-${filename}.txt"} in pol["conditions"], pol)
    check("middle ${filename}: the result warns (KEY_FILENAME_NOT_LAST)",
          [w["code"] for w in middle.get("warnings", [])] == ["KEY_FILENAME_NOT_LAST"], middle.get("warnings"))
    st, code, r = post(middle, "photo.jpg", b"mid", content_type=None)
    check("middle ${filename}, file photo.jpg: refused 403 AccessDenied (SeaweedFS substitutes, then checks the exact key)",
          st == 403 and code == "AccessDenied", f"{st} {code} {r.text[:200]}")
    check("middle ${filename}: nothing stored under the substituted key nor the template",
          stored(PREFIX + "mid-photo.jpg.txt") is None and stored(PREFIX + "mid-${filename}.txt") is None)
    st, code, r = post(middle, "${filename}", b"literal", content_type=None)
    obj = stored(PREFIX + "mid-${filename}.txt")
    check("middle ${filename}, a file literally named ${filename}: the only upload it accepts (substituted key = template)",
          ok(st) and obj is not None, f"{st} {code} {r.text[:200]}")

    f = dict(any_key["fields"])
    pol = json.loads(base64.b64decode(f["policy"]))
    check("anyKey: key field ${filename}, condition starts-with \"\"",
          f.get("key") == "${filename}" and ["starts-with", "$key", ""] in pol["conditions"], pol)
    st, code, r = post(any_key, "any-key-root.txt", b"anywhere", content_type=None)
    check("anyKey: an upload at the bucket's root is accepted", ok(st) and stored("any-key-root.txt") is not None,
          f"{st} {code} {r.text[:200]}")


def s3_delete(endpoint, key):
    import boto3
    import botocore.config

    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=AK, aws_secret_access_key=SK,
                 config=botocore.config.Config(s3={"addressing_style": "path"})).delete_object(Bucket=BUCKET, Key=key)


if __name__ == "__main__":
    sys.exit(main())
