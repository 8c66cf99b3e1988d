// An edge function as Vercel Edge / Next.js middleware would hold it: the
// package is bundled under the `edge-light` condition and verifies the token
// posted with its key set and policy.
import { createVerifier } from '@jwtguard/jwtguard';

export default {
  async fetch(request) {
    const { options, token } = await request.json();
    try {
      const { claims, key } = await createVerifier(options).verify(token);
      return Response.json({ valid: true, claims, key });
    } catch (error) {
      return Response.json({ valid: false, code: error.code ?? String(error) });
    }
  },
};
