#!/usr/bin/env bash
# Mode-coverage sweep (issue 4's "find settings that do"): each argument is a JSON object of
# config keys merged over PacGAN's set-up; every one runs `gan train` on seeds 1-5 and prints
# mean modes captured and mean % high quality. Env: DATA=ring|grid, STEPS (5000), SEEDS ("1 2 3 4 5").
#   bash scripts/research/sweep-modes.sh '{}' '{"lrG":1e-4,"lrD":1e-4}'
set -euo pipefail
source "$(dirname "$0")/../env.sh"
cargo build --release --bin gan --quiet
case "${DATA:-ring}" in
  ring) base='"dataset":"ring8","dataScale":1,"dataStd":0.01' ;;
  grid) base='"dataset":"grid25","dataStd":0.05' ;;
  *) echo "DATA must be ring or grid" >&2; exit 2 ;;
esac
for over in "$@"; do
  inner="${over#\{}"; inner="${inner%\}}"
  modes=(); hqs=()
  for seed in ${SEEDS:-1 2 3 4 5}; do
    set_json="{${base},\"seed\":${seed}${inner:+,${inner}}}"
    line=$("$CARGO_TARGET_DIR/release/gan" train --steps "${STEPS:-5000}" --every "${STEPS:-5000}" --set "$set_json" | grep '^final')
    modes+=("$(sed -E 's/.*modes=([0-9]+)\/.*/\1/' <<<"$line")")
    hqs+=("$(sed -E 's/.*hq=([0-9.]+).*/\1/' <<<"$line")")
  done
  awk -v d="${DATA:-ring}" -v s="${STEPS:-5000}" -v o="$over" -v m="${modes[*]}" -v h="${hqs[*]}" 'BEGIN {
    n = split(m, M, " "); split(h, H, " ");
    for (i = 1; i <= n; i++) { sm += M[i]; sh += H[i] }
    printf "%s steps=%s %s  modes %.1f (%s)  hq %.1f (%s)\n", d, s, o, sm / n, m, sh / n, h }'
done
