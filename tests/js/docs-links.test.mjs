// Every relative link and every repository path named in the project's
// Markdown resolves: a link to a file that exists (and, with `#anchor`, to
// a heading it has), and a path in backticks (`src/limits.rs`,
// `tests/catalog/`) that is a file or folder of the repository. A moved or
// renamed file, or a retitled section, fails here instead of in a reader's
// browser.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The Markdown the project writes (not its dependencies', not fuzz corpora). */
const MARKDOWN = execFileSync('git', ['ls-files', '*.md'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);

/** The top-level names of the repository: a backticked word starting with one of them is a path. */
const TOP = new Set([
  ...execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean).map((path) => path.split('/')[0]),
  // Build output that `make build` writes before the tests run.
  'pkg',
]);

/** Prose with code removed: fenced blocks dropped, so links and paths inside code are not read. */
const prose = (text) => text.replace(/^( *)```[\s\S]*?^\1```$/gm, '');

/** GitHub's anchor for a heading: lowercase, punctuation but `-` and `_` dropped, spaces as `-`. */
const slug = (heading) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\- _]/gu, '').replace(/ /g, '-');

const anchorsCache = new Map();
function anchorsOf(path) {
  if (!anchorsCache.has(path)) {
    const text = prose(readFileSync(join(ROOT, path), 'utf8'));
    const anchors = new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((match) => slug(match[1].replace(/`/g, ''))));
    anchorsCache.set(path, anchors);
  }
  return anchorsCache.get(path);
}

for (const file of MARKDOWN) {
  test(`${file}: links and named paths resolve`, () => {
    const text = prose(readFileSync(join(ROOT, file), 'utf8'));
    const problems = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      const [pathPart, anchor] = target.split('#');
      const path = pathPart === '' ? file : normalize(join(dirname(file), decodeURIComponent(pathPart)));
      if (!existsSync(join(ROOT, path))) {
        problems.push(`link ${target}: no ${path}`);
      } else if (anchor !== undefined && path.endsWith('.md') && !anchorsOf(path).has(anchor)) {
        problems.push(`link ${target}: ${path} has no heading #${anchor}`);
      }
    }
    for (const [, quoted] of text.matchAll(/`([^`\s]+)`/g)) {
      // A repository path, perhaps with a test name (`::name`) or line (`:12`) after it.
      const path = quoted.replace(/::.*$/, '').replace(/:\d+$/, '');
      if (!path.includes('/') || !TOP.has(path.split('/')[0]) || /[<>*{}…]/.test(path)) continue;
      // From the repository root, or, in a folder's own README, from that folder.
      if (!existsSync(join(ROOT, path)) && !existsSync(join(ROOT, dirname(file), path))) problems.push(`path \`${quoted}\` does not exist`);
    }
    assert.deepEqual(problems, []);
  });
}
