// discover() over real HTTP (node:http on 127.0.0.1): OpenID Connect
// Discovery and RFC 8414 metadata, issuers with and without a path, the
// order of the well-known URLs, what moves on to the next one (a 404 only)
// and what does not (catalog G08), and that the cache rules hold over the
// walk. Tokens are signed by jose; nothing of jwtguard is mocked.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { JwtGuardError, createVerifier, discover, fromEnv } from '@jwtguard/jwtguard';
import { run } from '../../../js/cli/main.js';
import { AUDIENCE, goodClaims, keyPair, sign } from '../helpers.mjs';
import { fakeClock, recorder, sendJson, serve } from './net.mjs';

const OPENID = '/.well-known/openid-configuration';
const OAUTH = '/.well-known/oauth-authorization-server';

let pair;
before(async () => {
  pair = await keyPair('ES256', 'discovery-key');
});

/**
 * An authorization server on 127.0.0.1 that answers `documents[path]`: a
 * function of the origin giving the metadata (or `{ status }`, `{ raw }`,
 * `{ hang: true }`); /jwks serves the key set; anything else is a 404.
 */
async function server(documents) {
  const open = [];
  const s = await serve((req, res, url) => {
    if (url.pathname === '/jwks') return sendJson(res, { keys: [pair.jwk] });
    const answer = documents[url.pathname]?.(s.origin);
    if (answer === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    if (answer.hang) return open.push(res);
    if (answer.status !== undefined) {
      res.writeHead(answer.status, answer.headers ?? {});
      return res.end(answer.body ?? '');
    }
    if (answer.raw !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(answer.raw);
    }
    return sendJson(res, answer);
  });
  return s;
}

/** Metadata naming `issuer` (a function of the origin), with the server's /jwks. */
const metadata = (issuer) => (origin) => ({ issuer: issuer(origin), jwks_uri: `${origin}/jwks` });

const servers = [];
async function start(documents) {
  const s = await server(documents);
  servers.push(s);
  return s;
}
after(() => Promise.all(servers.map((s) => s.close())));

/** Verifies a jose-signed token for `issuer` through discover(issuer, options). */
async function verifyThrough(issuer, options = {}) {
  const keys = discover(issuer, options);
  const verifier = createVerifier({ issuer, audience: AUDIENCE, keys });
  const result = await verifier.verify(await sign(pair, goodClaims({ iss: issuer })));
  return { keys, result };
}

async function rejectsWith(promise, code, message) {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof JwtGuardError, String(error));
    assert.equal(error.code, code, error.message);
    if (message !== undefined) assert.match(error.message, message);
    return true;
  });
}

describe('where the metadata is looked for', () => {
  // [name, issuer path, the path the server serves it at, the GETs expected before /jwks]
  const table = [
    ['OpenID, no path: one GET, as before', '', OPENID, [OPENID]],
    ['RFC 8414 only, no path', '', OAUTH, [OPENID, OAUTH]],
    ['OpenID appended, with a path: one GET, as before', '/tenant1', `/tenant1${OPENID}`, [`/tenant1${OPENID}`]],
    ['OpenID path-inserted, with a path', '/tenant1', `${OPENID}/tenant1`, [`/tenant1${OPENID}`, `${OPENID}/tenant1`]],
    ['RFC 8414 only, with a path (§3.1)', '/tenant1', `${OAUTH}/tenant1`, [`/tenant1${OPENID}`, `${OPENID}/tenant1`, `${OAUTH}/tenant1`]],
    ['RFC 8414 only, a deeper path', '/realms/a/b', `${OAUTH}/realms/a/b`, [`/realms/a/b${OPENID}`, `${OPENID}/realms/a/b`, `${OAUTH}/realms/a/b`]],
  ];
  for (const [name, path, servedAt, gets] of table) {
    test(name, async () => {
      const s = await start({ [servedAt]: metadata((origin) => `${origin}${path}`) });
      const { keys, result } = await verifyThrough(`${s.origin}${path}`);
      assert.equal(result.key.kid, 'discovery-key');
      assert.deepEqual(s.hits, [...gets, '/jwks']);
      // The source is named by its first candidate, whichever answered.
      assert.equal(keys.url, `${s.origin}${gets[0]}`);
    });
  }

  test('an issuer with a terminating slash: the slash is dropped from the URLs, kept in the comparison', async () => {
    const s = await start({ [`${OAUTH}/tenant1`]: metadata((origin) => `${origin}/tenant1/`) });
    const { result } = await verifyThrough(`${s.origin}/tenant1/`);
    assert.equal(result.key.kid, 'discovery-key');
    assert.deepEqual(s.hits, [`/tenant1${OPENID}`, `${OPENID}/tenant1`, `${OAUTH}/tenant1`, '/jwks']);
  });

  test('metadataUrl is used alone: its 404 is an error, nothing else is tried', async () => {
    const s = await start({ [`${OAUTH}/tenant1`]: metadata((origin) => `${origin}/tenant1`) });
    const keys = discover(`${s.origin}/tenant1`, { metadataUrl: `${s.origin}/tenant1${OPENID}` });
    await rejectsWith(keys.load(), 'ERR_JWKS_FETCH_FAILED', /answered 404/);
    assert.deepEqual(s.hits, [`/tenant1${OPENID}`]);
    const { result } = await verifyThrough(`${s.origin}/tenant1`, { metadataUrl: `${s.origin}${OAUTH}/tenant1` });
    assert.equal(result.key.kid, 'discovery-key');
  });

  test('an issuer with a query or fragment has no well-known URL: ERR_POLICY_INVALID unless metadataUrl is given', () => {
    for (const issuer of ['https://as.example/t?x=1', 'https://as.example/t#f', 'https://as.example/t?']) {
      assert.throws(() => discover(issuer), { code: 'ERR_POLICY_INVALID', claim: 'issuer' }, issuer);
    }
    assert.equal(discover('https://as.example/t?x=1', { metadataUrl: 'https://as.example/meta' }).url, 'https://as.example/meta');
  });

  test('every URL answering 404 is one ERR_JWKS_FETCH_FAILED naming them all', async () => {
    const s = await start({});
    const issuer = `${s.origin}/tenant1`;
    await rejectsWith(discover(issuer).load(), 'ERR_JWKS_FETCH_FAILED', /each answered 404/);
    assert.deepEqual(s.hits, [`/tenant1${OPENID}`, `${OPENID}/tenant1`, `${OAUTH}/tenant1`]);
  });
});

describe('only a 404 moves on (G08)', () => {
  const ISSUER_PATH = '/tenant1';
  // The RFC 8414 document is always there and right: reaching it after any
  // of these first answers would turn a failure into a different document.
  const rfc8414 = { [`${OAUTH}${ISSUER_PATH}`]: metadata((origin) => `${origin}${ISSUER_PATH}`) };
  // [name, the first candidate's answer, code, message]
  const table = [
    ['a 500', () => ({ status: 500 }), 'ERR_JWKS_FETCH_FAILED', /answered 500/],
    ['a 503', () => ({ status: 503 }), 'ERR_JWKS_FETCH_FAILED', /answered 503/],
    ['a 403', () => ({ status: 403 }), 'ERR_JWKS_FETCH_FAILED', /answered 403/],
    ['a 410', () => ({ status: 410 }), 'ERR_JWKS_FETCH_FAILED', /answered 410/],
    ['a redirect to the RFC 8414 document', (origin) => ({ status: 302, headers: { location: `${origin}${OAUTH}${ISSUER_PATH}` } }), 'ERR_JWKS_FETCH_FAILED', /redirects are not followed/],
    ['bad JSON', () => ({ raw: '{"issuer":' }), 'ERR_DISCOVERY_INVALID', /did not return json/],
    ['the host root\'s document', metadata((origin) => origin), 'ERR_DISCOVERY_INVALID', /names issuer/],
    ['a sibling tenant\'s document', metadata((origin) => `${origin}/tenant2`), 'ERR_DISCOVERY_INVALID', /names issuer/],
    ['the issuer with a slash added', metadata((origin) => `${origin}${ISSUER_PATH}/`), 'ERR_DISCOVERY_INVALID', /names issuer/],
    ['a document without jwks_uri', (origin) => ({ issuer: `${origin}${ISSUER_PATH}` }), 'ERR_DISCOVERY_INVALID', /jwks_uri/],
  ];
  for (const [name, answer, code, message] of table) {
    test(`the OpenID document answering ${name} fails there`, async () => {
      const s = await start({ [`${ISSUER_PATH}${OPENID}`]: answer, ...rfc8414 });
      await rejectsWith(discover(`${s.origin}${ISSUER_PATH}`).load(), code, message);
      assert.deepEqual(s.hits, [`${ISSUER_PATH}${OPENID}`]);
    });
  }

  test('a 5xx at the second candidate fails there, before the RFC 8414 one', async () => {
    const s = await start({ [`${OPENID}${ISSUER_PATH}`]: () => ({ status: 502 }), ...rfc8414 });
    await rejectsWith(discover(`${s.origin}${ISSUER_PATH}`).load(), 'ERR_JWKS_FETCH_FAILED', /answered 502/);
    assert.deepEqual(s.hits, [`${ISSUER_PATH}${OPENID}`, `${OPENID}${ISSUER_PATH}`]);
  });

  test('a hanging candidate is ERR_JWKS_TIMEOUT, and the timeout bounds the whole walk', async () => {
    const s = await start({ [`${OPENID}${ISSUER_PATH}`]: () => ({ hang: true }), ...rfc8414 });
    const started = Date.now();
    await rejectsWith(discover(`${s.origin}${ISSUER_PATH}`, { timeout: 0.3 }).load(), 'ERR_JWKS_TIMEOUT');
    assert.ok(Date.now() - started < 2000, 'bounded by the timeout');
    assert.deepEqual(s.hits, [`${ISSUER_PATH}${OPENID}`, `${OPENID}${ISSUER_PATH}`]);
  });
});

describe('the cache rules over the walk', () => {
  test('a failed walk is not retried within the cooldown, then walks again from the top', async () => {
    const documents = {};
    const s = await start(documents);
    const issuer = `${s.origin}/tenant1`;
    const clock = fakeClock();
    const keys = discover(issuer, { now: clock.now });
    const verifier = createVerifier({ issuer, audience: AUDIENCE, keys });
    const token = await sign(pair, goodClaims({ iss: issuer }));
    await rejectsWith(verifier.verify(token), 'ERR_JWKS_FETCH_FAILED');
    assert.equal(s.hits.length, 3);
    // Within the cooldown: the last error again, no GET.
    clock.advance(10);
    await rejectsWith(verifier.verify(token), 'ERR_JWKS_FETCH_FAILED');
    assert.equal(s.hits.length, 3);
    // The server publishes RFC 8414 metadata; after the cooldown the walk runs again.
    documents[`${OAUTH}/tenant1`] = metadata((origin) => `${origin}/tenant1`);
    clock.advance(30);
    assert.equal((await verifier.verify(token)).key.kid, 'discovery-key');
    assert.deepEqual(s.hits.slice(3), [`/tenant1${OPENID}`, `${OPENID}/tenant1`, `${OAUTH}/tenant1`, '/jwks']);
  });

  test('past max-age the document is refreshed by the same walk, in the background', async () => {
    const s = await start({ [OAUTH]: (origin) => ({ issuer: origin, jwks_uri: `${origin}/jwks` }) });
    const clock = fakeClock();
    const log = recorder();
    const keys = discover(s.origin, { now: clock.now, onEvent: log.onEvent });
    const verifier = createVerifier({ issuer: s.origin, audience: AUDIENCE, keys });
    const token = await sign(pair, goodClaims({ iss: s.origin }));
    await verifier.verify(token);
    assert.deepEqual(s.hits, [OPENID, OAUTH, '/jwks']);
    clock.advance(3601);
    await verifier.verify(token); // served from the cache while the walk runs
    const documentFetches = () => log.of('fetch').filter((event) => event.url === `${s.origin}${OPENID}`);
    for (let waited = 0; documentFetches().length < 2 && waited < 5000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(documentFetches().length, 2);
    assert.deepEqual(s.hits.slice(3).filter((hit) => hit !== '/jwks'), [OPENID, OAUTH]);
  });

  test('a stored document remembers which URL it came from, and is read back without a GET', async () => {
    const s = await start({ [`${OAUTH}/tenant1`]: metadata((origin) => `${origin}/tenant1`) });
    const issuer = `${s.origin}/tenant1`;
    const saved = new Map();
    const store = { get: async (key) => saved.get(key) ?? null, put: async (key, value) => void saved.set(key, value) };
    await discover(issuer, { store }).load();
    const entry = JSON.parse(saved.get(`jwtguard:discovery:${s.origin}/tenant1${OPENID}`));
    assert.equal(entry.source, `${s.origin}${OAUTH}/tenant1`);
    const before = s.hits.length;
    await discover(issuer, { store }).load();
    // The document came from the store; only the key set (not stored under this key) is fetched again.
    assert.deepEqual(s.hits.slice(before).filter((hit) => hit !== '/jwks'), []);
  });
});

describe('fromEnv and the command line discover the same way', () => {
  test('fromEnv with JWT_ISSUER of an RFC 8414-only server with a path', async () => {
    const s = await start({ [`${OAUTH}/tenant1`]: metadata((origin) => `${origin}/tenant1`) });
    const issuer = `${s.origin}/tenant1`;
    const verifier = createVerifier(fromEnv({ JWT_ISSUER: issuer, JWT_AUDIENCE: AUDIENCE }));
    assert.equal((await verifier.verify(await sign(pair, goodClaims({ iss: issuer })))).key.kid, 'discovery-key');
  });

  async function cli(args) {
    let stdout = '';
    let stderr = '';
    const code = await run(args, {
      stdin: [],
      stdout: { write: (text) => { stdout += text; } },
      stderr: { write: (text) => { stderr += text; } },
      env: {},
    });
    return { code, stdout, stderr };
  }

  test('jwtguard verify --discovery <issuer with a path> on an RFC 8414-only server', async () => {
    const s = await start({ [`${OAUTH}/tenant1`]: metadata((origin) => `${origin}/tenant1`) });
    const issuer = `${s.origin}/tenant1`;
    const token = await sign(pair, goodClaims({ iss: issuer }));
    const byIssuer = await cli(['verify', token, '--discovery', issuer, '--audience', AUDIENCE, '--json']);
    assert.equal(byIssuer.code, 0, byIssuer.stderr);
    assert.equal(JSON.parse(byIssuer.stdout).valid, true);
  });

  test('jwtguard verify --discovery <an RFC 8414 metadata url> reads that URL alone', async () => {
    // The OpenID URL fails: taken for an issuer, the metadata URL would fail too.
    const s = await start({
      [`/tenant1${OPENID}`]: () => ({ status: 500 }),
      [`${OAUTH}/tenant1`]: metadata((origin) => `${origin}/tenant1`),
    });
    const issuer = `${s.origin}/tenant1`;
    const token = await sign(pair, goodClaims({ iss: issuer }));
    const byUrl = await cli(['verify', token, '--issuer', issuer, '--discovery', `${s.origin}${OAUTH}/tenant1`, '--audience', AUDIENCE, '--json']);
    assert.equal(byUrl.code, 0, byUrl.stderr);
    assert.deepEqual(s.hits, [`${OAUTH}/tenant1`, '/jwks']);
  });
});
