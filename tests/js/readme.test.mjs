// Every code block of the README and of docs/ (tests/docs.mjs) is checked,
// so the documentation cannot drift from the code: TypeScript blocks are type-checked (tests/js/types.test.mjs),
// the offline quick start runs as pasted, every JavaScript block parses and
// imports only names the package exports, and every `jwtguard` command line
// uses a command and flags the CLI has. Blocks in other languages are listed
// below with how they are covered.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { transformSync } from 'esbuild';
import { COMMANDS } from '../../js/cli/main.js';
import { codeBlocks } from '../docs.mjs';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

const blocks = codeBlocks();

/** How blocks of each language are covered; a new language must be added here. */
const COVERED = {
  ts: 'type-checked by tests/js/types.test.mjs',
  js: 'type-checked with checkJs by tests/js/types.test.mjs, imports checked (this file); the offline quick start also runs',
  sh: 'jwtguard command lines checked against the CLI (this file); make targets by the Makefile test below',
  text: 'sample output, not code',
  rust: 'compiled as a doctest by cargo test (src/lib.rs includes docs/rust.md under cfg(doctest))',
};

test('every documentation block has a language this test covers', () => {
  assert.ok(blocks.length > 10);
  for (const { path, lang, line } of blocks) assert.ok(lang in COVERED, `${path}:${line}: block language "${lang}"`);
});

/** The package's entry for an import specifier, as Node resolves it. */
async function entryOf(specifier) {
  const subpath = `.${specifier.slice(PACKAGE.name.length)}`;
  assert.ok(subpath in PACKAGE.exports, `${specifier} is not an export`);
  return import(specifier);
}

test('documentation JavaScript and TypeScript blocks parse and import only names the package exports', async () => {
  for (const { path, lang, code, line } of blocks.filter((b) => b.lang === 'js' || b.lang === 'ts')) {
    transformSync(code, { loader: lang, format: 'esm', target: 'es2022' });
    for (const [, names, specifier] of code.matchAll(/^import (?:type )?\{([^}]*)\} from '(@jwtguard\/jwtguard[^']*)'/gm)) {
      const entry = await entryOf(specifier);
      for (const name of names.split(',').map((n) => n.trim()).filter(Boolean)) {
        // Types (Result, …) exist only in the declarations; tsc checks them.
        if (/^import type/m.test(code) && !(name in entry)) continue;
        assert.ok(name in entry, `${path}:${line}: ${specifier} has no export ${name}`);
      }
    }
  }
});

test('the offline quick start runs as pasted', () => {
  const start = README.slice(0, README.indexOf('## Quick start (offline)')).split('\n').length;
  const block = blocks.find((b) => b.path === 'README.md' && b.lang === 'js' && b.line > start);
  // Inside the package, `@jwtguard/jwtguard` resolves to it by its own name.
  const dir = new URL('../../test-results/readme/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL('quickstart.mjs', dir), block.code);
  const output = execFileSync(process.execPath, [new URL('quickstart.mjs', dir).pathname], { encoding: 'utf8' });
  assert.match(output, /^verified \{ kid: 'k1', alg: 'EdDSA' \} \[ 'Orders\.Read' \]\n$/);
});

test('documentation jwtguard command lines use commands and flags the CLI has', () => {
  let checked = 0;
  for (const { path, code, line } of blocks.filter((b) => b.lang === 'sh')) {
    for (const command of code.replace(/\\\n\s*/g, ' ').split('\n')) {
      const words = command.replace(/#.*/, '').trim().split(/\s+/);
      const at = words.indexOf('jwtguard');
      if (at === -1 || (at > 0 && words[at - 1] !== 'npx')) continue;
      const sub = words[at + 1];
      assert.ok(sub in COMMANDS, `${path}:${line}: unknown command ${sub}`);
      for (const flag of words.slice(at + 2).filter((w) => w.startsWith('--'))) {
        const name = flag.slice(2);
        assert.ok(name in COMMANDS[sub] || name === 'json' || name === 'help', `${path}:${line}: jwtguard ${sub} has no ${flag}`);
      }
      checked += 1;
    }
  }
  assert.ok(checked >= 4, `${checked} command lines`);
});

test('documentation make commands are Makefile targets', () => {
  const makefile = readFileSync(new URL('../../Makefile', import.meta.url), 'utf8');
  for (const { path, code, line } of blocks.filter((b) => b.lang === 'sh')) {
    for (const [, target] of code.matchAll(/^make ([\w-]+)/gm)) {
      assert.match(makefile, new RegExp(`^${target}:`, 'm'), `${path}:${line}: make ${target}`);
    }
  }
});
