// `make bench`: runs every case, prints one table per runtime with medians and
// the ratio to jose measured in the same run, and writes bench/RESULTS.md.
// Benchmarks are measurements, never tests: nothing here fails on a number.
//   node bench/run.mjs [--quick] [--only=node,workerd,chromium]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { ALGORITHMS, COLD_TOKENS, makeFixtures } from './fixtures.mjs';
import { measure } from './measure.mjs';
import { nodeLibraries } from './node.mjs';
import { coldStart, sizes } from './size.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',') ?? ['node', 'workerd', 'chromium'];

const machine = () =>
  `${cpus().length} × ${cpus()[0]?.model ?? 'unknown cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
  `Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;

const fmt = (us) => (us === null ? '—' : us < 10 ? us.toFixed(2) : us < 100 ? us.toFixed(1) : us.toFixed(0));
const ratio = (us, ref) => (us === null || !ref ? '—' : `${(us / ref).toFixed(2)}×`);

/** Runs `libraries` (`[name, factory]`) over both modes of every algorithm, in this process. */
async function runCases(libraries, fixtures, clocks) {
  // One discarded pass over every case first: whichever case ran first
  // otherwise paid for garbage from signing the fixtures and for the
  // background optimisation of the wasm module.
  for (const alg of ALGORITHMS) {
    for (const [, factory] of libraries) {
      const subject = factory(fixtures, alg);
      if (subject) await measure(subject.verify, fixtures.tokens[alg], { isAsync: subject.isAsync, ...clocks, samples: 1 }).catch(() => {});
    }
  }
  const rows = [];
  for (const alg of ALGORITHMS) {
    for (const mode of ['cold', 'warm']) {
      const tokens = mode === 'cold' ? fixtures.tokens[alg] : fixtures.tokens[alg].slice(0, 1);
      for (const [name, factory] of libraries) {
        let us = null;
        let note = '';
        try {
          const subject = factory(fixtures, alg);
          if (subject) us = await measure(subject.verify, tokens, { isAsync: subject.isAsync, ...clocks, ...(quick ? { samples: 3, sampleMs: 10 } : {}) });
          else note = 'unsupported';
        } catch (error) {
          note = `failed: ${error.code ?? ''} ${error.message}`.trim();
        }
        rows.push({ alg, mode, name, us, note });
        process.stderr.write('.');
      }
    }
  }
  process.stderr.write('\n');
  return rows;
}

/**
 * One runtime's table. Rows carry `us: { wall, cpu }`; the ratio is taken on
 * CPU time where the runtime reports it (Node), else on wall time.
 */
function table(runtime, rows) {
  const hasCpu = rows.some((r) => r.us?.cpu != null);
  const key = hasCpu ? 'cpu' : 'wall';
  const lines = [
    `### ${runtime}`,
    '',
    hasCpu
      ? '| alg | mode | library | median CPU µs/verify | ratio to jose (CPU) | median wall µs/verify |'
      : '| alg | mode | library | median wall µs/verify | ratio to jose |',
    hasCpu ? '|---|---|---|--:|--:|--:|' : '|---|---|---|--:|--:|',
  ];
  for (const row of rows) {
    const ref = rows.find((r) => r.alg === row.alg && r.mode === row.mode && r.name === 'jose')?.us?.[key];
    const value = row.us?.[key] ?? null;
    const cells = [row.alg, row.mode, row.name, row.note || fmt(value), row.note ? '—' : ratio(value, ref)];
    if (hasCpu) cells.push(row.note ? '—' : fmt(row.us.wall));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

const started = new Date();
process.stderr.write(`signing ${COLD_TOKENS} tokens per algorithm with jose...\n`);
const fixtures = await makeFixtures(quick ? 50 : COLD_TOKENS);
const sections = [];
/** runtime name → rows, for the targets below. */
const measured = new Map();

if (only.includes('node')) {
  process.stderr.write('node ');
  const cpuClock = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const rows = await runCases(nodeLibraries(), fixtures, { clock: () => performance.now(), cpuClock });
  measured.set('Node', rows);
  sections.push(table(`Node ${process.version}`, rows));
}
for (const runtime of ['workerd', 'chromium']) {
  if (!only.includes(runtime)) continue;
  try {
    const { run } = await import(`./${runtime}.mjs`);
    process.stderr.write(`${runtime} `);
    const result = await run(fixtures, { quick });
    measured.set(runtime, result.rows);
    sections.push(table(result.runtime, result.rows));
  } catch (error) {
    sections.push(`### ${runtime}\n\nnot measured: ${error.message}`);
  }
}

const size = await sizes();

/** The issue's targets, judged on this run's figures (CPU time in Node, wall time elsewhere). */
function targets() {
  const value = (rows, alg, mode, name) => {
    const us = rows?.find((r) => r.alg === alg && r.mode === mode && r.name === name)?.us;
    return us ? (us.cpu ?? us.wall) : null;
  };
  const verdict = (ok) => (ok === null ? 'not measured' : ok ? 'met' : '**not met**');
  const lines = ['### Targets (this run)', '', '| target | measured | verdict |', '|---|---|---|'];
  for (const [runtime, rows] of measured) {
    const speedups = ALGORITHMS.map((alg) => value(rows, alg, 'warm', 'jose') / value(rows, alg, 'warm', 'jwtguard'));
    const worst = Math.min(...speedups);
    lines.push(`| repeated token ≥ 10× faster than jose, ${runtime} | worst over algorithms: ${worst.toFixed(0)}× faster | ${verdict(Number.isFinite(worst) ? worst >= 10 : null)} |`);
  }
  const node = measured.get('Node');
  if (node) {
    // Issue 12: the node:crypto backend, cold, cache off, against the peers
    // and the native floor (where a peer supports the algorithm).
    for (const alg of ALGORITHMS) {
      const own = value(node, alg, 'cold', 'jwtguard (node:crypto, cache off)');
      const parts = [];
      let ok = true;
      for (const [peer, bound] of [['fast-jwt (cache on)', 1], ['aws-jwt-verify', 1], ['node:crypto (signature only)', 1.3]]) {
        const them = value(node, alg, 'cold', peer);
        if (them === null) continue;
        parts.push(`${(own / them).toFixed(2)}× ${peer.replace(' (cache on)', '').replace(' (signature only)', ' signature')} (≤ ${bound})`);
        ok &&= own <= bound * them;
      }
      lines.push(`| Node ${alg}, node:crypto backend, cold, cache off | ${parts.join(', ')} | ${verdict(own === null ? null : ok)} |`);
    }
    const core = (mode) => value(node, 'RS256', mode, 'jwtguard (core only, cache off)');
    lines.push(`| pure-wasm RS256 ≤ 1.0× jose in Node (cold, cache off) | ${(core('cold') / value(node, 'RS256', 'cold', 'jose')).toFixed(2)}× | ${verdict(core('cold') <= value(node, 'RS256', 'cold', 'jose'))} |`);
    const es = value(node, 'ES256', 'cold', 'jwtguard (core only, cache off)') / value(node, 'ES256', 'cold', 'jose');
    lines.push(`| pure-wasm ES256 ≤ 2× jose in Node (cold, cache off) | ${es.toFixed(2)}× | ${verdict(es <= 2)} |`);
  }
  // The core's own share: everything around the signature, RS256 (a 1 KB token), cold.
  for (const [runtime, rows] of measured) {
    const us = value(rows, 'RS256', 'cold', 'core work without the signature');
    const clock = runtime === 'Node' ? 'CPU' : 'wall';
    lines.push(`| core work without the signature ≤ 10 µs per 1 KB token, ${runtime} (${clock}) | ${us === null ? '—' : `${us.toFixed(1)} µs`} | ${verdict(us === null ? null : us <= 10)} |`);
  }
  lines.push(`| release wasm ≤ 150 KB gzip, every algorithm | ${size.wasmGzip.toLocaleString('en')} bytes | ${verdict(size.wasmGzip <= 150_000)} |`);
  // verify() with the WebCrypto backend against jose, cache off, for the
  // algorithms the issue names.
  for (const runtime of ['workerd', 'chromium']) {
    const rows = measured.get(runtime);
    for (const alg of ['RS256', 'PS256', 'ES256', 'ES384']) {
      const ratios = ['cold', 'warm'].map((mode) => value(rows, alg, mode, 'jwtguard (WebCrypto, cache off)') / value(rows, alg, mode, 'jose'));
      const known = ratios.every(Number.isFinite);
      const cell = known ? `cold ${ratios[0].toFixed(2)}×, warm ${ratios[1].toFixed(2)}×` : 'not measured';
      lines.push(`| WebCrypto backend ≤ 0.9× jose in ${runtime}, ${alg} (verify(), cache off) | ${cell} | ${verdict(known ? ratios.every((r) => r <= 0.9) : null)} |`);
    }
  }
  return lines.join('\n');
}
/**
 * Why the WebCrypto targets are not met yet: analysis from profiling, kept
 * beside the figures (the table above says whether they are met this run).
 */
const LIMITS = [
  '### What limits the targets',
  '',
  '- The signature is the same native call the peers make (node:crypto in Node, WebCrypto elsewhere); the',
  '  gap is jwtguard\'s own work around it, the `core work without the signature` rows. Split profile in',
  '  Node (RS256, 1.2 KB token, CPU, after issue 12): `TextEncoder` 1–2.5 µs, `prepare` (split, header',
  '  parsed and checked, key chosen, signature decoded and range-checked) 5–9 µs, `finish` (payload',
  '  decoded, strictly parsed into a JSON tree with duplicate, depth and size checks, every claim checked,',
  '  the result text built) 10–13 µs, one `JSON.parse` of the result 3–4 µs, then the deep freeze. Issue 12',
  '  removed the second header parse and the claims\' re-serialisation. A native profile of `prepare` +',
  '  `finish` (perf, x86-64) then showed 38% of the core\'s time in two byte loops, the token\'s alphabet',
  '  check and base64url decoding; rewritten as one table pass and a sized buffer, they take about 19%,',
  '  and the core-work row fell from 30.5 to about 26 µs (median CPU per token, 41 rounds of the 1,200',
  '  tokens, the two builds run one after the other on a quiet machine). What remains is mostly the strict',
  '  payload parse into a tree (serde_json values in B-tree maps: allocation, key comparisons) and, in JS,',
  '  `JSON.parse`, the deep freeze and `TextEncoder`. Reaching ≤ 10 µs needs the payload checked without',
  '  building a tree (a streaming pass over the bytes) and the result handed over without a second parse,',
  '  which is not done.',
  '- fast-jwt and aws-jwt-verify check fewer rules per token (no duplicate-member, depth or typ checks,',
  '  no exact signature-encoding check before the signature), so ≤ 1.0× them is bounded by the strict rules.',
  '- EdDSA goes to node:crypto and WebCrypto like the others since the core refuses S ≥ L and small-order',
  '  R before offering a key (OpenSSL and BoringSSL otherwise accept a small-order R that satisfies the',
  '  equation); `verifyRequest` takes the same path for the access token, while a DPoP proof\'s own',
  '  signature is still checked in the core.',
  '- The machine is shared (2 cores; the header gives the load average): CPU time in Node is less',
  '  affected than wall time but still inflated by contention (caches, frequency); rows measured minutes',
  '  apart are not strictly comparable. Compare rows of one algorithm and mode.',
].join('\n');

const start = await coldStart(fixtures);
// Memory in a fresh process with --expose-gc (bench/memory.mjs); --quick runs a tenth.
const memory = execFileSync(process.execPath, ['--expose-gc', new URL('./memory.mjs', import.meta.url).pathname, ...(quick ? ['10000', '300'] : [])], { encoding: 'utf8' });
// The same measurement on the code before issue 12, recorded once (its header says how).
const memoryBefore = readFileSync(new URL('./memory-before.md', import.meta.url), 'utf8');

const report = [
  '# Benchmark results',
  '',
  `Generated by \`make bench\` on ${started.toISOString()}.`,
  '',
  `Machine: ${machine()}. The machine is shared (other builds may run at the same time), so`,
  'absolute figures are noisy; compare ratios to jose, which are measured in the same run.',
  '',
  `Method: each figure is the median of ${quick ? 3 : 11} samples of ≥ ${quick ? 10 : 25} ms each, per verification.`,
  'In Node the ratio is on CPU time (process.cpuUsage: this process only, every thread, so WebCrypto work',
  'on the libuv pool counts), which other processes on the shared machine do not inflate; wall time is beside it.',
  `cold = a distinct token per verification (${quick ? 50 : COLD_TOKENS} tokens cycled; more than the 1,000-entry`,
  'verified-token cache, so every jwtguard verification is a miss); warm = the same token again.',
  'Every library gets the same JWKS, the same tokens and an issuer and audience check.',
  '`node:crypto (signature only)` is the native floor: the signature check alone, no JWT parsing or claims.',
  '',
  targets(),
  '',
  LIMITS,
  '',
  ...sections.flatMap((s) => [s, '']),
  size.text,
  '',
  start,
  '',
  memory,
  memoryBefore,
].join('\n');
writeFileSync(new URL('./RESULTS.md', import.meta.url), report);
process.stdout.write(report);
