/**
 * The verification report: every check of the verifier, in the verifier's
 * own order, each marked pass, fail, not evaluated or not required.
 *
 * It runs the real verifier once. The verifier stops at the first failure,
 * so a check is marked "pass" only when the verifier got past it (the order
 * is fixed: see the README's policy section); the failing check carries the
 * library's code and message; every later check is "not evaluated". Nothing
 * is re-implemented here.
 */

import { JwtGuardError, createVerifier } from 'jwtguard';

/** Whether a policy list (absent when empty in the normalised policy) has members. */
const listed = (list) => Array.isArray(list) && list.length > 0;

/**
 * The checks, in the order the verifier runs them. `codes` and `claims` say
 * which errors belong to a check; `required(policy)` says whether the policy
 * asks for an optional check at all.
 */
export const CHECKS = Object.freeze([
  { id: 'shape', title: 'Token shape and size', codes: ['ERR_TOKEN_MALFORMED', 'ERR_TOKEN_TOO_LARGE'] },
  { id: 'header', title: 'Header and algorithm', codes: ['ERR_HEADER_INVALID', 'ERR_ALG_NOT_ALLOWED', 'ERR_CRIT_UNSUPPORTED', 'ERR_FOREIGN_TOKEN'] },
  { id: 'typ', title: 'Token type (typ)', codes: ['ERR_TYP_INVALID'], required: (p) => listed(p.typ) },
  { id: 'key', title: 'Key selection (kid)', codes: ['ERR_KEY_NOT_FOUND'] },
  { id: 'signature', title: 'Signature', codes: ['ERR_SIGNATURE_INVALID'] },
  { id: 'issuer', title: 'Issuer (iss)', codes: ['ERR_ISSUER_INVALID'], claims: ['iss'] },
  { id: 'audience', title: 'Audience (aud)', codes: ['ERR_AUDIENCE_INVALID'], claims: ['aud'] },
  { id: 'times', title: 'Lifetime (exp, nbf, iat)', codes: ['ERR_TOKEN_EXPIRED', 'ERR_TOKEN_NOT_YET_VALID', 'ERR_TOKEN_TOO_OLD'], claims: ['exp', 'nbf', 'iat'] },
  { id: 'claims', title: 'Subject and required claims', codes: [], required: (p) => typeof p.subject === 'string' || listed(p.requiredClaims) },
  { id: 'tenant', title: 'Tenant (tid)', codes: ['ERR_TENANT_NOT_ALLOWED'], claims: ['tid'], required: (p) => listed(p.tenants) },
  { id: 'client', title: 'Client (azp, appid, client_id)', codes: ['ERR_CLIENT_NOT_ALLOWED'], claims: ['azp', 'appid', 'client_id'], required: (p) => listed(p.clients) },
  { id: 'roles', title: 'Roles', codes: ['ERR_ROLE_MISSING'], claims: ['roles'], required: (p) => listed(p.roles) },
  { id: 'scopes', title: 'Scopes (scp, scope)', codes: ['ERR_SCOPE_MISSING'], claims: ['scp', 'scope'], required: (p) => listed(p.scopes) },
]);

const CLAIM_CODES = ['ERR_CLAIM_MISSING', 'ERR_CLAIM_INVALID'];

/** Errors about the policy or the keys themselves: no check of the token ran. */
const SETUP_CODES = ['ERR_POLICY_INVALID', 'ERR_JWKS_INVALID', 'ERR_KEY_INVALID', 'ERR_KEYS_NOT_LOADED'];

/** The check an error belongs to: by code, or for a missing or invalid claim, by the claim's name. */
export function checkOf(error) {
  if (CLAIM_CODES.includes(error.code)) {
    return CHECKS.find((check) => check.claims?.includes(error.claim)) ?? CHECKS.find((check) => check.id === 'claims');
  }
  return CHECKS.find((check) => check.codes.includes(error.code)) ?? null;
}

/**
 * Verifies `token` with `options` (createVerifier options: policy fields and
 * keys) and reports every check.
 * @returns {{ verified: boolean, result: object | null, error: JwtGuardError | null, setupError: JwtGuardError | null, policy: object | null, checks: Array<{ id: string, title: string, status: 'pass' | 'fail' | 'not-evaluated' | 'not-required', code: string | null, message: string | null }> }}
 */
export function verificationReport(token, options) {
  let verifier = null;
  let result = null;
  let error = null;
  try {
    verifier = createVerifier(options);
    result = verifier.verifySync(token);
  } catch (thrown) {
    if (!(thrown instanceof JwtGuardError)) throw thrown;
    error = thrown;
  }
  const policy = verifier?.policy ?? null;
  if (error !== null && (verifier === null || SETUP_CODES.includes(error.code))) {
    // The policy or the keys are unusable: no check of the token ran.
    const checks = CHECKS.map(({ id, title }) => ({ id, title, status: 'not-evaluated', code: null, message: null }));
    return { verified: false, result: null, error: null, setupError: error, policy, checks };
  }
  // An error outside the table (ERR_INTERNAL, say) fails the first check: nothing is known to have passed.
  const failedIndex = error === null ? CHECKS.length : Math.max(0, CHECKS.indexOf(checkOf(error)));
  const checks = CHECKS.map(({ id, title, required }, index) => {
    if (index === failedIndex) return { id, title, status: 'fail', code: error.code, message: error.message };
    if (index > failedIndex) return { id, title, status: 'not-evaluated', code: null, message: null };
    const status = required && !required(policy) ? 'not-required' : 'pass';
    return { id, title, status, code: null, message: null };
  });
  return { verified: error === null, result, error, setupError: null, policy, checks };
}
