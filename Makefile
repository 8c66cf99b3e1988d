# The README's two commands: `make demo` and `make test`. Both set up what is
# missing first (scripts/setup.sh).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

.PHONY: facts notices soak test-soak fuzz-long fuzz-cmin test-properties-long test-trap setup build demo test test-rust test-wycheproof test-wycheproof-all test-wasm test-wasm-all test-js test-recipes test-remote test-worker test-servers test-frameworks test-frameworks-long test-browser lint fuzz bench profile

setup:
	@bash scripts/setup.sh

build: setup
	@bash scripts/build-wasm.sh

demo: build
	@node scripts/demo.mjs

test: build lint test-rust test-wycheproof test-trap test-js test-remote test-worker test-servers test-frameworks test-soak test-browser

# The JS type check reads pkg/ (the glue's declarations, facts.js): it needs the build.
lint: build
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --quiet -- -D warnings
	npx eslint .
	npx tsc -p tsconfig.json
	bash scripts/pack-lint.sh

# js/facts.d.ts (the Algorithm, ErrorCode and PolicyMember unions) and the
# tables of docs/reference.md from the core's tables; tests/js/verify.test.mjs
# and tests/js/docs-facts.test.mjs fail when they are stale.
facts: build
	node scripts/core-facts.mjs target/facts.json pkg --declarations js/facts.d.ts docs/reference.md

# THIRD_PARTY_NOTICES from the licences of the crates linked into the release
# wasm (cargo-about, installed when missing). tests/js/notices.test.mjs
# fails when a crate is missing from it.
notices:
	bash scripts/notices.sh

# Every Rust suite but Wycheproof, which has its own target. The attack
# catalog is tests/catalog/, the limits tests/limits.rs.
test-rust:
	cargo test --quiet -- --skip wycheproof

# The Wycheproof runner prints a line per vector; here only the summaries.
test-wycheproof:
	cargo test --quiet --lib wycheproof -- --nocapture | grep '^wycheproof summary'

# Every Wycheproof vector, one line each: pass / FAIL / skip with its reason.
test-wycheproof-all:
	cargo test --quiet --lib wycheproof -- --nocapture | grep '^wycheproof '

# Fuzzing (cargo-fuzz, nightly): each target for FUZZ_SECONDS (FUZZ_TARGETS picks some). Not part of `make test`.
FUZZ_SECONDS ?= 60
fuzz:
	bash scripts/fuzz.sh $(FUZZ_SECONDS)

# The recorded run (SECURITY.md): FUZZ_RUNS executions per target.
FUZZ_RUNS ?= 10000000
fuzz-long:
	bash scripts/fuzz.sh --runs $(FUZZ_RUNS)

# Minimises seeds plus the working corpus into the tracked fuzz/seeds/.
fuzz-cmin:
	bash scripts/fuzz.sh --minimise

# The Rust tests compiled to wasm32 and run under Node: `test-wasm` the unit
# tests (the crypto arithmetic, where 32-bit words differ), the attack
# catalog, every check, every limit at its boundary and the independently
# signed tokens; `test-wasm-all` every test binary. Neither is in `make test`:
# with the short form in it, a clean-clone `.ci/run` took 923 s, past CI's
# 15 minutes; without it, 768 s (most of its cost is compiling std and the
# dev-dependencies for wasm32, whichever binaries run). In `make test` the
# release wasm itself runs every JS suite (tests/js/catalog.test.mjs among them).
# No --quiet: cargo forwards it to the test binary, which wasm-bindgen-test-runner refuses.
WASM_SHORT_TESTS := --lib --test catalog --test checks --test limits --test interop
test-wasm:
	bash scripts/wasm-cargo.sh test $(WASM_SHORT_TESTS)

test-wasm-all:
	bash scripts/wasm-cargo.sh test --tests

test-js:
	node --test tests/js/*.test.mjs

# Recovery from a WebAssembly trap (catalog H03): the release build of the
# binding with its `trap-hook` feature, written to target-wasm/trap-pkg (never
# to pkg/), runs the host layer through a deliberate trap.
test-trap:
	bash scripts/build-wasm.sh --trap-hook target-wasm/trap-pkg
	node --test tests/trap/

# `npm ci` in a folder with its own package.json (bench/, tests/recipes/)
# when its node_modules is missing or older than its lock file.
npm-ci-when-stale = @if [ ! -f $(1)/node_modules/.package-lock.json ] || [ $(1)/package-lock.json -nt $(1)/node_modules/.package-lock.json ]; then \
	npm ci --prefix $(1) --no-audit --no-fund --loglevel=error; fi

# The long form of the docs' testing recipe (docs/configuration.md): its
# Vitest and Jest blocks run under the real Vitest 3 and Jest 30, which are
# tests/recipes/'s own dependencies (installed here when its lock file
# changes, kept out of the package's). test-js checks that the blocks parse.
test-recipes:
	$(call npm-ci-when-stale,tests/recipes)
	node tests/recipes/run.mjs

# The property tests (tests/js/properties.test.mjs, also in test-js) with a
# hundred times the cases: a few hundred thousand header values and tens of
# thousands of cache histories.
test-properties-long:
	PROPERTY_SCALE=100 node --test tests/js/properties.test.mjs

test-worker:
	node --test tests/worker/*.test.mjs

# The identity-provider fault soak (tests/soak/): one lap (~45 s, ~1 min in all) of the fault
# schedule on the Node verifier and in workerd at once, with assertions.
test-soak:
	node --test tests/soak/soak.test.mjs

# The long form: SOAK_LAPS laps with SOAK_CONCURRENCY requests in flight,
# each runtime in turn; prints the figures the README and SECURITY.md quote.
SOAK_LAPS ?= 3
SOAK_CONCURRENCY ?= 200
soak: build
	node tests/soak/run.mjs --runtime both --laps $(SOAK_LAPS) --concurrency $(SOAK_CONCURRENCY)

# jwtguard/express and jwtguard/fastify on Express 5, Fastify 5 and node:http
# servers on 127.0.0.1, and the runtime matrix (Node ESM and require(), Deno, Bun).
test-servers:
	node --test tests/servers/*.test.mjs

# The framework adapters (NestJS, Koa, h3, Elysia under Bun, Next.js route
# handlers called directly, the Lambda authorizer) in their real frameworks
# on 127.0.0.1, and the DPoP replay store on a real redis-server.
test-frameworks:
	node --test tests/frameworks/*.test.mjs

# The long form adds `next build` + `next start` of a real Next.js app
# (tests/frameworks/next/, whose own dependencies are installed here).
# Measured on two shared cores: `npm ci` ~25 s on first use; then the Next
# suite ~17 s with a warm build cache, ~57 s from a clean .next/.
test-frameworks-long: test-frameworks
	$(call npm-ci-when-stale,tests/frameworks/next)
	node --test tests/frameworks/next/*.test.mjs

# Remote key sources, discovery, the Entra ID preset and fromEnv, against
# oidc-provider and local servers on 127.0.0.1.
test-remote:
	node --test tests/js/remote/*.test.mjs

# Measurements, not tests: prints one table per runtime and issue 27's targets with
# their verdicts, writes bench/RESULTS.md and the SVG charts (docs/performance-*.svg).
# The compared libraries and runtimes (aws-jwt-verify, fast-jwt, miniflare's
# workerd, playwright-core for Debian's chromium) are bench/'s own dependencies.
bench: build
	$(call npm-ci-when-stale,bench)
	node bench/run.mjs

# Where a verification's time goes on every host (bench/profile.mjs): perf on
# the native core (examples/core_work.rs), node --cpu-prof, and the inspectors
# of workerd and Chromium; prints the split between the core (wasm), the
# boundary (wasm-bindgen's glue) and the JS. PROFILE_RECORD=before|after also
# writes bench/profile-<when>.md, which `make bench` puts in bench/RESULTS.md.
profile: build
	$(call npm-ci-when-stale,bench)
	node bench/profile.mjs $(if $(PROFILE_RECORD),--record $(PROFILE_RECORD))

# The decoder page (www/) and the example web app (examples/web, built by
# Vite and by esbuild) in Debian's Chromium; screenshots go to test-results/.
test-browser:
	npm --prefix examples/web run --silent build -- --logLevel warn
	npm --prefix examples/web run --silent build:esbuild
	node --test tests/browser/
