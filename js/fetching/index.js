/**
 * `jwtguard/fetching`: the limits the key sources fetch under, and their
 * bounded body reader, for a page that fetches on the library's behalf (the
 * decoder page's fetcher frame). No WebAssembly: importing it loads no core.
 */

export { KEY_SOURCE_DEFAULTS } from '../keys/cache.js';
export { textWithin } from '../keys/fetch.js';
