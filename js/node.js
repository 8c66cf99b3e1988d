/** Node.js entry: instantiates the WebAssembly core synchronously from the package files. */
import { readFileSync } from 'node:fs';
import { initSync } from '../pkg/jwtguard.js';

initSync({ module: readFileSync(new URL('../pkg/jwtguard_bg.wasm', import.meta.url)) });

export * from './api.js';
