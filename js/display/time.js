/** Times for people: local date and time, and a relative phrase ("in 41 min"). */

import { MAX_NUMERIC_DATE } from '../../pkg/facts.js';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A Julian year: the unit of long spans ("25 years"), exact enough for a phrase. */
const YEAR = 365.25 * DAY;

/** A duration in seconds (non-negative) as "12 s", "41 min", "3 h 5 min", "4 days" or "25 years". */
export function duration(seconds) {
  if (seconds < MINUTE) return `${seconds} s`;
  if (seconds < HOUR) return `${Math.floor(seconds / MINUTE)} min`;
  if (seconds < 2 * DAY) {
    const hours = Math.floor(seconds / HOUR);
    const minutes = Math.floor((seconds % HOUR) / MINUTE);
    return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
  }
  if (seconds < 2 * YEAR) return `${Math.floor(seconds / DAY)} days`;
  return `${Math.floor(seconds / YEAR)} years`;
}

/** "in 41 min" or "41 min ago" for `at` (Unix seconds) seen from `now`. */
export function relative(at, now) {
  return at >= now ? `in ${duration(at - now)}` : `${duration(now - at)} ago`;
}

/** The local date and time of `at` (Unix seconds), in the reader's locale. */
export function localTime(at) {
  return new Date(at * 1000).toLocaleString();
}

/** Whether `value` is a NumericDate a person would want to read as a time. */
export function isNumericDate(value) {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_NUMERIC_DATE;
}

/** A phrase for a time claim: "expires in 41 min", "issued 3 min ago", … */
export function timePhrase(name, at, now) {
  const past = at < now;
  const span = duration(Math.abs(Math.floor(at) - now));
  switch (name) {
    case 'exp':
      return past ? `expired ${span} ago` : `expires in ${span}`;
    case 'nbf':
      return past ? `valid since ${span} ago` : `not valid for another ${span}`;
    case 'iat':
      return past ? `issued ${span} ago` : `issued ${span} in the future`;
    default:
      return relative(Math.floor(at), now);
  }
}
