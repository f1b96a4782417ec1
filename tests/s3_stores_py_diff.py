#!/usr/bin/env python3
"""Differential test of the store profiles: every profile's presigned URLs (`store` in the request)
against botocore configured as each store's documentation tells its users to configure it
(endpoint_url, region_name, addressing style, signature_version s3v4).

Cases are generated deterministically (odd keys: spaces, unicode, `+`, `%`, `~`, `//`, trailing
slashes; GET / PUT / UploadPart; signed Content-Length, Content-Type and checksum headers). Where the
store's documentation says it verifies the checksum or checks signed headers, our side asks through
`limits` (the signer must then produce exactly botocore's URL); otherwise through plain `headers`.
Per case: scheme + host, raw path, the query multiset, X-Amz-Signature exactly, our result's signed
headers = botocore's SignedHeaders minus host, and no warnings. botocore's clock is frozen
(harness.FrozenClock), every case checks botocore's X-Amz-Date.

A second part checks refusals: the limits a store does not enforce (documented in the store's pages;
restated here from those pages, not from our code) answer UNSUPPORTED, and R2 on a custom domain warns.

How users configure botocore per store (from the stores' pages cited in src/s3/store.rs):
- aws: region_name; no endpoint_url.  - r2: endpoint_url https://<ACCOUNT_ID>.r2.cloudflarestorage.com,
  region_name "auto".  - b2: endpoint_url https://s3.<region>.backblazeb2.com, region_name <region>.
- wasabi: endpoint_url https://s3.<region>.wasabisys.com.  - gcs-xml: endpoint_url
  https://storage.googleapis.com.  - minio, seaweedfs, custom: their own endpoint_url.
botocore's "auto" addressing with an endpoint_url is path style; ours is virtual-hosted when the bucket
allows it, so every case names the style on both sides.

Run:  /tmp/presign-servers/py/venv/bin/python tests/s3_stores_py_diff.py   (PRESIGN_BIN overrides)
Last line: "N passed, M failed"; exit status 1 when M > 0 or N < 300.
"""

import base64
import datetime
import hashlib
import json
import os
import random
import sys
import zlib
from collections import Counter
from urllib.parse import unquote, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import FrozenClock, check, isolate, parse_iso, run_presign, summary  # noqa: E402

CLEAN_ENV = isolate(("AWS_",), no_aws_files=True)

import boto3  # noqa: E402
import botocore.auth  # noqa: E402
import botocore.signers  # noqa: E402
from botocore.config import Config  # noqa: E402

SEED = 20261205
N_CASES = 400

CLOCK = FrozenClock()
CLOCK.patch(
    botocore.auth,
    "get_current_datetime",
    lambda remove_tzinfo=True: CLOCK() if remove_tzinfo else CLOCK().replace(tzinfo=datetime.timezone.utc),
)
# botocore's presigner sends "auto"-style aws URLs to the legacy global endpoint; cases name the
# style, and this switch keeps the regional endpoint for aws (see tests/s3_py_diff.py).
botocore.signers._should_use_global_endpoint = lambda client: False

INSTANTS = ["2026-11-24T10:00:00Z", "2024-02-29T23:59:59Z", "2031-07-04T12:34:56Z"]
CREDS = [("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
         ("0123456789abcdef0123456789abcdef", "f" * 64),  # R2-shaped token pair
         ("GOOGTS7C7FUP3AIRVJTE2BCDKINBTES3HC2GY5CBFJDCQ2SYHV6A6XXVTJFSA", "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ")]
KEYS = ["photo.jpg", "a b/c+d%e~f.txt", "ünïcødé/日本語.png", "dir//double/", "trailing/", "x?y#z&w=1",
        "emoji 😀.bin", "(paren) [bracket] {brace}", "a" * 200, "-_.!*'()", "tab\there"]
BUCKETS = ["my-bucket", "bkt123", "uploads-eu", "a1b2c3"]
TYPES = ["image/png", "application/octet-stream", "text/plain; charset=utf-8"]

# What each store's pages say it verifies on a presigned PutObject / UploadPart (see src/s3/store.rs
# for the links): R2's api page (Content-MD5) and the issue's measurements; AWS: Content-MD5.
VERIFIES = {
    ("r2", "put"): {"md5", "crc32", "crc32c", "crc64nvme", "sha1", "sha256"},
    ("r2", "part"): {"md5"},
    ("aws", "put"): {"md5"},
    ("aws", "part"): {"md5"},
    # SeaweedFS: measured live by tests/s3_live_limits.py (every algorithm, both operations).
    ("seaweedfs", "put"): {"md5", "crc32", "crc32c", "crc64nvme", "sha1", "sha256"},
    ("seaweedfs", "part"): {"md5", "crc32", "crc32c", "crc64nvme", "sha1", "sha256"},
}
# What R2 answers 501 to (the measurement on R2): a signed header it will refuse, which our
# signer must sign as asked and flag with a STORE_REFUSES_CHECKSUM warning.
REFUSES = {("r2", "part"): {"sha1", "sha256"}}
CHECKSUM = {"md5": ("ContentMD5", "content-md5", lambda b: hashlib.md5(b).digest()),
            "crc32": ("ChecksumCRC32", "x-amz-checksum-crc32", lambda b: zlib.crc32(b).to_bytes(4, "big")),
            "sha1": ("ChecksumSHA1", "x-amz-checksum-sha1", lambda b: hashlib.sha1(b).digest()),
            "sha256": ("ChecksumSHA256", "x-amz-checksum-sha256", lambda b: hashlib.sha256(b).digest())}


def target(rng, store):
    """(botocore endpoint_url, region_name, our request's endpoint members)."""
    if store == "aws":
        region = rng.choice(["us-east-1", "eu-west-1", "ap-southeast-2"])
        return None, region, {"region": region}
    if store == "r2":
        acct = "".join(rng.choice("0123456789abcdef") for _ in range(32))
        return f"https://{acct}.r2.cloudflarestorage.com", "auto", {"accountId": acct}
    if store == "b2":
        region = rng.choice(["us-west-004", "eu-central-003", "us-east-005"])
        return f"https://s3.{region}.backblazeb2.com", region, {"region": region}
    if store == "wasabi":
        region = rng.choice(["us-east-1", "eu-central-1", "ap-northeast-1"])
        return f"https://s3.{region}.wasabisys.com", region, {"region": region}
    if store == "gcs-xml":
        region = rng.choice(["us-east-1", "auto", "europe-west1"])
        return "https://storage.googleapis.com", region, {"region": region}
    ep = {"minio": ["http://127.0.0.1:9000", "https://minio.example.com"],
          "seaweedfs": ["http://127.0.0.1:8333", "http://seaweed.internal:8333"],
          "custom": ["https://s3.example.net", "http://10.0.0.7:9000/base"]}[store]
    e = rng.choice(ep)
    return e, "us-east-1", {"endpoint": e, "region": "us-east-1"}


def gen_case(rng, i):
    store = ["aws", "r2", "b2", "minio", "seaweedfs", "wasabi", "gcs-xml", "custom"][i % 8]
    endpoint_url, region, ours_ep = target(rng, store)
    bucket, key = rng.choice(BUCKETS), rng.choice(KEYS)
    ip_host = endpoint_url and urlsplit(endpoint_url).hostname.replace(".", "").isdigit()
    style = "path" if ip_host or (endpoint_url or "").rstrip("/").count("/") > 2 else rng.choice(["path", "virtual"])
    op = rng.choice(["get", "put", "put", "part"])
    access, secret = rng.choice(CREDS)
    req = {"provider": "s3", "store": store, "bucket": bucket, "key": key, "signedAt": rng.choice(INSTANTS),
           "expiresIn": rng.choice([1, 600, 3600, 86400, 604800]), "urlStyle": "path" if style == "path" else "virtualHosted",
           "credentials": {"accessKeyId": access, "secretAccessKey": secret}, **ours_ep}
    params = {"Bucket": bucket, "Key": key}
    client_method, method = {"get": ("get_object", "GET"), "put": ("put_object", "PUT"), "part": ("upload_part", "PUT")}[op]
    req["method"] = method
    if op == "part":
        pn, uid = rng.randint(1, 10000), "upload id/" + str(rng.getrandbits(40))
        params.update(PartNumber=pn, UploadId=uid)
        req["query"] = {"partNumber": str(pn), "uploadId": uid}
    headers, warn = {}, []
    if op != "get":
        body = str(rng.random()).encode()
        limits = {}
        if rng.random() < 0.7:
            n = rng.choice([0, 1, 5 * 1024 * 1024, rng.randint(1, 5 * 1024 ** 3)])
            params["ContentLength"] = n
            limits["size"] = n
            if rng.random() < 0.3:
                limits["maxSize"] = n + rng.randint(0, 10)
        if op == "put" and rng.random() < 0.5:
            t = rng.choice(TYPES)
            params["ContentType"] = t
            limits["contentType"] = t
        if rng.random() < 0.6:
            alg = rng.choice(list(CHECKSUM))
            pname, hname, fn = CHECKSUM[alg]
            v = base64.b64encode(fn(body)).decode()
            params[pname] = v
            if alg in VERIFIES.get((store, op), set()):
                limits["checksum"] = {"algorithm": alg, "value": v}
            else:
                headers[hname] = v
                if alg in REFUSES.get((store, op), set()):
                    warn = ["STORE_REFUSES_CHECKSUM"]
        if limits:
            req["limits"] = limits
        if headers:
            req["headers"] = headers
    return {"id": i, "store": store, "endpoint_url": endpoint_url, "region": region, "style": style,
            "creds": (access, secret), "warn": warn, "method": client_method, "http": method, "params": params, "request": req}


_CLIENTS = {}


def boto_url(case):
    ck = (case["endpoint_url"], case["region"], case["style"], case["creds"])
    c = _CLIENTS.get(ck)
    if c is None:
        cfg = Config(signature_version="s3v4", s3={"addressing_style": case["style"]},
                     request_checksum_calculation="when_required", response_checksum_validation="when_required")
        c = boto3.session.Session().client("s3", endpoint_url=case["endpoint_url"], region_name=case["region"],
                                           aws_access_key_id=case["creds"][0], aws_secret_access_key=case["creds"][1],
                                           config=cfg)
        _CLIENTS[ck] = c
    with CLOCK.at(parse_iso(case["request"]["signedAt"], tz=None)):
        return c.generate_presigned_url(case["method"], Params=case["params"],
                                        ExpiresIn=case["request"]["expiresIn"], HttpMethod=case["http"])


def pairs(q):
    return [(unquote(a), unquote(b)) for a, _, b in (p.partition("=") for p in q.split("&"))] if q else []


def compare(case, ours, burl):
    if "error" in ours:
        return [f"ours refused: {ours['error']}"]
    diffs = []
    o, b = urlsplit(ours["url"]), urlsplit(burl)
    if (o.scheme, o.netloc) != (b.scheme, b.netloc):
        diffs.append(f"authority {o.scheme}://{o.netloc} vs {b.scheme}://{b.netloc}")
    if o.path != b.path:
        diffs.append(f"path {o.path!r} vs {b.path!r}")
    oq, bq = pairs(o.query), pairs(b.query)
    if Counter(oq) != Counter(bq):
        diffs.append(f"query only ours {sorted((Counter(oq) - Counter(bq)).elements())} only boto {sorted((Counter(bq) - Counter(oq)).elements())}")
    date = case["request"]["signedAt"].replace("-", "").replace(":", "")
    if dict(bq).get("X-Amz-Date") != date:
        diffs.append("botocore did not sign at the frozen instant")
    signed = set(dict(bq).get("X-Amz-SignedHeaders", "").split(";")) - {"host"}
    if set(ours.get("headers", {})) != signed:
        diffs.append(f"headers {sorted(ours.get('headers', {}))} vs SignedHeaders {sorted(signed)}")
    got_warn = [w["code"] for w in ours.get("warnings", [])]
    if got_warn != case["warn"]:
        diffs.append(f"warnings {got_warn}, want {case['warn']}")
    return diffs


def refusals():
    """Limits the stores' pages say are not enforced must be refused, each beside an accepted control."""
    base = {"provider": "s3", "bucket": "b", "key": "k", "method": "PUT", "signedAt": INSTANTS[0],
            "credentials": {"accessKeyId": CREDS[0][0], "secretAccessKey": CREDS[0][1]}}
    sha = base64.b64encode(hashlib.sha256(b"x").digest()).decode()
    md5 = base64.b64encode(hashlib.md5(b"x").digest()).decode()
    part = {"query": {"partNumber": "1", "uploadId": "u"}}
    rows = [  # (name, request, expected error code or None for success, expected warning)
        ("r2 PutObject sha256 (verified)", {"store": "r2", "accountId": "abc", "limits": {"size": 1, "checksum": {"algorithm": "sha256", "value": sha}}}, None, None),
        ("r2 UploadPart sha256 (R2 answers 501)", {"store": "r2", "accountId": "abc", **part, "limits": {"size": 1, "checksum": {"algorithm": "sha256", "value": sha}}}, "UNSUPPORTED", None),
        ("r2 UploadPart md5 (verified)", {"store": "r2", "accountId": "abc", **part, "limits": {"size": 1, "checksum": {"algorithm": "md5", "value": md5}}}, None, None),
        ("r2 maxSize alone (no POST policy on R2)", {"store": "r2", "accountId": "abc", "limits": {"maxSize": 10}}, "UNSUPPORTED", None),
        ("r2 exact size (signed Content-Length)", {"store": "r2", "accountId": "abc", "limits": {"size": 10}}, None, None),
        ("aws sha256 on a presigned PUT (AWS documents Content-MD5)", {"limits": {"checksum": {"algorithm": "sha256", "value": sha}}}, "UNSUPPORTED", None),
        ("aws md5 on a presigned PUT", {"limits": {"checksum": {"algorithm": "md5", "value": md5}}}, None, None),
        ("b2 checksum (not documented)", {"store": "b2", "region": "us-west-004", "limits": {"checksum": {"algorithm": "md5", "value": md5}}}, "UNSUPPORTED", None),
        ("r2 custom domain warns", {"store": "r2", "endpoint": "https://cdn.example.com", "method": "GET"}, None, "STORE_CUSTOM_DOMAIN"),
        ("r2 API host does not warn", {"store": "r2", "accountId": "abc", "method": "GET"}, None, None),
    ]
    _, res, _ = run_presign(["batch"], [dict(base, **r) for _, r, _, _ in rows], env=CLEAN_ENV)
    for (name, _, code, warn), out in zip(rows, res):
        got_code = out.get("error", {}).get("code")
        got_warn = [w["code"] for w in out.get("warnings", [])]
        check(name, got_code == code and got_warn == ([warn] if warn else []), f"{out}")
    forms = [("post on r2 refused", {"store": "r2", "accountId": "abc"}, "UNSUPPORTED"),
             ("post on b2 refused", {"store": "b2", "region": "us-west-004"}, "UNSUPPORTED"),
             ("post with content-length-range on seaweedfs", {"store": "seaweedfs", "endpoint": "http://127.0.0.1:8333"}, None),
             ("post with content-length-range on aws", {}, None)]
    pbase = {"provider": "s3", "bucket": "b", "key": "k", "signedAt": INSTANTS[0], "contentLengthRange": {"min": 0, "max": 10},
             "credentials": base["credentials"]}
    _, res, _ = run_presign(["post", "--json-request"], [dict(pbase, **r) for _, r, _ in forms], env=CLEAN_ENV)
    for (name, _, code), out in zip(forms, res):
        check(name, out.get("error", {}).get("code") == code, f"{out}")


def main():
    rng = random.Random(SEED)
    cases = [gen_case(rng, i) for i in range(N_CASES)]
    _, ours, _ = run_presign(["batch"], [c["request"] for c in cases], env=CLEAN_ENV, ensure_ascii=False)
    shown = 0
    per_store = Counter()
    for case, o in zip(cases, ours):
        diffs = compare(case, o, boto_url(case))
        if not diffs:
            per_store[case["store"]] += 1
        elif shown < 5:
            shown += 1
            print(f"--- case {case['id']} ({case['store']}): {json.dumps(case['request'], ensure_ascii=False)}")
            for d in diffs:
                print("  DIFF", d)
        check(f"case {case['id']} {case['store']} {case['http']} {case['method']}", not diffs, "; ".join(diffs))
    print("matched botocore per store:", dict(sorted(per_store.items())))
    refusals()
    return summary(minimum=300)


if __name__ == "__main__":
    sys.exit(main())
