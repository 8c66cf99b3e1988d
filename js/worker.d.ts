import type { ReplayStore, Result, VerifierOptions } from './index.js';

/** What a protected handler receives as its fourth argument. */
export type Auth = Pick<Result, 'claims' | 'header' | 'key' | 'binding'>;

/** Middleware settings. */
export interface ProtectSettings {
  /** The `realm` of `WWW-Authenticate` challenges. Default "api". */
  realm?: string;
}

/**
 * Wraps a Workers fetch handler: requests without a valid bearer token get
 * 401 (or 403 for a missing role or scope) with an RFC 6750 challenge.
 * `Env` is the Worker's environment (what `wrangler types` generates); give
 * it as `protect<Env>(…)` or annotate the handler's `env`.
 */
export declare function protect<Env = Record<string, any>, Ctx = unknown>(
  options: VerifierOptions | VerifierOptions[] | ((env: Env) => VerifierOptions | VerifierOptions[]),
  handler: (request: Request, env: Env, ctx: Ctx, auth: Auth) => Response | Promise<Response>,
  settings?: ProtectSettings,
): (request: Request, env: Env, ctx: Ctx) => Promise<Response>;

/** A KV namespace, as far as the key store uses it. */
export interface KvNamespaceLike {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, options: { expirationTtl: number }): Promise<void>;
}

/** A Cache API cache (`caches.default`), as far as the key store uses it. */
export interface CacheLike {
  match(request: string): Promise<Response | undefined>;
  put(request: string, response: Response): Promise<void>;
}

/**
 * A key-source store for Workers: the Cache API (`caches.default`), then an
 * optional KV namespace. Pass it as `store` to remoteJwks, discover, entraId or fromEnv.
 */
export declare function workersStore(options?: { kv?: KvNamespaceLike; cache?: CacheLike }): {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, ttlSeconds: number): Promise<void>;
};

/** The storage a Durable Object gets, as far as DpopReplayStore uses it. */
export interface DurableObjectStorageLike {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<boolean>;
  list(): Promise<Map<string, unknown>>;
  getAlarm(): Promise<number | null>;
  setAlarm(at: number): Promise<void>;
}

/** A Durable Object that remembers DPoP proof ids until they expire: export it and bind it. */
export declare class DpopReplayStore {
  constructor(state: { storage: DurableObjectStorageLike }, env?: unknown);
  fetch(request: Request): Promise<Response>;
  alarm(): Promise<void>;
}

/** A Durable Object namespace, as far as the replay store uses it. */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(url: string, init: RequestInit): Promise<Response> };
}

/** A `replayStore` over the DpopReplayStore Durable Object bound as `namespace`, in `shards` objects (default 16). */
export declare function durableObjectReplayStore(namespace: DurableObjectNamespaceLike, options?: { shards?: number }): ReplayStore;
