"""Helpers shared by the live tests (tests/*_live_*.py): one verdict line per check, URLs from the
`presign` CLI's batch mode, and HTTP requests that send a presigned URL exactly as given.
Not a test itself (the test command runs tests/*_live_*.py)."""

import http.client
import json
import os
import subprocess
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PRESIGN = os.environ.get("PRESIGN_BIN", os.path.join(ROOT, "target", "release", "presign"))
# The CLI fills missing credentials from these; the live tests always pass their own.
CLI_ENV = {
    k: v
    for k, v in os.environ.items()
    if not k.startswith(("AWS_", "AZURE_", "GOOGLE_", "GCS_", "STORAGE_EMULATOR", "CLOUDSDK_"))
}

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f"  -- {detail}"))


def summary():
    """Prints "N passed, M failed"; the exit status: 1 on any failure or no check at all."""
    passed = sum(results)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not results else 0


def sign(reqs):
    """Presigns request-schema objects through one `presign batch` run; any error is fatal."""
    lines = "".join(json.dumps(r) + "\n" for r in reqs)
    out = subprocess.run([PRESIGN, "batch"], input=lines.encode(), capture_output=True, env=CLI_ENV)
    res = [json.loads(line) for line in out.stdout.decode().splitlines()]
    if out.returncode != 0 or len(res) != len(reqs) or any("error" in r for r in res):
        raise RuntimeError(f"presign batch failed ({out.returncode}): {out.stdout!r} {out.stderr!r}")
    return res


def send(method, url, headers=None, body=None):
    """Sends the URL as given: raw path and query, no client-side re-encoding."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    conn.request(method, u.path + ("?" + u.query if u.query else ""), body=body, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
