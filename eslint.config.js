// `make lint`: a small rule set for the JavaScript, mistakes rather than
// style (formatting is left to review). The package is ESM for Node, the
// browser and workerd, so both sets of globals apply.
import js from '@eslint/js';
import globals from 'globals';

export default [
  {
    ignores: ['pkg/', 'node_modules/', 'target/', 'target-wasm/', 'target-bench/', 'test-results/', 'fuzz/', '**/node_modules/', '**/dist/', '**/dist-esbuild/', 'bench/node_modules/'],
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
];
