// The test gateway: one rule table, served by `gateway` (jwtguard/worker) at
// the root and by `jwtGateway` (jwtguard/hono) under /hono. The "origin" is an
// echo of what it would receive: method, path, the policies that accepted,
// and the headers the gateway sets or strips.
import { Hono } from 'hono';
import { gateway } from '@jwtguard/jwtguard/worker';
import { jwtGateway } from '@jwtguard/jwtguard/hono';

const FORWARDED = ['x-user', 'x-roles', 'x-jwt-payload', 'authorization', 'access-control-request-method'];

function echo(request, auth) {
  const headers = Object.fromEntries(FORWARDED.map((name) => [name, request.headers.get(name)]));
  return Response.json({ method: request.method, path: new URL(request.url).pathname, policies: auth?.policies ?? null, headers });
}

function config(env, prefix) {
  const keys = JSON.parse(env.JWKS);
  const base = { issuer: env.ISSUER, audience: env.AUDIENCE, keys };
  const rule = (path, require, methods) => ({ path: `${prefix}${path}`, require, ...(methods ? { methods } : {}) });
  return {
    policies: {
      reader: { ...base, roles: ['Data.Read'] },
      writer: { ...base, roles: ['Data.Write'] },
      partner: { issuer: env.PARTNER_ISSUER, audience: env.AUDIENCE, keys: JSON.parse(env.PARTNER_JWKS) },
    },
    rules: [
      rule('/public/*', null),
      rule('/api/*', 'reader'),
      rule('/api/*', 'writer', ['POST', 'DELETE']),
      rule('/api/reports', { anyOf: ['reader', 'partner'] }),
      rule('/api/audit/*', { allOf: ['reader', 'writer'] }),
      rule('/feed/*', { optional: 'reader' }),
      rule('/cors/*', 'reader', ['OPTIONS', 'GET']),
    ],
    forward: { claims: { sub: 'X-User', roles: 'X-Roles', name: 'X-Name' }, payload: 'X-Jwt-Payload', stripAuthorization: true },
    settings: { resourceMetadata: true },
  };
}

let worker;
let hono;

export default {
  fetch(request, env, ctx) {
    if (new URL(request.url).pathname.startsWith('/hono/')) {
      if (!hono) {
        hono = new Hono();
        hono.use('*', jwtGateway(config(env, '/hono')));
        hono.all('*', (c) => echo(c.req.raw, c.get('auth')));
      }
      return hono.fetch(request, env, ctx);
    }
    worker ??= gateway(config(env, ''), (forwarded, env_, ctx_, auth) => echo(forwarded, auth));
    return worker(request, env, ctx);
  },
};
