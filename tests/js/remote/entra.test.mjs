// The Entra ID preset against a local server that answers like Entra ID:
// v1 and v2 discovery documents ({tenantid} issuers for common and
// organizations), v1 key sets without and v2 key sets with a per-key
// `issuer`, an app-specific key set (?appid=), B2C and External ID. Its fetch
// is injected: requests for the real Entra hosts go to that server over HTTP.
// Tokens are shaped like the samples in Entra ID's access-token claims reference and signed by jose.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { JwtGuardError, createVerifier, discover, entraId } from '@jwtguard/jwtguard';
import { sendJson, serve } from './net.mjs';

const TENANT = 'aaaabbbb-0000-cccc-1111-dddd2222eeee';
const OTHER_TENANT = '99998888-7777-6666-5555-444433332222';
const MSA_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
const API = '00001111-aaaa-2222-bbbb-3333cccc4444';
const CLIENT = '11112222-bbbb-3333-cccc-4444dddd5555';
const SERVICE_PRINCIPAL = '22223333-cccc-4444-dddd-5555eeee6666';
const B2C_TENANT = '44445555-eeee-6666-ffff-7777aaaa8888';
const GRAPH = '00000003-0000-0000-c000-000000000000';

/** Issuer hosts per login host, as Entra publishes them (Microsoft's national-cloud endpoint documentation). */
const ISSUER_HOSTS = {
  'login.microsoftonline.com': { v2: 'login.microsoftonline.com', v1: 'sts.windows.net' },
  'login.microsoftonline.us': { v2: 'login.microsoftonline.us', v1: 'sts.windows.net' },
  'login.chinacloudapi.cn': { v2: 'login.partner.microsoftonline.cn', v1: 'sts.chinacloudapi.cn' },
};

let keys; // { main, msa, app, b2c }: { privateKey, jwk }
let server;
let entraFetch;

async function rsaKey(kid) {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  // Entra's keys: no alg, x5t equal to kid.
  return { kid, privateKey, jwk: { kty: 'RSA', use: 'sig', kid, x5t: kid, ...(await exportJWK(publicKey)) } };
}

/** The answer of the fake Entra ID for `host` and `path` (with `appid` from the query). */
function entra(host, path, appid) {
  const cache = { 'cache-control': 'max-age=86400, private' };
  const placeholder = (tenant) => (['common', 'organizations'].includes(tenant) ? '{tenantid}' : tenant);
  const hosts = ISSUER_HOSTS[host];
  const withAppid = (url) => (appid ? `${url}?appid=${appid}` : url);
  let m;
  if (hosts && (m = path.match(/^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/))) {
    return [{ issuer: `https://${hosts.v2}/${placeholder(m[1])}/v2.0`, jwks_uri: withAppid(`https://${host}/${m[1]}/discovery/v2.0/keys`) }, cache];
  }
  if (hosts && (m = path.match(/^\/([^/]+)\/\.well-known\/openid-configuration$/))) {
    return [{ issuer: `https://${hosts.v1}/${placeholder(m[1])}/`, jwks_uri: withAppid(`https://${host}/${m[1]}/discovery/keys`) }, cache];
  }
  if (hosts && /^\/[^/]+\/discovery\/v2\.0\/keys$/.test(path)) {
    if (appid) return [{ keys: [{ ...keys.app.jwk, issuer: `https://${hosts.v2}/{tenantid}/v2.0` }] }, cache];
    return [{
      keys: [
        { ...keys.main.jwk, issuer: `https://${hosts.v2}/{tenantid}/v2.0` },
        { ...keys.msa.jwk, issuer: `https://${hosts.v2}/${MSA_TENANT}/v2.0` },
      ],
    }, cache];
  }
  if (hosts && /^\/[^/]+\/discovery\/keys$/.test(path)) {
    return [{ keys: appid ? [keys.app.jwk] : [keys.main.jwk, keys.msa.jwk] }, cache];
  }
  if ((m = host.match(/^([a-z0-9-]+)\.b2clogin\.com$/)) && (path.startsWith(`/${m[1]}.onmicrosoft.com/`))) {
    const base = path.replace(/\/v2\.0\/\.well-known\/openid-configuration$/, '');
    if (base !== path) return [{ issuer: `https://${host}/${B2C_TENANT}/v2.0/`, jwks_uri: `https://${host}${base}/discovery/v2.0/keys` }, cache];
    if (path.endsWith('/discovery/v2.0/keys')) return [{ keys: [keys.b2c.jwk] }, cache];
  }
  if (/^([a-z0-9-]+)\.ciamlogin\.com$/.test(host) && (m = path.match(/^\/([0-9a-f-]{36})\/v2\.0\/\.well-known\/openid-configuration$/))) {
    return [{ issuer: `https://${m[1]}.ciamlogin.com/${m[1]}/v2.0`, jwks_uri: `https://${host}/${m[1]}/discovery/v2.0/keys` }, cache];
  }
  if (host.endsWith('.ciamlogin.com') && path.endsWith('/discovery/v2.0/keys')) {
    const tid = path.split('/')[1];
    return [{ keys: [{ ...keys.main.jwk, issuer: `https://${tid}.ciamlogin.com/${tid}/v2.0` }] }, cache];
  }
  return null;
}

before(async () => {
  keys = {
    main: await rsaKey('FakeKid0AAAAAAAAAAAAAAAAAAA'),
    msa: await rsaKey('FakeMsaKidAAAAAAAAAAAAAAAAA'),
    app: await rsaKey('FakeAppKidAAAAAAAAAAAAAAAAA'),
    b2c: await rsaKey('FakeB2CKidAAAAAAAAAAAAAAAAA'),
  };
  server = await serve((_req, res, url) => {
    const [, host, ...rest] = url.pathname.split('/');
    const answer = entra(host, `/${rest.join('/')}`, url.searchParams.get('appid'));
    if (answer === null) {
      res.writeHead(404);
      return res.end();
    }
    return sendJson(res, ...answer);
  });
  // Requests for Entra's hosts go to the local server: /{host}/{path}?{query}.
  entraFetch = (input, init) => {
    const url = new URL(input);
    return fetch(`${server.origin}/${url.host}${url.pathname}${url.search}`, init);
  };
});
after(() => server.close());

const now = () => Math.floor(Date.now() / 1000);
const times = () => ({ iat: now() - 60, nbf: now() - 60, exp: now() + 4440 });

/** A v1.0 app-only token. */
const v1AppOnly = (over = {}) => ({
  aud: `api://${API}`, iss: `https://sts.windows.net/${TENANT}/`, ...times(), aio: 'E2RgYFakeOpaqueAA==',
  appid: CLIENT, appidacr: '1', idp: `https://sts.windows.net/${TENANT}/`, idtyp: 'app', oid: SERVICE_PRINCIPAL,
  rh: '0.AAAAFakeOpaque.', roles: ['Orders.Read.All', 'Orders.Write.All'], sub: SERVICE_PRINCIPAL, tid: TENANT,
  uti: 'FakeUtiAAAAAAAAAAAAAAA', ver: '1.0', ...over,
});
/** A v2.0 app-only token. */
const v2AppOnly = (over = {}) => ({
  aud: API, iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, ...times(), aio: 'k2BgFakeOpaqueAA==',
  azp: CLIENT, azpacr: '2', idtyp: 'app', oid: SERVICE_PRINCIPAL, rh: '1.AAAAFakeOpaque.', roles: ['Orders.Read.All'],
  sub: SERVICE_PRINCIPAL, tid: TENANT, uti: 'FakeUtiBBBBBBBBBBBBBBBB', ver: '2.0', ...over,
});
/** A v2.0 delegated token. */
const v2Delegated = (over = {}) => ({
  aud: API, iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, ...times(), aio: 'AXQAi/8FakeOpaque==',
  azp: CLIENT, azpacr: '0', name: 'Abe Example', oid: '33334444-dddd-5555-eeee-6666ffff7777',
  preferred_username: 'abe@contoso.example', rh: 'I', scp: 'Orders.Read access_as_user',
  sub: 'HKZpfaFakePairwiseSubjectValue000000000000', tid: TENANT, uti: 'FakeUtiCCCCCCCCCCCCCCCC', ver: '2.0', ...over,
});
/** An Azure AD B2C token, with client-credentials permissions in scp. */
const b2cToken = (over = {}) => ({
  iss: `https://contosob2c.b2clogin.com/${B2C_TENANT}/v2.0/`, ...times(), aud: API, sub: SERVICE_PRINCIPAL,
  tfp: 'B2C_1_susi', scp: 'tasks.read tasks.write', azp: CLIENT, ver: '1.0', ...over,
});

function sign(claims, { key = keys.main, header = {} } = {}) {
  const x5t = claims.ver === '1.0' && key !== keys.b2c ? { x5t: key.kid } : {};
  return new SignJWT(claims).setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: key.kid, ...x5t, ...header }).sign(key.privateKey);
}

const verifierFor = (options) => createVerifier(entraId({ fetch: entraFetch, ...options }));
const single = (over = {}) => ({ tenant: TENANT, clientId: API, ...over });

describe('entraId against an Entra-shaped server', () => {
  const cases = [
    // [name, entraId options, claims, sign options, expected: null | [code, claim]]
    ['v1 app-only, version any', single(), v1AppOnly(), {}, null],
    ['v2 app-only, version any', single(), v2AppOnly(), {}, null],
    ['v1 app-only, version 1', single({ version: 1 }), v1AppOnly(), {}, null],
    ['v2 app-only, version 2', single({ version: 2 }), v2AppOnly(), {}, null],
    ['v2 delegated, version 2, scope required', single({ version: 2, scopes: ['access_as_user'] }), v2Delegated(), {}, null],
    ['v2 app-only with appOnly, roles and clients', single({ version: 2, appOnly: true, roles: ['Orders.Read.All'], clients: [CLIENT] }), v2AppOnly(), {}, null],
    ['v1 app-only with appOnly, roles and clients (appid)', single({ appOnly: true, roles: ['Orders.Write.All'], clients: [CLIENT] }), v1AppOnly(), {}, null],
    ['app-only token without idtyp passes appOnly', single({ appOnly: true }), v2AppOnly({ idtyp: undefined }), {}, null],
    ['explicit audience (App ID URI) with clientId', single({ audience: 'https://orders.contoso.example' }), v1AppOnly({ aud: 'https://orders.contoso.example' }), {}, null],
    ['multi-tenant organizations, any tenant written out, another tenant', { tenant: 'organizations', clientId: API, version: 2, tenants: '*' }, v2AppOnly({ iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`, tid: OTHER_TENANT }), {}, null],
    ['multi-tenant common, any tenant, v1 token', { tenant: 'common', clientId: API, tenants: '*' }, v1AppOnly({ iss: `https://sts.windows.net/${OTHER_TENANT}/`, tid: OTHER_TENANT }), {}, null],
    ['multi-tenant allow-list, listed tenant', { tenant: 'common', clientId: API, tenants: [OTHER_TENANT.toUpperCase()] }, v2AppOnly({ iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`, tid: OTHER_TENANT }), {}, null],
    ['app-specific key set (appKeys)', single({ appKeys: true }), v2AppOnly(), { key: 'app' }, null],
    ['US Government cloud', single({ cloud: 'usgov', version: 2 }), v2AppOnly({ iss: `https://login.microsoftonline.us/${TENANT}/v2.0` }), {}, null],
    ['China cloud, issuer host differs from login host', single({ cloud: 'china' }), v2AppOnly({ iss: `https://login.partner.microsoftonline.cn/${TENANT}/v2.0` }), {}, null],
    ['China cloud v1 issuer', single({ cloud: 'china', version: 1 }), v1AppOnly({ iss: `https://sts.chinacloudapi.cn/${TENANT}/` }), {}, null],

    ['wrong tenant', single(), v2AppOnly({ iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`, tid: OTHER_TENANT }), {}, ['ERR_ISSUER_INVALID', 'iss']],
    ['v1 token against a v2-only policy', single({ version: 2 }), v1AppOnly(), {}, ['ERR_ISSUER_INVALID', 'iss']],
    ['v2 token against a v1-only policy', single({ version: 1 }), v2AppOnly(), {}, ['ERR_ISSUER_INVALID', 'iss']],
    ['multi-tenant allow-list, tenant not listed', { tenant: 'organizations', clientId: API, tenants: [TENANT] }, v2AppOnly({ iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`, tid: OTHER_TENANT }), {}, ['ERR_TENANT_NOT_ALLOWED', 'tid']],
    ['multi-tenant, iss and tid disagree', { tenant: 'common', clientId: API, version: 2, tenants: '*' }, v2AppOnly({ tid: OTHER_TENANT }), {}, ['ERR_ISSUER_INVALID', 'iss']],
    ['v2 key bound to another tenant (per-key issuer)', { tenant: 'common', clientId: API, version: 2, tenants: '*' }, v2AppOnly(), { key: 'msa' }, ['ERR_ISSUER_INVALID', 'iss']],
    ['missing role', single({ roles: ['Orders.Write.All'] }), v2AppOnly(), {}, ['ERR_ROLE_MISSING', 'roles']],
    ['client not in the allow-list (v2 azp)', single({ clients: ['55556666-ffff-7777-aaaa-8888bbbb9999'] }), v2AppOnly(), {}, ['ERR_CLIENT_NOT_ALLOWED', 'azp']],
    ['client not in the allow-list (v1 appid)', single({ clients: ['55556666-ffff-7777-aaaa-8888bbbb9999'] }), v1AppOnly(), {}, ['ERR_CLIENT_NOT_ALLOWED', 'appid']],
    ['delegated token where app-only is required', single({ appOnly: true }), v2Delegated(), {}, ['ERR_CLAIM_INVALID', 'scp']],
    ['idtyp user where app-only is required', single({ appOnly: true }), v2AppOnly({ idtyp: 'user' }), {}, ['ERR_CLAIM_INVALID', 'idtyp']],
    ['token for another API', single(), v2AppOnly({ aud: '77778888-aaaa-bbbb-cccc-ddddeeeeffff' }), {}, ['ERR_AUDIENCE_INVALID', 'aud']],
    ['api://clientId is not accepted when an explicit audience is given', single({ audience: 'https://orders.contoso.example' }), v1AppOnly(), {}, ['ERR_AUDIENCE_INVALID', 'aud']],
    ['app-specific key without appKeys', single(), v2AppOnly(), { key: 'app' }, ['ERR_KEY_NOT_FOUND', 'kid']],
    ['US Government token against the public cloud', single({ version: 2 }), v2AppOnly({ iss: `https://login.microsoftonline.us/${TENANT}/v2.0` }), {}, ['ERR_ISSUER_INVALID', 'iss']],
    ['app-only token without roles (API without assignment)', single(), v2AppOnly({ roles: undefined }), {}, ['ERR_PERMISSION_MISSING', 'roles']],
    ['token without roles or scp, callers authorised by clients', single({ clients: [CLIENT] }), v2AppOnly({ roles: undefined }), {}, null],
    ['delegated token: scp is the permission', single(), v2Delegated(), {}, null],
    ['one of several roles (anyRoles)', single({ anyRoles: ['Orders.Admin', 'Orders.Read.All'] }), v2AppOnly(), {}, null],
    ['none of several roles (anyRoles)', single({ anyRoles: ['Orders.Admin', 'Orders.Operator'] }), v2AppOnly(), {}, ['ERR_ROLE_MISSING', 'roles']],
    ['Microsoft Graph token (nonce header)', single(), v1AppOnly({ aud: 'https://graph.microsoft.com' }), { header: { nonce: 'graph-nonce' } }, ['ERR_FOREIGN_TOKEN', 'nonce']],
    ['Graph audience without nonce', single(), v2AppOnly({ aud: GRAPH }), {}, ['ERR_AUDIENCE_INVALID', 'aud']],
    ['expired', single(), v2AppOnly({ exp: now() - 3600 }), {}, ['ERR_TOKEN_EXPIRED', 'exp']],
  ];

  for (const [name, options, claims, signing, want] of cases) {
    test(`${name} → ${want === null ? 'accepted' : want[0]}`, async () => {
      const token = await sign(claims, { ...signing, key: keys[signing.key ?? 'main'] });
      const verifier = verifierFor(options);
      if (want === null) {
        const { claims: verified } = await verifier.verify(token);
        assert.equal(verified.uti ?? verified.tfp, claims.uti ?? claims.tfp);
        return;
      }
      await assert.rejects(verifier.verify(token), (error) => {
        assert.ok(error instanceof JwtGuardError, String(error));
        assert.deepEqual([error.code, error.claim], want, error.message);
        return true;
      });
    });
  }

  test('the Graph rejection tells the caller to request a token for its own API', async () => {
    const token = await sign(v1AppOnly({ aud: 'https://graph.microsoft.com' }), { header: { nonce: 'n' } });
    await assert.rejects(verifierFor(single()).verify(token), (error) => {
      assert.match(error.message, /^token was issued for another resource: .*microsoft graph.*scope=api:\/\/<your-api>\/\.default/i);
      return true;
    });
  });

  test('the per-key issuer rejection names the key\'s issuer', async () => {
    const token = await sign(v2AppOnly(), { key: keys.msa });
    await assert.rejects(verifierFor({ tenant: 'common', clientId: API, version: 2, tenants: '*' }).verify(token), /the signing key is bound to issuer "https:\/\/login\.microsoftonline\.com\/9188040d/);
  });

  test('key endpoints: v2 keys for version 2, v1 keys for version 1 and any; ?appid= for appKeys', async () => {
    const fetched = async (options, claims = v2AppOnly()) => {
      const from = server.hits.length;
      const token = await sign(claims, { key: options.appKeys ? keys.app : keys.main });
      await verifierFor(options).verify(token);
      return server.hits.slice(from);
    };
    assert.deepEqual(await fetched(single({ version: 2 })), [
      `/login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration`,
      `/login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`,
    ]);
    assert.deepEqual(await fetched(single()), [
      `/login.microsoftonline.com/${TENANT}/.well-known/openid-configuration`,
      `/login.microsoftonline.com/${TENANT}/discovery/keys`,
    ]);
    assert.deepEqual(await fetched({ tenant: 'organizations', clientId: API, version: 1, tenants: [TENANT] }, v1AppOnly()), [
      '/login.microsoftonline.com/common/.well-known/openid-configuration',
      '/login.microsoftonline.com/common/discovery/keys',
    ]);
    assert.deepEqual(await fetched(single({ appKeys: true })), [
      `/login.microsoftonline.com/${TENANT}/.well-known/openid-configuration?appid=${API}`,
      `/login.microsoftonline.com/${TENANT}/discovery/keys?appid=${API}`,
    ]);
    assert.deepEqual(await fetched(single({ cloud: 'china', version: 2 }), v2AppOnly({ iss: `https://login.partner.microsoftonline.cn/${TENANT}/v2.0` })), [
      `/login.chinacloudapi.cn/${TENANT}/v2.0/.well-known/openid-configuration`,
      `/login.chinacloudapi.cn/${TENANT}/discovery/v2.0/keys`,
    ]);
  });

  test('why version 1 and any read v1 keys: a v2 key set (per-key issuer) refuses every v1 token', async () => {
    const v2Issuer = `https://login.microsoftonline.com/${TENANT}/v2.0`;
    const verifier = createVerifier({
      issuer: [`https://sts.windows.net/${TENANT}/`, v2Issuer],
      audience: [API, `api://${API}`],
      keys: discover(v2Issuer, { fetch: entraFetch, metadataUrl: `https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration` }),
    });
    await verifier.verify(await sign(v2AppOnly()));
    await assert.rejects(verifier.verify(await sign(v1AppOnly())), /the signing key is bound to issuer/);
  });

  test('verifiers spread from one entraId() result share its key cache', async () => {
    const from = server.hits.length;
    const entra = entraId({ fetch: entraFetch, ...single() });
    const readers = createVerifier({ ...entra, roles: ['Orders.Read.All'] });
    const writers = createVerifier({ ...entra, roles: ['Orders.Write.All'] });
    const token = await sign(v1AppOnly());
    await readers.verify(token);
    await writers.verify(token);
    assert.equal(server.hits.length - from, 2, 'one discovery document and one key set');
  });

  test('Azure AD B2C: policy metadata, trailing-slash issuer, permissions in scp', async () => {
    const options = { b2c: { tenantName: 'contosob2c', tenantId: B2C_TENANT, policy: 'B2C_1_susi' }, clientId: API };
    const token = await sign(b2cToken(), { key: keys.b2c });
    const { claims } = await verifierFor({ ...options, scopes: ['tasks.read'] }).verify(token);
    assert.equal(claims.tfp, 'B2C_1_susi');
    await assert.rejects(verifierFor({ ...options, scopes: ['tasks.admin'] }).verify(token), (e) => e.code === 'ERR_SCOPE_MISSING');
  });

  test('Entra External ID: the tenant id is the issuer host', async () => {
    const iss = `https://${TENANT}.ciamlogin.com/${TENANT}/v2.0`;
    const verifier = verifierFor({ externalId: { tenantName: 'contosoid', tenantId: TENANT }, clientId: API, roles: ['Orders.Read.All'] });
    const { claims } = await verifier.verify(await sign(v2AppOnly({ iss })));
    assert.equal(claims.iss, iss);
  });
});

describe('entraId options', () => {
  test('the options it returns', () => {
    const options = entraId({ tenant: TENANT.toUpperCase(), clientId: API, roles: 'Orders.Read.All', appOnly: true });
    const { keys: source, ...policy } = options;
    assert.deepEqual(policy, {
      issuer: [`https://sts.windows.net/${TENANT}/`, `https://login.microsoftonline.com/${TENANT}/v2.0`],
      audience: [API, `api://${API}`],
      algorithms: ['RS256'],
      roles: ['Orders.Read.All'],
      forbiddenClaims: ['scp'],
      claimValues: { idtyp: ['app'] },
      tenants: [TENANT],
      requirePermission: true,
    });
    assert.equal(source.kind, 'discovery');
    assert.equal(source.url, `https://login.microsoftonline.com/${TENANT}/.well-known/openid-configuration`);
    assert.deepEqual(entraId({ tenant: 'common', clientId: API, version: 2, tenants: '*' }).issuer, ['https://login.microsoftonline.com/{tenantid}/v2.0']);
    assert.deepEqual(entraId({ tenant: TENANT, audience: ['api://orders'] }).audience, ['api://orders']);
  });

  test('multi-tenant: tenants written out, a list of GUIDs or \'*\'; without, the error says why and names both forms', () => {
    // [tenant, tenants, expected tenants of the options or null when refused]
    const rows = [
      ['organizations', undefined, null],
      ['common', undefined, null],
      ['common', '*', '*'],
      ['organizations', ['*'], null],
      ['common', [TENANT.toUpperCase(), OTHER_TENANT], [TENANT, OTHER_TENANT]],
      ['organizations', OTHER_TENANT, [OTHER_TENANT]],
    ];
    for (const [tenant, tenants, expected] of rows) {
      const options = { tenant, clientId: API, ...(tenants === undefined ? {} : { tenants }) };
      if (expected === null) {
        assert.throws(() => entraId(options), (error) => {
          assert.deepEqual([error.code, error.claim], ['ERR_POLICY_INVALID', 'tenants'], error.message);
          if (tenants === undefined) {
            assert.match(error.message, /any Entra tenant's admin can consent to a multi-tenant app and mint app-only tokens for it that carry your roles/);
            assert.match(error.message, /tenants: \['<guid>', …\]/);
            assert.match(error.message, /tenants: '\*'/);
          }
          return true;
        }, JSON.stringify(options));
      } else {
        const built = entraId(options);
        assert.deepEqual(built.tenants, expected, JSON.stringify(options));
        assert.equal(built.requirePermission, true);
        assert.deepEqual(createVerifier(built).policy.tenants, typeof expected === 'string' ? [expected] : expected);
      }
    }
  });

  test('mistakes are ERR_POLICY_INVALID naming the option', () => {
    const b2c = { tenantName: 'contosob2c', tenantId: B2C_TENANT, policy: 'B2C_1_susi' };
    const table = [
      [{ clientId: API }, 'tenant'],
      [{ tenant: 'contoso.onmicrosoft.com', clientId: API }, 'tenant'],
      [{ tenant: 'consumers', clientId: API }, 'tenant'],
      [{ tenant: TENANT }, 'clientId'],
      [{ tenant: TENANT, clientId: 'orders-api' }, 'clientId'],
      [{ tenant: TENANT, clientId: API, version: 3 }, 'version'],
      [{ tenant: TENANT, clientId: API, version: '2' }, 'version'],
      [{ tenant: TENANT, clientId: API, cloud: 'germany' }, 'cloud'],
      [{ tenant: TENANT, clientId: API, tenants: [OTHER_TENANT] }, 'tenants'],
      [{ tenant: 'common', clientId: API, tenants: ['contoso'] }, 'tenants'],
      [{ tenant: 'common', clientId: API }, 'tenants'],
      [{ tenant: 'organizations', clientId: API }, 'tenants'],
      [{ tenant: 'common', clientId: API, tenants: ['*', TENANT] }, 'tenants'],
      [{ tenant: TENANT, clientId: API, anyRoles: 'Orders.Admin' }, 'anyRoles'],
      [{ tenant: TENANT, clientId: API, anyScopes: [] }, 'anyScopes'],
      [{ tenant: TENANT, audience: 'api://x', appKeys: true }, 'appKeys'],
      [{ tenant: TENANT, clientId: API, appOnly: 'yes' }, 'appOnly'],
      [{ tenant: TENANT, clientId: API, roles: [] }, 'roles'],
      [{ tenant: TENANT, clientId: API, tenantId: TENANT }, '"tenantId"'],
      [{ b2c, tenant: TENANT, clientId: API }, 'tenant'],
      [{ b2c, externalId: { tenantName: 'x', tenantId: TENANT }, clientId: API }, 'b2c'],
      [{ b2c: { ...b2c, policy: 'signin' }, clientId: API }, 'b2c.policy'],
      [{ b2c: { ...b2c, tenantName: 'contoso.b2clogin.com' }, clientId: API }, 'b2c.tenantName'],
      [{ b2c, clientId: API, appOnly: true }, 'appOnly'],
      [{ externalId: { tenantName: 'contosoid', tenantId: 'contosoid' }, clientId: API }, 'externalId.tenantId'],
      [{ tenant: TENANT, clientId: API, timeout: 0 }, 'timeout'],
    ];
    for (const [options, claim] of table) {
      assert.throws(() => entraId(options), (error) => {
        assert.equal(error.code, 'ERR_POLICY_INVALID', `${JSON.stringify(options)}: ${error.message}`);
        assert.equal(error.claim, claim, error.message);
        return true;
      });
    }
  });
});
