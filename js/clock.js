/**
 * The `now` option of createVerifier and of the key sources: a function
 * returning Unix seconds. Every reading is checked, so a broken clock
 * refuses the call instead of reading as 1970 (a `null` or `false` would
 * otherwise become 0 on its way into the core, and expired tokens would pass).
 */

import { MAX_NUMERIC_DATE } from '../pkg/facts.js';
import { JwtGuardError } from './errors.js';

/** What a value is, for a message: numbers as written, anything else by its kind. */
export function kindOf(value) {
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a string' : typeof value;
}

/**
 * `now` wrapped so that each reading is a finite number of seconds within
 * the NumericDate range (0 to 9999-12-31), or ERR_POLICY_INVALID naming the
 * option. Fractions are fine: the core rounds down.
 * @param {unknown} now
 * @param {string} [name] the option's name, for messages
 * @returns {() => number}
 */
export function checkedClock(now, name = 'now') {
  const invalid = (detail, cause) => new JwtGuardError('ERR_POLICY_INVALID', detail, { claim: name, cause });
  if (typeof now !== 'function') throw invalid(`${name} must be a function returning unix seconds`);
  return () => {
    let seconds;
    try {
      seconds = now();
    } catch (error) {
      throw invalid(`${name}() threw`, error);
    }
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_NUMERIC_DATE) {
      throw invalid(`${name}() returned ${kindOf(seconds)}; it must return unix seconds, a finite number from 0 to ${MAX_NUMERIC_DATE}`);
    }
    return seconds;
  };
}
