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
 * `@jwtguard/jwtguard` resolves to this repository (as an installed package would),
 * also from examples that have their own package.json.
 */
const wasmModules = {
  name: 'wasm-modules',
  setup(build) {
    build.onResolve({ filter: /\.wasm(\?module)?$/ }, (args) => ({ path: args.path.split('/').pop().replace(/\?module$/, ''), external: true }));
    build.onResolve({ filter: /^@jwtguard\/jwtguard(\/|$)/ }, (args) =>
      args.pluginData === ROOT ? undefined : build.resolve(args.path, { kind: args.kind, resolveDir: ROOT, pluginData: ROOT }));
  },
};

/** esbuild's export conditions for a Worker, as wrangler sets them. */
export const WORKERD_CONDITIONS = ['workerd', 'worker', 'browser'];

/**
 * Starts `entry` in workerd with `bindings`; returns the Miniflare instance.
 * `conditions` are esbuild's export conditions (default: a Worker's).
 */
export async function startWorker(entry, bindings, extra = {}, conditions = WORKERD_CONDITIONS) {
  const bundle = await bundleWorker(entry, conditions);
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

/** Bundles `entry` with esbuild under `conditions`; the result has a metafile. */
export function bundleWorker(entry, conditions) {
  return build({
    entryPoints: [new URL(entry, import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions,
    mainFields: ['module', 'main'],
    plugins: [wasmModules],
    write: false,
    metafile: true,
    logLevel: 'error',
  });
}
