/**
 * Node's `http.IncomingMessage` (as Express, Connect, Fastify and plain
 * `http.createServer` handlers see it) in the shape the shared request
 * authentication reads, and a plain answer written to `http.ServerResponse`.
 */

/**
 * `{ method, url, headers }` with the absolute URL DPoP proofs are checked
 * against. The scheme is Express's `req.protocol` (which honours its
 * `trust proxy` setting) or, without it, whether the socket is TLS; the host
 * is the Host header.
 * @param {import('node:http').IncomingMessage & { protocol?: string, originalUrl?: string }} req
 * @param {{ protocol?: string, host?: string, path?: string }} [overrides] what the framework knows better (its proxy settings)
 */
export function nodeRequest(req, { protocol, host: knownHost, path } = {}) {
  const scheme = protocol ?? (typeof req.protocol === 'string' ? req.protocol : /** @type {any} */ (req.socket)?.encrypted ? 'https' : 'http');
  const host = knownHost ?? req.headers.host ?? 'localhost';
  return { method: req.method, url: `${scheme}://${host}${path ?? req.originalUrl ?? req.url}`, headers: req.headers };
}

/** Writes `{ status, headers, body }` as JSON; HEAD gets no body. */
export function sendAnswer(res, { status, headers, body }, method) {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(method === 'HEAD' ? undefined : JSON.stringify(body));
}
