/**
 * What the core's `prepare` hands the host for its signature check: the
 * offer, bytes the core leaves in its memory at the address `prepare`
 * returns (laid out by `write_offer` in wasm/src/lib.rs), read here at once,
 * before the next call into the core, instead of through one getter per
 * member, each of which would cross into wasm, allocate there and free again.
 */

import { algorithmNames, memoryBytes } from '../pkg/jwtguard.js';

/** Bytes before the key indices: slot, signing input length, signature length (4 each), algorithm, key count (1 each). */
const KEYS_AT = 14;
/** Each key index is a u32. */
const INDEX_BYTES = 4;
/**
 * The first size of the buffer that synchronous reads copy the signature
 * into: an RSA-4096 signature, the largest in common use. A larger one
 * grows it.
 */
const INITIAL_SIGNATURE_BYTES = 512;

/** The core's algorithm names by position: the same in every instance, read once. */
let names = null;

/** The signature of the last offer read with `lasting` false. */
let shared = new Uint8Array(INITIAL_SIGNATURE_BYTES);

/** The little-endian u32 at `at`. */
function u32(bytes, at) {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

/**
 * The `PreparedToken` (signature-backend.js) the core offers at `address`.
 * @param {number} address what `WasmVerifier.prepare` returned (not 0), before any other call into the core
 * @param {boolean} lasting whether the signature must outlive the next offer
 *   read (a backend that awaits); if not, it is a view of one buffer that
 *   the next read overwrites, which spares an allocation per token
 * @returns {import('./signature-backend.js').PreparedToken}
 */
export function preparedToken(address, lasting) {
  names ??= algorithmNames();
  const memory = memoryBytes();
  const count = memory[address + KEYS_AT - 1];
  const keys = [];
  const keysEnd = address + KEYS_AT + count * INDEX_BYTES;
  for (let at = address + KEYS_AT; at < keysEnd; at += INDEX_BYTES) keys.push(u32(memory, at));
  const signed = memory.subarray(keysEnd, keysEnd + u32(memory, address + 8));
  let signature;
  if (lasting) {
    signature = signed.slice();
  } else {
    if (signed.length > shared.length) shared = new Uint8Array(signed.length);
    shared.set(signed);
    signature = shared.subarray(0, signed.length);
  }
  return {
    slot: u32(memory, address),
    alg: names[memory[address + KEYS_AT - 2]],
    keys,
    signingInputLength: u32(memory, address + 4),
    signature,
  };
}
