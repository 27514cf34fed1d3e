#!/usr/bin/env bash
# Builds the two wasm builds of the engine into pkg/ (release, the profile the tests share):
#   pkg/cpu     the CPU backends only: what a page without a real GPU downloads
#   pkg/webgpu  adds burn-wgpu, loaded only where the browser offers a real GPU adapter
# then shrinks each with a current wasm-opt (npm's binaryen; Debian's is too old).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

build() {
  local name=$1; shift
  log "building pkg/$name"
  wasm-pack build --release --target web --out-dir "pkg/$name" --no-typescript --no-pack "$@"
  local wasm="pkg/$name/gan_playground_bg.wasm"
  if [ -x node_modules/.bin/wasm-opt ]; then
    node_modules/.bin/wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$wasm" -o "$wasm.opt" && mv "$wasm.opt" "$wasm"
  fi
  printf '%s: %s bytes, %s gzipped\n' "$wasm" "$(wc -c <"$wasm")" "$(gzip -9 -c "$wasm" | wc -c)"
}

build cpu
build webgpu -- --features webgpu
