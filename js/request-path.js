/**
 * The gateway's canonical request path: the one path a rule is matched
 * against and the forwarded request carries, so the gateway and the origin
 * cannot see two different paths.
 *
 * The normal form is the core's for a DPoP `htu` (src/uri.rs,
 * `normalise_htu`): percent-encoded unreserved characters decoded (RFC 3986
 * §2.3, `%61` is `a`), every other triplet in uppercase hex, dot segments
 * removed (§5.2.4), an empty path `/` (rawPath). A path the core would refuse is
 * refused here too, and so is a path an origin could split, end or walk
 * differently: an encoded `/` or `\`, an encoded NUL, percent-encoded bytes
 * that are not UTF-8 (overlong forms included), and an encoded dot segment
 * (`/%2e%2e/`: a router that decodes but does not resolve, as Hono's on
 * `@hono/node-server`, would route it as `..`).
 * tests/js/request-path.test.mjs holds the table, checked against the core.
 */

/** RFC 3986 §2.3. */
const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** A literal path character: pchar or `/` (RFC 3986 §3.3), as the core's `is_path_char`. */
const PATH_CHAR = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;

/** Encoded bytes refused: `/` and `\` would split a segment at the origin and not here, NUL ends strings. */
const REFUSED_BYTES = new Set([0x2f, 0x5c, 0x00]);

const HEX = /^[0-9A-Fa-f]{2}$/;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

const isDot = (segment) => segment === '.' || segment === '..';

/**
 * Removes `.` and `..` segments from an absolute path (RFC 3986 §5.2.4), as
 * the core's `remove_dot_segments`.
 * @param {string[]} segments the path's segments, after its first `/`
 */
function removeDotSegments(segments) {
  const out = [];
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '..') {
      if (out.length > 0) out.pop();
      if (last) out.push('');
    } else if (segment === '.') {
      if (last) out.push('');
    } else {
      out.push(segment);
    }
  });
  return `/${out.join('/')}`;
}

/**
 * The path of an absolute URL as written: from the first `/` after the
 * authority to the query or fragment, before any parser resolves it.
 * @param {string} url
 */
export function rawPath(url) {
  const [path] = url.slice(url.indexOf('//') + 2).replace(/^[^/?#]*/, '').split(/[?#]/);
  return path === '' ? '/' : path;
}

/**
 * The canonical form of a request path, or null when the path is refused.
 * @param {string} pathname a path as written (rawPath)
 * @returns {string | null}
 */
export function canonicalPath(pathname) {
  let out = '';
  const bytes = [];
  for (let i = 0; i < pathname.length; i += 1) {
    const char = pathname[i];
    if (char === '%') {
      const hex = pathname.slice(i + 1, i + 3);
      if (!HEX.test(hex)) return null;
      const value = parseInt(hex, 16);
      if (REFUSED_BYTES.has(value)) return null;
      const decoded = String.fromCharCode(value);
      out += UNRESERVED.test(decoded) ? decoded : `%${hex.toUpperCase()}`;
      bytes.push(value);
      i += 2;
    } else if (PATH_CHAR.test(char)) {
      out += char;
      bytes.push(char.charCodeAt(0));
    } else {
      return null;
    }
  }
  try {
    strictUtf8.decode(new Uint8Array(bytes));
  } catch {
    return null;
  }
  if (!out.startsWith('/')) return null;
  const segments = out.split('/').slice(1);
  const written = pathname.split('/').slice(1);
  if (segments.some((segment, index) => isDot(segment) && !isDot(written[index]))) return null;
  return removeDotSegments(segments);
}

/**
 * The key a path is matched by: the canonical path with ASCII letters
 * lowercased unless `caseSensitive`, and a final `/` dropped (but for the
 * root) unless `strictSlash`. Only ASCII is folded: Express compares the
 * encoded path, where other letters are `%XX`.
 * @param {string} path a canonical path
 * @param {{ caseSensitive: boolean, strictSlash: boolean }} matching
 */
export function matchKey(path, { caseSensitive, strictSlash }) {
  const cased = caseSensitive ? path : path.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  return !strictSlash && cased.length > 1 && cased.endsWith('/') ? cased.slice(0, -1) : cased;
}
