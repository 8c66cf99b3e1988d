/**
 * Node's `http.IncomingMessage` (as Express, Connect, Fastify and plain
 * `http.createServer` handlers see it) in the shape the shared request
 * authentication reads, and a plain answer written to `http.ServerResponse`.
 *
 * The absolute URL built here is what a DPoP proof's `htu` is compared with,
 * and what the RFC 9728 `resource` and `resource_metadata` URLs are derived
 * from, so its origin is trusted only as far as the settings say:
 * - `origin` pins it (`https://api.example.com`): the Host header is not read;
 * - `trustProxy: true` reads the proxy's `Forwarded` (RFC 7239) or
 *   `X-Forwarded-Proto` / `X-Forwarded-Host`, the last value of each (the one
 *   the proxy in front of the app added);
 * - otherwise the scheme is the framework's (`req.protocol`, which follows
 *   its own proxy setting) or the socket's, and the host is the Host header.
 * A host that is not a plain `host[:port]`, or a request target that is not a
 * path, is refused with ERR_REQUEST_INVALID (400) before any token is read.
 *
 * The client certificate of a certificate-bound token (RFC 8705) is the one
 * the TLS connection itself carried (`nodeCertificate`), never a header.
 */

import { JwtGuardError } from './errors.js';

/**
 * A server's own name as a request may give it (RFC 3986 §3.2.2, narrowed):
 * a DNS name or IPv4 address (letters, digits, `-`, `_`, dots), or a
 * bracketed IPv6 literal without a zone, then an optional port. Nothing that
 * ends or splits an authority (`/ ? # @ \`), no spaces, no control characters.
 */
const HOST = /^(?:[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::([0-9]{1,5}))?$/;

/** The longest host[:port] read from a request: a DNS name of 253 characters, a colon and five digits. */
const MAX_HOST_LENGTH = 259;

/** The highest TCP port. */
const MAX_PORT = 65535;

/** The schemes a request URL may have. */
const SCHEMES = Object.freeze(['http', 'https']);


const misuse = (message) => new JwtGuardError('ERR_POLICY_INVALID', message);
const refused = (message) => new JwtGuardError('ERR_REQUEST_INVALID', message);

/**
 * Splits a Node adapter's settings into its own (`origin`, `trustProxy`),
 * checked once, and the shared middleware settings.
 * @param {Record<string, unknown> | undefined} settings
 * @returns {{ trust: { origin: string | null, trustProxy: boolean }, rest: Record<string, unknown> }}
 */
export function nodeSettings(settings = {}) {
  if (!settings || typeof settings !== 'object') throw misuse('the middleware settings must be an object');
  const { origin, trustProxy, ...rest } = settings;
  if (trustProxy !== undefined && typeof trustProxy !== 'boolean') throw misuse('trustProxy must be true or false');
  return { trust: { origin: origin === undefined ? null : readOrigin(origin), trustProxy: trustProxy === true }, rest };
}

/** The `origin` setting as `scheme://host[:port]`: an http(s) URL with nothing after the authority. */
export function readOrigin(origin) {
  if (typeof origin !== 'string' || !/^https?:\/\/[^/?#@\\\s]+\/?$/i.test(origin) || !URL.canParse(origin)) {
    throw misuse('origin must be the public origin of the API, such as "https://api.example.com" (no path, query or fragment)');
  }
  return new URL(origin).origin;
}

/** A host[:port] read from a request, or ERR_REQUEST_INVALID naming where it came from. */
function checkHost(value, where) {
  const match = typeof value === 'string' && value.length <= MAX_HOST_LENGTH ? HOST.exec(value) : null;
  if (match === null || Number(match[1] ?? 0) > MAX_PORT || !URL.canParse(`http://${value}/`)) {
    throw refused(`the ${where} is not a host[:port]`);
  }
  return value;
}

/** The one value of a header a proxy sets, or undefined: the last of its lines and of their comma-separated values. */
function lastValue(headers, name) {
  const value = headers[name];
  const line = Array.isArray(value) ? value.at(-1) : value;
  if (typeof line !== 'string') return undefined;
  return line.split(',').at(-1).trim();
}

/** `proto` and `host` of the last element of a `Forwarded` header (RFC 7239 §4), unquoted. */
function forwarded(headers) {
  const element = lastValue(headers, 'forwarded');
  if (element === undefined) return {};
  const pairs = {};
  for (const pair of element.split(';')) {
    const at = pair.indexOf('=');
    if (at <= 0) throw refused('the Forwarded header is not name=value pairs');
    const name = pair.slice(0, at).trim().toLowerCase();
    const value = pair.slice(at + 1).trim();
    pairs[name] = value.startsWith('"') ? value.replace(/^"(.*)"$/, '$1') : value;
  }
  return { proto: pairs.proto, host: pairs.host };
}

/** A scheme named by a proxy or framework, lowercased; only http and https. */
function checkScheme(value, where) {
  const scheme = typeof value === 'string' ? value.toLowerCase() : '';
  if (!SCHEMES.includes(scheme)) throw refused(`the ${where} is not http or https`);
  return scheme;
}

/** The scheme and host[:port] of a request, by the trust settings. */
function authorityOf(req, trust, protocol) {
  const socketScheme = /** @type {any} */ (req.socket)?.encrypted ? 'https' : 'http';
  if (trust.trustProxy) {
    const standard = forwarded(req.headers);
    const proto = standard.proto ?? lastValue(req.headers, 'x-forwarded-proto');
    const host = standard.host ?? lastValue(req.headers, 'x-forwarded-host');
    return {
      scheme: proto === undefined ? socketScheme : checkScheme(proto, 'forwarded protocol'),
      host: host === undefined ? hostHeader(req) : checkHost(host, 'forwarded host'),
    };
  }
  const framework = protocol ?? (typeof req.protocol === 'string' ? req.protocol : undefined);
  return { scheme: framework === undefined ? socketScheme : checkScheme(framework, 'request protocol'), host: hostHeader(req) };
}

/** The Host header (HTTP/2: `:authority`), which must be there and be one host[:port]. */
function hostHeader(req) {
  const host = req.headers.host ?? req.headers[':authority'];
  if (host === undefined || host === '') throw refused('the request has no Host header');
  return checkHost(host, 'Host header');
}

/**
 * `{ method, url, headers, hostFromClient }` with the absolute URL DPoP
 * proofs are checked against, or ERR_REQUEST_INVALID. `hostFromClient`
 * says the origin came from the request rather than the `origin` setting.
 * @param {import('node:http').IncomingMessage & { protocol?: string, originalUrl?: string }} req
 * @param {{ origin: string | null, trustProxy: boolean }} trust from `nodeSettings`
 * @param {{ protocol?: string, path?: string }} [known] what the framework knows better (its scheme, its view of the path)
 */
export function nodeRequest(req, trust, { protocol, path } = {}) {
  const target = path ?? req.originalUrl ?? req.url;
  // Origin-form only (RFC 9112 §3.2.1): an absolute-form target would name another authority.
  if (typeof target !== 'string' || !target.startsWith('/')) throw refused('the request target is not a path');
  const origin = trust.origin ?? (({ scheme, host }) => `${scheme}://${host}`)(authorityOf(req, trust, protocol));
  const url = `${origin}${target}`;
  if (!URL.canParse(url) || new URL(url).origin !== new URL(origin).origin) throw refused('the request url is not valid');
  return { method: req.method, url, headers: req.headers, hostFromClient: trust.origin === null };
}

/**
 * The DER bytes of the certificate the client presented in the TLS handshake
 * of the request's connection, or undefined: a plain-HTTP connection, or a
 * TLS one without a client certificate (the server did not set `requestCert`,
 * or the client sent none; Node then answers an empty object).
 *
 * It is used whether or not the certificate chains to a CA the server trusts
 * (`socket.authorized`): RFC 8705 §3 binds a token to a certificate by its
 * SHA-256 thumbprint, self-signed certificates included, and the handshake
 * has already proved the client holds the certificate's private key. A
 * server that wants only certificates of its CA sets `rejectUnauthorized:
 * true` and Node refuses the others in the handshake.
 * @param {{ socket?: unknown } | undefined} req Node's `http.IncomingMessage` (or HTTP/2's compatibility request)
 * @returns {Uint8Array | undefined}
 */
export function nodeCertificate(req) {
  const socket = /** @type {{ encrypted?: boolean, getPeerCertificate?: () => { raw?: unknown } } | undefined} */ (req?.socket);
  if (socket?.encrypted !== true || typeof socket.getPeerCertificate !== 'function') return undefined;
  const { raw } = socket.getPeerCertificate() ?? {};
  return raw instanceof Uint8Array && raw.length > 0 ? raw : undefined;
}

/** Writes `{ status, headers, body }` as JSON; HEAD gets no body. */
export function sendAnswer(res, { status, headers, body }, method) {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(method === 'HEAD' ? undefined : JSON.stringify(body));
}
