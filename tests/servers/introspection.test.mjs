// Opaque access tokens through the Node middleware (Express 5, Fastify 5,
// node:http on 127.0.0.1): the verifier introspects them (RFC 7662) at panva's
// oidc-provider on 127.0.0.1, which issues them (accessTokenFormat 'opaque').
// One table, run on each adapter: an active token reaches the handler with
// the answer's claims, an inactive one is 401 invalid_token, a missing scope
// 403 insufficient_scope, and an endpoint that is down or answers 500 is a
// 503 with Retry-After (never a 401, never an accept). The token travels
// only in the POST body, never in the endpoint's URL.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { introspection } from '@jwtguard/jwtguard';
import { parseChallenge } from '../js/challenges.mjs';
import { CLIENT_ID, CLIENT_SECRET, RESOURCE, SCOPE, startProvider } from '../../scripts/local-provider.mjs';
import { nodeServer, startApp } from './apps.mjs';

const ADAPTERS = ['express', 'fastify', 'http'];
const RS_ID = 'rs-middleware';
const RS_SECRET = 'resource-server-secret-for-local-tests-0123456789';
const INTROSPECTION_PATH = '/token/introspection';
const UNKNOWN = 'an-opaque-token-the-provider-never-issued';

let provider;
/** An introspection endpoint that authenticates nothing and answers 500; it records what it receives. */
let broken;
const brokenRequests = [];
const apps = {};
/** Each adapter's requests to the provider's endpoint, as its introspection fetch sent them. */
const sent = {};
/** The handler's calls per adapter: only an accepted token gets there. */
const handled = {};
/** The errors each adapter's onRefuse heard. */
const refused = {};
const tokens = {};

/** A fetch that records each request (url, body) before sending it. */
const recordingFetch = (requests) => async (url, init) => {
  requests.push({ url: String(url), body: String(init.body ?? '') });
  return fetch(url, init);
};

/** The policies of one adapter by name (chosen per request by x-policy), each with its own source. */
function policies(requests) {
  const source = (endpoint, extra = {}) => introspection({ endpoint, clientId: RS_ID, clientSecret: RS_SECRET, timeout: 1, ...extra });
  const policy = (endpoint, scopes, extra) => ({
    issuer: provider.issuer,
    audience: RESOURCE,
    scopes,
    clients: [CLIENT_ID],
    introspection: source(endpoint, extra),
  });
  return {
    api: policy(`${provider.issuer}${INTROSPECTION_PATH}`, [SCOPE], { fetch: recordingFetch(requests) }),
    write: policy(`${provider.issuer}${INTROSPECTION_PATH}`, ['tasks:write']),
    // Nothing listens on port 1 of 127.0.0.1.
    down: policy(`http://127.0.0.1:1${INTROSPECTION_PATH}`, [SCOPE]),
    broken: policy(`${broken.origin}${INTROSPECTION_PATH}`, [SCOPE]),
  };
}

before(async () => {
  provider = await startProvider({
    accessTokenFormat: 'opaque',
    clients: [{ client_id: RS_ID, client_secret: RS_SECRET, token_endpoint_auth_method: 'client_secret_basic' }],
  });
  broken = await nodeServer(createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      brokenRequests.push({ url: req.url, method: req.method, authorization: req.headers.authorization ?? null, body });
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"server_error"}');
    });
  }));
  tokens.active = await provider.token();
  assert.equal(tokens.active.split('.').length, 1, 'the provider issues opaque tokens');
  tokens.revoked = await provider.token();
  // Revoked through the real revocation endpoint (RFC 7009) before any resource server saw it.
  const revocation = await fetch(`${provider.issuer}/token/revocation`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: tokens.revoked, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
  });
  assert.equal(revocation.status, 200);
  tokens.unknown = UNKNOWN;
  for (const name of ADAPTERS) {
    sent[name] = [];
    handled[name] = 0;
    refused[name] = [];
    const byName = policies(sent[name]);
    const answer = (req) => {
      handled[name] += 1;
      const { active, client_id: clientId, scope } = req.auth.claims;
      return { active, client_id: clientId, scope };
    };
    const onRefuse = (error) => refused[name].push(error);
    apps[name] = await startApp(name, (req) => byName[req.headers['x-policy']], { onRefuse }, { answer });
  }
});

after(async () => {
  await Promise.all([...Object.values(apps).map((app) => app.close()), broken?.close(), provider?.stop()]);
});

const unavailable = { error: 'temporarily_unavailable', code: 'ERR_INTROSPECTION_FAILED' };

/** [name, policy, token, status, challenge parameters beyond realm (401/403) or body (200/503)] */
const CASES = [
  ['active token: the handler sees the answer\'s claims', 'api', 'active', 200, { active: true, client_id: CLIENT_ID, scope: SCOPE }],
  ['unknown token: inactive', 'api', 'unknown', 401,
    { error: 'invalid_token', error_description: 'ERR_TOKEN_INACTIVE: token is not active' }],
  ['revoked token: inactive', 'api', 'revoked', 401,
    { error: 'invalid_token', error_description: 'ERR_TOKEN_INACTIVE: token is not active' }],
  ['active token without the required scope', 'write', 'active', 403,
    { error: 'insufficient_scope', error_description: 'ERR_SCOPE_MISSING: required scope is missing', scope: 'tasks:write' }],
  ['introspection endpoint down (closed port)', 'down', 'active', 503, unavailable],
  ['introspection endpoint answering 500', 'broken', 'active', 503, unavailable],
];

for (const name of ADAPTERS) {
  describe(`${name}: opaque tokens introspected at oidc-provider`, () => {
    test('every case: status, body, and the exact challenge or Retry-After', async () => {
      const { origin } = apps[name];
      for (const [label, policy, token, status, expected] of CASES) {
        refused[name].length = 0;
        const response = await fetch(`${origin}/api/whoami`, { headers: { authorization: `Bearer ${tokens[token]}`, 'x-policy': policy } });
        const body = await response.json();
        assert.equal(response.status, status, `${label}: ${JSON.stringify(body)}`);
        const challenge = response.headers.get('www-authenticate');
        if (status === 401 || status === 403) {
          assert.deepEqual(parseChallenge(challenge), { scheme: 'bearer', params: { realm: 'api', ...expected } }, label);
          assert.deepEqual(body, { error: expected.error, code: expected.error_description.split(':')[0] }, label);
        } else {
          assert.equal(challenge, null, label);
          assert.deepEqual(body, expected, label);
        }
        // onRefuse hears each refusal's code once; what it gets for the log never holds the token.
        const code = status === 200 ? [] : [expected.code ?? expected.error_description.split(':')[0]];
        assert.deepEqual(refused[name].map((error) => error.code), code, label);
        for (const error of refused[name]) assert.ok(!JSON.stringify({ ...error, message: error.message }).includes(tokens[token]), `${label}: the token in onRefuse's error`);
        if (status === 503) assert.match(response.headers.get('retry-after') ?? '', /^[1-9][0-9]*$/, `${label}: Retry-After in seconds`);
        else assert.equal(response.headers.get('retry-after'), null, label);
      }
      assert.equal(handled[name], CASES.filter((row) => row[3] === 200).length, 'only the accepted token reached the handler');
    });

    test('the token is only in the POST body, never in the endpoint\'s URL', () => {
      // The api policy introspected the active, unknown and revoked tokens.
      const asked = sent[name].map(({ url, body }) => {
        const parsed = new URL(url);
        assert.equal(`${parsed.origin}${parsed.pathname}`, `${provider.issuer}${INTROSPECTION_PATH}`);
        assert.equal(parsed.search, '');
        for (const token of Object.values(tokens)) assert.ok(!url.includes(token), `${url} carries a token`);
        return new URLSearchParams(body).get('token');
      });
      assert.deepEqual(asked.sort(), [tokens.active, tokens.revoked, tokens.unknown].sort());
    });
  });
}

test('the failing endpoint received POSTs from the authenticated client, the token in the body only', () => {
  // One request per adapter: the 500 answer is no verdict on the token.
  assert.equal(brokenRequests.length, ADAPTERS.length);
  const basic = `Basic ${btoa(`${RS_ID}:${RS_SECRET}`)}`;
  for (const request of brokenRequests) {
    assert.deepEqual(
      { url: request.url, method: request.method, authorization: request.authorization, token: new URLSearchParams(request.body).get('token') },
      { url: INTROSPECTION_PATH, method: 'POST', authorization: basic, token: tokens.active },
    );
  }
});
