/**
 * Plain-language explanations of header members and claims: the registered
 * JWT claims (RFC 7519), OpenID Connect and OAuth ones, and Microsoft Entra
 * ID's (from the Entra access-token claims reference). Text only.
 */

/** Header members. */
const HEADER_MEMBERS = Object.freeze({
  alg: 'Signature algorithm the token says it was signed with. A verifier must use its own allow-list, never trust this blindly; jwtguard never accepts "none".',
  typ: 'Kind of token. "at+jwt" marks an OAuth access token (RFC 9068); Entra ID writes "JWT".',
  kid: 'Key ID: which key of the issuer\'s key set (JWKS) signed the token. The verifier picks the key with exactly this kid.',
  x5t: 'SHA-1 thumbprint of the signing certificate. Entra ID v1.0 tokens repeat the kid here; jwtguard selects keys by kid.',
  'x5t#S256': 'SHA-256 thumbprint of the signing certificate.',
  x5c: 'A certificate chain carried in the token. A key the token brings along proves nothing; jwtguard never uses it.',
  jwk: 'A public key embedded in the token. Anyone can embed their own key, so jwtguard rejects tokens that carry one.',
  jku: 'A URL to fetch keys from, chosen by whoever made the token. jwtguard never fetches it and rejects the token.',
  x5u: 'A URL to fetch a certificate from, chosen by whoever made the token. jwtguard never fetches it and rejects the token.',
  crit: 'Header extensions the verifier must understand before trusting the token. jwtguard understands none, so it rejects the token.',
  nonce: 'Found in tokens for Microsoft Graph and other Microsoft-owned APIs. They are signed over a transformed value and are not meant to be verified by your API.',
  cty: 'Content type, used for nested tokens. Access tokens do not nest; jwtguard rejects it.',
  b64: 'Unencoded payload option (RFC 7797). Not used by access tokens; jwtguard rejects it.',
  zip: 'Compression, a JWE feature. Not used by signed access tokens; jwtguard rejects it.',
  enc: 'Content encryption, a JWE feature: this would be an encrypted token, not a signed one.',
});

const DISPLAY_ONLY = 'Shown to people and can change; never decide access on it.';

/** Claims. */
const CLAIMS = Object.freeze({
  iss: 'Issuer: who minted the token. Your API compares it exactly with the issuer it trusts; for Entra ID it contains the tenant ID.',
  aud: 'Audience: which API the token is for. Your API must find its own identifier here and refuse every other token.',
  sub: 'Subject: whom the token is about. In Entra ID app-only tokens it is the calling app\'s service principal (equal to oid); for users it differs from app to app.',
  exp: 'Expiry: after this moment the token must be refused.',
  nbf: 'Not before: before this moment the token must be refused.',
  iat: 'Issued at: when the token was minted.',
  jti: 'Unique ID of this token, for logs and for spotting a replayed token.',
  azp: 'Authorized party: the client ID of the application that asked for the token (Entra ID v2.0 and OpenID).',
  appid: 'Client ID of the application that asked for the token (Entra ID v1.0; v2.0 calls it azp).',
  client_id: 'Client ID of the application that asked for the token (RFC 9068).',
  scope: 'Scopes granted to the client, separated by spaces (RFC 9068).',
  scp: 'Delegated permissions (scopes) a user let the client use, separated by spaces. Entra ID puts it only in tokens obtained on behalf of a user.',
  roles: 'App roles granted: to the calling application in app-only (client-credentials) tokens, or to the signed-in user. Client-credentials APIs check these. Entra ID may issue a token with no roles at all.',
  tid: 'Tenant ID: the Entra ID directory that issued the token. It also appears in the issuer; keep data apart by tenant.',
  oid: 'Object ID of the caller in its tenant: the user, or in app-only tokens the service principal. The same for every app; with tid, the best stable key for who is calling.',
  idtyp: 'Kind of caller: "app" for app-only tokens, "user" for user tokens. Entra ID adds it only when the API asks for this optional claim.',
  ver: 'Token format: "1.0" or "2.0". The API\'s app registration (requestedAccessTokenVersion) decides it, not the endpoint the client called.',
  appidacr: 'How the client proved who it is (Entra ID v1.0): "0" public client with no secret, "1" client secret, "2" certificate.',
  azpacr: 'How the client proved who it is (Entra ID v2.0): "0" public client with no secret, "1" client secret, "2" certificate.',
  uti: 'Entra ID\'s unique ID for this token (like jti): quote it when looking through sign-in logs.',
  rh: 'Opaque value Entra ID uses to revalidate tokens. Ignore it.',
  aio: 'Opaque value Entra ID uses internally. Ignore it.',
  idp: 'Identity provider that signed the subject in. Usually the issuer itself; it differs for guest accounts.',
  nonce: 'Value echoed back from a sign-in request. It belongs in ID tokens, which are not access tokens.',
  at_hash: 'Hash of an access token issued alongside: an ID token field.',
  c_hash: 'Hash of an authorization code issued alongside: an ID token field.',
  auth_time: 'When the user last signed in interactively. An API that needs a recent sign-in checks it (maxAuthAge) and asks for a new one with max_age (RFC 9470 step-up).',
  acr: 'Authentication context class (user tokens): how strongly the user signed in. An API that needs a stronger sign-in lists the values it accepts (acrValues) and asks for one with acr_values (RFC 9470 step-up).',
  amr: 'Authentication methods the user used, such as pwd (password), otp or mfa (RFC 8176). Informative: policies that need a stronger sign-in check acr.',
  acrs: 'Entra ID Conditional Access authentication contexts (c1 to c99) the sign-in satisfied. An API that protects an operation with one requires it (authContext) and answers a claims challenge when it is missing.',
  xms_cc: 'Client capabilities the client declared to Entra ID: cp1 means it can handle claims challenges (Conditional Access, continuous access evaluation), so an API may answer it with one.',
  name: `Display name of the user. ${DISPLAY_ONLY}`,
  given_name: `First name. ${DISPLAY_ONLY}`,
  family_name: `Last name. ${DISPLAY_ONLY}`,
  preferred_username: `Sign-in name the user prefers. ${DISPLAY_ONLY}`,
  upn: `User principal name (sign-in name). ${DISPLAY_ONLY}`,
  unique_name: `A readable name for the user (Entra ID v1.0). ${DISPLAY_ONLY}`,
  email: `Email address. ${DISPLAY_ONLY}`,
  login_hint: 'Opaque hint a client can use to sign the same user in again.',
  sid: 'Session ID of the sign-in this token comes from.',
  ipaddr: 'IP address the user signed in from.',
  groups: 'Object IDs of groups the user belongs to, when the app asks for them.',
  hasgroups: 'The user is in too many groups to list here; ask Microsoft Graph.',
  wids: 'Directory-wide admin roles of the user, as role template IDs.',
  _claim_names: 'Points to claims too large for the token (group overage), fetched separately.',
  _claim_sources: 'Where to fetch claims that did not fit in the token (group overage).',
  tfp: 'Azure AD B2C user flow (policy) that issued the token.',
  cnf: 'Confirmation: the token is bound to a key (jkt, DPoP) or a client certificate (x5t#S256, mutual TLS). It is worthless without that proof, so jwtguard never accepts it as a plain bearer token.',
  ctry: 'Country of the user, two letters.',
  tenant_ctry: 'Country of the tenant, two letters.',
  tenant_region_scope: 'Region of the tenant.',
  xms_pdl: 'Preferred data location of the user (Multi-Geo), a three-letter code.',
  xms_pl: 'Preferred language of the user.',
  xms_tpl: 'Preferred language of the tenant.',
  xms_mirid: 'Azure resource ID of the managed identity that asked for the token. It contains names that can change; use oid instead.',
  xms_ssm: 'Undocumented Entra ID session value. Ignore it.',
  xms_tcdt: 'Undocumented Entra ID time value (tenant creation, as seen in the wild). Ignore it.',
});

const MICROSOFT_INTERNAL = 'Microsoft-internal claim (xms_ prefix). Many are undocumented and may change without notice; do not decide access on them.';
const UNKNOWN = 'Not a claim jwtguard knows. jwtguard ignores it unless your policy requires it.';

/** The explanation of claim `name`. */
export function explainClaim(name) {
  if (Object.hasOwn(CLAIMS, name)) return CLAIMS[name];
  return name.startsWith('xms_') ? MICROSOFT_INTERNAL : UNKNOWN;
}

/** The explanation of header member `name`. */
export function explainHeader(name) {
  return Object.hasOwn(HEADER_MEMBERS, name) ? HEADER_MEMBERS[name] : 'Not a header member jwtguard knows.';
}

/**
 * What a bound token (`cnf`) needs to be accepted, in a sentence; null for a
 * token without `cnf`.
 * @param {unknown} cnf
 */
export function explainBinding(cnf) {
  if (cnf === undefined) return null;
  /** @type {Record<string, unknown>} */
  const members = cnf !== null && typeof cnf === 'object' && !Array.isArray(cnf) ? { ...cnf } : {};
  if (typeof members.jkt === 'string' && Object.keys(members).length === 1) {
    return `Bound to a DPoP key (jkt ${members.jkt}): present it with "Authorization: DPoP <token>" and a DPoP proof signed by that key (jwtguard: verifyRequest, or verify --dpop).`;
  }
  if (typeof members['x5t#S256'] === 'string' && Object.keys(members).length === 1) {
    return `Bound to a client certificate (x5t#S256 ${members['x5t#S256']}): present it over mutual TLS with that certificate (jwtguard: verifyRequest with clientCertificate, or verify --client-cert).`;
  }
  return 'Bound by a confirmation method jwtguard does not check: it refuses the token (ERR_TOKEN_BOUND).';
}

/** Claims whose numbers are times. */
export const TIME_CLAIMS = Object.freeze(['exp', 'nbf', 'iat', 'auth_time']);
