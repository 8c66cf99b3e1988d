#!/usr/bin/env bash
# Runs every cargo-fuzz target for a set time (default 60 s each) and prints
# executions per second and total executions per target. Not part of
# `make test`. Installs cargo-fuzz and a nightly toolchain when missing.
# Usage: scripts/fuzz.sh [seconds per target]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
targets=(token jwks verify dpop)

if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz

summary=()
for target in "${targets[@]}"; do
  corpus="fuzz/corpus/$target"
  mkdir -p "$corpus"
  log="fuzz/artifacts/$target.log"
  mkdir -p fuzz/artifacts
  echo "fuzz: $target for ${seconds}s (seeds in fuzz/seeds/$target, corpus in $corpus)"
  # A crash stops the run with a non-zero status and leaves the input in
  # fuzz/artifacts/$target/: turn it into a regression test.
  cargo +nightly fuzz run --fuzz-dir fuzz "$target" "$corpus" "fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 2>"$log" || {
    tail -40 "$log"
    echo "fuzz: $target FAILED (see $log and fuzz/artifacts/$target/)"
    exit 1
  }
  runs=$(awk '/^stat::number_of_executed_units/ { print $NF }' "$log")
  rate=$(awk '/^stat::average_exec_per_sec/ { print $NF }' "$log")
  summary+=("fuzz summary $target: $runs executions in ${seconds}s, $rate exec/s, no crash")
done
printf '%s\n' "${summary[@]}"
