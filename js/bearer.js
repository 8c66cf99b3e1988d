/**
 * Bearer authentication for HTTP servers (RFC 6750): extracting the token
 * from `Authorization`, and the 401/403 answers with `WWW-Authenticate`.
 * Shared by the Worker (`jwtguard/worker`) and Hono (`jwtguard/hono`) middleware.
 */

/** RFC 6750 §2.1 b64token (token68 in RFC 7235): the only characters a bearer token may have. */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Codes about the caller's permissions (403) rather than its credentials (401). */
const FORBIDDEN = new Set(['ERR_ROLE_MISSING', 'ERR_SCOPE_MISSING', 'ERR_CLIENT_NOT_ALLOWED', 'ERR_TENANT_NOT_ALLOWED']);

/** Codes that mean the server cannot check tokens right now (keys unavailable): 503. */
const UNAVAILABLE = new Set(['ERR_KEYS_NOT_LOADED', 'ERR_JWKS_FETCH_FAILED', 'ERR_JWKS_TIMEOUT', 'ERR_DISCOVERY_INVALID', 'ERR_JWKS_INVALID']);

/** Codes that mean the server is misconfigured: 500. */
const MISCONFIGURED = new Set(['ERR_POLICY_INVALID', 'ERR_KEY_INVALID', 'ERR_INTERNAL']);

/**
 * The bearer token of an `Authorization` header value.
 * @param {string | null} header
 * @returns {{ token: string } | { problem: 'missing' | 'malformed' }}
 */
export function bearerToken(header) {
  if (header === null || header === undefined || header.trim() === '') return { problem: 'missing' };
  const match = /^([A-Za-z]+)(?: +(.*))?$/.exec(header.trim());
  // Another scheme (Basic, DPoP…) is not bearer credentials at all.
  if (!match || match[1].toLowerCase() !== 'bearer') return match ? { problem: 'missing' } : { problem: 'malformed' };
  const credentials = match[2] ?? '';
  // Exactly one token68; two Authorization headers arrive joined by ", ".
  if (!TOKEN68.test(credentials)) return { problem: 'malformed' };
  return { token: credentials };
}

const quoted = (value) => `"${String(value).replace(/["\\]/g, '')}"`;

/**
 * The HTTP answer for a request that failed authentication.
 * Never echoes the token or its claims: only the code and its generic reason.
 * @param {{ problem?: 'missing' | 'malformed', error?: { code: string, reason: string }, realm: string, scopes?: string[] }} failure
 * @returns {{ status: number, headers: Record<string, string>, body: { error: string, code: string | null } }}
 */
export function failureResponse({ problem, error, realm, scopes = [] }) {
  const challenge = [`Bearer realm=${quoted(realm)}`];
  let status = 401;
  let oauthError;
  let code = null;
  if (problem === 'missing') {
    oauthError = 'unauthorized';
  } else if (problem === 'malformed') {
    oauthError = 'invalid_request';
    code = 'ERR_TOKEN_MALFORMED';
    challenge.push('error="invalid_request"', 'error_description="the authorization header is not one bearer token"');
  } else if (FORBIDDEN.has(error.code)) {
    status = 403;
    oauthError = 'insufficient_scope';
    code = error.code;
    challenge.push('error="insufficient_scope"', `error_description=${quoted(`${code}: ${error.reason}`)}`);
    if (error.code === 'ERR_SCOPE_MISSING' && scopes.length) challenge.push(`scope=${quoted(scopes.join(' '))}`);
  } else if (UNAVAILABLE.has(error.code) || MISCONFIGURED.has(error.code)) {
    const unavailable = UNAVAILABLE.has(error.code);
    return {
      status: unavailable ? 503 : 500,
      headers: { 'content-type': 'application/json', ...(unavailable ? { 'retry-after': '30' } : {}) },
      body: { error: unavailable ? 'temporarily_unavailable' : 'server_error', code: error.code },
    };
  } else {
    oauthError = 'invalid_token';
    code = error.code;
    challenge.push('error="invalid_token"', `error_description=${quoted(`${code}: ${error.reason}`)}`);
  }
  return {
    status,
    headers: { 'content-type': 'application/json', 'www-authenticate': challenge.join(', ') },
    body: { error: oauthError, code },
  };
}
