#!/usr/bin/env python3
"""Differential test of `presign verify`: URLs made by the official SDKs verify, and tampered
variants of them are refused.

Groups, generated deterministically from one seed:
  S3     boto3 `generate_presigned_url` (get/put/head/delete_object): hostile keys, regions, AWS and
         custom path-style endpoints, a signed Content-Type, response overrides and versionId
         (query), temporary credentials (session token).
  Azure  azure-storage-blob `generate_blob_sas` / `generate_container_sas` / `generate_account_sas`
         with the account key and with a user-delegation key (SDK default version), URLs from
         `BlobClient.url` (the SDK's own encoding of the blob name), on the public endpoint and
         Azurite's path-style one; permissions r / cw / d / racwdl, IP ranges, https only.
  GCS    google-cloud-storage `Blob.generate_signed_url(version="v4")` with Google's dummy service
         account key (tests/vectors/gcs), path and virtual-hosted style, signed headers and query
         parameters; the CLI verifies with the key file's public half (GOOGLE_APPLICATION_CREDENTIALS)
         and, for a sample, with a PEM public key file (--gcs-public-key).

Each SDK URL must give exit 0 ("valid") and each tampered variant exit 1 with the expected code:
signature or another signed field changed, another object, another method (S3/GCS) or a method
the SAS permissions do not allow (Azure), a signed header left out or changed, after the expiry,
outside the SAS IP range, a wrong key.

Run:  /tmp/presign-servers/py/venv/bin/python tests/verify_py_diff.py   (PRESIGN_BIN overrides
the binary: `cargo build --release --features cli`)
Last line: "N passed, M failed"; exit status 1 when M > 0 or N < MIN_PASSED.
"""

import datetime as dt
import json
import os
import random
import sys
import tempfile
from urllib.parse import parse_qsl, quote, urlsplit

from harness import TESTS, flip_last, isolate, iso, replace_param, require_presign, summary, utc_now, verify
from harness import AWS_EXAMPLE_KEY_ID as AK, AWS_EXAMPLE_SECRET as SK
from harness import AZURITE_ACCOUNT as DEV_ACCOUNT, AZURITE_KEY as DEV_KEY

# Neither the SDKs nor the CLI may pick up ambient cloud configuration.
isolate()

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from azure.storage.blob import (  # noqa: E402
    AccountSasPermissions,
    BlobClient,
    BlobSasPermissions,
    ContainerSasPermissions,
    ResourceTypes,
    UserDelegationKey,
    generate_account_sas,
    generate_blob_sas,
    generate_container_sas,
)
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402
from google.cloud import storage  # noqa: E402
from google.oauth2 import service_account  # noqa: E402

KEY_FILE = os.path.join(TESTS, "vectors", "gcs", "test_service_account.not-a-test.json")

SEED = 20261126
N_S3 = int(os.environ.get("N_S3", "60"))
N_AZURE = int(os.environ.get("N_AZURE", "60"))
N_GCS = int(os.environ.get("N_GCS", "40"))
MIN_PASSED = 400
SHOW_FAILURES = int(os.environ.get("SHOW_FAILURES", "8"))

TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN/+=="
OTHER_KEY = "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U="

with open(KEY_FILE, encoding="utf-8") as f:
    KEY_INFO = json.load(f)
SA_CREDENTIALS = service_account.Credentials.from_service_account_info(KEY_INFO)

PIECES = ["a", "photos", "b c", "+", "=", "%", "%20", "?", "#", "&", "~", "'", "(", ")", "!", ";",
          ":", "@", "$", ",", "-", "_", " ", "\u00fc", "u\u0308", "\U0001F600", "\u65e5\u672c", "/",
          "caf\u00e9.txt", "[x]"]

results = []
failures = []


def record(name, ok, detail=""):
    results.append(bool(ok))
    if not ok:
        failures.append(f"{name}: {detail}")


def name(r):
    n = "".join(r.choice(PIECES) for _ in range(r.randint(1, 5)))
    # Object names the services refuse or normalise are out of scope here.
    n = n.strip("/") or "x"
    return "k" + n


def expect(label, url, method, headers, env, extra, want):
    """want: None for valid, else the error code (or a tuple of acceptable codes)."""
    rc, verdict, err = verify(url, method, headers, env, extra)
    if want is None:
        record(label, rc == 0 and verdict.get("valid") is True, f"rc={rc} {verdict} {err.strip()} {url}")
    else:
        codes = want if isinstance(want, tuple) else (want,)
        code = verdict.get("error", {}).get("code")
        record(label, rc == 1 and code in codes, f"rc={rc} want {codes} got {code} {verdict} {url}")


def at_plus(stamp, seconds):
    t = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.timezone.utc)
    return (t + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------------
# S3 with boto3


def s3_group(r):
    for i in range(N_S3):
        region = r.choice(["us-east-1", "eu-west-1", "ap-southeast-2"])
        endpoint = r.choice([None, None, "http://127.0.0.1:9000", "https://minio.example:8443"])
        temp = r.random() < 0.25
        session = boto3.session.Session(
            aws_access_key_id=AK, aws_secret_access_key=SK,
            aws_session_token=TOKEN if temp else None, region_name=region)
        cfg = Config(signature_version="s3v4",
                     s3={"addressing_style": "path" if endpoint else r.choice(["virtual", "path"])})
        s3 = session.client("s3", endpoint_url=endpoint, config=cfg)
        key = name(r)
        op = r.choice(["get_object", "put_object", "head_object", "delete_object"])
        method = {"get_object": "GET", "put_object": "PUT", "head_object": "HEAD", "delete_object": "DELETE"}[op]
        params = {"Bucket": "my-bucket", "Key": key}
        headers = []
        if op == "put_object" and r.random() < 0.6:
            ct = r.choice(["image/jpeg", "text/plain; charset=utf-8", "application/octet-stream"])
            params["ContentType"] = ct
            headers.append(f"Content-Type: {ct}")
        if op == "get_object" and r.random() < 0.5:
            params["ResponseContentDisposition"] = r.choice(['attachment; filename="a b.txt"', "inline"])
        if op in ("get_object", "head_object") and r.random() < 0.3:
            params["VersionId"] = "3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo"
        expires = r.choice([1, 60, 900, 3600, 86400, 604800])
        url = s3.generate_presigned_url(op, Params=params, ExpiresIn=expires, HttpMethod=method)
        q = dict(parse_qsl(urlsplit(url).query))
        stamp = q["X-Amz-Date"]
        env = {"AWS_ACCESS_KEY_ID": AK, "AWS_SECRET_ACCESS_KEY": SK}
        if temp:
            env["AWS_SESSION_TOKEN"] = TOKEN
        at = ["--at", at_plus(stamp, 0)]
        label = f"s3 #{i} {method} {key!r}"
        expect(label + " valid", url, method, headers, env, at, None)
        expect(label + " signature", replace_param(url, "X-Amz-Signature", flip_last), method, headers, env, at,
               "SIGNATURE_MISMATCH")
        expect(label + " expires", replace_param(url, "X-Amz-Expires", lambda v: str(int(v) // 2 or 2)),
               method, headers, env, at, "SIGNATURE_MISMATCH")
        other = url.replace(quote(key[-1], safe="~") + "?", quote(key[-1], safe="~") + "x?", 1)
        expect(label + " other key", other, method, headers, env, at, "SIGNATURE_MISMATCH")
        other_method = {"GET": "PUT", "PUT": "GET", "HEAD": "GET", "DELETE": "GET"}[method]
        expect(label + " method", url, other_method, headers, env, at, "SIGNATURE_MISMATCH")
        if headers:
            expect(label + " header dropped", url, method, [], env, at, "MISSING_HEADER")
            expect(label + " header changed", url, method, ["Content-Type: text/html"], env, at,
                   "SIGNATURE_MISMATCH")
        expect(label + " expired", url, method, headers, env, ["--at", at_plus(stamp, expires)], "EXPIRED")
        wrong = dict(env, AWS_SECRET_ACCESS_KEY=SK[::-1])
        expect(label + " wrong secret", url, method, headers, wrong, at, "SIGNATURE_MISMATCH")
        if "X-Amz-Security-Token" in q:
            expect(label + " token", replace_param(url, "X-Amz-Security-Token", flip_last), method, headers, env,
                   at, "SIGNATURE_MISMATCH")


# ---------------------------------------------------------------------------------------------
# Azure with azure-storage-blob


def azure_group(r):
    now = utc_now()
    for i in range(N_AZURE):
        azurite = r.random() < 0.4
        account = DEV_ACCOUNT if azurite else "myaccount"
        account_url = f"http://127.0.0.1:10000/{DEV_ACCOUNT}" if azurite else f"https://{account}.blob.core.windows.net"
        container = r.choice(["photos", "c-1", "data"])
        blob = name(r)
        kind = r.choice(["blob", "blob", "container", "account", "udk"])
        perm_letters = r.choice(["r", "cw", "d", "racwd"])
        expiry = now + dt.timedelta(seconds=r.choice([60, 3600, 86400]))
        start = now - dt.timedelta(minutes=5) if r.random() < 0.5 else None
        ip = "10.0.0.1-10.0.0.9" if r.random() < 0.25 else None
        protocol = "https" if (not azurite and r.random() < 0.3) else None
        env = {"AZURE_STORAGE_ACCOUNT": account, "AZURE_STORAGE_KEY": DEV_KEY}
        extra = []
        if kind == "blob":
            perms = BlobSasPermissions.from_string(perm_letters)
            token = generate_blob_sas(account, container, blob, account_key=DEV_KEY, permission=perms,
                                      expiry=expiry, start=start, ip=ip, protocol=protocol)
        elif kind == "container":
            perms = ContainerSasPermissions.from_string(perm_letters)
            token = generate_container_sas(account, container, account_key=DEV_KEY, permission=perms,
                                           expiry=expiry, start=start, ip=ip, protocol=protocol)
        elif kind == "account":
            perms = AccountSasPermissions.from_string(perm_letters)
            token = generate_account_sas(account, DEV_KEY, ResourceTypes(object=True), perms, expiry,
                                         start=start, ip=ip, protocol=protocol)
        else:
            udk = UserDelegationKey()
            udk.signed_oid = "23657296-5cd5-45b0-a809-d972a7f4dfe1"
            udk.signed_tid = "ab1f708d-50f6-404c-a006-d71b2ac7a606"
            udk.signed_start = iso(now - dt.timedelta(hours=1))
            udk.signed_expiry = iso(now + dt.timedelta(days=2))
            udk.signed_service = "b"
            udk.signed_version = "2025-07-05"
            udk.value = "c2VjcmV0LXVzZXItZGVsZWdhdGlvbi1rZXktZm9yLXRlc3RzLW9ubHkhIQ=="
            perms = BlobSasPermissions.from_string(perm_letters)
            token = generate_blob_sas(account, container, blob, user_delegation_key=udk, permission=perms,
                                      expiry=expiry, start=start, ip=ip, protocol=protocol)
            key_json = {"signedOid": udk.signed_oid, "signedTid": udk.signed_tid,
                        "signedStart": udk.signed_start, "signedExpiry": udk.signed_expiry,
                        "signedService": "b", "signedVersion": udk.signed_version, "value": udk.value}
            kf = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
            json.dump(key_json, kf)
            kf.close()
            env = {}
            extra = ["--user-delegation-key", kf.name]
        url = BlobClient(account_url, container, blob).url + "?" + token
        method = {"r": "GET", "cw": "PUT", "d": "DELETE", "racwd": r.choice(["GET", "PUT", "DELETE"])}[perm_letters]
        denied = {"r": "PUT", "cw": "DELETE", "d": "GET", "racwd": None}[perm_letters]
        client = ["--client-ip", "10.0.0.5"] if ip else []
        label = f"azure #{i} {kind} sp={perm_letters} {method} {blob!r}"
        at = ["--at", iso(now + dt.timedelta(seconds=1))]
        expect(label + " valid", url, method, [], env, extra + at + client, None)
        expect(label + " sig", replace_param(url, "sig", flip_last), method, [], env, extra + at + client,
               "SIGNATURE_MISMATCH")
        expect(label + " se", replace_param(url, "se", lambda v: v[:-2] + ("1" if v[-2] != "1" else "2") + v[-1:]),
               method, [], env, extra + at + client, ("SIGNATURE_MISMATCH", "MALFORMED"))
        if kind != "account" and kind != "container":
            other = url.replace("?", "x?", 1)
            expect(label + " other blob", other, method, [], env, extra + at + client, "SIGNATURE_MISMATCH")
        if denied:
            expect(label + " method not permitted", url, denied, [], env, extra + at + client, "PERMISSION_DENIED")
        expect(label + " expired", url, method, [], env, extra + client + ["--at", iso(expiry)], "EXPIRED")
        if ip:
            expect(label + " outside ip range", url, method, [], env, extra + at + ["--client-ip", "10.0.1.5"],
                   "IP_DENIED")
        if protocol == "https":
            expect(label + " over http", url.replace("https://", "http://", 1), method, [], env,
                   extra + at + client, "PROTOCOL_DENIED")
        if kind != "udk":
            wrong = dict(env, AZURE_STORAGE_KEY=OTHER_KEY)
            expect(label + " wrong key", url, method, [], wrong, extra + at + client, "SIGNATURE_MISMATCH")


# ---------------------------------------------------------------------------------------------
# GCS with google-cloud-storage


def gcs_group(r):
    client = storage.Client(project="dummy-project-id", credentials=SA_CREDENTIALS)
    # The service account's public key in the three PEM forms the CLI reads, written by
    # `cryptography`: SubjectPublicKeyInfo, PKCS#1, and a (self-signed) X.509 certificate as Google
    # serves them.
    private = serialization.load_pem_private_key(KEY_INFO["private_key"].encode(), password=None)
    public = private.public_key()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, KEY_INFO["client_email"])])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(dt.datetime(2020, 1, 1)).not_valid_after(dt.datetime(2040, 1, 1))
            .sign(private, hashes.SHA256()))
    pems = []
    for data in (public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
                 public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1),
                 cert.public_bytes(serialization.Encoding.PEM)):
        f = tempfile.NamedTemporaryFile("wb", suffix=".pem", delete=False)
        f.write(data)
        f.close()
        pems.append(f.name)
    for i in range(N_GCS):
        bucket = client.bucket(r.choice(["test-bucket", "bkt-2", "my_bucket"]))
        obj = name(r)
        blob = bucket.blob(obj)
        method = r.choice(["GET", "PUT", "HEAD", "DELETE"])
        headers = {}
        query = {}
        if method == "PUT" and r.random() < 0.6:
            headers["content-type"] = r.choice(["image/png", "text/plain; charset=utf-8"])
        if r.random() < 0.3:
            headers["x-goog-meta-owner"] = "alice"
        if method == "GET" and r.random() < 0.5:
            query["response-content-disposition"] = 'attachment; filename="a b.txt"'
        vhost = bucket.name != "my_bucket" and r.random() < 0.3
        expires = r.choice([1, 60, 3600, 604800])
        url = blob.generate_signed_url(version="v4", expiration=dt.timedelta(seconds=expires), method=method,
                                       headers=headers or None, query_parameters=query or None,
                                       virtual_hosted_style=vhost)
        stamp = dict(parse_qsl(urlsplit(url).query))["X-Goog-Date"]
        hdrs = [f"{k}: {v}" for k, v in headers.items()]
        if r.random() < 0.5:
            env, extra = {}, ["--gcs-public-key", f"{KEY_INFO['client_email']}={r.choice(pems)}"]
        else:
            env, extra = {"GOOGLE_APPLICATION_CREDENTIALS": KEY_FILE}, []
        at = ["--at", at_plus(stamp, 0)]
        label = f"gcs #{i} {method} {obj!r}"
        expect(label + " valid", url, method, hdrs, env, extra + at, None)
        expect(label + " signature", replace_param(url, "X-Goog-Signature", flip_last), method, hdrs, env, extra + at,
               "SIGNATURE_MISMATCH")
        expect(label + " other object", url.replace("?", "x?", 1), method, hdrs, env, extra + at,
               "SIGNATURE_MISMATCH")
        other_method = {"GET": "PUT", "PUT": "GET", "HEAD": "GET", "DELETE": "GET"}[method]
        expect(label + " method", url, other_method, hdrs, env, extra + at, "SIGNATURE_MISMATCH")
        if hdrs:
            expect(label + " header dropped", url, method, hdrs[1:], env, extra + at, "MISSING_HEADER")
            changed = [hdrs[0] + "x"] + hdrs[1:]
            expect(label + " header changed", url, method, changed, env, extra + at, "SIGNATURE_MISMATCH")
        expect(label + " expired", url, method, hdrs, env, extra + ["--at", at_plus(stamp, expires)], "EXPIRED")


def main():
    require_presign()
    r = random.Random(SEED)
    for group in (s3_group, azure_group, gcs_group):
        before = len(results)
        group(r)
        print(f"{group.__name__}: {sum(results[before:])}/{len(results) - before} checks passed")
    for f in failures[:SHOW_FAILURES]:
        print("FAIL", f)
    passed = sum(results)
    return summary(passed, len(results) - passed, minimum=MIN_PASSED)


if __name__ == "__main__":
    sys.exit(main())
