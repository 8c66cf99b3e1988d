/**
 * The jwtguard command line: inspect, verify, introspect, and obtain client-credentials tokens.
 * Exit codes: 0 success, 1 rejected token or failed request, 2 usage error.
 */

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { JwtGuardError, inspectToken } from '../node.js';
import { OPTION_NAMES } from '../option-names.js';
import { inspectCommand } from './inspect.js';
import { introspectionOptions } from './introspect.js';
import { MINT_FLAGS, mintCommand } from './mint.js';
import { UsageError, readToken } from './io.js';
import { TOKEN_TIMEOUT_MS, TokenError, authFromFlags, requestToken, tokenRequestTarget } from './token.js';
import { KeysUnavailableError, OPTION_FLAGS, presentationOf, refusalReport, verifierOptions, verifyCommand } from './verify.js';

/** The package's own name and version, for --version and the help. */
const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

/** Each command's synopsis and options: `jwtguard <command> --help` prints its own. */
const HELP = {
  inspect: `usage: jwtguard inspect [token|-] [--json]
      Decode a token (argument or standard input) and show its header and
      claims with times. Nothing is verified.
`,
  verify: `usage: jwtguard verify [token|-] --issuer <iss> --audience <aud> (--jwks <file|url> | --discovery <url>) [options]
       jwtguard verify [token|-] --entra-tenant <tenant> --client-id <api client id> [options]
       jwtguard verify [token|-] --env [--env-file <file>] [--prefix <P>]
      Verify a token with the same code and policy as the servers. Keys come
      from a JWKS file or URL, discovery (the issuer, whose OpenID or RFC 8414
      metadata is looked up, or its metadata url), or Entra ID's discovery for
      the tenant (GUID, organizations, common).
      --policy <file.json>     a policy (the README's Policy table); flags add to it.
                               An array of policies, each with its own "keys"
                               (a JWKS file, a JWKS url or a discovery url),
                               verifies tokens of several issuers; the flags
                               below add to every policy of the array
      --require-role <role>    repeatable     --require-scope <scope>  repeatable
      --require-any-role <r>   repeatable: at least one of them
      --require-any-scope <s>  repeatable: at least one of them
      --allow-client <id>      repeatable     --tolerance <seconds>    clock skew
      --acr <value>            repeatable: accepted acr values (step-up)
      --max-auth-age <seconds> the most seconds since the user signed in
      --auth-context <c1..c99> repeatable: Entra authentication contexts in acrs
      --tenant-allow <guid|*>  repeatable: tenants a {tenantid} issuer (or
                               --entra-tenant organizations/common) accepts;
                               * accepts any tenant and must be written out
      --dpop <proof> --method <M> --url <U>
                               check the token as presented with the DPoP
                               scheme and this proof, for this request
      --client-cert <pem>      check a certificate-bound token against it
      --env                    configure exactly as the server's fromEnv does,
                               from the environment (and --env-file, --prefix)
      --app-only  --token-version 1|2|any  --cloud public|usgov|china
                               the Entra preset's options; --jwks or
                               --discovery beside --entra-tenant change only
                               where keys come from
      Every policy member has a flag too (docs/configuration.md):
${Object.keys(OPTION_FLAGS).map((flag) => `--${flag}`).join(' ').replace(/(.{1,70})(?: |$)/g, '        $1\n')}      --json                   print the result as JSON
      Exit 0 when valid, 1 when rejected (the code on stderr; with --json one
      object on stdout, for every outcome) or when the keys cannot be loaded,
      2 for usage errors.
`,
  introspect: `usage: jwtguard introspect [token|-] --issuer <iss> --audience <aud> --client-id <id> (--client-secret <s> | --key <pem>) [options]
      Ask the authorization server about an opaque token (RFC 7662) and check
      its answer with the same policy as the servers. The endpoint is the
      issuer's introspection_endpoint unless --endpoint names it.
      --client-secret <s>      or JWTGUARD_CLIENT_SECRET
      --secret-auth basic|post how to send the secret (default basic)
      --key <pem> [--kid <kid>] authenticate with a signed client assertion
                               (private_key_jwt; RSA, P-256, P-384, Ed25519)
      --accept json|jwt        jwt: a signed answer (RFC 9701), verified
                               against the issuer's keys (default json)
      --timeout <seconds>      wait for the endpoint (default 5)
      every policy member's flag (--require-scope, --allow-client, …),
      --dpop/--method/--url, --client-cert, --json: as for verify
      Exit 0 when active and valid, 1 when rejected or when the endpoint
      fails, 2 for usage errors.
`,
  token: `usage: jwtguard token --client-id <id> (--token-endpoint <url> | --tenant <tenant>) [options]
      Request an access token with the client-credentials grant.
      --scope <api>/.default   (v2, Entra default)   --resource <app id uri> (v1)
      --client-secret <s>      or JWTGUARD_CLIENT_SECRET / AZURE_CLIENT_SECRET
      --secret-auth post|basic how to send the secret (default post)
      --certificate <pem> --key <pem> [--assertion-alg PS256|RS256]
                               authenticate with a signed client assertion
      --cloud public|usgov|china, --authority <url>   Entra login host
      --timeout <seconds>      wait for the token endpoint (default 10)
      --verify                 verify the new token: the audience defaults to the
                               requested resource or scope; with --tenant the
                               Entra issuer and keys are used, else give
                               --issuer with --jwks or --discovery
`,
  mint: `usage: jwtguard mint --test (--entra-tenant <guid> [--client-id <id>] [--token-version 1|2] | --issuer <iss> --audience <aud>) [options]
       jwtguard mint --serve http://127.0.0.1:<port> … [options]
      A test token from a local stand-in for Entra ID (v1 or v2 access
      tokens) or any issuer. It signs whatever it is asked to, so it runs
      only with --test, or when it serves on a loopback URL.
      --claim <name=value>     repeatable; the value as JSON when it is JSON
                               (roles=["Tasks.Read"]), else as text
      --key <file.json>        the signing key: read when the file exists,
                               else a new key written there (keep one key
                               across mints)
      --jwks-out <file>        write the public key set (for verify --jwks)
      --serve <url>            serve the key set (/keys) and metadata on
                               http://127.0.0.1:<port> until stopped
      --json                   the token, issuer, key set URL and the
                               variables fromEnv reads for the stand-in
`,
};

const USAGE = `usage: jwtguard <command> [options]
       jwtguard <command> --help
       jwtguard --version

commands (the ${PACKAGE.name} package, version ${PACKAGE.version}):
${Object.values(HELP).map((text) => text.replace(/^usage: jwtguard /, '  ').replace(/\n {7}jwtguard /g, '\n  ')).join('')}`;

const COMMON = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };
const VERIFY_FLAGS = {
  // Every policy member and entraId option (js/option-names.js).
  ...OPTION_FLAGS,
  policy: { type: 'string' },
  env: { type: 'boolean' },
  'env-file': { type: 'string' },
  prefix: { type: 'string' },
  dpop: { type: 'string' },
  method: { type: 'string' },
  url: { type: 'string' },
  'client-cert': { type: 'string' },
};
const TOKEN_FLAGS = {
  ...VERIFY_FLAGS,
  'token-endpoint': { type: 'string' },
  tenant: { type: 'string' },
  authority: { type: 'string' },
  scope: { type: 'string' },
  resource: { type: 'string' },
  'client-secret': { type: 'string' },
  'secret-auth': { type: 'string' },
  certificate: { type: 'string' },
  key: { type: 'string' },
  'assertion-alg': { type: 'string' },
  verify: { type: 'boolean' },
  timeout: { type: 'string' },
};
/**
 * Verify's flags introspect has no use for: where keys come from (the server
 * answers), the Entra preset's own options (all but the audience and the
 * client id, which introspect reads itself), a policy file and --env.
 */
const NOT_INTROSPECT = new Set([
  ...OPTION_NAMES.filter((entry) => entry.entra && !entry.policy && !['audience', 'client-id'].includes(entry.flag)).map((entry) => entry.flag),
  'policy', 'env', 'env-file', 'prefix',
]);
/** introspect: verify's policy and presentation flags, and the client's. */
const INTROSPECT_FLAGS = {
  ...Object.fromEntries(Object.entries(VERIFY_FLAGS).filter(([name]) => !NOT_INTROSPECT.has(name))),
  endpoint: { type: 'string' },
  'client-secret': { type: 'string' },
  'secret-auth': { type: 'string' },
  key: { type: 'string' },
  kid: { type: 'string' },
  accept: { type: 'string' },
  timeout: { type: 'string' },
};
/** Each command's flags (besides --json and --help); the README test checks its commands against them. */
export const COMMANDS = { inspect: {}, verify: VERIFY_FLAGS, introspect: INTROSPECT_FLAGS, token: TOKEN_FLAGS, mint: MINT_FLAGS };

/**
 * The flags (strings, booleans, or arrays of them for repeatable flags, as
 * the command's option table says) and the positional arguments.
 * @param {string} command
 * @param {string[]} args
 * @returns {{ values: Record<string, any>, positionals: string[] }}
 */
function parse(command, args) {
  try {
    return parseArgs({ args, options: { ...COMMON, ...COMMANDS[command] }, allowPositionals: true, allowNegative: true, strict: true });
  } catch (error) {
    throw new UsageError(error.message);
  }
}

/** The audience a requested token will carry: the resource, or the scope's resource. */
function requestedAudience(target) {
  if (target.resource) return target.resource;
  return target.scope?.split(' ')[0].replace(/\/\.default$/, '');
}

/** The first lines of a command's help: its synopsis, starting "usage:". */
const synopsis = (command) => HELP[command]?.split('\n').filter((line) => /^(usage:| {7}jwtguard )/.test(line)).join('\n')
  ?? 'usage: jwtguard <command> [options]';

/**
 * Runs the command line; returns the exit code.
 * @param {string[]} argv arguments after the program name
 * @param {{ stdin: NodeJS.ReadableStream & { isTTY?: boolean }, stdout: { write(s: string): void }, stderr: { write(s: string): void }, env: Record<string, string | undefined>, now?: () => number, fetch?: typeof fetch }} io
 */
export async function run(argv, io) {
  const now = Math.floor((io.now ?? (() => Date.now() / 1000))());
  const [command, ...rest] = argv;
  /** What a refusal's report needs: --json, the time, and the token judged. */
  let verdict = { json: false, now, token: null };
  const usageError = (message) => {
    const about = command in HELP ? `jwtguard ${command} --help` : 'jwtguard --help';
    io.stderr.write(`jwtguard: ${message}\n${synopsis(command)}\n(run ${about} for details)\n`);
    return 2;
  };
  try {
    if (command === '--version' || command === '-V') {
      io.stdout.write(`jwtguard ${PACKAGE.version} (${PACKAGE.name})\n`);
      return 0;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout.write(USAGE);
      return 0;
    }
    if (command === undefined) {
      io.stderr.write(USAGE);
      return 2;
    }
    if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    const { values: flags, positionals } = parse(command, rest);
    if (flags.help) {
      io.stdout.write(HELP[command]);
      return 0;
    }
    let output;
    verdict = { json: Boolean(flags.json), now, token: null };
    if (command === 'inspect') {
      output = inspectCommand(await readToken(positionals, io.stdin), { json: Boolean(flags.json), now });
    } else if (command === 'verify') {
      const options = await verifierOptions(flags, io);
      const presentation = await presentationOf(flags);
      verdict.token = await readToken(positionals, io.stdin);
      output = await verifyCommand(verdict.token, options, { json: Boolean(flags.json), now, presentation });
    } else if (command === 'introspect') {
      const options = await introspectionOptions(flags, io);
      const presentation = await presentationOf(flags);
      verdict.token = await readToken(positionals, io.stdin);
      output = await verifyCommand(verdict.token, options, { json: Boolean(flags.json), now, presentation });
    } else if (command === 'mint') {
      output = await mintCommand(flags, positionals, io);
      if (output === '') return 0;
    } else {
      output = await tokenCommand(flags, positionals, io, now, verdict);
    }
    io.stdout.write(`${output}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) return usageError(error.message);
    // A policy the library refuses is a mistake in the flags or the policy file.
    if (error instanceof JwtGuardError && error.code === 'ERR_POLICY_INVALID') return usageError(`${error.code}: ${error.message}`);
    if (error instanceof KeysUnavailableError) {
      if (verdict.json) io.stdout.write(`${JSON.stringify({ valid: false, keysUnavailable: true, ...codeOf(error.cause), message: error.message }, null, 2)}\n`);
      else io.stderr.write(`jwtguard: ${error.message}\n`);
      return 1;
    }
    if (error instanceof JwtGuardError) {
      const report = refusalReport(error, claimsOf(verdict.token), verdict);
      (verdict.json ? io.stdout : io.stderr).write(`${report}\n`);
      return 1;
    }
    if (error instanceof TokenError) {
      const lines = [`jwtguard: ${error.message}`];
      if (error.description) lines.push(`  ${error.description.split(/\r?\n/)[0]}`);
      const aadsts = error.description?.match(/AADSTS\d+/)?.[0];
      if (aadsts) lines.push(`  Entra error ${aadsts}: see https://login.microsoftonline.com/error?code=${aadsts.slice(6)}`);
      io.stderr.write(`${lines.join('\n')}\n`);
      return 1;
    }
    throw error;
  }
}

function timeoutMs(flag) {
  if (flag === undefined) return TOKEN_TIMEOUT_MS;
  const seconds = Number(flag);
  if (!(seconds > 0 && seconds <= 300)) throw new UsageError('--timeout is a number of seconds between 0 and 300');
  return Math.round(seconds * 1000);
}

async function tokenCommand(flags, positionals, io, now, verdict) {
  if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const clientId = flags['client-id'];
  if (!clientId) throw new UsageError('give --client-id');
  const { endpoint, target } = tokenRequestTarget(flags);
  const auth = await authFromFlags(flags, io.env, { clientId, audience: endpoint, now });
  const response = await requestToken({ endpoint, target, clientId, auth, fetch: io.fetch, timeoutMs: timeoutMs(flags.timeout) });
  if (!flags.verify) {
    return flags.json ? JSON.stringify(response, null, 2) : response.access_token;
  }
  // Verify what was asked for: the requested audience, and for Entra the
  // tenant's issuer and keys, unless flags say otherwise.
  const audience = flags.audience ?? [requestedAudience(target)];
  const verifyFlags = { ...flags, audience, 'client-id': undefined };
  if (flags.tenant && !flags.jwks && !flags.discovery && !flags.issuer) verifyFlags['entra-tenant'] = flags.tenant;
  const options = await verifierOptions(verifyFlags, io);
  verdict.token = response.access_token;
  return verifyCommand(response.access_token, options, { json: Boolean(flags.json), now });
}

/** The code, claim, reason and detail of a JwtGuardError. */
const codeOf = (error) => ({ code: error?.code ?? null, claim: error?.claim ?? null, reason: error?.reason ?? null, detail: error?.detail ?? null });

/** The unverified claims of a token, for the times of a refusal's report; null when unreadable. */
function claimsOf(token) {
  if (token === null) return null;
  try {
    return inspectToken(token).claims;
  } catch {
    return null;
  }
}
