// The command line's manners: --version, each command's --help, usage errors
// (exit 2, "usage:"), rejected tokens (exit 1, "rejected:"), and key sets
// that cannot be had, named by their file or URL (exit 1).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { run } from '../../js/cli/main.js';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from './helpers.mjs';

const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const COMMANDS = ['inspect', 'verify', 'token'];

/** Runs the CLI in-process; `stdin` is a stream (a terminal never ends). */
async function cli(args, { stdin = Readable.from([]) } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdin,
    stdout: { write: (s) => { stdout += s; } },
    stderr: { write: (s) => { stderr += s; } },
    env: {},
  });
  return { code, stdout, stderr };
}

/** A terminal: reports isTTY and never delivers input or ends. */
function terminal() {
  const stream = new Readable({ read() {} });
  stream.isTTY = true;
  return stream;
}

describe('CLI: version and help', () => {
  test('--version prints the package version', async () => {
    const { code, stdout } = await cli(['--version']);
    assert.equal(code, 0);
    assert.equal(stdout, `jwtguard ${PACKAGE.version} (${PACKAGE.name})\n`);
  });

  test('--help lists every command and --version', async () => {
    const { code, stdout } = await cli(['--help']);
    assert.equal(code, 0);
    for (const command of COMMANDS) assert.match(stdout, new RegExp(`\\n  ${command} `));
    assert.match(stdout, /jwtguard --version/);
  });

  for (const command of COMMANDS) {
    test(`${command} --help prints that command's help only`, async () => {
      const { code, stdout } = await cli([command, '--help']);
      assert.equal(code, 0);
      assert.match(stdout, new RegExp(`^usage: jwtguard ${command} `));
      for (const other of COMMANDS.filter((c) => c !== command)) {
        assert.doesNotMatch(stdout, new RegExp(`jwtguard ${other} `));
      }
    });
  }

  test('no command: the usage on stderr, exit 2', async () => {
    const { code, stdout, stderr } = await cli([]);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /^usage: jwtguard <command>/);
  });
});

describe('CLI: usage errors, rejections and unusable keys', () => {
  let dir;
  let key;
  let jwksPath;
  let server;
  let base;
  let closedUrl;

  before(async () => {
    key = await keyPair('ES256', 'usage-key');
    dir = mkdtempSync(join(tmpdir(), 'jwtguard-cli-usage-'));
    jwksPath = join(dir, 'jwks.json');
    writeFileSync(jwksPath, JSON.stringify({ keys: [key.jwk] }));
    writeFileSync(join(dir, 'not-json.json'), '{"keys": [');
    writeFileSync(join(dir, 'no-keys.json'), '{"kty": "EC"}');
    writeFileSync(join(dir, 'unusable.json'), JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA', kid: 'h' }] }));
    writeFileSync(join(dir, 'unknown-member.json'), JSON.stringify({ issuer: ISSUER, audience: AUDIENCE, audiences: ['x'] }));
    server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.url === '/other/.well-known/openid-configuration') {
        response.end(JSON.stringify({ issuer: 'https://someone-else.test', jwks_uri: `${base}/jwks` }));
      } else if (request.url === '/jwks-not-json') {
        response.end('<html>');
      } else {
        response.statusCode = 404;
        response.end('{}');
      }
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${server.address().port}`;
    const closed = createServer();
    await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
    closedUrl = `http://127.0.0.1:${closed.address().port}/jwks`;
    await new Promise((resolve) => closed.close(resolve));
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  const policy = () => ['--issuer', ISSUER, '--audience', AUDIENCE];

  test('inspect and verify with no token on a terminal print usage instead of waiting', async () => {
    for (const args of [['inspect'], ['verify', '--jwks', jwksPath, ...policy()]]) {
      const { code, stderr } = await cli(args, { stdin: terminal() });
      assert.equal(code, 2, stderr);
      assert.match(stderr, /^jwtguard: no token given/);
      assert.match(stderr, new RegExp(`\\nusage: jwtguard ${args[0]} `));
    }
  });

  // [name, args (made when the row runs), stderr pattern]: each exits 2.
  const usage = [
    ['an unknown command', () => ['frobnicate'], /^jwtguard: unknown command "frobnicate"\nusage: jwtguard <command>/],
    ['an unknown option', () => ['verify', '--nope'], /Unknown option '--nope'.*\nusage: jwtguard verify /s],
    ['a missing audience', () => ['verify', 'a.b.c', '--jwks', jwksPath, '--issuer', ISSUER], /give --audience.*\nusage: jwtguard verify /s],
    ['a policy member the library refuses', () => ['verify', 'a.b.c', '--jwks', jwksPath, '--policy', join(dir, 'unknown-member.json')], /^jwtguard: ERR_POLICY_INVALID: .*audiences.*\nusage: jwtguard verify /s],
    ['a JWKS file that is not JSON', () => ['verify', 'a.b.c', '--jwks', join(dir, 'not-json.json'), ...policy()], /--jwks: \S+not-json\.json is not valid JSON \(/],
    ['a JWKS file without a keys array', () => ['verify', 'a.b.c', '--jwks', join(dir, 'no-keys.json'), ...policy()], /--jwks: \S+no-keys\.json is not a JWKS \(expected a JSON object with a "keys" array\)/],
    ['a JWKS file that does not exist', () => ['verify', 'a.b.c', '--jwks', join(dir, 'missing.json'), ...policy()], /--jwks: cannot read "\S+missing\.json" \(ENOENT\)/],
    ['a token flag for inspect', () => ['inspect', 'a.b.c', '--audience', 'x'], /Unknown option '--audience'.*\nusage: jwtguard inspect /s],
  ];
  for (const [name, args, pattern] of usage) {
    test(`usage error, exit 2: ${name}`, async () => {
      const { code, stdout, stderr } = await cli(args());
      assert.equal(code, 2, stderr);
      assert.equal(stdout, '');
      assert.match(stderr, pattern);
      assert.match(stderr, /\nusage: /);
    });
  }

  test('a rejected token exits 1 with "rejected:" and its code', async () => {
    const token = await sign(key, goodClaims({ aud: 'api://someone-else' }));
    const { code, stderr } = await cli(['verify', token, '--jwks', jwksPath, ...policy()]);
    assert.equal(code, 1);
    assert.match(stderr, /^rejected: ERR_AUDIENCE_INVALID: /);
    const valid = await cli(['verify', await sign(key), '--jwks', jwksPath, ...policy()]);
    assert.equal(valid.code, 0, valid.stderr);
  });

  // [name, args (made when the row runs), stderr pattern]: the keys cannot be had, exit 1.
  const unusable = [
    ['a JWKS file with no usable key', () => ['--jwks', join(dir, 'unusable.json'), ...policy()], /^jwtguard: cannot load the keys from --jwks \S+unusable\.json: ERR_JWKS_INVALID: /],
    ['an unreachable JWKS url', () => ['--jwks', closedUrl, ...policy()], /^jwtguard: cannot load the keys from http:\/\/127\.0\.0\.1:\d+\/jwks: ERR_JWKS_FETCH_FAILED: .*GET http:\/\/127\.0\.0\.1:\d+\/jwks: ECONNREFUSED/],
    ['a JWKS url that answers 404', () => ['--jwks', `${base}/missing`, ...policy()], /^jwtguard: cannot load the keys from http:\/\/127\.0\.0\.1:\d+\/missing: ERR_JWKS_FETCH_FAILED: .*answered 404/],
    ['a JWKS url that answers HTML', () => ['--jwks', `${base}/jwks-not-json`, ...policy()], /^jwtguard: cannot load the keys from http:\/\/127\.0\.0\.1:\d+\/jwks-not-json: ERR_JWKS_INVALID: /],
    ['a discovery document naming another issuer', () => ['--discovery', `${base}/other`, '--audience', AUDIENCE], /^jwtguard: cannot load the keys from http:\/\/127\.0\.0\.1:\d+\/other\/\.well-known\/openid-configuration: ERR_DISCOVERY_INVALID: .*someone-else/],
    ['an unreachable discovery url', () => ['--discovery', closedUrl.replace('/jwks', '/idp'), '--audience', AUDIENCE], /^jwtguard: cannot load the keys from http:\/\/127\.0\.0\.1:\d+\/idp\/\.well-known\/openid-configuration: ERR_JWKS_FETCH_FAILED: .*ECONNREFUSED/],
  ];
  for (const [name, args, pattern] of unusable) {
    test(`keys unavailable, exit 1: ${name}`, async () => {
      const { code, stderr } = await cli(['verify', await sign(key), ...args()]);
      assert.equal(code, 1, stderr);
      assert.match(stderr, pattern);
      assert.doesNotMatch(stderr, /rejected:/);
    });
  }
});
