/** Command-line input: usage errors, files, and the token argument or stdin. */

import { readFile } from 'node:fs/promises';

/** Largest file or stdin the command line reads (tokens, JWKS, PEM, policy). */
const MAX_INPUT_BYTES = 1024 * 1024;

/** Wrong or missing arguments: exit code 2. */
export class UsageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Reads a text file named by a flag, with a clear error. */
export async function readText(path, flag) {
  let text;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${JSON.stringify(path)} (${error.code ?? error.message})`);
  }
  if (text.length > MAX_INPUT_BYTES) throw new UsageError(`${flag}: ${path} is larger than ${MAX_INPUT_BYTES} bytes`);
  return text;
}

/** Reads and parses a JSON file named by a flag. */
export async function readJson(path, flag) {
  const text = await readText(path, flag);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag}: ${path} is not valid JSON (${error.message})`);
  }
}

async function readStdin(stdin) {
  const chunks = [];
  let size = 0;
  for await (const chunk of stdin) {
    size += chunk.length;
    if (size > MAX_INPUT_BYTES) throw new UsageError(`standard input is larger than ${MAX_INPUT_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The token: the positional argument, or standard input for `-` or none
 * (none on a terminal is a usage error).
 * Surrounding white space and one `Bearer ` prefix (as copied from a request) are removed.
 */
export async function readToken(positional, stdin) {
  if (positional.length > 1) throw new UsageError('give one token');
  // With no argument on a terminal, reading would wait silently for input.
  if (positional.length === 0 && stdin.isTTY) throw new UsageError('no token given (pass it as an argument, or pipe it to standard input)');
  const raw = positional.length === 0 || positional[0] === '-' ? await readStdin(stdin) : positional[0];
  const token = raw.trim().replace(/^Bearer\s+/i, '');
  if (token === '') throw new UsageError('no token given (pass it as an argument or on standard input)');
  return token;
}

/**
 * Reads a JWKS file named by a flag: JSON holding an object with a "keys"
 * array, or a usage error naming the file and what is wrong. The keys
 * themselves are the library's to judge.
 */
export async function readJwks(path, flag) {
  const jwks = await readJson(path, flag);
  if (typeof jwks !== 'object' || jwks === null || !Array.isArray(jwks.keys)) {
    throw new UsageError(`${flag}: ${path} is not a JWKS (expected a JSON object with a "keys" array)`);
  }
  return jwks;
}
