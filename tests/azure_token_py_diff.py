#!/usr/bin/env python3
"""Differential test: our Entra ID token requests against azure-identity's (with MSAL).

Generates cases deterministically — client credentials with secrets of every printable ASCII character
and some Unicode (form-encoding), client assertions (JWT-shaped), workload identity via a token file,
tenant ids and domains, the public / US Gov / China authority hosts (with and without a trailing
slash), custom scopes; managed identity from IMDS and from App Service endpoints (ports, paths with and
without a trailing slash, upper-case paths), system-assigned and each kind of user-assigned id (client,
object, resource ids with spaces), custom resources — and for each one captures the request
azure-identity 1.27.0 sends (through a recording transport: nothing leaves the machine; the capture
code is tests/vectors/azure/gen_entra_token_requests.py's) and builds ours from the same options
through the core's JSON façade (`azure.token` / `azure.managedIdentityToken`, its wasm build in
pkg/dist/credentials, run by tests/support/azure_oauth_client.mjs). Compared per case: method, URL
without the query, the query's and the form's decoded (name, value) pairs (order-free; MSAL's
`client_info=1` left out: it asks for a claim client credentials do not get) and the headers that carry
meaning (content-type, metadata, x-identity-header). The query as it goes on the wire: azure-core
puts parameter values into the URL unencoded and requests re-quotes it (requote_uri), so values are
kept free of `&`, `=`, `#` and `+`, which would change meaning on azure-identity's side.

Run:  /tmp/presign-servers/py/venv/bin/python tests/azure_token_py_diff.py   (after bash pkg/build.sh;
it builds pkg/dist/credentials when missing). Last line "N passed, M failed"; exit 1 when M > 0 or N < 150.
"""

import json
import os
import random
import string
import subprocess
import sys
import tempfile
import uuid
from urllib.parse import parse_qsl, urlencode, urlsplit

TESTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TESTS)
sys.path.insert(0, TESTS)
sys.path.insert(0, os.path.join(TESTS, "vectors", "azure"))
from harness import isolate  # noqa: E402

isolate()
import gen_entra_token_requests as cap  # noqa: E402
from azure.identity import (ClientAssertionCredential, ClientSecretCredential, ManagedIdentityCredential,  # noqa: E402
                            WorkloadIdentityCredential)
from requests.utils import requote_uri  # noqa: E402

SEED = 20261205
CASES = 180
CLIENT = os.path.join(TESTS, "support", "azure_oauth_client.mjs")
AUTHORITIES = [None, "https://login.microsoftonline.com", "https://login.microsoftonline.us",
               "https://login.chinacloudapi.cn", "https://login.microsoftonline.us/"]
SECRET_CHARS = string.ascii_letters + string.digits + string.punctuation + " ~üé€😀"
QUERY_SAFE = string.ascii_letters + string.digits + "-._~/: ()ü"


def rand(rng, chars, lo, hi):
    return "".join(rng.choice(chars) for _ in range(rng.randint(lo, hi)))


def token_case(rng, i, token_dir):
    tenant = str(uuid.UUID(int=rng.getrandbits(128))) if rng.random() < 0.7 else f"contoso{i}.onmicrosoft.com"
    client = str(uuid.UUID(int=rng.getrandbits(128)))
    authority = rng.choice(AUTHORITIES)
    scope = cap.SCOPE if rng.random() < 0.8 else f"https://acct{i}.blob.core.windows.net/.default"
    ours = {"kind": "azure.token", "tenantId": tenant, "clientId": client}
    kw = {"transport": None}
    if authority:
        ours["authorityHost"] = authority
        kw["authority"] = authority
    if scope != cap.SCOPE:
        ours["scope"] = scope
    how = rng.choice(["secret", "secret", "assertion", "file"])
    if how == "secret":
        secret = rand(rng, SECRET_CHARS, 1, 48)
        ours["clientSecret"] = secret
        make = lambda t: ClientSecretCredential(tenant, client, secret, **dict(kw, transport=t))  # noqa: E731
    else:
        jwt = ".".join(rand(rng, string.ascii_letters + string.digits + "-_", 10, 60) for _ in range(3))
        ours["clientAssertion"] = jwt
        if how == "assertion":
            make = lambda t: ClientAssertionCredential(tenant, client, lambda: jwt, **dict(kw, transport=t))  # noqa: E731
        else:
            path = os.path.join(token_dir, f"{i}.jwt")
            with open(path, "w") as f:
                f.write(jwt)
            make = lambda t: WorkloadIdentityCredential(tenant_id=tenant, client_id=client, token_file_path=path,  # noqa: E731
                                                        **dict(kw, transport=t))
    return f"#{i} token/{how} authority={authority} scope={scope}", ours, scope, make, {}


def mi_case(rng, i):
    ours = {"kind": "azure.managedIdentityToken"}
    env = {k: None for k in ("IDENTITY_ENDPOINT", "IDENTITY_HEADER", "MSI_ENDPOINT", "MSI_SECRET", "IMDS_ENDPOINT",
                             "AZURE_POD_IDENTITY_AUTHORITY_HOST", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_CLIENT_ID")}
    where = rng.choice(["imds", "app"])
    if where == "app":
        host = rng.choice(["127.0.0.1", "localhost", "169.254.129.3"])
        path = rng.choice(["/msi/token", "/msi/token/", "/MSI/token/", "/api/identity/token"])
        endpoint = f"http://{host}:{rng.randint(1024, 65535)}{path}"
        header = str(uuid.UUID(int=rng.getrandbits(128))).upper()
        env.update(IDENTITY_ENDPOINT=endpoint, IDENTITY_HEADER=header)
        ours.update(endpoint=endpoint, identityHeader=header)
    resource = "https://storage.azure.com" if rng.random() < 0.8 else f"https://acct{i}.blob.core.windows.net"
    if resource != "https://storage.azure.com":
        ours["resource"] = resource
    idk = rng.choice([None, "client_id", "object_id", "resource_id"])
    kw = {}
    if idk == "client_id":
        v = str(uuid.UUID(int=rng.getrandbits(128)))
        kw["client_id"] = v
        ours["clientId"] = v
    elif idk == "object_id":
        v = str(uuid.UUID(int=rng.getrandbits(128)))
        kw["identity_config"] = {"object_id": v}
        ours["objectId"] = v
    elif idk == "resource_id":
        v = "/subscriptions/" + str(uuid.UUID(int=rng.getrandbits(128))) + "/resourceGroups/" + rand(rng, QUERY_SAFE, 1, 20) \
            + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/" + rand(rng, QUERY_SAFE, 1, 20)
        kw["identity_config"] = {"resource_id": v}
        ours["resourceId"] = v
    make = lambda t: ManagedIdentityCredential(**dict(kw, transport=t))  # noqa: E731
    return f"#{i} mi/{where} id={idk} resource={resource}", ours, resource + "/.default", make, env


def their_request(scope, make, env):
    cap.captured.clear()
    old = {k: os.environ.get(k) for k in env}
    for k, v in env.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    try:
        make(cap.Recorder()).get_token(scope)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert len(cap.captured) == 1, cap.captured
    r = cap.captured[0]
    wire = urlsplit(requote_uri(r.url))
    form = r.data if isinstance(getattr(r, "data", None), dict) else {}
    return {
        "method": r.method,
        "url": f"{wire.scheme}://{wire.netloc}{wire.path}",
        "query": sorted(parse_qsl(wire.query, keep_blank_values=True)),
        "form": sorted((k, v) for k, v in parse_qsl(urlencode(form), keep_blank_values=True) if k != "client_info"),
        "headers": {k.lower(): v for k, v in r.headers.items() if k.lower() in cap.HEADERS},
    }


def our_requests(options):
    if not os.path.exists(os.path.join(ROOT, "pkg", "dist", "credentials", "node.js")):
        subprocess.run(["bash", os.path.join(ROOT, "pkg", "build.sh")], check=True, stdout=subprocess.DEVNULL,
                       env=dict(os.environ, PRESIGN_ENTRIES="credentials"))
    p = subprocess.run(["node", CLIENT], input=json.dumps({"mode": "requests", "list": options}), capture_output=True,
                       text=True, timeout=300)
    if p.returncode != 0:
        sys.exit(f"node failed: {p.stderr[-2000:]}")
    return json.loads(p.stdout)


def ours_normalized(r):
    u = urlsplit(r["url"])
    return {
        "method": r["method"],
        "url": f"{u.scheme}://{u.netloc}{u.path}",
        "query": sorted(parse_qsl(u.query, keep_blank_values=True)),
        "form": sorted(parse_qsl(r["body"], keep_blank_values=True)),
        "headers": {k: v for k, v in r["headers"].items() if k in cap.HEADERS},
    }


def main():
    rng = random.Random(SEED)
    token_dir = tempfile.mkdtemp(prefix="presign-token-diff-")
    cases = [token_case(rng, i, token_dir) if rng.random() < 0.5 else mi_case(rng, i) for i in range(CASES)]
    ours = our_requests([c[1] for c in cases])
    passed = failed = 0
    kinds = {}
    for (name, options, scope, make, env), got in zip(cases, ours):
        if "error" in got:
            print(f"FAIL {name}: our error {got['error']}")
            failed += 1
            continue
        want = their_request(scope, make, env)
        mine = ours_normalized(got)
        diffs = [k for k in want if want[k] != mine[k]]
        if diffs:
            failed += 1
            print(f"FAIL {name}")
            for k in diffs:
                print(f"    {k}: ours {mine[k]!r}\n    {' ' * len(k)}  theirs {want[k]!r}")
        else:
            passed += 1
            key = name.split()[1] + (" " + name.split()[2] if "mi/" in name else "")
            kinds[key] = kinds.get(key, 0) + 1
    print("covered: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    if passed < 150:
        print(f"only {passed} passed; at least 150 must")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or passed < 150 else 0)


if __name__ == "__main__":
    main()
