// The Markdown table of bench/memory.mjs's rows (its own output and
// bench/run.mjs's report share it).
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** `{ label, rows: [{ what, wasm, heap }] }` as a Markdown section. */
export function memoryTable({ label, rows }) {
  return [
    `### Memory (Node, ${label}; after a full GC)`,
    '',
    '| after | wasm linear memory | JS heap used |',
    '|---|--:|--:|',
    ...rows.map((r) => `| ${r.what} | ${mb(r.wasm)} | ${mb(r.heap)} |`),
    '',
  ].join('\n');
}
