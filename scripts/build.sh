#!/usr/bin/env bash
# Builds the two wasm builds of the engine into pkg/ (release, the profile the tests share):
#   pkg/cpu     the CPU backends only: what a page without a real GPU downloads
#   pkg/webgpu  adds burn-wgpu with burn's fusion (2.4x faster per step than without, measured on
#               SwiftShader: see BENCHMARKS.md), loaded only where the browser offers a real GPU adapter
# No wasm-opt pass: npm's binaryen -O3 took 4 minutes on pkg/cpu, cut its gzipped size by 6 %
# (0.92 -> 0.86 MB) and did not speed training up measurably; Debian's binaryen is too old
# (its output fails to load).
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
