// The user side of the local OpenID Provider (scripts/local-provider.mjs):
// one user, a login page a scripted user agent can drive over HTTP, and the
// provider configuration that makes a sign-in's strength and time reach the
// access token, as RFC 9470 step-up needs:
// - the login page asks for a password, and for a one-time code too when the
//   authorization request's acr_values name the multi-factor level; the
//   sign-in's acr says which it got, and its time comes from the provider's
//   sign-in clock;
// - the login prompt also asks again when acr_values name levels the
//   session's sign-in does not have (oidc-provider already asks again when
//   max_age is shorter than the sign-in's age);
// - JWT access tokens from the authorization code grant carry the sign-in's
//   acr and auth_time (RFC 9068 §2.2.1), copied from the authorization code.
// The page answers JSON, not HTML: it is read by tests, not people.
import { interactionPolicy } from 'oidc-provider';

/** The confidential web client that signs users in (authorization code flow, PKCE). */
export const USER_CLIENT_ID = 'web-app';
export const USER_CLIENT_SECRET = 'a-web-client-secret-for-local-tests-only-0123456789';
/** Never served: the user agent reads the code from the provider's redirect instead of following it. */
export const REDIRECT_URI = 'http://127.0.0.1/callback';
/** The one user, and what the login page's fields take: a password and a one-time code. */
export const USER = Object.freeze({ username: 'alice', password: 'correct horse battery staple', otp: '424242' });
/** The provider's authentication levels: a password, or a password and a one-time code. */
export const ACR_PASSWORD = 'urn:example:pwd';
export const ACR_MFA = 'urn:example:mfa';
const INTERACTION_PATH = '/interaction/';

/** Lifetimes of the sign-in artifacts, in seconds: a short test session's. */
export const SIGN_IN_TTL = Object.freeze({ Interaction: 600, Session: 3600 * 24, Grant: 3600 * 24, AccessToken: 600, IdToken: 600 });

/** The authorization-code client's registration (oidc-provider client metadata). */
export const userClient = {
  client_id: USER_CLIENT_ID,
  client_secret: USER_CLIENT_SECRET,
  token_endpoint_auth_method: 'client_secret_post',
  grant_types: ['authorization_code'],
  response_types: ['code'],
  redirect_uris: [REDIRECT_URI],
};

/** The acr_values of an authorization request, as a list (none when absent). */
const requestedAcrs = (params) => (params.acr_values ? String(params.acr_values).split(' ') : []);

/**
 * oidc-provider configuration members for signing users in: the login
 * policy, the interaction URL, the account, a first-party grant of `scope`
 * at `resource` (no consent page), and the sign-in claims of access tokens.
 */
export function signInConfiguration(resource, scope) {
  const policy = interactionPolicy.base();
  policy.get('login').checks.add(new interactionPolicy.Check(
    'acr_values',
    'none of the requested authentication levels was obtained',
    (ctx) => {
      const wanted = requestedAcrs(ctx.oidc.params);
      return wanted.length === 0 || wanted.includes(ctx.oidc.acr) ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT;
    },
  ));
  return {
    acrValues: [ACR_PASSWORD, ACR_MFA],
    interactions: { policy, url: (_ctx, interaction) => `${INTERACTION_PATH}${interaction.uid}` },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    async loadExistingGrant(ctx) {
      const { client, session, provider } = ctx.oidc;
      const grantId = session.grantIdFor(client.clientId);
      if (grantId) return provider.Grant.find(grantId);
      const grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid');
      grant.addResourceScope(resource, scope);
      await grant.save();
      return grant;
    },
    extraTokenClaims(ctx, token) {
      const code = ctx.oidc.entities.AuthorizationCode;
      if (token.kind !== 'AccessToken' || !code) return undefined;
      return { acr: code.acr, auth_time: code.authTime };
    },
  };
}

/** The body of a form POST, as an object. */
async function formOf(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return Object.fromEntries(new URLSearchParams(text));
}

function sendJson(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * The login page, or null for a path that is not its own. GET
 * /interaction/<uid> answers `{ prompt, reasons, fields }`, the fields the
 * user must fill in; POST /interaction/<uid> with those fields signs the
 * user in at `clock()` (seconds) and redirects back to the authorization
 * endpoint, or answers 401 `{ error: 'access_denied' }`.
 * @param {import('oidc-provider').default} oidc
 * @param {() => number} clock
 */
export function loginPage(oidc, clock) {
  return (req, res) => {
    if (!req.url.startsWith(INTERACTION_PATH)) return null;
    return (async () => {
      const details = await oidc.interactionDetails(req, res);
      const mfa = requestedAcrs(details.params).includes(ACR_MFA);
      const fields = ['username', 'password', ...(mfa ? ['otp'] : [])];
      if (details.prompt.name !== 'login') return sendJson(res, 400, { error: 'unexpected_prompt', prompt: details.prompt.name });
      if (req.method === 'GET') return sendJson(res, 200, { prompt: 'login', reasons: details.prompt.reasons, fields });
      const form = await formOf(req);
      if (fields.some((field) => form[field] !== USER[field])) return sendJson(res, 401, { error: 'access_denied' });
      const login = { accountId: USER.username, acr: mfa ? ACR_MFA : ACR_PASSWORD, amr: mfa ? ['pwd', 'otp'] : ['pwd'], ts: clock() };
      return oidc.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
    })().catch((error) => sendJson(res, 500, { error: 'server_error', message: error.message }));
  };
}
