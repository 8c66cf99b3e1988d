// jwtguard/h3 on h3 2 (a web Request, served by srvx on Node) and on h3 1
// (`event.node.req`, as Nuxt 3 and 4 and Nitro 2 run it) on 127.0.0.1: the
// shared table (cases.mjs), the mTLS table over HTTPS (mtls-cases.mjs),
// options per request (per-request-cases.mjs) and event.context.auth read by
// the routes.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { once } from 'node:events';
import { test } from 'node:test';
import { H3, H3Event, serve } from 'h3';
import { createApp, createRouter, defineEventHandler, toNodeListener } from 'h3v1';
import { defineAuthMiddleware } from '@jwtguard/jwtguard/h3';
import { preflightSeen, whoamiOf } from './app-answers.mjs';
import { frameworkSuite } from './cases.mjs';
import { mtlsSuite } from './mtls-cases.mjs';
import { perRequestSuite } from './per-request-cases.mjs';
import { parseChallenges } from '../js/challenges.mjs';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from '../js/helpers.mjs';

const OPTIONS = { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [] } };

test('the origin setting pins the URL the answers name; trustProxy is refused', async () => {
  const middleware = defineAuthMiddleware(OPTIONS, { origin: 'https://api.example.com', resourceMetadata: true });
  const answer = await middleware(new H3Event(new Request('http://127.0.0.1:8080/api/whoami')));
  assert.equal(answer.status, 401);
  const [bearer] = parseChallenges(answer.headers.get('www-authenticate'));
  assert.equal(bearer.params.resource_metadata, 'https://api.example.com/.well-known/oauth-protected-resource');
  assert.throws(() => defineAuthMiddleware(OPTIONS, { trustProxy: true }), { code: 'ERR_POLICY_INVALID' });
});

test('[per-request] options may be a function of the event: each tenant its own issuer and keys (h3 2 events, called directly)', async () => {
  const [pair, other] = [await keyPair('ES256'), await keyPair('ES256', 'other-key')];
  const tenants = {
    one: { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] } },
    two: { issuer: 'https://issuer.test/tenant-2/v2.0', audience: AUDIENCE, keys: { keys: [other.jwk] } },
  };
  const middleware = defineAuthMiddleware((event) => tenants[event.req.headers.get('x-tenant')]);
  const event = (tenant, token) => new H3Event(new Request('http://127.0.0.1:8080/api/whoami', { headers: { 'x-tenant': tenant, authorization: `Bearer ${token}` } }));
  const asTwo = event('two', await sign(other, goodClaims({ iss: 'https://issuer.test/tenant-2/v2.0' })));
  assert.equal(await middleware(asTwo), undefined);
  assert.equal(asTwo.context.auth.key.kid, 'other-key');
  const refused = await middleware(event('one', await sign(other, goodClaims({ iss: 'https://issuer.test/tenant-2/v2.0' }))));
  assert.deepEqual([refused.status, (await refused.json()).code], [401, 'ERR_KEY_NOT_FOUND']);
});

/** The h3 2 app on srvx, over HTTP, or over HTTPS (srvx's tls, Node's own client-certificate options) with `tls`. */
async function startH3({ options, settings, tls }) {
  const app = new H3();
  app.use(defineAuthMiddleware(options, settings));
  app.get('/api/whoami', (event) => whoamiOf(event.context.auth));
  app.options('/api/whoami', (event) => preflightSeen(event.context.auth, event.req.headers, `${event.url.pathname}${event.url.search}`));
  const { key, cert, ...clients } = tls ?? {};
  const server = serve(app, { port: 0, hostname: '127.0.0.1', silent: true, ...(tls ? { tls: { key, cert }, node: clients } : {}) });
  await server.ready();
  return { origin: new URL(server.url).origin, close: () => server.close(true) };
}

/** The h3 1 app on node:http, or node:https with `tls`. */
async function startH3v1({ options, settings, tls }) {
  const app = createApp();
  // As a Nitro 2 or Nuxt server middleware is written.
  app.use(defineEventHandler(defineAuthMiddleware(options, settings)));
  const router = createRouter();
  router.get('/api/whoami', (event) => whoamiOf(event.context.auth));
  router.options('/api/whoami', (event) => preflightSeen(event.context.auth, event.node.req.headers, event.path));
  app.use(router);
  const server = (tls ? createHttpsServer(tls, toNodeListener(app)) : createServer(toNodeListener(app))).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

frameworkSuite('h3 2', startH3);
mtlsSuite('h3 2 on Node', startH3);
mtlsSuite('h3 1', startH3v1);
perRequestSuite('h3 2', startH3, (event) => event.req.headers.get('x-tenant'));
perRequestSuite('h3 1', startH3v1, (event) => event.node.req.headers['x-tenant']);

frameworkSuite('h3 1', startH3v1, undefined, {
  // h3 1's app hands each layer the path it read before the first one ran (docs/frameworks/h3.md).
  preflightKeepsQuery: true,
});
