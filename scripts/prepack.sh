#!/usr/bin/env bash
# npm's prepack: the tarball must hold the release wasm and its glue. Builds
# them (scripts/build-wasm.sh) when they are missing or older than the Rust
# sources, and fails with what to do when that cannot be done.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILT=(pkg/jwtguard.js pkg/jwtguard_bg.wasm pkg/facts.js)
stale=""
for file in "${BUILT[@]}"; do
  [ -f "$file" ] || stale="$file is missing"
done
if [ -z "$stale" ]; then
  newer=$(find src wasm/src Cargo.toml Cargo.lock wasm/Cargo.toml scripts/build-wasm.sh scripts/core-facts.mjs \
    -newer pkg/jwtguard_bg.wasm -type f -print -quit)
  [ -z "$newer" ] || stale="$newer is newer than pkg/jwtguard_bg.wasm"
fi
if [ -n "$stale" ]; then
  echo "prepack: building the wasm ($stale)" >&2
  if ! bash scripts/build-wasm.sh >&2; then
    echo "prepack: the release wasm could not be built, and the package cannot ship without it." >&2
    echo "prepack: run 'make build' (it installs the Rust toolchain and wasm-bindgen), then pack again." >&2
    exit 1
  fi
fi
for file in "${BUILT[@]}"; do
  [ -s "$file" ] || { echo "prepack: $file is missing or empty after the build" >&2; exit 1; }
done
[ -f THIRD_PARTY_NOTICES ] || { echo "prepack: THIRD_PARTY_NOTICES is missing: run 'make notices'" >&2; exit 1; }
