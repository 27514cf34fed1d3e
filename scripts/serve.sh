#!/usr/bin/env bash
# Sets everything up on a fresh machine, builds the engine and serves the playground on
# http://127.0.0.1:${PORT:-8080}/ until Ctrl-C.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/build.sh
log "serving"
exec node scripts/lib/serve.mjs --port "${PORT:-8080}"
