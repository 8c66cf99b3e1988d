// The token table the signature-backend tests share: valid tokens re-signed
// with node:crypto and the catalog-style mutations of a token (signature
// bytes, encodings, keys, algorithms, claims), plus the outcome helpers.
import assert from 'node:assert/strict';
import { KeyObject, createHash, createHmac, sign as nodeSign } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Every asymmetric algorithm: each goes to the host's native crypto (node:crypto, WebCrypto). */
export const DELEGATED = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];
/** Curve orders (SEC 2), for ECDSA signatures with s = n and s' = n − s. */
const ORDER = {
  ES256: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  ES384: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
};

export const enc = (bytes) => Buffer.from(bytes).toString('base64url');
export const dec = (text) => Buffer.from(text, 'base64url');
export const bigInt = (base64url) => BigInt(`0x${dec(base64url).toString('hex')}`);
const toBytes = (value, length) => Buffer.from(value.toString(16).padStart(2 * length, '0'), 'hex');

/**
 * A clock read once, when the verifier is made: both paths then see the same
 * time, so an error message that names it cannot differ by a second tick.
 */
export function frozenClock() {
  const at = Math.floor(Date.now() / 1000);
  return () => at;
}

export async function outcome(run) {
  try {
    return { result: await run() };
  } catch (error) {
    assert.equal(error.name, 'JwtGuardError', `not a JwtGuardError: ${error.stack}`);
    return { code: error.code, message: error.message, claim: error.claim };
  }
}

/** Re-signs raw header and payload text with node:crypto; `saltLength` overrides the PSS salt length. */
export function resign(pair, headerText, payloadText, { saltLength } = {}) {
  const input = `${enc(headerText)}.${enc(payloadText)}`;
  const { alg } = pair;
  const options = { key: KeyObject.from(pair.privateKey) };
  if (alg.startsWith('PS')) Object.assign(options, { padding: 6, saltLength: saltLength ?? Number(alg.slice(2)) / 8 });
  if (alg.startsWith('ES')) options.dsaEncoding = 'ieee-p1363';
  const signature = nodeSign(alg === 'EdDSA' ? null : `sha${alg.slice(2)}`, Buffer.from(input), options);
  return `${input}.${enc(signature)}`;
}

/** The catalog-style mutations of `token` signed by `pair`: [name, token]. */
export function mutations(token, pair, pairs, impostor) {
  const [h, p, s] = token.split('.');
  const header = JSON.parse(dec(h).toString());
  const claims = JSON.parse(dec(p).toString());
  const signature = dec(s);
  const out = [];
  const add = (name, t) => out.push([name, t]);
  for (const at of [0, signature.length >> 1, signature.length - 1]) {
    const flipped = Buffer.from(signature);
    flipped[at] ^= 0x01;
    add(`bitflip:signature@${at}`, `${h}.${p}.${enc(flipped)}`);
  }
  add('truncate:signature-text', `${h}.${p}.${s.slice(0, -4)}`);
  add('truncate:first-byte', `${h}.${p}.${enc(signature.subarray(1))}`);
  add('extend:leading-zero', `${h}.${p}.${enc(Buffer.concat([Buffer.alloc(1), signature]))}`);
  add('extend:trailing-byte', `${h}.${p}.${enc(Buffer.concat([signature, Buffer.alloc(1)]))}`);
  add('all-ones', `${h}.${p}.${enc(Buffer.alloc(signature.length, 0xff))}`);
  add('all-zeros', `${h}.${p}.${enc(Buffer.alloc(signature.length))}`);
  add('claims:swapped-unsigned', `${h}.${enc(JSON.stringify({ ...claims, roles: ['Admin'] }))}.${s}`);
  const { alg } = pair;
  if (alg.startsWith('RS') || alg.startsWith('PS')) {
    const n = dec(pair.jwk.n);
    add('rsa:s-equals-n', `${h}.${p}.${enc(n)}`);
    const above = Buffer.from(n);
    above[above.length - 1] ^= 0x02; // n is odd: still k bytes, now n + 2 or n − 2
    add('rsa:s-near-n', `${h}.${p}.${enc(above)}`);
  }
  if (alg.startsWith('PS')) {
    for (const saltLength of [0, 20, Number(alg.slice(2)) / 8 + 1]) {
      add(`pss:salt-${saltLength}`, resign(pair, JSON.stringify(header), JSON.stringify(claims), { saltLength }));
    }
  }
  if (alg.startsWith('ES')) {
    const size = signature.length / 2;
    const order = ORDER[alg];
    const r = signature.subarray(0, size);
    const sValue = BigInt(`0x${signature.subarray(size).toString('hex')}`);
    add('ecdsa:s-equals-n', `${h}.${p}.${enc(Buffer.concat([r, toBytes(order, size)]))}`);
    add('ecdsa:r-equals-n', `${h}.${p}.${enc(Buffer.concat([toBytes(order, size), signature.subarray(size)]))}`);
    add('ecdsa:r-zero', `${h}.${p}.${enc(Buffer.concat([Buffer.alloc(size), signature.subarray(size)]))}`);
    add('ecdsa:s-plus-n', `${h}.${p}.${enc(Buffer.concat([r, toBytes(sValue + order, size + 1)]))}`);
    // The malleated twin (r, n − s) is valid ECDSA: both paths must accept it.
    add('ecdsa:high-s-twin', `${h}.${p}.${enc(Buffer.concat([r, toBytes(order - sValue, size)]))}`);
    add('ecdsa:der-encoded', `${h}.${p}.${enc(derSignature(pair, `${h}.${p}`))}`);
  }
  if (alg === 'EdDSA') {
    for (const [name, signature] of ed25519EdgeSignatures(pair, `${h}.${p}`)) add(`eddsa:${name}`, `${h}.${p}.${enc(signature)}`);
  }
  // Keys: another key under this kid, another key's kid, another alg for this key, no kid.
  const other = pairs.find((o) => o.alg !== alg);
  add('wrong-key:same-kid', resign(impostor, JSON.stringify(header), JSON.stringify(claims)));
  add('kid:other-key', resign(pair, JSON.stringify({ ...header, kid: other.kid }), JSON.stringify(claims)));
  add('kid:unknown', resign(pair, JSON.stringify({ ...header, kid: 'unknown' }), JSON.stringify(claims)));
  add('kid:removed', resign(pair, JSON.stringify({ alg, typ: header.typ }), JSON.stringify(claims)));
  add('kid:number', resign(pair, JSON.stringify({ ...header, kid: 7 }), JSON.stringify(claims)));
  const sameFamily = DELEGATED.find((a) => a !== alg && a.slice(0, 2) === alg.slice(0, 2));
  if (sameFamily && !sameFamily.startsWith('ES')) {
    add('alg:other-hash-same-key', resign({ ...pair, alg: sameFamily }, JSON.stringify({ ...header, alg: sameFamily }), JSON.stringify(claims)));
  }
  add('alg:none', `${enc(JSON.stringify({ ...header, alg: 'none' }))}.${p}.`);
  add('alg:HS256-with-public-key', hs256WithPublicKey(pair, header, claims));
  add('claims:expired', resign(pair, JSON.stringify(header), JSON.stringify({ ...claims, exp: claims.iat - 3600 })));
  add('claims:audience', resign(pair, JSON.stringify(header), JSON.stringify({ ...claims, aud: 'api://other' })));
  add('header:crit', resign(pair, JSON.stringify({ ...header, crit: ['x'], x: 1 }), JSON.stringify(claims)));
  return out;
}

/** L, the order of Ed25519's prime-order subgroup (RFC 8032 §5.1). */
const ED25519_ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;
const littleEndian = (bytes) => BigInt(`0x${Buffer.from(bytes).reverse().toString('hex') || '0'}`);
const toLittleEndian = (value) => toBytes(value, 32).reverse();

/**
 * Ed25519 signatures over `input` under `pair` that strict verification
 * refuses (catalog E08), by name: the valid signature with S + L, and one
 * made with the private key with R = identity and S = k·a, which satisfies
 * the cofactorless equation [S]B = R + [k]A that OpenSSL checks.
 */
export function ed25519EdgeSignatures(pair, input) {
  const valid = nodeSign(null, Buffer.from(input), KeyObject.from(pair.privateKey));
  const s = littleEndian(valid.subarray(32));
  const seed = dec(KeyObject.from(pair.privateKey).export({ format: 'jwk' }).d);
  const hashed = createHash('sha512').update(seed).digest();
  hashed[0] &= 248;
  hashed[31] &= 127;
  hashed[31] |= 64;
  const a = littleEndian(hashed.subarray(0, 32));
  const identity = Buffer.alloc(32);
  identity[0] = 1;
  const k = littleEndian(createHash('sha512').update(Buffer.concat([identity, dec(pair.jwk.x), Buffer.from(input)])).digest()) % ED25519_ORDER;
  return [
    ['s-plus-order', Buffer.concat([valid.subarray(0, 32), toLittleEndian(s + ED25519_ORDER)])],
    ['small-order-r', Buffer.concat([identity, toLittleEndian((k * a) % ED25519_ORDER)])],
  ];
}

/** An ECDSA signature in DER form (what node:crypto makes by default), not the JWS r || s. */
function derSignature(pair, input) {
  return nodeSign(`sha${pair.alg.slice(2)}`, Buffer.from(input), KeyObject.from(pair.privateKey));
}

/** The classic confusion: HS256 keyed with the public key's JWK text. */
function hs256WithPublicKey(pair, header, claims) {
  const input = `${enc(JSON.stringify({ ...header, alg: 'HS256' }))}.${enc(JSON.stringify(claims))}`;
  return `${input}.${enc(createHmac('sha256', JSON.stringify(pair.jwk)).update(input).digest())}`;
}

/** Wycheproof's JWS vector files (tests/vectors/wycheproof/), as parsed JSON. */
export function wycheproofDocument(file) {
  return JSON.parse(readFileSync(new URL(`../vectors/wycheproof/${file}`, import.meta.url), 'utf8'));
}

/**
 * Runs every case of a Wycheproof JWS vector file through a host's paths:
 * `setup(group)` builds them for a test group (it may throw: no usable key,
 * so no path has a verifier), `compare(paths, token)` runs a token through
 * them and answers `{ calls, wrong }`: how often the host's crypto was asked,
 * and what disagreed (null when every path agreed). Returns the count of
 * cases, of those that reached the host's crypto, and the disagreements.
 */
export async function wycheproofAgreement(file, setup, compare) {
  const doc = wycheproofDocument(file);
  let cases = 0;
  let delegated = 0;
  const disagreements = [];
  for (const group of doc.testGroups) {
    let paths;
    try {
      paths = setup(group);
    } catch {
      paths = null;
    }
    for (const testCase of group.tests) {
      cases += 1;
      if (paths === null) continue;
      const token = typeof testCase.jws === 'string' ? testCase.jws : JSON.stringify(testCase.jws);
      const { calls, wrong } = await compare(paths, token);
      delegated += calls > 0 ? 1 : 0;
      if (wrong !== null) disagreements.push(`${file}#${testCase.tcId} ${testCase.comment}: ${wrong}`);
    }
  }
  return { cases, total: doc.numberOfTests, delegated, disagreements };
}

/**
 * createVerifier options for a Wycheproof test group: its public key set or
 * key, its private key set, or its HMAC secret (with its kid), on top of
 * `extra`; the clock frozen, the cache off.
 */
export function wycheproofOptions(group, extra = {}) {
  const options = { issuer: 'https://wycheproof.invalid', audience: 'wycheproof', cache: false, now: frozenClock(), ...extra };
  const pub = group.public;
  if (pub && pub.keys) options.keys = pub;
  else if (pub) options.keys = { keys: [pub] };
  else if (group.private.keys) options.keys = group.private;
  else options.secret = dec(group.private.k);
  if (group.private?.kid && options.secret) options.kid = group.private.kid;
  return options;
}
