// CA sets against the vendor emulator, through the relay: the app signs EdgeGrid requests in the
// page and sends them to /relay/emulator.akamai.test/..., which the relay (started by
// playwright.config.js with --route) forwards to the emulator, which verifies every signature.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { casetsStatus, createSet, createVersion } from './fixtures/casets-page.js';

const data = (rel) => readFileSync(fileURLToPath(new URL(`../../data/${rel}`, import.meta.url)), 'utf8');
const EDGERC = data('vendors/akamai/emulator.edgerc');
const SECRET = EDGERC.match(/client_secret = (\S+)/)[1];
const CA_A = data('vendors/akamai/ca-a.pem');
const CA_B = data('vendors/akamai/ca-b.pem');
const ROOT = data('chain/root.pem');
const EXPIRED = data('vendors/akamai/expired-ca.pem');
const SHA1 = data('vendors/akamai/sha1-ca.pem');
const EMULATOR = `http://127.0.0.1:${process.env.EMULATOR_PORT ?? 9461}/__emulator`;

async function emulator(request, path, body) {
  const resp = body === undefined ? await request.get(`${EMULATOR}/${path}`) : await request.post(`${EMULATOR}/${path}`, { data: body });
  expect(resp.ok()).toBeTruthy();
  return resp.json();
}

test.beforeEach(async ({ request }) => {
  await emulator(request, 'reset', {});
  await emulator(request, 'config', { activationMs: 3000, retryAfterS: 1 });
});

const status = casetsStatus;
const failure = (page) => page.getByTestId('casets-failure');

async function connect(page) {
  await page.goto('/');
  await page.getByRole('link', { name: 'CA sets' }).click();
  await page.getByLabel('Akamai, through the relay').check();
  await expect(page.getByTestId('relay-hosts')).toHaveText(/^This server's relay forwards to: (.+, )?emulator\.akamai\.test(, .+)?\.$/);
  await page.getByLabel('EdgeGrid credentials (.edgerc text)').fill(EDGERC);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(status(page)).toHaveText('Connected; CA sets listed.');
  // The secret was cleared from the form as soon as the client held it.
  await expect(page.getByLabel('EdgeGrid credentials (.edgerc text)')).toHaveCount(0);
}

test('create a CA set and a version on the emulator; the secret never leaves the page', async ({ page, request }) => {
  const sent = [];
  page.on('request', (r) => sent.push({ url: r.url(), headers: r.headers(), body: r.postData() ?? '' }));
  await connect(page);
  await createSet(page, 'e2e-set');
  await expect(page.getByRole('table', { name: 'CA sets' }).getByRole('link', { name: 'e2e-set' })).toBeVisible();
  await createVersion(page, [CA_A, CA_B], 'Version 1 created with 2 certificates.');
  const certs = page.getByRole('table', { name: 'Certificates of version 1' });
  await expect(certs.locator('tbody tr')).toHaveCount(2);
  await expect(certs).toContainText('CN=certwright CA A');
  await expect(page.getByRole('table', { name: 'Versions' }).locator('tbody tr')).toHaveCount(1);
  // The emulator's rate-limit headers are shown.
  await expect(page.locator('.connected')).toContainText(/Rate limit: \d+ of 600 requests left/);

  // Every API call went through the relay, signed, and the emulator verified each signature.
  // (GET /relay/ itself only lists the relay's hosts.)
  const api = sent.filter((r) => r.url.includes('/relay/') && !r.url.endsWith('/relay/'));
  expect(api.length).toBeGreaterThanOrEqual(4);
  for (const r of api) {
    expect(r.url).toContain('/relay/emulator.akamai.test/mtls-edge-truststore/v2/');
    expect(r.headers.authorization).toMatch(/^EG1-HMAC-SHA256 client_token=akab-emulator-client-token/);
  }
  const seen = (await emulator(request, 'requests')).requests;
  expect(seen.map((r) => r.status)).not.toContain(401);
  expect(seen.some((r) => r.method === 'POST' && r.path.endsWith('/versions') && r.status === 201)).toBeTruthy();
  // Delete the set: the emulator deletes asynchronously and the page polls the delete status.
  await page.getByRole('button', { name: 'Delete CA set' }).click();
  await page.getByRole('button', { name: 'Confirm: delete this CA set' }).click();
  await expect(status(page)).toHaveText('CA set e2e-set deleted.', { timeout: 20_000 });
  await expect(page.getByRole('table', { name: 'CA sets' }).locator('tbody tr')).toHaveCount(0);
  // The client secret is in no request and in no storage.
  for (const r of sent) expect(JSON.stringify(r)).not.toContain(SECRET);
  expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
  // Forgetting the credentials drops the client: the form is back, empty.
  await page.getByRole('button', { name: 'Forget the credentials' }).click();
  await expect(page.getByLabel('EdgeGrid credentials (.edgerc text)')).toHaveValue('');
  await expect(page.getByRole('table', { name: 'CA sets' }).locator('tbody tr')).toHaveCount(0);
});

test('a duplicate version gets the 422, and its link opens the existing version', async ({ page }) => {
  await connect(page);
  await createSet(page, 'dup-set');
  await createVersion(page, [CA_A, CA_B], 'Version 1 created with 2 certificates.');
  await createVersion(page, [CA_B], 'Version 2 created with 1 certificates.');
  // The same certificates as version 1, in another order.
  await page.getByLabel('Version certificates (PEM)').fill(CA_B + CA_A);
  await page.getByRole('button', { name: 'Create version' }).click();
  await expect(failure(page)).toContainText('a version with the same certificates already exists');
  await page.getByRole('button', { name: 'Open the existing version 1' }).click();
  await expect(status(page)).toHaveText('Version 1 opened.');
  await expect(page.getByRole('table', { name: 'Certificates of version 1' }).locator('tbody tr')).toHaveCount(2);
});

test('an expired and a SHA-1 certificate are reported on their rows and not uploaded', async ({ page, request }) => {
  await connect(page);
  await createSet(page, 'bad-set');
  await page.getByLabel('Version certificates (PEM)').fill(ROOT + EXPIRED + SHA1);
  await page.getByRole('button', { name: 'Create version' }).click();
  await expect(failure(page)).toContainText('the local check found 2 errors');
  const table = page.getByRole('table', { name: 'Local check' });
  const row = (i) => table.locator(`tr[data-key="/certificates/${i}"]`);
  await expect(row(0)).not.toHaveClass(/row-error/);
  await expect(row(1)).toHaveClass(/row-error/);
  await expect(row(1)).toContainText('The certificate has expired.');
  await expect(row(1)).toContainText('CN=certwright Expired CA');
  await expect(row(2)).toHaveClass(/row-error/);
  await expect(row(2)).toContainText('SHA-256 or better is needed unless allowInsecureSha1 is set');
  const seen = (await emulator(request, 'requests')).requests;
  expect(seen.filter((r) => r.path.endsWith('/versions') && r.method === 'POST')).toHaveLength(0);
  // Akamai's own dry run (POST /certificates/validate) puts its 400's errors on the same rows.
  await page.getByRole('button', { name: 'Check with Akamai' }).click();
  await expect(status(page)).toHaveText("Akamai's check found 2 errors; they are marked on the rows below.");
  await expect(row(0)).not.toHaveClass(/row-error/);
  await expect(row(1)).toContainText('The certificate has expired.');
  await expect(row(2)).toContainText('insecure');
  // With allowInsecureSha1 and without the expired one, it goes through.
  await page.getByLabel('Allow SHA-1 signatures').check();
  await createVersion(page, [ROOT, SHA1], 'Version 1 created with 2 certificates.');
  await expect(page.getByRole('table', { name: 'Certificates of version 1' })).toContainText('A SHA-1 signature is accepted');
});

test('activate to staging with live progress, then clone the active version and edit the clone', async ({ page }) => {
  await connect(page);
  await createSet(page, 'live-set');
  await createVersion(page, [CA_A], 'Version 1 created with 1 certificates.');
  await page.getByRole('button', { name: 'Activate on staging' }).click();
  const progress = page.getByRole('progressbar', { name: 'Activation progress' });
  await expect(progress).toBeVisible();
  await expect(page.locator('.activation-status')).toContainText('InProgress');
  // Stop following (the activation goes on at the emulator), then follow it again.
  await page.getByRole('button', { name: 'Stop following' }).click();
  await expect(status(page)).toContainText('Stopped following the activation of version 1');
  await page.getByRole('button', { name: 'Follow progress' }).click();
  await expect(status(page)).toHaveText('Version 1: Activate on Staging complete.', { timeout: 30_000 });
  await expect(progress).toHaveAttribute('value', '100');
  await expect(page.getByRole('table', { name: 'Versions' }).locator('tbody tr').first()).toContainText('STAGING');
  await expect(page.getByRole('table', { name: 'CA sets' })).toContainText('staging v1');

  // Deactivate on staging and activate again, so the clone below starts from an active version.
  await page.getByRole('button', { name: 'Deactivate on staging' }).click();
  await expect(status(page)).toHaveText('Version 1: Deactivate on Staging complete.', { timeout: 30_000 });
  await expect(page.getByRole('table', { name: 'CA sets' })).not.toContainText('staging v1');
  await page.getByRole('button', { name: 'Activate on staging' }).click();
  await expect(status(page)).toHaveText('Version 1: Activate on Staging complete.', { timeout: 30_000 });

  // An active version cannot be edited: only cloned.
  await expect(page.getByRole('button', { name: 'Edit version' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Clone and edit' }).click();
  await expect(status(page)).toHaveText('Version 1 cloned as version 2.');
  await expect(page.getByRole('heading', { name: 'Edit version 2' })).toBeVisible();
  const editor = page.getByLabel('Version certificates (PEM)');
  await expect(editor).toHaveValue(/BEGIN CERTIFICATE/);
  await editor.fill((await editor.inputValue()) + CA_B);
  await page.getByRole('button', { name: 'Save version 2' }).click();
  await expect(status(page)).toHaveText('Version 2 saved.');
  await expect(page.getByRole('table', { name: 'Certificates of version 2' }).locator('tbody tr')).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Edit version' })).toBeVisible();

  // Compare the two versions: one added, one unchanged.
  await page.getByText('Compare two versions').click();
  await page.getByLabel('Compare from').selectOption('1');
  await page.getByLabel('Compare to').selectOption('2');
  const diff = page.getByRole('table', { name: 'Version comparison' });
  await expect(diff.locator('tr.added')).toContainText('CN=certwright CA B');
  await expect(diff.locator('tr.unchanged')).toContainText('CN=certwright CA A');

  // The activity log lists what happened, newest first.
  await page.getByText('Activity log').click();
  const log = page.getByRole('table', { name: 'Activity log' });
  await expect(log.locator('tbody tr')).toHaveCount(6);
  await expect(log.locator('tbody tr').first()).toContainText('CREATE_CA_SET_VERSION');
  await expect(log).toContainText(/ACTIVATE_CA_SET_VERSION\s*1\s*STAGING/);
});

test('a 429 is retried once after X-RateLimit-Next, and a second one is reported', async ({ page, request }) => {
  await connect(page);
  await emulator(request, 'reset', {});
  await emulator(request, 'faults', { status: 429, count: 1, retryAfterMs: 500 });
  await createSet(page, 'after-one-429');
  await emulator(request, 'faults', { status: 429, count: 2, retryAfterMs: 300 });
  await page.getByLabel('New CA set name').fill('after-two-429s');
  await page.getByRole('button', { name: 'Create CA set' }).click();
  await expect(failure(page)).toContainText('http 429: account-rate-limit-exceeded');
  await expect(failure(page)).toContainText('Rate limit: 0 of 600 requests left; next allowed at');
  const posts = (await emulator(request, 'requests')).requests.filter((r) => r.method === 'POST');
  expect(posts.map((r) => r.status)).toEqual([429, 201, 429, 429]);
});

test('the offline workspace keeps CA sets and versions in IndexedDB across a reload', async ({ page }) => {
  const sent = [];
  page.on('request', (r) => sent.push(r.url()));
  await page.goto('/');
  await page.getByRole('link', { name: 'CA sets' }).click();
  await expect(status(page)).toHaveText('Offline workspace loaded.');
  await createSet(page, 'offline-set');
  await createVersion(page, [CA_A, ROOT], 'Version 1 created with 2 certificates.');
  // The same 422 semantics offline.
  await page.getByLabel('Version certificates (PEM)').fill(ROOT + CA_A);
  await page.getByRole('button', { name: 'Create version' }).click();
  await expect(failure(page)).toContainText('a version with the same certificates already exists');
  // Dropped files: a PEM and a DER certificate join the draft as PEM.
  await page.getByLabel('Version certificates (PEM)').fill('');
  const der = Buffer.from(CA_A.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const files = [{ name: 'ca-b.pem', data: Array.from(Buffer.from(CA_B)) }, { name: 'ca-a.der', data: Array.from(der) }];
  const dataTransfer = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const { name, data } of items) dt.items.add(new File([new Uint8Array(data)], name));
    return dt;
  }, files);
  const zone = page.getByRole('region', { name: 'Drop certificate files here' });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
  await expect(page.getByLabel('Version certificates (PEM)')).toHaveValue(/END CERTIFICATE-----\n-----BEGIN CERTIFICATE/);
  await page.getByRole('button', { name: 'Create version' }).click();
  await expect(status(page)).toHaveText('Version 2 created with 2 certificates.');
  await page.reload();
  await page.getByRole('link', { name: 'CA sets' }).click();
  await page.getByRole('table', { name: 'CA sets' }).getByRole('link', { name: 'offline-set' }).click();
  await page.getByRole('link', { name: 'Version 1' }).click();
  await expect(page.getByRole('table', { name: 'Certificates of version 1' }).locator('tbody tr')).toHaveCount(2);
  await expect(page.getByText('Activation needs the Akamai connection.')).toBeVisible();
  await page.getByRole('button', { name: 'Delete CA set' }).click();
  await page.getByRole('button', { name: 'Confirm: delete this CA set' }).click();
  await expect(status(page)).toHaveText('CA set offline-set deleted.');
  await page.reload();
  await page.getByRole('link', { name: 'CA sets' }).click();
  await expect(status(page)).toHaveText('Offline workspace loaded.');
  await expect(page.getByRole('table', { name: 'CA sets' }).locator('tbody tr')).toHaveCount(0);
  expect(sent.filter((u) => u.includes('/relay/'))).toHaveLength(0);
});

test('a version kept offline goes to Akamai, and a CA set is cloned there', async ({ page, request }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'CA sets' }).click();
  await expect(status(page)).toHaveText('Offline workspace loaded.');
  await createSet(page, 'drafted-offline');
  await createVersion(page, [CA_A, CA_B], 'Version 1 created with 2 certificates.');

  await page.getByLabel('Akamai, through the relay').check();
  await page.getByLabel('EdgeGrid credentials (.edgerc text)').fill(EDGERC);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(status(page)).toHaveText('Connected; CA sets listed.');
  await createSet(page, 'uploaded');
  await page.getByRole('button', { name: 'Use a version from the offline workspace' }).click();
  await page.getByLabel('Fill the draft from an offline version').selectOption({ label: 'drafted-offline version 1 (2 certificates)' });
  await expect(page.getByLabel('Version certificates (PEM)')).toHaveValue(/BEGIN CERTIFICATE/);
  await page.getByRole('button', { name: 'Create version' }).click();
  await expect(status(page)).toHaveText('Version 1 created with 2 certificates.');

  await page.getByLabel('Name of a copy of this set').fill('uploaded-copy');
  await page.getByRole('button', { name: 'Clone CA set' }).click();
  await expect(status(page)).toHaveText('CA set cloned as uploaded-copy.');
  await expect(page.getByRole('heading', { name: 'CA set uploaded-copy' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Versions' }).locator('tbody tr')).toHaveCount(1);
  const posts = (await emulator(request, 'requests')).requests.filter((r) => r.method === 'POST').map((r) => r.path);
  expect(posts).toEqual([
    '/mtls-edge-truststore/v2/ca-sets',
    '/mtls-edge-truststore/v2/ca-sets/1/versions',
    '/mtls-edge-truststore/v2/ca-sets/1/clone',
  ]);
});

test('bad input gets a clear message: credentials, set names, empty drafts; an .edgerc file with an account switch key works', async ({ page, request }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'CA sets' }).click();
  await page.getByLabel('Akamai, through the relay').check();
  await page.getByLabel('EdgeGrid credentials (.edgerc text)').fill('[default]\nhost = example.test\n');
  await page.getByRole('button', { name: 'Connect' }).click();
  // The kit's connect form shows why, under the form.
  const formError = page.getByRole('form', { name: 'Connect to Akamai' }).getByRole('alert');
  await expect(formError).toContainText('The credentials could not be read');
  await expect(formError).toContainText('client_token');

  // The file picker, another section name, and an account switch key (signed into the query).
  const edgerc = '[other]\n' + EDGERC.split('[default]')[1];
  await page.getByLabel('Or load an .edgerc file').setInputFiles({ name: '.edgerc', mimeType: 'text/plain', buffer: Buffer.from(edgerc) });
  await expect(page.getByLabel('EdgeGrid credentials (.edgerc text)')).toHaveValue(/\[other\]/);
  await page.getByLabel('.edgerc section').fill('other');
  await page.getByLabel('Account switch key (optional)').fill('1-ABC:1-DEF');
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(status(page)).toHaveText('Connected; CA sets listed.');
  expect(urls.some((u) => u.includes('/ca-sets?accountSwitchKey=1-ABC%3A1-DEF'))).toBeTruthy();

  await page.getByLabel('New CA set name').fill('not a valid name');
  await page.getByRole('button', { name: 'Create CA set' }).click();
  // Refused before sending, as Akamai's own client does.
  await expect(failure(page)).toContainText('caSetName');
  await expect(failure(page)).toContainText('is not allowed');
  await createSet(page, 'valid-name');
  await page.getByRole('button', { name: 'Create version' }).click();
  await expect(failure(page)).toHaveText(/Paste or load at least one certificate\./);
  // "Check locally" reports without uploading; a block that is not a certificate is malformed.
  await page.getByLabel('Version certificates (PEM)').fill(CA_A + '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
  await page.getByRole('button', { name: 'Check locally' }).click();
  const row = page.getByRole('table', { name: 'Local check' }).locator('tr[data-key="/certificates/1"]');
  await expect(row).toHaveClass(/row-error/);
  await expect(row).toContainText('The certificate is malformed. It cannot be parsed.');
  const seen = (await emulator(request, 'requests')).requests;
  expect(seen.map((r) => r.status)).not.toContain(401);
  expect(seen.filter((r) => r.path.endsWith('/versions') && r.method === 'POST')).toHaveLength(0);

  // Editing can be cancelled, leaving the draft empty and the editor for a new version.
  await createVersion(page, [CA_A], 'Version 1 created with 1 certificates.');
  await page.getByRole('button', { name: 'Edit version' }).click();
  await expect(page.getByRole('heading', { name: 'Edit version 1' })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel editing' }).click();
  await expect(page.getByRole('heading', { name: 'New version' })).toBeVisible();
  await expect(page.getByLabel('Version certificates (PEM)')).toHaveValue('');
});
