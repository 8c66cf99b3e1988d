// redisReplayStore (jwtguard/redis) without a server: the command each
// client is asked for, the reading of its replies (anything but OK or nil
// rejects), the timeout, and the options refused. Against a real
// redis-server, with node-redis and ioredis: tests/frameworks/redis-replay.test.mjs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_REDIS_PREFIX, REDIS_REPLAY_TIMEOUT_MS, redisReplayStore } from '@jwtguard/jwtguard/redis';

const NOW = 1_800_000_000.75;

/** A client of node-redis's shape whose `set` records its arguments and answers `reply()`. */
function nodeRedisLike(reply = async () => 'OK') {
  const calls = [];
  return { calls, isOpen: true, sendCommand() {}, set: (...args) => { calls.push(args); return reply(); } };
}

/** A client of ioredis's shape, likewise. */
function ioredisLike(reply = async () => 'OK') {
  const calls = [];
  return { calls, status: 'ready', call() {}, set: (...args) => { calls.push(args); return reply(); } };
}

describe('redisReplayStore', () => {
  test('each client is asked for SET <prefix>dpop:<jkt>:<jti> 1 NX EXAT <now + ttl>, in its own spelling', async () => {
    for (const [name, client, options, expected] of [
      ['node-redis', nodeRedisLike(), {}, ['jwtguard:dpop:jkt:jti', '1', { condition: 'NX', expiration: { type: 'EXAT', value: 1_800_000_030 } }]],
      ['ioredis', ioredisLike(), {}, ['jwtguard:dpop:jkt:jti', '1', 'EXAT', 1_800_000_030, 'NX']],
      ['node-redis, prefix', nodeRedisLike(), { prefix: 'api-a:' }, ['api-a:dpop:jkt:jti', '1', { condition: 'NX', expiration: { type: 'EXAT', value: 1_800_000_030 } }]],
      ['ioredis, empty prefix', ioredisLike(), { prefix: '' }, ['dpop:jkt:jti', '1', 'EXAT', 1_800_000_030, 'NX']],
      ['a bare client named ioredis', Object.assign(ioredisLike(), { status: undefined, call: undefined }), { clientType: 'ioredis' }, ['jwtguard:dpop:jkt:jti', '1', 'EXAT', 1_800_000_030, 'NX']],
    ]) {
      const store = redisReplayStore(client, { now: () => NOW, ...options });
      assert.equal(await store.seen('dpop:jkt:jti', 30), false, name);
      assert.deepEqual(client.calls, [expected], name);
    }
    assert.equal(DEFAULT_REDIS_PREFIX, 'jwtguard:');
  });

  test('OK is a first sight, nil a second; any other reply rejects', async () => {
    for (const make of [nodeRedisLike, ioredisLike]) {
      for (const [reply, expected] of [['OK', false], [null, true]]) {
        assert.equal(await redisReplayStore(make(async () => reply)).seen('dpop:a:b', 5), expected);
      }
      for (const reply of [undefined, 'ok', 'QUEUED', '', 0, 1, true, false, {}, ['OK'], Buffer.from('OK')]) {
        await assert.rejects(redisReplayStore(make(async () => reply)).seen('dpop:a:b', 5), /^Error: Redis answered SET NX with /, String(reply));
      }
    }
  });

  test('a client that rejects, throws or never answers makes seen reject', async () => {
    for (const [name, reply, expected] of [
      ['rejects', () => Promise.reject(new Error('connection refused')), /connection refused/],
      ['throws', () => { throw new Error('client closed'); }, /client closed/],
      ['never answers', () => new Promise(() => {}), new RegExp(`did not answer within ${REDIS_REPLAY_TIMEOUT_MS} ms`)],
    ]) {
      await assert.rejects(redisReplayStore(nodeRedisLike(reply)).seen('dpop:a:b', 5), expected, name);
    }
  });

  test('seen refuses what refuseReplay never sends', async () => {
    const client = ioredisLike();
    const store = redisReplayStore(client);
    for (const [key, ttl] of [[1, 5], ['dpop:a:b', 0], ['dpop:a:b', 1.5], ['dpop:a:b', '5'], ['dpop:a:b', NaN]]) {
      await assert.rejects(store.seen(key, ttl), TypeError);
    }
    assert.deepEqual(client.calls, []);
  });

  test('a broken clock rejects seen, naming now', async () => {
    await assert.rejects(redisReplayStore(ioredisLike(), { now: () => NaN }).seen('dpop:a:b', 5), { code: 'ERR_POLICY_INVALID', claim: 'now' });
  });

  for (const [name, client, options, claim] of [
    ['no client', undefined, undefined, 'client'],
    ['a string for a client', 'redis://127.0.0.1', undefined, 'client'],
    ['an object of neither shape', { set() {} }, undefined, 'client'],
    ['an object of both shapes', { ...nodeRedisLike(), ...ioredisLike() }, undefined, 'client'],
    ['a named client without set', {}, { clientType: 'redis' }, 'client'],
    ['an unknown clientType', nodeRedisLike(), { clientType: 'valkey' }, 'clientType'],
    ['an unknown option', nodeRedisLike(), { timeout: 1000 }, 'timeout'],
    ['a prefix that is no string', nodeRedisLike(), { prefix: 5 }, 'prefix'],
    ['a now that is no function', nodeRedisLike(), { now: 5 }, 'now'],
    ['options that are no object', nodeRedisLike(), 'prefix', 'options'],
  ]) {
    test(`${name} is refused with ERR_POLICY_INVALID`, () => {
      assert.throws(() => redisReplayStore(client, options), { code: 'ERR_POLICY_INVALID', claim });
    });
  }
});
