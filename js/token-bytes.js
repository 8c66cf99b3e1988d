/**
 * A token's UTF-8 bytes for the core, written (`TextEncoder.encodeInto`)
 * into buffers that are reused instead of a fresh array per token
 * (`encode`): allocating an ArrayBuffer costs more than encoding a token
 * into one (in Chromium, `encode` of a 1 KB token takes several times as
 * long as `encodeInto`).
 * - `sharedTokenBytes`: one buffer that every synchronous verification
 *   reuses; the bytes are valid until the next call, so only a path that
 *   never awaits between the encoding and its last read of the bytes
 *   (`verifySync`) may use them.
 * - `lentTokenBytes` and `returnTokenBytes`: a buffer lent to one
 *   verification that awaits (`verify()` with WebCrypto) until it gives it
 *   back, then lent again.
 */

import { DEFAULT_MAX_TOKEN_SIZE } from '../pkg/facts.js';

const encoder = new TextEncoder();

/** UTF-8 takes at most 3 bytes per UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3;

/** A new buffer's least size: room for a token of a few KB, so that most tokens fit the first one. */
const INITIAL_BYTES = 4096;

/**
 * Returned buffers kept for lending again: as many verifications as usually
 * await WebCrypto at once on one isolate; one beyond them allocates and its
 * buffer is dropped.
 */
export const MAX_SPARE_BUFFERS = 8;

/**
 * The largest buffer kept for lending again: room for any token within the
 * default size limit. A verifier that allows larger tokens allocates for
 * those, so the spare buffers hold at most 8 × 48 KiB.
 */
export const MAX_SPARE_BYTES = DEFAULT_MAX_TOKEN_SIZE * MAX_BYTES_PER_UNIT;

let shared = new Uint8Array(INITIAL_BYTES);
const spare = [];

/** `token`'s UTF-8 bytes written into `buffer`, which has room for them: a view. */
function written(token, buffer) {
  return buffer.subarray(0, encoder.encodeInto(token, buffer).written);
}

/**
 * `token`'s UTF-8 bytes, a view of the shared buffer (grown when the token
 * needs more room), valid until the next call.
 * @param {string} token
 * @returns {Uint8Array}
 */
export function sharedTokenBytes(token) {
  const room = token.length * MAX_BYTES_PER_UNIT;
  if (room > shared.length) shared = new Uint8Array(room);
  return written(token, shared);
}

/**
 * `token`'s UTF-8 bytes in a buffer lent to the caller alone until it
 * passes the view to `returnTokenBytes`.
 * @param {string} token
 * @returns {Uint8Array}
 */
export function lentTokenBytes(token) {
  const room = token.length * MAX_BYTES_PER_UNIT;
  let buffer = spare.pop();
  if (buffer === undefined || buffer.length < room) buffer = new Uint8Array(Math.max(room, INITIAL_BYTES));
  return written(token, buffer);
}

/**
 * Gives back a view `lentTokenBytes` returned: its buffer may be lent again
 * at once, so the caller reads the view no more.
 * @param {Uint8Array} bytes
 */
export function returnTokenBytes(bytes) {
  const buffer = new Uint8Array(bytes.buffer);
  if (spare.length < MAX_SPARE_BUFFERS && buffer.length <= MAX_SPARE_BYTES) spare.push(buffer);
}
