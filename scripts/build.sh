#!/usr/bin/env bash
# Builds the two wasm builds of the engine into pkg/ (release, the profile the tests share):
#   pkg/cpu     the CPU backends only: what a page without a real GPU downloads
#   pkg/webgpu  adds burn-wgpu with burn's fusion (faster per step than without: docs/decisions.md),
#               loaded only where the browser offers a real GPU adapter
# No wasm-opt pass: it took minutes, saved little and did not speed training up; Debian's binaryen
# is too old (its output fails to load). Figures in docs/decisions.md.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

build() {
  local name=$1; shift
  log "building pkg/$name"
  wasm-pack build --release --target web --out-dir "pkg/$name" --no-typescript --no-pack "$@"
  local wasm="pkg/$name/gan_playground_bg.wasm"
  printf '%s: %s bytes, %s gzipped\n' "$wasm" "$(wc -c <"$wasm")" "$(gzip -9 -c "$wasm" | wc -c)"
}

build cpu
build webgpu -- --features webgpu,fusion
