# Shared settings of the project's scripts (sourced, not run).
# One cargo target directory outside the clone, kept across runs (CI too): a clean wasm build
# of burn takes ~9 minutes on 2 cores, an incremental one seconds.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/gan-playground/target}"
export PATH="$HOME/.cargo/bin:$PATH"
WASM_PACK_VERSION=0.15.1
# Must equal the wasm-bindgen version pinned in Cargo.toml.
WASM_BINDGEN_VERSION=0.2.130
# The scikit-learn wheel whose bundled UCI digits become assets/optdigits.bin (scripts/setup.sh).
SKLEARN_VERSION=1.9.1
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log() { printf '\n==> %s\n' "$*"; }
