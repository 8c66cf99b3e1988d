// CORS preflight on real Node servers (Express 5 and 4, Connect, Fastify 5,
// node:http) on 127.0.0.1: the shared table of tests/js/preflight-cases.mjs,
// with a handler behind the middleware that reports what reached it.
import { after, before, describe, test } from 'node:test';
import { AUDIENCE, ISSUER, keyPair } from '../js/helpers.mjs';
import { PREFLIGHT_CASES, TOKEN_FROM, assertPreflightAnswer } from '../js/preflight-cases.mjs';
import { FRAMEWORKS, startApp } from './apps.mjs';

/** What the handler saw, from Node's request. */
const seen = (req) => ({
  auth: req.auth ?? null,
  authorization: req.headers.authorization ?? null,
  dpop: req.headers.dpop ?? null,
  token: req.headers['x-access-token'] ?? null,
  cookie: req.headers.cookie ?? null,
  path: req.originalUrl ?? req.url,
});

/** The OPTIONS handler behind the middleware. */
const route = { method: 'OPTIONS', answer: seen };

const apps = {};

before(async () => {
  const pair = await keyPair('ES256');
  const options = { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] } };
  for (const name of FRAMEWORKS) {
    apps[name] = {
      passing: await startApp(name, options, { tokenFrom: TOKEN_FROM }, route),
      checking: await startApp(name, options, { tokenFrom: TOKEN_FROM, checkPreflight: true }, route),
    };
  }
});

after(async () => {
  await Promise.all(Object.values(apps).flatMap((pair) => Object.values(pair).map((app) => app.close())));
});

for (const name of FRAMEWORKS) {
  describe(`${name}: CORS preflight`, () => {
    for (const [row, headers, query, checkPreflight, status, want] of PREFLIGHT_CASES) {
      test(`[preflight] ${row} → ${status}`, async () => {
        const app = apps[name][checkPreflight ? 'checking' : 'passing'];
        const response = await fetch(`${app.origin}/api/whoami${query}`, { method: 'OPTIONS', headers });
        await assertPreflightAnswer(response, status, want);
      });
    }
  });
}
