// `make bench`: runs every case, prints one table per runtime with medians and
// the ratio to jose measured in the same run, and writes bench/RESULTS.md.
// Benchmarks are measurements, never tests: nothing here fails on a number.
//   node bench/run.mjs [--quick] [--only=node,workerd,chromium]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { COLD_TOKENS, makeFixtures } from './fixtures.mjs';
import { measureCases } from './measure.mjs';
import { NODE_CLOCKS, nodeLibraries } from './node.mjs';
import { ROW } from './libraries.mjs';
import { coldStart, sizes } from './size.mjs';
import { writeCharts } from './charts.mjs';
import { comparisonTable } from './published.mjs';
import { judge, targetsTable } from './targets.mjs';
import { memoryTable } from './memory-table.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',') ?? ['node', 'workerd', 'chromium'];

const machine = () =>
  `${cpus().length} × ${cpus()[0]?.model ?? 'unknown cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
  `Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;

const fmt = (us) => (us === null ? '—' : us < 10 ? us.toFixed(2) : us < 100 ? us.toFixed(1) : us.toFixed(0));
const ratio = (us, ref) => (us === null || !ref ? '—' : `${(us / ref).toFixed(2)}×`);

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
/** runtime name → its full name (version), for the charts. */
const runtimeTitles = new Map();

if (only.includes('node')) {
  process.stderr.write('node ');
  const options = { ...NODE_CLOCKS, ...(quick ? { samples: 3, sampleMs: 10 } : {}) };
  const rows = await measureCases(nodeLibraries(), fixtures, options, () => process.stderr.write('.'));
  process.stderr.write('\n');
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
    runtimeTitles.set(runtime, result.runtime);
    sections.push(table(result.runtime, result.rows));
  } catch (error) {
    sections.push(`### ${runtime}\n\nnot measured: ${error.message}`);
  }
}

const size = await sizes();

const start = await coldStart(fixtures);
// Memory in a fresh process with --expose-gc (bench/memory.mjs); --quick runs a tenth.
const memory = JSON.parse(execFileSync(process.execPath, ['--expose-gc', new URL('./memory.mjs', import.meta.url).pathname, '--json', ...(quick ? ['10000', '300'] : [])], { encoding: 'utf8' }));
// The same measurement on the code before issue 12, recorded once (its header says how).
const memoryBefore = readFileSync(new URL('./memory-before.md', import.meta.url), 'utf8');

const titles = new Map([['Node', `Node ${process.version}`]]);
for (const [runtime, title] of runtimeTitles) titles.set(runtime, title);
const charts = writeCharts(measured, titles);
const targets = judge({ measured, wasmGzip: size.wasmGzip, memory });
/** The profile split before and after issue 27's core rewrite (bench/profile.mjs --record writes them). */
const profiles = ['before', 'after'].map((when) => {
  const file = new URL(`./profile-${when}.md`, import.meta.url);
  return existsSync(file) ? readFileSync(file, 'utf8') : `### Where the time goes (${when})\n\nNot recorded: \`make profile PROFILE_RECORD=${when}\`.\n`;
});
const minutes = ((Date.now() - started.getTime()) / 60_000).toFixed(1);

const report = [
  '# Benchmark results',
  '',
  `Generated by \`make bench\` on ${started.toISOString()} in ${minutes} minutes (from the fixtures to this page; the build before it not counted).`,
  '',
  `Machine: ${machine()} (at the end of the run). The machine is shared (other builds may run at the same time), so`,
  'absolute figures are noisy; compare ratios, which are measured in the same run.',
  '',
  `Method: each figure is the median of ${quick ? 3 : 11} samples of ≥ ${quick ? 10 : 25} ms each, per verification.`,
  'The libraries of one algorithm and mode take their samples in turn (one sample of each, then the next of each),',
  'so a change in the machine\'s load reaches them alike and their ratios do not drift with it.',
  'In Node the figures are CPU time (process.cpuUsage: this process only, every thread, so WebCrypto work',
  'on the libuv pool counts), which other processes on the shared machine do not inflate; wall time is beside it.',
  `cold = a distinct token per verification (${quick ? 50 : COLD_TOKENS} tokens cycled; more than the 1,000-entry`,
  'verified-token cache, so every jwtguard verification is a miss); warm = the same token again.',
  'Every library gets the same JWKS, the same tokens and an issuer and audience check.',
  'Rows named `jwtguard default` are what `createVerifier(...)` does on that host with no backend option:',
  'in Node the node:crypto backend (`verifySync` and `verify()` alike); in workerd and Chromium `verify()`,',
  'the signature checked by WebCrypto. `verifySync()` there has no synchronous native crypto and checks',
  'every signature in the wasm core: its rows say `pure wasm`.',
  '`node:crypto (signature only)` is the native floor: the signature check alone, no JWT parsing or claims.',
  `\`${ROW.resultParse}\` is the floor under the core-work row: each token's result text made beforehand, then only \`JSON.parse\` and the deep freeze a verification ends with; it checks nothing.`,
  '',
  targetsTable(targets),
  '',
  ...profiles,
  '',
  comparisonTable(measured.get('Node')),
  '',
  '### Charts',
  '',
  ...charts.map(([host, file]) => `![${titles.get(host)}: µs per cold verification](../docs/${file})`),
  '',
  ...sections.flatMap((s) => [s, '']),
  size.text,
  '',
  start,
  '',
  memoryTable(memory),
  memoryBefore,
].join('\n');
writeFileSync(new URL('./RESULTS.md', import.meta.url), report);
process.stdout.write(report);
