#!/usr/bin/env bash
# The main demo: direct browser uploads to Azure (Azurite), S3 (SeaweedFS) and GCS (fake-gcs-server
# behind a signature-checking proxy) through presigned URLs from an edge-worker signer (workerd +
# the presign npm package). One command on a fresh Debian 12 machine, after `git clone`:
#
#   bash www/demo.sh            installs what is missing, starts the three storage servers (from
#                               tests/servers), creates the bucket/container, generates the CORS
#                               rules with `presign cors` and applies them, starts the signer, which
#                               also serves the page, and prints the URL to open. Ctrl-C stops
#                               everything it started (servers already running are left running).
#   bash www/demo.sh --once     the same, then a check without a browser (sign, upload, download and a
#                               tampered URL through each provider with curl; an upload in parts of
#                               11 MiB through /api/upload/* with node's fetch, resumed from the list
#                               step, downloaded and compared), then stops everything.
#   bash www/demo.sh --no-cors  start without applying CORS rules (to see the page's CORS message).
#
# Env: DEMO_PORT (8790), SERVERS_PREFIX (/tmp/presign-servers; where servers and tools are installed),
#      PRESIGN_BIN (a prebuilt CLI; default: cargo build --release --features cli),
#      SKIP_S3=1 / SKIP_AZURE=1 / SKIP_GCS=1 to leave a provider out.
# The signer (www/worker/) only signs for an authenticated caller: the demo makes an HS256 secret for
# this run and turns on its demo-only token endpoint (POST /api/demo-token, DEMO_TOKENS), which the
# page uses; the demo user's keys are under "uploads/" (DEMO_USER_PREFIX).
# When everything is up it prints "DEMO_URL=http://127.0.0.1:PORT/" (the tests wait for that line).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SERVERS="$ROOT/tests/servers"
export SERVERS_PREFIX="${SERVERS_PREFIX:-${TMPDIR:-/tmp}/presign-servers}"
PORT="${DEMO_PORT:-8790}"
ORIGIN="http://127.0.0.1:$PORT"
ONCE=0 CORS=1
for a in "$@"; do
  case "$a" in
    --once) ONCE=1 ;;
    --no-cors) CORS=0 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "unknown option $a (try --help)" >&2; exit 2 ;;
  esac
done
say() { printf '%s\n' "$*" >&2; }

# --- what is missing ------------------------------------------------------------------------
need_apt=()
command -v node >/dev/null || need_apt+=(nodejs npm)
command -v curl >/dev/null || need_apt+=(curl)
command -v bc >/dev/null || need_apt+=(bc)
python3 -c 'import ensurepip' 2>/dev/null || need_apt+=(python3-venv)
if [ "${#need_apt[@]}" -gt 0 ]; then
  say "apt-get install ${need_apt[*]}"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
command -v cargo >/dev/null || { say "cargo is needed (https://rustup.rs)"; exit 1; }

source "$SERVERS/lib.sh"   # ensure_venv, ensure_npm, is_running, start_bg, stop_pid, wait_http
RUN="$SERVERS_PREFIX/demo-$PORT"
mkdir -p "$RUN"
STARTED=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "presign-demo-worker-$PORT" 2>/dev/null || true
  local i
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do bash "$SERVERS/${STARTED[$i]}.sh" stop || true; done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$ROOT"
if [ -z "${PRESIGN_BIN:-}" ]; then
  say "building the presign CLI (cargo build --release --features cli)…"
  cargo build --release --features cli --quiet
  PRESIGN_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/presign"
fi
if ! ls pkg/dist/main/server/presign_main_bg.wasm pkg/dist/post/server/presign_post_bg.wasm \
  pkg/dist/cors/server/presign_cors_bg.wasm pkg/dist/multipart/server/presign_multipart_bg.wasm \
  pkg/dist/upload/web/presign_upload_bg.wasm >/dev/null 2>&1; then
  say "building the npm package (bash pkg/build.sh)…"
  bash pkg/build.sh
fi
ensure_venv
ensure_npm "$SERVERS_PREFIX/workerd" "workerd@$WORKERD_VERSION"
WORKERD="$SERVERS_PREFIX/workerd/node_modules/@cloudflare/workerd-linux-64/bin/workerd"
PY="$VENV/bin/python"

# --- storage servers --------------------------------------------------------------------------
# start NAME PIDNAME: start a server script unless it already runs; its KEY=value lines go to $RUN/NAME.env
start_server() {
  local name="$1" pidname="$2"
  if is_running "$pidname"; then
    say "$name: already running, reused (not stopped at the end)"
    [ -s "$RUN/$name.env" ] || bash "$SERVERS/$name.sh" start >"$RUN/$name.env"
  else
    STARTED+=("$name")
    bash "$SERVERS/$name.sh" start >"$RUN/$name.env"
  fi
  # KEY=value lines, values taken literally (a connection string holds ';'), "   # comment" dropped
  local k v
  while IFS='=' read -r k v; do
    [[ "$k" =~ ^[A-Z0-9_]+$ ]] || continue
    v="${v%%  #*}"; v="${v%"${v##*[! ]}"}"
    export "$k=$v"
  done <"$RUN/$name.env"
}
PROVIDERS=()
if [ "${SKIP_AZURE:-0}" != 1 ]; then start_server azurite azurite-10000; PROVIDERS+=(azure); fi
if [ "${SKIP_S3:-0}" != 1 ]; then start_server s3 seaweedfs-8333; PROVIDERS+=(s3); fi
if [ "${SKIP_GCS:-0}" != 1 ]; then start_server gcs gcs-proxy-4444; PROVIDERS+=(gcs); fi
"$PY" "$ROOT/www/storage.py" setup >&2

# --- CORS rules, generated from the requests the signer makes ---------------------------------
# The same request shapes as www/worker/worker.js signs (upload: PUT with the signed headers;
# download: GET), signed by the CLI, then `presign cors` derives the rule from the results.
BUCKET="${DEMO_BUCKET:-presign-demo}"
MAX_BYTES="${MAX_BYTES:-10485760}"
export AWS_ACCESS_KEY_ID="${S3_ACCESS_KEY:-}" AWS_SECRET_ACCESS_KEY="${S3_SECRET_KEY:-}" AWS_REGION=us-east-1
export AZURE_STORAGE_CONNECTION_STRING="${AZURITE_CONNECTION_STRING:-}" GOOGLE_APPLICATION_CREDENTIALS="${GCS_SERVICE_ACCOUNT_JSON:-}"
sample_requests() {
  case "$1" in
    s3) printf '%s\n' \
      "{\"provider\":\"s3\",\"method\":\"PUT\",\"bucket\":\"$BUCKET\",\"key\":\"uploads/a.png\",\"endpoint\":\"$S3_ENDPOINT\",\"urlStyle\":\"path\",\"headers\":{\"content-type\":\"image/png\",\"content-length\":\"1\"}}" \
      "{\"provider\":\"s3\",\"method\":\"GET\",\"bucket\":\"$BUCKET\",\"key\":\"uploads/a.png\",\"endpoint\":\"$S3_ENDPOINT\",\"urlStyle\":\"path\",\"query\":{\"response-content-disposition\":\"attachment\"}}" ;;
    azure) printf '%s\n' \
      "{\"provider\":\"azure\",\"method\":\"PUT\",\"container\":\"$BUCKET\",\"blob\":\"uploads/a.png\"}" \
      "{\"provider\":\"azure\",\"method\":\"GET\",\"container\":\"$BUCKET\",\"blob\":\"uploads/a.png\"}" ;;
    gcs) printf '%s\n' \
      "{\"provider\":\"gcs\",\"method\":\"PUT\",\"bucket\":\"$BUCKET\",\"object\":\"uploads/a.png\",\"endpoint\":\"$GCS_ENDPOINT\",\"urlStyle\":\"path\",\"headers\":{\"content-type\":\"image/png\",\"x-goog-content-length-range\":\"0,$MAX_BYTES\"}}" \
      "{\"provider\":\"gcs\",\"method\":\"GET\",\"bucket\":\"$BUCKET\",\"object\":\"uploads/a.png\",\"endpoint\":\"$GCS_ENDPOINT\",\"urlStyle\":\"path\"}" ;;
  esac
}
# An upload in parts, as the worker signs it for the page (www/worker/worker.js multipartSamples): create,
# a part with its checksum header (CRC-32C for S3 and GCS, Content-MD5 for Azure), complete, list, abort (S3, GCS).
sample_multipart() {
  local base
  case "$1" in
    s3) base="\"provider\":\"s3\",\"bucket\":\"$BUCKET\",\"key\":\"uploads/a.bin\",\"endpoint\":\"$S3_ENDPOINT\",\"urlStyle\":\"path\",\"checksum\":\"crc32c\"" ;;
    azure) base="\"provider\":\"azure\",\"container\":\"$BUCKET\",\"blob\":\"uploads/a.bin\",\"checksum\":\"md5\"" ;;
    gcs) base="\"provider\":\"gcs\",\"bucket\":\"$BUCKET\",\"object\":\"uploads/a.bin\",\"endpoint\":\"$GCS_ENDPOINT\",\"urlStyle\":\"path\",\"checksum\":\"crc32c\"" ;;
  esac
  base="$base,\"size\":6291456,\"partSize\":5242880,\"contentType\":\"application/octet-stream\""
  local digest=',"digest":"AAAAAA=="'
  if [ "$1" = azure ]; then digest=',"digest":"AAAAAAAAAAAAAAAAAAAAAA=="'; fi
  [ "$1" != azure ] && echo "{$base,\"step\":\"create\"}"
  echo "{$base,\"uploadId\":\"ID\",\"step\":\"part\",\"partNumber\":1$digest}"
  echo "{$base,\"uploadId\":\"ID\",\"step\":\"complete\",\"parts\":[{\"partNumber\":1,\"etag\":\"\\\"e\\\"\"$digest},{\"partNumber\":2,\"etag\":\"\\\"e\\\"\"$digest}]}"
  echo "{$base,\"uploadId\":\"ID\",\"step\":\"list\"}"
  [ "$1" != azure ] && echo "{$base,\"uploadId\":\"ID\",\"step\":\"abort\"}"
  return 0
}
for p in "${PROVIDERS[@]}"; do
  ext=json; [ "$p" = azure ] && ext=xml
  {
    sample_requests "$p" | "$PRESIGN_BIN" batch
    # browser form uploads (a POST policy, S3 and GCS) post multipart/form-data to the bucket URL
    if [ "$p" != azure ]; then echo '{"method":"POST"}'; fi
    sample_multipart "$p" | "$PRESIGN_BIN" upload-plan --json-request
  } | "$PRESIGN_BIN" cors "$p" --origin "$ORIGIN" --stdin >"$RUN/cors-$p.$ext"
  if [ "$CORS" = 1 ]; then
    "$PY" "$ROOT/www/storage.py" cors-on "$p" "$RUN/cors-$p.$ext" >&2
  else
    "$PY" "$ROOT/www/storage.py" cors-off "$p" >&2
  fi
  say "CORS rule for $p ($RUN/cors-$p.$ext):"
  sed 's/^/    /' "$RUN/cors-$p.$ext" >&2
done

# --- the signer (workerd), which also serves the page -----------------------------------------
for p in "${PROVIDERS[@]}"; do
  case "$p" in
    s3) export S3_ACCESS_KEY_ID="$S3_ACCESS_KEY" S3_SECRET_ACCESS_KEY="$S3_SECRET_KEY" S3_REGION=us-east-1 S3_BUCKET="$BUCKET" ;;
    azure) export AZURE_CONNECTION_STRING="$AZURITE_CONNECTION_STRING" AZURE_CONTAINER="$BUCKET" ;;
    # GCS form uploads go to fake-gcs-server itself: the verifying proxy refuses any request without
    # X-Goog-Signature in its query (a form carries it in the body), and neither checks POST policies —
    # GCS form uploads here show the flow works, not that the policy's signature is right.
    gcs) export GCS_SERVICE_ACCOUNT="$(cat "$GCS_SERVICE_ACCOUNT_JSON")" GCS_BUCKET="$BUCKET"
        export GCS_FORM_ENDPOINT="${GCS_EMULATOR_ENDPOINT%% *}" ;;
  esac
done
[ "${SKIP_S3:-0}" = 1 ] && unset S3_ENDPOINT
[ "${SKIP_GCS:-0}" = 1 ] && unset GCS_ENDPOINT
export MAX_BYTES
# Who may sign: the demo's worker accepts HS256 tokens under a secret made for this run only, and hands
# them out for its demo user at POST /api/demo-token (DEMO_TOKENS: the wrangler template has no such
# endpoint). The demo user's keys live under "uploads/" (a deployment has "users/{sub}/", one prefix
# per user; the browser tests sign keys under "uploads/").
JWT_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export JWT_SECRET DEMO_TOKENS=1 DEMO_SUB=demo USER_PREFIX="${DEMO_USER_PREFIX:-uploads/}"
node "$ROOT/www/worker/make-config.mjs" "$RUN/worker" "$PORT" >/dev/null
start_bg "presign-demo-worker-$PORT" "$SERVERS_LOGS/presign-demo-worker-$PORT.log" "$WORKERD" serve "$RUN/worker/config.capnp"
wait_http "$ORIGIN/api/config" 30 || { cat "$SERVERS_LOGS/presign-demo-worker-$PORT.log" >&2; exit 1; }

if [ "$ONCE" = 1 ]; then
  # The page's steps without a browser: sign through the worker, PUT, GET, tampered GET.
  ok=0 bad=0
  check() { if [ "$2" = "$3" ]; then ok=$((ok + 1)); say "  ok   $1"; else bad=$((bad + 1)); say "  FAIL $1: got $2, want $3"; fi; }
  json_field() { "$PY" -c 'import json,sys; v=json.load(sys.stdin)
for k in sys.argv[1:]: v=v[k]
print(v)' "$@"; }
  TOKEN=$(curl -s -X POST "$ORIGIN/api/demo-token" | json_field token)
  AUTH="authorization: Bearer $TOKEN"
  PFX=$(curl -s -H "$AUTH" "$ORIGIN/api/config" | json_field prefix)
  check "the signer refuses a request without a token (401)" \
    "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'content-type: application/json' --data-binary '{}' "$ORIGIN/api/sign")" 401
  check "the signer refuses a token signed with another secret (401)" \
    "$(curl -s -o /dev/null -w '%{http_code}' -H "authorization: Bearer ${TOKEN%.*}.AAAA" "$ORIGIN/api/config")" 401
  KEY="${PFX}demo once+ünï (1).txt"
  BODY="uploaded through the demo signer at $(date -u +%FT%TZ)"
  for p in "${PROVIDERS[@]}"; do
    sign() { curl -s -X POST -H "$AUTH" -H 'content-type: application/json' --data-binary "$1" "$ORIGIN/api/sign"; }
    put=$(sign "$(printf '{"provider":"%s","op":"upload","key":"%s","contentType":"text/plain","size":%d}' "$p" "$KEY" "${#BODY}")")
    url=$(printf '%s' "$put" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["url"])')
    hdrs=()
    while IFS= read -r h; do [ -n "$h" ] && hdrs+=(-H "$h"); done < <(printf '%s' "$put" | "$PY" -c '
import json, sys
for k, v in json.load(sys.stdin)["headers"].items():
    if k != "content-length": print(f"{k}: {v}")')
    [ "$p" = azure ] && hdrs+=(-H 'content-type: text/plain')
    code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT "${hdrs[@]}" --data-binary "$BODY" "$url")
    check "$p: PUT through a URL from the signer" "${code:0:1}" 2
    get=$(sign "$(printf '{"provider":"%s","op":"download","key":"%s"}' "$p" "$KEY")")
    url=$(printf '%s' "$get" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["url"])')
    check "$p: GET returns the uploaded bytes" "$(curl -s "$url")" "$BODY"
    bad_url=$(printf '%s' "$url" | "$PY" -c '
import re, sys  # the first character of the signature changed to another digit: a different value in hex
# (which servers may read in either case: "a" -> "A" would change nothing) and in base64
print(re.sub(r"([?&](?:X-Amz-Signature|X-Goog-Signature|sig)=)(.)", lambda m: m[1] + ("1" if m[2] == "0" else "0"), sys.stdin.read(), count=1))')
    check "$p: tampered URL refused with 403" "$(curl -s -o /dev/null -w '%{http_code}' "$bad_url")" 403
    refused=$(sign "$(printf '{"provider":"%s","op":"upload","key":"elsewhere/x.txt","contentType":"text/plain","size":1}' "$p")")
    check "$p: signer refuses a key outside the prefix" "$(printf '%s' "$refused" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["error"]["code"])')" KEY_PREFIX
    refused=$(sign "$(printf '{"provider":"%s","op":"download","key":"%s../x.txt"}' "$p" "$PFX")")
    check "$p: signer refuses a key leaving the prefix with ../" "$(printf '%s' "$refused" | json_field error code)" BAD_KEY
    # the rule the page shows (corsRules in the worker) is the rule applied above (presign cors)
    ext=json; [ "$p" = azure ] && ext=xml
    check "$p: the worker's corsRules equals \`presign cors\`" \
      "$(curl -s -H "$AUTH" "$ORIGIN/api/cors?provider=$p" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["rule"])')" "$(cat "$RUN/cors-$p.$ext")"
    # a form upload under the worker's POST policy (presignPostAsync): fields in order, the file last.
    # S3: SeaweedFS checks the policy's signature and conditions. GCS: the form goes to fake-gcs-server,
    # which checks nothing — this shows the flow works, it is not a signature check.
    FKEY="${PFX}demo once form+ünï (1).txt"
    form=$(curl -s -X POST -H "$AUTH" -H 'content-type: application/json' --data-binary \
      "$(printf '{"provider":"%s","key":"%s","contentType":"text/plain","size":%d}' "$p" "$FKEY" "${#BODY}")" "$ORIGIN/api/form")
    if [ "$p" = azure ]; then
      check "azure: the worker answers a form request with the library's UNSUPPORTED" \
        "$(printf '%s' "$form" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["error"]["code"])')" UNSUPPORTED
      continue
    fi
    fargs=()
    while IFS= read -r -d '' f; do fargs+=(--form-string "$f"); done < <(printf '%s' "$form" | "$PY" -c '
import json, sys
for n, v in json.load(sys.stdin)["fields"]: sys.stdout.write(f"{n}={v}\0")')
    furl=$(printf '%s' "$form" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["url"])')
    printf '%s' "$BODY" >"$RUN/form-body.txt"
    code=$(curl -s -o /dev/null -w '%{http_code}' "${fargs[@]}" -F "file=@$RUN/form-body.txt;type=text/plain" "$furl")
    check "$p: form upload (POST policy from the worker)" "${code:0:1}" 2
    get=$(sign "$(printf '{"provider":"%s","op":"download","key":"%s"}' "$p" "$FKEY")")
    url=$(printf '%s' "$get" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["url"])')
    check "$p: GET returns the bytes of the form upload" "$(curl -s "$url")" "$BODY"
  done
  # An upload in parts through the worker (/api/upload/*), as the page does it, with node's fetch:
  # 11 MiB in parts of 5 MiB (each part's checksum as the page sends it, /api/config partChecksums:
  # CRC-32C for S3 and GCS, MD5 for Azure, computed by presign/multipart's Hasher),
  # parts 1 and 3, then the list step (as after a reload), part 2, complete, download, SHA-256 compared.
  # GCS: the verifying proxy emulates the XML API multipart upload (fake-gcs-server has none).
  while read -r status name; do
    case "$status" in
      ok) ok=$((ok + 1)); say "  ok   $name" ;;
      FAIL) bad=$((bad + 1)); say "  FAIL $name" ;;
      *) say "  $status $name" ;;
    esac
  done < <(ORIGIN="$ORIGIN" TOKEN="$TOKEN" PFX="$PFX" PROVIDERS="${PROVIDERS[*]}" \
    HASHER="$ROOT/pkg/dist/multipart/node.js" node --input-type=module - <<'NODE'
const { ORIGIN, TOKEN, PFX, PROVIDERS, HASHER } = process.env;
const { Hasher } = await import(HASHER);
const { createHash, randomBytes } = await import("node:crypto");
const MiB = 1 << 20;
const out = (ok, name) => console.log(`${ok ? "ok" : "FAIL"} ${name}`);
const api = async (path, body) => (await fetch(ORIGIN + path, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(body) })).json();
const send = (s, body) => fetch(s.url, { method: s.method, headers: s.headers, body });
const { partChecksums } = await (await fetch(ORIGIN + "/api/config", { headers: { authorization: `Bearer ${TOKEN}` } })).json();
for (const provider of PROVIDERS.split(" ")) {
  try {
    const bytes = randomBytes(11 * MiB + 5);
    const up = { provider, key: `${PFX}demo once parts ünï.bin`, contentType: "application/octet-stream", size: bytes.length, partSize: 5 * MiB };
    if (partChecksums[provider]) up.checksum = partChecksums[provider];
    const plan = await api("/api/upload/start", up);
    const part = (n) => bytes.subarray((n - 1) * up.partSize, Math.min(n * up.partSize, bytes.length));
    if (plan.create) {
      const c = await send(plan.create);
      up.uploadId = (await api("/api/upload/answer", { provider, step: "create", status: c.status, body: await c.text() })).uploadId;
    }
    const etags = {};
    const sendParts = async (numbers) => {
      const digests = up.checksum ? numbers.map((n) => new Hasher(up.checksum).update(part(n)).digest()) : undefined;
      const { parts } = await api("/api/upload/parts", { ...up, partNumbers: numbers, digests });
      for (const [i, s] of parts.entries()) {
        const r = await send(s, part(numbers[i]));
        if (!r.ok) throw new Error(`part ${numbers[i]}: HTTP ${r.status} ${await r.text()}`);
        etags[numbers[i]] = r.headers.get("etag") || "";
      }
    };
    await sendParts([1, 3]);
    const list = await api("/api/upload/list", up);
    const l = await send(list);
    const listed = await api("/api/upload/answer", { provider, step: "list", status: l.status, body: await l.text() });
    out(JSON.stringify((listed.parts || []).map((p) => p.partNumber).sort()) === "[1,3]", `${provider}: upload in parts: the list step names the 2 parts sent before the "reload"`);
    await sendParts([2]);
    const parts = [1, 2, 3].map((n) => ({ partNumber: n, etag: etags[n], ...(up.checksum ? { digest: new Hasher(up.checksum).update(part(n)).digest() } : {}) }));
    const done = await api("/api/upload/complete", { ...up, parts });
    const d = await send(done, new TextEncoder().encode(done.body));
    const verdict = await api("/api/upload/answer", { provider, step: "complete", status: d.status, body: await d.text() });
    out(verdict.ok === true, `${provider}: upload in parts completed (${JSON.stringify(verdict).slice(0, 200)})`);
    const get = await api("/api/sign", { provider, op: "download", key: up.key });
    const g = Buffer.from(await (await fetch(get.url)).arrayBuffer());
    const sha = (b) => createHash("sha256").update(b).digest("hex");
    out(sha(g) === sha(bytes), `${provider}: the object of 3 parts downloads with the SHA-256 of the bytes sent`);
  } catch (e) {
    out(false, `${provider}: upload in parts: ${e.message}`);
  }
}
NODE
  )
  say "$ok passed, $bad failed"
  [ "$bad" = 0 ]
  exit
fi

echo
echo "Open the demo: $ORIGIN/   (signer + page: workerd pid $(cat "$SERVERS_RUN/presign-demo-worker-$PORT.pid"); Ctrl-C stops everything it started)"
echo "DEMO_URL=$ORIGIN/"
while true; do sleep 3600 & wait $! || true; done
