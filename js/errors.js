/**
 * Errors: one class, stable codes. The codes mirror the Rust core's table
 * (src/error.rs); a test checks that the two lists are identical.
 */

/** Every error code, in the core's table order. */
export const errorCodes = Object.freeze([
  'ERR_TOKEN_MALFORMED',
  'ERR_TOKEN_TOO_LARGE',
  'ERR_HEADER_INVALID',
  'ERR_ALG_NOT_ALLOWED',
  'ERR_CRIT_UNSUPPORTED',
  'ERR_TYP_INVALID',
  'ERR_KEY_NOT_FOUND',
  'ERR_KEY_INVALID',
  'ERR_JWKS_INVALID',
  'ERR_SIGNATURE_INVALID',
  'ERR_TOKEN_EXPIRED',
  'ERR_TOKEN_NOT_YET_VALID',
  'ERR_TOKEN_TOO_OLD',
  'ERR_ISSUER_INVALID',
  'ERR_AUDIENCE_INVALID',
  'ERR_CLAIM_MISSING',
  'ERR_CLAIM_INVALID',
  'ERR_ROLE_MISSING',
  'ERR_SCOPE_MISSING',
  'ERR_CLIENT_NOT_ALLOWED',
  'ERR_TENANT_NOT_ALLOWED',
  'ERR_PERMISSION_MISSING',
  'ERR_FOREIGN_TOKEN',
  'ERR_DPOP_INVALID',
  'ERR_TOKEN_BOUND',
  'ERR_POLICY_INVALID',
  'ERR_KEYS_NOT_LOADED',
  'ERR_JWKS_FETCH_FAILED',
  'ERR_JWKS_TIMEOUT',
  'ERR_DISCOVERY_INVALID',
  'ERR_INTERNAL',
]);

/** A verification or configuration failure with a stable `code`. */
export class JwtGuardError extends Error {
  /** @type {string} the stable code */
  code;
  /** @type {string | null} the claim or header member concerned */
  claim;
  /** @type {string} the generic reason for the code, safe to show to a caller */
  reason;

  /**
   * @param {string} code one of `errorCodes`
   * @param {string} message lowercase, names the check, no secrets
   * @param {{ claim?: string | null, cause?: unknown }} [details]
   */
  constructor(code, message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'JwtGuardError';
    this.code = code;
    this.claim = details.claim ?? null;
    // Messages are "<reason>: <detail>"; the reason names the check and
    // carries no token data, so servers may show it to callers.
    this.reason = message.split(': ')[0];
  }
}

/**
 * Turns anything thrown by the WebAssembly core into a JwtGuardError. A trap
 * (`WebAssembly.RuntimeError`) is a bug and becomes ERR_INTERNAL.
 * @param {unknown} error
 * @returns {JwtGuardError}
 */
export function fromCore(error) {
  if (error instanceof JwtGuardError) return error;
  if (error && typeof error === 'object' && typeof error.code === 'string' && errorCodes.includes(error.code)) {
    return new JwtGuardError(error.code, String(error.message), { claim: error.claim ?? null });
  }
  return new JwtGuardError('ERR_INTERNAL', 'internal error', { cause: error });
}
