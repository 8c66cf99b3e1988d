// Certificate-bound tokens (RFC 8705) through a Node adapter that terminates
// TLS itself: the shared table every Node adapter test runs
// (tests/frameworks/*.test.mjs, tests/servers/mtls.test.mjs) against its own
// HTTPS server on 127.0.0.1 that asks for a client certificate and lets any
// through (`requestCert: true, rejectUnauthorized: false`): RFC 8705 §3
// binds the token to the certificate's SHA-256 thumbprint, self-signed ones
// included. The certificates are made by the openssl CLI into a temporary
// directory when the suite starts; the tokens are signed by jose, with
// `cnf: { 'x5t#S256': <thumbprint> }`. WWW-Authenticate is parsed and
// compared whole.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseChallenges } from '../js/challenges.mjs';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from '../js/helpers.mjs';

/** The role the apps' `/api/whoami` requires (as in cases.mjs). */
const ROLE = 'Data.Read';

/** How long one request may take before the test fails. */
const REQUEST_TIMEOUT_MS = 10_000;

/** What a refused certificate-bound token is told. */
const BOUND = 'ERR_TOKEN_BOUND: token is bound to a key and was not presented with it';

/**
 * A self-signed P-256 certificate for `name` made by the openssl CLI in
 * `dir`: `{ key, cert }` as PEM text.
 */
function certificate(dir, name, extension) {
  const [key, cert] = [join(dir, `${name}.key`), join(dir, `${name}.crt`)];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${name}`, ...(extension ? ['-addext', extension] : [])], { stdio: 'ignore' });
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

/** The base64url SHA-256 of a certificate's DER: its `x5t#S256`. */
const thumbprint = (pem) => createHash('sha256').update(new X509Certificate(pem).raw).digest('base64url');

/**
 * GET `url` over HTTPS (a new connection, no session reuse), trusting `ca`,
 * with the `client` certificate when given: `{ status, body, challenges }`.
 */
function get(url, { ca, client, authorization }) {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      ca, agent: false, timeout: REQUEST_TIMEOUT_MS, headers: { authorization }, ...(client ? { key: client.key, cert: client.cert } : {}),
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text), challenges: res.headers['www-authenticate'] ?? null }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Registers the mTLS table for one Node adapter: `before` makes the
 * certificates and starts its app over HTTPS, `after` closes it.
 * @param {string} name what the suite is called
 * @param {(app: { options: object[], role: string, settings: object, tls: import('node:https').ServerOptions }) => Promise<{ origin: string, close(): Promise<void> | void }>} start
 *   the app of cases.mjs (`GET /api/whoami` answers `{ sub, key, binding }`), served by `https.createServer(tls, …)` or the framework's HTTPS option
 */
export function mtlsSuite(name, start) {
  describe(`${name}: certificate-bound tokens over its own TLS`, () => {
    let dir;
    let pair;
    let server;
    let clients;
    let app;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'jwtguard-mtls-'));
      server = certificate(dir, 'server', 'subjectAltName=IP:127.0.0.1');
      clients = { right: certificate(dir, 'client-right'), other: certificate(dir, 'client-other') };
      pair = await keyPair('ES256');
      app = await start({
        options: [{ issuer: ISSUER, audience: AUDIENCE, roles: [ROLE], keys: { keys: [pair.jwk] } }],
        role: ROLE,
        settings: { onRefuse: false },
        tls: { key: server.key, cert: server.cert, requestCert: true, rejectUnauthorized: false },
      });
      assert.ok(app.origin.startsWith('https://127.0.0.1:'), app.origin);
    });
    after(async () => {
      await app?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const bound = () => sign(pair, goodClaims({ cnf: { 'x5t#S256': thumbprint(clients.right.cert) } }));
    const refusedBound = { status: 401, body: { error: 'invalid_token', code: 'ERR_TOKEN_BOUND' },
      challenges: [{ scheme: 'bearer', params: { realm: 'api', error: 'invalid_token', error_description: BOUND } }] };
    const passed = (binding) => ({ status: 200, body: { sub: 'service-principal-1', key: { kid: pair.kid, alg: 'ES256' }, binding }, challenges: [] });

    /** `[name, token(), client certificate name or null, expected answer()]` */
    const ROWS = [
      ['bound, with its certificate → 200', bound, 'right', () => passed({ type: 'mtls', x5tS256: thumbprint(clients.right.cert) })],
      ['bound, with another certificate → 401 invalid_token', bound, 'other', () => refusedBound],
      ['bound, without a certificate → 401 invalid_token', bound, null, () => refusedBound],
      ['unbound bearer, with a certificate → 200', () => sign(pair, goodClaims()), 'right', () => passed(null)],
      ['unbound bearer, without a certificate → 200', () => sign(pair, goodClaims()), null, () => passed(null)],
    ];
    for (const [row, token, client, expected] of ROWS) {
      test(`[mtls] ${row}`, async () => {
        const answer = await get(`${app.origin}/api/whoami`, { ca: server.cert, client: client && clients[client], authorization: `Bearer ${await token()}` });
        assert.deepEqual({ ...answer, challenges: answer.challenges === null ? [] : parseChallenges(answer.challenges) }, expected());
      });
    }
  });
}
