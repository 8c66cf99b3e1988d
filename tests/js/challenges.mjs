// A WWW-Authenticate parser for the tests (RFC 9110 §11.6.1, formerly
// RFC 7235 §4.1): challenges are compared by their parsed parameters, never
// as substrings, so a parameter in the wrong challenge, a duplicate or a
// broken quote fails.

/** RFC 9110 §5.6.2 token. */
const TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
/** RFC 9110 §5.6.4 quoted-string (with quoted-pairs). */
const QUOTED = '"(?:[^"\\\\]|\\\\.)*"';
/** RFC 9110 §11.2 token68. */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
const PARAM = new RegExp(`^(${TOKEN})[ \\t]*=[ \\t]*(${TOKEN}|${QUOTED})$`, 's');
const STARTS_CHALLENGE = new RegExp(`^(${TOKEN})(?:[ ]+(.*))?$`, 's');

/** The comma-separated elements of a header value, commas inside quoted strings kept. */
function elements(header) {
  const items = [];
  let current = '';
  for (let i = 0; i < header.length; i += 1) {
    const char = header[i];
    if (char === '"') {
      const quoted = new RegExp(`^${QUOTED}`, 's').exec(header.slice(i));
      if (!quoted) throw new Error(`WWW-Authenticate ${JSON.stringify(header)}: an unterminated quoted string`);
      current += quoted[0];
      i += quoted[0].length - 1;
    } else if (char === ',') {
      items.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  items.push(current.trim());
  return items.filter((item) => item !== '');
}

const unquote = (value) => (value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/gs, '$1') : value);

/**
 * The challenges of a WWW-Authenticate value: `[{ scheme, params }]`, the
 * scheme lower-cased, each parameter's name lower-cased and its value
 * unquoted; a token68 challenge has `token68` instead. Throws on anything
 * the grammar does not allow, and on a parameter named twice.
 * @param {string} header
 * @returns {{ scheme: string, params: Record<string, string>, token68?: string }[]}
 */
export function parseChallenges(header) {
  const fail = (why) => {
    throw new Error(`WWW-Authenticate ${JSON.stringify(header)}: ${why}`);
  };
  const challenges = [];
  const addParam = (text) => {
    const param = PARAM.exec(text) ?? fail(`${JSON.stringify(text)} is not an auth-param`);
    const challenge = challenges.at(-1) ?? fail('a parameter before any scheme');
    const name = param[1].toLowerCase();
    if (challenge.token68 !== undefined) fail(`a parameter after a token68`);
    if (Object.hasOwn(challenge.params, name)) fail(`parameter ${name} given twice`);
    challenge.params[name] = unquote(param[2]);
  };
  for (const item of elements(header)) {
    if (PARAM.test(item)) {
      addParam(item);
      continue;
    }
    const start = STARTS_CHALLENGE.exec(item) ?? fail(`${JSON.stringify(item)} starts no challenge`);
    const challenge = { scheme: start[1].toLowerCase(), params: {} };
    challenges.push(challenge);
    const rest = start[2]?.trim();
    if (rest === undefined || rest === '') continue;
    if (PARAM.test(rest)) addParam(rest);
    else if (TOKEN68.test(rest)) challenge.token68 = rest;
    else fail(`${JSON.stringify(rest)} is neither a token68 nor an auth-param`);
  }
  if (challenges.length === 0) fail('no challenge');
  return challenges;
}

/** The one challenge of `header` (which must hold exactly one), as `{ scheme, params }`. */
export function parseChallenge(header) {
  const challenges = parseChallenges(header);
  if (challenges.length !== 1) throw new Error(`expected one challenge in ${JSON.stringify(header)}, found ${challenges.length}`);
  return challenges[0];
}
