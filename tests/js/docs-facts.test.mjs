// The reference tables of docs/ state facts whose one source is the code:
// the policy members (the core's Policy::MEMBERS), the error codes (the
// core's table, in its order), the key-source defaults (KEY_SOURCE_DEFAULTS),
// the core's defaults and bounds, the Entra ID clouds' hosts (ENTRA_CLOUDS),
// and the generated tables of docs/reference.md. A member, code or default that changes in the
// code and not on its page fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULT_CLOCK_TOLERANCE, DEFAULT_MAX_TOKEN_SIZE, ENTRA_CLOUDS, ERROR_MESSAGES, POLICY_MEMBERS } from '../../pkg/facts.js';
import { coreFacts } from './helpers.mjs';
import { KEY_SOURCE_DEFAULTS } from '../../js/keys/cache.js';
import { DEFAULT_CACHE_ENTRIES, MAX_CACHE_ENTRIES } from '../../js/token-cache.js';
import { referenceTables, withReferenceTables } from '../../scripts/facts-text.mjs';
import '../../js/node.js';

const page = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The rows of the first table after `heading` (or of the page's first table): cells, backticks kept. */
function table(text, heading) {
  const from = heading ? text.indexOf(`\n${heading}\n`) : 0;
  assert.ok(from >= 0, `no heading ${heading}`);
  const lines = text.slice(from).split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const rows = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split(' | ').map((cell) => cell.trim()));
  }
  return rows;
}

/** A cell's backticked names, in order. */
const names = (cell) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]);

test('docs/policy.md has one row per policy member, in the core\'s order, with the core\'s defaults', () => {
  const rows = table(page('docs/policy.md'));
  assert.deepEqual(rows.map(([option]) => names(option)[0]), [...POLICY_MEMBERS]);
  const defaults = Object.fromEntries(rows.map(([option, fallback]) => [names(option)[0], fallback]));
  assert.equal(defaults.clockTolerance, `\`${DEFAULT_CLOCK_TOLERANCE}\``);
  assert.equal(defaults.maxTokenSize, `\`${DEFAULT_MAX_TOKEN_SIZE}\``);
});

test('docs/policy.md states each default and upper bound as the core has them', () => {
  const facts = JSON.parse(coreFacts());
  const rows = Object.fromEntries(table(page('docs/policy.md')).map(([option, fallback, meaning]) => [names(option)[0], { fallback, meaning }]));
  for (const [member, value] of Object.entries(facts.policyDefaults)) {
    if (typeof value === 'number' || typeof value === 'boolean') assert.equal(rows[member].fallback, `\`${value}\``, member);
  }
  for (const { member, greatest } of facts.policyBounds) {
    assert.match(rows[member].meaning, new RegExp(`at most ${greatest}\\)`), member);
  }
});

test('docs/reference.md\'s tables are generated from the core as it is now: run make facts', () => {
  const facts = JSON.parse(coreFacts());
  const text = page('docs/reference.md');
  assert.equal(text, withReferenceTables(text, facts));
  // The generator reads what it should: a table per marker, a row per fact.
  const tables = referenceTables(facts);
  assert.equal(tables.errors.split('\n').length, 2 + facts.errors.length);
  assert.equal(tables.limits.split('\n').length, 2 + facts.limits.length);
  assert.ok(tables.limits.includes('| `MAX_JSON_DEPTH` | 16 levels |'));
  assert.ok(tables.policy.includes('| `clockTolerance` | `60` | 0 to 86,400 seconds |'), tables.policy);
  assert.ok(tables.policy.includes('| `issuer` | required |'));
  assert.ok(tables.algorithms.includes('| `HS256` | HMAC | the core | always built |'));
  assert.ok(tables.headers.includes('| `crit` | `ERR_CRIT_UNSUPPORTED` |'));
});

test('docs/reference.md names the host\'s token-cache limits as js/token-cache.js has them', () => {
  const text = page('docs/reference.md');
  assert.ok(text.includes(`\`DEFAULT_CACHE_ENTRIES\` (${DEFAULT_CACHE_ENTRIES.toLocaleString('en-US')})`));
  assert.ok(text.includes(`\`MAX_CACHE_ENTRIES\` (${MAX_CACHE_ENTRIES.toLocaleString('en-US')})`));
});

test('docs/reference.md lists every error code, in the core\'s order', () => {
  const rows = table(page('docs/reference.md'), '## Error codes');
  assert.deepEqual(rows.map(([code]) => names(code)[0]), Object.keys(ERROR_MESSAGES));
});

test('docs/keys.md gives each key-source default as the code has it', () => {
  const rows = table(page('docs/keys.md'), '## Caching rules and their defaults');
  const stated = {};
  for (const [options, defaults] of rows) {
    const values = names(defaults);
    names(options).forEach((option, index) => { stated[option] = values[index]; });
  }
  for (const [option, value] of Object.entries(KEY_SOURCE_DEFAULTS)) {
    assert.equal(stated[option], String(value), option);
  }
});

test('docs/entra.md names each cloud\'s hosts as the core\'s table has them', () => {
  const rows = table(page('docs/entra.md'), '## National clouds');
  const stated = rows.map(([, login, v2, v1]) => [login, v2, v1].map((cell) => names(cell)[0]));
  const core = ['public', 'usgov', 'china'].map((cloud) => [ENTRA_CLOUDS[cloud].login, ENTRA_CLOUDS[cloud].v2, ENTRA_CLOUDS[cloud].v1]);
  assert.deepEqual(stated, core);
  assert.deepEqual(Object.keys(ENTRA_CLOUDS).sort(), ['china', 'public', 'usgov']);
});
