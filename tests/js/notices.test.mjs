// THIRD_PARTY_NOTICES (made by `make notices` with cargo-about) names every
// crate linked into the release wasm. The crate set is computed here from
// `cargo metadata`: the normal dependencies of the binding crate (wasm/) for
// wasm32-unknown-unknown, followed transitively, so no extra tool is needed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const ROOT = new URL('../../', import.meta.url);
const BINDING = 'jwtguard-wasm';
/** Our own crates: their licence is the package's LICENSE. */
const OWN = new Set(['jwtguard', BINDING]);

/** name@version of every crate the binding crate's build reaches through normal dependencies. */
function wasmCrates() {
  const metadata = JSON.parse(execFileSync('cargo', ['metadata', '--format-version', '1', '--locked', '--filter-platform', 'wasm32-unknown-unknown'], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  }));
  const packages = new Map(metadata.packages.map((p) => [p.id, p]));
  const nodes = new Map(metadata.resolve.nodes.map((n) => [n.id, n]));
  const root = metadata.packages.find((p) => p.name === BINDING);
  assert.ok(root, `${BINDING} is a workspace member`);
  const seen = new Set();
  const stack = [root.id];
  while (stack.length) {
    const id = stack.pop();
    if (seen.has(id)) continue;
    seen.add(id);
    for (const dep of nodes.get(id).deps) {
      if (dep.dep_kinds.some((kind) => kind.kind === null)) stack.push(dep.pkg);
    }
  }
  return [...seen].map((id) => packages.get(id)).filter((p) => !OWN.has(p.name)).map((p) => `${p.name} ${p.version}`);
}

test('THIRD_PARTY_NOTICES names every crate linked into the wasm', () => {
  const notices = readFileSync(new URL('THIRD_PARTY_NOTICES', ROOT), 'utf8');
  const listed = new Set([...notices.matchAll(/^ {2}- (\S+ \S+)$/gm)].map((m) => m[1]));
  const crates = wasmCrates();
  // The crates the issue named must be among them: the walk reaches the wasm's real dependencies.
  for (const name of ['curve25519-dalek', 'ed25519-dalek', 'subtle', 'wasm-bindgen', 'serde_json']) {
    assert.ok(crates.some((crate) => crate.startsWith(`${name} `)), `${name} not found by the walk`);
  }
  const missing = crates.filter((crate) => !listed.has(crate));
  assert.deepEqual(missing, [], 'run `make notices`');
});

test('THIRD_PARTY_NOTICES carries the licence texts, BSD-3-Clause among them', () => {
  const notices = readFileSync(new URL('THIRD_PARTY_NOTICES', ROOT), 'utf8');
  assert.match(notices, /^BSD 3-Clause "New" or "Revised" License \(BSD-3-Clause\)$/m);
  assert.match(notices, /Redistributions of source code must retain the above copyright notice/);
  assert.match(notices, /^MIT License \(MIT\)$/m);
});
