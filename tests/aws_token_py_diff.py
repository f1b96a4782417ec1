#!/usr/bin/env python3
"""Differential test: our AWS credential-exchange requests and parsers against boto3's.

Requests. Generates cases deterministically — STS AssumeRoleWithWebIdentity with role ARNs of every
partition and role paths, session names of every allowed character (2-64), web-identity tokens of
printable ASCII, spaces and non-ASCII, the optional ProviderId, PolicyArns (1-3), inline Policy (JSON
with quotes, spaces, non-ASCII) and DurationSeconds; Cognito Identity GetId (guest, AccountId, Logins
maps of 1-4 providers whose tokens hold quotes, backslashes, control characters and non-ASCII) and
GetCredentialsForIdentity (Logins, CustomRoleArn); regions of every partition or a custom endpoint —
captures the request boto3 sends for each (through a before-send hook: nothing leaves the machine; the
capture code is tests/vectors/aws/gen_sts_cognito_requests.py's) and builds ours from the same options
through the core's JSON façade (`aws.*` kinds, its wasm build in pkg/dist/credentials, run by
tests/support/aws_exchange_client.mjs). Compared per case, byte for byte: method, URL, the headers that
carry meaning (content-type, x-amz-target; authorization / x-amz-security-token / x-amz-date absent on
both sides) — and no header of ours boto3 does not send — and the body (STS: the form as sent; Cognito:
boto3's JSON document re-written with compact separators and unescaped non-ASCII, same members, order
and strings: the bytes JSON.stringify and this crate write).

Responses. Success documents (the documented shapes: namespaces, members in other orders, extra
elements, Expiration with and without fractions, epoch seconds as integers, fractions and exponents)
and the services' error documents (STS <ErrorResponse>, Cognito {"__type","message"} with and without a
namespace) are fed to boto3 (as the answer of the hook) and to our parsers; compared: access key id,
secret, session token and expiry (whole seconds), or the error code.

Run:  /tmp/presign-servers/py/venv/bin/python tests/aws_token_py_diff.py   (it builds pkg/dist/credentials
when missing). Last line "N passed, M failed"; exit 1 when M > 0 or fewer than 150 requests passed.
"""

import json
import os
import random
import string
import subprocess
import sys
import uuid
from datetime import datetime, timezone

TESTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TESTS)
sys.path.insert(0, TESTS)
sys.path.insert(0, os.path.join(TESTS, "vectors", "aws"))
from harness import isolate  # noqa: E402

isolate()
os.environ["AWS_CONFIG_FILE"] = os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
import gen_sts_cognito_requests as cap  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

SEED = 20261205
CASES = 180
CLIENT = os.path.join(TESTS, "support", "aws_exchange_client.mjs")
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1", "mx-central-1", "cn-north-1", "cn-northwest-1",
           "us-gov-west-1", "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1"]
PARTITION = {"cn": "aws-cn", "us-gov": "aws-us-gov", "us-iso": "aws-iso", "us-isob": "aws-iso-b", "eu-isoe": "aws-iso-e",
             "us-isof": "aws-iso-f"}
ENDPOINTS = ["http://127.0.0.1:5055", "https://sts.amazonaws.com", "http://localhost:4566", "https://vpce-1.example.com"]
SESSION_CHARS = string.ascii_letters + string.digits + "_+=,.@-"
TOKEN_CHARS = string.ascii_letters + string.digits + string.punctuation + " ~üé€😀"
LOGIN_CHARS = TOKEN_CHARS + "\"\\/\t\n\x01\x1f\x7f\u2028"
PROVIDERS = ["accounts.google.com", "graph.facebook.com", "www.amazon.com", "api.twitter.com", "appleid.apple.com",
             "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdE", "login.example.com/oidc", "dev.example.auth"]


def rand(rng, chars, lo, hi):
    return "".join(rng.choice(chars) for _ in range(rng.randint(lo, hi)))


def partition(region):
    for prefix in sorted(PARTITION, key=len, reverse=True):
        if region.startswith(prefix + "-"):
            return PARTITION[prefix]
    return "aws"


def where(rng):
    region = rng.choice(REGIONS)
    endpoint = rng.choice(ENDPOINTS) if rng.random() < 0.15 else None
    return region, endpoint


def sts_case(rng, i):
    region, endpoint = where(rng)
    part = partition(region)
    path = rng.choice(["", "service-role/", "a/b/"])
    kw = {"RoleArn": f"arn:{part}:iam::{rng.randint(10**11, 10**12 - 1)}:role/{path}{rand(rng, SESSION_CHARS, 1, 40)}",
          "RoleSessionName": rand(rng, SESSION_CHARS, 2, 64),
          "WebIdentityToken": rand(rng, TOKEN_CHARS, 4, 300)}
    if rng.random() < 0.2:
        kw["ProviderId"] = rng.choice(["www.amazon.com", "graph.facebook.com"])
    if rng.random() < 0.3:
        kw["PolicyArns"] = [{"arn": f"arn:{part}:iam::aws:policy/{rand(rng, SESSION_CHARS, 1, 30)}"}
                            for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.4:
        kw["Policy"] = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "s3:GetObject",
            "Resource": f"arn:{part}:s3:::{rand(rng, string.ascii_lowercase, 3, 20)}/{rand(rng, TOKEN_CHARS, 1, 30)}*"}]},
            ensure_ascii=rng.random() < 0.5)
    if rng.random() < 0.5:
        kw["DurationSeconds"] = rng.randint(900, 43200)
    return "assume_role_with_web_identity", kw, region, endpoint, region


def logins(rng):
    return {p: rand(rng, LOGIN_CHARS, 1, 200) for p in rng.sample(PROVIDERS, rng.randint(1, 4))}


def cognito_case(rng, i):
    region, endpoint = where(rng)
    if endpoint and "sts" in endpoint:
        endpoint = None
    ident = f"{region}:{uuid.UUID(int=rng.getrandbits(128))}"
    if rng.random() < 0.5:
        kw = {}
        if rng.random() < 0.3:
            kw["AccountId"] = str(rng.randint(10**11, 10**12 - 1))
        kw["IdentityPoolId"] = ident
        if rng.random() < 0.7:
            kw["Logins"] = logins(rng)
        return "get_id", kw, region if rng.random() < 0.5 else None, endpoint, region
    kw = {"IdentityId": ident}
    if rng.random() < 0.7:
        kw["Logins"] = logins(rng)
    if rng.random() < 0.3:
        kw["CustomRoleArn"] = f"arn:{partition(region)}:iam::{rng.randint(10**11, 10**12 - 1)}:role/{rand(rng, SESSION_CHARS, 1, 30)}"
    return "get_credentials_for_identity", kw, region if rng.random() < 0.5 else None, endpoint, region


def b(v):
    return v.decode() if isinstance(v, bytes) else v


def compare_request(want, got):
    diffs = []
    if "error" in got:
        return [f"our error {got['error']}"]
    for k in ("method", "url"):
        if got[k] != want[k]:
            diffs.append(f"{k}: ours {got[k]!r}\n      theirs {want[k]!r}")
    theirs_h = want["headers"]
    if got["headers"] != theirs_h:
        diffs.append(f"headers: ours {got['headers']!r}\n      theirs {theirs_h!r}")
    body = want.get("body_compact", want["body"])
    if got["body"] != body:
        diffs.append(f"body: ours {got['body']!r}\n      theirs {body!r}")
    return diffs


# ---- responses -------------------------------------------------------------------------------------

def key(rng, n):
    return rand(rng, string.ascii_letters + string.digits + "+/=", n, n)


def sts_ok(rng):
    ak, sk, st = "ASIA" + rand(rng, string.ascii_uppercase + string.digits, 16, 16), key(rng, 40), key(rng, 300)
    secs = rng.randint(1_700_000_000, 2_000_000_000)
    iso = datetime.fromtimestamp(secs, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    iso += rng.choice(["Z", ".000Z", f".{rng.randint(0, 999):03d}Z"])
    creds = [f"<AccessKeyId>{ak}</AccessKeyId>", f"<SecretAccessKey>{sk}</SecretAccessKey>",
             f"<SessionToken>{st}</SessionToken>", f"<Expiration>{iso}</Expiration>"]
    rng.shuffle(creds)
    sep = rng.choice(["", "\n    "])
    result = [f"<Credentials>{sep}{sep.join(creds)}{sep}</Credentials>",
              "<SubjectFromWebIdentityToken>sub-1</SubjectFromWebIdentityToken>",
              "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn>"
              "<AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId></AssumedRoleUser>",
              "<Provider>accounts.google.com</Provider>", "<Audience>client-1</Audience>"]
    rng.shuffle(result)
    ns = rng.choice(['', ' xmlns="https://sts.amazonaws.com/doc/2011-06-15/"'])
    body = (f'<AssumeRoleWithWebIdentityResponse{ns}>{sep}<AssumeRoleWithWebIdentityResult>{sep}{sep.join(result)}'
            f'{sep}</AssumeRoleWithWebIdentityResult>{sep}<ResponseMetadata><RequestId>{uuid.UUID(int=rng.getrandbits(128))}'
            f'</RequestId></ResponseMetadata>{sep}</AssumeRoleWithWebIdentityResponse>')
    if rng.random() < 0.5:
        body = '<?xml version="1.0" encoding="UTF-8"?>\n' + body
    return 200, body


STS_ERRORS = [(400, "InvalidIdentityToken"), (400, "ExpiredTokenException"), (403, "IDPRejectedClaim"),
              (400, "IDPCommunicationError"), (400, "PackedPolicyTooLarge"), (403, "RegionDisabledException"),
              (400, "MalformedPolicyDocument"), (403, "AccessDenied"), (400, "ValidationError")]
COGNITO_ERRORS = [(400, "NotAuthorizedException"), (400, "ResourceNotFoundException"), (400, "InvalidParameterException"),
                  (400, "LimitExceededException"), (400, "TooManyRequestsException"), (400, "ResourceConflictException"),
                  (400, "InvalidIdentityPoolConfigurationException"), (400, "ExternalServiceException"),
                  (500, "InternalErrorException")]


def sts_error(rng):
    status, code = rng.choice(STS_ERRORS)
    ty = rng.choice(["Sender", "Receiver"])
    return status, (f'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>{ty}</Type>\n'
                    f'    <Code>{code}</Code>\n    <Message>{rand(rng, string.ascii_letters + " .", 5, 60)}</Message>\n'
                    f'  </Error>\n  <RequestId>{uuid.UUID(int=rng.getrandbits(128))}</RequestId>\n</ErrorResponse>\n')


def cognito_ok(rng):
    secs = rng.randint(1_700_000_000, 2_000_000_000)
    exp = rng.choice([str(secs), f"{secs}.{rng.randint(0, 999):03d}", f"{secs / 1e9!r}E9".replace("E9", "E9"),
                      f"{secs}.0"])
    if "E9" in exp:
        exp = f"{secs / 10**9}E9"
    creds = {"AccessKeyId": "ASIA" + rand(rng, string.ascii_uppercase + string.digits, 16, 16), "SecretKey": key(rng, 40),
             "SessionToken": key(rng, 400), "Expiration": "@EXP@"}
    items = list(creds.items())
    rng.shuffle(items)
    doc = {"IdentityId": f"eu-west-1:{uuid.UUID(int=rng.getrandbits(128))}", "Credentials": dict(items)}
    if rng.random() < 0.5:
        doc = {"Credentials": doc["Credentials"], "IdentityId": doc["IdentityId"]}
    text = json.dumps(doc, separators=rng.choice([(",", ":"), (", ", ": ")])).replace('"@EXP@"', exp)
    return 200, text, secs


def cognito_error(rng):
    status, code = rng.choice(COGNITO_ERRORS)
    ty = code if rng.random() < 0.5 else f"com.amazonaws.cognito.identity.model#{code}"
    return status, json.dumps({"__type": ty, "message": rand(rng, string.ascii_letters + " .", 5, 60)})


def theirs_response(operation, status, body):
    service = cap.KINDS[operation][0]
    c = cap.client(service, "eu-west-1", answer=body.encode(), status=status)
    kw = {"assume_role_with_web_identity": {"RoleArn": "arn:aws:iam::1:role/r", "RoleSessionName": "ab",
                                            "WebIdentityToken": "tokn"},
          "get_credentials_for_identity": {"IdentityId": "eu-west-1:x"}}[operation]
    try:
        r = getattr(c, operation)(**kw)
    except ClientError as e:
        return {"error": e.response["Error"]["Code"]}
    cr = r["Credentials"]
    return {"accessKeyId": cr["AccessKeyId"], "secretAccessKey": cr.get("SecretAccessKey", cr.get("SecretKey")),
            "sessionToken": cr["SessionToken"], "expires": int(cr["Expiration"].timestamp())}


def ours_response(got):
    if "error" in got:
        return {"error": got["error"]["code"], "message": got["error"]["message"]}
    c = got["credentials"]
    exp = datetime.strptime(c["expiresAt"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    return {"accessKeyId": c["accessKeyId"], "secretAccessKey": c["secretAccessKey"], "sessionToken": c["sessionToken"],
            "expires": int(exp.timestamp())}


def compare_response(want, mine):
    if "error" in want:
        if mine.get("error") != "SERVICE_ERROR" or f'"{want["error"]}"' not in mine.get("message", ""):
            return [f"theirs: error {want['error']}; ours {mine}"]
        return []
    if mine != want:
        return [f"ours {mine}\n      theirs {want}"]
    return []


def ours(requests, responses):
    if not os.path.exists(os.path.join(ROOT, "pkg", "dist", "credentials", "server", "presign_credentials_bg.wasm")):
        subprocess.run(["bash", os.path.join(ROOT, "pkg", "build.sh")], check=True, stdout=subprocess.DEVNULL,
                       env=dict(os.environ, PRESIGN_ENTRIES="credentials"))
    p = subprocess.run(["node", CLIENT], input=json.dumps({"requests": requests, "responses": responses}),
                       capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        sys.exit(f"node failed: {p.stderr[-2000:]}")
    return json.loads(p.stdout)


def main():
    rng = random.Random(SEED)
    cases = [sts_case(rng, i) if rng.random() < 0.45 else cognito_case(rng, i) for i in range(CASES)]
    requests = []
    # Without a region option ours takes the id's region prefix; boto3 is given that region.
    for operation, kw, region, endpoint, boto_region in cases:
        options, ordered = cap.options(operation, kw, region, endpoint)
        requests.append((operation, options, ordered, boto_region, endpoint))
    answers = []
    for i in range(60):
        if i % 4 == 0:
            answers.append(("assume_role_with_web_identity", *sts_ok(rng), None))
        elif i % 4 == 1:
            answers.append(("assume_role_with_web_identity", *sts_error(rng), None))
        elif i % 4 == 2:
            status, body, _ = cognito_ok(rng)
            answers.append(("get_credentials_for_identity", status, body, None))
        else:
            answers.append(("get_credentials_for_identity", *cognito_error(rng), None))
    got = ours([r[1] for r in requests],
               [{"kind": cap.KINDS[a[0]][1], "status": a[1], "body": a[2]} for a in answers])
    passed = failed = 0
    covered = {}
    for (operation, options, ordered, region, endpoint), mine in zip(requests, got["requests"]):
        want = cap.capture(operation, ordered, region, endpoint)
        diffs = compare_request(want, mine)
        name = f"{options['kind']} region={options.get('region')} endpoint={endpoint} options={sorted(options)}"
        if diffs:
            failed += 1
            print(f"FAIL request {name}")
            for d in diffs:
                print("    " + d)
        else:
            passed += 1
            covered[options["kind"]] = covered.get(options["kind"], 0) + 1
    request_passed = passed
    for (operation, status, body, _), mine in zip(answers, got["responses"]):
        diffs = compare_response(theirs_response(operation, status, body), ours_response(mine))
        if diffs:
            failed += 1
            print(f"FAIL response {operation} {status} {body[:120]!r}")
            for d in diffs:
                print("    " + d)
        else:
            passed += 1
            covered["responses"] = covered.get("responses", 0) + 1
    print("covered: " + ", ".join(f"{k} {v}" for k, v in sorted(covered.items())))
    if request_passed < 150:
        print(f"only {request_passed} requests passed; at least 150 must")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or request_passed < 150 else 0)


if __name__ == "__main__":
    main()
