// The red-team table's origins (tests/servers/gateway.test.mjs): one set of
// routes on Express 5, Express 4, Fastify 5 and Hono (on @hono/node-server),
// each on 127.0.0.1, and Hono again with `jwtGateway` in the same app. Each
// route answers which handler ran and the identity headers it received.
import { createServer } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import express from 'express';
import express4 from 'express4';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { jwtGateway } from '@jwtguard/jwtguard/hono';
import { gatewayConfig } from './gateway-config.mjs';
import { nodeServer } from './apps.mjs';

/** [method ('ALL': any), path, the handler's name] */
export const ROUTES = [
  ['GET', '/api/admin/users', 'admin'],
  ['GET', '/api/users', 'reader'],
  ['GET', '/api/secret', 'secret'],
  ['ALL', '/api/echo', 'echo'],
  ['GET', '/public', 'public'],
];

/** What every handler answers: its name and the identity headers it was given. */
const answer = (route, headers) => ({ route, user: headers['x-user'] ?? null, roles: headers['x-roles'] ?? null, authorization: headers.authorization ?? null });

function honoRoutes(app) {
  for (const [method, path, route] of ROUTES) {
    const handler = (c) => c.json(answer(route, Object.fromEntries(c.req.raw.headers)));
    if (method === 'ALL') app.all(path, handler);
    else app.get(path, handler);
  }
  return app;
}

/**
 * @param {{ issuer: string, audience: string, keys: object }} source the gateway's key source (for the inline Hono gateway)
 * @returns {Promise<Record<string, { origin: string, close(): Promise<void> }>>} by name: express, express4, fastify, hono, and hono-gateway
 */
export async function startOrigins(source) {
  const origins = {};
  for (const [name, framework] of [['express', express], ['express4', express4]]) {
    const app = framework();
    for (const [method, path, route] of ROUTES) app[method === 'ALL' ? 'all' : 'get'](path, (req, res) => res.json(answer(route, req.headers)));
    origins[name] = await nodeServer(createServer(app));
  }

  const fastify = Fastify();
  for (const [method, path, route] of ROUTES) fastify[method === 'ALL' ? 'all' : 'get'](path, async (request) => answer(route, request.headers));
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  origins.fastify = { origin: `http://127.0.0.1:${fastify.server.address().port}`, close: () => fastify.close() };

  origins.hono = await nodeServer(createAdaptorServer({ fetch: honoRoutes(new Hono()).fetch }));

  const inline = new Hono();
  inline.use('*', jwtGateway(gatewayConfig(source)));
  origins['hono-gateway'] = await nodeServer(createAdaptorServer({ fetch: honoRoutes(inline).fetch }));
  return origins;
}
