// Debian's redis-server (installed by scripts/setup.sh) for the replay-store
// tests: on 127.0.0.1 at a free port, without a config file, persistence or
// append-only file, so nothing is written to disk; killed and started again
// on the same port to show an outage.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { freePort } from '../js/remote/net.mjs';
import { setTimeout as wait } from 'node:timers/promises';

export const REDIS_SERVER = '/usr/bin/redis-server';

/** How often, and how far apart, a starting server is asked PING: 5 s in all. */
const READY_ATTEMPTS = 100;
const READY_STEP_MS = 50;

/** Whether a server on `port` answers PING with PONG (one connection, bounded by a timeout). */
function answersPing(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(READY_STEP_MS * 10, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk;
      if (reply.includes('\r\n')) done(reply === '+PONG\r\n');
    });
  });
}

/**
 * Starts redis-server on a free port of 127.0.0.1 and waits for its PONG.
 * @returns {Promise<{ port: number, url: string, stop(): Promise<void>, restart(): Promise<void> }>}
 */
export async function startRedis() {
  const port = await freePort();
  let child;
  async function start() {
    child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let attempt = 0; attempt < READY_ATTEMPTS && child.exitCode === null; attempt += 1) {
      if (await answersPing(port)) return;
      await wait(READY_STEP_MS);
    }
    await stop();
    throw new Error(`${REDIS_SERVER} did not answer PING on 127.0.0.1:${port}`);
  }
  async function stop() {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, stop, restart: start };
}
