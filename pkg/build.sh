#!/usr/bin/env bash
# Builds the npm package's wasm and glue into pkg/dist (build output, not committed):
#   dist/presign_wasm_bg.wasm + presign_wasm.js      ESM glue (web target: node, deno, workerd, browsers)
#   dist/cjs/presign_wasm_bg.wasm + presign_wasm.js  CommonJS glue (nodejs target) for require()
#   dist/api.cjs                                     api.js as CommonJS (generated, same code)
# Installs what it needs, idempotently: the wasm32 target, wasm-bindgen-cli of exactly the version
# Cargo.toml pins, binaryen's wasm-opt from npm (into $SERVERS_PREFIX).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export SERVERS_PREFIX="${SERVERS_PREFIX:-${TMPDIR:-/tmp}/presign-servers}"
export PATH="$HOME/.cargo/bin:$PATH"
WB_VERSION="$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p' Cargo.toml)"
BINARYEN_VERSION=132.0.0
FEATURES="${PRESIGN_WASM_FEATURES:-s3,azure,gcs}"
log() { printf '%s\n' "$*" >&2; }

rustup target list --installed | grep -q '^wasm32-unknown-unknown$' || rustup target add wasm32-unknown-unknown
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WB_VERSION\$"; then
  log "installing wasm-bindgen-cli $WB_VERSION (several minutes on 2 cores)"
  # not --locked: its lockfile pins a yanked webpki-roots
  cargo install wasm-bindgen-cli --version "=$WB_VERSION" --quiet
fi
WASM_OPT="$SERVERS_PREFIX/binaryen/node_modules/.bin/wasm-opt"
if [ ! -x "$WASM_OPT" ]; then
  mkdir -p "$SERVERS_PREFIX/binaryen"
  (cd "$SERVERS_PREFIX/binaryen" && { [ -f package.json ] || npm init -y >/dev/null; } &&
    npm install --no-fund --no-audit --loglevel=error "binaryen@$BINARYEN_VERSION" >/dev/null)
fi

# Two flavors: the default package (presign, presignMany, presignAsync, presignPost(Async),
# corsRules) and `presign/verify`, which adds the URL verifier (a server-side need, ~20 KB gzip
# that browsers should not ship).
OUT="pkg/dist"
rm -rf "$OUT"
build_flavor() { # FEATURES DIR
  local features="$1" dir="$2"
  cargo build --lib --profile wasm --target wasm32-unknown-unknown --no-default-features \
    --features "wasm,$features" --quiet
  local raw="target/wasm32-unknown-unknown/wasm/presign.wasm"
  mkdir -p "$dir/cjs"
  wasm-bindgen "$raw" --target web --out-dir "$dir" --out-name presign_wasm --no-typescript
  wasm-bindgen "$raw" --target nodejs --out-dir "$dir/cjs" --out-name presign_wasm --no-typescript
  for f in "$dir/presign_wasm_bg.wasm" "$dir/cjs/presign_wasm_bg.wasm"; do
    "$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals "$f" -o "$f.opt" && mv "$f.opt" "$f"
  done
  echo '{"type": "commonjs"}' >"$dir/cjs/package.json"
}
build_flavor "$FEATURES" "$OUT"
build_flavor "$FEATURES,verify" "$OUT/verify"


# api.js as CommonJS for require(): the same file with its two exports rewritten.
sed -e 's/^export class /class /' -e 's/^export function /function /' pkg/api.js >"$OUT/api.cjs"
echo 'module.exports = { PresignError, makeApi };' >>"$OUT/api.cjs"
grep -q '^export' "$OUT/api.cjs" && { log "api.cjs still has an export"; exit 1; }
log "built $OUT ($(stat -c %s "$OUT/presign_wasm_bg.wasm") bytes of wasm)"
