#!/usr/bin/env python3
"""Live agreement test for `presign verify`: for a sample of valid and tampered presigned URLs, our
verdict equals a real server's — SeaweedFS for S3 (tests/servers/s3.sh), Azurite for Azure
(tests/servers/azurite.sh). Starts each server unless it is already running and stops only
what it started (by the scripts' stop).

Each sample is sent to the server exactly as given (raw path and query), then verified by the CLI
with the same method, headers and the current time. Server verdict: accepted unless it answers
403 (or 400 for a malformed signature parameter); ours: exit 0. The two must agree, and the
sample must get the verdict it was built for (valid or not), so agreement on "everything passes"
or "everything fails" cannot hide a broken side.

Not sampled, because the servers are known to be laxer than the spec (tests/servers/README.md):
a region other than the server's and an X-Amz-Date in the future (SeaweedFS accepts both).

Run:  /tmp/presign-servers/py/venv/bin/python tests/verify_live_servers.py   (PRESIGN_BIN overrides the
binary: `cargo build --release --features cli`)
Prints one line per check and ends with "N passed, M failed"; exit status 1 on any failure.
"""

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import sys

from harness import (SERVERS_PREFIX, check, flip_first, iso, replace_param, require_presign, send, server, sign,
                     summary, utc_now, verify)
from harness import AWS_EXAMPLE_KEY_ID as AK, AWS_EXAMPLE_SECRET as SK
from harness import AZURITE_ACCOUNT as ACC, AZURITE_KEY as AZ_KEY, AZURITE_WRONG_KEY as WRONG_KEY
from harness import AZURITE_OID as OID, AZURITE_TID as TID, AZURITE_UDK_BASIC as UDK_BASIC

BUCKET = "presign-verify-live"

AZ_ENDPOINT = "http://127.0.0.1:10000"
CONTAINER = "presign-verify-live"

KEYS = ["plain.txt", "with space.txt", "plus+sign=equals.txt", "question?mark#hash.txt",
        "unicode-caf\u00e9.txt", "folder/sub folder/\U0001F600.txt", "sub-delims!*'()&;,$@:.txt"]


def agree(label, url, method, headers, body, env, want_valid, extra=()):
    status, h, data = send(method, url, headers, body)
    server_ok = status not in (400, 403)
    rc, verdict, _ = verify(url, method, headers or {}, env, extra)
    our_ok = rc == 0
    code = verdict.get("error", {}).get("code", "valid" if our_ok else "?")
    err = h.get("x-ms-error-code") or (re.search(rb"<Code>([^<]*)</Code>", data or b"") or [b"", b""])[1].decode()
    check(
        f"{label}: server {status} {err}, ours {code}",
        server_ok == our_ok == want_valid,
        f"expected {'valid' if want_valid else 'refused'}; {verdict}",
    )


# --- S3 / SeaweedFS ----------------------------------------------------------------------------


def s3_req(method, key, endpoint, secret=SK, **extra):
    r = {"provider": "s3", "method": method, "bucket": BUCKET, "key": key, "region": "us-east-1",
         "endpoint": endpoint, "urlStyle": "path", "credentials": {"accessKeyId": AK, "secretAccessKey": secret}}
    r.update(extra)
    return r


def s3_run(endpoint):
    import boto3
    import botocore.config

    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=AK,
                      aws_secret_access_key=SK, config=botocore.config.Config(signature_version="s3v4", s3={"addressing_style": "path"}))
    try:
        s3.create_bucket(Bucket=BUCKET)
    except (s3.exceptions.BucketAlreadyOwnedByYou, s3.exceptions.BucketAlreadyExists):
        pass
    env = {"AWS_ACCESS_KEY_ID": AK, "AWS_SECRET_ACCESS_KEY": SK}
    ct = {"Content-Type": "text/plain; charset=utf-8"}
    for key in KEYS:
        put, get, head, delete = sign([s3_req("PUT", key, endpoint, headers=ct), s3_req("GET", key, endpoint),
                                       s3_req("HEAD", key, endpoint), s3_req("DELETE", key, endpoint)])
        body = f"body of {key!r}".encode()
        agree(f"S3 PUT {key!r}", put["url"], "PUT", put["headers"], body, env, True)
        agree(f"S3 GET {key!r}", get["url"], "GET", {}, None, env, True)
        agree(f"S3 HEAD {key!r}", head["url"], "HEAD", {}, None, env, True)
        agree(f"S3 GET {key!r} tampered signature", replace_param(get["url"], "X-Amz-Signature", flip_first), "GET", {},
              None, env, False)
        agree(f"S3 GET {key!r} X-Amz-Expires changed", replace_param(get["url"], "X-Amz-Expires", "60"),
              "GET", {}, None, env, False)
        agree(f"S3 GET {key!r} other key", get["url"].replace("?", "x?", 1), "GET", {}, None, env, False)
        agree(f"S3 PUT {key!r} content-type changed", put["url"], "PUT", {"Content-Type": "text/html"}, body, env,
              False)
        agree(f"S3 PUT {key!r} as GET", put["url"], "GET", {}, None, env, False)
        agree(f"S3 DELETE {key!r}", delete["url"], "DELETE", {}, None, env, True)
    wrong, expired, week = sign([
        s3_req("GET", "plain.txt", endpoint, secret=SK[::-1]),
        s3_req("GET", "plain.txt", endpoint, expiresIn=60, signedAt=iso(utc_now() - dt.timedelta(seconds=120))),
        s3_req("GET", "plain.txt", endpoint, expiresIn=604800),
    ])
    agree("S3 GET wrong secret", wrong["url"], "GET", {}, None, env, False)
    agree("S3 GET expired", expired["url"], "GET", {}, None, env, False)
    agree("S3 GET 7-day URL", week["url"], "GET", {}, None, env, True)
    agree("S3 GET 7 days + 1 s", replace_param(week["url"], "X-Amz-Expires", "604801"), "GET", {}, None,
          env, False)
    # A URL made by boto3 (not by us) against the same server.
    url = s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "by boto3.txt"}, ExpiresIn=300)
    agree("S3 boto3 GET (object missing: 404 after auth)", url, "GET", {}, None, env, True)
    agree("S3 boto3 GET tampered", replace_param(url, "X-Amz-Signature", flip_first), "GET", {}, None, env, False)


def s3_live():
    try:
        with server("s3") as env:
            s3_run(env.get("S3_ENDPOINT", "http://127.0.0.1:8333"))
    except Exception as e:  # a crash (or no server) is a failure, not a silent stop
        check("the S3 part ran to the end", False, f"{type(e).__name__}: {e}")


# --- Azure / Azurite ---------------------------------------------------------------------------


def az_req(method, blob, key=AZ_KEY, **extra):
    r = {"provider": "azure", "method": method, "account": ACC, "endpoint": AZ_ENDPOINT, "container": CONTAINER,
         "blob": blob, "credentials": {"accountKey": key}}
    r.update(extra)
    return r


def udk(skv):
    skt, ske = iso(utc_now() - dt.timedelta(minutes=30)), iso(utc_now() + dt.timedelta(hours=1))
    msg = "\n".join([OID, TID, skt, ske, "b", skv]).encode()
    value = base64.b64encode(hmac.new(UDK_BASIC.encode(), msg, hashlib.sha256).digest()).decode()
    return {"signedOid": OID, "signedTid": TID, "signedStart": skt, "signedExpiry": ske, "signedService": "b",
            "signedVersion": skv, "value": value}


def az_run():
    env = {"AZURE_STORAGE_ACCOUNT": ACC, "AZURE_STORAGE_KEY": AZ_KEY}
    for blob in KEYS:
        put, get, head, read_only, delete = sign([
            az_req("PUT", blob), az_req("GET", blob), az_req("HEAD", blob), az_req("GET", blob, permissions="r"),
            az_req("DELETE", blob)])
        body = f"body of {blob!r}".encode()
        agree(f"Azure PUT {blob!r}", put["url"], "PUT", put["headers"], body, env, True)
        agree(f"Azure GET {blob!r}", get["url"], "GET", {}, None, env, True)
        agree(f"Azure HEAD {blob!r}", head["url"], "HEAD", {}, None, env, True)
        agree(f"Azure GET {blob!r} tampered sig", replace_param(get["url"], "sig", flip_first), "GET", {}, None, env, False)
        agree(f"Azure GET {blob!r} sp changed", replace_param(get["url"], "sp", "rw"), "GET", {}, None, env,
              False)
        agree(f"Azure GET {blob!r} other blob", get["url"].replace("?", "x?", 1), "GET", {}, None, env, False)
        agree(f"Azure PUT {blob!r} with sp=r", read_only["url"], "PUT", {"x-ms-blob-type": "BlockBlob"}, body, env,
              False)
        agree(f"Azure DELETE {blob!r}", delete["url"], "DELETE", {}, None, env, True)

    # Other kinds, keys and times (each on a blob that exists).
    seed, = sign([az_req("PUT", "seed.txt")])
    send("PUT", seed["url"], seed["headers"], b"seed")
    t = utc_now()
    cases = [
        ("wrong key", az_req("GET", "seed.txt", key=WRONG_KEY), False),
        ("expired", az_req("GET", "seed.txt", startsOn=iso(t - dt.timedelta(hours=2)),
                           expiresOn=iso(t - dt.timedelta(hours=1)),
                           signedAt=iso(t - dt.timedelta(hours=3))), False),
        ("not yet valid (st in an hour)", az_req("GET", "seed.txt", startsOn=iso(t + dt.timedelta(hours=1)),
                                                  expiresOn=iso(t + dt.timedelta(hours=2))), False),
        ("st a minute ago", az_req("GET", "seed.txt", startsOn=iso(t - dt.timedelta(minutes=1))), True),
        ("container SAS read", az_req("GET", "seed.txt", resource="container", permissions="r"), True),
        ("container SAS write-only used to read", az_req("GET", "seed.txt", resource="container",
                                                         permissions="w"), False),
        ("account SAS read", az_req("GET", "seed.txt", sas="account", permissions="r"), True),
        ("account SAS without object type", az_req("GET", "seed.txt", sas="account", permissions="r",
                                                   resourceTypes="sc"), False),
        ("account SAS for the queue service", az_req("GET", "seed.txt", sas="account", permissions="r",
                                                     services="q"), False),
        ("user delegation 2025-07-05", dict(az_req("GET", "seed.txt", version="2025-07-05", permissions="r"),
                                            credentials={"userDelegationKey": udk("2025-07-05")}), True),
        ("user delegation 2020-12-06", dict(az_req("GET", "seed.txt", version="2020-12-06", permissions="r"),
                                            credentials={"userDelegationKey": udk("2020-12-06")}), True),
        ("user delegation, sp=w used to read", dict(az_req("GET", "seed.txt", version="2025-07-05", permissions="w"),
                                                    credentials={"userDelegationKey": udk("2025-07-05")}), False),
    ]
    signed = sign([c[1] for c in cases])
    for (label, req, want), out in zip(cases, signed):
        extra, e = [], env
        key = req["credentials"].get("userDelegationKey")
        if key:
            path = os.path.join(SERVERS_PREFIX, "verify-live-udk.json")
            with open(path, "w") as f:
                json.dump(key, f)
            extra, e = ["--user-delegation-key", path], {}
        agree(f"Azure {label}", out["url"], "GET", {}, None, e, want, extra)
    # A SAS made by the official SDK.
    from azure.storage.blob import BlobSasPermissions, generate_blob_sas

    tok = generate_blob_sas(ACC, CONTAINER, "seed.txt", account_key=AZ_KEY, permission=BlobSasPermissions(read=True),
                            expiry=t + dt.timedelta(hours=1))
    url = f"{AZ_ENDPOINT}/{ACC}/{CONTAINER}/seed.txt?{tok}"
    agree("Azure SDK SAS GET", url, "GET", {}, None, env, True)
    agree("Azure SDK SAS PUT (sp=r)", url, "PUT", {"x-ms-blob-type": "BlockBlob"}, b"x", env, False)


def az_live():
    from azure.storage.blob import BlobServiceClient

    svc = None
    try:
        with server("azurite", {"AZURITE_PORT": "10000"}):
            try:
                svc = BlobServiceClient.from_connection_string(
                    f"DefaultEndpointsProtocol=http;AccountName={ACC};AccountKey={AZ_KEY};"
                    f"BlobEndpoint={AZ_ENDPOINT}/{ACC};",
                    api_version="2025-11-05")
                try:
                    svc.delete_container(CONTAINER)
                except Exception:
                    pass
                svc.create_container(CONTAINER)
                az_run()
            finally:
                if svc is not None:
                    try:
                        svc.delete_container(CONTAINER)
                    except Exception as e:
                        print(f"cleanup: {e}")
    except Exception as e:  # a crash (or no server) is a failure, not a silent stop
        check("the Azure part ran to the end", False, f"{type(e).__name__}: {e}")


def main():
    require_presign()
    s3_live()
    az_live()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
