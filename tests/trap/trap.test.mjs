// Recovery from a WebAssembly trap (catalog H03). The host layer runs here on
// the release build of the core with the binding's `trap-hook` feature
// (target-wasm/trap-pkg, built by `make test-trap`): `armTrapForTest()`
// makes the next call that takes a token trap, as a broken Rust invariant
// would. The release build in pkg/ must not have the hook.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { sign, keyPair, goodClaims, ISSUER, AUDIENCE } from '../js/helpers.mjs';

const root = new URL('../../', import.meta.url);
let dir;
let lib;
let glue;

before(async () => {
  // The package's js/ beside the trap build as its pkg/, so the host layer
  // loads exactly as published, on the hooked core.
  dir = mkdtempSync(join(tmpdir(), 'jwtguard-trap-'));
  cpSync(new URL('js', root), join(dir, 'js'), { recursive: true });
  cpSync(new URL('target-wasm/trap-pkg', root), join(dir, 'pkg'), { recursive: true });
  lib = await import(pathToFileURL(join(dir, 'js', 'node.js')).href);
  glue = await import(pathToFileURL(join(dir, 'pkg', 'jwtguard.js')).href);
});

after(() => rmSync(dir, { recursive: true, force: true }));

describe('after a trap', () => {
  test('the call fails with ERR_INTERNAL, the core restarts, and every verifier verifies again with its keys', async () => {
    const pair = await keyPair('ES256', 'trap-key');
    const other = await keyPair('EdDSA', 'other-key');
    const events = [];
    const first = lib.createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] }, cache: false, onEvent: (e) => events.push(e) });
    const second = lib.createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [other.jwk] }, cache: false });
    const several = lib.createVerifier([
      { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] }, cache: false },
      { issuer: 'https://other.example', audience: AUDIENCE, keys: { keys: [other.jwk] }, cache: false },
    ]);
    const token = await sign(pair, goodClaims());
    const otherToken = await sign(other, goodClaims());
    assert.equal(first.verifySync(token).claims.iss, ISSUER);

    glue.armTrapForTest();
    assert.throws(() => first.verifySync(token), (error) => {
      assert.equal(error.code, 'ERR_INTERNAL');
      assert.ok(error.cause instanceof WebAssembly.RuntimeError, 'the trap is the cause');
      return true;
    });
    assert.deepEqual(events.map((e) => [e.type, e.error.code]), [['core-restarted', 'ERR_INTERNAL']]);

    // The fresh instance holds nothing: each verifier put its policy and keys back.
    assert.equal(first.verifySync(token).claims.iss, ISSUER);
    assert.equal((await first.verify(token)).claims.iss, ISSUER);
    assert.equal(second.verifySync(otherToken).claims.iss, ISSUER);
    assert.equal(several.verifySync(token).claims.iss, ISSUER);
    assert.throws(() => second.verifySync(token), { code: 'ERR_KEY_NOT_FOUND' });
    assert.equal(lib.inspectToken(token).header.kid, 'trap-key');
  });

  test('a token awaiting WebCrypto when the core restarts is checked again by the new core', async () => {
    // The trap comes from another verifier while this token's signature is
    // with WebCrypto: its verifier and its slot in the core went with the
    // old instance, so it must not be finished there.
    const pair = await keyPair('RS256', 'awaiting-key');
    const awaiting = lib.createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] }, cache: false, webCrypto: true, nodeCrypto: false });
    const other = lib.createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] }, cache: false });
    const [token, forged] = await Promise.all([sign(pair, goodClaims({ sub: 'awaited' })), sign(await keyPair('RS256', 'awaiting-key'), goodClaims())]);
    const { subtle } = globalThis.crypto;
    let traps = 0;
    subtle.verify = async function verifyAfterATrap(...args) {
      glue.armTrapForTest();
      assert.throws(() => other.verifySync(token), { code: 'ERR_INTERNAL' });
      traps += 1;
      return Object.getPrototypeOf(subtle).verify.apply(subtle, args);
    };
    try {
      assert.equal((await awaiting.verify(token)).claims.sub, 'awaited');
      // A forged signature is refused by the new core, never accepted.
      await assert.rejects(awaiting.verify(forged), { code: 'ERR_SIGNATURE_INVALID' });
    } finally {
      delete subtle.verify;
    }
    assert.equal(traps, 2, 'each verification met a restart while it awaited WebCrypto');
    assert.equal(other.verifySync(token).claims.sub, 'awaited');
  });

  test('a verifier with a shared secret is rebuilt too', async () => {
    const secret = 'a shared secret of at least thirty-two bytes!';
    const verifier = lib.createVerifier({ issuer: ISSUER, audience: AUDIENCE, secret, cache: false });
    const { SignJWT } = await import('jose');
    const token = await new SignJWT(goodClaims()).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
    assert.equal(verifier.verifySync(token).claims.aud, AUDIENCE);
    glue.armTrapForTest();
    assert.throws(() => verifier.verifySync(token), { code: 'ERR_INTERNAL' });
    assert.equal(verifier.verifySync(token).claims.aud, AUDIENCE);
  });

  test('the release build has no hook', () => {
    const release = readFileSync(new URL('pkg/jwtguard.js', root), 'utf8');
    assert.ok(!release.includes('armTrapForTest'), 'pkg/jwtguard.js exports no trap hook');
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(new URL('pkg/jwtguard_bg.wasm', root))));
    assert.ok(exports.every(({ name }) => !/trap/i.test(name)), 'the release wasm exports no trap hook');
    // And the hook is really there in the test build, so the test above tested something.
    assert.equal(typeof glue.armTrapForTest, 'function');
  });
});
