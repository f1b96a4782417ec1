"""Live test: Azure SAS URLs from the `presign` CLI against Azurite, Microsoft's Azure Storage
emulator, which verifies SAS signatures (tests/servers/azurite.sh; what it checks:
tests/servers/README.md). Starts Azurite unless it already runs, and then stops it at the end.

Every URL comes from one `presign batch` call per step ($PRESIGN_BIN, default
target/release/presign), with the credentials in both forms: the connection string
`UseDevelopmentStorage=true` and an explicit account + endpoint + `accountKey`.

Positive: PUT (with exactly the returned headers, i.e. x-ms-blob-type) then GET / HEAD / DELETE for
hostile blob names, the stored name checked with azure-storage-blob (an independent client);
listing with a container SAS; an account SAS GET and service listing; response overrides; a
snapshot SAS; user-delegation SAS at sv 2020-12-06 and 2025-07-05 (Azurite derives the delegation
key from the SAS fields and a constant of its own, so the key is made offline, as in
tests/servers/checks/azurite_check.py); user-delegation keys whose start is back-dated by an
hour, 3 days or 7 days with an expiry 7 days ahead (keys of up to 14 days, issue 16), the SAS's
st/se inside the key's validity; a SAS outliving its key (se after ske) while the key is in force.
Negative, each right after a control that works: a tampered sig, a changed sp, another blob, a
wrong key, an expired SAS, a SAS not yet valid (st in the future), a read-only SAS used for PUT
(service SAS and both user-delegation versions); a container SAS without `l` used to list; an
account SAS with a tampered sig; a PUT without the returned x-ms-blob-type header; a key that
starts in 10 minutes; a SAS outliving its key once the key has expired (Azurite does not compare
se with ske: it checks each against its clock); an spr=https SAS (signed with a
HTTPS_ONLY_ON_HTTP warning) used over http.

Run:  /tmp/presign-servers/py/venv/bin/python tests/azure_live_azurite.py
Prints one line per check and ends with "N passed, M failed"; exit status 1 on any failure.
Idempotent: it removes its container before and after the run. If an Azurite was already
running on 127.0.0.1:10000 it is used and left running (this test stops only what it started).
"""

import base64
import datetime as dt
import hashlib
import hmac
import sys
import urllib.parse
import xml.etree.ElementTree as ET

from harness import (check, iso, query_param, replace_param, require_presign, send, server, sign, summary,
                     tamper_param, utc_now)
from harness import AZURITE_ACCOUNT as ACC, AZURITE_KEY as KEY, AZURITE_WRONG_KEY as WRONG_KEY
from harness import AZURITE_OID as OID, AZURITE_TID as TID, AZURITE_UDK_BASIC as UDK_BASIC

PORT = "10000"  # UseDevelopmentStorage=true means exactly 127.0.0.1:10000

ENDPOINT = f"http://127.0.0.1:{PORT}"
EP = f"{ENDPOINT}/{ACC}"
CONTAINER = "presign-live-azure"

HOSTILE_NAMES = [
    "plain.txt",
    "with space.txt",
    "plus+sign=equals.txt",
    "percent%20literal%.txt",
    "question?mark.txt",
    "hash#tag.txt",
    "amp&semi;colon:at@.txt",
    "sub-delims!*'()$,.txt",
    "tilde~and_under-score.txt",
    "folder/sub folder/file.txt",
    "unicode-caf\u00e9-nfc.txt",
    "unicode-cafe\u0301-nfd.txt",
    "emoji-\U0001F600.txt",
    "\u65e5\u672c\u8a9e/\u30d5\u30a1\u30a4\u30eb.txt",
    "brackets[]{}<>|^`.txt",
    "double//slash.txt",
]



# --- signing through the CLI -------------------------------------------------------------------


def creds(form):
    """The two credential forms: the development connection string, or account + key."""
    if form == "cs":
        return {"credentials": {"connectionString": "UseDevelopmentStorage=true"}}
    return {"account": ACC, "endpoint": ENDPOINT, "credentials": {"accountKey": KEY}}


def req(method, blob, form="cs", **extra):
    r = {"provider": "azure", "method": method, "container": CONTAINER}
    if blob is not None:
        r["blob"] = blob
    r.update(creds(form))
    r.update(extra)
    return r


def udk(skv, value=None, start=None, expiry=None):
    """A user-delegation key as Azurite derives it from the SAS's skoid/sktid/skt/ske/skv
    (default: from 30 minutes ago to an hour from now)."""
    skt = iso(start or utc_now() - dt.timedelta(minutes=30))
    ske = iso(expiry or utc_now() + dt.timedelta(hours=1))
    msg = "\n".join([OID, TID, skt, ske, "b", skv]).encode()
    derived = base64.b64encode(hmac.new(UDK_BASIC.encode(), msg, hashlib.sha256).digest()).decode()
    return {
        "signedOid": OID,
        "signedTid": TID,
        "signedStart": skt,
        "signedExpiry": ske,
        "signedService": "b",
        "signedVersion": skv,
        "value": value or derived,
    }


def ud_req(method, blob, sv, key=None, **extra):
    r = {
        "provider": "azure",
        "method": method,
        "account": ACC,
        "endpoint": ENDPOINT,
        "container": CONTAINER,
        "blob": blob,
        "version": sv,
        "credentials": {"userDelegationKey": key or udk("2025-07-05")},
    }
    r.update(extra)
    return r


# --- HTTP: exactly the URL we were given -------------------------------------------------------


def status(st, h):
    return f"{st} {h.get('x-ms-error-code', '')}".strip()


def param(url, name):
    """The decoded value of query parameter `name` ("" when absent)."""
    return query_param(url, name, decoded=True)


def main():
    require_presign()
    from azure.storage.blob import BlobServiceClient

    with server("azurite", {"AZURITE_PORT": PORT}):
        svc = None
        try:
            svc = BlobServiceClient.from_connection_string(
                f"DefaultEndpointsProtocol=http;AccountName={ACC};AccountKey={KEY};BlobEndpoint={EP};",
                api_version="2025-11-05",
            )
            remove_container(svc)
            svc.create_container(CONTAINER)
            run(svc.get_container_client(CONTAINER))
        except Exception as e:  # a crash is a failure, not a silent stop
            check("the test ran to the end", False, f"{type(e).__name__}: {e}")
        finally:
            if svc is not None:
                try:
                    remove_container(svc)
                except Exception as e:
                    print(f"cleanup: could not delete container {CONTAINER}: {e}")
    return summary()


def remove_container(svc):
    from azure.core.exceptions import ResourceNotFoundError

    try:
        svc.delete_container(CONTAINER)
    except ResourceNotFoundError:
        pass


def run(cc):
    hostile_names(cc)
    missing_blob_type()
    container_sas(cc)
    account_sas(cc)
    overrides_and_snapshot(cc)
    service_sas_refusals(cc)
    for sv in ("2020-12-06", "2025-07-05"):
        user_delegation(cc, sv)
    key_lifetimes(cc)
    https_only_on_http(cc)


def hostile_names(cc):
    print("== hostile blob names: PUT / GET / HEAD / DELETE (signing forms alternate)")
    for i, name in enumerate(HOSTILE_NAMES):
        a, b = ("cs", "key") if i % 2 == 0 else ("key", "cs")
        body = f"body of {name!r}".encode()
        put, get, head, delete = sign(
            [req("PUT", name, a), req("GET", name, b), req("HEAD", name, a), req("DELETE", name, b)]
        )
        check(
            f"PUT {name!r}: returned headers are x-ms-blob-type only",
            put["headers"] == {"x-ms-blob-type": "BlockBlob"},
            put["headers"],
        )
        st, h, data = send("PUT", put["url"], put["headers"], body)
        check(f"PUT {name!r} ({a})", st == 201, f"{status(st, h)} {data[:300]!r}")
        listed = [x.name for x in cc.list_blobs(name_starts_with=name[:1])]
        check(f"stored under the exact name {name!r}", name in listed, f"listed {listed}")
        st, h, data = send("GET", get["url"])
        check(f"GET {name!r} ({b})", st == 200 and data == body, f"{status(st, h)} {data[:300]!r}")
        st, h, _ = send("HEAD", head["url"])
        check(f"HEAD {name!r} ({a})", st == 200 and h.get("content-length") == str(len(body)), f"{st} {h}")
        st, h, data = send("DELETE", delete["url"])
        check(f"DELETE {name!r} ({b})", st == 202, f"{status(st, h)} {data[:300]!r}")
        st, h, _ = send("GET", get["url"])
        check(f"GET after DELETE {name!r} is 404", st == 404, status(st, h))
    # The two forms sign the same thing: same URL for the same instant.
    at = iso(utc_now())
    x, y = sign([req("GET", "a b+c.txt", "cs", signedAt=at), req("GET", "a b+c.txt", "key", signedAt=at)])
    check("UseDevelopmentStorage=true and account+key forms give the same URL", x["url"] == y["url"], f"{x} {y}")


def missing_blob_type():
    print("== the returned x-ms-blob-type header is needed")
    (put,) = sign([req("PUT", "blob type.txt", "key")])
    st, h, _ = send("PUT", put["url"], put["headers"], b"x")
    check("control: PUT with the returned headers works", st == 201, status(st, h))
    st, h, _ = send("PUT", put["url"], {}, b"x")
    check("PUT without x-ms-blob-type refused (400)", st == 400, status(st, h))


def container_sas(cc):
    print("== container SAS: list")
    names = ["list/a b.txt", "list/c+d=e.txt", "list/caf\u00e9.txt", "list/cafe\u0301.txt", "list/\U0001F600/x.txt"]
    for n in names:
        cc.upload_blob(n, b"listed", overwrite=True)
    q = {"restype": "container", "comp": "list", "prefix": "list/"}
    rl, r_only, put_c = sign(
        [
            req("GET", None, "cs", resource="container", permissions="rl", query=q),
            req("GET", None, "key", resource="container", permissions="r", query=q),
            req("PUT", "list/by container sas.txt", "key", resource="container", permissions="cw"),
        ]
    )
    st, h, data = send("GET", rl["url"])
    got = sorted(e.text for e in ET.fromstring(data).iter("Name")) if st == 200 else []
    check(
        "container SAS (rl) lists the blobs under their exact names",
        st == 200 and got == sorted(names),
        f"{status(st, h)} {got}",
    )
    st, h, _ = send("GET", r_only["url"])
    check("container SAS without l refused for listing", st == 403, status(st, h))
    st, h, _ = send("PUT", put_c["url"], put_c["headers"], b"c")
    check("container SAS (cw) used for a blob PUT", st == 201, status(st, h))


def account_sas(cc):
    print("== account SAS")
    cc.upload_blob("account/a b.txt", b"account", overwrite=True)
    get, other_type, svc_list, put = sign(
        [
            req("GET", "account/a b.txt", "cs", sas="account", services="b", resourceTypes="o", permissions="r"),
            req("GET", "account/a b.txt", "key", sas="account", services="b", resourceTypes="c", permissions="r"),
            req("GET", None, "key", sas="account", services="b", resourceTypes="s", permissions="l",
                container=None, query={"comp": "list"}),
            req("PUT", "account/new.txt", "key", sas="account", services="b", resourceTypes="o", permissions="cw"),
        ]
    )
    st, h, data = send("GET", get["url"])
    check("account SAS GET", st == 200 and data == b"account", status(st, h))
    st, h, _ = send("GET", tamper_param(get["url"], "sig"))
    check("account SAS with a tampered sig refused", st == 403, status(st, h))
    st, h, _ = send("GET", other_type["url"])
    check("account SAS for containers (srt=c) refused for a blob GET", st == 403, status(st, h))
    st, h, data = send("GET", svc_list["url"])
    listed = [e.text for e in ET.fromstring(data).iter("Name")] if st == 200 else []
    check("account SAS (srt=s, sp=l) lists containers", st == 200 and CONTAINER in listed, f"{status(st, h)} {listed}")
    st, h, _ = send("PUT", put["url"], put["headers"], b"new")
    check("account SAS PUT", st == 201, status(st, h))


def overrides_and_snapshot(cc):
    print("== response overrides, snapshot SAS")
    name = "report 2026.pdf"
    cc.upload_blob(name, b"%PDF-1", overwrite=True)
    # ASCII with quotes, spaces, ';', '*' and '%' (RFC 6266/5987 form): HTTP header values are
    # bytes, and Azurite (node) cannot send non-latin-1 text back (non-ASCII rscd values are
    # covered at the signature level by tests/azure_py_diff.py and tests/azure_js_diff.mjs).
    disposition = "attachment; filename=\"resume 2026.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%202026.pdf"
    (get,) = sign(
        [req("GET", name, "key", responseHeaders={"contentDisposition": disposition, "contentType": "application/pdf"})]
    )
    st, h, _ = send("GET", get["url"])
    got = h.get("content-disposition", "")
    check(
        "GET with rscd/rsct: the service answers with the signed overrides",
        st == 200 and h.get("content-type") == "application/pdf" and got == disposition,
        f"{status(st, h)} {h.get('content-type')} {got!r}",
    )
    snap = cc.get_blob_client(name).create_snapshot()["snapshot"]
    cc.upload_blob(name, b"%PDF-2", overwrite=True)
    (sget,) = sign([req("GET", name, "cs", snapshot=snap)])
    st, h, data = send("GET", sget["url"])
    check(
        "snapshot SAS (sr=bs) reads the snapshot, not the current blob",
        st == 200 and data == b"%PDF-1" and param(sget["url"], "sr") == "bs",
        f"{status(st, h)} {data[:50]!r}",
    )


def refusals(label, cc, make, target, other):
    """The seven refusals, each right after a control that works. `make(method, blob, **extra)`
    returns one request; `target` and `other` exist with known content."""
    t = utc_now()
    good, rw, other_own, wrong_key, expired, started, future, writer, read_only = sign(
        [
            make("GET", target, permissions="r"),
            make("GET", target, permissions="r"),
            make("GET", other, permissions="r"),
            make("GET", target, permissions="r", wrong_key=True),
            make("GET", target, permissions="r", signedAt=iso(t - dt.timedelta(minutes=10)), expiresIn=60),
            make("GET", target, permissions="r", startsOn=iso(t - dt.timedelta(minutes=5))),
            make("GET", target, permissions="r", startsOn=iso(t + dt.timedelta(minutes=10)),
                 expiresOn=iso(t + dt.timedelta(minutes=20))),
            make("PUT", target, permissions="cw"),
            make("PUT", target, permissions="r"),
        ]
    )
    want = cc.download_blob(target).readall()
    pairs = [
        ("tampered sig", good["url"], tamper_param(good["url"], "sig")),
        ("sp changed from r to rw", good["url"], replace_param(good["url"], "sp", "rw")),
        ("SAS for another blob", other_own["url"], good["url"].replace(*url_path_swap(good["url"], target, other))),
        ("signed with a wrong key", good["url"], wrong_key["url"]),
        ("expired (se 9 minutes ago)", good["url"], expired["url"]),
        ("not yet valid (st in 10 minutes)", started["url"], future["url"]),
    ]
    for what, control, refused in pairs:
        st, h, data = send("GET", control)
        check(f"{label}: control for '{what}' works", st == 200 and len(data) > 0, status(st, h))
        st, h, _ = send("GET", refused)
        check(f"{label}: {what} refused", st == 403, status(st, h))
    st, h, _ = send("PUT", writer["url"], writer["headers"], want)
    check(f"{label}: control: a write SAS PUT works", st == 201, status(st, h))
    st, h, _ = send("PUT", read_only["url"], read_only["headers"], b"overwritten")
    check(f"{label}: read-only SAS used for PUT refused", st == 403, status(st, h))
    check(f"{label}: the refused PUT left the blob as it was", cc.download_blob(target).readall() == want)


def url_path_swap(url, target, other):
    """The (old, new) URL path pieces that point a URL for `target` at `other`."""
    quote = lambda n: urllib.parse.quote(n, safe="/~")  # noqa: E731 — the same bytes our URL has
    old = f"/{CONTAINER}/{quote(target)}?"
    assert old in url, url
    return old, f"/{CONTAINER}/{quote(other)}?"


def service_sas_refusals(cc):
    print("== service SAS (account key): refusals next to controls")
    target, other = "guarded/target file.txt", "guarded/other file.txt"
    cc.upload_blob(target, b"target content", overwrite=True)
    cc.upload_blob(other, b"other content", overwrite=True)

    def make(method, blob, wrong_key=False, **extra):
        form = "key" if wrong_key or method == "PUT" else "cs"
        r = req(method, blob, form, **extra)
        if wrong_key:
            r["credentials"] = {"accountKey": WRONG_KEY}
        return r

    refusals("service SAS", cc, make, target, other)


def user_delegation(cc, sv):
    print(f"== user-delegation SAS, sv {sv} (key derived offline)")
    name = f"ud/{sv} caf\u00e9+1.txt"
    put, get = sign([ud_req("PUT", name, sv), ud_req("GET", name, sv)])
    check(f"UD {sv}: the URL carries sv={sv} and the key fields", param(put["url"], "sv") == sv
          and param(put["url"], "skoid") == OID and param(put["url"], "sks") == "b", put["url"])
    st, h, _ = send("PUT", put["url"], put["headers"], b"delegated")
    check(f"UD {sv}: PUT", st == 201, status(st, h))
    st, h, data = send("GET", get["url"])
    check(f"UD {sv}: GET", st == 200 and data == b"delegated", status(st, h))
    other = f"ud/{sv} other.txt"
    cc.upload_blob(other, b"other", overwrite=True)
    skv = "2025-07-05"
    wrong = udk(skv, value=base64.b64encode(b"x" * 32).decode())

    def make(method, blob, wrong_key=False, **extra):
        return ud_req(method, blob, sv, key=wrong if wrong_key else udk(skv), **extra)

    refusals(f"UD {sv}", cc, make, name, other)



def key_lifetimes(cc):
    """Issue 16: keys whose start was back-dated (clients ask for one an hour or days before the
    request to absorb clock skew) with an expiry 7 days after the request live more than 7 days;
    Azure issues them and the SAS they sign works. Beside them, what Azurite refuses of a key's
    validity: a key that has not started yet, and a SAS used after its key expired."""
    print("== user-delegation keys: back-dated starts, 7-day expiries (issue 16)")
    name = "ud/lifetimes caf\u00e9.txt"
    t = utc_now()
    week = dt.timedelta(days=7)
    keys = [
        ("start 1 h back, expiry 7 days ahead", t - dt.timedelta(hours=1), t + week),
        ("start 3 days back, expiry 7 days ahead", t - dt.timedelta(days=3), t + week),
        ("start 7 days back, expiry 7 days ahead (14 days)", t - week, t + week),
    ]
    for what, kstart, kexp in keys:
        key = udk("2025-07-05", start=kstart, expiry=kexp)
        # st inside the key's validity (after its start, before now), se inside it too.
        st_at = iso(kstart + (t - kstart) / 2)
        put, get = sign([
            ud_req("PUT", name, "2025-07-05", key=key, startsOn=st_at, expiresOn=iso(t + dt.timedelta(hours=2))),
            ud_req("GET", name, "2025-07-05", key=key, startsOn=st_at, expiresOn=iso(kexp)),
        ])
        check(f"UD key {what}: signed without a warning, skt/ske as given",
              not put.get("warnings") and not get.get("warnings")
              and param(get["url"], "skt") == key["signedStart"] and param(get["url"], "ske") == key["signedExpiry"],
              f"{put.get('warnings')} {get['url']}")
        body = f"delegated, {what}".encode()
        st, h, _ = send("PUT", put["url"], put["headers"], body)
        check(f"UD key {what}: PUT", st == 201, status(st, h))
        st, h, data = send("GET", get["url"])
        check(f"UD key {what}: GET", st == 200 and data == body, status(st, h))

    # A key that starts in 10 minutes: signed (a key Azure issues), refused until it starts.
    later = udk("2025-07-05", start=t + dt.timedelta(minutes=10), expiry=t + week)
    (early,) = sign([ud_req("GET", name, "2025-07-05", key=later, expiresIn=3600)])
    st, h, _ = send("GET", early["url"])
    check("UD key starting in 10 minutes: the SAS is refused before the key starts", st == 403, status(st, h))

    # A SAS outliving its key (se after ske): signed with CREDENTIALS_EXPIRE_FIRST. Azure and
    # Azurite take it while the key is in force (Azurite compares neither se nor st with the
    # key's times, only each with its clock), and refuse it once the key has expired.
    living = udk("2025-07-05", start=t - dt.timedelta(hours=3), expiry=t + dt.timedelta(hours=1))
    ended = udk("2025-07-05", start=t - dt.timedelta(hours=3), expiry=t - dt.timedelta(seconds=30))
    signed_at = iso(t - dt.timedelta(hours=2))
    ok, late = sign([
        ud_req("GET", name, "2025-07-05", key=living, signedAt=signed_at, expiresOn=iso(t + dt.timedelta(hours=5))),
        ud_req("GET", name, "2025-07-05", key=ended, signedAt=signed_at, expiresOn=iso(t + dt.timedelta(hours=5))),
    ])
    codes = [w["code"] for w in ok.get("warnings", [])] + [w["code"] for w in late.get("warnings", [])]
    check("UD SAS outliving its key: signed with CREDENTIALS_EXPIRE_FIRST", codes == ["CREDENTIALS_EXPIRE_FIRST"] * 2, codes)
    st, h, _ = send("GET", ok["url"])
    check("UD SAS outliving its key: works while the key is in force", st == 200, status(st, h))
    st, h, _ = send("GET", late["url"])
    check("UD SAS outliving its key: refused once the key has expired", st == 403, status(st, h))


def https_only_on_http(cc):
    """Issue 16: protocol https for an http endpoint is signed (the token is the account's, valid
    over https) with a warning that Azure refuses it over http — as Azurite does."""
    print("== protocol https with an http endpoint (issue 16)")
    name = "https only.txt"
    cc.upload_blob(name, b"https only", overwrite=True)
    only, both = sign([req("GET", name, "key", protocol="https"), req("GET", name, "key", protocol="https,http")])
    codes = [w["code"] for w in only.get("warnings", [])]
    check("spr=https on http: signed with HTTPS_ONLY_ON_HTTP", codes == ["HTTPS_ONLY_ON_HTTP"]
          and param(only["url"], "spr") == "https", f"{codes} {only['url']}")
    st, h, _ = send("GET", both["url"])
    check("control: spr=https,http works over http", st == 200 and not both.get("warnings"), status(st, h))
    st, h, _ = send("GET", only["url"])
    check("spr=https refused over http, as the warning says", st == 403, status(st, h))


if __name__ == "__main__":
    sys.exit(main())
