// The declarations of the Koa, h3, Elysia and NestJS adapters, used as an
// app uses them, under strict TypeScript (tests/frameworks/types.test.mjs);
// each @ts-expect-error is a misuse that must not compile.
import { H3 } from 'h3';
import Koa from 'koa';
import { Elysia } from 'elysia';
import type { DynamicModule } from '@nestjs/common';
import { defineAuthMiddleware } from '@jwtguard/jwtguard/h3';
import { jwtAuth as koaAuth } from '@jwtguard/jwtguard/koa';
import { jwtAuth as elysiaAuth, type Auth } from '@jwtguard/jwtguard/elysia';
import { JwtGuard, JwtGuardModule, Public, Roles, Scopes, type AuthenticatedRequest } from '@jwtguard/jwtguard/nestjs';

const options = { issuer: 'https://issuer.example', audience: 'api://tasks', keys: { keys: [] } };

const h3 = new H3();
h3.use(defineAuthMiddleware(options, { origin: 'https://api.example.com', resourceMetadata: true }));
h3.get('/tasks', (event) => ({ client: event.context.auth?.claims.azp ?? null }));
// @ts-expect-error the h3 middleware takes origin, not trustProxy
defineAuthMiddleware(options, { trustProxy: true });

const koa = new Koa();
koa.use(koaAuth(options, { trustProxy: true, checkPreflight: true }));
koa.use((ctx) => {
  const auth: Auth = ctx.state.auth;
  ctx.body = auth.claims.sub;
});
// @ts-expect-error not a setting
koaAuth(options, { prefix: '/api' });

const elysia = new Elysia()
  .use(elysiaAuth((request) => ({ ...options, audience: new URL(request.url).host })))
  .get('/tasks', ({ auth }) => {
    const copy: Auth = auth;
    return { sub: copy.claims.sub ?? null };
  });

const modules: DynamicModule[] = [
  JwtGuardModule.forRoot({ options, resourceMetadata: true, origin: 'https://api.example.com' }),
  JwtGuardModule.forRootAsync({ inject: ['AUDIENCE'], useFactory: async (audience: string) => ({ options: { ...options, audience } }) }),
];
const decorators = [Roles('Tasks.Read'), Scopes('tasks', 'admin'), Public()];
const guard: typeof JwtGuard = JwtGuard;
const handler = (req: AuthenticatedRequest<{ url: string }>) => req.auth.claims.sub ?? req.url;
// @ts-expect-error @Roles needs a role
Roles();
// @ts-expect-error the options are required
JwtGuardModule.forRoot({ realm: 'api' });

export { decorators, elysia, guard, handler, modules };
