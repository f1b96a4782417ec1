#!/usr/bin/env bash
# AWS STS and Cognito Identity stand-in for the credential-exchange tests: moto's server (`moto_server`,
# PyPI moto[server]) on 127.0.0.1. It answers AssumeRoleWithWebIdentity, GetId and
# GetCredentialsForIdentity with random temporary credentials and AWS's error documents; it does not
# verify web-identity tokens or signatures.
#   moto.sh start|stop|status|install
# Env: MOTO_PORT (5055).
source "$(dirname "$0")/lib.sh"

PORT="${MOTO_PORT:-5055}"
NAME="moto-$PORT"

install() { ensure_venv "moto[server]==$PY_MOTO"; }

start() {
  install
  start_bg "$NAME" "$SERVERS_LOGS/$NAME.log" "$VENV/bin/moto_server" -H 127.0.0.1 -p "$PORT"
  wait_http "http://127.0.0.1:$PORT/moto-api/" 60
  log "moto ready (pid $(cat "$SERVERS_RUN/$NAME.pid"), log $SERVERS_LOGS/$NAME.log)"
  echo "MOTO_ENDPOINT=http://127.0.0.1:$PORT"
}

case "${1:-start}" in
  install) install ;;
  start) start ;;
  stop) stop_pid "$NAME" ;;
  status) if is_running "$NAME"; then echo "running pid $(cat "$SERVERS_RUN/$NAME.pid") on 127.0.0.1:$PORT"; else echo stopped; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status|install" >&2; exit 2 ;;
esac
