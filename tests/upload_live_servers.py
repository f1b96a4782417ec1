#!/usr/bin/env python3
"""Live test: uploads in parts through presigned requests only, against the local servers
(tests/servers/): SeaweedFS (S3), Azurite (Azure) and fake-gcs-server behind the verifying proxy.
Every request is built by `presign upload-plan --json-request` (plan, steps, and the reading of the
answers) and sent with http.client; the SDKs only create the bucket / container.

Per server, each under its own hold of /tmp/presign-live.lock (taken here, one server at a time):
- S3 and Azure: an object of SIZE bytes (>= 200 MB, random) uploaded in parts by 4 threads, half of
  the parts first, then the upload is resumed from the list step's answer (ListParts / Get Block
  List, read by our parser) and completed with the listed parts plus the rest; the object is
  downloaded through a presigned GET and compared byte for byte.
- Integrity: for every checksum the provider names, a one-part upload whose part carries the right
  digest (must be accepted) and one with a wrong digest: refused = the server verifies it (a pass);
  accepted = the server does not verify it, printed as a "note" and counted neither way. The same
  for a single PUT. The S3 uploads are aborted (the abort step, 204).
- GCS: the same big upload (create, half the parts, list + resume, the rest, complete, presigned GET,
  byte-for-byte compare) against fake-gcs-server behind tests/servers/gcs_verify_proxy.py. fake-gcs-server
  has no XML API multipart upload, so the PROXY emulates it (parts kept by the proxy, the object assembled
  in fake-gcs-server on complete): this lane checks our requests' signatures, the flow and our reading
  of the answers against that emulation, not Google's implementation. Also every step's URL tampered
  is refused (403) next to the same URL untampered accepted, and a part sent with another x-goog-hash
  than the signed one is refused (403). A part with a wrong digest is refused by the proxy's emulation,
  which is printed as "not verified by a real server" and counted neither way; the single PUT goes to
  fake-gcs-server itself.

Run:  /tmp/presign-servers/py/venv/bin/python tests/upload_live_servers.py   (PRESIGN_BIN overrides
the binary; it takes the lock itself: do not wrap it in flock). SIZE: env UPLOAD_SIZE (default
210,000,000). UPLOAD_SUITES=s3,azure,gcs runs only the servers named (the others print "not run").
Last line: "N passed, M failed"; exit status 1 on any failure.
"""

import base64
import concurrent.futures
import contextlib
import fcntl
import hashlib
import json
import os
import random
import struct
import sys
import time
import zlib

import google_crc32c

from harness import AWS_EXAMPLE_KEY_ID as AK
from harness import AWS_EXAMPLE_SECRET as SK
from harness import (AZURITE_ACCOUNT, AZURITE_KEY, check, flip_first, isolate, replace_param, run_presign, send,
                     server, sign, summary)

CLEAN_ENV = isolate()
LOCK = "/tmp/presign-live.lock"
SIZE = int(os.environ.get("UPLOAD_SIZE", "210000000"))
PART = 16 << 20
THREADS = 4
KEY = "uploads/big file \u00e9+1.bin"
CONTENT_TYPE = "application/x-presign-test"
notes = []


def note(text):
    notes.append(text)
    print("note " + text)


@contextlib.contextmanager
def live_lock(what):
    with open(LOCK, "a") as f:
        print(f"== {what}: waiting for {LOCK}")
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def steps(lines):
    """Our answers for plan / step / response lines (one `presign upload-plan --json-request`)."""
    _, out, _ = run_presign(["upload-plan", "--json-request"], lines, env=CLEAN_ENV, ensure_ascii=False)
    return out


def step(line):
    out = steps([line])[0]
    if "error" in out:
        raise RuntimeError(f"presign: {out['error']}")
    return out


def answer(provider, name, status, body):
    return steps([{"provider": provider, "step": name, "status": status,
                   "body": body.decode("utf-8", "replace")}])[0]


def do(req, body=None):
    """Sends a step's request as it is: its method, URL, headers (and body)."""
    data = body if body is not None else (req["body"].encode() if "body" in req else None)
    return send(req["method"], req["url"], dict(req["headers"]), data)


# --- digests ---------------------------------------------------------------------------------

def _crc64nvme_table():
    poly, table = 0x9A6C9329AC4BC9B5, []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        table.append(c)
    return table


_T64 = _crc64nvme_table()


def crc64nvme(data):
    c = 0xFFFFFFFFFFFFFFFF
    for b in data:
        c = _T64[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFFFFFFFFFF


assert crc64nvme(b"123456789") == 0xAE8B14860A799888  # CRC-64/NVME check value (CRC catalogue)


def b64(b):
    return base64.b64encode(b).decode()


def digest(alg, data):
    if alg == "md5":
        return b64(hashlib.md5(data).digest())
    if alg == "sha1":
        return b64(hashlib.sha1(data).digest())
    if alg == "sha256":
        return b64(hashlib.sha256(data).digest())
    if alg == "crc32":
        return b64(struct.pack(">I", zlib.crc32(data)))
    if alg == "crc32c":
        return b64(google_crc32c.value(data).to_bytes(4, "big"))
    if alg == "crc64nvme":  # big-endian everywhere; presign writes Azure's header little-endian
        return b64(struct.pack(">Q", crc64nvme(data)))
    raise ValueError(alg)


def wrong(d):
    raw = bytearray(base64.b64decode(d))
    raw[0] ^= 0xFF
    return b64(bytes(raw))


# --- the big upload, shared by S3 and Azure ---------------------------------------------------

def big_upload(label, provider, base, data, checksum, ok_part_status, get_request):
    """Create (S3), half of the parts, list + resume, the rest, complete, download and compare."""
    base = dict(base, size=len(data), partSize=PART, contentType=CONTENT_TYPE)
    if checksum:
        base["checksum"] = checksum
    plan = step(base)
    count = plan["partCount"]
    check(f"{label}: plan {count} parts of {plan['partSize']} bytes for {len(data)} bytes",
          count == -(-len(data) // PART) and plan["partSize"] == PART, plan)
    upload_id = ""
    if plan["create"]:
        st, _, body = do(plan["create"])
        created = answer(provider, "create", st, body)
        check(f"{label}: create ({st}) answers an upload id", "uploadId" in created, created)
        upload_id = created.get("uploadId", "")

    def part_line(n):
        lo = (n - 1) * PART
        line = dict(base, step="part", uploadId=upload_id, partNumber=n)
        if checksum:
            line["digest"] = digest(checksum, data[lo:lo + PART])
        return line

    def send_parts(numbers):
        reqs = steps([part_line(n) for n in numbers])
        for r in reqs:
            if "error" in r:
                raise RuntimeError(r["error"])

        def one(r):
            p = r["part"]
            st, headers, body = do(r, data[p["offset"]:p["offset"] + p["length"]])
            return p["partNumber"], st, headers.get("etag", ""), body

        with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
            return list(pool.map(one, reqs))

    first = list(range(1, count // 2 + 1))
    sent = send_parts(first)
    bad = [(n, st, body[:200]) for n, st, _, body in sent if st != ok_part_status]
    check(f"{label}: the first {len(first)} parts accepted ({ok_part_status}), 4 at a time", not bad, bad)
    # Resume: what does the server hold?
    st, _, body = do(step(dict(base, step="list", uploadId=upload_id)))
    listed = answer(provider, "list", st, body)
    held = sorted(p["partNumber"] for p in listed.get("parts", []))
    check(f"{label}: resume: the list step ({st}) names exactly the parts sent", held == first,
          f"{held} vs {first} {listed}")
    sizes_ok = all(p["size"] == min(PART, len(data) - (p["partNumber"] - 1) * PART) for p in listed.get("parts", []))
    check(f"{label}: resume: the listed sizes are the parts' sizes", sizes_ok, listed)
    if provider != "azure":
        etags = {n: e for n, _, e, _ in sent}
        check(f"{label}: resume: the listed ETags are the parts' answers",
              all(etags[p["partNumber"]].strip('"') == p["etag"].strip('"') for p in listed["parts"]), listed)
    rest = send_parts(range(count // 2 + 1, count + 1))
    bad = [(n, st, body[:200]) for n, st, _, body in rest if st != ok_part_status]
    check(f"{label}: the other {count - len(first)} parts accepted", not bad, bad)
    parts = [dict(p) for p in listed.get("parts", [])] + [{"partNumber": n, "etag": e} for n, _, e, _ in rest]
    if checksum and checksum != "md5" and provider == "s3":
        for p in parts:
            lo = (p["partNumber"] - 1) * PART
            p["digest"] = digest(checksum, data[lo:lo + PART])
    done = step(dict(base, step="complete", uploadId=upload_id, parts=parts))
    st, _, body = do(done)
    ok = answer(provider, "complete", st, body)
    check(f"{label}: complete ({st}) succeeds", ok.get("ok") is True, (ok, body[:300]))
    get = sign([get_request])[0]
    st, got_headers, got = send("GET", get["url"], get["headers"])
    check(f"{label}: the downloaded object ({st}, {len(got)} bytes) equals the uploaded one byte for byte",
          st == 200 and got == data, f"{st} {len(got)} sha256 {hashlib.sha256(got).hexdigest()[:16]} "
                                     f"vs {hashlib.sha256(data).hexdigest()[:16]}")
    check(f"{label}: the object's content type is the upload's contentType",
          got_headers.get("content-type") == CONTENT_TYPE, got_headers.get("content-type"))


NAME = {"s3": "key", "azure": "blob", "gcs": "object"}


def integrity(label, provider, base, algorithms, ok_part_status, abort=True, parts_by_proxy=False):
    """Per algorithm: a right digest accepted; a wrong one refused (verified) or accepted (noted).
    parts_by_proxy: the parts are kept by our test proxy (GCS), so its refusal is no server's."""
    data = os.urandom(4096)
    for alg in algorithms:
        name = NAME[provider]
        b = dict(base, size=len(data), checksum=alg, **{name: base[name] + f"-{alg}"})
        plan = step(b)
        upload_id = ""
        if plan["create"]:
            st, _, body = do(plan["create"])
            created = answer(provider, "create", st, body)
            if "uploadId" not in created:
                check(f"{label} {alg}: create with the checksum algorithm accepted", False, (st, body[:300]))
                continue
            upload_id = created["uploadId"]
        right = digest(alg, data)
        st_ok, _, body_ok = do(step(dict(b, step="part", uploadId=upload_id, partNumber=1, digest=right)), data)
        check(f"{label} {alg}: a part with the right digest accepted ({st_ok})", st_ok == ok_part_status, body_ok[:300])
        st_bad, _, body_bad = do(step(dict(b, step="part", uploadId=upload_id, partNumber=1, digest=wrong(right))), data)
        if parts_by_proxy:
            note(f"{label} {alg}: a part with a wrong digest was {'refused' if 400 <= st_bad < 500 else 'accepted'} "
                 f"({st_bad}) by the test proxy's multipart emulation: not verified by a real server (not counted)")
        elif 400 <= st_bad < 500:
            check(f"{label} {alg}: a part with a wrong digest refused ({st_bad}): the server verifies {alg}", True)
        else:
            note(f"{label} {alg}: a part with a wrong digest was accepted ({st_bad}): the server does not verify "
                 f"{alg} on parts (not counted)")
        if upload_id and abort:
            st, _, body = do(step(dict(b, step="abort", uploadId=upload_id)))
            check(f"{label} {alg}: abort ({st})", st in (200, 204), body[:300])
        # The single PUT of the whole object with the digest.
        put_b = dict(b)
        st_ok, _, body_ok = do(step(dict(put_b, step="put", digest=right)), data)
        check(f"{label} {alg}: a single PUT with the right digest accepted ({st_ok})", st_ok in (200, 201), body_ok[:300])
        st_bad, _, _ = do(step(dict(put_b, step="put", digest=wrong(right))), data)
        if 400 <= st_bad < 500:
            check(f"{label} {alg}: a single PUT with a wrong digest refused ({st_bad}): verified", True)
        else:
            note(f"{label} {alg}: a single PUT with a wrong digest was accepted ({st_bad}): not verified (not counted)")


# --- the servers ------------------------------------------------------------------------------

def s3_suite(data):
    with live_lock("SeaweedFS"), server("s3") as env:
        import boto3
        import botocore.config
        ep = env["S3_ENDPOINT"]
        s3 = boto3.client("s3", endpoint_url=ep, region_name="us-east-1", aws_access_key_id=AK,
                          aws_secret_access_key=SK, config=botocore.config.Config(s3={"addressing_style": "path"}))
        bucket = "presign-upload-live"
        try:
            s3.create_bucket(Bucket=bucket)
        except s3.exceptions.BucketAlreadyOwnedByYou:
            pass
        base = {"provider": "s3", "bucket": bucket, "key": KEY, "endpoint": ep, "urlStyle": "path",
                "region": "us-east-1", "credentials": {"accessKeyId": AK, "secretAccessKey": SK}}
        get = dict({k: v for k, v in base.items()}, method="GET")
        big_upload("s3 (SeaweedFS)", "s3", base, data, "crc32", 200, get)
        integrity("s3 (SeaweedFS)", "s3", dict(base, key="integrity/obj"),
                  ["md5", "crc32", "crc32c", "crc64nvme", "sha1", "sha256"], 200)


def azure_suite(data):
    with live_lock("Azurite"), server("azurite") as env:
        from azure.storage.blob import BlobServiceClient
        ep = f"http://127.0.0.1:10000/{AZURITE_ACCOUNT}"
        svc = BlobServiceClient.from_connection_string(
            f"DefaultEndpointsProtocol=http;AccountName={AZURITE_ACCOUNT};AccountKey={AZURITE_KEY};BlobEndpoint={ep};",
            api_version="2025-11-05")
        container = "presign-upload-live"
        try:
            svc.create_container(container)
        except Exception:
            pass
        try:
            base = {"provider": "azure", "account": AZURITE_ACCOUNT, "container": container, "blob": KEY,
                    "endpoint": ep, "credentials": {"accountKey": AZURITE_KEY}}
            get = dict(base, method="GET")
            big_upload("azure (Azurite)", "azure", base, data, "md5", 201, get)
            integrity("azure (Azurite)", "azure", dict(base, blob="integrity/obj"), ["md5", "crc64nvme"], 201)
        finally:
            try:
                svc.delete_container(container)
            except Exception as e:
                print(f"cleanup: {e}")


def gcs_suite(data):
    with live_lock("fake-gcs-server + proxy"), server("gcs") as env:
        t0 = time.monotonic()
        proxy, emulator = env["GCS_ENDPOINT"], env["GCS_EMULATOR_ENDPOINT"]
        bucket = "presign-upload-live"
        send("POST", emulator + "/storage/v1/b?project=test-project", {"Content-Type": "application/json"},
             json.dumps({"name": bucket}).encode())
        creds = {"hmac": {"accessId": env["GCS_HMAC_ACCESS_ID"], "secret": env["GCS_HMAC_SECRET"]}}
        base = {"provider": "gcs", "bucket": bucket, "object": KEY, "endpoint": proxy, "credentials": creds}
        label = "gcs (fake-gcs-server, multipart emulated by the test proxy)"
        big_upload(label, "gcs", base, data, "crc32c", 200, dict(base, method="GET"))
        print(f"gcs lane: {len(data)} bytes uploaded in parts, downloaded and compared in "
              f"{time.monotonic() - t0:.1f} s")
        integrity(label, "gcs", dict(base, object="integrity/obj"), ["crc32c", "md5"], 200, parts_by_proxy=True)
        signatures(base)


def signatures(base):
    """Every step of a real upload: the URL tampered is refused (403), the same URL as signed is
    accepted; a part with another x-goog-hash than the signed one is refused."""
    base = dict(base, object="signatures/obj", size=1024, checksum="crc32c")
    part_data = os.urandom(1024)

    def tampered(name, r, body=None):
        bad = dict(r, url=replace_param(r["url"], "X-Goog-Signature", flip_first))
        st, _, _ = do(bad, body)
        check(f"gcs (proxy) {name}: the URL with its signature tampered is refused ({st})", st == 403)

    def create():
        r = step(base)["create"]
        st, _, body = do(r)
        created = answer("gcs", "create", st, body)
        check(f"gcs (proxy) create: the signed URL is accepted ({st})", "uploadId" in created, (created, body[:200]))
        return r, created.get("uploadId", "U1")

    r, upload_id = create()
    tampered("create", r)
    part = step(dict(base, step="part", uploadId=upload_id, partNumber=1, digest=digest("crc32c", part_data)))
    tampered("part", part, part_data)
    st, _, _ = send(part["method"], part["url"], dict(part["headers"], **{"x-goog-hash": "crc32c=AAAAAA=="}), part_data)
    check(f"gcs (proxy) part: an x-goog-hash other than the signed one is refused ({st})", st == 403)
    st, headers, body = do(part, part_data)
    check(f"gcs (proxy) part: the signed URL with its x-goog-hash is accepted ({st})", st == 200, body[:200])
    listing = step(dict(base, step="list", uploadId=upload_id))
    tampered("list", listing)
    st, _, body = do(listing)
    listed = answer("gcs", "list", st, body)
    check(f"gcs (proxy) list: the signed URL is accepted ({st}) and lists the part",
          [p["partNumber"] for p in listed.get("parts", [])] == [1], listed)
    done = step(dict(base, step="complete", uploadId=upload_id,
                     parts=[{"partNumber": 1, "etag": headers.get("etag", '"e"')}]))
    tampered("complete", done)
    st, _, body = do(done)
    check(f"gcs (proxy) complete: the signed URL is accepted ({st})",
          answer("gcs", "complete", st, body).get("ok") is True, body[:200])
    _, upload_id = create()
    abort = step(dict(base, step="abort", uploadId=upload_id))
    tampered("abort", abort)
    st, _, body = do(abort)
    check(f"gcs (proxy) abort: the signed URL is accepted ({st})", st == 204, body[:200])


def main():
    random.seed(20261205)
    data = random.randbytes(SIZE)
    for name, suite in (("s3", s3_suite), ("azure", azure_suite), ("gcs", gcs_suite)):
        if os.environ.get("UPLOAD_SUITES") and name not in os.environ["UPLOAD_SUITES"].split(","):
            print(f"== {name}: not run (UPLOAD_SUITES)")
            continue
        t0 = time.monotonic()
        try:
            suite(data)
        except Exception as e:  # a crash is one more failure; the other servers still run
            check(f"the {name} suite ran to the end", False, f"{type(e).__name__}: {e}")
        print(f"== {name}: {time.monotonic() - t0:.1f} s")
    print("checksums not verified by a real server (measured above, not counted):")
    for n in notes:
        print("  " + n)
    return summary(minimum=20)


if __name__ == "__main__":
    sys.exit(main())
