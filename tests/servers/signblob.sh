#!/usr/bin/env bash
# A local stand-in for Google's IAM Credentials signBlob (signblob.py) on 127.0.0.1:4450, signing with
# the service-account key files it is given. Google's service cannot run here; see signblob.py for what
# the stand-in proves and what it does not.
#   signblob.sh start|stop|status
# Env: SIGNBLOB_PORT (4450), SIGNBLOB_TOKEN (the bearer token it accepts; a fixed test value),
#      SIGNBLOB_ACCOUNTS (space-separated key files; default: gcs.sh's $SERVERS_PREFIX/gcs/sa.json when it
#      exists, and Google's conformance-test key tests/vectors/gcs/test_service_account.not-a-test.json).
source "$(dirname "$0")/lib.sh"

PORT="${SIGNBLOB_PORT:-4450}"
TOKEN="${SIGNBLOB_TOKEN:-ya29.local-test-access-token}"
VECTORS_KEY="$(cd "$TOOLS_DIR/.." && pwd)/vectors/gcs/test_service_account.not-a-test.json"
DEFAULT_ACCOUNTS="$VECTORS_KEY"
[ -f "$SERVERS_PREFIX/gcs/sa.json" ] && DEFAULT_ACCOUNTS="$SERVERS_PREFIX/gcs/sa.json $DEFAULT_ACCOUNTS"
ACCOUNTS="${SIGNBLOB_ACCOUNTS:-$DEFAULT_ACCOUNTS}"

start() {
  ensure_venv
  local args=() a
  for a in $ACCOUNTS; do args+=(--account "$a"); done
  start_bg "signblob-$PORT" "$SERVERS_LOGS/signblob-$PORT.log" "$VENV/bin/python" "$TOOLS_DIR/signblob.py" \
    --listen "127.0.0.1:$PORT" --token "$TOKEN" "${args[@]}"
  wait_http "http://127.0.0.1:$PORT/_health" 30
  echo "SIGNBLOB_ENDPOINT=http://127.0.0.1:$PORT   # IAM Credentials stand-in (signBlob only)"
  echo "SIGNBLOB_TOKEN=$TOKEN"
  echo "SIGNBLOB_ACCOUNTS=${ACCOUNTS// /,}"
}

stop() { stop_pid "signblob-$PORT"; }

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) is_running "signblob-$PORT" && echo "running on 127.0.0.1:$PORT" || { echo stopped; exit 1; } ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
