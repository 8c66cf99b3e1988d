/**
 * remoteJwks: a key source that fetches a JWKS from a URL and keeps it by the
 * rules in cache.js.
 */

import { cachedDocument, keySourceSettings } from './cache.js';
import { usableKids } from '../../pkg/jwtguard.js';
import { JwtGuardError, fromCore } from '../errors.js';
import { checkUrl } from './fetch.js';
import { KEY_SOURCE, nextGeneration } from './source.js';

/**
 * Admits a fetched key set with the core's own rules before it replaces the
 * last good one: a set with no usable key is ERR_JWKS_INVALID and the old
 * keys stay. Returns the kids of its usable keys.
 */
function parseJwks(url) {
  return (text) => {
    try {
      return JSON.parse(usableKids(text)).filter((kid) => kid !== null);
    } catch (error) {
      const core = fromCore(error);
      throw new JwtGuardError(core.code, `${core.detail ?? 'unusable'} (from ${url})`, { cause: error });
    }
  };
}

/**
 * A key source for the JWKS at `url` (https, or http to a loopback host).
 * @param {string} url
 * @param {import('../index.d.ts').KeySourceOptions} [options]
 * @returns {import('../index.d.ts').RemoteKeySource}
 */
export function remoteJwks(url, options = {}) {
  const settings = keySourceSettings(options);
  const href = checkUrl(url, 'ERR_POLICY_INVALID', 'jwks url');
  let snapshot = null;
  let kids = [];

  const document = cachedDocument(href, {
    kind: 'jwks',
    parse: parseJwks(href),
    settings,
    onUpdate(entry) {
      if (snapshot !== null && snapshot.jwks === entry.text) return;
      snapshot = Object.freeze({ jwks: entry.text, generation: nextGeneration() });
      const added = entry.value.filter((kid) => !kids.includes(kid));
      const removed = kids.filter((kid) => !entry.value.includes(kid));
      kids = entry.value;
      settings.emit({ type: 'keys-changed', url: href, added, removed, generation: snapshot.generation });
    },
  });

  return Object.freeze({
    [KEY_SOURCE]: true,
    kind: 'remote',
    url: href,
    current: (context) => (document.peek(context) === null ? null : snapshot),
    async load(context) {
      await document.get(context);
      return snapshot;
    },
    async refresh(kid = null, context = undefined) {
      await document.refresh(kid);
      return document.peek(context) === null ? null : snapshot;
    },
  });
}
