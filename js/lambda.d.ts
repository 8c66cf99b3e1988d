import type { JwtGuardError, VerifierOptions } from './index.js';
import type { TokenSources } from './worker.js';

/**
 * A REST API `TOKEN` authorizer's event: the identity source's value (the
 * whole `Authorization` header: `Bearer <token>`) and the called method's ARN.
 */
export interface TokenAuthorizerEvent {
  type: 'TOKEN';
  authorizationToken: string;
  methodArn: string;
}

/** A REST API `REQUEST` authorizer's event (and an HTTP API's, payload format 1.0), as far as the authorizer reads it (other members may be present). */
export interface RestRequestAuthorizerEvent {
  type: 'REQUEST';
  version?: string;
  methodArn: string;
  httpMethod: string;
  path: string;
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  requestContext?: { domainName?: string; path?: string };
}

/** An HTTP API authorizer's event, payload format 2.0, as far as the authorizer reads it (other members may be present). */
export interface HttpApiAuthorizerEvent {
  type: 'REQUEST';
  /** `"2.0"`: the authorizer reads the event as payload format 2.0 only then. */
  version: string;
  routeArn: string;
  identitySource?: string[] | null;
  rawPath: string;
  rawQueryString?: string;
  cookies?: string[];
  headers?: Record<string, string | undefined>;
  requestContext: { domainName: string; http: { method: string } };
}

/** Any event the authorizer takes. */
export type AuthorizerEvent = TokenAuthorizerEvent | RestRequestAuthorizerEvent | HttpApiAuthorizerEvent;

/**
 * An API Gateway authorizer context: strings, numbers and booleans only.
 * The verified claims go here as they are when they are one of those;
 * arrays, objects and null as their JSON text (`roles: '["Orders.Read"]'`).
 * A refusal's context is `{ error, code }` (the OAuth error and jwtguard's code).
 */
export type AuthorizerContext = Record<string, string | number | boolean>;

/** An IAM policy response (REST APIs; HTTP APIs without simple responses). */
export interface PolicyResponse {
  /** The token's `sub`, else `azp`, else `client_id`; `"unknown"` for a refusal or a token with none of them. */
  principalId: string;
  policyDocument: {
    Version: '2012-10-17';
    Statement: Array<{ Action: 'execute-api:Invoke'; Effect: 'Allow' | 'Deny'; Resource: string }>;
  };
  context: AuthorizerContext;
}

/** An HTTP API simple response (`enableSimpleResponses`). */
export interface SimpleResponse {
  isAuthorized: boolean;
  context: AuthorizerContext;
}

/** The authorizer's settings. */
export interface LambdaAuthorizerSettings {
  /**
   * How an HTTP API authorizer answers: `"simple"` (default; the authorizer
   * has simple responses enabled) or `"policy"` (an IAM policy). REST API
   * authorizers always answer with a policy.
   */
  response?: 'simple' | 'policy';
  /**
   * What a policy allows or denies: `"method"` (default) the called method's
   * ARN only, or `"stage"` every method and path of the stage
   * (`arn:…:apiId/stage/*`). With authorizer caching, a cached policy is
   * reused for the same token on other routes: choose `"stage"` when one
   * policy guards the whole stage, else a cached Allow of one route is a
   * Deny (403) on the next.
   */
  resource?: 'method' | 'stage';
  /** Opt-in token sources besides `Authorization` (REQUEST authorizers; cookies on HTTP APIs). */
  tokenFrom?: TokenSources;
  /** Called with each refusal's error and the request as read from the event; default: a console.warn line per 503 only. */
  onRefuse?: false | ((error: JwtGuardError, request: { readonly method: string; readonly url: string }) => void);
}

/**
 * The handler: a REST event gets a policy; an HTTP API event gets `HttpAnswer`
 * (a simple response, or a policy with `response: 'policy'`).
 */
export interface LambdaAuthorizerHandler<HttpAnswer extends PolicyResponse | SimpleResponse> {
  (event: HttpApiAuthorizerEvent): Promise<HttpAnswer>;
  (event: TokenAuthorizerEvent | RestRequestAuthorizerEvent): Promise<PolicyResponse>;
  (event: AuthorizerEvent): Promise<HttpAnswer | PolicyResponse>;
}

/**
 * An API Gateway Lambda authorizer handler. Create it once, at module scope:
 * the verifier, its keys and its DPoP replay memory live as long as the
 * container. REST APIs: a missing or invalid token throws
 * `Error('Unauthorized')` (401), a token without the required role, scope,
 * client or tenant gets a Deny policy (403). HTTP APIs: `isAuthorized:
 * false`, or a Deny policy (403 either way). Misconfiguration and unavailable
 * keys throw a JwtGuardError (API Gateway answers 500).
 */
export declare function lambdaAuthorizer(
  options: VerifierOptions | VerifierOptions[] | ((event: AuthorizerEvent) => VerifierOptions | VerifierOptions[]),
  settings: LambdaAuthorizerSettings & { response: 'policy' },
): LambdaAuthorizerHandler<PolicyResponse>;
/** The same with simple responses for HTTP APIs (the default): REST events still get a policy. */
export declare function lambdaAuthorizer(
  options: VerifierOptions | VerifierOptions[] | ((event: AuthorizerEvent) => VerifierOptions | VerifierOptions[]),
  settings?: LambdaAuthorizerSettings,
): LambdaAuthorizerHandler<SimpleResponse>;
