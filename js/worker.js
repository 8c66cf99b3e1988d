/**
 * `jwtguard/worker`: protect a Cloudflare Workers fetch handler.
 *
 *   import { protect } from '@jwtguard/jwtguard/worker';
 *   export default {
 *     fetch: protect((env) => ({ issuer: env.ISSUER, audience: env.AUDIENCE, keys: env.JWKS }),
 *       (request, env, ctx, auth) => Response.json({ client: auth.claims.azp })),
 *   };
 */

import { authenticator } from './authenticate.js';
import { gatewayGuard } from './gateway.js';
import { kindOf } from './clock.js';
import { JwtGuardError } from './errors.js';
import { toResponse, withHeaders, workerContext } from './worker-request.js';

/**
 * @param {object | ((env: object) => object)} options createVerifier options, or a function of the Worker's env
 * @param {(request: Request, env: object, ctx: object, auth: { claims: object, header: object, key: object } | null) => Response | Promise<Response>} handler
 *   `auth` is null for a CORS preflight, which is passed on unchecked unless `checkPreflight` is set
 * @param {{ realm?: string, tokenFrom?: object, resourceMetadata?: boolean | object, checkPreflight?: boolean }} [settings] `realm` for WWW-Authenticate (default "api")
 * @returns {(request: Request, env: object, ctx: object) => Promise<Response>}
 */
export function protect(options, handler, settings) {
  const guard = authenticator(options, settings, { env: true });
  return async function fetch(request, env, ctx) {
    const metadata = guard.metadata(request, env);
    if (metadata) return toResponse(metadata, request.method);
    // A CORS preflight carries no credentials: the handler answers it, without auth.
    if (guard.passesPreflight(request)) return handler(guard.withoutCredentials(request), env, ctx, null);
    const { auth, failure, headers } = await guard.authenticate(request, env, workerContext(request, ctx));
    if (failure) return toResponse(failure);
    return withHeaders(await handler(request, env, ctx, auth), headers);
  };
}

/**
 * A Worker in front of an origin: each request is checked against the rule
 * table's closest rule, then handed to `handler` (which usually forwards it
 * with `fetch(request)`) with the verified claims forwarded as configured.
 * @param {Parameters<typeof gatewayGuard>[0]} config policies by name, rules, forwarding, settings
 * @param {(request: Request, env: object, ctx: object, auth: object | null) => Response | Promise<Response>} handler
 */
export function gateway(config, handler) {
  const guard = gatewayGuard(config);
  return async function fetch(request, env, ctx) {
    const { answer, request: next, auth, headers } = await guard.handle(request, env, workerContext(request, ctx));
    if (answer) return toResponse(answer, request.method);
    return withHeaders(await handler(next, env, ctx, auth), headers);
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
  // `caches.default` is the Workers Cache API's own cache, unknown to the DOM types.
  const cacheApi = () => cache ?? /** @type {any} */ (globalThis.caches)?.default ?? null;
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

/** Shards of the replay store: keys spread over this many Durable Objects by default. */
const DEFAULT_REPLAY_SHARDS = 16;

/**
 * A Durable Object that remembers DPoP proof ids until they expire: the
 * consistent replay store on Workers (each object handles one request at a
 * time, so "seen?" and "remember" cannot interleave). Export it from your
 * Worker and bind it (wrangler: `durable_objects.bindings`), then pass
 * `durableObjectReplayStore(env.BINDING)` as `replayStore`. A plain class
 * with `fetch`, so this module also loads outside workerd.
 */
export class DpopReplayStore {
  /** @param {{ storage: { get(key: string): Promise<unknown>, put(key: string, value: unknown): Promise<void>, delete(key: string): Promise<boolean>, list(): Promise<Map<string, unknown>>, getAlarm(): Promise<number | null>, setAlarm(at: number): Promise<void> } }} state */
  constructor(state) {
    this.storage = state.storage;
  }

  /** `POST { key, ttl }` → `{ seen }`: whether the key was remembered, and remembers it. */
  async fetch(request) {
    const { key, ttl } = await request.json();
    if (typeof key !== 'string' || !Number.isFinite(ttl) || ttl <= 0) return new Response('bad request', { status: 400 });
    const now = Date.now();
    const expires = await this.storage.get(key);
    if (typeof expires === 'number' && expires >= now) return Response.json({ seen: true });
    await this.storage.put(key, now + ttl * 1000);
    if ((await this.storage.getAlarm()) === null) await this.storage.setAlarm(now + ttl * 1000);
    return Response.json({ seen: false });
  }

  /** Forgets expired keys, and wakes again for the next to expire. */
  async alarm() {
    const now = Date.now();
    let next = null;
    for (const [key, expires] of await this.storage.list()) {
      if (typeof expires !== 'number' || expires < now) await this.storage.delete(key);
      else next = Math.min(next ?? expires, expires);
    }
    if (next !== null) await this.storage.setAlarm(next);
  }
}

/**
 * A `replayStore` backed by the `DpopReplayStore` Durable Object bound as
 * `namespace`, with keys spread over `shards` objects. (Workers KV is
 * eventually consistent: it would only narrow the replay window.)
 * @param {{ idFromName(name: string): unknown, get(id: unknown): { fetch(url: string, init: RequestInit): Promise<Response> } }} namespace
 * @param {{ shards?: number }} [options]
 */
export function durableObjectReplayStore(namespace, { shards = DEFAULT_REPLAY_SHARDS } = {}) {
  if (!namespace || typeof namespace.idFromName !== 'function') {
    throw new JwtGuardError('ERR_POLICY_INVALID', 'durableObjectReplayStore needs the Durable Object namespace binding of DpopReplayStore');
  }
  if (!Number.isSafeInteger(shards) || shards < 1) {
    throw new JwtGuardError('ERR_POLICY_INVALID', `shards must be a whole number ≥ 1, not ${kindOf(shards)}`, { claim: 'shards' });
  }
  return Object.freeze({
    async seen(key, ttlSeconds) {
      // FNV-1a over the key: the same key always reaches the same object.
      let hash = 0x811c9dc5;
      for (let i = 0; i < key.length; i += 1) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
      const stub = namespace.get(namespace.idFromName(`dpop-replay-${hash % shards}`));
      const response = await stub.fetch('https://dpop-replay.invalid/', { method: 'POST', body: JSON.stringify({ key, ttl: ttlSeconds }) });
      if (!response.ok) throw new Error(`the replay store answered ${response.status}`);
      return (await response.json()).seen === true;
    },
  });
}
