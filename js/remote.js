/**
 * remoteJwks: a key source that fetches a JWKS from a URL and keeps it by the
 * rules in cache.js.
 */

import { cachedDocument, keySourceSettings } from './cache.js';
import { JwtGuardError } from './errors.js';
import { checkUrl } from './fetch.js';
import { KEY_SOURCE, nextGeneration } from './keys.js';

/**
 * Checks the shape of a fetched key set before it replaces the last good one
 * (the core checks every key when the verifier loads it). Returns its kids.
 */
function parseJwks(url) {
  return (text) => {
    const invalid = (why) => new JwtGuardError('ERR_JWKS_INVALID', `key set (jwks) is invalid: ${url} ${why}`);
    let jwks;
    try {
      jwks = JSON.parse(text);
    } catch {
      throw invalid('did not return json');
    }
    if (!jwks || typeof jwks !== 'object' || !Array.isArray(jwks.keys) || jwks.keys.length === 0) {
      throw invalid('did not return a key set with keys');
    }
    return jwks.keys.map((key) => key?.kid).filter((kid) => typeof kid === 'string');
  };
}

/**
 * A key source for the JWKS at `url` (https, or http to a loopback host).
 * @param {string} url
 * @param {import('./index.d.ts').KeySourceOptions} [options]
 * @returns {import('./index.d.ts').RemoteKeySource}
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
      await document.refresh(kid, context);
      return document.peek(context) === null ? null : snapshot;
    },
  });
}
