/**
 * One HTTP GET of a key set or discovery document, with the rules every
 * remote key source follows: https only (plain http only to loopback), no
 * redirects, a timeout over the whole exchange, a response size cap, and
 * any status outside 2xx is an error. A token introspection request (a form
 * POST, js/introspection.js) follows the same rules under its own codes.
 */

import { JwtGuardError } from '../errors.js';

/** Hosts that may be reached over plain http: this machine only, for development and tests. */
const LOOPBACK_HOSTS = Object.freeze(['localhost', '127.0.0.1', '[::1]']);

/**
 * Checks that `value` is an absolute https URL (or http to a loopback host)
 * and returns it normalised; throws `code` otherwise.
 * @param {unknown} value
 * @param {string} code the error code to throw (ERR_POLICY_INVALID for configuration, ERR_DISCOVERY_INVALID for a document)
 * @param {string} what the name used in the message, e.g. "jwks_uri"
 */
export function checkUrl(value, code, what) {
  const fail = (why) => new JwtGuardError(code, `${what} ${why}`, { claim: what });
  if (typeof value !== 'string') throw fail('must be a url string');
  let url;
  try {
    url = new URL(value);
  } catch {
    throw fail(`is not a url: ${JSON.stringify(value.slice(0, 200))}`);
  }
  if (url.username || url.password) throw fail('must not carry credentials');
  const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname);
  if (url.protocol !== 'https:' && !loopback) {
    throw fail(`must use https (plain http only to localhost, 127.0.0.1 or [::1]): ${url.origin}`);
  }
  return url.href;
}

/**
 * The freshness lifetime a response asks for: `Cache-Control: max-age`
 * (`no-cache`/`no-store` count as 0), clamped to [floor, ceiling]; `fallback`
 * when the header says nothing about it.
 * @param {string | null} header
 * @param {{ maxAgeFloor: number, maxAgeCeiling: number, defaultMaxAge: number }} limits seconds
 */
export function maxAgeOf(header, { maxAgeFloor, maxAgeCeiling, defaultMaxAge }) {
  let seconds = defaultMaxAge;
  for (const directive of (header ?? '').toLowerCase().split(',')) {
    const [name, value] = directive.trim().split('=');
    if (name === 'no-cache' || name === 'no-store') seconds = 0;
    if (name === 'max-age' && /^\d+$/.test(value ?? '')) seconds = Number(value);
  }
  return Math.min(Math.max(seconds, maxAgeFloor), maxAgeCeiling);
}

/**
 * What a GET of a key set or discovery document is: its method, headers and error codes.
 * @type {{ method: string, headers: Record<string, string>, body: string | undefined, failed: string, timedOut: string }}
 */
const GET = Object.freeze({
  method: 'GET',
  headers: { accept: 'application/json, application/jwk-set+json' },
  body: undefined,
  failed: 'ERR_JWKS_FETCH_FAILED',
  timedOut: 'ERR_JWKS_TIMEOUT',
});

const failure = (exchange, url, detail, cause) =>
  new JwtGuardError(exchange.failed, `${exchange.method} ${url}: ${detail}`, cause === undefined ? {} : { cause });

/** What a failed `fetch()` says, without the stack: Node puts the socket error in `cause`. */
function reasonOf(error) {
  const cause = error?.cause;
  if (cause && typeof cause === 'object' && typeof cause.code === 'string') return cause.code;
  return String(error?.message ?? error);
}

/**
 * The body as text, or null once it is over `maxBytes` (declared or read so
 * far; reading stops there). The decoder page's fetcher frame
 * (www/fetch-frame.js) bounds its reads with it too.
 */
export async function textWithin(response, maxBytes) {
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await response.body?.cancel();
    return null;
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

async function readCapped(response, url, maxBytes, exchange) {
  const text = await textWithin(response, maxBytes);
  if (text === null) throw failure(exchange, url, `the response is over the ${maxBytes}-byte limit`);
  return text;
}

/** Marks the answer of a candidate URL that is not there (404), for fetchFirstDocument. */
const NOT_FOUND = Symbol('not found');

async function request(url, signal, { fetch, maxResponseSize }, notFoundMovesOn = false, exchange = GET) {
  let response;
  try {
    response = await fetch(url, {
      method: exchange.method,
      redirect: 'manual',
      signal,
      headers: exchange.headers,
      ...(exchange.body === undefined ? {} : { body: exchange.body }),
    });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw failure(exchange, url, reasonOf(error), error);
  }
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel();
    if (notFoundMovesOn && response.status === 404) return NOT_FOUND;
    // Browsers report a manual redirect as an opaque response with status 0.
    const redirect = response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
    throw failure(exchange, url, `answered ${response.status}${redirect ? ' (redirects are not followed)' : ''}`);
  }
  const text = await readCapped(response, url, maxResponseSize, exchange);
  return {
    text,
    status: response.status,
    cacheControl: response.headers.get('cache-control'),
    contentType: response.headers.get('content-type'),
  };
}

/**
 * GETs `url` and returns `{ text, status, cacheControl }`. Rejects with
 * ERR_JWKS_TIMEOUT when the whole exchange (body included) takes longer than
 * `timeout` seconds, and with ERR_JWKS_FETCH_FAILED for any other failure.
 * The timer runs here, so a `fetch` that ignores its AbortSignal still cannot
 * hang the caller.
 * @param {string} url
 * @param {{ fetch: typeof fetch, timeout: number, maxResponseSize: number }} settings
 */
export async function fetchDocument(url, settings) {
  const { text, status, cacheControl } = await fetchFirstDocument([url], settings);
  return { text, status, cacheControl };
}

/**
 * GETs each of `urls` in order until one answers anything but 404, and
 * returns `{ text, status, cacheControl, url }` of that answer. Only a 404
 * moves on: a timeout, a network error, any other status or an oversized
 * body rejects at once, so a failing document never gives way to another
 * one. When every URL answers 404, rejects with ERR_JWKS_FETCH_FAILED
 * naming them all. `timeout` bounds the whole walk (one deadline, not one
 * per URL), so a caller waiting on it waits no longer than on one document.
 * @param {string[]} urls at least one
 * @param {{ fetch: typeof fetch, timeout: number, maxResponseSize: number }} settings
 */
export async function fetchFirstDocument(urls, settings) {
  const what = urls.length === 1 ? urls[0] : `${urls[0]} (and ${urls.length - 1} more)`;
  return withDeadline(GET, what, settings.timeout, async (signal) => {
    for (const [index, url] of urls.entries()) {
      const last = index === urls.length - 1;
      // The last URL's 404 is an error like any other status, unless there
      // were several: then the error names every one.
      const answer = await request(url, signal, settings, urls.length > 1);
      if (answer !== NOT_FOUND) return { ...answer, url };
      if (last) throw failure(GET, urls.join(', '), 'each answered 404');
    }
    throw new JwtGuardError('ERR_INTERNAL', 'fetchFirstDocument needs at least one url');
  });
}

/**
 * POSTs the form `body` to `url` under the same rules (no redirects, one
 * deadline, the size cap) and returns `{ text, status, contentType }`.
 * Failures are `codes.failed`, a timeout `codes.timedOut`; their messages
 * name the URL, never the body.
 * @param {string} url
 * @param {{ body: string, headers: Record<string, string>, failed: string, timedOut: string }} post
 * @param {{ fetch: typeof fetch, timeout: number, maxResponseSize: number }} settings
 */
export async function postForm(url, { body, headers, failed, timedOut }, settings) {
  const exchange = {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
    failed,
    timedOut,
  };
  return withDeadline(exchange, url, settings.timeout, (signal) => request(url, signal, settings, false, exchange));
}

/**
 * Runs `work(signal)` within `timeout` seconds: the timer runs here, so a
 * `fetch` that ignores its AbortSignal still cannot hang the caller.
 */
async function withDeadline(exchange, what, timeout, work) {
  const controller = new AbortController();
  let timer;
  const timedOut = new Promise((_, reject) => {
    timer = setTimeout(() => {
      const error = new JwtGuardError(exchange.timedOut, `${exchange.method} ${what}: no complete answer within ${timeout} s`);
      controller.abort(error);
      reject(error);
    }, timeout * 1000);
  });
  try {
    return await Promise.race([work(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
