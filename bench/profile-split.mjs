// Where a CPU profile's time goes: the core (wasm functions), the boundary
// (wasm-bindgen's glue, pkg/jwtguard.js), jwtguard's JS (js/), garbage
// collection, and the rest (the harness, the runtime). A V8 profile (Node's
// --cpu-prof, or the inspector's Profiler domain in workerd and Chromium) is
// one format: nodes with call frames, samples and the time before each.

/** The parts, in table order. */
export const PARTS = ['core (wasm)', 'boundary (wasm-bindgen glue)', 'jwtguard JS', 'signature (native crypto)', 'garbage collection', 'rest (harness, runtime)'];

/**
 * `(url, line) → module path`: for a bundle, from esbuild's `// path`
 * comments that open each module's code (line numbers 0-based, as in a
 * profile); elsewhere the URL's path.
 */
export function moduleMap(bundleUrlEnd, bundleText) {
  const starts = [];
  if (bundleText) {
    bundleText.split('\n').forEach((line, index) => {
      const match = /^\/\/ ((?:\.\.\/)*[\w@./-]+\.(?:m?js|cjs))$/.exec(line);
      if (match) starts.push([index, match[1].replace(/^(\.\.\/)+/, '')]);
    });
  }
  return (url, line) => {
    if (bundleText && url.endsWith(bundleUrlEnd)) {
      let module = '';
      for (const [start, path] of starts) {
        if (start > line) break;
        module = path;
      }
      return module;
    }
    return url.replace(/^file:\/\//, '');
  };
}

const isWasm = (frame) => frame.url.startsWith('wasm://') || /^\$?(wasm-function\[|func\d)|\.wasm/.test(frame.functionName);

function partOf(frame, moduleOf) {
  if (frame.functionName === '(garbage collector)') return PARTS[4];
  if (isWasm(frame)) return PARTS[0];
  // node:crypto's JS, and WebCrypto's `verify` (a built-in: workerd runs it on the isolate's thread).
  if (frame.url.startsWith('node:internal/crypto/') || (!frame.url && frame.functionName === 'verify')) return PARTS[3];
  // A built-in (JSON.parse, Object.freeze) or Node's own JS (TextEncoder): its caller's part.
  if (!frame.url || frame.url.startsWith('node:')) return null;
  const module = moduleOf(frame.url, frame.lineNumber);
  if (/(^|\/)pkg\/jwtguard\.js$/.test(module)) return PARTS[1];
  if (/(^|\/)js\/[\w/-]+\.js$/.test(module) && !module.includes('node_modules')) return PARTS[2];
  return PARTS[5];
}

/**
 * Self time per part and the functions that take most, over samples taken
 * between `from` and `to` (the profile's clock, µs; the whole profile when
 * absent). A built-in without a URL counts in its nearest caller's part.
 * Returns `{ total, parts: Map<part, µs>, top: [{ name, part, us }] }`.
 */
export function split(profile, moduleOf, { from = -Infinity, to = Infinity } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const partCache = new Map();
  const resolve = (id) => {
    if (partCache.has(id)) return partCache.get(id);
    const frame = byId.get(id).callFrame;
    let part = ['(program)', '(root)'].includes(frame.functionName) ? PARTS[5] : partOf(frame, moduleOf);
    if (part === null) part = parent.has(id) ? resolve(parent.get(id)) : PARTS[5];
    partCache.set(id, part);
    return part;
  };
  const parts = new Map(PARTS.map((p) => [p, 0]));
  const functions = new Map();
  let time = profile.startTime;
  let total = 0;
  profile.samples.forEach((id, i) => {
    time += profile.timeDeltas[i];
    const delta = profile.timeDeltas[i + 1] ?? 0;
    // Idle is not CPU time: a host waiting (for WebCrypto's thread, the next request).
    if (time < from || time > to || delta <= 0 || byId.get(id).callFrame.functionName === '(idle)') return;
    const part = resolve(id);
    parts.set(part, parts.get(part) + delta);
    total += delta;
    const frame = byId.get(id).callFrame;
    const name = `${frame.functionName || '(anonymous)'}${frame.url && !isWasm(frame) ? ` ${moduleOf(frame.url, frame.lineNumber).split('/').slice(-2).join('/')}` : ''}`;
    const entry = functions.get(name) ?? { name, part, us: 0 };
    entry.us += delta;
    functions.set(name, entry);
  });
  const top = [...functions.values()].sort((a, b) => b.us - a.us).slice(0, 8);
  return { total, parts, top };
}

/**
 * A split as Markdown: each part's share of the sampled time and its µs per
 * verification (`verifications` done in the window), then the top functions.
 */
export function splitTable(title, { total, parts, top }, verifications) {
  const per = (us) => (verifications ? (us / verifications).toFixed(2) : '—');
  const share = (us) => `${((100 * us) / total).toFixed(1)}%`;
  return [
    `#### ${title}`,
    '',
    `${verifications.toLocaleString('en')} verifications, ${(total / 1000).toFixed(0)} ms sampled.`,
    '',
    '| part | share | µs per verification |',
    '|---|--:|--:|',
    ...PARTS.map((p) => `| ${p} | ${share(parts.get(p))} | ${per(parts.get(p))} |`),
    '',
    '| top functions (self time) | part | share |',
    '|---|---|--:|',
    ...top.map((f) => `| \`${f.name.replace(/\|/g, '\\|')}\` | ${f.part} | ${share(f.us)} |`),
    '',
  ].join('\n');
}
