// DPoP server nonces in workerd: the same options (the secret from the env,
// as a Worker fleet shares it) behind `protect` at /worker/*, Hono's
// `jwtAuth` at /hono/*, and a `gateway` rule at /gateway/*.
import { Hono } from 'hono';
import { gateway, protect } from '@jwtguard/jwtguard/worker';
import { jwtAuth } from '@jwtguard/jwtguard/hono';

const options = (env) => ({
  issuer: env.ISSUER,
  audience: env.AUDIENCE,
  keys: env.JWKS,
  dpopNonce: { secret: env.DPOP_NONCE_SECRET, window: Number(env.DPOP_NONCE_WINDOW) },
});

const whoami = (via, auth) => Response.json({ via, binding: auth.binding, sub: auth.claims.sub });

const worker = protect(options, (request, env, ctx, auth) => whoami('worker', auth));

const hono = new Hono();
hono.use('/hono/*', jwtAuth(options));
hono.get('/hono/whoami', (c) => whoami('hono', c.get('auth')));

let front;
const gatewayFor = (env) => (front ??= gateway(
  { policies: { api: options(env) }, rules: [{ path: '/gateway/*', require: 'api' }] },
  (request, _env, _ctx, auth) => whoami('gateway', auth),
));

export default {
  fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith('/hono/')) return hono.fetch(request, env, ctx);
    if (pathname.startsWith('/gateway/')) return gatewayFor(env)(request, env, ctx);
    return worker(request, env, ctx);
  },
};
