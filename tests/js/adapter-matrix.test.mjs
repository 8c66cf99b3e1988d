// docs/middleware.md's table of what each adapter supports, checked against
// the tests: a "yes" cell needs a test of that adapter tagged with the
// column's tag ([dpop], [mtls], [rfc9728], [step-up], [preflight],
// [per-request]) at the start of its name, in one of the adapter's test files
// below or in a shared suite such a file runs; a "no" cell needs a footnote
// with the reason, and no such test. Each listed file runs its tagged tests
// through the adapter (a loop over adapters counts for each of them).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The page, and the heading the table follows. */
const PAGE = 'docs/middleware.md';
const HEADING = '## What each adapter supports';

/** Each column's tag, by the start of its header. */
const COLUMNS = Object.freeze([
  ['DPoP', 'dpop'],
  ['mTLS', 'mtls'],
  ['RFC 9728', 'rfc9728'],
  ['step-up', 'step-up'],
  ['CORS preflight', 'preflight'],
  ['per-request', 'per-request'],
]);

/** The shared suites a test file may run, by the function it calls, and the module that names their tests. */
const SHARED = Object.freeze({
  frameworkSuite: 'tests/frameworks/cases.mjs',
  mtlsSuite: 'tests/frameworks/mtls-cases.mjs',
  perRequestSuite: 'tests/frameworks/per-request-cases.mjs',
});

const WORKERD = ['tests/worker/dpop.test.mjs', 'tests/worker/dpop-nonce.test.mjs', 'tests/worker/step-up.test.mjs'];
const NODE_SERVERS = ['servers', 'dpop-nonce', 'step-up', 'preflight', 'mtls'].map((name) => `tests/servers/${name}.test.mjs`);

/** The test files of each row of the table, by its first cell. */
const FILES = Object.freeze({
  'Workers: `protect`': [...WORKERD, 'tests/worker/preflight.test.mjs'],
  'Hono: `jwtAuth`': [...WORKERD, 'tests/worker/preflight.test.mjs'],
  'gateway rules: `gateway`, Hono\'s `jwtGateway`': [...WORKERD, 'tests/worker/gateway.test.mjs'],
  'Express, Connect, node:http': NODE_SERVERS,
  Fastify: NODE_SERVERS,
  Koa: ['tests/frameworks/koa.test.mjs'],
  'NestJS (Express and Fastify platforms)': ['tests/frameworks/nestjs.test.mjs'],
  'h3 2 and h3 1 (Nitro, Nuxt)': ['tests/frameworks/h3.test.mjs'],
  'Elysia (Bun)': ['tests/frameworks/elysia.test.mjs'],
  'Next.js route handlers: `withAuth`': ['tests/frameworks/next-handlers.test.mjs'],
  'AWS Lambda authorizer': ['tests/frameworks/lambda.test.mjs'],
});

/** A table row's cells, without the outer pipes. */
const cells = (line) => line.trim().replace(/^\||\|$/g, '').split('|').map((cell) => cell.trim());

/** The table after HEADING, its footnotes (`[^id]: text`) and the page's text. */
function matrix(text) {
  const lines = text.split('\n');
  const start = lines.indexOf(HEADING);
  assert.notEqual(start, -1, `${PAGE} has no "${HEADING}"`);
  const first = lines.findIndex((line, i) => i > start && line.startsWith('|'));
  const end = lines.findIndex((line, i) => i > first && !line.startsWith('|'));
  const [header, rule, ...rows] = lines.slice(first, end);
  assert.match(rule, /^\|(?:---\|)+$/);
  const footnotes = new Map([...text.matchAll(/^\[\^([\w-]+)\]: (.+)$/gm)].map(([, id, reason]) => [id, reason]));
  return { header: cells(header), rows: rows.map(cells), footnotes };
}

/** Whether `source` names a test that starts with the tag (after other tags): `'[a] [tag] …`. */
const tagged = (source, tag) => new RegExp(`['"\`](?:\\[[\\w-]+\\] )*\\[${tag}\\] `).test(source);

/** Whether `file` runs a test tagged `tag`: its own, or one of a shared suite it calls. */
function exercises(file, tag) {
  const source = read(file);
  if (tagged(source, tag)) return true;
  return Object.entries(SHARED).some(([suite, module]) => new RegExp(`(?:^|[^\\w.])${suite}\\(`, 'm').test(source) && tagged(read(module), tag));
}

/** The verdict of a cell: `yes` or `no`, and the footnotes it names. */
function readCell(cell) {
  const verdict = /^(yes|no)\b/.exec(cell)?.[1];
  return { verdict, notes: [...cell.matchAll(/\[\^([\w-]+)\]/g)].map(([, id]) => id) };
}

const { header, rows, footnotes } = matrix(read(PAGE));

test('the table has the adapter column, then one column per feature, in order', () => {
  assert.equal(header[0], 'adapter');
  assert.deepEqual(header.slice(1).map((name, i) => name.startsWith(COLUMNS[i]?.[0] ?? '\0')), COLUMNS.map(() => true), header.join(' | '));
  assert.equal(header.length, COLUMNS.length + 1);
});

test('the rows are exactly the adapters whose test files this test knows', () => {
  assert.deepEqual(rows.map(([adapter]) => adapter).sort(), Object.keys(FILES).sort());
  for (const files of Object.values(FILES)) for (const file of files) assert.ok(read(file).length > 0, file);
});

for (const [adapter, ...row] of rows) {
  test(`${adapter}: every "yes" is tested, every "no" has a reason and no test`, () => {
    assert.equal(row.length, COLUMNS.length, adapter);
    row.forEach((cell, i) => {
      const [column, tag] = COLUMNS[i];
      const { verdict, notes } = readCell(cell);
      const where = `${adapter} × ${column}: "${cell}"`;
      assert.ok(verdict, `${where} must start with yes or no`);
      for (const id of notes) assert.ok(footnotes.get(id)?.length > 10, `${where}: footnote [^${id}] has no reason`);
      const tested = (FILES[adapter] ?? []).some((file) => exercises(file, tag));
      if (verdict === 'yes') assert.ok(tested, `${where}, but no [${tag}] test in ${FILES[adapter]?.join(', ')}`);
      else {
        assert.ok(notes.length > 0, `${where} needs a footnote that says why`);
        assert.ok(!tested, `${where}, but [${tag}] tests exist: the cell is out of date`);
      }
    });
  });
}

test('every footnote is named by a cell', () => {
  const named = new Set(rows.flatMap((row) => row.flatMap((cell) => readCell(cell).notes)));
  assert.deepEqual([...footnotes.keys()].filter((id) => !named.has(id)), []);
});

test('the tag finder can fail: an untagged source, a tag in a comment, another tag', () => {
  assert.equal(tagged("test('dpop bound token', () => {})", 'dpop'), false);
  assert.equal(tagged('// the tags: [dpop], [mtls]', 'dpop'), false);
  assert.equal(tagged("test('[mtls] bound', () => {})", 'dpop'), false);
  assert.equal(tagged("test('[dpop] [preflight] the table', () => {})", 'preflight'), true);
});
