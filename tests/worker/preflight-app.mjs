// The CORS preflight test Worker: `/worker/...` behind `protect` and
// `/hono/...` behind Hono's `jwtAuth`, each with the default settings and,
// under `/checking/`, with `checkPreflight: true`; the handlers report what
// reached them (tests/js/preflight-cases.mjs).
import { Hono } from 'hono';
import { protect } from '@jwtguard/jwtguard/worker';
import { jwtAuth } from '@jwtguard/jwtguard/hono';

const TOKEN_FROM = { header: 'X-Access-Token', cookie: 'at', query: 'access_token' };
const options = (env) => ({ issuer: env.ISSUER, audience: env.AUDIENCE, keys: env.JWKS });

const seen = (request, auth) => {
  const url = new URL(request.url);
  const header = (name) => request.headers.get(name);
  return Response.json({
    auth: auth ?? null,
    authorization: header('authorization'),
    dpop: header('dpop'),
    token: header('x-access-token'),
    cookie: header('cookie'),
    path: `${url.pathname.replace(/^\/(?:checking\/)?(?:worker|hono)/, '')}${url.search}`,
  });
};

const workers = Object.fromEntries([false, true].map((checkPreflight) => [checkPreflight,
  protect(options, (request, env, ctx, auth) => seen(request, auth), { tokenFrom: TOKEN_FROM, checkPreflight })]));

const honos = Object.fromEntries([false, true].map((checkPreflight) => {
  const app = new Hono();
  app.use('*', jwtAuth(options, { tokenFrom: TOKEN_FROM, checkPreflight }));
  app.options('*', (c) => seen(c.req.raw, c.get('auth')));
  return [checkPreflight, app];
}));

export default {
  fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    const checking = pathname.startsWith('/checking/');
    const via = pathname.split('/')[checking ? 2 : 1];
    return via === 'hono' ? honos[checking].fetch(request, env, ctx) : workers[checking](request, env, ctx);
  },
};
