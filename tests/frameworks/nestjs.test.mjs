// jwtguard/nestjs on NestJS 12, with @nestjs/platform-express and with
// @nestjs/platform-fastify, on 127.0.0.1: the shared table (cases.mjs; its
// role also by @Roles), then @Public, @Scopes and controller @Roles routes;
// the mTLS table (mtls-cases.mjs) over Nest's httpsOptions.
// The app is plain JavaScript: Nest's decorators are applied as the
// functions they are.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Controller, Get, Module, Options, Req } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { JwtGuard, JwtGuardModule, Public, Roles, Scopes } from '@jwtguard/jwtguard/nestjs';
import { createVerifier } from '@jwtguard/jwtguard';
import { AUDIENCE, ISSUER, goodClaims, sign } from '../js/helpers.mjs';
import { parseChallenges } from '../js/challenges.mjs';
import { preflightSeen, whoamiOf } from './app-answers.mjs';
import { frameworkSuite } from './cases.mjs';
import { mtlsSuite } from './mtls-cases.mjs';

/** Applies method decorators, and `@Req()` to the first parameter, to `Class.prototype[name]`. */
function route(Class, name, ...decorators) {
  const descriptor = Object.getOwnPropertyDescriptor(Class.prototype, name);
  Req()(Class.prototype, name, 0);
  for (const decorate of decorators) decorate(Class.prototype, name, descriptor);
}

/**
 * The app: `/api/whoami` needs `role`; `/api/open` is @Public; `/api/admin`
 * needs the scope `admin`; `/ops/status` the role `Ops` from its controller.
 * The module's own policies (cases.mjs) require `role` too.
 */
function appModule(role, jwtGuardModule) {
  class Api {
    whoami(req) {
      return whoamiOf(req.auth);
    }

    preflight(req) {
      return preflightSeen(req.auth, req.headers, req.originalUrl ?? req.url);
    }

    preflightQuery(req) {
      return { query: { ...req.query } };
    }

    open(req) {
      return { auth: req.auth ?? null };
    }

    admin(req) {
      return { sub: req.auth.claims.sub };
    }
  }
  Controller('api')(Api);
  route(Api, 'whoami', Get('whoami'), Roles(role));
  route(Api, 'preflight', Options('whoami'));
  route(Api, 'preflightQuery', Options('query'));
  route(Api, 'open', Get('open'), Public());
  route(Api, 'admin', Get('admin'), Scopes('admin'));
  // Roles on the controller add to the module's and to each handler's.
  class Ops {
    status(req) {
      return { roles: req.auth.claims.roles };
    }
  }
  Controller('ops')(Ops);
  Roles('Ops')(Ops);
  route(Ops, 'status', Get('status'));
  class App {}
  Module({ imports: [jwtGuardModule], controllers: [Api, Ops], providers: [{ provide: APP_GUARD, useExisting: JwtGuard }] })(App);
  return App;
}

const PLATFORMS = [
  // forRoot on Express, forRootAsync (a factory) on Fastify; HTTPS by Nest's httpsOptions on Express, Fastify's own https on Fastify.
  ['NestJS on @nestjs/platform-express', () => new ExpressAdapter(), (tls) => ({ httpsOptions: tls }), (config) => JwtGuardModule.forRoot(config)],
  ['NestJS on @nestjs/platform-fastify', (tls) => new FastifyAdapter(tls ? { https: tls } : undefined), () => ({}), (config) => JwtGuardModule.forRootAsync({ useFactory: async () => config })],
];

test('@Roles() and @Scopes() need one or more names', () => {
  for (const decorator of [Roles, Scopes]) {
    assert.throws(() => decorator(), { code: 'ERR_POLICY_INVALID' });
    assert.throws(() => decorator('A', ''), { code: 'ERR_POLICY_INVALID' });
  }
});

test('the module needs createVerifier options: not a function of the request, not a verifier', async () => {
  const options = { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [] } };
  for (const given of [() => options, createVerifier(options), undefined]) {
    class App {}
    Module({ imports: [JwtGuardModule.forRoot({ options: given })] })(App);
    await assert.rejects(NestFactory.create(App, new ExpressAdapter(), { logger: false, abortOnError: false }), { code: 'ERR_POLICY_INVALID' });
  }
});

for (const [name, adapter, httpsOptions, configured] of PLATFORMS) {
  /** The app, over HTTP, or over HTTPS with `tls`. */
  const start = async ({ options, role, settings, tls }) => {
    const app = await NestFactory.create(appModule(role, configured({ options, ...settings })), adapter(tls), { logger: false, ...(tls ? httpsOptions(tls) : {}) });
    await app.listen(0, '127.0.0.1');
    return { origin: (await app.getUrl()).replace('[::1]', '127.0.0.1'), close: () => app.close() };
  };
  mtlsSuite(name, start);
  frameworkSuite(name, start, ({ origin, pair }) => {
    test('a preflight\'s parsed query has no token either', async () => {
      const response = await fetch(`${origin()}/api/query?access_token=not-a-token&page=2`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' },
      });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { query: { page: '2' } });
    });

    test('@Public(): the route is reached without a token, and without req.auth', async () => {
      const response = await fetch(`${origin()}/api/open`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { auth: null });
    });

    test('@Roles() on a controller adds to the module policy\'s roles', async () => {
      const rows = [[['Ops'], 403, { error: 'insufficient_scope', code: 'ERR_ROLE_MISSING' }], [['Data.Read'], 403, { error: 'insufficient_scope', code: 'ERR_ROLE_MISSING' }],
        [['Data.Read', 'Ops'], 200, { roles: ['Data.Read', 'Ops'] }]];
      for (const [roles, status, body] of rows) {
        const response = await fetch(`${origin()}/ops/status`, { headers: { authorization: `Bearer ${await sign(pair(), goodClaims({ roles }))}` } });
        assert.deepEqual([response.status, await response.json()], [status, body], roles.join(' '));
      }
    });

    test('@Scopes(): the route needs its scope besides the module policy', async () => {
      const withScope = await fetch(`${origin()}/api/admin`, { headers: { authorization: `Bearer ${await sign(pair(), goodClaims({ scp: 'read admin' }))}` } });
      assert.equal(withScope.status, 200);
      assert.deepEqual(await withScope.json(), { sub: 'service-principal-1' });
      const without = await fetch(`${origin()}/api/admin`, { headers: { authorization: `Bearer ${await sign(pair())}` } });
      assert.equal(without.status, 403);
      assert.deepEqual(await without.json(), { error: 'insufficient_scope', code: 'ERR_SCOPE_MISSING' });
      assert.deepEqual(parseChallenges(without.headers.get('www-authenticate')), [{
        scheme: 'bearer',
        params: {
          realm: 'api',
          resource_metadata: `${origin()}/.well-known/oauth-protected-resource`,
          error: 'insufficient_scope',
          error_description: 'ERR_SCOPE_MISSING: required scope is missing',
          scope: 'admin',
        },
      }]);
    });
  });
}
