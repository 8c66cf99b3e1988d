/**
 * What the core's `prepare` hands the host for its signature check, read
 * from the handle in one crossing (`WasmPrepared.offer`, laid out in
 * wasm/src/lib.rs) instead of one getter per member, each of which would
 * cross into wasm, allocate there and free again.
 */

import { algorithmNames } from '../pkg/jwtguard.js';

/** Bytes before the key indices: signing input length (4), algorithm (1), key count (1). */
const KEYS_AT = 6;
/** Each key index is a u32. */
const INDEX_BYTES = 4;

/** The core's algorithm names by position: the same in every instance, read once. */
let names = null;

/** The little-endian u32 at `at`. */
function u32(bytes, at) {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

/**
 * The `PreparedToken` (signature-backend.js) of the core's handle.
 * @param {{ readonly offer: Uint8Array }} handle a WasmPrepared not yet finished
 * @returns {import('./signature-backend.js').PreparedToken}
 */
export function preparedToken(handle) {
  const offer = handle.offer;
  names ??= algorithmNames();
  const count = offer[KEYS_AT - 1];
  const keys = [];
  for (let at = KEYS_AT; at < KEYS_AT + count * INDEX_BYTES; at += INDEX_BYTES) keys.push(u32(offer, at));
  return {
    alg: names[offer[KEYS_AT - 2]],
    keys,
    signingInputLength: u32(offer, 0),
    signature: offer.subarray(KEYS_AT + count * INDEX_BYTES),
  };
}
