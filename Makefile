# The README's two commands: `make demo` and `make test`. Both set up what is
# missing first (scripts/setup.sh).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

.PHONY: setup build demo test test-rust test-wasm test-js lint bench

setup:
	@bash scripts/setup.sh

build: setup
	@bash scripts/build-wasm.sh

demo: build
	@node scripts/demo.mjs

test: build lint test-rust test-wasm test-js

lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets --quiet -- -D warnings

test-rust:
	cargo test --quiet

test-wasm:
	# No --quiet: cargo forwards it to the test binary, which wasm-bindgen-test-runner refuses.
	bash scripts/wasm-cargo.sh test --tests

test-js:
	node --test tests/js/*.test.mjs

# Measurements, not tests: prints one table per runtime and writes bench/RESULTS.md.
# The compared libraries and runtimes (aws-jwt-verify, fast-jwt, miniflare's
# workerd, playwright-core for Debian's chromium) are bench/'s own dependencies.
bench: build
	@if [ ! -f bench/node_modules/.package-lock.json ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then \
	  npm ci --prefix bench --no-audit --no-fund --loglevel=error; fi
	node bench/run.mjs
