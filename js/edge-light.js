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

initSync({ module });

export * from './api.js';
