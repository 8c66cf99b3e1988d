// Why Node's default path costs more than the core-work row plus node:crypto's
// signature check measured apart: the two run per token, one after the
// other. Measured here alternated per token, then in blocks of tokens (core
// work for each token of a block, then the signature of each): the cost over
// the two measured apart falls as the blocks grow, as it would if each
// evicted the other's code and data from the CPU's caches (this VM exposes
// no hardware counters to show it directly). Part of `make profile` (Node
// only); a measurement, never a test.
import { measureTogether } from './measure.mjs';
import { ROW } from './libraries.mjs';
import { NODE_CLOCKS, nodeLibraries } from './node.mjs';

/** Block sizes after "alternated per token" (1). */
const BLOCKS = [4, 16, 64];

/** One subject that runs `first` for each token and `second` for the same tokens after every `size` of them. */
function inBlocks(first, second, size) {
  const held = [];
  return {
    isAsync: false,
    verify(token) {
      first(token);
      held.push(token);
      if (held.length === size) {
        for (const each of held) second(each);
        held.length = 0;
      }
      return true;
    },
  };
}

/** The section for bench/profile-<when>.md: µs per token (CPU), RS256, cold. */
export async function interference(fixtures, alg) {
  const factories = new Map(nodeLibraries());
  const core = factories.get(ROW.coreWork)(fixtures, alg).verify;
  const signature = factories.get(ROW.nodeCrypto)(fixtures, alg).verify;
  const subjects = [
    [ROW.nodeCrypto, { verify: signature, isAsync: false }],
    [ROW.coreWork, { verify: core, isAsync: false }],
    ['both, alternated per token', inBlocks(core, signature, 1)],
    ...BLOCKS.map((size) => [`both, in blocks of ${size} tokens`, inBlocks(core, signature, size)]),
  ];
  const results = await measureTogether(subjects, fixtures.tokens[alg], NODE_CLOCKS);
  const cpu = (name) => results.get(name).cpu;
  const apart = cpu(ROW.nodeCrypto) + cpu(ROW.coreWork);
  return [
    `#### Node ${process.version}, ${alg}: the core work and node:crypto run together`,
    '',
    'CPU µs per token (median of 11 samples, the rows sampled in turn). "Over the two apart" is the row',
    'less the signature row and the core-work row: what running them together costs on top.',
    '',
    '| how they run | µs per token | over the two apart |',
    '|---|--:|--:|',
    ...subjects.map(([name]) => `| ${name} | ${cpu(name).toFixed(1)} | ${name.startsWith('both') ? (cpu(name) - apart).toFixed(1) : ''} |`),
    '',
  ].join('\n');
}
