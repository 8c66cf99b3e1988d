// Bundles a test Worker with esbuild the way wrangler does (the `workerd`
// export condition, the .wasm as a compiled module) and runs it in workerd
// through miniflare.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

const WASM = new URL('../../pkg/jwtguard_bg.wasm', import.meta.url);
const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

/**
 * esbuild leaves `.wasm` imports to the runtime, under a flat module name;
 * `jwtguard` resolves to this repository (as an installed package would),
 * also from examples that have their own package.json.
 */
const wasmModules = {
  name: 'wasm-modules',
  setup(build) {
    build.onResolve({ filter: /\.wasm$/ }, (args) => ({ path: args.path.split('/').pop(), external: true }));
    build.onResolve({ filter: /^jwtguard(\/|$)/ }, (args) =>
      args.pluginData === ROOT ? undefined : build.resolve(args.path, { kind: args.kind, resolveDir: ROOT, pluginData: ROOT }));
  },
};

/** Starts `entry` in workerd with `bindings`; returns the Miniflare instance. */
export async function startWorker(entry, bindings, extra = {}) {
  const bundle = await build({
    entryPoints: [new URL(entry, import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    plugins: [wasmModules],
    write: false,
    logLevel: 'error',
  });
  const code = bundle.outputFiles[0].text;
  return new Miniflare({
    compatibilityDate: '2025-09-01',
    modules: [
      { type: 'ESModule', path: 'worker.js', contents: code },
      { type: 'CompiledWasm', path: 'jwtguard_bg.wasm', contents: readFileSync(WASM) },
    ],
    bindings,
    ...extra,
  });
}
