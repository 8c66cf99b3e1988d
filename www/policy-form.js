/**
 * The policy form and the policy link: which field holds which policy
 * member, the policy the fields describe, the fields a policy fills, and the
 * `#policy=` link that carries a policy (never a token) to a colleague.
 * Works on field values, not on the DOM.
 */

import { ANY_TENANT } from '@jwtguard/jwtguard';

/**
 * Each member the form sets, its field, and how the field writes it: `lines`
 * one per line (always in the policy, as the verifier requires issuers and
 * audiences), `list` separated by spaces or commas, `number` a number; those
 * two only when the field is filled.
 */
export const POLICY_FIELDS = Object.freeze([
  { member: 'issuer', id: 'policy-issuer', kind: 'lines' },
  { member: 'audience', id: 'policy-audience', kind: 'lines' },
  { member: 'roles', id: 'policy-roles', kind: 'list' },
  { member: 'scopes', id: 'policy-scopes', kind: 'list' },
  { member: 'anyRoles', id: 'policy-any-roles', kind: 'list' },
  { member: 'anyScopes', id: 'policy-any-scopes', kind: 'list' },
  { member: 'tenants', id: 'policy-tenants', kind: 'list' },
  { member: 'clients', id: 'policy-clients', kind: 'list' },
  { member: 'clockTolerance', id: 'policy-tolerance', kind: 'number' },
  { member: 'maxTokenAge', id: 'policy-max-age', kind: 'number' },
  { member: 'acrValues', id: 'policy-acr-values', kind: 'list' },
  { member: 'maxAuthAge', id: 'policy-max-auth-age', kind: 'number' },
  { member: 'authContext', id: 'policy-auth-context', kind: 'list' },
]);

/** A field's value as the policy member, or undefined when the member is left out. */
const READ = {
  lines: (text) => text.split('\n').map((line) => line.trim()).filter(Boolean),
  list: (text) => {
    const list = text.split(/[\s,]+/).filter(Boolean);
    return list.length > 0 ? list : undefined;
  },
  number: (text) => (text.trim() === '' ? undefined : Number(text.trim())),
};

/**
 * The policy (createVerifier options without keys) that field values
 * describe, keyed by field id.
 * @param {Record<string, string>} values
 */
export function policyFromFields(values) {
  /** @type {Record<string, unknown>} */
  const policy = {};
  for (const { member, id, kind } of POLICY_FIELDS) {
    const value = READ[kind](values[id] ?? '');
    if (value !== undefined) policy[member] = value;
  }
  // "Any tenant" is written out as "*", alone.
  if (Array.isArray(policy.tenants) && policy.tenants.length === 1 && policy.tenants[0] === ANY_TENANT) policy.tenants = ANY_TENANT;
  return policy;
}

const isStrings = (value) => Array.isArray(value) && value.every((item) => typeof item === 'string');

/**
 * The field values that show `policy`, keyed by field id (empty for members
 * it does not set). Throws an Error naming the members the form cannot show.
 * @param {Record<string, unknown>} policy
 */
export function fieldsFromPolicy(policy) {
  const known = new Map(POLICY_FIELDS.map((field) => [field.member, field]));
  const wrong = Object.keys(policy).filter((member) => {
    const field = known.get(member);
    const value = policy[member];
    if (!field) return true;
    if (field.kind === 'number') return typeof value !== 'number' || !Number.isFinite(value);
    return !(typeof value === 'string' || isStrings(value));
  });
  if (wrong.length > 0) throw new Error(`the form cannot show ${wrong.map((m) => JSON.stringify(m)).join(', ')}: each must be a policy member the form has, with a string, a list of strings or a number`);
  return Object.fromEntries(POLICY_FIELDS.map(({ member, id, kind }) => {
    const value = policy[member];
    if (value === undefined) return [id, ''];
    if (kind === 'number') return [id, String(value)];
    const items = typeof value === 'string' ? [value] : /** @type {string[]} */ (value);
    return [id, items.join(kind === 'lines' ? '\n' : ' ')];
  }));
}

/**
 * A link to `page` (its fragment replaced) whose fragment carries `policy`
 * and nothing else: `#policy=<JSON>`.
 * @param {Record<string, unknown>} policy
 * @param {string} page
 */
export function policyLink(policy, page) {
  const url = new URL(page);
  url.hash = new URLSearchParams({ policy: JSON.stringify(policy) }).toString();
  return url.href;
}

/**
 * The policy a link's fragment (`location.hash`) carries, or null when it
 * carries none. Throws an Error when `policy=` is not a JSON object.
 * @param {string} hash
 * @returns {Record<string, unknown> | null}
 */
export function linkedPolicy(hash) {
  const text = new URLSearchParams(hash.replace(/^#/, '')).get('policy');
  if (text === null) return null;
  let policy;
  try {
    policy = JSON.parse(text);
  } catch {
    throw new Error('the link\'s policy is not JSON');
  }
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) throw new Error('the link\'s policy is not a JSON object');
  return policy;
}
