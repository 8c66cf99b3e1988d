/**
 * Gateway rules: a table that maps a path pattern and methods to a
 * requirement (one policy, any of several, all of them, optional, or none),
 * checked before a request is forwarded to an origin. The path matched is the
 * canonical path (js/request-path.js), and the forwarded request carries it;
 * HEAD is matched as GET; a CORS preflight needs a rule but no token, and is
 * forwarded without credentials. Verified claims can be forwarded as headers
 * and the credential stripped. Shared by `gateway` (jwtguard/worker) and `jwtGateway`
 * (jwtguard/hono). Each policy is checked by the shared request
 * authentication (js/authenticate.js), so answers are the middleware's.
 */

import { authenticator } from './authenticate.js';
import { JwtGuardError } from './errors.js';
import { REPLAY_SCOPE, replayMemory } from './replay.js';
import { canonicalPath, matchKey, rawPath } from './request-path.js';
import { isPreflight } from './request.js';

/** HTTP methods a rule may name. */
const METHODS = Object.freeze(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** An HTTP header name (RFC 9110 §5.1 token). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * A value a header carries exactly (RFC 9110 §5.5 field-value, no obs-text):
 * visible ASCII, with spaces and tabs only inside, since a recipient strips
 * them at either end; no CR/LF can split headers.
 */
const FIELD_VALUE = /^(?:[\x21-\x7e](?:[\t\x20-\x7e]*[\x21-\x7e])?)?$/;

/** What joins an array claim's members (an RFC 9110 §5.6.1 list); a member holding it is refused. */
const LIST_SEPARATOR = ',';

/**
 * A rule's path, once canonical: unreserved characters and `/` only. A
 * request segment with any other character, encoded or not, then differs
 * from every rule segment whether or not the origin decodes it.
 */
const RULE_PATH = /^[A-Za-z0-9\-._~/]*$/;

/** Members of a gateway configuration. */
const CONFIG = Object.freeze(['policies', 'rules', 'forward', 'settings', 'caseSensitive', 'strictSlash']);
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
 * (`/api/*` matches `/api` and everything under it; `/*` matches all),
 * compared by match key (js/request-path.js) so case and a final slash count
 * as the configuration says. Specificity orders the closest match first:
 * exact paths, then longer prefixes.
 */
function readPattern(path, where, matching) {
  if (typeof path !== 'string' || !path.startsWith('/') || /[*](?!$)/.test(path) || (path.includes('*') && !path.endsWith('/*'))) {
    throw misuse(`${where}: path must be an exact path (/health) or a prefix ending in /* (/api/*)`);
  }
  const prefix = path.endsWith('/*') ? path.slice(0, -2) : null;
  const literal = prefix ?? path;
  if (literal !== '' && (canonicalPath(literal) !== literal || !RULE_PATH.test(literal))) {
    throw misuse(`${where}: path must be canonical (no dot segments, no percent-encoding) and hold only letters, digits, - . _ ~ and /`);
  }
  if (prefix === null) {
    const key = matchKey(path, matching);
    return { matches: (requested) => requested === key, specificity: Number.MAX_SAFE_INTEGER };
  }
  const key = prefix === '' ? '' : matchKey(prefix, matching);
  return {
    matches: (requested) => requested === key || requested.startsWith(`${key}/`),
    specificity: prefix.length,
  };
}

function readRules(rules, policies, matching) {
  if (!Array.isArray(rules) || rules.length === 0) throw misuse('rules must be a non-empty array');
  return rules.map((rule, index) => {
    const where = `rules[${index}]`;
    checkKeys(rule, RULE, where);
    const methods = rule.methods === undefined ? null : rule.methods;
    if (methods !== null && (!Array.isArray(methods) || methods.length === 0 || !methods.every((m) => METHODS.includes(m)))) {
      throw misuse(`${where}: methods must be a non-empty array of ${METHODS.join(', ')}`);
    }
    if (!('require' in rule)) throw misuse(`${where}: require is missing (null lets requests through unchecked)`);
    const pattern = readPattern(rule.path, where, matching);
    return {
      ...pattern,
      // A rule that names methods is closer than one for every method.
      methods: methods && new Set(methods),
      requirement: readRequirement(rule.require, policies, where),
      index,
    };
  });
}

/** The matching options: `caseSensitive` and `strictSlash`, false unless set (Express's defaults). */
function readMatching({ caseSensitive = false, strictSlash = false }) {
  if (typeof caseSensitive !== 'boolean') throw misuse('caseSensitive must be a boolean');
  if (typeof strictSlash !== 'boolean') throw misuse('strictSlash must be a boolean');
  return { caseSensitive, strictSlash };
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

/** How closely a rule's methods fit: named, named as GET for a HEAD, or any method (0); -1 when they exclude it. */
function methodFit(rule, method) {
  if (!rule.methods) return 0;
  if (rule.methods.has(method)) return 2;
  return method === 'HEAD' && rule.methods.has('GET') ? 1 : -1;
}

/**
 * The closest rule for a method and a path's match key, or undefined. HEAD
 * is GET (origins answer HEAD with the GET handler) unless a rule names HEAD.
 */
function closest(rules, method, key) {
  let best;
  let bestFit = -1;
  for (const rule of rules) {
    const fit = methodFit(rule, method);
    if (fit < 0 || !rule.matches(key)) continue;
    if (!best || rule.specificity > best.specificity || (rule.specificity === best.specificity && fit > bestFit)) {
      best = rule;
      bestFit = fit;
    }
  }
  return best;
}

/**
 * A claim as a header value exactly: a string, number or boolean as text, an
 * array of strings and numbers joined by LIST_SEPARATOR, an object as JSON.
 * `undefined` for null (the header is left out); null when no header can
 * carry the value exactly (surrounding whitespace, a control character, a
 * non-ASCII character, an array member that is empty, holds the separator or
 * is neither string nor number).
 */
function headerValue(value) {
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    const members = value.map((member) => (typeof member === 'number' ? String(member) : member));
    const listable = members.every((member) => typeof member === 'string' && member !== '' && FIELD_VALUE.test(member) && !member.includes(LIST_SEPARATOR));
    return listable ? members.join(LIST_SEPARATOR) : null;
  }
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return FIELD_VALUE.test(text) ? text : null;
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
 * @param {{ policies: Record<string, object | ((env: object) => object)>, rules: Array<{ path: string, methods?: string[], require: string | { anyOf: string[] } | { allOf: string[] } | { optional: string } | null }>, forward?: { claims?: Record<string, string>, payload?: string, stripAuthorization?: boolean }, settings?: object, caseSensitive?: boolean, strictSlash?: boolean }} config
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
  const matching = readMatching(config);
  const rules = readRules(config.rules, policies, matching);
  const forward = readForward(config.forward);
  // Every header the gateway sets is first removed from what the client sent: a caller cannot forge them.
  const owned = [...forward.claims.map(([, header]) => header), ...(forward.payload ? [forward.payload] : [])];

  /**
   * The request to forward, at the canonical `path`: owned headers replaced by
   * the verified claims, the credentials stripped when asked (and always from
   * a preflight, which was not checked). Null when a claim cannot be forwarded.
   */
  function forwarded(original, path, auth, { preflight = false } = {}) {
    // Every policy has the same settings, so the same token sources.
    const request = forward.stripAuthorization || preflight ? guards[names[0]].withoutCredentials(original) : original;
    const url = new URL(request.url);
    url.pathname = path;
    const next = new Request(url, request);
    const { headers } = next;
    for (const header of owned) headers.delete(header);
    if (auth) {
      for (const [claim, header] of forward.claims) {
        if (auth.claims[claim] === undefined) continue;
        const value = headerValue(auth.claims[claim]);
        if (value === null) return null;
        if (value !== undefined) headers.set(header, value);
      }
      if (forward.payload) headers.set(forward.payload, base64url(JSON.stringify(auth.claims)));
    }
    return next;
  }

  const verify = (name, request, env, context) =>
    guards[name].authenticate(request, env, context).then((result) => (result.auth ? { ...result, auth: { ...result.auth, policies: [name] } } : result));

  /**
   * `{ auth, headers? }` (auth null when no token was needed or an optional one failed; headers
   * for the successful answer, `DPoP-Nonce`) or `{ failure }`.
   */
  async function check(requirement, request, env, given) {
    const { kind, names: required } = requirement;
    // The policies that check one request share its replay answers: its proof is used once, by this request.
    const context = { ...given, [REPLAY_SCOPE]: new Map() };
    if (kind === 'none') return { auth: null };
    if (kind === 'one') return verify(required[0], request, env, context);
    if (kind === 'optional') {
      const { auth, headers } = await verify(required[0], request, env, context);
      return { auth: auth ?? null, headers };
    }
    const results = await Promise.all(required.map((name) => verify(name, request, env, context)));
    const failures = results.filter((r) => r.failure).map((r) => r.failure);
    if (kind === 'anyOf') {
      const accepted = results.find((r) => r.auth);
      return accepted ?? { failure: mostTelling(failures) };
    }
    // allOf: the first policy's result, with every policy's name.
    if (failures.length) return { failure: failures[0] };
    return { ...results[0], auth: { ...results[0].auth, policies: required } };
  }

  return Object.freeze({
    /**
     * `{ request, auth, headers }` to forward (headers for the answer: `DPoP-Nonce`), or `{ answer }` to send back.
     * @param {Request} request
     * @param {object} env
     * @param {object} [context] waitUntil and the client certificate
     */
    async handle(request, env, context) {
      const metadata = guards[names[0]].metadata(request, env);
      if (metadata) return { answer: metadata };
      const path = canonicalPath(rawPath(request.url));
      if (path === null) {
        return { answer: guards[names[0]].refusal(new JwtGuardError('ERR_REQUEST_INVALID', 'the path holds an encoded separator, NUL or dot segment, bytes that are not UTF-8, or a character a path cannot hold')) };
      }
      const key = matchKey(path, matching);
      const { method } = request;
      const rule = closest(rules, method, key);
      // CORS preflight carries no credentials (Fetch §3.2.2): unless its rule names OPTIONS it
      // needs no token, but a rule for the path (for OPTIONS or the method it asks about).
      if (isPreflight(request) && !rule?.methods?.has('OPTIONS')) {
        const asked = request.headers.get('access-control-request-method');
        if (!rule && !closest(rules, asked, key)) return { answer: NO_RULE };
        return { request: forwarded(request, path, null, { preflight: true }), auth: null };
      }
      if (!rule) return { answer: NO_RULE };
      const { auth, failure, headers } = await check(rule.requirement, request, env, context);
      if (failure) return { answer: failure };
      const next = forwarded(request, path, auth);
      return next ? { request: next, auth, headers } : { answer: CLAIM_NOT_FORWARDABLE };
    },
  });
}
