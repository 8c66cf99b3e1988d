/**
 * A token's UTF-8 bytes for the core, written into one buffer that every
 * synchronous verification reuses (`TextEncoder.encodeInto`) instead of a
 * fresh array per token (`encode`). The bytes are valid until the next
 * call: only a path that never awaits between the encoding and its last
 * read of the bytes (`verifySync`) may use them.
 */

const encoder = new TextEncoder();

/** UTF-8 takes at most 3 bytes per UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3;

let buffer = new Uint8Array(4096);

/**
 * `token`'s UTF-8 bytes, a view of the shared buffer (grown when the token
 * needs more room), valid until the next call.
 * @param {string} token
 * @returns {Uint8Array}
 */
export function sharedTokenBytes(token) {
  const room = token.length * MAX_BYTES_PER_UNIT;
  if (room > buffer.length) buffer = new Uint8Array(room);
  const { written } = encoder.encodeInto(token, buffer);
  return buffer.subarray(0, written);
}
