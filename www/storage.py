"""Storage-side setup for the demo and its browser tests, on the local servers of tests/servers:
the bucket / container, and CORS rules on or off. The rules themselves come from `presign cors`.

  storage.py setup                      bucket on SeaweedFS, container on Azurite, bucket on fake-gcs
  storage.py cors-on s3|azure|gcs FILE  apply the rule in FILE, sent as the provider takes it:
                                        s3: the S3 JSON as PutBucketCors's CORSConfiguration (boto3),
                                        azure: the XML verbatim as the Set Blob Service Properties body
                                        (authorised by an account SAS), gcs: the JSON as the bucket's
                                        cors list (the verifying proxy's --cors-file, what
                                        `gcloud storage buckets update --cors-file` would set)
  storage.py cors-off s3|azure|gcs      no CORS rule at all (preflights fail)

Env (as printed by the server scripts): S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY, AZURITE_BLOB_ENDPOINT,
AZURITE_ACCOUNT, AZURITE_KEY, GCS_EMULATOR_ENDPOINT, GCS_CORS_FILE; DEMO_BUCKET (default presign-demo).
Loopback endpoints only."""
import datetime as dt
import json
import os
import sys
import urllib.error
import urllib.request

BUCKET = os.environ.get("DEMO_BUCKET", "presign-demo")
S3 = os.environ.get("S3_ENDPOINT", "http://127.0.0.1:8333")
AK = os.environ.get("S3_ACCESS_KEY", "AKIAIOSFODNN7EXAMPLE")
SK = os.environ.get("S3_SECRET_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
AZ = os.environ.get("AZURITE_BLOB_ENDPOINT", "http://127.0.0.1:10000/devstoreaccount1")
AZ_ACCOUNT = os.environ.get("AZURITE_ACCOUNT", "devstoreaccount1")
AZ_KEY = os.environ.get("AZURITE_KEY", "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==")
GCS_EMU = os.environ.get("GCS_EMULATOR_ENDPOINT", "http://127.0.0.1:4443").split()[0]
PREFIX = os.environ.get("SERVERS_PREFIX", os.path.join(os.environ.get("TMPDIR", "/tmp"), "presign-servers"))
GCS_CORS = os.environ.get("GCS_CORS_FILE", os.path.join(PREFIX, "gcs", "cors-4444.json")).split()[0]
for u in (S3, AZ, GCS_EMU):
    if not u.startswith(("http://127.0.0.1:", "https://127.0.0.1:")):
        sys.exit(f"refusing a non-loopback endpoint: {u}")


def s3_client():
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=S3, aws_access_key_id=AK, aws_secret_access_key=SK, region_name="us-east-1",
                        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 2}))


def azure_service_url():
    """The blob service properties URL with a short account SAS (service-level, read+write)."""
    from azure.storage.blob import AccountSasPermissions, ResourceTypes, generate_account_sas

    sas = generate_account_sas(AZ_ACCOUNT, AZ_KEY, ResourceTypes(service=True), AccountSasPermissions(read=True, write=True),
                               dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5))
    return f"{AZ}/?restype=service&comp=properties&{sas}"


def azure_put_properties(xml: bytes):
    req = urllib.request.Request(azure_service_url(), data=xml, method="PUT", headers={"content-type": "application/xml"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        sys.exit(f"Set Blob Service Properties: HTTP {e.code} {e.read()[:500]!r}")


def setup():
    s3 = s3_client()
    try:
        s3.create_bucket(Bucket=BUCKET)
    except (s3.exceptions.BucketAlreadyOwnedByYou, s3.exceptions.BucketAlreadyExists):
        pass
    # Create Container with an account SAS for resource type "container"
    from azure.storage.blob import AccountSasPermissions, ResourceTypes, generate_account_sas

    sas = generate_account_sas(AZ_ACCOUNT, AZ_KEY, ResourceTypes(container=True), AccountSasPermissions(write=True, create=True),
                               dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5))
    container_url = f"{AZ}/{BUCKET}?restype=container&{sas}"
    try:
        urllib.request.urlopen(urllib.request.Request(container_url, data=b"", method="PUT"), timeout=30)
    except urllib.error.HTTPError as e:
        if e.code != 409:  # ContainerAlreadyExists
            sys.exit(f"create container: HTTP {e.code} {e.read()[:300]!r}")
    body = json.dumps({"name": BUCKET}).encode()
    try:
        urllib.request.urlopen(urllib.request.Request(f"{GCS_EMU}/storage/v1/b?project=test-project", data=body, method="POST",
                                                      headers={"content-type": "application/json"}), timeout=30)
    except urllib.error.HTTPError as e:
        if e.code != 409:
            sys.exit(f"create gcs bucket: HTTP {e.code} {e.read()[:300]!r}")
    print(f"bucket/container {BUCKET} ready on s3, azure, gcs")


def cors(provider, on, path=None):
    text = open(path, encoding="utf-8").read() if on else None
    if provider == "s3":
        s3 = s3_client()
        if on:
            s3.put_bucket_cors(Bucket=BUCKET, CORSConfiguration=json.loads(text))
        else:
            try:
                s3.delete_bucket_cors(Bucket=BUCKET)
            except Exception as e:  # no configuration to delete
                print(f"delete_bucket_cors: {e}", file=sys.stderr)
    elif provider == "azure":
        body = text.encode() if on else b'<?xml version="1.0" encoding="utf-8"?>\n<StorageServiceProperties><Cors /></StorageServiceProperties>'
        azure_put_properties(body)
    elif provider == "gcs":
        rules = json.loads(text) if on else []
        tmp = GCS_CORS + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(rules, f)
        os.replace(tmp, GCS_CORS)
    else:
        sys.exit(f"unknown provider {provider}")
    print(f"{provider} cors {'on' if on else 'off'}")


def main(argv):
    if argv[:1] == ["setup"]:
        return setup()
    if len(argv) == 3 and argv[0] == "cors-on":
        return cors(argv[1], True, argv[2])
    if len(argv) == 2 and argv[0] == "cors-off":
        return cors(argv[1], False)
    sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
