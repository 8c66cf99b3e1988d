// The test Worker: one route protected with `jwtguard/worker`, one Hono app
// with `jwtguard/hono`, both configured from the Worker's environment. Both
// tell their refusals to onRefuse, which keeps them for `GET /refusals`.
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

/** What onRefuse heard, in this isolate: the error's members and the request's path. */
const refusals = [];
const onRefuse = (error, request) => refusals.push({ code: error.code, claim: error.claim, detail: error.detail, path: new URL(request.url).pathname });

const worker = protect(options, (request, env, ctx, auth) =>
  Response.json({ via: 'worker', claims: auth.claims, key: auth.key }), { onRefuse });

const hono = new Hono();
hono.use('/hono/*', jwtAuth(options, { onRefuse }));
hono.get('/hono/whoami', (c) => c.json({ via: 'hono', claims: c.get('auth').claims, key: c.get('auth').key }));

export default {
  fetch(request, env, ctx) {
    if (new URL(request.url).pathname === '/refusals') return Response.json(refusals.splice(0));
    return new URL(request.url).pathname.startsWith('/hono/') ? hono.fetch(request, env, ctx) : worker(request, env, ctx);
  },
};
