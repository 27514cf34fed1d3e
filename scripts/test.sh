#!/usr/bin/env bash
# Runs every test: formatting and lints, the native engine tests, the wasm tests in headless
# Chromium (CPU and WebGPU backends), and the end-to-end browser tests of the served page.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh

log "cargo fmt --check"
cargo fmt --check
log "cargo clippy (native, and wasm with WebGPU)"
cargo clippy --release --all-targets -- -D warnings
cargo clippy --release --target wasm32-unknown-unknown --features webgpu,fusion --lib -- -D warnings

log "native tests"
cargo test --release

log "wasm tests in headless Chromium (wasm-pack test --headless --chrome)"
# WebGPU here is SwiftShader (software): the runner's default 20 s budget is too short.
WASM_BINDGEN_TEST_TIMEOUT=600 wasm-pack test --headless --chrome --release -- --features webgpu,fusion

bash scripts/build.sh
log "end-to-end browser tests"
node --test tests/e2e/
