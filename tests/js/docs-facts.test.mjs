// The reference tables of docs/ state facts whose one source is the code:
// the policy members (the core's Policy::MEMBERS), the error codes (the
// core's table, in its order), the key-source defaults (KEY_SOURCE_DEFAULTS),
// the core's defaults and the Entra ID clouds' hosts (ENTRA_CLOUDS). A member, code or default that changes in the
// code and not on its page fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULT_CLOCK_TOLERANCE, DEFAULT_MAX_TOKEN_SIZE, ENTRA_CLOUDS, ERROR_MESSAGES, POLICY_MEMBERS } from '../../pkg/facts.js';
import { KEY_SOURCE_DEFAULTS } from '../../js/keys/cache.js';

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
