// jwtguard verify gives the server's verdict: `--env` configures exactly as
// fromEnv does, and the Entra flags (--app-only, --token-version) with a
// key-source override (--jwks beside --entra-tenant) check what the preset
// checks. Tokens come from a createTestIssuer stand-in on 127.0.0.1.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { createTestIssuer } from '@jwtguard/jwtguard/testing';
import { run } from '../../js/cli/main.js';

const TENANT = 'aaaabbbb-0000-cccc-1111-dddd2222eeee';
let entra;

before(async () => {
  entra = await createTestIssuer({ entra: { tenant: TENANT, version: 2 } });
});
after(() => entra.close());

async function cli(args, env = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdin: Readable.from([]),
    stdout: { write: (s) => { stdout += s; } },
    stderr: { write: (s) => { stderr += s; } },
    env,
  });
  return { code, stdout, stderr };
}

test('the same verdicts from --env, --env-file with --prefix, and the flags', async () => {
  const app = entra.mint({ roles: ['Tasks.Read'] });
  const delegated = entra.mint({ roles: ['Tasks.Read'], scp: 'Tasks.Read' });
  const env = { ...entra.env, AZURE_API_APP_ONLY: 'true', JWT_REQUIRED_ROLES: 'Tasks.Read' };
  const dir = mkdtempSync(join(tmpdir(), 'jwtguard-env-'));
  const file = join(dir, '.env');
  writeFileSync(file, Object.entries(env).map(([name, value]) => `MYAPI_${name}=${value}`).join('\n'));
  const flags = ['--entra-tenant', TENANT, '--client-id', entra.clientId, '--token-version', '2', '--app-only', '--require-role', 'Tasks.Read', '--jwks', entra.jwksUri];
  const ways = [
    [['--env'], env],
    [['--env', '--env-file', file, '--prefix', 'MYAPI_'], {}],
    [flags, {}],
  ];
  for (const [args, environment] of ways) {
    const valid = await cli(['verify', app, ...args], environment);
    assert.equal(valid.code, 0, `${args.join(' ')}: ${valid.stderr}`);
    assert.match(valid.stdout, /^valid: /);
    const refused = await cli(['verify', delegated, ...args], environment);
    assert.equal(refused.code, 1, args.join(' '));
    assert.match(refused.stderr, /^rejected: ERR_CLAIM_INVALID/);
  }
  // Without --app-only the delegated token passes: the flag is what made the difference.
  assert.equal((await cli(['verify', delegated, ...flags.filter((flag) => flag !== '--app-only')])).code, 0);
});

test('--env takes no other configuration flag; --env-file and --prefix need --env', async () => {
  for (const args of [['--env', '--issuer', 'https://x'], ['--env', '--app-only'], ['--env-file', '.env', '--jwks', 'k.json'], ['--env', '--policy', 'p.json']]) {
    const { code, stderr } = await cli(['verify', 'a.b.c', ...args], entra.env);
    assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
  }
  // A flag's value is checked as its variable's: the flag is named.
  const { code, stderr } = await cli(['verify', 'a.b.c', '--entra-tenant', TENANT, '--client-id', entra.clientId, '--token-version', '3']);
  assert.equal(code, 2);
  assert.match(stderr, /--token-version/);
  const preset = await cli(['verify', 'a.b.c', '--entra-tenant', TENANT, '--client-id', entra.clientId, '--app-only', '--forbid-claim', 'scp']);
  assert.equal(preset.code, 2);
  assert.match(preset.stderr, /--forbid-claim sets forbiddenClaims, which the Entra preset sets itself/);
});

test('--json prints one object on stdout for every outcome; times are for people, with the seconds in JSON', async () => {
  const now = Math.floor(Date.now() / 1000);
  const flags = ['--entra-tenant', TENANT, '--client-id', entra.clientId, '--token-version', '2', '--app-only', '--jwks', entra.jwksUri];
  // Valid: the claims, and each time with its seconds and phrase.
  const valid = await cli(['verify', entra.mint({ roles: ['r'] }), ...flags, '--json']);
  assert.equal(valid.code, 0);
  const accepted = JSON.parse(valid.stdout);
  assert.equal(accepted.valid, true);
  assert.equal(accepted.claims.tid, TENANT);
  assert.match(accepted.times.exp.phrase, /^expires in (59 min|1 h)$/);
  // Refused: code, claim, reason, detail on stdout, exit 1 as without --json.
  const refused = await cli(['verify', entra.mint({ roles: ['r'], scp: 'x' }), ...flags, '--json']);
  assert.equal(refused.code, 1);
  assert.deepEqual(JSON.parse(refused.stdout), { valid: false, code: 'ERR_CLAIM_INVALID', claim: 'scp', reason: 'claim is invalid', detail: '"scp" must be absent' });
  // Expired 3 h 12 min ago: the phrase in text, the seconds in JSON.
  const old = entra.mint({ roles: ['r'], iat: now - 4 * 3600, nbf: now - 4 * 3600, exp: now - (3 * 3600 + 12 * 60 + 5) });
  const text = await cli(['verify', old, ...flags]);
  assert.equal(text.code, 1);
  assert.match(text.stderr, /^rejected: ERR_TOKEN_EXPIRED: .*\n {2}expired 3 h 12 min ago \(exp \d{4}-\d\d-\d\dT[\d:]+Z\)\n$/);
  const json = JSON.parse((await cli(['verify', old, ...flags, '--json'])).stdout);
  assert.equal(json.code, 'ERR_TOKEN_EXPIRED');
  assert.equal(json.time.claim, 'exp');
  assert.ok(json.time.seconds <= -(3 * 3600 + 12 * 60 + 5) && json.time.seconds > -(3 * 3600 + 13 * 60), String(json.time.seconds));
  assert.equal(json.time.phrase, 'expired 3 h 12 min ago');
  // Far times read in years.
  const far = JSON.parse((await cli(['verify', entra.mint({ roles: ['r'], exp: now + 25 * 366 * 86400 }), ...flags, '--json'])).stdout);
  assert.equal(far.times.exp.phrase, 'expires in 25 years');
  // Keys that cannot be had: still one object on stdout, exit 1.
  const down = await cli(['verify', entra.mint(), '--entra-tenant', TENANT, '--client-id', entra.clientId, '--jwks', 'http://127.0.0.1:1/keys', '--json']);
  assert.equal(down.code, 1);
  assert.deepEqual([JSON.parse(down.stdout).valid, JSON.parse(down.stdout).keysUnavailable], [false, true]);
});
