// The decoder page's logic modules (www/), run under Node: the per-check
// verification report, the decoded-token warnings and the configuration
// output, checked against the real fromEnv. The page imports `jwtguard`;
// here that resolves to the node entry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VERIFICATION_CHECKS, createVerifier, fromEnv } from '@jwtguard/jwtguard';
import { configuration } from '../../www/configure.js';
import { CHECKS, verificationReport } from '../../www/report.js';
import { decodeFailure, tokenWarnings } from '../../www/warnings.js';
import { inspectToken } from '@jwtguard/jwtguard';
import { AUDIENCE, ISSUER, TENANT, goodClaims, keyPair, nowSeconds, sign } from './helpers.mjs';

const pair = await keyPair('ES256', 'report-key');
const other = await keyPair('ES256', 'report-key');
const keys = { keys: [pair.jwk] };
const policy = { issuer: ISSUER, audience: AUDIENCE, keys };

const statuses = (report) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));

test('a token that passes: every check pass or not required, none invented', async () => {
  const report = await verificationReport(await sign(pair), { ...policy, roles: ['Data.Read'] });
  assert.equal(report.verified, true);
  assert.equal(report.result.key.kid, 'report-key');
  const s = statuses(report);
  assert.deepEqual(Object.keys(s), CHECKS.map((c) => c.id));
  assert.equal(s.roles, 'pass');
  for (const id of ['typ', 'claims', 'tenant', 'client', 'scopes']) assert.equal(s[id], 'not-required', id);
});

test('the report\'s checks are the core\'s, in its order, each with the page\'s wording', () => {
  assert.deepEqual(CHECKS.map(({ id, title, codes, claims }) => ({ id, title, codes, claims })), VERIFICATION_CHECKS.map((check) => ({ ...check })));
  for (const check of CHECKS) assert.equal(typeof check.describe, 'function', `${check.id}: the page says nothing about this check`);
});

// Each row: what breaks, the check that must fail, its code, and whether the
// checks after it are evaluated. Checks before it pass (or are not required).
// After a claim check fails, the report sets it aside and evaluates the rest;
// before the signature verified, or when the claim itself is missing or
// malformed, nothing after the failure is evaluated.
const LATER_EVALUATED = true;
const LATER_SKIPPED = false;
const expiredClaims = () => goodClaims({ iat: nowSeconds() - 7200, nbf: nowSeconds() - 7200, exp: nowSeconds() - 3600 });
const failures = [
  ['malformed', () => 'a.b', {}, 'shape', 'ERR_TOKEN_MALFORMED', LATER_SKIPPED],
  ['foreign (nonce header)', () => sign(pair, goodClaims(), { nonce: 'x' }), {}, 'header', 'ERR_FOREIGN_TOKEN', LATER_SKIPPED],
  ['alg outside the policy', () => sign(pair), { algorithms: ['RS256'] }, 'header', 'ERR_ALG_NOT_ALLOWED', LATER_SKIPPED],
  ['typ not accepted', () => sign(pair, goodClaims(), { typ: 'JWT' }), { typ: ['at+jwt'] }, 'typ', 'ERR_TYP_INVALID', LATER_SKIPPED],
  ['unknown kid', () => sign(pair, goodClaims(), { kid: 'nope' }), {}, 'key', 'ERR_KEY_NOT_FOUND', LATER_SKIPPED],
  ['wrong signer', () => sign(other), {}, 'signature', 'ERR_SIGNATURE_INVALID', LATER_SKIPPED],
  ['issuer', () => sign(pair, goodClaims({ iss: 'https://evil.test' })), {}, 'issuer', 'ERR_ISSUER_INVALID', LATER_EVALUATED],
  ['issuer missing', () => sign(pair, goodClaims({ iss: undefined })), {}, 'issuer', 'ERR_CLAIM_MISSING', LATER_SKIPPED],
  ['audience', () => sign(pair, goodClaims({ aud: 'api://other' })), {}, 'audience', 'ERR_AUDIENCE_INVALID', LATER_EVALUATED],
  ['expired', () => sign(pair, expiredClaims()), {}, 'times', 'ERR_TOKEN_EXPIRED', LATER_EVALUATED],
  ['too old', () => sign(pair, goodClaims({ iat: nowSeconds() - 600 })), { maxTokenAge: 60 }, 'times', 'ERR_TOKEN_TOO_OLD', LATER_EVALUATED],
  ['exp as a string', () => sign(pair, goodClaims({ exp: 'soon' })), {}, 'times', 'ERR_CLAIM_INVALID', LATER_SKIPPED],
  ['subject', () => sign(pair), { subject: 'someone-else' }, 'claims', 'ERR_CLAIM_INVALID', LATER_EVALUATED],
  ['required claim', () => sign(pair), { requiredClaims: ['oid'] }, 'claims', 'ERR_CLAIM_MISSING', LATER_EVALUATED],
  ['tenant', () => sign(pair), { tenants: ['00000000-0000-0000-0000-000000000000'] }, 'tenant', 'ERR_TENANT_NOT_ALLOWED', LATER_EVALUATED],
  ['client', () => sign(pair), { clients: ['another-client'] }, 'client', 'ERR_CLIENT_NOT_ALLOWED', LATER_EVALUATED],
  ['no client claim', () => sign(pair, goodClaims({ azp: undefined })), { clients: ['client-app-1'] }, 'client', 'ERR_CLAIM_MISSING', LATER_EVALUATED],
  ['role', () => sign(pair), { roles: ['Data.Write'] }, 'roles', 'ERR_ROLE_MISSING', LATER_EVALUATED],
  ['scope', () => sign(pair), { scopes: ['admin'] }, 'scopes', 'ERR_SCOPE_MISSING', LATER_EVALUATED],
  ['sign-in too old', () => sign(pair, goodClaims({ auth_time: nowSeconds() - 900 })), { maxAuthAge: 300 }, 'times', 'ERR_AUTH_TOO_OLD', LATER_EVALUATED],
  ['acr too low', () => sign(pair, goodClaims({ acr: 'urn:pwd' })), { acrValues: ['urn:mfa'] }, 'authentication', 'ERR_AUTH_LEVEL_INSUFFICIENT', LATER_EVALUATED],
  ['auth context missing', () => sign(pair, goodClaims({ acrs: ['c2'] })), { authContext: ['c1'] }, 'authentication', 'ERR_AUTH_CONTEXT_MISSING', LATER_EVALUATED],
  ['acrs not an array', () => sign(pair, goodClaims({ acrs: 'c1' })), { authContext: ['c1'] }, 'authentication', 'ERR_CLAIM_INVALID', LATER_EVALUATED],
  ['tenant of a template issuer', () => sign(pair, goodClaims({ iss: `https://login.microsoftonline.com/${TENANT}/v2.0` })), { issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0', tenants: ['00000000-0000-0000-0000-000000000000'] }, 'tenant', 'ERR_TENANT_NOT_ALLOWED', LATER_EVALUATED],
];

for (const [name, makeToken, extra, failing, code, laterEvaluated] of failures) {
  test(`report: ${name} fails the ${failing} check with ${code}`, async () => {
    const report = await verificationReport(await makeToken(), { ...policy, ...extra, scopes: ['read', ...(extra.scopes ?? [])] });
    assert.equal(report.verified, false);
    assert.equal(report.error.code, code);
    assert.deepEqual(report.failures.map((e) => e.code), [code]);
    const index = CHECKS.findIndex((c) => c.id === failing);
    report.checks.forEach((check, i) => {
      if (i < index) assert.ok(['pass', 'not-required'].includes(check.status), `${check.id}: ${check.status}`);
      else if (i === index) assert.deepEqual([check.status, check.code], ['fail', code]);
      else if (laterEvaluated) {
        assert.ok(['pass', 'not-required'].includes(check.status), `${check.id}: ${check.status}`);
        assert.deepEqual(check.setAside, [CHECKS[index].title]);
      } else assert.equal(check.status, 'not-evaluated', check.id);
    });
    // The scopes check (required here, after every row's check) shows whether the later checks really ran.
    assert.equal(report.checks.find((c) => c.id === 'scopes').status, failing === 'scopes' ? 'fail' : laterEvaluated ? 'pass' : 'not-evaluated');
  });
}

test('report: several failing claim checks are all reported, each with its code', async () => {
  const token = await sign(pair, { ...expiredClaims(), aud: 'api://other', roles: ['Other'] });
  const report = await verificationReport(token, { ...policy, roles: ['Data.Read'], clients: ['client-app-1'] });
  assert.deepEqual(report.failures.map((e) => e.code), ['ERR_AUDIENCE_INVALID', 'ERR_TOKEN_EXPIRED', 'ERR_ROLE_MISSING']);
  const s = statuses(report);
  assert.deepEqual([s.issuer, s.audience, s.times, s.client, s.roles, s.scopes], ['pass', 'fail', 'fail', 'pass', 'fail', 'not-required']);
  assert.deepEqual(report.checks.find((c) => c.id === 'roles').setAside, ['Audience (aud)', 'Lifetime (exp, nbf, iat, auth_time)']);
});

test('report: a key bound to another issuer cannot be set aside, so later checks are not evaluated', async () => {
  const bound = { ...pair.jwk, issuer: 'https://issuer.test/other-tenant/v2.0' };
  const token = await sign(pair);
  const report = await verificationReport(token, { ...policy, keys: { keys: [bound] }, roles: ['Data.Read'] });
  const s = statuses(report);
  assert.equal(s.issuer, 'fail');
  assert.match(report.checks.find((c) => c.id === 'issuer').message, /bound to issuer/);
  assert.equal(s.audience, 'not-evaluated');
  assert.equal(s.roles, 'not-evaluated');
});

test('report: unusable keys or policy are a setup error, and no check is claimed', async () => {
  const token = await sign(pair);
  for (const [options, code] of [
    [{ ...policy, keys: '{"keys":[]}' }, 'ERR_JWKS_INVALID'],
    [{ ...policy, keys: 'not json' }, 'ERR_JWKS_INVALID'],
    [{ ...policy, issuer: [] }, 'ERR_POLICY_INVALID'],
    [{ ...policy, clockTolerance: -1 }, 'ERR_POLICY_INVALID'],
  ]) {
    const report = await verificationReport(token, options);
    assert.equal(report.setupError?.code, code);
    assert.ok(report.checks.every((c) => c.status === 'not-evaluated'));
  }
});

test('report: tenants and the permission check', async () => {
  const template = 'https://login.microsoftonline.com/{tenantid}/v2.0';
  const entraToken = await sign(pair, goodClaims({ iss: `https://login.microsoftonline.com/${TENANT}/v2.0` }));
  // A {tenantid} issuer without tenants: the core's error, before any check.
  const none = await verificationReport(entraToken, { ...policy, issuer: template });
  assert.deepEqual([none.setupError?.code, none.setupError?.claim], ['ERR_POLICY_INVALID', 'tenants']);
  assert.match(none.setupError.message, /tenants: \["<guid>", \.\.\.\]/);
  assert.match(none.setupError.message, /tenants: "\*"/);
  // Written out, any tenant passes and the row says so.
  const any = await verificationReport(entraToken, { ...policy, issuer: template, tenants: '*' });
  assert.equal(any.verified, true);
  // Any tenant asks for no tenant check.
  assert.equal(any.checks.find((c) => c.id === 'tenant').status, 'not-required');
  // The permission row: required by requirePermission, not when clients are listed.
  const rowOf = (report) => report.checks.find((c) => c.id === 'permission');
  const bare = await sign(pair, goodClaims({ roles: undefined, scp: undefined }));
  assert.equal(rowOf(await verificationReport(bare, policy)).status, 'not-required');
  assert.equal(rowOf(await verificationReport(await sign(pair), { ...policy, requirePermission: true })).status, 'pass');
  // With clients the allow-list is the permission: the check passes.
  const byClient = await verificationReport(bare, { ...policy, requirePermission: true, clients: ['client-app-1'] });
  assert.deepEqual([byClient.verified, rowOf(byClient).status], [true, 'pass']);
  // A failed scope check is set aside, and the permission check after it still runs.
  const scopes = await verificationReport(bare, { ...policy, requirePermission: true, scopes: ['admin'] });
  assert.deepEqual(scopes.failures.map((e) => e.code), ['ERR_SCOPE_MISSING', 'ERR_PERMISSION_MISSING']);
});

const ids = (header, claims, now = nowSeconds()) => tokenWarnings(header, claims, now).map((w) => w.id);

test('warnings: each condition raises its warning, and a clean token raises none', () => {
  const now = nowSeconds();
  const header = { alg: 'RS256', kid: 'k', typ: 'at+jwt' };
  const claims = goodClaims();
  assert.deepEqual(ids(header, claims), []);
  const cases = [
    [header, { ...claims, exp: now - 1 }, 'expired'],
    [header, { ...claims, nbf: now + 600 }, 'not-yet-valid'],
    [header, { ...claims, iat: now + 600 }, 'not-yet-valid'],
    [header, { ...claims, exp: undefined }, 'no-exp'],
    [{ ...header, nonce: 'n' }, claims, 'foreign-token'],
    [header, { ...claims, aud: ['https://graph.microsoft.com'] }, 'foreign-audience'],
    [header, { ...claims, aud: '00000003-0000-0000-c000-000000000000' }, 'foreign-audience'],
    [{ ...header, typ: 'JWT' }, { ...claims, nonce: 'abc' }, 'id-token'],
    [{ ...header, typ: 'JWT' }, { ...claims, at_hash: 'h' }, 'id-token'],
    [{ ...header, typ: 'JWT' }, { ...claims, aud: claims.azp }, 'id-token'],
    [header, { ...claims, cnf: { jkt: 'x' } }, 'bound'],
    [header, { ...claims, cnf: { 'x5t#S256': 'x' } }, 'bound'],
    [{ alg: 'RS256', kid: 'k' }, { ...claims, aud: ['client-app-1'], azp: 'client-app-1' }, 'id-token'],
    [{ ...header, alg: 'none' }, claims, 'alg'],
    [{ ...header, alg: 'HS256' }, claims, 'alg'],
    [{ ...header, alg: 'ES512' }, claims, 'alg'],
    [{ alg: 'RS256' }, claims, 'no-kid'],
    [{ ...header, jku: 'https://evil.test/keys' }, claims, 'embedded-key'],
    [{ ...header, crit: ['exp'] }, claims, 'crit'],
    [header, { ...claims, ver: '1.0', iss: `https://login.microsoftonline.com/${TENANT}/v2.0` }, 'version-mismatch'],
    [header, { ...claims, ver: '2.0', iss: `https://sts.windows.net/${TENANT}/` }, 'version-mismatch'],
    [header, { ...claims, ver: '2.0', azp: undefined, appid: 'client' }, 'version-mismatch'],
  ];
  for (const [h, c, id] of cases) {
    const cleaned = JSON.parse(JSON.stringify(c));
    assert.ok(ids(h, cleaned, now).includes(id), `${id} for ${JSON.stringify(h)} ${JSON.stringify(cleaned)}`);
  }
  // Access tokens (at+jwt) are not ID tokens; B2C writes ver 1.0 with a v2.0-style issuer.
  assert.ok(!ids(header, { ...claims, nonce: 'abc' }).includes('id-token'));
  assert.ok(!ids(header, { ...claims, aud: 'client-app-1', azp: 'client-app-1' }).includes('id-token'));
  // An access token for another API than its client: aud differs from azp.
  assert.ok(!ids({ ...header, typ: 'JWT' }, claims).includes('id-token'));
  const bound = (cnf) => tokenWarnings(header, { ...claims, cnf }, now).find((w) => w.id === 'bound').text;
  assert.match(bound({ jkt: 'x' }), /Authorization: DPoP/);
  assert.match(bound({ 'x5t#S256': 'x' }), /mutual TLS/);
  assert.match(bound({ jwk: {} }), /ERR_TOKEN_BOUND/);
  assert.deepEqual(ids(header, { ...claims, ver: '1.0', iss: `https://contoso.b2clogin.com/${TENANT}/v2.0/` }), []);
});

test('configuration: Entra policies become AZURE_* variables, others JWT_*', () => {
  const clientId = '00001111-aaaa-2222-bbbb-3333cccc4444';
  const entra = configuration({ issuer: [`https://login.microsoftonline.com/${TENANT}/v2.0`], audience: [`api://${clientId}`], roles: ['Tasks.Read', 'Tasks.Write'] });
  assert.equal(entra.env, `AZURE_TENANT_ID=${TENANT}\nAZURE_API_CLIENT_ID=${clientId}\nAZURE_AUDIENCE=api://${clientId}\nJWT_REQUIRED_ROLES=Tasks.Read,Tasks.Write`);
  const v1 = configuration({ issuer: [`https://sts.windows.net/${TENANT}/`], audience: [clientId] });
  assert.equal(v1.env, `AZURE_TENANT_ID=${TENANT}\nAZURE_API_CLIENT_ID=${clientId}`);
  const generic = configuration({ issuer: [ISSUER], audience: [AUDIENCE, 'api://two'], scopes: ['read'], clients: ['a', 'b'] });
  assert.equal(generic.env, `JWT_ISSUER=${ISSUER}\nJWT_AUDIENCE=${AUDIENCE},api://two\nJWT_REQUIRED_SCOPES=read\nJWT_ALLOWED_CLIENTS=a,b`);
  assert.deepEqual(JSON.parse(generic.policyJson).clients, ['a', 'b']);
  const multi = configuration({ issuer: ['https://login.microsoftonline.com/{tenantid}/v2.0'], audience: [clientId], tenants: '*', anyRoles: ['Admin', 'Operator'] });
  assert.match(multi.env, /^JWT_ACCEPTED_ROLES=Admin,Operator$/m);
  assert.match(multi.env, /^JWT_ALLOWED_TENANTS=\*$/m);
});

/** `KEY=value` lines, as the page shows them, as an env object. */
const parseEnv = (text) => Object.fromEntries(text.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));

test('configuration: the variables shown go through the real fromEnv and give the same policy', () => {
  const clientId = '00001111-aaaa-2222-bbbb-3333cccc4444';
  const generic = { issuer: [ISSUER], audience: [AUDIENCE, 'api://two'], roles: ['Data.Read'], scopes: ['read'], anyRoles: ['Admin', 'Data.Read'], clients: ['a', 'b'], clockTolerance: 60 };
  const { policy } = createVerifier(fromEnv(parseEnv(configuration(generic).env)));
  for (const name of Object.keys(generic)) assert.deepEqual(policy[name], generic[name], name);

  const entraIssuer = `https://login.microsoftonline.com/${TENANT}/v2.0`;
  const entra = { issuer: [entraIssuer], audience: [`api://${clientId}`], roles: ['Tasks.Read'] };
  const fromEntraEnv = createVerifier(fromEnv(parseEnv(configuration(entra).env))).policy;
  // The Entra preset accepts the token's issuer and audience (and also the v1 issuer and the bare client ID).
  assert.ok(fromEntraEnv.issuer.includes(entraIssuer));
  assert.ok(fromEntraEnv.audience.includes(`api://${clientId}`));
  assert.deepEqual(fromEntraEnv.roles, ['Tasks.Read']);
});

test('configuration: the Worker reads fromEnv alone, the variables carry a tolerance, maxTokenAge and the step-up members, and several issuers get no variables', () => {
  const policy = { issuer: [ISSUER], audience: [AUDIENCE], clockTolerance: 60 };
  const { worker } = configuration(policy);
  assert.match(worker, /import \{ fromEnv \} from '@jwtguard\/jwtguard';/);
  assert.match(worker, /\(env\) => fromEnv\(env\),/);
  assert.doesNotMatch(worker, /JWT_JWKS\b|POLICY/);
  // [policy, what the variables give back through the real fromEnv]
  const rows = [
    [{ ...policy, clockTolerance: 300 }, { clockTolerance: 300 }],
    [{ ...policy, maxTokenAge: 600 }, { maxTokenAge: 600 }],
    [{ ...policy, clockTolerance: 5, maxTokenAge: 600 }, { clockTolerance: 5, maxTokenAge: 600 }],
    [{ ...policy, acrValues: ['urn:mfa', 'urn:phr'], maxAuthAge: 300, authContext: ['c1', 'c25'] }, { acrValues: ['urn:mfa', 'urn:phr'], maxAuthAge: 300, authContext: ['c1', 'c25'] }],
    [{ issuer: [`https://login.microsoftonline.com/${TENANT}/v2.0`], audience: ['api://00001111-aaaa-2222-bbbb-3333cccc4444'], clockTolerance: 0, maxTokenAge: 3600 }, { clockTolerance: 0, maxTokenAge: 3600 }],
    [{ issuer: [`https://login.microsoftonline.com/${TENANT}/v2.0`], audience: ['api://00001111-aaaa-2222-bbbb-3333cccc4444'], maxAuthAge: 600, authContext: ['c1'] }, { maxAuthAge: 600, authContext: ['c1'] }],
  ];
  for (const [given, expected] of rows) {
    const shown = configuration(given);
    assert.match(shown.worker, /\(env\) => fromEnv\(env\),/);
    const read = createVerifier(fromEnv(parseEnv(shown.env))).policy;
    for (const [name, value] of Object.entries(expected)) assert.deepEqual(read[name], value, `${name} in ${shown.env}`);
  }
  const several = configuration({ issuer: [ISSUER, 'https://other.test'], audience: [AUDIENCE] });
  assert.deepEqual([several.env, several.worker], [null, null]);
  assert.deepEqual(JSON.parse(several.policyJson).issuer, [ISSUER, 'https://other.test']);
});

test('configuration: Express and Fastify snippets beside the Worker, configured by the same variables, valid JavaScript', async () => {
  const { transform } = await import('esbuild');
  const policy = { issuer: [ISSUER], audience: [AUDIENCE], clockTolerance: 60 };
  const shown = configuration(policy);
  // [snippet, entry point, how the options are passed]
  const rows = [
    [shown.express, '@jwtguard/jwtguard/express', /app\.use\('\/api', jwtAuth\(fromEnv\(process\.env\)\)\);/],
    [shown.fastify, '@jwtguard/jwtguard/fastify', /api\.register\(jwtAuth, \{ options: fromEnv\(process\.env\) \}\);/],
  ];
  for (const [snippet, entry, options] of rows) {
    assert.match(snippet, new RegExp(`import \\{ jwtAuth \\} from '${entry}';`));
    assert.match(snippet, options);
    await transform(snippet, { format: 'esm', loader: 'js' });
  }
  const several = configuration({ issuer: [ISSUER, 'https://other.test'], audience: [AUDIENCE] });
  assert.deepEqual([several.express, several.fastify], [null, null]);
});

test('configuration: tenants are written out, and JWT_ALLOWED_TENANTS goes through the real fromEnv', () => {
  const clientId = '00001111-aaaa-2222-bbbb-3333cccc4444';
  const template = 'https://login.microsoftonline.com/{tenantid}/v2.0';
  const other = '5b4e1d2a-0c3f-4a6b-9d8e-7f6a5b4c3d2e';
  // [policy, expected variables]
  const rows = [
    [{ issuer: [template], audience: [clientId], tenants: '*' }, `JWT_ISSUER=${template}\nJWT_AUDIENCE=${clientId}\nJWT_ALLOWED_TENANTS=*`],
    [{ issuer: [template], audience: [clientId], tenants: [TENANT, other] }, `JWT_ISSUER=${template}\nJWT_AUDIENCE=${clientId}\nJWT_ALLOWED_TENANTS=${TENANT},${other}`],
    // One Entra tenant: AZURE_TENANT_ID says it; the same tenant listed adds nothing.
    [{ issuer: [`https://login.microsoftonline.com/${TENANT}/v2.0`], audience: [clientId], tenants: [TENANT.toUpperCase()] }, `AZURE_TENANT_ID=${TENANT}\nAZURE_API_CLIENT_ID=${clientId}`],
    // Anything else the Entra form cannot say: the generic form writes it out.
    [{ issuer: [`https://login.microsoftonline.com/${TENANT}/v2.0`], audience: [clientId], tenants: '*' }, `JWT_ISSUER=https://login.microsoftonline.com/${TENANT}/v2.0\nJWT_AUDIENCE=${clientId}\nJWT_ALLOWED_TENANTS=*`],
  ];
  for (const [policy, env] of rows) {
    const shown = configuration(policy);
    assert.equal(shown.env, env);
    assert.deepEqual(JSON.parse(shown.policyJson).tenants, policy.tenants);
    const read = fromEnv({ ...parseEnv(shown.env), ...(shown.env.startsWith('JWT_') ? { JWT_JWKS_URI: 'https://keys.test/jwks' } : {}) });
    const built = createVerifier(read).policy;
    const expected = typeof policy.tenants === 'string' ? [policy.tenants] : policy.tenants.map((t) => t.toLowerCase());
    assert.deepEqual(built.tenants, expected, env);
  }
});

test('a token that does not decode: an opaque one is named as such, a broken JWT gets its code', async () => {
  const failure = (token) => {
    try {
      inspectToken(token);
    } catch (error) {
      return decodeFailure(token, error);
    }
    throw new Error('decoded');
  };
  assert.match(failure('rkLCHLyhVN29kHMm-t-s0HnYavPAG0HDRmA1Mfx3h-K'), /^Not a JWT: this looks like an opaque token\. Only its issuer can say what it means/);
  assert.match(failure('ory_at_abc.def'), /^Not a JWT/);
  const [header, payload] = (await sign(pair)).split('.');
  assert.match(failure(`${header}.${payload}!.sig`), /^Cannot decode this token: ERR_TOKEN_MALFORMED/);
});
