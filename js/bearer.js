/**
 * HTTP authentication for servers: reading `Authorization` (RFC 6750 Bearer,
 * RFC 9449 DPoP), and the 401/403 answers with `WWW-Authenticate`. Shared by
 * `verifyRequest` and every middleware.
 */

import { JwtGuardError } from './errors.js';

/** RFC 6750 §2.1 b64token (token68 in RFC 7235): the only characters a bearer token may have. */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/** The schemes an access token may come with, by their lowercase names (a Map: no inherited keys). */
/** @type {Map<string, 'bearer' | 'dpop'>} */
const SCHEMES = new Map([['bearer', 'bearer'], ['dpop', 'dpop']]);

/** Codes about the caller's permissions (403) rather than its credentials (401). */
const FORBIDDEN = new Set(['ERR_ROLE_MISSING', 'ERR_SCOPE_MISSING', 'ERR_CLIENT_NOT_ALLOWED', 'ERR_TENANT_NOT_ALLOWED', 'ERR_PERMISSION_MISSING']);

/**
 * Codes that mean the server cannot check tokens right now (keys or the
 * introspection endpoint unavailable, or its answer unusable): 503.
 */
const UNAVAILABLE = new Set([
  'ERR_KEYS_NOT_LOADED', 'ERR_JWKS_FETCH_FAILED', 'ERR_JWKS_TIMEOUT', 'ERR_DISCOVERY_INVALID', 'ERR_JWKS_INVALID',
  'ERR_INTROSPECTION_FAILED', 'ERR_INTROSPECTION_INVALID',
]);

/** Codes about the HTTP request itself rather than its credentials: 400 invalid_request, no challenge. */
const BAD_REQUEST = new Set(['ERR_REQUEST_INVALID']);

/** Codes that mean the server is misconfigured: 500. */
const MISCONFIGURED = new Set(['ERR_POLICY_INVALID', 'ERR_KEY_INVALID', 'ERR_INTERNAL']);

/**
 * The access token of an `Authorization` header value, and its scheme.
 * @param {string | null | undefined} header
 * @returns {{ problem?: undefined, scheme: 'bearer' | 'dpop', token: string } | { problem: 'missing' | 'malformed', scheme?: undefined, token?: undefined }}
 */
export function readAuthorization(header) {
  if (header === null || header === undefined || header.trim() === '') return { problem: 'missing' };
  const match = /^([A-Za-z]+)(?: +(.*))?$/.exec(header.trim());
  if (!match) return { problem: 'malformed' };
  const scheme = SCHEMES.get(match[1].toLowerCase());
  // Another scheme (Basic…) is not access-token credentials at all.
  if (scheme === undefined) return { problem: 'missing' };
  const credentials = match[2] ?? '';
  // Exactly one token68; two Authorization headers arrive joined by ", ".
  if (!TOKEN68.test(credentials)) return { problem: 'malformed' };
  return { scheme, token: credentials };
}

/** What a malformed Authorization header is told (and onRefuse's detail). */
export const MALFORMED = 'the authorization header is not one bearer or dpop token';

/**
 * Details the client may read in `error_description`: they name the claim
 * and the check, never a policy value (accepted audiences, issuers, tenants,
 * clients or claim values stay in the server's log, through onRefuse).
 */
const PUBLIC_DETAILS = Object.freeze({
  ERR_CLAIM_INVALID: /^"[^"]+" must be absent$/,
  ERR_CLAIM_MISSING: /^"[^"]+" is required$/,
});

/**
 * The `error_description` of a refusal: the code, then the check and the
 * claim when the core's detail names no policy value, else the code's reason
 * with the claim. Double quotes become single ones and any other character
 * RFC 6750 §3 does not allow becomes `?`.
 * @param {{ code: string, reason: string, claim?: string | null, detail?: string | null }} error
 */
export function describeRefusal({ code, reason, claim, detail }) {
  const named = claim && code === 'ERR_CLAIM_INVALID' ? ` ('${claim}')` : '';
  const text = detail && PUBLIC_DETAILS[code]?.test(detail) ? `${code}: ${detail.replace(/"/g, "'")}` : `${code}: ${reason}${named}`;
  // RFC 6750 §3: printable ASCII but `"` and `\`; a claim name is the policy's, and may hold anything.
  return text.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '?');
}

const quoted = (value) => `"${String(value).replace(/["\\]/g, '')}"`;

/** Codes the user fixes by signing in again (RFC 9470 §3): 401 insufficient_user_authentication. */
const STEP_UP = new Set(['ERR_AUTH_LEVEL_INSUFFICIENT', 'ERR_AUTH_TOO_OLD']);

/** Standard base64 of ASCII text (a claims request, which names only claim names and c1…c99). */
const base64 = (text) => btoa(text);

/**
 * The step-up parameters of a challenge (RFC 9470 §3): `acr_values` and
 * `max_age`, each when the policy sets it, so the client's next token meets
 * both.
 * @param {{ acrValues?: string[], maxAuthAge?: number }} policy
 */
function stepUpParameters({ acrValues = [], maxAuthAge }) {
  return [
    ...(acrValues.length ? [`acr_values=${quoted(acrValues.join(' '))}`] : []),
    ...(maxAuthAge === undefined ? [] : [`max_age=${maxAuthAge}`]),
  ];
}

/**
 * The HTTP answer for a request that failed authentication.
 * Never echoes the token or a claim's value: the code, its reason, and a
 * claim's name (describeRefusal), and what the policy asks for (scopes, acr
 * values, max age, authentication context ids).
 * @param {{ problem?: 'missing' | 'malformed', error?: { code: string, reason: string, claim?: string | null, detail?: string | null, claimsChallenge?: { claims: string, authorizationUri: string | null } | null, dpopNonce?: string }, realm: string, policy?: { scopes?: string[], dpopAlgorithms?: string[], acrValues?: string[], maxAuthAge?: number }, scheme?: 'bearer' | 'dpop', resourceMetadata?: string }} failure
 * @returns {{ status: number, headers: Record<string, string>, body: { error: string, code: string | null } }}
 */
export function failureResponse({ problem, error, realm, policy = {}, scheme = 'bearer', resourceMetadata }) {
  const { scopes = [], dpopAlgorithms = [] } = policy;
  // RFC 9728 §5.1: every challenge of a 401 names the protected resource metadata.
  const metadata = resourceMetadata ? [`resource_metadata=${quoted(resourceMetadata)}`] : [];
  const bearer = [`Bearer realm=${quoted(realm)}`, ...metadata];
  const dpop = [`DPoP algs=${quoted(dpopAlgorithms.join(' '))}`, ...metadata];
  // The challenge follows the scheme the request used (RFC 9449 §7.1).
  const challenge = scheme === 'dpop' ? dpop : bearer;
  let status = 401;
  let oauthError;
  let code = null;
  const describe = (oauth) => challenge.push(`error=${quoted(oauth)}`, `error_description=${quoted(describeRefusal(error))}`);
  if (problem === 'missing') {
    oauthError = 'unauthorized';
    // No credentials: both schemes are offered.
    return {
      status,
      headers: { 'content-type': 'application/json', 'www-authenticate': `${bearer.join(', ')}, ${dpop.join(', ')}` },
      body: { error: oauthError, code },
    };
  } else if (problem === 'malformed') {
    oauthError = 'invalid_request';
    code = 'ERR_TOKEN_MALFORMED';
    challenge.push('error="invalid_request"', `error_description=${quoted(MALFORMED)}`);
  } else if (FORBIDDEN.has(error.code)) {
    status = 403;
    oauthError = 'insufficient_scope';
    code = error.code;
    describe(oauthError);
    if (error.code === 'ERR_SCOPE_MISSING' && scopes.length) challenge.push(`scope=${quoted(scopes.join(' '))}`);
  } else if (STEP_UP.has(error.code)) {
    oauthError = 'insufficient_user_authentication';
    code = error.code;
    describe(oauthError);
    challenge.push(...stepUpParameters(policy));
  } else if (error.code === 'ERR_AUTH_CONTEXT_MISSING') {
    // Entra's claims challenge: only a client that declared it can answer
    // one (xms_cc holds cp1) gets it, in a 401; any other cannot act on it.
    const asked = error.claimsChallenge ?? null;
    oauthError = 'insufficient_claims';
    code = error.code;
    if (asked === null) status = 403;
    describe(oauthError);
    if (asked !== null) {
      challenge.push(`claims=${quoted(base64(asked.claims))}`);
      if (asked.authorizationUri !== null) challenge.push(`authorization_uri=${quoted(asked.authorizationUri)}`);
    }
  } else if (BAD_REQUEST.has(error.code)) {
    return { status: 400, headers: { 'content-type': 'application/json' }, body: { error: 'invalid_request', code: error.code } };
  } else if (UNAVAILABLE.has(error.code) || MISCONFIGURED.has(error.code)) {
    const unavailable = UNAVAILABLE.has(error.code);
    return {
      status: unavailable ? 503 : 500,
      headers: { 'content-type': 'application/json', ...(unavailable ? { 'retry-after': '30' } : {}) },
      body: { error: unavailable ? 'temporarily_unavailable' : 'server_error', code: error.code },
    };
  } else if (error.code === 'ERR_DPOP_INVALID' || error.code === 'ERR_DPOP_NONCE') {
    // RFC 9449 §7.1: a bad proof is answered in the DPoP scheme; §9: a missing or stale
    // server nonce with use_dpop_nonce and the nonce to retry with.
    challenge.splice(0, challenge.length, ...dpop);
    oauthError = error.code === 'ERR_DPOP_NONCE' ? 'use_dpop_nonce' : 'invalid_dpop_proof';
    code = error.code;
    describe(oauthError);
  } else {
    oauthError = 'invalid_token';
    code = error.code;
    describe(oauthError);
  }
  return {
    status,
    headers: { 'content-type': 'application/json', 'www-authenticate': challenge.join(', '), ...nonceHeader(error?.dpopNonce) },
    body: { error: oauthError, code },
  };
}

/**
 * The `DPoP-Nonce` response header (RFC 9449 §8.1, §9) with the nonce a
 * client's next proof carries, or none.
 * @param {string | undefined} nonce
 * @returns {Record<string, string>}
 */
export const nonceHeader = (nonce) => (nonce === undefined ? {} : { 'dpop-nonce': nonce });

/**
 * The answer to a `verifyRequest` failure, as every middleware gives it: the
 * status, `WWW-Authenticate` (RFC 6750, RFC 9449, RFC 9470 step-up, Entra
 * claims challenges) and a JSON body.
 * @param {unknown} error what `verifyRequest` threw
 * @param {{ policy?: object | object[], realm?: string, scheme?: 'bearer' | 'dpop', resourceMetadata?: string }} [options]
 *   `policy`: the verifier's (`verifier.policy`); `scheme`: how the request presented its token
 */
export function refusalResponse(error, { policy = {}, realm = 'api', scheme = 'bearer', resourceMetadata } = {}) {
  const first = Array.isArray(policy) ? policy[0] ?? {} : policy;
  const refusal = error instanceof JwtGuardError ? error : new JwtGuardError('ERR_INTERNAL', null, { cause: error });
  return failureResponse({ error: refusal, realm, policy: first, scheme, resourceMetadata });
}
