// Helpers for the key-source tests: local HTTP servers on 127.0.0.1 (port 0),
// an injectable fetch that records its calls, a clock the test moves, and an
// event recorder.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { JwtGuardError } from '@jwtguard/jwtguard';

/**
 * Serves `handler(req, res, url)` on 127.0.0.1 with an ephemeral port (or
 * `port`, to come back where a closed server was).
 * @returns {Promise<{ origin: string, hits: string[], close(): Promise<void> }>}
 */
export async function serve(handler, port = 0) {
  const hits = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    hits.push(url.pathname + url.search);
    handler(req, res, url);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    hits,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A TCP port nothing listens on at the moment, on 127.0.0.1 (for a server a test starts in another process). */
export async function freePort() {
  const server = createTcpServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** Writes `body` as JSON with extra `headers`. */
export function sendJson(res, body, headers = {}) {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A JSON Response for an injected fetch. */
export function jsonResponse(body, headers = {}, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/**
 * A fetch that answers with `handler(url, init, n)` (n counts from 1) and
 * records every call.
 */
export function fakeFetch(handler) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push(String(url));
    return handler(String(url), init, calls.length);
  };
  return { fetch, calls };
}

/** A promise with its resolve and reject exposed. */
export function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A clock in seconds that only moves when told. */
export function fakeClock(start = 1_800_000_000) {
  const clock = {
    t: start,
    now: () => clock.t,
    advance(seconds) {
      clock.t += seconds;
    },
  };
  return clock;
}

/** Records key-source events; `next(type)` resolves at the next event of that type. */
export function recorder() {
  const events = [];
  const waiting = [];
  return {
    events,
    types: () => events.map((e) => e.type),
    of: (type) => events.filter((e) => e.type === type),
    onEvent(event) {
      events.push(event);
      for (const waiter of waiting.filter((w) => w.type === event.type)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    },
    /** Resolves at the next event of `type`; fails the test after `ms` instead of hanging. */
    next(type, ms = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${type} event within ${ms} ms`)), ms);
        waiting.push({ type, resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        } });
      });
    },
  };
}

/** Awaits `promise`'s rejection with a JwtGuardError of `code`. */
export async function rejectsWith(promise, code) {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof JwtGuardError, String(error));
    assert.equal(error.code, code, error.message);
    return true;
  });
}
