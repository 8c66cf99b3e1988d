// The documentation whose code blocks the tests check, so it cannot drift
// from the code: the README, CONTRIBUTING.md and every page of docs/.
import { readFileSync, readdirSync } from 'node:fs';

export const ROOT = new URL('../', import.meta.url);

/** Every documentation page, as `{ path, text }` (paths from the repository root). */
export function documents() {
  const pages = readdirSync(new URL('docs/', ROOT)).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`);
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
