// A scripted user agent and OAuth client for the local provider's
// authorization code flow (scripts/local-provider.mjs, its login page in
// scripts/local-sign-in.mjs): it follows the provider's redirects with its
// own cookies, fills in the login page's fields as the user, reads the code
// from the redirect to the client, and redeems it with PKCE (RFC 7636).
import { createHash, randomBytes } from 'node:crypto';
import { RESOURCE, SCOPE } from '../../../scripts/local-provider.mjs';
import { REDIRECT_URI, USER, USER_CLIENT_ID, USER_CLIENT_SECRET } from '../../../scripts/local-sign-in.mjs';

/** A flow takes a handful of redirects (authorize, login page, resume, callback); more means something loops. */
const MAX_REDIRECTS = 10;

/** A cookie jar for one origin: name → { value, path }, as the Set-Cookie headers leave it. */
function cookieJar() {
  const cookies = new Map();
  return {
    /** The Cookie header for `url`: the cookies whose path covers its path. */
    header(url) {
      const { pathname } = new URL(url);
      return [...cookies].filter(([, c]) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
        .map(([name, c]) => `${name}=${c.value}`).join('; ');
    },
    /** Takes the response's Set-Cookie headers; an expired or empty one deletes its cookie. */
    store(response) {
      for (const line of response.headers.getSetCookie()) {
        const [pair, ...attributes] = line.split(';').map((part) => part.trim());
        const name = pair.slice(0, pair.indexOf('='));
        const value = pair.slice(pair.indexOf('=') + 1);
        const attribute = (key) => attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
        const expires = attribute('expires');
        if (value === '' || (expires && Date.parse(expires) <= Date.now())) cookies.delete(name);
        else cookies.set(name, { value, path: attribute('path') ?? '/' });
      }
    },
  };
}

/**
 * A user agent with its own session at the provider `issuer`. `signIn(extra)`
 * runs one authorization request with the extra parameters (`acr_values`,
 * `max_age`) and returns the access token and the login pages the user was
 * shown (`[{ reasons, fields }]`, empty when the provider's session sufficed).
 */
export function userAgent(issuer) {
  const jar = cookieJar();
  const get = async (url, init = {}) => {
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, cookie: jar.header(url) } });
    jar.store(response);
    return response;
  };
  return {
    async signIn(extra = {}) {
      const verifier = randomBytes(32).toString('base64url');
      const state = randomBytes(16).toString('base64url');
      const query = new URLSearchParams({
        client_id: USER_CLIENT_ID,
        response_type: 'code',
        redirect_uri: REDIRECT_URI,
        scope: `openid ${SCOPE}`,
        resource: RESOURCE,
        state,
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
        ...extra,
      });
      const pages = [];
      let response = await get(`${issuer}/auth?${query}`);
      for (let step = 0; step < MAX_REDIRECTS; step += 1) {
        if (response.status !== 303 && response.status !== 302) throw new Error(`authorization stopped: ${response.status} ${await response.text()}`);
        const location = new URL(response.headers.get('location'), issuer);
        if (location.href.startsWith(REDIRECT_URI)) return { token: await redeem(issuer, location, state, verifier), pages };
        if (location.pathname.startsWith('/interaction/')) {
          const page = await (await get(location.href)).json();
          pages.push({ reasons: page.reasons, fields: page.fields });
          const form = new URLSearchParams(Object.fromEntries(page.fields.map((field) => [field, USER[field]])));
          response = await get(location.href, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
        } else {
          response = await get(location.href);
        }
      }
      throw new Error(`authorization took more than ${MAX_REDIRECTS} redirects`);
    },
  };
}

/** The client's side of the redirect: the state it sent, then the code for an access token at the token endpoint. */
async function redeem(issuer, callback, state, verifier) {
  const { searchParams } = callback;
  if (searchParams.has('error')) throw new Error(`authorization refused: ${searchParams.get('error')} ${searchParams.get('error_description')}`);
  if (searchParams.get('state') !== state || searchParams.get('iss') !== issuer) throw new Error(`callback for another request: ${callback}`);
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: searchParams.get('code'),
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      client_id: USER_CLIENT_ID,
      client_secret: USER_CLIENT_SECRET,
      resource: RESOURCE,
    }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`token request failed: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}
