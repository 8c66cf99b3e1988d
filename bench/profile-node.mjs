// The Node side of bench/profile.mjs, run under `node --cpu-prof`: one case
// of bench/node.mjs (row name, algorithm) over the fixtures' distinct tokens
// for a number of seconds after a warm-up. Prints
// `{ verifications, from, to }`, the loop's bounds on the profile's clock
// (CLOCK_MONOTONIC in µs, as process.hrtime), so the split leaves out
// start-up, signing and warm-up.
//   node --cpu-prof bench/profile-node.mjs <fixtures.json> <row> <alg> <seconds>
import { readFileSync } from 'node:fs';
import { WARM_UP_MS } from './measure.mjs';
import { nodeLibraries } from './node.mjs';

const [file, row, alg, seconds] = process.argv.slice(2);
const fixtures = JSON.parse(readFileSync(file, 'utf8'));
const subject = nodeLibraries().find(([name]) => name === row)[1](fixtures, alg);
const tokens = fixtures.tokens[alg];
const microseconds = () => Number(process.hrtime.bigint() / 1000n);

let next = 0;
const once = async () => {
  const result = subject.isAsync ? await subject.verify(tokens[next]) : subject.verify(tokens[next]);
  if (!result) throw new Error('no result');
  next = (next + 1) % tokens.length;
};
const warmUntil = performance.now() + WARM_UP_MS;
while (performance.now() < warmUntil) await once();

const from = microseconds();
const until = from + Number(seconds) * 1e6;
let verifications = 0;
while (verifications % 64 !== 0 || microseconds() < until) {
  await once();
  verifications += 1;
}
process.stdout.write(JSON.stringify({ verifications, from, to: microseconds() }));
