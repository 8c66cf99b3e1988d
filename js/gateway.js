/**
 * Gateway rules: a table that maps a path pattern and methods to a
 * requirement (one policy, any of several, all of them, optional, or none),
 * checked before a request is forwarded to an origin; CORS preflight passes
 * untouched; verified claims can be forwarded as headers and the credential
 * stripped. Shared by `gateway` (jwtguard/worker) and `jwtGateway`
 * (jwtguard/hono). Each policy is checked by the shared request
 * authentication (js/authenticate.js), so answers are the middleware's.
 */

import { authenticator } from './authenticate.js';
import { JwtGuardError } from './errors.js';
import { REPLAY_SCOPE, replayMemory } from './replay.js';

/** HTTP methods a rule may name. */
const METHODS = Object.freeze(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** An HTTP header name (RFC 9110 §5.1 token). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** A forwarded value: visible ASCII, spaces and tabs only (RFC 9110 §5.5 field-vchar, no obs-text), so no CR/LF can split headers. */
const HEADER_SAFE = /^[\t\x20-\x7e]*$/;

/** Members of a gateway configuration. */
const CONFIG = Object.freeze(['policies', 'rules', 'forward', 'settings']);
const RULE = Object.freeze(['path', 'methods', 'require']);
const FORWARD = Object.freeze(['claims', 'payload', 'stripAuthorization']);

const misuse = (message) => new JwtGuardError('ERR_POLICY_INVALID', `gateway: ${message}`);

/** Answers in the shared `{ status, headers, body }` shape. */
const NO_RULE = Object.freeze({ status: 404, headers: { 'content-type': 'application/json' }, body: { error: 'not_found', code: null } });
const CLAIM_NOT_FORWARDABLE = Object.freeze({
  status: 401,
  headers: { 'content-type': 'application/json' },
  body: { error: 'invalid_token', code: 'ERR_CLAIM_INVALID' },
});

function checkKeys(object, allowed, what) {
  if (!object || typeof object !== 'object' || Array.isArray(object)) throw misuse(`${what} must be an object`);
  for (const name of Object.keys(object)) if (!allowed.includes(name)) throw misuse(`unknown ${what} member ${JSON.stringify(name)}`);
}

/**
 * A requirement in its one internal form: `{ kind, names }`.
 * `'name'` | `{ anyOf: [...] }` | `{ allOf: [...] }` | `{ optional: 'name' }` | `null` (no token needed).
 */
function readRequirement(require, policies, where) {
  const known = (name) => {
    if (typeof name !== 'string' || !Object.hasOwn(policies, name)) throw misuse(`${where}: unknown policy ${JSON.stringify(name)}`);
    return name;
  };
  if (require === null) return { kind: 'none', names: [] };
  if (typeof require === 'string') return { kind: 'one', names: [known(require)] };
  if (require && typeof require === 'object' && Object.keys(require).length === 1) {
    const [[kind, value]] = Object.entries(require);
    if ((kind === 'anyOf' || kind === 'allOf') && Array.isArray(value) && value.length > 0) return { kind, names: value.map(known) };
    if (kind === 'optional') return { kind, names: [known(value)] };
  }
  throw misuse(`${where}: require must be a policy name, { anyOf: [...] }, { allOf: [...] }, { optional: name } or null`);
}

/**
 * A path pattern: an exact path (`/health`), or a prefix ending in `/*`
 * (`/api/*` matches `/api` and everything under it; `/*` matches all).
 * Specificity orders the closest match first: exact paths, then longer prefixes.
 */
function readPattern(path, where) {
  if (typeof path !== 'string' || !path.startsWith('/') || /[*](?!$)|[?#]/.test(path) || (path.includes('*') && !path.endsWith('/*'))) {
    throw misuse(`${where}: path must be an exact path (/health) or a prefix ending in /* (/api/*)`);
  }
  if (!path.endsWith('/*')) return { matches: (pathname) => pathname === path, specificity: Number.MAX_SAFE_INTEGER };
  const prefix = path.slice(0, -2);
  return {
    matches: (pathname) => pathname === prefix || pathname.startsWith(`${prefix}/`) || (prefix === '' && pathname === '/'),
    specificity: prefix.length,
  };
}

function readRules(rules, policies) {
  if (!Array.isArray(rules) || rules.length === 0) throw misuse('rules must be a non-empty array');
  return rules.map((rule, index) => {
    const where = `rules[${index}]`;
    checkKeys(rule, RULE, where);
    const methods = rule.methods === undefined ? null : rule.methods;
    if (methods !== null && (!Array.isArray(methods) || methods.length === 0 || !methods.every((m) => METHODS.includes(m)))) {
      throw misuse(`${where}: methods must be a non-empty array of ${METHODS.join(', ')}`);
    }
    if (!('require' in rule)) throw misuse(`${where}: require is missing (null lets requests through unchecked)`);
    const pattern = readPattern(rule.path, where);
    return {
      ...pattern,
      // A rule that names methods is closer than one for every method.
      methods: methods && new Set(methods),
      requirement: readRequirement(rule.require, policies, where),
      index,
    };
  });
}

function readForward(forward) {
  if (forward === undefined) return { claims: [], payload: null, stripAuthorization: false };
  checkKeys(forward, FORWARD, 'forward');
  const claims = Object.entries(forward.claims ?? {});
  for (const [claim, header] of claims) {
    if (typeof header !== 'string' || !HEADER_NAME.test(header)) throw misuse(`forward.claims.${claim} must be a header name`);
  }
  const payload = forward.payload ?? null;
  if (payload !== null && (typeof payload !== 'string' || !HEADER_NAME.test(payload))) throw misuse('forward.payload must be a header name');
  if (forward.stripAuthorization !== undefined && typeof forward.stripAuthorization !== 'boolean') {
    throw misuse('forward.stripAuthorization must be a boolean');
  }
  return { claims, payload, stripAuthorization: forward.stripAuthorization === true };
}

/** The closest rule for a method and path, or undefined. */
function closest(rules, method, pathname) {
  let best;
  for (const rule of rules) {
    if (!rule.matches(pathname) || (rule.methods && !rule.methods.has(method))) continue;
    const better = !best
      || rule.specificity > best.specificity
      || (rule.specificity === best.specificity && rule.methods && !best.methods);
    if (better) best = rule;
  }
  return best;
}

/** A claim as a header value, or null when it cannot be one. */
function headerValue(value) {
  const text = Array.isArray(value)
    ? (value.every((v) => typeof v === 'string' || typeof v === 'number') ? value.join(',') : null)
    : (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value));
  return text !== null && HEADER_SAFE.test(text) ? text : null;
}

const base64url = (text) => {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/**
 * Which of two failures to answer with when no policy accepted: a token that
 * verified but lacks a permission (403) says more than one rejected outright,
 * and keys being unavailable (503) is the server's problem, not the caller's.
 */
const RANK = { 503: 3, 500: 3, 403: 2, 401: 1 };
const mostTelling = (failures) => failures.reduce((a, b) => ((RANK[b.status] ?? 0) > (RANK[a.status] ?? 0) ? b : a));

/**
 * @param {{ policies: Record<string, object | ((env: object) => object)>, rules: Array<{ path: string, methods?: string[], require: string | { anyOf: string[] } | { allOf: string[] } | { optional: string } | null }>, forward?: { claims?: Record<string, string>, payload?: string, stripAuthorization?: boolean }, settings?: object }} config
 */
export function gatewayGuard(config) {
  checkKeys(config, CONFIG, 'the configuration');
  const { policies, settings } = config;
  if (!policies || typeof policies !== 'object' || Array.isArray(policies)) throw misuse('policies must be an object of named verifier options');
  const names = Object.keys(policies);
  if (names.length === 0) throw misuse('policies must name at least one policy');
  // One replay memory for every policy: a proof one policy accepted is a replay to the others.
  const memory = replayMemory();
  const guards = Object.fromEntries(names.map((name) => [name, authenticator(policies[name], settings, { env: true, memory })]));
  const rules = readRules(config.rules, policies);
  const forward = readForward(config.forward);
  // Every header the gateway sets is first removed from what the client sent: a caller cannot forge them.
  const owned = [...forward.claims.map(([, header]) => header), ...(forward.payload ? [forward.payload] : [])];

  /** The request to forward: owned headers replaced by the verified claims, the credentials stripped when asked. */
  function forwarded(original, auth) {
    // Every policy has the same settings, so the same token sources.
    const request = forward.stripAuthorization ? guards[names[0]].withoutCredentials(original) : original;
    const headers = new Headers(request.headers);
    for (const header of owned) headers.delete(header);
    if (auth) {
      for (const [claim, header] of forward.claims) {
        if (auth.claims[claim] === undefined) continue;
        const value = headerValue(auth.claims[claim]);
        if (value === null) return null;
        headers.set(header, value);
      }
      if (forward.payload) headers.set(forward.payload, base64url(JSON.stringify(auth.claims)));
    }
    return new Request(request, { headers });
  }

  const verify = (name, request, env, context) =>
    guards[name].authenticate(request, env, context).then((result) => (result.auth ? { auth: { ...result.auth, policies: [name] } } : result));

  /** `{ auth }` (auth null when no token was needed or an optional one failed) or `{ failure }`. */
  async function check(requirement, request, env, given) {
    const { kind, names: required } = requirement;
    // The policies that check one request share its replay answers: its proof is used once, by this request.
    const context = { ...given, [REPLAY_SCOPE]: new Map() };
    if (kind === 'none') return { auth: null };
    if (kind === 'one') return verify(required[0], request, env, context);
    if (kind === 'optional') {
      const { auth } = await verify(required[0], request, env, context);
      return { auth: auth ?? null };
    }
    const results = await Promise.all(required.map((name) => verify(name, request, env, context)));
    const failures = results.filter((r) => r.failure).map((r) => r.failure);
    if (kind === 'anyOf') {
      const accepted = results.find((r) => r.auth);
      return accepted ?? { failure: mostTelling(failures) };
    }
    // allOf: the first policy's result, with every policy's name.
    if (failures.length) return { failure: failures[0] };
    return { auth: { ...results[0].auth, policies: required } };
  }

  return Object.freeze({
    /**
     * `{ request, auth }` to forward, or `{ answer }` to send back.
     * @param {Request} request
     * @param {object} env
     * @param {object} [context] waitUntil and the client certificate
     */
    async handle(request, env, context) {
      const metadata = guards[names[0]].metadata(request, env);
      if (metadata) return { answer: metadata };
      const { pathname } = new URL(request.url);
      const rule = closest(rules, request.method, pathname);
      // CORS preflight carries no credentials (Fetch §3.2.2): it passes untouched unless a rule names OPTIONS.
      const preflight = request.method === 'OPTIONS' && request.headers.has('access-control-request-method');
      if (preflight && !rule?.methods?.has('OPTIONS')) return { request, auth: null };
      if (!rule) return { answer: NO_RULE };
      const { auth, failure } = await check(rule.requirement, request, env, context);
      if (failure) return { answer: failure };
      const next = forwarded(request, auth);
      return next ? { request: next, auth } : { answer: CLAIM_NOT_FORWARDABLE };
    },
  });
}
