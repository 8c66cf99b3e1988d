/**
 * The steps the Koa, h3, Elysia, NestJS and Next.js adapters take for one request,
 * in the order `js/express.js` takes them: the RFC 9728 metadata document,
 * then the CORS preflight rule, then the token. Each adapter reads its
 * framework's request into the shape `js/authenticate.js` reads and turns
 * the outcome into its framework's answer; nothing is decided here.
 */

import { nodeCertificate, nodeRequest } from './node-request.js';

/**
 * @typedef {{ status: number, headers: Record<string, string>, body: unknown }} Answer
 * @typedef {{ answer: Answer } | { preflight: true } | { auth: object, headers: Record<string, string> }} Outcome
 *   `answer`: send it (metadata, or a refusal); `preflight`: go on without auth and without credentials;
 *   `auth`: go on with it, the successful answer carrying `headers` (`DPoP-Nonce`)
 */

/**
 * The outcome for a request already in the shape the shared authentication reads.
 * @param {ReturnType<typeof import('./authenticate.js').authenticator>} guard
 * @param {{ method: string, url: string, headers: Headers | Record<string, string | string[] | undefined> }} request the absolute URL
 * @param {unknown} argument what a function `options` receives
 * @param {Parameters<ReturnType<typeof import('./authenticate.js').authenticator>['authenticate']>[2]} [context]
 * @returns {Promise<Outcome>}
 */
export async function checkRequest(guard, request, argument, context) {
  const metadata = guard.metadata(request, argument);
  if (metadata) return { answer: metadata };
  if (guard.passesPreflight(request)) return { preflight: true };
  const { auth, failure, headers } = await guard.authenticate(request, argument, context);
  return failure ? { answer: failure } : { auth, headers };
}

/**
 * The same for Node's `http.IncomingMessage`, read by `nodeRequest` (the
 * trust settings decide its origin): a request it cannot read is answered
 * 400 before any token is read. A client certificate of the request's TLS
 * connection is given to the verification (`nodeCertificate`).
 * @param {ReturnType<typeof import('./authenticate.js').authenticator>} guard
 * @param {{ origin: string | null, trustProxy: boolean }} trust from `nodeSettings`
 * @param {import('node:http').IncomingMessage} req
 * @param {{ protocol?: string, path?: string }} known what the framework knows better (its scheme, the path as received)
 * @param {unknown} argument what a function `options` receives
 * @returns {Promise<Outcome>}
 */
export async function checkNodeRequest(guard, trust, req, known, argument) {
  let request;
  try {
    request = nodeRequest(req, trust, known);
  } catch (error) {
    return { answer: guard.refusal(error) };
  }
  return checkRequest(guard, request, argument, { clientCertificate: nodeCertificate(req) });
}
