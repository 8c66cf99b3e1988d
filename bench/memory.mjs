// Memory, not speed: the wasm linear memory and the JS heap (after a full
// GC) across many distinct tokens and many key-set rotations, through Node's
// default path (node:crypto backend, verified-token cache on). Flat means the
// figures at the end are those of the middle: nothing grows per token or per
// rotation. Each rotation verifies one new token, so the verified-token cache
// (1,000 entries) fills during the first 1,000 rotations and the heap grows
// by its entries; the rows after that show whether anything else grows.
// Run by bench/run.mjs in a child process with --expose-gc:
//   node --expose-gc bench/memory.mjs [--json] [tokens] [rotations] [label]
// --json prints the rows as JSON (bench/run.mjs judges the flatness target on them).
// bench/memory-before.md is this script run on the code before issue 12.
import { generateKeyPairSync, sign } from 'node:crypto';
import { initSync } from '../pkg/jwtguard.js';
import { createVerifier } from '../js/node.js';
import { AUDIENCE, ISSUER } from './fixtures.mjs';
import { memoryTable } from './memory-table.mjs';

const json = process.argv.includes('--json');
const [tokensArg, rotationsArg, labelArg] = process.argv.slice(2).filter((a) => a !== '--json');
const TOKENS = Number(tokensArg ?? 100_000);
const ROTATIONS = Number(rotationsArg ?? 3000);
const LABEL = labelArg ?? 'default path: node:crypto backend, cache on';

// initSync returns the instance js/node.js already made.
const wasm = initSync();
const enc = (bytes) => Buffer.from(bytes).toString('base64url');
const encJson = (value) => enc(JSON.stringify(value));

function keyPair(kid) {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' } };
}

/** An ES256 token by node:crypto (fast to sign), distinct by `jti`. */
function token(pair, index, now) {
  const input = `${encJson({ alg: 'ES256', kid: pair.kid, typ: 'JWT' })}.${encJson({ iss: ISSUER, aud: AUDIENCE, iat: now, nbf: now, exp: now + 3600, sub: 'bench', jti: `m-${index}` })}`;
  return `${input}.${enc(sign('sha256', Buffer.from(input), { key: pair.privateKey, dsaEncoding: 'ieee-p1363' }))}`;
}

function snapshot() {
  globalThis.gc();
  return { wasm: wasm.memory.buffer.byteLength, heap: process.memoryUsage().heapUsed };
}

const now = Math.floor(Date.now() / 1000);
const rows = [];

// Distinct tokens: one verifier, one key, cache on (its 1,000 entries fill and turn over).
{
  const pair = keyPair('memory-tokens');
  const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] } });
  const marks = [];
  for (let i = 0; i < TOKENS; i += 1) {
    if (!verifier.verifySync(token(pair, i, now))) throw new Error('not verified');
    if (i + 1 === TOKENS / 10 || i + 1 === TOKENS / 2 || i + 1 === TOKENS) marks.push([i + 1, snapshot()]);
  }
  rows.push(...marks.map(([n, s]) => ({ what: `${n.toLocaleString('en')} distinct tokens`, kind: 'tokens', n, ...s })));
}

// Key-set rotations: a key source whose set changes every time, a token verified after each change.
{
  let pair = keyPair('rotating');
  let snap = { jwks: JSON.stringify({ keys: [pair.jwk] }), generation: 1 };
  const source = {
    [Symbol.for('jwtguard.keySource')]: true,
    kind: 'bench',
    current: () => snap,
    load: async () => snap,
    refresh: async () => snap,
  };
  const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: source });
  const marks = [];
  for (let r = 0; r < ROTATIONS; r += 1) {
    pair = keyPair('rotating');
    snap = { jwks: JSON.stringify({ keys: [pair.jwk] }), generation: r + 2 };
    if (!verifier.verifySync(token(pair, r, now))) throw new Error('not verified');
    if ((3 * (r + 1)) % ROTATIONS === 0) marks.push([r + 1, snapshot()]);
  }
  rows.push(...marks.map(([n, s]) => ({ what: `${n.toLocaleString('en')} key-set rotations`, kind: 'rotations', n, ...s })));
}

process.stdout.write(json ? `${JSON.stringify({ label: LABEL, rows })}\n` : memoryTable({ label: LABEL, rows }));
