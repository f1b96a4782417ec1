#!/usr/bin/env python3
"""Live: Azure SAS without an account key, against Azurite in OAuth mode.

A second Azurite (tests/servers/azurite.sh with AZURITE_PORT=10010 AZURITE_HTTPS=1: a self-signed
certificate made with openssl, `--oauth basic`; the demo's Azurite on 10000 is untouched) answers
Get User Delegation Key for an Entra-style bearer token minted here. Azurite's basic OAuth check
(dist/src/blob/authentication/BlobTokenAuthenticator.js in azurite 3.35.0, read, not assumed) decodes
the JWT without verifying its signature, requires iat, nbf and exp with nbf <= now <= exp, an issuer
starting with https://sts.windows.net/ (or the China, Germany, PPE ones) and an audience
https://storage.azure.com (or the account's blob host), and only over HTTPS. Its key is derived from the
token's oid and tid (an HMAC under a constant), so the key proves Azurite read the claims. What this
does not prove: that a real Entra ID token validates (the signature is never checked here), nor
anything about the token endpoints (tests/credentials_azure.mjs covers those against a stand-in).

Checks: the key through the JS helper (azureUserDelegationKey, presign/credentials), and through the
core's request (its wasm build's exchangeRequestJson) sent by Python over HTTPS and read by the core's
parser; the two keys agree and are the key Azurite derives for the token's oid/tid; the cached
provider; a user-delegation SAS signed with the key (`presign batch`) uploads and reads a blob; a
tampered signature and a SAS claiming another object id are refused; tokens Azurite refuses (expired,
not yet valid, wrong audience, wrong issuer) come back as SERVICE_ERROR with Azurite's code.

Run: flock /tmp/presign-live.lock /tmp/presign-servers/py/venv/bin/python tests/azure_live_oauth.py
(after `cargo build --release --features cli`; it builds pkg/dist/credentials when missing, since
.ci/test-all runs live tests before the npm build). Last line "N passed, M failed".
"""

import base64
import datetime as dt
import hashlib
import hmac
import http.client
import json
import os
import secrets
import ssl
import subprocess
import sys
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (AZURITE_ACCOUNT, AZURITE_KEY, AZURITE_UDK_BASIC, ROOT, SERVERS_PREFIX, check, iso,  # noqa: E402
                     query_param, replace_param, server, sign, summary, tamper_param, utc_now)

PORT = "10010"
ENV = {"AZURITE_PORT": PORT, "AZURITE_HTTPS": "1"}
CERT = os.path.join(SERVERS_PREFIX, "certs", "cert.pem")
CLIENT = os.path.join(ROOT, "tests", "support", "azure_oauth_client.mjs")
CONTAINER = "oauth-live"
OID, TID = str(uuid.uuid4()), str(uuid.uuid4())
SV = "2025-07-05"


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def mint(**over):
    """An Entra-shaped access token: HS256 under a random key (Azurite checks no signature)."""
    now = int(utc_now().timestamp())
    claims = {"aud": "https://storage.azure.com", "iss": f"https://sts.windows.net/{TID}/", "iat": now - 60,
              "nbf": now - 60, "exp": now + 3600, "oid": OID, "tid": TID, "appid": str(uuid.uuid4()), "ver": "1.0"}
    claims.update(over)
    head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64url(json.dumps(claims).encode())
    return head + "." + b64url(hmac.new(secrets.token_bytes(32), head.encode(), hashlib.sha256).digest())


def js(cmd):
    p = subprocess.run(["node", CLIENT, json.dumps(cmd)], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, NODE_EXTRA_CA_CERTS=CERT))
    if p.returncode != 0 or not p.stdout.strip():
        return {"error": {"code": "(test) node failed", "message": p.stderr[-800:]}}
    return json.loads(p.stdout)


def https(method, url, headers=None, body=None):
    """Sends the URL as given over HTTPS, trusting Azurite's self-signed certificate."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPSConnection(u.hostname, u.port, timeout=30, context=ssl.create_default_context(cafile=CERT))
    conn.request(method, u.path + ("?" + u.query if u.query else ""), body=body, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data


def azurite_key(start, expiry, version):
    """The key Azurite 3.35 derives for this token (utils getUserDelegationKeyValue)."""
    msg = "\n".join([OID, TID, start, expiry, "b", version]).encode()
    return base64.b64encode(hmac.new(AZURITE_UDK_BASIC.encode(), msg, hashlib.sha256).digest()).decode()


def main():
    if not os.path.exists(os.path.join(ROOT, "pkg", "dist", "credentials", "node.js")):
        # .ci/test-all runs the live tests before it builds the npm package: build the one entry used.
        print("pkg/dist/credentials is missing: PRESIGN_ENTRIES=credentials bash pkg/build.sh")
        subprocess.run(["bash", os.path.join(ROOT, "pkg", "build.sh")], check=True, stdout=subprocess.DEVNULL,
                       env=dict(os.environ, PRESIGN_ENTRIES="credentials"))
    with server("azurite", ENV) as info:
        endpoint = info["AZURITE_BLOB_ENDPOINT"]
        check("the OAuth Azurite is on https://127.0.0.1:10010", endpoint == f"https://127.0.0.1:{PORT}/{AZURITE_ACCOUNT}", endpoint)
        run(endpoint)


def run(endpoint):
    token = mint()
    start, expiry = iso(utc_now() - dt.timedelta(minutes=5)), iso(utc_now() + dt.timedelta(hours=2))

    print("== Get User Delegation Key through the JS helper (presign/credentials)")
    a = js({"mode": "helper", "accountUrl": endpoint, "accessToken": token, "start": start, "expiry": expiry})
    ka = a.get("userDelegationKey", {})
    check("azureUserDelegationKey: a key for the token's oid and tid",
          ka.get("signedOid") == OID and ka.get("signedTid") == TID and ka.get("signedStart") == start
          and ka.get("signedExpiry") == expiry and a.get("expiresAt") == expiry, a)
    check("the key is the one Azurite derives from the token's claims",
          ka.get("value") == azurite_key(start, expiry, ka.get("signedVersion", "")), ka.get("signedVersion"))

    print("== Get User Delegation Key: the core's request sent by Python, its answer read by the core")
    req = js({"mode": "request", "options": {"kind": "azure.userDelegationKey", "endpoint": endpoint, "start": start, "expiry": expiry}})
    check("the request: POST ?restype=service&comp=userdelegationkey, no Authorization of its own",
          req.get("method") == "POST" and req.get("url") == f"{endpoint}/?restype=service&comp=userdelegationkey"
          and "authorization" not in req.get("headers", {}), req)
    st, h, body = https(req["method"], req["url"], dict(req["headers"], Authorization=f"Bearer {token}"), req["body"].encode())
    check("Azurite answers 200 to the bearer token", st == 200, f"{st} {h.get('x-ms-error-code')} {body[:300]!r}")
    b = js({"mode": "response", "kind": "azure.userDelegationKey", "status": st, "body": body.decode("utf-8", "replace")})
    check("the core's parser reads the same key as the JS helper", b.get("userDelegationKey") == ka and ka, b)
    st, h, body = https(req["method"], req["url"], dict(req["headers"]), req["body"].encode())
    r = js({"mode": "response", "kind": "azure.userDelegationKey", "status": st, "body": body.decode("utf-8", "replace")})
    check("without the bearer token Azurite refuses, and the parser says SERVICE_ERROR",
          st in (401, 403) and r.get("error", {}).get("code") == "SERVICE_ERROR", f"{st} {r}")

    print("== the cached provider")
    p = js({"mode": "provider", "accountUrl": endpoint, "accessToken": token, "lifetime": 3600 * 1000})
    pk = p.get("userDelegationKey", {})
    check("azureUserDelegationKeyProvider: a key, the second call from the cache",
          p.get("sameObject") is True and pk.get("signedOid") == OID
          and pk.get("value") == azurite_key(pk.get("signedStart"), pk.get("signedExpiry"), pk.get("signedVersion")), p)

    print("== a user-delegation SAS signed with the key")
    from azure.storage.blob import BlobServiceClient
    conn = (f"DefaultEndpointsProtocol=https;AccountName={AZURITE_ACCOUNT};AccountKey={AZURITE_KEY};"
            f"BlobEndpoint={endpoint};")
    svc = BlobServiceClient.from_connection_string(conn, connection_verify=CERT)
    cc = svc.get_container_client(CONTAINER)
    if not cc.exists():
        cc.create_container()
    base = {"provider": "azure", "account": AZURITE_ACCOUNT, "endpoint": endpoint, "container": CONTAINER,
            "version": SV, "credentials": {"userDelegationKey": ka}, "expiresIn": 900}
    put, get = sign([dict(base, method="PUT", blob="udk/oauth.txt"), dict(base, method="GET", blob="udk/oauth.txt")])
    check("the SAS carries the key's skoid/sktid/skt/ske", query_param(put["url"], "skoid", True) == OID
          and query_param(put["url"], "sktid", True) == TID and query_param(put["url"], "ske", True) == expiry, put["url"])
    payload = b"signed with a key from an Entra token " + secrets.token_hex(8).encode()
    st, h, _ = https("PUT", put["url"], put.get("headers") or {}, payload)
    check("PUT with the user-delegation SAS: 201", st == 201, f"{st} {h.get('x-ms-error-code')}")
    st, h, data = https("GET", get["url"])
    check("GET with the user-delegation SAS: the bytes back", st == 200 and data == payload, f"{st} {h.get('x-ms-error-code')}")
    st, h, _ = https("GET", tamper_param(get["url"], "sig"))
    check("a tampered signature is refused (403)", st == 403, f"{st} {h.get('x-ms-error-code')}")
    st, h, _ = https("GET", replace_param(get["url"], "skoid", str(uuid.uuid4())))
    check("a SAS claiming another object id is refused (403)", st == 403, f"{st} {h.get('x-ms-error-code')}")

    print("== tokens Azurite refuses")
    now = int(utc_now().timestamp())
    for name, claims in [
        ("expired", {"exp": now - 120}),
        ("not yet valid", {"nbf": now + 600}),
        ("another audience", {"aud": "https://management.azure.com"}),
        ("another issuer", {"iss": "https://login.example.com/tenant/"}),
    ]:
        r = js({"mode": "helper", "accountUrl": endpoint, "accessToken": mint(**claims), "start": start, "expiry": expiry})
        e = r.get("error", {})
        check(f"{name} token: SERVICE_ERROR with Azurite's AuthenticationFailed",
              e.get("code") == "SERVICE_ERROR" and "AuthenticationFailed" in e.get("message", ""), r)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # a crash is a failure with its reason, then the count
        check("no unexpected exception", False, repr(e))
    sys.exit(summary(minimum=15))
