// Type tests in jose's manner: each `@ts-expect-error` line must fail to
// compile (tsc reports an unused directive otherwise), and the line after
// each group shows the same call accepted when it is right. Checked with
// the documentation's Node blocks (tests/js/types.test.mjs);
// negative-worker.ts does the same for a Worker.
import { createVerifier } from '@jwtguard/jwtguard';
import type { ErrorCode, Jwks, Policy, PolicyMember } from '@jwtguard/jwtguard';
import { jwtAuth } from '@jwtguard/jwtguard/express';

declare const jwks: Jwks;
const base = { issuer: 'https://issuer.example', audience: 'api://orders', keys: jwks };

// @ts-expect-error a misspelt member is no option
createVerifier({ ...base, audiences: 'api://orders' });
// @ts-expect-error a number of seconds, not a string
createVerifier({ ...base, clockTolerance: '60' });
// @ts-expect-error none is no algorithm
createVerifier({ ...base, algorithms: ['none'] });
// @ts-expect-error the clock returns a number
createVerifier({ ...base, now: () => '1700000000' });
const verifier = createVerifier({ ...base, clockTolerance: 60, algorithms: ['RS256'], now: () => Date.now() / 1000 });

// @ts-expect-error a token is a string
verifier.verifySync(42);
verifier.verifySync('a.b.c');

// @ts-expect-error not a code
export const unknown: ErrorCode = 'ERR_NOPE';
export const known: ErrorCode = 'ERR_REQUEST_INVALID';

// @ts-expect-error origin is a URL string
jwtAuth(base, { origin: 42 });
// @ts-expect-error trustProxy is a boolean
jwtAuth(base, { trustProxy: 'yes' });
jwtAuth(base, { origin: 'https://api.example.com', trustProxy: false });

// The Policy interface has exactly the core's members (PolicyMember is generated from them).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const policyMembers: Same<keyof Policy, PolicyMember> = true;

// Importing @jwtguard/jwtguard/express adds `auth` to Express's own Request (@types/express).
import express from 'express';
const app = express();
app.get('/whoami', (req, res) => {
  // @ts-expect-error auth is the verified result, not a string
  const wrong: string = req.auth;
  res.json({ client: req.auth.claims.azp, wrong });
});

// jwtguard/next: the handler's context carries `auth` beside Next's params.
import { withAuth } from '@jwtguard/jwtguard/next';
export const GET = withAuth(async (request, { params, auth }) => Response.json({ id: (await params).id, sub: auth?.claims.sub }), base);
// @ts-expect-error auth is null for a CORS preflight unless checkPreflight is set
withAuth((request, { auth }) => Response.json(auth.claims), base);
export const strictGet = withAuth((request, { auth }) => Response.json(auth.claims), base, { checkPreflight: true });
// @ts-expect-error the origin is a string
withAuth(() => new Response(), base, { origin: new URL('https://app.example') });

// jwtguard/lambda: answers as @types/aws-lambda declares them, without the package requiring those types.
import { lambdaAuthorizer } from '@jwtguard/jwtguard/lambda';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2, APIGatewayRequestSimpleAuthorizerHandlerV2, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
const restAuthorizer = lambdaAuthorizer(base, { response: 'policy', resource: 'stage' });
export const fromToken = (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => restAuthorizer(event);
export const fromRequest = (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => restAuthorizer(event);
export const fromHttpApi: APIGatewayRequestSimpleAuthorizerHandlerV2 = (event: APIGatewayRequestAuthorizerEventV2) => lambdaAuthorizer(base)(event);
// @ts-expect-error IAM answers are `response: 'policy'`
lambdaAuthorizer(base, { response: 'iam' });
export const tokenByDefault = (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => lambdaAuthorizer(base)(event);
// @ts-expect-error without `response: 'policy'`, an HTTP API event is answered with a simple response
export const notAPolicy = (event: APIGatewayRequestAuthorizerEventV2): Promise<APIGatewayAuthorizerResult> => lambdaAuthorizer(base)(event);
