// The identity-provider fault soak: a verifier with a remote key set (the
// Node verifier, or the Worker middleware in workerd) under sustained
// concurrent load while the key server (idp.mjs) follows its fault schedule.
// Valid tokens (signed with jose) are mixed with forged and bad ones.
//
//   node tests/soak/run.mjs [--runtime node|workerd|both] [--laps N] [--concurrency N]
//
// `make soak` runs the long form; tests/soak/soak.test.mjs the short one,
// with assertions (checkReport).
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseArgs } from 'node:util';
import { SignJWT, generateKeyPair } from 'jose';
import { createVerifier, remoteJwks } from '@jwtguard/jwtguard';
import { initSync } from '../../pkg/jwtguard.js';
import { AUDIENCE, ISSUER, goodClaims, sign } from '../js/helpers.mjs';
import { connectInspector } from '../worker/inspector.mjs';
import { startWorker } from '../worker/workerd.mjs';
import {
  FLOOD_KIDS, LAP, LAP_SECONDS, SOAK_KEY_SETTINGS, USABLE_FOR, phaseAt, startIdp,
} from './idp.mjs';

/** Distinct valid tokens per key: more than the verified-token cache holds (1,000), so both hits and misses happen. */
const VALID_PER_KEY = 1500;

/** Share of requests that carry a valid token (outside the flood). */
const VALID_SHARE = 0.7;

/**
 * Clock slack between the verifier taking keys in and the run's clock. Used
 * only to excuse refusals, never acceptances.
 */
const SLACK_SECONDS = 0.5;

/** Requests in flight for the flood of random kids, beside the steady load. */
const FLOOD_IN_FLIGHT = 100;

/** How often the heap is sampled. */
const SAMPLE_MS = 1000;

const kinds = ['wrong-key', 'alg-none', 'hs256-public-key', 'tampered', 'expired', 'wrong-audience'];

/** Tokens for every key: valid ones, and per kind of attack, a few that must be refused. */
async function tokenPools(keys, laps, runSeconds) {
  const attacker = await generateKeyPair('ES256', { extractable: true });
  const exp = Math.floor(Date.now() / 1000) + Math.ceil(runSeconds) + 600;
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const pools = [];
  for (const key of keys) {
    const valid = [];
    for (let i = 0; i < VALID_PER_KEY; i += 1) valid.push(await sign(key, goodClaims({ sub: `client-${i}`, jti: `${key.kid}-${i}`, exp })));
    const [header, payload, signature] = valid[0].split('.');
    const forged = {
      'wrong-key': await new SignJWT(goodClaims({ exp })).setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt' }).sign(attacker.privateKey),
      'alg-none': `${b64({ alg: 'none', kid: key.kid, typ: 'at+jwt' })}.${payload}.`,
      'hs256-public-key': await new SignJWT(goodClaims({ exp }))
        .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'at+jwt' })
        .sign(new TextEncoder().encode(JSON.stringify(key.jwk))),
      tampered: `${header}.${b64({ ...goodClaims({ exp }), roles: ['Data.Admin'] })}.${signature}`,
      expired: await sign(key, goodClaims({ iat: 1_600_000_000, nbf: 1_600_000_000, exp: 1_600_000_600 })),
      'wrong-audience': await sign(key, goodClaims({ aud: 'api://someone-else', exp })),
    };
    pools.push({ valid, forged });
  }
  const floods = [];
  for (let lap = 0; lap < laps; lap += 1) {
    const flood = [];
    for (let i = 0; i < FLOOD_KIDS; i += 1) {
      const kid = `flood-${lap}-${i}-${Math.random().toString(36).slice(2)}`;
      flood.push(await new SignJWT(goodClaims({ exp })).setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' }).sign(attacker.privateKey));
    }
    floods.push(flood);
  }
  return { pools, floods };
}

/** Samples of the verifier's heap: Node's after a full collection, workerd's isolate through its inspector. */
async function nodeHeap() {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  const wasm = initSync();
  return {
    async sample() {
      gc();
      return { heap: process.memoryUsage().heapUsed, wasm: wasm.memory.buffer.byteLength };
    },
    close() {},
  };
}

async function workerdHeap(mf, origin) {
  const { send: call, close } = await connectInspector(mf);
  return {
    // HeapProfiler.collectGarbage never answers in workerd, but a heap
    // snapshot starts with a full collection; its chunks are dropped unread.
    async sample() {
      await call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      const { usedSize } = await call('Runtime.getHeapUsage');
      const { wasmBytes } = await (await fetch(new URL('/memory', origin))).json();
      return { heap: usedSize, wasm: wasmBytes };
    },
    close,
  };
}

/**
 * The verifier under test: `call(token)` → `{ accepted, code }`, and
 * `fetched()` → the Unix times (seconds) its key source took in a key set.
 */
async function startRuntime(runtime, jwksUrl) {
  if (runtime === 'node') {
    const fetched = [];
    const onEvent = (event) => {
      if (event.type === 'fetch') fetched.push(Date.now() / 1000);
    };
    const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: remoteJwks(jwksUrl, { ...SOAK_KEY_SETTINGS, onEvent }) });
    return {
      fetched: async () => fetched,
      async call(token) {
        try {
          await verifier.verify(token);
          return { accepted: true, code: null };
        } catch (error) {
          return { accepted: false, code: error?.code ?? `not a JwtGuardError: ${error}` };
        } finally {
          // verify() may settle without I/O: let the key server and timers run.
          await yieldToLoop();
        }
      },
      heap: await nodeHeap(),
      close: async () => {},
    };
  }
  const mf = await startWorker('../soak/worker.mjs', {
    ISSUER, AUDIENCE, JWKS_URL: jwksUrl, KEY_SETTINGS: JSON.stringify(SOAK_KEY_SETTINGS),
  }, { inspectorPort: 0, unsafeInspectorProxy: true });
  // Plain fetch to the runtime's own address: a few times faster than
  // dispatchFetch, so the load reaches the Worker rather than the harness.
  const origin = await mf.ready;
  const heap = await workerdHeap(mf, origin);
  return {
    fetched: async () => (await fetch(new URL('/fetched', origin))).json(),
    async call(token) {
      const response = await fetch(origin, { headers: { authorization: `Bearer ${token}` } });
      const body = await response.json();
      return response.status === 200 ? { accepted: true, code: null } : { accepted: false, code: body.code ?? `status ${response.status}` };
    },
    heap,
    async close() {
      heap.close();
      await mf.dispose();
    },
  };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * Runs the soak on one runtime for `laps` laps of the schedule with
 * `concurrency` requests in flight, and returns the report.
 */
export async function soak({ runtime, laps = 1, concurrency = 50 }) {
  const runSeconds = laps * LAP_SECONDS;
  let t0 = performance.now();
  let epoch0 = Date.now() / 1000;
  const clock = () => (performance.now() - t0) / 1000;
  const idp = await startIdp({ laps, clock });
  const { pools, floods } = await tokenPools(idp.keys, laps, runSeconds + 60);
  const target = await startRuntime(runtime, idp.url);
  try {
    return await drive();
  } finally {
    await target.close();
    await idp.close();
  }

  async function drive() {

  const latencies = new Float64Array(4_000_000);
  let requests = 0;
  let transportErrors = 0;
  const counts = { valid: 0, validAccepted: 0, validRefused: 0, validRefusedExcused: 0, forged: 0, forgedAccepted: 0 };
  const codes = { validRefused: {}, forged: {} };
  // Refused valid requests, judged once the run is over: start and end, phase
  // and code, in typed arrays outside the JS heap the run measures.
  const refusedAt = new Float64Array(latencies.length);
  const refusedEnd = new Float64Array(latencies.length);
  const refusedPhase = new Uint8Array(latencies.length);
  const refusedCode = new Uint8Array(latencies.length);
  const codeNames = [];
  let refusals = 0;
  const forgedAccepted = [];
  const sent = new Map(); // flood lap → how many of its tokens were sent
  const floodTasks = [];
  const samples = [];

  /**
   * The README's rules refuse a valid token only when no good keys were ever
   * loaded or the last ones are past max age + staleIfError. A request is
   * handled at some moment between its start and its end (workerd queues
   * requests under load), so the keys were usable all along only if a key
   * set was taken in before the start and at most USABLE_FOR before the end.
   */
  const excused = (start, end, takenIn) =>
    !takenIn.some((at) => at >= end - USABLE_FOR + SLACK_SECONDS && at <= start - SLACK_SECONDS);

  function pick(phase) {
    const pool = pools[idp.keys.indexOf(idp.signingKey(phase))];
    if (Math.random() < VALID_SHARE) return { valid: true, token: pool.valid[Math.floor(Math.random() * pool.valid.length)] };
    const kind = kinds[Math.floor(Math.random() * kinds.length)];
    return { valid: false, kind, token: pool.forged[kind] };
  }

  const tally = (table, code) => {
    table[code] = (table[code] ?? 0) + 1;
  };

  /** One request with `chosen`, tallied. */
  async function send(chosen, phase) {
    const start = clock();
    let outcome;
    try {
      outcome = await target.call(chosen.token);
    } catch {
      // The harness could not reach workerd (a connection it reset under
      // load): no verdict to judge, so counted apart.
      transportErrors += 1;
      return;
    }
    {
      const { accepted, code } = outcome;
      const end = clock();
      if (requests < latencies.length) latencies[requests] = (end - start) * 1000;
      requests += 1;
      if (chosen.valid) {
        counts.valid += 1;
        if (accepted) counts.validAccepted += 1;
        else {
          counts.validRefused += 1;
          tally(codes.validRefused, `${code} (${phase.name})`);
          if (refusals < refusedAt.length) {
            if (!codeNames.includes(code)) codeNames.push(code);
            refusedAt[refusals] = start;
            refusedEnd[refusals] = end;
            refusedPhase[refusals] = phase.index;
            refusedCode[refusals] = codeNames.indexOf(code);
            refusals += 1;
          }
        }
      } else {
        counts.forged += 1;
        tally(codes.forged, `${chosen.kind}: ${code}`);
        if (accepted) {
          counts.forgedAccepted += 1;
          if (forgedAccepted.length < 20) forgedAccepted.push({ at: start.toFixed(2), phase: phase.name, kind: chosen.kind });
        }
      }
    }
  }

  async function worker() {
    while (clock() < runSeconds) {
      const phase = phaseAt(clock());
      if (phase.name === 'flood' && !sent.has(phase.lap)) {
        sent.set(phase.lap, 0);
        flood(phase);
      }
      await send(pick(phase), phase);
    }
  }

  /**
   * The flood: FLOOD_KIDS tokens with random kids, FLOOD_IN_FLIGHT at a time
   * beside the steady load, from the start of the flood phase until all are
   * sent or the phase is over.
   */
  function flood(phase) {
    const tokens = floods[phase.lap];
    const attacker = async () => {
      while (clock() < phase.end && sent.get(phase.lap) < tokens.length) {
        const next = sent.get(phase.lap);
        sent.set(phase.lap, next + 1);
        await send({ valid: false, kind: 'random-kid', token: tokens[next] }, phase);
      }
    };
    floodTasks.push(...Array.from({ length: FLOOD_IN_FLIGHT }, attacker));
  }

  t0 = performance.now();
  epoch0 = Date.now() / 1000;
  const sampler = setInterval(async () => {
    const at = clock();
    samples.push({ at, ...(await target.heap.sample()) });
  }, SAMPLE_MS);
  await Promise.all(Array.from({ length: concurrency }, worker));
  await Promise.all(floodTasks);
  clearInterval(sampler);
  samples.push({ at: clock(), ...(await target.heap.sample()) });
  const takenIn = (await target.fetched()).map((at) => at - epoch0);
  const unexcused = [];
  for (let i = 0; i < refusals; i += 1) {
    if (excused(refusedAt[i], refusedEnd[i], takenIn)) counts.validRefusedExcused += 1;
    else if (unexcused.length < 20) unexcused.push({ at: refusedAt[i].toFixed(2), phase: LAP[refusedPhase[i]][0], code: codeNames[refusedCode[i]] });
  }

  const sorted = Array.from(latencies.subarray(0, Math.min(requests, latencies.length))).sort((a, b) => a - b);
  return {
    runtime,
    laps,
    concurrency,
    seconds: Number(clock().toFixed(1)),
    requests,
    requestsPerSecond: Math.round(requests / clock()),
    transportErrors,
    latencyMs: { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1)) },
    ...counts,
    codes,
    unexcused,
    forgedAcceptedSamples: forgedAccepted,
    fetches: fetchFigures(idp.log, laps, [...sent.values()].reduce((sum, n) => sum + n, 0)),
    memory: memoryFigures(samples),
  };
  }
}

const round = (ms) => Number(ms.toFixed(2));

/**
 * Fetches per phase against the README's bound: whatever asks for it (a kid
 * miss, a retry after a failure, a refresh past max age), at most one fetch
 * per cooldown, plus one for a fetch that started in the phase before and
 * reached the server in this one. Forged tokens name unknown kids (or a kid
 * whose key does not permit their algorithm) all the time, so kid misses,
 * not max age, set the pace here; the flood is the case that counts.
 */
function fetchFigures(log, laps, floodSent) {
  const phases = [];
  for (let lap = 0; lap < laps; lap += 1) {
    let start = lap * LAP_SECONDS;
    for (const [name, seconds] of LAP) {
      const end = start + seconds;
      const fetches = log.filter((entry) => entry.at >= start && entry.at < end).length;
      phases.push({ lap, name, seconds, fetches, bound: Math.ceil(seconds / SOAK_KEY_SETTINGS.cooldown) + 1 });
      start = end;
    }
  }
  const flood = phases.filter((phase) => phase.name === 'flood');
  return {
    total: log.length,
    phases,
    overBound: phases.filter((phase) => phase.fetches > phase.bound),
    flood: { kids: floodSent, fetches: flood.reduce((sum, phase) => sum + phase.fetches, 0), bound: flood.reduce((sum, phase) => sum + phase.bound, 0) },
  };
}

/** The heap at the end against the heap once warm (after the first 10 s): the largest sample of each window. */
function memoryFigures(samples) {
  const warm = samples.filter((s) => s.at >= 5 && s.at < 15);
  const last = samples.filter((s) => s.at >= samples.at(-1).at - 10);
  // Every sample follows a full collection, so the largest of a window is
  // the most that was live in it.
  const pick = (list) => Math.max(...list.map((s) => s.heap));
  const warmHeap = pick(warm);
  const endHeap = pick(last);
  return {
    samples: samples.length,
    warmHeapBytes: warmHeap,
    endHeapBytes: endHeap,
    growthBytes: endHeap - warmHeap,
    peakHeapBytes: Math.max(...samples.map((s) => s.heap)),
    wasmBytesWarm: Math.max(...warm.map((s) => s.wasm)),
    wasmBytesEnd: samples.at(-1).wasm,
  };
}

const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;

/** A few lines a person reads. */
export function summary(report) {
  const m = report.memory;
  return [
    `soak ${report.runtime}: ${report.laps} lap(s) of ${LAP_SECONDS} s, ${report.concurrency} in flight: ${report.requests} requests in ${report.seconds} s (${report.requestsPerSecond}/s; ${report.transportErrors} not delivered)`,
    `  valid: ${report.valid}, accepted ${report.validAccepted}, refused ${report.validRefused} (excused by the README's rules: ${report.validRefusedExcused})`,
    `  forged or bad: ${report.forged}, accepted ${report.forgedAccepted}`,
    `  latency: p50 ${report.latencyMs.p50} ms, p99 ${report.latencyMs.p99} ms, max ${report.latencyMs.max} ms`,
    `  key-server requests: ${report.fetches.total}; flood: ${report.fetches.flood.kids} random kids caused ${report.fetches.flood.fetches} fetches (bound ${report.fetches.flood.bound}); phases over their bound: ${report.fetches.overBound.length}`,
    `  heap: ${mib(m.warmHeapBytes)} warm, ${mib(m.endHeapBytes)} at the end (growth ${mib(m.growthBytes)}), peak ${mib(m.peakHeapBytes)}; wasm memory ${mib(m.wasmBytesWarm)} → ${mib(m.wasmBytesEnd)}`,
    `  valid refusals by code (phase): ${JSON.stringify(report.codes.validRefused)}`,
  ].join('\n');
}

/**
 * Heap growth allowed between the warm window and the end of a run, both
 * after a full collection: room for V8's own caches (compiled code, inline
 * caches) and the key cache at its largest. A leak of 200 bytes per request
 * crosses it within about 42,000 requests; smaller leaks need the long form.
 */
export const HEAP_MARGIN_BYTES = 8 * 1048576;

/** The short form's assertions, as a list of broken ones (empty: all hold). */
export function checkReport(report) {
  const broken = [];
  if (report.valid === 0 || report.forged === 0) broken.push('no load was sent');
  if (report.validRefused !== report.validRefusedExcused) broken.push(`valid tokens refused outside the README's rules: ${JSON.stringify(report.unexcused)}`);
  if (report.forgedAccepted !== 0) broken.push(`forged tokens accepted: ${JSON.stringify(report.forgedAcceptedSamples)}`);
  if (report.fetches.overBound.length) broken.push(`fetches over the documented bound: ${JSON.stringify(report.fetches.overBound)}`);
  if (report.memory.growthBytes > HEAP_MARGIN_BYTES) broken.push(`heap grew by ${report.memory.growthBytes} bytes`);
  if (report.memory.wasmBytesEnd > report.memory.wasmBytesWarm + 1048576) broken.push('WebAssembly memory kept growing');
  return broken;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      runtime: { type: 'string', default: 'both' },
      laps: { type: 'string', default: '3' },
      concurrency: { type: 'string', default: '200' },
      json: { type: 'boolean', default: false },
    },
  });
  const runtimes = values.runtime === 'both' ? ['node', 'workerd'] : [values.runtime];
  let failed = false;
  for (const runtime of runtimes) {
    const report = await soak({ runtime, laps: Number(values.laps), concurrency: Number(values.concurrency) });
    console.log(values.json ? JSON.stringify(report, null, 2) : summary(report));
    const broken = checkReport(report);
    for (const line of broken) console.log(`  BROKEN: ${line}`);
    failed ||= broken.length > 0;
  }
  process.exitCode = failed ? 1 : 0;
}
