// The request authentication every middleware shares (js/authenticate.js):
// where tokens are found, and the RFC 9728 protected resource metadata it
// serves and names in 401s.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createVerifier, entraId } from '@jwtguard/jwtguard';
import { authenticator } from '../../js/authenticate.js';
import { AUDIENCE, ISSUER, TENANT, goodClaims, keyPair, sign } from './helpers.mjs';

const pair = await keyPair('ES256');
const token = await sign(pair);
const options = { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] } };
const request = (path, headers = {}) => ({ method: 'GET', url: `https://api.test${path}`, headers });

describe('token sources', () => {
  const guard = authenticator(options, { tokenFrom: { header: 'X-Access-Token', cookie: 'at', query: 'access_token' } });
  const plain = authenticator(options);
  // [name, guard, path, headers, status (200 = verified)]
  const rows = [
    ['Authorization Bearer', plain, '/', { authorization: `Bearer ${token}` }, 200],
    ['a named header, when enabled', guard, '/', { 'x-access-token': token }, 200],
    ['a cookie, when enabled', guard, '/', { cookie: `theme=dark; at=${token}` }, 200],
    ['a query parameter, when enabled', guard, `/?access_token=${token}`, {}, 200],
    ['a named header, by default', plain, '/', { 'x-access-token': token }, 401],
    ['a cookie, by default', plain, '/', { cookie: `at=${token}` }, 401],
    ['a query parameter, by default', plain, `/?access_token=${token}`, {}, 401],
    ['two methods at once (RFC 6750 §2)', guard, `/?access_token=${token}`, { authorization: `Bearer ${token}` }, 'ERR_TOKEN_MALFORMED'],
    ['the same cookie twice', guard, '/', { cookie: `at=${token}; at=${token}` }, 'ERR_TOKEN_MALFORMED'],
    ['a cookie that is no token', guard, '/', { cookie: 'at=not a token' }, 'ERR_TOKEN_MALFORMED'],
    ['another scheme plus a cookie', guard, '/', { authorization: 'Basic dXNlcjpwYXNz', cookie: `at=${token}` }, 200],
    // An inherited property name is no scheme either.
    ['the scheme "constructor"', plain, '/', { authorization: `constructor ${token}` }, 401],
  ];
  for (const [name, chosen, path, headers, expected] of rows) {
    test(`${name} → ${expected}`, async () => {
      const { auth, failure } = await chosen.authenticate(request(path, headers), {});
      if (expected === 200) assert.equal(auth?.claims.sub, 'service-principal-1', JSON.stringify(failure?.body));
      else if (expected === 401) assert.deepEqual([failure.status, failure.body.code], [401, null]);
      else assert.deepEqual([failure.status, failure.body.code], [401, expected]);
    });
  }

  test('settings are checked when the middleware is built', () => {
    for (const settings of [{ realms: 'x' }, { tokenFrom: { body: 'x' } }, { tokenFrom: { header: 'Authorization' } }, { tokenFrom: { cookie: 'a b' } }, { resourceMetadata: 'yes' }, { checkPreflight: 'yes' }, { checkPreflight: 1 }]) {
      assert.throws(() => authenticator(options, settings), { code: 'ERR_POLICY_INVALID' }, JSON.stringify(settings));
    }
  });
});

/** RFC 9728 §2: the members a document may have, and their types. */
const MEMBERS = {
  resource: 'string',
  authorization_servers: 'array',
  jwks_uri: 'string',
  scopes_supported: 'array',
  bearer_methods_supported: 'array',
  resource_signing_alg_values_supported: 'array',
  resource_name: 'string',
  resource_documentation: 'string',
  resource_policy_uri: 'string',
  resource_tos_uri: 'string',
  tls_client_certificate_bound_access_tokens: 'boolean',
  authorization_details_types_supported: 'array',
  dpop_signing_alg_values_supported: 'array',
  dpop_bound_access_tokens_required: 'boolean',
};

/** Checks `document` against RFC 9728 §2 and §3.2. */
function assertRfc9728(document) {
  assert.equal(typeof document.resource, 'string', 'resource is REQUIRED');
  const resource = new URL(document.resource);
  assert.ok(['https:', 'http:'].includes(resource.protocol) && resource.hash === '', 'resource: a URL without a fragment');
  for (const [name, value] of Object.entries(document)) {
    if (!(name in MEMBERS)) continue;
    const type = Array.isArray(value) ? 'array' : typeof value;
    assert.equal(type, MEMBERS[name], name);
    if (type === 'array') assert.ok(value.length > 0 && value.every((v) => typeof v === 'string'), `${name}: non-empty strings`);
  }
  for (const server of document.authorization_servers ?? []) assert.ok(URL.canParse(server), `issuer URL ${server}`);
  for (const method of document.bearer_methods_supported ?? []) assert.ok(['header', 'body', 'query'].includes(method));
  assert.ok(!(document.dpop_signing_alg_values_supported ?? []).includes('none'), 'no "none" algorithm');
}

async function metadata(guard, url) {
  const answer = guard.metadata({ method: 'GET', url });
  if (answer === null || answer.status === 404) return answer?.status ?? null;
  assert.equal(answer.status, 200);
  assert.equal(answer.headers['access-control-allow-origin'], '*');
  assert.match(answer.headers['cache-control'], /^public, max-age=\d+$/);
  return answer.body;
}

test('error_description holds only what RFC 6750 allows, whatever the policy\'s claim names', async () => {
  const guard = authenticator({ ...options, forbiddenClaims: ['sub'] });
  const forbidden = await guard.authenticate(request('/', { authorization: `Bearer ${token}` }), {});
  assert.match(forbidden.failure.headers['www-authenticate'], /error_description="ERR_CLAIM_INVALID: 'sub' must be absent"$/);
  const strange = await authenticator({ ...options, claimValues: { 'weird\r\nname"\\é': ['x'] } })
    .authenticate(request('/', { authorization: `Bearer ${await sign(pair, { ...goodClaims(), 'weird\r\nname"\\é': 'y' })}` }), {});
  const challenge = strange.failure.headers['www-authenticate'];
  assert.match(challenge, /error_description="ERR_CLAIM_INVALID: claim is invalid \('weird\?\?name\?\?\?'\)"$/);
  assert.doesNotMatch(challenge.slice(challenge.indexOf('error_description')), /[^\x20-\x7E]/);
});

describe('protected resource metadata (RFC 9728)', () => {
  test('derived: the https audience, the issuer, scopes, header, DPoP algorithms', async () => {
    const guard = authenticator({ ...options, audience: ['api://x', 'https://api.test/tasks'], scopes: ['tasks.read'], dpopAlgorithms: ['ES256'] }, { resourceMetadata: true });
    const document = await metadata(guard, 'https://api.test/.well-known/oauth-protected-resource/tasks');
    assertRfc9728(document);
    assert.deepEqual(document, {
      resource: 'https://api.test/tasks',
      authorization_servers: [ISSUER],
      scopes_supported: ['tasks.read'],
      bearer_methods_supported: ['header'],
      dpop_signing_alg_values_supported: ['ES256'],
    });
    // §3.1: the resource has a path, so the 401 names the suffixed form, which is served as well as the bare one.
    assert.deepEqual(await metadata(guard, 'https://api.test/.well-known/oauth-protected-resource'), document);
    // Another path under the well-known one is 404, never a 401: the well-known paths are public.
    assert.equal(await metadata(guard, 'https://api.test/.well-known/oauth-protected-resource/other'), 404);
    const { failure } = await guard.authenticate(request('/tasks'), {});
    assert.match(failure.headers['www-authenticate'], /^Bearer realm="api", resource_metadata="https:\/\/api\.test\/\.well-known\/oauth-protected-resource\/tasks"/);
  });

  test('derived for Entra: the v2 authority of the tenant, for v1 and v2 issuers, and organizations for {tenantid}', async () => {
    const keys = { keys: [pair.jwk] };
    const single = createVerifier({ ...entraId({ tenant: TENANT, clientId: '11111111-2222-3333-4444-555555555555', version: 'any', scopes: ['Tasks.Read'] }), keys });
    const document = await metadata(authenticator(() => single, { resourceMetadata: true }), 'https://mcp.test/.well-known/oauth-protected-resource');
    assertRfc9728(document);
    assert.deepEqual(document.authorization_servers, [`https://login.microsoftonline.com/${TENANT}/v2.0`]);
    assert.equal(document.resource, 'https://mcp.test');
    assert.deepEqual(document.scopes_supported, ['Tasks.Read']);
    // US Government: v1 tokens come from sts.windows.net too, and the v2 authority is the policy's own.
    const usgov = createVerifier({ ...entraId({ tenant: TENANT, clientId: '11111111-2222-3333-4444-555555555555', version: 'any', cloud: 'usgov' }), keys });
    const gov = await metadata(authenticator(() => usgov, { resourceMetadata: true }), 'https://mcp.test/.well-known/oauth-protected-resource');
    assert.deepEqual(gov.authorization_servers, [`https://login.microsoftonline.us/${TENANT}/v2.0`]);
    const multi = { issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0', tenants: '*', audience: AUDIENCE, keys };
    const many = await metadata(authenticator(multi, { resourceMetadata: true }), 'https://mcp.test/.well-known/oauth-protected-resource');
    assert.deepEqual(many.authorization_servers, ['https://login.microsoftonline.com/organizations/v2.0']);
  });

  test('derived with a query-parameter source lists "query"', async () => {
    const guard = authenticator(options, { resourceMetadata: true, tokenFrom: { query: 'access_token' } });
    const document = await metadata(guard, 'https://api.test/.well-known/oauth-protected-resource');
    assert.deepEqual(document.bearer_methods_supported, ['header', 'query']);
  });

  test('explicit: the members given, merged over the derived ones', async () => {
    const explicit = {
      resource: 'https://api.test/mcp',
      authorization_servers: ['https://login.example/tenant/v2.0'],
      scopes_supported: ['api://app/mcp.call'],
      resource_name: 'Tasks MCP',
      resource_documentation: 'https://api.test/docs',
    };
    const guard = authenticator(options, { resourceMetadata: explicit });
    const document = await metadata(guard, 'https://api.test/.well-known/oauth-protected-resource/mcp');
    assertRfc9728(document);
    const derived = await metadata(authenticator(options, { resourceMetadata: true }), 'https://api.test/.well-known/oauth-protected-resource');
    assert.deepEqual(document, { ...derived, ...explicit });
    // Derived members stay (authorization_servers, which MCP requires); one given as undefined is dropped.
    const partial = await metadata(authenticator(options, { resourceMetadata: { resource_name: 'x', bearer_methods_supported: undefined } }), 'https://api.test/.well-known/oauth-protected-resource');
    const { bearer_methods_supported: dropped, ...kept } = derived;
    assert.deepEqual([partial, dropped], [{ ...kept, resource_name: 'x' }, ['header']]);
    assert.deepEqual(partial.authorization_servers, [ISSUER]);
    // A resource given as a path is on the request's origin, and both well-known forms serve it.
    const mcp = authenticator(options, { resourceMetadata: { resource: '/mcp' } });
    for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
      const answer = mcp.metadata({ method: 'GET', url: `https://mcp.test${path}` });
      assert.equal(answer.status, 200, path);
      assert.deepEqual([answer.body.resource, answer.body.authorization_servers], ['https://mcp.test/mcp', [ISSUER]]);
    }
    const { failure } = await mcp.authenticate(request('/mcp'), {});
    assert.match(failure.headers['www-authenticate'], /resource_metadata="https:\/\/api\.test\/\.well-known\/oauth-protected-resource\/mcp"/);
  });

  test('an explicit resource that is no URL is refused with a server error, not served', async () => {
    const guard = authenticator(options, { resourceMetadata: { resource: 'api://not-a-url#frag' } });
    const answer = guard.metadata({ method: 'GET', url: 'https://api.test/.well-known/oauth-protected-resource' });
    assert.deepEqual([answer.status, answer.body.code], [500, 'ERR_POLICY_INVALID']);
  });

  test('only GET and HEAD of the well-known paths are answered; without the setting, none', async () => {
    const guard = authenticator(options, { resourceMetadata: true });
    assert.equal(guard.metadata({ method: 'POST', url: 'https://api.test/.well-known/oauth-protected-resource' }), null);
    assert.equal(guard.metadata({ method: 'GET', url: 'https://api.test/tasks' }), null);
    assert.equal(authenticator(options).metadata({ method: 'GET', url: 'https://api.test/.well-known/oauth-protected-resource' }), null);
    const { failure } = await authenticator(options).authenticate(request('/'), {});
    assert.ok(!failure.headers['www-authenticate'].includes('resource_metadata'));
  });
});

test('Hono: the same middleware on the API and the well-known path serves the metadata the 401 names', async () => {
  const { Hono } = await import('hono');
  const { jwtAuth } = await import('@jwtguard/jwtguard/hono');
  const guard = jwtAuth(options, { resourceMetadata: { resource: 'https://api.test/api', resource_name: 'Tasks' } });
  const app = new Hono();
  app.use('/api/*', guard);
  app.use('/.well-known/oauth-protected-resource/*', guard);
  app.get('/api/whoami', (c) => c.json(c.get('auth').claims));
  // Mounted on every path, the well-known routes stay public: the document, or 404, never 401.
  const everywhere = new Hono();
  everywhere.use('*', jwtAuth(options, { resourceMetadata: { resource: '/mcp' } }));
  everywhere.all('*', (c) => c.json({}));
  assert.equal((await everywhere.request('https://mcp.test/.well-known/oauth-protected-resource/mcp')).status, 200);
  assert.equal((await everywhere.request('https://mcp.test/.well-known/oauth-protected-resource/other')).status, 404);
  assert.equal((await everywhere.request('https://mcp.test/mcp')).status, 401);
  const denied = await app.request('https://api.test/api/whoami');
  assert.equal(denied.status, 401);
  const url = /resource_metadata="([^"]+)"/.exec(denied.headers.get('www-authenticate'))[1];
  assert.equal(url, 'https://api.test/.well-known/oauth-protected-resource/api');
  const served = await app.request(url);
  assert.equal(served.status, 200);
  const body = await served.json();
  assert.deepEqual([body.resource, body.resource_name, body.authorization_servers], ['https://api.test/api', 'Tasks', [ISSUER]]);
  const allowed = await app.request('https://api.test/api/whoami', { headers: { authorization: `Bearer ${token}` } });
  assert.equal((await allowed.json()).sub, 'service-principal-1');
});
