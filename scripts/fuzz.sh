#!/usr/bin/env bash
# Runs every cargo-fuzz target and prints, per target, the executions, the
# rate, the coverage (libFuzzer's cov and ft counters) and the corpus size.
# Not part of `make test`. Installs cargo-fuzz and a nightly toolchain when
# missing.
# Usage: scripts/fuzz.sh <seconds per target>        (make fuzz)
#        scripts/fuzz.sh --runs <executions per target> (make fuzz-long)
#        scripts/fuzz.sh --minimise                   (make fuzz-cmin)
# The working corpus is fuzz/corpus/<target> (not tracked); the tracked,
# minimised corpus is fuzz/seeds/<target>, which every run starts from.
# FUZZ_TARGETS="dpop jwks" picks targets (default: all five), e.g. to run two
# lanes side by side on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."

read -r -a targets <<<"${FUZZ_TARGETS:-token jwks verify dpop json}"
limit=(-max_total_time="${1:-60}")
mode=time
case "${1:-}" in
  --runs) limit=(-runs="${2:?--runs needs a count}"); mode=runs ;;
  --minimise) mode=minimise ;;
esac

if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz

if [ "$mode" = minimise ]; then
  # Keeps a small set of inputs with every coverage edge of the seeds and
  # the working corpus together (set cover over edges, without hit counts:
  # counts would keep thousands of large key sets for `jwks`), and makes it
  # the tracked seeds. The working corpus itself is minimised the same way.
  for target in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$target"
    cp -n "fuzz/seeds/$target"/* "fuzz/corpus/$target/" 2>/dev/null || true
    cargo +nightly fuzz cmin --fuzz-dir fuzz "$target" "fuzz/corpus/$target" -- \
      -set_cover_merge=1 -use_counters=0 -max_len=65536
    # The hand-made seeds keep their names (tests read fuzz/seeds/dpop/valid).
    find "fuzz/seeds/$target" -type f -name '*[!0-9a-f]*' -exec cp {} "fuzz/corpus/$target/" \;
    rm -rf "fuzz/seeds/$target" && cp -r "fuzz/corpus/$target" "fuzz/seeds/$target"
    echo "fuzz: $target seeds: $(find "fuzz/seeds/$target" -type f | wc -l) files, $(cat "fuzz/seeds/$target"/* | wc -c) bytes"
  done
  exit 0
fi

summary=()
for target in "${targets[@]}"; do
  corpus="fuzz/corpus/$target"
  mkdir -p "$corpus" fuzz/artifacts
  log="fuzz/artifacts/$target.log"
  echo "fuzz: $target (${limit[*]}; seeds in fuzz/seeds/$target, corpus in $corpus)"
  # A crash stops the run with a non-zero status and leaves the input in
  # fuzz/artifacts/$target/: turn it into a regression test.
  cargo +nightly fuzz run --fuzz-dir fuzz "$target" "$corpus" "fuzz/seeds/$target" -- \
    "${limit[@]}" -max_len=65536 -print_final_stats=1 2>"$log" || {
    tail -40 "$log"
    echo "fuzz: $target FAILED (see $log and fuzz/artifacts/$target/)"
    exit 1
  }
  runs=$(awk '/^stat::number_of_executed_units/ { print $NF }' "$log")
  rate=$(awk '/^stat::average_exec_per_sec/ { print $NF }' "$log")
  seconds=$(awk '/^stat::number_of_executed_units/ { n = $NF } /^stat::average_exec_per_sec/ { r = $NF } END { if (r > 0) printf "%d", n / r }' "$log")
  # The last status line: "#N DONE cov: C ft: F corp: K/S ...".
  cov=$(grep -E '^#[0-9]+' "$log" | tail -1 | sed -E 's/.*cov: ([0-9]+).*ft: ([0-9]+).*corp: ([0-9]+)\/([0-9]+[a-zA-Z]*).*/cov \1, ft \2, corpus \3 inputs (\4)/')
  summary+=("fuzz summary $target: $runs executions in about ${seconds}s, $rate exec/s, $cov, no crash")
done
printf '%s\n' "${summary[@]}"
