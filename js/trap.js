/**
 * Recovery from a WebAssembly trap. A trap (`WebAssembly.RuntimeError`) means
 * a Rust invariant broke in the middle of a call, so nothing in that
 * instance's memory can be trusted any more. The host drops the instance and
 * instantiates the same compiled module again, synchronously; the call that
 * trapped is answered with ERR_INTERNAL, and every verifier rebuilds its core
 * objects from its policy and its current keys before its next call.
 */

import { reinstantiate } from '../pkg/jwtguard.js';
import { onTrap } from './errors.js';

let instance = 0;

/** Which instance of the core is live: a number that each restart increments. */
export function coreInstance() {
  return instance;
}

/**
 * Forgets a core object (a WasmVerifier, a WasmRouter) of a dropped
 * instance: its pointer belongs to the old memory, so it must neither be
 * used nor freed in the new one.
 * @param {{ __destroy_into_raw?: () => number } | null} object
 */
export function abandon(object) {
  object?.__destroy_into_raw?.();
}

/**
 * A core object (a WasmVerifier, a WasmRouter) kept in the live instance of
 * the core: `get()` returns it, and after a trap restarted the core it first
 * forgets the old one and builds it again with `build()` (null: nothing to
 * build yet), calling `onRestart`. `set()` replaces it; `holds(value)` says
 * whether `value` is the object kept, in the live instance: an object a trap
 * dropped must not be called any more.
 * @template T
 * @param {() => T | null} build
 * @param {() => void} [onRestart]
 */
export function coreSlot(build, onRestart = () => {}) {
  let object = build();
  let of = instance;
  return Object.freeze({
    /** @returns {T | null} */
    get() {
      if (of !== instance) {
        abandon(/** @type {any} */ (object));
        object = null;
        of = instance;
        onRestart();
        object = build();
      }
      return object;
    },
    /** @param {T} value */
    set(value) {
      object = value;
    },
    /** @param {T} value */
    holds(value) {
      return of === instance && value === object;
    },
  });
}

onTrap(() => {
  reinstantiate();
  instance += 1;
});
