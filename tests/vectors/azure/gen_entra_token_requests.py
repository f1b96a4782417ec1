#!/usr/bin/env python3
"""Captures the token requests Microsoft's azure-identity sends, as data: entra-token-requests.json.

Run (in a scratch venv, not the test venv: CI only reads the JSON):
    python3 -m venv /tmp/azid && /tmp/azid/bin/pip install azure-identity==1.27.0
    /tmp/azid/bin/python tests/vectors/azure/gen_entra_token_requests.py > tests/vectors/azure/entra-token-requests.json
    /tmp/azid/bin/python tests/vectors/azure/gen_entra_token_requests.py --check   # the file is still what it captures

azure-identity 1.27.0 sends its requests through MSAL 1.39.0 and azure-core's pipeline; a transport
that records each request and answers it with a canned document stands in for the network, so
nothing leaves the machine. Each case records our request options (the `azure.token` /
`azure.managedIdentityToken` kinds) and the captured request: method, URL without the query, the
query and the form body as decoded (name, value) pairs in the order sent, and the headers that
carry meaning (content-type, metadata, x-identity-header; the rest are telemetry and ids).
`extra` lists what MSAL sends that the documented protocol does not ask for (`client_info=1`, which
asks Entra for an id-token claim a client-credentials grant does not get).
"""

import json
import os
import sys
import tempfile
import time
from urllib.parse import parse_qsl, urlsplit

from azure.core.pipeline.transport import HttpResponse, HttpTransport
from azure.identity import (ClientAssertionCredential, ClientSecretCredential, ManagedIdentityCredential,
                            WorkloadIdentityCredential)
from importlib.metadata import version

SCOPE = "https://storage.azure.com/.default"
HEADERS = ("content-type", "metadata", "x-identity-header")
captured = []


class Canned(HttpResponse):
    def __init__(self, request, body):
        super().__init__(request, None)
        self.status_code, self.reason, self._body = 200, "OK", body.encode()
        self.headers = {"content-type": "application/json"}
        self.content_type = "application/json"

    def body(self):
        return self._body


class Recorder(HttpTransport):
    """Records each request; answers OIDC discovery and token requests with canned documents."""

    def __enter__(self):
        return self

    def __exit__(self, *a):
        pass

    def open(self):
        pass

    def close(self):
        pass

    def send(self, request, **kwargs):
        url = request.url
        if "/.well-known/openid-configuration" in url:
            base = url.split("/v2.0/.well-known")[0]
            doc = {"token_endpoint": base + "/oauth2/v2.0/token", "authorization_endpoint": base + "/oauth2/v2.0/authorize",
                   "issuer": base + "/v2.0"}
        else:
            captured.append(request)
            doc = {"access_token": "tok", "expires_in": 3599, "expires_on": str(int(time.time()) + 3599),
                   "token_type": "Bearer", "resource": "https://storage.azure.com"}
        return Canned(request, json.dumps(doc))


def capture(make):
    captured.clear()
    make(Recorder())
    assert len(captured) == 1, captured
    r = captured[0]
    parts = urlsplit(r.url)
    form = r.data if isinstance(getattr(r, "data", None), dict) else None
    pairs = [[k, str(v)] for k, v in form.items()] if form else []
    return {
        "method": r.method,
        "url": f"{parts.scheme}://{parts.netloc}{parts.path}",
        "query": [[k, v] for k, v in parse_qsl(parts.query, keep_blank_values=True)],
        "form": pairs,
        "headers": {k.lower(): v for k, v in r.headers.items() if k.lower() in HEADERS},
    }


TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CLIENT = "00001111-aaaa-2222-bbbb-3333cccc4444"
SECRET = "Xy8Q~a.b_c-d+e/f=g&h i%j"
JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJhcGk6Ly9BenVyZUFEVG9rZW5FeGNoYW5nZSJ9.c2ln"
RES_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id 1"
APP_ENDPOINT = "http://127.0.0.1:41741/msi/token/"


def with_env(env, make):
    """`make(transport)` run with `env` set (None: unset), its credential's token requested there too
    (MSAL reads the environment when it gets the token)."""
    def run(t):
        old = {k: os.environ.get(k) for k in env}
        for k, v in env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        try:
            return make(t).get_token(SCOPE)
        finally:
            for k, v in old.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    return run


def cases():
    token_file = tempfile.NamedTemporaryFile("w", suffix=".jwt", delete=False)
    token_file.write(JWT)
    token_file.close()
    no_mi_env = {k: None for k in ("IDENTITY_ENDPOINT", "IDENTITY_HEADER", "MSI_ENDPOINT", "MSI_SECRET", "IMDS_ENDPOINT",
                                   "AZURE_POD_IDENTITY_AUTHORITY_HOST", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_CLIENT_ID")}
    app_env = dict(no_mi_env, IDENTITY_ENDPOINT=APP_ENDPOINT, IDENTITY_HEADER="f1b7e0c4-hdr")
    yield "client secret", {"kind": "azure.token", "tenantId": TENANT, "clientId": CLIENT, "clientSecret": SECRET}, \
        with_env({}, lambda t: ClientSecretCredential(TENANT, CLIENT, SECRET, transport=t))
    yield "client secret, tenant domain, US Gov authority", \
        {"kind": "azure.token", "tenantId": "contoso.onmicrosoft.com", "clientId": CLIENT, "clientSecret": "s",
         "authorityHost": "https://login.microsoftonline.us"}, \
        with_env({}, lambda t: ClientSecretCredential("contoso.onmicrosoft.com", CLIENT, "s",
                                                      authority="https://login.microsoftonline.us", transport=t))
    yield "client assertion", {"kind": "azure.token", "tenantId": TENANT, "clientId": CLIENT, "clientAssertion": JWT}, \
        with_env({}, lambda t: ClientAssertionCredential(TENANT, CLIENT, lambda: JWT, transport=t))
    yield "client assertion, China authority", \
        {"kind": "azure.token", "tenantId": TENANT, "clientId": CLIENT, "clientAssertion": JWT,
         "authorityHost": "https://login.chinacloudapi.cn"}, \
        with_env({}, lambda t: ClientAssertionCredential(TENANT, CLIENT, lambda: JWT,
                                                         authority="https://login.chinacloudapi.cn", transport=t))
    yield "workload identity (token file)", {"kind": "azure.token", "tenantId": TENANT, "clientId": CLIENT, "clientAssertion": JWT}, \
        with_env(no_mi_env, lambda t: WorkloadIdentityCredential(tenant_id=TENANT, client_id=CLIENT,
                                                                 token_file_path=token_file.name, transport=t))
    yield "IMDS, system-assigned", {"kind": "azure.managedIdentityToken"}, \
        with_env(no_mi_env, lambda t: ManagedIdentityCredential(transport=t))
    yield "IMDS, client id", {"kind": "azure.managedIdentityToken", "clientId": CLIENT}, \
        with_env(no_mi_env, lambda t: ManagedIdentityCredential(client_id=CLIENT, transport=t))
    yield "IMDS, object id", {"kind": "azure.managedIdentityToken", "objectId": CLIENT}, \
        with_env(no_mi_env, lambda t: ManagedIdentityCredential(identity_config={"object_id": CLIENT}, transport=t))
    yield "IMDS, resource id", {"kind": "azure.managedIdentityToken", "resourceId": RES_ID}, \
        with_env(no_mi_env, lambda t: ManagedIdentityCredential(identity_config={"resource_id": RES_ID}, transport=t))
    app = {"kind": "azure.managedIdentityToken", "endpoint": APP_ENDPOINT, "identityHeader": "f1b7e0c4-hdr"}
    yield "App Service, system-assigned", app, with_env(app_env, lambda t: ManagedIdentityCredential(transport=t))
    yield "App Service, client id", dict(app, clientId=CLIENT), \
        with_env(app_env, lambda t: ManagedIdentityCredential(client_id=CLIENT, transport=t))
    yield "App Service, object id", dict(app, objectId=CLIENT), \
        with_env(app_env, lambda t: ManagedIdentityCredential(identity_config={"object_id": CLIENT}, transport=t))
    yield "App Service, resource id", dict(app, resourceId=RES_ID), \
        with_env(app_env, lambda t: ManagedIdentityCredential(identity_config={"resource_id": RES_ID}, transport=t))


def generate():
    out = []
    for name, ours, make in cases():
        want = capture(make)
        extra = [k for k, _ in want["form"] if k == "client_info"]
        out.append({"name": name, "options": ours, "request": want, "extra": extra})
    return {
        "source": f"azure-identity {version('azure-identity')} with msal {version('msal')} and azure-core "
                  f"{version('azure-core')}, captured by tests/vectors/azure/gen_entra_token_requests.py",
        "cases": out,
    }


if __name__ == "__main__":
    doc = generate()
    text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    if sys.argv[1:] == ["--check"]:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "entra-token-requests.json")
        with open(path, encoding="utf-8") as f:
            same = f.read() == text
        print("1 passed, 0 failed" if same else "0 passed, 1 failed")
        sys.exit(0 if same else 1)
    sys.stdout.write(text)
