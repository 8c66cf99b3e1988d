// The workerd side of `make bench`, bundled by bench/workerd.mjs. workerd does
// not advance its clocks while a request computes (a Spectre mitigation), so
// the timing is done by the caller: each request runs `n` verifications of one
// case. POST / loads the fixtures.
import * as joseModule from 'jose';
import * as api from '../js/workerd.js';
import { webLibraries } from './libraries.mjs';

let fixtures = null;
const subjects = new Map();
const cursors = new Map();

export default {
  async fetch(request) {
    if (request.method === 'POST') {
      fixtures = await request.json();
      subjects.clear();
      return new Response('loaded');
    }
    const url = new URL(request.url);
    const [alg, mode, name] = ['alg', 'mode', 'lib'].map((p) => url.searchParams.get(p));
    const n = Number(url.searchParams.get('n'));
    const id = `${name}/${alg}/${mode}`;
    if (!subjects.has(id)) {
      const factory = webLibraries(api, joseModule).find(([lib]) => lib === name)[1];
      subjects.set(id, factory(fixtures, alg));
    }
    const subject = subjects.get(id);
    if (subject === null) return new Response('unsupported', { status: 501 });
    const tokens = mode === 'cold' ? fixtures.tokens[alg] : fixtures.tokens[alg].slice(0, 1);
    let next = cursors.get(id) ?? 0;
    try {
      for (let i = 0; i < n; i += 1) {
        const result = subject.isAsync ? await subject.verify(tokens[next]) : subject.verify(tokens[next]);
        if (!result) throw new Error('no result');
        next = (next + 1) % tokens.length;
      }
    } catch (error) {
      return new Response(`${error.code ?? ''} ${error.message}`, { status: 500 });
    } finally {
      cursors.set(id, next);
    }
    return new Response('done');
  },
};
