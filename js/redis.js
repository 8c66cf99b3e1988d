/**
 * `@jwtguard/jwtguard/redis`: a DPoP replay store (`replayStore`) on Redis
 * or Valkey, shared by every instance of a fleet, so a proof one instance
 * accepted is a replay to all the others. One round trip per proof:
 * `SET <prefix>dpop:<jkt>:<jti> 1 NX EXAT <expiry>` (Redis ≥ 6.2), which
 * records the key and answers whether it was there, atomically. It takes
 * the application's own client: `redis` (node-redis 5 or later) or
 * `ioredis`; neither is a dependency of this package.
 *
 * Fail closed: an error, a timeout or a reply other than `OK` or nil
 * rejects, and `verifyRequest` then refuses the proof (`ERR_DPOP_INVALID`,
 * "the replay store failed").
 */

import { checkedClock, kindOf } from './clock.js';
import { JwtGuardError } from './errors.js';

/**
 * How long a proof waits for Redis before it is refused, in milliseconds.
 * A SET to a Redis in the same network answers in about a millisecond; the
 * clients queue commands while they reconnect (node-redis until the
 * connection is back, ioredis for 20 retries), so without a bound a Redis
 * outage would hold every DPoP request open instead of refusing it. Half a
 * second is hundreds of round trips, and short enough that a refused client
 * is not left waiting.
 */
export const REDIS_REPLAY_TIMEOUT_MS = 500;

/** The default namespace of the keys: `jwtguard:dpop:<jkt>:<jti>`. */
export const DEFAULT_REDIS_PREFIX = 'jwtguard:';

/** The options redisReplayStore reads; any other name is refused. */
const OPTIONS = Object.freeze(['prefix', 'clientType', 'now']);

/**
 * How each client sends `SET key 1 NX EXAT at` and whether it has the
 * shape: node-redis's typed options (`redis` 5 and later), ioredis's
 * arguments as written.
 */
const CLIENTS = Object.freeze({
  redis: {
    looksLike: (client) => typeof client.set === 'function' && typeof client.sendCommand === 'function' && 'isOpen' in client,
    set: (client, key, at) => client.set(key, '1', { condition: 'NX', expiration: { type: 'EXAT', value: at } }),
  },
  ioredis: {
    looksLike: (client) => typeof client.set === 'function' && typeof client.call === 'function' && typeof client.status === 'string',
    set: (client, key, at) => client.set(key, '1', 'EXAT', at, 'NX'),
  },
});

const invalid = (option, why) => new JwtGuardError('ERR_POLICY_INVALID', `redisReplayStore: ${option} ${why}`, { claim: option });

/** Unix seconds by the system clock. */
const systemSeconds = () => Date.now() / 1000;

/** Which of CLIENTS `client` is: the one named, or the one its shape matches. */
function clientOf(client, clientType) {
  if (clientType !== undefined) {
    if (!Object.hasOwn(CLIENTS, clientType)) throw invalid('clientType', `must be ${Object.keys(CLIENTS).map((name) => JSON.stringify(name)).join(' or ')}, not ${kindOf(clientType)}`);
    if (typeof client.set !== 'function') throw invalid('client', 'has no set method');
    return CLIENTS[clientType];
  }
  const matches = Object.values(CLIENTS).filter(({ looksLike }) => looksLike(client));
  if (matches.length !== 1) throw invalid('client', 'is neither a node-redis nor an ioredis client by its shape: name it with clientType');
  return matches[0];
}

/** Rejects after REDIS_REPLAY_TIMEOUT_MS unless `promise` settles first. */
function bounded(promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${REDIS_REPLAY_TIMEOUT_MS} ms`)), REDIS_REPLAY_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A `replayStore` on Redis or Valkey through `client`, connected by the
 * application.
 * @param {object} client a node-redis (`createClient`, `createCluster`) or ioredis (`new Redis`, `new Cluster`) client
 * @param {{ prefix?: string, clientType?: 'redis' | 'ioredis', now?: () => number }} [options]
 * @returns {{ seen(key: string, ttlSeconds: number): Promise<boolean> }}
 */
export function redisReplayStore(client, options = {}) {
  if (!client || typeof client !== 'object') throw invalid('client', `must be a Redis client, not ${kindOf(client)}`);
  if (!options || typeof options !== 'object') throw invalid('options', 'must be an object');
  for (const name of Object.keys(options)) {
    if (!OPTIONS.includes(name)) throw invalid(name, 'is not an option (prefix, clientType, now)');
  }
  const { prefix = DEFAULT_REDIS_PREFIX, clientType, now = systemSeconds } = options;
  if (typeof prefix !== 'string') throw invalid('prefix', `must be a string, not ${kindOf(prefix)}`);
  const { set } = clientOf(client, clientType);
  const clock = checkedClock(now, 'now');
  return Object.freeze({
    async seen(key, ttlSeconds) {
      if (typeof key !== 'string' || !Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) {
        throw new TypeError('seen(key, ttlSeconds) takes a string and a whole number of seconds ≥ 1');
      }
      const reply = await bounded(set(client, `${prefix}${key}`, Math.floor(clock()) + ttlSeconds));
      if (reply === 'OK') return false;
      if (reply === null) return true;
      throw new Error(`Redis answered SET NX with ${kindOf(reply)}, not OK or nil`);
    },
  });
}
