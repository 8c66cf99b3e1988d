// The Chromium side of `make bench`, bundled by bench/chromium.mjs and run in
// the page: the same timing loop as Node, on performance.now().
import * as joseModule from 'jose';
import * as api from '../js/browser.js';
import { webLibraries } from './libraries.mjs';
import { ALGORITHMS } from './fixtures.mjs';
import { measure } from './measure.mjs';

globalThis.runBench = async (fixtures, options) => {
  // One discarded pass first, as in run.mjs.
  for (const alg of ALGORITHMS) {
    for (const [, factory] of webLibraries(api, joseModule)) {
      const subject = factory(fixtures, alg);
      if (subject) await measure(subject.verify, fixtures.tokens[alg], { isAsync: subject.isAsync, clock: () => performance.now(), samples: 1 });
    }
  }
  const rows = [];
  for (const alg of ALGORITHMS) {
    for (const mode of ['cold', 'warm']) {
      const tokens = mode === 'cold' ? fixtures.tokens[alg] : fixtures.tokens[alg].slice(0, 1);
      for (const [name, factory] of webLibraries(api, joseModule)) {
        let us = null;
        let note = '';
        try {
          const subject = factory(fixtures, alg);
          if (subject) us = await measure(subject.verify, tokens, { isAsync: subject.isAsync, clock: () => performance.now(), ...options });
          else note = 'unsupported';
        } catch (error) {
          note = `failed: ${error.code ?? ''} ${error.message}`.trim();
        }
        rows.push({ alg, mode, name, us, note });
      }
    }
  }
  return { rows, userAgent: navigator.userAgent };
};
