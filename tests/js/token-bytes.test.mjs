// The shared token buffer of verifySync (js/token-bytes.js): each call's
// view holds exactly that token's UTF-8 bytes, whatever came before it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedTokenBytes } from '../../js/token-bytes.js';

const encoder = new TextEncoder();

// In order: each row follows the previous one through the same buffer.
const ROWS = [
  ['an ASCII token', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'],
  ['a shorter one after it: no stale tail', 'a.b.c'],
  ['non-ASCII text', 'é.😀.ü'],
  ['a lone surrogate, as TextEncoder writes it', 'a.\ud800.c'],
  ['past the first buffer: it grows', `${'x'.repeat(5000)}.${'y'.repeat(3000)}.z`],
  ['multi-byte text past the grown buffer', '€'.repeat(9000)],
  ['a short token after the growth', 'h.p.s'],
  ['the empty string', ''],
];

test('each view holds exactly its token\'s UTF-8 bytes', () => {
  for (const [what, token] of ROWS) {
    assert.deepEqual(sharedTokenBytes(token), encoder.encode(token), what);
  }
});

test('a view is the shared buffer: the next call overwrites it', () => {
  const first = sharedTokenBytes('aaaa');
  sharedTokenBytes('bbbb');
  assert.deepEqual(first, encoder.encode('bbbb'));
});
