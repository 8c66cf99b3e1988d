/**
 * Cloudflare Workers (workerd) entry: the .wasm is imported as a compiled
 * WebAssembly.Module (wrangler and esbuild with a `.wasm` loader do this),
 * since Workers cannot compile WebAssembly from bytes at run time.
 */
import { initSync } from '../pkg/jwtguard.js';
// @ts-expect-error: importing .wasm as a module is the bundler's convention (wrangler, esbuild), not TypeScript's.
import module from '../pkg/jwtguard_bg.wasm';

initSync({ module });

export * from './api.js';
