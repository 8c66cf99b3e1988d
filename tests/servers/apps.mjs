// The same protected API on Express 5, Express 4, Connect, Fastify 5 and a
// plain node:http handler, each on 127.0.0.1: `/api/whoami` with a role, `/down/whoami` whose
// keys are unavailable, `/tenant/whoami` with options chosen per request,
// and the RFC 9728 metadata at the root.
import { createServer } from 'node:http';
import { Server as HttpsServer, createServer as createHttpsServer } from 'node:https';
import connect from 'connect';
import express from 'express';
import express4 from 'express4';
import Fastify from 'fastify';
import { jwtAuth as expressAuth } from '@jwtguard/jwtguard/express';
import { jwtAuth as fastifyAuth } from '@jwtguard/jwtguard/fastify';

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));

const whoami = (auth) => ({ sub: auth.claims.sub, key: auth.key, binding: auth.binding ?? null });

/**
 * @param {{ api: object, down: object, tenants: Record<string, object> }} config verifier options per route
 * @returns {Promise<Record<string, { origin: string, close(): Promise<void> }>>}
 */
export async function startApps({ api, down, tenants }) {
  const perTenant = (req) => tenants[req.headers['x-tenant']] ?? tenants.default;
  const settings = { resourceMetadata: true };
  const apps = {};

  for (const [name, framework] of [['express', express], ['express4', express4]]) {
    const app = framework();
    app.get('/down/whoami', expressAuth(down), (req, res) => res.json(whoami(req.auth)));
    app.get('/tenant/whoami', expressAuth(perTenant), (req, res) => res.json(whoami(req.auth)));
    app.use(expressAuth(api, settings));
    app.get('/api/whoami', (req, res) => res.json(whoami(req.auth)));
    apps[name] = await nodeServer(createServer(app));
  }

  // Connect: no res.json, and mounted paths are stripped from req.url (the middleware reads req.originalUrl).
  const send = (req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(whoami(req.auth)));
  };
  const plain = connect();
  plain.use('/down', expressAuth(down));
  plain.use('/down', send);
  plain.use('/tenant', expressAuth(perTenant));
  plain.use('/tenant', send);
  plain.use(expressAuth(api, settings));
  plain.use(send);
  apps.connect = await nodeServer(createServer(plain));

  const fastify = Fastify();
  await fastify.register(async (scope) => {
    await scope.register(fastifyAuth, { options: api, ...settings });
    scope.get('/api/whoami', async (request) => whoami(request.auth));
  });
  await fastify.register(async (scope) => {
    await scope.register(fastifyAuth, { options: down });
    scope.get('/down/whoami', async (request) => whoami(request.auth));
  });
  await fastify.register(async (scope) => {
    await scope.register(fastifyAuth, { options: (request) => perTenant(request) });
    scope.get('/tenant/whoami', async (request) => whoami(request.auth));
  });
  // Outside every protected context: no hook, no request.auth.
  fastify.get('/open', async (request) => ({ auth: request.auth ?? null }));
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  apps.fastify = { origin: `http://127.0.0.1:${fastify.server.address().port}`, close: () => fastify.close() };

  // A plain handler: the middleware with a `next` callback, as Connect calls it.
  const guards = { '/api/whoami': expressAuth(api, settings), '/down/whoami': expressAuth(down), '/tenant/whoami': expressAuth(perTenant) };
  apps.http = await nodeServer(createServer((req, res) => {
    const guard = guards[new URL(req.url, 'http://x').pathname] ?? guards['/api/whoami'];
    guard(req, res, () => send(req, res));
  }));
  return apps;
}

/** A node:http (or node:https) server listening on 127.0.0.1, with its origin and a `close()` that ends open connections. */
export async function nodeServer(server) {
  await listen(server);
  return {
    origin: `${server instanceof HttpsServer ? 'https' : 'http'}://127.0.0.1:${server.address().port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The framework names `startApp` knows, as `startApps` names them. */
export const FRAMEWORKS = Object.freeze(['express', 'express4', 'connect', 'fastify', 'http']);

/**
 * One app of framework `name` on 127.0.0.1 whose whole tree (`/api/whoami`
 * and the RFC 9728 metadata at the root) is protected by `options` with the
 * middleware `settings` (`origin`, `trustProxy`, `resourceMetadata`, …).
 * `route` is the handler behind it: its `method` (default GET) and
 * `answer(req)`, the JSON body from Node's request (default: who called).
 * With `tls` (node:https server options) it is served over HTTPS.
 * @param {{ method?: 'GET' | 'OPTIONS', answer?: (req: any) => unknown, tls?: import('node:https').ServerOptions }} [route]
 * @returns {Promise<{ origin: string, port: number, close(): Promise<void> }>}
 */
export async function startApp(name, options, settings, { method = 'GET', answer = (req) => whoami(req.auth), tls } = {}) {
  const reply = (req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(answer(req)));
  };
  let app;
  if (name === 'fastify') {
    const fastify = Fastify(tls ? { https: tls } : {});
    await fastify.register(fastifyAuth, { options, ...settings });
    // Fastify's request.auth is the decorated one; the raw request carries the headers and target.
    fastify.route({ method, url: '/api/whoami', handler: async (request) => answer(Object.assign(request.raw, { auth: request.auth })) });
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    const { port } = fastify.server.address();
    return { origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, port, close: () => fastify.close() };
  }
  if (name === 'express' || name === 'express4') {
    app = (name === 'express' ? express : express4)();
    app.use(expressAuth(options, settings));
    app[method.toLowerCase()]('/api/whoami', reply);
  } else if (name === 'connect') {
    app = connect();
    app.use(expressAuth(options, settings));
    app.use(reply);
  } else {
    const guard = expressAuth(options, settings);
    app = (req, res) => guard(req, res, () => reply(req, res));
  }
  const server = await nodeServer(tls ? createHttpsServer(tls, app) : createServer(app));
  return { ...server, port: Number(new URL(server.origin).port) };
}
