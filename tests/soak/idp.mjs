// The soak's identity provider: a JWKS server on 127.0.0.1 that follows a
// fault schedule, rotates its signing key once per lap, and logs every
// request it answers.
import { createServer } from 'node:http';
import { keyPair } from '../js/helpers.mjs';

/**
 * The key-source settings of the soak, scaled down from the defaults
 * (KEY_SOURCE_DEFAULTS) so that a lap of a few tens of seconds crosses every
 * rule: max age, cooldown, timeout and staleIfError.
 */
export const SOAK_KEY_SETTINGS = Object.freeze({
  timeout: 1,
  cooldown: 1,
  maxAgeFloor: 1,
  maxAgeCeiling: 60,
  defaultMaxAge: 2,
  staleIfError: 4,
});

/** The max age the server announces (Cache-Control), in seconds. */
export const SERVED_MAX_AGE = 2;

/** How long keys stay usable after a good fetch: max age plus staleIfError. */
export const USABLE_FOR = SERVED_MAX_AGE + SOAK_KEY_SETTINGS.staleIfError;

/** Past the timeout: an answer this slow is a failed fetch. */
const SLOW_MS = 2500;

/** Over the 512 KiB response cap (KEY_SOURCE_DEFAULTS.maxResponseSize). */
const OVERSIZE_BYTES = 600 * 1024;

/** Random kids sent during the flood phase. */
export const FLOOD_KIDS = 1000;

/**
 * One lap of the schedule: [phase, seconds]. Healthy phases (`ok`, the
 * rotation steps, `flood`) separate the faults, and no run of faults is
 * longer than staleIfError, so valid tokens must keep verifying through all
 * of them; only `outage` (max age + staleIfError + 2 s) may refuse them.
 * - slow: the body comes after SLOW_MS, past the timeout;
 * - status-500: 500 Internal Server Error;
 * - reset: headers and half the body, then the connection is destroyed;
 * - truncated: half the JSON, then a clean end;
 * - not-json: an HTML error page with status 200;
 * - empty: `{"keys":[]}`;
 * - oversize: a valid key set padded over the size cap;
 * - redirect: 302 to a path that serves good keys (never followed);
 * - rotate-add: the next key is published beside the current one;
 * - rotate-use: tokens are signed with the next key (published for longer
 *   than max age by then, as identity providers do);
 * - rotate-drop: the old key is removed;
 * - flood: healthy, while the load sends FLOOD_KIDS tokens with random kids;
 * - outage: every connection is destroyed at once.
 */
export const LAP = Object.freeze([
  ['ok', 2.5],
  ['slow', 1.5],
  ['ok', 2],
  ['status-500', 1.5],
  ['reset', 1.5],
  ['ok', 2],
  ['truncated', 1],
  ['not-json', 1],
  ['empty', 1],
  ['ok', 2],
  ['oversize', 1.5],
  ['redirect', 1.5],
  ['ok', 2],
  ['rotate-add', 3],
  ['rotate-use', 2],
  ['rotate-drop', 2.5],
  ['flood', 5],
  ['outage', USABLE_FOR + 2],
  ['ok', 3],
]);

export const LAP_SECONDS = LAP.reduce((sum, [, seconds]) => sum + seconds, 0);

/** Phases whose answer is a good key set. */
const HEALTHY = new Set(['ok', 'rotate-add', 'rotate-use', 'rotate-drop', 'flood']);

/**
 * The phase at `elapsed` seconds into the run (laps repeat).
 * @returns {{ lap: number, index: number, name: string, start: number, end: number }}
 */
export function phaseAt(elapsed) {
  const lap = Math.floor(elapsed / LAP_SECONDS);
  let start = lap * LAP_SECONDS;
  for (const [index, [name, seconds]] of LAP.entries()) {
    if (elapsed < start + seconds) return { lap, index, name, start, end: start + seconds };
    start += seconds;
  }
  throw new Error('unreachable: elapsed is inside its lap');
}

/**
 * Starts the server. `clock()` is the run's clock in seconds since its start.
 * Keys: one ES256 pair per lap plus one (lap n signs with keys[n] until its
 * rotate-use phase, then with keys[n + 1]).
 */
export async function startIdp({ laps, clock }) {
  const keys = [];
  for (let i = 0; i <= laps; i += 1) keys.push(await keyPair('ES256', `soak-key-${i}`));
  /** { at, phase, good }: every request, `good` when a usable key set was delivered. */
  const log = [];

  const published = (phase) => {
    const current = keys[phase.lap].jwk;
    const next = keys[phase.lap + 1].jwk;
    const rotation = LAP.findIndex(([name]) => name === 'rotate-add');
    const dropped = LAP.findIndex(([name]) => name === 'rotate-drop');
    if (phase.index >= dropped) return [next];
    if (phase.index >= rotation) return [current, next];
    return [current];
  };

  const server = createServer((request, response) => {
    // A request after the last lap (a refresh as the run stops) sees its end.
    const phase = phaseAt(Math.min(clock(), laps * LAP_SECONDS - 0.001));
    const entry = { at: clock(), phase: phase.name, good: false };
    log.push(entry);
    const body = JSON.stringify({ keys: published(phase) });
    const headers = { 'content-type': 'application/json', 'cache-control': `max-age=${SERVED_MAX_AGE}` };
    const good = () => {
      response.writeHead(200, headers).end(body, () => {
        entry.good = true;
        entry.at = clock();
      });
    };
    if (request.url === '/moved') return good();
    if (HEALTHY.has(phase.name)) return good();
    switch (phase.name) {
      case 'slow': {
        const timer = setTimeout(() => response.writeHead(200, headers).end(body), SLOW_MS);
        response.on('close', () => clearTimeout(timer));
        return undefined;
      }
      case 'status-500':
        return response.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
      case 'reset':
        response.writeHead(200, { ...headers, 'content-length': String(body.length) });
        return response.write(body.slice(0, body.length >> 1), () => request.socket.destroy());
      case 'truncated':
        return response.writeHead(200, headers).end(body.slice(0, body.length >> 1));
      case 'not-json':
        return response.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
      case 'empty':
        return response.writeHead(200, headers).end('{"keys":[]}');
      case 'oversize':
        return response.writeHead(200, headers).end(JSON.stringify({ keys: published(phase), padding: 'x'.repeat(OVERSIZE_BYTES) }));
      case 'redirect':
        return response.writeHead(302, { location: '/moved' }).end();
      case 'outage':
        return request.socket.destroy();
      default:
        throw new Error(`no answer for phase ${phase.name}`);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/jwks`,
    keys,
    log,
    /** The key a valid token is signed with at this phase. */
    signingKey(phase) {
      const use = LAP.findIndex(([name]) => name === 'rotate-use');
      return keys[phase.index >= use ? phase.lap + 1 : phase.lap];
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
