/**
 * The decoder page: wires the form controls to the package (imported as
 * `jwtguard`, resolved by the page's import map to the browser entry) and to
 * the page's own modules. Every value from a token is rendered as text.
 * Nothing leaves the page but the GETs of discovery documents and key sets
 * the person approved, one origin at a time (approved-fetch.js).
 */

import { ANY_TENANT, JwtGuardError, discover, inspectToken } from '@jwtguard/jwtguard';
import { explainClaim, explainHeader, isNumericDate, localTime, timePhrase, TIME_CLAIMS } from '@jwtguard/jwtguard/display';
import { approvalNeeded, fetchSession } from './approved-fetch.js';
import { configuration } from './configure.js';
import { copyText, el, replace } from './dom.js';
import { CHECKS, setupReport, verificationReport } from './report.js';
import { decodeFailure, tokenWarnings } from './warnings.js';
import { WORKSHOP_ALGORITHMS, generateKey, sampleClaims, signToken } from './workshop.js';

/**
 * The element with `id` in index.html: inputs, tables and sections whose kind
 * the page's markup fixes, so the type check does not second-guess it.
 * @param {string} id
 * @returns {any}
 */
const $ = (id) => document.getElementById(id);
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The token being looked at and its decoded parts, or null. */
let current = null;

// ---------------------------------------------------------------- decoding

/** Accepts what people paste: an `Authorization: Bearer` prefix, and line breaks or spaces (never part of a token). */
function cleanToken(text) {
  return text.trim().replace(/^(authorization:\s*)?bearer\s+/i, '').replace(/\s+/g, '');
}

function colouredToken(token) {
  const [header, payload, signature] = token.split('.');
  const dot = () => el('span', { class: 'seg-dot' }, ['.']);
  return [
    el('span', { class: 'seg-header' }, [header]), dot(),
    el('span', { class: 'seg-payload' }, [payload]), dot(),
    el('span', { class: 'seg-signature' }, [signature]),
  ];
}

/** A cell for a value: strings as they are, times with local and relative time, the rest as JSON. */
function valueCell(name, value, now) {
  if (TIME_CLAIMS.includes(name) && isNumericDate(value)) {
    return el('td', { 'data-label': 'Value' }, [
      el('code', {}, [String(value)]),
      el('span', { class: 'time' }, [localTime(value)]),
      el('span', { class: 'relative' }, [timePhrase(name, value, now)]),
    ]);
  }
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return el('td', { 'data-label': 'Value' }, [el('ul', { class: 'values' }, value.map((item) => el('li', {}, [el('code', {}, [item])])))]);
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 1);
  return el('td', { 'data-label': 'Value' }, [el('code', {}, [text])]);
}

function explainedRows(members, explain, now) {
  return Object.entries(members).map(([name, value]) =>
    el('tr', { 'data-name': name }, [
      el('th', { scope: 'row', 'data-label': 'Name' }, [el('code', {}, [name])]),
      valueCell(name, value, now),
      el('td', { 'data-label': 'Meaning' }, [explain(name)]),
    ]));
}

const LEVEL_LABELS = { danger: 'Problem', warn: 'Warning', info: 'Note' };

function warningItems(warnings) {
  if (warnings.length === 0) return [el('li', { class: 'level-ok' }, ['Nothing unusual found in the decoded token.'])];
  return warnings.map(({ id, level, text }) =>
    el('li', { class: `level-${level}`, 'data-warning': id }, [el('strong', {}, [`${LEVEL_LABELS[level]}: `]), text]));
}

function showDecoded(token) {
  const now = nowSeconds();
  let inspection;
  try {
    inspection = inspectToken(token);
  } catch (error) {
    current = null;
    $('decoded').hidden = true;
    $('token-status').textContent = decodeFailure(token, error);
    return;
  }
  current = { token, header: inspection.header, claims: inspection.claims };
  $('token-status').textContent = `Decoded a token of ${token.length} characters.`;
  replace($('token-colour'), ...colouredToken(token));
  replace($('warnings'), ...warningItems(tokenWarnings(inspection.header, inspection.claims, now)));
  $('header-json').textContent = JSON.stringify(inspection.header, null, 2);
  $('payload-json').textContent = JSON.stringify(inspection.claims, null, 2);
  $('signature-info').textContent = `${inspection.signatureLen} bytes, checked only when you verify.`;
  replace($('header-table').tBodies[0], ...explainedRows(inspection.header, explainHeader, now));
  replace($('claims-table').tBodies[0], ...explainedRows(inspection.claims, explainClaim, now));
  $('decoded').hidden = false;
}

function onTokenInput() {
  const token = cleanToken($('token-input').value);
  clearVerification();
  if (token === '') {
    current = null;
    $('decoded').hidden = true;
    $('token-status').textContent = '';
    return;
  }
  showDecoded(token);
}

function setToken(token, status) {
  $('token-input').value = token;
  onTokenInput();
  if (status && current) $('token-status').textContent = status;
}

/** `#token=…` in the link: read once, then removed from the address bar so it is not kept there. */
function readFragment() {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token === null) return;
  history.replaceState(null, '', location.pathname + location.search);
  setToken(token, 'Read the token from the link (#token=…) and removed it from the address bar.');
}

async function onDrop(event) {
  event.preventDefault();
  event.currentTarget.classList.remove('dragging');
  const [file] = event.dataTransfer.files;
  const text = file ? await file.text() : event.dataTransfer.getData('text/plain');
  setToken(text, file ? `Read the token from ${file.name}.` : null);
}

// ------------------------------------------------------------ verification

const splitList = (text) => text.split(/[\s,]+/).filter(Boolean);
const splitLines = (text) => text.split('\n').map((line) => line.trim()).filter(Boolean);

/** The policy the form describes (createVerifier options without keys). */
function formPolicy() {
  const policy = { issuer: splitLines($('policy-issuer').value), audience: splitLines($('policy-audience').value) };
  const fields = { roles: 'roles', scopes: 'scopes', clients: 'clients', 'any-roles': 'anyRoles', 'any-scopes': 'anyScopes', tenants: 'tenants' };
  for (const [id, name] of Object.entries(fields)) {
    const list = splitList($(`policy-${id}`).value);
    if (list.length > 0) policy[name] = list;
  }
  // "Any tenant" is written out as "*", alone.
  if (policy.tenants?.length === 1 && policy.tenants[0] === ANY_TENANT) policy.tenants = ANY_TENANT;
  const tolerance = $('policy-tolerance').value.trim();
  if (tolerance !== '') policy.clockTolerance = Number(tolerance);
  return policy;
}

function fillPolicyFromToken() {
  if (!current) return;
  const { iss, aud } = current.claims;
  if (typeof iss === 'string') $('policy-issuer').value = iss;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a) => typeof a === 'string') : [];
  if (audiences.length > 0) $('policy-audience').value = audiences.join('\n');
}

const STATUS_LABELS = { pass: 'pass', fail: 'fail', 'not-evaluated': 'not evaluated', 'not-required': 'not required' };
const STATUS_REASONS = {
  pass: 'Passed.',
  'not-evaluated': 'Not checked: the verifier stopped at a failure above that cannot be set aside.',
  'not-required': 'The policy does not ask for this check.',
};

function reason({ status, message, setAside }) {
  const text = message ?? STATUS_REASONS[status];
  if (setAside.length === 0 || status === 'not-evaluated') return text;
  return `${text} (Checked after setting aside the failed ${setAside.join(' and ')} check${setAside.length > 1 ? 's' : ''}.)`;
}

function reportTable(checks) {
  const rows = checks.map((check) =>
    el('tr', { class: `check-${check.status}`, 'data-check': check.id }, [
      el('th', { scope: 'row', 'data-label': 'Check' }, [check.title]),
      el('td', { 'data-label': 'Result' }, [el('span', { class: `badge badge-${check.status}` }, [STATUS_LABELS[check.status]])]),
      el('td', { 'data-label': 'Policy' }, check.requirement ? [check.requirement] : []),
      el('td', { 'data-label': 'Code' }, check.code ? [el('code', {}, [check.code])] : []),
      el('td', { 'data-label': 'Reason' }, [reason(check)]),
    ]));
  return el('table', { class: 'report', id: 'report-table' }, [
    el('caption', {}, [`Every check, in the order the verifier runs them (${CHECKS.length} checks).`]),
    el('thead', {}, [el('tr', {}, ['Check', 'Result', 'Policy', 'Code', 'Reason'].map((h) => el('th', { scope: 'col' }, [h])))]),
    el('tbody', {}, rows),
  ]);
}

/** The fetches of the discovery in progress, or null; ended when the person starts over. */
let session = null;

function endSession() {
  session?.close();
  session = null;
}

function clearVerification() {
  endSession();
  replace($('verify-result'));
  showConfiguration(null);
}

/** The chosen key source: `jwks` (pasted), `issuer` (its discovery document) or `url` (a discovery URL). */
const keySourceChoice = () => /** @type {HTMLInputElement} */ (document.querySelector('input[name="key-source"]:checked')).value;

function showKeySourceChoice() {
  for (const part of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-key-source]'))) part.hidden = part.dataset.keySource !== keySourceChoice();
}

/** The URLs fetched so far, with what each answered. */
function fetchedList(fetched) {
  if (fetched.length === 0) return [];
  return [el('div', { class: 'fetched' }, [
    el('h3', { id: 'fetched-heading' }, ['Fetched from your browser']),
    el('ul', { id: 'fetched', 'aria-labelledby': 'fetched-heading' }, fetched.map(({ url, status, error }) =>
      el('li', {}, [el('code', {}, [`GET ${url}`]), ` answered ${error ?? status}`]))),
  ])];
}

function showReport(report, policy, fetched) {
  let headline;
  if (report.setupError) {
    headline = el('p', { class: 'headline headline-fail', id: 'verdict' }, [
      'Cannot verify: ', el('code', {}, [report.setupError.code]), ` ${report.setupError.message}`]);
  } else if (report.verified) {
    const { kid, alg } = report.result.key;
    headline = el('p', { class: 'headline headline-ok', id: 'verdict' }, [
      `Verified: signed by key ${kid ?? '(no kid)'} with ${alg}, and every check of the policy passed.`]);
  } else {
    const more = report.failures.length - 1;
    headline = el('p', { class: 'headline headline-fail', id: 'verdict' }, [
      'Not verified: ', el('code', {}, [report.error.code]), ` ${report.error.message}`,
      more > 0 ? ` (and ${more} more failed check${more > 1 ? 's' : ''} below)` : '']);
  }
  replace($('verify-result'), headline, ...fetchedList(fetched), reportTable(report.checks));
  showConfiguration(report.verified ? policy : null);
}

/** The issuer whose discovery document holds the keys: the one the policy names, else the token's. */
const discoveryIssuer = (policy) => (policy.issuer.length === 1 ? policy.issuer[0] : current.claims.iss);

/**
 * Verifies with keys from the library's own discover(), fetching through the
 * session. When discover() needs a URL on an origin the person has not
 * approved, shows that URL and waits for a click. Each attempt makes a new
 * key source, because a source does not retry a failed document within its
 * cooldown; the session hands back the documents it already fetched, so no
 * URL is fetched twice.
 */
async function verifyDiscovered(policy, fetches) {
  let report;
  try {
    const metadataUrl = keySourceChoice() === 'url' ? $('discovery-url-input').value.trim() : undefined;
    const keys = discover(discoveryIssuer(policy), { metadataUrl, fetch: fetches.fetch });
    await keys.load();
    report = await verificationReport(current.token, { ...policy, keys });
  } catch (error) {
    if (!(error instanceof JwtGuardError)) throw error;
    const url = approvalNeeded(error);
    if (url !== null) {
      if (fetches === session) askApproval(url, policy, fetches);
      return;
    }
    report = setupReport(error);
  }
  if (fetches === session) showReport(report, policy, fetches.fetched); // else the person started over
}

function askApproval(url, policy, fetches) {
  const { origin } = new URL(url);
  const approve = el('button', { type: 'button', id: 'approve-fetch' }, ['Fetch it']);
  const cancel = el('button', { type: 'button', id: 'cancel-fetch', class: 'secondary' }, ['Cancel']);
  approve.addEventListener('click', () => {
    fetches.approve(url);
    replace($('verify-result'), el('p', { class: 'status' }, [`Fetching ${url} …`]), ...fetchedList(fetches.fetched));
    verifyDiscovered(policy, fetches);
  });
  cancel.addEventListener('click', () => {
    endSession();
    replace($('verify-result'), el('p', { class: 'status', id: 'verdict' }, ['Cancelled: nothing more was fetched.']));
  });
  replace($('verify-result'), el('div', { class: 'approval', id: 'approval' }, [
    el('p', { class: 'headline' }, ['Fetch this URL from your browser?']),
    el('p', {}, [el('code', { id: 'approval-url' }, [url])]),
    el('p', { class: 'note' }, [
      `Nothing has been fetched from ${origin} yet. Your browser will GET this URL, and the other documents the library needs from the same origin, `,
      `from a hidden frame whose Content-Security-Policy lets it connect to ${origin} only. The token is not sent.`]),
    approve, cancel,
  ]), ...fetchedList(fetches.fetched));
  approve.focus();
}

async function onVerify(event) {
  event.preventDefault();
  endSession();
  if (!current) {
    replace($('verify-result'), el('p', { class: 'headline headline-fail' }, ['Paste a token above first.']));
    return;
  }
  const policy = formPolicy();
  if (keySourceChoice() === 'jwks') {
    showReport(await verificationReport(current.token, { ...policy, keys: $('jwks-input').value }), policy, []);
    return;
  }
  session = fetchSession(document.body);
  await verifyDiscovered(policy, session);
}

function showConfiguration(policy) {
  $('configure-empty').hidden = policy !== null;
  $('configure-output').hidden = policy === null;
  if (policy === null) return;
  const { policyJson, env, worker, express, fastify } = configuration(policy);
  $('policy-json').textContent = policyJson;
  $('configure-one-issuer').hidden = env !== null;
  $('configure-env').hidden = env === null;
  $('env-vars').textContent = env ?? '';
  $('worker-code').textContent = worker ?? '';
  $('express-code').textContent = express ?? '';
  $('fastify-code').textContent = fastify ?? '';
}

// ---------------------------------------------------------------- workshop

let workshopKey = null;

function resetWorkshopClaims() {
  $('workshop-claims').value = JSON.stringify(sampleClaims(nowSeconds()), null, 2);
}

async function newWorkshopKey() {
  workshopKey = await generateKey($('workshop-alg').value);
  $('workshop-kid').value = workshopKey.kid;
  return workshopKey;
}

function parseJsonObject(text, what) {
  const value = JSON.parse(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what} must be a JSON object`);
  return value;
}

async function onSign(event) {
  event.preventDefault();
  const status = $('workshop-status');
  try {
    const header = parseJsonObject($('workshop-header').value || '{}', 'the header');
    const claims = parseJsonObject($('workshop-claims').value, 'the claims');
    const key = workshopKey?.alg === $('workshop-alg').value ? workshopKey : await newWorkshopKey();
    $('workshop-token').value = await signToken(key, header, claims);
    $('workshop-jwks').value = JSON.stringify(key.jwks, null, 2);
    $('workshop-output').hidden = false;
    status.textContent = `Signed with ${key.alg} key ${key.kid}.`;
  } catch (error) {
    status.textContent = `Cannot sign: ${error.message}`;
  }
}

function useWorkshopToken() {
  $('jwks-input').value = $('workshop-jwks').value;
  setToken($('workshop-token').value, 'Token from the workshop.');
  fillPolicyFromToken();
  $('token-section').scrollIntoView();
  $('token-input').focus();
}

// ------------------------------------------------------------------ wiring

function wire() {
  const input = $('token-input');
  input.addEventListener('input', onTokenInput);
  input.addEventListener('dragover', (event) => {
    event.preventDefault();
    input.classList.add('dragging');
  });
  input.addEventListener('dragleave', () => input.classList.remove('dragging'));
  input.addEventListener('drop', onDrop);
  window.addEventListener('hashchange', readFragment);
  $('verify-form').addEventListener('submit', onVerify);
  $('fill-policy').addEventListener('click', fillPolicyFromToken);
  for (const radio of document.querySelectorAll('input[name="key-source"]')) radio.addEventListener('change', showKeySourceChoice);
  showKeySourceChoice(); // a reload may keep another choice checked
  for (const button of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-copy]'))) {
    button.addEventListener('click', async () => {
      const copied = await copyText(button.dataset.copy);
      button.dataset.state = copied ? 'copied' : 'selected';
    });
  }
  $('workshop-alg').append(...WORKSHOP_ALGORITHMS.map((alg) => el('option', { value: alg }, [alg])));
  $('workshop-header').value = JSON.stringify({ typ: 'at+jwt' });
  resetWorkshopClaims();
  $('workshop-form').addEventListener('submit', onSign);
  $('workshop-new-key').addEventListener('click', () => newWorkshopKey().then((key) => {
    $('workshop-status').textContent = `New ${key.alg} key ${key.kid}; sign again to use it.`;
  }));
  $('workshop-reset').addEventListener('click', resetWorkshopClaims);
  $('workshop-use').addEventListener('click', useWorkshopToken);
  readFragment();
  if (!current && input.value.trim() !== '') onTokenInput();
  document.documentElement.dataset.ready = 'true';
}

wire();
