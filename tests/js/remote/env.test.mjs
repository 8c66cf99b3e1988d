// fromEnv: the variables deployments set, the options they give, and every
// unknown or contradictory setting refused with the variable named. The
// generic path is also run end to end against the local oidc-provider.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createVerifier, fromEnv } from '@jwtguard/jwtguard';
import { CLIENT_ID, RESOURCE, SCOPE, startProvider } from '../../../scripts/local-provider.mjs';
import { fakeFetch, jsonResponse } from './net.mjs';

const TENANT = 'aaaabbbb-0000-cccc-1111-dddd2222eeee';
const API = '00001111-aaaa-2222-bbbb-3333cccc4444';

/** The options without the key source, and the source's kind and URL. */
function describeOptions(options) {
  const { keys, ...policy } = options;
  return { policy, keys: { kind: keys.kind, url: keys.url } };
}

test('Entra ID from AZURE_TENANT_ID and AZURE_API_CLIENT_ID', () => {
  const options = fromEnv({
    AZURE_TENANT_ID: TENANT,
    AZURE_API_CLIENT_ID: API,
    JWT_REQUIRED_ROLES: 'Orders.Read.All, Orders.Write.All',
    JWT_ALLOWED_CLIENTS: '11112222-bbbb-3333-cccc-4444dddd5555',
    PATH: '/usr/bin',
    AZURE_CLIENT_SECRET: 'the Azure SDK reads this, not us',
  });
  assert.deepEqual(describeOptions(options), {
    policy: {
      issuer: [`https://sts.windows.net/${TENANT}/`, `https://login.microsoftonline.com/${TENANT}/v2.0`],
      audience: [API, `api://${API}`],
      algorithms: ['RS256'],
      roles: ['Orders.Read.All', 'Orders.Write.All'],
      clients: ['11112222-bbbb-3333-cccc-4444dddd5555'],
      tenants: [TENANT],
      requirePermission: true,
    },
    keys: { kind: 'discovery', url: `https://login.microsoftonline.com/${TENANT}/.well-known/openid-configuration` },
  });
  assert.deepEqual(fromEnv({ AZURE_TENANT_ID: 'common', AZURE_AUDIENCE: 'api://orders,https://orders.example', JWT_ALLOWED_TENANTS: '*' }).audience, ['api://orders', 'https://orders.example']);
});

test('tenants, any-of lists and the default scope', () => {
  const multi = { AZURE_TENANT_ID: 'organizations', AZURE_API_CLIENT_ID: API };
  assert.equal(fromEnv({ ...multi, JWT_ALLOWED_TENANTS: '*' }).tenants, '*');
  assert.deepEqual(fromEnv({ ...multi, JWT_ALLOWED_TENANTS: `${TENANT}, ${API}` }).tenants, [TENANT, API]);
  const generic = { JWT_ISSUER: 'https://login.microsoftonline.com/{tenantid}/v2.0', JWT_AUDIENCE: API, JWT_JWKS_URI: 'https://login.microsoftonline.com/common/discovery/v2.0/keys' };
  assert.deepEqual(fromEnv({ ...generic, JWT_ALLOWED_TENANTS: TENANT }).tenants, [TENANT]);
  assert.equal(fromEnv({ ...generic, JWT_ALLOWED_TENANTS: '*' }).tenants, '*');
  // The core refuses a {tenantid} issuer without tenants; fromEnv asks it
  // at once, so the error names the variable and both forms.
  for (const env of [generic, { ...generic, JWT_ALLOWED_TENANTS: ` , ` }, { ...generic, JWT_ALLOWED_TENANTS: `*,${TENANT}` }]) {
    assert.throws(() => fromEnv(env), (error) => error.code === 'ERR_POLICY_INVALID' && error.claim === 'JWT_ALLOWED_TENANTS', JSON.stringify(env));
  }
  assert.throws(() => fromEnv(generic), /JWT_ALLOWED_TENANTS .*tenants: \["<guid>", \.\.\.\].*tenants: "\*"/);
  assert.throws(() => fromEnv(multi), /JWT_ALLOWED_TENANTS .*any Entra tenant's admin .*tenants: \['<guid>', …\].*tenants: '\*'/);
  // Allowed tenants reach the verifier's policy.
  assert.deepEqual(createVerifier(fromEnv({ ...generic, JWT_ALLOWED_TENANTS: TENANT })).policy.tenants, [TENANT]);
  assert.deepEqual(createVerifier(fromEnv({ ...multi, JWT_ALLOWED_TENANTS: '*' })).policy.tenants, ['*']);
  const accepted = fromEnv({ AZURE_TENANT_ID: TENANT, AZURE_API_CLIENT_ID: API, JWT_ACCEPTED_ROLES: 'archivist_administrator,guest', JWT_ACCEPTED_SCOPES: 'tasks.read' });
  assert.deepEqual([accepted.anyRoles, accepted.anyScopes], [['archivist_administrator', 'guest'], ['tasks.read']]);
  const scoped = fromEnv({ AZURE_TENANT_ID: TENANT, AZURE_API_CLIENT_ID: API, AZURE_DEFAULT_SCOPE: `api://${API}/.default` });
  assert.deepEqual(scoped.audience, [API, `api://${API}`]);
  assert.deepEqual(fromEnv({ AZURE_TENANT_ID: TENANT, AZURE_DEFAULT_SCOPE: 'https://orders.example/.default' }).audience, ['https://orders.example']);
  // AZURE_AUDIENCE wins over the default scope.
  assert.deepEqual(fromEnv({ AZURE_TENANT_ID: TENANT, AZURE_AUDIENCE: 'api://a', AZURE_DEFAULT_SCOPE: 'api://b/.default' }).audience, ['api://a']);
});

test('step-up variables: JWT_ACR_VALUES, JWT_MAX_AUTH_AGE, JWT_AUTH_CONTEXT, for either kind', () => {
  const stepUp = { JWT_ACR_VALUES: 'urn:mfa, urn:phr', JWT_MAX_AUTH_AGE: '300', JWT_AUTH_CONTEXT: 'c1,c25' };
  const want = { acrValues: ['urn:mfa', 'urn:phr'], maxAuthAge: 300, authContext: ['c1', 'c25'] };
  for (const env of [{ JWT_ISSUER: 'https://idp.example', JWT_AUDIENCE: 'api://x' }, { AZURE_TENANT_ID: TENANT, AZURE_API_CLIENT_ID: API }]) {
    const options = fromEnv({ ...env, ...stepUp });
    assert.deepEqual({ acrValues: options.acrValues, maxAuthAge: options.maxAuthAge, authContext: options.authContext }, want);
    const { policy } = createVerifier(options);
    assert.deepEqual({ acrValues: policy.acrValues, maxAuthAge: policy.maxAuthAge, authContext: policy.authContext }, want);
  }
});

test('with a prefix, exactly the prefixed names are read', () => {
  const env = {
    INFLUXION_AZURE_TENANT_ID: TENANT,
    INFLUXION_AZURE_API_CLIENT_ID: API,
    INFLUXION_AZURE_DEFAULT_SCOPE: `api://${API}/.default`,
    INFLUXION_VAULT_URL: 'https://vault.example',
    JWT_ISSUER: 'https://ignored.example',
    AZURE_API_CLIENT_ID: 'not-read',
  };
  const options = fromEnv(env, { prefix: 'INFLUXION_' });
  assert.deepEqual(options.audience, [API, `api://${API}`]);
  assert.deepEqual(options.tenants, [TENANT]);
  const table = [
    [{ ...env, INFLUXION_JWT_REQUIRED_ROLE: 'x' }, { prefix: 'INFLUXION_' }, 'INFLUXION_JWT_REQUIRED_ROLE'],
    [{ ...env, INFLUXION_AZURE_API_AUDIENCE: 'x' }, { prefix: 'INFLUXION_' }, 'INFLUXION_AZURE_API_AUDIENCE'],
    [{ ...env, INFLUXION_AZURE_DEFAULT_SCOPE: `api://${API}` }, { prefix: 'INFLUXION_' }, 'INFLUXION_AZURE_DEFAULT_SCOPE'],
    [{ ...env, INFLUXION_AZURE_API_CLIENT_ID: 'orders' }, { prefix: 'INFLUXION_' }, 'INFLUXION_AZURE_API_CLIENT_ID'],
    [{ INFLUXION_AZURE_API_CLIENT_ID: API }, { prefix: 'INFLUXION_' }, 'INFLUXION_AZURE_TENANT_ID'],
    [env, { prefix: 'influxion_' }, 'prefix'],
    [env, { prefix: 'INFLUXION' }, 'prefix'],
  ];
  for (const [vars, options, variable] of table) {
    assert.throws(() => fromEnv(vars, options), (error) => {
      assert.equal(error.code, 'ERR_POLICY_INVALID', error.message);
      assert.equal(error.claim, variable, error.message);
      return true;
    });
  }
});

test('any issuer from JWT_ISSUER and JWT_AUDIENCE, with discovery or JWT_JWKS_URI', () => {
  const env = { JWT_ISSUER: 'https://idp.example', JWT_AUDIENCE: 'https://api.example', JWT_REQUIRED_SCOPES: 'tasks:read,,tasks:write ' };
  assert.deepEqual(describeOptions(fromEnv(env)), {
    policy: { issuer: ['https://idp.example'], audience: ['https://api.example'], scopes: ['tasks:read', 'tasks:write'] },
    keys: { kind: 'discovery', url: 'https://idp.example/.well-known/openid-configuration' },
  });
  assert.deepEqual(describeOptions(fromEnv({ ...env, JWT_JWKS_URI: 'https://idp.example/keys' })).keys, { kind: 'remote', url: 'https://idp.example/keys' });
  // AZURE_TENANT_ID alone belongs to the Azure SDK and does not switch to Entra ID.
  assert.deepEqual(fromEnv({ ...env, AZURE_TENANT_ID: TENANT }).issuer, ['https://idp.example']);
  // Empty variables count as unset.
  assert.equal(fromEnv({ ...env, JWT_JWKS_URI: '' }).keys.kind, 'discovery');
});

test('unknown or contradictory settings are ERR_POLICY_INVALID naming the variable', () => {
  const generic = { JWT_ISSUER: 'https://idp.example', JWT_AUDIENCE: 'api://x' };
  const entra = { AZURE_TENANT_ID: TENANT, AZURE_API_CLIENT_ID: API };
  const table = [
    [{}, 'JWT_ISSUER'],
    [{ ...generic, JWT_ISSUERS: 'https://other.example' }, 'JWT_ISSUERS'],
    [{ ...generic, JWT_REQUIRED_ROLE: 'admin' }, 'JWT_REQUIRED_ROLE'],
    [{ ...entra, AZURE_API_AUDIENCE: 'api://x' }, 'AZURE_API_AUDIENCE'],
    [{ JWT_ISSUER: 'https://idp.example' }, 'JWT_AUDIENCE'],
    [{ ...generic, JWT_AUDIENCE: ' , ' }, 'JWT_AUDIENCE'],
    [{ ...generic, JWT_ISSUER: 'http://idp.example' }, 'JWT_ISSUER'],
    [{ ...generic, JWT_JWKS_URI: 'ftp://idp.example/keys' }, 'JWT_JWKS_URI'],
    [{ ...generic, JWT_REQUIRED_ROLES: ',' }, 'JWT_REQUIRED_ROLES'],
    [{ ...generic, JWT_ALLOWED_CLIENTS: 42 }, 'JWT_ALLOWED_CLIENTS'],
    [{ ...entra, ...generic }, 'JWT_ISSUER'],
    [{ ...entra, JWT_JWKS_URI: 'ftp://idp.example/keys' }, 'JWT_JWKS_URI'],
    [{ ...entra, JWT_JWKS_URI: 'https://idp.example/keys', JWT_DISCOVERY_URL: 'https://idp.example/.well-known/openid-configuration' }, 'JWT_JWKS_URI'],
    [{ ...generic, JWT_JWKS_URI: 'https://idp.example/keys', JWT_DISCOVERY_URL: 'https://idp.example/.well-known/openid-configuration' }, 'JWT_DISCOVERY_URL'],
    [{ ...generic, JWT_ISSUER: 'https://a.example,https://b.example' }, 'JWT_ISSUER'],
    [{ ...entra, AZURE_API_APP_ONLY: 'yes' }, 'AZURE_API_APP_ONLY'],
    [{ ...entra, AZURE_API_APP_ONLY: 'true', JWT_FORBIDDEN_CLAIMS: 'scp' }, 'JWT_FORBIDDEN_CLAIMS'],
    [{ ...entra, JWT_ALGORITHMS: 'RS256' }, 'JWT_ALGORITHMS'],
    [{ ...entra, AZURE_API_TOKEN_VERSION: '3' }, 'AZURE_API_TOKEN_VERSION'],
    [{ ...entra, AZURE_API_CLOUD: 'mars' }, 'AZURE_API_CLOUD'],
    [{ ...entra, AZURE_API_B2C: '{' }, 'AZURE_API_B2C'],
    [{ ...generic, JWT_MAX_TOKEN_AGE: '1h' }, 'JWT_MAX_TOKEN_AGE'],
    [{ ...generic, JWT_REQUIRE_EXP: 'no' }, 'JWT_REQUIRE_EXP'],
    [{ ...generic, JWT_CLAIM_VALUES: '["idtyp"]' }, 'JWT_CLAIM_VALUES'],
    [{ ...generic, JWT_MAX_TOKEN_SIZE: '999999999' }, 'JWT_MAX_TOKEN_SIZE'],
    [{ ...entra, JWT_AUDIENCE: 'api://x' }, 'JWT_AUDIENCE'],
    [{ AZURE_API_CLIENT_ID: API }, 'AZURE_TENANT_ID'],
    [{ ...entra, AZURE_TENANT_ID: 'contoso.com' }, 'AZURE_TENANT_ID'],
    [{ ...entra, AZURE_API_CLIENT_ID: 'orders-api' }, 'AZURE_API_CLIENT_ID'],
    [{ ...entra, AZURE_TENANT_ID: 'common' }, 'JWT_ALLOWED_TENANTS'],
    [{ ...entra, AZURE_TENANT_ID: 'common', JWT_ALLOWED_TENANTS: 'contoso' }, 'JWT_ALLOWED_TENANTS'],
    [{ ...entra, JWT_ACCEPTED_ROLES: ' , ' }, 'JWT_ACCEPTED_ROLES'],
    [{ ...entra, JWT_ALLOWED_TENANT: '*' }, 'JWT_ALLOWED_TENANT'],
    [{ ...generic, JWT_MAX_AUTH_AGE: '5m' }, 'JWT_MAX_AUTH_AGE'],
    [{ ...generic, JWT_MAX_AUTH_AGE: '-1' }, 'JWT_MAX_AUTH_AGE'],
    [{ ...entra, JWT_MAX_AUTH_AGE: '1.5' }, 'JWT_MAX_AUTH_AGE'],
    [{ ...generic, JWT_AUTH_CONTEXT: 'c0' }, 'JWT_AUTH_CONTEXT'],
    [{ ...entra, JWT_AUTH_CONTEXT: 'c1,C2' }, 'JWT_AUTH_CONTEXT'],
    [{ ...generic, JWT_ACR_VALUES: ' , ' }, 'JWT_ACR_VALUES'],
  ];
  for (const [env, variable] of table) {
    assert.throws(() => fromEnv(env), (error) => {
      assert.equal(error.code, 'ERR_POLICY_INVALID', `${JSON.stringify(env)}: ${error.message}`);
      assert.equal(error.claim, variable, error.message);
      assert.ok(error.message.includes(variable), error.message);
      return true;
    });
  }
  // The core judges the members' contents.
  assert.throws(() => fromEnv({ ...generic, JWT_CLAIM_VALUES: '{"idtyp": "app"}' }), (error) => error.code === 'ERR_POLICY_INVALID');
  assert.throws(() => fromEnv(generic, { retries: 3 }), (error) => error.code === 'ERR_POLICY_INVALID' && error.claim === '"retries"');
});

test('the Entra variables for app-only v2 tokens, other policy members, and a key-source override', () => {
  const options = fromEnv({
    AZURE_TENANT_ID: TENANT,
    AZURE_API_CLIENT_ID: API,
    AZURE_API_TOKEN_VERSION: '2',
    AZURE_API_APP_ONLY: 'true',
    JWT_TYP: 'JWT',
    JWT_MAX_TOKEN_AGE: '3600',
    JWT_CLOCK_TOLERANCE: '30',
    JWT_JWKS_URI: 'http://127.0.0.1:1/keys',
  });
  assert.deepEqual(describeOptions(options), {
    policy: {
      issuer: [`https://login.microsoftonline.com/${TENANT}/v2.0`],
      audience: [API, `api://${API}`],
      algorithms: ['RS256'],
      tenants: [TENANT],
      requirePermission: true,
      forbiddenClaims: ['scp'],
      claimValues: { idtyp: ['app'] },
      typ: ['JWT'],
      maxTokenAge: 3600,
      clockTolerance: 30,
    },
    keys: { kind: 'remote', url: 'http://127.0.0.1:1/keys' },
  });
  // The discovery document may live elsewhere too; its issuer is still Entra's.
  const elsewhere = fromEnv({ AZURE_TENANT_ID: TENANT, AZURE_API_CLIENT_ID: API, JWT_DISCOVERY_URL: 'http://127.0.0.1:1/.well-known/openid-configuration' });
  assert.deepEqual(describeOptions(elsewhere).keys, { kind: 'discovery', url: 'http://127.0.0.1:1/.well-known/openid-configuration' });
  const generic = fromEnv({ JWT_ISSUER: 'https://idp.example', JWT_AUDIENCE: 'api://x', JWT_REQUIRE_EXP: 'false', JWT_CLAIM_VALUES: '{"idtyp": ["app"]}', JWT_MAX_TOKEN_SIZE: '8192' });
  assert.deepEqual([generic.requireExp, generic.claimValues, generic.maxTokenSize], [false, { idtyp: ['app'] }, 8192]);
});

test('key-source options reach the key source: an injected fetch serves the Entra metadata', async () => {
  const { fetch, calls } = fakeFetch((url) => (url.endsWith('openid-configuration')
    ? jsonResponse({ issuer: `https://sts.windows.net/${TENANT}/`, jwks_uri: `https://login.microsoftonline.com/${TENANT}/discovery/keys` })
    : jsonResponse({ keys: [] })));
  const options = fromEnv({ AZURE_TENANT_ID: TENANT, AZURE_API_CLIENT_ID: API }, { fetch });
  await assert.rejects(options.keys.load(), (error) => error.code === 'ERR_JWKS_INVALID');
  assert.deepEqual(calls, [
    `https://login.microsoftonline.com/${TENANT}/.well-known/openid-configuration`,
    `https://login.microsoftonline.com/${TENANT}/discovery/keys`,
  ]);
});

test('end to end: JWT_* pointing at the local oidc-provider', async () => {
  const provider = await startProvider();
  try {
    const verifier = createVerifier(fromEnv({
      JWT_ISSUER: provider.issuer,
      JWT_AUDIENCE: RESOURCE,
      JWT_REQUIRED_SCOPES: SCOPE,
      JWT_ALLOWED_CLIENTS: CLIENT_ID,
    }));
    const { claims } = await verifier.verify(await provider.token());
    assert.equal(claims.client_id, CLIENT_ID);
  } finally {
    await provider.stop();
  }
});
