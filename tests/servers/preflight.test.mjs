// CORS preflight on real Node servers (Express 5 and 4, Connect, Fastify 5,
// node:http) on 127.0.0.1: the shared table of tests/js/preflight-cases.mjs,
// with a handler behind the middleware that reports what reached it.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import connect from 'connect';
import express from 'express';
import express4 from 'express4';
import Fastify from 'fastify';
import { jwtAuth as expressAuth } from '@jwtguard/jwtguard/express';
import { jwtAuth as fastifyAuth } from '@jwtguard/jwtguard/fastify';
import { AUDIENCE, ISSUER, keyPair } from '../js/helpers.mjs';
import { PREFLIGHT_CASES, TOKEN_FROM } from '../js/preflight-cases.mjs';
import { FRAMEWORKS, nodeServer } from './apps.mjs';

/** What the handler saw, from Node's request. */
const seen = (req, url = req.originalUrl ?? req.url) => ({
  auth: req.auth ?? null,
  authorization: req.headers.authorization ?? null,
  dpop: req.headers.dpop ?? null,
  token: req.headers['x-access-token'] ?? null,
  cookie: req.headers.cookie ?? null,
  path: url,
});

const reply = (req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(seen(req)));
};

/** An app of framework `name` whose `/api/whoami` is protected, with an OPTIONS handler behind the middleware. */
async function start(name, options, settings) {
  if (name === 'fastify') {
    const fastify = Fastify();
    await fastify.register(fastifyAuth, { options, ...settings });
    fastify.options('/api/whoami', async (request) => seen(request.raw, request.raw.url));
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    return { origin: `http://127.0.0.1:${fastify.server.address().port}`, close: () => fastify.close() };
  }
  let app;
  if (name === 'express' || name === 'express4') {
    app = (name === 'express' ? express : express4)();
    app.use('/api', expressAuth(options, settings));
    app.options('/api/whoami', reply);
  } else if (name === 'connect') {
    app = connect();
    app.use(expressAuth(options, settings));
    app.use(reply);
  } else {
    const guard = expressAuth(options, settings);
    app = (req, res) => guard(req, res, () => reply(req, res));
  }
  return nodeServer(createServer(app));
}

const apps = {};

before(async () => {
  const pair = await keyPair('ES256');
  const options = { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] } };
  for (const name of FRAMEWORKS) {
    apps[name] = {
      passing: await start(name, options, { tokenFrom: TOKEN_FROM }),
      checking: await start(name, options, { tokenFrom: TOKEN_FROM, checkPreflight: true }),
    };
  }
});

after(async () => {
  await Promise.all(Object.values(apps).flatMap((pair) => Object.values(pair).map((app) => app.close())));
});

for (const name of FRAMEWORKS) {
  describe(`${name}: CORS preflight`, () => {
    for (const [row, headers, query, checkPreflight, status, want] of PREFLIGHT_CASES) {
      test(`${row} → ${status}`, async () => {
        const app = apps[name][checkPreflight ? 'checking' : 'passing'];
        const response = await fetch(`${app.origin}/api/whoami${query}`, { method: 'OPTIONS', headers });
        const body = await response.json();
        assert.equal(response.status, status, JSON.stringify(body));
        if (want) {
          assert.deepEqual(body, want);
          return;
        }
        // Checked like any request: refused with a challenge, the handler never reached.
        assert.ok(['unauthorized', 'invalid_request'].includes(body.error), JSON.stringify(body));
        assert.match(response.headers.get('www-authenticate'), /^Bearer realm="api"/);
      });
    }
  });
}
