# Helpers for the local test servers (tests/servers/*.sh) and the tool installs of the demo and the
# tests. Source it; don't run it.
# Everything binds 127.0.0.1 and lives under $SERVERS_PREFIX (default ${TMPDIR:-/tmp}/presign-servers).
set -euo pipefail

export SERVERS_PREFIX="${SERVERS_PREFIX:-${TMPDIR:-/tmp}/presign-servers}"
SERVERS_DATA="${SERVERS_DATA:-$SERVERS_PREFIX/data}"
SERVERS_RUN="${SERVERS_RUN:-$SERVERS_PREFIX/run}"
SERVERS_LOGS="${SERVERS_LOGS:-$SERVERS_PREFIX/logs}"
VENV="${VENV:-$SERVERS_PREFIX/py/venv}"
TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$SERVERS_DATA" "$SERVERS_RUN" "$SERVERS_LOGS"

# Pinned versions: one file, also read by pkg/build.sh and the JS tests. A variable already set in
# the environment wins (to try another version).
while IFS='=' read -r _k _v; do
  [[ "$_k" =~ ^[A-Z0-9_]+$ ]] || continue
  [ -n "${!_k:-}" ] || printf -v "$_k" %s "$_v"
done <"$TOOLS_DIR/versions.env"
unset _k _v
PY_PACKAGES=(
  "azure-storage-blob==$PY_AZURE_STORAGE_BLOB" "boto3==$PY_BOTO3" "requests"
  "google-cloud-storage==$PY_GOOGLE_CLOUD_STORAGE" "cryptography"
  "azure-identity==$PY_AZURE_IDENTITY" "msal==$PY_MSAL"
  "azure-storage-extensions==$PY_AZURE_STORAGE_EXTENSIONS"
)

log() { printf '%s\n' "$*" >&2; }

# ensure_venv [extra pip specs...]: python venv with the client SDKs used by the checks
ensure_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
  fi
  local missing=()
  # one interpreter start for all names (pip show per package costs ~1 s each)
  mapfile -t missing < <("$VENV/bin/python" -c '
import re, sys
from importlib.metadata import version, PackageNotFoundError
for spec in sys.argv[1:]:
    name, _, want = spec.partition("==")
    name = re.split(r"[<>\[]", name)[0]
    try:
        if want and version(name) != want:
            print(spec)
    except PackageNotFoundError:
        print(spec)
' "${PY_PACKAGES[@]}" "$@")
  if [ "${#missing[@]}" -gt 0 ]; then
    log "pip install ${missing[*]}"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "${missing[@]}"
  fi
}

# ensure_npm DIR PKG@VERSION: install an npm package into its own folder (no global installs); a
# different installed version is replaced
ensure_npm() {
  local dir="$1" spec="$2" name="${2%@*}" want="${2##*@}" have=""
  [ -f "$dir/node_modules/$name/package.json" ] &&
    have=$(node -p "require('$dir/node_modules/$name/package.json').version" 2>/dev/null || true)
  if [ "$have" != "$want" ]; then
    mkdir -p "$dir"
    [ -f "$dir/package.json" ] || (cd "$dir" && npm init -y >/dev/null 2>&1)
    log "npm install $spec into $dir"
    (cd "$dir" && npm install --no-fund --no-audit --loglevel=error "$spec" >/dev/null)
  fi
}

# wait_http URL [SECONDS]: wait until something answers HTTP at URL (any status); bounded
wait_http() {
  local url="$1" secs="${2:-30}" i
  for ((i = 0; i < secs * 10; i++)); do
    local code
    code=$(curl -sk -o /dev/null -m 2 -w '%{http_code}' "$url" 2>/dev/null || true)
    if [ -n "$code" ] && [ "$code" != "000" ]; then return 0; fi
    sleep 0.1
  done
  log "timed out after ${secs}s waiting for $url"
  return 1
}

# start_bg NAME LOGFILE CMD...: start CMD detached, record its real PID in $SERVERS_RUN/NAME.pid
start_bg() {
  local name="$1" logf="$2"; shift 2
  if is_running "$name"; then
    log "$name already running (pid $(cat "$SERVERS_RUN/$name.pid"))"
    return 0
  fi
  # `exec` so that $! is the server itself, not a wrapper subshell
  (exec setsid "$@" >"$logf" 2>&1 </dev/null) &
  echo $! >"$SERVERS_RUN/$name.pid"
}

is_running() {
  local f="$SERVERS_RUN/$1.pid"
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null
}

# stop_pid NAME: TERM the recorded PID, wait up to 10 s, then KILL
stop_pid() {
  local f="$SERVERS_RUN/$1.pid" pid i
  [ -f "$f" ] || { log "$1: not started by these scripts"; return 0; }
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    log "$1 stopped (pid $pid)"
  fi
  rm -f "$f"
}
