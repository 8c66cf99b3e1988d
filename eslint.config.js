// `make lint`: a small rule set for the JavaScript, mistakes rather than
// style (formatting is left to review). The package is ESM for Node, the
// browser and workerd, so both sets of globals apply.
import js from '@eslint/js';
import globals from 'globals';

export default [
  {
    ignores: ['pkg/', 'node_modules/', 'target/', 'target-wasm/', 'target-bench/', 'test-results/', 'fuzz/', '**/node_modules/', '**/dist/', '**/dist-esbuild/', 'bench/node_modules/', 'tests/recipes/vitest/', 'tests/recipes/jest/', 'tests/frameworks/next/.next/', 'tests/frameworks/next/generated.js', 'tests/frameworks/next/next-env.d.ts'],
  },
  js.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: 'module',
      globals: { ...globals.node, ...globals.browser, ...globals.serviceworker },
    },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-unused-vars': ['error', { args: 'after-used', caughtErrors: 'none', ignoreRestSiblings: true }],
      'no-var': 'error',
      'prefer-const': 'error',
      'no-implicit-coercion': ['error', { allow: ['!!'] }],
      'no-throw-literal': 'error',
      'no-return-await': 'error',
    },
  },
  // The layer rules of ARCHITECTURE.md. Surfaces (the middleware adapters,
  // the gateway, the command line, the page) reach the core only through the
  // host's API: never the wasm glue, the verifier's internals or the signature
  // backends.
  {
    files: ['js/worker.js', 'js/hono.js', 'js/express.js', 'js/fastify.js', 'js/gateway.js', 'js/authenticate.js', 'js/cli/**/*.js', 'www/**/*.js'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['**/pkg/jwtguard.js', '**/verifier.js', '**/issuers.js', '**/trap.js', '**/token-cache.js', '**/nodecrypto.js', '**/webcrypto.js', '**/keys/cache.js', '**/keys/remote.js', '**/keys/discovery.js'],
          message: 'a surface uses the host\'s API (the package entry points), not its internals: see ARCHITECTURE.md',
        }],
      }],
    },
  },
  // The page imports the package and its display and fetching entries only (by path where its CSP allows no import map).
  {
    files: ['www/**/*.js'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['../js/*.js', '../js/cli/**', '../js/keys/**', '../pkg/**'],
          message: 'the page imports @jwtguard/jwtguard, @jwtguard/jwtguard/display and @jwtguard/jwtguard/fetching only: see ARCHITECTURE.md',
        }],
      }],
    },
  },
  // The display and fetching entries load no WebAssembly: they must stay importable where the core is not.
  {
    files: ['js/display/**/*.js', 'js/fetching/**/*.js'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/pkg/jwtguard.js', '**/verifier.js', '**/node.js', '**/browser.js', '**/workerd.js'], message: 'jwtguard/display and jwtguard/fetching load no WebAssembly' }],
      }],
    },
  },
];
