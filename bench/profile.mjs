// `make profile`: where the time of one verification goes on every host,
// split between the core (wasm functions), the boundary (wasm-bindgen's
// glue), jwtguard's JS and the rest; natively, the core's own functions.
//   - native: `perf record` on examples/core_work.rs (the core's split path);
//   - Node: `node --cpu-prof` on bench/profile-node.mjs;
//   - workerd: miniflare's inspector, the Profiler domain over CDP (ws);
//   - Chromium: the Profiler domain through playwright-core's CDP session.
// Cases: the core work without the signature and the host's default path,
// RS256, a distinct token each time (cache off); in Node also the core work
// and node:crypto run together (bench/interference.mjs) and the result's
// freeze forms (bench/freeze-forms.mjs). Prints the split per host;
// `--record before|after` also writes bench/profile-<when>.md, which
// `make bench` puts in bench/RESULTS.md. A measurement, never a test.
//   node bench/profile.mjs [--record before|after] [--only=native,node,workerd,chromium] [--seconds=3]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIENCE, ISSUER, makeFixtures } from './fixtures.mjs';
import { ROW } from './libraries.mjs';
import { WARM_UP_MS } from './measure.mjs';
import { connectInspector } from '../tests/worker/inspector.mjs';
import { moduleMap, split, splitTable } from './profile-split.mjs';
import { interference } from './interference.mjs';
import { freezeForms } from './freeze-forms.mjs';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const record = args.includes('--record') ? args[args.indexOf('--record') + 1] : null;
if (record !== null && !['before', 'after'].includes(record)) throw new Error('--record takes before or after');
const only = option('only')?.split(',') ?? ['native', 'node', 'workerd', 'chromium'];
/** Seconds of profiled verifications per case: long enough for thousands of samples. */
const SECONDS = Number(option('seconds') ?? 3);
/** Profiler sampling interval in µs (V8's default is 1,000: too coarse for 20 µs verifications). */
const SAMPLING_US = 100;
const ALG = 'RS256';
/** Verifications per request (workerd) or page call (Chromium): long enough that the calls' own cost is small. */
const BATCH = 200;

const dir = mkdtempSync(join(tmpdir(), 'jwtguard-profile-'));
const fixturesFile = join(dir, 'fixtures.json');

/** Native: perf on the core's split path; the top symbols and their crates. */
function native(fixtures) {
  const input = join(dir, 'native.json');
  writeFileSync(input, JSON.stringify({ issuer: ISSUER, audience: AUDIENCE, jwks: fixtures.jwks, tokens: fixtures.tokens[ALG] }));
  execFileSync('cargo', ['build', '--quiet', '--release', '--example', 'core_work'], { cwd: root, stdio: 'inherit' });
  const data = join(dir, 'perf.data');
  const binary = join(root, 'target/release/examples/core_work');
  const printed = execFileSync('perf', ['record', '-q', '-e', 'cpu-clock', '-F', '10000', '-o', data, '--', binary, input, String(SECONDS)], { encoding: 'utf8' });
  const report = execFileSync('perf', ['report', '-i', data, '--stdio', '--no-children', '--sort', 'sym', '-q'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const symbols = [];
  for (const line of report.split('\n')) {
    const match = /^\s*([\d.]+)%\s+\[[.k]\]\s+(.+?)\s*$/.exec(line);
    if (match) symbols.push([Number(match[1]), match[2]]);
  }
  // A symbol's crate: the first path segment of its demangled name (inside `<...as ...>` the type's).
  const crateOf = (name) => /^(?:<|_<)?&?(?:mut )?([a-z_][a-z0-9_]*)::/.exec(name)?.[1] ?? (/^(malloc|free|realloc|cfree|_int_\w+|__memcpy\w*|__memmove\w*|__memset\w*|__memcmp\w*|memcpy|memmove)$/.test(name) ? 'libc (allocation, memcpy)' : 'other');
  const crates = new Map();
  for (const [share, name] of symbols) crates.set(crateOf(name), (crates.get(crateOf(name)) ?? 0) + share);
  return [
    `#### native (x86-64, \`perf record -e cpu-clock\` on examples/core_work.rs: \`prepare\` + \`finish_prepared\`, no signature)`,
    '',
    `${printed.trim()}.`,
    '',
    '| crate | share |',
    '|---|--:|',
    ...[...crates].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([crate, share]) => `| ${crate} | ${share.toFixed(1)}% |`),
    '',
    '| top functions (self time) | share |',
    '|---|--:|',
    ...symbols.slice(0, 10).map(([share, name]) => `| \`${name.slice(0, 120).replace(/\|/g, '\\|')}\` | ${share.toFixed(1)}% |`),
    '',
  ].join('\n');
}

/** Node: --cpu-prof on one case in a child process. */
function node(row) {
  const profDir = mkdtempSync(join(dir, 'node-'));
  const out = execFileSync(process.execPath, [
    '--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-interval=${SAMPLING_US}`,
    join(root, 'bench/profile-node.mjs'), fixturesFile, row, ALG, String(SECONDS),
  ], { encoding: 'utf8' });
  const { verifications, from, to } = JSON.parse(out);
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8'));
  return { result: split(profile, moduleMap('', null), { from, to }), verifications };
}

/**
 * Profiles `batch()` (which runs BATCH verifications) through `send`
 * (a CDP command): warm-up, then SECONDS of batches between Profiler.start
 * and Profiler.stop.
 */
async function profileBatches(send, batch) {
  const warmUntil = performance.now() + WARM_UP_MS;
  while (performance.now() < warmUntil) await batch();
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: SAMPLING_US });
  await send('Profiler.start');
  let verifications = 0;
  const until = performance.now() + SECONDS * 1000;
  while (performance.now() < until) {
    await batch();
    verifications += BATCH;
  }
  const { profile } = await send('Profiler.stop');
  await send('Profiler.disable');
  return { profile, verifications };
}

/** workerd: each case through miniflare's inspector. */
async function workerd(fixtures, rows) {
  const { startWorker } = await import('./workerd.mjs');
  const { mf, call, scriptPath } = await startWorker(fixtures, { inspectorPort: 0 });
  try {
    const client = await connectInspector(mf);
    try {
      const moduleOf = moduleMap('worker.mjs', readFileSync(scriptPath, 'utf8'));
      const results = [];
      for (const row of rows) {
        const { profile, verifications } = await profileBatches(client.send, () => call({ alg: ALG, mode: 'cold', lib: row, n: BATCH }));
        results.push({ result: split(profile, moduleOf), verifications });
      }
      return results;
    } finally {
      client.close();
    }
  } finally {
    await mf.dispose();
  }
}

/** Chromium: each case through playwright-core's CDP session. */
async function chromium(fixtures, rows) {
  const { openPage } = await import('./chromium.mjs');
  const { page, script, close } = await openPage();
  try {
    await page.evaluate((f) => globalThis.loadFixtures(f), fixtures);
    const session = await page.context().newCDPSession(page);
    const moduleOf = moduleMap('/bench/bundle.js', script);
    const results = [];
    for (const row of rows) {
      const { profile, verifications } = await profileBatches((method, params) => session.send(method, params),
        () => page.evaluate(([name, alg, n]) => globalThis.runCase(name, alg, n), [row, ALG, BATCH]));
      results.push({ result: split(profile, moduleOf), verifications });
    }
    return results;
  } finally {
    await close();
  }
}

const CASES = {
  node: [ROW.coreWork, ROW.nodeDefaultNoCache],
  web: [ROW.coreWork, ROW.webDefaultNoCache],
};

try {
  process.stderr.write('signing the fixtures with jose...\n');
  const fixtures = await makeFixtures();
  writeFileSync(fixturesFile, JSON.stringify(fixtures));
  const sections = [];
  const tables = (host, rows, results) => rows.map((row, i) => splitTable(`${host}, ${ALG}: ${row}`, results[i].result, results[i].verifications));
  if (only.includes('native')) sections.push(native(fixtures));
  if (only.includes('node')) {
    sections.push(...tables(`Node ${process.version} (--cpu-prof)`, CASES.node, CASES.node.map(node)));
    sections.push(await interference(fixtures, ALG));
    sections.push(await freezeForms(fixtures, ALG));
  }
  for (const [host, run] of [['workerd', workerd], ['chromium', chromium]]) {
    if (!only.includes(host)) continue;
    try {
      sections.push(...tables(`${host} (inspector)`, CASES.web, await run(fixtures, CASES.web)));
    } catch (error) {
      sections.push(`#### ${host}\n\nnot profiled: ${error.message}\n`);
    }
  }
  const when = record ?? 'this run';
  const text = [
    `### Where the time goes (${when}; \`make profile\`)`,
    '',
    `Recorded on ${new Date().toISOString()}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${SECONDS} s of`,
    `verifications per case, sampled every ${SAMPLING_US} µs. Self time; a built-in without a source (JSON.parse,`,
    'TextEncoder, Object.freeze) counts in the part that called it. µs per verification include the profiler\'s overhead.',
    '',
    ...sections,
  ].join('\n');
  process.stdout.write(`${text}\n`);
  if (record) writeFileSync(new URL(`./profile-${record}.md`, import.meta.url), text);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
