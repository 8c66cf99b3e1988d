/**
 * Reading an HTTP request for `verifyRequest`: the access token and its
 * scheme, the DPoP proof, the method, the absolute URL, and the client
 * certificate the TLS layer reported. Only the shape is read here; every
 * rule about the token, the proof and the certificate is the core's.
 */

import { readAuthorization } from './bearer.js';
import { JwtGuardError } from './errors.js';

/** A SHA-256 fingerprint in hex, with optional colons (Cloudflare's certFingerprintSHA256, openssl's -fingerprint). */
const HEX_FINGERPRINT = /^(?:[0-9a-f]{2}:?){31}[0-9a-f]{2}$/i;

/** A PEM certificate: its base64 body between the armour lines. */
const PEM = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/;

const misuse = (message) => new JwtGuardError('ERR_POLICY_INVALID', message);
const dpopError = (message) => new JwtGuardError('ERR_DPOP_INVALID', message);

/** The values of header `name` (lowercase; matched case-insensitively): one entry per header line. */
export function headerValues(headers, name) {
  if (headers && typeof headers.get === 'function') {
    const value = headers.get(name);
    return value === null ? [] : [value];
  }
  if (!headers || typeof headers !== 'object') throw misuse('request.headers must be a Headers object or a plain object');
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/**
 * Whether `request` is a CORS preflight: `OPTIONS` with
 * `Access-Control-Request-Method` (Fetch, "CORS-preflight request"). A
 * browser sends it without credentials, so no token can be checked; every
 * middleware and the gateway let it through without one (never with `auth`,
 * never with credentials), unless told to check `OPTIONS`.
 * @param {{ method: string, headers: Headers | Record<string, string | string[] | undefined> }} request
 */
export function isPreflight(request) {
  return request.method === 'OPTIONS' && headerValues(request.headers, 'access-control-request-method').length > 0;
}

/**
 * The client certificate as `{ certificateDer }` or `{ certificateSha256 }`.
 * @param {Uint8Array | ArrayBuffer | string | undefined} certificate
 */
function readCertificate(certificate) {
  if (certificate === undefined || certificate === null) return {};
  if (certificate instanceof Uint8Array) return { certificateDer: certificate };
  if (certificate instanceof ArrayBuffer) return { certificateDer: new Uint8Array(certificate) };
  if (typeof certificate === 'string') {
    const pem = PEM.exec(certificate);
    if (pem) {
      const body = pem[1].replace(/\s+/g, '');
      return { certificateDer: Uint8Array.from(atob(body), (c) => c.charCodeAt(0)) };
    }
    const hex = certificate.trim();
    if (HEX_FINGERPRINT.test(hex)) {
      const digits = hex.replace(/:/g, '');
      return { certificateSha256: Uint8Array.from(digits.match(/../g), (byte) => parseInt(byte, 16)) };
    }
  }
  throw misuse('clientCertificate must be the certificate\'s DER bytes, its PEM text, or its SHA-256 fingerprint '
    + 'as 64 hex digits (colons allowed); a base64url thumbprint (as in cnf x5t#S256) is not one of them');
}

/**
 * A request's credentials, or the problem with them.
 * @param {Request | { method: string, url: string, headers: Headers | Record<string, string | string[] | undefined> }} request
 * @param {{ clientCertificate?: Uint8Array | ArrayBuffer | string }} [options]
 * @returns {{ problem: 'missing' | 'malformed', scheme?: undefined, token?: undefined } | { problem?: undefined, scheme: 'bearer' | 'dpop', token: string, proof?: string, method: string, url: string, certificateDer?: Uint8Array, certificateSha256?: Uint8Array }}
 */
export function readRequest(request, { clientCertificate } = {}) {
  if (!request || typeof request !== 'object') throw misuse('request must be a Request or { method, url, headers }');
  const authorization = headerValues(request.headers, 'authorization');
  if (authorization.length > 1) return { problem: 'malformed' };
  const credentials = readAuthorization(authorization[0]);
  if (credentials.problem) return { problem: credentials.problem };
  const { method, url } = request;
  if (typeof method !== 'string' || method === '') throw misuse('request.method must be the HTTP method');
  if (typeof url !== 'string' || !URL.canParse(url)) {
    throw misuse('request.url must be the absolute request url (scheme, host and path)');
  }
  const proofs = headerValues(request.headers, 'dpop');
  // Headers joins repeated headers with ", "; a compact JWS has no comma.
  if (proofs.length > 1 || proofs.some((p) => p.includes(','))) throw dpopError('the request has more than one DPoP header');
  return {
    scheme: credentials.scheme,
    token: credentials.token,
    ...(proofs.length === 1 ? { proof: proofs[0].trim() } : {}),
    method,
    url,
    ...readCertificate(clientCertificate),
  };
}

/**
 * A request's credentials as `readRequest` reads them; a request without
 * one Bearer or DPoP token is ERR_TOKEN_MALFORMED. For verifyRequest.
 * @param {Parameters<typeof readRequest>[0]} request
 * @param {Parameters<typeof readRequest>[1]} [options]
 */
export function presentedCredentials(request, options) {
  const presented = readRequest(request, options);
  if (presented.problem) {
    throw new JwtGuardError(
      'ERR_TOKEN_MALFORMED',
      presented.problem === 'missing'
        ? 'the request has no Bearer or DPoP authorization'
        : 'the authorization header is not one bearer or dpop token',
    );
  }
  return presented;
}

/**
 * The fingerprint Cloudflare reports for a client certificate it verified
 * (`request.cf.tlsClientAuth`), or undefined: a certificate that was not
 * presented, or did not verify, is no proof.
 * @param {Request & { cf?: { tlsClientAuth?: { certPresented?: string, certVerified?: string, certFingerprintSHA256?: string } } }} request
 */
export function cloudflareCertificate(request) {
  const auth = request?.cf?.tlsClientAuth;
  if (auth?.certPresented !== '1' || auth.certVerified !== 'SUCCESS') return undefined;
  return auth.certFingerprintSHA256 || undefined;
}
