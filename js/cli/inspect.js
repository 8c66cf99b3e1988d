/** `jwtguard inspect`: decode a token for reading, clearly unverified. */

import { inspectToken } from '../node.js';
import { TIME_CLAIMS, explainBinding, explainClaim, explainHeader } from '../display/explain.js';
import { isNumericDate } from '../display/time.js';
import { formatTime } from './format.js';

/**
 * @param {string} token
 * @param {{ json: boolean, now: number }} options
 * @returns {string} what to print
 */
export function inspectCommand(token, { json, now }) {
  const inspected = inspectToken(token);
  if (json) return JSON.stringify(inspected, null, 2);
  const entry = (name, value, explanation, time) => [
    `  ${name.padEnd(10)} ${JSON.stringify(value)}${time ? `  ${time}` : ''}`,
    `  ${''.padEnd(10)} ${explanation}`,
  ];
  const lines = ['UNVERIFIED: decoded only; nothing here has been checked.', '', 'header:'];
  for (const [name, value] of Object.entries(inspected.header)) lines.push(...entry(name, value, explainHeader(name)));
  lines.push('', 'claims:');
  for (const [name, value] of Object.entries(inspected.claims)) {
    const time = TIME_CLAIMS.includes(name) && isNumericDate(value) ? formatTime(value, now) : '';
    lines.push(...entry(name, value, explainClaim(name), time));
  }
  lines.push('', `signature: ${inspected.signatureLen} bytes`);
  const binding = explainBinding(inspected.claims.cnf);
  if (binding !== null) lines.push('', `binding: ${binding}`);
  return lines.join('\n');
}
