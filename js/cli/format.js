/** Human-readable times for the command line. */

/** "2026-11-23T01:02:03Z (in 41 min)" for Unix seconds `at`, relative to `now`. */
export function formatTime(at, now) {
  const date = new Date(at * 1000);
  const iso = Number.isNaN(date.getTime()) ? 'not a date' : date.toISOString().replace('.000Z', 'Z');
  return `${iso} (${relative(at - now)})`;
}

function relative(seconds) {
  const span = Math.abs(seconds);
  const amount = span < 90 ? `${Math.round(span)} s`
    : span < 90 * 60 ? `${Math.round(span / 60)} min`
      : span < 48 * 3600 ? `${Math.round(span / 3600)} h`
        : `${Math.round(span / 86400)} days`;
  if (span < 1) return 'now';
  return seconds >= 0 ? `in ${amount}` : `${amount} ago`;
}
