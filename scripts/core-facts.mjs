// Writes <out>/facts.js (pkg/ by default) from the freshly built core: the
// error codes with their messages, the policy members and the limits the host
// layer needs, and <out>/facts.json, the facts whole, which the tests read.
// The Rust core is their one source; the JS layer imports them from
// facts.js. <from> is a wasm-bindgen output of the binding built with its
// `facts` feature (the `coreFacts()` export; scripts/build-wasm.sh makes
// target-wasm/facts-pkg), which the release wasm leaves out. With
// `--declarations <file> <reference>` (`make facts`) it also writes the type
// unions js/index.d.ts imports (js/facts.d.ts) and the generated tables of
// the reference page (docs/reference.md).
//   node scripts/core-facts.mjs <from> [<out>] [--declarations <file> <reference>]
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { factsDeclarations, factsModule, withReferenceTables } from './facts-text.mjs';

const args = process.argv.slice(2);
const flagAt = args.indexOf('--declarations');
const [from, outDir = from] = flagAt === -1 ? args : args.slice(0, flagAt);
const [declarations, reference] = flagAt === -1 ? [] : args.slice(flagAt + 1);
const source = pathToFileURL(`${from}/`);
const out = pathToFileURL(`${outDir}/`);
const { coreFacts, initSync } = await import(new URL('jwtguard.js', source).href);
if (typeof coreFacts !== 'function') throw new Error(`core-facts: ${from} has no coreFacts(): build the binding with its facts feature`);
initSync({ module: readFileSync(new URL('jwtguard_bg.wasm', source)) });
const text = coreFacts();
const facts = JSON.parse(text);

writeFileSync(new URL('facts.json', out), `${text}\n`);
writeFileSync(new URL('facts.js', out), factsModule(facts));
if (declarations) {
  writeFileSync(declarations, factsDeclarations(facts));
  writeFileSync(reference, withReferenceTables(readFileSync(reference, 'utf8'), facts));
}
