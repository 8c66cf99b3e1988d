/** Node.js entry: instantiates the WebAssembly core synchronously from the package files. */
import { readFileSync } from 'node:fs';
import { initSync } from '../pkg/jwtguard.js';
import { nodeCryptoBackend } from './nodecrypto.js';
import { SYNC_BACKEND, createVerifier as createWithBackends } from './verifier.js';

initSync({ module: readFileSync(new URL('../pkg/jwtguard_bg.wasm', import.meta.url)) });

export * from './api.js';

/**
 * createVerifier with Node's defaults: the signatures of every asymmetric
 * algorithm (RS*, PS*, ES256, ES384, EdDSA) go to node:crypto (synchronous OpenSSL, nodecrypto.js) for both
 * `verifySync` and `verify`, unless `nodeCrypto: false`; and `webCrypto:
 * false` unless the caller says otherwise (Node runs each WebCrypto call as a
 * job on its thread pool, at about twice the CPU time: bench/RESULTS.md).
 * This local export takes precedence over api.js's.
 * An array (several issuers) gets the defaults in each configuration.
 * @param {import('./index.d.ts').VerifierOptions | import('./index.d.ts').VerifierOptions[]} options
 */
export function createVerifier(options) {
  // Several issuers: the defaults apply to each configuration.
  if (Array.isArray(options)) return createWithBackends(options.map(nodeDefaults));
  return createWithBackends(nodeDefaults(options));
}

function nodeDefaults(options) {
  const plain = options !== null && typeof options === 'object' && !Array.isArray(options);
  if (!plain) return options;
  return { ...options, webCrypto: options.webCrypto ?? false, [SYNC_BACKEND]: nodeCryptoBackend };
}
