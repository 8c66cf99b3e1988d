/**
 * Errors: one class, stable codes. The codes and the message naming each
 * check are the core's (src/error.rs), generated into pkg/facts.js when the
 * wasm is built; this layer adds only the detail.
 */

import { ERROR_MESSAGES } from '../pkg/facts.js';

/** Every error code, in the core's table order. */
export const errorCodes = Object.freeze(Object.keys(ERROR_MESSAGES));

/** A verification or configuration failure with a stable `code`. */
export class JwtGuardError extends Error {
  /** @type {string} the stable code */
  code;
  /** @type {string | null} the claim or header member concerned */
  claim;
  /** @type {string} the generic reason for the code, safe to show to a caller */
  reason;
  /** @type {string | null} what was expected and found; may name a URL or a claim, never token bytes or keys */
  detail;
  /**
   * ERR_AUTH_CONTEXT_MISSING, when the token's `xms_cc` says the client can
   * answer a claims challenge: the claims request (JSON text) and, for an
   * Entra issuer, the tenant's authorize endpoint. Null otherwise.
   * @type {{ claims: string, authorizationUri: string | null } | null}
   */
  claimsChallenge;

  /**
   * The message is the code's reason, then ": " and the detail when there is one.
   * @param {string} code one of `errorCodes`
   * @param {string | null} [detail] lowercase, names what was expected and found, no secrets
   * @param {{ claim?: string | null, claimsChallenge?: { claims: string, authorizationUri: string | null } | null, cause?: unknown }} [details]
   */
  constructor(code, detail = null, details = {}) {
    const reason = ERROR_MESSAGES[code] ?? ERROR_MESSAGES.ERR_INTERNAL;
    super(detail ? `${reason}: ${detail}` : reason, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'JwtGuardError';
    this.code = code in ERROR_MESSAGES ? code : 'ERR_INTERNAL';
    this.claim = details.claim ?? null;
    // The reason names the check and carries no token data, so servers may
    // show it to callers; the detail is for logs.
    this.reason = reason;
    this.detail = detail || null;
    this.claimsChallenge = details.claimsChallenge ? Object.freeze({ ...details.claimsChallenge }) : null;
  }
}

/** Called with each trap before it becomes ERR_INTERNAL: the core's restart (js/trap.js). */
let trapHandler = null;

/**
 * Sets what happens on a trap. js/trap.js registers the core's restart; this
 * module stays free of the core, so `jwtguard/display` loads none.
 * @param {(error: WebAssembly.RuntimeError) => void} handler
 */
export function onTrap(handler) {
  trapHandler = handler;
}

/**
 * What this host adds to a core detail. The core names no JS API; where the
 * fix is a JS option, the hint names it, after the end of the core's detail
 * it belongs to (`after`, the capture groups going to `hint`).
 */
const HOST_HINTS = Object.freeze([
  // src/tenant.rs `diagnose`: a token of the other Entra version.
  {
    code: 'ERR_ISSUER_INVALID',
    after: /, or accept v([12]) tokens$/,
    hint: (version) => ` (the entra preset's version option: ${version} or "any")`,
  },
]);

/**
 * A core detail with this host's hint, if one belongs to it.
 * @param {string} code
 * @param {string | null} detail
 */
function withHostHint(code, detail) {
  if (typeof detail !== 'string') return detail;
  for (const { code: hintCode, after, hint } of HOST_HINTS) {
    const match = hintCode === code ? after.exec(detail) : null;
    if (match) return detail + hint(...match.slice(1));
  }
  return detail;
}

/**
 * Turns anything thrown by the WebAssembly core into a JwtGuardError. A trap
 * (`WebAssembly.RuntimeError`) is a bug: the core is restarted and the call
 * answered with ERR_INTERNAL.
 * @param {unknown} error
 * @returns {JwtGuardError}
 */
export function fromCore(error) {
  if (error instanceof JwtGuardError) return error;
  if (error instanceof WebAssembly.RuntimeError) trapHandler?.(error);
  const core = /** @type {{ code?: unknown, detail?: string | null, claim?: string | null, claimsChallenge?: { claims: string, authorizationUri: string | null } | null }} */ (error);
  if (core && typeof core === 'object' && typeof core.code === 'string' && core.code in ERROR_MESSAGES) {
    const { claim = null, claimsChallenge = null } = core;
    return new JwtGuardError(core.code, withHostHint(core.code, core.detail ?? null), { claim, claimsChallenge });
  }
  return new JwtGuardError('ERR_INTERNAL', null, { cause: error });
}
