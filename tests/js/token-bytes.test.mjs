// The token buffers of js/token-bytes.js: verifySync's shared one and
// verify()'s lent ones. Each view holds exactly its token's UTF-8 bytes,
// whatever came before it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_SPARE_BUFFERS, MAX_SPARE_BYTES, lentTokenBytes, returnTokenBytes, sharedTokenBytes } from '../../js/token-bytes.js';

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

// verify()'s buffers: each lent to one verification until it gives it back.
describe('lent token bytes', () => {
  test('each lent view holds exactly its token\'s UTF-8 bytes', () => {
    for (const [what, token] of ROWS) {
      const bytes = lentTokenBytes(token);
      assert.deepEqual(bytes, encoder.encode(token), what);
      returnTokenBytes(bytes);
    }
  });

  test('a lent buffer is no one else\'s until given back, then it is lent again', () => {
    const first = lentTokenBytes('aaaa');
    const second = lentTokenBytes('bbbb');
    assert.notEqual(second.buffer, first.buffer);
    assert.deepEqual(first, encoder.encode('aaaa'), 'the other lending did not write into it');
    returnTokenBytes(second);
    returnTokenBytes(first);
    const again = lentTokenBytes('cccc');
    assert.equal(again.buffer, first.buffer, 'the last buffer given back is lent first');
    returnTokenBytes(again);
  });

  // Each row gives back buffers and says how many are lent again.
  const keeping = [
    { what: `${MAX_SPARE_BUFFERS + 3} given back: ${MAX_SPARE_BUFFERS} kept`, tokens: Array.from({ length: MAX_SPARE_BUFFERS + 3 }, () => 'h.p.s'), kept: MAX_SPARE_BUFFERS },
    { what: 'one too large to keep', tokens: ['x'.repeat(MAX_SPARE_BYTES)], kept: 0 },
  ];
  for (const row of keeping) {
    test(row.what, () => {
      // Empty the spare buffers first, so only this row's can come back.
      const before = Array.from({ length: MAX_SPARE_BUFFERS }, () => lentTokenBytes('e'));
      const lent = row.tokens.map((token) => lentTokenBytes(token));
      for (const bytes of lent) returnTokenBytes(bytes);
      const buffers = new Set(lent.map((bytes) => bytes.buffer));
      const next = Array.from({ length: MAX_SPARE_BUFFERS + 3 }, () => lentTokenBytes('n'));
      assert.equal(next.filter((bytes) => buffers.has(bytes.buffer)).length, row.kept);
      for (const bytes of [...next, ...before]) returnTokenBytes(bytes);
    });
  }
});
