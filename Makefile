# The README's two commands: `make demo` and `make test`. Both set up what is
# missing first (scripts/setup.sh).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

.PHONY: setup build demo test test-rust test-wasm test-js test-worker test-remote lint

setup:
	@bash scripts/setup.sh

build: setup
	@bash scripts/build-wasm.sh

demo: build
	@node scripts/demo.mjs

test: build lint test-rust test-wasm test-js test-remote test-worker

lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets --quiet -- -D warnings

test-rust:
	cargo test --quiet

test-wasm:
	bash scripts/wasm-cargo.sh test --quiet --tests

test-js:
	node --test tests/js/*.test.mjs

test-worker:
	node --test tests/worker/*.test.mjs

# Remote key sources, discovery, the Entra ID preset and fromEnv, against
# oidc-provider and local servers on 127.0.0.1.
test-remote:
	node --test tests/js/remote/*.test.mjs
