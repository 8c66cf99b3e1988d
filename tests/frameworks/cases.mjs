// The shared table every framework adapter test (tests/frameworks/*.test.mjs)
// runs against its own server on 127.0.0.1: an HTTP base URL and a start
// function are all a framework needs. Tokens and DPoP proofs are signed by
// jose (tests/js/helpers.mjs, tests/js/dpop-client.mjs), never by jwtguard;
// WWW-Authenticate is parsed (tests/js/challenges.mjs) and compared whole.
//
// The app a framework test starts (`start({ options, role, settings, keysDown })`):
// - the adapter with `options` and `settings` (`{ resourceMetadata: true,
//   tokenFrom: { query: 'access_token' }, onRefuse: false }`). The options
//   are two issuers' (an array): ISSUER with its keys in memory, and
//   DOWN_ISSUER, whose key set URL `keysDown` answers 503. Each requires
//   `role` (a framework with route decorators may require it there too);
// - `GET /api/whoami` answers `{ sub, key, binding }` from the auth the
//   adapter set (binding null when there is none);
// - `OPTIONS /api/whoami` answers what a CORS preflight handler saw:
//   `{ auth, authorization, dpop, path }` (null for what is absent; `path`
//   the request's path and query as the framework's request gives it).
// A second app, the same but for the options (one issuer whose policy asks
// for step-up: `acrValues` and `maxAuthAge`), answers the step-up rows.
//
// Test names carry the tags of the adapter matrix (docs/middleware.md;
// tests/js/adapter-matrix.test.mjs): [dpop], [rfc9728], [preflight], [step-up].
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AUDIENCE, ISSUER, goodClaims, keyPair, nowSeconds, sign } from '../js/helpers.mjs';
import { parseChallenges } from '../js/challenges.mjs';
import { dpopClient, windowNonce } from '../js/dpop-client.mjs';
import { serve } from '../js/remote/net.mjs';
import { AGE, LEVEL, STEP_UP_POLICIES } from '../js/step-up-cases.mjs';
import { remoteJwks } from '@jwtguard/jwtguard';

/** The role `/api/whoami` requires. */
const ROLE = 'Data.Read';

/** The issuer whose keys cannot be had. */
const DOWN_ISSUER = 'https://issuer.test/down/v2.0';

/** The DPoP algorithms a DPoP challenge lists by default. */
const DPOP_ALGS = 'ES256 ES384 EdDSA RS256 RS384 RS512 PS256 PS384 PS512';

/** The server nonces (RFC 9449 §8) the apps ask for: the secret and the window, in seconds. */
const NONCE_SECRET = 'the framework adapters dpop nonce secret, 32+ bytes';
const NONCE_WINDOW = 3600;

/** The `x5t#S256` of a certificate no request presents (the SHA-256 of "no such certificate", base64url). */
const CERTIFICATE_THUMBPRINT = 'VRF639RDOayGG_xn8s_2XjSWkHaO0uhxMLGiZi0-pz4';

/** The path whose answers the table checks. */
const PATH = '/api/whoami';

/** The metadata document's path (RFC 9728 §3.1). */
const WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** A challenge `scheme` with `params`, as parseChallenges gives it. */
const challenge = (scheme, params) => ({ scheme, params });

/** The Bearer challenge of a refusal, naming the metadata (`meta`). */
const bearer = (meta, params = {}) => challenge('bearer', { realm: 'api', resource_metadata: meta, ...params });

/**
 * `[name, authorization(token helpers), status, body, challenges(meta)]`:
 * the Bearer rows, each a GET of /api/whoami; `challenges` null for a 200.
 */
const BEARER_ROWS = [
  ['valid', async ({ token }) => `Bearer ${await token()}`, 200, null, null],
  ['missing', async () => undefined, 401, { error: 'unauthorized', code: null },
    (meta) => [bearer(meta), challenge('dpop', { algs: DPOP_ALGS, resource_metadata: meta })]],
  ['invalid (expired)', async ({ token }) => `Bearer ${await token({ exp: nowSeconds() - 300 })}`, 401,
    { error: 'invalid_token', code: 'ERR_TOKEN_EXPIRED' },
    (meta) => [bearer(meta, { error: 'invalid_token', error_description: 'ERR_TOKEN_EXPIRED: token has expired' })]],
  ['invalid (another key, same kid)', async ({ forged }) => `Bearer ${await forged()}`, 401,
    { error: 'invalid_token', code: 'ERR_SIGNATURE_INVALID' },
    (meta) => [bearer(meta, { error: 'invalid_token', error_description: 'ERR_SIGNATURE_INVALID: signature is invalid' })]],
  ['certificate-bound, without its certificate (plain HTTP)', async ({ token }) => `Bearer ${await token({ cnf: { 'x5t#S256': CERTIFICATE_THUMBPRINT } })}`, 401,
    { error: 'invalid_token', code: 'ERR_TOKEN_BOUND' },
    (meta) => [bearer(meta, { error: 'invalid_token', error_description: 'ERR_TOKEN_BOUND: token is bound to a key and was not presented with it' })]],
  ['wrong role', async ({ token }) => `Bearer ${await token({ roles: ['Data.Write'] })}`, 403,
    { error: 'insufficient_scope', code: 'ERR_ROLE_MISSING' },
    (meta) => [bearer(meta, { error: 'insufficient_scope', error_description: 'ERR_ROLE_MISSING: required role is missing' })]],
];

/**
 * `[name, claims(now), status, challenge params beyond realm and resource_metadata]`:
 * the step-up rows, each a GET of /api/whoami on the step-up app, whose
 * policy is STEP_UP_POLICIES.stepUp (acrValues urn:mfa urn:phr, maxAuthAge 300).
 */
const STEP_UP_ROWS = [
  ['no acr', (now) => ({ auth_time: now }), 401,
    { error: 'insufficient_user_authentication', error_description: LEVEL, acr_values: 'urn:mfa urn:phr', max_age: '300' }],
  ['the right acr, signed in too long ago', (now) => ({ acr: 'urn:mfa', auth_time: now - 1000 }), 401,
    { error: 'insufficient_user_authentication', error_description: AGE, acr_values: 'urn:mfa urn:phr', max_age: '300' }],
  ['the right acr, signed in recently', (now) => ({ acr: 'urn:phr', auth_time: now - 10 }), 200, null],
];

/** What `GET /api/whoami` answers for a Bearer token signed by `pair`. */
const whoami = (pair) => ({ sub: 'service-principal-1', key: { kid: pair.kid, alg: 'ES256' }, binding: null });

/**
 * Registers the shared table for one framework: `before` starts its app
 * (`start` resolves to `{ origin, close }`), `after` closes it.
 * @param {string} name what the suite is called
 * @param {(app: { options: object[], role: string, settings: object, keysDown: string }) => Promise<{ origin: string, close(): Promise<void> | void }>} start
 * @param {(context: { origin: () => string, pair: () => Awaited<ReturnType<typeof keyPair>> }) => void} [more] the framework's own tests, in the same suite
 * @param {{ preflightKeepsQuery?: boolean }} [limits] what the framework does not let the adapter do, as its page says:
 *   `preflightKeepsQuery`, a preflight's handler still sees the `tokenFrom.query` parameter in the path
 */
export function frameworkSuite(name, start, more, { preflightKeepsQuery = false } = {}) {
  describe(name, () => {
    let pair;
    let app;
    let stepUpApp;
    let down;
    before(async () => {
      pair = await keyPair('ES256');
      // The identity provider of DOWN_ISSUER is down: its key set answers 503.
      down = await serve((req, res) => {
        res.writeHead(503);
        res.end();
      });
      const keysDown = `${down.origin}/keys`;
      const policy = { audience: AUDIENCE, roles: [ROLE], dpopNonce: { secret: NONCE_SECRET, window: NONCE_WINDOW } };
      app = await start({
        options: [{ ...policy, issuer: ISSUER, keys: { keys: [pair.jwk] } }, { ...policy, issuer: DOWN_ISSUER, keys: remoteJwks(keysDown) }],
        role: ROLE,
        settings: { resourceMetadata: true, tokenFrom: { query: 'access_token' }, onRefuse: false },
        keysDown,
      });
      stepUpApp = await start({
        options: [{ ...STEP_UP_POLICIES.stepUp, roles: [ROLE], keys: { keys: [pair.jwk] } }],
        role: ROLE,
        settings: { resourceMetadata: true, onRefuse: false },
        keysDown,
      });
    });
    after(async () => {
      await app?.close();
      await stepUpApp?.close();
      await down?.close();
    });

    const origin = () => app.origin;
    const meta = () => `${origin()}${WELL_KNOWN}`;
    const tokens = {
      token: (claims) => sign(pair, goodClaims(claims)),
      forged: async () => sign({ ...(await keyPair('ES256')), kid: pair.kid }),
    };

    for (const [row, authorization, status, body, challenges] of BEARER_ROWS) {
      test(`${row} → ${status}`, async () => {
        const header = await authorization(tokens);
        const response = await fetch(`${origin()}${PATH}`, { headers: header === undefined ? {} : { authorization: header } });
        const text = await response.text();
        assert.equal(response.status, status, text);
        assert.deepEqual(JSON.parse(text), body ?? whoami(pair));
        const wwwAuthenticate = response.headers.get('www-authenticate');
        if (challenges === null) assert.equal(wwwAuthenticate, null);
        else assert.deepEqual(parseChallenges(wwwAuthenticate), challenges(meta()));
        // Bearer requests are not asked for a DPoP nonce.
        assert.equal(response.headers.get('dpop-nonce'), null);
      });
    }

    test('keys unavailable → 503 with Retry-After, and no challenge', async () => {
      const token = await tokens.token({ iss: DOWN_ISSUER });
      const response = await fetch(`${origin()}${PATH}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(response.status, 503);
      assert.deepEqual(await response.json(), { error: 'temporarily_unavailable', code: 'ERR_JWKS_FETCH_FAILED' });
      assert.equal(response.headers.get('retry-after'), '30');
      assert.equal(response.headers.get('www-authenticate'), null);
    });

    test('[dpop] DPoP-bound: with its jose-signed proof it passes, after the server nonce; the nonce rides on the success too', async () => {
      const client = await dpopClient();
      const token = await tokens.token({ cnf: { jkt: client.jkt } });
      const answers = await client.call(fetch, token, `${origin()}${PATH}`);
      assert.deepEqual(answers.map((a) => a.status), [401, 200]);
      const [asked, accepted] = answers;
      assert.deepEqual(parseChallenges(asked.headers.get('www-authenticate')), [challenge('dpop', {
        algs: DPOP_ALGS, resource_metadata: meta(), error: 'use_dpop_nonce', error_description: 'ERR_DPOP_NONCE: dpop proof does not carry a current server nonce',
      })]);
      // The nonce of the current window, or of the next one near its end (docs/sender-constrained.md).
      const nonces = [windowNonce(NONCE_SECRET, NONCE_WINDOW), windowNonce(NONCE_SECRET, NONCE_WINDOW, 1)];
      assert.ok(nonces.includes(asked.headers.get('dpop-nonce')), 'the refusal carries the server nonce');
      const { binding, ...rest } = await accepted.json();
      assert.deepEqual(rest, { sub: 'service-principal-1', key: { kid: pair.kid, alg: 'ES256' } });
      assert.deepEqual([binding.type, binding.jkt, typeof binding.jti], ['dpop', client.jkt, 'string']);
      assert.ok(nonces.includes(accepted.headers.get('dpop-nonce')), 'the success carries the server nonce');
    });

    test('[dpop] DPoP-bound without its proof: 401 invalid_dpop_proof; as a Bearer token: 401 invalid_token', async () => {
      const client = await dpopClient();
      const token = await tokens.token({ cnf: { jkt: client.jkt } });
      const unproven = await fetch(`${origin()}${PATH}`, { headers: { authorization: `DPoP ${token}` } });
      assert.equal(unproven.status, 401);
      assert.deepEqual(await unproven.json(), { error: 'invalid_dpop_proof', code: 'ERR_DPOP_INVALID' });
      assert.deepEqual(parseChallenges(unproven.headers.get('www-authenticate')), [challenge('dpop', {
        algs: DPOP_ALGS, resource_metadata: meta(), error: 'invalid_dpop_proof', error_description: 'ERR_DPOP_INVALID: dpop proof is invalid',
      })]);
      const asBearer = await fetch(`${origin()}${PATH}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(asBearer.status, 401);
      assert.deepEqual(await asBearer.json(), { error: 'invalid_token', code: 'ERR_TOKEN_BOUND' });
    });

    test('[rfc9728] RFC 9728 metadata is served at the root, and named by every 401', async () => {
      const response = await fetch(meta());
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
      assert.deepEqual(await response.json(), {
        resource: origin(),
        authorization_servers: [ISSUER, DOWN_ISSUER],
        bearer_methods_supported: ['header', 'query'],
        dpop_signing_alg_values_supported: DPOP_ALGS.split(' '),
      });
    });

    test('[preflight] a CORS preflight passes unchecked, without auth and without credentials', async () => {
      const response = await fetch(`${origin()}${PATH}?access_token=not-a-token&page=2`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'GET', authorization: 'Bearer not-a-token', dpop: 'not-a-proof' },
      });
      assert.equal(response.status, 200);
      const path = preflightKeepsQuery ? `${PATH}?access_token=not-a-token&page=2` : `${PATH}?page=2`;
      assert.deepEqual(await response.json(), { auth: null, authorization: null, dpop: null, path });
      // Without Access-Control-Request-Method it is no preflight: checked like any request.
      const checked = await fetch(`${origin()}${PATH}`, { method: 'OPTIONS', headers: { origin: 'https://app.example' } });
      assert.equal(checked.status, 401);
      assert.deepEqual(await checked.json(), { error: 'unauthorized', code: null });
    });

    for (const [row, claims, status, params] of STEP_UP_ROWS) {
      test(`[step-up] ${row} → ${status}`, async () => {
        const token = await tokens.token(claims(nowSeconds()));
        const response = await fetch(`${stepUpApp.origin}${PATH}`, { headers: { authorization: `Bearer ${token}` } });
        const text = await response.text();
        assert.equal(response.status, status, text);
        if (params === null) {
          assert.deepEqual(JSON.parse(text), whoami(pair));
          assert.equal(response.headers.get('www-authenticate'), null);
          return;
        }
        assert.deepEqual(JSON.parse(text), { error: params.error, code: params.error_description.split(':')[0] });
        assert.deepEqual(parseChallenges(response.headers.get('www-authenticate')), [bearer(`${stepUpApp.origin}${WELL_KNOWN}`, params)]);
      });
    }

    more?.({ origin, pair: () => pair });
  });
}
