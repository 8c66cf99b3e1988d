/**
 * `jwtguard/lambda`: an AWS Lambda authorizer for Amazon API Gateway: HTTP
 * APIs (payload format 2.0, simple or IAM policy responses) and REST APIs
 * (`TOKEN` and `REQUEST` authorizers, IAM policy responses). Create it once,
 * at module scope, so each container keeps one verifier and its keys.
 *
 *   import { lambdaAuthorizer } from '@jwtguard/jwtguard/lambda';
 *   export const handler = lambdaAuthorizer({ issuer, audience, keys: jwks });
 */

import { authenticator } from './authenticate.js';
import { readAuthorization } from './bearer.js';
import { JwtGuardError } from './errors.js';

/** The settings of lambdaAuthorizer; `tokenFrom` and `onRefuse` are the shared middleware settings. */
const SETTINGS = Object.freeze(['response', 'resource', 'tokenFrom', 'onRefuse']);

/** How an HTTP API authorizer answers (its `enableSimpleResponses`); REST APIs always take a policy. */
const RESPONSES = Object.freeze(['simple', 'policy']);

/** What an Allow or Deny policy names: the called method's ARN, or every method and path of its stage. */
const RESOURCES = Object.freeze(['method', 'stage']);

/** The message API Gateway turns into 401 (REST API authorizers). */
const UNAUTHORIZED = 'Unauthorized';

/** IAM policy language version of every policy returned. */
const POLICY_VERSION = '2012-10-17';

/** `arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>/<method>/<path…>`. */
const EXECUTE_API_ARN = /^(arn:[^:]+:execute-api:[^:]*:[^:]*:[^/]+\/[^/]+)\/([^/]+)(\/.*)?$/;

/** The claims `principalId` is taken from, first present first. */
const PRINCIPAL_CLAIMS = Object.freeze(['sub', 'azp', 'client_id']);

/** The principalId of a refusal, or of a token none of PRINCIPAL_CLAIMS names. */
const NO_PRINCIPAL = 'unknown';

/** Context value types API Gateway passes on as they are; any other value is sent as JSON text. */
const CONTEXT_SCALARS = Object.freeze(['string', 'number', 'boolean']);

const misuse = (message) => new JwtGuardError('ERR_POLICY_INVALID', message);

/**
 * The authorizer's own settings, checked once; the rest goes to the shared authentication.
 * @param {{ response?: string, resource?: string, tokenFrom?: object, onRefuse?: false | ((error: JwtGuardError, request: unknown) => void) }} [settings]
 */
function checkSettings(settings = {}) {
  if (!settings || typeof settings !== 'object') throw misuse('the lambdaAuthorizer settings must be an object');
  for (const name of Object.keys(settings)) {
    if (!SETTINGS.includes(name)) throw misuse(`unknown lambdaAuthorizer setting ${JSON.stringify(name)}`);
  }
  const { response = 'simple', resource = 'method', ...shared } = settings;
  if (!RESPONSES.includes(response)) throw misuse(`response must be ${RESPONSES.join(' or ')}`);
  if (!RESOURCES.includes(resource)) throw misuse(`resource must be ${RESOURCES.join(' or ')}`);
  return { response, resource, shared };
}

const badEvent = (detail) => new JwtGuardError('ERR_REQUEST_INVALID', detail);

/** The parts of an execute-api ARN: the stage's ARN, the method and the path. */
function arnParts(arn) {
  const match = typeof arn === 'string' ? EXECUTE_API_ARN.exec(arn) : null;
  if (!match) throw badEvent('the event\'s methodArn or routeArn is not an execute-api ARN');
  return { stage: match[1], method: match[2], path: match[3] ?? '/' };
}

/** Header names in lower case, each with its values, from a REST event's (multi-value) headers. */
function lowerCased(headers, multiValueHeaders) {
  const lower = {};
  const add = (name, values) => {
    lower[name.toLowerCase()] = [...(lower[name.toLowerCase()] ?? []), ...values.map(String)];
  };
  if (multiValueHeaders && typeof multiValueHeaders === 'object') {
    for (const [name, values] of Object.entries(multiValueHeaders)) if (Array.isArray(values)) add(name, values);
  } else if (headers && typeof headers === 'object') {
    for (const [name, value] of Object.entries(headers)) if (value !== null && value !== undefined) add(name, [value]);
  }
  return lower;
}

/** A REST event's query string, from its multi-value parameters (as API Gateway decoded them). */
function queryOf({ multiValueQueryStringParameters: multi, queryStringParameters: single }) {
  const query = new URLSearchParams();
  for (const [name, values] of Object.entries(multi ?? {})) for (const value of values ?? []) query.append(name, value);
  if (!multi) for (const [name, value] of Object.entries(single ?? {})) if (value !== null) query.append(name, value);
  const text = query.toString();
  return text ? `?${text}` : '';
}

/**
 * The kind of authorizer event, and the request as the shared authentication
 * reads it (method, the URL the client called, lower-case headers), and the
 * ARN the policy is about.
 */
function readEvent(event) {
  if (!event || typeof event !== 'object') throw badEvent('the authorizer received no event object');
  if (event.type === 'TOKEN') {
    const { method, path } = arnParts(event.methodArn);
    // A TOKEN event carries only the token: the URL is the ARN's, for the log.
    return { kind: 'token', arn: event.methodArn, request: { method, url: `https://execute-api.invalid${path}`, headers: { authorization: String(event.authorizationToken ?? '') } } };
  }
  if (event.type !== 'REQUEST') throw badEvent('the event is not an API Gateway TOKEN or REQUEST authorizer event');
  const context = event.requestContext ?? {};
  if (event.version === '2.0') {
    arnParts(event.routeArn);
    const headers = { ...event.headers };
    if (Array.isArray(event.cookies) && event.cookies.length > 0) headers.cookie = event.cookies.join('; ');
    const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
    return { kind: 'http', arn: event.routeArn, request: { method: context.http?.method, url: `https://${context.domainName}${event.rawPath}${query}`, headers } };
  }
  arnParts(event.methodArn);
  const headers = lowerCased(event.headers, event.multiValueHeaders);
  const host = context.domainName ?? headers.host?.[0];
  return { kind: 'request', arn: event.methodArn, request: { method: event.httpMethod, url: `https://${host}${context.path ?? event.path}${queryOf(event)}`, headers } };
}

/** The verified claims as an API Gateway context: strings, numbers and booleans as they are, anything else as JSON text. */
function contextOf(claims) {
  return Object.fromEntries(Object.entries(claims).map(([name, value]) => [name, CONTEXT_SCALARS.includes(typeof value) ? value : JSON.stringify(value)]));
}

/** The first of PRINCIPAL_CLAIMS the token has as a string. */
function principalOf(claims) {
  const name = PRINCIPAL_CLAIMS.find((claim) => typeof claims[claim] === 'string' && claims[claim] !== '');
  return name === undefined ? NO_PRINCIPAL : claims[name];
}

/** An IAM policy response: `effect` on `resource`, with the context. */
function policyAnswer(principalId, effect, resource, context) {
  return {
    principalId,
    policyDocument: { Version: POLICY_VERSION, Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] },
    context,
  };
}

/**
 * An API Gateway Lambda authorizer. API Gateway's answer to the client
 * follows from what the handler returns or throws:
 * - accepted: `{ isAuthorized: true, context }` (HTTP API, simple) or an
 *   Allow policy with `principalId` and the claims as `context`;
 * - 401 (missing, malformed or invalid token): REST APIs `throw Error('Unauthorized')`;
 *   HTTP APIs answer `isAuthorized: false` or a Deny policy (API Gateway sends 403);
 * - 403 (a valid token without the role, scope, client or tenant): a Deny
 *   policy, or `isAuthorized: false`;
 * - 500 and 503 (misconfiguration, keys unavailable): a thrown JwtGuardError,
 *   which API Gateway answers 500.
 * @param {object | object[] | ((event: object) => object | object[])} options createVerifier options, or a function of the event
 * @param {{ response?: 'simple' | 'policy', resource?: 'method' | 'stage', tokenFrom?: object, onRefuse?: false | ((error: unknown, request: unknown) => void) }} [settings]
 * @returns {(event: object) => Promise<object>}
 */
export function lambdaAuthorizer(options, settings) {
  const { response, resource, shared } = checkSettings(settings);
  const guard = authenticator(options, shared);
  const resourceOf = (arn) => (resource === 'stage' ? `${arnParts(arn).stage}/*` : arn);

  /** The answer for a refusal of `status`, or what is thrown. */
  function refused(kind, arn, { status, body }) {
    if (status >= 500) throw new JwtGuardError(body.code ?? 'ERR_INTERNAL');
    const context = { error: body.error, ...(body.code ? { code: body.code } : {}) };
    if (kind === 'http' && response === 'simple') return { isAuthorized: false, context };
    if (status === 403 || kind === 'http') return policyAnswer(NO_PRINCIPAL, 'Deny', resourceOf(arn), context);
    throw new Error(UNAUTHORIZED);
  }

  return async function authorize(event) {
    const { kind, arn, request } = readEvent(event);
    if (kind === 'token' && readAuthorization(request.headers.authorization).scheme === 'dpop') {
      // A TOKEN authorizer is given one header: the DPoP proof never reaches it.
      const error = new JwtGuardError('ERR_DPOP_INVALID', 'a TOKEN authorizer cannot see the DPoP header: use a REQUEST authorizer with Authorization and DPoP as identity sources', { claim: 'dpop' });
      return refused(kind, arn, guard.refusal(error, request));
    }
    const { auth, failure } = await guard.authenticate(request, event);
    if (failure) return refused(kind, arn, failure);
    const context = contextOf(auth.claims);
    if (kind === 'http' && response === 'simple') return { isAuthorized: true, context };
    return policyAnswer(principalOf(auth.claims), 'Allow', resourceOf(arn), context);
  };
}
