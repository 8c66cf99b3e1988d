/** Times for the command line: UTC, with the same relative phrase the page shows. */

import { relative } from '../display/time.js';

/** "2026-11-23T01:02:03Z (in 41 min)" for Unix seconds `at`, relative to `now`. */
export function formatTime(at, now) {
  const date = new Date(at * 1000);
  const iso = Number.isNaN(date.getTime()) ? 'not a date' : date.toISOString().replace('.000Z', 'Z');
  return `${iso} (${relative(Math.floor(at), now)})`;
}
