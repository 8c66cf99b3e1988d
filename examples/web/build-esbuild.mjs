// Bundles the same app with esbuild, as a check that the package works with
// it too. esbuild keeps `new URL('../pkg/jwtguard_bg.wasm', import.meta.url)`
// as it is (it does not emit assets for it), so the .wasm is copied to that
// path relative to the bundle: dist-esbuild/app/main.js loads
// dist-esbuild/pkg/jwtguard_bg.wasm.
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const out = new URL('dist-esbuild/', import.meta.url);
await rm(out, { recursive: true, force: true });
await build({
  entryPoints: [fileURLToPath(new URL('src/main.js', import.meta.url))],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  outfile: fileURLToPath(new URL('app/main.js', out)),
  logLevel: 'warning',
});
await mkdir(new URL('pkg/', out));
await copyFile(new URL('../pkg/jwtguard_bg.wasm', import.meta.resolve('@jwtguard/jwtguard')), new URL('pkg/jwtguard_bg.wasm', out));
const html = await readFile(new URL('index.html', import.meta.url), 'utf8');
await writeFile(new URL('index.html', out), html.replace('/src/main.js', '/app/main.js'));
console.log(`esbuild: ${fileURLToPath(out)}`);
