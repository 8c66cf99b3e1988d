// The step-up test Worker: `/worker/<policy>` behind `protect` and
// `/hono/<policy>` behind Hono's `jwtAuth`, each policy from the POLICIES
// binding (JSON, members only) with the JWKS binding's keys.
import { Hono } from 'hono';
import { protect } from '@jwtguard/jwtguard/worker';
import { jwtAuth } from '@jwtguard/jwtguard/hono';

const settings = { resourceMetadata: true };
const optionsFor = (name) => (env) => ({ ...JSON.parse(env.POLICIES)[name], keys: env.JWKS });
const workers = new Map();
const honos = new Map();

function worker(name) {
  if (!workers.has(name)) workers.set(name, protect(optionsFor(name), (request, env, ctx, auth) => Response.json({ sub: auth.claims.sub }), settings));
  return workers.get(name);
}

function hono(name) {
  if (!honos.has(name)) {
    const app = new Hono();
    app.use('*', jwtAuth(optionsFor(name), settings));
    app.get('*', (c) => c.json({ sub: c.get('auth').claims.sub }));
    honos.set(name, app);
  }
  return honos.get(name);
}

export default {
  fetch(request, env, ctx) {
    const [, via, name] = new URL(request.url).pathname.split('/');
    if (!Object.hasOwn(JSON.parse(env.POLICIES), name)) return new Response('no such policy', { status: 404 });
    return via === 'hono' ? hono(name).fetch(request, env, ctx) : worker(name)(request, env, ctx);
  },
};
