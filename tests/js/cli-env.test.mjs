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
