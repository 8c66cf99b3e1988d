// The example Worker: /api/tasks needs an Entra ID access token with the
// Tasks.Read app role; /health is open. Keys are discovered from the tenant,
// kept in isolate memory, the Cache API and (when bound) KV.
import { fromEnv } from '@jwtguard/jwtguard';
import { protect, workersStore } from '@jwtguard/jwtguard/worker';

const tasks = protect(
  (env) => fromEnv(env, { store: workersStore({ kv: env.JWTGUARD_KEYS }) }),
  (request, env, ctx, auth) =>
    // A CORS preflight arrives unchecked, with auth null: this API allows no other origin.
    auth === null
      ? new Response(null, { status: 204 })
      : Response.json({
        tasks: [{ id: 1, title: 'Rotate the client secret' }],
        caller: auth.claims.azp ?? auth.claims.appid,
        tenant: auth.claims.tid,
      }),
);

export default {
  fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === '/health') return new Response('ok');
    if (pathname === '/api/tasks') return tasks(request, env, ctx);
    return new Response('not found', { status: 404 });
  },
};
