/**
 * `jwtguard/display`: what the command line and the decoder page use to
 * show a token to a person. No WebAssembly: importing it loads no core.
 */

export { explainBinding, explainClaim, explainHeader, TIME_CLAIMS } from './explain.js';
export { duration, isNumericDate, localTime, relative, timePhrase } from './time.js';
