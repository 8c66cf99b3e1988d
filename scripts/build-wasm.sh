#!/usr/bin/env bash
# Builds the release wasm and its JS glue into pkg/ (the npm package's core).
set -euo pipefail
cd "$(dirname "$0")/.."

# The binding crate (wasm/) is the cdylib; the core is linked into it.
scripts/wasm-cargo.sh build --release -p jwtguard-wasm
# The name section (function names, ~350 KB raw) is for profilers, not for users.
wasm-bindgen --target web --remove-name-section --remove-producers-section \
  --out-dir pkg --out-name jwtguard target-wasm/wasm32-unknown-unknown/release/jwtguard_wasm.wasm
# The codes, messages, policy members and limits the JS layer shares with the core.
node scripts/core-facts.mjs
# The package ships its own declarations (js/index.d.ts); wasm-bindgen's
# (pkg/jwtguard.d.ts) stay for `make lint`'s type check and are not shipped.
rm -f pkg/jwtguard_bg.wasm.d.ts pkg/package.json pkg/.gitignore
echo "pkg/jwtguard_bg.wasm: $(wc -c < pkg/jwtguard_bg.wasm) bytes, $(gzip -9c pkg/jwtguard_bg.wasm | wc -c) gzipped"
