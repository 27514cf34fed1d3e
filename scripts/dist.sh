#!/usr/bin/env bash
# Writes dist/: the static site (index.html, www/, pkg/, assets/, vendor/katex/) with relative paths only,
# for any static host or a course blog's folder. Builds pkg/ first if it is missing.
#   bash scripts/dist.sh [OUT_DIR]
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
out="${1:-dist}"
[ -f pkg/cpu/gan_playground_bg.wasm ] && [ -f pkg/webgpu/gan_playground_bg.wasm ] || bash scripts/build.sh
[ -f node_modules/katex/dist/katex.mjs ] || npm ci --no-audit --no-fund
[ -f assets/mnist.bin ] && [ -f assets/optdigits.bin ] || bash scripts/setup.sh
rm -rf "$out"
mkdir -p "$out/pkg" "$out/vendor/katex"
cp index.html "$out/"
mkdir -p "$out/assets"
cp assets/mnist.bin assets/optdigits.bin assets/classifier.bin "$out/assets/"
cp -r www "$out/"
for b in cpu webgpu; do
  mkdir -p "$out/pkg/$b"
  cp "pkg/$b/gan_playground.js" "pkg/$b/gan_playground_bg.wasm" "$out/pkg/$b/"
done
cp node_modules/katex/dist/katex.mjs node_modules/katex/dist/katex.min.css "$out/vendor/katex/"
cp -r node_modules/katex/dist/fonts "$out/vendor/katex/"
cp node_modules/katex/LICENSE "$out/vendor/katex/"
# Static hosts often skip node_modules/ (GitHub Pages' Jekyll does): KaTeX goes to vendor/.
sed -i 's#node_modules/katex/dist/#vendor/katex/#' "$out/index.html" "$out/www/toy2d/formulas.js"
# <gan-playground> on another origin imports www/embed.js and its modules: they need CORS. Hosts
# that read a _headers file (Netlify, Cloudflare Pages) take it from here; GitHub Pages sends
# the header by itself; others: README, "Embedding from another origin".
printf '/www/*
  Access-Control-Allow-Origin: *
' > "$out/_headers"
if grep -rq 'node_modules' "$out/index.html" "$out/www"; then
  echo "dist: a path into node_modules is left" >&2
  exit 1
fi
log "wrote $out/ ($(du -sh "$out" | cut -f1)): serve it from any static host, e.g. node scripts/lib/serve.mjs --root $out"
