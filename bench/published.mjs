// "How we compare": the peers' own published figures, their machine stated
// and their source cited, beside this run's figures for the nearest case.
// Figures on another machine are not comparable with ours in absolute terms;
// the ratio of a peer to jose on the same page is, roughly, which is why both
// ratios are shown.
import { ROW } from './libraries.mjs';
import { value } from './targets.mjs';

const FAST_JWT_PAGE = 'https://github.com/nearform/fast-jwt/blob/e036d6d623768d2720264eb869148fe64a6ed365/benchmarks/README.md';
const FAST_JWT_MACHINE = 'Apple M1 Pro (~3.1 GHz), Node 24.14.1 arm64-darwin, mitata (mean per iteration)';

/**
 * Published verification figures (µs per verification, no cache), as their
 * page prints them. `here` is the algorithm of this bench nearest to theirs.
 */
export const PUBLISHED = [
  { peer: ROW.fastJwt, alg: 'EdDSA', here: 'EdDSA', us: 86.24, jose: 105.32 },
  { peer: ROW.fastJwt, alg: 'RS512', here: 'RS256', us: 57.13, jose: 77.16 },
  { peer: ROW.fastJwt, alg: 'PS512', here: 'PS256', us: 58.54, jose: 80.12 },
].map((p) => ({ ...p, label: 'fast-jwt 6.2.4, `createVerifier` (sync, no cache)', machine: FAST_JWT_MACHINE, source: FAST_JWT_PAGE }));

/** Peers that publish no figures: what was looked at. */
export const UNPUBLISHED = [
  ['jose 6.2.10', 'publishes no benchmark figures (README and docs at https://github.com/panva/jose/tree/afbc664914bb975709a35bdfe5963a5583b63b2f); its figures above are from fast-jwt\'s page'],
  ['aws-jwt-verify 5.1.1', 'publishes no benchmark figures (README at https://github.com/awslabs/aws-jwt-verify/blob/a7fce8e161291ae7c5c5ed564e7a6b1c2e9ec470/README.md)'],
  ['jsonwebtoken (Rust) 10.4.0', 'has a criterion benchmark of HS256 `decode` only (https://github.com/Keats/jsonwebtoken/blob/6086da74f433abf495601c4e6e6e96f600d13819/benches/jwt.rs) and publishes no figures; HS256 is not a case here'],
];

/** The comparison table in Markdown, with `node` (this run's Node rows) beside the published figures. */
export function comparisonTable(node) {
  const fmt = (us) => (us === null ? '—' : us.toFixed(1));
  const lines = [
    '### How we compare (the peers\' own published figures)',
    '',
    '| peer, case | published µs | published ratio to jose | their machine | this run, the peer (CPU µs) | this run, ratio to jose | this run, jwtguard default, cache off (CPU µs) | source |',
    '|---|--:|--:|---|--:|--:|--:|---|',
  ];
  for (const p of PUBLISHED) {
    const peer = value(node, p.here, 'cold', p.peer);
    const jose = value(node, p.here, 'cold', ROW.jose);
    const own = value(node, p.here, 'cold', ROW.nodeDefaultNoCache);
    const ratio = peer !== null && jose ? `${(peer / jose).toFixed(2)}×` : '—';
    const nearest = p.alg === p.here ? p.alg : `${p.alg} (here ${p.here})`;
    lines.push(`| ${p.label}, ${nearest} | ${p.us} | ${(p.us / p.jose).toFixed(2)}× | ${p.machine} | ${fmt(peer)} | ${ratio} | ${fmt(own)} | [fast-jwt benchmarks](${p.source}) |`);
  }
  lines.push('', ...UNPUBLISHED.map(([peer, note]) => `- ${peer}: ${note}.`));
  lines.push('- This run\'s peer rows: fast-jwt with its cache on but missing (1,200 distinct tokens cycled through its 1,000 entries), the rest as in the Node table below.');
  return lines.join('\n');
}
