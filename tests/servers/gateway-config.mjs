// The red-team table's gateway rules (tests/servers/gateway.test.mjs), shared by
// the Worker gateway in workerd and Hono's jwtGateway on Node.

/**
 * The gateway's rule table, as the README writes one: an admin area, a GET
 * rule on one exact path, a reader API, and the open catch-all.
 * @param {{ issuer: string, audience: string, keys: object }} source
 */
export function gatewayConfig({ issuer, audience, keys }) {
  const base = { issuer, audience, keys };
  return {
    policies: { reader: { ...base, roles: ['Reader'] }, admin: { ...base, roles: ['Admin'] } },
    rules: [
      { path: '/api/admin/*', require: 'admin' },
      { path: '/api/secret', methods: ['GET'], require: 'admin' },
      { path: '/api/*', require: 'reader' },
      { path: '/*', require: null },
    ],
    forward: { claims: { sub: 'X-User', roles: 'X-Roles' }, stripAuthorization: true },
  };
}
