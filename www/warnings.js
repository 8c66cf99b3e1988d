/**
 * Warnings about a decoded (unverified) token: things a person debugging a
 * token should notice before verifying it. Each warning has a stable `id`,
 * a `level` (danger, warn, info) and a sentence of text.
 */

import { explainBinding, localTime, timePhrase } from '@jwtguard/jwtguard/display';

/** Algorithms jwtguard verifies with a key set. */
const ASYMMETRIC_ALGS = Object.freeze(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA']);
/** Algorithms jwtguard verifies only with a configured shared secret. */
const HMAC_ALGS = Object.freeze(['HS256', 'HS384', 'HS512']);

/** Audiences of Microsoft Graph and the retired Azure AD Graph. */
const GRAPH_AUDIENCES = Object.freeze([
  'https://graph.microsoft.com',
  'https://graph.microsoft.com/',
  '00000003-0000-0000-c000-000000000000',
  'https://graph.windows.net',
  'https://graph.windows.net/',
  '00000002-0000-0000-c000-000000000000',
]);

const OWN_API_HINT = 'request a token for your own API instead (scope=api://<your-api-client-id>/.default)';

function audiences(claims) {
  if (typeof claims.aud === 'string') return [claims.aud];
  return Array.isArray(claims.aud) ? claims.aud.filter((a) => typeof a === 'string') : [];
}

const number = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : null);

function timeWarnings(claims, now) {
  const found = [];
  const exp = number(claims.exp);
  const nbf = number(claims.nbf);
  const iat = number(claims.iat);
  if (exp === null) {
    found.push({ id: 'no-exp', level: 'warn', text: 'The token has no expiry (exp): jwtguard refuses it unless the policy sets requireExp to false.' });
  } else if (exp <= now) {
    found.push({ id: 'expired', level: 'danger', text: `Expired: ${timePhrase('exp', exp, now)} (${localTime(exp)}).` });
  }
  if (nbf !== null && nbf > now) {
    found.push({ id: 'not-yet-valid', level: 'danger', text: `Not yet valid: ${timePhrase('nbf', nbf, now)} (from ${localTime(nbf)}).` });
  } else if (iat !== null && iat > now) {
    found.push({ id: 'not-yet-valid', level: 'danger', text: `Issued in the future: ${timePhrase('iat', iat, now)} (${localTime(iat)}). Check the clocks.` });
  }
  return found;
}

function foreignWarnings(header, claims) {
  const found = [];
  if (Object.hasOwn(header, 'nonce')) {
    found.push({
      id: 'foreign-token',
      level: 'danger',
      text: `Token for Microsoft Graph or another Microsoft API: its header carries a nonce, so its signature cannot be verified by your API (ERR_FOREIGN_TOKEN); ${OWN_API_HINT}.`,
    });
  }
  const graph = audiences(claims).find((aud) => GRAPH_AUDIENCES.includes(aud.toLowerCase()));
  if (graph !== undefined) {
    found.push({
      id: 'foreign-audience',
      level: 'danger',
      text: `Token for Microsoft Graph (aud ${graph}), not for your API. Accepting it would let any app holding a Graph token call you; ${OWN_API_HINT}.`,
    });
  }
  return found;
}

function idTokenWarnings(header, claims) {
  const markers = ['nonce', 'at_hash', 'c_hash'].filter((name) => Object.hasOwn(claims, name));
  // An ID token's audience is the client it was issued to, which azp names too.
  if (typeof claims.azp === 'string' && audiences(claims).includes(claims.azp)) markers.push('aud equal to azp');
  const typ = typeof header.typ === 'string' ? header.typ.toLowerCase() : '';
  if (markers.length === 0 || typ.endsWith('at+jwt')) return [];
  return [{
    id: 'id-token',
    level: 'warn',
    text: `Looks like an ID token (it has ${markers.join(', ')}). An ID token tells a client who signed in; it is not an access token for your API. Send the access token instead.`,
  }];
}

function headerWarnings(header) {
  const found = [];
  const { alg } = header;
  if (typeof alg !== 'string') {
    found.push({ id: 'alg', level: 'danger', text: 'The header has no alg (a string): the token cannot be verified.' });
  } else if (alg.toLowerCase() === 'none') {
    found.push({ id: 'alg', level: 'danger', text: 'alg is "none": an unsigned token. Anyone can write one; it must never be accepted.' });
  } else if (HMAC_ALGS.includes(alg)) {
    found.push({ id: 'alg', level: 'warn', text: `${alg} is a shared-secret (HMAC) algorithm: whoever can verify it can also mint it. jwtguard verifies it only with a configured secret, never with a key set.` });
  } else if (!ASYMMETRIC_ALGS.includes(alg)) {
    found.push({ id: 'alg', level: 'danger', text: `alg ${alg} is not supported by jwtguard (supported: ${ASYMMETRIC_ALGS.join(', ')}).` });
  }
  if (typeof header.kid !== 'string') {
    found.push({ id: 'no-kid', level: 'warn', text: 'No kid in the header: the verifier cannot tell which key signed it and tries at most 4 keys. Identity providers such as Entra ID always send one.' });
  }
  const embedded = ['jwk', 'jku', 'x5u', 'x5c'].filter((name) => Object.hasOwn(header, name));
  if (embedded.length > 0) {
    found.push({ id: 'embedded-key', level: 'warn', text: `The header brings its own key or key location (${embedded.join(', ')}); a verifier must never use it.` });
  }
  if (Object.hasOwn(header, 'crit')) {
    found.push({ id: 'crit', level: 'warn', text: 'The header lists critical extensions (crit); jwtguard understands none and refuses the token.' });
  }
  return found;
}

/** Entra ID v1.0 and v2.0 tokens differ in issuer and client claim; a mix means a misconfiguration. */
function versionWarnings(claims) {
  const { ver, iss } = claims;
  if (ver !== '1.0' && ver !== '2.0') return [];
  const found = [];
  const issuer = typeof iss === 'string' ? iss : '';
  const b2c = /\.b2clogin\.com\//i.test(issuer); // B2C writes ver 1.0 with a v2.0-style issuer
  const v2Issuer = /\/v2\.0\/?$/.test(issuer);
  const v1Issuer = /^https:\/\/sts\.[^/]+\/[^/]+\/$/.test(issuer);
  if (ver === '1.0' && v2Issuer && !b2c) {
    found.push({ id: 'version-mismatch', level: 'warn', text: `ver is "1.0" but the issuer is a v2.0 issuer (${issuer}). Entra ID v1.0 tokens come from https://sts.windows.net/{tenant}/.` });
  }
  if (ver === '2.0' && v1Issuer) {
    found.push({ id: 'version-mismatch', level: 'warn', text: `ver is "2.0" but the issuer is a v1.0 issuer (${issuer}). Entra ID v2.0 tokens come from https://login.microsoftonline.com/{tenant}/v2.0.` });
  }
  if (ver === '2.0' && Object.hasOwn(claims, 'appid') && !Object.hasOwn(claims, 'azp')) {
    found.push({ id: 'version-mismatch', level: 'warn', text: 'ver is "2.0" but the client is in appid, the v1.0 claim; v2.0 tokens use azp.' });
  }
  if (ver === '1.0' && Object.hasOwn(claims, 'azp') && !Object.hasOwn(claims, 'appid') && !b2c) {
    found.push({ id: 'version-mismatch', level: 'warn', text: 'ver is "1.0" but the client is in azp, the v2.0 claim; v1.0 tokens use appid.' });
  }
  if (found.length > 0) {
    found.push({ id: 'version-hint', level: 'info', text: 'The API\'s app registration (requestedAccessTokenVersion) decides the version; configure your API for the version it really receives.' });
  }
  return found;
}

/**
 * Every warning for a decoded token at time `now` (Unix seconds).
 * @param {Record<string, unknown>} header
 * @param {Record<string, unknown>} claims
 * @param {number} now
 */
export function tokenWarnings(header, claims, now) {
  const binding = explainBinding(claims.cnf);
  return [
    ...(binding === null ? [] : [{ id: 'bound', level: 'info', text: binding }]),
    ...foreignWarnings(header, claims),
    ...timeWarnings(claims, now),
    ...idTokenWarnings(header, claims),
    ...headerWarnings(header),
    ...versionWarnings(claims),
  ];
}

/** A compact JWS has three dot-separated segments; an opaque token has none of them. */
const JWS_SHAPE = /^[^.]*\.[^.]*\.[^.]*$/;

/**
 * The status line for a token that does not decode: an opaque token (no
 * JWS shape) is named as one, since nothing is wrong with it; anything else
 * gets the decoder's code and message.
 * @param {string} token
 * @param {{ code?: string, message?: string }} error
 */
export function decodeFailure(token, error) {
  if (error.code === 'ERR_TOKEN_MALFORMED' && !JWS_SHAPE.test(token)) {
    return 'Not a JWT: this looks like an opaque token. Only its issuer can say what it means, through token introspection (RFC 7662); an API checks it with introspection(), not with keys.';
  }
  return `Cannot decode this token: ${error.code ?? 'error'}: ${error.message}`;
}
