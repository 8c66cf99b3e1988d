/** `jwtguard inspect`: decode a token for reading, clearly unverified. */

import { inspectToken } from '../node.js';
import { formatTime } from './format.js';

/** Claims holding NumericDate seconds. */
const TIME_CLAIMS = ['exp', 'nbf', 'iat', 'auth_time'];

/**
 * @param {string} token
 * @param {{ json: boolean, now: number }} options
 * @returns {string} what to print
 */
export function inspectCommand(token, { json, now }) {
  const inspected = inspectToken(token);
  if (json) return JSON.stringify(inspected, null, 2);
  const lines = ['UNVERIFIED: decoded only; nothing here has been checked.', '', 'header:'];
  for (const [name, value] of Object.entries(inspected.header)) lines.push(`  ${name.padEnd(10)} ${JSON.stringify(value)}`);
  lines.push('', 'claims:');
  for (const [name, value] of Object.entries(inspected.claims)) {
    const time = TIME_CLAIMS.includes(name) && typeof value === 'number' ? `  ${formatTime(value, now)}` : '';
    lines.push(`  ${name.padEnd(10)} ${JSON.stringify(value)}${time}`);
  }
  lines.push('', `signature: ${inspected.signatureLen} bytes`);
  return lines.join('\n');
}
