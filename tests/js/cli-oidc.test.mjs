// The command line against a real OpenID Provider (oidc-provider on
// 127.0.0.1): a client-credentials token for each way a client authenticates
// (client_secret_post, client_secret_basic, private_key_jwt), then verified
// through discovery, as the README's workflow does it.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { run } from '../../js/cli/main.js';
import { CLIENT_ID, CLIENT_SECRET, RESOURCE, SCOPE, startProvider } from '../../scripts/local-provider.mjs';

const CERT_PATH = new URL('../fixtures/cli/client-cert.pem', import.meta.url).pathname;
const KEY_PATH = new URL('../fixtures/cli/client-key.pem', import.meta.url).pathname;
const BASIC_CLIENT = 'daemon-basic';
const CERT_CLIENT = 'daemon-cert';

let provider;
before(async () => {
  const certificateKey = createPublicKey(readFileSync(CERT_PATH)).export({ format: 'jwk' });
  provider = await startProvider({
    clients: [
      { client_id: BASIC_CLIENT, client_secret: CLIENT_SECRET, token_endpoint_auth_method: 'client_secret_basic' },
      { client_id: CERT_CLIENT, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ ...certificateKey, use: 'sig' }] } },
    ],
  });
});
after(() => provider?.stop());

async function cli(args) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdin: [],
    stdout: { write: (s) => { stdout += s; } },
    stderr: { write: (s) => { stderr += s; } },
    env: {},
  });
  return { code, stdout, stderr };
}

describe('jwtguard token → verify against oidc-provider', () => {
  const clients = [
    ['client_secret_post', CLIENT_ID, ['--client-secret', CLIENT_SECRET]],
    ['client_secret_basic', BASIC_CLIENT, ['--client-secret', CLIENT_SECRET, '--secret-auth', 'basic']],
    ['private_key_jwt', CERT_CLIENT, ['--certificate', CERT_PATH, '--key', KEY_PATH]],
  ];
  for (const [method, clientId, auth] of clients) {
    test(`${method}: token, then verify through discovery`, async () => {
      const request = ['token', '--token-endpoint', `${provider.issuer}/token`, '--client-id', clientId, ...auth, '--resource', RESOURCE, '--scope', SCOPE];
      const issued = await cli(request);
      assert.equal(issued.code, 0, issued.stderr);
      const token = issued.stdout.trim();

      const verified = await cli(['verify', token, '--discovery', provider.issuer, '--audience', RESOURCE, '--require-scope', SCOPE, '--allow-client', clientId, '--json']);
      assert.equal(verified.code, 0, verified.stderr);
      const result = JSON.parse(verified.stdout);
      assert.equal(result.valid, true);
      assert.equal(result.header.typ, 'at+jwt');
      assert.equal(result.claims.client_id, clientId);
      assert.equal(result.key.kid, provider.kid);

      const piped = await cli([...request, '--verify', '--discovery', provider.issuer, '--require-scope', SCOPE]);
      assert.equal(piped.code, 0, piped.stderr);
      assert.match(piped.stdout, /^valid: signature verified \(RS256, kid key-[0-9a-f-]+\)/);
      assert.match(piped.stdout, new RegExp(`client    ${clientId}`));
    });
  }

  test('a wrong secret shows the provider\'s error, and the secret is not printed', async () => {
    const wrong = 'not-the-secret-0123456789';
    const { code, stdout, stderr } = await cli(['token', '--token-endpoint', `${provider.issuer}/token`, '--client-id', CLIENT_ID, '--client-secret', wrong, '--resource', RESOURCE]);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /the token endpoint refused: invalid_client/);
    assert.ok(!stderr.includes(wrong));
  });

  test('verify against another audience is rejected with its code', async () => {
    const token = (await cli(['token', '--token-endpoint', `${provider.issuer}/token`, '--client-id', CLIENT_ID, '--client-secret', CLIENT_SECRET, '--resource', RESOURCE])).stdout.trim();
    const { code, stderr } = await cli(['verify', token, '--discovery', provider.issuer, '--audience', 'https://another-api.example']);
    assert.equal(code, 1);
    assert.match(stderr, /^rejected: ERR_AUDIENCE_INVALID: /);
  });
});
