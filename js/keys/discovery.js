/**
 * discover: a key source that finds the JWKS through OpenID Connect
 * discovery. The discovery document must name exactly the configured issuer;
 * it is cached by the same rules as key sets (cache.js).
 */

import { TENANT_PLACEHOLDER } from '../../pkg/facts.js';
import { cachedDocument, keySourceSettings } from './cache.js';
import { JwtGuardError } from '../errors.js';
import { checkUrl } from './fetch.js';
import { KEY_SOURCE } from './source.js';
import { remoteJwks } from './remote.js';

const WELL_KNOWN = '/.well-known/openid-configuration';

function parseDiscovery(url, issuer) {
  return (text) => {
    const invalid = (why) => new JwtGuardError('ERR_DISCOVERY_INVALID', `${url} ${why}`);
    let metadata;
    try {
      metadata = JSON.parse(text);
    } catch {
      throw invalid('did not return json');
    }
    if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) throw invalid('did not return a json object');
    if (typeof metadata.issuer !== 'string') throw invalid('has no issuer');
    if (metadata.issuer !== issuer) {
      throw invalid(`names issuer ${JSON.stringify(metadata.issuer.slice(0, 200))}, expected ${JSON.stringify(issuer)}`);
    }
    return checkUrl(metadata.jwks_uri, 'ERR_DISCOVERY_INVALID', 'jwks_uri');
  };
}

/**
 * A key source for `issuer`: reads `{issuer}/.well-known/openid-configuration`
 * (or `options.metadataUrl`), requires its `issuer` to equal `issuer` exactly,
 * and uses its `jwks_uri`. An issuer with `{tenantid}` (Entra multi-tenant)
 * needs `metadataUrl`, whose document must name that same template.
 * @param {string} issuer
 * @param {import('../index.d.ts').DiscoveryOptions} [options]
 * @returns {import('../index.d.ts').RemoteKeySource}
 */
export function discover(issuer, options = {}) {
  const { metadataUrl, ...keyOptions } = options ?? {};
  const settings = keySourceSettings(keyOptions);
  if (typeof issuer !== 'string' || issuer === '') {
    throw new JwtGuardError('ERR_POLICY_INVALID', 'issuer must be a non-empty string', { claim: 'issuer' });
  }
  if (issuer.includes(TENANT_PLACEHOLDER) && metadataUrl === undefined) {
    throw new JwtGuardError('ERR_POLICY_INVALID', `an issuer with ${TENANT_PLACEHOLDER} needs metadataUrl`, { claim: 'metadataUrl' });
  }
  const url = checkUrl(metadataUrl ?? `${issuer.replace(/\/$/, '')}${WELL_KNOWN}`, 'ERR_POLICY_INVALID', metadataUrl === undefined ? 'issuer' : 'metadataUrl');

  // The key set of the current jwks_uri; when a refreshed document names
  // another one, the new set replaces it once loaded.
  let keys = null;
  let replacement = null;
  const document = cachedDocument(url, {
    kind: 'discovery',
    parse: parseDiscovery(url, issuer),
    settings,
    onUpdate({ value: jwksUri }) {
      if (keys === null) {
        keys = remoteJwks(jwksUri, keyOptions);
      } else if (keys.url !== jwksUri && replacement?.url !== jwksUri) {
        const next = remoteJwks(jwksUri, keyOptions);
        replacement = next;
        next.load().then(
          () => {
            if (replacement === next) [keys, replacement] = [next, null];
          },
          () => {}, // reported through onEvent; the old key set stays
        );
      }
    },
  });

  function current(context) {
    document.peek(context);
    return keys?.current(context) ?? null;
  }

  return Object.freeze({
    [KEY_SOURCE]: true,
    kind: 'discovery',
    url,
    current,
    async load(context) {
      const loaded = current(context);
      if (loaded !== null) return loaded;
      await document.get(context);
      return keys.load(context);
    },
    async refresh(kid = null, context = undefined) {
      document.peek(context);
      return keys === null ? null : keys.refresh(kid, context);
    },
  });
}
