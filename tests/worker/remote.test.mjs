// Remote key sets in workerd: one fetch for a cold burst, keys kept through an
// outage, one refresh on rotation, and keys carried to a new isolate by KV.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AUDIENCE, ISSUER, keyPair, sign } from '../js/helpers.mjs';
import { startWorker } from './workerd.mjs';

let server;
let jwksUrl;
let served; // the JWKS the key server answers with; null: the server is "down" (503)
let fetches = 0;
let first;
let second;
const kvPersist = mkdtempSync(join(tmpdir(), 'jwtguard-kv-'));

before(async () => {
  first = await keyPair('ES256', 'key-1');
  second = await keyPair('ES256', 'key-2');
  served = { keys: [first.jwk] };
  server = createServer((request, response) => {
    fetches += 1;
    if (served === null) return response.writeHead(503).end('down');
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=600' }).end(JSON.stringify(served));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${server.address().port}/keys`;
});

after(() => server.close());

const start = () => startWorker('./remote-app.mjs', { ISSUER, AUDIENCE, JWKS_URL: jwksUrl }, { kvNamespaces: ['KEYS'], kvPersist });
const call = (mf, token) => mf.dispatchFetch('http://worker.test/', { headers: { authorization: `Bearer ${token}` } });

describe('remote keys in workerd', () => {
  test('a cold burst, an outage, a rotation, and a new isolate', async () => {
    const mf = await start();
    try {
      const token = await sign(first);
      const burst = await Promise.all(Array.from({ length: 200 }, () => call(mf, token)));
      assert.deepEqual([...new Set(burst.map((r) => r.status))], [200]);
      await Promise.all(burst.map((r) => r.json()));
      assert.equal(fetches, 1, '200 concurrent requests on a cold isolate cause one key-set fetch');

      served = null; // the key server goes down; cached keys keep working
      const during = await call(mf, token);
      assert.equal(during.status, 200);
      assert.equal(fetches, 1);

      served = { keys: [first.jwk, second.jwk] }; // rotation: a new key appears
      // The app's kid-miss cooldown is 1 s: past it, an unknown kid may fetch.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const rotated = await call(mf, await sign(second));
      assert.equal(rotated.status, 200);
      assert.deepEqual(await rotated.json(), { kid: 'key-2' });
      assert.equal(fetches, 2, 'one refresh for the new kid');
    } finally {
      await mf.dispose();
    }

    served = null; // a new isolate while the key server is down: keys come from KV
    const fresh = await start();
    try {
      const response = await call(fresh, await sign(second));
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { kid: 'key-2' });
      assert.equal(fetches, 2, 'no fetch: the stored key set was used');
    } finally {
      await fresh.dispose();
    }
  });
});
