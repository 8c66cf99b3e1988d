/**
 * Reading the options of the presets (`entraId`, `cognito`): one error
 * shape and one reading of string lists, so both presets refuse alike.
 */

import { JwtGuardError } from './errors.js';

/** ERR_POLICY_INVALID naming the option. */
export const invalid = (option, why) =>
  new JwtGuardError('ERR_POLICY_INVALID', `${option} ${why}`, { claim: option });

/** `value` as a non-empty list of non-empty strings (a string is a list of one), or undefined. */
export function list(value, option) {
  if (value === undefined) return undefined;
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items) || items.length === 0 || items.some((item) => typeof item !== 'string' || item === '')) {
    throw invalid(option, 'must be a non-empty string or a non-empty array of them');
  }
  return items;
}

/** `value` as a non-empty array of non-empty strings (any-of lists are arrays), or undefined. */
export function anyOf(value, option) {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw invalid(option, 'must be a non-empty array of strings');
  return list(value, option);
}
