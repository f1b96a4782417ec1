#!/usr/bin/env python3
"""Differential test: our browser form uploads (`presign post --json-request`) against the official
SDKs' POST-policy signers.

- S3: boto3 `generate_presigned_post` (botocore's S3SigV4PostAuth), time frozen to the case's instant.
- GCS, service-account key: google-cloud-storage `Client.generate_signed_post_policy_v4` (RSA), time
  frozen, with Google's dummy key (tests/vectors/gcs, the conformance key).
- GCS, HMAC key: the SDK has no HMAC POST signer; an independent implementation here (the SDK's
  layout, `x-goog-algorithm` GOOG4-HMAC-SHA256, signature = hex HMAC of the base64 policy with the
  GOOG4 V4 key of {date}/auto/storage/goog4_request, computed with Python's hmac).

Cases are generated deterministically: hostile keys (spaces, quotes, backslashes, `%`, `+`, tabs,
control characters, NFC/NFD, emoji outside the BMP, CJK), `${filename}` at every position (alone,
first, in the middle, last, twice), key prefixes and `anyKey`, every model member (content-length-range,
content type exact, starts-with and a pre-filled default within the prefix, success_action_status /
success_action_redirect, metadata with non-ASCII values, acl / cache-control / content-disposition /
content-encoding, arbitrary fields and starts-with conditions), free `conditions` in every SDK shape
({"name": v}, ["eq", "$name", v], ["starts-with", "$name", p], ["content-length-range", a, b]) in the
caller's order, some naming a pre-filled field (which they must accept), some naming no field at all
(the browser supplies it), `x-ignore-*` fields, session tokens, regions and partitions, virtual-hosted /
path / custom endpoints, GCS path / virtual-hosted / bucket-bound / custom endpoint, expiries up to 7
days, signing instants. Per case it compares the form URL, every form field in order (so the base64
policy and the signature exactly: both SDKs' layouts are deterministic), the decoded policy as JSON
(reported separately when the JSON is equal but the bytes are not) and expiresAt, and that no policy
holds ["starts-with", "$key", ""] unless the request said anyKey. It counts the cases exercising each
widened generator and fails when one produced none. A list of inputs we refuse is checked for the error
code.

How both sides are given the same input (the mapping is the one our docs state, written out here
independently): the members' conditions come first (content-length-range, the content-type prefix,
startsWith), then the free `conditions` as given; every pre-filled form field goes into the SDK's
fields, and those that no condition names (case-insensitively) and that are not `x-ignore-*` (lower
case, as google-cloud-storage tests it) also get a `{name: value}` condition, sorted by name, after
the others (google-cloud-storage adds and sorts these itself, so it gets only those fields; the fields
its form then lacks, pre-filled ones under a condition and x-ignore-* ones, are put in the expected
form in name order: the policy bytes and signature are still the SDK's). Keys: boto3 gets `Key` as
given (its rule: starts-with the text before a final `${filename}`, exact otherwise), `keyPrefix` P as
`P${filename}`, `anyKey` as `${filename}` (the one key for which boto3 writes ["starts-with", "$key",
""]; we require anyKey for it); google-cloud-storage gets exact keys only (it always writes {"key":
name}), so keyPrefix / anyKey cases run against the independent HMAC implementation. Known, deliberate
differences are not generated: boto3 sends virtual-hosted forms outside us-east-1 to the legacy global
endpoint unless addressing_style is "virtual" (we always use the regional one), so non-dotted buckets
name "virtual" for boto3; custom endpoints name the style on both sides (botocore's "auto" means path
there, ours virtual-hosted); google-cloud-storage 3.17.1 leaves x-ignore-* fields out of the form
(@google-cloud/storage keeps them, as the services' documentation says a form may carry them).

Run:  /tmp/presign-servers/py/venv/bin/python tests/post_py_diff.py   (PRESIGN_BIN overrides the binary;
build it with `cargo build --release --features cli`). Last line: "N passed, M failed"; exit status 1
when M > 0 or N < MIN_PASSED.
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

from harness import TESTS, FrozenClock, isolate, parse_iso, run_presign, summary
from harness import AWS_EXAMPLE_KEY_ID as AK, AWS_EXAMPLE_SECRET as SK

CLEAN_ENV = isolate(("AWS_", "GOOGLE_", "GCS_", "STORAGE_EMULATOR", "CLOUDSDK_", "AZURE_"), no_aws_files=True)

import boto3  # noqa: E402
import botocore.auth  # noqa: E402
import botocore.signers  # noqa: E402
from botocore.config import Config  # noqa: E402
from google.cloud import storage  # noqa: E402
from google.cloud.storage import _signing  # noqa: E402
from google.cloud.storage import client as gcs_client_module  # noqa: E402
from google.oauth2 import service_account  # noqa: E402

KEY_FILE = os.path.join(TESTS, "vectors", "gcs", "test_service_account.not-a-test.json")

SEED = 20261124
N_S3 = 400
N_GCS_RSA = 240
N_GCS_HMAC = 200
MIN_PASSED = 800
SHOW_FAILURES = int(os.environ.get("SHOW_FAILURES", "5"))

with open(KEY_FILE, encoding="utf-8") as f:
    KEY_INFO = json.load(f)
SDK_CREDENTIALS = service_account.Credentials.from_service_account_info(KEY_INFO)

HMAC_ID = "GOOG1EXAMPLEHMACACCESSIDFORTESTS0000000000000000000000000"
HMAC_SECRET = "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ"

# ---------------------------------------------------------------------------------------------
# Frozen SDK clocks. Every SDK result is also checked for the case's date field, so a patch that
# stops working fails loudly instead of comparing against the wall clock.

CLOCK = FrozenClock()
for mod, name in [(botocore.auth, "get_current_datetime"), (botocore.signers, "get_current_datetime"),
                  (_signing, "_NOW"), (gcs_client_module, "_NOW")]:
    CLOCK.patch(mod, name)


# ---------------------------------------------------------------------------------------------
# Ingredients

HOSTILE = [
    "plain.txt",
    "with space.txt",
    "quote\"d and 'single'.txt",
    "back\\slash.txt",
    "percent%20literal%.txt",
    "plus+equals=amp&.txt",
    "tab\there.txt",
    "ctrl\x01\x1f\x7f.txt",
    "caf\u00e9-nfc.txt",
    unicodedata.normalize("NFD", "caf\u00e9-nfd.txt"),
    "emoji-\U0001F600-\U0001F4A9.txt",
    "\u65e5\u672c\u8a9e/\u30d5\u30a1\u30a4\u30eb.txt",
    "line\u2028sep\u2029.txt",
    "brackets[]{}<>|^`.txt",
    "dollar$sign${notavar}.txt",
    "double//slash.txt",
    "/leading-slash.txt",
    "a/./b/../c.txt",
    "json\"}],\"inject\":[\"x.txt",
]
PREFIXES = ["uploads/", "user/user1/", "caf\u00e9/", "sp ace/", "a+b/", "\U0001F600/", "deep/er/", "x"]
# ${filename} at every position: alone, first, in the middle, last, twice.
FILENAME_KEYS = [
    "${filename}",
    "${filename}.jpg",
    "${filename}/x.txt",
    "up/${filename}",
    "caf\u00e9 \U0001F600/${filename}",
    "up/${filename}.jpg",
    "a${filename}b",
    "a/${filename}/${filename}",
    "${filename}${filename}",
    "${filename}/${filename}.txt",
]
VALUES = [
    "simple",
    "with space",
    "caf\u00e9 \u00e9t\u00e9",
    "quote \" backslash \\",
    "emoji \U0001F600",
    "\u65e5\u672c",
    "ctl\x01\x7f",
    "",
    "attachment; filename=\"~._-%=/\u00e90Aa\"",
]
CONTENT_TYPES = ["image/png", "text/plain; charset=utf-8", "application/octet-stream", "video/mp4"]
CT_PREFIXES = ["image/", "text/", "", "application/vnd."]
ACLS = ["private", "public-read", "bucket-owner-full-control", "authenticated-read"]
REDIRECTS = ["https://example.com/done", "http://www.google.com/", "https://app.example.com/ok?x=1&y=\u00e9"]
# Fields the caller's free conditions name (mixed case: names are case-insensitive).
COND_NAMES = ["acl", "Content-Type", "cache-control", "Content-Disposition", "success_action_redirect", "redirect",
              "Expires", "x-custom", "{meta}tag", "{meta}Owner", "{meta}a.b"]
# x-ignore-* as both google-cloud-storage and @google-cloud/storage test it: lower case exactly
# ("X-Ignore-a.b" is an ordinary field, with an exact condition).
IGNORED = ["x-ignore-note", "x-ignore-Flash", "X-Ignore-a.b"]

# What each case exercises (counted, printed, and required to be non-zero: a generator that stops
# producing a feature fails the run).
FEATURES = ["filename alone", "filename first", "filename middle", "filename last", "anyKey", "keyPrefix",
            "free conditions", "caller order (2+ conditions)", "eq array", "pre-filled starts-with field",
            "exact-only condition", "x-ignore field"]


def filename_position(key):
    i = key.find("${filename}")
    if i < 0:
        return None
    if key == "${filename}":
        return "filename alone"
    if i == 0:
        return "filename first"
    if key.endswith("${filename}"):
        return "filename last"
    return "filename middle"


def pick_key(rng, allow_filename):
    if allow_filename and rng.random() < 0.3:
        return rng.choice(FILENAME_KEYS)
    k = rng.choice(HOSTILE)
    if rng.random() < 0.3:
        k = rng.choice(PREFIXES[:2]) + k
    return k


def random_instant(rng):
    t = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(
        seconds=rng.randrange(0, 8 * 365 * 86400))
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def form_value(form, name):
    for n, v in form.items():
        if n.lower() == name.lower():
            return v
    return None


def cond_field(cond):
    """The field a condition (in the SDK shape) names, lower-cased; None for content-length-range."""
    if isinstance(cond, dict):
        return next(iter(cond)).lower()
    if cond[0] == "content-length-range":
        return None
    return cond[1][1:].lower()


def random_policy(rng, meta_prefix, key_mode, features):
    """Our request's policy members, and the same meaning for the SDKs: `form` (every pre-filled
    form field as it appears in our form: name -> value), `leading` (the members' conditions:
    content-length-range, content-type prefix, startsWith, in that order) and `free` (the caller's
    `conditions`, SDK shapes, in order). `key_mode`: "s3" (keyPrefix / anyKey as boto3 can say
    them), "exact" (google-cloud-storage: exact keys only), "any" (every key member)."""
    c = {"signedAt": random_instant(rng), "expiresIn": rng.choice([1, 60, 600, 3600, 86400, 604800, rng.randrange(1, 604801)])}
    r = rng.random()
    if key_mode != "exact" and r < 0.2:
        c["keyPrefix"] = rng.choice(PREFIXES)
        features.add("keyPrefix")
    elif key_mode != "exact" and r < 0.27:
        c["anyKey"] = True
        features.add("anyKey")
        if key_mode == "s3":
            if rng.random() < 0.5:
                c["key"] = "${filename}"  # boto3's Key="${filename}"; without anyKey we refuse it
        elif rng.random() < 0.5:
            c["key"] = pick_key(rng, True)
    else:
        c["key"] = pick_key(rng, True)
        if key_mode == "s3" and c["key"] == "${filename}":
            c["anyKey"] = True  # the explicit way to say what boto3 turns it into
            features.add("anyKey")
    if "key" in c and filename_position(c["key"]):
        features.add(filename_position(c["key"]))

    form = {}
    leading = []
    taken = set()  # fields a condition names (lower case)
    if rng.random() < 0.5:
        lo = rng.choice([0, 0, 1, 100])
        hi = lo + rng.choice([0, 1, 1024, 10 * 1000 * 1000, 5 * 1024 ** 4])
        c["contentLengthRange"] = {"min": lo, "max": hi}
        leading.append(["content-length-range", lo, hi])
    r = rng.random()
    if r < 0.25:
        c["contentType"] = rng.choice(CONTENT_TYPES)
        form["content-type"] = c["contentType"]
    elif r < 0.55:
        c["contentTypePrefix"] = rng.choice(CT_PREFIXES)
        leading.append(["starts-with", "$content-type", c["contentTypePrefix"]])
        taken.add("content-type")
        if rng.random() < 0.4:
            # a default content type within the prefix (the example)
            c["contentType"] = c["contentTypePrefix"] + rng.choice(["png", "plain", "x-y", "\u00e9"])
            form["content-type"] = c["contentType"]
            features.add("pre-filled starts-with field")
    for member, field, pool in [("acl", "acl", ACLS), ("cacheControl", "cache-control", ["max-age=60", "public,max-age=86400", "no-store"]),
                                ("contentDisposition", "content-disposition", VALUES), ("contentEncoding", "content-encoding", ["gzip", "identity"]),
                                ("successActionRedirect", "success_action_redirect", REDIRECTS)]:
        if rng.random() < 0.2:
            c[member] = rng.choice(pool)
            form[field] = c[member]
    if rng.random() < 0.2:
        c["successActionStatus"] = rng.choice([200, 201, 204])
        form["success_action_status"] = str(c["successActionStatus"])
    if rng.random() < 0.35:
        c["metadata"] = {}
        for _ in range(rng.randint(1, 3)):
            name = rng.choice(["uuid", "Owner", "tag-1", "x_y", "CamelCase", "a.b"])
            if name.lower() in {n.lower() for n in c["metadata"]}:
                continue
            c["metadata"][name] = rng.choice(VALUES)
            form[meta_prefix + name.lower()] = c["metadata"][name]
    fields = {}
    if rng.random() < 0.2:
        extra = rng.choice([{"x-amz-storage-class": "STANDARD_IA"}, {"x-amz-server-side-encryption": "AES256"}, {"expires": "Thu, 01 Dec 2030 16:00:00 GMT"}, {"Custom-Field": "\u00e9"}]) \
            if meta_prefix == "x-amz-meta-" else rng.choice([{"x-goog-storage-class": "NEARLINE"}, {"expires": "Thu, 01 Dec 2030 16:00:00 GMT"}, {"Custom-Field": "\u00e9"}])
        fields.update(extra)
    if rng.random() < 0.15:
        name = rng.choice(IGNORED)
        fields[name] = rng.choice(VALUES)
        if name.startswith("x-ignore-"):
            features.add("x-ignore field")
    form.update(fields)  # none of these names can be a typed member's or metadata's
    if rng.random() < 0.2 and "content-type" not in taken:
        name = rng.choice([meta_prefix + "tag", "x-custom"])
        prefix = rng.choice(["", "pre", "\u00e9"])
        c["startsWith"] = {name: prefix}
        leading.append(["starts-with", "$" + name, prefix])
        taken.add(name.lower())
        if rng.random() < 0.3 and form_value(form, name) is None:
            fields[name] = form[name] = prefix + "v"
            features.add("pre-filled starts-with field")

    # The caller's free conditions, in their order, in every shape.
    free = []
    if rng.random() < 0.45:
        features.add("free conditions")
        for _ in range(rng.randint(1, 5)):
            if rng.random() < 0.12:
                lo = rng.choice([0, 1, 10])
                free.append(["content-length-range", lo, lo + rng.choice([0, 5, 10 ** 9])])
                continue
            name = rng.choice(COND_NAMES).replace("{meta}", meta_prefix)
            if name.lower() in taken:
                continue
            taken.add(name.lower())
            shape = rng.choice(["object", "eq", "starts-with"])
            existing = form_value(form, name)
            if existing is not None:
                # a condition on a pre-filled field: it must accept the value
                value = existing if shape != "starts-with" else existing[:rng.randint(0, len(existing))]
                if shape == "starts-with":
                    features.add("pre-filled starts-with field")
            else:
                value = rng.choice(VALUES + ["image/", "https://example.com/"])
                r = rng.random()
                if shape == "starts-with" and r < 0.5:
                    fields[name] = form[name] = value + rng.choice(["", "x", "\u00e9"])
                    features.add("pre-filled starts-with field")
                elif shape != "starts-with" and r < 0.3:
                    fields[name] = form[name] = value
                elif shape != "starts-with":
                    features.add("exact-only condition")
            if shape == "object":
                free.append({name: value})
            else:
                free.append([shape, "$" + name, value])
                if shape == "eq":
                    features.add("eq array")
        if len(free) >= 2:
            features.add("caller order (2+ conditions)")
        if free:
            c["conditions"] = free
    if fields:
        c["fields"] = fields
    return c, form, leading, free


def sdk_split(form, leading, free):
    """The documented mapping: form fields that no condition names get an exact condition,
    sorted by name, after the conditions; x-ignore-* fields never get one."""
    named = {cond_field(x) for x in leading + free} - {None}
    uncovered = sorted((n, v) for n, v in form.items() if n.lower() not in named and not n.startswith("x-ignore-"))
    return uncovered


# ---------------------------------------------------------------------------------------------
# S3 vs boto3

S3_REGIONS = ["us-east-1", "eu-west-1", "ap-northeast-1", "sa-east-1", "cn-north-1", "us-gov-west-1"]
_BOTO = {}


def boto_client(region, style, endpoint, token):
    k = (region, style, endpoint, token)
    if k not in _BOTO:
        cfg = Config(signature_version="s3v4", s3={"addressing_style": style})
        _BOTO[k] = boto3.client("s3", region_name=region, aws_access_key_id=AK, aws_secret_access_key=SK,
                                aws_session_token=token, config=cfg, endpoint_url=endpoint)
    return _BOTO[k]


def s3_case(rng, features):
    c, form, leading, free = random_policy(rng, "x-amz-meta-", "s3", features)
    c["provider"] = "s3"
    token = None
    c["credentials"] = {"accessKeyId": AK, "secretAccessKey": SK}
    if rng.random() < 0.3:
        token = "IQoJb3JpZ2luX2VjE" + "".join(rng.choice("abcXYZ019+/=") for _ in range(40))
        c["credentials"]["sessionToken"] = token
    r = rng.random()
    endpoint = None
    if r < 0.15:
        endpoint = rng.choice(["http://127.0.0.1:9000", "https://s3.example.com", "http://minio.local:9000/base"])
        style = "path" if "127.0.0.1" in endpoint or rng.random() < 0.6 else "virtual"
        if endpoint.endswith("/base"):
            style = "path"
        c["endpoint"] = endpoint
        c["urlStyle"] = "path" if style == "path" else "virtualHosted"
        c["bucket"] = rng.choice(["bkt", "my-bucket", "uploads-2026"])
        region = rng.choice(["us-east-1", "eu-west-1"])
    else:
        region = rng.choice(S3_REGIONS)
        if rng.random() < 0.2:
            c["bucket"] = rng.choice(["my.bucket", "My_Bucket", "dotted.name.bucket"])
            style = "path"  # our default falls back to path style for these
        else:
            c["bucket"] = rng.choice(["my-bucket", "sigv4examplebucket", "a1-b2-c3"])
            style = "virtual"
            if rng.random() < 0.3:
                style = "path"
                c["urlStyle"] = "path"
    c["region"] = region
    if "keyPrefix" in c:
        key = c["keyPrefix"] + "${filename}"  # boto3: ["starts-with", "$key", prefix]
    elif c.get("anyKey"):
        key = "${filename}"  # boto3: ["starts-with", "$key", ""]
    else:
        key = c["key"]
    uncovered = sdk_split(form, leading, free)
    sdk = {"Bucket": c["bucket"], "Key": key, "Fields": dict(sorted(form.items())),
           "Conditions": leading + free + [{k: v} for k, v in uncovered], "ExpiresIn": c["expiresIn"]}
    return c, (region, style, endpoint, token), sdk


def boto_post(client_key, sdk, instant):
    client = boto_client(*client_key)
    with CLOCK.at(parse_iso(instant)):
        return client.generate_presigned_post(**sdk)


# ---------------------------------------------------------------------------------------------
# GCS vs google-cloud-storage (RSA) and the independent HMAC signer

_GCS = {}


def gcs_client(endpoint):
    if endpoint not in _GCS:
        opts = {"api_endpoint": endpoint} if endpoint else None
        _GCS[endpoint] = storage.Client(project=KEY_INFO["project_id"], credentials=SDK_CREDENTIALS, client_options=opts)
    return _GCS[endpoint]


def gcs_case(rng, hmac_key, features):
    c, form, leading, free = random_policy(rng, "x-goog-meta-", "any" if hmac_key else "exact", features)
    c["provider"] = "gcs"
    c["bucket"] = rng.choice(["test-bucket", "rsaposttest-1579902670-h3q7wvodjor6bc7y", "my_bucket", "a.b.c"])
    if hmac_key:
        c["credentials"] = {"hmac": {"accessId": HMAC_ID, "secret": HMAC_SECRET}}
    else:
        c["credentials"] = {"serviceAccount": KEY_INFO}
    uncovered = sdk_split(form, leading, free)
    # The SDK gets the x-ignore-* fields too: it must leave them out of the policy.
    ignored = [(n, v) for n, v in form.items() if n.startswith("x-ignore-")]
    sdk = {"conditions": [x if isinstance(x, dict) else list(x) for x in leading + free],
           "fields": dict(uncovered + ignored), "expiration": datetime.timedelta(seconds=c["expiresIn"])}
    endpoint = None
    r = rng.random()
    if r < 0.2 and "." not in c["bucket"]:
        c["urlStyle"] = "virtualHosted"
        sdk["virtual_hosted_style"] = True
    elif r < 0.35:
        host = rng.choice(["mydomain.tld", "cdn.example.com"])
        scheme = rng.choice(["http", "https"])
        c["bucketBoundHostname"] = host
        c["scheme"] = scheme
        sdk["bucket_bound_hostname"] = host
        sdk["scheme"] = scheme
    elif r < 0.45:
        endpoint = rng.choice(["http://127.0.0.1:4443", "https://storage.example.com"])
        c["endpoint"] = endpoint
    return c, endpoint, sdk, form, uncovered


def with_form(want, form, uncovered):
    """The SDK's result with our documented form: every pre-filled field (those a condition
    names and x-ignore-* ones included), sorted by name, in place of the SDK's leading fields
    (google-cloud-storage puts only the fields it makes exact conditions of in the form)."""
    items = list(want["fields"].items())
    head = [n for n, _ in items[:len(uncovered)]]
    if head != [n for n, _ in uncovered]:
        sys.exit(f"google-cloud-storage's form no longer starts with the sorted fields: {head}")
    return {"url": want["url"], "fields": dict(sorted(form.items()) + items[len(uncovered):])}


def gcs_sdk_post(c, endpoint, sdk):
    with CLOCK.at(parse_iso(c["signedAt"], tz=None)):
        return gcs_client(endpoint).generate_signed_post_policy_v4(c["bucket"], c["key"], **sdk)


def gcs_hmac_post(c, endpoint, sdk, form, uncovered):
    """The SDK's layout, signed with GOOG4-HMAC-SHA256 by hand; the key condition per the GCS
    documentation (exact key; starts-with for a prefix, and "" for anyKey)."""
    t = parse_iso(c["signedAt"])
    timestamp, datestamp = t.strftime("%Y%m%dT%H%M%SZ"), t.strftime("%Y%m%d")
    credential = f"{HMAC_ID}/{datestamp}/auto/storage/goog4_request"
    if "keyPrefix" in c:
        key_cond, key_field = ["starts-with", "$key", c["keyPrefix"]], c.get("key", c["keyPrefix"] + "${filename}")
    elif c.get("anyKey"):
        key_cond, key_field = ["starts-with", "$key", ""], c.get("key", "${filename}")
    else:
        key_cond, key_field = {"key": c["key"]}, c["key"]
    conditions = list(sdk["conditions"]) + [{k: v} for k, v in uncovered] + [
        {"bucket": c["bucket"]}, key_cond, {"x-goog-date": timestamp}, {"x-goog-credential": credential},
        {"x-goog-algorithm": "GOOG4-HMAC-SHA256"}]
    expiration = (t + sdk["expiration"]).strftime("%Y-%m-%dT%H:%M:%SZ")
    policy = json.dumps({"conditions": conditions, "expiration": expiration}, separators=(",", ":"))
    b64 = base64.b64encode(policy.encode("utf-8")).decode()

    def h(k, m):
        return hmac.new(k, m.encode(), hashlib.sha256).digest()

    k = h(("GOOG4" + HMAC_SECRET).encode(), datestamp)
    for part in ("auto", "storage", "goog4_request"):
        k = h(k, part)
    sig = hmac.new(k, b64.encode(), hashlib.sha256).hexdigest()
    fields = dict(sorted(form.items()))
    fields.update({"key": key_field, "x-goog-algorithm": "GOOG4-HMAC-SHA256",
                   "x-goog-credential": credential, "x-goog-date": timestamp, "x-goog-signature": sig, "policy": b64})
    if "bucketBoundHostname" in c:
        url = f"{c['scheme']}://{c['bucketBoundHostname']}/"
    elif c.get("urlStyle") == "virtualHosted":
        base = endpoint or "https://storage.googleapis.com"
        scheme, host = base.split("://")
        url = f"{scheme}://{c['bucket']}.{host}/"
    else:
        url = f"{endpoint or 'https://storage.googleapis.com'}/{c['bucket']}/"
    return {"url": url, "fields": fields}


# ---------------------------------------------------------------------------------------------

REFUSALS = [
    ({"provider": "s3", "bucket": "b-1", "key": "k", "fields": {"Policy": "x"}}, "INVALID_REQUEST"),
    ({"provider": "s3", "bucket": "b-1", "key": "k", "fields": {"x-amz-signature": "x"}}, "INVALID_REQUEST"),
    ({"provider": "s3", "bucket": "b-1", "key": "k", "acl": "private", "fields": {"ACL": "public-read"}}, "INVALID_REQUEST"),
    ({"provider": "s3", "bucket": "b-1", "key": "k", "startsWith": {"key": "x"}}, "INVALID_REQUEST"),
    ({"provider": "s3", "bucket": "b-1", "key": "k", "successActionStatus": 302}, "INVALID_REQUEST"),
    ({"provider": "s3", "bucket": "b-1", "key": "k", "contentLengthRange": {"min": 5, "max": 1}}, "INVALID_REQUEST"),
    # a pre-filled value its own condition refuses (the form could never work)
    ({"provider": "s3", "bucket": "b-1", "key": "k", "contentType": "b/c", "contentTypePrefix": "a/"}, "INVALID_REQUEST"),
    ({"provider": "gcs", "bucket": "b-1", "key": "k", "fields": {"acl": "private"}, "conditions": [{"ACL": "public-read"}]}, "INVALID_REQUEST"),
    ({"provider": "s3", "bucket": "b-1", "key": "k", "fields": {"x-amz-meta-a": "b"}, "conditions": [["starts-with", "$x-amz-meta-a", "a"]]}, "INVALID_REQUEST"),
    # conditions the form owns, or malformed
    ({"provider": "s3", "bucket": "b-1", "key": "k", "conditions": [["starts-with", "$key", ""]]}, "INVALID_REQUEST"),
    ({"provider": "gcs", "bucket": "b-1", "key": "k", "conditions": [{"bucket": "other"}]}, "INVALID_REQUEST"),
    ({"provider": "s3", "bucket": "b-1", "key": "k", "conditions": [["eq", "$x-amz-credential", "x"]]}, "INVALID_REQUEST"),
    ({"provider": "s3", "bucket": "b-1", "key": "k", "conditions": [["ends-with", "$acl", "x"]]}, "INVALID_REQUEST"),
    ({"provider": "s3", "bucket": "b-1", "key": "k", "conditions": [["starts-with", "acl", "x"]]}, "INVALID_REQUEST"),
    ({"provider": "s3", "bucket": "b-1", "key": "k", "conditions": [["content-length-range", 5, 1]]}, "INVALID_REQUEST"),
    ({"provider": "s3", "bucket": "b-1", "key": "k", "conditions": [{"a": "1", "b": "2"}]}, "INVALID_REQUEST"),
    ({"provider": "s3", "bucket": "b-1", "key": "k", "metadata": {"x-amz-meta-a": "1"}}, "INVALID_REQUEST"),
    ({"provider": "s3", "bucket": "b-1", "key": "k", "bogus": 1}, "INVALID_REQUEST"),
    ({"provider": "s3", "bucket": "b-1"}, "INVALID_KEY"),
    ({"provider": "s3", "bucket": "b-1", "key": ""}, "INVALID_KEY"),
    ({"provider": "s3", "bucket": "b-1", "key": "a\nb"}, "INVALID_KEY"),
    ({"provider": "s3", "bucket": "b-1", "key": "k" * 1025}, "INVALID_KEY"),
    ({"provider": "s3", "bucket": "b-1", "key": "other/x", "keyPrefix": "up/"}, "INVALID_KEY"),
    # any key in the bucket only with anyKey: true
    ({"provider": "s3", "bucket": "b-1", "keyPrefix": ""}, "INVALID_KEY"),
    ({"provider": "gcs", "bucket": "b-1", "keyPrefix": ""}, "INVALID_KEY"),
    ({"provider": "s3", "bucket": "b-1", "key": "${filename}"}, "INVALID_KEY"),
    ({"provider": "s3", "bucket": "b-1", "anyKey": True, "keyPrefix": "up/"}, "INVALID_KEY"),
    ({"provider": "gcs", "bucket": "b-1", "anyKey": False}, "INVALID_KEY"),
    ({"provider": "s3", "bucket": "b-1", "key": "k", "expiresIn": 0}, "INVALID_EXPIRY"),
    ({"provider": "s3", "bucket": "b-1", "key": "k", "expiresIn": 604801}, "INVALID_EXPIRY"),
    ({"provider": "s3", "bucket": "bad bucket", "key": "k"}, "INVALID_BUCKET"),
    ({"provider": "s3", "bucket": "b-1", "key": "k", "credentials": {"accessKeyId": "", "secretAccessKey": "s"}}, "INVALID_CREDENTIALS"),
    ({"provider": "gcs", "bucket": "b-1", "key": ".."}, "INVALID_KEY"),
    ({"provider": "gcs", "bucket": "b-1", "key": "k", "region": "x"}, "INVALID_REQUEST"),
    ({"provider": "gcs", "bucket": "Bad_Bucket", "key": "k"}, "INVALID_BUCKET"),
    ({"provider": "gcs", "bucket": "b-1", "key": "k", "urlStyle": "bucketBound"}, "INVALID_ENDPOINT"),
    ({"provider": "azure", "container": "c", "blob": "b"}, "UNSUPPORTED"),
]


def run_ours(requests):
    return run_presign(["post", "--json-request"], requests, env=CLEAN_ENV, timeout=600)[1]


def decoded(fields):
    for n, v in fields:
        if n == "policy":
            return base64.b64decode(v).decode("utf-8", "replace")
    return None


def json_or_none(text):
    try:
        return json.loads(text)
    except ValueError:
        return None


def compare(ours, want, c):
    """Differences between our result and the SDK's {url, fields}."""
    if "error" in ours:
        return [f"we refused: {ours['error']}"]
    diffs = []
    if ours["url"] != want["url"]:
        diffs.append(f"url {ours['url']!r} != {want['url']!r}")
    want_fields = [[k, v] for k, v in want["fields"].items()]
    if ours["fields"] != want_fields:
        ours_names = [n for n, _ in ours["fields"]]
        want_names = [n for n, _ in want_fields]
        if ours_names != want_names:
            diffs.append(f"field order {ours_names} != {want_names}")
        for (n, v), (wn, wv) in zip(ours["fields"], want_fields):
            if n == wn and v != wv and n not in ("policy",):
                diffs.append(f"field {n}: {v!r} != {wv!r}")
        po, pw = decoded(ours["fields"]), decoded(want_fields)
        if po != pw:
            if po and pw and json_or_none(po) == json_or_none(pw) is not None:
                diffs.append(f"policy JSON equal but bytes differ:\n    ours {po}\n    want {pw}")
            else:
                diffs.append(f"policy differs:\n    ours {po}\n    want {pw}")
    # Never the whole bucket unless the request asked for it.
    policy = json_or_none(decoded(ours["fields"]) or "") or {}
    if ["starts-with", "$key", ""] in policy.get("conditions", []) and not c.get("anyKey"):
        diffs.append("an empty starts-with on $key without anyKey")
    t = parse_iso(c["signedAt"]) + datetime.timedelta(seconds=c["expiresIn"])
    if ours["expiresAt"] != t.strftime("%Y-%m-%dT%H:%M:%SZ"):
        diffs.append(f"expiresAt {ours['expiresAt']}")
    return diffs


KINDS = {
    "s3/boto3": FEATURES,
    "gcs-rsa/google-cloud-storage": [f for f in FEATURES if f not in ("anyKey", "keyPrefix")],  # exact keys only
    "gcs-hmac/independent": FEATURES,
}


def main():
    rng = random.Random(SEED)
    requests, expected, kinds = [], [], []
    features = {kind: dict.fromkeys(FEATURES, 0) for kind in KINDS}

    def count(kind, seen):
        for f in seen:
            features[kind][f] += 1

    for _ in range(N_S3):
        seen = set()
        c, client_key, sdk = s3_case(rng, seen)
        want = boto_post(client_key, sdk, c["signedAt"])
        if want["fields"].get("x-amz-date") != parse_iso(c["signedAt"]).strftime("%Y%m%dT%H%M%SZ"):
            sys.exit(f"boto3 did not sign at the frozen instant {c['signedAt']}: {want['fields']}")
        requests.append(c)
        expected.append(want)
        kinds.append("s3/boto3")
        count("s3/boto3", seen)
    for _ in range(N_GCS_RSA):
        seen = set()
        c, endpoint, sdk, form, uncovered = gcs_case(rng, False, seen)
        want = gcs_sdk_post(c, endpoint, sdk)
        if want["fields"]["x-goog-date"] != parse_iso(c["signedAt"]).strftime("%Y%m%dT%H%M%SZ"):
            sys.exit(f"google-cloud-storage did not sign at the frozen instant {c['signedAt']}")
        requests.append(c)
        expected.append(with_form(want, form, uncovered))
        kinds.append("gcs-rsa/google-cloud-storage")
        count("gcs-rsa/google-cloud-storage", seen)
    for _ in range(N_GCS_HMAC):
        seen = set()
        c, endpoint, sdk, form, uncovered = gcs_case(rng, True, seen)
        requests.append(c)
        expected.append(gcs_hmac_post(c, endpoint, sdk, form, uncovered))
        kinds.append("gcs-hmac/independent")
        count("gcs-hmac/independent", seen)

    refusal_start = len(requests)
    for r, _ in REFUSALS:
        r = dict(r)
        if r["provider"] == "s3":
            r.setdefault("credentials", {"accessKeyId": AK, "secretAccessKey": SK})
        elif r["provider"] == "gcs":
            r.setdefault("credentials", {"hmac": {"accessId": HMAC_ID, "secret": HMAC_SECRET}})
        requests.append(r)

    results = run_ours(requests)
    passed = failed = shown = 0
    per_kind = {}
    for i, (c, want, kind) in enumerate(zip(requests, expected, kinds)):
        diffs = compare(results[i], want, c)
        ok = not diffs
        per_kind.setdefault(kind, [0, 0])[0 if ok else 1] += 1
        if ok:
            passed += 1
        else:
            failed += 1
            if shown < SHOW_FAILURES:
                shown += 1
                print(f"FAIL {kind} case {i}: {json.dumps(c, ensure_ascii=False)[:600]}")
                for d in diffs[:6]:
                    print("   ", d)
    per_kind["refusals"] = [0, 0]
    for j, (r, code) in enumerate(REFUSALS):
        got = results[refusal_start + j].get("error", {}).get("code")
        ok = got == code
        per_kind["refusals"][0 if ok else 1] += 1
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL refusal {json.dumps(r)[:200]}: got {got or results[refusal_start + j]}, want {code}")
    # Every widened generator must have produced cases for each comparison.
    for kind, wanted in KINDS.items():
        print(f"  {kind} cases with: " + ", ".join(f"{f} {features[kind][f]}" for f in FEATURES))
        for f in wanted:
            if features[kind][f] == 0:
                failed += 1
                print(f"FAIL generator: no {kind} case with {f}")
    for kind, (p, f) in per_kind.items():
        print(f"  {kind}: {p} passed, {f} failed")
    return summary(passed, failed, minimum=MIN_PASSED)


if __name__ == "__main__":
    sys.exit(main())
