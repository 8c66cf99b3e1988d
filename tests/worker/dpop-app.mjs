// A Worker that accepts DPoP-bound and certificate-bound tokens: `protect`
// with the DpopReplayStore Durable Object as its replay store; under
// `/hono/`, Hono's `jwtAuth` with the same options; under `/gateway/`, a
// `gateway` rule that requires them (its "origin" answers what it was given).
import { Hono } from 'hono';
import { DpopReplayStore, durableObjectReplayStore, gateway, protect } from '@jwtguard/jwtguard/worker';
import { jwtAuth } from '@jwtguard/jwtguard/hono';

export { DpopReplayStore };

const options = (env) => ({
  issuer: env.ISSUER,
  audience: env.AUDIENCE,
  keys: env.JWKS,
  replayStore: durableObjectReplayStore(env.REPLAY),
});

/** What each handler answers from the auth it was given. */
const seen = (auth) => Response.json({ binding: auth.binding, sub: auth.claims.sub });

const worker = protect(options, (request, env, ctx, auth) => seen(auth));

const gated = gateway({ policies: { api: options }, rules: [{ path: '/gateway/*', require: 'api' }] }, (request, env, ctx, auth) => seen(auth));

const hono = new Hono();
hono.use('/hono/*', jwtAuth(options));
hono.get('/hono/*', (c) => seen(c.get('auth')));

export default {
  fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith('/hono/')) return hono.fetch(request, env, ctx);
    return pathname.startsWith('/gateway/') ? gated(request, env, ctx) : worker(request, env, ctx);
  },
};
