#!/usr/bin/env python3
"""Captures the requests boto3 sends for the AWS credential exchanges, as data: sts-cognito-requests.json.

Run (the test venv has the pinned boto3; CI only reads the JSON):
    /tmp/presign-servers/py/venv/bin/python tests/vectors/aws/gen_sts_cognito_requests.py > tests/vectors/aws/sts-cognito-requests.json
    /tmp/presign-servers/py/venv/bin/python tests/vectors/aws/gen_sts_cognito_requests.py --check   # the file is still what it captures

boto3 (versions in tests/servers/versions.env) builds STS AssumeRoleWithWebIdentity and Cognito Identity
GetId / GetCredentialsForIdentity; a `before-send` hook records each request as it would go on the wire
and answers it with a canned document, so nothing leaves the machine. The client has (fake) long-lived
credentials on purpose: the three operations are unsigned in the API model, and the capture shows that
botocore sends no Authorization even then. boto3's keyword arguments are passed in the API model's member
order (botocore serializes them in the order given; the other SDKs in model order).

Each case records our options (kinds aws.assumeRoleWithWebIdentity / aws.cognitoGetId /
aws.cognitoGetCredentials) and the captured method, URL, the headers that carry meaning (content-type,
x-amz-target, and authorization / x-amz-security-token / x-amz-date, which must be absent) and the body
exactly as sent. For the JSON bodies `body_compact` is the same document re-written by Python's json
with "," / ":" separators and no \\u escapes of non-ASCII characters (what JSON.stringify and this crate
write): same members, same order, same strings — the bytes the comparison uses.
"""

import json
import os
import sys

import boto3
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from importlib.metadata import version

HEADERS = ("content-type", "x-amz-target", "authorization", "x-amz-security-token", "x-amz-date")
captured = []
KINDS = {
    "assume_role_with_web_identity": ("sts", "aws.assumeRoleWithWebIdentity"),
    "get_id": ("cognito-identity", "aws.cognitoGetId"),
    "get_credentials_for_identity": ("cognito-identity", "aws.cognitoGetCredentials"),
}
STS_OK = (b"<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
          b"<AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>"
          b"<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
          b"</AssumeRoleWithWebIdentityResponse>")
COGNITO_OK = (b'{"IdentityId":"us-east-1:00000000-0000-0000-0000-000000000000","Credentials":{"AccessKeyId":"ASIAEXAMPLE",'
              b'"SecretKey":"s","SessionToken":"t","Expiration":1.8934272E9}}')


class Raw:
    def __init__(self, body):
        self.body = body

    def stream(self, **_):
        yield self.body


def client(service, region=None, endpoint=None, answer=None, status=200):
    """A boto3 client whose requests are recorded and answered with `answer` (default: a success)."""
    c = boto3.client(service, region_name=region or "us-east-1", endpoint_url=endpoint,
                     aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="not-used-operations-are-unsigned",
                     config=Config(retries={"max_attempts": 0}))

    def send(request, **_):
        captured.append(request)
        body = answer if answer is not None else (STS_OK if service == "sts" else COGNITO_OK)
        return AWSResponse(request.url, status, {}, Raw(body))

    c.meta.events.register("before-send", send)
    return c


def capture(operation, kwargs, region=None, endpoint=None):
    """The request boto3 sends for `operation(**kwargs)`."""
    service, _ = KINDS[operation]
    captured.clear()
    getattr(client(service, region, endpoint), operation)(**kwargs)
    assert len(captured) == 1, captured
    r = captured[0]
    body = r.body.decode("utf-8") if isinstance(r.body, bytes) else (r.body or "")
    out = {
        "method": r.method,
        "url": r.url,
        "headers": {k.lower(): (v.decode() if isinstance(v, bytes) else v) for k, v in r.headers.items()
                    if k.lower() in HEADERS},
        "body": body,
    }
    if service != "sts":
        out["body_compact"] = json.dumps(json.loads(body), separators=(",", ":"), ensure_ascii=False)
    return out


# boto3 keyword arguments (model order) -> our options.
STS_MEMBERS = [("RoleArn", "roleArn"), ("RoleSessionName", "roleSessionName"), ("WebIdentityToken", "webIdentityToken"),
               ("ProviderId", "providerId"), ("PolicyArns", "policyArns"), ("Policy", "policy"),
               ("DurationSeconds", "durationSeconds")]
GET_ID_MEMBERS = [("AccountId", "accountId"), ("IdentityPoolId", "identityPoolId"), ("Logins", "logins")]
GET_CREDENTIALS_MEMBERS = [("IdentityId", "identityId"), ("Logins", "logins"), ("CustomRoleArn", "customRoleArn")]
MEMBERS = {"assume_role_with_web_identity": STS_MEMBERS, "get_id": GET_ID_MEMBERS,
           "get_credentials_for_identity": GET_CREDENTIALS_MEMBERS}


def options(operation, kwargs, region=None, endpoint=None):
    """Our options for the same call; boto3's kwargs in model order."""
    ours = {"kind": KINDS[operation][1]}
    ordered = {}
    for theirs, mine in MEMBERS[operation]:
        if theirs in kwargs:
            v = kwargs[theirs]
            ordered[theirs] = v
            ours[mine] = [p["arn"] for p in v] if theirs == "PolicyArns" else v
    assert len(ordered) == len(kwargs), kwargs
    if region:
        ours["region"] = region
    if endpoint:
        ours["endpoint"] = endpoint
    return ours, ordered


ROLE = "arn:aws:iam::123456789012:role/web-uploader"
JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJ1c2VyLTQyIiwiYXVkIjoic3RzLmFtYXpvbmF3cy5jb20ifQ.c2lnbmF0dXJl"
POOL = "eu-west-1:0b5d5d6a-3f8e-4c6d-9a3c-2f2a9e7c1d11"
IDENTITY = "eu-west-1:1f2e3d4c-5b6a-4789-8abc-def012345678"


def cases():
    sts = "assume_role_with_web_identity"
    yield "sts minimal (us-east-1 default)", sts, {"RoleArn": ROLE, "RoleSessionName": "app-42", "WebIdentityToken": JWT}, None, None
    yield "sts session name with every allowed symbol, eu-west-1", sts, \
        {"RoleArn": ROLE, "RoleSessionName": "a_b+c=d,e.f@g-h", "WebIdentityToken": JWT}, "eu-west-1", None
    yield "sts all options (provider id, policy ARNs, policy with spaces and unicode, duration)", sts, \
        {"RoleArn": ROLE, "RoleSessionName": "s1", "WebIdentityToken": "Atza|IQEBLjAsAhRFiXu+/=&x y",
         "ProviderId": "www.amazon.com",
         "PolicyArns": [{"arn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}, {"arn": "arn:aws:iam::123456789012:policy/p~1"}],
         "Policy": '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/ü/*"}]}',
         "DurationSeconds": 43200}, "ap-southeast-2", None
    yield "sts China partition", sts, {"RoleArn": "arn:aws-cn:iam::123456789012:role/r", "RoleSessionName": "cn",
                                       "WebIdentityToken": JWT, "DurationSeconds": 900}, "cn-north-1", None
    yield "sts GovCloud", sts, {"RoleArn": "arn:aws-us-gov:iam::123456789012:role/r", "RoleSessionName": "gov",
                                "WebIdentityToken": JWT}, "us-gov-west-1", None
    yield "sts local endpoint", sts, {"RoleArn": ROLE, "RoleSessionName": "local", "WebIdentityToken": JWT}, None, "http://127.0.0.1:5055"
    yield "sts global endpoint", sts, {"RoleArn": ROLE, "RoleSessionName": "global", "WebIdentityToken": JWT}, None, "https://sts.amazonaws.com"
    yield "cognito GetId guest", "get_id", {"IdentityPoolId": POOL}, "eu-west-1", None
    yield "cognito GetId three providers, account id", "get_id", \
        {"AccountId": "123456789012", "IdentityPoolId": POOL,
         "Logins": {"accounts.google.com": JWT, "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdE": "tok\"en\\/ü",
                    "graph.facebook.com": "EAAB é"}}, "eu-west-1", None
    yield "cognito GetId China", "get_id", {"IdentityPoolId": "cn-north-1:0b5d5d6a-3f8e-4c6d-9a3c-2f2a9e7c1d11"}, "cn-north-1", None
    yield "cognito GetCredentialsForIdentity guest", "get_credentials_for_identity", {"IdentityId": IDENTITY}, "eu-west-1", None
    yield "cognito GetCredentialsForIdentity logins and custom role", "get_credentials_for_identity", \
        {"IdentityId": IDENTITY, "Logins": {"accounts.google.com": JWT, "www.amazon.com": "Atza|x"},
         "CustomRoleArn": "arn:aws:iam::123456789012:role/Cognito_pool_Auth"}, "eu-west-1", None
    yield "cognito GetCredentialsForIdentity local endpoint", "get_credentials_for_identity", {"IdentityId": IDENTITY}, \
        "eu-west-1", "http://127.0.0.1:5055"


def generate():
    out = []
    for name, operation, kwargs, region, endpoint in cases():
        ours, ordered = options(operation, kwargs, region, endpoint)
        out.append({"name": name, "options": ours, "request": capture(operation, ordered, region, endpoint)})
    return {"source": f"boto3 {version('boto3')} / botocore {version('botocore')}, captured by "
                      "tests/vectors/aws/gen_sts_cognito_requests.py", "cases": out}


if __name__ == "__main__":
    for k in [k for k in os.environ if k.startswith("AWS_")]:
        del os.environ[k]
    os.environ["AWS_CONFIG_FILE"] = os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    text = json.dumps(generate(), indent=1, ensure_ascii=False) + "\n"
    if sys.argv[1:] == ["--check"]:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sts-cognito-requests.json")
        with open(path, encoding="utf-8") as f:
            same = f.read() == text
        print("1 passed, 0 failed" if same else "0 passed, 1 failed")
        sys.exit(0 if same else 1)
    sys.stdout.write(text)
