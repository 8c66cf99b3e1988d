// The decoder page's timeline model (www/timeline.js), run under Node: each
// row a token's times at a fixed "now", with the marks, spans and state the
// picture must show. The state is then held to the real verifier: a token
// signed by jose with the same times, verified at the same "now", must be
// accepted or refused with the code the state stands for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createVerifier } from '@jwtguard/jwtguard';
import { timeline } from '../../www/timeline.js';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from './helpers.mjs';

const N = 1_800_000_000;

/** The code the verifier gives for each state (null: accepted). */
const STATE_CODES = {
  valid: null,
  expired: 'ERR_TOKEN_EXPIRED',
  'not-yet-valid': 'ERR_TOKEN_NOT_YET_VALID',
  'too-old': 'ERR_TOKEN_TOO_OLD',
  'no-expiry': 'ERR_CLAIM_MISSING',
};

/** goodClaims with only the given times. */
const withTimes = (times) => goodClaims({ iat: undefined, nbf: undefined, exp: undefined, ...times });
const mark = (names, at, x, row = 0) => ({ names, at, x, row });
const span = (kind, from, to, axisFrom, axisTo) => ({ kind, from, to, x1: (from - axisFrom) / (axisTo - axisFrom), x2: (to - axisFrom) / (axisTo - axisFrom) });

// [name, times, policy, state, axis [from, to], marks, extra spans (besides lifetime and tolerance), summary]
const ROWS = [
  ['valid', { iat: N - 1000, nbf: N - 1000, exp: N + 2000 }, { clockTolerance: 60 }, 'valid', [N - 1000, N + 2000],
    [mark(['nbf', 'iat'], N - 1000, 0), mark(['exp'], N + 2000, 1)], [], /^Valid now: within its lifetime, and the clock tolerance is 60 s\.$/],
  ['expired', { iat: N - 3000, nbf: N - 3000, exp: N - 1000 }, { clockTolerance: 60 }, 'expired', [N - 3000, N + 60],
    [mark(['nbf', 'iat'], N - 3000, 0), mark(['exp'], N - 1000, 2000 / 3060)], [], /^Expired: it expired 16 min ago, and the clock tolerance is 60 s\.$/],
  ['expired exactly at the tolerance\'s end', { iat: N - 600, exp: N - 60 }, { clockTolerance: 60 }, 'expired', [N - 600, N + 60],
    [mark(['iat'], N - 600, 0), mark(['exp'], N - 60, 540 / 660)], [], /^Expired: it expired 1 min ago/],
  ['past exp but within the tolerance', { iat: N - 600, exp: N - 59 }, { clockTolerance: 60 }, 'valid', [N - 600, N + 60],
    [mark(['iat'], N - 600, 0), mark(['exp'], N - 59, 541 / 660)], [], /^Valid now/],
  ['not yet valid (nbf)', { iat: N, nbf: N + 600, exp: N + 3600 }, { clockTolerance: 60 }, 'not-yet-valid', [N - 60, N + 3600],
    [mark(['iat'], N, 60 / 3660), mark(['nbf'], N + 600, 660 / 3660), mark(['exp'], N + 3600, 1)], [], /^Not yet valid: it is not valid for another 10 min, and the clock tolerance is 60 s\.$/],
  ['issued in the future (iat)', { iat: N + 120, nbf: N + 120, exp: N + 3600 }, { clockTolerance: 60 }, 'not-yet-valid', [N - 60, N + 3600],
    [mark(['nbf', 'iat'], N + 120, 180 / 3660), mark(['exp'], N + 3600, 1)], [], /^Not yet valid: it is not valid for another 2 min/],
  ['too old for maxTokenAge', { iat: N - 7200, nbf: N - 7200, exp: N + 3600 }, { clockTolerance: 60, maxTokenAge: 3600 }, 'too-old', [N - 7200, N + 3600],
    [mark(['nbf', 'iat'], N - 7200, 0), mark(['exp'], N + 3600, 1)], [['max-age', N - 7200, N - 3600]],
    /^Too old: issued 2 h ago, and the policy's maxTokenAge is 1 h \(the clock tolerance is 60 s\)\.$/],
  ['inside maxTokenAge', { iat: N - 600, exp: N + 3000 }, { clockTolerance: 0, maxTokenAge: 3600 }, 'valid', [N - 600, N + 3000],
    [mark(['iat'], N - 600, 0), mark(['exp'], N + 3000, 1)], [['max-age', N - 600, N + 3000]], /^Valid now/],
  ['auth_time just before iat: its label on the next row', { auth_time: N - 1010, iat: N - 1000, exp: N + 2000 }, { clockTolerance: 60 }, 'valid', [N - 1010, N + 2000],
    [mark(['auth_time'], N - 1010, 0), mark(['iat'], N - 1000, 10 / 3010, 1), mark(['exp'], N + 2000, 1)], [], /^Valid now/],
  ['no exp', { iat: N - 10 }, { clockTolerance: 60 }, 'no-expiry', [N - 60, N + 60],
    [mark(['iat'], N - 10, 50 / 120)], [], /^No expiry: the token has no exp/],
];

test('the timeline: marks, spans and state for each kind of token', () => {
  for (const [name, times, policy, state, [from, to], marks, extraSpans, summary] of ROWS) {
    const picture = timeline(withTimes(times), { now: N, ...policy });
    assert.equal(picture.state, state, name);
    assert.deepEqual([picture.from, picture.to], [from, to], name);
    assert.deepEqual(picture.marks, marks, name);
    assert.deepEqual(picture.now, { at: N, x: (N - from) / (to - from) }, name);
    const starts = [times.nbf, times.iat].filter((at) => at !== undefined);
    assert.deepEqual(picture.spans, [
      span('lifetime', Math.max(...starts), times.exp ?? to, from, to),
      ...extraSpans.map(([kind, start, end]) => span(kind, start, end, from, to)),
      span('tolerance', N - policy.clockTolerance, N + policy.clockTolerance, from, to),
    ], name);
    assert.match(picture.summary, summary, name);
    // The text equivalent has a line per time claim and one for maxTokenAge.
    const claimLines = marks.flatMap((m) => m.names).length + extraSpans.length;
    assert.equal(picture.lines.length, claimLines, name);
    for (const m of marks) for (const claim of m.names) assert.ok(picture.lines.some((line) => line.startsWith(`${claim} ${m.at} (`)), `${name}: ${claim}`);
  }
});

test('the timeline\'s state is the verifier\'s decision at the same moment', async () => {
  const pair = await keyPair('ES256', 'timeline-key');
  for (const [name, times, policy, state] of ROWS) {
    const token = await sign(pair, withTimes(times));
    const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] }, ...policy, now: () => N });
    const code = await verifier.verify(token).then(() => null, (error) => error.code);
    assert.equal(code, STATE_CODES[state], name);
  }
});

test('no timeline when exp, nbf or iat is not a NumericDate; a bad auth_time is left out', () => {
  for (const claim of ['exp', 'nbf', 'iat']) {
    assert.equal(timeline(withTimes({ iat: N, exp: N + 60, [claim]: '1800000000' }), { now: N, clockTolerance: 60 }), null, claim);
  }
  const picture = timeline(withTimes({ iat: N, exp: N + 60, auth_time: 'yesterday' }), { now: N, clockTolerance: 0 });
  assert.deepEqual(picture.marks.map((m) => m.names), [['iat'], ['exp']]);
});
