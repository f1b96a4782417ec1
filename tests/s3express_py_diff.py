#!/usr/bin/env python3
"""Differential test: S3 Express One Zone (directory buckets) against botocore.

For each generated case (directory bucket names with every Availability Zone id form the endpoint rules
know, AWS regions and partitions, FIPS / dual-stack / custom endpoints, hostile keys, every method, signed
headers and query parameters as users pass them, lifetimes, signing instants, IAM credentials with and
without an STS token, session modes), botocore 1.44 (boto3 pinned in tests/servers/versions.env):

1. calls CreateSession itself (its S3Express identity resolver, or an explicit `create_session` with a
   SessionMode): the request is captured in a `before-send` hook, which answers with a canned
   CreateSessionResult holding the case's session credentials; nothing leaves the machine;
2. presigns the case's operation with those session credentials (`generate_presigned_url`).

Our side, at the same frozen instant:
1. the CreateSession request from the core's JSON exchange `aws.s3ExpressCreateSession` (the
   presign/credentials wasm, tests/support/s3express_client.mjs): compared with botocore's request:
   method, URL, and every header botocore signs or that carries meaning (x-amz-date,
   x-amz-content-sha256, x-amz-security-token, x-amz-create-session-mode, Authorization — the
   signature exactly); botocore's User-Agent and amz-sdk-* headers are unsigned bookkeeping and left out;
2. the canned answer read by the same exchange (`exchangeResponseJson`): its credentials go, unchanged,
   into a `presign batch` request (the CLI), whose URL is compared with botocore's: scheme + host and
   raw path exactly, the raw `name=value` query pairs as a multiset (byte-identical text; botocore puts
   X-Amz-S3session-Token after X-Amz-SignedHeaders, we write canonical order), X-Amz-Signature exactly;
   our expiresAt; and the credential-expiry rule: a warning exactly when the session ends before the URL
   would, and with `credentialExpiry: "clamp"` (a third of the cases) the URL equals botocore's
   presigned with ExpiresIn cut to the session's remaining lifetime.

Frozen clocks: botocore.auth.get_current_datetime (through tests/s3_py_diff.py's FrozenClock), and the
clock of botocore's refreshable credentials (RefreshableCredentials' default `time_fetcher`), which decides
whether the session is still valid; each case checks botocore's X-Amz-Date, so a broken patch fails.

Not generated (deliberate differences, documented in docs/s3express.md): `urlStyle: "path"` with AWS
endpoints (botocore ignores it; we refuse), an IP-address endpoint with a base path (botocore puts the
bucket before the base path), Transfer Acceleration (both refuse).

Run:  /tmp/presign-servers/py/venv/bin/python tests/s3express_py_diff.py   (after
`cargo build --release --features cli` and `bash pkg/build.sh`, which it runs for the credentials entry
when pkg/dist/credentials is missing; PRESIGN_BIN overrides the binary)
Last line "N passed, M failed"; exit 1 when M > 0 or N < 200.
"""

import datetime
import json
import os
import random
import subprocess
import sys
from collections import Counter
from urllib.parse import unquote, urlsplit

TESTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TESTS)
sys.path.insert(0, TESTS)

import s3_py_diff as base  # noqa: E402  (isolates the environment and freezes botocore.auth's clock)
from harness import PRESIGN, run_presign, summary  # noqa: E402

import boto3  # noqa: E402
import botocore  # noqa: E402
import botocore.credentials  # noqa: E402
import botocore.exceptions  # noqa: E402
from botocore.awsrequest import AWSResponse  # noqa: E402
from botocore.config import Config  # noqa: E402

SEED = 20261205
N_CASES = 240
SHOW_FAILURES = int(os.environ.get("SHOW_FAILURES", "5"))
CLIENT = os.path.join(TESTS, "support", "s3express_client.mjs")
CLOCK = base.CLOCK
UTC = datetime.timezone.utc

# botocore's refreshable credentials (the session it got from CreateSession) read the wall clock
# through a default argument; give them the frozen instant.
_RC = botocore.credentials.RefreshableCredentials
_defaults = _RC.__init__.__defaults__
if not _defaults or getattr(_defaults[0], "__name__", "") != "_local_now":
    sys.exit("botocore.credentials.RefreshableCredentials.__init__: time_fetcher default moved; update this test")
_RC.__init__.__defaults__ = (lambda: CLOCK().replace(tzinfo=UTC),) + _defaults[1:]

# ---------------------------------------------------------------------------------------------
# Case ingredients

REGIONS = ["us-east-1", "us-west-2", "eu-north-1", "ap-northeast-1", "ap-south-1", "us-east-2", "cn-north-1",
           "us-gov-west-1"]
# Zone ids of every length the endpoint rules try (8, 9, 13, 14, 20).
ZONES = ["usw2-az1", "use1-az4", "apne1-az4", "use1-az10", "usw2-lax1-az1", "use1-bos1-az10",
         "euno1-az1", "aps1-az1", "abcdefghijklmnop-az1"]
BASES = ["b", "mybucket", "photos-2026", "a--b", "x" * 30, "my-bucket-0", "zz9"]
SESSION_LIFETIMES = [300, 300, 300, 299, 60, 61, 900, 3600]
SESSION_MODES = [None, None, "ReadWrite", "ReadOnly"]
# Custom endpoints (tests/s3_py_diff.py's list): host names are virtual-hosted, IP addresses path style.
CUSTOM_ENDPOINTS = [e for e, _ in base.ENDPOINTS]
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def session_credentials(rng):
    return {
        "AccessKeyId": "ASIA" + "".join(rng.choice(ALNUM) for _ in range(16)),
        "SecretAccessKey": "".join(rng.choice(SECRET_CHARS) for _ in range(40)),
        "SessionToken": base.gen_token(rng),
    }


def session_xml(s, expiration):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<CreateSessionResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Credentials>'
        f"<SessionToken>{s['SessionToken']}</SessionToken>"
        f"<SecretAccessKey>{s['SecretAccessKey']}</SecretAccessKey>"
        f"<AccessKeyId>{s['AccessKeyId']}</AccessKeyId>"
        f"<Expiration>{expiration}</Expiration>"
        "</Credentials></CreateSessionResult>"
    )


def gen_case(rng, i):
    method, op, _ = rng.choices(base.OPS, [w for _, _, w in base.OPS])[0]
    zone = rng.choice(ZONES)
    bucket = f"{rng.choice(BASES)}--{zone}--x-s3"
    kind = rng.choices(["aws", "fips", "dualstack", "fips+dualstack", "custom"], [50, 10, 10, 5, 25])[0]
    region = rng.choice(REGIONS)
    endpoint = rng.choice(CUSTOM_ENDPOINTS) if kind == "custom" else None
    if endpoint and rng.random() < 0.5:
        region = rng.choice(base.CUSTOM_REGIONS)
    access, secret = rng.choice(base.CREDENTIALS)
    sts_token = base.gen_token(rng) if rng.random() < 0.35 else None
    signed_at = rng.choice(base.INSTANTS)
    lifetime = rng.choice(SESSION_LIFETIMES)
    expiration = base.parse_instant(signed_at) + datetime.timedelta(seconds=lifetime)
    expires_in = rng.choice([1, 60, 299, 300, 301, 900, 3600, 604800, base.gen_expiry(rng)])
    clamp = rng.random() < 0.33
    key = base.gen_key(rng)

    params = {"Bucket": bucket, "Key": key}
    headers = {}
    kinds = base.header_kinds(op)
    if kinds and rng.random() < 0.5:
        for _, fn in rng.sample(kinds, min(len(kinds), rng.randint(1, 3))):
            p, h = fn(rng)
            params.update(p)
            headers.update(h)
    qp, query = base.gen_query(rng, op)
    params.update(qp)

    endpoint_options = {"region": region}
    if endpoint:
        endpoint_options["endpoint"] = endpoint
    if "fips" in kind:
        endpoint_options["fips"] = True
    if "dualstack" in kind:
        endpoint_options["dualstack"] = True
    iam = {"accessKeyId": access, "secretAccessKey": secret}
    if sts_token:
        iam["sessionToken"] = sts_token
    create = {"bucket": bucket, "credentials": iam, **endpoint_options}
    mode = rng.choice(SESSION_MODES)
    if mode:
        create["sessionMode"] = mode
    req = {
        "provider": "s3",
        "method": method if rng.random() < 0.8 else method.lower(),
        "bucket": bucket,
        "key": key,
        "expiresIn": expires_in,
        "signedAt": signed_at,
        **endpoint_options,
    }
    if headers:
        items = list(headers.items())
        rng.shuffle(items)
        req["headers"] = {base.hname(rng, n): v for n, v in items}
    if query:
        req["query"] = query
    if clamp:
        req["credentialExpiry"] = "clamp"
    return {
        "id": i, "op": op, "method": method, "bucket": bucket, "kind": kind, "region": region,
        "endpoint": endpoint, "iam": (access, secret, sts_token), "mode": mode, "signed_at": signed_at,
        "session": session_credentials(rng), "expiration": expiration, "lifetime": lifetime,
        "expires_in": expires_in, "clamp": clamp, "params": params, "headers": headers,
        "create": create, "request": req,
    }


# ---------------------------------------------------------------------------------------------
# botocore side

_SESSION = boto3.session.Session()


class _Raw:
    def __init__(self, body):
        self._body = body

    def stream(self, **_kwargs):
        yield self._body


def boto_run(case):
    """(CreateSession requests botocore sent, presigned URL, the URL with ExpiresIn cut to the session)."""
    fips, dual = "fips" in case["kind"], "dualstack" in case["kind"]
    cfg = Config(use_fips_endpoint=fips or None, use_dualstack_endpoint=dual or None)
    access, secret, token = case["iam"]
    client = _SESSION.client("s3", region_name=case["region"], endpoint_url=case["endpoint"],
                             aws_access_key_id=access, aws_secret_access_key=secret, aws_session_token=token,
                             config=cfg)
    sent = []
    xml = session_xml(case["session"], case["expiration"].strftime("%Y-%m-%dT%H:%M:%SZ")).encode()

    def before_send(request, **_kwargs):
        sent.append(request)
        return AWSResponse(request.url, 200, {}, _Raw(xml))

    client.meta.events.register("before-send.s3", before_send)
    with CLOCK.at(base.parse_instant(case["signed_at"])):
        if case["mode"]:
            client.create_session(Bucket=case["bucket"], SessionMode=case["mode"])
        urls = []
        remaining = int((case["expiration"] - base.parse_instant(case["signed_at"])).total_seconds())
        for expires in (case["expires_in"], min(case["expires_in"], remaining)):
            urls.append(client.generate_presigned_url(ClientMethod=case["op"], Params=dict(case["params"]),
                                                      ExpiresIn=expires, HttpMethod=case["method"]))
    return sent, urls[0], urls[1]


# ---------------------------------------------------------------------------------------------
# Our side


def run_exchange(items):
    if not os.path.exists(os.path.join(ROOT, "pkg", "dist", "credentials", "node.js")):
        subprocess.run(["bash", os.path.join(ROOT, "pkg", "build.sh")], check=True, stdout=subprocess.DEVNULL,
                       env=dict(os.environ, PRESIGN_ENTRIES="credentials"))
    p = subprocess.run(["node", CLIENT], input=json.dumps(items).encode(), capture_output=True, timeout=300)
    if p.returncode != 0:
        sys.exit(f"{CLIENT}: exit {p.returncode}\n{p.stderr.decode()[-2000:]}")
    return json.loads(p.stdout)


def ms(instant):
    return int(base.parse_instant(instant).replace(tzinfo=UTC).timestamp() * 1000)


# ---------------------------------------------------------------------------------------------
# Comparison

# Headers botocore sends that are neither signed nor meaningful to the service's authentication.
UNSIGNED_BOOKKEEPING = {"user-agent", "amz-sdk-invocation-id", "amz-sdk-request"}


def compare_create_session(case, ours, boto_req):
    if "error" in ours:
        return [f"ours refused CreateSession: {ours['error']}"]
    diffs = []
    if ours.get("method") != boto_req.method:
        diffs.append(f"CreateSession method: ours {ours.get('method')!r} vs {boto_req.method!r}")
    # The URL exactly, but for a default port botocore keeps (https://host:443) and we drop (RFC 3986
    # section 6.2.3); both sign the host without it.
    o, b = urlsplit(ours.get("url", "")), urlsplit(boto_req.url)
    if (base.authority(o), o.path, o.query, o.fragment) != (base.authority(b), b.path, b.query, b.fragment):
        diffs.append(f"CreateSession url: ours {ours.get('url')!r} vs {boto_req.url!r}")
    theirs = {k.lower(): (v.decode() if isinstance(v, bytes) else v) for k, v in boto_req.headers.items()}
    theirs = {k: v for k, v in theirs.items() if k not in UNSIGNED_BOOKKEEPING}
    mine = {k.lower(): v for k, v in (ours.get("headers") or {}).items()}
    if mine != theirs:
        only_o = {k: v for k, v in mine.items() if theirs.get(k) != v}
        only_b = {k: v for k, v in theirs.items() if mine.get(k) != v}
        diffs.append(f"CreateSession headers: ours {only_o} vs botocore {only_b}")
    if ours.get("body", "") not in ("", None) or boto_req.body not in (None, b"", ""):
        diffs.append(f"CreateSession body: ours {ours.get('body')!r} vs {boto_req.body!r}")
    want_date = case["signed_at"].replace("-", "").replace(":", "")
    if theirs.get("x-amz-date") != want_date:
        diffs.append(f"botocore x-amz-date {theirs.get('x-amz-date')} is not the frozen instant (clock patch broken?)")
    return diffs


def raw_pairs(query):
    return Counter(query.split("&")) if query else Counter()


def compare_url(case, ours, boto_url, session_answer):
    if "error" in ours:
        return [f"ours refused: {json.dumps(ours['error'], ensure_ascii=False)}"]
    diffs = []
    o, b = urlsplit(ours.get("url", "")), urlsplit(boto_url)
    if base.authority(o) != base.authority(b):
        diffs.append(f"scheme+host: ours {base.authority(o)!r} vs botocore {base.authority(b)!r}")
    if o.path != b.path:
        diffs.append(f"path: ours {o.path!r} vs botocore {b.path!r}")
    oc, bc = raw_pairs(o.query), raw_pairs(b.query)
    if oc != bc:
        diffs.append(f"query: only in ours {sorted((oc - bc).elements())!r}; "
                     f"only in botocore {sorted((bc - oc).elements())!r}")
    bq = dict(p.partition("=")[::2] for p in b.query.split("&"))
    oq = dict(p.partition("=")[::2] for p in o.query.split("&"))
    if "X-Amz-Signature" not in bq or oq.get("X-Amz-Signature") != bq["X-Amz-Signature"]:
        diffs.append(f"X-Amz-Signature: ours {oq.get('X-Amz-Signature')} vs botocore {bq.get('X-Amz-Signature')}")
    if "X-Amz-S3session-Token" not in bq or "X-Amz-Security-Token" in bq:
        diffs.append("botocore's URL does not carry the session token as X-Amz-S3session-Token")
    if "/s3express/" not in unquote(bq.get("X-Amz-Credential", "")):
        diffs.append("botocore did not sign for the s3express service")
    want_date = case["signed_at"].replace("-", "").replace(":", "")
    if bq.get("X-Amz-Date") != want_date:
        diffs.append(f"botocore X-Amz-Date {bq.get('X-Amz-Date')} is not the frozen instant (clock patch broken?)")
    signed = base.parse_instant(case["signed_at"])
    remaining = case["lifetime"]
    lifetime = min(case["expires_in"], remaining) if case["clamp"] else case["expires_in"]
    want_exp = (signed + datetime.timedelta(seconds=lifetime)).strftime("%Y-%m-%dT%H:%M:%SZ")
    if ours.get("expiresAt") != want_exp:
        diffs.append(f"expiresAt {ours.get('expiresAt')!r}, want {want_exp}")
    warned = [w.get("code") for w in ours.get("warnings", [])]
    want_warn = ["CREDENTIALS_EXPIRE_FIRST"] if (remaining < case["expires_in"] and not case["clamp"]) else []
    if warned != want_warn:
        diffs.append(f"warnings {warned}, want {want_warn}")
    if session_answer.get("expiresAt") != case["expiration"].strftime("%Y-%m-%dT%H:%M:%SZ"):
        diffs.append(f"session expiresAt {session_answer.get('expiresAt')!r}")
    return diffs


def main():
    rng = random.Random(SEED)
    cases = [gen_case(rng, i) for i in range(N_CASES)]

    # botocore first: its canned answers are what our parser reads.
    boto = []
    for c in cases:
        try:
            boto.append(boto_run(c))
        except Exception as e:  # a case botocore cannot run is a broken case: fail it below
            boto.append(e)

    items = []
    for c in cases:
        items.append({"mode": "request", "input": c["create"], "now": ms(c["signed_at"])})
        xml = session_xml(c["session"], c["expiration"].strftime("%Y-%m-%dT%H:%M:%SZ"))
        items.append({"mode": "response", "input": {"status": 200, "body": xml}, "now": ms(c["signed_at"])})
    answers = run_exchange(items)
    requests, sessions = answers[0::2], answers[1::2]
    for c, s in zip(cases, sessions):
        c["request"]["credentials"] = s.get("credentials", {"accessKeyId": "", "secretAccessKey": ""})
    results = run_presign(["batch"], [c["request"] for c in cases], env=base.CLEAN_ENV, timeout=120,
                          ensure_ascii=False)[1]

    passed, failures, coverage = 0, [], Counter()
    for c, b, ours_cs, session, ours in zip(cases, boto, requests, sessions, results):
        if isinstance(b, Exception):
            # botocore refuses the endpoint (FIPS in the China partition): ours must refuse both too.
            refused = isinstance(b, botocore.exceptions.EndpointResolutionError)
            if refused and "error" in ours and "error" in ours_cs:
                passed += 1
                coverage["refused by both: " + str(b)] += 1
            else:
                failures.append((c, [f"botocore raised {type(b).__name__}: {b}"], ours, ""))
            continue
        sent, url, url_cut = b
        diffs = []
        if "error" in session:
            diffs.append(f"our parser refused the canned CreateSession answer: {session['error']}")
        # With a session mode, botocore's explicit create_session comes first (compared), then its
        # identity resolver's own CreateSession for the presigned URL (without a mode).
        want = 2 if c["mode"] else 1
        if len(sent) != want:
            diffs.append(f"botocore sent {len(sent)} CreateSession requests, expected {want}")
        else:
            diffs += compare_create_session(c, ours_cs, sent[0])
        diffs += compare_url(c, ours, url_cut if c["clamp"] else url, session)
        if diffs:
            failures.append((c, diffs, ours, url))
            continue
        passed += 1
        coverage[f"method {c['method']}"] += 1
        coverage[f"endpoint {c['kind']}"] += 1
        coverage[f"zone id length {len(c['bucket'].rsplit('--', 2)[1])}"] += 1
        coverage["STS token on CreateSession"] += c["iam"][2] is not None
        coverage["session mode"] += c["mode"] is not None
        coverage["signed headers"] += bool(c["headers"])
        coverage["extra query"] += bool(c["request"].get("query"))
        coverage["clamped to the session"] += c["clamp"] and c["lifetime"] < c["expires_in"]
        coverage["warned: session ends first"] += bool(ours.get("warnings"))
        coverage["key: non-ASCII"] += not c["request"]["key"].isascii()

    for c, diffs, ours, url in failures[:SHOW_FAILURES]:
        print(f"--- case {c['id']}: {c['method']} {c['op']} {c['bucket']} {c['kind']} {c['region']} {c['endpoint']}")
        print("  request:  " + json.dumps(c["request"], ensure_ascii=False)[:600])
        print(f"  ours:     {ours.get('url', ours) if isinstance(ours, dict) else ours}")
        print(f"  botocore: {url}")
        for d in diffs:
            print(f"  DIFF {d}")
    if len(failures) > SHOW_FAILURES:
        print(f"... and {len(failures) - SHOW_FAILURES} more failing cases")
    print(f"botocore {botocore.__version__}, boto3 {boto3.__version__}, {PRESIGN}, seed {SEED}")
    print("passing cases cover: " + ", ".join(f"{k}: {v}" for k, v in sorted(coverage.items())))
    return summary(passed, len(failures), minimum=200)


if __name__ == "__main__":
    sys.exit(main())
