// The documentation's TypeScript blocks (tests/docs.mjs) compile under `strict`, without
// `skipLibCheck`, against the package's declarations: Node, a Worker and
// Hono, with TypeScript 5 and 4.9 (tests/types/check.mjs); its JavaScript
// blocks with checkJs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { COMPILERS, SKIPPED, check, checkJavaScript, readmeTypeScript, settingOf, writeProjects } from '../types/check.mjs';

const blocks = readmeTypeScript();
/** Calls that must not compile, beside the same calls done right (tests/types/negative*.ts). */
const negative = ['negative.ts', 'negative-worker.ts'].map((name) => readFileSync(new URL(`../types/${name}`, import.meta.url), 'utf8'));
const settings = writeProjects([...blocks, ...negative]);

test('the documentation has TypeScript for Node, a Worker and Hono', () => {
  assert.deepEqual([...new Set(blocks.map(settingOf))].sort(), ['hono', 'node', 'worker']);
});

for (const compiler of Object.keys(COMPILERS)) {
  for (const setting of settings) {
    const skip = SKIPPED[`${compiler} ${setting}`] ?? false;
    test(`${compiler}, ${setting}: the documentation's blocks type-check under strict`, { skip }, () => {
      assert.equal(check(compiler, setting), null);
    });
  }
}

test('the documentation\'s JavaScript blocks type-check too (checkJs, strict but for implicit any)', () => {
  assert.equal(checkJavaScript(), null);
});
