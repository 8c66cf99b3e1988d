// The step-up test Worker: `/worker/<policy>` behind `protect`,
// `/hono/<policy>` behind Hono's `jwtAuth` and `/gateway/<policy>` behind a
// `gateway` rule, each policy from the POLICIES binding (JSON, members only)
// with the JWKS binding's keys. The RFC 9728 document at the root is the one
// of the `stepUp` policy's `protect`, Hono app or gateway, as the `x-via`
// header says.
import { Hono } from 'hono';
import { gateway, protect } from '@jwtguard/jwtguard/worker';
import { jwtAuth } from '@jwtguard/jwtguard/hono';

const settings = { resourceMetadata: true };
const optionsFor = (name) => (env) => ({ ...JSON.parse(env.POLICIES)[name], keys: env.JWKS });
const workers = new Map();
const honos = new Map();
const gateways = new Map();

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

function gated(name) {
  if (!gateways.has(name)) {
    const config = { policies: { [name]: optionsFor(name) }, rules: [{ path: `/gateway/${name}`, require: name }], settings };
    gateways.set(name, gateway(config, (request, env, ctx, auth) => Response.json({ sub: auth.claims.sub })));
  }
  return gateways.get(name);
}

export default {
  fetch(request, env, ctx) {
    const [, via, name] = new URL(request.url).pathname.split('/');
    const [kind, policy] = via === '.well-known' ? [request.headers.get('x-via'), 'stepUp'] : [via, name];
    if (!Object.hasOwn(JSON.parse(env.POLICIES), policy)) return new Response('no such policy', { status: 404 });
    if (kind === 'gateway') return gated(policy)(request, env, ctx);
    return kind === 'hono' ? hono(policy).fetch(request, env, ctx) : worker(policy)(request, env, ctx);
  },
};
