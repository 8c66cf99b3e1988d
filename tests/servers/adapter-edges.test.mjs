// Edges of the Node adapters on real servers (127.0.0.1): the Fastify plugin
// lets through unauthenticated only the GET and HEAD of the metadata routes it
// serves itself, and the middleware on a plain node:http server contains an
// error thrown by `next` (a 500, not an unhandled rejection ending the process).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import Fastify from 'fastify';
import { jwtAuth as expressAuth } from '@jwtguard/jwtguard/express';
import { jwtAuth as fastifyAuth } from '@jwtguard/jwtguard/fastify';
import { AUDIENCE, ISSUER, keyPair, sign } from '../js/helpers.mjs';

const WELL_KNOWN = '/.well-known/oauth-protected-resource';

let pair;
let fastify;
let fastifyOrigin;
let plain;
let plainOrigin;
const rejections = [];
/** How long an answer may take: without containment the request is never answered. */
const ANSWER_TIMEOUT_MS = 2000;
const onRejection = (reason) => rejections.push(reason);

before(async () => {
  pair = await keyPair('ES256');
  const options = { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] } };
  fastify = Fastify();
  // The plugin serves the metadata; the user adds a POST at the same path.
  await fastify.register(async (scope) => {
    await scope.register(fastifyAuth, { options, resourceMetadata: true });
    scope.post(WELL_KNOWN, async () => ({ route: 'user post' }));
  });
  // Without resourceMetadata, a user's own GET at the well-known path is a protected route like any other.
  await fastify.register(async (scope) => {
    await scope.register(fastifyAuth, { options });
    scope.get(`${WELL_KNOWN}/mine`, async () => ({ route: 'user get' }));
  });
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  fastifyOrigin = `http://127.0.0.1:${fastify.server.address().port}`;

  process.on('unhandledRejection', onRejection);
  const guard = expressAuth(options);
  const nexts = {
    '/throws': () => {
      throw new Error('the handler failed');
    },
    '/rejects': async () => {
      throw new Error('the async handler failed');
    },
    '/ok': (req, res) => res.end('ok'),
  };
  plain = createServer((req, res) => guard(req, res, () => nexts[req.url](req, res)));
  await new Promise((resolve) => plain.listen(0, '127.0.0.1', resolve));
  plainOrigin = `http://127.0.0.1:${plain.address().port}`;
});

after(async () => {
  process.off('unhandledRejection', onRejection);
  await fastify?.close();
  plain?.closeAllConnections();
  await new Promise((resolve) => (plain ? plain.close(resolve) : resolve()));
});

test('fastify: only the GET and HEAD of the plugin\'s own metadata routes skip authentication', async () => {
  // [method, path, status]
  const rows = [
    ['GET', WELL_KNOWN, 200],
    ['HEAD', WELL_KNOWN, 200],
    ['POST', WELL_KNOWN, 401],
    ['GET', `${WELL_KNOWN}/mine`, 401],
  ];
  for (const [method, path, status] of rows) {
    const response = await fetch(`${fastifyOrigin}${path}`, { method });
    assert.equal(response.status, status, `${method} ${path}`);
  }
  const token = await sign(pair);
  const posted = await fetch(`${fastifyOrigin}${WELL_KNOWN}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  assert.deepEqual(await posted.json(), { route: 'user post' });
});

test('node:http: an error thrown by next is answered 500, not an unhandled rejection', async () => {
  const authorization = `Bearer ${await sign(pair)}`;
  for (const path of ['/throws', '/rejects']) {
    const response = await fetch(`${plainOrigin}${path}`, { headers: { authorization }, signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
    assert.equal(response.status, 500, path);
    assert.deepEqual(await response.json(), { error: 'server_error', code: 'ERR_INTERNAL' }, path);
  }
  assert.equal(await (await fetch(`${plainOrigin}/ok`, { headers: { authorization } })).text(), 'ok');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(rejections, []);
});
