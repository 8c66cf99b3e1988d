// `make demo`: the main job, needing nothing outside this machine. Starts a
// real OpenID Provider (oidc-provider) on 127.0.0.1, obtains a
// client-credentials access token from it with a form POST (as curl would),
// verifies it through discover() over HTTP, prints the verified claims and the
// key-cache events, then shows rejected tokens and their codes.
import { JwtGuardError, createVerifier, discover } from '@jwtguard/jwtguard';
import { CLIENT_ID, RESOURCE, SCOPE, startProvider } from './local-provider.mjs';

/** One line per key-cache event. */
function describe(event) {
  const where = new URL(event.url).pathname;
  const details = {
    fetch: () => `GET ${where} → ${event.status}, fresh for ${event.maxAge} s (${event.reason})`,
    'keys-changed': () => `${where}: keys +[${event.added.join(', ')}] −[${event.removed.join(', ')}]`,
    refresh: () => `${where}: refreshing (${event.reason})`,
    'kid-miss': () => `${where}: no key ${JSON.stringify(event.kid)} in the set`,
    cooldown: () => `${where}: not refetching for ${event.retryIn} s (cooldown)`,
    'stale-served': () => `${where}: serving keys ${event.age} s old until ${new Date(event.until * 1000).toISOString()}`,
    error: () => `${where}: ${event.error.code} ${event.error.message}`,
  }[event.type];
  console.log(`  · ${event.type.padEnd(12)} ${details()}`);
}

async function showRejection(title, verifier, token) {
  console.log(`\n${title}`);
  try {
    await verifier.verify(token);
    console.error('  accepted: this is a bug');
    process.exitCode = 1;
  } catch (error) {
    if (!(error instanceof JwtGuardError)) throw error;
    console.log(`  rejected: ${error.code}${error.claim ? ` (claim ${error.claim})` : ''}\n  ${error.message}`);
  }
}

const provider = await startProvider();
try {
  console.log('jwtguard demo: a daemon presents a client-credentials access token to an API\n');
  console.log(`OpenID Provider (oidc-provider) at ${provider.issuer}; client ${CLIENT_ID}; API ${RESOURCE}`);

  const verifier = createVerifier({
    issuer: provider.issuer,
    audience: RESOURCE,
    typ: 'at+jwt',
    scopes: [SCOPE],
    clients: [CLIENT_ID],
    keys: discover(provider.issuer, { onEvent: describe }),
  });
  console.log('policy:', JSON.stringify(verifier.policy));

  const token = await provider.token();
  console.log(`\nPOST ${provider.issuer}/token (grant_type=client_credentials, resource=${RESOURCE})`);
  console.log(`token (${token.length} bytes): ${token.slice(0, 48)}…\n\nverifying (key-cache events as they happen):`);
  const result = await verifier.verify(token);
  console.log(`\nverified with key ${result.key.kid} (${result.key.alg}), typ ${result.header.typ}; claims:`);
  console.table(Object.entries(result.claims).map(([claim, value]) => ({ claim, value: JSON.stringify(value) })));

  const again = await provider.token();
  await verifier.verify(again);
  console.log('a second token verified from the cached keys: no event, no fetch');

  await showRejection(
    'a token the daemon obtained for another API (resource https://other-api.example.test):',
    verifier,
    await provider.token('https://other-api.example.test'),
  );

  const [header, ...rest] = token.split('.');
  const forged = [Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(header, 'base64url')), kid: 'attacker-kid' })).toString('base64url'), ...rest].join('.');
  await showRejection('a forged token naming an unknown key (one refresh at most per 30 s, so no fetch flood):', verifier, forged);
} finally {
  await provider.stop();
}
