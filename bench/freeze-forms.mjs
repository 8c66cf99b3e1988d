// Issue 27's question about the result's freeze: does freezing lazily (on
// the first read of the claims) or shallowly beat the deep freeze a
// verification ends with, without letting a caller change the verified
// claims? Each form turns a token's result text (as the core returns it)
// into what a caller gets, and the caller then reads one claim, as every
// caller does. Part of `make profile` (Node only); a measurement, never a
// test. A form is safe when no property of the verified claims, at any
// depth, can be changed, added or removed by the caller: every object
// reachable from them is frozen, which the section checks on each form's
// result rather than taking the form's word for it.
import { deepFreeze } from '../js/token-cache.js';
import { resultTexts } from './libraries.mjs';
import { measureTogether, median } from './measure.mjs';
import { NODE_CLOCKS } from './node.mjs';

/** The member that every form's caller reads after the verification. */
const READ = 'sub';

/** What a result text opens with: its claims' text follows. */
const CLAIMS_MARK = '{"claims":';

/** Where the claims' text ends in a result text: the header follows them. */
const HEADER_MARK = ',"header":';

/**
 * A result whose `claims` sit behind a getter that makes them (frozen) on
 * its first call; the result itself is frozen, so that the getter is the
 * only way to the claims.
 */
function withLazyClaims({ header, key, binding }, makeClaims) {
  let claims = null;
  return Object.freeze({
    header: deepFreeze(header),
    key: deepFreeze(key),
    binding,
    get claims() {
      claims ??= makeClaims();
      return claims;
    },
  });
}

/** The forms, each `[name, (text) => result]`. */
const FORMS = [
  ['deep freeze at once (the release)', (text) => deepFreeze(JSON.parse(text))],
  [
    'deep freeze of the claims on their first read',
    (text) => {
      const parsed = JSON.parse(text);
      return withLazyClaims(parsed, () => deepFreeze(parsed.claims));
    },
  ],
  [
    'parse and deep freeze of the claims on their first read',
    (text) => {
      const end = text.lastIndexOf(HEADER_MARK);
      return withLazyClaims(JSON.parse(`{${text.slice(end + 1)}`), () => deepFreeze(JSON.parse(text.slice(CLAIMS_MARK.length, end))));
    },
  ],
  [
    'the result and its claims frozen, nested values not',
    (text) => {
      const result = Object.freeze(JSON.parse(text));
      Object.freeze(result.claims);
      return result;
    },
  ],
  ['`JSON.parse` alone, no freeze (the floor)', (text) => JSON.parse(text)],
];

/** Whether `value` and every object reachable from it are frozen. */
function deeplyFrozen(value) {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(deeplyFrozen);
}

/** The section for bench/profile-<when>.md: CPU µs per token, `alg`, cold. */
export async function freezeForms(fixtures, alg) {
  const tokens = fixtures.tokens[alg];
  const safe = new Map(FORMS.map(([name, form]) => [name, deeplyFrozen(form(resultTexts()(tokens[0])).claims)]));
  const subjects = FORMS.map(([name, form]) => {
    const textOf = resultTexts();
    return [name, { isAsync: false, verify: (token) => form(textOf(token)).claims[READ] }];
  });
  const results = await measureTogether(subjects, tokens, NODE_CLOCKS);
  const cpu = (name) => results.get(name).cpu;
  const [release] = FORMS[0];
  // Within each round, as the targets' ratios are taken (bench/targets.mjs).
  const ratio = (name) => median(results.get(name).rounds.map((x, round) => x / results.get(release).rounds[round]));
  const fastestSafe = FORMS.map(([name]) => name).filter((name) => safe.get(name)).reduce((a, b) => (cpu(b) < cpu(a) ? b : a));
  return [
    `#### Node ${process.version}, ${alg}: the result's freeze`,
    '',
    `CPU µs per token (median of 11 samples, the rows sampled in turn; the ratio is the median of the per-round ratios):`,
    `the token's result text, as the core returns it, made into what the caller gets, then \`claims.${READ}\` read.`,
    'Safe: every object reachable from the claims is frozen, checked on the result, so the caller can change no verified claim.',
    '',
    '| form | safe | µs per token | vs the release |',
    '|---|---|--:|--:|',
    ...FORMS.map(([name]) => `| ${name} | ${safe.get(name) ? 'yes' : 'no'} | ${cpu(name).toFixed(2)} | ${ratio(name).toFixed(2)}× |`),
    '',
    `The fastest safe form in this run: ${fastestSafe}.`,
    '',
  ].join('\n');
}
