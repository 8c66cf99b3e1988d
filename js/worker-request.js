/**
 * The Workers side of the shared middleware (Worker and Hono): a plain
 * answer as a Response, and what a Worker request adds to verification.
 */

import { cloudflareCertificate } from './request.js';

/**
 * A plain answer as a Response; HEAD gets no body.
 * @param {{ status: number, headers: Record<string, string>, body: unknown }} answer
 * @param {string} [method]
 */
export function toResponse({ status, headers, body }, method) {
  return new Response(method === 'HEAD' ? null : JSON.stringify(body), { status, headers });
}

/**
 * `response` with `headers` (the successful answer's `DPoP-Nonce`) set; a
 * copy, since a fetched response's headers are immutable.
 * @param {Response} response
 * @param {Record<string, string> | undefined} headers
 */
export function withHeaders(response, headers) {
  const entries = Object.entries(headers ?? {});
  if (entries.length === 0) return response;
  const answer = new Response(response.body, response);
  for (const [name, value] of entries) answer.headers.set(name, value);
  return answer;
}

/**
 * Background work (`ctx.waitUntil`) and Cloudflare's verified client certificate.
 * @param {Request} request
 * @param {{ waitUntil?: (promise: Promise<unknown>) => void }} [ctx]
 */
export function workerContext(request, ctx) {
  return {
    waitUntil: ctx?.waitUntil ? (promise) => ctx.waitUntil(promise) : undefined,
    clientCertificate: cloudflareCertificate(request),
  };
}
