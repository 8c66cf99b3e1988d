// The Koa, h3, Elysia and NestJS adapters' declarations compile as an app
// uses them, and reject the misuses marked @ts-expect-error
// (tests/frameworks/types/adapters.ts), under strict TypeScript 5.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
const PROJECT = fileURLToPath(new URL('types/tsconfig.json', import.meta.url));

test('the adapters\' declarations type-check under strict', () => {
  let output = '';
  try {
    execFileSync(process.execPath, [TSC, '-p', PROJECT], { encoding: 'utf8' });
  } catch (error) {
    output = `${error.stdout}${error.stderr}`;
  }
  assert.equal(output, '');
});
