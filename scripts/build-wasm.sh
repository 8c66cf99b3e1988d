#!/usr/bin/env bash
# Builds the release wasm and its JS glue into pkg/ (the npm package's core).
# Usage: scripts/build-wasm.sh
#        scripts/build-wasm.sh --trap-hook <out dir>
# The second form is for `make test-trap` only: a debug build with the
# binding's `trap-hook` feature (a deliberate trap), written elsewhere; the
# release pkg/ never has the hook.
set -euo pipefail
cd "$(dirname "$0")/.."

out=pkg
cargo_args=(--release)
if [ "${1:-}" = --trap-hook ]; then
  out=${2:?--trap-hook needs an output directory}
  cargo_args=(--release --features trap-hook)
fi

# The facts (codes, messages, limits and their documentation) as JSON,
# printed natively by the core's `facts` example (examples/facts.rs)
# from the same Rust tables the wasm is built from. No wasm build carries
# them: their text would be ~15 KB of the gzipped wasm that no verification
# reads, and a second wasm build only for them would compile std and every
# dependency again (~150 CPU seconds on a fresh machine).
facts=target/facts.json
mkdir -p target
cargo run --quiet --example facts > "$facts"

# The binding crate (wasm/) is the cdylib; the core is linked into it.
scripts/wasm-cargo.sh build "${cargo_args[@]}" -p jwtguard-wasm
# The name section (function names, ~350 KB raw) is for profilers, not for users.
wasm-bindgen --target web --remove-name-section --remove-producers-section \
  --out-dir "$out" --out-name jwtguard "target-wasm/wasm32-unknown-unknown/release/jwtguard_wasm.wasm"

# Trap recovery (js/trap.js): after a WebAssembly.RuntimeError the host drops
# the instance and instantiates the compiled module again, synchronously. The
# glue keeps the module but has no way to start over; this adds one. It uses
# the glue's own names, so a wasm-bindgen that renames them fails here.
grep -q '^let wasmModule, wasmInstance, wasm;$' "$out/jwtguard.js" && grep -q '^function initSync(module) {$' "$out/jwtguard.js" \
  && grep -q '^function getUint8ArrayMemory0() {$' "$out/jwtguard.js" || {
  echo "build-wasm: the wasm-bindgen glue changed shape; update the functions appended below" >&2
  exit 1
}
# A finalizer frees its object's memory in whichever instance is live when
# it runs: after a restart, that of an object of the dropped instance would
# free (and corrupt) memory of the new one. Each registration keeps the
# instance its pointer belongs to, and a finalizer frees only in that one.
registers=$(grep -cE '^ +Wasm[A-Za-z]+Finalization\.register\(([a-z]+), \1\.__wbg_ptr, \1\);$' "$out/jwtguard.js")
registries=$(grep -cE '^ +: new FinalizationRegistry\(ptr => wasm\.__wbg_[a-z]+_free\(ptr, 1\)\);$' "$out/jwtguard.js")
if [ "$registers" -eq 0 ] || [ "$registries" -eq 0 ] \
  || [ "$(grep -c 'Finalization\.register(' "$out/jwtguard.js")" -ne "$registers" ] \
  || [ "$(grep -c 'new FinalizationRegistry(' "$out/jwtguard.js")" -ne "$registries" ]; then
  echo "build-wasm: the glue's finalizers changed shape; update the instance check below" >&2
  exit 1
fi
sed -i -E \
  -e 's/^( +Wasm[A-Za-z]+Finalization\.register\()([a-z]+), \2\.__wbg_ptr, \2\);$/\1\2, { ptr: \2.__wbg_ptr, of: wasm }, \2);/' \
  -e 's/^( +: new FinalizationRegistry\()ptr => (wasm\.__wbg_[a-z]+_free)\(ptr, 1\)\);$/\1({ ptr, of }) => { if (of === wasm) \2(ptr, 1); });/' \
  "$out/jwtguard.js"

cat >> "$out/jwtguard.js" <<'JS'

// Appended by scripts/build-wasm.sh: a fresh instance of the same module, for
// the host's recovery from a trap (js/trap.js).
export function reinstantiate() {
    const module = wasmModule;
    wasm = undefined;
    return initSync({ module });
}

// Appended by scripts/build-wasm.sh: the live instance's memory as bytes, for
// reading what a core call left at an address it returned (js/prepared-token.js).
// Valid until the next call into the core, which may grow the memory.
export function memoryBytes() {
    return getUint8ArrayMemory0();
}
JS
cat >> "$out/jwtguard.d.ts" <<'TS'

/** A fresh instance of the same module, for the host's recovery from a trap. */
export function reinstantiate(): InitOutput;

/** The live instance's memory as bytes, valid until the next call into the core. */
export function memoryBytes(): Uint8Array;
TS

# The codes, messages, policy members and limits the JS layer shares with the core.
node scripts/core-facts.mjs "$facts" "$out"
# The package ships its own declarations (js/index.d.ts); wasm-bindgen's
# (pkg/jwtguard.d.ts) stay for `make lint`'s type check and are not shipped.
rm -f "$out/jwtguard_bg.wasm.d.ts" "$out/package.json" "$out/.gitignore"
echo "$out/jwtguard_bg.wasm: $(wc -c < "$out/jwtguard_bg.wasm") bytes, $(gzip -9c "$out/jwtguard_bg.wasm" | wc -c) gzipped"
