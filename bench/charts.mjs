// One SVG bar chart per host from one run's rows (plain JS writing SVG; no
// dependencies): a panel per algorithm, one bar per library for a distinct
// token (cold), each panel scaled to its own longest bar, the value written
// beside each bar. The host's default path is highlighted.
import { writeFileSync } from 'node:fs';
import { ALGORITHMS } from './fixtures.mjs';
import { ROW } from './libraries.mjs';
import { value } from './targets.mjs';

/** Where the charts go: the folder of docs/performance.md, which shows them. */
export const CHART_DIR = new URL('../docs/', import.meta.url);
/** File name of a host's chart in CHART_DIR. */
export const chartFile = (host) => `performance-${host.toLowerCase()}.svg`;

const WIDTH = 760;
const LABEL_WIDTH = 300;
const BAR_HEIGHT = 16;
const GAP = 4;
const PANEL_GAP = 22;
const VALUE_WIDTH = 80;
const HIGHLIGHT = '#d9480f';
const PLAIN = '#868e96';
const DEFAULT_ROWS = new Set([ROW.nodeDefaultNoCache, ROW.webDefaultNoCache]);
/** Cache-on rows: a cold token misses the cache, so they repeat their cache-off row. */
const CACHED_ROWS = new Set([ROW.nodeDefault, ROW.webDefault, ROW.webSyncCached]);
/** Rows left out of the charts: the cache-on ones, and the result-parse floor (no verifier). */
const LEFT_OUT = new Set([...CACHED_ROWS, ROW.resultParse]);

const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const format = (us) => (us < 10 ? us.toFixed(2) : us < 100 ? us.toFixed(1) : us.toFixed(0));

/**
 * The SVG text of one host's chart: `rows` as bench/run.mjs measures them,
 * `title` the host's full name. Rows with no figure (unsupported) are left
 * out; the cache-on rows too (a cold token always misses the cache).
 */
export function chart(title, rows, clock) {
  const names = [...new Set(rows.map((r) => r.name))].filter((n) => !LEFT_OUT.has(n));
  const parts = [];
  let y = 58;
  for (const alg of ALGORITHMS) {
    const bars = names.map((name) => [name, value(rows, alg, 'cold', name)]).filter(([, us]) => us !== null);
    if (bars.length === 0) continue;
    const max = Math.max(...bars.map(([, us]) => us));
    parts.push(`<text x="8" y="${y}" class="alg">${alg}</text>`);
    y += 8;
    for (const [name, us] of bars) {
      const own = DEFAULT_ROWS.has(name);
      const length = Math.max(1, ((WIDTH - LABEL_WIDTH - VALUE_WIDTH) * us) / max);
      parts.push(
        `<text x="${LABEL_WIDTH - 6}" y="${y + BAR_HEIGHT - 4}" text-anchor="end"${own ? ' class="own"' : ''}>${escape(name)}</text>`,
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${length.toFixed(1)}" height="${BAR_HEIGHT}" fill="${own ? HIGHLIGHT : PLAIN}"><title>${escape(`${name}, ${alg}: ${format(us)} µs`)}</title></rect>`,
        `<text x="${(LABEL_WIDTH + length + 4).toFixed(1)}" y="${y + BAR_HEIGHT - 4}"${own ? ' class="own"' : ''}>${format(us)} µs</text>`,
      );
      y += BAR_HEIGHT + GAP;
    }
    y += PANEL_GAP;
  }
  const height = y + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escape(title)}">`,
    '<style>text { font: 12px sans-serif; fill: #212529; } .title { font-size: 15px; font-weight: bold; } .alg { font-size: 13px; font-weight: bold; } .own { font-weight: bold; fill: #d9480f; }</style>',
    '<rect width="100%" height="100%" fill="#ffffff"/>',
    `<text x="8" y="20" class="title">${escape(title)}</text>`,
    `<text x="8" y="38">Median ${clock} µs per verification of a distinct token (cold, cache off); shorter is faster. Each algorithm has its own scale.</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

/** Writes one chart per measured host; returns `[host, file name]` pairs. */
export function writeCharts(measured, titles) {
  const written = [];
  for (const [host, rows] of measured) {
    const file = chartFile(host);
    writeFileSync(new URL(file, CHART_DIR), chart(titles.get(host), rows, host === 'Node' ? 'CPU' : 'wall'));
    written.push([host, file]);
  }
  return written;
}
