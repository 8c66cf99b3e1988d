// The Chromium side of `make bench`, bundled by bench/chromium.mjs and run in
// the page: the same timing loop as Node, on performance.now().
import * as joseModule from 'jose';
import * as api from '../js/browser.js';
import { webLibraries } from './libraries.mjs';
import { measureCases } from './measure.mjs';

globalThis.runBench = async (fixtures, options) => ({
  rows: await measureCases(webLibraries(api, joseModule), fixtures, { clock: () => performance.now(), ...options }),
  userAgent: navigator.userAgent,
});

// bench/profile.mjs: the fixtures once (`loadFixtures`), then `runCase`: `n`
// verifications of one case (row `name`), tokens taken in order from where
// the last call of that case stopped.
let fixtures = null;
const subjects = new Map();
globalThis.loadFixtures = (loaded) => {
  fixtures = loaded;
  subjects.clear();
};
globalThis.runCase = async (name, alg, n) => {
  const id = `${name}/${alg}`;
  if (!subjects.has(id)) {
    const factory = webLibraries(api, joseModule).find(([lib]) => lib === name)[1];
    subjects.set(id, { subject: factory(fixtures, alg), next: 0 });
  }
  const state = subjects.get(id);
  const tokens = fixtures.tokens[alg];
  for (let i = 0; i < n; i += 1) {
    const result = state.subject.isAsync ? await state.subject.verify(tokens[state.next]) : state.subject.verify(tokens[state.next]);
    if (!result) throw new Error('no result');
    state.next = (state.next + 1) % tokens.length;
  }
};
