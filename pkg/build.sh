#!/usr/bin/env bash
# Builds the npm package into pkg/dist (build output, not committed), one folder per entry of
# pkg/entries.mjs (main = `presign`, s3, azure, gcs, post, cors, verify), each with its own wasm:
#   dist/<entry>/web/presign_<entry>{_bg.wasm,.js}     browsers: the size build (profile wasm)
#   dist/<entry>/server/presign_<entry>{_bg.wasm,.js}  node ESM, deno, workerd: the speed build
#                                                    (profile wasm-speed, opt-level 3, wasm SIMD)
#   dist/<entry>/server/cjs/…                        the speed build's CommonJS glue for require()
#   dist/<entry>/{index,node,deno,workerd}.js, node.cjs, index.d.ts   entry files, generated
#   dist/api.cjs                                     api.js as CommonJS (generated, same code)
#   pkg/LICENSE-MIT, pkg/LICENSE-APACHE              copies of the repository's licences (git-ignored)
# Each wasm holds only its entry's cargo features. Browsers download the wasm, so they get the
# smallest; server runtimes load it from disk and sign in bulk, so they get the fastest (measured
# by benches/npm.mjs; sizes by pkg/size.mjs). PRESIGN_ENTRIES="main s3" builds only those.
# Installs what it needs, idempotently: the wasm32 target, wasm-bindgen-cli of exactly the version
# Cargo.toml pins, binaryen's wasm-opt from npm (into $SERVERS_PREFIX, version in
# tests/servers/versions.env).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export SERVERS_PREFIX="${SERVERS_PREFIX:-${TMPDIR:-/tmp}/presign-servers}"
export PATH="$HOME/.cargo/bin:$PATH"
WB_VERSION="$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p' Cargo.toml)"
log() { printf '%s\n' "$*" >&2; }

rustup target list --installed | grep -q '^wasm32-unknown-unknown$' || rustup target add wasm32-unknown-unknown
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WB_VERSION\$"; then
  log "installing wasm-bindgen-cli $WB_VERSION (several minutes on 2 cores)"
  # not --locked: its lockfile pins a yanked webpki-roots
  cargo install wasm-bindgen-cli --version "=$WB_VERSION" --quiet
fi
source "$ROOT/tests/servers/lib.sh"   # ensure_npm, and the pinned BINARYEN_VERSION (tests/servers/versions.env)
ensure_npm "$SERVERS_PREFIX/binaryen" "binaryen@$BINARYEN_VERSION"
WASM_OPT="$SERVERS_PREFIX/binaryen/node_modules/.bin/wasm-opt"

OUT="pkg/dist"
# A partial build (PRESIGN_ENTRIES) replaces only its entries: the others keep what an earlier build
# made (the generated entry files below point at every entry, so wiping them would leave those
# pointing at nothing — which is how a test that builds one entry broke the next that needs another).
if [ -n "${PRESIGN_ENTRIES:-}" ]; then
  for e in $PRESIGN_ENTRIES; do rm -rf "${OUT:?}/$e"; done
else
  rm -rf "$OUT"
fi
# The speed build also uses wasm SIMD (sha2's simd128 backend: ~12% faster per URL, measured with
# benches/npm.mjs), which every server runtime has; the browser build stays without it for older
# Safari. RUSTFLAGS differ, so it has its own target dir (both stay cached).
SPEED_TARGET_DIR="${CARGO_TARGET_DIR:-target}/wasm-simd"
# The panic locations in the wasm name the crates' source files: without the path of this
# machine's cargo registry (it would put the builder's home folder in the package, and it costs
# bytes), e.g. `hmac-0.13.0/src/utils.rs`.
REMAP=""
for d in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  if [ -d "$d" ]; then REMAP="$REMAP --remap-path-prefix=$d="; fi
done
build_flavor() { # FEATURES PROFILE DIR NAME [cjs]
  # NAME: presign_<entry>, distinct per entry so that a bundler which copies the .wasm files
  # without rewriting their URLs (esbuild) can put several entries' files in one folder.
  local features="$1" profile="$2" dir="$3" name="$4" cjs="${5:-}"
  # Size build: wasm-opt without its inlining (smaller after gzip, though larger raw) and with a
  # control-flow rewrite between two -Oz runs: 2.1 KB gzip less than a plain -Oz, measured.
  # Dropping the producers and target_features sections (tool names and versions, no code) saves
  # bytes too. Not -iit (--ignore-implicit-traps): it lets wasm-opt move a load ahead of the check
  # that guards it, and a browser build of presign/s3 trapped ("memory access out of bounds") on a
  # reserved header that way; without it the same build answered INVALID_HEADER.
  # It also uses sha2's compact SHA-256 (a loop instead of 64 unrolled rounds) and the
  # `wasm-small-alloc` allocator, and `terse-errors` (messages keep the code and the member path,
  # not the sentence); each was measured (commit messages, node pkg/size.mjs).
  # The second control-flow rewrite and the merging of similar functions after it: 40 to 290
  # bytes less per entry (gzip -9 of the wasm; presign/post +8).
  local target_dir="${CARGO_TARGET_DIR:-target}" simd=() rustflags='--cfg sha2_backend_soft="compact"'
  local extra=",wasm-small-alloc,terse-errors"
  local passes=(--no-inline='*' -Oz --converge --flatten --rereloop -Oz --flatten --rereloop -Oz
    --merge-similar-functions -Oz --strip-producers --strip-target-features)
  if [ "$profile" = wasm-speed ]; then
    target_dir="$SPEED_TARGET_DIR" passes=(-O3) simd=(--enable-simd) rustflags="-C target-feature=+simd128" extra=""
  fi
  RUSTFLAGS="$rustflags$REMAP" CARGO_TARGET_DIR="$target_dir" \
    cargo build --lib --profile "$profile" --target wasm32-unknown-unknown --no-default-features \
    --features "wasm,$features$extra" --quiet
  local raw="$target_dir/wasm32-unknown-unknown/$profile/presign.wasm"
  local outs=("$dir/${name}_bg.wasm")
  wasm-bindgen "$raw" --target web --out-dir "$dir" --out-name "$name" --no-typescript
  if [ -n "$cjs" ]; then
    mkdir -p "$dir/cjs"
    wasm-bindgen "$raw" --target nodejs --out-dir "$dir/cjs" --out-name "$name" --no-typescript
    echo '{"type": "commonjs"}' >"$dir/cjs/package.json"
    outs+=("$dir/cjs/${name}_bg.wasm")
  fi
  for f in "${outs[@]}"; do
    "$WASM_OPT" "${passes[@]}" "${simd[@]}" --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals "$f" -o "$f.opt" && mv "$f.opt" "$f"
  done
}
while read -r entry features web_features; do
  if [ -n "${PRESIGN_ENTRIES:-}" ] && [[ " $PRESIGN_ENTRIES " != *" $entry "* ]]; then continue; fi
  build_flavor "$web_features" wasm "$OUT/$entry/web" "presign_$entry"
  build_flavor "$features" wasm-speed "$OUT/$entry/server" "presign_$entry" cjs
done < <(node pkg/entries.mjs --list)
node pkg/entries.mjs --generate "$OUT"

# api.js as CommonJS for require(): the same file with its exports rewritten.
sed -e 's/^export class /class /' -e 's/^export function /function /' pkg/api.js >"$OUT/api.cjs"
echo "module.exports = { $(sed -n 's/^export \(class\|function\) \([A-Za-z0-9_]*\).*/\2/p' pkg/api.js | paste -sd, | sed 's/,/, /g') };" >>"$OUT/api.cjs"
grep -q '^export' "$OUT/api.cjs" && { log "api.cjs still has an export"; exit 1; }
# The licences ship in the package too (package.json "files"); copies, git-ignored.
cp LICENSE-MIT LICENSE-APACHE pkg/
log "built $OUT: $(cd "$OUT" && ls -d */ | tr -d / | paste -sd " ")"
