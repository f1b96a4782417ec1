"""Upload checksums (`presign checksum`, src/checksum.rs) against the official SDKs, on random bodies
read in random chunk sizes (the CLI's hidden --read-size):

- S3 header values (`--format s3`): botocore.httpchecksum's Crc32Checksum (zlib), CrtCrc32cChecksum and
  CrtCrc64NvmeChecksum (awscrt, pinned, in its own folder: harness.awscrt_path), Sha1Checksum,
  Sha256Checksum (hashlib) and botocore.utils.calculate_md5 for Content-MD5;
- Azure (`--format azure`): azure-storage-blob's calculate_crc64_bytes (its [ext-checksums] extra,
  azure-storage-extensions, pinned in tests/servers/versions.env) for x-ms-content-crc64, and
  calculate_content_md5 for Content-MD5;
- GCS (`--format gcs`): google-cloud-storage's own x-goog-hash pieces (its media helpers'
  google_crc32c and md5 checksum objects, prepare_checksum_digest);
- plain values (`--format base64|hex`): zlib.crc32, google_crc32c, hashlib.

Prints one line per check and "N passed, M failed"; exit 1 on a failure. Needs the CLI:
`cargo build --release --features cli` (or PRESIGN_BIN)."""

import base64
import hashlib
import os
import random
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check, summary  # noqa: E402

harness.isolate(no_aws_files=True)
sys.path.insert(0, harness.awscrt_path())

import botocore.compat  # noqa: E402
import botocore.httpchecksum as bc  # noqa: E402
import botocore.utils  # noqa: E402
import google_crc32c  # noqa: E402
from google.cloud.storage._media import _helpers as gcs_helpers  # noqa: E402

try:
    from azure.storage.blob._shared import validation as azure_validation  # noqa: E402
    from azure.storage.extensions import checksums as _azure_ext  # noqa: E402,F401
except ImportError as e:
    sys.exit(f"azure-storage-extensions is missing ({e}): run `bash -c 'source tests/servers/lib.sh; ensure_venv'`")

if not botocore.compat.HAS_CRT:
    sys.exit("awscrt did not import: botocore has no CRC-32C / CRC-64/NVME checksums")

BODIES = 30
rng = random.Random(int(os.environ.get("CHECKSUM_SEED", "20261205")))


def presign(args, path):
    harness.require_presign()
    p = subprocess.run([harness.PRESIGN, "checksum", *args, path], capture_output=True, env=harness.CLI_ENV,
                       timeout=120)
    if p.returncode != 0:
        return None, p.stderr.decode("utf-8", "replace").strip()
    return p.stdout.decode("utf-8"), ""


def headers(text):
    out = []
    for line in (text or "").splitlines():
        name, _, value = line.partition(": ")
        out.append((name, value))
    return out


def botocore_s3(body):
    """S3 header values as botocore computes them for a PutObject / UploadPart with a checksum."""
    out = {}
    for name, cls in [("crc32", bc.Crc32Checksum), ("crc32c", bc.CrtCrc32cChecksum),
                      ("crc64nvme", bc.CrtCrc64NvmeChecksum), ("sha1", bc.Sha1Checksum),
                      ("sha256", bc.Sha256Checksum)]:
        c = cls()
        c.update(body)
        out[f"x-amz-checksum-{name}"] = c.b64digest()
    out["content-md5"] = botocore.utils.calculate_md5(body)
    return out


def azure_headers(body):
    """The values azure-storage-blob sends with validate_content (crc64 / md5)."""
    return {
        "x-ms-content-crc64": base64.b64encode(azure_validation.calculate_crc64_bytes(body)).decode(),
        "content-md5": base64.b64encode(azure_validation.calculate_content_md5(body)).decode(),
    }


def gcs_hash(body):
    """x-goog-hash as google-cloud-storage writes it (f"{checksum_type}={digest}"), both entries."""
    parts = []
    for kind in ("crc32c", "md5"):
        obj = gcs_helpers._get_checksum_object(kind)
        obj.update(body)
        parts.append(f"{kind}={gcs_helpers.prepare_checksum_digest(obj.digest())}")
    return ",".join(parts)


def plain_hex(body):
    return {
        "crc32": f"{zlib.crc32(body):08x}",
        "crc32c": google_crc32c.value(body).to_bytes(4, "big").hex(),
        "md5": hashlib.md5(body).hexdigest(),
        "sha1": hashlib.sha1(body).hexdigest(),
        "sha256": hashlib.sha256(body).hexdigest(),
    }


def body_sizes():
    fixed = [0, 1, 7, 8, 15, 16, 17, 63, 64, 65, 255, 1024]
    return fixed + [rng.choice([rng.randrange(2, 4096), rng.randrange(4096, 1 << 20)])
                    for _ in range(BODIES - len(fixed))]


def main():
    algorithms = ["crc32", "crc32c", "crc64nvme", "md5", "sha1", "sha256"]
    with tempfile.TemporaryDirectory() as tmp:
        # The CRC catalogue's check string (https://reveng.sourceforge.io/crc-catalogue/): what the
        # SDKs give is checked against the catalogue too, so the peers themselves are pinned.
        path = os.path.join(tmp, "check")
        with open(path, "wb") as f:
            f.write(b"123456789")
        out, err = presign(["-a", "crc64nvme", "--format", "hex"], path)
        check("crc64nvme of 123456789 is the catalogue's ae8b14860a799888",
              out == f"ae8b14860a799888  {path}\n", out or err)
        check("azure-storage-extensions' crc64 is CRC-64/NVME (catalogue check value)",
              azure_validation.calculate_crc64_bytes(b"123456789")[::-1].hex() == "ae8b14860a799888")

        for i, size in enumerate(body_sizes()):
            body = rng.randbytes(size)
            path = os.path.join(tmp, f"body{i}")
            with open(path, "wb") as f:
                f.write(body)
            read = str(rng.choice([1, 3, 64, rng.randrange(1, 70000), 1 << 20]))
            what = f"body {i} ({size} bytes, read {read})"

            args = ["--read-size", read, "--format", "s3"] + [x for a in algorithms for x in ("-a", a)]
            out, err = presign(args, path)
            got = dict(headers(out))
            for name, value in botocore_s3(body).items():
                check(f"{what}: {name} = botocore's", got.get(name) == value, f"{got.get(name)!r} != {value!r} {err}")

            out, err = presign(["--read-size", read, "--format", "azure", "-a", "crc64nvme", "-a", "md5"], path)
            got = dict(headers(out))
            for name, value in azure_headers(body).items():
                check(f"{what}: {name} = azure-storage-blob's", got.get(name) == value,
                      f"{got.get(name)!r} != {value!r} {err}")

            out, err = presign(["--read-size", read, "--format", "gcs", "-a", "crc32c", "-a", "md5"], path)
            want = f"x-goog-hash: {gcs_hash(body)}\n"
            check(f"{what}: x-goog-hash = google-cloud-storage's", out == want, f"{out!r} != {want!r} {err}")

            name = rng.choice(list(plain_hex(body)))
            out, err = presign(["--read-size", read, "--format", "hex", "-a", name], path)
            want = f"{plain_hex(body)[name]}  {path}\n"
            check(f"{what}: hex {name} = zlib / google_crc32c / hashlib", out == want, f"{out!r} != {want!r} {err}")

        # Unknown algorithms and unsupported provider pairs are errors, not output.
        for args, code in [(["-a", "sha512"], 2), (["-a", "sha256", "--format", "azure"], 1),
                           (["-a", "crc32", "--format", "gcs"], 1), (["-a", "md5", "-a", "sha1"], 2)]:
            out, err = presign(args, path)
            check(f"presign checksum {' '.join(args)} is refused", out is None and err, f"printed {out!r}")
    return summary(minimum=200)


if __name__ == "__main__":
    sys.exit(main())
