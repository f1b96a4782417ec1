"""Live: the AWS credential exchanges against moto's STS and Cognito Identity (PyPI moto[server]).

tests/servers/moto.sh runs moto's server on 127.0.0.1:5055. The requests are the core's (its wasm build's
exchangeRequestJson, through tests/support/aws_exchange_client.mjs), sent by Python (urllib) as built;
the answers are read by the core's parsers (exchangeResponseJson). boto3 (pinned in versions.env) talks
to the same moto, and parses the very bodies moto sent us (through a before-send hook that answers with
them), so both parsers read the same bytes.

Checks: STS AssumeRoleWithWebIdentity (with DurationSeconds, Policy, PolicyArns) answered 200 with
credentials our parser reads exactly as boto3 does; the expiry moto grants is DurationSeconds after now;
boto3's own call to moto succeeds with the same shape; Cognito: an identity pool created with boto3, GetId
with a Logins map and GetCredentialsForIdentity through ours, parsed as boto3 parses them; an error
document moto sends (Cognito GetId for an unknown pool) is a SERVICE_ERROR with its code; then the
temporary credentials sign S3 URLs (`presign batch`): X-Amz-Security-Token carries the session token,
and moto's Cognito credentials (90 s) against a 1 h URL follow credentialExpiry (error ->
CREDENTIALS_EXPIRE..., clamp -> X-Amz-Expires within the 90 s).

SeaweedFS (when it is not already running): tests/servers/s3.sh is started with one identity whose access
key and secret are those moto's STS just issued (S3_ACCESS_KEY / S3_SECRET_KEY); PUT and GET URLs signed
with that key and secret (without the session token) are accepted, the same key with a wrong secret is
refused. With the session token (X-Amz-Security-Token) SeaweedFS 4.48 answers 403 InvalidAccessKeyId: it
looks such a key up among its own STS's temporary credentials, so a token moto issued cannot pass there
(printed, not checked).

What this does not prove: moto checks neither the web-identity token nor the role's trust policy (any
token gets credentials), nor Logins; no local store accepts a URL carrying moto's session token, so
the token-carrying URL is checked only in form (X-Amz-Security-Token equal to the token; the SigV4 with
a token is compared with boto3 by tests/s3_py_diff.py). Whether the requests are byte-identical to boto3's is
tests/aws_token_py_diff.py's job.

Run: flock /tmp/presign-live.lock /tmp/presign-servers/py/venv/bin/python tests/s3_live_moto.py
(after `cargo build --release --features cli`; it builds pkg/dist/credentials when missing).
Last line "N passed, M failed".
"""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone

TESTS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TESTS)
sys.path.insert(0, os.path.join(TESTS, "vectors", "aws"))
from harness import (ROOT, check, isolate, query_param, replace_param, run_presign, send, server,  # noqa: E402
                     server_running, sign, summary)

isolate()
os.environ["AWS_CONFIG_FILE"] = os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
import boto3  # noqa: E402
import gen_sts_cognito_requests as cap  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

CLIENT = os.path.join(TESTS, "support", "aws_exchange_client.mjs")
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIiwiYXVkIjoic3RzLmFtYXpvbmF3cy5jb20ifQ.c2ln"
REGION = "eu-west-1"


def core(requests=(), responses=()):
    if not os.path.exists(os.path.join(ROOT, "pkg", "dist", "credentials", "server", "presign_credentials_bg.wasm")):
        subprocess.run(["bash", os.path.join(ROOT, "pkg", "build.sh")], check=True, stdout=subprocess.DEVNULL,
                       env=dict(os.environ, PRESIGN_ENTRIES="credentials"))
    p = subprocess.run(["node", CLIENT], input=json.dumps({"requests": list(requests), "responses": list(responses)}),
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        sys.exit(f"node failed: {p.stderr[-2000:]}")
    return json.loads(p.stdout)


def exchange(options):
    """Ours: build, send with urllib as built, parse. Returns (status, body, parsed)."""
    req = core(requests=[options])["requests"][0]
    if "error" in req:
        return None, "", req
    r = urllib.request.Request(req["url"], data=req["body"].encode(), method=req["method"], headers=req["headers"])
    try:
        with urllib.request.urlopen(r, timeout=30) as resp:
            status, body = resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read().decode()
    parsed = core(responses=[{"kind": options["kind"], "status": status, "body": body}])["responses"][0]
    return status, body, parsed


def boto_parse(operation, status, body):
    """boto3's reading of the bytes moto sent us."""
    kw = {"assume_role_with_web_identity": {"RoleArn": "arn:aws:iam::123456789012:role/r", "RoleSessionName": "ab",
                                            "WebIdentityToken": "tokn"},
          "get_id": {"IdentityPoolId": "eu-west-1:x"},
          "get_credentials_for_identity": {"IdentityId": "eu-west-1:x"}}[operation]
    c = cap.client(cap.KINDS[operation][0], REGION, answer=body.encode(), status=status)
    try:
        return getattr(c, operation)(**kw)
    except ClientError as e:
        return {"error": e.response["Error"]["Code"]}


def same_credentials(ours, theirs):
    c, t = ours.get("credentials", {}), theirs.get("Credentials", {})
    exp = int(datetime.strptime(c.get("expiresAt", "1970-01-01T00:00:00Z"), "%Y-%m-%dT%H:%M:%SZ")
              .replace(tzinfo=timezone.utc).timestamp())
    return (c.get("accessKeyId") == t.get("AccessKeyId")
            and c.get("secretAccessKey") == t.get("SecretAccessKey", t.get("SecretKey"))
            and c.get("sessionToken") == t.get("SessionToken")
            and "Expiration" in t and exp == int(t["Expiration"].timestamp())
            and ours.get("expiresAt") == c.get("expiresAt"))


def s3_request(creds, **over):
    r = {"provider": "s3", "bucket": "uploads", "key": "users/42/photo.jpg", "method": "PUT", "region": REGION,
         "expiresIn": 3600, "credentials": creds}
    r.update(over)
    return r


def main():
    with server("moto") as env:
        moto = env["MOTO_ENDPOINT"]
        # A moto server left running by an earlier run keeps its roles and pools: start from none.
        urllib.request.urlopen(urllib.request.Request(moto + "/moto-api/reset", method="POST"), timeout=30).read()
        boto = lambda svc: boto3.client(svc, region_name=REGION, endpoint_url=moto, aws_access_key_id="AKIDEXAMPLE",  # noqa: E731
                                        aws_secret_access_key="moto-accepts-any")

        # --- STS AssumeRoleWithWebIdentity ---
        iam = boto("iam")
        role = iam.create_role(RoleName="web-uploader", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"},
                                                    "Action": "sts:AssumeRoleWithWebIdentity"}]}))["Role"]["Arn"]
        before = int(time.time())
        status, body, ours = exchange({"kind": "aws.assumeRoleWithWebIdentity", "endpoint": moto, "roleArn": role,
                                       "roleSessionName": "app-42", "webIdentityToken": JWT, "durationSeconds": 1800,
                                       "policyArns": ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
                                       "policy": json.dumps({"Version": "2012-10-17", "Statement": [
                                           {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::uploads/*"}]})})
        check("sts: moto answers our AssumeRoleWithWebIdentity with 200", status == 200, f"{status} {body[:300]}")
        check("sts: our parser reads credentials", "credentials" in ours, ours)
        theirs = boto_parse("assume_role_with_web_identity", status, body)
        check("sts: boto3 reads the same credentials from moto's body", same_credentials(ours, theirs), f"{ours} {theirs}")
        sts_creds = ours.get("credentials", {})
        exp = int(datetime.strptime(sts_creds.get("expiresAt", "1970-01-01T00:00:00Z"), "%Y-%m-%dT%H:%M:%SZ")
                  .replace(tzinfo=timezone.utc).timestamp())
        check("sts: expiry is DurationSeconds (1800) after the request", before + 1800 - 5 <= exp <= int(time.time()) + 1800 + 5,
              f"{exp - before}")
        b = boto("sts").assume_role_with_web_identity(RoleArn=role, RoleSessionName="app-42", WebIdentityToken=JWT,
                                                       DurationSeconds=1800)["Credentials"]
        check("sts: boto3's own call to moto gets the same shape (ASIA key, token, expiry)",
              b["AccessKeyId"][:4] == sts_creds.get("accessKeyId", "")[:4] and len(b["SessionToken"]) == len(sts_creds.get("sessionToken", ""))
              and abs(int(b["Expiration"].timestamp()) - exp) <= 10, f"{b} {sts_creds}")

        # --- Cognito Identity ---
        ci = boto("cognito-identity")
        pool = ci.create_identity_pool(IdentityPoolName="uploads", AllowUnauthenticatedIdentities=True,
                                       SupportedLoginProviders={"accounts.google.com": "client-1"})["IdentityPoolId"]
        logins = {"accounts.google.com": JWT, "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdE": "tok\"en/ü"}
        status, body, got = exchange({"kind": "aws.cognitoGetId", "endpoint": moto, "identityPoolId": pool, "logins": logins})
        check("cognito: moto answers our GetId with 200 and an identity id", status == 200 and ":" in got.get("identityId", ""),
              f"{status} {body[:300]} {got}")
        theirs = boto_parse("get_id", status, body)
        check("cognito: boto3 reads the same identity id", theirs.get("IdentityId") == got.get("identityId"), f"{theirs}")
        identity = got.get("identityId", "eu-west-1:none")
        status, body, ours = exchange({"kind": "aws.cognitoGetCredentials", "endpoint": moto, "identityId": identity,
                                       "logins": logins})
        check("cognito: moto answers our GetCredentialsForIdentity with 200", status == 200 and "credentials" in ours,
              f"{status} {body[:300]} {ours}")
        theirs = boto_parse("get_credentials_for_identity", status, body)
        check("cognito: boto3 reads the same credentials from moto's body", same_credentials(ours, theirs) and
              ours.get("identityId") == theirs.get("IdentityId"), f"{ours} {theirs}")
        b = ci.get_credentials_for_identity(IdentityId=identity, Logins=logins)
        check("cognito: boto3's own call to moto gets the same credentials (moto's are fixed)",
              b["Credentials"]["AccessKeyId"] == ours.get("credentials", {}).get("accessKeyId"), f"{b}")
        cog_creds = ours.get("credentials", {})

        status, body, err = exchange({"kind": "aws.cognitoGetId", "endpoint": moto,
                                      "identityPoolId": "eu-west-1:00000000-0000-0000-0000-000000000000"})
        theirs = boto_parse("get_id", status, body)
        print(f"   (moto for an unknown pool: {status} {body[:160]!r})")
        check("cognito: moto's answer to GetId of an unknown pool is an error on both sides",
              "error" in err and "error" in theirs and (err["error"]["code"] == "SERVICE_ERROR"), f"{err} {theirs}")

    # --- the temporary credentials sign ---
    if sts_creds and cog_creds:
        rc, res, stderr = run_presign(["batch"], [
            s3_request(sts_creds),
            s3_request(cog_creds, credentialExpiry="error"),
            s3_request(cog_creds, credentialExpiry="clamp"),
            s3_request(cog_creds),
        ])
        url = res[0].get("url", "")
        check("presign: STS credentials sign with X-Amz-Security-Token = the session token",
              query_param(url, "X-Amz-Security-Token", decoded=True) == sts_creds["sessionToken"]
              and sts_creds["accessKeyId"] in (query_param(url, "X-Amz-Credential", decoded=True) or ""), res[0])
        check("presign: Cognito's 90 s credentials and a 1 h URL with credentialExpiry=error -> CREDENTIALS_EXPIRE...",
              res[1].get("error", {}).get("code", "").startswith("CREDENTIALS_EXPIRE"), res[1])
        expires = int(query_param(res[2].get("url", ""), "X-Amz-Expires") or 99999)
        check("presign: ... clamp -> X-Amz-Expires within the 90 s", expires <= 90, res[2])
        check("presign: ... default (warn) -> a URL and a CREDENTIALS_EXPIRE_FIRST warning",
              "url" in res[3] and "CREDENTIALS_EXPIRE_FIRST" in json.dumps(res[3].get("warnings", [])), res[3])
        seaweedfs(sts_creds)
    return summary(minimum=15)


def wrong(secret):
    """`secret` with its first character changed (to "x", or "y" when it already is "x": moto's secrets
    are random, and one in 64 or so starts with "x")."""
    return ("y" if secret.startswith("x") else "x") + secret[1:]


def seaweedfs(creds):
    """SeaweedFS (tests/servers/s3.sh) started with one identity whose access key and secret are the
    ones moto's STS just issued; URLs signed with them."""
    if server_running("s3"):
        print("SeaweedFS already runs with its own identity: its step is left out (run this test when it is stopped)")
        return
    with server("s3", env={"S3_ACCESS_KEY": creds["accessKeyId"], "S3_SECRET_KEY": creds["secretAccessKey"]}) as env:
        endpoint = env["S3_ENDPOINT"]
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=creds["accessKeyId"],
                          aws_secret_access_key=creds["secretAccessKey"],
                          config=__import__("botocore.config").config.Config(s3={"addressing_style": "path"}))
        try:
            s3.create_bucket(Bucket="moto-creds")
        except s3.exceptions.BucketAlreadyOwnedByYou:
            pass
        base = {"provider": "s3", "bucket": "moto-creds", "key": "from-sts.txt", "region": "us-east-1", "endpoint": endpoint,
                "urlStyle": "path", "expiresIn": 300}
        static = {k: v for k, v in creds.items() if k != "sessionToken"}
        put, get, wrong_secret, with_token = sign([
            dict(base, method="PUT", credentials=static),
            dict(base, method="GET", credentials=static),
            dict(base, method="GET", credentials=dict(static, secretAccessKey=wrong(creds["secretAccessKey"]))),
            dict(base, method="GET", credentials=creds),
        ])
        status, _, body = send("PUT", put["url"], body=b"signed with the key and secret moto's STS issued")
        check("seaweedfs: a PUT URL signed with the access key and secret moto's STS issued is accepted",
              status == 200, f"{status} {body[:300]!r}")
        status, _, body = send("GET", get["url"])
        check("seaweedfs: the GET URL reads the object back",
              status == 200 and body == b"signed with the key and secret moto's STS issued", f"{status} {body[:300]!r}")
        status, _, body = send("GET", wrong_secret["url"])
        check("seaweedfs: the same access key with a wrong secret is refused (403)", status == 403, f"{status}")
        # With X-Amz-Security-Token SeaweedFS looks the key up among the temporary credentials of its own
        # STS (not its configured identities): a token moto issued cannot pass there.
        status, _, body = send("GET", with_token["url"])
        code = body.split(b"<Code>")[1].split(b"</Code>")[0].decode() if b"<Code>" in body else ""
        print(f"   (seaweedfs, the same URL with moto's session token: HTTP {status} {code})")


if __name__ == "__main__":
    sys.exit(main())
