/**
 * Fetching from the person's browser, only what the person approved.
 *
 * The page's own Content-Security-Policy allows no connection but to its own
 * origin, and a <meta> policy cannot be widened after load. So each approved
 * origin gets a hidden fetcher frame (fetch.html) whose policy allows that
 * origin alone, and `session.fetch` routes a request through it. It is a
 * `fetch` for the library's key sources (`discover`, `remoteJwks`), which
 * keep applying their own rules (issuer match, https, size cap, no
 * redirects, time limit) to what comes back.
 */

/** A request to an origin the person has not approved (yet): the page asks, showing `url`. */
export class ApprovalNeeded extends Error {
  constructor(url) {
    super(`fetching ${url} needs your approval`);
    this.name = 'ApprovalNeeded';
    this.url = url;
  }
}

/** The URL waiting for approval behind a key source's error, or null. */
export const approvalNeeded = (error) => (error?.cause instanceof ApprovalNeeded ? error.cause.url : null);

/** Statuses whose Response must have no body. */
const NULL_BODY = [204, 205];

/**
 * A fetch session: approvals, fetcher frames (appended to `container`) and
 * the answers received, all in memory until `close()`. An answer is reused
 * when the library asks for the same URL again, so that retrying after an
 * approval (with a new key source) does not fetch the discovery document twice.
 */
export function fetchSession(container) {
  const approved = new Set();
  const frames = new Map(); // origin → { frame, ready: Promise<void> }
  const answers = new Map(); // url → answer
  const pending = new Map(); // request id → resolve
  /** Every network fetch, in order: `{ url, status }` or `{ url, error }`. */
  const fetched = [];
  let nextId = 1;

  function onMessage(event) {
    const entry = [...frames.values()].find(({ frame }) => frame.contentWindow === event.source);
    if (event.origin !== location.origin || entry === undefined) return;
    if (event.data?.ready === true) entry.loaded();
    else pending.get(event.data?.id)?.(event.data);
  }
  window.addEventListener('message', onMessage);

  function frameFor(origin) {
    if (!frames.has(origin)) {
      const frame = document.createElement('iframe');
      frame.hidden = true;
      frame.title = `Fetches from ${origin}`;
      frame.src = `fetch.html#${new URLSearchParams({ origin })}`;
      const entry = { frame };
      entry.ready = new Promise((resolve) => { entry.loaded = resolve; });
      frames.set(origin, entry);
      container.append(frame);
    }
    return frames.get(origin);
  }

  async function request(url, accept) {
    const { frame, ready } = frameFor(new URL(url).origin);
    await ready;
    const id = nextId++;
    const answer = await new Promise((resolve) => {
      pending.set(id, resolve);
      frame.contentWindow.postMessage({ id, url, accept }, location.origin);
    });
    pending.delete(id);
    fetched.push(answer.error === undefined ? { url, status: answer.status } : { url, error: answer.error });
    return answer;
  }

  return {
    fetched,
    /** Approves the origin of `url` for the rest of this session. */
    approve(url) {
      approved.add(new URL(url).origin);
    },
    /** A fetch for key sources: `(url, init)` → a Response, or ApprovalNeeded for an origin not approved. */
    async fetch(url, init = {}) {
      if (!approved.has(new URL(url).origin)) throw new ApprovalNeeded(url);
      if (!answers.has(url)) answers.set(url, await request(url, init.headers?.accept ?? 'application/json'));
      const { status, contentType, cacheControl, text, error } = answers.get(url);
      if (error !== undefined) {
        answers.delete(url); // a failure is not reused: asking again fetches again
        throw new TypeError(error);
      }
      const headers = Object.fromEntries(Object.entries({ 'content-type': contentType, 'cache-control': cacheControl }).filter(([, v]) => v !== null));
      return new Response(NULL_BODY.includes(status) ? null : text, { status, headers });
    },
    /** Removes the frames and forgets everything. */
    close() {
      window.removeEventListener('message', onMessage);
      for (const { frame } of frames.values()) frame.remove();
      frames.clear();
      approved.clear();
      answers.clear();
    },
  };
}
