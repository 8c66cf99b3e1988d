/**
 * cognito: createVerifier options for access or ID tokens from an Amazon
 * Cognito user pool.
 *
 * What Cognito puts in its tokens (AWS documentation, "Understanding user
 * pool JSON web tokens":
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-with-identity-providers.html,
 * and "Verifying a JSON web token":
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html):
 *
 * - `iss` is `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`, and
 *   the pool's keys are found through that issuer's OpenID configuration;
 * - every token says what it is in `token_use`: `access` or `id`;
 * - an access token has no `aud`: the app client it was issued to is its
 *   `client_id`. An ID token's `aud` is the app client id;
 * - the user's groups are the `cognito:groups` array;
 * - tokens are signed with RS256.
 *
 * So the preset requires `token_use` to be the configured kind, and for
 * access tokens reads the audience from `client_id` (`audienceClaim`). That
 * is the only way jwtguard checks a token without `aud`, and it is written
 * out here, never reached by leaving `audience` out.
 */

import { discover } from './keys/discovery.js';
import { anyOf, invalid, keySourceOptions, list } from './preset-options.js';

const COGNITO_OPTIONS = Object.freeze([
  'region', 'userPoolId', 'clientId', 'tokenUse', 'groups', 'anyGroups', 'scopes', 'anyScopes',
]);

const TOKEN_USES = Object.freeze(['access', 'id']);

/**
 * An AWS region of the commercial or GovCloud partitions, whose Cognito
 * hosts are under amazonaws.com: `us-east-1`, `eu-central-2`, `us-gov-west-1`.
 */
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/**
 * Regions of other partitions: their hosts are not under amazonaws.com
 * (China: amazonaws.com.cn), so the issuer this preset builds would be wrong.
 */
const OTHER_PARTITIONS = Object.freeze(['cn-']);

/** A user pool id: `<region>_<letters and digits>` (the Cognito API's `[\w-]+_[0-9a-zA-Z]+`). */
const USER_POOL_ID = /^([a-z0-9-]+)_([0-9A-Za-z]+)$/;

/** The Cognito API's length limit of a user pool id (UserPoolId: 1 to 55 characters). */
const MAX_USER_POOL_ID_LENGTH = 55;

/** An app client id: the Cognito API's `[\w+]+`, 1 to 128 characters. */
const CLIENT_ID = /^[\w+]{1,128}$/;

/** The claim that holds a Cognito user's groups. */
const GROUPS_CLAIM = 'cognito:groups';

function region(value) {
  if (typeof value !== 'string' || !REGION.test(value)) throw invalid('region', 'must be an AWS region such as "us-east-1"');
  if (OTHER_PARTITIONS.some((prefix) => value.startsWith(prefix))) {
    throw invalid('region', `${JSON.stringify(value)} is in a partition whose hosts are not under amazonaws.com; this preset builds https://cognito-idp.<region>.amazonaws.com issuers only`);
  }
  return value;
}

function userPoolId(value, inRegion) {
  const match = typeof value === 'string' && value.length <= MAX_USER_POOL_ID_LENGTH ? USER_POOL_ID.exec(value) : null;
  if (match === null) throw invalid('userPoolId', 'must be a user pool id such as "us-east-1_Abc123XYZ"');
  if (match[1] !== inRegion) {
    throw invalid('userPoolId', `${JSON.stringify(value)} is a pool of region ${JSON.stringify(match[1])}, not of ${JSON.stringify(inRegion)}`);
  }
  return value;
}

/**
 * createVerifier options for Amazon Cognito user pool tokens.
 * @param {import('./index.d.ts').CognitoOptions} options
 * @returns {import('./index.d.ts').VerifierOptions}
 */
export function cognito(options) {
  const keyOptions = keySourceOptions(options, COGNITO_OPTIONS, 'a cognito');
  const pool = userPoolId(options.userPoolId, region(options.region));
  if (options.clientId === undefined) throw invalid('clientId', 'is required: the app client id (or ids) the tokens were issued to');
  const clientIds = list(options.clientId, 'clientId');
  if (clientIds.some((id) => !CLIENT_ID.test(id))) throw invalid('clientId', 'must be an app client id (letters, digits, _ and +, at most 128)');
  const { tokenUse } = options;
  if (!TOKEN_USES.includes(tokenUse)) throw invalid('tokenUse', 'is required: "access" or "id"');
  const scopes = list(options.scopes, 'scopes');
  const anyScopes = anyOf(options.anyScopes, 'anyScopes');
  if (tokenUse === 'id' && (scopes ?? anyScopes) !== undefined) {
    throw invalid(scopes === undefined ? 'anyScopes' : 'scopes', 'applies to access tokens: a Cognito ID token carries no scope');
  }

  const issuer = `https://cognito-idp.${options.region}.amazonaws.com/${pool}`;
  const verifierOptions = {
    issuer,
    audience: clientIds,
    // An access token names its app client only in client_id.
    audienceClaim: tokenUse === 'access' ? 'client_id' : 'aud',
    // Cognito signs user pool tokens with RS256.
    algorithms: ['RS256'],
    keys: discover(issuer, keyOptions),
    // An ID token must not pass as an access token, nor the reverse.
    requiredClaims: ['token_use'],
    claimValues: { token_use: [tokenUse] },
    rolesClaim: GROUPS_CLAIM,
    roles: list(options.groups, 'groups'),
    anyRoles: anyOf(options.anyGroups, 'anyGroups'),
    scopes,
    anyScopes,
  };
  const written = /** @type {unknown} */ (Object.fromEntries(Object.entries(verifierOptions).filter(([, value]) => value !== undefined)));
  return /** @type {import('./index.d.ts').VerifierOptions} */ (written);
}
