#!/usr/bin/env python3
"""Differential test: the upload steps (`presign upload-plan --json-request`) against the official
SDKs, for generated inputs (odd keys, sizes, part sizes, checksums, instants).

- S3 vs botocore: `generate_presigned_url` of create_multipart_upload (ContentType,
  ChecksumAlgorithm), upload_part (PartNumber, UploadId, ChecksumCRC32/CRC32C/CRC64NVME/SHA1/SHA256
  or ContentMD5), complete_multipart_upload (UploadId), abort_multipart_upload, list_parts, the clock
  frozen at the case's instant (botocore.auth.get_current_datetime; X-Amz-Date is checked too).
  Compared: the whole URL (host, raw path, the query as a multiset, X-Amz-Signature exactly), our
  method, and our headers equal to the ones botocore signed (X-Amz-SignedHeaders minus host, with
  the values the case gave botocore). The CompleteMultipartUpload body: byte for byte against
  botocore's rest-xml serializer for the same parts (botocore cannot presign it with its body).
- Azure vs azure-storage-blob: the SAS from `generate_blob_sas` (same permissions, expiry and
  version as ours), then `BlobClient.stage_block` (with validate_content: Content-MD5),
  `commit_block_list` and `get_block_list("uncommitted")` through a transport that captures the
  request instead of sending it. Compared: method, path, the query as a multiset (the SAS included,
  so `sig` exactly), our headers present in the SDK's request with the same values (the SDK also
  sends bookkeeping headers: x-ms-version, x-ms-date, user-agent, x-ms-client-request-id,
  content-length, accept, content-type), and the Put Block List body byte for byte. The block ids
  are ours (the SDK takes them from the caller).
- GCS vs google-cloud-storage: `Blob.generate_signed_url(version="v4")` with the test
  service-account key (RSA), for the create (`uploads`), part (`partNumber`, `uploadId`, signed
  `x-goog-hash`), complete, abort (DELETE) and list (GET) URLs, the clock frozen (`_signing._NOW`):
  the whole URL byte for byte, and our headers equal to the ones the SDK signed. The complete body
  against `XMLMPUContainer._prepare_finalize_request` (google.cloud.storage._media), and the part
  URL's path and step query against `XMLMPUPart._prepare_upload_request`'s URL.

Run:  /tmp/presign-servers/py/venv/bin/python tests/upload_py_diff.py   (PRESIGN_BIN overrides the
binary: `cargo build --release --features cli`)
Last line: "N passed, M failed"; exit status 1 when M > 0 or N < 300.
"""

import base64
import datetime
import hashlib
import json
import os
import random
import sys
from collections import Counter
from urllib.parse import unquote, urlsplit

from harness import TESTS, FrozenClock, isolate, parse_iso, run_presign, summary

CLEAN_ENV = isolate(("AWS_", "AZURE_", "GOOGLE_", "GCS_", "STORAGE_EMULATOR", "CLOUDSDK_"), no_aws_files=True)

import boto3  # noqa: E402
import botocore.auth  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.serialize import create_serializer  # noqa: E402
from azure.core.pipeline.transport import HttpTransport  # noqa: E402
from azure.storage.blob import BlobBlock, BlobClient, BlobSasPermissions, ContentSettings, generate_blob_sas  # noqa: E402
from google.cloud import storage  # noqa: E402
from google.cloud.storage import _signing  # noqa: E402
from google.cloud.storage._media import _upload as gmedia  # noqa: E402
from google.oauth2 import service_account  # noqa: E402

SEED = 20261205
N_CASES = int(os.environ.get("N_CASES", "40"))
SHOW = int(os.environ.get("SHOW_FAILURES", "5"))
MIB = 1 << 20

AWS_ID, AWS_SECRET = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
AZ_ACCOUNT = "devstoreaccount1"
AZ_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
KEY_FILE = os.path.join(TESTS, "vectors", "gcs", "test_service_account.not-a-test.json")

KEYS = [
    "big.bin", "videos/2026/a b.mp4", "caf\u00e9/\u65e5\u672c.iso", "x+y=z&w?.tar", "~tilde/(1).zip",
    "dir//double/slash", "\U0001f600.bin", "semi;colon:at@.dat", "100%.raw", "a" * 200,
]
INSTANTS = ["2026-12-05T10:00:00Z", "2024-02-29T23:59:59Z", "2031-07-04T12:34:56Z"]
UPLOAD_IDS = [
    "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA",
    "2~abc/def+ghi==",
    "ABPnzm7sJ1Q-weird_id.with.dots",
]
S3_CHECKSUMS = [None, "crc32", "crc32c", "crc64nvme", "sha1", "sha256", "md5"]
S3_BOTO = {"crc32": "CRC32", "crc32c": "CRC32C", "crc64nvme": "CRC64NVME", "sha1": "SHA1", "sha256": "SHA256"}
DIGEST_LEN = {"crc32": 4, "crc32c": 4, "crc64nvme": 8, "crc64": 8, "sha1": 20, "sha256": 32, "md5": 16}

results = []
failures = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    if not ok:
        failures.append(f"{name}: {detail}")


def digest(rng, alg):
    return base64.b64encode(bytes(rng.randrange(256) for _ in range(DIGEST_LEN[alg]))).decode()


def query_multiset(url):
    q = urlsplit(url).query
    return Counter((unquote(k), unquote(v)) for k, _, v in (p.partition("=") for p in q.split("&") if p))


def same_url(a, b):
    ua, ub = urlsplit(a), urlsplit(b)
    return (ua.scheme, ua.netloc, ua.path) == (ub.scheme, ub.netloc, ub.path) and query_multiset(a) == query_multiset(b)


def layout(size, part):
    n = -(-size // part)
    return n


# ---------------------------------------------------------------------------------------------
# S3 vs botocore

CLOCK = FrozenClock()
CLOCK.patch(
    botocore.auth,
    "get_current_datetime",
    lambda remove_tzinfo=True: CLOCK() if remove_tzinfo else CLOCK().replace(tzinfo=datetime.timezone.utc),
)
_CLIENTS = {}


def s3_client(region, endpoint):
    k = (region, endpoint)
    if k not in _CLIENTS:
        _CLIENTS[k] = boto3.session.Session().client(
            "s3", region_name=region, endpoint_url=endpoint, aws_access_key_id=AWS_ID,
            aws_secret_access_key=AWS_SECRET,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path" if endpoint else "virtual"}))
    return _CLIENTS[k]


def s3_cases(rng):
    cases = []
    for i in range(N_CASES):
        key = rng.choice(KEYS)
        region = rng.choice(["eu-west-1", "us-west-2", "ap-southeast-2"])
        endpoint = rng.choice([None, None, "http://127.0.0.1:8333", "https://s3.example.test:9000/base"])
        alg = S3_CHECKSUMS[i % len(S3_CHECKSUMS)]
        size = rng.choice([1, 5 * MIB, 200 * MIB + 7, 3 * (1 << 30) + 1, rng.randrange(1, 1 << 36)])
        part = rng.choice([None, 5 * MIB, 16 * MIB, 64 * MIB])
        if part and layout(size, part) > 10_000:
            part = None
        instant = rng.choice(INSTANTS)
        expires = rng.choice([60, 3600, 604800])
        base = {
            "provider": "s3", "bucket": rng.choice(["bkt-one", "uploads.example", "b-2026"]), "key": key,
            "region": region, "expiresIn": expires, "signedAt": instant, "size": size,
            "credentials": {"accessKeyId": AWS_ID, "secretAccessKey": AWS_SECRET},
        }
        if endpoint:
            base["endpoint"] = endpoint
            base["urlStyle"] = "path"
        elif "." in base["bucket"]:
            base["bucket"] = "bkt-dotless"
        if part:
            base["partSize"] = part
        if alg:
            base["checksum"] = alg
        ctype = rng.choice([None, "video/mp4", "application/octet-stream"])
        if ctype and rng.random() < 0.5:
            base["headers"] = {"content-type": ctype}
        elif ctype:
            base["contentType"] = ctype
        cases.append({"base": base, "alg": alg, "ctype": ctype, "region": region, "endpoint": endpoint,
                      "upload_id": rng.choice(UPLOAD_IDS), "rng": random.Random(rng.random())})
    return cases


def s3_compare(cases):
    lines, expect = [], []
    for c in cases:
        b, uid, r = c["base"], c["upload_id"], c["rng"]
        part_size = b.get("partSize") or max(8 * MIB, -(-(-(-b["size"] // 10_000)) // MIB) * MIB)
        count = layout(b["size"], part_size)
        number = r.randrange(1, count + 1)
        d = digest(r, c["alg"]) if c["alg"] else None
        parts = [{"partNumber": n, "etag": '"%s"' % hashlib.md5(str(n).encode()).hexdigest()} for n in range(1, count + 1)] if count <= 50 else None
        if parts and c["alg"] and c["alg"] != "md5":
            for p in parts:
                p["digest"] = digest(r, c["alg"])
        bucket, key = b["bucket"], b["key"]
        create = {"Bucket": bucket, "Key": key}
        if c["ctype"]:
            create["ContentType"] = c["ctype"]
        if c["alg"] in S3_BOTO:
            create["ChecksumAlgorithm"] = S3_BOTO[c["alg"]]
        part = {"Bucket": bucket, "Key": key, "PartNumber": number, "UploadId": uid}
        if c["alg"] == "md5":
            part["ContentMD5"] = d
        elif c["alg"]:
            part["Checksum" + S3_BOTO[c["alg"]]] = d
        steps = [("create", "create_multipart_upload", create, {}),
                 ("part", "upload_part", part, {"partNumber": number, "digest": d} if d else {"partNumber": number}),
                 ("abort", "abort_multipart_upload", {"Bucket": bucket, "Key": key, "UploadId": uid}, {}),
                 ("list", "list_parts", {"Bucket": bucket, "Key": key, "UploadId": uid}, {})]
        if parts:
            steps.append(("complete", "complete_multipart_upload", {"Bucket": bucket, "Key": key, "UploadId": uid},
                          {"parts": parts}))
        for step, op, params, extra in steps:
            line = dict(b, step=step, uploadId=uid, **extra)
            lines.append(line)
            expect.append(("s3", c, step, op, params, parts))
    return lines, expect


def s3_check(c, step, op, params, parts, ours):
    name = f"s3 {step} {c['base']['key']!r} {c['alg']}"
    if "error" in ours:
        check(name, False, ours["error"])
        return
    client = s3_client(c["region"], c["endpoint"])
    with CLOCK.at(parse_iso(c["base"]["signedAt"], tz=None)):
        theirs = client.generate_presigned_url(op, Params=params, ExpiresIn=c["base"]["expiresIn"])
    date = c["base"]["signedAt"].replace("-", "").replace(":", "")
    if f"X-Amz-Date={date}" not in theirs:
        check(name, False, "botocore's clock was not frozen")
        return
    check(name + " url", same_url(ours["url"], theirs), f"\n  ours   {ours['url']}\n  boto3  {theirs}")
    method = {"create": "POST", "part": "PUT", "complete": "POST", "abort": "DELETE", "list": "GET"}[step]
    check(name + " method", ours["method"] == method, ours["method"])
    signed = unquote(dict(query_multiset(theirs)).get("X-Amz-SignedHeaders", "") if False else
                     [v for (k, v) in query_multiset(theirs) if k == "X-Amz-SignedHeaders"][0]).split(";")
    check(name + " headers", sorted(ours["headers"]) == sorted(h for h in signed if h != "host"),
          f"ours {sorted(ours['headers'])} botocore signed {signed}")
    if step == "complete":
        op_model = client.meta.service_model.operation_model("CompleteMultipartUpload")
        mp = []
        for p in parts:
            # botocore writes the members in the caller's order: s3transfer's (boto3's transfer
            # manager) is ETag, PartNumber, then the checksum (s3transfer/upload.py, UploadPartTask).
            e = {"ETag": p["etag"], "PartNumber": p["partNumber"]}
            if "digest" in p:
                e["Checksum" + S3_BOTO[c["alg"]]] = p["digest"]
            mp.append(e)
        req = create_serializer("rest-xml").serialize_to_request(dict(params, MultipartUpload={"Parts": mp}), op_model)
        body = req["body"].decode() if isinstance(req["body"], bytes) else req["body"]
        check(name + " body", ours.get("body") == body, f"\n  ours   {ours.get('body')!r}\n  boto3  {body!r}")


# ---------------------------------------------------------------------------------------------
# Azure vs azure-storage-blob


class Captured(Exception):
    pass


class CaptureTransport(HttpTransport):
    """Records the request the SDK would send, and sends nothing."""

    def __init__(self):
        self.request = None

    def __enter__(self):
        return self

    def __exit__(self, *a):
        pass

    def open(self):
        pass

    def close(self):
        pass

    def send(self, request, **kwargs):
        self.request = request
        raise Captured()


def sdk_request(url, call):
    t = CaptureTransport()
    client = BlobClient.from_blob_url(url, transport=t, retry_total=0)
    try:
        call(client)
    except Captured:
        pass
    r = t.request
    body = r.body if r.body is not None else (r.data if hasattr(r, "data") else None)
    if isinstance(body, (bytes, bytearray)):
        body = bytes(body).decode("utf-8", "replace")
    return r.method, r.url, {k.lower(): v for k, v in r.headers.items()}, body


# The SDK's SAS version (generate_blob_sas has no argument for it): ours signs the same one.
SDK_SV = dict(p.split("=", 1) for p in generate_blob_sas(
    AZ_ACCOUNT, "c", "b", account_key=AZ_KEY, permission="r",
    expiry=datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)).split("&"))["sv"]


def azure_cases(rng):
    cases = []
    for i in range(N_CASES):
        size = rng.choice([1, 10 * MIB, 200 * MIB + 3, rng.randrange(1, 1 << 34)])
        part = rng.choice([None, 1 * MIB, 4 * MIB, 100 * MIB])
        if part and layout(size, part) > 50_000:
            part = None
        alg = [None, "md5", "crc64nvme", "crc64"][i % 4]  # "crc64": the alias of crc64nvme
        expires_on = rng.choice(["2026-12-05T11:00:00Z", "2027-01-01T00:00:00Z"])
        base = {
            "provider": "azure", "account": AZ_ACCOUNT, "container": rng.choice(["photos", "big-uploads", "c0ntainer"]),
            "blob": rng.choice(KEYS), "endpoint": "http://127.0.0.1:10000/devstoreaccount1",
            "expiresOn": expires_on, "signedAt": "2026-12-05T10:00:00Z", "size": size,
            "credentials": {"accountKey": AZ_KEY}, "version": SDK_SV,
        }
        if part:
            base["partSize"] = part
        if alg:
            base["checksum"] = alg
        ctype = rng.choice([None, "video/mp4", "text/plain; charset=utf-8"])
        if ctype:
            base["contentType"] = ctype
        cases.append({"base": base, "alg": alg, "ctype": ctype, "rng": random.Random(rng.random())})
    return cases


def azure_compare(cases):
    lines, expect = [], []
    for c in cases:
        b, r = c["base"], c["rng"]
        part_size = b.get("partSize") or max(8 * MIB, -(-(-(-b["size"] // 50_000)) // MIB) * MIB)
        count = layout(b["size"], part_size)
        number = r.randrange(1, count + 1)
        d = digest(r, c["alg"]) if c["alg"] else None
        steps = [("part", {"partNumber": number, "digest": d} if d else {"partNumber": number}, number)]
        if count <= 60:
            steps.append(("complete", {"parts": [{"partNumber": n} for n in range(1, count + 1)]}, count))
        steps.append(("list", {}, None))
        for step, extra, arg in steps:
            lines.append(dict(b, step=step, **extra))
            expect.append(("azure", c, step, arg, d, None))
    return lines, expect


def block_id(n):
    """The id the SDK gets: it base64-encodes block ids itself (stage_block, BlobBlock), so it is
    given ours decoded (the part number in 6 digits)."""
    return "%06d" % n


def azure_check(c, step, arg, d, _unused, ours):
    b = c["base"]
    name = f"azure {step} {b['blob']!r} {c['alg']}"
    if "error" in ours:
        check(name, False, ours["error"])
        return
    perm = BlobSasPermissions(read=True) if step == "list" else BlobSasPermissions(create=True, write=True)
    sas = generate_blob_sas(AZ_ACCOUNT, b["container"], b["blob"], account_key=AZ_KEY, permission=perm,
                            expiry=parse_iso(b["expiresOn"]))
    from urllib.parse import quote
    url = f"{b['endpoint']}/{b['container']}/{quote(b['blob'], safe='/~')}?{sas}"
    if step == "part":
        data = os.urandom(8)
        kw = {}
        # The SDK computes Content-MD5 itself (validate_content); our header carries the caller's digest.
        # Compare the header names and that the SDK puts its digest in the same header.
        if c["alg"] == "md5":
            kw["validate_content"] = True
        method, u, headers, body = sdk_request(url, lambda cl: cl.stage_block(block_id(arg), data, **kw))
        if c["alg"] == "md5":
            check(name + " md5 header", "content-md5" in headers and "content-md5" in ours["headers"]
                  and ours["headers"]["content-md5"] == d, f"sdk {sorted(headers)} ours {ours['headers']}")
        elif c["alg"] in ("crc64nvme", "crc64"):
            # The digest is the CRC-64/NVME big-endian; Azure's header carries it little-endian,
            # as azure-storage-blob's calculate_crc64_bytes writes it.
            le = base64.b64encode(base64.b64decode(d)[::-1]).decode()
            check(name + " crc64 header", ours["headers"] == {"x-ms-content-crc64": le}, ours["headers"])
        else:
            check(name + " no headers", ours["headers"] == {}, ours["headers"])
    elif step == "complete":
        blocks = [BlobBlock(block_id(n)) for n in range(1, arg + 1)]
        kw = {"content_settings": ContentSettings(content_type=c["ctype"])} if c["ctype"] else {}
        method, u, headers, body = sdk_request(url, lambda cl: cl.commit_block_list(blocks, **kw))
        if c["ctype"]:
            check(name + " content type", ours["headers"].get("x-ms-blob-content-type") == headers.get("x-ms-blob-content-type"),
                  f"ours {ours['headers']} sdk {headers.get('x-ms-blob-content-type')}")
        check(name + " body", ours.get("body") == body, f"\n  ours {ours.get('body')!r}\n  sdk  {body!r}")
    else:
        method, u, headers, body = sdk_request(url, lambda cl: cl.get_block_list("uncommitted"))
    check(name + " method", ours["method"] == method, f"{ours['method']} vs {method}")
    check(name + " url", same_url(ours["url"], u), f"\n  ours {ours['url']}\n  sdk  {u}")
    bookkeeping = {"x-ms-version", "x-ms-date", "user-agent", "x-ms-client-request-id", "content-length",
                   "accept", "content-type", "content-md5"}
    extra = {k for k in headers if k not in bookkeeping and k not in ours["headers"]}
    check(name + " sdk headers", not extra, f"the SDK sends {sorted(extra)} we do not list")


# ---------------------------------------------------------------------------------------------
# GCS vs google-cloud-storage

GCLOCK = FrozenClock()
GCLOCK.patch(_signing, "_NOW")
SA = service_account.Credentials.from_service_account_file(KEY_FILE)
SA_JSON = json.load(open(KEY_FILE))
GCLIENT = storage.Client(project="p", credentials=SA)


def gcs_cases(rng):
    cases = []
    for i in range(N_CASES):
        size = rng.choice([1, 5 * MIB, 200 * MIB + 9, rng.randrange(1, 1 << 36)])
        part = rng.choice([None, 5 * MIB, 32 * MIB])
        if part and layout(size, part) > 10_000:
            part = None
        alg = [None, "crc32c", "md5"][i % 3]
        base = {
            "provider": "gcs", "bucket": rng.choice(["bkt-one", "my_bucket", "logs-2026"]), "object": rng.choice(KEYS),
            "expiresIn": rng.choice([60, 3600, 604800]), "signedAt": rng.choice(INSTANTS), "size": size,
            "credentials": {"serviceAccount": SA_JSON},
        }
        if part:
            base["partSize"] = part
        if alg:
            base["checksum"] = alg
        ctype = rng.choice([None, "video/mp4"])
        if ctype:
            base["contentType"] = ctype
        cases.append({"base": base, "alg": alg, "ctype": ctype, "upload_id": rng.choice(UPLOAD_IDS),
                      "rng": random.Random(rng.random())})
    return cases


def gcs_compare(cases):
    lines, expect = [], []
    for c in cases:
        b, r, uid = c["base"], c["rng"], c["upload_id"]
        part_size = b.get("partSize") or max(8 * MIB, -(-(-(-b["size"] // 10_000)) // MIB) * MIB)
        count = layout(b["size"], part_size)
        number = r.randrange(1, count + 1)
        d = digest(r, c["alg"]) if c["alg"] else None
        parts = [{"partNumber": n, "etag": '"%s"' % hashlib.md5(str(n).encode()).hexdigest()} for n in range(1, count + 1)] if count <= 50 else None
        steps = [("create", {}), ("part", {"partNumber": number, "digest": d} if d else {"partNumber": number}),
                 ("abort", {}), ("list", {})]
        if parts:
            steps.append(("complete", {"parts": parts}))
        for step, extra in steps:
            lines.append(dict(b, step=step, uploadId=uid, **extra))
            expect.append(("gcs", c, step, number, d, parts))
    return lines, expect


def gcs_check(c, step, number, d, parts, ours):
    b, uid = c["base"], c["upload_id"]
    name = f"gcs {step} {b['object']!r} {c['alg']}"
    if "error" in ours:
        check(name, False, ours["error"])
        return
    blob = GCLIENT.bucket(b["bucket"]).blob(b["object"])
    method = {"create": "POST", "part": "PUT", "complete": "POST", "abort": "DELETE", "list": "GET"}[step]
    query = {"create": {"uploads": ""}, "part": {"partNumber": str(number), "uploadId": uid}}.get(step, {"uploadId": uid})
    headers = {}
    if step == "create" and c["ctype"]:
        headers["content-type"] = c["ctype"]
    if step == "part" and d:
        headers["x-goog-hash"] = ("md5=" if c["alg"] == "md5" else "crc32c=") + d
    with GCLOCK.at(parse_iso(b["signedAt"], tz=None)):
        theirs = blob.generate_signed_url(version="v4", method=method, expiration=datetime.timedelta(seconds=b["expiresIn"]),
                                          query_parameters=query, headers=dict(headers) or None, credentials=SA)
    date = b["signedAt"].replace("-", "").replace(":", "")
    if f"X-Goog-Date={date}" not in theirs:
        check(name, False, "the SDK's clock was not frozen")
        return
    check(name + " url", ours["url"] == theirs, f"\n  ours {ours['url']}\n  sdk  {theirs}")
    check(name + " method", ours["method"] == method, ours["method"])
    check(name + " headers", ours["headers"] == headers, f"ours {ours['headers']} signed {headers}")
    base_url = ours["url"].split("?")[0]
    if step == "complete":
        cont = gmedia.XMLMPUContainer(base_url, "unused", upload_id=uid)
        for p in parts:
            cont.register_part(p["partNumber"], p["etag"])
        _, furl, body, _ = cont._prepare_finalize_request()
        body = body.decode()
        check(name + " body", ours.get("body") == body, f"\n  ours {ours.get('body')!r}\n  sdk  {body!r}")
        check(name + " step query", set(query_multiset(ours["url"])) >= set(query_multiset(furl)), furl)
    if step == "part":
        # XMLMPUPart builds its URL from the object URL and the part query template.
        q = gmedia._MPU_PART_QUERY_TEMPLATE.format(part=number, upload_id=uid)
        want = query_multiset(base_url + q)
        check(name + " step query", all(query_multiset(ours["url"])[k] >= n for k, n in want.items()),
              f"ours {ours['url']} template {q}")


def main():
    rng = random.Random(SEED)
    lines, expect = [], []
    for make, compare in [(s3_cases, s3_compare), (azure_cases, azure_compare), (gcs_cases, gcs_compare)]:
        ln, ex = compare(make(rng))
        lines += ln
        expect += ex
    _, ours, _ = run_presign(["upload-plan", "--json-request"], lines, env=CLEAN_ENV, timeout=300, ensure_ascii=False)
    for e, o in zip(expect, ours):
        {"s3": s3_check, "azure": azure_check, "gcs": gcs_check}[e[0]](*e[1:], o)
    counts = Counter(e[0] for e in expect)
    print(f"steps compared: {dict(counts)}")
    for f in failures[:SHOW]:
        print("FAIL", f)
    return summary(sum(results), len(results) - sum(results), minimum=300)


if __name__ == "__main__":
    sys.exit(main())
