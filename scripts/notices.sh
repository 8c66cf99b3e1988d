#!/usr/bin/env bash
# `make notices`: regenerates THIRD_PARTY_NOTICES from the licences of the
# crates linked into the release wasm, with cargo-about (installed from
# crates.io when missing). tests/js/notices.test.mjs checks the result
# against `cargo metadata` without needing cargo-about.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_ABOUT_VERSION=0.9.3
if ! cargo about --version 2>/dev/null | grep -q "$CARGO_ABOUT_VERSION"; then
  cargo install --locked --features cli cargo-about --version "$CARGO_ABOUT_VERSION"
fi
cargo about generate --locked --config scripts/notices/about.toml \
  --manifest-path wasm/Cargo.toml --features es256,es384,eddsa \
  scripts/notices/about.hbs > THIRD_PARTY_NOTICES.tmp
mv THIRD_PARTY_NOTICES.tmp THIRD_PARTY_NOTICES
echo "THIRD_PARTY_NOTICES: $(grep -c '^  - ' THIRD_PARTY_NOTICES) crate uses, $(grep -c '^====' THIRD_PARTY_NOTICES) licence texts"
