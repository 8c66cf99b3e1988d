/**
 * `jwtguard/fetching`: the limits the key sources fetch under, and their
 * bounded body reader, for a page that fetches on the library's behalf.
 * Importing it loads no WebAssembly.
 */

export { KEY_SOURCE_DEFAULTS } from '../index.js';

/**
 * The body as text, or null once it is over `maxBytes` (declared in
 * `Content-Length` or read so far; reading stops there).
 */
export declare function textWithin(response: Response, maxBytes: number): Promise<string | null>;
