// Step-up (RFC 9470) and Entra claims challenges on real Node servers
// (Express 5 and 4, Connect, Fastify 5, node:http) on 127.0.0.1: every case
// of the shared table, its WWW-Authenticate parsed and compared exactly.
import { after, before, describe, test } from 'node:test';
import { keyPair } from '../js/helpers.mjs';
import { STEP_UP_POLICIES, assertStepUpAnswer, stepUpCases } from '../js/step-up-cases.mjs';
import { FRAMEWORKS, startApp } from './apps.mjs';

let cases;
const apps = {};

before(async () => {
  const pair = await keyPair('ES256');
  cases = await stepUpCases(pair);
  // One options object per policy, chosen per request by the x-policy header.
  const policies = Object.fromEntries(Object.entries(STEP_UP_POLICIES).map(([name, policy]) => [name, { ...policy, keys: { keys: [pair.jwk] } }]));
  const choose = (req) => policies[req.headers['x-policy']];
  for (const name of FRAMEWORKS) apps[name] = await startApp(name, choose, { resourceMetadata: true });
});

after(async () => {
  await Promise.all(Object.values(apps).map((app) => app.close()));
});

for (const name of FRAMEWORKS) {
  describe(`${name}: step-up and claims challenges`, () => {
    test('every case: status, body and the exact challenge parameters', async () => {
      const { origin } = apps[name];
      for (const row of cases) {
        const response = await fetch(`${origin}/api/whoami`, { headers: { authorization: `Bearer ${row.token}`, 'x-policy': row.policy } });
        await assertStepUpAnswer(response, row, `${origin}/.well-known/oauth-protected-resource`);
      }
    });
  });
}
