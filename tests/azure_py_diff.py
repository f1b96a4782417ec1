#!/usr/bin/env python3
"""Differential test: our Azure SAS signer (the `presign batch` CLI) against azure-storage-blob.

Generates several hundred cases deterministically — service SAS for blobs, snapshots, versions,
containers and directories; account SAS; user-delegation SAS; connection strings (portal strings,
sovereign-cloud suffixes, custom and IP blob endpoints, UseDevelopmentStorage, ready SAS) — with
hostile blob names (spaces, + = % ? # & ~, NFC and NFD, emoji, repeated slashes), shuffled
permission letters, IP addresses and ranges, protocols, stored policies, encryption scopes,
response-header overrides with quotes and unicode, user-delegation extras (saoid, suoid, scid,
sduoid, skdutid, bound request headers and query parameters), clockSkew and expiresIn, at fixed
signing instants. User-delegation keys have the times real clients ask for (issue 16): requested
at or before the signing instant, the start back-dated by minutes, hours or days (up to the full 7
days), not at all, or a little forward, the expiry up to 7 days after the request (often exactly 7
days) — so keys of up to 14 days; the SAS's st/se anywhere inside the key's validity (and now and
then se beyond it, or st before it). Some user-delegation cases use an http path endpoint
(Azurite-style), and `protocol: "https"` is generated for http endpoints too: signed like the SDK
does, with a HTTPS_ONLY_ON_HTTP warning. Each case is signed by the SDK and by one `presign batch`
run, then compared:

- `sig` exactly, and every token parameter after percent-decoding (the SDK quotes with `/` kept,
  we encode it; decoded values must be byte-identical). Our URL may carry parameters the SDK's
  token leaves to the client — `snapshot` and `versionid` (its get_token excludes them on
  purpose), the caller's extra `query`, and the `srq`-bound query parameters — and those must be
  exactly the ones the request asked for;
- the URL before `?` against the SDK client's URL for the same container/blob and credentials
  (`BlobClient` / `ContainerClient` / `BlobServiceClient`, from the connection string when there is
  one): same scheme, host, base path and percent-encoded blob path;
- our result's `headers` (x-ms-blob-type for a plain PUT upload, bound request headers),
  `expiresAt` and warning codes, against what the case's inputs imply.

Run:  /tmp/presign-servers/py/venv/bin/python tests/azure_py_diff.py   (PRESIGN_BIN overrides the binary)
Last line: "N passed, M failed"; exit status 1 when M > 0 or N < 500.

What azure-storage-blob 12.31 does (read in the installed source, not assumed):
- It always signs sv=2026-10-06 (X_MS_VERSION); its string-to-sign code is the same for every
  version. For account-key SAS that layout is right for every version from 2020-12-06, so a share
  of the cases sets `x_ms_version` on the SDK's own BlobSharedAccessSignature /
  SharedAccessSignature objects to another version (including our default, with `version` left
  out on our side). For user-delegation SAS its layout (skdutid, sduoid, srh, srq lines) is the
  2026-04-06 one, so user-delegation cases use 2026-04-06, 2026-06-06 and 2026-10-06 only; the
  older user-delegation layouts are pinned by the @azure/storage-blob vectors in
  tests/vectors/azure/storage-blob-js-sas.json.
- Permissions are given to the SDK as its permission objects, which emit the canonical order; our
  side gets the same letters shuffled (sometimes repeated). Services / resource types likewise.
  The SDK's Services class knows b, q, f (no table), so cases use those.
- The SDK takes times as datetimes and writes `%Y-%m-%dT%H:%M:%SZ`; `expiresIn` / `clockSkew` on
  our side become the equivalent absolute times on its side.
- Deliberate differences are not generated: the SDK signs whatever it is given, we refuse blob
  names with control characters, `l` on a single blob, container names outside Azure's rules,
  directory names with a leading or trailing `/`, and empty optional fields.
"""

import base64
import datetime as dt
import json
import os
import random
import sys
import unicodedata
from collections import Counter
from urllib.parse import unquote

from harness import PRESIGN, clean_env, run_presign, summary
from harness import AZURITE_ACCOUNT as DEV_ACCOUNT, AZURITE_KEY as DEV_KEY

from azure.storage.blob import (  # noqa: E402
    AccountSasPermissions,
    BlobClient,
    BlobSasPermissions,
    BlobServiceClient,
    ContainerClient,
    ContainerSasPermissions,
    ResourceTypes,
    Services,
    UserDelegationKey,
    generate_account_sas,
    generate_blob_sas,
    generate_container_sas,
)
from azure.storage.blob import __version__ as SDK_VERSION  # noqa: E402
from azure.storage.blob._shared.shared_access_signature import SharedAccessSignature  # noqa: E402
from azure.storage.blob._shared_access_signature import BlobSharedAccessSignature  # noqa: E402

SEED = 20261124
N_CASES = 720
MIN_CASES = 500
SHOW_FAILURES = int(os.environ.get("SHOW_FAILURES", "5"))

OUR_DEFAULT_VERSION = "2025-07-05"
# Service versions with the 2020-12-06+ account-key layout (all the SDK lists from 2020-12-06).
KEY_VERSIONS = [
    "2020-12-06", "2021-02-12", "2021-04-10", "2021-06-08", "2021-08-06", "2021-12-02",
    "2022-11-02", "2023-01-03", "2023-05-03", "2023-08-03", "2023-11-03", "2024-05-04",
    "2024-08-04", "2024-11-04", "2025-01-05", "2025-05-05", "2025-07-05", "2025-11-05",
    "2026-02-06", "2026-04-06", "2026-06-06", "2026-10-06",
]
UDK_VERSIONS = ["2026-04-06", "2026-06-06", "2026-10-06"]
INSTANTS = [
    "2026-11-24T10:00:00Z", "2027-02-28T23:59:59Z", "2028-02-29T12:00:00Z",
    "2030-12-31T23:59:59Z", "2026-03-29T01:30:00Z", "2039-01-01T00:00:00Z",
]

# Permission letters the SDK's classes know, per resource kind, with the flag names.
BLOB_FLAGS = {"r": "read", "a": "add", "c": "create", "w": "write", "d": "delete",
              "x": "delete_previous_version", "y": "permanent_delete", "t": "tag", "m": "move",
              "e": "execute", "i": "set_immutability_policy"}
DIR_FLAGS = dict(BLOB_FLAGS, l="list")
CONTAINER_FLAGS = dict(DIR_FLAGS, f="filter_by_tags")
ACCOUNT_FLAGS = {"r": "read", "w": "write", "d": "delete", "x": "delete_previous_version",
                 "y": "permanent_delete", "l": "list", "a": "add", "c": "create", "u": "update",
                 "p": "process", "f": "filter_by_tags", "t": "tag", "i": "set_immutability_policy"}

NAME_PIECES = [
    "a", "photos", "b c", "+", "=", "%", "%20", "%2F", "?", "#", "&", "~", "'", "(", ")", "*", "!",
    ";", ":", "@", "$", ",", "[", "]", "\\", ".", "..", "-", "_", " ", "  ",
    "\u00fc", "u\u0308", "\u00e9", "e\u0301", "\U0001F600", "\U0001F469\u200D\U0001F4BB", "\u65e5\u672c",
    "\u0391\u03b8\u03ae\u03bd\u03b1", "\u00df", "\ufb01", "\u2028x", "/", "//", "dir/", "caf\u00e9.txt",
]
HEADER_VALUES = [
    'attachment; filename="\u00fc x.txt"', "text/plain; charset=utf-8", "a&b=c%20+d",
    "max-age=0, no-store", "na\u00efve \U0001F600", "inline", "gzip", "de-CH", "image/png",
    "attachment; filename*=UTF-8''%E2%82%AC%20rates.txt", "  padded  ",
]


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(s):
    return dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def maybe(self, p=0.5):
        return self.r.random() < p

    def account(self):
        n = self.r.randint(3, 24)
        return "".join(self.r.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))

    def container(self):
        if self.maybe(0.1):
            return self.r.choice(["$root", "$web"])
        n = self.r.randint(3, 20)
        s = [self.r.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n)]
        for i in range(1, n - 1):
            if self.maybe(0.15) and s[i - 1] != "-":
                s[i] = "-"
        return "".join(s)

    def key(self):
        if self.maybe(0.2):
            return DEV_KEY
        return base64.b64encode(bytes(self.r.randrange(256) for _ in range(64))).decode()

    def blob(self):
        parts = [self.r.choice(NAME_PIECES) for _ in range(self.r.randint(1, 8))]
        name = "".join(parts)
        if self.maybe(0.2):
            name = unicodedata.normalize(self.r.choice(["NFC", "NFD"]), name)
        if self.maybe(0.05):
            name = "x" * self.r.randint(900, 1024)
        return name[:1024] or "a"

    def directory(self):
        d = self.blob().strip("/")
        return d or "dir"

    def letters(self, flags):
        chosen = [c for c in flags if self.maybe(0.35)] or [self.r.choice(list(flags))]
        ours = chosen[:]
        self.r.shuffle(ours)
        if self.maybe(0.2):
            ours.append(self.r.choice(chosen))
        return chosen, "".join(ours)

    def ip(self):
        a = [self.r.randrange(256) for _ in range(4)]
        if self.maybe(0.5):
            return ".".join(map(str, a))
        b = a[:]
        b[3] = self.r.randrange(a[3], 256)
        return ".".join(map(str, a)) + "-" + ".".join(map(str, b))

    def snapshot(self):
        return f"20{self.r.randint(20, 30)}-0{self.r.randint(1, 9)}-1{self.r.randint(0, 9)}T0{self.r.randint(0, 9)}:1{self.r.randint(0, 9)}:2{self.r.randint(0, 9)}.{self.r.randrange(10**7):07d}Z"

    def uuid(self):
        h = "".join(self.r.choice("0123456789abcdef") for _ in range(32))
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


DAY = 86400
WEEK = 7 * DAY  # Azure: a key's Start and Expiry each "within 7 days of the current time"


def key_times(g, signed_at):
    """A user-delegation key's start and expiry as clients ask for them. The key was requested
    at T, at the signing instant or earlier (a cached key), and is still in force at signing.
    Its start is back-dated from T by minutes, hours or days (up to the full 7 days), or not at
    all, or a little forward; its expiry is up to 7 days after T, often exactly 7 days. So a key
    lives up to 14 days (Azure's rule is relative to the request, not start-to-expiry)."""
    age = g.r.choice([0, 0, g.r.randint(1, 3600), g.r.randint(3600, 3 * DAY)])
    req_at = signed_at - dt.timedelta(seconds=age)
    style = g.r.choice(["none", "minutes", "minutes", "hours", "hours", "days", "days", "week", "forward"])
    back = {"none": 0, "minutes": g.r.randint(60, 3599), "hours": g.r.randint(3600, DAY - 1),
            "days": g.r.randint(DAY, WEEK - 1), "week": WEEK, "forward": -g.r.randint(60, DAY)}[style]
    lo = max(age, -back) + 60  # in force at signing, and after its own start
    ahead = WEEK if g.maybe(0.4) else g.r.randint(lo, WEEK)
    kstart = req_at - dt.timedelta(seconds=back)
    kexp = req_at + dt.timedelta(seconds=ahead)
    info = {"back": style, "life": (kexp - kstart).total_seconds(), "ahead7": ahead == WEEK}
    return kstart, kexp, info


def sas_times(g, signed_at, req):
    """st/se of an account-key SAS."""
    start = None
    if g.maybe(0.4):
        start = signed_at + dt.timedelta(seconds=g.r.randint(-7200, 600))
        req["startsOn"] = iso(start)
    if g.maybe(0.15):
        skew = g.r.randint(0, 3600)
        req["clockSkew"] = skew
        start = (start or signed_at) - dt.timedelta(seconds=skew)
    expiry = expiry_at(g, signed_at, signed_at + dt.timedelta(seconds=g.r.randint(1, 400 * DAY)), req)
    if start is not None and start >= expiry:
        start = expiry - dt.timedelta(seconds=1)
        req.pop("clockSkew", None)
        req["startsOn"] = iso(start)
    return start, expiry


def sas_times_in_key(g, signed_at, kstart, kexp, req):
    """st/se of a user-delegation SAS: se anywhere from after both the signing instant and the
    key's start up to the key's expiry (now and then beyond it: a warning); st anywhere from the
    key's start to before se (now and then before the key's start, or back-dated by clockSkew)."""
    lo = max(signed_at, kstart) + dt.timedelta(seconds=1)
    if g.maybe(0.85):
        se = lo + dt.timedelta(seconds=g.r.randint(0, int((kexp - lo).total_seconds())))
    else:
        se = kexp + dt.timedelta(seconds=g.r.randint(1, 30 * DAY))
    expiry = expiry_at(g, signed_at, se, req)
    start = None
    if g.maybe(0.5):
        if g.maybe(0.8):
            top = min(expiry, kexp) - dt.timedelta(seconds=1)
            start = kstart + dt.timedelta(seconds=g.r.randint(0, int((top - kstart).total_seconds())))
        else:
            start = kstart - dt.timedelta(seconds=g.r.randint(1, 2 * 3600))
        req["startsOn"] = iso(start)
    if g.maybe(0.15):
        skew = g.r.randint(0, 3600)
        req["clockSkew"] = skew
        start = (start or signed_at) - dt.timedelta(seconds=skew)
    return start, expiry


def expiry_at(g, signed_at, se, req):
    """`se` as expiresOn, or as expiresIn seconds after the signing instant."""
    if g.maybe(0.4):
        req["expiresIn"] = int((se - signed_at).total_seconds())
    else:
        req["expiresOn"] = iso(se)
    return se


def response_headers(g):
    out = {}
    for ours, _py in [("cacheControl", "cache_control"), ("contentDisposition", "content_disposition"),
                      ("contentEncoding", "content_encoding"), ("contentLanguage", "content_language"),
                      ("contentType", "content_type")]:
        if g.maybe(0.3):
            out[ours] = g.r.choice(HEADER_VALUES)
    return out


PY_RSC = {"cacheControl": "cache_control", "contentDisposition": "content_disposition",
          "contentEncoding": "content_encoding", "contentLanguage": "content_language",
          "contentType": "content_type"}


def make_case(g, i):
    """One case: our request (dict), the SDK call (a function returning (token, sts)) and what
    our result must show besides the token."""
    kind = g.r.choices(["blob", "container", "directory", "account", "udk", "ready"],
                       weights=[34, 14, 8, 16, 22, 6])[0]
    signed_at = parse_iso(g.r.choice(INSTANTS))
    req = {"provider": "azure", "signedAt": iso(signed_at)}
    exp = {"kind": kind, "warnings": [], "headers": {}, "extra_params": {}}
    if kind == "ready":
        return make_ready_case(g, req, exp)

    account = DEV_ACCOUNT if g.maybe(0.15) else g.account()
    key = DEV_KEY if account == DEV_ACCOUNT else g.key()
    container = g.container()
    method = g.r.choice(["GET", "GET", "PUT", "HEAD", "DELETE"])
    req["method"] = method
    req["account"] = account
    req["container"] = container

    # Endpoint / credentials (account-key kinds may come through a connection string).
    endpoint_client = dict(account_url=f"https://{account}.blob.core.windows.net")
    scheme = "https"
    if kind == "udk" and g.maybe(0.2):
        # Azurite-style path endpoint over http (a token prepared there for production, say).
        req["endpoint"] = "http://127.0.0.1:10000"
        endpoint_client = dict(account_url=f"http://127.0.0.1:10000/{account}")
        scheme = "http"
    if kind != "udk" and g.maybe(0.35):
        style = g.r.choice(["portal", "suffix", "ip", "dev", "custom"])
        if style == "dev":
            account, key = DEV_ACCOUNT, DEV_KEY
            req["account"] = account
            cs = "UseDevelopmentStorage=true"
            scheme = "http"
        elif style == "portal":
            cs = f"DefaultEndpointsProtocol=https;AccountName={account};AccountKey={key};EndpointSuffix=core.windows.net"
        elif style == "suffix":
            proto = g.r.choice(["https", "http"])
            scheme = proto
            suffix = g.r.choice(["core.chinacloudapi.cn", "core.usgovcloudapi.net", "core.cloudapi.de"])
            cs = f"DefaultEndpointsProtocol={proto};AccountName={account};AccountKey={key};EndpointSuffix={suffix}"
        elif style == "ip":
            scheme = "http"
            cs = f"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={key};BlobEndpoint=http://127.0.0.1:10000/{account}"
        else:
            cs = f"AccountName={account};AccountKey={key};BlobEndpoint=https://{account}.privatelink.blob.core.windows.net"
        req["credentials"] = {"connectionString": cs}
        if g.maybe(0.5):
            del req["account"]  # the connection string names it
        endpoint_client = dict(conn_str=cs)
    elif kind != "udk":
        req["credentials"] = {"accountKey": key}

    # Times. A user-delegation SAS's st/se are chosen inside its key's validity (mostly).
    if kind == "udk":
        kstart, kexp, exp["key"] = key_times(g, signed_at)
        start, expiry = sas_times_in_key(g, signed_at, kstart, kexp, req)
    else:
        start, expiry = sas_times(g, signed_at, req)
    exp["expiresAt"] = iso(expiry)

    ip = g.ip() if g.maybe(0.3) else None
    if ip:
        req["ipRange"] = ip
    protocol = None
    if g.maybe(0.3):
        protocol = "https" if g.maybe(0.5) else "https,http"
        req["protocol"] = protocol
        if protocol == "https" and scheme == "http":
            # Signed as the SDK signs it (valid for the account over https), with a warning.
            exp["warnings"].append("HTTPS_ONLY_ON_HTTP")
    ses = g.r.choice(["scope1", "my-scope", "es_2", "s/1+2"]) if g.maybe(0.25) else None
    if ses:
        req["encryptionScope"] = ses

    if kind == "account":
        return make_account_case(g, req, exp, account, key, container, start, expiry, ip, protocol, ses,
                                 endpoint_client, method)

    if kind == "udk":
        sv = g.r.choice(UDK_VERSIONS)
        req["version"] = sv
    else:
        sv = g.r.choice(KEY_VERSIONS) if g.maybe(0.5) else OUR_DEFAULT_VERSION
        if sv != OUR_DEFAULT_VERSION or g.maybe(0.3):
            req["version"] = sv  # else: left out, our default must be OUR_DEFAULT_VERSION
    rsc = response_headers(g)
    if rsc:
        req["responseHeaders"] = rsc

    # Resource.
    if kind == "directory" or (kind == "udk" and g.maybe(0.15)):
        resource, flags = "directory", DIR_FLAGS
        blob = g.directory()
        req["resource"] = "directory"
        req["blob"] = blob
    elif kind == "container" or (kind == "udk" and g.maybe(0.25)):
        resource, flags = "container", CONTAINER_FLAGS
        blob = g.blob() if g.maybe(0.5) else None  # a container SAS used on one of its blobs
        req["resource"] = "container"
        if blob:
            req["blob"] = blob
    else:
        resource, flags = "blob", BLOB_FLAGS
        blob = g.blob()
        req["blob"] = blob
    snapshot = version_id = None
    if resource == "blob" and g.maybe(0.3):
        if g.maybe(0.5):
            snapshot = g.snapshot()
            req["snapshot"] = snapshot
            exp["extra_params"]["snapshot"] = snapshot
        else:
            version_id = g.snapshot()
            req["versionId"] = version_id
            exp["extra_params"]["versionid"] = version_id

    if sv < "2021-04-10":  # 'f' on a container needs 2021-04-10; we refuse it earlier
        flags = {k: v for k, v in flags.items() if k != "f"}
    chosen, ours = g.letters(flags)
    policy = None
    if kind != "udk" and g.maybe(0.15):
        policy = g.r.choice(["policy-1", "p1", "read only", "policy/1+2"])
        req["identifier"] = policy
        if g.maybe(0.5):
            chosen = []  # the stored policy holds the permissions
        if g.maybe(0.4):
            req.pop("expiresOn", None)
            req.pop("expiresIn", None)
            expiry = None
            exp["expiresAt"] = req["signedAt"]
            exp["warnings"].append("EXPIRY_FROM_POLICY")
    if chosen:
        req["permissions"] = ours
    py_perm_cls = {"blob": BlobSasPermissions, "directory": BlobSasPermissions,
                   "container": ContainerSasPermissions}[resource]
    py_perm = py_perm_cls(**{flags[c]: True for c in chosen}) if chosen else None

    # Extra query parameters for block uploads.
    if method == "PUT" and blob and g.maybe(0.2):
        req["query"] = {"comp": "block", "blockid": base64.b64encode(b"block-000001").decode()}
        exp["extra_params"].update(req["query"])

    # User delegation.
    udk = None
    py_extra = {}
    if kind == "udk":
        udk = UserDelegationKey()
        udk.signed_oid, udk.signed_tid = g.uuid(), g.uuid()
        udk.signed_start, udk.signed_expiry = iso(kstart), iso(kexp)
        udk.signed_service = "b"
        udk.signed_version = g.r.choice(UDK_VERSIONS)
        udk.value = base64.b64encode(bytes(g.r.randrange(256) for _ in range(32))).decode()
        key_json = {"signedOid": udk.signed_oid, "signedTid": udk.signed_tid,
                    "signedStart": udk.signed_start, "signedExpiry": udk.signed_expiry,
                    "signedService": "b", "signedVersion": udk.signed_version, "value": udk.value}
        if g.maybe(0.3):
            udk.signed_delegated_user_tid = g.uuid()
            key_json["signedDelegatedUserTid"] = udk.signed_delegated_user_tid
        req["credentials"] = {"userDelegationKey": key_json}
        if g.maybe(0.5):
            req["sas"] = "userDelegation"
        if expiry is not None and expiry > kexp:
            exp["warnings"].append("CREDENTIALS_EXPIRE_FIRST")
        for ours_name, py_name in [("preauthorizedAgentObjectId", "preauthorized_agent_object_id"),
                                   ("agentObjectId", "agent_object_id"), ("correlationId", "correlation_id")]:
            if g.maybe(0.2):
                v = g.uuid()
                req[ours_name] = v
                py_extra[py_name] = v
        if g.maybe(0.25):
            req["delegatedUserObjectId"] = py_extra["user_delegation_oid"] = g.uuid()
        if g.maybe(0.3):
            names = g.r.sample(["x-ms-meta-owner", "content-type", "x-ms-client-request-id",
                                "if-match", "x-custom_1.a~b"], g.r.randint(1, 3))
            rh = {n: g.r.choice(["alice", "application/json", "\"0x8D\"", "a b  c", "", "v=1;x"]) for n in names}
            req["requestHeaders"] = rh
            py_extra["request_headers"] = rh
            exp["headers"].update(rh)
        if g.maybe(0.3):
            names = g.r.sample(["tenant", "job", "x-id", "a.b", "part_no"], g.r.randint(1, 3))
            rq = {n: g.r.choice(["t-1", "42", "a b", "\u00fc", "x=y&z", ""]) for n in names}
            req["requestQuery"] = rq
            py_extra["request_query_params"] = rq
            exp["extra_params"].update(rq)

    if method == "PUT" and blob and not any(k == "comp" for k in req.get("query", {})) \
            and not any(k == "comp" for k in req.get("requestQuery", {})) \
            and "x-ms-blob-type" not in exp["headers"]:
        exp["headers"]["x-ms-blob-type"] = "BlockBlob"

    kw = dict(
        permission=py_perm, expiry=expiry, start=start, policy_id=policy, ip=ip, protocol=protocol,
        encryption_scope=ses, **{PY_RSC[k]: v for k, v in rsc.items()}, **py_extra,
    )
    public = sv == "2026-10-06" and g.maybe(0.6)

    def sdk_token():
        sts = []
        if public:
            cred = dict(user_delegation_key=udk) if udk else dict(account_key=key)
            if resource == "container":
                tok = generate_container_sas(account, container, sts_hook=sts.append, **cred, **kw)
            else:
                tok = generate_blob_sas(account, container, blob, snapshot=snapshot, version_id=version_id,
                                        is_directory=(resource == "directory") or None,
                                        sts_hook=sts.append, **cred, **kw)
        else:
            obj = BlobSharedAccessSignature(account, user_delegation_key=udk) if udk \
                else BlobSharedAccessSignature(account, account_key=key)
            obj.x_ms_version = sv
            if resource == "container":
                tok = obj.generate_container(container, sts_hook=sts.append, **kw)
            else:
                tok = obj.generate_blob(container, blob, snapshot=snapshot, version_id=version_id,
                                        is_directory=(resource == "directory") or None,
                                        sts_hook=sts.append, **kw)
        return tok, sts[0] if sts else ""

    exp["client_url"] = client_url(endpoint_client, container, blob, snapshot)
    return req, sdk_token, exp


def make_account_case(g, req, exp, account, key, container, start, expiry, ip, protocol, ses,
                      endpoint_client, method):
    req["sas"] = "account"
    chosen, ours = g.letters(ACCOUNT_FLAGS)
    req["permissions"] = ours
    svc = [c for c in "bqf" if g.maybe(0.5)] or ["b"]
    ours_svc = svc[:]
    g.r.shuffle(ours_svc)
    rt = [c for c in "sco" if g.maybe(0.5)] or ["o"]
    ours_rt = rt[:]
    g.r.shuffle(ours_rt)
    req["services"] = "".join(ours_svc)
    req["resourceTypes"] = "".join(ours_rt)
    target = g.r.choice(["service", "container", "blob"])
    blob = None
    if target == "service":
        del req["container"]
        container = None
    elif target == "blob":
        blob = g.blob()
        req["blob"] = blob
    version = g.r.choice(KEY_VERSIONS) if g.maybe(0.5) else None
    if version:
        req["version"] = version
    sv = version or OUR_DEFAULT_VERSION
    if method == "PUT" and blob:
        exp["headers"]["x-ms-blob-type"] = "BlockBlob"
    perm = AccountSasPermissions(**{ACCOUNT_FLAGS[c]: True for c in chosen})
    services = Services(blob="b" in svc, queue="q" in svc, fileshare="f" in svc)
    rtypes = ResourceTypes(service="s" in rt, container="c" in rt, object="o" in rt)
    public = sv == "2026-10-06" and g.maybe(0.6)

    def sdk_token():
        sts = []
        if public:
            tok = generate_account_sas(account, key, rtypes, perm, expiry, start=start, ip=ip,
                                       services=services, protocol=protocol, encryption_scope=ses,
                                       sts_hook=sts.append)
        else:
            obj = SharedAccessSignature(account, key, x_ms_version=sv)
            tok = obj.generate_account(services, rtypes, perm, expiry, start=start, ip=ip, protocol=protocol,
                                       sts_hook=sts.append, encryption_scope=ses)
        return tok, sts[0] if sts else ""

    exp["client_url"] = client_url(endpoint_client, container, blob, None)
    return req, sdk_token, exp


def make_ready_case(g, req, exp):
    """A connection string with only a SharedAccessSignature: the URL is ours to build."""
    account = g.account()
    container = g.container()
    blob = g.blob() if g.maybe(0.8) else None
    se = iso(parse_iso(req["signedAt"]) + dt.timedelta(days=g.r.randint(1, 90)))
    token = generate_account_sas(account, g.key(), ResourceTypes(container=True, object=True),
                                 AccountSasPermissions(read=True, list=True), parse_iso(se))
    ep = g.r.choice([f"https://{account}.blob.core.windows.net", f"https://{account}.blob.core.windows.net/",
                     f"http://127.0.0.1:10000/{account}"])
    cs = f"BlobEndpoint={ep};SharedAccessSignature={token if g.maybe(0.5) else '?' + token}"
    req["credentials"] = {"connectionString": cs}
    req["container"] = container
    if blob:
        req["blob"] = blob
    method = g.r.choice(["GET", "PUT"])
    req["method"] = method
    if method == "PUT" and blob:
        exp["headers"]["x-ms-blob-type"] = "BlockBlob"
    exp["expiresAt"] = se
    if blob:
        want = BlobClient.from_connection_string(cs, container, blob).url
    else:
        want = ContainerClient.from_connection_string(cs, container).url
    exp["full_url"] = want

    def sdk_token():
        return token, ""

    return req, sdk_token, exp


def client_url(endpoint_client, container, blob, snapshot):
    """The SDK client's URL for the target, without its query."""
    if "conn_str" in endpoint_client:
        cs = endpoint_client["conn_str"]
        if container and blob:
            c = BlobClient.from_connection_string(cs, container, blob, snapshot=snapshot)
        elif container:
            c = ContainerClient.from_connection_string(cs, container)
        else:
            c = BlobServiceClient.from_connection_string(cs)
    else:
        url = endpoint_client["account_url"]
        if container and blob:
            c = BlobClient(url, container, blob, snapshot=snapshot)
        elif container:
            c = ContainerClient(url, container)
        else:
            c = BlobServiceClient(url)
    return c.url.split("?", 1)[0]


def decode_query(q):
    out = {}
    dup = []
    for pair in filter(None, q.split("&")):
        k, _, v = pair.partition("=")
        k, v = unquote(k, errors="strict"), unquote(v, errors="strict")
        if k in out:
            dup.append(k)
        out[k] = v
    return out, dup


def run_batch(requests):
    rc, results, err = run_presign(["batch"], requests, env=clean_env(("AWS_", "AZURE_")))
    if rc != 0:
        sys.exit(f"presign batch exited {rc}: {err}")
    return results


def compare(req, sdk_token, exp, ours):
    problems = []
    if "error" in ours:
        return [f"we refused: {ours['error']}"]
    token, sts = sdk_token()
    theirs, dup = decode_query(token.lstrip("?"))
    url = ours["url"]
    prefix, _, q = url.partition("?")
    mine, mdup = decode_query(q)
    if dup or mdup:
        problems.append(f"repeated parameters: sdk {dup}, ours {mdup}")
    if exp.get("full_url") is not None:
        if url != exp["full_url"]:
            problems.append(f"url\n      ours: {url}\n      sdk:  {exp['full_url']}")
    else:
        if mine.get("sig") != theirs.get("sig"):
            problems.append(f"sig ours {mine.get('sig')} sdk {theirs.get('sig')}\n      sdk string-to-sign: {sts!r}")
        for k, v in exp["extra_params"].items():
            if mine.get(k) != v:
                problems.append(f"extra parameter {k}: ours {mine.get(k)!r}, want {v!r}")
            mine.pop(k, None)
        if mine != theirs:
            keys = sorted(set(mine) | set(theirs))
            diff = {k: (mine.get(k), theirs.get(k)) for k in keys if mine.get(k) != theirs.get(k)}
            problems.append(f"parameters differ (ours, sdk): {diff}")
        if prefix != exp["client_url"]:
            problems.append(f"url before '?'\n      ours: {prefix}\n      sdk:  {exp['client_url']}")
    want_headers = {k.lower(): v for k, v in exp["headers"].items()}
    if ours.get("headers") != want_headers:
        problems.append(f"headers ours {ours.get('headers')} want {want_headers}")
    if ours.get("expiresAt") != exp["expiresAt"]:
        problems.append(f"expiresAt ours {ours.get('expiresAt')} want {exp['expiresAt']}")
    codes = sorted(w["code"] for w in ours.get("warnings", []))
    if codes != sorted(exp["warnings"]):
        problems.append(f"warnings ours {codes} want {sorted(exp['warnings'])}")
    if ours.get("method") != req.get("method", "GET"):
        problems.append(f"method ours {ours.get('method')}")
    return problems


def main():
    g = Gen(SEED)
    cases = [make_case(g, i) for i in range(N_CASES)]
    print(f"azure-storage-blob {SDK_VERSION}, {PRESIGN}, seed {SEED}")
    results = run_batch([c[0] for c in cases])
    passed = failed = 0
    by_kind = Counter()
    fails_by_kind = Counter()
    shown = 0
    for n, ((req, sdk_token, exp), ours) in enumerate(zip(cases, results)):
        by_kind[exp["kind"]] += 1
        try:
            problems = compare(req, sdk_token, exp, ours)
        except Exception as e:  # an SDK exception is a failed case, not a crash
            problems = [f"SDK raised {type(e).__name__}: {e}"]
        if problems:
            failed += 1
            fails_by_kind[exp["kind"]] += 1
            if shown < SHOW_FAILURES:
                shown += 1
                print(f"--- case {n} ({exp['kind']}) FAILED\n  request: {json.dumps(req, ensure_ascii=False)}")
                for p in problems:
                    print(f"  - {p}")
        else:
            passed += 1
    print("cases by kind:", ", ".join(f"{k} {v} ({fails_by_kind[k]} failed)" for k, v in sorted(by_kind.items())))
    features = Counter()
    for req, _, exp in cases:
        for k in ("snapshot", "versionId", "identifier", "ipRange", "protocol", "encryptionScope",
                  "responseHeaders", "clockSkew", "expiresIn", "startsOn", "query", "requestHeaders",
                  "requestQuery", "delegatedUserObjectId", "correlationId", "agentObjectId",
                  "preauthorizedAgentObjectId"):
            features[k] += k in req
        cred = req.get("credentials", {})
        features["connectionString"] += "connectionString" in cred
        features["signedDelegatedUserTid"] += "signedDelegatedUserTid" in cred.get("userDelegationKey", {})
        blob = req.get("blob", "")
        features["NFD/combining name"] += any(unicodedata.combining(ch) for ch in blob)
        features["emoji name"] += any(ord(ch) > 0xFFFF for ch in blob)
        features["name with + = % ? # &"] += any(ch in blob for ch in "+=%?#&")
    print("features:", ", ".join(f"{k} {v}" for k, v in features.items()))
    keys = [exp["key"] for _, _, exp in cases if "key" in exp]
    if keys:
        backs = Counter(k["back"] for k in keys)
        print(f"user-delegation keys: {len(keys)}; start back-dated by "
              + ", ".join(f"{k} {v}" for k, v in sorted(backs.items()))
              + f"; living more than 7 days {sum(k['life'] > WEEK for k in keys)}"
              + f", longest {max(k['life'] for k in keys) / DAY:.2f} days"
              + f"; expiry exactly 7 days after the request {sum(k['ahead7'] for k in keys)}")
    https_on_http = sum("HTTPS_ONLY_ON_HTTP" in exp["warnings"] for _, _, exp in cases)
    print(f"https-only SAS on an http endpoint (signed, with a warning): {https_on_http}")
    versions = Counter(c[0].get("version", "default") for c in cases)
    print("signed versions:", ", ".join(f"{k} {v}" for k, v in sorted(versions.items())))
    sys.exit(summary(passed, failed, minimum=MIN_CASES))


if __name__ == "__main__":
    main()
