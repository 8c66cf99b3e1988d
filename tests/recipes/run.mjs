// make test-recipes: the Vitest and Jest recipes of docs/configuration.md,
// taken from the page by the docs tests' own block reader (tests/docs.mjs),
// written here as test files and run by the real runners this folder
// installs. Each run must report exactly one passing test and no failure;
// the command fails if either runner does.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { codeBlocks } from '../docs.mjs';

const HERE = new URL('./', import.meta.url);
const REPORTS = new URL('../../test-results/recipes/', import.meta.url);

/** How each runner runs one folder of tests and where its JSON report goes. */
const RUNNERS = {
  vitest: (report) => [process.execPath, 'node_modules/vitest/vitest.mjs', 'run', '--dir', 'vitest', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
  jest: (report) => [process.execPath, '--experimental-vm-modules', 'node_modules/jest/bin/jest.js', '--json', `--outputFile=${report}`],
};

let failed = false;
for (const [runner, command] of Object.entries(RUNNERS)) {
  const blocks = codeBlocks().filter((block) => block.path === 'docs/configuration.md' && block.runner === runner);
  if (blocks.length !== 1) throw new Error(`docs/configuration.md has ${blocks.length} \`\`\`js ${runner} blocks, not 1`);
  const dir = new URL(`${runner}/`, HERE);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  writeFileSync(new URL('recipe.test.js', dir), blocks[0].code);
  mkdirSync(REPORTS, { recursive: true });
  const report = new URL(`${runner}.json`, REPORTS).pathname;
  rmSync(report, { force: true });
  const [file, ...args] = command(report);
  console.log(`$ ${runner} (docs/configuration.md:${blocks[0].line})`);
  try {
    execFileSync(file, args, { cwd: HERE, stdio: 'inherit' });
  } catch {
    // The report below says what failed; the runner printed why.
  }
  const { numPassedTests, numFailedTests, numTotalTests } = JSON.parse(readFileSync(report, 'utf8'));
  const ok = numPassedTests === 1 && numFailedTests === 0 && numTotalTests === 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${runner}: ${numPassedTests} passed, ${numFailedTests} failed of ${numTotalTests}`);
  failed ||= !ok;
}
process.exitCode = failed ? 1 : 0;
