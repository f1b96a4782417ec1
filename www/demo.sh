#!/usr/bin/env bash
# The main demo: presigned upload and download against a real local S3 server that verifies
# signatures (SeaweedFS, from ../shared/servers). Installs what is missing, starts the server,
# creates a bucket, uploads and downloads a file with a hostile name through presigned URLs from
# the `presign` CLI, shows a tampered URL being refused, prints a download link, and keeps the
# server up until Ctrl-C (or exits at once with --once). Everything it starts, it stops.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${PRESIGN_SHARED:-$(cd "$ROOT/.." && pwd)/shared}"
export SERVERS_PREFIX="${SERVERS_PREFIX:-${TMPDIR:-/tmp}/presign-servers}"
ONCE=0; [ "${1:-}" = "--once" ] && ONCE=1

cd "$ROOT"
echo "building the presign CLI…"
cargo build --release --features cli --quiet
PRESIGN="$ROOT/target/release/presign"

eval "$(bash "$SHARED/servers/s3.sh" start | sed 's/ *#.*//')"
stop() { bash "$SHARED/servers/s3.sh" stop || true; }
trap stop EXIT
trap 'exit 130' INT TERM

export AWS_ACCESS_KEY_ID="$S3_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$S3_SECRET_KEY"
export AWS_REGION=us-east-1 AWS_ENDPOINT_URL="$S3_ENDPOINT"
BUCKET=presign-demo
"$SERVERS_PREFIX/py/venv/bin/python" - "$S3_ENDPOINT" "$BUCKET" <<'PY'
import sys, boto3, botocore.config
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
                  config=botocore.config.Config(s3={"addressing_style": "path"}))
try:
    s3.create_bucket(Bucket=sys.argv[2])
except s3.exceptions.BucketAlreadyOwnedByYou:
    pass
PY

KEY='demo/hello world+ünïcode (1).txt'
BODY="uploaded through a presigned URL at $(date -u +%FT%TZ)"
echo
echo "1. presign a PUT for s3://$BUCKET/$KEY with a signed content-type"
PUT_URL=$("$PRESIGN" "s3://$BUCKET/$KEY" -X PUT -H 'Content-Type: text/plain' --expires 10m 2>/dev/null)
echo "   $PUT_URL"
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: text/plain' --data-binary "$BODY" "$PUT_URL")
echo "   upload with curl -> HTTP $code"

echo "2. presign a GET and download"
GET_URL=$("$PRESIGN" "s3://$BUCKET/$KEY" --expires 1h)
echo "   $(curl -s "$GET_URL")"

echo "3. the same URL with one signature digit changed is refused"
TAMPERED="${GET_URL%?}$( [ "${GET_URL: -1}" = 0 ] && echo 1 || echo 0)"
echo "   -> HTTP $(curl -s -o /dev/null -w '%{http_code}' "$TAMPERED")"

echo
echo "Download link (valid 1 hour): $GET_URL"
if [ "$ONCE" = 1 ]; then exit 0; fi
echo "Server running at $S3_ENDPOINT — press Ctrl-C to stop."
while true; do sleep 3600; done
