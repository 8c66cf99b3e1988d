#!/usr/bin/env bash
# Runs cargo for wasm32-unknown-unknown with whichever toolchain this machine
# has: rustup's wasm32 target when installed (a usual developer machine), else
# Debian's rustc-web with its std source (-Zbuild-std), as scripts/setup.sh
# installs it. The wasm build has its own target dir so native builds and
# wasm builds do not invalidate each other.
# Usage: scripts/wasm-cargo.sh build --release | test [args]
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR=target-wasm
# `cargo test` runs each wasm test binary under Node with wasm-bindgen's runner.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner

if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  exec cargo "$@" --target wasm32-unknown-unknown
fi
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1
exec /usr/bin/cargo "$@" --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort
