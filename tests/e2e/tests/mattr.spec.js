// The MATTR page against the vendor emulator, through the relay (playwright.config.js routes
// tenant.mattr.test and auth.mattr.test to the emulator): the five flows.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InspectPage } from './fixtures/inspect-page.js';

const EMULATOR = `http://127.0.0.1:${process.env.EMULATOR_PORT ?? 9461}/__emulator`;
const TENANT = 'https://tenant.mattr.test';
const CLIENT_ID = 'emulator-client';
const SECRET = 'emulator-secret-not-real';
const CA_PATH = '/v1/ecosystems/certificates/ca';
const NO_IAN = readFileSync(fileURLToPath(new URL('./fixtures/mattr-root-without-ian.pem', import.meta.url)), 'utf8');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

async function emulator(request, path, body) {
  const resp = body === undefined ? await request.get(`${EMULATOR}/${path}`) : await request.post(`${EMULATOR}/${path}`, { data: body });
  expect(resp.ok()).toBeTruthy();
  return resp.json();
}

/** The API calls the emulator answered: "METHOD /path STATUS". */
async function seen(request) {
  return (await emulator(request, 'requests')).requests.map((r) => `${r.method} ${r.path} ${r.status}`);
}

test.beforeEach(async ({ request }) => {
  await emulator(request, 'reset', {});
});

const status = (page, which) => page.getByTestId(`mattr-${which}-status`);
const failure = (page, which) => page.getByTestId(`mattr-${which}-failure`);
const rootsTable = (page) => page.getByRole('table', { name: 'MATTR root CAs' });

async function connect(page) {
  await page.goto('/');
  await page.getByRole('link', { name: 'MATTR' }).click();
  await expect(page).toHaveURL(/\/mattr$/);
  await page.getByLabel('Tenant URL', { exact: true }).fill(TENANT);
  // The auth URL is left empty: derived from the tenant (auth.mattr.test for *.mattr.test).
  await page.getByLabel('Client ID').fill(CLIENT_ID);
  await page.getByLabel('Client secret').fill(SECRET);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByText(`Connected to ${TENANT}.`)).toBeVisible();
  await expect(status(page, 'roots')).toHaveText('Listed 0 root CA certificate(s).');
}

/** No axe violations in the MATTR page as it stands. */
async function accessible(page) {
  const result = await new AxeBuilder({ page }).include('section.mattr').analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Waits for a creation to finish; on failure, the failure panel's text is the error. */
async function created(page) {
  await expect(status(page, 'roots')).toHaveText(/^(Created the managed root CA|Creating a managed root CA failed)/);
  const text = await status(page, 'roots').textContent();
  if (!text.startsWith('Created')) throw new Error(`creation failed: ${await failure(page, 'roots').textContent()}`);
}

async function createManaged(page, org, extra = {}) {
  await page.getByLabel('Organisation name').fill(org);
  for (const [label, value] of Object.entries(extra)) await page.getByLabel(label).fill(value);
  await page.getByRole('button', { name: 'Create root CA' }).click();
}

test('1: a managed root with only an organisation name, listed with matching fingerprints, deactivated and activated', async ({ page, request }) => {
  await connect(page);
  await createManaged(page, 'Example Inc.');
  await expect(status(page, 'roots')).toHaveText(/^Created the managed root CA [0-9a-f-]{36}\.$/);
  // Only the organisation name was sent.
  const row = rootsTable(page).locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('active · managed by MATTR');
  await expect(row).toContainText("notice: MATTR's fingerprint matches the SHA-256 computed here");
  await expect(row).toContainText('O=Example Inc.');
  // A fresh list from MATTR: the same, fingerprints checked again.
  await page.getByRole('button', { name: 'Load all roots' }).click();
  await expect(status(page, 'roots')).toHaveText('Listed 1 root CA certificate(s).');
  await expect(row).toContainText("MATTR's fingerprint matches the SHA-256 computed here");
  await expect(row).not.toHaveClass(/row-error/);

  await row.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/mattr/roots/${UUID.source}$`));
  await expect(status(page, 'object')).toHaveText('Loaded the root CA.');
  await expect(page.getByTestId('mattr-root-state')).toHaveText('active · managed by MATTR');
  await expect(page.getByTestId('mattr-fingerprint-check')).toHaveText("MATTR's fingerprint matches the SHA-256 computed here");
  await accessible(page);
  await page.getByRole('button', { name: 'Deactivate' }).click();
  await expect(status(page, 'object')).toHaveText('The root CA is inactive.');
  await expect(page.getByTestId('mattr-root-state')).toHaveText('inactive · managed by MATTR');
  await page.getByRole('button', { name: 'Activate' }).click();
  await expect(status(page, 'object')).toHaveText('The root CA is active.');
  await expect(page.getByTestId('mattr-root-state')).toHaveText('active · managed by MATTR');
  // Back lands on the list, which shows the state.
  await page.goBack();
  await expect(page).toHaveURL(/\/mattr$/);
  await expect(row).toContainText('active · managed by MATTR');
  // Delete, confirmed: back on the list, which no longer has it.
  await row.getByRole('link').click();
  await page.getByRole('button', { name: 'Delete…' }).click();
  await page.getByRole('button', { name: 'Delete it' }).click();
  await expect(page).toHaveURL(/\/mattr$/);
  await expect(status(page, 'roots')).toHaveText(/^Deleted the root CA [0-9a-f-]{36}\.$/);
  await expect(rootsTable(page).locator('tbody tr')).toHaveCount(0);
  const calls = await seen(request);
  expect(calls.at(-1)).toMatch(/^DELETE \/v1\/ecosystems\/certificates\/ca\/[0-9a-f-]{36} 204$/);
  expect(calls.filter((c) => c.startsWith('PUT '))).toEqual([
    expect.stringMatching(/^PUT \/v1\/ecosystems\/certificates\/ca\/[0-9a-f-]{36} 200$/),
    expect.stringMatching(/^PUT \/v1\/ecosystems\/certificates\/ca\/[0-9a-f-]{36} 200$/),
  ]);
  expect(calls.filter((c) => c.startsWith('POST /oauth/token'))).toEqual(['POST /oauth/token 200']);
});

test('2: a browser-held P-256 root uploaded and activated, a VICAL signer signed in the browser; the root key is in no request', async ({ page, request }) => {
  const sent = [];
  page.on('request', (r) => sent.push(`${r.method()} ${r.url()}\n${JSON.stringify(r.headers())}\n${r.postData() ?? ''}`));
  await connect(page);
  await page.getByRole('form', { name: 'Generate a root CA in this browser' }).getByRole('combobox').selectOption('P-256');
  await page.getByLabel('Root organisation (O)').fill('Own Org');
  await page.getByLabel('Root country (C)').fill('NZ');
  await page.getByLabel('Issuer alternative name (URI: or email:)').fill('URI:https://own.example');
  await page.getByRole('button', { name: 'Generate root CA' }).click();
  await expect(status(page, 'held')).toHaveText(/^Root CA generated with Key 1, which stays in this tab/);
  await expect(page.getByRole('textbox', { name: 'Root CA certificate (PEM)' })).toHaveValue(/-----BEGIN CERTIFICATE-----/);
  await expect(page.getByTestId('mattr-rulepack-ok')).toHaveText("MATTR's rule pack for external roots passes.");
  await page.getByRole('button', { name: 'Upload root CA' }).click();
  await expect(page).toHaveURL(new RegExp(`/mattr/roots/${UUID.source}$`));
  const rootId = page.url().match(UUID)[0];
  await expect(status(page, 'object')).toHaveText('Loaded the root CA.');
  await expect(page.getByTestId('mattr-root-state')).toHaveText('inactive · uploaded (its key is not at MATTR)');
  await expect(page.getByText('Key 1, held in this browser (Keys & certificates)')).toBeVisible();
  await page.getByRole('button', { name: 'Activate' }).click();
  await expect(page.getByTestId('mattr-root-state')).toHaveText('active · uploaded (its key is not at MATTR)');

  // A VICAL signer for it (pre-selected: the root just uploaded).
  await page.getByRole('link', { name: 'Back to all roots and signers' }).click();
  await expect(page.getByLabel('Root CA for the signer')).toHaveValue(rootId);
  await page.getByRole('button', { name: 'Request a VICAL signer' }).click();
  await expect(page).toHaveURL(new RegExp(`/mattr/signers/${UUID.source}$`));
  await expect(page.getByLabel('CSR from MATTR (PEM)')).toHaveValue(/-----BEGIN CERTIFICATE REQUEST-----/);
  await expect(page.getByTestId('mattr-signer-state')).toHaveText('awaiting its certificate');
  // The root's key is pre-selected.
  await expect(page.getByLabel("Root CA's key (held in this browser)")).toHaveValue('1');
  await page.getByRole('button', { name: 'Sign the CSR in this browser' }).click();
  await expect(status(page, 'object')).toHaveText("Signed the CSR with the root CA's key, in this browser. Upload the certificate next.");
  await page.getByRole('button', { name: 'Upload the signed certificate' }).click();
  await expect(status(page, 'object')).toHaveText("Uploaded the VICAL signer's certificate.");
  await expect(page.getByTestId('mattr-signer-state')).toHaveText('active');
  await accessible(page);
  const chain = await page.getByLabel('The signer and its root CA (PEM), to check the chain in Inspect').inputValue();
  expect(chain.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);

  // The signer list shows it active, with its fingerprint.
  await page.getByRole('link', { name: 'Back to all roots and signers' }).click();
  await page.getByRole('button', { name: 'Load all signers' }).click();
  await expect(status(page, 'held')).toHaveText('Listed 1 VICAL signer(s).');
  const signers = page.getByRole('table', { name: 'VICAL signers' }).locator('tbody tr');
  await expect(signers).toHaveCount(1);
  await expect(signers).toContainText(rootId);
  await expect(signers.locator('td').nth(2)).toHaveText('active');
  await expect(signers.locator('td').nth(3)).toHaveText(/^[0-9a-f]{64}$/);

  // Inspect shows the signer chaining to the root.
  await page.getByRole('link', { name: 'Inspect' }).click();
  const inspect = new InspectPage(page);
  await inspect.pasteText(chain);
  await expect(inspect.count).toHaveText('2');
  await page.getByRole('button', { name: 'Order as chain' }).click();
  await expect(page.getByRole('list', { name: 'Chain notes' }).getByRole('listitem')).toHaveText(['The chain has 2 certificate(s), leaf first.']);
  await expect(inspect.rows.nth(0)).toContainText('VICAL Signer');
  await expect(inspect.rows.nth(0)).toContainText('leaf');
  await expect(inspect.rows.nth(1)).toContainText('DTS Root CA');
  await expect(inspect.rows.nth(1)).toContainText('root');

  const calls = await seen(request);
  expect(calls).toEqual(expect.arrayContaining([
    'POST /oauth/token 200', `POST ${CA_PATH} 201`, `PUT ${CA_PATH}/${rootId} 200`,
    'POST /v1/ecosystems/certificates/vical-signers 201', expect.stringMatching(/^PUT \/v1\/ecosystems\/certificates\/vical-signers\/[0-9a-f-]{36} 200$/),
  ]));

  // The root key (exported here, after everything was sent) appears in no request.
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
  await page.getByLabel('Key to export').selectOption({ index: 1 });
  await page.getByLabel('I understand an unencrypted key file is readable by anyone who gets it').check();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download unencrypted key' }).click()]);
  const keyPem = readFileSync(await download.path(), 'utf8');
  expect(keyPem).toContain('-----BEGIN PRIVATE KEY-----');
  const pkcs8 = keyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const d = createPrivateKey(keyPem).export({ format: 'jwk' }).d;
  const dHex = Buffer.from(d, 'base64url').toString('hex');
  const dB64 = Buffer.from(d, 'base64url').toString('base64');
  expect(sent.length).toBeGreaterThan(5);
  for (const r of sent) {
    for (const secret of [pkcs8.slice(0, 60), pkcs8.slice(-60), d, dHex, dB64, 'PRIVATE KEY']) {
      expect(r.includes(secret), `a request carries the root key: ${r.slice(0, 120)}`).toBe(false);
    }
  }
});

test('3: refused before sending: a fourth root, a 21-year notAfter, a past notBefore, a root without an IAN', async ({ page, request }) => {
  await connect(page);
  for (const org of ['One', 'Two', 'Three']) {
    await createManaged(page, org);
    await created(page);
  }
  await expect(rootsTable(page).locator('tbody tr')).toHaveCount(3);
  const before = await seen(request);

  // A fourth root: refused on the form, with the cap's message under the button.
  await createManaged(page, 'Four');
  await expect(failure(page, 'roots')).toContainText('Not sent: fix the fields marked below.');
  await expect(page.locator('#mattr-create-tenant')).toHaveText(/MATTR allows at most 3 DTS root CA certificates per tenant and 3 are listed/);

  // A 21-year notAfter and a past notBefore, each under its field.
  const in21 = new Date(Date.now() + 21 * 365.25 * 86400e3).toISOString().replace(/\.\d+Z$/, 'Z');
  await page.getByLabel('Not after (optional, RFC 3339, at most 20 years away)').fill(in21);
  await page.getByLabel('Not before (optional, RFC 3339)').fill('2020-01-01T00:00:00Z');
  await page.getByRole('button', { name: 'Create root CA' }).click();
  const notAfter = page.getByLabel('Not after (optional, RFC 3339, at most 20 years away)');
  const notBefore = page.getByLabel('Not before (optional, RFC 3339)');
  await expect(notAfter).toHaveAttribute('aria-describedby', 'mattr-create-notAfter');
  await expect(page.locator('#mattr-create-notAfter')).toHaveText(/^at most 20 years after creation: choose .* or earlier$/);
  await expect(notAfter).toHaveAttribute('aria-invalid', 'true');
  await expect(notBefore).toHaveAttribute('aria-describedby', 'mattr-create-notBefore');
  await expect(page.locator('#mattr-create-notBefore')).toHaveText(/^must not be in the past \(it is 2020-01-01T00:00:00Z/);
  await expect(page.locator('#mattr-create-organisationName')).toBeHidden();
  await expect(page.locator('#mattr-create-tenant')).toHaveText(/at most 3/);

  // A root without an issuer alternative name: the rule pack names the field; upload refused.
  await page.getByRole('textbox', { name: 'Root CA certificate (PEM)' }).fill(NO_IAN);
  const findings = page.getByRole('list', { name: 'Rule pack findings' });
  await expect(findings.locator('li[data-field="issuerAlternativeNames"]')).toContainText(
    'issuerAlternativeNames: MATTR requires an Issuer Alternative Name with an email address or a URI (it has none)');
  await expect(findings.locator('li[data-field="serial"]')).toHaveCount(0);
  await page.getByRole('button', { name: 'Upload root CA' }).click();
  await expect(failure(page, 'held')).toContainText("Not sent: the root does not meet MATTR's requirements for an external root");
  await expect(failure(page, 'held')).toContainText('issuerAlternativeNames');
  await expect(page).toHaveURL(/\/mattr$/);
  await accessible(page);
  // Nothing was sent for any of them.
  expect(await seen(request)).toEqual(before);
});

test('4: the public list and a root CRL load without a token; revoked serials show', async ({ page, request }) => {
  await connect(page);
  await createManaged(page, 'Public Inc.');
  await created(page);
  const rootId = (await rootsTable(page).locator('tbody tr').getByRole('link').getAttribute('href')).match(UUID)[0];
  await emulator(request, 'mattr/revoke', { rootId, serialHex: '0badc0de' });
  await emulator(request, 'mattr/revoke', { rootId, serialHex: '1234' });
  await page.getByRole('button', { name: 'Forget the credentials' }).click();
  await expect(page.getByLabel('Client secret')).toHaveValue('');
  const before = (await seen(request)).length;
  const sent = [];
  page.on('request', (r) => sent.push(r));

  // The public list: no token, the fingerprint checked here too.
  await expect(page.getByLabel('Tenant URL (public)')).toHaveValue(TENANT);
  await page.getByRole('button', { name: 'Load the public list' }).click();
  await expect(status(page, 'public')).toHaveText('The public list holds 1 root CA certificate(s).');
  const pub = page.getByRole('table', { name: 'MATTR public root CAs' }).locator('tbody tr');
  await expect(pub).toHaveCount(1);
  await expect(pub).toContainText("MATTR's fingerprint matches the SHA-256 computed here");

  // The root's CRL, by its id: parsed and shown like Inspect shows CRLs.
  await page.getByLabel('Root CA id').fill(rootId);
  await page.getByRole('button', { name: 'Show its CRL' }).click();
  await expect(page).toHaveURL(`/mattr/roots/${rootId}/crl`);
  await expect(status(page, 'crl')).toHaveText('Loaded the CRL: 2 revoked certificate(s).');
  const revoked = page.getByRole('table', { name: 'Revoked certificates of CRL of this root' });
  await expect(revoked.locator('tbody tr td:first-child')).toHaveText(['0badc0de', '1234']);
  await expect(revoked).toContainText('keyCompromise');
  await expect(page.getByRole('article', { name: 'CRL of this root' })).toContainText('O=Public Inc.');

  // The CRL's URL, opened in a fresh page (no connection, no tenant yet): enter the tenant.
  await page.goto(`/mattr/roots/${rootId}/crl`);
  const crlForm = page.getByRole('form', { name: 'Load the CRL' });
  await crlForm.getByLabel('Tenant URL').fill(TENANT);
  await crlForm.getByRole('button', { name: 'Load the CRL' }).click();
  await expect(revoked.locator('tbody tr td:first-child')).toHaveText(['0badc0de', '1234']);

  const calls = (await seen(request)).slice(before);
  expect(calls).toEqual([
    'GET /v1/ecosystems/public/certificates/ca 200', `GET ${CA_PATH}/${rootId}/crl 200`, `GET ${CA_PATH}/${rootId}/crl 200`,
  ]);
  const relayed = sent.filter((r) => r.url().includes('/relay/'));
  expect(relayed).toHaveLength(3);
  for (const r of relayed) expect(await r.allHeaders()).not.toHaveProperty('authorization');
});

test('5: MATTR validation errors land on form fields; a 401 leads to one token refresh, then a clear message', async ({ page, request }) => {
  await connect(page);
  // The emulator's clock runs two days ahead: a notBefore tomorrow passes here, MATTR refuses it.
  await emulator(request, 'clock', { advanceMs: 2 * 86400e3 });
  const tomorrow = new Date(Date.now() + 86400e3).toISOString().replace(/\.\d+Z$/, 'Z');
  await createManaged(page, 'Skewed Inc.', { 'Not before (optional, RFC 3339)': tomorrow, 'Country (optional, ISO 3166-1 alpha-2)': 'NZ' });
  await expect(failure(page, 'roots')).toContainText('MATTR answered http 400: Validation Error');
  await expect(page.locator('#mattr-create-notBefore')).toHaveText(/^must not be in the past/);
  await expect(page.locator('#mattr-create-country')).toBeHidden();
  await expect(page.getByLabel('Not before (optional, RFC 3339)')).toHaveAttribute('aria-invalid', 'true');
  expect((await seen(request)).slice(-1)).toEqual([`POST ${CA_PATH} 400`]);

  // MATTR refuses the token (revoked): one new token, refused again, then a clear message.
  await emulator(request, 'config', { mattrRejectTokens: 2 });
  const before = (await seen(request)).length;
  await page.getByRole('button', { name: 'Load all roots' }).click();
  await expect(failure(page, 'roots')).toContainText('MATTR answered http 401: The token is not valid');
  await expect(failure(page, 'roots')).toContainText('MATTR refused the request with a freshly fetched token too');
  expect((await seen(request)).slice(before)).toEqual([`GET ${CA_PATH} 401`, 'POST /oauth/token 200', `GET ${CA_PATH} 401`]);
  // The refusals are used up: the next call works with the new token (no further token request).
  await page.getByRole('button', { name: 'Load all roots' }).click();
  await expect(status(page, 'roots')).toHaveText('Listed 0 root CA certificate(s).');
  expect((await seen(request)).slice(before + 3)).toEqual([`GET ${CA_PATH} 200`]);
});
