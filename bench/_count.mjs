import { makeFixtures } from './fixtures.mjs';
import { nodeLibraries } from './node.mjs';
const [alg, lib, n] = [process.argv[2], process.argv[3], Number(process.argv[4])];
const fx = await makeFixtures(50);
const s = nodeLibraries().find(([name]) => name === lib)[1](fx, alg);
for (let i = 0; i < 20; i++) await s.verify(fx.tokens[alg][i % 50]);
for (let i = 0; i < n; i++) s.isAsync ? await s.verify(fx.tokens[alg][i % 50]) : s.verify(fx.tokens[alg][i % 50]);
