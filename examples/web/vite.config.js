import { defineConfig } from 'vite';

export default defineConfig({
  // The dev server pre-bundles dependencies, which would move jwtguard's code
  // away from its .wasm file; excluding it keeps `new URL(…, import.meta.url)`
  // pointing at the file. `vite build` needs nothing.
  optimizeDeps: { exclude: ['@jwtguard/jwtguard'] },
  // Only because this example links the package from the repository root
  // (`file:../..`): let the dev server read files there. An app that installs
  // jwtguard from npm does not need this.
  server: { fs: { allow: ['../..'] } },
});
