// The two entries that load no WebAssembly, through the package's own
// exports map: jwtguard/display shows tokens to people and nothing else;
// jwtguard/fetching hands a page the key sources' fetch limits and their
// bounded body reader, the very ones the key sources use.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as display from '@jwtguard/jwtguard/display';
import * as fetching from '@jwtguard/jwtguard/fetching';
import { KEY_SOURCE_DEFAULTS } from '../../js/keys/cache.js';
import { textWithin } from '../../js/keys/fetch.js';

test('jwtguard/display exports its helpers for people, no fetch helpers', () => {
  assert.deepEqual(Object.keys(display).sort(), [
    'TIME_CLAIMS', 'duration', 'explainBinding', 'explainClaim', 'explainHeader', 'isNumericDate', 'localTime', 'relative', 'timePhrase',
  ]);
});

test('jwtguard/fetching exports the key sources\' own limits and reader', async () => {
  assert.deepEqual(Object.keys(fetching).sort(), ['KEY_SOURCE_DEFAULTS', 'textWithin']);
  assert.equal(fetching.KEY_SOURCE_DEFAULTS, KEY_SOURCE_DEFAULTS);
  assert.equal(fetching.textWithin, textWithin);
  assert.equal(await fetching.textWithin(new Response('12345'), 5), '12345');
  assert.equal(await fetching.textWithin(new Response('123456'), 5), null);
});
