// The OpenAI page against the emulator, through the relay: the app calls
// /relay/api.openai.test/v1/..., which the relay (playwright.config.js: --route
// api.openai.test=...) forwards to the emulator's stateful OpenAI module. The four flows of the
// issue: create and activate a CA; issue a client certificate and download it as PKCS#12 while
// no request carries the CA key; manage more than 100 certificates; rule-pack and API errors.
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const EMULATOR = `http://127.0.0.1:${process.env.EMULATOR_PORT ?? 9461}/__emulator`;
const BASE_URL = 'https://api.openai.test/v1';
const ADMIN_KEY = 'sk-admin-emulator-0000000000000000';
const LEAF = readFileSync(fileURLToPath(new URL('../../data/chain/leaf.pem', import.meta.url)), 'utf8');

async function emulator(request, path, body) {
  const resp = body === undefined ? await request.get(`${EMULATOR}/${path}`) : await request.post(`${EMULATOR}/${path}`, { data: body });
  expect(resp.ok()).toBeTruthy();
  return resp.json();
}

/** The API requests the emulator received (method, path, status). */
const apiCalls = async (request) => (await emulator(request, 'requests')).requests.filter((r) => r.path.startsWith('/v1/'));

function openssl(...args) {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  return r.stdout;
}

test.beforeEach(async ({ request }) => {
  await emulator(request, 'reset', {});
  await emulator(request, 'config', { openaiCertificateLimit: 50 });
});

const status = (page) => page.getByTestId('openai-status');
const failure = (page) => page.getByTestId('openai-failure');
const region = (page, name) => page.getByRole('region', { name });

async function connect(page, key = ADMIN_KEY) {
  await page.goto('/');
  await page.getByRole('link', { name: 'OpenAI', exact: true }).click();
  await expect(page).toHaveURL(/\/openai$/);
  await expect(page.getByRole('note').filter({ hasText: 'organization-owner power' })).toBeVisible();
  const form = page.getByRole('form', { name: 'Connect to OpenAI' });
  await form.getByLabel('Base URL').fill(BASE_URL);
  await form.getByLabel('Admin key').fill(key);
  await form.getByRole('button', { name: 'Connect' }).click();
  await expect(status(page)).toHaveText(`Connected to ${BASE_URL}. Load the certificates to list them.`);
  await page.getByLabel('Projects to track (ids, comma separated)').fill('proj_abc');
}

/** Creates a CA in the browser (P-256 by default), uploads it, and returns its id and PEM. */
async function createAndUploadCa(page, algorithm) {
  const ca = region(page, 'Create an mTLS CA in this browser');
  await expect(ca.getByLabel('CA key algorithm')).toHaveValue('P-256');
  await expect(ca.getByLabel('CA key algorithm').locator('option')).toHaveText(['P-256', 'RSA-3072']);
  if (algorithm) await ca.getByLabel('CA key algorithm').selectOption(algorithm);
  await ca.getByRole('button', { name: 'Create CA' }).click();
  await expect(page.getByTestId('openai-ca-status')).toContainText(`CA created in this browser (${algorithm ?? 'P-256'}`, { timeout: 60_000 });
  await expect(page.getByTestId('openai-ca-status')).toContainText('The rule pack passes');
  // The rule pack beside the upload form ran on it.
  await expect(page.getByTestId('openai-ca-rules')).toContainText('Every rule passes.');
  const pem = await page.getByLabel('CA certificate (PEM)', { exact: true }).inputValue();
  expect(pem).toContain('-----BEGIN CERTIFICATE-----');
  await page.getByRole('button', { name: 'Upload certificate' }).click();
  await expect(status(page)).toContainText(/^Uploaded as cert_[0-9a-f]{24}\./);
  await expect(page).toHaveURL(/\/openai\/certificates\/cert_[0-9a-f]{24}$/);
  const id = (await status(page).textContent()).match(/cert_[0-9a-f]{24}/)[0];
  return { id, pem };
}

/** Activates the certificate on screen at `scope` ('' = organization). */
async function activate(page, scope, expected) {
  const view = region(page, /^Certificate cert_/);
  await view.getByLabel('Scope').selectOption(scope);
  await view.getByRole('button', { name: 'Activate', exact: true }).click();
  await expect(status(page)).toHaveText(expected);
}

test('1: create an mTLS CA in the browser, check it, upload it, activate it for a project then the organization', async ({ page, request }) => {
  await connect(page);
  // Custody: without the opt-in nothing is stored (no web storage, no saved secret in the vault).
  expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
  const savedSecrets = await page.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open('certwright');
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('secrets')) return resolve(0);
      const count = db.transaction('secrets').objectStore('secrets').count();
      count.onsuccess = () => resolve(count.result);
    };
    open.onerror = () => resolve(-1);
  }));
  expect(savedSecrets).toBe(0);
  const { id, pem } = await createAndUploadCa(page);
  // Fingerprints are computed in the page from the content: they match the certificate's DER.
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  await expect(page.getByTestId('openai-sha256')).toHaveText(createHash('sha256').update(der).digest('hex'));
  await expect(page.getByTestId('openai-sha1')).toHaveText(createHash('sha1').update(der).digest('hex'));
  await expect(page.getByTestId('openai-active')).toHaveText('inactive');

  await activate(page, 'proj_abc', '1 certificate(s) activated in project proj_abc in 1 call(s).');
  await expect(page.getByTestId('openai-active')).toHaveText('project proj_abc');
  await activate(page, '', '1 certificate(s) activated at the organization in 1 call(s).');
  await expect(page.getByTestId('openai-active')).toHaveText('organization, project proj_abc');

  const calls = (await apiCalls(request)).filter((r) => r.method === 'POST');
  expect(calls.map((r) => `${r.path} ${r.status}`)).toEqual([
    '/v1/organization/certificates 200',
    '/v1/organization/projects/proj_abc/certificates/activate 200',
    '/v1/organization/certificates/activate 200',
  ]);
  // The emulator agrees: active in the project and at the organization.
  await page.getByRole('link', { name: 'All certificates' }).click();
  await page.getByRole('button', { name: 'Load all certificates' }).click();
  await expect(status(page)).toContainText('Listed 1 certificates on 1 page(s)');
  const table = page.getByRole('table', { name: 'OpenAI certificates' });
  await expect(table.locator(`tr[data-key="${id}"]`)).toContainText('organization, project proj_abc');
  // The CA is in the shared workshop.
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
  await expect(page).toHaveURL(/\/keys$/);
  const workshopCert = page.getByRole('region', { name: 'Certificate', exact: true });
  await expect(workshopCert.getByRole('combobox', { name: 'Issuing CA' })).toContainText('certwright OpenAI mTLS CA (OpenAI mTLS CA)');

  // The admin key is saved only after the explicit opt-in, encrypted; it unlocks after a reload.
  await page.getByRole('link', { name: 'OpenAI', exact: true }).click();
  await page.getByRole('button', { name: 'Forget the credentials' }).click();
  const form = page.getByRole('form', { name: 'Connect to OpenAI' });
  await form.getByLabel('Base URL').fill(BASE_URL);
  await form.getByLabel('Admin key').fill(ADMIN_KEY);
  await page.getByLabel("Save the admin key in this browser's key vault, encrypted under a passphrase (off unless you tick it)").check();
  await page.getByLabel('Vault passphrase (at least 8 characters)').fill('vault passphrase 1');
  await form.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('openai-vault')).toHaveText(`The admin key for ${BASE_URL} is saved in this browser's key vault, encrypted under your passphrase.`);
  const stored = await page.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open('certwright');
    open.onsuccess = () => {
      const all = open.result.transaction('secrets').objectStore('secrets').getAll();
      all.onsuccess = () => resolve(JSON.stringify(all.result));
    };
  }));
  expect(stored).toContain('"id":"openai-admin-key"');
  expect(stored).not.toContain(ADMIN_KEY);
  expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
  await page.reload();
  await expect(page.getByText(`An admin key for ${BASE_URL} is saved in this browser, encrypted.`)).toBeVisible();
  await page.getByLabel('Vault passphrase to unlock it').fill('wrong passphrase');
  await page.getByRole('button', { name: 'Unlock and connect' }).click();
  await expect(page.getByTestId('openai-vault')).toHaveText('Unlocking failed: wrong vault passphrase, or the saved record was altered');
  await page.getByLabel('Vault passphrase to unlock it').fill('vault passphrase 1');
  await page.getByRole('button', { name: 'Unlock and connect' }).click();
  await expect(page.getByTestId('openai-vault')).toHaveText(`Connected to ${BASE_URL} with the saved admin key.`);
  await page.getByRole('button', { name: 'Load all certificates' }).click();
  await expect(status(page)).toContainText('Listed 1 certificates on 1 page(s)');
});

test('2: issue a client certificate from that CA and download it as PKCS#12; the CA key is in no request', async ({ page, request }) => {
  const sent = [];
  page.on('request', (r) => sent.push({ url: r.url(), headers: JSON.stringify(r.headers()), body: r.postData() ?? '' }));
  await connect(page);
  const { pem: caPem } = await createAndUploadCa(page);
  await activate(page, 'proj_abc', '1 certificate(s) activated in project proj_abc in 1 call(s).');
  await activate(page, '', '1 certificate(s) activated at the organization in 1 call(s).');

  const client = region(page, 'Issue a client certificate');
  await expect(client.getByLabel('Issuing CA')).toContainText('certwright OpenAI mTLS CA');
  await client.getByLabel('Used at scope').selectOption('proj_abc');
  await client.getByRole('button', { name: 'Issue client certificate' }).click();
  await expect(page.getByTestId('openai-client-status')).toContainText('Client certificate issued by', { timeout: 60_000 });
  await expect(page.getByTestId('openai-client-rules')).toContainText('Every rule passes.');

  const password = 'e2e-p12-password';
  await client.getByTestId('openai-p12-password').fill(password);
  const [download] = await Promise.all([page.waitForEvent('download'), client.getByRole('button', { name: 'Download PKCS#12' }).click()]);
  expect(download.suggestedFilename()).toBe('certwright-OpenAI-client.p12');
  const dir = mkdtempSync(join(tmpdir(), 'openai-p12-'));
  const p12 = join(dir, 'client.p12');
  await download.saveAs(p12);
  await expect(page.getByTestId('openai-client-status')).toContainText('PKCS#12 exported (modern');
  // openssl reads it: the client certificate (issued by the CA), its key, and the CA as chain.
  const certs = openssl('pkcs12', '-in', p12, '-passin', `pass:${password}`, '-nokeys');
  expect(certs).toMatch(/subject=\/?CN ?= ?certwright OpenAI client/);
  expect(certs).toMatch(/issuer=\/?CN ?= ?certwright OpenAI mTLS CA/);
  const blocks = certs.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  expect(blocks).toHaveLength(2);
  const body = (p) => p.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  expect(blocks.map(body)).toContain(body(caPem));
  const keyPem = openssl('pkcs12', '-in', p12, '-passin', `pass:${password}`, '-nocerts', '-nodes');
  const leafFile = join(dir, 'leaf.pem');
  writeFileSync(leafFile, `${blocks.find((b) => body(b) !== body(caPem))}\n`);
  const keyFile = join(dir, 'key.pem');
  writeFileSync(keyFile, keyPem);
  expect(openssl('x509', '-in', leafFile, '-noout', '-pubkey')).toBe(openssl('pkey', '-in', keyFile, '-pubout'));

  // The CA key, exported from the workshop (Key 1 is the CA's): its PEM, its DER in base64 and
  // its private scalar (hex and base64url) appear in no request the page made.
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
  await page.getByLabel('Key to export').selectOption({ label: (await page.getByLabel('Key to export').locator('option', { hasText: 'Key 1 ' }).textContent()).trim() });
  await page.getByLabel('I understand an unencrypted key file is readable by anyone who gets it').check();
  const [keyDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download unencrypted key' }).click()]);
  const caKeyPem = readFileSync(await keyDownload.path(), 'utf8');
  const caKey = createPrivateKey(caKeyPem);
  const caJwk = caKey.export({ format: 'jwk' });
  const caDer = caKey.export({ format: 'der', type: 'pkcs8' });
  // It is the key of the uploaded CA certificate.
  const spki = (k) => k.export({ type: 'spki', format: 'der' }).toString('hex');
  expect(spki(createPublicKey(caKey))).toBe(spki(new X509Certificate(caPem).publicKey));
  const scalar = Buffer.from(caJwk.d, 'base64url');
  const needles = [
    caDer.toString('base64'),
    caDer.toString('base64').slice(0, 60),
    body(caKeyPem).slice(0, 60),
    caJwk.d,
    scalar.toString('hex'),
    scalar.toString('base64'),
  ];
  const api = sent.filter((r) => r.url.includes('/relay/'));
  expect(api.map((r) => new URL(r.url).pathname)).toEqual([
    '/relay/api.openai.test/v1/organization/certificates',
    '/relay/api.openai.test/v1/organization/projects/proj_abc/certificates/activate',
    '/relay/api.openai.test/v1/organization/certificates/activate',
  ]);
  for (const r of sent) {
    const text = `${r.url}\n${r.headers}\n${r.body}`;
    for (const n of needles) expect(text.includes(n), `${r.url} carries the CA key`).toBe(false);
  }
  // Every API request reached the emulator through the relay; none failed.
  const calls = await apiCalls(request);
  expect(calls.length).toBeGreaterThanOrEqual(3);
  expect(calls.every((c) => c.status === 200)).toBeTruthy();
  expect(api.every((r) => r.url.includes('/relay/api.openai.test/v1/'))).toBeTruthy();
});

test('3: more than 100 certificates across pages; rename, deactivate, delete; delete of an active one refused locally; 11 activations in two calls', async ({ page, request }) => {
  await emulator(request, 'config', { openaiSeed: 105 });
  await connect(page);
  await page.getByRole('button', { name: 'Load all certificates' }).click();
  await expect(status(page)).toHaveText('Listed 105 certificates on 2 page(s); fingerprints and expiry computed here from their content.');
  const table = page.getByRole('table', { name: 'OpenAI certificates' });
  await expect(table.locator('tbody tr')).toHaveCount(105);
  await expect(table.locator('tbody tr').first().locator('td[data-label="SHA-256"]')).toHaveText(/^[0-9a-f]{64}$/);
  const listing = (await apiCalls(request)).filter((r) => r.method === 'GET' && r.path === '/v1/organization/certificates');
  expect(listing).toHaveLength(2);

  // Eleven selected activations go out as two calls (10 + 1), each call's result shown.
  for (let i = 1; i <= 11; i++) await table.getByLabel(`Select seed-${String(i).padStart(3, '0')}`).check();
  await expect(page.getByTestId('openai-selection')).toHaveText('11 selected.');
  const before = (await apiCalls(request)).length;
  await page.getByRole('button', { name: 'Activate selected', exact: true }).click();
  await expect(status(page)).toHaveText('11 certificate(s) activated at the organization in 2 call(s).');
  await expect(page.getByRole('list', { name: 'Activation calls' }).locator('li')).toHaveText([
    'Call 1 of 2: 10 certificate(s) activated at the organization.',
    'Call 2 of 2: 1 certificate(s) activated at the organization.',
  ]);
  const activations = (await apiCalls(request)).slice(before);
  expect(activations.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
    'POST /v1/organization/certificates/activate 200',
    'POST /v1/organization/certificates/activate 200',
  ]);
  await expect(table.locator('tr', { hasText: 'seed-011' })).toContainText('organization');

  // Deleting an active certificate is refused here, with the reason; nothing is sent.
  await table.getByRole('link', { name: 'seed-001', exact: true }).click();
  await expect(page).toHaveURL(/\/openai\/certificates\/cert_[0-9a-f]{24}$/);
  const id = page.url().split('/').pop();
  const view = region(page, `Certificate ${id}`);
  await view.getByRole('button', { name: 'Delete' }).click();
  await expect(failure(page)).toContainText(`Not deleted (nothing was sent): ${id} is still active at the organization: deactivate it there first`);
  expect((await apiCalls(request)).filter((r) => r.method === 'DELETE')).toHaveLength(0);

  // Rename, deactivate, delete.
  await view.getByLabel('New name').fill('renamed-001');
  await view.getByRole('button', { name: 'Rename' }).click();
  await expect(status(page)).toHaveText(`Renamed ${id} to renamed-001.`);
  await expect(view.locator('dl')).toContainText('renamed-001');
  await view.getByRole('button', { name: 'Deactivate' }).click();
  await expect(status(page)).toHaveText('1 certificate(s) deactivated at the organization in 1 call(s).');
  await expect(page.getByTestId('openai-active')).toHaveText('inactive');
  await view.getByRole('button', { name: 'Delete' }).click();
  await expect(status(page)).toHaveText('Deleted 1 certificate(s).');
  await expect(page).toHaveURL(/\/openai$/);
  await expect(table.locator('tbody tr')).toHaveCount(104);
  await expect(table.getByText('renamed-001')).toHaveCount(0);
  const calls = await apiCalls(request);
  expect(calls.filter((r) => r.method === 'DELETE').map((r) => `${r.path} ${r.status}`)).toEqual([`/v1/organization/certificates/${id} 200`]);
  expect(calls.some((r) => r.method === 'POST' && r.path === `/v1/organization/certificates/${id}` && r.status === 200)).toBeTruthy();
});

test('4: a rule-pack failure blocks the upload at its field; 400, 401, 404, 409 and 429 each show a clear message with the request id', async ({ page, request }) => {
  await connect(page);
  // A leaf is not a CA: the rule pack says so beside the form and on the certificate field.
  const pemBox = page.getByLabel('CA certificate (PEM)', { exact: true });
  await pemBox.fill(LEAF);
  await expect(page.getByTestId('openai-ca-rules')).toContainText('basicConstraints (error): the CA bit is not set');
  const note = page.locator('#openai-upload-certificate-note');
  await expect(note).toContainText('basicConstraints: the CA bit is not set');
  await expect(pemBox).toHaveAttribute('aria-describedby', 'openai-upload-certificate-note');
  await page.getByRole('button', { name: 'Upload certificate' }).click();
  await expect(failure(page)).toContainText(/Upload blocked: the rule pack found \d+ error\(s\) in the certificate; nothing was sent/);
  await expect(failure(page)).toContainText('basicConstraints: the CA bit is not set');
  expect((await apiCalls(request)).filter((r) => r.method === 'POST')).toHaveLength(0);

  const load = () => page.getByRole('button', { name: 'Load all certificates' }).click();
  // 400 (injected).
  await emulator(request, 'faults', { status: 400, count: 1 });
  await load();
  await expect(failure(page)).toContainText('OpenAI answered http 400: The emulator was told to fail this request.');
  await expect(failure(page).locator('.request-id')).toHaveText('Request id: req_emulator_fault400');
  // 429, twice (the client retries once): the message, the rate-limit state and the request id.
  await emulator(request, 'faults', { status: 429, count: 2, retryAfterMs: 200 });
  await load();
  await expect(failure(page)).toContainText('rate limited: OpenAI answered http 429: Rate limit reached for requests');
  await expect(failure(page).locator('.rate-limit')).toContainText('Rate limit: 0 of 600 requests left');
  await expect(failure(page).locator('.request-id')).toHaveText(/^Request id: req_emulator_rl\d+$/);
  // 409 (real): the same CA uploaded twice.
  await createAndUploadCa(page);
  await page.getByRole('link', { name: 'All certificates' }).click();
  await page.getByRole('button', { name: 'Upload certificate' }).click();
  await expect(failure(page)).toContainText('OpenAI answered http 409: This certificate has already been uploaded as');
  await expect(failure(page).locator('.request-id')).toHaveText(/^Request id: req_[0-9a-f]{32}$/);
  await expect(note).toContainText('This certificate has already been uploaded');
  // 404 (real): a certificate that does not exist, opened by its URL inside the app.
  await page.evaluate(() => {
    history.pushState(null, '', '/openai/certificates/cert_000000000000000000000000');
    dispatchEvent(new PopStateEvent('popstate'));
  });
  await expect(failure(page)).toContainText("OpenAI answered http 404: No certificate found with id 'cert_000000000000000000000000'.");
  await expect(failure(page)).toContainText('certificate_id');
  await expect(failure(page).locator('.request-id')).toHaveText(/^Request id: req_[0-9a-f]{32}$/);
  // 401 (real): a wrong admin key; the key is not shown anywhere.
  await page.getByRole('button', { name: 'Forget the credentials' }).click();
  await connect(page, 'sk-admin-wrong-0000');
  await load();
  await expect(failure(page)).toContainText('OpenAI answered http 401: Incorrect API key provided.');
  await expect(failure(page).locator('.request-id')).toHaveText(/^Request id: req_emulator\d+$/);
  await expect(page.locator('body')).not.toContainText('sk-admin-wrong-0000');
});
