// A web app's use of jwtguard: import the package by name (the bundler picks
// its `browser` entry and emits the .wasm as an asset), load a key set,
// verify a pasted token.
import { JwtGuardError, createVerifier } from '@jwtguard/jwtguard';

const $ = (id) => document.getElementById(id);

$('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const verifier = createVerifier({
      issuer: $('issuer').value.trim(),
      audience: $('audience').value.trim(),
      keys: $('jwks').value,
    });
    const { claims, key } = await verifier.verify($('token').value.trim());
    $('result').textContent = `verified with key ${key.kid} (${key.alg}); subject ${claims.sub}`;
  } catch (error) {
    if (!(error instanceof JwtGuardError)) throw error;
    $('result').textContent = `rejected: ${error.code}: ${error.message}`;
  }
});

document.documentElement.dataset.ready = 'true';
