/**
 * discover: a key source that finds the JWKS through the issuer's metadata:
 * OpenID Connect Discovery 1.0 or OAuth 2.0 Authorization Server Metadata
 * (RFC 8414). The metadata document must name exactly the configured issuer;
 * it is cached by the same rules as key sets (cache.js).
 *
 * Where the document is looked for, in this order (a 404 moves to the next
 * URL; anything else, a timeout, a 5xx, a redirect, bad JSON or another
 * issuer's document, fails the fetch there, so a broken document never gives
 * way to a different one):
 *
 *   issuer without a path (https://as.example):
 *     1. https://as.example/.well-known/openid-configuration
 *     2. https://as.example/.well-known/oauth-authorization-server
 *   issuer with a path (https://as.example/tenant1):
 *     1. https://as.example/tenant1/.well-known/openid-configuration
 *        (OpenID Connect Discovery 1.0 §4: appended; what OpenID providers
 *        such as Cognito, Entra ID, Keycloak and Okta serve)
 *     2. https://as.example/.well-known/openid-configuration/tenant1
 *        (the path inserted, as RFC 8414 §5 describes for OpenID)
 *     3. https://as.example/.well-known/oauth-authorization-server/tenant1
 *        (RFC 8414 §3.1: the path inserted after the well-known name)
 *
 * OpenID's name comes first because every existing configuration found its
 * document there: for them nothing changes, not even the number of GETs.
 * An RFC 8414-only server costs one or two 404s more per fetch.
 */

import { TENANT_PLACEHOLDER } from '../../pkg/facts.js';
import { cachedDocument, keySourceSettings } from './cache.js';
import { JwtGuardError } from '../errors.js';
import { checkUrl } from './fetch.js';
import { KEY_SOURCE } from './source.js';
import { remoteJwks } from './remote.js';

/** The well-known name of OpenID Connect Discovery 1.0 (§4). */
const OPENID = 'openid-configuration';
/** The well-known name of OAuth 2.0 Authorization Server Metadata (RFC 8414 §3, §7.3). */
const OAUTH = 'oauth-authorization-server';

/**
 * The metadata URLs of `issuer`, in the order they are tried (see above):
 * two, or three for an issuer with a path, so one fetch attempt is at most
 * three GETs. RFC 8414 §2: an issuer has no query or fragment, so it has no
 * well-known URL either; such an issuer needs metadataUrl.
 * @param {string} issuer
 * @returns {string[]}
 */
export function metadataUrls(issuer) {
  const url = new URL(checkUrl(issuer, 'ERR_POLICY_INVALID', 'issuer'));
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(issuer)) {
    throw new JwtGuardError('ERR_POLICY_INVALID', 'issuer has a query or fragment, so it has no well-known metadata url (RFC 8414 §2); give metadataUrl', { claim: 'issuer' });
  }
  // RFC 8414 §3.1: a terminating "/" is removed before the name is inserted.
  const path = url.pathname.replace(/\/$/, '');
  const urls = path === ''
    ? [`${url.origin}/.well-known/${OPENID}`, `${url.origin}/.well-known/${OAUTH}`]
    : [`${url.origin}${path}/.well-known/${OPENID}`, `${url.origin}/.well-known/${OPENID}${path}`, `${url.origin}/.well-known/${OAUTH}${path}`];
  return urls.map((each) => checkUrl(each, 'ERR_POLICY_INVALID', 'issuer'));
}

/**
 * The parser of `issuer`'s metadata document: a JSON object naming exactly
 * `issuer`, whose `member` (`jwks_uri`, or `introspection_endpoint` for
 * js/introspection.js) is returned as a checked URL.
 * @param {string} issuer
 * @param {string} [member]
 */
export function parseMetadata(issuer, member = 'jwks_uri') {
  return (text, url) => {
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
    return checkUrl(metadata[member], 'ERR_DISCOVERY_INVALID', member);
  };
}

/**
 * A key source for `issuer`: reads its metadata (`metadataUrls(issuer)` in
 * order, or `options.metadataUrl` alone), requires its `issuer` to equal
 * `issuer` exactly, and uses its `jwks_uri`. An issuer with `{tenantid}`
 * (Entra multi-tenant) needs `metadataUrl`, whose document must name that
 * same template.
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
  const candidates = metadataUrl === undefined ? metadataUrls(issuer) : [checkUrl(metadataUrl, 'ERR_POLICY_INVALID', 'metadataUrl')];
  // The first candidate names the document: its cache entry, store key and events.
  const [url] = candidates;

  // The key set of the current jwks_uri; when a refreshed document names
  // another one, the new set replaces it once loaded.
  let keys = null;
  let replacement = null;
  const document = cachedDocument(url, {
    kind: 'discovery',
    candidates,
    parse: parseMetadata(issuer),
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
