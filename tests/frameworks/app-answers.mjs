// What the apps of the framework tests answer (tests/frameworks/cases.mjs
// describes the app), shared by the apps in Node and the Elysia app in Bun:
// plain functions, no test runner.

/** What `GET /api/whoami` answers from the adapter's auth. */
export const whoamiOf = (auth) => ({ sub: auth.claims.sub, key: auth.key, binding: auth.binding ?? null });

/**
 * What the `OPTIONS /api/whoami` handler answers: the auth it was given and
 * the credentials it still sees, from the request's headers (a Headers or a
 * Node headers object), and its path and query.
 */
export function preflightSeen(auth, headers, path) {
  const read = (name) => (typeof headers.get === 'function' ? headers.get(name) : headers[name]) ?? null;
  return { auth: auth ?? null, authorization: read('authorization'), dpop: read('dpop'), path };
}
