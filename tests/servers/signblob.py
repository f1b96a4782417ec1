"""A local stand-in for the IAM Service Account Credentials `signBlob` method
(https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/signBlob),
for tests only: Google's service cannot run here.

  POST /v1/projects/-/serviceAccounts/{email}:signBlob[?alt=json]
  Authorization: Bearer <token>
  {"payload": "<base64>"}
  -> 200 {"keyId": "<private_key_id>", "signedBlob": "<base64 RSASSA-PKCS1-v1_5 / SHA-256 signature>"}

It signs with the service-account key files it is given (--account path.json, repeated; the
account is the file's client_email), the same primitive Google's IAM uses with a Google-managed
key. It answers Google's error documents ({"error":{"code","message","status"}}): 401
UNAUTHENTICATED for a missing or wrong bearer token (--token), 404 NOT_FOUND for an account it
does not hold, 400 INVALID_ARGUMENT for a body that is not {"payload": base64}, 404 for any
other path. GET /_last returns the last signBlob request as received (path, headers, body), so a
test can compare the requests two clients send.

What it proves: the client sends a well-formed signBlob call for the string to sign, reads the
answer, and completes the URL / policy with it. What it does not: Google's IAM authorization
(roles, token audiences, scopes), its rate limits or its exact error texts beyond the documented
shape.

  python signblob.py --listen 127.0.0.1:4450 --token TOKEN --account sa.json [--account other.json]
  (port 0: a free port; the first line printed is SIGNBLOB_ENDPOINT=http://127.0.0.1:PORT)
"""

import argparse
import base64
import binascii
import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

PATH = re.compile(r"^/v1/projects/-/serviceAccounts/([^/:?]+):signBlob(\?alt=json)?$")


def error(code, status, message):
    return code, {"error": {"code": code, "message": message, "status": status}}


class Handler(BaseHTTPRequestHandler):
    accounts = {}  # email -> (key_id, private key)
    token = ""
    last = {}
    lock = threading.Lock()

    def log_message(self, fmt, *args):  # quiet
        pass

    def reply(self, code, doc):
        data = json.dumps(doc).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/_last":
            with self.lock:
                return self.reply(200, dict(self.last))
        if self.path == "/_health":
            return self.reply(200, {"ok": True})
        self.reply(*error(404, "NOT_FOUND", "Not found."))

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        m = PATH.match(self.path)
        if not m:
            return self.reply(*error(404, "NOT_FOUND", "Not found."))
        with self.lock:
            Handler.last = {
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body.decode("utf-8", "replace"),
            }
        auth = self.headers.get("Authorization", "")
        if auth != "Bearer " + self.token:
            return self.reply(*error(
                401, "UNAUTHENTICATED",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or "
                "other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."))
        email = m.group(1).replace("%40", "@")
        if email not in self.accounts:
            return self.reply(*error(404, "NOT_FOUND", f"Not found; Gaia id not found for email {email}"))
        try:
            doc = json.loads(body)
            payload = base64.b64decode(doc["payload"], validate=True)
        except (ValueError, KeyError, TypeError, binascii.Error):
            return self.reply(*error(400, "INVALID_ARGUMENT", "Invalid value at 'payload' (TYPE_BYTES)."))
        key_id, key = self.accounts[email]
        sig = key.sign(payload, padding.PKCS1v15(), hashes.SHA256())
        self.reply(200, {"keyId": key_id, "signedBlob": base64.b64encode(sig).decode()})


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--listen", default="127.0.0.1:4450")
    p.add_argument("--token", required=True)
    p.add_argument("--account", action="append", default=[])
    a = p.parse_args()
    for path in a.account:
        with open(path, encoding="utf-8") as f:
            sa = json.load(f)
        key = serialization.load_pem_private_key(sa["private_key"].encode(), password=None)
        Handler.accounts[sa["client_email"]] = (sa.get("private_key_id", ""), key)
    Handler.token = a.token
    host, port = a.listen.rsplit(":", 1)
    if host != "127.0.0.1":
        sys.exit("signblob.py listens on 127.0.0.1 only")
    server = ThreadingHTTPServer((host, int(port)), Handler)
    # Port 0 picks a free port: the line below names it (tests/credentials_gcs.mjs reads it).
    print(f"SIGNBLOB_ENDPOINT=http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
