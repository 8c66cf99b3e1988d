// One server per runtime (Node with @hono/node-server, Deno.serve, Bun.serve)
// with every env-taking adapter, each given its options as a function of the
// env, as on Workers: `jwtAuth` and `jwtGateway` (jwtguard/hono), `protect`
// and `gateway` (jwtguard/worker). Node and Deno pass a new env object each
// request ({ incoming, outgoing }; the connection info), Bun the server.
// Each verifier fetches its keys from its own path of the test's key server,
// so the test can count fetches per verifier (tests/servers/runtimes.test.mjs).
// Prints { port } once listening.
import { Hono } from 'hono';
import { remoteJwks } from '@jwtguard/jwtguard';
import { jwtAuth, jwtGateway } from '@jwtguard/jwtguard/hono';
import { gateway, protect } from '@jwtguard/jwtguard/worker';
import { input } from './report.mjs';

const { issuer, audience, keysOrigin } = input();

/** Options as a function of the env, which falls back to the test's values (the runtimes' envs hold no settings). */
const policy = (keysPath, roles) => (env) => ({
  issuer: env.JWT_ISSUER ?? issuer,
  audience: env.JWT_AUDIENCE ?? audience,
  roles,
  keys: remoteJwks(`${keysOrigin}/${keysPath}`),
});

const answer = (auth) => Response.json({ binding: auth?.binding?.type ?? null, policies: auth?.policies ?? null });

/** A gateway's rules under `prefix`: admins, readers, and both at once. */
const rules = (prefix) => ({
  policies: { admin: policy(`${prefix}-admin`, ['Data.Admin']), reader: policy(`${prefix}-reader`, ['Data.Read']) },
  rules: [
    { path: `/${prefix}/api/*`, require: 'reader' },
    { path: `/${prefix}/api/admin/*`, require: 'admin' },
    { path: `/${prefix}/api/audit/*`, require: { allOf: ['reader', 'admin'] } },
  ],
});

const hono = new Hono();
hono.use('/hono/*', jwtAuth(policy('hono', ['Data.Read'])));
hono.all('/hono/*', (c) => answer(c.get('auth')));
hono.use('/hono-gateway/*', jwtGateway(rules('hono-gateway')));
hono.all('/hono-gateway/*', (c) => answer(c.get('auth')));

const handlers = {
  hono: hono.fetch,
  'hono-gateway': hono.fetch,
  worker: protect(policy('worker', ['Data.Read']), (request, env, ctx, auth) => answer(auth)),
  gateway: gateway(rules('gateway'), (request, env, ctx, auth) => answer(auth)),
};

/** The runtime's fetch handler: `env` is whatever the runtime passes second. */
function fetch(request, env) {
  const handler = handlers[new URL(request.url).pathname.split('/')[1]];
  return handler ? handler(request, env) : new Response('no such adapter', { status: 404 });
}

const listening = (port) => console.log(JSON.stringify({ port }));
if (globalThis.Deno) {
  globalThis.Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => listening(port) }, fetch);
} else if (globalThis.Bun) {
  listening(globalThis.Bun.serve({ hostname: '127.0.0.1', port: 0, fetch }).port);
} else {
  const { serve } = await import('@hono/node-server');
  serve({ fetch, hostname: '127.0.0.1', port: 0 }, ({ port }) => listening(port));
}
