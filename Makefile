# The README's two commands: `make demo` and `make test`. Both set up what is
# missing first (scripts/setup.sh).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

.PHONY: setup build demo test test-rust test-wasm test-js test-browser lint

setup:
	@bash scripts/setup.sh

build: setup
	@bash scripts/build-wasm.sh

demo: build
	@node scripts/demo.mjs

test: build lint test-rust test-wasm test-js test-browser

lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets --quiet -- -D warnings

test-rust:
	cargo test --quiet

test-wasm:
	bash scripts/wasm-cargo.sh test --quiet --tests

test-js:
	node --test tests/js/*.test.mjs

# The decoder page (www/) and the example web app (examples/web, built by
# Vite and by esbuild) in Debian's Chromium; screenshots go to test-results/.
test-browser:
	npm --prefix examples/web run --silent build -- --logLevel warn
	npm --prefix examples/web run --silent build:esbuild
	node --test tests/browser/
