/**
 * The verification report: every check of the verifier, in the verifier's
 * own order, each marked pass, fail, not evaluated or not required.
 *
 * Only the real verifier decides. It stops at the first failure, and its
 * order is fixed (the core's VERIFICATION_CHECKS), so a check it got past
 * is "pass", the failing check carries the library's code and message, and
 * checks after it were not evaluated. When the failure is in a claim check
 * (after the signature verified), the report sets that one requirement aside
 * (say, accepts the token's own audience) and runs the verifier again to
 * evaluate the later checks; those rows say which checks were set aside.
 * Checks before the signature are never set aside.
 */

import { ANY_TENANT, JwtGuardError, VERIFICATION_CHECKS, createVerifier, inspectToken } from '@jwtguard/jwtguard';

/** Whether a policy list (absent when empty in the normalised policy) has members. */
const listed = (list) => Array.isArray(list) && list.length > 0;
const quoted = (list) => list.map((item) => JSON.stringify(item)).join(', ');

/**
 * What the page says about each check: `required(policy)` says whether the
 * policy asks for an optional check at all; `describe(policy)` says what it
 * asks. The checks themselves (their order, titles, codes and claims) are the
 * core's (`VERIFICATION_CHECKS`).
 */
const WORDING = {
  shape: {
    describe: (p) => `three base64url segments, at most ${p.maxTokenSize} bytes`,
  },
  header: {
    describe: (p) => (listed(p.algorithms) ? `alg one of ${p.algorithms.join(', ')}` : 'any supported alg; no crit, nonce or embedded keys'),
  },
  typ: {
    required: (p) => listed(p.typ), describe: (p) => `typ one of ${quoted(p.typ)}`,
  },
  key: {
    describe: () => 'a key of the key set with the token\'s kid and a fitting type',
  },
  signature: {
    describe: () => 'verifies with that key',
  },
  issuer: {
    describe: (p) => `iss is ${p.issuer.join(' or ')}`,
  },
  audience: {
    describe: (p) => `aud includes ${p.audience.join(' or ')}`,
  },
  times: {
    describe: (p) => [
      `${p.requireExp ? 'exp required; ' : ''}clock tolerance ${p.clockTolerance} s`,
      ...(p.maxTokenAge === undefined ? [] : [`at most ${p.maxTokenAge} s old`]),
      ...(p.maxLifetime === undefined ? [] : [`lifetime at most ${p.maxLifetime} s`]),
      ...(p.maxAuthAge === undefined ? [] : [`signed in at most ${p.maxAuthAge} s ago (auth_time)`]),
    ].join('; '),
  },
  claims: {
    required: (p) => typeof p.subject === 'string' || listed(p.requiredClaims),
    describe: (p) => [
      ...(typeof p.subject === 'string' ? [`sub is ${JSON.stringify(p.subject)}`] : []),
      ...(listed(p.requiredClaims) ? [`present: ${p.requiredClaims.join(', ')}`] : []),
    ].join('; '),
  },
  tenant: {
    required: (p) => listed(p.tenants) && !p.tenants.includes(ANY_TENANT),
    describe: (p) => `tid one of ${p.tenants.join(', ')}`,
  },
  client: {
    required: (p) => listed(p.clients), describe: (p) => `client one of ${p.clients.join(', ')}`,
  },
  roles: {
    required: (p) => listed(p.roles) || listed(p.anyRoles),
    describe: (p) => [...(listed(p.roles) ? [`roles include ${p.roles.join(', ')}`] : []), ...(listed(p.anyRoles) ? [`one of ${p.anyRoles.join(', ')}`] : [])].join('; '),
  },
  scopes: {
    required: (p) => listed(p.scopes) || listed(p.anyScopes),
    describe: (p) => [...(listed(p.scopes) ? [`scopes include ${p.scopes.join(', ')}`] : []), ...(listed(p.anyScopes) ? [`one of ${p.anyScopes.join(', ')}`] : [])].join('; '),
  },
  permission: {
    required: (p) => p.requirePermission === true,
    describe: () => 'the token carries roles or scp',
  },
  authentication: {
    required: (p) => listed(p.acrValues) || listed(p.authContext),
    describe: (p) => [
      ...(listed(p.acrValues) ? [`acr one of ${quoted(p.acrValues)}`] : []),
      ...(listed(p.authContext) ? [`acrs include ${p.authContext.join(', ')}`] : []),
    ].join('; '),
  },
  binding: {
    describe: () => 'a bearer token: no cnf (a bound token needs its proof, which a page cannot give)',
  },
};

/** The checks, in the order the verifier runs them, each with the page's wording. */
export const CHECKS = Object.freeze(VERIFICATION_CHECKS.map((check) => Object.freeze({ ...check, ...WORDING[check.id] })));

const CLAIM_CODES = ['ERR_CLAIM_MISSING', 'ERR_CLAIM_INVALID'];

/** Errors about the policy or the keys themselves: no check of the token ran. */
const SETUP_CODES = ['ERR_POLICY_INVALID', 'ERR_JWKS_INVALID', 'ERR_KEY_INVALID', 'ERR_KEYS_NOT_LOADED'];

const SIGNATURE_INDEX = CHECKS.findIndex((check) => check.id === 'signature');

/** The check an error belongs to: by code, or for a missing or invalid claim, by the claim's name. */
export function checkOf(error) {
  if (CLAIM_CODES.includes(error.code)) {
    return CHECKS.find((check) => check.claims?.includes(error.claim)) ?? CHECKS.find((check) => check.id === 'claims');
  }
  return CHECKS.find((check) => check.codes.includes(error.code)) ?? null;
}

const strings = (value) => (typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v) => typeof v === 'string') : []);
const numberOrAbsent = (value) => value === undefined || (typeof value === 'number' && Number.isFinite(value));

/**
 * Options that set aside one failed claim check, so that the verifier can
 * evaluate the checks after it; null when it cannot be set aside (the claim
 * itself is missing or malformed). `claims` are the token's, already known
 * to be genuine since the signature verified.
 */
const SET_ASIDE = {
  issuer: (options, claims) => (typeof claims.iss === 'string' && options.issuer !== claims.iss ? { ...options, issuer: claims.iss } : null),
  audience: (options, claims) => (strings(claims.aud).length > 0 ? { ...options, audience: strings(claims.aud) } : null),
  times(options, { exp, nbf, iat }) {
    if (![exp, nbf, iat].every(numberOrAbsent)) return null;
    // A moment inside the token's validity, with the age limits lifted.
    const at = exp === undefined ? Math.max(nbf ?? 0, iat ?? 0) : exp - 1;
    if ((nbf ?? at) > at || (iat ?? at) > at) return null;
    return { ...options, requireExp: false, maxTokenAge: undefined, maxLifetime: undefined, maxAuthAge: undefined, now: () => at };
  },
  claims(options, claims, error) {
    if (error.claim === 'sub' && options.subject !== undefined) return { ...options, subject: undefined };
    const required = options.requiredClaims ?? [];
    return required.includes(error.claim) ? { ...options, requiredClaims: required.filter((name) => name !== error.claim) } : null;
  },
  // "*", not nothing: a {tenantid} issuer must name its tenants.
  tenant: (options) => ({ ...options, tenants: ANY_TENANT }),
  client: (options) => ({ ...options, clients: undefined }),
  roles: (options) => ({ ...options, roles: undefined, anyRoles: undefined }),
  scopes: (options) => ({ ...options, scopes: undefined, anyScopes: undefined }),
  permission: (options) => ({ ...options, requirePermission: false }),
  authentication: (options) => ({ ...options, acrValues: undefined, authContext: undefined }),
};

/**
 * One run of the real verifier: `{ verifier, result, error }`. `verify()`
 * loads the keys first, so a key source that fetches works here too.
 */
async function run(token, options) {
  let verifier = null;
  try {
    verifier = createVerifier(options);
    return { verifier, result: await verifier.verify(token), error: null };
  } catch (error) {
    if (!(error instanceof JwtGuardError)) throw error;
    return { verifier, result: null, error };
  }
}

function row(check, status, policy, details = {}) {
  const { id, title, required, describe } = check;
  const asked = policy !== null && (!required || required(policy));
  return {
    id,
    title,
    status: status === 'pass' && !asked ? 'not-required' : status,
    requirement: asked ? describe(policy) : null,
    code: details.code ?? null,
    message: details.message ?? null,
    setAside: details.setAside ?? [],
  };
}

/**
 * The report when the policy or the keys are unusable (or could not be
 * fetched): no check of the token ran.
 */
export function setupReport(error, policy = null) {
  const checks = CHECKS.map((check) => row(check, 'not-evaluated', null));
  return { verified: false, result: null, error: null, failures: [], setupError: error, policy, checks };
}

/**
 * Verifies `token` with `options` (createVerifier options: policy fields and
 * keys) and reports every check.
 * @returns {Promise<{ verified: boolean, result: object | null, error: JwtGuardError | null, failures: JwtGuardError[], setupError: JwtGuardError | null, policy: object | null, checks: object[] }>}
 */
export async function verificationReport(token, options) {
  const first = await run(token, options);
  const policy = first.verifier?.policy ?? null;
  if (first.error !== null && (first.verifier === null || SETUP_CODES.includes(first.error.code))) return setupReport(first.error, policy);
  const checks = [];
  const failures = [];
  const setAside = [];
  let current = first;
  let runOptions = options;
  while (checks.length < CHECKS.length) {
    const { error } = current;
    // An error outside the table (ERR_INTERNAL, say) fails the first check: nothing is known to have passed.
    const failedIndex = error === null ? CHECKS.length : Math.max(0, CHECKS.indexOf(checkOf(error)));
    if (failedIndex < checks.length) break; // a set-aside check failed again: stop here
    const notes = { setAside: [...setAside] };
    for (const check of CHECKS.slice(checks.length, failedIndex)) checks.push(row(check, 'pass', policy, notes));
    if (error === null) break;
    const failed = CHECKS[failedIndex];
    checks.push(row(failed, 'fail', policy, { ...notes, code: error.code, message: error.message }));
    failures.push(error);
    const next = failedIndex > SIGNATURE_INDEX ? SET_ASIDE[failed.id]?.(runOptions, inspectToken(token).claims, error) : null;
    if (!next) break;
    setAside.push(failed.title);
    runOptions = next;
    current = await run(token, runOptions);
  }
  for (const check of CHECKS.slice(checks.length)) checks.push(row(check, 'not-evaluated', policy));
  return { verified: first.error === null, result: first.result, error: first.error, failures, setupError: null, policy, checks };
}
