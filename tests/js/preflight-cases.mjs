// The CORS preflight rule every middleware shares (js/request.js
// isPreflight): `OPTIONS` with `Access-Control-Request-Method` goes on to the
// next handler without a token check, without auth and without the
// credentials the middleware reads; any other `OPTIONS`, or every `OPTIONS`
// with `checkPreflight: true`, is checked like any request. The handlers
// behind the middleware answer what they saw: `{ auth, authorization, dpop,
// cookie, path }`.
import assert from 'node:assert/strict';

/** The headers of a preflight that (against the Fetch standard) carries credentials. */
export const PREFLIGHT_HEADERS = Object.freeze({
  origin: 'https://app.example',
  'access-control-request-method': 'POST',
  'access-control-request-headers': 'authorization, content-type',
  authorization: 'Bearer not-a-token',
  dpop: 'not-a-proof',
  'x-access-token': 'not-a-token',
  cookie: 'theme=dark; at=not-a-token',
});

/** The middleware settings of the two apps: the default, and checking OPTIONS. */
export const TOKEN_FROM = Object.freeze({ header: 'X-Access-Token', cookie: 'at', query: 'access_token' });

/**
 * `[name, headers, query, checkPreflight, status, seen]`: `seen` is what the
 * handler must report (null: it must not be reached).
 */
export const PREFLIGHT_CASES = Object.freeze([
  ['a preflight passes unchecked, without credentials', PREFLIGHT_HEADERS, '?access_token=x&page=2', false, 200,
    { auth: null, authorization: null, dpop: null, token: null, cookie: 'theme=dark', path: '/api/whoami?page=2' }],
  ['a preflight with no credentials at all', { origin: 'https://app.example', 'access-control-request-method': 'GET' }, '', false, 200,
    { auth: null, authorization: null, dpop: null, token: null, cookie: null, path: '/api/whoami' }],
  ['OPTIONS without Access-Control-Request-Method is checked', { origin: 'https://app.example' }, '', false, 401, null],
  ['a preflight with checkPreflight is checked', PREFLIGHT_HEADERS, '', true, 401, null],
]);

/**
 * Checks a middleware's answer to a case: the handler's report, or a
 * refusal with a challenge when the request was checked (the handler never
 * reached).
 * @param {Response} response
 * @param {number} status
 * @param {object | null} want
 */
export async function assertPreflightAnswer(response, status, want) {
  const body = await response.json();
  assert.equal(response.status, status, JSON.stringify(body));
  if (want) {
    assert.deepEqual(body, want);
    return;
  }
  assert.ok(['unauthorized', 'invalid_request'].includes(body.error), JSON.stringify(body));
  assert.match(response.headers.get('www-authenticate'), /^Bearer realm="api"/);
}
