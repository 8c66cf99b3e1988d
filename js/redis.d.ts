import type { ReplayStore } from './index.js';

/**
 * How long a proof waits for Redis before it is refused (500 ms): a SET
 * answers in about a millisecond, and the clients queue commands while they
 * reconnect, so an outage refuses DPoP requests instead of holding them open.
 */
export declare const REDIS_REPLAY_TIMEOUT_MS: number;

/** The default namespace of the keys, `"jwtguard:"`: keys are `jwtguard:dpop:<jkt>:<jti>`. */
export declare const DEFAULT_REDIS_PREFIX: string;

/** The client calls redisReplayStore makes: `set` as node-redis (5 and later) or ioredis spells it. */
export type RedisClientLike = { set(...args: any[]): Promise<unknown> };

/** Options of redisReplayStore. */
export interface RedisReplayStoreOptions {
  /** Prepended to every key (default `"jwtguard:"`), to share a Redis database with other data or other APIs. */
  prefix?: string;
  /** Which client `client` is, when its shape does not say: `"redis"` (node-redis) or `"ioredis"`. */
  clientType?: 'redis' | 'ioredis';
  /** The clock the expiry times (`EXAT`) are written on, in Unix seconds (default the system clock). */
  now?: () => number;
}

/**
 * A DPoP `replayStore` on Redis or Valkey, shared by every instance: one
 * `SET <prefix>dpop:<jkt>:<jti> 1 NX EXAT <expiry>` per proof through the
 * application's connected `redis` or `ioredis` client. Fails closed: an
 * error, a timeout (`REDIS_REPLAY_TIMEOUT_MS`) or an unexpected reply
 * refuses the proof (`ERR_DPOP_INVALID`). Bad arguments throw
 * `ERR_POLICY_INVALID`.
 */
export declare function redisReplayStore(client: RedisClientLike, options?: RedisReplayStoreOptions): ReplayStore;
