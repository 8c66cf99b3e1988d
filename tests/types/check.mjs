// Type-checks the documentation's TypeScript blocks (README.md, docs/: tests/docs.mjs) against the package's own
// declarations, under `strict` and without `skipLibCheck`, with TypeScript 5
// and 4.9 (Hono: 5 only, see SKIPPED), in four settings: Node (`types: ["node"]`), a Cloudflare Worker
// (@cloudflare/workers-types, no Node or DOM types) and Hono (on Workers,
// and in a Node project with only Node's types).
// A block goes to the setting its imports call for: `hono` → Hono,
// `@jwtguard/jwtguard/worker` → Worker, anything else → Node.
// Usage: node tests/types/check.mjs  (exit 1 and tsc's output on an error)
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { codeBlocks } from '../docs.mjs';

const ROOT = new URL('../../', import.meta.url);
const OUT = new URL('../../test-results/types/', import.meta.url);

/** Every ```ts block of the documentation, in order. */
export function readmeTypeScript() {
  return codeBlocks().filter((block) => block.lang === 'ts').map((block) => block.code);
}

/**
 * The settings a block is checked in, from what it imports: Hono blocks
 * also in a Node project, whose types have no Workers or DOM lib.
 */
export function settingsOf(code) {
  const setting = settingOf(code);
  return setting === 'hono' ? ['hono', 'hono-node'] : [setting];
}

/** The setting a block needs, from what it imports. */
export function settingOf(code) {
  if (/from 'hono'/.test(code)) return 'hono';
  if (/from '@jwtguard\/jwtguard\/worker'/.test(code)) return 'worker';
  return 'node';
}

const SETTINGS = {
  node: { types: ['node'], lib: ['es2022'] },
  worker: { types: ['@cloudflare/workers-types'], lib: ['es2022'] },
  hono: { types: ['@cloudflare/workers-types'], lib: ['es2022'] },
  'hono-node': { types: ['node'], lib: ['es2022'] },
};

const COMPILERS = {
  'typescript 5': 'node_modules/typescript/bin/tsc',
  'typescript 4.9': 'node_modules/typescript49/bin/tsc',
};

/**
 * Writes each setting's blocks (one module each) and a tsconfig into
 * test-results/types/<setting>/; returns the settings that have blocks.
 * The folder lies inside the package, so `@jwtguard/jwtguard` resolves to
 * it by its own name through `exports`, as in an app that installed it.
 */
export function writeProjects(blocks) {
  rmSync(OUT, { recursive: true, force: true });
  const bySetting = new Map();
  blocks.forEach((code, index) => {
    for (const setting of settingsOf(code)) {
      if (!bySetting.has(setting)) bySetting.set(setting, []);
      bySetting.get(setting).push({ name: `readme-${index + 1}.ts`, code });
    }
  });
  for (const [setting, files] of bySetting) {
    const dir = new URL(`${setting}/`, OUT);
    mkdirSync(dir, { recursive: true });
    for (const { name, code } of files) writeFileSync(new URL(name, dir), `${code}\nexport {};\n`);
    writeFileSync(new URL('tsconfig.json', dir), JSON.stringify({
      compilerOptions: {
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        target: 'es2022',
        module: 'node16',
        moduleResolution: 'node16',
        ...SETTINGS[setting],
      },
      files: files.map(({ name }) => name),
    }, null, 2));
  }
  return [...bySetting.keys()];
}

/** Runs `compiler` on a setting's project; returns tsc's output, or null when it passes. */
export function check(compiler, setting) {
  try {
    execFileSync(process.execPath, [fileURLToPath(new URL(COMPILERS[compiler], ROOT)), '-p', fileURLToPath(new URL(`${setting}/tsconfig.json`, OUT))], { encoding: 'utf8' });
    return null;
  } catch (error) {
    return `${error.stdout}${error.stderr}`;
  }
}

/** Pairs not checked, with why: Hono 4's own declarations need TypeScript 5. */
export const SKIPPED = {
  'typescript 4.9 hono': 'hono 4 declares its types with TypeScript 5 syntax',
  'typescript 4.9 hono-node': 'hono 4 declares its types with TypeScript 5 syntax',
};

export { COMPILERS };

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const settings = writeProjects(readmeTypeScript());
  let failed = false;
  for (const compiler of Object.keys(COMPILERS)) {
    for (const setting of settings) {
      if (SKIPPED[`${compiler} ${setting}`]) continue;
      const output = check(compiler, setting);
      console.log(`${output === null ? 'ok  ' : 'FAIL'} ${compiler} ${setting}`);
      if (output !== null) {
        failed = true;
        console.log(output);
      }
    }
  }
  process.exitCode = failed ? 1 : 0;
}

/**
 * The README's JavaScript blocks as a project of their own: each block a
 * checked `.js` module (`checkJs`, `strict` but for implicit `any`, which
 * plain JavaScript cannot avoid), with the package's names a fragment uses
 * imported for it and the values it leaves to the reader (`token`,
 * `tenant`, …) declared in reader.d.ts. Returns the project's folder.
 */
export function writeJavaScriptProject() {
  const blocks = codeBlocks().filter((block) => block.lang === 'js' && block.runner === null && !OTHER_TOOLS.test(block.code) && !UNCHECKED_LIBRARIES.test(block.code)).map((block) => block.code);
  const dir = new URL('readme-js/', OUT);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = blocks.map((code, index) => {
    const imports = Object.entries(FRAGMENT_IMPORTS).flatMap(([from, names]) => {
      const missing = names.filter((name) => new RegExp(`\\b${name}\\b`).test(code) && !new RegExp(`import[^;]*\\b${name}\\b[^;]*from`).test(code));
      return missing.length > 0 ? [`import { ${missing.join(', ')} } from '${from}';`] : [];
    });
    const name = `readme-${index + 1}.js`;
    writeFileSync(new URL(name, dir), `${imports.join('\n')}\n${code}\nexport {};\n`);
    return name;
  });
  writeFileSync(new URL('reader.d.ts', dir), READER_VALUES);
  writeFileSync(new URL('tsconfig.json', dir), JSON.stringify({
    compilerOptions: {
      strict: true,
      noImplicitAny: false,
      useUnknownInCatchVariables: false,
      allowJs: true,
      checkJs: true,
      skipLibCheck: false,
      noEmit: true,
      target: 'es2022',
      module: 'node16',
      moduleResolution: 'node16',
      types: ['node'],
      lib: ['es2022', 'dom'],
    },
    files: ['reader.d.ts', ...files],
  }, null, 2));
  return dir;
}

/**
 * Blocks that configure a tool the tests do not install (Vite): parsed by
 * tests/js/readme.test.mjs, not type-checked; so are blocks for another test
 * runner (```` ```js vitest ````), which `make test-recipes` runs.
 */
const OTHER_TOOLS = /^import .* from 'vite';$/m;

/**
 * Blocks whose framework's own declarations do not pass `skipLibCheck:
 * false` under strict TypeScript 5 (Elysia 1.4: TS2536 and TS2344 in its
 * context.d.ts, error.d.ts and index.d.ts; h3 2.0.8: TS4113 in h3.d.mts,
 * and its index.d.mts names crossws, an optional peer not installed): not
 * type-checked here; tests/frameworks/docs-examples.test.mjs runs them
 * (docs/frameworks/elysia.md under Bun, docs/frameworks/h3.md under Node).
 */
const UNCHECKED_LIBRARIES = /^import .* from '(?:elysia|h3)';$/m;

/** Where a fragment's unimported package names come from. */
const FRAGMENT_IMPORTS = {
  '@jwtguard/jwtguard': ['createVerifier', 'entraId', 'fromEnv', 'discover', 'remoteJwks', 'localJwks', 'JwtGuardError', 'inspectToken'],
  '@jwtguard/jwtguard/worker': ['protect', 'gateway'],
  '@jwtguard/jwtguard/express': ['jwtAuth'],
};

/** The values the README's fragments leave to the reader, with the types they must have. */
const READER_VALUES = `// What the documentation's fragments leave to the reader.
declare global {
  const token: string;
  const tenant: string;
  const tenantId: string;
  const clientId: string;
  const api: string;
  const consumerAppId: string;
  const TENANT_ID: string;
  const API_CLIENT_ID: string;
  const issuer: string;
  const audience: string;
  const options: import('@jwtguard/jwtguard').VerifierOptions;
  const handler: (request: Request, env: unknown, ctx: unknown) => Promise<Response>;
  const request: Request;
  const clientCertificate: string;
  const verifier: import('@jwtguard/jwtguard').Verifier;
}
export {};
`;

/** Runs TypeScript 5 on the README's JavaScript project; tsc's output, or null when it passes. */
export function checkJavaScript() {
  const dir = writeJavaScriptProject();
  try {
    execFileSync(process.execPath, [fileURLToPath(new URL(COMPILERS['typescript 5'], ROOT)), '-p', fileURLToPath(new URL('tsconfig.json', dir))], { encoding: 'utf8' });
    return null;
  } catch (error) {
    return `${error.stdout}${error.stderr}`;
  }
}
