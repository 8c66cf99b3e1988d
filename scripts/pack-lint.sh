#!/usr/bin/env bash
# `make lint`'s package checks: packs the tarball npm would publish (prepack
# checks the wasm), then publint --strict and attw --profile esm-only read
# that file. Both work offline.
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
tarball=$(npm pack --silent --pack-destination "$out" | tail -1)
npx --no-install publint run "$out/$tarball" --strict
npx --no-install attw "$out/$tarball" --profile esm-only
