// The timing loop, shared by every runtime (Node, workerd, Chromium): plain
// ECMAScript. `clock` (milliseconds) is `performance.now()`; Node also passes
// `cpuClock`, the process's CPU time, which other processes on a shared
// machine do not inflate.

/** Samples per case; the reported figure is their median. */
export const SAMPLES = 11;
/** Warm-up before the samples of each case, in milliseconds (at least 20 verifications). */
export const WARM_UP_MS = 250;
/** Each sample runs verifications until this many milliseconds have passed. */
export const SAMPLE_MS = 25;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Median microseconds per verification of `verify` over `tokens`, taken in
 * order and cycling: `{ wall, cpu }` (`cpu` null without `cpuClock`). `verify`
 * may be sync or async (`isAsync`). Every call's result is checked, so a
 * failing verifier cannot look fast.
 */
export async function measure(verify, tokens, { isAsync, clock, cpuClock = null, samples = SAMPLES, sampleMs = SAMPLE_MS }) {
  let next = 0;
  const take = () => {
    const token = tokens[next];
    next = (next + 1) % tokens.length;
    return token;
  };
  const check = (result) => {
    if (!result) throw new Error('verifier returned nothing');
  };
  // Warm-up: JIT and wasm tier-up (V8 compiles wasm with a baseline compiler
  // first and optimises hot functions in the background), key import, lazily
  // built tables. By time, so the first case of a run is not penalised.
  const warmUntil = clock() + WARM_UP_MS;
  for (let i = 0; i < 20 || clock() < warmUntil; i += 1) check(isAsync ? await verify(take()) : verify(take()));
  const wall = [];
  const cpu = [];
  for (let s = 0; s < samples; s += 1) {
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
    wall.push((elapsed * 1000) / ops);
    if (cpuClock) cpu.push(((cpuClock() - cpuStart) * 1000) / ops);
  }
  return { wall: median(wall), cpu: cpuClock ? median(cpu) : null };
}
