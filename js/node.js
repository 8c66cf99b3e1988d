/** Node.js entry: instantiates the WebAssembly core synchronously from the package files. */
import { readFileSync } from 'node:fs';
import { initSync } from '../pkg/jwtguard.js';
import { createVerifier as createWithWebCrypto } from './verifier.js';

initSync({ module: readFileSync(new URL('../pkg/jwtguard_bg.wasm', import.meta.url)) });

export * from './api.js';

/**
 * createVerifier with Node's default: `webCrypto: false` unless the caller
 * says otherwise. Node runs each WebCrypto call as a job on its thread pool;
 * `make bench` measured `verify()` through it at about 2.5× the core's CPU
 * time for RS256 and PS256 (bench/RESULTS.md), and RS256 is what Entra ID
 * signs with. This local export takes precedence over api.js's.
 * An array (several issuers) gets the default in each configuration.
 * @param {import('./index.d.ts').VerifierOptions | import('./index.d.ts').VerifierOptions[]} options
 */
export function createVerifier(options) {
  // Several issuers: the default applies to each configuration.
  if (Array.isArray(options)) return createWithWebCrypto(options.map(nodeDefault));
  return createWithWebCrypto(nodeDefault(options));
}

function nodeDefault(options) {
  const plain = options !== null && typeof options === 'object' && !Array.isArray(options);
  return plain && options.webCrypto === undefined ? { ...options, webCrypto: false } : options;
}
