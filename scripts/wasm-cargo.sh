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
# No debug info in wasm32 debug builds (the tests, the trap build): with it
# each test binary is ~50 MB that wasm-bindgen's runner reads whole, ~4 MB
# without, which takes `make test-wasm` from ~1,160 to ~690 CPU seconds.
# The release build has none anyway.
export CARGO_PROFILE_DEV_DEBUG=0 CARGO_PROFILE_TEST_DEBUG=0
# `cargo test` runs each wasm test binary under Node with wasm-bindgen's runner.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner

if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  exec cargo "$@" --target wasm32-unknown-unknown
fi
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1
# A release build with std built here also drops panic messages: a panic
# (a broken invariant, never input) aborts at once. wasm32-unknown-unknown
# has nowhere to print one, so the host sees the same trap either way
# (js/trap.js), and the wasm is ~6.5 KB smaller gzipped (docs/performance.md).
# Test builds keep the messages, which wasm-bindgen's test runner reports.
if [ "${1:-}" = build ] && [[ " $* " == *" --release "* ]]; then
  export RUSTFLAGS="${RUSTFLAGS:-} -Zunstable-options -Cpanic=immediate-abort"
fi
exec /usr/bin/cargo "$@" --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort
