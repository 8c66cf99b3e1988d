// Vercel's Edge Runtime (the `edge-runtime` npm package, the sandbox `vercel
// dev` and Next.js middleware run in) with a script of the package's in it,
// WebAssembly code generation disallowed as in production edge functions.
// The script is bundled the way the edge bundler does it: esbuild under the
// `edge-light` condition, the `.wasm?module` import bound to a
// WebAssembly.Module the platform compiled (here: the host).
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { EdgeRuntime } from 'edge-runtime';

const ROOT = new URL('../../', import.meta.url).pathname;
const BINDING = '__JWTGUARD_WASM__';

/** `contents` (an ES module that may import the package) bundled for the edge: the inputs esbuild chose, and the script. */
async function bundle(contents) {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    conditions: ['edge-light', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    write: false,
    metafile: true,
    logLevel: 'error',
    plugins: [{
      name: 'wasm-binding',
      setup(b) {
        b.onResolve({ filter: /\.wasm\?module$/ }, () => ({ path: 'wasm', namespace: 'binding' }));
        b.onLoad({ filter: /.*/, namespace: 'binding' }, () => ({ contents: `export default globalThis.${BINDING};`, loader: 'js' }));
      },
    }],
  });
  return { inputs: Object.keys(result.metafile.inputs), code: result.outputFiles[0].text };
}

/**
 * An Edge Runtime that has evaluated `contents`, bundled: `{ runtime, inputs }`.
 * The script leaves what the test calls on `globalThis`. The module is
 * handed over as one of the sandbox's realm (Vercel's platform), or with
 * `hostRealm` as Next.js's edge sandbox does (`next build`, `next start`):
 * compiled in the host's realm.
 */
export async function edgeRuntimeWith(contents, { hostRealm = false } = {}) {
  const { inputs, code } = await bundle(contents);
  const runtime = new EdgeRuntime({ codeGeneration: { strings: false, wasm: false } });
  const module = new WebAssembly.Module(readFileSync(new URL('pkg/jwtguard_bg.wasm', `file://${ROOT}`)));
  if (!hostRealm) Object.setPrototypeOf(module, runtime.evaluate('WebAssembly.Module.prototype'));
  runtime.context[BINDING] = module;
  runtime.evaluate(code);
  return { runtime, inputs };
}
