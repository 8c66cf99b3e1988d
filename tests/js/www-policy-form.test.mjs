// The decoder page's policy form and policy link (www/policy-form.js), run
// under Node: field values to a policy the real verifier accepts, a policy
// back to the same field values, and the #policy= link round trip.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createVerifier } from '@jwtguard/jwtguard';
import { POLICY_FIELDS, fieldsFromPolicy, linkedPolicy, policyFromFields, policyLink } from '../../www/policy-form.js';
import { AUDIENCE, ISSUER, TENANT, keyPair } from './helpers.mjs';

const PAGE = 'https://decoder.test/www/';
const empty = () => Object.fromEntries(POLICY_FIELDS.map(({ id }) => [id, '']));

// [name, field values (the rest empty), the policy they describe]
const ROWS = [
  ['issuer and audience only', { 'policy-issuer': ISSUER, 'policy-audience': AUDIENCE }, { issuer: [ISSUER], audience: [AUDIENCE] }],
  ['every field', {
    'policy-issuer': `${ISSUER}\nhttps://other.test/`, 'policy-audience': `${AUDIENCE}\napi://two`,
    'policy-roles': 'Data.Read Data.Write', 'policy-scopes': 'read', 'policy-any-roles': 'Admin Owner', 'policy-any-scopes': 'write admin',
    'policy-tenants': TENANT, 'policy-clients': 'client-a client-b', 'policy-tolerance': '30', 'policy-max-age': '3600',
    'policy-acr-values': 'urn:mfa urn:phr', 'policy-max-auth-age': '300', 'policy-auth-context': 'c1 c25',
  }, {
    issuer: [ISSUER, 'https://other.test/'], audience: [AUDIENCE, 'api://two'], roles: ['Data.Read', 'Data.Write'], scopes: ['read'],
    anyRoles: ['Admin', 'Owner'], anyScopes: ['write', 'admin'], tenants: [TENANT], clients: ['client-a', 'client-b'],
    clockTolerance: 30, maxTokenAge: 3600, acrValues: ['urn:mfa', 'urn:phr'], maxAuthAge: 300, authContext: ['c1', 'c25'],
  }],
  ['any tenant is "*", alone', { 'policy-issuer': ISSUER, 'policy-audience': AUDIENCE, 'policy-tenants': '*' }, { issuer: [ISSUER], audience: [AUDIENCE], tenants: '*' }],
];

test('policy form: fields to policy and back, and the verifier accepts the policy', async () => {
  const { jwk } = await keyPair('ES256', 'form-key');
  for (const [name, fields, policy] of ROWS) {
    const values = { ...empty(), ...fields };
    assert.deepEqual(policyFromFields(values), policy, name);
    assert.deepEqual(fieldsFromPolicy(policy), values, name);
    assert.doesNotThrow(() => createVerifier({ ...policy, keys: { keys: [jwk] } }), name);
  }
  // Commas separate too; blank lines and spaces around a line are dropped.
  assert.deepEqual(policyFromFields({ ...empty(), 'policy-issuer': ` ${ISSUER} \n\n`, 'policy-roles': 'a,b , c' }), { issuer: [ISSUER], audience: [], roles: ['a', 'b', 'c'] });
});

test('policy link: carries the policy alone, and opening it gives the same fields', () => {
  for (const [name, fields, policy] of ROWS) {
    const link = policyLink(policy, `${PAGE}#token=eyJhbGciOiJSUzI1NiJ9.e30.c2ln`);
    const { origin, pathname, search, hash } = new URL(link);
    assert.equal(`${origin}${pathname}${search}`, PAGE, name);
    assert.deepEqual([...new URLSearchParams(hash.slice(1)).keys()], ['policy'], name);
    assert.doesNotMatch(link, /token|eyJ/, name);
    assert.deepEqual(fieldsFromPolicy(linkedPolicy(hash)), { ...empty(), ...fields }, name);
  }
  assert.equal(linkedPolicy('#token=abc'), null);
  assert.equal(linkedPolicy(''), null);
});

test('policy link: what the form cannot show is refused with a reason, not half filled', () => {
  // [fragment or policy, message]
  const refused = [
    ['#policy=%7Bnot%20json', /not JSON/],
    ['#policy=%5B1%2C2%5D', /not a JSON object/],
    ['#policy=null', /not a JSON object/],
  ];
  for (const [hash, message] of refused) assert.throws(() => linkedPolicy(hash), message, hash);
  const bad = [
    [{ issuer: ISSUER, keys: { keys: [] } }, /"keys"/],
    [{ issuer: ISSUER, clockTolerance: '60' }, /"clockTolerance"/],
    [{ issuer: ISSUER, roles: ['a', 1] }, /"roles"/],
    [{ issuer: ISSUER, now: 5, algorithms: ['RS256'] }, /"now", "algorithms"/],
  ];
  for (const [policy, message] of bad) assert.throws(() => fieldsFromPolicy(policy), message, JSON.stringify(policy));
});
