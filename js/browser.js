/**
 * Browser and bundler entry: fetches and instantiates the WebAssembly core
 * (top-level await). Bundlers such as Vite and esbuild follow the
 * `new URL(..., import.meta.url)` reference and emit the .wasm as an asset.
 */
import init from '../pkg/jwtguard.js';

await init({ module_or_path: new URL('../pkg/jwtguard_bg.wasm', import.meta.url) });

export * from './api.js';
