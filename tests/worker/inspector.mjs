// A client for workerd's inspector (Chrome DevTools Protocol over a
// WebSocket), through miniflare's `inspectorPort`: the soak's heap samples
// (tests/soak/run.mjs) and the bench's CPU profiles (bench/profile.mjs).
import WebSocket from 'ws';

/**
 * Connects to the first Worker of `mf` (a Miniflare started with
 * `inspectorPort`). `send(method, params)` resolves with the command's
 * result and rejects with its error; events (heap snapshot chunks) are
 * dropped unread. `close()` when done.
 */
export async function connectInspector(mf) {
  const inspector = await mf.getInspectorURL();
  const [target] = await (await fetch(new URL('/json', inspector.href.replace(/^ws/, 'http')))).json();
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let id = 0;
  const waiting = new Map();
  socket.on('message', (data) => {
    const text = String(data);
    if (!text.startsWith('{"id":')) return;
    const message = JSON.parse(text);
    const pending = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error) pending?.reject(new Error(message.error.message));
    else pending?.resolve(message.result);
  });
  const send = (method, params = {}) => new Promise((resolve, reject) => {
    id += 1;
    waiting.set(id, { resolve, reject });
    socket.send(JSON.stringify({ id, method, params }));
  });
  return { send, close: () => socket.close() };
}
