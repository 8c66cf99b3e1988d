/**
 * The token's lifetime as a picture, computed without the DOM: where `iat`,
 * `nbf`, `exp` and `auth_time` fall on an axis, "now" with the clock
 * tolerance either side of it, the `maxTokenAge` window, and the state the
 * time checks give at "now". timeline-figure.js draws it.
 *
 * The state restates the core's time checks (check_time_values in
 * src/claims.rs) for a picture of a token that has not been verified:
 * expired when now ≥ exp + tolerance, not yet valid when nbf or iat is later
 * than now + tolerance, too old when now − iat > maxTokenAge + tolerance.
 * tests/js/www-timeline.test.mjs holds it to the real verifier.
 */

import { duration, isNumericDate, localTime, relative, timePhrase } from '@jwtguard/jwtguard/display';

/** The time claims drawn, in the core's order of checks; `auth_time` is shown, not checked. */
const TIME_NAMES = Object.freeze(['exp', 'nbf', 'iat', 'auth_time']);

/** @typedef {{ exp?: number, nbf?: number, iat?: number, auth_time?: number }} Times */

/** The shortest span drawn (seconds), so that marks a few seconds apart still have room. */
const MIN_SPAN = 60;

/** Labels closer than this (a fraction of the axis) go on the next row down, so none overlap. */
export const LABEL_GAP = 0.12;

/** What each state is called, first in the text equivalent. */
const STATE_TITLES = Object.freeze({
  valid: 'Valid now',
  expired: 'Expired',
  'not-yet-valid': 'Not yet valid',
  'too-old': 'Too old',
  'no-expiry': 'No expiry',
  'no-iat': 'No issue time',
});

/**
 * The state of the time checks at `now`, in the core's order.
 * @param {Times} times
 */
function stateAt({ exp, nbf, iat }, now, tolerance, maxTokenAge, requireExp) {
  if (exp === undefined && requireExp) return 'no-expiry';
  if (exp !== undefined && now >= exp + tolerance) return 'expired';
  if ((nbf !== undefined && nbf > now + tolerance) || (iat !== undefined && iat > now + tolerance)) return 'not-yet-valid';
  if (maxTokenAge !== undefined && iat === undefined) return 'no-iat';
  if (maxTokenAge !== undefined && now - iat > maxTokenAge + tolerance) return 'too-old';
  return 'valid';
}

/**
 * One sentence saying why the state is what it is.
 * @param {string} state
 * @param {Times} times
 */
function stateSentence(state, { exp, nbf, iat }, now, tolerance, maxTokenAge) {
  const withTolerance = `the clock tolerance is ${tolerance} s`;
  switch (state) {
    case 'expired':
      return `Expired: it ${timePhrase('exp', exp, now)}, and ${withTolerance}.`;
    case 'not-yet-valid':
      return nbf !== undefined && nbf > now + tolerance
        ? `Not yet valid: it is ${timePhrase('nbf', nbf, now)}, and ${withTolerance}.`
        : `Not yet valid: it was ${timePhrase('iat', iat, now)}, and ${withTolerance}.`;
    case 'too-old':
      return `Too old: ${timePhrase('iat', iat, now)}, and the policy's maxTokenAge is ${duration(maxTokenAge)} (${withTolerance}).`;
    case 'no-expiry':
      return 'No expiry: the token has no exp, which the verifier refuses unless the policy sets requireExp to false.';
    case 'no-iat':
      return 'No issue time: the policy sets maxTokenAge, which needs the token\'s iat.';
    default:
      return `Valid now: within its lifetime, and ${withTolerance}.`;
  }
}

/** Gives each mark a label row: the first row whose last label is at least LABEL_GAP away. */
function labelRows(marks) {
  const lastX = [];
  return marks.map((mark) => {
    let row = lastX.findIndex((x) => mark.x - x >= LABEL_GAP);
    if (row === -1) row = lastX.length;
    lastX[row] = mark.x;
    return { ...mark, row };
  });
}

/**
 * The timeline of a token's `claims` seen at `now` (Unix seconds) under a
 * policy's `clockTolerance`, `maxTokenAge` and `requireExp`; null when
 * `exp`, `nbf` or `iat` is present but not a NumericDate (the verifier
 * refuses the token, and there is no time to draw). Positions `x` are
 * fractions of the axis, 0 at `from` and 1 at `to`.
 * @param {Record<string, unknown>} claims
 * @param {{ now: number, clockTolerance: number, maxTokenAge?: number, requireExp?: boolean }} options
 */
export function timeline(claims, { now, clockTolerance, maxTokenAge, requireExp = true }) {
  /** @type {Times} */
  const times = {};
  for (const name of TIME_NAMES) {
    const value = claims[name];
    if (value === undefined) continue;
    if (!isNumericDate(value)) {
      if (name === 'auth_time') continue; // shown when it is a time; never checked here
      return null;
    }
    times[name] = /** @type {number} */ (value);
  }
  const ageEnd = maxTokenAge !== undefined && times.iat !== undefined ? times.iat + maxTokenAge : undefined;
  const points = [...Object.values(times), now - clockTolerance, now + clockTolerance, ...(ageEnd === undefined ? [] : [ageEnd])];
  const from = Math.min(...points);
  const to = Math.max(from + MIN_SPAN, ...points);
  const x = (at) => (at - from) / (to - from);
  const span = (kind, start, end) => ({ kind, from: start, to: end, x1: x(start), x2: x(end) });

  // Marks at the same second share one label ("iat, nbf"), in time order.
  const byTime = new Map();
  for (const name of TIME_NAMES) {
    if (times[name] === undefined) continue;
    byTime.set(times[name], [...(byTime.get(times[name]) ?? []), name]);
  }
  const marks = labelRows([...byTime.entries()].sort(([a], [b]) => a - b).map(([at, names]) => ({ names, at, x: x(at) })));

  const starts = [times.nbf, times.iat].filter((at) => at !== undefined);
  const spans = [
    span('lifetime', starts.length > 0 ? Math.max(...starts) : from, times.exp ?? to),
    ...(ageEnd === undefined ? [] : [span('max-age', times.iat, ageEnd)]),
    span('tolerance', now - clockTolerance, now + clockTolerance),
  ];

  const state = stateAt(times, now, clockTolerance, maxTokenAge, requireExp);
  const lines = [
    ...marks.flatMap(({ names, at }) => names.map((name) => `${name} ${at} (${localTime(at)}): ${name === 'auth_time' ? `signed in ${relative(at, now)}` : timePhrase(name, at, now)}.`)),
    ...(ageEnd === undefined ? [] : [`maxTokenAge ${maxTokenAge} s: too old ${relative(ageEnd + clockTolerance, now)}, with the clock tolerance.`]),
  ];
  return {
    state,
    title: STATE_TITLES[state],
    summary: stateSentence(state, times, now, clockTolerance, maxTokenAge),
    lines,
    from,
    to,
    now: { at: now, x: x(now) },
    marks,
    spans,
  };
}
