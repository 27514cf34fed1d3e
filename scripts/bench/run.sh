#!/usr/bin/env bash
# Builds (release) and runs the benchmarks; prints every figure and writes BENCHMARKS.md.
set -euo pipefail
source "$(dirname "$0")/../env.sh"
cd "$ROOT"
bash scripts/setup.sh
cargo build --release --bin gan --bin images
bash scripts/build.sh
# The WebGPU build once more without burn's fusion, for the fusion on/off row (BENCH_FUSION=0
# skips it: a first build takes ~20 minutes here). The page never loads it; the benchmark swaps it in.
if [ "${BENCH_FUSION:-1}" = 1 ]; then
  log "building pkg/webgpu-nofusion (benchmark only)"
  wasm-pack build --release --target web --out-dir pkg/webgpu-nofusion --no-typescript --no-pack -- --features webgpu
fi
node scripts/bench/page2d.mjs
# Mode coverage (its own section; native, ~35 minutes).
node scripts/bench/modes.mjs
# The conditional switch against mode collapse: on and off, seeds 1-5, natively and in the page
# beside its twin (its own section; ~8 minutes).
node scripts/bench/modes-conditional.mjs
# The image GANs (its own section of BENCHMARKS.md; ~10 minutes, 5 of them the in-page budget).
node scripts/bench/images.mjs
# Responsiveness, saved runs and memory (its own section; ~3 minutes).
node scripts/bench/robust.mjs
# The frame loop: page ready, step and round, longest task, messages per frame (~3 minutes).
node scripts/bench/frames.mjs
# Hostile run files (fuzz counts) and refused big files (~2 minutes).
node scripts/bench/hostile.mjs
# The evaluation lab: figures of the 5-minute DCGAN beside baselines, FID/KID bias, Parzen, the
# time to evaluate 2,000 samples (its own section; ~8 minutes, 5 of them training).
node scripts/bench/eval.mjs
# The conditional GANs: ACGAN, cGAN and the unconditional DCGAN, 5 minutes each in the page, the
# digit asked for, FID and Parzen (its own section; ~20 minutes).
node scripts/bench/conditional.mjs
# The semi-supervised GAN: 100 labels in the page for 5 minutes, seeds 1-3, then 10 to 300 labels
# natively (its own section; ~30 minutes).
node scripts/bench/semi.mjs
# CycleGAN: 10 minutes in the page with the cycle loss on and off, measured natively, then the
# same two natively for 6,000 rounds (its own section; ~40 minutes).
node scripts/bench/cycle.mjs
# StackGAN: a round of each stage timed in the page, 10 minutes of Train in the page, measured
# natively, then the same rounds natively (its own section; ~20 minutes).
node scripts/bench/stack.mjs
# Every lab on every backend: natively on one core, in the page on the CPU and on WebGPU, Play
# against step(n), ready times, downloads (its own section; ~6 minutes).
node scripts/bench/labs.mjs
