// The documentation whose code blocks the tests check, so it cannot drift
// from the code: the README, CONTRIBUTING.md and every page of docs/ (its subfolders too).
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';

export const ROOT = new URL('../', import.meta.url);

/** The Markdown pages under folder `dir` (from the repository root) and its subfolders (docs/frameworks/), sorted. */
function pagesUnder(dir) {
  return readdirSync(new URL(`${dir}/`, ROOT), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      if (entry.isDirectory()) return pagesUnder(`${dir}/${entry.name}`);
      return entry.name.endsWith('.md') ? [`${dir}/${entry.name}`] : [];
    });
}

/** Every documentation page, as `{ path, text }` (paths from the repository root). */
export function documents() {
  const pages = pagesUnder('docs');
  return ['README.md', 'CONTRIBUTING.md', ...pages].map((path) => ({ path, text: readFileSync(new URL(path, ROOT), 'utf8') }));
}

/**
 * Fenced code blocks, also those indented in lists: `{ path, line, lang,
 * runner, code }`. `runner` is the word after the language in the fence
 * (```` ```js vitest ````): a block written for another test runner, which
 * Node cannot run as it stands (`make test-recipes` runs it); null without one.
 */
export function codeBlocks() {
  return documents().flatMap(({ path, text }) => [...text.matchAll(/^( *)```(\w*)(?: (\w+))?\n([\s\S]*?)^\1```$/gm)].map((match) => ({
    path,
    line: text.slice(0, match.index).split('\n').length,
    lang: match[2],
    runner: match[3] ?? null,
    code: match[4].split('\n').map((line) => line.slice(match[1].length)).join('\n'),
  })));
}

/**
 * The first JavaScript block of page `path`, written under test-results/docs/
 * (inside the package, so `@jwtguard/jwtguard` resolves to it by its own
 * name) and imported: the module it is, run as written. Each call imports
 * a fresh copy, so the block reads the environment as it is then.
 */
export async function importFirstBlock(path) {
  const block = codeBlocks().find((each) => each.path === path && each.lang === 'js');
  if (!block) throw new Error(`${path} has no js block`);
  const dir = new URL('test-results/docs/', ROOT);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`${path.replace(/[/.]/g, '-')}-${Date.now()}-${Math.random().toString(36).slice(2)}.mjs`, dir);
  writeFileSync(file, block.code);
  return import(file.href);
}
