// The documentation whose code blocks the tests check, so it cannot drift
// from the code: the README, CONTRIBUTING.md and every page of docs/.
import { readFileSync, readdirSync } from 'node:fs';

export const ROOT = new URL('../', import.meta.url);

/** Every documentation page, as `{ path, text }` (paths from the repository root). */
export function documents() {
  const pages = readdirSync(new URL('docs/', ROOT)).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`);
  return ['README.md', 'CONTRIBUTING.md', ...pages].map((path) => ({ path, text: readFileSync(new URL(path, ROOT), 'utf8') }));
}

/** Fenced code blocks, also those indented in lists: `{ path, line, lang, code }`. */
export function codeBlocks() {
  return documents().flatMap(({ path, text }) => [...text.matchAll(/^( *)```(\w*)\n([\s\S]*?)^\1```$/gm)].map((match) => ({
    path,
    line: text.slice(0, match.index).split('\n').length,
    lang: match[2],
    code: match[3].split('\n').map((line) => line.slice(match[1].length)).join('\n'),
  })));
}
