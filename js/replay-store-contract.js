/**
 * The contract every `replayStore` keeps, as checks any store can run
 * (`@jwtguard/jwtguard/testing`): the in-memory memory, the Redis store, a
 * Durable Object or a store of an application's own. `verifyRequest` asks
 * `seen(key, ttlSeconds)` once per DPoP proof and accepts the proof only on
 * `false`, so a store that breaks one of these lets a proof be used twice.
 */

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as wait } from 'node:timers/promises';
import { invalid } from './preset-options.js';

/** Concurrent first sights of one key the contract sends by default. */
const DEFAULT_CONCURRENCY = 16;

/** The longest `ttlSeconds` the checks record with; keys outlive the run only by this much. */
const LONG_TTL = 60;

/** The options replayStoreContract reads. */
const OPTIONS = Object.freeze(['advance', 'failing', 'concurrency']);

/** Lets `seconds` pass by the system clock. */
const realTime = (seconds) => wait(seconds * 1000);

/**
 * The checks, in order: each gets the store, the options and `key(name)`,
 * a key of the shape the replay memory uses (`dpop:<jkt>:<jti>`) that no
 * other check or run shares. A check that cannot run returns its reason.
 * @type {ReadonlyArray<readonly [string, (context: { store: any, failing: any, advance: (seconds: number) => Promise<unknown>, concurrency: number, key: (name: string) => string }) => Promise<string | void>]>}
 */
const CHECKS = Object.freeze([
  ['a first sight is false', async ({ store, key }) => {
    assert.equal(await store.seen(key('jti'), LONG_TTL), false);
  }],
  ['a second sight is true', async ({ store, key }) => {
    await store.seen(key('jti'), LONG_TTL);
    assert.equal(await store.seen(key('jti'), LONG_TTL), true);
  }],
  ['distinct keys are independent', async ({ store, key }) => {
    // Keys that differ in case, in their end, or that extend another key.
    const keys = [key('jti'), key('JTI'), key('jti2'), key('jti:2')];
    for (const each of keys) assert.equal(await store.seen(each, LONG_TTL), false, `first sight of ${each}`);
    for (const each of keys) assert.equal(await store.seen(each, LONG_TTL), true, `second sight of ${each}`);
  }],
  ['a key is kept for its ttl, then forgotten', async ({ store, advance, key }) => {
    assert.equal(await store.seen(key('jti'), 2), false);
    await advance(1);
    assert.equal(await store.seen(key('jti'), 2), true, 'within its ttl');
    await advance(2);
    assert.equal(await store.seen(key('jti'), LONG_TTL), false, 'after its ttl');
    assert.equal(await store.seen(key('jti'), LONG_TTL), true, 'recorded again');
  }],
  ['concurrent first sights count once', async ({ store, concurrency, key }) => {
    const answers = await Promise.all(Array.from({ length: concurrency }, () => store.seen(key('jti'), LONG_TTL)));
    assert.deepEqual(answers.filter((seen) => seen !== true), [false], `${concurrency} concurrent sights: exactly one false, the others true`);
  }],
  ['a failure rejects', async ({ failing, key }) => {
    if (failing === undefined) return 'no failing store given';
    await assert.rejects(() => failing.seen(key('jti'), LONG_TTL));
  }],
]);

/**
 * Runs the replay-store contract against `store`: a first sight of a key is
 * `false`, a second `true`; distinct keys are independent; a key is kept
 * for its `ttlSeconds` and forgotten after; of concurrent first sights of one key
 * exactly one is `false`; a store that cannot answer rejects (never answers
 * `false`). Throws an AssertionError naming the check that failed.
 * @param {{ seen(key: string, ttlSeconds: number): Promise<boolean> }} store
 * @param {{ advance?: (seconds: number) => Promise<unknown> | unknown, failing?: { seen(key: string, ttlSeconds: number): Promise<boolean> }, concurrency?: number }} [options]
 *   `advance` lets that many seconds pass for the store (default: waits them
 *   out: 3 s in all); `failing` is the same kind of store whose backend is unavailable;
 *   `concurrency` the number of concurrent first sights (default 16).
 * @returns {Promise<{ passed: string[], skipped: string[] }>}
 */
export async function replayStoreContract(store, options = {}) {
  if (!store || typeof store.seen !== 'function') throw invalid('store', 'must be { seen(key, ttlSeconds) → Promise<boolean> }');
  if (!options || typeof options !== 'object') throw invalid('options', 'must be an object');
  for (const name of Object.keys(options)) {
    if (!OPTIONS.includes(name)) throw invalid(name, `is not an option (${OPTIONS.join(', ')})`);
  }
  const { advance = realTime, failing, concurrency = DEFAULT_CONCURRENCY } = options;
  if (typeof advance !== 'function') throw invalid('advance', 'must be a function of seconds');
  if (failing !== undefined && (!failing || typeof failing.seen !== 'function')) throw invalid('failing', 'must be a replay store');
  if (!Number.isSafeInteger(concurrency) || concurrency < 2) throw invalid('concurrency', 'must be a whole number ≥ 2');
  const run = randomUUID();
  const passed = [];
  const skipped = [];
  for (const [index, [name, check]] of CHECKS.entries()) {
    const key = (jti) => `dpop:contract-${run}-${index}:${jti}`;
    let skip;
    try {
      skip = await check({ store, failing, advance: async (seconds) => advance(seconds), concurrency, key });
    } catch (error) {
      throw new assert.AssertionError({ message: `replayStore contract: ${name}: ${error?.message ?? error}`, actual: error?.actual, expected: error?.expected, operator: error?.operator });
    }
    (skip === undefined ? passed : skipped).push(name);
  }
  return { passed, skipped };
}
