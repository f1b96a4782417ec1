#!/usr/bin/env python3
"""Differential test: our GCS V4 signer (the `presign batch` CLI) against google-cloud-storage and
against an independent implementation of Google's documented algorithm written here.

Groups, all generated deterministically from one seed:
  A. GOOG4-RSA-SHA256 vs the SDK: `Blob.generate_signed_url(version="v4")` /
     `Bucket.generate_signed_url` with Google's dummy service-account key (tests/vectors/gcs), the
     SDK's clock frozen at the case's instant. Hostile object names, every method (and the SDK's
     "RESUMABLE"), path / virtual-hosted / bucket-bound (http and https) URLs, custom endpoints,
     signed headers (through `headers` and the dedicated content_type / content_md5 arguments),
     query parameters (through `query_parameters` and response_type / response_disposition /
     generation). Compared: the whole URL, byte for byte; our method, headers (exactly the
     SDK's signed headers besides host, values trimmed and collapsed) and expiresAt.
  B. GOOG4-RSA-SHA256 vs the spec, for what the SDK does differently from Google's conformance
     cases and the spec (documented in tests/vectors/gcs/SOURCE.md): a custom endpoint with a
     port (the SDK signs `host:port`, the conformance cases sign the host without it), query
     names where one is a prefix of another (the SDK sorts whole `k=v` strings, so `a-b=…` comes
     before `a=…`; the spec sorts by name), universe domains, `x-goog-content-sha256`. Our URL must
     equal the one built by `independent_url` and signed with `cryptography` (RSASSA-PKCS1-v1_5,
     SHA-256). Where the SDK can sign the same request, how often it differs is reported.
  C. GOOG4-HMAC-SHA256 vs the spec: no Google SDK for Python signs with HMAC keys, so every case is
     compared with `independent_url` using hmac/hashlib (key derivation
     GOOG4+secret -> date -> auto -> storage -> goog4_request).
  D. Refusals: requests that must fail with a given error code.

`independent_url` follows https://cloud.google.com/storage/docs/authentication/canonical-requests
and .../signatures, plus the host rules of Google's conformance cases; it shares no code with the
crate and none with the SDK (its own percent-encoder, header normalisation and sorting).

Run:  /tmp/presign-servers/py/venv/bin/python tests/gcs_py_diff.py   (PRESIGN_BIN overrides the
binary, which must be built with RSA: `cargo build --release --features cli,gcs-rsa`)
Last line: "N passed, M failed"; exit status 1 when M > 0 or N < 300.
"""

import base64
import datetime
import hashlib
import hmac
import json
import os
import random
import sys
import unicodedata
from urllib.parse import unquote, urlsplit

from harness import PRESIGN, TESTS, FrozenClock, isolate, parse_iso, require_presign, run_presign, summary

# Neither the SDK nor the CLI may pick up ambient Google configuration.
CLEAN_ENV = isolate(("GOOGLE_", "GCS_", "STORAGE_EMULATOR", "CLOUDSDK_"))

from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding  # noqa: E402
from google.cloud import storage  # noqa: E402
from google.cloud.storage import _signing  # noqa: E402
from google.oauth2 import service_account  # noqa: E402

KEY_FILE = os.path.join(TESTS, "vectors", "gcs", "test_service_account.not-a-test.json")

SEED = 20261125
N_SDK = 360
N_SPEC_RSA = 60
N_HMAC = 240
MIN_PASSED = 300
SHOW_FAILURES = int(os.environ.get("SHOW_FAILURES", "5"))

with open(KEY_FILE, encoding="utf-8") as f:
    KEY_INFO = json.load(f)
CLIENT_EMAIL = KEY_INFO["client_email"]
RSA_KEY = serialization.load_pem_private_key(KEY_INFO["private_key"].encode(), password=None)
SDK_CREDENTIALS = service_account.Credentials.from_service_account_info(KEY_INFO)

# ---------------------------------------------------------------------------------------------
# The SDK's clock, frozen per case. generate_signed_url_v4 reads `_signing._NOW` (imported from
# _helpers) for X-Goog-Date; every SDK URL is also checked for the case's X-Goog-Date, so a patch
# that stops working fails loudly instead of comparing against the wall clock.

CLOCK = FrozenClock()
CLOCK.patch(_signing, "_NOW")

# ---------------------------------------------------------------------------------------------
# Ingredients

INSTANTS = [
    "2026-11-25T10:00:00Z",
    "2019-02-01T09:00:00Z",  # the conformance cases' instant
    "2024-02-29T23:59:59Z",
    "2025-12-31T23:59:59Z",
    "2038-01-19T03:14:08Z",
    "2031-07-04T12:34:56Z",
]
EXPIRIES = [1, 10, 60, 900, 3600, 86400, 604800]

HMAC_KEYS = [
    ("GOOG1EZ4V7QMXJ2KZ6XH5CQJ7VQW3N5T2RYB5FQ6PAA4XN2M7J3K5L6QGZ", "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ"),
    ("GOOG1E0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDE", "abcdefghijklmnopqrstuvwxyz0123456789+/AB"),
    ("minioadmin", "minioadmin"),
]

BUCKETS = ["test-bucket", "bkt", "my_bucket", "logs-2026-11", "a1b2c3", "x" * 63, "0-leading-digit"]
DOTTED_BUCKETS = ["my.bucket", "www.example.com"]

NFC = unicodedata.normalize("NFC", "caf\u00e9")
NFD = unicodedata.normalize("NFD", "caf\u00e9")
assert NFC != NFD

SEGMENTS = [
    "photos", "file.txt", "a b", "two  spaces", "x+y", "k=v", "100%", "%2F", "%zz", "what?",
    "#hash", "!*'()", "a&b", "semi;colon", "c:d", "user@host", "$dollar", "c,d", NFC, NFD,
    "\U0001f600", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\u65e5\u672c\u8a9e",
    "\u03a9mega", "~tilde", "a~b", ".", "..", "...", "", "UPPER", "[br]", "{c}", "^", "`",
    "|pipe|", "back\\slash", '"quoted"', "<>", "-_.~", "tab\there", "\u00a0nbsp", "\ufeffbom",
    "del\x7f", "nul\x00", "plus+and space", "*",
]
PREFIXES = ["", "", "", "", "/", "//", "./", "../", "a/../"]
SUFFIXES = ["", "", "", "/", "//", "/.", "/.."]

CONTENT_TYPES = [
    "image/jpeg", "application/octet-stream", "text/plain; charset=utf-8",
    "  text/plain;   charset=utf-8  ", "\tmultipart/form-data; boundary=----x+y=z\t", "application/json",
]
DISPOSITIONS = [
    "attachment", "inline", 'attachment; filename="a b.txt"', "attachment; filename*=UTF-8''caf%C3%A9.txt",
    'attachment; filename="caf\u00e9 \U0001f600.pdf"', "attachment; filename=x+y=z&w.bin",
    'attachment; filename="~tilde;semi:colon#hash?.txt"',
]
# Query names of group A: none is a prefix of another (nor of an X-Goog-* name), so sorting by
# name and sorting whole "k=v" strings agree.
SDK_QUERY = {
    "userProject": ["my-project", "p-123"],
    "prefix": ["photos/", "a b/", ""],
    "delimiter": ["/"],
    "uploadId": ["ABPnzm5-xyz_0123", "a/b+c=d=="],
    "partNumber": ["1", "10000"],
    "X-Goog-Meta-Foo": ["bar", "b a r"],
    "max-keys": ["1000"],
    "alt": ["media"],
    "empty": [""],
    "\u00e9t\u00e9": ["\u00e9t\u00e9"],
    "a b": ["c d"],
}
# Name sets where one name is a prefix of another (group B / C only).
PREFIX_QUERY_SETS = [
    [("a", "1"), ("a-b", "2")],
    [("a", "x"), ("a1", "y")],
    [("x", ""), ("x.y", "z")],
    [("generation", "1"), ("generation-match", "2")],
    [("a-b", "2"), ("a", "1"), ("a_b", "3"), ("a~", "4")],
]
ENDPOINTS_NO_PORT = ["https://storage.example.com", "http://localhost", "https://xyz.googleapis.com", "http://gcs.internal"]
ENDPOINTS_WITH_PORT = [
    ("http://127.0.0.1:4443", None),
    ("localhost:8080", "http"),
    ("storage.googleapis.com:443", "https"),
    ("http://localhost:9000", "http"),
    ("https://gcs.example.com:8443", None),
]
BUCKET_BOUND = [
    ("mydomain.tld", "http"),
    ("mydomain.tld", "https"),
    ("cdn.example.com", "https"),
    ("https://files.example.org", None),
    ("http://assets.example.net", None),
]


def gen_object(rng):
    r = rng.random()
    if r < 0.03:
        return "k" * 1020 + "\U0001f600"  # exactly 1024 bytes of UTF-8
    if r < 0.06:
        return rng.choice(["/", "//", "./", "../", "~", " ", "+", "%", "?", "#", NFD, NFC, "..."])
    segs = [rng.choice(SEGMENTS) for _ in range(rng.randint(1, 4))]
    name = rng.choice(PREFIXES) + "/".join(segs) + rng.choice(SUFFIXES)
    if name in ("", ".", ".."):
        name = "empty-segments"
    return name


def rcase(rng, name):
    """Header names in random case: both sides must lower-case them."""
    r = rng.random()
    if r < 0.3:
        return name.upper()
    if r < 0.6:
        return "-".join(p.capitalize() for p in name.split("-"))
    return name


def spaced(rng, v):
    """Sometimes pad and double the spaces: the canonical form trims and collapses them."""
    if rng.random() < 0.3:
        return rng.choice([" ", "\t", "  "]) + v.replace(" ", rng.choice(["  ", " \t "])) + rng.choice(["", " ", "\t"])
    return v


def gen_headers(rng, method, resumable):
    """List of (name, value, how) where how is 'content_type' / 'content_md5' (SDK arguments) or
    'headers'."""
    kinds = [
        ("content-type", lambda: rng.choice(CONTENT_TYPES)),
        ("content-md5", lambda: base64.b64encode(bytes(rng.getrandbits(8) for _ in range(16))).decode()),
        ("x-goog-meta-" + rng.choice(["owner", "Color", "x_y", "a-b"]), lambda: spaced(rng, rng.choice(["alice", "r e d", "1,2,3", "caf%C3%A9"]))),
        ("x-goog-content-length-range", lambda: rng.choice(["0,1048576", "1, 10", "0,5368709120"])),
        ("cache-control", lambda: spaced(rng, rng.choice(["no-cache", "public, max-age=31536000", "private"]))),
        ("content-disposition", lambda: spaced(rng, rng.choice(['attachment; filename="a b.txt"', "inline"]))),
        ("content-encoding", lambda: rng.choice(["gzip", "br"])),
        ("content-language", lambda: rng.choice(["en", "de-CH"])),
        ("x-goog-acl", lambda: rng.choice(["private", "public-read", "bucket-owner-full-control"])),
        ("x-goog-storage-class", lambda: rng.choice(["STANDARD", "NEARLINE", "ARCHIVE"])),
        ("x-goog-if-generation-match", lambda: rng.choice(["0", "1700000000000000"])),
        ("if-none-match", lambda: '"etag-1"'),
        ("range", lambda: "bytes=0-99"),
        ("x-goog-user-project", lambda: "my-project"),
        ("x-goog-encryption-algorithm", lambda: "AES256"),
        ("x-goog-date", lambda: "20190201T090000Z"),
        ("header/name/with/slash", lambda: "should-be-encoded"),
    ]
    out = []
    used = set()
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 4])):
        name, val = rng.choice(kinds)
        if name in used or (resumable and name == "x-goog-resumable"):
            continue
        used.add(name)
        how = "headers"
        if name in ("content-type", "content-md5") and rng.random() < 0.5:
            how = name.replace("-", "_")
        out.append((rcase(rng, name) if how == "headers" else name, val(), how))
    if method == "POST" and not resumable and rng.random() < 0.5:
        out.append(("x-goog-resumable", "start", "headers"))
    return out


def gen_sdk_query(rng):
    """List of (name, value, how): how is 'response_type' / 'response_disposition' / 'generation'
    (SDK arguments) or 'query'."""
    out = []
    names = rng.sample(sorted(SDK_QUERY), rng.choice([0, 0, 1, 1, 2, 3]))
    for n in names:
        out.append((n, rng.choice(SDK_QUERY[n]), "query"))
    r = rng.random()
    if r < 0.2:
        out.append(("response-content-disposition", rng.choice(DISPOSITIONS), rng.choice(["query", "response_disposition"])))
    if rng.random() < 0.15:
        out.append(("response-content-type", rng.choice(CONTENT_TYPES).strip(), rng.choice(["query", "response_type"])))
    if rng.random() < 0.1:
        out.append(("generation", rng.choice(["1", "1700000000000000"]), rng.choice(["query", "generation"])))
    return out


# ---------------------------------------------------------------------------------------------
# The independent implementation (spec + conformance host rules)

UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def pct(s, keep_slash=False):
    out = []
    for b in s.encode("utf-8"):
        if b in UNRESERVED or (keep_slash and b == 0x2F):
            out.append(chr(b))
        else:
            out.append("%%%02X" % b)
    return "".join(out)


def norm_value(v):
    """Trim spaces/tabs at both ends, collapse inner runs of them to one space."""
    return " ".join(w for w in v.replace("\t", " ").split(" ") if w)


def split_host_spec(spec):
    """[scheme://]host[:port] -> (scheme or None, netloc)."""
    if "://" in spec:
        scheme, rest = spec.split("://", 1)
        return scheme.lower(), rest.rstrip("/").lower()
    return None, spec.rstrip("/").lower()


def strip_port(netloc):
    if netloc.startswith("["):
        return netloc[: netloc.index("]") + 1]
    return netloc.rsplit(":", 1)[0] if ":" in netloc else netloc


def independent_url(c, signer):
    """c: the case dict (our request schema); signer: 'hmac' (with c['_secret']) or 'rsa'."""
    t = datetime.datetime.strptime(c["signedAt"], "%Y-%m-%dT%H:%M:%SZ")
    xdate = t.strftime("%Y%m%dT%H%M%SZ")
    date = xdate[:8]
    scheme = c.get("scheme")
    style = c.get("urlStyle", "path")
    bucket = c["bucket"]
    if c.get("bucketBoundHostname"):
        s, netloc = split_host_spec(c["bucketBoundHostname"])
        scheme = s or scheme or "https"
        path = "/" + pct(c["object"], True) if "object" in c else "/"
    else:
        if c.get("endpoint"):
            s, base = split_host_spec(c["endpoint"])
            scheme = s or scheme or "https"
        else:
            base = "storage." + c.get("universeDomain", "googleapis.com")
            scheme = scheme or "https"
        if style == "virtualHosted":
            netloc = bucket + "." + base
            path = "/" + pct(c["object"], True) if "object" in c else "/"
        else:
            netloc = base
            path = "/" + bucket + ("/" + pct(c["object"], True) if "object" in c else "")
    host = strip_port(netloc)

    headers = {k.lower(): norm_value(v) for k, v in c.get("headers", {}).items()}
    headers["host"] = host
    names = sorted(headers)
    signed_headers = ";".join(names)
    payload = headers.get("x-goog-content-sha256", "UNSIGNED-PAYLOAD")

    algorithm = "GOOG4-HMAC-SHA256" if signer == "hmac" else "GOOG4-RSA-SHA256"
    identity = c["credentials"]["hmac"]["accessId"] if signer == "hmac" else CLIENT_EMAIL
    scope = f"{date}/auto/storage/goog4_request"
    params = list(c.get("query", {}).items()) + [
        ("X-Goog-Algorithm", algorithm),
        ("X-Goog-Credential", f"{identity}/{scope}"),
        ("X-Goog-Date", xdate),
        ("X-Goog-Expires", str(c.get("expiresIn", 3600))),
        ("X-Goog-SignedHeaders", signed_headers),
    ]
    query = "&".join(f"{k}={v}" for k, v in sorted((pct(k), pct(v)) for k, v in params))
    canonical = "\n".join(
        [c.get("method", "GET").upper(), path, query, "".join(f"{n}:{headers[n]}\n" for n in names), signed_headers, payload]
    )
    sts = "\n".join([algorithm, xdate, scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    if signer == "hmac":
        k = ("GOOG4" + c["_secret"]).encode()
        for part in (date, "auto", "storage", "goog4_request"):
            k = hmac.new(k, part.encode(), hashlib.sha256).digest()
        sig = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    else:
        sig = RSA_KEY.sign(sts.encode(), padding.PKCS1v15(), hashes.SHA256()).hex()
    return f"{scheme}://{netloc}{path}?{query}&X-Goog-Signature={sig}", {n: headers[n] for n in names if n != "host"}


# ---------------------------------------------------------------------------------------------
# Cases


def base_case(rng, instant):
    c = {"provider": "gcs", "signedAt": instant}
    if rng.random() < 0.85:
        c["expiresIn"] = rng.choice(EXPIRIES) if rng.random() < 0.6 else rng.randint(1, 604800)
    return c


def sdk_case(rng):
    instant = rng.choice(INSTANTS)
    c = base_case(rng, instant)
    method = rng.choice(["GET", "GET", "PUT", "PUT", "HEAD", "DELETE", "POST", "RESUMABLE"])
    resumable = method == "RESUMABLE"
    c["method"] = "POST" if resumable else method
    style = rng.choice(["path", "path", "path", "virtualHosted", "bucketBound"])
    bucket = rng.choice(BUCKETS + (DOTTED_BUCKETS if style != "virtualHosted" else []))
    c["bucket"] = bucket
    bucket_level = rng.random() < 0.05
    if not bucket_level:
        c["object"] = gen_object(rng)
    sdk = {"expiration": c.get("expiresIn", 3600), "method": method, "version": "v4", "credentials": SDK_CREDENTIALS}
    if style == "bucketBound":
        host, scheme = rng.choice(BUCKET_BOUND)
        c["bucketBoundHostname"] = host
        c["urlStyle"] = "bucketBound"
        if scheme:
            c["scheme"] = scheme
        sdk["bucket_bound_hostname"] = host
        sdk["scheme"] = scheme or "http"  # ignored by the SDK when the hostname has a scheme
    else:
        if style == "virtualHosted":
            c["urlStyle"] = "virtualHosted"
            sdk["virtual_hosted_style"] = True
        elif rng.random() < 0.3:
            c["urlStyle"] = "path"
        if rng.random() < 0.2:
            ep = rng.choice(ENDPOINTS_NO_PORT)
            c["endpoint"] = ep
            sdk["api_access_endpoint"] = ep
            if style == "virtualHosted" and ep.startswith("https") and "." in bucket:
                c["bucket"] = bucket = "test-bucket"
        if rng.random() < 0.1 and "endpoint" not in c:
            c["scheme"] = "https"
    headers = gen_headers(rng, c["method"], resumable)
    if headers:
        c["headers"] = {n: v for n, v, _ in headers}
    if resumable:
        c.setdefault("headers", {})["x-goog-resumable"] = "start"
    sdk_headers = {n: v for n, v, how in headers if how == "headers"}
    for n, v, how in headers:
        if how != "headers":
            sdk[how] = v
    if sdk_headers:
        sdk["headers"] = sdk_headers
    if bucket_level:
        for k in ("content_type", "content_md5"):
            if k in sdk:  # Bucket.generate_signed_url has no such arguments
                sdk.setdefault("headers", {})[k.replace("_", "-")] = sdk.pop(k)
    query = gen_sdk_query(rng)
    if bucket_level:
        query = [(n, v, "query") for n, v, _ in query]
    if query:
        c["query"] = {n: v for n, v, _ in query}
    sdk_query = {n: v for n, v, how in query if how == "query"}
    for n, v, how in query:
        if how != "query":
            sdk[how] = v
    if sdk_query:
        sdk["query_parameters"] = sdk_query
    c["credentials"] = {"serviceAccount": KEY_INFO}
    return c, sdk, bucket_level, instant


def spec_case(rng, signer):
    """Everything, including what the SDK does differently (ports, prefix names, universes)."""
    c = base_case(rng, rng.choice(INSTANTS))
    c["method"] = rng.choice(["GET", "PUT", "HEAD", "DELETE", "POST"])
    style = rng.choice(["path", "path", "virtualHosted", "bucketBound"])
    bucket = rng.choice(BUCKETS + (DOTTED_BUCKETS if style != "virtualHosted" else []))
    c["bucket"] = bucket
    if rng.random() > 0.08:
        c["object"] = gen_object(rng)
    if style == "bucketBound":
        host, scheme = rng.choice(BUCKET_BOUND + [("cdn.example.com:8443", "https"), ("http://localhost:8080", None)])
        c["bucketBoundHostname"] = host
        if scheme:
            c["scheme"] = scheme
        if rng.random() < 0.5:
            c["urlStyle"] = "bucketBound"
    else:
        if style == "virtualHosted":
            c["urlStyle"] = "virtualHosted"
        r = rng.random()
        if r < 0.35:
            ep, scheme = rng.choice(ENDPOINTS_WITH_PORT + [(e, None) for e in ENDPOINTS_NO_PORT])
            if style == "virtualHosted" and ep.split("://")[-1].split(":")[0].replace(".", "").isdigit():
                ep, scheme = "localhost:8080", "http"
            c["endpoint"] = ep
            if scheme:
                c["scheme"] = scheme
        elif r < 0.55:
            c["universeDomain"] = rng.choice(["domain.com", "example.org", "googleapis.com"])
            if rng.random() < 0.3:
                c["scheme"] = "http"
    headers = gen_headers(rng, c["method"], False)
    hdrs = {n: v for n, v, _ in headers}
    if rng.random() < 0.15:
        hdrs["X-Goog-Content-SHA256"] = hashlib.sha256(b"hello %d" % rng.randint(0, 9)).hexdigest()
    if hdrs:
        c["headers"] = hdrs
    q = {}
    if rng.random() < 0.5:
        q.update(rng.choice(PREFIX_QUERY_SETS))
    for n, v, _ in gen_sdk_query(rng):
        q[n] = v
    if q:
        c["query"] = q
    if signer == "hmac":
        access_id, secret = rng.choice(HMAC_KEYS)
        c["credentials"] = {"hmac": {"accessId": access_id, "secret": secret}}
        c["_secret"] = secret
    else:
        c["credentials"] = {"serviceAccount": KEY_INFO}
    # Virtual-hosted needs a host name and, over https, a bucket without dots.
    if c.get("urlStyle") == "virtualHosted":
        _, netloc = split_host_spec(c.get("endpoint", "storage.x"))
        if strip_port(netloc).replace(".", "").isdigit():
            c["endpoint"] = "localhost:8080"
            c["scheme"] = "http"
    return c


_CLIENT = []


def sdk_url(sdk, bucket_name, obj, bucket_level, instant):
    if not _CLIENT:
        _CLIENT.append(storage.Client(project=KEY_INFO["project_id"], credentials=SDK_CREDENTIALS))
    bucket = _CLIENT[0].bucket(bucket_name)
    with CLOCK.at(parse_iso(instant)):
        if bucket_level:
            return bucket.generate_signed_url(**sdk)
        return bucket.blob(obj).generate_signed_url(**sdk)


def sdk_compatible(c):
    """Whether the SDK can sign exactly this request (group B): no port in a custom endpoint or
    bucket-bound hostname (it would sign host:port), no universe domain (client option)."""
    if "universeDomain" in c or "X-Goog-Content-SHA256" in c.get("headers", {}):
        return False
    for k in ("endpoint", "bucketBoundHostname"):
        if k in c and ":" in split_host_spec(c[k])[1]:
            return False
    if "endpoint" in c and "://" not in c["endpoint"]:
        return False
    return True


def sdk_args_for_spec_case(c):
    sdk = {"expiration": c.get("expiresIn", 3600), "method": c["method"], "version": "v4", "credentials": SDK_CREDENTIALS}
    if "bucketBoundHostname" in c:
        sdk["bucket_bound_hostname"] = c["bucketBoundHostname"]
        sdk["scheme"] = c.get("scheme", "http")
    if c.get("urlStyle") == "virtualHosted":
        sdk["virtual_hosted_style"] = True
    if "endpoint" in c:
        sdk["api_access_endpoint"] = c["endpoint"]
    elif "bucketBoundHostname" not in c and c.get("scheme") == "http":
        sdk["api_access_endpoint"] = "http://storage.googleapis.com"
    if c.get("headers"):
        sdk["headers"] = dict(c["headers"])
    if c.get("query"):
        sdk["query_parameters"] = dict(c["query"])
    return sdk


REFUSALS = [
    ({"bucket": "test-bucket", "object": "o", "query": {"X-Goog-Signature": "x"}}, "INVALID_QUERY"),
    ({"bucket": "test-bucket", "object": "o", "query": {"x-goog-credential": "x"}}, "INVALID_QUERY"),
    ({"bucket": "test-bucket", "object": "o", "query": {"X-Goog-Expires": "1"}}, "INVALID_QUERY"),
    ({"bucket": "test-bucket", "object": "o", "headers": {"Host": "evil.example"}}, "INVALID_HEADER"),
    ({"bucket": "test-bucket", "object": "o", "headers": {"x-a": "1\r\nx-b: 2"}}, "INVALID_HEADER"),
    ({"bucket": "test-bucket", "object": ".."}, "INVALID_KEY"),
    ({"bucket": "test-bucket", "object": "a\nb"}, "INVALID_KEY"),
    ({"bucket": "test-bucket", "object": "k" * 1025}, "INVALID_KEY"),
    ({"bucket": "Test_Bucket", "object": "o"}, "INVALID_BUCKET"),
    ({"bucket": "my.bucket", "object": "o", "urlStyle": "virtualHosted"}, "INVALID_BUCKET"),
    ({"bucket": "test-bucket", "object": "o", "expiresIn": 0}, "INVALID_EXPIRY"),
    ({"bucket": "test-bucket", "object": "o", "expiresIn": 604801}, "INVALID_EXPIRY"),
    ({"bucket": "test-bucket", "object": "o", "endpoint": "http://localhost:1", "scheme": "https"}, "INVALID_ENDPOINT"),
    ({"bucket": "test-bucket", "object": "o", "urlStyle": "bucketBound"}, "INVALID_ENDPOINT"),
]


# ---------------------------------------------------------------------------------------------


def run_ours(requests):
    require_presign("cli,gcs-rsa")
    sent = [{k: v for k, v in r.items() if not k.startswith("_")} for r in requests]
    results = run_presign(["batch"], sent, env=CLEAN_ENV, timeout=300)[1]
    codes = {r.get("error", {}).get("code") for r, q in zip(results, requests) if "serviceAccount" in q.get("credentials", {})}
    if codes == {"UNSUPPORTED"}:
        sys.exit(f"{PRESIGN} cannot sign with a service-account key: build it with `--features cli,gcs-rsa`")
    return results


def expires_at(c):
    t = datetime.datetime.strptime(c["signedAt"], "%Y-%m-%dT%H:%M:%SZ")
    return (t + datetime.timedelta(seconds=c.get("expiresIn", 3600))).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    rng = random.Random(SEED)
    requests, checks = [], []

    for _ in range(N_SDK):
        c, sdk, bucket_level, instant = sdk_case(rng)
        want = sdk_url(sdk, c["bucket"], c.get("object"), bucket_level, instant)
        xdate = datetime.datetime.strptime(instant, "%Y-%m-%dT%H:%M:%SZ").strftime("X-Goog-Date=%Y%m%dT%H%M%SZ&")
        if xdate not in want:
            sys.exit(f"the SDK did not sign at the frozen instant {instant}: {want}")
        signed = unquote(urlsplit(want).query.split("X-Goog-SignedHeaders=")[1].split("&")[0]).split(";")
        want_headers = {k.lower(): norm_value(v) for k, v in c.get("headers", {}).items()}
        if sorted(want_headers) != sorted(h for h in signed if h != "host"):
            sys.exit(f"case generator and SDK disagree on signed headers: {signed} vs {sorted(want_headers)}")
        requests.append(c)
        checks.append(("A sdk-rsa", c, want, want_headers))

    # Group B also cross-checks the independent implementation against the SDK wherever the SDK
    # can sign the same request: equal URLs unless query names prefix each other.
    divergent_sdk = comparable_sdk = 0
    cross_failures = []
    for _ in range(N_SPEC_RSA):
        c = spec_case(rng, "rsa")
        want, want_headers = independent_url(c, "rsa")
        if sdk_compatible(c):
            comparable_sdk += 1
            other = sdk_url(sdk_args_for_spec_case(c), c["bucket"], c.get("object"), "object" not in c, c["signedAt"])
            names = [pct(n) for n in c.get("query", {})]
            prefixed = any(a != b and b.startswith(a) for a in names for b in names)
            if other != want:
                divergent_sdk += 1
                if not prefixed:
                    cross_failures.append((c, other, want))
        requests.append(c)
        checks.append(("B spec-rsa", c, want, want_headers))

    for _ in range(N_HMAC):
        c = spec_case(rng, "hmac")
        want, want_headers = independent_url(c, "hmac")
        requests.append(c)
        checks.append(("C spec-hmac", c, want, want_headers))

    for extra, code in REFUSALS:
        c = {"provider": "gcs", "signedAt": INSTANTS[0], "credentials": {"hmac": {"accessId": HMAC_KEYS[0][0], "secret": HMAC_KEYS[0][1]}}}
        c.update(extra)
        requests.append(c)
        checks.append(("D refusal", c, code, None))

    results = run_ours(requests)
    passed = failed = 0
    by_group = {}
    shown = 0
    for (group, c, want, want_headers), got in zip(checks, results):
        problems = []
        if group == "D refusal":
            if got.get("error", {}).get("code") != want:
                problems.append(f"expected error {want}, got {got}")
        elif "error" in got:
            problems.append(f"error {got['error']}")
        else:
            if got["url"] != want:
                problems.append(f"url\n      ours: {got['url']}\n      want: {want}")
            if got["method"] != c.get("method", "GET"):
                problems.append(f"method {got['method']}")
            if got["headers"] != want_headers:
                problems.append(f"headers {got['headers']} want {want_headers}")
            if got["expiresAt"] != expires_at(c):
                problems.append(f"expiresAt {got['expiresAt']} want {expires_at(c)}")
        g = by_group.setdefault(group, [0, 0])
        if problems:
            failed += 1
            g[1] += 1
            if shown < SHOW_FAILURES:
                shown += 1
                shown_case = {k: (v if k != "credentials" else "...") for k, v in c.items()}
                print(f"FAIL [{group}] {json.dumps(shown_case, ensure_ascii=False)}")
                for p in problems:
                    print("    " + p)
        else:
            passed += 1
            g[0] += 1
    for c, other, want in cross_failures:
        failed += 1
        print(f"FAIL [B independent vs SDK] {c.get('bucket')} {c.get('object')!r}\n      sdk:  {other}\n      spec: {want}")
    for group in sorted(by_group):
        print(f"{group}: {by_group[group][0]} passed, {by_group[group][1]} failed")
    print(
        f"note: of {comparable_sdk} group-B cases the SDK could sign, it produced a different URL for "
        f"{divergent_sdk}, all with query names that prefix each other (it sorts whole k=v strings)"
    )
    sys.exit(summary(passed, failed, minimum=MIN_PASSED))


if __name__ == "__main__":
    main()
