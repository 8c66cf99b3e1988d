// The tarball npm would publish: it holds the wasm, the licence, the notices
// and every file an export points to; installed into a fresh app (offline:
// the package has no dependencies), the README's offline quick start runs as
// pasted and its Node TypeScript type-checks under strict. prepack refuses
// to pack without the wasm when it cannot build it.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readmeTypeScript, settingOf } from '../types/check.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const npm = (args, cwd) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });

/** Every file path an export (any condition) or the bin points to. */
function exportedFiles() {
  const files = new Set(Object.values(PACKAGE.bin));
  const walk = (value) => {
    if (typeof value === 'string') files.add(value);
    else for (const inner of Object.values(value)) walk(inner);
  };
  walk(PACKAGE.exports);
  return [...files].map((file) => file.replace(/^\.\//, ''));
}

describe('npm pack', () => {
  let dir;
  let tarball;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'jwtguard-pack-'));
    tarball = join(dir, npm(['pack', '--pack-destination', dir, '--silent'], ROOT).trim().split('\n').pop());
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the tarball holds the wasm, LICENSE, THIRD_PARTY_NOTICES and every exported file', () => {
    const listed = new Set(execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')));
    for (const file of ['pkg/jwtguard_bg.wasm', 'pkg/jwtguard.js', 'LICENSE', 'THIRD_PARTY_NOTICES', 'README.md', 'package.json', ...exportedFiles()]) {
      assert.ok(listed.has(file), `${file} is not in the tarball`);
    }
    // Build output and development files stay out.
    for (const file of listed) assert.doesNotMatch(file, /^(src|wasm|tests|target|scripts|www|bench)\//);
  });

  test('installed into a fresh app, the README quick start runs and its Node TypeScript type-checks', () => {
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', private: true, type: 'module' }));
    npm(['install', '--offline', tarball], app);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const quickStart = readme.slice(readme.indexOf('## Quick start (offline)')).match(/```js\n([\s\S]*?)```/)[1];
    writeFileSync(join(app, 'quickstart.mjs'), quickStart);
    assert.match(execFileSync(process.execPath, ['quickstart.mjs'], { cwd: app, encoding: 'utf8' }), /^verified /);
    const cli = execFileSync(join(app, 'node_modules/.bin/jwtguard'), ['--version'], { encoding: 'utf8' });
    assert.equal(cli, `jwtguard ${PACKAGE.version} (${PACKAGE.name})\n`);

    const node = readmeTypeScript().filter((code) => settingOf(code) === 'node');
    assert.ok(node.length > 0);
    node.forEach((code, index) => writeFileSync(join(app, `readme-${index}.ts`), `${code}\nexport {};\n`));
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'node16', moduleResolution: 'node16', types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')] },
      files: node.map((_, index) => `readme-${index}.ts`),
    }));
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  });
});

test('prepack fails clearly when the wasm is missing and cannot be built', () => {
  const copy = mkdtempSync(join(tmpdir(), 'jwtguard-prepack-'));
  try {
    // No pkg/, no crate to build, and a PATH with only the shell's tools:
    // the build fails at once, as it would without a Rust toolchain.
    for (const part of ['package.json', 'scripts']) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
    const bin = join(copy, 'bin');
    mkdirSync(bin);
    for (const tool of ['bash', 'dirname', 'find']) symlinkSync(execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(bin, tool));
    const result = spawnSync(join(bin, 'bash'), ['scripts/prepack.sh'], { cwd: copy, encoding: 'utf8', env: { PATH: bin, HOME: copy } });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /prepack: building the wasm \(pkg\/\S+ is missing\)/);
    assert.match(result.stderr, /prepack: the release wasm could not be built, and the package cannot ship without it/);
    assert.match(result.stderr, /run 'make build'/);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
