import { makeFixtures } from './fixtures.mjs';
import { measure, median } from './measure.mjs';
import { nodeLibraries } from './node.mjs';
const fx = await makeFixtures(200);
const libs = nodeLibraries().filter(([n]) => ['jwtguard (cache off)', 'jose', 'node:crypto (signature only)'].includes(n));
const cpuClock = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (const alg of (process.argv[2] ?? 'RS256').split(',')) {
  const res = libs.map(() => []);
  for (let r = 0; r < 8; r++) for (const [i, [, f]] of libs.entries()) { const s = f(fx, alg); res[i].push((await measure(s.verify, fx.tokens[alg], { isAsync: s.isAsync, clock: () => performance.now(), cpuClock, samples: 5, sampleMs: 20 })).cpu); }
  console.log(alg, libs.map(([n], i) => `${n}: min ${Math.min(...res[i]).toFixed(1)} med ${median(res[i]).toFixed(1)}`).join(' | '));
}
