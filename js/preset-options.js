/**
 * Reading the options of the presets (`entraId`, `cognito`): one error
 * shape and one reading of string lists, so both presets refuse alike.
 */

import { JwtGuardError } from './errors.js';
import { KEY_SOURCE_OPTIONS } from './keys/cache.js';

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

/**
 * The key-source options among a preset's `options` (they go to its
 * `discover`), after refusing any name that is neither one of those nor one
 * of the preset's own `allowed` options.
 * @param {unknown} options
 * @param {readonly string[]} allowed
 * @param {string} preset the preset's name, for messages
 */
export function keySourceOptions(options, allowed, preset) {
  if (!options || typeof options !== 'object') throw invalid('options', 'must be an object');
  const keyOptions = {};
  for (const [name, value] of Object.entries(options)) {
    if (KEY_SOURCE_OPTIONS.includes(name)) keyOptions[name] = value;
    else if (!allowed.includes(name)) throw invalid(JSON.stringify(name), `is not ${preset} option`);
  }
  return keyOptions;
}
