#!/usr/bin/env python3
"""Differential test: our S3 SigV4 presigner (the `presign batch` CLI) against botocore.

Generates several hundred cases deterministically (hostile keys, every method, both URL styles,
AWS partitions, dualstack / accelerate / FIPS, custom endpoints, session tokens, signed headers,
response overrides, expiries, signing instants), signs every case with botocore's
`generate_presigned_url` (time frozen to the case's instant) and with one `presign batch` run, and
compares per case: scheme + host, the raw path, the query parameters as a multiset after
percent-decoding, and X-Amz-Signature exactly; plus our result's method, signed headers (which
must be exactly the ones botocore put in X-Amz-SignedHeaders, values trimmed and whitespace-collapsed
as SigV4 says) and expiresAt.

Run:  /tmp/presign-servers/py/venv/bin/python tests/s3_py_diff.py   (PRESIGN_BIN overrides the binary)
Last line: "N passed, M failed"; exit status 1 when M > 0 or N < 500.

What botocore 1.44 does, and how the cases are built so both sides sign the same request
(checked in the installed botocore source, not assumed):
- The signing clock is `botocore.auth.get_current_datetime` (a module global imported from
  botocore.compat and looked up at call time by SigV4Auth.add_auth); it is replaced by a function
  returning the case's instant. Every case also checks botocore's X-Amz-Date, so a patch that stops
  working fails loudly instead of comparing against the wall clock.
- Presigned S3 URLs (S3SigV4QueryAuth) sign every request header except a hop-by-hop blacklist;
  x-amz-* parameters (ACL, Metadata, StorageClass, SSE, Tagging, checksums...) stay signed headers,
  none is hoisted into the query. So every header kind used here is expressible on our side as a
  `headers` entry. The session token goes into the query as X-Amz-Security-Token (signed).
- SSE-C: botocore base64-encodes SSECustomerKey and adds its MD5; our side gets the three headers
  with the same values computed here.
- Header timestamps (Expires, IfModifiedSince) and the ResponseExpires query value are serialized
  by botocore as RFC 822 ("Fri, 01 Jan 2027 00:00:00 GMT"); our side gets that exact text.
- Addressing: botocore's `addressing_style="auto"` is compared with our default (no urlStyle) for
  AWS endpoints only. For custom endpoints botocore's "auto" means path style while ours means
  virtual-hosted when the bucket allows it (documented in our README), so custom-endpoint cases
  always name the style on both sides.
- botocore's presigner (unlike its ordinary requests) sends "auto"-style URLs in the aws partition
  to the legacy global endpoint (bucket.s3.amazonaws.com, or s3-fips.us-east-1 with FIPS) while
  signing for the client's region; see boto_presign. That choice is switched off for the
  comparison, and the cases where it would have applied are counted in a "note:" line.
- Combinations where the two sides deliberately differ are not generated (each is a refusal on our
  side, documented in the README): explicit virtual-hosted style for buckets that are not
  DNS-compatible (botocore silently falls back to path or builds a host with dots), virtual-hosted
  with an IP-address endpoint, accelerate with path style (botocore ignores the style) or in
  GovCloud / China (botocore builds an s3-accelerate.amazonaws.com URL for us-gov-*).
- Endpoints written with the scheme's default port (https://host:443) keep ":443" in botocore's URL
  while we drop it; both sign the host without it. The authority comparison therefore removes a
  default port (RFC 3986 section 6.2.3 scheme-based normalization) and nothing else.
"""

import base64
import calendar
import datetime
import email.utils
import hashlib
import json
import os
import random
import sys
import unicodedata
from collections import Counter
from urllib.parse import unquote, urlsplit

from harness import PRESIGN, FrozenClock, isolate, run_presign, summary

# botocore must see no ambient configuration (profiles, endpoint overrides, checksum settings,
# regional-endpoint flags); the CLI must not pick up AWS_* either (lines without endpoint or
# credentials would take them from the environment).
CLEAN_ENV = isolate(("AWS_",), no_aws_files=True)

import boto3  # noqa: E402
import botocore  # noqa: E402
import botocore.auth  # noqa: E402
import botocore.credentials  # noqa: E402
import botocore.signers  # noqa: E402
from botocore.config import Config  # noqa: E402

SEED = 20261124
N_CASES = 720
SHOW_FAILURES = int(os.environ.get("SHOW_FAILURES", "5"))

# ---------------------------------------------------------------------------------------------
# Frozen clock for botocore

CLOCK = FrozenClock()  # holds naive UTC instants, as botocore's own clock returns by default
CLOCK.patch(
    botocore.auth,
    "get_current_datetime",
    lambda remove_tzinfo=True: CLOCK() if remove_tzinfo else CLOCK().replace(tzinfo=datetime.timezone.utc),
)

if not hasattr(botocore.signers, "_should_use_global_endpoint"):
    sys.exit(
        f"botocore {botocore.__version__}: botocore.signers._should_use_global_endpoint not found; "
        "see boto_presign and update this test"
    )
_ORIG_SHOULD_USE_GLOBAL_ENDPOINT = botocore.signers._should_use_global_endpoint


def _never_global_endpoint(client):
    return False


# ---------------------------------------------------------------------------------------------
# Case ingredients

INSTANTS = [
    "2026-11-24T10:00:00Z",
    "2013-05-24T00:00:00Z",  # the date of the AWS S3 documentation examples
    "2024-02-29T23:59:59Z",  # leap day, last second
    "2025-12-31T23:59:59Z",  # year end
    "2027-01-01T00:00:00Z",
    "2038-01-19T03:14:08Z",  # one second past the signed 32-bit epoch
    "2031-07-04T12:34:56Z",
]

CREDENTIALS = [
    ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
    ("ASIAQNZGKIQY7EXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY+="),
    ("minioadmin", "minioadmin"),
    ("GK31c2f218a2e44f485b94239e", "b892c0665f0ada8a4755dae98baa3b133590e11dae3bcc1f9d769d67f16c3835"),
]

AWS_REGIONS = [
    "us-east-1",
    "us-east-1",
    "eu-west-1",
    "us-west-2",
    "ap-southeast-2",
    "sa-east-1",
    "me-central-1",
    "ap-northeast-3",
    "cn-north-1",
    "cn-northwest-1",
    "us-gov-west-1",
    "us-gov-east-1",
]
ACCEL_REGIONS = ["us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2", "sa-east-1"]
FIPS_REGIONS = ["us-east-1", "us-east-2", "us-west-2", "ca-central-1", "us-gov-west-1", "us-gov-east-1"]
CUSTOM_REGIONS = ["us-east-1", "auto", "eu-central-1", "garage", "local"]

ENDPOINTS = [
    # (endpoint, is_ip)
    ("http://127.0.0.1:8333", True),
    ("https://minio.example.com:9000", False),
    ("http://localhost:9000", False),
    ("https://gw.example.com/s3", False),  # a base path before the bucket
    ("https://storage.example.net:443", False),  # default port written out
    ("http://10.1.2.3", True),
]

HOSTABLE_BUCKETS = ["bucket", "my-bucket", "examplebucket", "abc", "logs-2026-11", "a--b-c", "x" * 63]
DOTTED_BUCKETS = ["my.bucket", "www.example.com"]
LEGACY_BUCKETS = ["Legacy_Bucket", "UPPERCASE", "under_score", "192.168.5.4", "ab", "y" * 64]

NFC = unicodedata.normalize("NFC", "caf\u00e9")
NFD = unicodedata.normalize("NFD", "caf\u00e9")
assert NFC != NFD

KEY_SEGMENTS = [
    "photos",
    "file.txt",
    "a b",
    "two  spaces",
    "x+y",
    "k=v",
    "100%",
    "%2F",
    "%zz",
    "what?",
    "#hash",
    "!*'()",
    "a&b",
    "semi;colon",
    "c:d",
    "user@host",
    "$dollar",
    "c,d",
    NFC,
    NFD,
    "\U0001f600",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # ZWJ sequence
    "\u65e5\u672c\u8a9e",
    "\u03a9mega",
    "\u00fcn\u00efc\u00f6de",
    "~tilde",
    "a~b",
    ".",
    "..",
    "...",
    "",
    "UPPER",
    "[br]",
    "{c}",
    "^",
    "`",
    "|pipe|",
    "back\\slash",
    '"quoted"',
    "<>",
    "-_.~",
    "tab\there",
    "\u00a0nbsp",
    "\ufeffbom",
    "line\nbreak",
    "del\x7f",
    "plus+and space",
]
KEY_PREFIXES = ["", "", "", "", "/", "//", "./", "../", "/./", "/../", "a/../"]
KEY_SUFFIXES = ["", "", "", "/", "//", "/.", "/.."]

CONTENT_TYPES = [
    "image/jpeg",
    "application/octet-stream",
    "text/plain; charset=utf-8",
    "  text/plain;   charset=utf-8  ",  # trimmed and collapsed when signed
    "multipart/form-data; boundary=----x+y=z",
    "application/json",
]
DISPOSITIONS = [
    "attachment",
    "inline",
    'attachment; filename="a b.txt"',
    "attachment; filename*=UTF-8''caf%C3%A9.txt",
    'attachment; filename="caf\u00e9 \U0001f600.pdf"',
    "attachment; filename=x+y=z&w.bin",
    'attachment; filename="~tilde;semi:colon#hash?.txt"',
]
CACHE_CONTROLS = ["no-cache", "max-age=0, must-revalidate", "public,  max-age=31536000", "private"]
LANGUAGES = ["en", "en-US", "de-CH, fr"]
ENCODINGS = ["gzip", "br", "identity"]
VERSION_IDS = [
    "null",
    "3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo",
    "UIORUnfndfiufdisojhr398493jfdkjFJjkndnqUifhnw89493jJFJ",
    "v1",
]
UPLOAD_IDS = [
    "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA",
    "2~iCw_lDY8VoJm3ZEnL0ySkvU1ib0dvJ5",
    "a/b+c=d==",
    "ZXhhbXBsZQ%3D%3D",
]


def rfc822(dt):
    return email.utils.formatdate(calendar.timegm(dt.timetuple()), usegmt=True)


def parse_instant(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")


def b64(data):
    return base64.b64encode(data).decode("ascii")


# ---------------------------------------------------------------------------------------------
# Generators. Each returns botocore Params additions and our request's additions.


def gen_key(rng):
    r = rng.random()
    if r < 0.03:
        # exactly 1024 bytes of UTF-8, ending in a 4-byte character
        return "k" * 1020 + "\U0001f600"
    if r < 0.06:
        return rng.choice(["/", "//", ".", "..", "./", "../", "~", " ", "+", "%", "?", "#", NFD, NFC])
    segs = [rng.choice(KEY_SEGMENTS) for _ in range(rng.randint(1, 4))]
    key = rng.choice(KEY_PREFIXES) + "/".join(segs) + rng.choice(KEY_SUFFIXES)
    if not key:
        key = "empty-segments"
    return key


def gen_token(rng):
    # STS-like: long base64 with '+', '/' and '=' padding
    raw = bytes(rng.getrandbits(8) for _ in range(rng.choice([16, 120, 300, 701])))
    return "IQoJb3JpZ2luX2Vj" + b64(raw)


def hname(rng, name):
    """Our header names in random case: the signer must lower-case them."""
    r = rng.random()
    if r < 0.15:
        return name.upper()
    if r < 0.3:
        return "-".join(p[:1].upper() + p[1:] for p in name.split("-"))
    return name


def header_kinds(op):
    """(name, generator) pairs for header kinds botocore signs for this operation."""
    kinds = []

    def add(name, ops, fn):
        if op in ops:
            kinds.append((name, fn))

    def content_type(rng):
        v = rng.choice(CONTENT_TYPES)
        return {"ContentType": v}, {"content-type": v}

    def content_length(rng):
        n = rng.choice([0, 1, 5 * 1024 * 1024, rng.randint(1, 5 * 1024**3)])
        return {"ContentLength": n}, {"content-length": str(n)}

    def content_md5(rng):
        v = b64(hashlib.md5(str(rng.random()).encode()).digest())
        return {"ContentMD5": v}, {"content-md5": v}

    def cache_control(rng):
        v = rng.choice(CACHE_CONTROLS)
        return {"CacheControl": v}, {"cache-control": v}

    def content_disposition(rng):
        v = rng.choice([d for d in DISPOSITIONS if d.isascii()])
        return {"ContentDisposition": v}, {"content-disposition": v}

    def content_encoding(rng):
        v = rng.choice(ENCODINGS)
        return {"ContentEncoding": v}, {"content-encoding": v}

    def content_language(rng):
        v = rng.choice(LANGUAGES)
        return {"ContentLanguage": v}, {"content-language": v}

    def expires(rng):
        dt = datetime.datetime(2027, 1, 1) + datetime.timedelta(seconds=rng.randint(0, 10**8))
        return {"Expires": dt}, {"expires": rfc822(dt)}

    def acl(rng):
        v = rng.choice(["private", "public-read", "bucket-owner-full-control", "authenticated-read"])
        return {"ACL": v}, {"x-amz-acl": v}

    def metadata(rng):
        names = rng.sample(["author", "Mixed-Case", "with_underscore", "dots.in.name", "n1", "x"], rng.randint(1, 3))
        values = ["b c", "x  y", " padded ", "caf%C3%A9", "a,b;c=d", "0", "=?UTF-8?B?Y2Fmw6k=?="]
        md = {n: rng.choice(values) for n in names}
        # botocore sends x-amz-meta-<name as given>; the signature lower-cases it
        return {"Metadata": md}, {"x-amz-meta-" + n: v for n, v in md.items()}

    def storage_class(rng):
        v = rng.choice(["STANDARD", "STANDARD_IA", "GLACIER_IR", "INTELLIGENT_TIERING", "ONEZONE_IA"])
        return {"StorageClass": v}, {"x-amz-storage-class": v}

    def sse(rng):
        if rng.random() < 0.5:
            return {"ServerSideEncryption": "AES256"}, {"x-amz-server-side-encryption": "AES256"}
        kms = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        ctx = b64(json.dumps({"aws:s3:arn": "arn:aws:s3:::bucket/k"}).encode())
        p = {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": kms}
        h = {"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": kms}
        if rng.random() < 0.5:
            p["SSEKMSEncryptionContext"] = ctx
            h["x-amz-server-side-encryption-context"] = ctx
        if rng.random() < 0.5:
            p["BucketKeyEnabled"] = True
            h["x-amz-server-side-encryption-bucket-key-enabled"] = "true"
        return p, h

    def sse_c(rng):
        key = bytes(rng.getrandbits(8) for _ in range(32))
        return (
            {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": key},
            {
                "x-amz-server-side-encryption-customer-algorithm": "AES256",
                "x-amz-server-side-encryption-customer-key": b64(key),
                "x-amz-server-side-encryption-customer-key-md5": b64(hashlib.md5(key).digest()),
            },
        )

    def tagging(rng):
        v = rng.choice(["a=b", "project=x&env=prod", "k%20y=v%2Bw", "empty="])
        return {"Tagging": v}, {"x-amz-tagging": v}

    def checksum_sha256(rng):
        v = b64(hashlib.sha256(str(rng.random()).encode()).digest())
        return {"ChecksumSHA256": v}, {"x-amz-checksum-sha256": v}

    def checksum_crc32(rng):
        v = b64(rng.getrandbits(32).to_bytes(4, "big"))
        return {"ChecksumCRC32": v}, {"x-amz-checksum-crc32": v}

    def redirect(rng):
        v = rng.choice(["/other/page.html", "https://example.com/x?y=z"])
        return {"WebsiteRedirectLocation": v}, {"x-amz-website-redirect-location": v}

    def legal_hold(rng):
        v = rng.choice(["ON", "OFF"])
        return {"ObjectLockLegalHoldStatus": v}, {"x-amz-object-lock-legal-hold": v}

    def put_if_none_match(rng):
        return {"IfNoneMatch": "*"}, {"if-none-match": "*"}

    def range_(rng):
        a = rng.randint(0, 10**6)
        v = rng.choice([f"bytes={a}-{a + rng.randint(0, 10**6)}", f"bytes=-{a + 1}", f"bytes={a}-"])
        return {"Range": v}, {"range": v}

    def if_match(rng):
        v = '"' + hashlib.md5(str(rng.random()).encode()).hexdigest() + '"'
        return {"IfMatch": v}, {"if-match": v}

    def if_none_match(rng):
        v = '"' + hashlib.md5(str(rng.random()).encode()).hexdigest() + '"'
        return {"IfNoneMatch": v}, {"if-none-match": v}

    def if_modified_since(rng):
        dt = datetime.datetime(2020, 1, 1) + datetime.timedelta(seconds=rng.randint(0, 10**8))
        return {"IfModifiedSince": dt}, {"if-modified-since": rfc822(dt)}

    def checksum_mode(rng):
        return {"ChecksumMode": "ENABLED"}, {"x-amz-checksum-mode": "ENABLED"}

    def request_payer(rng):
        return {"RequestPayer": "requester"}, {"x-amz-request-payer": "requester"}

    def bucket_owner(rng):
        v = str(rng.randint(10**11, 10**12 - 1))
        return {"ExpectedBucketOwner": v}, {"x-amz-expected-bucket-owner": v}

    def mfa(rng):
        v = "arn:aws:iam::123456789012:mfa/user " + str(rng.randint(100000, 999999))
        return {"MFA": v}, {"x-amz-mfa": v}

    def bypass(rng):
        return {"BypassGovernanceRetention": True}, {"x-amz-bypass-governance-retention": "true"}

    put, post, part = "put_object", "create_multipart_upload", "upload_part"
    get, head, delete = "get_object", "head_object", "delete_object"
    add("content-type", {put, post}, content_type)
    add("content-length", {put, part}, content_length)
    add("content-md5", {put, part}, content_md5)
    add("cache-control", {put, post}, cache_control)
    add("content-disposition", {put, post}, content_disposition)
    add("content-encoding", {put, post}, content_encoding)
    add("content-language", {put, post}, content_language)
    add("expires", {put, post}, expires)
    add("x-amz-acl", {put, post}, acl)
    add("x-amz-meta-*", {put, post}, metadata)
    add("x-amz-storage-class", {put, post}, storage_class)
    add("x-amz-server-side-encryption*", {put, post}, sse)
    add("x-amz-server-side-encryption-customer-*", {put, part, get, head, post}, sse_c)
    add("x-amz-tagging", {put, post}, tagging)
    add("x-amz-checksum-sha256", {put, part}, checksum_sha256)
    add("x-amz-checksum-crc32", {put, part}, checksum_crc32)
    add("x-amz-website-redirect-location", {put, post}, redirect)
    add("x-amz-object-lock-legal-hold", {put, post}, legal_hold)
    add("if-none-match (put)", {put}, put_if_none_match)
    add("range", {get, head}, range_)
    add("if-match", {get, head}, if_match)
    add("if-none-match", {get, head}, if_none_match)
    add("if-modified-since", {get, head}, if_modified_since)
    add("x-amz-checksum-mode", {get, head}, checksum_mode)
    add("x-amz-request-payer", {put, post, part, get, head, delete}, request_payer)
    add("x-amz-expected-bucket-owner", {put, post, part, get, head, delete}, bucket_owner)
    add("x-amz-mfa", {delete}, mfa)
    add("x-amz-bypass-governance-retention", {delete}, bypass)
    return kinds


RESPONSE_OVERRIDES = [
    ("ResponseContentDisposition", "response-content-disposition", lambda rng: rng.choice(DISPOSITIONS)),
    ("ResponseContentType", "response-content-type", lambda rng: rng.choice(CONTENT_TYPES).strip()),
    ("ResponseCacheControl", "response-cache-control", lambda rng: rng.choice(CACHE_CONTROLS)),
    ("ResponseContentLanguage", "response-content-language", lambda rng: rng.choice(LANGUAGES)),
    ("ResponseContentEncoding", "response-content-encoding", lambda rng: rng.choice(ENCODINGS)),
    ("ResponseExpires", "response-expires", None),
]


def gen_query(rng, op):
    params, query = {}, {}
    if op in ("get_object", "head_object"):
        if rng.random() < 0.45:
            for pname, qname, fn in rng.sample(RESPONSE_OVERRIDES, rng.randint(1, len(RESPONSE_OVERRIDES))):
                if fn is None:
                    dt = datetime.datetime(2026, 1, 1) + datetime.timedelta(seconds=rng.randint(0, 10**8))
                    params[pname], query[qname] = dt, rfc822(dt)
                else:
                    v = fn(rng)
                    params[pname], query[qname] = v, v
        if rng.random() < 0.2:
            n = rng.randint(1, 10000)
            params["PartNumber"], query["partNumber"] = n, str(n)
    if op in ("get_object", "head_object", "delete_object") and rng.random() < 0.3:
        v = rng.choice(VERSION_IDS)
        params["VersionId"], query["versionId"] = v, v
    if op == "upload_part":
        n = rng.choice([1, 2, 9999, 10000, rng.randint(1, 10000)])
        u = rng.choice(UPLOAD_IDS)
        params["PartNumber"], params["UploadId"] = n, u
        query["partNumber"], query["uploadId"] = str(n), u
    if op == "create_multipart_upload":
        query["uploads"] = ""
    return params, query


OPS = [
    # (method, botocore ClientMethod, weight)
    ("GET", "get_object", 30),
    ("PUT", "put_object", 30),
    ("HEAD", "head_object", 10),
    ("DELETE", "delete_object", 10),
    ("POST", "create_multipart_upload", 10),
    ("PUT", "upload_part", 10),
]


def gen_target(rng):
    """Endpoint selection: returns a dict with the fields of both sides' addressing."""
    kind = rng.choices(["aws", "dualstack", "accelerate", "fips", "custom"], [40, 12, 10, 8, 30])[0]
    t = {"kind": kind, "endpoint": None, "dualstack": False, "accelerate": False, "fips": False}
    if kind == "custom":
        ep, is_ip = rng.choice(ENDPOINTS)
        t["endpoint"], t["region"] = ep, rng.choice(CUSTOM_REGIONS)
        http = ep.startswith("http://")
        if not is_ip and rng.random() < 0.5:
            pool = HOSTABLE_BUCKETS + (DOTTED_BUCKETS if http else [])
            t["bucket"], t["style"] = rng.choice(pool), "virtual"
        else:
            t["bucket"] = rng.choice(HOSTABLE_BUCKETS + DOTTED_BUCKETS + LEGACY_BUCKETS)
            t["style"] = "path"
        return t
    if kind == "accelerate":
        t["accelerate"] = True
        t["dualstack"] = rng.random() < 0.4
        t["region"] = rng.choice(ACCEL_REGIONS)
        t["bucket"] = rng.choice(HOSTABLE_BUCKETS)
        t["style"] = rng.choice(["virtual", "auto"])
        return t
    if kind == "fips":
        t["fips"] = True
        t["dualstack"] = rng.random() < 0.4
        t["region"] = rng.choice(FIPS_REGIONS)
    else:
        t["dualstack"] = kind == "dualstack"
        t["region"] = rng.choice(AWS_REGIONS)
    r = rng.random()
    if r < 0.4:
        t["bucket"], t["style"] = rng.choice(HOSTABLE_BUCKETS), "virtual"
    elif r < 0.75:
        t["bucket"], t["style"] = rng.choice(HOSTABLE_BUCKETS + DOTTED_BUCKETS + LEGACY_BUCKETS), "path"
    else:  # our default vs botocore's auto: virtual when DNS-compatible without dots, else path
        t["bucket"], t["style"] = rng.choice(HOSTABLE_BUCKETS + DOTTED_BUCKETS + LEGACY_BUCKETS), "auto"
    return t


def gen_expiry(rng):
    return rng.choice([1, 2, 59, 60, 900, 3600, 43200, 86400, 604799, 604800, rng.randint(1, 604800)])


def gen_case(rng, i):
    method, op, _ = rng.choices(OPS, [w for _, _, w in OPS])[0]
    t = gen_target(rng)
    access, secret = rng.choice(CREDENTIALS)
    token = gen_token(rng) if rng.random() < 0.4 else None
    expires_in = gen_expiry(rng)
    signed_at = rng.choice(INSTANTS)
    key = gen_key(rng)

    params = {"Bucket": t["bucket"], "Key": key}
    headers = {}
    kinds = header_kinds(op)
    if kinds and rng.random() < 0.6:
        for _, fn in rng.sample(kinds, min(len(kinds), rng.randint(1, 4))):
            p, h = fn(rng)
            params.update(p)
            headers.update(h)
    qp, query = gen_query(rng, op)
    params.update(qp)

    items = list(headers.items())
    rng.shuffle(items)
    req = {
        "provider": "s3",
        "method": method if rng.random() < 0.8 else method.lower(),
        "bucket": t["bucket"],
        "key": key,
        "region": t["region"],
        "credentials": {"accessKeyId": access, "secretAccessKey": secret},
        "expiresIn": expires_in,
        "signedAt": signed_at,
    }
    if token is not None:
        req["credentials"]["sessionToken"] = token
    if items:
        req["headers"] = {hname(rng, n): v for n, v in items}
    if query:
        req["query"] = query
    if t["style"] == "path":
        req["urlStyle"] = "path"
    elif t["style"] == "virtual":
        req["urlStyle"] = "virtualHosted"
    if t["endpoint"]:
        req["endpoint"] = t["endpoint"]
    for flag in ("dualstack", "accelerate", "fips"):
        if t[flag]:
            req[flag] = True
    return {
        "id": i,
        "request": req,
        "op": op,
        "method": method,
        "params": params,
        "target": t,
        "creds": (access, secret, token),
        "expires_in": expires_in,
        "signed_at": signed_at,
        "headers": headers,
    }


# ---------------------------------------------------------------------------------------------
# botocore side

_SESSION = boto3.session.Session()
_CLIENTS = {}


def boto_client(case):
    """One client per addressing configuration; the case's credentials are swapped in.

    Creating a client costs ~12 ms, so clients are shared between cases that differ only in
    credentials: `RequestSigner._credentials` is what botocore's signer reads for every request
    (signers.py, get_auth_instance). Should that stop working, X-Amz-Credential and
    X-Amz-Security-Token differ from ours and every affected case fails; it cannot pass silently.
    """
    t = case["target"]
    ck = (t["region"], t["style"], t["endpoint"], t["dualstack"], t["accelerate"], t["fips"])
    c = _CLIENTS.get(ck)
    if c is None:
        s3cfg = {"addressing_style": t["style"]}
        if t["dualstack"]:
            s3cfg["use_dualstack_endpoint"] = True
        if t["accelerate"]:
            s3cfg["use_accelerate_endpoint"] = True
        cfg = Config(signature_version="s3v4", s3=s3cfg, use_fips_endpoint=t["fips"] or None)
        c = _SESSION.client(
            "s3",
            region_name=t["region"],
            endpoint_url=t["endpoint"],
            aws_access_key_id="AKIDPLACEHOLDER",
            aws_secret_access_key="placeholder",
            config=cfg,
        )
        _CLIENTS[ck] = c
    access, secret, token = case["creds"]
    c._request_signer._credentials = botocore.credentials.Credentials(access, secret, token)
    return c


def boto_presign(case, global_endpoint_quirk=False):
    """botocore's presigned URL for the case, signed at the case's instant.

    For presigned URLs, botocore (signers.py, _should_use_global_endpoint) sends virtual-hosted
    requests in the aws partition to the legacy global endpoint `bucket.s3.amazonaws.com` unless
    addressing_style is "virtual" or dualstack is on -- while still signing with the client's region.
    Its ordinary (non-presigned) requests, and the S3 endpoint rules, use the regional endpoint,
    which is what we produce. So the quirk is switched off for the comparison and measured
    separately (global_endpoint_quirk=True gives botocore's untouched URL).
    """
    botocore.signers._should_use_global_endpoint = (
        _ORIG_SHOULD_USE_GLOBAL_ENDPOINT if global_endpoint_quirk else _never_global_endpoint
    )
    try:
        with CLOCK.at(parse_instant(case["signed_at"])):
            return boto_client(case).generate_presigned_url(
                ClientMethod=case["op"],
                Params=dict(case["params"]),
                ExpiresIn=case["expires_in"],
                HttpMethod=case["method"],
            )
    finally:
        botocore.signers._should_use_global_endpoint = _ORIG_SHOULD_USE_GLOBAL_ENDPOINT


# ---------------------------------------------------------------------------------------------
# Our side: one batch run for every case


def run_batch(cases):
    return run_presign(["batch"], [c["request"] for c in cases], env=CLEAN_ENV, timeout=120, ensure_ascii=False)[1]


# ---------------------------------------------------------------------------------------------
# Comparison

DEFAULT_PORTS = {"http": "80", "https": "443"}


def authority(parts):
    scheme = parts.scheme.lower()
    netloc = parts.netloc.lower()
    host, sep, port = netloc.rpartition(":")
    if sep and not host.endswith("]") and "]" in port:
        host, port = netloc, ""  # bare IPv6 literal without a port
    if sep and port == DEFAULT_PORTS.get(scheme):
        netloc = host
    return f"{scheme}://{netloc}"


def query_pairs(query):
    """Query parameters as percent-decoded (name, value) pairs; '+' is a literal plus."""
    pairs = []
    for item in query.split("&") if query else []:
        name, _, value = item.partition("=")
        pairs.append((unquote(name, errors="strict"), unquote(value, errors="strict")))
    return pairs


def compare(case, ours, boto_url):
    """List of human-readable differences (empty when the case passes)."""
    diffs = []
    if "error" in ours:
        return [f"ours refused: {json.dumps(ours['error'], ensure_ascii=False)}"]
    url = ours.get("url", "")
    o, b = urlsplit(url), urlsplit(boto_url)
    if authority(o) != authority(b):
        diffs.append(f"scheme+host: ours {authority(o)!r} vs botocore {authority(b)!r}")
    if o.path != b.path:
        diffs.append(f"path: ours {o.path!r} vs botocore {b.path!r}")
    if o.fragment or b.fragment:
        diffs.append(f"fragment: ours {o.fragment!r} vs botocore {b.fragment!r}")
    oq, bq = query_pairs(o.query), query_pairs(b.query)
    oc, bc = Counter(oq), Counter(bq)
    if oc != bc:
        only_o = sorted((oc - bc).elements())
        only_b = sorted((bc - oc).elements())
        diffs.append(f"query: only in ours {only_o!r}; only in botocore {only_b!r}")
    osig = [v for n, v in oq if n == "X-Amz-Signature"]
    bsig = [v for n, v in bq if n == "X-Amz-Signature"]
    if len(bsig) != 1 or osig != bsig:
        diffs.append(f"X-Amz-Signature: ours {osig} vs botocore {bsig}")

    # botocore must really have signed at the frozen instant
    want_date = case["signed_at"].replace("-", "").replace(":", "")
    bdate = [v for n, v in bq if n == "X-Amz-Date"]
    if bdate != [want_date]:
        diffs.append(f"botocore X-Amz-Date {bdate} is not the frozen instant {want_date} (clock patch broken?)")

    # our result fields
    if ours.get("method") != case["method"]:
        diffs.append(f"method: ours {ours.get('method')!r} vs {case['method']!r}")
    signed = [v for n, v in bq if n == "X-Amz-SignedHeaders"]
    boto_signed = set(signed[0].split(";")) - {"host"} if len(signed) == 1 else set()
    our_headers = ours.get("headers", {})
    if set(our_headers) != boto_signed:
        diffs.append(f"result headers {sorted(our_headers)} vs botocore SignedHeaders minus host {sorted(boto_signed)}")
    for name, value in case["headers"].items():
        want = " ".join(value.split())  # SigV4 Trimall, as botocore's _header_value does it
        got = our_headers.get(name.lower())
        if got != want:
            diffs.append(f"result header {name}: {got!r}, want {want!r}")
    want_exp = parse_instant(case["signed_at"]) + datetime.timedelta(seconds=case["expires_in"])
    if ours.get("expiresAt") != want_exp.strftime("%Y-%m-%dT%H:%M:%SZ"):
        diffs.append(f"expiresAt {ours.get('expiresAt')!r}, want {want_exp:%Y-%m-%dT%H:%M:%SZ}")
    if ours.get("warnings"):
        diffs.append(f"unexpected warnings {ours['warnings']}")
    return diffs


def describe(case, ours, boto_url, diffs):
    params = {k: (f"<{len(v)} bytes>" if isinstance(v, bytes) else v) for k, v in case["params"].items()}
    t = case["target"]
    cfg = {k: t[k] for k in ("region", "style", "endpoint", "dualstack", "accelerate", "fips") if t[k]}
    out = [
        f"--- case {case['id']}: {case['method']} {case['op']}",
        "  request:  " + json.dumps(case["request"], ensure_ascii=False),
        f"  botocore: {case['op']}(Params={params!r}, ExpiresIn={case['expires_in']}) config={cfg}",
        f"  ours:     {ours.get('url', ours)}",
        f"  botocore: {boto_url}",
    ]
    out += [f"  DIFF {d}" for d in diffs]
    return "\n".join(out)


def main():
    rng = random.Random(SEED)
    cases = [gen_case(rng, i) for i in range(N_CASES)]
    results = run_batch(cases)

    passed, failures, raw_query_differs, default_port = 0, [], 0, 0
    quirk_hosts = Counter()
    coverage = Counter()
    for case, ours in zip(cases, results):
        try:
            boto_url = boto_presign(case)
        except Exception as e:  # a case botocore cannot sign is a broken case: fail it
            failures.append(describe(case, ours, "", [f"botocore raised {type(e).__name__}: {e}"]))
            continue
        diffs = compare(case, ours, boto_url)
        if diffs:
            failures.append(describe(case, ours, boto_url, diffs))
            continue
        passed += 1
        if case["target"]["style"] == "auto":
            legacy = urlsplit(boto_presign(case, global_endpoint_quirk=True)).netloc
            if legacy != urlsplit(boto_url).netloc:
                b = case["target"]["bucket"]
                host = "{bucket}" + legacy[len(b) :] if legacy.startswith(b + ".") else legacy
                quirk_hosts[(case["target"]["region"], case["target"]["fips"], host)] += 1
        if sorted(urlsplit(ours["url"]).query.split("&")) != sorted(urlsplit(boto_url).query.split("&")):
            raw_query_differs += 1
        if urlsplit(ours["url"]).netloc != urlsplit(boto_url).netloc:
            default_port += 1
        t = case["target"]
        coverage[f"method {case['method']} ({case['op']})"] += 1
        coverage[f"target {t['kind']}" + (" + dualstack" if t["dualstack"] and t["kind"] != "dualstack" else "")] += 1
        coverage[f"style {t['style']}"] += 1
        coverage["session token"] += case["creds"][2] is not None
        coverage["signed headers"] += bool(case["headers"])
        coverage["extra query"] += bool(case["request"].get("query"))
        key = case["request"]["key"]
        coverage["key: non-ASCII"] += not key.isascii()
        coverage["key: leading '/'"] += key.startswith("/")
        coverage["key: '.' or '..' segment"] += any(s in (".", "..") for s in key.split("/"))

    for f in failures[:SHOW_FAILURES]:
        print(f)
    if len(failures) > SHOW_FAILURES:
        print(f"... and {len(failures) - SHOW_FAILURES} more failing cases")
    print(f"botocore {botocore.__version__}, boto3 {boto3.__version__}, {PRESIGN}, seed {SEED}")
    print("passing cases cover: " + ", ".join(f"{k}: {v}" for k, v in sorted(coverage.items())))
    if raw_query_differs:
        print(f"note: {raw_query_differs} passing cases encode the query text differently (same decoded pairs)")
    if quirk_hosts:
        n = sum(quirk_hosts.values())
        seen = ", ".join(
            f"{region}{' fips' if fips else ''} -> {host}" for (region, fips, host) in sorted(quirk_hosts)
        )
        print(
            f"note: in {n} passing default-style cases botocore's presigner alone would use a global endpoint "
            f"while signing for the client's region (compared against its regional endpoint): {seen}"
        )
    if default_port:
        print(f"note: {default_port} passing cases differ only by an explicit default port in botocore's URL")
    return summary(passed, len(failures), minimum=500)


if __name__ == "__main__":
    sys.exit(main())
