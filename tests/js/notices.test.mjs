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

/**
 * "name version" of every crate the binding crate's release build compiles:
 * its normal dependencies for wasm32-unknown-unknown, with the features that
 * build turns on (the binding's defaults), followed transitively. Cargo's
 * resolve in `cargo metadata` unites the features of every workspace target
 * (dev-dependencies too), so optional dependencies are followed here only
 * when a feature of this build enables them.
 */
function wasmCrates() {
  const metadata = JSON.parse(execFileSync('cargo', ['metadata', '--format-version', '1', '--locked', '--filter-platform', 'wasm32-unknown-unknown'], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  }));
  const packages = new Map(metadata.packages.map((p) => [p.id, p]));
  const nodes = new Map(metadata.resolve.nodes.map((n) => [n.id, n]));
  const root = metadata.packages.find((p) => p.name === BINDING);
  assert.ok(root, `${BINDING} is a workspace member`);
  const libName = (name) => name.replaceAll('-', '_');
  /** The package a normal dependency declaration resolves to, or undefined (another platform). */
  const target = (id, decl) => nodes.get(id).deps.find((d) => d.name === libName(decl.rename ?? decl.name) && d.dep_kinds.some((k) => k.kind === null))?.pkg;
  const features = new Map([[root.id, new Set(['default'])]]);
  const active = new Map([[root.id, new Set()]]); // package → its activated optional dependency names
  let changed = true;
  const enable = (id, feature) => {
    if (!features.has(id)) {
      features.set(id, new Set());
      active.set(id, new Set());
      changed = true;
    }
    if (feature !== null && !features.get(id).has(feature)) {
      features.get(id).add(feature);
      changed = true;
    }
  };
  while (changed) {
    changed = false;
    for (const [id, enabled] of [...features]) {
      const pkg = packages.get(id);
      const decls = pkg.dependencies.filter((d) => d.kind === null);
      const activate = (name) => {
        if (!active.get(id).has(name)) {
          active.get(id).add(name);
          changed = true;
        }
      };
      for (const feature of [...enabled]) {
        if (!(feature in pkg.features) && decls.some((d) => d.optional && (d.rename ?? d.name) === feature)) activate(feature);
        for (const entry of pkg.features[feature] ?? []) {
          if (entry.startsWith('dep:')) activate(entry.slice(4));
          else if (entry.includes('/')) {
            const [dep, depFeature] = entry.split('/');
            if (!dep.endsWith('?')) activate(dep);
            const name = dep.replace(/\?$/, '');
            const decl = decls.find((d) => (d.rename ?? d.name) === name);
            const depId = decl && target(id, decl);
            if (depId && (!decl.optional || active.get(id).has(name))) enable(depId, depFeature);
          } else enable(id, entry);
        }
      }
      for (const decl of decls) {
        if (decl.optional && !active.get(id).has(decl.rename ?? decl.name)) continue;
        const depId = target(id, decl);
        if (depId === undefined) continue;
        enable(depId, null);
        if (decl.uses_default_features) enable(depId, 'default');
        for (const feature of decl.features) enable(depId, feature);
      }
    }
  }
  return [...features.keys()].map((id) => packages.get(id)).filter((p) => !OWN.has(p.name)).map((p) => `${p.name} ${p.version}`);
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
  // And nothing else: a crate the build does not compile is not listed.
  assert.deepEqual([...listed].filter((crate) => !crates.includes(crate)), [], 'run `make notices`');
});

test('THIRD_PARTY_NOTICES carries the licence texts, BSD-3-Clause among them', () => {
  const notices = readFileSync(new URL('THIRD_PARTY_NOTICES', ROOT), 'utf8');
  assert.match(notices, /^BSD 3-Clause "New" or "Revised" License \(BSD-3-Clause\)$/m);
  assert.match(notices, /Redistributions of source code must retain the above copyright notice/);
  assert.match(notices, /^MIT License \(MIT\)$/m);
});
