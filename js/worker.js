/**
 * `jwtguard/worker`: protect a Cloudflare Workers fetch handler.
 *
 *   import { protect } from 'jwtguard/worker';
 *   export default {
 *     fetch: protect((env) => ({ issuer: env.ISSUER, audience: env.AUDIENCE, keys: env.JWKS }),
 *       (request, env, ctx, auth) => Response.json({ client: auth.claims.azp })),
 *   };
 */

import { authenticator } from './protect.js';

/**
 * @param {object | ((env: object) => object)} options createVerifier options, or a function of the Worker's env
 * @param {(request: Request, env: object, ctx: object, auth: { claims: object, header: object, key: object }) => Response | Promise<Response>} handler
 * @param {{ realm?: string }} [settings] `realm` for WWW-Authenticate (default "api")
 * @returns {(request: Request, env: object, ctx: object) => Promise<Response>}
 */
export function protect(options, handler, settings) {
  const authenticate = authenticator(options, settings);
  return async function fetch(request, env, ctx) {
    const { auth, failure } = await authenticate(request, env, ctx);
    if (failure) return Response.json(failure.body, { status: failure.status, headers: failure.headers });
    return handler(request, env, ctx, auth);
  };
}

/** Where the Cache API keeps key sets: a name that can never be a real origin. */
const CACHE_ORIGIN = 'https://jwtguard.invalid/';

/** Workers KV refuses expirations under 60 seconds. */
const KV_MIN_TTL_SECONDS = 60;

/**
 * A key-source `store` for Workers: the Cache API (`caches.default`, shared by
 * the isolates of one location), then an optional KV namespace (global). Pass
 * it as `store` to `remoteJwks`, `discover`, `entraId` or `fromEnv`; each
 * isolate still keeps its keys in memory first.
 * @param {{ kv?: { get(key: string): Promise<string | null>, put(key: string, value: string, options: { expirationTtl: number }): Promise<void> }, cache?: Cache }} [options]
 */
export function workersStore({ kv, cache } = {}) {
  const cacheApi = () => cache ?? globalThis.caches?.default ?? null;
  const cacheKey = (key) => `${CACHE_ORIGIN}${encodeURIComponent(key)}`;
  return Object.freeze({
    async get(key) {
      const hit = await cacheApi()?.match(cacheKey(key));
      if (hit) return hit.text();
      return kv ? kv.get(key) : null;
    },
    async put(key, value, ttlSeconds) {
      const writes = [];
      const api = cacheApi();
      if (api) {
        const response = new Response(value, { headers: { 'cache-control': `max-age=${ttlSeconds}` } });
        writes.push(api.put(cacheKey(key), response));
      }
      if (kv) writes.push(kv.put(key, value, { expirationTtl: Math.max(KV_MIN_TTL_SECONDS, ttlSeconds) }));
      await Promise.all(writes);
    },
  });
}
