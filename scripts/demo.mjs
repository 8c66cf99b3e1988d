// `make demo`: the main job on an embedded default, needing nothing outside
// this machine. Generates a signing key, mints a client-credentials-style
// access token shaped like an Entra ID v2 app-only token, verifies it through
// the npm package, then shows a rejected token and its code.
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { JwtGuardError, createVerifier } from 'jwtguard';

const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const apiClientId = '00001111-aaaa-2222-bbbb-3333cccc4444';
const daemonClientId = 'aaaabbbb-0000-cccc-1111-dddd2222eeee';
const issuer = `https://login.microsoftonline.com/${tenant}/v2.0`;

const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
const kid = 'demo-key-1';
const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, use: 'sig' }] };

const now = Math.floor(Date.now() / 1000);
const mint = (claims) =>
  new SignJWT({
    aud: `api://${apiClientId}`,
    iss: issuer,
    iat: now,
    nbf: now,
    exp: now + 3599,
    azp: daemonClientId,
    azpacr: '1',
    idtyp: 'app',
    oid: randomUUID(),
    roles: ['Tasks.Read'],
    sub: randomUUID(),
    tid: tenant,
    ver: '2.0',
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' })
    .sign(privateKey);

const verifier = createVerifier({
  issuer,
  audience: `api://${apiClientId}`,
  roles: ['Tasks.Read'],
  clients: [daemonClientId],
  keys: jwks,
});

console.log('jwtguard demo: a daemon presents a client-credentials access token to an API\n');
console.log('policy:', JSON.stringify(verifier.policy));
const token = await mint({});
console.log(`\ntoken (${token.length} bytes): ${token.slice(0, 48)}…`);
const result = await verifier.verify(token);
console.log(`\nverified with key ${result.key.kid} (${result.key.alg}); claims:`);
console.table(Object.entries(result.claims).map(([claim, value]) => ({ claim, value: JSON.stringify(value) })));

const graphToken = await mint({ aud: 'https://graph.microsoft.com', roles: ['User.Read.All'] });
console.log('\na token the daemon obtained for another API (aud https://graph.microsoft.com):');
try {
  await verifier.verify(graphToken);
  console.error('  accepted: this is a bug');
  process.exit(1);
} catch (error) {
  if (!(error instanceof JwtGuardError)) throw error;
  console.log(`  rejected: ${error.code} (claim ${error.claim})\n  ${error.message}`);
}
