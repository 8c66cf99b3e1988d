// The gateway's canonical request path (js/request-path.js): a table of paths
// as written and their canonical form or refusal, and each accepted row
// checked against the core's own normaliser: a DPoP proof whose htu is the
// path as written verifies at the canonical path (the core compares both
// after normalising, src/uri.rs), and not at another path.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { createVerifier } from '@jwtguard/jwtguard';
import { canonicalPath, matchKey, rawPath } from '../../js/request-path.js';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from './helpers.mjs';

// [path as written, canonical path, or null when refused]
const ROWS = [
  ['/api/admin/users', '/api/admin/users'],
  ['/api/%61dmin/users', '/api/admin/users'],
  ['/%7euser/%41%2d%5F', '/~user/A-_'],
  ['/a/%c3%a9', '/a/%C3%A9'],
  ['/a/%3a%40', '/a/%3A%40'],
  ['/a/./b/../c', '/a/c'],
  ['/a/b/../../../c', '/c'],
  ['/a/..', '/'],
  ['/a/.', '/a/'],
  ['/..a/.b/', '/..a/.b/'],
  ['//x//', '//x//'],
  ['/a/', '/a/'],
  ['/API/Admin', '/API/Admin'],
  ['/p;x=1,y@z:!$&\'()*+', '/p;x=1,y@z:!$&\'()*+'],
  // An encoded slash, backslash or NUL: the origin could split or end the path elsewhere.
  ['/api%2Fadmin/users', null],
  ['/api%2fadmin/users', null],
  ['/api/%5Cadmin', null],
  ['/api/admin%00.json', null],
  // Not UTF-8: an overlong "/" and "." , a lone continuation byte, a surrogate, 0xFF.
  ['/api/%C0%AFadmin', null],
  ['/api/%C0%AE%C0%AE/admin', null],
  ['/api/%80', null],
  ['/api/%ED%A0%80', null],
  ['/api/%FF', null],
  ['/api/%C3', null],
  // An encoded dot segment (a router that decodes without resolving would route it as "..").
  ['/api/%2e%2e/admin', null],
  ['/api/.%2E/admin', null],
  ['/api/%2e/admin', null],
  // What the core refuses too: a lone or bad %, a character a path cannot hold literally.
  ['/api/%', null],
  ['/api/%4', null],
  ['/api/%G1', null],
  ['/api/a|b', null],
  ['/api/[x]', null],
  ['/api/a\\b', null],
  ['/api/é', null],
  ['/api/a b', null],
  ['api/relative', null],
];

test('canonical request paths: unreserved characters decoded, dot segments resolved, ambiguous paths refused', () => {
  for (const [written, canonical] of ROWS) assert.equal(canonicalPath(written), canonical, written);
});

test('the canonical path is a fixed point', () => {
  for (const [, canonical] of ROWS) if (canonical !== null) assert.equal(canonicalPath(canonical), canonical, canonical);
});

test('rawPath is the path as written, before a URL parser resolves it', () => {
  const rows = [
    ['http://127.0.0.1:8080/a/%2e%2e/b?x=/y#z', '/a/%2e%2e/b'],
    ['https://a.test/a/./b#f', '/a/./b'],
    ['https://a.test', '/'],
    ['https://a.test?q=/x', '/'],
  ];
  for (const [url, path] of rows) assert.equal(rawPath(url), path, url);
});

test('match keys: ASCII case folded unless caseSensitive, one final slash dropped unless strictSlash', () => {
  const rows = [
    ['/API/Admin/', {}, '/api/admin'],
    ['/API/Admin/', { caseSensitive: true }, '/API/Admin'],
    ['/API/Admin/', { strictSlash: true }, '/api/admin/'],
    ['/', {}, '/'],
    ['/a//', {}, '/a/'],
    ['/%C3%A9', {}, '/%c3%a9'],
  ];
  for (const [path, options, key] of rows) {
    assert.equal(matchKey(path, { caseSensitive: false, strictSlash: false, ...options }), key, `${path} ${JSON.stringify(options)}`);
  }
});

test('every accepted path is the core\'s normal form: a DPoP proof for the path as written verifies at the canonical path', async () => {
  const issuer = await keyPair('ES256');
  const dpopKey = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(dpopKey.publicKey);
  const token = await sign(issuer, goodClaims({ cnf: { jkt: await calculateJwkThumbprint(jwk) } }));
  const ath = createHash('sha256').update(token).digest('base64url');
  const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [issuer.jwk] } });
  const proof = (htu) => new SignJWT({ htm: 'GET', htu, iat: Math.floor(Date.now() / 1000), jti: crypto.randomUUID(), ath })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk }).sign(dpopKey.privateKey);
  const at = async (htu, url) => verifier.verifyRequest({ method: 'GET', url, headers: { authorization: `DPoP ${token}`, dpop: await proof(htu) } })
    .then(() => true, (error) => error.code);
  for (const [written, canonical] of ROWS) {
    if (canonical === null) continue;
    assert.equal(await at(`https://api.test${written}`, `https://api.test${canonical}`), true, written);
    // The check bites: another path is refused.
    assert.equal(await at(`https://api.test${written}`, `https://api.test${canonical}x`), 'ERR_DPOP_INVALID', written);
  }
});
