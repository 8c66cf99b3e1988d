// The Elysia app of tests/frameworks/elysia.test.mjs, run by Bun: the app
// cases.mjs describes, from the JSON argument `{ options, settings, keysDown }`
// (the first issuer's key set as JWKs; the second's, if any, remoteJwks(keysDown)),
// or `{ tenants, settings }`: options chosen per request by its x-tenant header.
// Prints `{ "port": n }` once it listens on 127.0.0.1.
import { Elysia } from 'elysia';
import { remoteJwks } from '@jwtguard/jwtguard';
import { jwtAuth } from '@jwtguard/jwtguard/elysia';
import { preflightSeen, whoamiOf } from './app-answers.mjs';

const { options: [api, down] = [], tenants, settings, keysDown } = JSON.parse(process.argv[2]);
const options = tenants
  ? (request) => tenants[request.headers.get('x-tenant')]
  : [api, ...(down ? [{ ...down, keys: remoteJwks(keysDown) }] : [])];
const app = new Elysia()
  .use(jwtAuth(options, settings))
  .get('/api/whoami', ({ auth }) => whoamiOf(auth))
  .options('/api/whoami', ({ auth, request }) => {
    const url = new URL(request.url);
    return preflightSeen(auth, request.headers, `${url.pathname}${url.search}`);
  })
  .listen({ port: 0, hostname: '127.0.0.1' });
console.log(JSON.stringify({ port: app.server.port }));
