// A test Worker whose keys come from a remote JWKS, cached in isolate memory,
// then the Cache API, then KV (the `KEYS` namespace).
import { remoteJwks } from '@jwtguard/jwtguard';
import { protect, workersStore } from '@jwtguard/jwtguard/worker';

export default {
  fetch: protect(
    (env) => ({
      issuer: env.ISSUER,
      audience: env.AUDIENCE,
      keys: remoteJwks(env.JWKS_URL, { store: workersStore({ kv: env.KEYS }), cooldown: 1 }),
    }),
    (request, env, ctx, auth) => Response.json({ kid: auth.key.kid }),
  ),
};
