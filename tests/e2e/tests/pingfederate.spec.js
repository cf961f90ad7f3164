// The PingFederate page against the emulator's PingFederate module, through the relay
// (playwright.config.js routes pingfederate.emulator.test to the emulator). The app calls
// /relay/pingfederate.emulator.test/pf-admin-api/v1/... with Basic auth and X-XSRF-Header.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const EMU = `http://127.0.0.1:${process.env.EMULATOR_PORT ?? 9461}`;
const USER = 'administrator';
const PASSWORD = '2FederateM0re';
const AUTH = { Authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`, 'X-XSRF-Header': 'PingFederate' };
const ROOT = readFileSync(fileURLToPath(new URL('../../data/chain/root.pem', import.meta.url)), 'utf8');

async function control(request, path, body) {
  const resp = await request.post(`${EMU}/__emulator/${path}`, { data: body });
  expect(resp.ok()).toBeTruthy();
}

/// PingFederate's API on the emulator, straight (not through the page).
async function pf(request, method, path, data) {
  const resp = await request.fetch(`${EMU}/pf-admin-api/v1${path}`, { method, headers: AUTH, data });
  return { status: resp.status(), body: resp.headers()['content-type'] === 'application/json' ? await resp.json() : await resp.text() };
}

test.beforeEach(async ({ request }) => {
  await control(request, 'reset', {});
});

const status = (page, id = 'pf') => page.getByTestId(`${id}-status`);
const generateForm = (page) => page.getByRole('form', { name: 'Generate a signing key pair in PingFederate' });

async function connect(page) {
  await page.goto('/');
  await page.getByRole('link', { name: 'PingFederate' }).click();
  await expect(page).toHaveURL(/\/pingfederate$/);
  await expect(page.getByText('through this origin\'s relay')).toBeVisible();
  await page.getByLabel('Admin API base URL').fill('https://pingfederate.emulator.test');
  await page.getByLabel('Username', { exact: true }).fill(USER);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(status(page)).toContainText('signing key pair(s)');
  await expect(page.getByText('Connected to https://pingfederate.emulator.test/pf-admin-api/v1 (through the relay).')).toBeVisible();
}

async function generate(page, id, { alg = 'EC' } = {}) {
  const form = generateForm(page);
  await form.getByLabel('ID (optional; a-z, 0-9, . _ -)').fill(id);
  await form.getByLabel('Common name (CN)').fill(`${id}.example.com`);
  await form.getByLabel('Organization (O)').fill('Example');
  await form.getByLabel('Country (C, two letters)').fill('US');
  await form.getByLabel(/^Key algorithm/).selectOption(alg);
  await form.getByRole('button', { name: 'Generate key pair' }).click();
}

test('the generate form offers exactly what the catalogue lists, with its defaults', async ({ page, request }) => {
  const catalogue = (await pf(request, 'GET', '/keyPairs/keyAlgorithms')).body.items;
  await connect(page);
  const form = generateForm(page);
  const options = async (label) => form.getByLabel(new RegExp(`^${label}`)).locator('option').allTextContents();
  const selected = async (label) => form.getByLabel(new RegExp(`^${label}`)).evaluate((s) => s.value);
  expect(await options('Key algorithm')).toEqual(catalogue.map((a) => a.name));
  for (const a of catalogue) {
    await form.getByLabel(/^Key algorithm/).selectOption(a.name);
    await expect.poll(() => options('Key size')).toEqual(a.keySizes.map(String));
    expect(await options('Signature algorithm')).toEqual(a.signatureAlgorithms);
    expect(await selected('Key size')).toBe(String(a.defaultKeySize));
    expect(await selected('Signature algorithm')).toBe(a.defaultSignatureAlgorithm);
  }
});

test('generate, then compare fingerprints; a mismatch is an error', async ({ page, request }) => {
  await connect(page);
  await generate(page, 'e2e-sig');
  await expect(page).toHaveURL(/\/pingfederate\/keys\/e2e-sig$/);
  await expect(page.getByTestId('pf-fingerprints')).toHaveText('Both fingerprints match the certificate downloaded from PingFederate.');
  // The computed column is what node computes from the certificate PingFederate serves.
  const pem = (await pf(request, 'GET', '/keyPairs/signing/e2e-sig/certificate')).body;
  const x509 = new X509Certificate(pem);
  const table = page.getByRole('table', { name: 'Fingerprints' });
  const hex = (s) => s.replace(/[^0-9a-f]/gi, '').toLowerCase();
  const sha256Row = table.getByRole('row', { name: /SHA-256/ });
  await expect(sha256Row.getByRole('cell').nth(1)).toHaveText(new RegExp(hex(x509.fingerprint256), 'i'));
  await expect(sha256Row.getByRole('cell').nth(2)).toHaveText('yes');
  const view = (await pf(request, 'GET', '/keyPairs/signing/e2e-sig')).body;
  expect(hex(view.sha256Fingerprint)).toBe(hex(x509.fingerprint256));
  await expect(page.getByRole('table', { name: 'Key pair e2e-sig' }).getByText('fingerprints match')).toBeVisible();

  // PingFederate (here: an interception) reporting another SHA-256 fingerprint: an error.
  await page.getByRole('link', { name: 'All signing key pairs' }).click();
  await page.route('**/relay/pingfederate.emulator.test/pf-admin-api/v1/keyPairs/signing/e2e-sig', async (route) => {
    const resp = await route.fetch();
    const body = await resp.json();
    body.sha256Fingerprint = '00'.repeat(32);
    await route.fulfill({ response: resp, json: body });
  });
  await page.getByRole('table', { name: 'PingFederate signing key pairs' }).getByRole('link', { name: 'e2e-sig' }).click();
  await expect(page.getByTestId('pf-fingerprints')).toContainText('Fingerprint mismatch');
  await expect(page.getByTestId('pf-fingerprints')).toHaveAttribute('role', 'alert');
  await expect(page.getByRole('table', { name: 'Fingerprints' }).getByRole('row', { name: /SHA-256/ }).getByRole('cell').nth(2)).toHaveText('NO');
  await expect(page.getByRole('table', { name: 'Key pair e2e-sig' }).locator('li.error')).toContainText('PingFederate reports 0000');
});

test('rotation settings: both buffers required, and a signature algorithm when the original used SHA-1', async ({ page, request }) => {
  await control(request, 'config', { pingfederate: { seedLegacySha1: true } });
  const sent = [];
  page.on('request', (r) => sent.push(`${r.method()} ${r.url()}`));
  await connect(page);
  const table = page.getByRole('table', { name: 'PingFederate signing key pairs' });
  await expect(table.getByRole('row', { name: /legacy-sha1/ }).locator('li.warning')).toContainText('Signed with SHA-1');
  await table.getByRole('link', { name: 'legacy-sha1' }).click();
  await page.getByRole('link', { name: 'Rotation settings' }).click();
  await expect(page).toHaveURL(/\/pingfederate\/keys\/legacy-sha1\/rotation$/);
  await expect(status(page, 'pf-rot')).toHaveText('legacy-sha1 has no rotation settings yet.');
  await expect(page.getByTestId('pf-rot-sha1')).toContainText('SHA1withRSA');
  // The choices are the catalogue's for the original's algorithm (RSA), after "as the original".
  const rsa = (await pf(request, 'GET', '/keyPairs/keyAlgorithms')).body.items.find((a) => a.name === 'RSA');
  const sig = page.getByLabel('Rotation signature algorithm');
  expect(await sig.locator('option').allTextContents()).toEqual(['Same as the original (SHA1withRSA)', ...rsa.signatureAlgorithms]);
  const creation = page.getByLabel('Creation buffer (days before expiry; required)');
  const activation = page.getByLabel('Activation buffer (days before expiry; required)');
  const save = page.getByRole('button', { name: 'Save rotation settings' });
  await save.click();
  await expect(creation).toHaveAccessibleDescription('required');
  await expect(activation).toHaveAccessibleDescription('required');
  await expect(sig).toHaveAccessibleDescription(/required: the original key pair uses SHA1withRSA/);
  await creation.fill('30');
  await activation.fill('10');
  await save.click();
  await expect(creation).toHaveAccessibleDescription('');
  await expect(sig).toHaveAccessibleDescription(/required/);
  expect(sent.filter((s) => s.startsWith('PUT'))).toEqual([]);
  await sig.selectOption('SHA256withRSA');
  await save.click();
  await expect(status(page, 'pf-rot')).toHaveText('Rotation settings of legacy-sha1 saved.');
  expect(sent.filter((s) => s.startsWith('PUT'))).toHaveLength(1);
  const stored = await pf(request, 'GET', '/keyPairs/signing/legacy-sha1/rotationSettings');
  expect(stored.body).toMatchObject({ creationBufferDays: 30, activationBufferDays: 10, signatureAlgorithm: 'SHA256withRSA' });
  // Back and forward land on the same views.
  await page.goBack();
  await expect(page).toHaveURL(/\/pingfederate\/keys\/legacy-sha1$/);
  await page.goForward();
  await expect(creation).toHaveValue('30');
  await page.getByRole('button', { name: 'Delete rotation settings' }).click();
  await expect(status(page, 'pf-rot')).toHaveText('Rotation settings of legacy-sha1 deleted.');
  expect((await pf(request, 'GET', '/keyPairs/signing/legacy-sha1/rotationSettings')).status).toBe(404);
});

test("sign PingFederate's CSR with a browser CA and import the response", async ({ page, request }) => {
  await connect(page);
  await generate(page, 'e2e-csr');
  await expect(page).toHaveURL(/\/pingfederate\/keys\/e2e-csr$/);
  await page.getByRole('button', { name: "Fetch PingFederate's CSR" }).click();
  await expect(status(page, 'pf-csr')).toHaveText("PingFederate's CSR fetched; its self-signature verifies.");
  await page.getByLabel('New CA name').fill('E2E Browser CA');
  await page.getByRole('button', { name: 'Make a CA in this browser' }).click();
  await expect(status(page, 'pf-csr')).toContainText('CA made in this browser');
  await expect(page.getByLabel(/^Browser CA/)).toContainText('E2E Browser CA');
  const importButton = page.getByRole('button', { name: 'Import the response into PingFederate' });
  // A response for another key is refused before anything is sent.
  await page.getByLabel('CA response (certificate or PKCS#7 chain)', { exact: true }).fill(ROOT);
  await expect(page.getByTestId('pf-csr-check')).toContainText("Not importable: fileData: no certificate in the response holds the CSR's public key");
  await expect(importButton).toBeDisabled();
  await page.getByRole('button', { name: 'Sign the CSR with the browser CA' }).click();
  await expect(status(page, 'pf-csr')).toContainText('Certificate issued by E2E Browser CA');
  await expect(page.getByTestId('pf-csr-check')).toHaveText("The response holds the public key of PingFederate's CSR.");
  const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/keyPairs/signing/e2e-csr/csr'));
  await importButton.click();
  const body = JSON.parse((await posted).postData());
  expect(body.fileData.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  expect(body.fileData).not.toContain('PRIVATE KEY');
  await expect(status(page, 'pf-csr')).toHaveText("The CA's response was imported into e2e-csr; PingFederate kept its key.");
  const view = (await pf(request, 'GET', '/keyPairs/signing/e2e-csr')).body;
  expect(view.issuerDN).toBe('CN=E2E Browser CA');
  await expect(page.locator('dl.facts')).toContainText('CN=E2E Browser CA');
  await expect(page.getByTestId('pf-fingerprints')).toHaveText('Both fingerprints match the certificate downloaded from PingFederate.');
});

test('import a browser key after consent: the key goes only to the import call, encrypted', async ({ page, request }) => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pkcs8Pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  const pkcs8Der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const scalar = Buffer.from(privateKey.export({ format: 'jwk' }).d, 'base64url');
  const sent = [];
  page.on('request', (r) => sent.push({ url: r.url(), method: r.method(), body: r.postDataBuffer() ?? Buffer.alloc(0) }));
  await connect(page);
  // The key enters the browser through the workshop, which issues its certificate.
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
  await page.getByText('Import a private key').click();
  await page.getByLabel('Private key (PEM: PKCS#8, encrypted PKCS#8, PKCS#1 or SEC1)').fill(pkcs8Pem);
  await page.getByRole('button', { name: 'Import key', exact: true }).click();
  await page.getByLabel(/^Subject key/).selectOption({ index: 1 });
  await page.getByLabel('Certificate common name (CN)').fill('browser-signing.example.com');
  await page.getByRole('button', { name: 'Issue certificate' }).click();
  await expect(page.getByTestId('workshop-status')).toContainText('Certificate issued.');
  await page.getByRole('link', { name: 'PingFederate' }).click();

  const form = page.getByRole('form', { name: 'Import a key pair made in this browser' });
  await expect(form).toContainText('This is the only flow in certwright where a private key is sent anywhere.');
  await expect(form.getByLabel(/^Browser key/)).toHaveValue('1');
  const send = form.getByRole('button', { name: 'Send the encrypted key pair to PingFederate' });
  for (const [format, id] of [['PKCS12', 'browser-p12'], ['PEM', 'browser-pem']]) {
    if (id === 'browser-pem') await page.getByRole('link', { name: 'All signing key pairs' }).click();
    await form.getByLabel('File format').selectOption(format);
    await form.getByLabel('Key pair ID in PingFederate (optional)').fill(id);
    await form.getByLabel('File password (the key is encrypted with it)').fill('import-pw-1');
    await expect(send).toBeDisabled();
    await form.getByLabel(/I confirm that this private key is sent to PingFederate/).check();
    await send.click();
    await expect(page).toHaveURL(new RegExp(`/pingfederate/keys/${id}$`));
    await expect(page.getByTestId('pf-fingerprints')).toHaveText('Both fingerprints match the certificate downloaded from PingFederate.');
  }
  // Both arrived with the browser's key and certificate.
  const views = (await pf(request, 'GET', '/keyPairs/signing')).body.items;
  expect(views.map((v) => v.id).sort()).toEqual(['browser-p12', 'browser-pem']);
  expect(views[0].subjectDN).toBe('CN=browser-signing.example.com');
  expect(views[0].sha256Fingerprint).toBe(views[1].sha256Fingerprint);

  // Every recorded request: the plaintext key (PKCS#8 DER, its base64, the scalar) is in none,
  // not even base64-decoded; only the two import calls carry key material, encrypted.
  const der64 = pkcs8Der.toString('base64');
  const lines = pkcs8Pem.split('\n').filter((l) => l && !l.startsWith('-----'));
  const imports = [];
  for (const r of sent) {
    const text = r.body.toString('latin1');
    const decoded = [r.body];
    for (const m of text.matchAll(/"fileData":"([^"]*)"/g)) decoded.push(Buffer.from(m[1], 'base64'));
    for (const b of decoded) {
      expect(b.includes(pkcs8Der), r.url).toBeFalsy();
      expect(b.includes(scalar), r.url).toBeFalsy();
      expect(b.toString('latin1').includes(der64), r.url).toBeFalsy();
      for (const l of lines) expect(b.toString('latin1').includes(l), r.url).toBeFalsy();
    }
    if (/PRIVATE KEY|fileData|password/.test(text)) imports.push({ r, decoded });
  }
  expect(imports.map(({ r }) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
    'POST /relay/pingfederate.emulator.test/pf-admin-api/v1/keyPairs/signing/import',
    'POST /relay/pingfederate.emulator.test/pf-admin-api/v1/keyPairs/signing/import',
  ]);
  const [p12, pem] = imports.map(({ r, decoded }) => ({ json: JSON.parse(r.body.toString()), file: decoded[1] }));
  expect(p12.json.format).toBe('PKCS12');
  expect(p12.file[0]).toBe(0x30);
  expect(pem.json.format).toBe('PEM');
  expect(pem.file.toString()).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
  expect(pem.file.toString()).not.toContain('-----BEGIN PRIVATE KEY-----');
  // The password field was emptied after use.
  await page.getByRole('link', { name: 'All signing key pairs' }).click();
  await expect(form.getByLabel('File password (the key is encrypted with it)')).toHaveValue('');
});

test('a 422 lands on its fields; local findings are shown without sending', async ({ page }) => {
  const sent = [];
  page.on('request', (r) => { if (r.method() === 'POST') sent.push(r.url()); });
  await connect(page);
  const form = generateForm(page);
  await form.getByLabel('ID (optional; a-z, 0-9, . _ -)').fill('Bad Id');
  await form.getByLabel('Country (C, two letters)').fill('usa');
  await form.getByRole('button', { name: 'Generate key pair' }).click();
  await expect(page.getByTestId('pf-gen-failure')).toContainText('Not sent: 4 problem(s)');
  await expect(form.getByLabel('ID (optional; a-z, 0-9, . _ -)')).toHaveAccessibleDescription(/may only hold a-z/);
  await expect(form.getByLabel('Common name (CN)')).toHaveAccessibleDescription('required');
  await expect(form.getByLabel('Organization (O)')).toHaveAccessibleDescription('required');
  await expect(form.getByLabel('Country (C, two letters)')).toHaveAccessibleDescription(/two-letter ISO 3166 code/);
  expect(sent).toEqual([]);
  // The server's 422: a duplicate id, on the id field.
  await generate(page, 'dup');
  await expect(page).toHaveURL(/\/pingfederate\/keys\/dup$/);
  await page.getByRole('link', { name: 'All signing key pairs' }).click();
  await generate(page, 'dup');
  await expect(page.getByTestId('pf-gen-failure')).toContainText('Validation error(s) occurred');
  await expect(generateForm(page).getByLabel('ID (optional; a-z, 0-9, . _ -)')).toHaveAccessibleDescription("A key pair with ID 'dup' already exists.");
  await expect(generateForm(page).getByLabel('Common name (CN)')).toHaveAccessibleDescription('');
  expect(sent.filter((u) => u.endsWith('/keyPairs/signing/generate'))).toHaveLength(2);
});

test('delete a key pair', async ({ page, request }) => {
  await connect(page);
  await generate(page, 'e2e-del');
  await expect(page).toHaveURL(/\/pingfederate\/keys\/e2e-del$/);
  await page.getByRole('button', { name: 'Delete key pair…' }).click();
  await expect(page.getByText('Delete e2e-del from PingFederate? This cannot be undone.')).toBeVisible();
  await page.getByRole('button', { name: 'Yes, delete it' }).click();
  await expect(page).toHaveURL(/\/pingfederate$/);
  await expect(status(page)).toHaveText('0 signing key pair(s); every fingerprint matches.');
  await expect(page.getByRole('table', { name: 'PingFederate signing key pairs' }).getByRole('link', { name: 'e2e-del' })).toHaveCount(0);
  expect((await pf(request, 'GET', '/keyPairs/signing/e2e-del')).status).toBe(404);
});

test('a bearer token connects instead of Basic; a reload lands on the same key pair once connected again', async ({ page, request }) => {
  await control(request, 'config', { pingfederate: { bearerToken: 'pf-e2e-token' } });
  const created = await pf(request, 'POST', '/keyPairs/signing/generate', {
    id: 'e2e-reload', commonName: 'reload.example.com', organization: 'Example', country: 'US', validDays: 30, keyAlgorithm: 'EC',
  });
  expect(created.status).toBe(201);
  const auth = [];
  page.on('request', (r) => { if (r.url().includes('/relay/')) auth.push(r.headers().authorization ?? ''); });
  await page.goto('/pingfederate/keys/e2e-reload');
  await page.getByLabel('Admin API base URL').fill('https://pingfederate.emulator.test');
  await page.getByLabel('Bearer token (instead of username and password)').fill('pf-e2e-token');
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('heading', { name: 'Key pair e2e-reload' })).toBeVisible();
  await expect(page.getByTestId('pf-fingerprints')).toHaveText('Both fingerprints match the certificate downloaded from PingFederate.');
  expect(auth.length).toBeGreaterThan(0);
  expect(auth.every((a) => a === 'Bearer pf-e2e-token')).toBeTruthy();
  // The token field was emptied; after a reload nothing is remembered.
  await page.reload();
  await expect(page.getByLabel('Bearer token (instead of username and password)')).toHaveValue('');
  await expect(page.getByRole('heading', { name: 'Key pair e2e-reload' })).toHaveCount(0);
  await expect(page).toHaveURL(/\/pingfederate\/keys\/e2e-reload$/);
  await page.getByLabel('Admin API base URL').fill('https://pingfederate.emulator.test');
  await page.getByLabel('Bearer token (instead of username and password)').fill('pf-e2e-token');
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('heading', { name: 'Key pair e2e-reload' })).toBeVisible();
});

test('export only on the button, under a password: PEM with an encrypted key, and PKCS#12', async ({ page }) => {
  const posted = [];
  page.on('request', (r) => { if (/\/(pem|pkcs12)$/.test(r.url())) posted.push(r.url()); });
  await connect(page);
  await generate(page, 'e2e-exp');
  await expect(page).toHaveURL(/\/pingfederate\/keys\/e2e-exp$/);
  const button = page.getByRole('button', { name: 'Export and download' });
  await expect(button).toBeDisabled();
  expect(posted).toEqual([]);
  for (const format of ['PEM', 'PKCS12']) {
    await page.getByLabel(/^Export format/).selectOption(format);
    await page.getByLabel('Export password').fill('export-pw-1');
    const download = page.waitForEvent('download');
    await button.click();
    const file = await (await download).path();
    await expect(page.getByLabel('Export password')).toHaveValue('');
    if (format === 'PEM') {
      const text = readFileSync(file, 'utf8');
      expect(text).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
      expect(text).not.toContain('-----BEGIN PRIVATE KEY-----');
    } else {
      // openssl opens it with the password and finds the key pair's certificate.
      const out = execFileSync('openssl', ['pkcs12', '-in', file, '-passin', 'pass:export-pw-1', '-nokeys'], { encoding: 'utf8' });
      expect(out).toMatch(/subject=.*CN = e2e-exp.example.com/);
      expect(out).toContain('friendlyName: e2e-exp');
    }
  }
  expect(posted.map((u) => u.split('/').pop())).toEqual(['pem', 'pkcs12']);
});

test('axe finds no accessibility violations on the list, a key pair and its rotation settings', async ({ page }) => {
  await connect(page);
  await generate(page, 'e2e-axe');
  await expect(page.getByTestId('pf-fingerprints')).toBeVisible();
  const scan = async () => (await new AxeBuilder({ page }).include('section.pingfederate').analyze()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`);
  expect(await scan()).toEqual([]);
  await page.getByRole('link', { name: 'Rotation settings' }).click();
  await expect(page.getByTestId('pf-rot-status')).toContainText('no rotation settings yet');
  expect(await scan()).toEqual([]);
  await page.getByRole('link', { name: 'PingFederate', exact: true }).click();
  await expect(page.getByRole('table', { name: 'PingFederate signing key pairs' }).getByRole('link', { name: 'e2e-axe' })).toBeVisible();
  expect(await scan()).toEqual([]);
});
