// The soak's Worker: the middleware with a remote key set kept in isolate
// memory only (no store), by the soak's key-source settings. `/memory`
// answers the size of the WebAssembly memory, `/fetched` when (Unix seconds)
// the key source took in a fetched key set, so the run can judge refusals.
import { remoteJwks } from 'jwtguard';
import { protect } from 'jwtguard/worker';
import { initSync } from '../../pkg/jwtguard.js';

const fetched = [];

const guarded = protect(
  (env) => ({
    issuer: env.ISSUER,
    audience: env.AUDIENCE,
    keys: remoteJwks(env.JWKS_URL, {
      ...JSON.parse(env.KEY_SETTINGS),
      onEvent: (event) => {
        if (event.type === 'fetch') fetched.push(Date.now() / 1000);
      },
    }),
  }),
  (request, env, ctx, auth) => Response.json({ kid: auth.key.kid }),
);

export default {
  fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    // initSync returns the instance already made by the package's entry.
    if (pathname === '/memory') return Response.json({ wasmBytes: initSync().memory.buffer.byteLength });
    if (pathname === '/fetched') return Response.json(fetched);
    return guarded(request, env, ctx);
  },
};
