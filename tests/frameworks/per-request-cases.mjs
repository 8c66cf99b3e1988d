// Options chosen per request (per tenant): the shared table the framework
// adapter tests run against the app of cases.mjs started with `options` a
// function of the framework's own argument (Koa's context, an h3 event, a
// Request). Two tenants, each its own issuer and key set, named by the
// `x-tenant` header; tokens signed by jose.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from '../js/helpers.mjs';

/** The role the apps' `/api/whoami` requires (as in cases.mjs). */
const ROLE = 'Data.Read';

/** The second tenant's issuer. */
const SECOND_ISSUER = 'https://issuer.test/tenant-2/v2.0';

/**
 * Registers the table for one adapter.
 * @param {string} name what the suite is called
 * @param {(app: { options?: (argument: any) => object, tenants: Record<string, object>, role: string, settings: object }) => Promise<{ origin: string, close(): Promise<void> | void }>} start
 *   the app of cases.mjs with these options
 * @param {(argument: any) => string | null | undefined} [tenantOf] the `x-tenant` header, from what the options function
 *   receives; without it there are no `options` and the app builds the function from `tenants` itself (one in another process)
 */
export function perRequestSuite(name, start, tenantOf) {
  describe(`${name}: options chosen per request`, () => {
    let pairs;
    let app;
    before(async () => {
      pairs = { one: await keyPair('ES256', 'tenant-one'), two: await keyPair('ES256', 'tenant-two') };
      const tenants = {
        one: { issuer: ISSUER, audience: AUDIENCE, roles: [ROLE], keys: { keys: [pairs.one.jwk] } },
        two: { issuer: SECOND_ISSUER, audience: AUDIENCE, roles: [ROLE], keys: { keys: [pairs.two.jwk] } },
      };
      app = await start({ options: tenantOf && ((argument) => tenants[tenantOf(argument)]), tenants, role: ROLE, settings: { onRefuse: false } });
    });
    after(() => app?.close());

    const call = async (tenant, by, claims) => {
      const token = await sign(pairs[by], goodClaims(claims));
      const response = await fetch(`${app.origin}/api/whoami`, { headers: { 'x-tenant': tenant, authorization: `Bearer ${token}` } });
      return [response.status, await response.json()];
    };
    // [name, tenant header, signing tenant, claims, status, body(pairs)]
    const ROWS = [
      ['tenant one, its token → 200 by its key', 'one', 'one', {}, 200,
        (p) => ({ sub: 'service-principal-1', key: { kid: p.one.kid, alg: 'ES256' }, binding: null })],
      ['tenant two, its token → 200 by its key', 'two', 'two', { iss: SECOND_ISSUER }, 200,
        (p) => ({ sub: 'service-principal-1', key: { kid: p.two.kid, alg: 'ES256' }, binding: null })],
      ['tenant one, tenant two\'s token → 401', 'one', 'two', { iss: SECOND_ISSUER }, 401, () => ({ error: 'invalid_token', code: 'ERR_KEY_NOT_FOUND' })],
    ];
    for (const [row, tenant, by, claims, status, body] of ROWS) {
      test(`[per-request] ${row}`, async () => {
        assert.deepEqual(await call(tenant, by, claims), [status, body(pairs)]);
      });
    }
  });
}
