// One configuration, three surfaces: every policy member (the core's facts)
// and every entraId option (the preset's list) has an environment variable
// and a command-line flag, the CLI accepts each flag, docs/configuration.md's
// table is the table's, its node:test recipe runs as written, and its Vitest
// and Jest recipes (run by `make test-recipes`) are there and parse.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { transformSync } from 'esbuild';
import { POLICY_MEMBERS } from '../../pkg/facts.js';
import { ENTRA_OPTIONS } from '../../js/entra.js';
import { OPTION_NAMES } from '../../js/option-names.js';
import { COMMANDS } from '../../js/cli/main.js';
import { PAGE, regenerated } from '../../scripts/configuration-table.mjs';
import { codeBlocks } from '../docs.mjs';

test('every policy member and entraId option has a variable and a flag', () => {
  const wanted = [...POLICY_MEMBERS.map((member) => ['policy', member]), ...ENTRA_OPTIONS.map((option) => ['entra', option])];
  assert.ok(wanted.length > 30);
  for (const [kind, name] of wanted) {
    const entry = OPTION_NAMES.find((each) => each[kind] === name);
    assert.ok(entry, `${kind} ${name} has no row in js/option-names.js`);
    assert.match(entry.env, /^(JWT|AZURE)_[A-Z0-9_]+$/, `${name}: variable`);
    assert.ok(entry.flag in COMMANDS.verify, `${name}: jwtguard verify has no --${entry.flag}`);
  }
  // No row for a member or option that does not exist, and no variable twice.
  for (const entry of OPTION_NAMES) {
    assert.ok(!entry.policy || POLICY_MEMBERS.includes(entry.policy), entry.env);
    assert.ok(!entry.entra || ENTRA_OPTIONS.includes(entry.entra), entry.env);
  }
  assert.equal(new Set(OPTION_NAMES.map((entry) => entry.env)).size, OPTION_NAMES.length);
});

test('docs/configuration.md holds the generated table', () => {
  const text = readFileSync(PAGE, 'utf8');
  assert.equal(text, regenerated(text), 'run node scripts/configuration-table.mjs --write');
});

/** The blocks of the recipe "test your protected API without Entra". */
function recipes() {
  return codeBlocks().filter((b) => b.path === 'docs/configuration.md' && b.lang === 'js' && b.code.includes('createTestIssuer'));
}

test('the recipe "test your protected API without Entra" runs as written', () => {
  const [block] = recipes().filter((b) => b.runner === null);
  const dir = new URL('../../test-results/configuration/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL('recipe.test.mjs', dir), block.code);
  // A test run of its own: without the parent's NODE_TEST_CONTEXT it reports in text.
  const { NODE_TEST_CONTEXT, ...env } = process.env;
  const output = execFileSync(process.execPath, ['--test', '--test-reporter=tap', new URL('recipe.test.mjs', dir).pathname], { encoding: 'utf8', env });
  assert.match(output, /^# pass 1$/m);
  assert.match(output, /^# fail 0$/m);
});

test('the recipe has one Vitest and one Jest block, which parse and import their runner', () => {
  // `make test-recipes` runs them under the real runners; here, only what
  // needs no install.
  const IMPORTS = { vitest: 'vitest', jest: '@jest/globals' };
  const blocks = recipes().filter((b) => b.runner !== null);
  assert.deepEqual(blocks.map((b) => b.runner), Object.keys(IMPORTS));
  // A block marked for a runner anywhere else would be run by nothing.
  assert.deepEqual(codeBlocks().filter((b) => b.runner !== null), blocks);
  for (const { runner, code, line } of blocks) {
    transformSync(code, { loader: 'js', format: 'esm', target: 'es2022' });
    assert.match(code, new RegExp(`^import \\{ expect, test \\} from '${IMPORTS[runner]}';$`, 'm'), `docs/configuration.md:${line}`);
    assert.match(code, /\.rejects\.toMatchObject\(\{ code: 'ERR_CLAIM_INVALID' \}\)/, `docs/configuration.md:${line}: the refused token`);
  }
});
