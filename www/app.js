/**
 * The decoder page: wires the form controls to the package (imported as
 * `jwtguard`, resolved by the page's import map to the browser entry) and to
 * the page's own modules. Every value from a token is rendered as text.
 * Nothing leaves the page but the GETs of discovery documents and key sets
 * the person approved, one origin at a time (approved-fetch.js).
 */

import { DEFAULT_CLOCK_TOLERANCE, JwtGuardError, discover, inspectToken } from '@jwtguard/jwtguard';
import { explainClaim, explainHeader, isNumericDate, localTime, timePhrase, TIME_CLAIMS } from '@jwtguard/jwtguard/display';
import { approvalNeeded, fetchSession } from './approved-fetch.js';
import { configuration } from './configure.js';
import { copyText, el, replace } from './dom.js';
import { POLICY_FIELDS, fieldsFromPolicy, linkedPolicy, policyFromFields, policyLink } from './policy-form.js';
import { CHECKS, setupReport, verificationReport } from './report.js';
import { timelineFigure } from './timeline-figure.js';
import { timeline } from './timeline.js';
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
    return error;
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
  return null;
}

/** Why the token in the field cannot be decoded, or null. */
let decodeError = null;

function onTokenInput() {
  const token = cleanToken($('token-input').value);
  decodeError = null;
  if (token === '') {
    current = null;
    $('decoded').hidden = true;
    $('token-status').textContent = '';
  } else {
    decodeError = showDecoded(token);
  }
  refresh();
}

function setToken(token, status) {
  $('token-input').value = token;
  onTokenInput();
  if (status && current) $('token-status').textContent = status;
}

/**
 * The link's fragment: `#policy=…` fills the policy form and stays in the
 * address bar; `#token=…` is read once, then removed from the address bar
 * so it is not kept there.
 */
function readFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.has('policy')) readLinkedPolicy();
  const token = params.get('token');
  if (token === null) return;
  const kept = params.has('policy') ? `#${new URLSearchParams({ policy: params.get('policy') })}` : '';
  history.replaceState(null, '', location.pathname + location.search + kept);
  setToken(token, 'Read the token from the link (#token=…) and removed it from the address bar.');
}

function readLinkedPolicy() {
  const status = $('policy-link-status');
  try {
    const fields = fieldsFromPolicy(linkedPolicy(location.hash));
    for (const [id, value] of Object.entries(fields)) $(id).value = value;
    status.textContent = 'Filled the policy from the link (#policy=…).';
  } catch (error) {
    status.textContent = `The policy in the link was not used: ${error.message}.`;
  }
  refresh();
}

/** Puts a link to the page with the form's policy (and nothing else) in the field below the button, and copies it. */
async function copyPolicyLink() {
  $('policy-link').value = policyLink(formPolicy(), location.href);
  $('policy-link-output').hidden = false;
  const copied = await copyText('policy-link');
  $('policy-link-status').textContent = copied
    ? 'Copied a link to this policy. It holds the policy only, not the token.'
    : 'The link to this policy is selected below: copy it. It holds the policy only, not the token.';
}

async function onDrop(event) {
  event.preventDefault();
  event.currentTarget.classList.remove('dragging');
  const [file] = event.dataTransfer.files;
  const text = file ? await file.text() : event.dataTransfer.getData('text/plain');
  setToken(text, file ? `Read the token from ${file.name}.` : null);
}

// ------------------------------------------------------------ verification

/**
 * The policy the form describes (createVerifier options without keys).
 * @returns {any}
 */
const formPolicy = () => policyFromFields(Object.fromEntries(POLICY_FIELDS.map(({ id }) => [id, $(id).value])));

function fillPolicyFromToken() {
  if (!current) return;
  const { iss, aud } = current.claims;
  if (typeof iss === 'string') $('policy-issuer').value = iss;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a) => typeof a === 'string') : [];
  if (audiences.length > 0) $('policy-audience').value = audiences.join('\n');
  refresh();
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

/** An error code that may wrap after each underscore, so that the report fits the right pane. */
const breakableCode = (code) => code.split('_').flatMap((part, index) => (index === 0 ? [part] : ['_', el('wbr'), part]));

function reportTable(checks) {
  const rows = checks.map((check) =>
    el('tr', { class: `check-${check.status}`, 'data-check': check.id }, [
      el('th', { scope: 'row', 'data-label': 'Check' }, [check.title]),
      el('td', { 'data-label': 'Result' }, [el('span', { class: `badge badge-${check.status}` }, [STATUS_LABELS[check.status]])]),
      el('td', { 'data-label': 'Policy' }, check.requirement ? [check.requirement] : []),
      el('td', { 'data-label': 'Code' }, check.code ? [el('code', {}, breakableCode(check.code))] : []),
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

/** Counts the verdict's updates: a verification that ends after a newer one started is dropped. */
let updates = 0;

/** The verdict at the top of the right pane; `state` is also its `data-state`. */
function verdict(state, tone, children) {
  return el('p', { class: `headline headline-${tone}`, id: 'verdict', 'data-state': state }, children);
}

/** Shows `nodes` where the verdict goes, with no report (yet). */
function showPending(...nodes) {
  replace($('verify-result'), ...nodes);
  $('verify-result').setAttribute('aria-busy', 'false');
  replace($('checks'));
  showConfiguration(null);
}

/** The clock tolerance and maxTokenAge the timeline uses: the form's, where it gives usable ones. */
function timelinePolicy(policy) {
  const usable = (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
  return {
    clockTolerance: usable(policy.clockTolerance) ? policy.clockTolerance : DEFAULT_CLOCK_TOLERANCE,
    maxTokenAge: usable(policy.maxTokenAge) ? policy.maxTokenAge : undefined,
  };
}

function showTimeline(policy) {
  const model = current && timeline(current.claims, { now: nowSeconds(), ...timelinePolicy(policy) });
  replace($('timeline-area'), ...(model ? [timelineFigure(model)] : []));
}

/**
 * Brings the right pane up to date with the token and the form: the
 * timeline, and the verdict. With a pasted key set the verifier runs on
 * every change. Keys from discovery are fetched only once the person asks
 * (Verify), so until then the token is decoded only; after that, edits
 * verify again through the same fetches (documents already fetched are
 * reused; a URL on an origin not yet approved is shown and waits).
 */
async function refresh() {
  const update = ++updates;
  const discovering = keySourceChoice() !== 'jwks' && session !== null && current !== null && decodeError === null;
  if (!discovering) endSession();
  const policy = formPolicy();
  showTimeline(policy);
  if (decodeError) {
    showPending(verdict('undecodable', 'fail', ['Cannot decode: ', el('code', {}, [decodeError.code ?? 'error']), ` ${decodeError.message}`]));
    return;
  }
  if (!current) {
    showPending(verdict('empty', 'neutral', ['No token yet: paste one on the left.']));
    return;
  }
  if (discovering) {
    await verifyDiscovered(policy, session, update, false);
    return;
  }
  const jwks = $('jwks-input').value;
  if (keySourceChoice() !== 'jwks' || jwks.trim() === '') {
    const how = keySourceChoice() === 'jwks'
      ? 'paste the issuer\'s key set (JWKS) on the left, and the verdict follows every edit'
      : 'press Verify to see the discovery URL and fetch the keys';
    showPending(verdict('decoded', 'warn', ['Decoded only, ', el('strong', {}, ['not verified']), `: anyone can write these values until the signature is checked. To verify, ${how}.`]));
    return;
  }
  $('verify-result').setAttribute('aria-busy', 'true');
  const report = await verificationReport(current.token, { ...policy, keys: jwks });
  if (update === updates) showReport(report, policy, []);
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
    headline = verdict('setup', 'fail', ['Cannot verify: ', el('code', {}, [report.setupError.code]), ` ${report.setupError.message}`]);
  } else if (report.verified) {
    const { kid, alg } = report.result.key;
    headline = verdict('verified', 'ok', [`Verified: signed by key ${kid ?? '(no kid)'} with ${alg}, and every check of the policy passed.`]);
  } else {
    const failed = report.checks.find((check) => check.status === 'fail');
    const more = report.failures.length - 1;
    headline = verdict('refused', 'fail', [
      'Not verified: ', el('code', {}, [report.error.code]), ` ${report.error.message}`,
      failed ? `. Failed check: ${failed.title}` : '',
      more > 0 ? ` (and ${more} more failed check${more > 1 ? 's' : ''} below)` : '']);
  }
  replace($('verify-result'), headline, ...fetchedList(fetched));
  $('verify-result').setAttribute('aria-busy', 'false');
  replace($('checks'), el('h3', { id: 'checks-heading' }, ['Checks']), reportTable(report.checks));
  showConfiguration(report.verified ? policy : null);
}

/** The issuer whose discovery document holds the keys: the one the policy names, else the token's. */
const discoveryIssuer = (policy) => (policy.issuer.length === 1 ? policy.issuer[0] : current.claims.iss);

/**
 * Verifies with keys from the library's own discover(), fetching through the
 * session. When discover() needs a URL on an origin the person has not
 * approved, shows that URL and waits for a click (focused when `asked`: the
 * person pressed a button, rather than typed in a field). Each attempt makes
 * a new key source, because a source does not retry a failed document within
 * its cooldown; the session hands back the documents it already fetched, so
 * no URL is fetched twice. Shows nothing when a newer update started.
 */
async function verifyDiscovered(policy, fetches, update, asked) {
  $('verify-result').setAttribute('aria-busy', 'true');
  const latest = () => fetches === session && update === updates; // else the person started over
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
      if (latest()) askApproval(url, fetches, asked);
      return;
    }
    report = setupReport(error);
  }
  if (latest()) showReport(report, policy, fetches.fetched);
}

function askApproval(url, fetches, asked) {
  const { origin } = new URL(url);
  const approve = el('button', { type: 'button', id: 'approve-fetch' }, ['Fetch it']);
  const cancel = el('button', { type: 'button', id: 'cancel-fetch', class: 'secondary' }, ['Cancel']);
  approve.addEventListener('click', () => {
    fetches.approve(url);
    replace($('verify-result'), el('p', { class: 'status' }, [`Fetching ${url} …`]), ...fetchedList(fetches.fetched));
    verifyDiscovered(formPolicy(), fetches, ++updates, true);
  });
  cancel.addEventListener('click', () => {
    endSession();
    showPending(verdict('cancelled', 'neutral', ['Cancelled: nothing more was fetched.']));
  });
  replace($('verify-result'), el('div', { class: 'approval', id: 'approval' }, [
    el('p', { class: 'headline' }, ['Fetch this URL from your browser?']),
    el('p', {}, [el('code', { id: 'approval-url' }, [url])]),
    el('p', { class: 'note' }, [
      `Nothing has been fetched from ${origin} yet. Your browser will GET this URL, and the other documents the library needs from the same origin, `,
      `from a hidden frame whose Content-Security-Policy lets it connect to ${origin} only. The token is not sent.`]),
    approve, cancel,
  ]), ...fetchedList(fetches.fetched));
  $('verify-result').setAttribute('aria-busy', 'false');
  if (asked) approve.focus();
}

async function onVerify(event) {
  event.preventDefault();
  if (!current || keySourceChoice() === 'jwks') {
    await refresh();
    return;
  }
  endSession();
  session = fetchSession(document.body);
  await verifyDiscovered(formPolicy(), session, ++updates, true);
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

// ------------------------------------------------------------------- theme

/** The theme chosen on the page, kept in memory only: none (the system's), light or dark. */
function showTheme() {
  const { value } = $('theme-select');
  if (value === '') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = value;
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
  $('copy-policy-link').addEventListener('click', copyPolicyLink);
  // The verdict follows every edit of the keys and the policy.
  $('jwks-input').addEventListener('input', refresh);
  $('policy-fields').addEventListener('input', refresh);
  for (const radio of document.querySelectorAll('input[name="key-source"]')) {
    radio.addEventListener('change', () => {
      endSession(); // approvals belong to the key source they were given for
      showKeySourceChoice();
      refresh();
    });
  }
  $('discovery-url-input').addEventListener('input', () => {
    endSession();
    refresh();
  });
  showKeySourceChoice(); // a reload may keep another choice checked
  $('theme-select').addEventListener('change', showTheme);
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
  if (!current) onTokenInput(); // a reload may keep a token in the field
  document.documentElement.dataset.ready = 'true';
}

wire();
