#!/usr/bin/env bash
# The server stack checks itself with URLs made by the official SDKs, not by presign: Azurite must
# accept azure-storage-blob's SAS URLs and refuse tampered ones (checks/azurite_check.py), and the GCS
# verifying proxy must accept google-cloud-storage's V4 URLs and refuse tampered, expired and wrongly
# signed ones (checks/gcs_proxy_check.py). A server that accepts everything would make every live test
# pass; these keep that honest. Starts the servers it needs unless they run, stops what it started.
#   bash tests/servers/selfcheck.sh        ends with "N passed, M failed"
source "$(dirname "$0")/lib.sh"
ensure_venv
started=()
is_running azurite-10000 || { bash "$TOOLS_DIR/azurite.sh" start >/dev/null; started+=(azurite); }
is_running gcs-proxy-4444 || { bash "$TOOLS_DIR/gcs.sh" start >/dev/null; started+=(gcs); }
trap 'for s in "${started[@]}"; do bash "$TOOLS_DIR/$s.sh" stop; done' EXIT
p=0 f=0
for c in azurite_check.py gcs_proxy_check.py; do
  echo "== $c"
  out=$("$VENV/bin/python" "$TOOLS_DIR/checks/$c" 2>&1) || true
  printf '%s\n' "$out"
  line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -1)
  if [ -z "$line" ]; then f=$((f + 1)); echo "FAIL $c printed no summary"; continue; fi
  p=$((p + ${line%% passed*})); f=$((f + $(echo "$line" | sed 's/.*passed, \([0-9]*\) failed/\1/')))
done
echo "$p passed, $f failed"
[ "$f" -eq 0 ] && [ "$p" -gt 0 ]
