// The runtime matrix through `import` (Node ESM, Deno, Bun).
import * as root from '@jwtguard/jwtguard';
import * as worker from '@jwtguard/jwtguard/worker';
import * as hono from '@jwtguard/jwtguard/hono';
import * as express from '@jwtguard/jwtguard/express';
import * as fastify from '@jwtguard/jwtguard/fastify';
import * as display from '@jwtguard/jwtguard/display';
import { report } from './report.mjs';

await report({ root, worker, hono, express, fastify, display });
