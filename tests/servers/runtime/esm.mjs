// The runtime matrix through `import` (Node ESM, Deno, Bun).
import * as root from 'jwtguard';
import * as worker from 'jwtguard/worker';
import * as hono from 'jwtguard/hono';
import * as express from 'jwtguard/express';
import * as fastify from 'jwtguard/fastify';
import * as display from 'jwtguard/display';
import { report } from './report.mjs';

await report({ root, worker, hono, express, fastify, display });
