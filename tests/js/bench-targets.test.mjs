// The bench's verdicts take each ratio round by round (bench/targets.mjs
// pairedRatio), and say how far the rounds disagree (middleHalf): checked
// here on rows made up for it, where a drift of the machine's speed between
// rounds would mislead a ratio of medians.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { middleHalf, pairedRatio, targetsTable } from '../../bench/targets.mjs';

const row = (name, rounds) => ({ alg: 'RS256', mode: 'cold', name, us: { wall: null, cpu: null, rounds } });

const cases = [
  {
    name: 'a drift that reaches both rows alike cancels: 0.8 in every round',
    rows: [row('own', [8, 16, 24]), row('peer', [10, 20, 30])],
    refs: ['peer'],
    expected: 0.8,
  },
  {
    name: 'the faster reference of each round is the one compared',
    rows: [row('own', [9, 9, 9]), row('a', [10, 30, 10]), row('b', [30, 10, 30])],
    refs: ['a', 'b'],
    expected: 0.9,
  },
  {
    name: 'the median of the rounds\' ratios, not of the times',
    rows: [row('own', [1, 2, 100]), row('peer', [1, 1, 1])],
    refs: ['peer'],
    expected: 2,
  },
  {
    name: 'a reference that was not measured is left out',
    rows: [row('own', [5, 5, 5]), row('peer', [10, 10, 10])],
    refs: ['peer', 'missing'],
    expected: 0.5,
  },
  { name: 'no reference measured: null', rows: [row('own', [5])], refs: ['missing'], expected: null },
  { name: 'rounds of other lengths: null', rows: [row('own', [5, 5]), row('peer', [5])], refs: ['peer'], expected: null },
];

for (const { name, rows, refs, expected } of cases) {
  test(name, () => {
    const ratio = pairedRatio(rows, 'RS256', 'cold', 'own', refs);
    if (expected === null) assert.equal(ratio, null);
    else assert.ok(Math.abs(ratio - expected) < 1e-12, `${ratio} ≠ ${expected}`);
  });
}

const spreads = [
  {
    name: 'eleven rounds: the third and ninth smallest ratios',
    own: [11, 1, 10, 2, 9, 3, 8, 4, 7, 5, 6],
    expected: [0.3, 0.9],
  },
  { name: 'one round: that ratio twice', own: [4], expected: [0.4, 0.4] },
  { name: 'two rounds: the smaller and the larger', own: [2, 6], expected: [0.2, 0.6] },
];

for (const { name, own, expected } of spreads) {
  test(`spread: ${name}`, () => {
    const [low, high] = middleHalf(own.map((x) => x / 10));
    assert.ok(Math.abs(low - expected[0]) < 1e-12 && Math.abs(high - expected[1]) < 1e-12, `${[low, high]} ≠ ${expected}`);
  });
}

const verdicts = [
  { met: true, withinSpread: false, expected: '| met |' },
  { met: true, withinSpread: true, expected: '| met, within the spread |' },
  { met: false, withinSpread: true, expected: '| **not met**, within the spread |' },
  { met: false, withinSpread: false, expected: '| **not met** |' },
  { met: null, withinSpread: false, expected: '| not measured |' },
];

for (const { met, withinSpread, expected } of verdicts) {
  test(`the table's verdict: ${expected}`, () => {
    const table = targetsTable([{ target: 't', host: 'h', measured: 'm', ratio: 'r', met, limit: '', withinSpread }]);
    assert.ok(table.split('\n').at(-1).includes(` r ${expected}`), table.split('\n').at(-1));
  });
}
