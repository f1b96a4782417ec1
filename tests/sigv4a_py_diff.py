#!/usr/bin/env python3
"""Differential test: our SigV4a presigned URLs for S3 Multi-Region Access Points (`presign batch`,
a bucket given as the MRAP ARN) against botocore's CRT signer (awscrt, pinned as PY_AWSCRT in
tests/servers/versions.env, installed on first use into $SERVERS_PREFIX/py/awscrt-VERSION and put on
this script's sys.path only — never into the shared venv, where botocore would sign everything with
the CRT and the other tests' clock patches would stop working).

ECDSA signatures are not comparable byte for byte: ours are RFC 6979 deterministic (low s), the CRT's
use a random nonce. So per case (>= 200 generated the way users choose inputs: odd access key ids, unicode
and punctuation in secrets and keys, session tokens, signed headers, response overrides, back-dated
signing instants, region sets):
  1. the URLs are equal except X-Amz-Signature: scheme + host + raw path exactly, the query as a
     multiset of percent-decoded parameters;
  2. an independent key: this file derives the SigV4a public key from the secret (the KDF as AWS
     specifies it: HMAC-SHA256 keyed with "AWS4A"+secret over 1 || label || 0 || id || counter ||
     256, candidate <= n-2, key = candidate+1) with Python's hmac and `cryptography` (OpenSSL), and
     builds the string to sign from the URL. botocore's signature must verify with it (which proves
     both the key and the string to sign are the CRT's, since a wrong one fails), and so must ours;
  3. our verifier (`presign verify`, given the secret) accepts botocore's URL and ours, and refuses
     ours with a flipped signature digit.
Also: botocore's generate_presigned_url with the ARN as Bucket (its endpoint rules: host
{alias}.accesspoint.s3-global.amazonaws.com, region set "*") equals ours but the signature.

botocore facts used (checked in the installed source): CrtS3SigV4AsymQueryAuth(credentials, "s3",
region_set, expires) signs an AWSRequest with the region set as the CRT's `region`; its clock is
botocore.crt.auth.get_current_datetime (frozen here; each case checks botocore's X-Amz-Date). S3
presigned URLs sign UNSIGNED-PAYLOAD and all given headers.

Run:  /tmp/presign-servers/py/venv/bin/python tests/sigv4a_py_diff.py   (PRESIGN_BIN overrides)
Last line: "N passed, M failed"; exit status 1 when M > 0 or N < 200 cases."""

import datetime
import hashlib
import hmac
import os
import random
import sys
from collections import Counter
from urllib.parse import quote, unquote, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check, sign, summary, verify, FrozenClock  # noqa: E402

harness.isolate(no_aws_files=True)


# awscrt: pinned, in its own folder (harness.awscrt_path says why), first on sys.path for this script.
sys.path.insert(0, harness.awscrt_path())

import boto3  # noqa: E402
import botocore.compat  # noqa: E402
import botocore.crt.auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials as BotoCreds  # noqa: E402
from cryptography.exceptions import InvalidSignature  # noqa: E402
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

if not botocore.compat.HAS_CRT:
    sys.exit("awscrt did not import: botocore has no CRT signer")

CASES = 240
ACCOUNT = "123456789012"
ALIASES = ["mfzwi23gnjvgw.mrap", "a1b2c3d4e5f6g.mrap", "x.mrap"]
N_MINUS_2 = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC63254F

clock = FrozenClock()
clock.patch(botocore.crt.auth, "get_current_datetime")


def derive_public(access_key_id, secret):
    """The SigV4a key pair of these credentials, from the spec (independent of the crate)."""
    key = ("AWS4A" + secret).encode()
    for counter in range(1, 255):
        fixed = (b"\x00\x00\x00\x01" + b"AWS4-ECDSA-P256-SHA256" + b"\x00" + access_key_id.encode()
                 + bytes([counter]) + b"\x00\x00\x01\x00")
        c = int.from_bytes(hmac.new(key, fixed, hashlib.sha256).digest(), "big")
        if c <= N_MINUS_2:
            return ec.derive_private_key(c + 1, ec.SECP256R1()).public_key()
    raise RuntimeError("no key")


def enc(s):
    return quote(s, safe="-_.~")


def string_to_sign(url, method, headers):
    """SigV4a's string to sign, rebuilt from a presigned URL (S3: path as sent, UNSIGNED-PAYLOAD)."""
    u = urlsplit(url)
    pairs = [p.split("=", 1) for p in u.query.split("&")]
    q = sorted((enc(unquote(k)), enc(unquote(v))) for k, v in pairs if k != "X-Amz-Signature")
    params = {unquote(k): unquote(v) for k, v in pairs}
    signed = params["X-Amz-SignedHeaders"].split(";")
    hv = {k.lower(): " ".join(v.split()) for k, v in headers.items()}
    hv["host"] = u.netloc
    cr = "\n".join([method, u.path, "&".join(f"{k}={v}" for k, v in q),
                    "".join(f"{h}:{hv[h]}\n" for h in signed), ";".join(signed), "UNSIGNED-PAYLOAD"])
    date = params["X-Amz-Date"]
    return "\n".join(["AWS4-ECDSA-P256-SHA256", date, params["X-Amz-Credential"].split("/", 1)[1],
                      hashlib.sha256(cr.encode()).hexdigest()]).encode()


def ecdsa_ok(public, sig_hex, message):
    try:
        public.verify(bytes.fromhex(sig_hex), message, ec.ECDSA(hashes.SHA256()))
        return True
    except (InvalidSignature, ValueError):
        return False


def query_multiset(url):
    return Counter((unquote(k), unquote(v)) for k, v in
                   (p.split("=", 1) for p in urlsplit(url).query.split("&")) if k != "X-Amz-Signature")


KEY_PARTS = ["photos", "a b", "ü", "日本語", "e\u0301", "x+y", "100%", "~tilde", "semi;colon", "q?", "h#",
             "(paren)", "!*'", "emoji😀", "dots..", "$&=", "tab\tx", "@at", "[b]"]


def gen_case(rng, i):
    akid = rng.choice(["AKIAIOSFODNN7EXAMPLE", "ASIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16)),
                       "AKID+=_.-~", "minio-admin", "k" * rng.randint(1, 3), "AKIA!$&'()*,;:@"])
    secret = rng.choice(["wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "s3cr3t", "pässwörd/ключ",
                         "+/=" * 10, "x" * 128, "with space and \u00a0nbsp", "😀" * 3])
    method = rng.choice(["GET", "GET", "PUT", "HEAD", "DELETE"])
    key = "/".join(rng.choice(KEY_PARTS) for _ in range(rng.randint(1, 3))) + rng.choice(["", ".txt", "/"])
    headers = {}
    if method == "PUT" and rng.random() < 0.6:
        headers["Content-Type"] = rng.choice(["text/plain", "image/jpeg", "application/json; charset=utf-8"])
    if method == "PUT" and rng.random() < 0.3:
        headers["x-amz-meta-note"] = rng.choice(["hello", "  padded  value  ", "a,b"])
    if method == "GET" and rng.random() < 0.2:
        headers["Range"] = "bytes=0-99"
    query = {}
    if method == "GET" and rng.random() < 0.4:
        query["response-content-disposition"] = rng.choice(['attachment; filename="ü 1.txt"', "inline"])
    if rng.random() < 0.1:
        query["versionId"] = "3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo"
    region_set = rng.choice(["*", "*", "us-east-1", "us-east-1,eu-west-1", "ap-southeast-2,us-west-2,eu-central-1"])
    token = rng.choice([None, None, "IQoJb3JpZ2luX2Vj" + "".join(rng.choice("AZaz09+/=") for _ in range(rng.randint(20, 200)))])
    # Back-dated (up to two years) or just now-ish; whole seconds.
    instant = datetime.datetime(2026, 12, 5, 12, 0, 0, tzinfo=datetime.timezone.utc) - datetime.timedelta(
        seconds=rng.choice([0, 59, rng.randint(0, 2 * 365 * 86400)]))
    expires = rng.choice([1, 60, 900, 3600, 86400, 604800])
    return dict(akid=akid, secret=secret, method=method, key=key, headers=headers, query=query,
                region_set=region_set, token=token, instant=instant, expires=expires, alias=rng.choice(ALIASES))


def ours_request(c):
    creds = {"accessKeyId": c["akid"], "secretAccessKey": c["secret"]}
    if c["token"]:
        creds["sessionToken"] = c["token"]
    r = {"provider": "s3", "method": c["method"], "bucket": f"arn:aws:s3::{ACCOUNT}:accesspoint/{c['alias']}",
         "key": c["key"], "credentials": creds, "expiresIn": c["expires"],
         "signedAt": c["instant"].strftime("%Y-%m-%dT%H:%M:%SZ"),
         "headers": c["headers"], "query": c["query"]}
    if c["region_set"] != "*" or c.get("explicit_any"):
        r["regionSet"] = c["region_set"]
    return r


def crt_url(c):
    path = "/" + quote(c["key"], safe="/~")
    url = f"https://{c['alias']}.accesspoint.s3-global.amazonaws.com{path}"
    if c["query"]:
        url += "?" + "&".join(f"{enc(k)}={enc(v)}" for k, v in c["query"].items())
    req = AWSRequest(method=c["method"], url=url, headers=dict(c["headers"]))
    auth = botocore.crt.auth.CrtS3SigV4AsymQueryAuth(BotoCreds(c["akid"], c["secret"], c["token"]), "s3",
                                                     c["region_set"], expires=c["expires"])
    with clock.at(c["instant"]):
        auth.add_auth(req)
    return req.url


def main():
    rng = random.Random(0x5164)
    cases = [gen_case(rng, i) for i in range(CASES)]
    for i, c in enumerate(cases):
        c["explicit_any"] = i % 2 == 0
    ours = sign([ours_request(c) for c in cases])
    passed_cases = 0
    for i, (c, o) in enumerate(zip(cases, ours)):
        name = f"case {i} {c['method']} {c['region_set']} {c['key'][:20]!r}"
        url = o["url"]
        theirs = crt_url(c)
        want_date = c["instant"].strftime("%Y%m%dT%H%M%SZ")
        if f"X-Amz-Date={want_date}" not in theirs:
            check(name + ": botocore's clock is frozen", False, theirs)
            continue
        a, b = urlsplit(url), urlsplit(theirs)
        same = (a.scheme, a.netloc, a.path) == (b.scheme, b.netloc, b.path) and query_multiset(url) == query_multiset(theirs)
        check(name + ": same URL but the signature", same, f"\n  ours:    {url}\n  botocore: {theirs}")
        public = derive_public(c["akid"], c["secret"])
        sts = string_to_sign(theirs, c["method"], c["headers"])
        sig_theirs = dict(p.split("=", 1) for p in b.query.split("&"))["X-Amz-Signature"]
        sig_ours = dict(p.split("=", 1) for p in a.query.split("&"))["X-Amz-Signature"]
        t_ok = ecdsa_ok(public, sig_theirs, sts)
        o_ok = ecdsa_ok(public, sig_ours, string_to_sign(url, c["method"], c["headers"]))
        check(name + ": botocore's signature verifies (spec KDF + OpenSSL)", t_ok)
        check(name + ": our signature verifies (spec KDF + OpenSSL)", o_ok)
        env = {"AWS_ACCESS_KEY_ID": c["akid"], "AWS_SECRET_ACCESS_KEY": c["secret"]}
        if c["token"]:
            env["AWS_SESSION_TOKEN"] = c["token"]
        now = ["--at", c["instant"].strftime("%Y-%m-%dT%H:%M:%SZ")]
        hdrs = [f"{k}: {v}" for k, v in c["headers"].items()]
        rc1, v1, e1 = verify(theirs, c["method"], hdrs, env, now)
        rc2, v2, e2 = verify(url, c["method"], hdrs, env, now)
        check(name + ": our verifier accepts botocore's URL", rc1 == 0, f"{v1} {e1}")
        check(name + ": our verifier accepts our URL", rc2 == 0, f"{v2} {e2}")
        if i % 8 == 0:
            bad = url[:-3] + ("0" if url[-3] != "0" else "1") + url[-2:]
            rc3, v3, _ = verify(bad, c["method"], hdrs, env, now)
            check(name + ": our verifier refuses a flipped digit", rc3 != 0 and "SIGNATURE_MISMATCH" in str(v3), str(v3))
        passed_cases += int(same and t_ok and o_ok and rc1 == 0 and rc2 == 0)

    # botocore's own presigner with the ARN as Bucket (its endpoint rules pick host and region set).
    s3 = boto3.session.Session(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                               region_name="eu-west-1").client("s3")
    at = datetime.datetime(2026, 11, 30, 8, 30, 0, tzinfo=datetime.timezone.utc)
    for alias, key, op, params in [("mfzwi23gnjvgw.mrap", "a b/ü.txt", "get_object", {}),
                                   ("x.mrap", "k", "put_object", {"ContentType": "text/plain"})]:
        arn = f"arn:aws:s3::{ACCOUNT}:accesspoint/{alias}"
        with clock.at(at):
            theirs = s3.generate_presigned_url(op, Params={"Bucket": arn, "Key": key, **params}, ExpiresIn=900)
        ours = sign([{"provider": "s3", "method": "GET" if op == "get_object" else "PUT", "bucket": arn, "key": key,
                      "credentials": {"accessKeyId": "AKIDEXAMPLE", "secretAccessKey": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
                      "expiresIn": 900, "signedAt": "2026-11-30T08:30:00Z",
                      "headers": {"Content-Type": "text/plain"} if params else {}}])[0]["url"]
        a, b = urlsplit(ours), urlsplit(theirs)
        check(f"generate_presigned_url {op} {alias}: same URL but the signature",
              (a.scheme, a.netloc, a.path) == (b.scheme, b.netloc, b.path) and query_multiset(ours) == query_multiset(theirs),
              f"\n  ours:    {ours}\n  botocore: {theirs}")
    print(f"{passed_cases} of {CASES} generated cases agree in every check")
    return summary(minimum=CASES * 5)


if __name__ == "__main__":
    sys.exit(main())
