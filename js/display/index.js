/**
 * `jwtguard/display`: what the command line and the decoder page use to
 * show a token to a person, with the limits the key sources fetch under (for
 * a page that fetches on the library's behalf). No WebAssembly: importing it
 * loads no core.
 */

export { explainBinding, explainClaim, explainHeader, TIME_CLAIMS } from './explain.js';
export { duration, isNumericDate, localTime, relative, timePhrase } from './time.js';
export { KEY_SOURCE_DEFAULTS } from '../keys/cache.js';
export { textWithin } from '../keys/fetch.js';
