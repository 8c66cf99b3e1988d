// Issue 27's targets, judged on one run's figures: each row gives the
// measured value, its ratio to the target (from the same run) and a verdict,
// and, where a target is not met, what limits it. Benchmarks are
// measurements, never tests: nothing here fails the run.
import { ALGORITHMS } from './fixtures.mjs';
import { ROW } from './libraries.mjs';
import { median } from './measure.mjs';

/** Core work around the signature, per ~1 KB RS256 token (µs): the budget for the core. */
export const CORE_WORK_US = 5;
/** Node, cold, cache off: at most this times the faster of fast-jwt and aws-jwt-verify ("ahead of every peer"). */
export const NODE_VS_PEERS = 0.9;
/** Node, cold, cache off: at most this times node:crypto's signature check alone (a quarter on top of the floor). */
export const NODE_VS_SIGNATURE = 1.25;
/** workerd and Chromium, `verify()` with WebCrypto, cold, cache off: at most this times jose. */
export const WEB_VS_JOSE = 0.9;
/** A repeated token (the verified-token cache) at least this many times faster than jose. */
export const REPEATED_SPEEDUP = 100;
/** Release wasm, gzip -9, in bytes (150 KB, decimal: the stricter reading). */
export const WASM_GZIP_BYTES = 150_000;
/**
 * Memory "flat" over 100,000 tokens: the JS heap after a full GC grows by at
 * most this between 10,000 and 100,000 tokens (a leak of 6 bytes a token
 * shows; GC noise is ~0.1 MiB), and the wasm linear memory not at all.
 */
export const MEMORY_FLAT_BYTES = 512 * 1024;

/** The algorithms the issue names for the cold targets. */
export const COLD_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

/** Each host's default path, with the cache on and off (rows of bench/libraries.mjs). */
const DEFAULT_ROW = {
  Node: { cached: ROW.nodeDefault, uncached: ROW.nodeDefaultNoCache },
  workerd: { cached: ROW.webDefault, uncached: ROW.webDefaultNoCache },
  chromium: { cached: ROW.webDefault, uncached: ROW.webDefaultNoCache },
};

/** Median µs per verification of one row: CPU time where the host reports it (Node), else wall time. */
export function value(rows, alg, mode, name) {
  const us = rows?.find((r) => r.alg === alg && r.mode === mode && r.name === name)?.us;
  return us ? (us.cpu ?? us.wall) : null;
}

/** One row's samples in the order taken (bench/measure.mjs `rounds`), or null. */
function roundsOf(rows, alg, mode, name) {
  return rows?.find((r) => r.alg === alg && r.mode === mode && r.name === name)?.us?.rounds ?? null;
}

/**
 * Row `name`'s time over the fastest of the rows `refs`, round by round: the
 * ratio within each round, in the order taken. The rows of one algorithm and
 * mode take each round's samples within about a second of each other, so a
 * drift of the machine's speed, which moves the medians of rows measured at
 * different moments, cancels. Null when a row is missing.
 */
function roundRatios(rows, alg, mode, name, refs) {
  const own = roundsOf(rows, alg, mode, name);
  const others = refs.map((ref) => roundsOf(rows, alg, mode, ref)).filter((rounds) => rounds !== null);
  if (own === null || others.length === 0 || others.some((rounds) => rounds.length !== own.length)) return null;
  return own.map((x, round) => x / Math.min(...others.map((rounds) => rounds[round])));
}

/** The median of `roundRatios`: the ratio a target is judged on. Null when a row is missing. */
export function pairedRatio(rows, alg, mode, name, refs) {
  const ratios = roundRatios(rows, alg, mode, name, refs);
  return ratios === null ? null : median(ratios);
}

/**
 * The middle half of `values` (a row's `roundRatios`) as `[low, high]`, the
 * samples nearest the lower and upper quartiles: how far the rounds of one
 * run disagree. A threshold inside it is within the run's own spread, so the
 * verdict may come out the other way in the next run.
 */
export function middleHalf(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const last = sorted.length - 1;
  return [sorted[Math.floor(last / 4)], sorted[Math.ceil((last * 3) / 4)]];
}

const us = (x) => (x === null ? '—' : `${x < 10 ? x.toFixed(2) : x.toFixed(1)} µs`);
const times = (x) => `${x.toFixed(2)}×`;
const known = (...xs) => xs.every((x) => typeof x === 'number' && Number.isFinite(x));

/**
 * The targets as rows `{ target, host, measured, ratio, met, limit, withinSpread }`:
 * `met` null when not measured; `limit` says what holds a missed target back;
 * `withinSpread` when a paired ratio's threshold is inside the `middleHalf` of its rounds.
 * `measured` maps host names (Node, workerd, chromium) to their rows.
 */
export function judge({ measured, wasmGzip, memory }) {
  const out = [];
  const add = (target, host, measuredText, ratio, met, limit, withinSpread = false) =>
    out.push({ target, host, measured: measuredText, ratio, met, limit: met === false ? limit : '', withinSpread });
  /** A paired-ratio target's columns: the ratio with its spread, the verdict, and whether the threshold is within the spread. */
  const paired = (rows, alg, name, refs, threshold) => {
    const ratios = roundRatios(rows, alg, 'cold', name, refs);
    if (ratios === null) return { text: '—', met: null, withinSpread: false };
    const ratio = median(ratios);
    const [low, high] = middleHalf(ratios);
    return { text: `${times(ratio)} (${low.toFixed(2)}–${high.toFixed(2)})`, met: ratio <= threshold, withinSpread: low <= threshold && threshold <= high };
  };
  const coreOf = (rows) => value(rows, 'RS256', 'cold', ROW.coreWork);

  for (const [host, rows] of measured) {
    const core = coreOf(rows);
    const floor = value(rows, 'RS256', 'cold', ROW.resultParse);
    const parse = known(floor) ? `; \`JSON.parse\` and the freeze of the result alone take ${us(floor)} of it (row "${ROW.resultParse}"), which stays as long as the caller gets a parsed, frozen claims object` : '';
    add(`core work without the signature ≤ ${CORE_WORK_US} µs per 1 KB RS256 token (${host === 'Node' ? 'CPU' : 'wall'})`, host,
      us(core), known(core) ? `${times(core / CORE_WORK_US)} the budget` : '—', known(core) ? core <= CORE_WORK_US : null,
      `the core's own checks in wasm (header rules and key selection in \`prepare\`; the one-pass payload and header check and the claims in \`finish\`), the boundary, then the result parsed and frozen in JS${parse}: the profile split (after) below`);
  }

  const node = measured.get('Node');
  if (node) {
    for (const alg of COLD_ALGORITHMS) {
      const own = value(node, alg, 'cold', ROW.nodeDefaultNoCache);
      const peers = [ROW.fastJwt, ROW.awsJwtVerify].map((p) => [p, value(node, alg, 'cold', p)]).filter(([, v]) => v !== null);
      const [peer, fastest] = peers.reduce((a, b) => (b[1] < a[1] ? b : a), [null, Infinity]);
      const floor = value(node, alg, 'cold', ROW.nodeCrypto);
      const core = value(node, alg, 'cold', ROW.coreWork);
      const gap = known(own, floor) ? `jwtguard − signature = ${us(own - floor)}; the core-work row: ${us(core)}` : '';
      const vsPeers = paired(node, alg, ROW.nodeDefaultNoCache, [ROW.fastJwt, ROW.awsJwtVerify], NODE_VS_PEERS);
      const vsSignature = paired(node, alg, ROW.nodeDefaultNoCache, [ROW.nodeCrypto], NODE_VS_SIGNATURE);
      add(`Node ${alg}, default path, cold, cache off ≤ ${NODE_VS_PEERS}× the faster of fast-jwt and aws-jwt-verify`, 'Node',
        `${us(own)} vs ${peer ?? '—'} ${us(known(fastest) ? fastest : null)}`, vsPeers.text, vsPeers.met,
        `the same node:crypto call as the peers plus jwtguard's work around it (${gap}); the peers check fewer rules (no duplicate-member, depth or typ checks, no exact signature encoding)`,
        vsPeers.withinSpread);
      add(`Node ${alg}, default path, cold, cache off ≤ ${NODE_VS_SIGNATURE}× node:crypto's signature check alone`, 'Node',
        `${us(own)} vs ${us(floor)}`, vsSignature.text, vsSignature.met,
        `the work around the signature (${gap}) is more than a quarter of the signature itself; run per token after the core work, the two cost more than apart, and less in blocks of tokens (the profile's "run together" table below)`,
        vsSignature.withinSpread);
    }
  }

  for (const host of ['workerd', 'chromium']) {
    const rows = measured.get(host);
    if (!rows) continue;
    for (const alg of COLD_ALGORITHMS) {
      const own = value(rows, alg, 'cold', ROW.webDefaultNoCache);
      const jose = value(rows, alg, 'cold', ROW.jose);
      const core = value(rows, alg, 'cold', ROW.coreWork);
      const vsJose = paired(rows, alg, ROW.webDefaultNoCache, [ROW.jose], WEB_VS_JOSE);
      add(`${host} ${alg}, verify() with WebCrypto (the default), cold, cache off ≤ ${WEB_VS_JOSE}× jose`, host,
        `${us(own)} vs ${us(jose)}`, vsJose.text, vsJose.met,
        `the same WebCrypto call as jose plus jwtguard's core work (${us(core)} here), more than jose's own JS around the call`,
        vsJose.withinSpread);
    }
  }

  for (const [host, rows] of measured) {
    // The worst algorithm's speed-up; null (not measured) when any is missing.
    const speedup = (name) => ALGORITHMS.map((alg) => [alg, pairedRatio(rows, alg, 'warm', name, [ROW.jose])])
      .map(([alg, ratio]) => [alg, ratio === null ? null : 1 / ratio])
      .reduce((a, b) => (a[1] === null ? a : b[1] === null || b[1] < a[1] ? b : a));
    const [worstAlg, worst] = speedup(DEFAULT_ROW[host].cached);
    const sync = host === 'Node' ? null : speedup(ROW.webSyncCached);
    add(`a repeated token ≥ ${REPEATED_SPEEDUP}× faster than jose (default path, cache on)`, host,
      known(worst) ? `worst ${worstAlg}: ${worst.toFixed(0)}× faster` : '—', known(worst) ? `${times(worst / REPEATED_SPEEDUP)} the target` : '—',
      known(worst) ? worst >= REPEATED_SPEEDUP : null,
      sync !== null && known(sync[1])
        ? `\`verify()\` answers a hit before awaiting anything, but still through a promise the caller awaits (in workerd, timed around requests); \`verifySync()\` answers a repeated token at worst ${sync[1].toFixed(0)}× faster than jose (${sync[0]})`
        : 'the cache lookup (token hashed, entry found, claims\' expiry checked) costs more than 1% of jose\'s full verification');
  }

  add(`release wasm ≤ ${WASM_GZIP_BYTES.toLocaleString('en')} bytes gzip -9`, 'all',
    `${wasmGzip.toLocaleString('en')} bytes`, times(wasmGzip / WASM_GZIP_BYTES), wasmGzip <= WASM_GZIP_BYTES,
    'the code itself: docs/performance.md says what each build setting gives (opt-level z reaches less but slows the core)');

  const tokens = memory.rows.filter((r) => r.kind === 'tokens');
  const [first, last] = [tokens[0], tokens.at(-1)];
  const growth = last.heap - first.heap;
  const wasmGrowth = last.wasm - first.wasm;
  add(`memory flat over ${last.n.toLocaleString('en')} tokens (heap grows ≤ ${MEMORY_FLAT_BYTES / 1024} KiB from ${first.n.toLocaleString('en')}, wasm memory not at all)`, 'Node',
    `heap ${growth >= 0 ? '+' : ''}${(growth / 1024).toFixed(0)} KiB, wasm ${wasmGrowth >= 0 ? '+' : ''}${(wasmGrowth / 1024).toFixed(0)} KiB`,
    times(Math.max(growth, 0) / MEMORY_FLAT_BYTES), growth <= MEMORY_FLAT_BYTES && wasmGrowth === 0,
    'something kept per token: the memory table below shows where');
  return out;
}

/** The targets as a Markdown table. */
export function targetsTable(rows) {
  const verdict = (met, withinSpread) => `${met === null ? 'not measured' : met ? 'met' : '**not met**'}${withinSpread ? ', within the spread' : ''}`;
  return [
    '### Targets (issue 27, this run)',
    '',
    'Measured: the medians. Ratio: the median over the rounds of the ratio within each round (the rows of one',
    'algorithm and mode take their samples in turn), which the machine\'s drift does not move; the verdict is on it.',
    'In brackets, the middle half of the rounds\' ratios (from the lower to the upper quartile): "within the spread"',
    'marks a target whose threshold falls inside it, a verdict the next run may turn.',
    '',
    '| target | host | measured | ratio | verdict | what limits it |',
    '|---|---|---|--:|---|---|',
    ...rows.map((r) => `| ${r.target} | ${r.host} | ${r.measured} | ${r.ratio} | ${verdict(r.met, r.withinSpread)} | ${r.limit} |`),
  ].join('\n');
}
