"""The one helper module of the Python tests (tests/*_diff.py, tests/*_live_*.py): the `presign` binary
and its clean environment, frozen SDK clocks, URL mutators, the local servers of tests/servers/, and
the pass/fail count behind the last line every script prints, "N passed, M failed" (exit status 1 on
a failure, or when fewer checks passed than the script's minimum). Where a new case goes:
tests/README.md. Not a test itself: its name matches neither glob the test command runs."""

import base64
import contextlib
import datetime
import http.client
import json
import os
import re
import subprocess
import sys
import urllib.parse

TESTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TESTS)
SERVERS = os.path.join(TESTS, "servers")
SERVERS_PREFIX = os.environ.get("SERVERS_PREFIX") or os.path.join(os.environ.get("TMPDIR", "/tmp"), "presign-servers")

# --- well-known test credentials --------------------------------------------------------------

# The AWS documentation's example key pair; tests/servers/s3.sh configures SeaweedFS with it.
AWS_EXAMPLE_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
AWS_EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
# Azurite's (and the Azure storage emulator's) published development account.
AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
AZURITE_WRONG_KEY = base64.b64encode(b"not the account key, 64 bytes long ............................").decode()
# Azurite 3.35's constant for user-delegation keys, and the object and tenant ids its key carries
# (see tests/servers/checks/azurite_check.py).
AZURITE_UDK_BASIC = "I17GKLvcJUossaebtsEDZZ2RJ8GNLwLH4m7hRMxbVbkx6wNIRAABj4Rtw0FBhFuEAgmbL4gFMzUw+AStz9Sqdg=="
AZURITE_OID, AZURITE_TID = "23657296-5cd5-45b0-a809-d972a7f4dfe1", "ab1f708d-50f6-404c-a006-d71b2ac7a606"

# --- the binary and its environment ----------------------------------------------------------

PRESIGN = os.environ.get("PRESIGN_BIN") or os.path.join(ROOT, "target", "release", "presign")
# Ambient cloud configuration the CLI (and the SDKs) would otherwise pick up.
AMBIENT = ("AWS_", "AZURE_", "GOOGLE_", "GCS_", "STORAGE_EMULATOR", "CLOUDSDK_")


def clean_env(prefixes=AMBIENT, no_aws_files=False):
    """os.environ without the variables starting with `prefixes`; with no_aws_files, botocore also
    reads no config or credentials file and asks no instance metadata service."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    if no_aws_files:
        env.update(AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_EC2_METADATA_DISABLED="true")
    return env


def isolate(prefixes=AMBIENT, no_aws_files=False):
    """Replaces os.environ by clean_env(...) and returns it. Call it before importing an SDK."""
    env = clean_env(prefixes, no_aws_files)
    os.environ.clear()
    os.environ.update(env)
    return env


# The CLI fills missing credentials from the environment; the tests always pass their own.
CLI_ENV = clean_env()


def awscrt_path():
    """awscrt, pinned (PY_AWSCRT in tests/servers/versions.env), installed on first use into a folder
    of its own, for sys.path.insert(0, ...) by the scripts that need botocore's CRT code (the SigV4a
    signer, the CRC-32C and CRC-64/NVME checksums). Never in the shared venv: there botocore would
    sign everything with the CRT (botocore.auth replaces its SigV4 signers when awscrt imports),
    which the other Python tests, freezing botocore.auth's clock, must not get."""
    versions = dict(line.split("=", 1) for line in open(os.path.join(SERVERS, "versions.env")).read().splitlines()
                    if "=" in line and not line.startswith("#"))
    version = os.environ.get("PY_AWSCRT") or versions["PY_AWSCRT"]
    target = os.path.join(SERVERS_PREFIX, "py", f"awscrt-{version}")
    if not os.path.isdir(os.path.join(target, "awscrt")):
        print(f"pip install awscrt=={version} --target {target}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-deps",
                        "--target", target, f"awscrt=={version}"], check=True)
    return target


def require_presign(features="cli"):
    """Exits with a hint when the binary is missing."""
    if not (os.path.isfile(PRESIGN) and os.access(PRESIGN, os.X_OK)):
        sys.exit(f"{PRESIGN}: no such binary; build it with `cargo build --release --features {features}` "
                 "or set PRESIGN_BIN")


def run_presign(args, requests, env=None, timeout=600, ensure_ascii=True):
    """Runs `presign ARGS` with one JSON line per request on stdin; returns (exit status, one parsed
    result per request, stderr). Exits when the line count is wrong; a line that is no JSON becomes
    an error result. Splits on "\\n" only: results may hold
    U+2028 and other characters str.splitlines() breaks on."""
    require_presign()
    stdin = "".join(json.dumps(r, ensure_ascii=ensure_ascii) + "\n" for r in requests)
    p = subprocess.run([PRESIGN, *args], input=stdin.encode("utf-8"), capture_output=True,
                       env=CLI_ENV if env is None else env, timeout=timeout)
    out, err = p.stdout.decode("utf-8"), p.stderr.decode("utf-8", "replace")
    lines = out.split("\n")[:-1]
    if len(lines) != len(requests):
        sys.exit(f"presign {' '.join(args)}: exit {p.returncode}, {len(lines)} result lines for "
                 f"{len(requests)} requests\n" + err[-2000:])
    results = []
    for line in lines:
        try:
            results.append(json.loads(line))
        except ValueError:
            results.append({"error": {"code": "(test) unparsable result line", "message": line}})
    return p.returncode, results, err


def sign(reqs, args=("batch",)):
    """Presigns request-schema objects through one `presign batch` run (or `presign post
    --json-request` with args=("post", "--json-request")); any error is fatal."""
    rc, res, err = run_presign(list(args), reqs)
    if rc != 0 or any("error" in r for r in res):
        raise RuntimeError(f"presign {' '.join(args)} failed ({rc}): {res!r} {err!r}")
    return res


def sign_forms(reqs):
    """Signs POST-policy requests through one `presign post --json-request` run; any error is fatal."""
    return sign(reqs, ("post", "--json-request"))


def verify(url, method="GET", headers=(), env=None, extra=()):
    """`presign verify URL --method M --json [-H h]... [extra]`: (exit status, verdict, stderr).
    headers: "name: value" strings or a dict."""
    if isinstance(headers, dict):
        headers = [f"{k}: {v}" for k, v in headers.items()]
    args = [PRESIGN, "verify", url, "--method", method, "--json"]
    for h in headers:
        args += ["-H", h]
    args += list(extra)
    out = subprocess.run(args, capture_output=True, text=True, env=dict(CLI_ENV, **(env or {})))
    try:
        verdict = json.loads(out.stdout) if out.stdout.strip() else {}
    except json.JSONDecodeError:
        verdict = {"unparsed": out.stdout}
    return out.returncode, verdict, out.stderr


# --- clocks ----------------------------------------------------------------------------------

ISO = "%Y-%m-%dT%H:%M:%SZ"


def utc_now():
    """The wall clock in UTC, whole seconds (for the live tests, whose servers use the real time)."""
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def iso(t):
    return t.strftime(ISO)


def parse_iso(s, tz=datetime.timezone.utc):
    """A "YYYY-MM-DDTHH:MM:SSZ" instant; tz=None gives a naive datetime."""
    return datetime.datetime.strptime(s, ISO).replace(tzinfo=tz)


class FrozenClock:
    """An SDK clock that answers the instant a test sets, and fails outside one. patch() puts it
    in place of the SDK's clock function (exiting when the SDK moved it); every SDK result is also
    checked for its instant by the tests, so a patch that stops working fails loudly instead of
    comparing against the wall clock."""

    def __init__(self):
        self.instant = None

    def __call__(self, *_args, **_kwargs):
        if self.instant is None:
            raise RuntimeError("SDK signing outside a frozen instant")
        return self.instant

    def patch(self, module, name, replacement=None):
        if not hasattr(module, name):
            sys.exit(f"{module.__name__}.{name} not found; the SDK's clock moved, update this test")
        setattr(module, name, self if replacement is None else replacement)

    @contextlib.contextmanager
    def at(self, instant):
        self.instant = instant
        try:
            yield
        finally:
            self.instant = None


# --- URL mutators ----------------------------------------------------------------------------


def query_param(url, name, decoded=False):
    """The value of query parameter `name` ("" when absent): raw, or percent-decoded."""
    for pair in urllib.parse.urlsplit(url).query.split("&"):
        k, _, v = pair.partition("=")
        if k == name:
            return urllib.parse.unquote_plus(v) if decoded else v
    return ""


def replace_param(url, name, value):
    """`url` with the raw value of query parameter `name` replaced: by `value`, or by value(raw)."""
    base, _, q = url.partition("?")
    parts = []
    for p in q.split("&"):
        n, _, v = p.partition("=")
        parts.append(f"{n}={value(v) if callable(value) else value}" if n == name else p)
    return base + "?" + "&".join(parts)


def with_path(url, path):
    """`url` with its (raw) path replaced, the query kept."""
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path=path))


def flip_first(v):
    """v with its first character changed to another digit: a different value in hex (which a server
    may read in either case, so "a" -> "A" would change nothing) and in base64."""
    return ("0" if v[0] != "0" else "1") + v[1:]


def flip_last(s):
    """s with its last character changed; hex stays hex, base64 (also before a %3D) stays base64."""
    if not s:
        return "x"
    if s.endswith("%3D"):
        return s[:-4] + ("A" if s[-4] != "A" else "B") + "%3D"
    return s[:-1] + ("0" if s[-1] != "0" else "1")


def tamper_param(url, name):
    """`url` with the decoded value of `name` changed in its first character (A <-> B), re-encoded:
    a signature that is still well-formed base64 but wrong."""
    v = query_param(url, name, decoded=True)
    return replace_param(url, name, urllib.parse.quote(("A" if v[0] != "A" else "B") + v[1:], safe=""))


# --- HTTP ------------------------------------------------------------------------------------


def send(method, url, headers=None, body=None):
    """Sends the URL as given: raw path and query, no client-side re-encoding."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    conn.request(method, u.path + ("?" + u.query if u.query else ""), body=body, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data


# --- local servers (tests/servers/*.sh) ------------------------------------------------------


def _server_env(env):
    return dict(os.environ, SERVERS_PREFIX=SERVERS_PREFIX, **(env or {}))


def server_running(name, env=None):
    sh = os.path.join(SERVERS, name + ".sh")
    return subprocess.run(["bash", sh, "status"], env=_server_env(env), capture_output=True).returncode == 0


@contextlib.contextmanager
def server(name, env=None):
    """Starts tests/servers/NAME.sh (s3, azurite, gcs) unless it already runs, yields the KEY=VALUE
    lines its start prints (S3_ENDPOINT, GCS_ENDPOINT, ...) as a dict, and stops it at the end only
    if it was started here. env: extra variables for the script (AZURITE_PORT, ...)."""
    sh = os.path.join(SERVERS, name + ".sh")
    was_running = server_running(name, env)
    out = subprocess.run(["bash", sh, "start"], env=_server_env(env), capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{name}.sh start failed: {out.stderr[-500:]}")
    print(f"{name}.sh: {'already running, left running at the end' if was_running else 'started'}")
    try:
        yield dict(re.findall(r"^(\w+)=(\S+)", out.stdout, re.M))
    finally:
        if not was_running:
            subprocess.run(["bash", sh, "stop"], env=_server_env(env), capture_output=True)
            print(f"{name}.sh: stopped")


# --- verdicts --------------------------------------------------------------------------------

results = []


def check(name, ok, detail=""):
    """One verdict line ("ok   NAME" or "FAIL NAME  -- DETAIL"), counted for summary()."""
    results.append(bool(ok))
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f"  -- {detail}"))


def summary(passed=None, failed=None, minimum=1):
    """Prints the last line, "N passed, M failed" (by default the check() count), and returns the
    exit status: 1 on any failure or when fewer than `minimum` passed."""
    if passed is None:
        passed = sum(results)
        failed = len(results) - passed
    if passed < minimum:
        print(f"only {passed} passed; at least {minimum} must")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed < minimum else 0
