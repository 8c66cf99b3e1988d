/**
 * `jwtguard/display`: helpers the command line and the decoder page use to
 * show a token to a person. Importing it loads no WebAssembly.
 */

/** The explanation of claim `name`, in a sentence or two. */
export declare function explainClaim(name: string): string;

/** The explanation of JOSE header member `name`. */
export declare function explainHeader(name: string): string;

/** What a bound token (`cnf`) needs to be accepted, in a sentence; null without `cnf`. */
export declare function explainBinding(cnf: unknown): string | null;

/** Claims whose numbers are times: `exp`, `nbf`, `iat`, `auth_time`. */
export declare const TIME_CLAIMS: readonly string[];

/** A duration in seconds (non-negative) as "12 s", "41 min", "3 h 5 min" or "4 days". */
export declare function duration(seconds: number): string;

/** "in 41 min" or "3 min ago": `at` relative to `now`, both Unix seconds. */
export declare function relative(at: number, now: number): string;

/** The local date and time of `at` (Unix seconds), in the reader's locale. */
export declare function localTime(at: number): string;

/** Whether `value` is a NumericDate a person would want to read as a time. */
export declare function isNumericDate(value: unknown): value is number;

/** A phrase for a time claim: "expires in 41 min", "issued 3 min ago", … */
export declare function timePhrase(name: string, at: number, now: number): string;
