import { fileURLToPath } from 'node:url';

/**
 * The repository root: the package this app installs as `file:../../..` lives
 * there, so Turbopack and file tracing must read files up to it.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));

/** @type {import('next').NextConfig} */
export default {
  turbopack: { root },
  outputFileTracingRoot: root,
};
