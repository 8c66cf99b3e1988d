/**
 * The fetcher frame (fetch.html): GETs the URLs its parent page asks for,
 * under the policy fetch-policy.js wrote (connect-src: the one approved
 * origin), and answers `{ id, status, contentType, cacheControl, text }` or
 * `{ id, error }`. The parent's key source (the library's own discovery and
 * JWKS code) then applies the library's rules to the answer; the frame only
 * bounds its own work with the library's time limit and size cap.
 */

// The package's `jwtguard/fetching` entry, by path: this frame's policy
// (fetch-policy.js) allows no inline import map.
import { KEY_SOURCE_DEFAULTS, textWithin } from '../js/fetching/index.js';

const { timeout, maxResponseSize } = KEY_SOURCE_DEFAULTS;
const origin = new URLSearchParams(location.hash.slice(1)).get('origin');

async function get(url, accept) {
  if (new URL(url).origin !== origin) throw new Error(`this frame only fetches from ${origin}`);
  const response = await fetch(url, {
    headers: { accept },
    redirect: 'error', // the library follows no redirects either
    credentials: 'omit',
    cache: 'no-store',
    referrerPolicy: 'no-referrer',
    signal: AbortSignal.timeout(timeout * 1000),
  });
  const text = await textWithin(response, maxResponseSize);
  if (text === null) throw new Error(`the response is over the ${maxResponseSize}-byte limit`);
  return { status: response.status, contentType: response.headers.get('content-type'), cacheControl: response.headers.get('cache-control'), text };
}

/** Why a fetch failed, in words: a browser says only "Failed to fetch" for a network, CORS or policy failure. */
function reason(error) {
  if (error?.name === 'TimeoutError') return `no complete answer within ${timeout} s`;
  if (error instanceof TypeError) return `${error.message} (network error, a redirect, or the server does not let web pages read it: CORS)`;
  return String(error?.message ?? error);
}

async function onMessage(event) {
  // Only the page that opened this frame, from this same origin, may ask.
  if (event.origin !== location.origin || event.source !== window.parent) return;
  const { id, url, accept } = event.data;
  let answer;
  try {
    answer = { id, ...(await get(url, accept)) };
  } catch (error) {
    answer = { id, error: reason(error) };
  }
  window.parent.postMessage(answer, location.origin);
}

// Only inside a frame: opened on its own, its "parent" is itself, and it
// would answer its own messages.
if (window.parent !== window) {
  window.addEventListener('message', onMessage);
  window.parent.postMessage({ ready: true }, location.origin);
}
