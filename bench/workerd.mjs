// workerd through miniflare (npm; the workerd binary ships inside the npm
// package). Times are taken here, around requests that each run n
// verifications: per verification = (median T(n) − median T(0)) / n, with n
// grown until T(n) − T(0) is about 50 ms.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { ALGORITHMS } from './fixtures.mjs';
import { WARM_UP_MS, median } from './measure.mjs';
import { webLibraries } from './libraries.mjs';

// The row names, in the worker's order (the factories run inside workerd).
const LIBRARIES = webLibraries({}, {}).map(([name]) => name);

const root = new URL('..', import.meta.url).pathname;

async function bundle() {
  const out = `${root}target-bench/worker.mjs`;
  mkdirSync(`${root}target-bench`, { recursive: true });
  await build({
    entryPoints: [`${root}bench/worker-entry.mjs`],
    bundle: true, format: 'esm', platform: 'neutral', outfile: out,
    conditions: ['workerd', 'worker', 'browser'], mainFields: ['module', 'main'],
    external: ['*.wasm'], logLevel: 'silent',
  });
  return out;
}

/**
 * workerd (miniflare) running the bench worker with `fixtures` loaded;
 * `inspectorPort` (0: any free port) opens its inspector, for bench/profile.mjs.
 * `call(query)` runs one request and returns its wall milliseconds. Dispose `mf`.
 */
export async function startWorker(fixtures, { inspectorPort } = {}) {
  const scriptPath = await bundle();
  const mf = new Miniflare({
    modules: true,
    scriptPath,
    modulesRoot: root,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2025-01-01',
    ...(inspectorPort === undefined ? {} : { inspectorPort }),
  });
  try {
    const loaded = await mf.dispatchFetch('http://bench/', { method: 'POST', body: JSON.stringify(fixtures) });
    await loaded.text();
  } catch (error) {
    await mf.dispose();
    throw error;
  }
  const call = async (query) => {
    const start = performance.now();
    const response = await mf.dispatchFetch(`http://bench/?${new URLSearchParams(query)}`);
    const text = await response.text();
    if (!response.ok) throw new Error(text);
    return performance.now() - start;
  };
  return { mf, call, scriptPath };
}

const note = (error) => (error.message === 'unsupported' ? 'unsupported' : `failed: ${error.message.slice(0, 80)}`);

/**
 * One case warmed up (JIT, wasm tier-up, key import, as in measure.mjs), and
 * the number n of verifications per request that computes for about 50 ms
 * beyond an empty request: `{ query, n }`.
 */
async function calibrate(call, query, quick) {
  const warmUntil = performance.now() + WARM_UP_MS;
  while (performance.now() < warmUntil) await call({ ...query, n: 20 });
  const target = quick ? 15 : 50;
  let n = 50;
  for (;;) {
    // The median of three, so one slow request cannot stop the growth early.
    const tries = [];
    for (let t = 0; t < 3; t += 1) tries.push((await call({ ...query, n })) - (await call({ ...query, n: 0 })));
    const spent = median(tries);
    if (spent >= target || n >= 1_000_000) return { query, n };
    n = Math.min(1_000_000, Math.ceil(n * Math.min(16, Math.max(2, target / Math.max(spent, 0.1)))));
  }
}

export async function run(fixtures, { quick }) {
  const { mf, call } = await startWorker(fixtures);
  try {
    const workerdVersion = createRequire(import.meta.url)('workerd/package.json').version;
    // One discarded pass over every case first, as in run.mjs.
    for (const alg of ALGORITHMS) {
      for (const lib of LIBRARIES) {
        const warmUntil = performance.now() + WARM_UP_MS;
        // An unsupported case answers 501 and is left out here; its row says so.
        while (performance.now() < warmUntil) if (!(await call({ alg, mode: 'cold', lib, n: 20 }).then(() => true, () => false))) break;
      }
    }
    const samples = quick ? 3 : 11;
    const rows = [];
    for (const alg of ALGORITHMS) {
      for (const mode of ['cold', 'warm']) {
        // Each library warmed and its n found first; then the libraries take
        // their samples in turn, as measureTogether does in the other runtimes.
        const timed = [];
        const notes = new Map();
        for (const lib of LIBRARIES) {
          try {
            timed.push({ lib, ...(await calibrate(call, { alg, mode, lib }, quick)), empty: [], full: [] });
          } catch (error) {
            notes.set(lib, note(error));
          }
        }
        for (let s = 0; s < samples; s += 1) {
          // Each round starts one library later, as in measureTogether.
          for (let i = 0; i < timed.length; i += 1) {
            const entry = timed[(s + i) % timed.length];
            if (notes.has(entry.lib)) continue;
            try {
              entry.empty.push(await call({ ...entry.query, n: 0 }));
              entry.full.push(await call({ ...entry.query, n: entry.n }));
            } catch (error) {
              notes.set(entry.lib, note(error));
            }
          }
        }
        for (const lib of LIBRARIES) {
          const entry = timed.find((t) => t.lib === lib);
          const perVerification = (full, empty) => (Math.max(0, full - empty) * 1000) / entry.n;
          const us = notes.has(lib) ? null : {
            wall: perVerification(median(entry.full), median(entry.empty)),
            cpu: null,
            rounds: entry.full.map((full, s) => perVerification(full, entry.empty[s])),
          };
          rows.push({ alg, mode, name: lib, us, note: notes.get(lib) ?? '' });
          process.stderr.write('.');
        }
      }
    }
    process.stderr.write('\n');
    return { runtime: `workerd ${workerdVersion} (miniflare; timed around requests)`, rows };
  } finally {
    await mf.dispose();
  }
}
