#!/usr/bin/env bash
# Builds (release) and runs the benchmarks; prints every figure and writes BENCHMARKS.md.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
cargo build --release --bin gan
bash scripts/build.sh
node scripts/bench.mjs
