// What each runtime of the matrix reports (tests/servers/runtimes.test.mjs):
// a token verified (async and sync), a forged one refused with its code, and
// the type of each published entry point's main export.

/** The last command-line argument: issuer, audience, JWKS and tokens as JSON. */
export function input() {
  const args = globalThis.Deno ? globalThis.Deno.args : globalThis.process.argv;
  return JSON.parse(args.at(-1));
}

/**
 * @param {{ root: any, worker: any, hono: any, express: any, fastify: any, display: any }} modules the loaded entry points
 */
export async function report(modules) {
  const { issuer, audience, jwks, valid, forged } = input();
  const verifier = modules.root.createVerifier({ issuer, audience, keys: jwks });
  const { claims } = await verifier.verify(valid);
  let forgedCode = null;
  try {
    await verifier.verify(forged);
  } catch (error) {
    forgedCode = error.code;
  }
  const entries = {
    worker: modules.worker.protect,
    hono: modules.hono.jwtAuth,
    express: modules.express.jwtAuth,
    fastify: modules.fastify.jwtAuth,
    display: modules.display.explainClaim,
  };
  console.log(JSON.stringify({
    sub: claims.sub,
    sync: verifier.verifySync(valid).claims.sub,
    forgedCode,
    entries: Object.fromEntries(Object.entries(entries).map(([name, value]) => [name, typeof value])),
  }));
}
