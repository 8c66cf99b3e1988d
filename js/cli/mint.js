/**
 * `jwtguard mint`: a test token from a local stand-in for Entra ID or any
 * issuer (createTestIssuer), with its key set written to a file or served on
 * 127.0.0.1. It signs whatever it is asked to, so it runs only when told it
 * is a test (`--test`) or serves on a loopback URL.
 */

import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createTestIssuer } from '../testing.js';
import { UsageError, readJson } from './io.js';

/** The only host `--serve` takes: the stand-in listens on IPv4 loopback alone. */
const LOOPBACK = '127.0.0.1';

/** `mint`'s flags (besides --json and --help). */
export const MINT_FLAGS = {
  test: { type: 'boolean' },
  serve: { type: 'string' },
  'entra-tenant': { type: 'string' },
  'client-id': { type: 'string' },
  'token-version': { type: 'string' },
  issuer: { type: 'string' },
  audience: { type: 'string' },
  claim: { type: 'string', multiple: true },
  key: { type: 'string' },
  'jwks-out': { type: 'string' },
};

/** The port of a `--serve` URL, or a usage error when it is not `http://127.0.0.1:<port>`. */
function servePort(serve) {
  const url = URL.canParse(serve) ? new URL(serve) : null;
  if (!url || url.protocol !== 'http:' || url.hostname !== LOOPBACK || url.port === '' || (url.pathname !== '/' && url.pathname !== '')) {
    throw new UsageError(`--serve takes a loopback URL, http://${LOOPBACK}:<port>: the stand-in is never served beyond this machine`);
  }
  return Number(url.port);
}

/** `--claim name=value` as claims: the value as JSON when it is JSON (`roles=["A"]`, `exp=0`), else as a string. */
function claimsOf(flags = []) {
  return Object.fromEntries(flags.map((flag) => {
    const at = flag.indexOf('=');
    if (at < 1) throw new UsageError(`--claim ${JSON.stringify(flag)}: write name=value`);
    const text = flag.slice(at + 1);
    let value = text;
    try {
      value = JSON.parse(text);
    } catch {
      // Not JSON: the text itself.
    }
    return [flag.slice(0, at), value];
  }));
}

/**
 * The stand-in's options from the flags: Entra (`--entra-tenant`) or any issuer (`--issuer`, `--audience`).
 * @returns {import('../testing.d.ts').TestIssuerOptions}
 */
function issuerOptions(flags) {
  if (flags['entra-tenant'] !== undefined) {
    const given = ['issuer', 'audience'].find((flag) => flags[flag] !== undefined);
    if (given !== undefined) throw new UsageError(`--entra-tenant sets the issuer and audience; do not give --${given}`);
    // createTestIssuer refuses any other version.
    const version = /** @type {1 | 2} */ (flags['token-version'] === undefined ? 2 : Number(flags['token-version']));
    return { entra: { tenant: flags['entra-tenant'], clientId: flags['client-id'], version } };
  }
  if (flags.issuer === undefined || flags.audience === undefined) throw new UsageError('give --entra-tenant <guid>, or --issuer and --audience');
  return { issuer: flags.issuer, audience: flags.audience };
}

/**
 * Runs `mint`; with `--serve`, serves until the process is told to stop.
 * @param {Record<string, any>} flags
 * @param {string[]} positionals
 * @param {{ stdout: { write(s: string): void }, stderr: { write(s: string): void } }} io
 * @returns {Promise<string>} what to print
 */
export async function mintCommand(flags, positionals, io) {
  if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const port = flags.serve === undefined ? undefined : servePort(flags.serve);
  if (!flags.test && port === undefined) {
    throw new UsageError('mint signs whatever it is asked to and is for tests only: give --test, or --serve http://127.0.0.1:<port>');
  }
  const keyFile = flags.key;
  const key = keyFile !== undefined && existsSync(keyFile) ? await readJson(keyFile, '--key') : undefined;
  const issuer = await createTestIssuer({ ...issuerOptions(flags), serve: port !== undefined, ...(port === undefined ? {} : { port }), ...(key ? { key } : {}) });
  const token = issuer.mint(claimsOf(flags.claim));
  if (keyFile !== undefined && key === undefined) await writeFile(keyFile, JSON.stringify(issuer.key), { mode: 0o600 });
  if (flags['jwks-out'] !== undefined) await writeFile(flags['jwks-out'], JSON.stringify(issuer.jwks));
  const output = flags.json ? JSON.stringify({ token, issuer: issuer.issuer, jwksUri: issuer.jwksUri ?? null, env: issuer.env }, null, 2) : token;
  if (port === undefined) return output;
  io.stdout.write(`${output}\n`);
  io.stderr.write(`jwtguard mint: serving the key set at ${issuer.jwksUri} and the metadata at ${issuer.metadataUrl}; stop with Ctrl-C\n`);
  await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  await issuer.close();
  return '';
}
