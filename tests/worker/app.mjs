// The test Worker: one route protected with `jwtguard/worker`, one Hono app
// with `jwtguard/hono`, both configured from the Worker's environment.
import { Hono } from 'hono';
import { protect } from '@jwtguard/jwtguard/worker';
import { jwtAuth } from '@jwtguard/jwtguard/hono';

const options = (env) => ({
  issuer: env.ISSUER,
  audience: env.AUDIENCE,
  roles: env.REQUIRED_ROLES ? env.REQUIRED_ROLES.split(',') : undefined,
  scopes: env.REQUIRED_SCOPES ? env.REQUIRED_SCOPES.split(',') : undefined,
  keys: env.JWKS,
});

const worker = protect(options, (request, env, ctx, auth) =>
  Response.json({ via: 'worker', claims: auth.claims, key: auth.key }));

const hono = new Hono();
hono.use('/hono/*', jwtAuth(options));
hono.get('/hono/whoami', (c) => c.json({ via: 'hono', claims: c.get('auth').claims, key: c.get('auth').key }));

export default {
  fetch(request, env, ctx) {
    return new URL(request.url).pathname.startsWith('/hono/') ? hono.fetch(request, env, ctx) : worker(request, env, ctx);
  },
};
