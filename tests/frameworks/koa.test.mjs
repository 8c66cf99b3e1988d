// jwtguard/koa on Koa 3 on 127.0.0.1: the shared table (cases.mjs), the
// mTLS table over HTTPS (mtls-cases.mjs), options per request
// (per-request-cases.mjs), and ctx.state.auth read by the next middleware.
import { once } from 'node:events';
import { createServer } from 'node:https';
import Koa from 'koa';
import { jwtAuth } from '@jwtguard/jwtguard/koa';
import { preflightSeen, whoamiOf } from './app-answers.mjs';
import { frameworkSuite } from './cases.mjs';
import { mtlsSuite } from './mtls-cases.mjs';
import { perRequestSuite } from './per-request-cases.mjs';

/** The app, over HTTP, or over HTTPS with `tls`. */
async function startKoa({ options, settings, tls }) {
  const app = new Koa();
  app.use(jwtAuth(options, settings));
  app.use((ctx) => {
    ctx.body = ctx.method === 'OPTIONS' ? preflightSeen(ctx.state.auth, ctx.headers, ctx.url) : whoamiOf(ctx.state.auth);
  });
  const server = tls ? createServer(tls, app.callback()).listen(0, '127.0.0.1') : app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

frameworkSuite('Koa 3', startKoa);
mtlsSuite('Koa 3', startKoa);
perRequestSuite('Koa 3', startKoa, (ctx) => ctx.get('x-tenant'));
