// Worker type tests (see negative.ts): each `@ts-expect-error` line must fail to compile.
import type { Jwks } from '@jwtguard/jwtguard';
import { protect } from '@jwtguard/jwtguard/worker';

declare const jwks: Jwks;
const base = { issuer: 'https://issuer.example', audience: 'api://orders', keys: jwks };

// @ts-expect-error a Worker reads request.url, which its runtime builds: no origin setting
protect(base, () => new Response(), { origin: 'https://api.example.com' });
// @ts-expect-error the handler answers with a Response
protect(base, () => 'ok');
protect(base, () => new Response(), { realm: 'api' });
