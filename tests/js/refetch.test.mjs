// The refetch rule (js/keys/refetch.js), one row per situation: what a cached
// key set or discovery document does about a peek, a load and a kid miss.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { refetchAction } from '../../js/keys/refetch.js';

const SETTINGS = { timeout: 5, cooldown: 30, shareInFlight: true };
const WORKERS = { ...SETTINGS, shareInFlight: false };

// An entry fetched at 1000 with max age 600 and staleIfError 3600.
const ENTRY = { freshUntil: 1600, usableUntil: 5200 };
const idle = { entry: ENTRY, lastAttempt: 1000, failed: false, pendingSince: null };
const empty = { entry: null, lastAttempt: -Infinity, failed: false, pendingSince: null };

// [name, state, event, now, settings, expected action]
const ROWS = [
  // Fresh: served, nothing fetched, whatever the event but a kid miss.
  ['fresh, peek', idle, 'peek', 1300, SETTINGS, { type: 'serve' }],
  ['fresh, load', idle, 'load', 1300, SETTINGS, { type: 'serve' }],
  // Stale (past max age, within staleIfError): served, with one background refresh.
  ['stale, peek', idle, 'peek', 1700, SETTINGS, { type: 'serve', refresh: 'expired' }],
  ['stale with a refresh in flight', { ...idle, pendingSince: 1698 }, 'peek', 1700, SETTINGS, { type: 'serve' }],
  ['stale, refresh failed within the cooldown', { ...idle, lastAttempt: 1690, failed: true }, 'peek', 1700, SETTINGS, { type: 'serve' }],
  ['stale, refresh failed before the cooldown', { ...idle, lastAttempt: 1650, failed: true }, 'peek', 1700, SETTINGS, { type: 'serve', refresh: 'expired' }],
  // Expired past staleIfError: the last good keys are no longer served.
  ['expired past staleIfError, peek', idle, 'peek', 5200, SETTINGS, { type: 'none' }],
  ['expired past staleIfError, load', idle, 'load', 5200, SETTINGS, { type: 'fetch', reason: 'load' }],
  ['just before staleIfError ends', idle, 'peek', 5199, SETTINGS, { type: 'serve', refresh: 'expired' }],
  // Nothing held yet.
  ['cold, peek', empty, 'peek', 1000, SETTINGS, { type: 'none' }],
  ['cold, load', empty, 'load', 1000, SETTINGS, { type: 'fetch', reason: 'load' }],
  ['cold, load with a fetch in flight', { ...empty, lastAttempt: 999, pendingSince: 999 }, 'load', 1000, SETTINGS, { type: 'join' }],
  ['cold, load with a fetch in flight, Workers', { ...empty, lastAttempt: 999, pendingSince: 999 }, 'load', 1000, WORKERS, { type: 'poll' }],
  ['cold, a fetch in flight past its timeout is forgotten', { ...empty, lastAttempt: 990, pendingSince: 990 }, 'load', 1000, SETTINGS, { type: 'fetch', reason: 'load' }],
  // A failure: its error again within the cooldown, a new fetch after it.
  ['cold, failed within the cooldown', { ...empty, lastAttempt: 990, failed: true }, 'load', 1000, SETTINGS, { type: 'fail' }],
  ['cold, failed before the cooldown', { ...empty, lastAttempt: 960, failed: true }, 'load', 1000, SETTINGS, { type: 'fetch', reason: 'load' }],
  // Kid misses: one fetch per cooldown.
  ['kid miss outside the cooldown', idle, 'kid-miss', 1100, SETTINGS, { type: 'fetch', reason: 'kid-miss' }],
  ['kid miss inside the cooldown', idle, 'kid-miss', 1010, SETTINGS, { type: 'cooldown', retryIn: 20 }],
  ['kid miss inside the cooldown, fractional', idle, 'kid-miss', 1010.5, SETTINGS, { type: 'cooldown', retryIn: 20 }],
  ['kid miss at the cooldown\'s end', idle, 'kid-miss', 1030, SETTINGS, { type: 'fetch', reason: 'kid-miss' }],
  ['kid miss with a fetch in flight', { ...idle, lastAttempt: 1100, pendingSince: 1100 }, 'kid-miss', 1101, SETTINGS, { type: 'join' }],
  ['kid miss with a fetch in flight, Workers', { ...idle, lastAttempt: 1100, pendingSince: 1100 }, 'kid-miss', 1101, WORKERS, { type: 'cooldown', retryIn: 29 }],
  ['kid miss with no keys, cold', empty, 'kid-miss', 1000, SETTINGS, { type: 'fetch', reason: 'kid-miss' }],
];

describe('the refetch rule', () => {
  for (const [name, state, event, now, settings, expected] of ROWS) {
    test(name, () => {
      assert.deepEqual(refetchAction(state, event, now, settings), expected);
    });
  }

  test('an unknown event is a programming error, not a silent fetch', () => {
    assert.throws(() => refetchAction(idle, 'refresh', 1000, SETTINGS), TypeError);
  });
});
