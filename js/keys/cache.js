/**
 * The cache behind every remote key source: one fetched document (a JWKS or
 * a discovery document) per URL, kept by these rules:
 *
 * - fresh for the response's `Cache-Control: max-age`, clamped to
 *   [maxAgeFloor, maxAgeCeiling], or defaultMaxAge when it has none;
 * - past that, still served while one background refresh runs
 *   (stale-while-revalidate);
 * - when refreshing fails, served for up to staleIfError more seconds, and
 *   the failure is reported (stale-if-error);
 * - a refresh for an unknown kid fetches once, then not again for the
 *   cooldown; a failed fetch is not retried within the cooldown either;
 * - one fetch in flight at a time, shared by every caller, except on
 *   Cloudflare Workers, where a promise started by one request must not be
 *   awaited by another (it can hang: jose#355, jose#509): there a caller with
 *   usable keys never waits, and a caller without keys fetches for itself;
 * - optionally persisted in `store` (Workers KV, the Cache API, ...), read
 *   when memory has nothing usable;
 * - a document that may live at several URLs (discovery: RFC 8414 and
 *   OpenID Connect names) is fetched by walking them in order, a 404 moving
 *   to the next; that walk is one fetch attempt for every rule above.
 */

import { MAX_JWKS_SIZE } from '../../pkg/facts.js';
import { checkedClock, kindOf } from '../clock.js';
import { JwtGuardError } from '../errors.js';
import { fetchFirstDocument, maxAgeOf } from './fetch.js';
import { refetchAction } from './refetch.js';

/** Defaults of the key-source options, in seconds unless named otherwise. */
export const KEY_SOURCE_DEFAULTS = Object.freeze({
  /** Seconds for one request, body included: an IdP that slow is treated as down. */
  timeout: 5,
  /** Bytes: the core's JWKS size limit; no key set or discovery document needs more. */
  maxResponseSize: MAX_JWKS_SIZE,
  /** Fewer than 5 minutes between routine fetches only adds load on the IdP. */
  maxAgeFloor: 300,
  /** Keys are refetched at least daily, as Entra ID's key-rollover guidance asks. */
  maxAgeCeiling: 86_400,
  /** Used when the response has no max-age: hourly, as Entra ID's guidance suggests. */
  defaultMaxAge: 3600,
  /** Last good keys outlive a failing IdP by a day, then verification fails closed. */
  staleIfError: 86_400,
  /** At most one kid-miss fetch (or retry after a failure) per URL in this window. */
  cooldown: 30,
});

/** The options above that count bytes, not seconds: whole numbers. */
const WHOLE_NUMBER_OPTIONS = Object.freeze(['maxResponseSize']);

/** Every option a key source accepts. */
export const KEY_SOURCE_OPTIONS = Object.freeze([
  ...Object.keys(KEY_SOURCE_DEFAULTS), 'fetch', 'store', 'onEvent', 'now', 'shareInFlight',
]);

const optionError = (name, why) =>
  new JwtGuardError('ERR_POLICY_INVALID', `${name} ${why}`, { claim: name });

/** Cloudflare Workers: the runtime where a pending fetch must not be shared across requests. */
function isCloudflareWorkers() {
  return (typeof navigator !== 'undefined' && navigator.userAgent === 'Cloudflare-Workers')
    || typeof globalThis.WebSocketPair === 'function';
}

/**
 * Checks key-source options and fills in the defaults.
 * @param {import('../index.d.ts').KeySourceOptions & Record<string, any>} options
 */
export function keySourceSettings(options = {}) {
  if (!options || typeof options !== 'object') throw optionError('options', 'must be an object');
  for (const name of Object.keys(options)) {
    if (!KEY_SOURCE_OPTIONS.includes(name)) throw optionError(JSON.stringify(name), 'is not a key-source option');
  }
  /** @type {Record<keyof typeof KEY_SOURCE_DEFAULTS, number>} */
  const settings = { ...KEY_SOURCE_DEFAULTS };
  for (const name of Object.keys(KEY_SOURCE_DEFAULTS)) {
    const value = options[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw optionError(name, `must be a number ≥ 0, not ${kindOf(value)}`);
    if (WHOLE_NUMBER_OPTIONS.includes(name) && !Number.isSafeInteger(value)) throw optionError(name, `must be a whole number, not ${value}`);
    settings[name] = value;
  }
  if (settings.timeout === 0 || settings.maxResponseSize === 0) throw optionError(settings.timeout === 0 ? 'timeout' : 'maxResponseSize', 'must be above 0');
  if (settings.maxAgeFloor > settings.maxAgeCeiling) throw optionError('maxAgeFloor', 'must not exceed maxAgeCeiling');
  for (const name of ['fetch', 'onEvent']) {
    if (options[name] !== undefined && typeof options[name] !== 'function') throw optionError(name, 'must be a function');
  }
  const { store } = options;
  if (store !== undefined && (!store || typeof store.get !== 'function' || typeof store.put !== 'function')) {
    throw optionError('store', 'must have get(key) and put(key, value, ttlSeconds)');
  }
  if (options.shareInFlight !== undefined && typeof options.shareInFlight !== 'boolean') throw optionError('shareInFlight', 'must be a boolean');

  const userFetch = options.fetch;
  const onEvent = options.onEvent;
  return Object.freeze({
    ...settings,
    // Called as a plain function: Workers and browsers reject fetch() with a foreign `this`.
    fetch: userFetch ?? ((input, init) => globalThis.fetch(input, init)),
    store: store ?? null,
    now: checkedClock(options.now === undefined ? () => Date.now() / 1000 : options.now),
    shareInFlight: options.shareInFlight ?? !isCloudflareWorkers(),
    /** Reports an event; a listener that throws cannot break verification. */
    emit(event) {
      if (onEvent === undefined) return;
      try {
        onEvent(Object.freeze(event));
      } catch {
        // Ignored by design: events are for observing, never for control.
      }
    },
  });
}

/** Turns whatever a store threw into a JwtGuardError for the `error` event. */
const storeError = (url, what, cause) =>
  new JwtGuardError('ERR_JWKS_FETCH_FAILED', `store.${what} for ${url} threw: ${String(cause?.message ?? cause)}`, { cause });

/**
 * How often a caller that must not share another request's promise looks
 * again for the document that request is fetching.
 */
const IN_FLIGHT_POLL_MS = 10;

/**
 * A cached remote document: the fetching, the store and the events, with
 * the decisions left to the refetch rule (refetch.js).
 * @param {string} url the document's name: its store key and the url of its events
 * @param {object} spec
 * @param {string} spec.kind `jwks` or `discovery`; part of the store key
 * @param {string[]} [spec.candidates] where the document may be, tried in
 *   order on every fetch, a 404 moving to the next (fetchFirstDocument);
 *   default `[url]`. One fetch attempt walks them all, so the cooldown and
 *   the timeout apply to the walk as to one request.
 * @param {(text: string, source: string) => unknown} spec.parse checks the text fetched from `source`; throws a JwtGuardError
 * @param {(entry: object) => void} spec.onUpdate called after a new entry is taken in
 * @param {ReturnType<typeof keySourceSettings>} spec.settings
 */
export function cachedDocument(url, { kind, candidates = [url], parse, onUpdate, settings }) {
  const { emit, now, store } = settings;
  const storeKey = `jwtguard:${kind}:${url}`;
  /** { value, text, fetchedAt, maxAge, freshUntil, usableUntil, source } (source: the candidate that answered) */
  let entry = null;
  let lastAttempt = -Infinity;
  let lastError = null;
  /** { promise, since } of the fetch in flight. */
  let pending = null;

  const usable = (t) => entry !== null && t < entry.usableUntil;
  const inFlight = (t) => pending !== null && t - pending.since <= settings.timeout;
  /** The rule's verdict on `event` now. */
  const decide = (event) =>
    refetchAction({ entry, lastAttempt, failed: lastError !== null, pendingSince: pending?.since ?? null }, event, now(), settings);

  function take(text, fetchedAt, maxAge, source) {
    const value = parse(text, source);
    const freshUntil = fetchedAt + maxAge;
    entry = { value, text, fetchedAt, maxAge, freshUntil, usableUntil: freshUntil + settings.staleIfError, source };
    return entry;
  }

  async function persist(saved) {
    if (store === null) return;
    const ttl = Math.ceil(saved.freshUntil + settings.staleIfError - now());
    try {
      const source = saved.source === url ? {} : { source: saved.source };
      await store.put(storeKey, JSON.stringify({ text: saved.text, fetchedAt: saved.fetchedAt, maxAge: saved.maxAge, ...source }), ttl);
    } catch (error) {
      emit({ type: 'error', url, error: storeError(url, 'put', error) });
    }
  }

  async function fromStore() {
    if (store === null) return null;
    let saved;
    try {
      saved = JSON.parse((await store.get(storeKey)) ?? 'null');
    } catch (error) {
      emit({ type: 'error', url, error: storeError(url, 'get', error) });
      return null;
    }
    const { text, fetchedAt, maxAge, source = url } = saved ?? {};
    if (typeof text !== 'string' || !Number.isFinite(fetchedAt) || !Number.isFinite(maxAge)) return null;
    if (now() >= fetchedAt + maxAge + settings.staleIfError) return null;
    if (!candidates.includes(source)) return null;
    try {
      onUpdate(take(text, fetchedAt, maxAge, source));
      return entry;
    } catch (error) {
      emit({ type: 'error', url, error });
      return null;
    }
  }

  async function download(reason) {
    try {
      const { text, status, cacheControl, url: source } = await fetchFirstDocument(candidates, settings);
      const maxAge = maxAgeOf(cacheControl, settings);
      const fresh = take(text, now(), maxAge, source);
      emit({ type: 'fetch', url, reason, status, maxAge });
      onUpdate(fresh);
      await persist(fresh);
      return fresh;
    } catch (error) {
      lastError = error;
      emit({ type: 'error', url, error });
      throw error;
    }
  }

  /** Starts a fetch; only one is tracked as in flight. */
  function start(reason) {
    const since = now();
    lastAttempt = since;
    lastError = null;
    const promise = download(reason).finally(() => {
      if (pending?.promise === promise) pending = null;
    });
    pending = { promise, since };
    return promise;
  }

  /** After a failed refresh: the old entry is still served, and that is reported. */
  function staleServed() {
    const t = now();
    if (!usable(t)) return null;
    emit({ type: 'stale-served', url, age: Math.round(t - entry.fetchedAt), until: Math.floor(entry.usableUntil) });
    return entry;
  }

  /**
   * The usable entry or null, without waiting; past max age it starts a
   * background refresh, handed to `context.waitUntil` when the caller has one
   * (a Worker's `ctx.waitUntil`, so the runtime lets it finish).
   */
  function peek(context) {
    const action = decide('peek');
    if (action.type === 'none') return null;
    if (action.type === 'serve' && action.refresh) {
      emit({ type: 'refresh', url, reason: action.refresh });
      const background = start(action.refresh).catch(staleServed);
      context?.waitUntil?.(background);
    }
    return entry;
  }

  /**
   * Waits, on the caller's own timers, while another caller's fetch is in
   * flight: on Workers a promise started by one request must not be awaited
   * by another (it can hang), but many cold requests should still cause one
   * fetch. Returns true when that fetch was given up on (still unsettled
   * after the timeout: its request may be gone).
   */
  async function awaitOthers() {
    const awaited = pending;
    while (pending === awaited && inFlight(now()) && !usable(now())) {
      await new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_POLL_MS));
    }
    return pending === awaited && !usable(now());
  }

  /** A usable entry: from memory, else the store, else the network. */
  async function get(context) {
    const ready = peek(context) ?? (await fromStore());
    if (ready !== null) return ready;
    let action = decide('load');
    if (action.type === 'join') return pending.promise;
    while (action.type === 'poll') {
      if (await awaitOthers()) return start('load');
      // The fetch waited for is over, or another caller gave up on it and
      // started the next one: decide again with whatever is in flight now
      // (deciding as if nothing were would start one fetch per caller).
      action = decide('load');
    }
    if (action.type === 'serve') return entry;
    if (action.type === 'fail') throw lastError;
    return start('load');
  }

  /**
   * Refetches because a token named a key that is not here. Resolves to the
   * entry (changed or not); rejects when the fetch fails.
   * @param {string | null} kid
   */
  async function refresh(kid) {
    emit({ type: 'kid-miss', url, kid });
    const action = decide('kid-miss');
    if (action.type === 'join') return pending.promise;
    if (action.type === 'cooldown') {
      emit({ type: 'cooldown', url, kid, retryIn: action.retryIn });
      return entry;
    }
    emit({ type: 'refresh', url, reason: 'kid-miss' });
    return start('kid-miss');
  }

  return Object.freeze({ peek, get, refresh });
}
