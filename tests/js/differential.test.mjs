// Differential test against panva/jose: many valid tokens across algorithms,
// mutated (bit flips, segment swaps, header edits, re-encodings, claim edits);
// jwtguard and jose must agree on accept/reject. The only disagreements
// allowed are the mutations tests/deviations.json lists under "differential",
// where jwtguard is deliberately stricter; each listed one must be observed
// (so the list stays true), and jwtguard never accepts what jose rejects.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { KeyObject, createHmac, sign as nodeSign } from 'node:crypto';
import { test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { createVerifier } from '@jwtguard/jwtguard';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from './helpers.mjs';

const ALGORITHMS = ['RS256', 'RS384', 'PS256', 'PS512', 'ES256', 'ES384', 'EdDSA'];
const TOKENS_PER_ALGORITHM = 8;
const SECRET = new TextEncoder().encode('a shared secret for HS256, long enough!!');
const listed = JSON.parse(readFileSync(new URL('../deviations.json', import.meta.url), 'utf8')).differential;

const enc = (bytes) => Buffer.from(bytes).toString('base64url');
const dec = (text) => Buffer.from(text, 'base64url');

/** xorshift32: deterministic choices, so a failure replays. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

/** Re-signs raw header and payload text with the pair's private key (or the secret). */
function resign(pair, headerText, payloadText) {
  const input = `${enc(headerText)}.${enc(payloadText)}`;
  let signature;
  if (pair === null) {
    signature = createHmacSignature(input);
  } else {
    const key = KeyObject.from(pair.privateKey);
    const alg = pair.alg;
    const hash = alg === 'EdDSA' ? null : `sha${alg.slice(2)}`;
    const options = { key };
    if (alg.startsWith('PS')) Object.assign(options, { padding: 6, saltLength: Number(alg.slice(2)) / 8 });
    if (alg.startsWith('ES')) options.dsaEncoding = 'ieee-p1363';
    signature = nodeSign(hash, Buffer.from(input), options);
  }
  return `${input}.${enc(signature)}`;
}

function createHmacSignature(input) {
  return createHmac('sha256', SECRET).update(input).digest();
}

/** Every mutation of `token` (signed by `pair`, null for HMAC): [name, token]. */
function mutations(token, pair, other, pick) {
  const [h, p, s] = token.split('.');
  const header = JSON.parse(dec(h).toString());
  const claims = JSON.parse(dec(p).toString());
  const out = [];
  const add = (name, t) => out.push([name, t]);
  // Bit flips in the decoded bytes of each segment, re-encoded canonically.
  for (const [index, name] of [[0, 'header'], [1, 'payload'], [2, 'signature']]) {
    const parts = token.split('.');
    const bytes = dec(parts[index]);
    const at = pick(bytes.length);
    bytes[at] ^= 1 << pick(8);
    parts[index] = enc(bytes);
    add(`bitflip:${name}`, parts.join('.'));
  }
  // Character flips in the token text (may leave the base64url alphabet).
  for (let i = 0; i < 3; i += 1) {
    const at = pick(token.length);
    const flipped = String.fromCharCode(token.charCodeAt(at) ^ (1 << pick(7)));
    add('charflip', token.slice(0, at) + flipped + token.slice(at + 1));
  }
  // Segment swaps with another token of another key.
  const [oh, op, os] = other.split('.');
  add('swap:header', `${oh}.${p}.${s}`);
  add('swap:payload', `${h}.${op}.${s}`);
  add('swap:signature', `${h}.${p}.${os}`);
  add('swap:header-and-payload', `${p}.${h}.${s}`);
  add('truncate:signature', `${h}.${p}.${s.slice(0, -4)}`);
  add('drop:signature', `${h}.${p}.`);
  add('drop:segment', `${h}.${p}`);
  add('extra:segment', `${token}.${s}`);
  // Re-encodings of the same bytes.
  add('re-encode:padding', `${h}.${p}${'='.repeat((4 - (p.length % 4)) % 4 || 2)}.${s}`);
  add('re-encode:std-alphabet', token.replace(/-/g, '+').replace(/_/g, '/'));
  add('re-encode:whitespace', `${h}.${p.slice(0, 8)} ${p.slice(8)}.${s}`);
  add('re-encode:surrounding-space', ` ${token} `);
  const lastBits = s.slice(0, -1) + String.fromCharCode(s.charCodeAt(s.length - 1) + 1);
  if (/^[A-Za-z0-9_-]*$/.test(lastBits)) add('re-encode:signature-trailing-bits', `${h}.${p}.${lastBits}`);
  // Header edits, unsigned (the signature no longer covers them) and re-signed.
  add('header:alg-none-unsigned', `${enc(JSON.stringify({ ...header, alg: 'none' }))}.${p}.`);
  const edits = {
    'alg-other': { ...header, alg: header.alg === 'RS256' ? 'RS384' : 'RS256' },
    'kid-unknown': { ...header, kid: 'unknown' },
    'kid-removed': Object.fromEntries(Object.entries(header).filter(([k]) => k !== 'kid')),
    'typ-jwt': { ...header, typ: 'JWT' },
    crit: { ...header, crit: ['urn:example:x'], 'urn:example:x': 1 },
    jku: { ...header, jku: 'https://attacker.example/jwks' },
    x5u: { ...header, x5u: 'https://attacker.example/cert' },
    'embedded-jwk': { ...header, jwk: { kty: 'OKP', crv: 'Ed25519', x: enc(Buffer.alloc(32, 7)) } },
    'b64-false': { ...header, b64: false },
    cty: { ...header, cty: 'JWT' },
    zip: { ...header, zip: 'DEF' },
    x5t: { ...header, x5t: 'nOo3ZDrODXEK1jKWhXslHR_KXEg' },
  };
  for (const [name, edited] of Object.entries(edits)) {
    add(`header:${name}`, `${enc(JSON.stringify(edited))}.${p}.${s}`);
    add(`header-resigned:${name}`, resign(pair, JSON.stringify(edited), JSON.stringify(claims)));
  }
  add('header-resigned:duplicate-alg', resign(pair, `{"alg":"none",${JSON.stringify(header).slice(1)}`, JSON.stringify(claims)));
  // Claim edits, re-signed.
  const now = Math.floor(Date.now() / 1000);
  const claimEdits = {
    'exp-past': { ...claims, exp: now - 3600 },
    'exp-missing': Object.fromEntries(Object.entries(claims).filter(([k]) => k !== 'exp')),
    'exp-string': { ...claims, exp: String(claims.exp) },
    'nbf-future': { ...claims, nbf: now + 3600 },
    'iat-future': { ...claims, iat: now + 3600 },
    'iss-other': { ...claims, iss: 'https://evil.example' },
    'iss-array': { ...claims, iss: [ISSUER] },
    'iss-missing': Object.fromEntries(Object.entries(claims).filter(([k]) => k !== 'iss')),
    'aud-other': { ...claims, aud: 'api://other' },
    'aud-array': { ...claims, aud: ['api://other', AUDIENCE] },
    'aud-missing': Object.fromEntries(Object.entries(claims).filter(([k]) => k !== 'aud')),
    'aud-number': { ...claims, aud: 42 },
    'sub-number': { ...claims, sub: 42 },
    'extra-claim': { ...claims, extra: { nested: [1, 2, 3] } },
  };
  for (const [name, edited] of Object.entries(claimEdits)) {
    add(`claims:${name}`, `${h}.${enc(JSON.stringify(edited))}.${s}`);
    add(`claims-resigned:${name}`, resign(pair, JSON.stringify(header), JSON.stringify(edited)));
  }
  const text = JSON.stringify(claims);
  add('claims-resigned:duplicate-iss', resign(pair, JSON.stringify(header), `{"iss":"https://evil.example",${text.slice(1)}`));
  add('claims-resigned:array', resign(pair, JSON.stringify(header), `[${claims.exp},"${ISSUER}"]`));
  return out;
}

async function joseAccepts(token, key) {
  try {
    await jwtVerify(token, key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      clockTolerance: 60,
      requiredClaims: ['exp', 'iss', 'aud'],
    });
    return true;
  } catch {
    return false;
  }
}

function jwtguardAccepts(verifier, token) {
  try {
    verifier.verifySync(token);
    return true;
  } catch (error) {
    assert.equal(error.name, 'JwtGuardError', `not a JwtGuardError: ${error}`);
    return false;
  }
}

test('jwtguard and jose agree on mutated tokens, except for listed strictness', async () => {
  const pairs = await Promise.all(ALGORITHMS.map((alg) => keyPair(alg)));
  const jwks = { keys: pairs.map((p) => p.jwk) };
  const joseKeys = createLocalJWKSet(jwks);
  const ours = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: jwks });
  const oursHmac = createVerifier({ issuer: ISSUER, audience: AUDIENCE, secret: SECRET });
  const pick = rng(0x6a777467);
  const signers = [...pairs.map((pair) => [pair, ours, joseKeys]), [null, oursHmac, SECRET]];
  const tallies = { cases: 0, agreeAccept: 0, agreeReject: 0, stricter: new Map(), unlisted: [] };
  for (const [pair, verifier, joseKey] of signers) {
    for (let i = 0; i < TOKENS_PER_ALGORITHM; i += 1) {
      const claims = goodClaims({ jti: `jti-${i}`, n: pick(1_000_000), list: ['a', 'b'].slice(0, pick(3)) });
      const token = pair === null
        ? resign(null, JSON.stringify({ alg: 'HS256', typ: 'at+jwt' }), JSON.stringify(claims))
        : await sign(pair, claims);
      const other = await sign(pairs[(ALGORITHMS.indexOf(pair?.alg ?? 'EdDSA') + 1) % pairs.length], goodClaims());
      assert.equal(jwtguardAccepts(verifier, token), true, `valid ${pair?.alg ?? 'HS256'} token`);
      assert.equal(await joseAccepts(token, joseKey), true, `valid ${pair?.alg ?? 'HS256'} token (jose)`);
      for (const [name, mutated] of mutations(token, pair, other, pick)) {
        if (mutated === token) continue;
        tallies.cases += 1;
        const a = jwtguardAccepts(verifier, mutated);
        const b = await joseAccepts(mutated, joseKey);
        if (a === b) {
          tallies[a ? 'agreeAccept' : 'agreeReject'] += 1;
        } else if (!a && listed.some((entry) => entry.mutation === name)) {
          tallies.stricter.set(name, (tallies.stricter.get(name) ?? 0) + 1);
        } else {
          tallies.unlisted.push(`${pair?.alg ?? 'HS256'} ${name}: jwtguard ${a ? 'accepts' : 'rejects'}, jose ${b ? 'accepts' : 'rejects'}`);
        }
        // The instance keeps working after every rejection.
        if (!a) assert.equal(jwtguardAccepts(verifier, token), true);
      }
    }
  }
  const stricter = [...tallies.stricter].map(([name, count]) => `${name} ×${count}`).join(', ');
  console.log(`differential: ${tallies.cases} mutated tokens, ${tallies.agreeAccept} both accept, ${tallies.agreeReject} both reject, jwtguard stricter (listed): ${stricter || 'none'}`);
  assert.deepEqual(tallies.unlisted, [], 'unlisted disagreements');
  for (const entry of listed) {
    assert.ok(tallies.stricter.has(entry.mutation), `listed but never observed: ${entry.mutation}`);
    assert.ok(entry.reason.length > 30, `${entry.mutation}: give a reason`);
  }
});
