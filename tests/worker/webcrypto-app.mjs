// A Worker that runs a token table through verifySync (the core alone) and
// verify (WebCrypto) and reports both outcomes, with the number of calls
// workerd's SubtleCrypto.verify received during each verify().
import { createVerifier } from '@jwtguard/jwtguard';

let verifyCalls = 0;
const subtle = crypto.subtle;
const realVerify = subtle.verify;
subtle.verify = function countingVerify(...args) {
  verifyCalls += 1;
  return realVerify.apply(this, args);
};

async function outcome(run) {
  try {
    return { result: await run() };
  } catch (error) {
    return { code: error.code ?? `not a JwtGuardError: ${error}`, message: error.message };
  }
}

export default {
  async fetch(request) {
    const { options, tokens } = await request.json();
    // One clock reading for both paths: an error message that names the
    // time must not differ because a second ticked between them.
    const at = Math.floor(Date.now() / 1000);
    const verifier = createVerifier({ ...options, cache: false, now: () => at });
    const rows = [];
    for (const token of tokens) {
      const sync = await outcome(() => verifier.verifySync(token));
      const before = verifyCalls;
      const webCrypto = await outcome(() => verifier.verify(token));
      rows.push({ sync, webCrypto, calls: verifyCalls - before });
    }
    return Response.json(rows);
  },
};
