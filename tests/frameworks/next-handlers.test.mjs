// jwtguard/next's withAuth, the short form: App Router route handlers called
// directly with standard Requests, under Node and in Vercel's Edge Runtime
// (the `edge-runtime` package, bundled under the edge-light condition as
// Next does for `runtime = 'edge'`). The long form, `next build` and
// `next start` of a real app, is tests/frameworks/next/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseChallenges } from '../js/challenges.mjs';
import { USE_DPOP_NONCE, dpopClient, windowNonce } from '../js/dpop-client.mjs';
import { importFirstBlock } from '../docs.mjs';
import { edgeRuntimeWith } from '../js/edge-bundle.mjs';
import { AUDIENCE, ISSUER, goodClaims, keyPair, nowSeconds, sign } from '../js/helpers.mjs';
import { LEVEL, STEP_UP_POLICIES } from '../js/step-up-cases.mjs';
import { withAuth } from '@jwtguard/jwtguard/next';
import { route } from './next-route.mjs';

const URL_BASE = 'https://app.test/api/orders/7';
const METADATA = 'https://app.test/.well-known/oauth-protected-resource/api/orders/7';
const DPOP_ALGS = 'ES256 ES384 EdDSA RS256 RS384 RS512 PS256 PS384 PS512';
/** The route's params, as Next 15+ passes them: a Promise. */
const PARAMS = { id: '7' };

/** The challenges of a refusal by the Bearer scheme, parsed, with resource metadata. */
const bearer = (error, description) => [{
  scheme: 'bearer',
  params: { realm: 'api', resource_metadata: METADATA, error, error_description: description },
}];

/**
 * The table: [name, request (method, headers) made from the fixtures, status,
 * then the body's `code` or, for 200, what the handler saw, then the parsed
 * challenges (null: no WWW-Authenticate)].
 */
async function cases() {
  const pair = await keyPair('ES256', 'next');
  const stranger = await keyPair('ES256', 'next');
  const client = await dpopClient();
  const bound = await sign(pair, goodClaims({ cnf: { jkt: client.jkt } }));
  const bearerOf = async (claims, by = pair) => ({ authorization: `Bearer ${await sign(by, claims)}` });
  const rows = [
    ['valid', { headers: await bearerOf(goodClaims()) }, 200, { sub: 'service-principal-1', binding: null, params: PARAMS, credentials: true }, null],
    ['missing', { headers: {} }, 401, { code: null }, [
      { scheme: 'bearer', params: { realm: 'api', resource_metadata: METADATA } },
      { scheme: 'dpop', params: { algs: DPOP_ALGS, resource_metadata: METADATA } },
    ]],
    ['invalid: signed by another key', { headers: await bearerOf(goodClaims(), stranger) }, 401, { code: 'ERR_SIGNATURE_INVALID' },
      bearer('invalid_token', 'ERR_SIGNATURE_INVALID: signature is invalid')],
    ['expired', { headers: await bearerOf(goodClaims({ exp: 1_000_000 })) }, 401, { code: 'ERR_TOKEN_EXPIRED' },
      bearer('invalid_token', 'ERR_TOKEN_EXPIRED: token has expired')],
    ['wrong role', { headers: await bearerOf(goodClaims({ roles: ['Data.Write'] })) }, 403, { code: 'ERR_ROLE_MISSING' },
      bearer('insufficient_scope', 'ERR_ROLE_MISSING: required role is missing')],
    ['DPoP-bound with its proof', { headers: await client.headers(bound, URL_BASE) }, 200, { sub: 'service-principal-1', binding: { type: 'dpop', jkt: client.jkt }, params: PARAMS, credentials: true }, null],
    ['DPoP-bound as a bearer token', { headers: { authorization: `Bearer ${bound}` } }, 401, { code: 'ERR_TOKEN_BOUND' },
      bearer('invalid_token', 'ERR_TOKEN_BOUND: token is bound to a key and was not presented with it')],
    ['a CORS preflight passes unchecked, without auth or credentials', {
      method: 'OPTIONS',
      headers: { origin: 'https://web.test', 'access-control-request-method': 'GET', authorization: 'Bearer x.y.z' },
    }, 200, { sub: null, binding: null, params: PARAMS, credentials: false }, null],
  ];
  return { jwks: { keys: [pair.jwk] }, rows };
}

/** What a test compares: status, the body's code or the handler's view, and the parsed challenges. */
function observed({ status, headers, body }) {
  const parsed = JSON.parse(body);
  const challenge = headers['www-authenticate'];
  const seen = status === 200 ? parsed : { code: parsed.code };
  return [status, seen, challenge === undefined ? null : parseChallenges(challenge)];
}

/** The answer as plain data: status, headers, body text. */
async function plain(response) {
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

const SETTINGS = { resourceMetadata: { resource: 'https://app.test/api/orders/7' } };

/** Runs the table against `call(request) → plain answer` in one runtime. */
function runTable(name, setUp) {
  describe(`withAuth under ${name}`, () => {
    let table;
    let call;
    before(async () => {
      table = await cases();
      call = await setUp({ issuer: ISSUER, audience: AUDIENCE, keys: table.jwks, roles: ['Data.Read'] });
    });

    test('[dpop] [preflight] the table', async () => {
      for (const [row, { method = 'GET', headers }, status, seen, challenges] of table.rows) {
        const answer = await call({ method, url: URL_BASE, headers });
        assert.deepEqual(observed(answer), [status, seen, challenges], row);
      }
    });

    test('[rfc9728] the protected resource metadata is served at its well-known path', async () => {
      const answer = await call({ method: 'GET', url: METADATA, headers: {} });
      assert.equal(answer.status, 200);
      assert.deepEqual(JSON.parse(answer.body).resource, 'https://app.test/api/orders/7');
      assert.deepEqual(JSON.parse(answer.body).authorization_servers, [ISSUER]);
    });
  });
}

runTable('Node', async (options) => {
  const GET = route(options, SETTINGS);
  return async ({ method, url, headers }) => plain(await GET(new Request(url, { method, headers }), { params: Promise.resolve(PARAMS) }));
});

describe('withAuth in the Edge Runtime', () => {
  let edge;
  before(async () => {
    // The module compiled in the host's realm, as Next's edge sandbox hands it over.
    edge = await edgeRuntimeWith("import { route } from './tests/frameworks/next-route.mjs'; globalThis.route = route;", { hostRealm: true });
  });
  after(() => edge?.runtime.dispose?.());

  test('the route bundles with the edge-light entry, never the Node or browser one', () => {
    assert.ok(edge.inputs.includes('js/edge-light.js') && edge.inputs.includes('js/next.js'), edge.inputs.join(', '));
    assert.ok(!edge.inputs.includes('js/node.js') && !edge.inputs.includes('js/browser.js'));
  });

  runTable('the Edge Runtime', async (options) => {
    edge.runtime.context.setUp = JSON.stringify({ options, settings: SETTINGS, params: PARAMS });
    edge.runtime.evaluate('{ const { options, settings } = JSON.parse(setUp); globalThis.GET = route(options, settings); }');
    return async (request) => {
      edge.runtime.context.input = JSON.stringify(request);
      return JSON.parse(await edge.runtime.evaluate(`(async () => {
        const { method, url, headers } = JSON.parse(input);
        const response = await GET(new Request(url, { method, headers }), { params: Promise.resolve(JSON.parse(setUp).params) });
        return JSON.stringify({ status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() });
      })()`));
    };
  });
});

describe('withAuth misuse fails when the route is built', () => {
  const options = { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [] } };
  // [name, call, code]
  const rows = [
    ['options before the handler', () => withAuth(options, () => new Response()), 'ERR_POLICY_INVALID'],
    ['an unknown setting', () => withAuth(() => new Response(), options, { realms: 'x' }), 'ERR_POLICY_INVALID'],
    ['an origin with a path', () => withAuth(() => new Response(), options, { origin: 'https://app.test/api' }), 'ERR_POLICY_INVALID'],
    ['settings that are not an object', () => withAuth(() => new Response(), options, 'api'), 'ERR_POLICY_INVALID'],
  ];
  for (const [name, call, code] of rows) {
    test(name, () => assert.throws(call, (error) => error.code === code));
  }
});

test('the handler\'s own context members reach it beside auth', async () => {
  const pair = await keyPair('ES256', 'ctx');
  const GET = withAuth((request, context) => Response.json(Object.keys(context).sort()), { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] } });
  const response = await GET(new Request(URL_BASE, { headers: { authorization: `Bearer ${await sign(pair)}` } }), { params: Promise.resolve({}), extra: 1 });
  assert.deepEqual(await response.json(), ['auth', 'extra', 'params']);
});

describe('withAuth with the origin setting', () => {
  // Next rebuilds request.url: an edge route under `next start` sees localhost, whatever the client called.
  const NEXT_SEES = 'http://localhost:3000/api/orders/7?view=full';
  const CLIENT_CALLED = 'https://app.test/api/orders/7?view=full';
  // [name, settings, status, code]
  const rows = [
    ['the proof names the URL the client called: accepted at the public origin', { origin: 'https://app.test' }, 200, undefined],
    ['without origin, request.url is Next\'s: the proof\'s htu does not match', {}, 401, 'ERR_DPOP_INVALID'],
  ];
  for (const [name, settings, status, code] of rows) {
    test(name, async () => {
      const pair = await keyPair('ES256', 'origin');
      const client = await dpopClient();
      const token = await sign(pair, goodClaims({ cnf: { jkt: client.jkt } }));
      const headers = await client.headers(token, CLIENT_CALLED);
      const GET = withAuth(() => Response.json({ ok: true }), { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] } }, { ...settings, onRefuse: false });
      const response = await GET(new Request(NEXT_SEES, { headers }), { params: Promise.resolve({}) });
      assert.deepEqual([response.status, (await response.json()).code], [status, code]);
    });
  }
});

describe('withAuth: step-up answers, DPoP server nonces and options per request', () => {
  /** Calls `GET` with a Request, as Next does. */
  const send = (GET) => (url, init) => GET(new Request(url, init), { params: Promise.resolve({}) });
  let pair;
  before(async () => {
    pair = await keyPair('ES256', 'next-more');
  });

  test('[step-up] a token without acr: 401 with acr_values and max_age; the right acr: 200', async () => {
    const GET = withAuth((request, { auth }) => Response.json({ acr: auth.claims.acr }), { ...STEP_UP_POLICIES.stepUp, keys: { keys: [pair.jwk] } }, { onRefuse: false });
    const refused = await send(GET)(URL_BASE, { headers: { authorization: `Bearer ${await sign(pair, goodClaims({ auth_time: nowSeconds() }))}` } });
    assert.equal(refused.status, 401);
    assert.deepEqual(await refused.json(), { error: 'insufficient_user_authentication', code: 'ERR_AUTH_LEVEL_INSUFFICIENT' });
    assert.deepEqual(parseChallenges(refused.headers.get('www-authenticate')), [{
      scheme: 'bearer',
      params: { realm: 'api', error: 'insufficient_user_authentication', error_description: LEVEL, acr_values: 'urn:mfa urn:phr', max_age: '300' },
    }]);
    const stepped = await send(GET)(URL_BASE, { headers: { authorization: `Bearer ${await sign(pair, goodClaims({ acr: 'urn:mfa', auth_time: nowSeconds() - 10 }))}` } });
    assert.deepEqual([stepped.status, await stepped.json()], [200, { acr: 'urn:mfa' }]);
  });

  test('[dpop] with dpopNonce: use_dpop_nonce, then the retry with the nonce passes, and the success carries the nonce', async () => {
    const dpopNonce = { secret: 'the next.js route handler nonce secret, 32+ bytes', window: 3600 };
    const GET = withAuth((request, { auth }) => Response.json({ binding: auth.binding.type }), { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] }, dpopNonce }, { onRefuse: false });
    const client = await dpopClient();
    const token = await sign(pair, goodClaims({ cnf: { jkt: client.jkt } }));
    const [asked, accepted] = await client.call(send(GET), token, URL_BASE);
    const nonces = [windowNonce(dpopNonce.secret, dpopNonce.window), windowNonce(dpopNonce.secret, dpopNonce.window, 1)];
    assert.deepEqual([asked.status, parseChallenges(asked.headers.get('www-authenticate'))], [401, USE_DPOP_NONCE]);
    assert.deepEqual([accepted.status, await accepted.json()], [200, { binding: 'dpop' }]);
    assert.ok(nonces.includes(asked.headers.get('dpop-nonce')) && nonces.includes(accepted.headers.get('dpop-nonce')));
  });

  test('[per-request] options as a function of the request: each tenant its own issuer and keys', async () => {
    const other = await keyPair('ES256', 'next-tenant-2');
    const tenants = {
      one: { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] } },
      two: { issuer: 'https://issuer.test/tenant-2/v2.0', audience: AUDIENCE, keys: { keys: [other.jwk] } },
    };
    const GET = withAuth((request, { auth }) => Response.json({ kid: auth.key.kid }), (request) => tenants[request.headers.get('x-tenant')], { onRefuse: false });
    const asTwo = `Bearer ${await sign(other, goodClaims({ iss: 'https://issuer.test/tenant-2/v2.0' }))}`;
    // [tenant, authorization, status, body]
    const rows = [
      ['one', `Bearer ${await sign(pair, goodClaims())}`, 200, { kid: pair.kid }],
      ['two', asTwo, 200, { kid: other.kid }],
      ['one', asTwo, 401, { error: 'invalid_token', code: 'ERR_KEY_NOT_FOUND' }],
    ];
    for (const [tenant, authorization, status, body] of rows) {
      const response = await send(GET)(URL_BASE, { headers: { 'x-tenant': tenant, authorization } });
      assert.deepEqual([response.status, await response.json()], [status, body], tenant);
    }
  });
});

test('docs/frameworks/nextjs.md: its first block runs as written', async () => {
  const pair = await keyPair('ES256', 'docs');
  Object.assign(process.env, { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWKS: JSON.stringify({ keys: [pair.jwk] }), APP_ORIGIN: 'https://shop.test' });
  const { GET } = await importFirstBlock('docs/frameworks/nextjs.md');
  const call = async (claims) => {
    const headers = claims ? { authorization: `Bearer ${await sign(pair, claims)}` } : {};
    const response = await GET(new Request('http://localhost:3000/api/orders/42', { headers }), { params: Promise.resolve({ id: '42' }) });
    return [response.status, await response.json()];
  };
  assert.deepEqual(await call(goodClaims({ roles: ['Orders.Read'] })), [200, { order: '42', caller: 'service-principal-1' }]);
  assert.deepEqual(await call(goodClaims()), [403, { error: 'insufficient_scope', code: 'ERR_ROLE_MISSING' }]);
  assert.deepEqual(await call(null), [401, { error: 'unauthorized', code: null }]);
});
