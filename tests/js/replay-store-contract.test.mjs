// The replayStore contract (jwtguard/testing's replayStoreContract): the
// in-memory replay memory passes it, and every broken store of the table
// fails it at the check that names its fault, so the contract can fail.
// (The Redis store runs it against a real redis-server:
// tests/frameworks/redis-replay.test.mjs.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { replayStoreContract } from '@jwtguard/jwtguard/testing';
import { memoryReplayStore, replayMemory } from '../../js/replay.js';

const CHECKS = ['a first sight is false', 'a second sight is true', 'distinct keys are independent', 'a key is kept for its ttl, then forgotten', 'concurrent first sights count once', 'a failure rejects'];

/** A clock the test moves: `advance` for the contract, `now` for the store. */
function fakeClock(start = 1_800_000_000) {
  let at = start;
  return { now: () => at, advance: (seconds) => { at += seconds; } };
}

/** A map of key → expiry on `clock`, with the behaviour of `answer(entries, key, ttl, at)`. */
function storeOf(clock, answer) {
  const entries = new Map();
  return { seen: async (key, ttl) => answer(entries, key, ttl, clock.now()) };
}

/** A correct store's answer, to break one way at a time. */
function correct(entries, key, ttl, at) {
  if ((entries.get(key) ?? -Infinity) >= at) return true;
  entries.set(key, at + ttl);
  return false;
}

const failingStore = { seen: async () => { throw new Error('backend down'); } };

/** Broken stores, each with the first check it must fail. */
const BROKEN = [
  ['remembers nothing', () => false, 'a second sight is true'],
  ['has always seen it', () => true, 'a first sight is false'],
  ['answers 1 and 0, not booleans', (entries, key, ttl, at) => (correct(entries, key, ttl, at) ? 1 : 0), 'a first sight is false'],
  ['one memory for every key', (entries, key, ttl, at) => correct(entries, 'any', ttl, at), 'distinct keys are independent'],
  ['folds case', (entries, key, ttl, at) => correct(entries, key.toLowerCase(), ttl, at), 'distinct keys are independent'],
  ['keys by the jkt only', (entries, key, ttl, at) => correct(entries, key.slice(0, key.lastIndexOf(':')), ttl, at), 'distinct keys are independent'],
  ['never forgets', (entries, key, ttl, at) => correct(entries, key, Infinity, at), 'a key is kept for its ttl, then forgotten'],
  ['forgets a key before its ttl', (entries, key, ttl, at) => correct(entries, key, 0, at), 'a key is kept for its ttl, then forgotten'],
];

describe('replayStoreContract', () => {
  test('the in-memory replay memory passes it, on a fake clock and on the real one', async () => {
    const clock = fakeClock();
    const shared = replayMemory();
    for (const [name, store, options] of [
      ['a verifier\'s own', memoryReplayStore(clock.now), { advance: clock.advance }],
      ['a middleware\'s view', shared(clock.now), { advance: clock.advance }],
      ['on the system clock, waiting', memoryReplayStore(), {}],
    ]) {
      assert.deepEqual(await replayStoreContract(store, options), { passed: CHECKS.slice(0, -1), skipped: ['a failure rejects'] }, name);
    }
  });

  test('a failing store given as `failing` is checked', async () => {
    const clock = fakeClock();
    const result = await replayStoreContract(memoryReplayStore(clock.now), { advance: clock.advance, failing: failingStore });
    assert.deepEqual(result, { passed: CHECKS, skipped: [] });
  });

  for (const [name, answer, check] of BROKEN) {
    test(`a store that ${name} fails "${check}"`, async () => {
      const clock = fakeClock();
      await assert.rejects(replayStoreContract(storeOf(clock, answer), { advance: clock.advance }), (error) => {
        assert.ok(error instanceof assert.AssertionError);
        assert.ok(error.message.startsWith(`replayStore contract: ${check}: `), error.message);
        return true;
      });
    });
  }

  test('a store that checks, then records after an await, fails "concurrent first sights count once"', async () => {
    const clock = fakeClock();
    const entries = new Map();
    const racy = {
      async seen(key, ttl) {
        const seen = (entries.get(key) ?? -Infinity) >= clock.now();
        await new Promise((resolve) => setImmediate(resolve));
        if (!seen) entries.set(key, clock.now() + ttl);
        return seen;
      },
    };
    await assert.rejects(replayStoreContract(racy, { advance: clock.advance }), (error) => error.message.startsWith('replayStore contract: concurrent first sights count once: '));
  });

  for (const [name, failing] of [
    ['answers false', { seen: async () => false }],
    ['answers true', { seen: async () => true }],
  ]) {
    test(`a "failing" store that ${name} instead of rejecting fails "a failure rejects"`, async () => {
      const clock = fakeClock();
      await assert.rejects(replayStoreContract(memoryReplayStore(clock.now), { advance: clock.advance, failing }),
        (error) => error.message.startsWith('replayStore contract: a failure rejects: '));
    });
  }

  for (const [name, store, options, claim] of [
    ['no store', undefined, {}, 'store'],
    ['a store without seen', {}, {}, 'store'],
    ['an unknown option', failingStore, { ttl: 5 }, 'ttl'],
    ['an advance that is no function', failingStore, { advance: 2 }, 'advance'],
    ['a failing store without seen', failingStore, { failing: {} }, 'failing'],
    ['a concurrency of 1', failingStore, { concurrency: 1 }, 'concurrency'],
    ['a fractional concurrency', failingStore, { concurrency: 2.5 }, 'concurrency'],
  ]) {
    test(`${name} is refused with ERR_POLICY_INVALID`, async () => {
      await assert.rejects(replayStoreContract(store, options), { code: 'ERR_POLICY_INVALID', claim });
    });
  }
});
