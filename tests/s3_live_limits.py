#!/usr/bin/env python3
"""Live upload-limit matrix: presigned PUTs with `limits` (exact size, type, checksum) against the S3
servers that run here -- SeaweedFS (tests/servers/s3.sh, profile `seaweedfs`) and, when installed,
s3s-fs (tests/servers/s3s-fs.sh, profile `custom`). Run under the live-server lock:

    flock /tmp/presign-live.lock /tmp/presign-servers/py/venv/bin/python tests/s3_live_limits.py

Per server, each refusal beside its working control (same URL or same signer):
- exact size: the signed Content-Length, body of that size -> 200 (control);
- oversize / undersize: one byte more / less (the client sends the honest length) -> refused;
- wrong type: the signed Content-Type, another one sent -> refused;
- checksum through `limits`: signed where the profile says the store verifies it (SeaweedFS: the
  matrix measured below), and then a wrong digest must be refused beside the right one; UNSUPPORTED
  where the profile does not know (`custom`);
- the checksum matrix itself, every algorithm on PutObject and UploadPart, signed by hand
  (`headers`): the right digest (control) and a wrong one. A server that accepts the wrong digest is
  reported as NOT ENFORCED, not counted as a pass;
- a POST policy with contentLengthRange through the store profile: a file within the range (control)
  and one byte over (refused).
Prints one line per check and ends with "N passed, M failed"; exit status 1 on any failure.
"""

import base64
import hashlib
import os
import re
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import AWS_EXAMPLE_KEY_ID as AK, AWS_EXAMPLE_SECRET as SK  # noqa: E402
from harness import check, require_presign, run_presign, send, server, sign, sign_forms, summary  # noqa: E402

BUCKET = "presign-limits"
# Whether the profile lets `limits.checksum` through: SeaweedFS's matrix is measured (src/s3/store.rs);
# `custom` has no profile.
LIMIT_CHECKSUM = {"seaweedfs": True, "custom": False}
measured = {}  # (server, operation, algorithm) -> "verified" / "NOT ENFORCED" / "refused (status)"


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return (crc ^ 0xFFFFFFFF).to_bytes(4, "big")


def crc64nvme(data):
    crc = 0xFFFFFFFFFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x9A6C9329AC4BC9B5 if crc & 1 else 0)
    return (crc ^ 0xFFFFFFFFFFFFFFFF).to_bytes(8, "big")


# Checked against the published check values of "123456789" before use.
assert crc32c(b"123456789").hex() == "e3069283"
assert crc64nvme(b"123456789").hex() == "ae8b14860a799888"

DIGESTS = {
    "md5": ("content-md5", lambda b: hashlib.md5(b).digest(), None),
    "crc32": ("x-amz-checksum-crc32", lambda b: zlib.crc32(b).to_bytes(4, "big"), "CRC32"),
    "crc32c": ("x-amz-checksum-crc32c", crc32c, "CRC32C"),
    "crc64nvme": ("x-amz-checksum-crc64nvme", crc64nvme, "CRC64NVME"),
    "sha1": ("x-amz-checksum-sha1", lambda b: hashlib.sha1(b).digest(), "SHA1"),
    "sha256": ("x-amz-checksum-sha256", lambda b: hashlib.sha256(b).digest(), "SHA256"),
}
SIZE = 64
notes = []


def req(store, endpoint, key, **extra):
    r = {"provider": "s3", "store": store, "method": "PUT", "bucket": BUCKET, "key": key, "region": "us-east-1",
         "endpoint": endpoint, "urlStyle": "path", "credentials": {"accessKeyId": AK, "secretAccessKey": SK}}
    r.update(extra)
    return r


def put(url, headers, body):
    """PUT body with the signed headers except content-length, which http.client writes from the body."""
    h = {k: v for k, v in headers.items() if k != "content-length"}
    st, _, data = send("PUT", url, h, body)
    return st, data[:200]


def multipart(fields, name, data, ctype="text/plain"):
    boundary = "----presignlimits"
    out = b""
    for k, v in fields:
        out += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode()
    out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: {ctype}\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return out, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def matrix(label, store, endpoint):
    import boto3
    import botocore.config
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=AK,
                      aws_secret_access_key=SK, config=botocore.config.Config(s3={"addressing_style": "path"}))
    try:
        s3.create_bucket(Bucket=BUCKET)
    except Exception as e:  # already there
        if "BucketAlready" not in type(e).__name__ and "BucketAlready" not in str(e):
            raise

    body = b"x" * SIZE
    (u,) = sign([req(store, endpoint, "exact.txt", limits={"size": SIZE, "contentType": "text/plain"})])
    st, _ = put(u["url"], u["headers"], body)
    check(f"{label}: exact size and type (control) -> 200", st == 200, st)
    st, _ = put(u["url"], u["headers"], body + b"x")
    check(f"{label}: oversize ({SIZE + 1} > {SIZE}) refused, beside the control", 400 <= st < 500, st)
    st, _ = put(u["url"], u["headers"], body[:-1])
    check(f"{label}: undersize ({SIZE - 1} < {SIZE}) refused, beside the control", 400 <= st < 500, st)
    st, _ = put(u["url"], dict(u["headers"], **{"content-type": "image/png"}), body)
    check(f"{label}: wrong type (image/png for text/plain) refused, beside the control", 400 <= st < 500, st)
    obj = s3.get_object(Bucket=BUCKET, Key="exact.txt")
    check(f"{label}: the stored object is the control's ({SIZE} bytes)", obj["ContentLength"] == SIZE, obj["ContentLength"])

    # limits.checksum: signed where the profile says the store verifies (SeaweedFS, measured), else
    # UNSUPPORTED (custom: no profile). Where signed, the store must refuse a wrong digest.
    good = base64.b64encode(hashlib.sha256(body).digest()).decode()
    bad = base64.b64encode(hashlib.sha256(b"other body").digest()).decode()
    _, res, _ = run_presign(["batch"], [req(store, endpoint, "lim-sum.txt", limits={"size": SIZE, "checksum": {"algorithm": a, "value": v}})
                                        for a, v in (("sha256", good), ("sha256", bad))])
    if LIMIT_CHECKSUM[store]:
        st, _ = put(res[0]["url"], res[0]["headers"], body)
        check(f"{label}: limits size+sha256, right body (control) -> 200", st == 200, st)
        st, _ = put(res[1]["url"], res[1]["headers"], body)
        check(f"{label}: limits size+sha256 of another body refused, beside the control", 400 <= st < 500, st)
    else:
        check(f"{label}: limits.checksum -> UNSUPPORTED (no documented checksum for this store)",
              all(r.get("error", {}).get("code") == "UNSUPPORTED" for r in res), res)
    checksum_matrix(label, store, endpoint, s3, body)

    # The @aws-sdk/client-s3 >= 3.729 failure: CRC32 of the empty body signed into a PUT, then a real
    # upload. presign adds no checksum header unless asked (control: host only, upload accepted).
    plain, empty_crc = sign([req(store, endpoint, "plain.txt"),
                             req(store, endpoint, "sdk-shape.txt", headers={"x-amz-checksum-crc32": "AAAAAA=="})])
    st, _ = put(plain["url"], plain["headers"], body)
    check(f"{label}: a plain presigned PUT signs no checksum header and uploads (control)",
          plain["headers"] == {} and "X-Amz-SignedHeaders=host&" in plain["url"] and st == 200, f"{st} {plain['headers']}")
    st, _ = put(empty_crc["url"], empty_crc["headers"], body)
    check(f"{label}: the SDK shape (crc32 of an empty body, AAAAAA==) refuses a {SIZE}-byte upload", 400 <= st < 500, st)

    # A POST policy through the profile: the range holds.
    (form,) = sign_forms([{"provider": "s3", "store": store, "bucket": BUCKET, "key": "form.txt", "endpoint": endpoint,
                           "urlStyle": "path", "region": "us-east-1", "contentLengthRange": {"min": 1, "max": SIZE},
                           "credentials": {"accessKeyId": AK, "secretAccessKey": SK}}])
    data, hdrs = multipart(form["fields"], "form.txt", body)
    st, _, _ = send("POST", form["url"], hdrs, data)
    check(f"{label}: POST within contentLengthRange (control) -> 2xx", 200 <= st < 300, st)
    data, hdrs = multipart(form["fields"], "form.txt", body + b"x")
    st, _, _ = send("POST", form["url"], hdrs, data)
    check(f"{label}: POST one byte over contentLengthRange refused, beside the control", 400 <= st < 500, st)


def checksum_matrix(label, store, endpoint, s3, body):
    """Every algorithm on PutObject and UploadPart, signed by hand (`headers`): the right digest is the
    control (must be accepted), the wrong digest is measured -- refused, or NOT ENFORCED (noted, not
    counted as a pass)."""
    for op in ("PutObject", "UploadPart"):
        for alg, (header, fn, boto_alg) in DIGESTS.items():
            right = base64.b64encode(fn(body)).decode()
            wrong = base64.b64encode(fn(b"other body")).decode()
            key = f"sum-{op}-{alg}.txt"
            extra = {}
            if op == "UploadPart":
                kw = {"ChecksumAlgorithm": boto_alg} if boto_alg else {}
                upload = s3.create_multipart_upload(Bucket=BUCKET, Key=key, **kw)["UploadId"]
                extra = {"query": {"partNumber": "1", "uploadId": upload}}
            ok_u, bad_u = sign([req(store, endpoint, key, headers={header: right}, **extra),
                                req(store, endpoint, key, headers={header: wrong}, **extra)])
            st_bad, data = put(bad_u["url"], bad_u["headers"], body)
            code = re.search(rb"<Code>([^<]*)</Code>", data)
            st_bad_txt = f"{st_bad} {code.group(1).decode() if code else ''}".strip()
            st_ok, _ = put(ok_u["url"], ok_u["headers"], body)
            check(f"{label}: {op} {alg} right digest (control) -> 200", st_ok == 200, f"{st_ok}")
            if 400 <= st_bad < 500 and st_ok == 200:
                measured[(label, op, alg)] = f"verified ({st_bad_txt} on a wrong digest)"
                check(f"{label}: {op} {alg} wrong digest refused ({st_bad_txt}), beside the control", True)
            elif st_bad >= 500 or st_ok >= 500:
                measured[(label, op, alg)] = f"refused whatever the digest ({st_ok}/{st_bad})"
                print(f"note {label}: {op} {alg}: {st_ok} right / {st_bad} wrong: {data!r}")
            else:
                measured[(label, op, alg)] = f"NOT ENFORCED (wrong digest -> {st_bad})"
                notes.append(f"{label}: {op} {alg} wrong digest NOT ENFORCED (status {st_bad}); not counted as a pass")
                print(f"note {notes[-1]}")


def main():
    require_presign()
    with server("s3") as env:
        matrix("seaweedfs", "seaweedfs", env["S3_ENDPOINT"])
    # s3s-fs.sh start installs the pinned s3s-fs when missing (cargo install from crates.io), so a
    # fresh machine measures it too instead of skipping it.
    with server("s3s-fs") as env:
        matrix("s3s-fs", "custom", env["S3_ENDPOINT"])
    print("measured checksum matrix (hand-signed headers):")
    for (srv, op, alg), what in sorted(measured.items()):
        print(f"  {srv:10} {op:10} {alg:9} {what}")
    return summary(minimum=10)


if __name__ == "__main__":
    sys.exit(main())
