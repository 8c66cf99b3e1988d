// A fleet's DPoP replay memory on Debian's real redis-server (127.0.0.1, a
// free port, no persistence), through `@jwtguard/jwtguard/redis` with
// node-redis and with ioredis: the replayStore contract; two node:http
// instances (`@jwtguard/jwtguard/express`) behind one public origin, where a
// proof (signed by jose) accepted by A is a replay to B, and is not with
// separate in-memory stores; one proof sent to both at once is accepted
// once; the runnable example of docs/replay-store.md; redis-server killed
// (every proof refused, fail closed; bearer tokens unaffected) and started
// again on the same port (accepted again). WWW-Authenticate is parsed and compared
// whole.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { setTimeout as wait } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { jwtAuth } from '@jwtguard/jwtguard/express';
import { redisReplayStore } from '@jwtguard/jwtguard/redis';
import { replayStoreContract } from '@jwtguard/jwtguard/testing';
import { codeBlocks } from '../docs.mjs';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from '../js/helpers.mjs';
import { parseChallenges } from '../js/challenges.mjs';
import { INVALID_DPOP_PROOF, dpopClient } from '../js/dpop-client.mjs';
import { freePort } from '../js/remote/net.mjs';
import { startRedis } from './redis-server.mjs';

/** The public origin every instance sits behind (their `origin` setting), so a proof's htu fits each. */
const ORIGIN = 'https://api.example.test';
const PATH = '/api/whoami';

/** The clients retry every 50 ms, so recovery is not held up by their default back-off. */
const RECONNECT_MS = 50;
/** How often a client is asked to answer again after the restart: 5 s in all. */
const RECOVERY_ATTEMPTS = 100;

const CONTRACT = ['a first sight is false', 'a second sight is true', 'distinct keys are independent', 'a key is kept for its ttl, then forgotten', 'concurrent first sights count once', 'a failure rejects'];

/** How each client library connects (an `error` listener: node-redis would end the process without one) and closes. */
const CLIENTS = {
  'node-redis': {
    async connect(url) {
      const client = createClient({ url, socket: { reconnectStrategy: () => RECONNECT_MS } });
      client.on('error', () => {});
      await client.connect();
      return client;
    },
    close: (client) => client.destroy(),
  },
  ioredis: {
    async connect(url) {
      const client = new Redis(url, { lazyConnect: true, retryStrategy: () => RECONNECT_MS });
      client.on('error', () => {});
      await client.connect();
      return client;
    },
    close: (client) => client.disconnect(),
  },
};

/** One API instance on node:http: jwtAuth with `options`, answering the binding it accepted; it keeps every refusal. */
async function startInstance(options) {
  const refusals = [];
  const guard = jwtAuth(options, { origin: ORIGIN, onRefuse: (error) => refusals.push(error) });
  const server = createServer((req, res) => guard(req, res, () => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ binding: req.auth.binding }));
  }));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${server.address().port}${PATH}`,
    refusals,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** What an instance answered a DPoP request: status, parsed challenges, body. */
async function present(url, token, proof) {
  const response = await fetch(url, { headers: { authorization: `DPoP ${token}`, dpop: proof } });
  const header = response.headers.get('www-authenticate');
  return { status: response.status, challenges: header === null ? null : parseChallenges(header), body: await response.json() };
}

const REFUSED = { status: 401, challenges: INVALID_DPOP_PROOF, body: { error: 'invalid_dpop_proof', code: 'ERR_DPOP_INVALID' } };
const REPLAYED = 'its jti was used before (a replayed proof)';
const STORE_FAILED = 'the replay store failed, so the proof cannot be shown unused';

/** Asserts an acceptance and returns its binding. */
function accepted(answer, message) {
  assert.equal(answer.status, 200, message);
  assert.equal(answer.challenges, null, message);
  assert.equal(answer.body.binding.type, 'dpop', message);
  return answer.body.binding;
}

/** Asserts a refusal as invalid_dpop_proof whose reason (onRefuse's error) is `detail`. */
function refused(answer, instance, detail, message) {
  assert.deepEqual(answer, REFUSED, message);
  assert.equal(instance.refusals.at(-1).detail, detail, message);
}

describe('the DPoP replay store on redis-server, with node-redis and ioredis', () => {
  let redis;
  let issuer;
  let dpop;
  let token;
  let inspector;
  const fleets = {};
  const closing = [];
  const proof = () => dpop.proof(token, 'GET', `${ORIGIN}${PATH}`);

  before(async () => {
    redis = await startRedis();
    issuer = await keyPair('ES256');
    dpop = await dpopClient();
    token = await sign(issuer, goodClaims({ cnf: { jkt: dpop.jkt } }));
    inspector = await CLIENTS['node-redis'].connect(redis.url);
    closing.push(() => inspector.destroy());
    for (const [kind, { connect, close }] of Object.entries(CLIENTS)) {
      // Each instance has its own connection, as separate processes would.
      const clients = [await connect(redis.url), await connect(redis.url)];
      closing.push(...clients.map((client) => () => close(client)));
      const [a, b] = await Promise.all(clients.map((client) => startInstance({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [issuer.jwk] }, replayStore: redisReplayStore(client) })));
      closing.push(a.close, b.close);
      fleets[kind] = { clients, a, b };
    }
  });

  after(async () => {
    for (const close of closing.reverse()) await close();
    await redis?.stop();
  });

  test('the replayStore contract holds with each client, a closed client rejecting', async () => {
    await Promise.all(Object.entries(CLIENTS).map(async ([kind, { connect, close }]) => {
      const closed = await connect(redis.url);
      await close(closed);
      const result = await replayStoreContract(redisReplayStore(fleets[kind].clients[0]), { failing: redisReplayStore(closed) });
      assert.deepEqual(result, { passed: CONTRACT, skipped: [] }, kind);
    }));
  });

  for (const kind of Object.keys(CLIENTS)) {
    test(`${kind}: a proof instance A accepted is refused by instance B, and Redis keeps its jti until the proof expires`, async () => {
      const { a, b } = fleets[kind];
      const sent = await proof();
      const binding = accepted(await present(a.url, token, sent));
      refused(await present(b.url, token, sent), b, REPLAYED, 'replayed to B');
      refused(await present(a.url, token, sent), a, REPLAYED, 'replayed to A');
      // SET ... EXAT now + ttl, where refuseReplay's ttl is proofExpires - now + 1: one second
      // past the proof's expiry, or two when the store read its clock in the next second.
      const expiry = await inspector.sendCommand(['EXPIRETIME', `jwtguard:dpop:${binding.jkt}:${binding.jti}`]);
      assert.ok([binding.proofExpires + 1, binding.proofExpires + 2].includes(expiry), `EXPIRETIME ${expiry}, proof expires ${binding.proofExpires}`);
      // Another proof is another key: B accepts it first.
      accepted(await present(b.url, token, await proof()), 'a new proof at B');
    });

    test(`${kind}: one proof sent at once to both instances, eight times, is accepted once`, async () => {
      const { a, b } = fleets[kind];
      const sent = await proof();
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => present((i % 2 === 0 ? a : b).url, token, sent)));
      assert.deepEqual(answers.map(({ status }) => status).sort(), [200, 401, 401, 401, 401, 401, 401, 401]);
      for (const answer of answers.filter(({ status }) => status === 401)) assert.deepEqual(answer, REFUSED);
    });
  }

  test('with an in-memory store each (the default), the replay passes the other instance', async () => {
    const options = { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [issuer.jwk] } };
    const [a, b] = await Promise.all([startInstance(options), startInstance(options)]);
    try {
      const sent = await proof();
      accepted(await present(a.url, token, sent), 'at A');
      accepted(await present(b.url, token, sent), 'replayed to B: B has never seen it');
      refused(await present(a.url, token, sent), a, REPLAYED, 'replayed to A');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('the example of docs/replay-store.md runs as an instance of the fleet', async () => {
    const block = codeBlocks().find((b) => b.path === 'docs/replay-store.md' && b.lang === 'js');
    const dir = new URL('../../test-results/redis-replay/', import.meta.url);
    mkdirSync(dir, { recursive: true });
    const file = new URL('example.mjs', dir);
    writeFileSync(file, block.code);
    const jwks = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [issuer.jwk] }));
    }).listen(0, '127.0.0.1');
    await once(jwks, 'listening');
    const port = await freePort();
    const env = {
      PATH: process.env.PATH,
      REDIS_URL: redis.url,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      JWT_JWKS_URI: `http://127.0.0.1:${jwks.address().port}/keys`,
      PUBLIC_ORIGIN: ORIGIN,
      PORT: String(port),
    };
    const child = spawn(process.execPath, [file.pathname], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const url = `http://127.0.0.1:${port}${PATH}`;
    try {
      let status = null;
      for (let attempt = 0; attempt < RECOVERY_ATTEMPTS && status === null && child.exitCode === null; attempt += 1) {
        status = await fetch(url).then((response) => response.status, () => null);
        if (status === null) await wait(RECONNECT_MS);
      }
      assert.equal(status, 401, `the example did not start: ${stderr}`);
      const sent = await proof();
      const answer = await fetch(url, { headers: { authorization: `DPoP ${token}`, dpop: sent } });
      assert.deepEqual([answer.status, await answer.json()], [200, { sub: goodClaims().sub }]);
      const { b } = fleets['node-redis'];
      refused(await present(b.url, token, sent), b, REPLAYED, 'replayed to another instance');
    } finally {
      const exited = child.exitCode === null ? once(child, 'exit') : null;
      child.kill();
      await exited;
      jwks.close();
    }
  });

  test('redis-server killed: every proof is refused; started again on its port: proofs are accepted once again', async () => {
    const { a: before } = fleets['node-redis'];
    const early = await proof();
    accepted(await present(before.url, token, early), 'before the outage');

    await redis.stop();
    for (const [kind, { a }] of Object.entries(fleets)) {
      refused(await present(a.url, token, await proof()), a, STORE_FAILED, `${kind} with redis down`);
      assert.ok(a.refusals.at(-1).cause instanceof Error, kind);
      // A bearer token asks no replay store.
      const bearer = await fetch(a.url, { headers: { authorization: `Bearer ${await sign(issuer)}` } });
      assert.deepEqual([bearer.status, await bearer.json()], [200, { binding: null }], `${kind}: a bearer token with redis down`);
    }

    await redis.restart();
    for (const [kind, { clients, a, b }] of Object.entries(fleets)) {
      const store = redisReplayStore(clients[0]);
      let back = false;
      for (let attempt = 0; attempt < RECOVERY_ATTEMPTS && !back; attempt += 1) {
        back = await store.seen(`dpop:recovery:${randomUUID()}`, 1).then(() => true, () => false);
        if (!back) await wait(RECONNECT_MS);
      }
      assert.ok(back, `${kind} reconnected`);
      const sent = await proof();
      accepted(await present(a.url, token, sent), `${kind} after the restart`);
      refused(await present(b.url, token, sent), b, REPLAYED, `${kind} replay after the restart`);
    }

    // A Redis restarted without its data has forgotten the proofs it held: one accepted before
    // the outage passes once more until it expires (docs/replay-store.md, "Failure semantics").
    const { b: other } = fleets['node-redis'];
    accepted(await present(other.url, token, early), 'a proof of before the outage, forgotten');
    refused(await present(other.url, token, early), other, REPLAYED, 'and remembered again');
  });
});
