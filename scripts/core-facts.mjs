// Writes <out>/facts.js (pkg/ by default) from the freshly built core: the
// error codes with their messages, the policy members and the limits the host
// layer needs. The Rust core is their one source; the JS layer imports them
// from this file. With `--declarations <file> <reference>` (`make facts`) it
// also writes the type unions js/index.d.ts imports (js/facts.d.ts) and the
// generated tables of the reference page (docs/reference.md).
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { factsDeclarations, factsModule, withReferenceTables } from './facts-text.mjs';

const [dir = 'pkg', flag, declarations, reference] = process.argv.slice(2);
const out = pathToFileURL(`${dir}/`);
const { coreFacts, initSync } = await import(new URL('jwtguard.js', out).href);
initSync({ module: readFileSync(new URL('jwtguard_bg.wasm', out)) });
const facts = JSON.parse(coreFacts());

writeFileSync(new URL('facts.js', out), factsModule(facts));
if (flag === '--declarations') {
  writeFileSync(declarations, factsDeclarations(facts));
  writeFileSync(reference, withReferenceTables(readFileSync(reference, 'utf8'), facts));
}
