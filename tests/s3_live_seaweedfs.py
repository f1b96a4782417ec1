"""Live test: presigned URLs from the `presign` CLI against SeaweedFS, a real S3 server that checks
SigV4 signatures (tests/servers/s3.sh). Starts the server unless it is already running, and then stops it
at the end.

Positive: PUT (with the returned headers) then GET / HEAD / DELETE for hostile keys; the stored key
is checked with boto3's ListObjectsV2 (an independent client); multipart upload through presigned
POST ?uploads and PUT ?partNumber&uploadId; response overrides.
Negative: a tampered signature, a changed X-Amz-Expires, another key, a wrong secret, a signed
content-type sent different, a signed content-length exceeded and an expired URL are refused.

Prints one line per check and ends with "N passed, M failed"; exit status 1 on any failure.
"""

import datetime
import re
import sys

from harness import check, flip_last, iso, replace_param, require_presign, send, server, sign, summary, utc_now
from harness import AWS_EXAMPLE_KEY_ID as AK, AWS_EXAMPLE_SECRET as SK

BUCKET = "presign-live"

HOSTILE_KEYS = [
    "plain.txt",
    "with space.txt",
    "plus+sign=equals.txt",
    "percent%20literal%.txt",
    "question?mark.txt",
    "hash#tag.txt",
    "sub-delims!*'()&;,$@:.txt",
    "folder/sub folder/file.txt",
    "tilde~and_under-score.txt",
    "unicode-caf\u00e9-nfc.txt",
    "unicode-cafe\u0301-nfd.txt",
    "emoji-\U0001F600.txt",
    "\u65e5\u672c\u8a9e/\u30d5\u30a1\u30a4\u30eb.txt",
    "brackets[]{}<>|^`\\.txt",
    "double//slash.txt",
    "trailing-dot.",
    "/leading-slash.txt",
]
# SeaweedFS keeps objects in a filer (a file tree): it verifies the signature over the key as sent
# (so PUT/GET/HEAD/DELETE work) but stores these under a normalised path. AWS S3 stores them
# verbatim; the storage check is skipped for them, and only for them.
SERVER_NORMALISES = {"brackets[]{}<>|^`\\.txt", "double//slash.txt", "/leading-slash.txt"}
# Keys with "." / ".." segments are refused by SeaweedFS as InvalidRequest (400) before any
# signature check, so they are covered by the botocore differential test only.



def req(method, key, endpoint, secret=SK, **extra):
    r = {
        "provider": "s3",
        "method": method,
        "bucket": BUCKET,
        "key": key,
        "region": "us-east-1",
        "endpoint": endpoint,
        "credentials": {"accessKeyId": AK, "secretAccessKey": secret},
    }
    r.update(extra)
    return r


def main():
    require_presign()
    with server("s3") as env:
        run(env["S3_ENDPOINT"])
    return summary()


def run(endpoint):
    import boto3
    import botocore.config

    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=AK,
        aws_secret_access_key=SK,
        config=botocore.config.Config(s3={"addressing_style": "path"}),
    )
    try:
        s3.create_bucket(Bucket=BUCKET)
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass

    # --- positive: the full life of an object per hostile key --------------------------------
    for key in HOSTILE_KEYS:
        body = f"body of {key!r}".encode()
        put, get, head, delete = sign(
            [
                req("PUT", key, endpoint, headers={"Content-Type": "text/plain; charset=utf-8"}),
                req("GET", key, endpoint),
                req("HEAD", key, endpoint),
                req("DELETE", key, endpoint),
            ]
        )
        st, _, data = send("PUT", put["url"], put["headers"], body)
        check(f"PUT {key!r}", st == 200, f"{st} {data[:300]!r}")
        listed = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix=key[:1]).get("Contents", [])]
        if key not in SERVER_NORMALISES:
            check(f"stored under the exact key {key!r}", key in listed, f"listed {listed}")
        st, h, data = send("GET", get["url"])
        check(f"GET {key!r}", st == 200 and data == body, f"{st} {data[:300]!r}")
        check(
            f"GET {key!r} content-type as signed",
            h.get("content-type") == "text/plain; charset=utf-8",
            h.get("content-type"),
        )
        st, h, _ = send("HEAD", head["url"])
        check(f"HEAD {key!r}", st == 200 and h.get("content-length") == str(len(body)), f"{st} {h}")
        st, _, data = send("DELETE", delete["url"])
        check(f"DELETE {key!r}", st == 204, f"{st} {data[:300]!r}")
        st, _, _ = send("GET", get["url"])
        check(f"GET after DELETE {key!r} is 404", st == 404, str(st))

    # --- response overrides -------------------------------------------------------------------
    key = "report 2026.pdf"
    put, get = sign(
        [
            req("PUT", key, endpoint),
            req(
                "GET",
                key,
                endpoint,
                query={
                    "response-content-disposition": 'attachment; filename="r\u00e9sum\u00e9 2026.pdf"',
                    "response-content-type": "application/pdf",
                },
            ),
        ]
    )
    send("PUT", put["url"], put["headers"], b"%PDF")
    st, h, _ = send("GET", get["url"])
    check(
        "GET with response-content-disposition / -type overrides",
        st == 200
        and h.get("content-type") == "application/pdf"
        and "attachment" in h.get("content-disposition", ""),
        f"{st} {h}",
    )

    # --- multipart upload through presigned POST ?uploads and PUT ?partNumber&uploadId ---------
    key = "multi part/big file.bin"
    (create,) = sign([req("POST", key, endpoint, query={"uploads": ""})])
    st, _, data = send("POST", create["url"])
    m = re.search(rb"<UploadId>([^<]+)</UploadId>", data)
    check("CreateMultipartUpload via presigned POST ?uploads", st == 200 and m is not None, f"{st} {data[:300]!r}")
    if m:
        upload_id = m.group(1).decode()
        part = b"x" * (5 * 1024 * 1024)
        (p1,) = sign([req("PUT", key, endpoint, query={"partNumber": "1", "uploadId": upload_id})])
        st, h, data = send("PUT", p1["url"], p1["headers"], part)
        check("UploadPart via presigned PUT ?partNumber&uploadId", st == 200 and "etag" in h, f"{st} {data[:300]!r}")
        s3.complete_multipart_upload(
            Bucket=BUCKET,
            Key=key,
            UploadId=upload_id,
            MultipartUpload={"Parts": [{"ETag": h.get("etag", ""), "PartNumber": 1}]},
        )
        size = s3.head_object(Bucket=BUCKET, Key=key)["ContentLength"]
        check("multipart object complete with the presigned part", size == len(part), str(size))

    # --- negatives ------------------------------------------------------------------------------
    key = "target object.txt"
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"secret content")
    s3.put_object(Bucket=BUCKET, Key="other object.txt", Body=b"other content")
    t = utc_now()
    (good, wrong_secret, expired, typed, sized) = sign(
        [
            req("GET", key, endpoint, expiresIn=600),
            req("GET", key, endpoint, secret=SK[:-1] + "X"),
            req(
                "GET",
                key,
                endpoint,
                expiresIn=60,
                signedAt=iso(t - datetime.timedelta(minutes=10)),
            ),
            req("PUT", "typed.txt", endpoint, headers={"content-type": "image/png"}),
            req("PUT", "sized.txt", endpoint, headers={"content-length": "5"}),
        ]
    )
    st, _, data = send("GET", good["url"])
    check("control: the untouched URL works", st == 200 and data == b"secret content", str(st))

    st, _, _ = send("GET", replace_param(good["url"], "X-Amz-Signature", flip_last))
    check("tampered signature refused", st == 403, str(st))

    st, _, _ = send("GET", replace_param(good["url"], "X-Amz-Expires", "601"))
    check("changed X-Amz-Expires refused", st == 403, str(st))

    st, _, _ = send("GET", good["url"].replace("/target%20object.txt?", "/other%20object.txt?"))
    check("URL used for another key refused", st == 403, str(st))

    st, _, _ = send("GET", wrong_secret["url"])
    check("wrong secret refused", st == 403, str(st))

    st, _, data = send("GET", expired["url"])
    check("expired URL refused", st == 403, f"{st} {data[:200]!r}")

    st, _, _ = send("PUT", typed["url"], {"Content-Type": "text/plain"}, b"data")
    check("signed content-type sent different refused", st == 403, str(st))
    st, _, _ = send("PUT", typed["url"], typed["headers"], b"data")
    check("control: signed content-type sent as signed works", st == 200, str(st))

    st, _, _ = send("PUT", sized["url"], {}, b"123456")
    check("signed content-length exceeded refused", st == 403, str(st))
    st, _, _ = send("PUT", sized["url"], {}, b"12345")
    check("control: exact signed content-length works", st == 200, str(st))


if __name__ == "__main__":
    sys.exit(main())
