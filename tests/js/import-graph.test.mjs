// The host layer's modules form a DAG: no module of js/ (or www/) imports,
// through any chain of relative imports, itself. A cycle makes the load
// order decide which module sees the other's exports as undefined, and it
// blurs which layer depends on which (ARCHITECTURE.md).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every .js file under `folder`, as paths from the root. */
function modules(folder) {
  return readdirSync(join(ROOT, folder), { recursive: true })
    .filter((name) => name.endsWith('.js'))
    .map((name) => normalize(join(folder, name)));
}

/** The relative imports and re-exports of a module, as paths from the root. */
function importsOf(path) {
  const text = readFileSync(join(ROOT, path), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/gms)]
    .map((match) => normalize(join(dirname(path), match[1])));
}

/** A cycle in `graph` (path → imported paths) as the list of its modules, or null. */
function findCycle(graph) {
  const state = new Map(); // path → 'open' | 'done'
  const stack = [];
  function visit(path) {
    if (state.get(path) === 'done') return null;
    if (state.get(path) === 'open') return [...stack.slice(stack.indexOf(path)), path];
    state.set(path, 'open');
    stack.push(path);
    for (const next of graph.get(path) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(path, 'done');
    return null;
  }
  for (const path of graph.keys()) {
    const cycle = visit(path);
    if (cycle) return cycle;
  }
  return null;
}

test('findCycle finds a cycle and passes a DAG', () => {
  assert.deepEqual(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]])), ['a', 'b', 'c', 'a']);
  assert.equal(findCycle(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]])), null);
});

test('js/ and www/ have no import cycle', () => {
  const graph = new Map([...modules('js'), ...modules('www')].map((path) => [path, importsOf(path)]));
  assert.ok(graph.size > 40, `${graph.size} modules read`);
  assert.ok([...graph.values()].flat().length > 60, 'imports read');
  const cycle = findCycle(graph);
  assert.equal(cycle, null, `import cycle: ${cycle?.map((path) => relative('.', path)).join(' → ')}`);
});
