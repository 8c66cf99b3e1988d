// The timing loop, shared by every runtime (Node, workerd, Chromium): plain
// ECMAScript. `clock` (milliseconds) is `performance.now()`; Node also passes
// `cpuClock`, the process's CPU time, which other processes on a shared
// machine do not inflate.
import { ALGORITHMS } from './fixtures.mjs';

/** Samples per case; the reported figure is their median. */
export const SAMPLES = 11;
/** Warm-up before the samples of each case, in milliseconds (at least 20 verifications). */
export const WARM_UP_MS = 250;
/** Each sample runs verifications until this many milliseconds have passed. */
export const SAMPLE_MS = 25;
/**
 * Before each sample, a subject runs this share of a sample unmeasured:
 * the subject before it ran meanwhile, so its first verifications find
 * the CPU's caches holding another library's code and data.
 */
const REWARM_SHARE = 0.2;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * A subject's timing: `warm()` runs it for WARM_UP_MS (JIT and wasm
 * tier-up, key import, lazily built tables), `sample(sampleMs)` runs
 * verifications until `sampleMs` have passed and returns `{ wall, cpu }` µs
 * per verification (`cpu` null without `cpuClock`). Tokens are taken in
 * order, cycling, from where the last call stopped. `verify` may be sync or
 * async (`isAsync`). Every call's result is checked, so a failing verifier
 * cannot look fast.
 */
function timer(verify, tokens, { isAsync, clock, cpuClock }) {
  let next = 0;
  const take = () => {
    const token = tokens[next];
    next = (next + 1) % tokens.length;
    return token;
  };
  const check = (result) => {
    if (!result) throw new Error('verifier returned nothing');
  };
  return {
    async warm() {
      // By time, so the first case of a run is not penalised; at least 20 verifications.
      const warmUntil = clock() + WARM_UP_MS;
      for (let i = 0; i < 20 || clock() < warmUntil; i += 1) check(isAsync ? await verify(take()) : verify(take()));
    },
    async sample(sampleMs) {
      let ops = 0;
      const start = clock();
      const cpuStart = cpuClock?.();
      let elapsed;
      do {
        // Batches of 4 keep the clock out of the measurement.
        for (let i = 0; i < 4; i += 1) check(isAsync ? await verify(take()) : verify(take()));
        ops += 4;
        elapsed = clock() - start;
      } while (elapsed < sampleMs);
      return { wall: (elapsed * 1000) / ops, cpu: cpuClock ? ((cpuClock() - cpuStart) * 1000) / ops : null };
    },
  };
}

/**
 * Median microseconds per verification `{ wall, cpu, rounds }` of each
 * subject (`[name, { verify, isAsync }]`) over the same `tokens`, or the
 * error that stopped it, as a Map by name; `rounds` are the samples in
 * order (CPU time where there is a `cpuClock`), for ratios taken round by
 * round (targets.mjs). The subjects take their samples in turn
 * (the first sample of each, then the second of each, ...), so a change in
 * the machine's load during the measurement reaches every subject alike and
 * the ratios between them, which the targets judge, do not drift with it.
 */
export async function measureTogether(subjects, tokens, { clock, cpuClock = null, samples = SAMPLES, sampleMs = SAMPLE_MS }) {
  const results = new Map();
  const live = [];
  for (const [name, subject] of subjects) {
    const timing = timer(subject.verify, tokens, { isAsync: subject.isAsync, clock, cpuClock });
    try {
      await timing.warm();
      live.push({ name, timing, wall: [], cpu: [] });
    } catch (error) {
      results.set(name, error);
    }
  }
  for (let s = 0; s < samples; s += 1) {
    // Each round starts one subject later, so no subject always follows the
    // same one (and pays for its garbage, collected during the next sample).
    for (let i = 0; i < live.length; i += 1) {
      const entry = live[(s + i) % live.length];
      if (results.has(entry.name)) continue;
      try {
        await entry.timing.sample(sampleMs * REWARM_SHARE);
        const { wall, cpu } = await entry.timing.sample(sampleMs);
        entry.wall.push(wall);
        entry.cpu.push(cpu);
      } catch (error) {
        results.set(entry.name, error);
      }
    }
  }
  for (const { name, wall, cpu } of live) {
    if (!results.has(name)) results.set(name, { wall: median(wall), cpu: cpuClock ? median(cpu) : null, rounds: cpuClock ? cpu : wall });
  }
  return results;
}

const failed = (error) => `failed: ${error.code ?? ''} ${error.message}`.trim();

/**
 * Every case of `libraries` (`[name, factory]`, a factory `(fixtures, alg)`
 * returning `{ verify, isAsync }` or null where unsupported): for each
 * algorithm, cold (a distinct token per verification) and warm (the same
 * token again), the libraries measured together (`measureTogether`). Rows
 * `{ alg, mode, name, us, note }`; `progress` is called after each.
 */
export async function measureCases(libraries, fixtures, options, progress = () => {}) {
  // One discarded pass over every case first: whichever case ran first
  // otherwise paid for garbage from signing the fixtures and for the
  // background optimisation of the wasm module. Failures are reported by
  // the measured pass.
  for (const alg of ALGORITHMS) {
    await measureTogether(subjectsOf(libraries, fixtures, alg).subjects, fixtures.tokens[alg], { ...options, samples: 1 });
  }
  const rows = [];
  for (const alg of ALGORITHMS) {
    for (const mode of ['cold', 'warm']) {
      const tokens = mode === 'cold' ? fixtures.tokens[alg] : fixtures.tokens[alg].slice(0, 1);
      const { subjects, notes } = subjectsOf(libraries, fixtures, alg);
      const results = await measureTogether(subjects, tokens, options);
      for (const [name] of libraries) {
        const result = results.get(name);
        const note = notes.get(name) ?? (result instanceof Error ? failed(result) : '');
        rows.push({ alg, mode, name, us: note ? null : result, note });
        progress();
      }
    }
  }
  return rows;
}

/**
 * The libraries' subjects for `alg` (`[name, { verify, isAsync }]`), and a
 * note by name for each that does not support it or failed to start.
 */
function subjectsOf(libraries, fixtures, alg) {
  const subjects = [];
  const notes = new Map();
  for (const [name, factory] of libraries) {
    try {
      const subject = factory(fixtures, alg);
      if (subject) subjects.push([name, subject]);
      else notes.set(name, 'unsupported');
    } catch (error) {
      notes.set(name, failed(error));
    }
  }
  return { subjects, notes };
}
