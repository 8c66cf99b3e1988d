// Writes <out>/facts.js (pkg/ by default) from the freshly built core: the
// error codes with their messages, the policy members and the limits the host
// layer needs, and <out>/facts.json, the facts whole, which the tests read.
// The Rust core is their one source; the JS layer imports them from
// facts.js. <from> is the JSON the core's `facts` example prints
// (scripts/build-wasm.sh writes it to target/facts.json). With
// `--declarations <file> <reference>` (`make facts`) it also writes the type
// unions js/index.d.ts imports (js/facts.d.ts) and the generated tables of
// the reference page (docs/reference.md).
//   node scripts/core-facts.mjs <from> [<out>] [--declarations <file> <reference>]
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { factsDeclarations, factsModule, withReferenceTables } from './facts-text.mjs';

const args = process.argv.slice(2);
const flagAt = args.indexOf('--declarations');
const [from, outDir = 'pkg'] = flagAt === -1 ? args : args.slice(0, flagAt);
const [declarations, reference] = flagAt === -1 ? [] : args.slice(flagAt + 1);
const out = pathToFileURL(`${outDir}/`);
const text = readFileSync(from, 'utf8').trim();
const facts = JSON.parse(text);

writeFileSync(new URL('facts.json', out), `${text}\n`);
writeFileSync(new URL('facts.js', out), factsModule(facts));
if (declarations) {
  writeFileSync(declarations, factsDeclarations(facts));
  writeFileSync(reference, withReferenceTables(readFileSync(reference, 'utf8'), facts));
}
