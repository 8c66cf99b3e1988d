// onRefuse, in every middleware (Express 5, node:http, Fastify 5 on
// 127.0.0.1; the Worker's protect and Hono's jwtAuth through their fetch
// handlers): called with the whole JwtGuardError and the request for each
// refusal, never for a request without a token; by default one structured
// console.warn line for a 503 only, none with onRefuse: false. The client's
// error_description names the check and the claim, never a policy value.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { remoteJwks } from '@jwtguard/jwtguard';
import { jwtAuth as expressAuth } from '@jwtguard/jwtguard/express';
import { jwtAuth as fastifyAuth } from '@jwtguard/jwtguard/fastify';
import { jwtAuth as honoAuth } from '@jwtguard/jwtguard/hono';
import { protect } from '@jwtguard/jwtguard/worker';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from '../js/helpers.mjs';

const pair = await keyPair('ES256');
const SECRET_AUDIENCE = 'api://an-audience-the-client-must-not-learn';
const policy = { issuer: ISSUER, audience: [AUDIENCE, SECRET_AUDIENCE], keys: { keys: [pair.jwk] }, forbiddenClaims: ['scp'], roles: ['Data.Read'] };
// Nothing listens on port 1 of 127.0.0.1: the keys cannot be had.
const down = { issuer: ISSUER, audience: AUDIENCE, keys: remoteJwks('http://127.0.0.1:1/keys') };

/** Each middleware as a fetch of its own: (path, headers) → Response; `close`. */
const MIDDLEWARES = {
  async express(settings) {
    const app = express();
    app.use('/down', expressAuth(down, settings));
    app.use(expressAuth(policy, settings));
    app.use((req, res) => res.json({ sub: req.auth.claims.sub }));
    return served(createServer(app));
  },
  async 'node:http'(settings) {
    const guard = expressAuth((req) => (req.url.startsWith('/down') ? down : policy), settings);
    return served(createServer((req, res) => guard(req, res, () => res.end('{}'))));
  },
  async fastify(settings) {
    const app = Fastify();
    await app.register(async (scope) => {
      await scope.register(fastifyAuth, { options: (request) => (request.url.startsWith('/down') ? down : policy), ...settings });
      scope.get('/*', async (request) => ({ sub: request.auth.claims.sub }));
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { fetch: (path, headers) => fetch(`http://127.0.0.1:${app.server.address().port}${path}`, { headers }), close: () => app.close() };
  },
  async worker(settings) {
    const handler = protect((env) => (env.down ? down : policy), () => Response.json({}), settings);
    return { fetch: (path, headers) => handler(new Request(`https://api.test${path}`, { headers }), { down: path.startsWith('/down') }, {}), close: async () => {} };
  },
  async hono(settings) {
    const app = new Hono();
    app.use('/down/*', honoAuth(down, settings));
    app.use('/api/*', honoAuth(policy, settings));
    app.get('*', (c) => c.json({}));
    return { fetch: (path, headers) => app.request(path.startsWith('/down') ? path : `/api${path}`, { headers }), close: async () => {} };
  },
};

async function served(server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    fetch: (path, headers) => fetch(`http://127.0.0.1:${server.address().port}${path}`, { headers }),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

const bearer = async (claims) => ({ authorization: `Bearer ${await sign(pair, goodClaims({ roles: ['Data.Read'], scp: undefined, ...claims }))}` });

for (const [name, start] of Object.entries(MIDDLEWARES)) {
  describe(name, () => {
    const calls = [];
    let app;
    before(async () => {
      app = await start({ onRefuse: (error, request) => calls.push({ error, request }) });
    });
    after(() => app.close());

    // [case, path, headers, status, code, claim, error_description in the challenge]
    const rows = [
      ['a forbidden claim', '/whoami', () => bearer({ scp: 'Data.Read' }), 401, 'ERR_CLAIM_INVALID', 'scp', 'ERR_CLAIM_INVALID: \'scp\' must be absent'],
      ['another audience', '/whoami', () => bearer({ aud: 'api://other' }), 401, 'ERR_AUDIENCE_INVALID', 'aud', 'ERR_AUDIENCE_INVALID: audience (aud) is not accepted'],
      ['a missing role', '/whoami', () => bearer({ roles: ['Other'] }), 403, 'ERR_ROLE_MISSING', 'roles', 'ERR_ROLE_MISSING: required role is missing'],
      ['a malformed header', '/whoami', async () => ({ authorization: 'Bearer a b' }), 401, 'ERR_TOKEN_MALFORMED', null, 'the authorization header is not one bearer or dpop token'],
      ['keys that cannot be had', '/down/whoami', () => bearer({}), 503, 'ERR_JWKS_FETCH_FAILED', null, null],
    ];
    for (const [what, path, headers, status, code, claim, description] of rows) {
      test(`${what}: ${status}, onRefuse hears ${code}`, async () => {
        calls.length = 0;
        const response = await app.fetch(path, await headers());
        assert.equal(response.status, status);
        assert.equal(calls.length, 1, JSON.stringify(calls.map((call) => call.error.code)));
        const [{ error, request }] = calls;
        assert.deepEqual([error.name, error.code, error.claim], ['JwtGuardError', code, claim]);
        assert.equal(typeof error.reason, 'string');
        assert.match(request.url, new RegExp(`${path.replace(/\//g, '\\/')}$`));
        const challenge = response.headers.get('www-authenticate') ?? '';
        if (description) assert.ok(challenge.includes(`error_description="${description}"`), challenge);
        // The accepted audiences reach the operator's log, never the client.
        if (code === 'ERR_AUDIENCE_INVALID') {
          assert.match(error.detail, /an-audience-the-client-must-not-learn/);
          assert.ok(!challenge.includes('must-not-learn') && !(await response.text()).includes('must-not-learn'));
        }
      });
    }
    test('a request without a token is challenged, not reported', async () => {
      calls.length = 0;
      assert.equal((await app.fetch('/whoami', {})).status, 401);
      assert.equal(calls.length, 0);
    });
  });
}

test('the default logs one structured line per 503 only; onRefuse: false logs nothing', async (t) => {
  const warned = t.mock.method(console, 'warn', () => {});
  for (const [settings, expected] of [[undefined, 1], [{ onRefuse: false }, 0]]) {
    warned.mock.resetCalls();
    const app = await MIDDLEWARES.express(settings);
    try {
      assert.equal((await app.fetch('/whoami', await bearer({ scp: 'x' }))).status, 401);
      assert.equal((await app.fetch('/down/whoami', await bearer({}))).status, 503);
    } finally {
      await app.close();
    }
    assert.equal(warned.mock.callCount(), expected);
    if (expected) {
      const line = JSON.parse(warned.mock.calls[0].arguments[0]);
      assert.deepEqual([line.jwtguard, line.status, line.code, line.method], ['refused', 503, 'ERR_JWKS_FETCH_FAILED', 'GET']);
      assert.match(line.url, /\/down\/whoami$/);
    }
  }
  assert.throws(() => expressAuth(policy, { onRefuse: 'log' }), (error) => error.code === 'ERR_POLICY_INVALID');
});
