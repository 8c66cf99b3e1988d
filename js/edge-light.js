/**
 * Vercel Edge Functions and Next.js middleware entry (the `edge-light`
 * export condition): the .wasm is imported as a compiled WebAssembly.Module
 * with the `?module` suffix their bundler documents, since edge runtimes
 * cannot compile WebAssembly from bytes at run time. Nothing here fetches
 * or compiles the .wasm.
 */
import { initSync } from '../pkg/jwtguard.js';
// @ts-expect-error: `?module` is the edge bundler's convention (Next.js, Vercel), not TypeScript's.
import module from '../pkg/jwtguard_bg.wasm?module';

/**
 * The compiled module as one of this realm's. Next.js's edge sandbox (in
 * `next build`, which runs each edge route to read its configuration, and
 * in `next start`) compiles the .wasm in the host's realm: the glue's
 * `instanceof WebAssembly.Module` is false for it, and the glue would try
 * to compile the module itself as bytes. A WebAssembly.Module of another
 * realm is usable here once it has this realm's prototype; anything else
 * is left for the glue to refuse.
 * @param {unknown} compiled
 */
function ownRealm(compiled) {
  if (compiled instanceof WebAssembly.Module || Object.prototype.toString.call(compiled) !== '[object WebAssembly.Module]') return compiled;
  return Object.setPrototypeOf(compiled, WebAssembly.Module.prototype);
}

initSync({ module: ownRealm(module) });

export * from './api.js';
