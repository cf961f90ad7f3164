// Forms pre-select the obvious choice: the only key, the CA just made, the CSR just handed over,
// the only offline version; a choice the user made is never switched behind their back
// (keyids.spec.js covers a removed key).
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const data = (rel) => readFileSync(fileURLToPath(new URL(`../../data/${rel}`, import.meta.url)), 'utf8');
const EDGERC = data('vendors/akamai/emulator.edgerc');
const CA_A = data('vendors/akamai/ca-a.pem');
const EMULATOR = `http://127.0.0.1:${process.env.EMULATOR_PORT ?? 9461}/__emulator`;
const selected = (select) => select.evaluate((s) => s.selectedOptions[0]?.textContent ?? '');

test('the workshop pre-selects the only key, the CA just made and its certificate', async ({ page }) => {
  await page.goto('/keys');
  const status = page.getByTestId('workshop-status');
  for (const label of ['Key for the CSR', 'Subject key', 'Key to export']) {
    expect(await selected(page.getByLabel(label))).toBe('— choose a key —');
  }
  await page.getByRole('button', { name: 'Generate key' }).click();
  await expect(status).toContainText('Key 1 (P-256) is ready');
  // The only key: every key select picks it.
  for (const label of ['Key for the CSR', 'Subject key', 'Key to export', 'Key to save']) {
    await expect(page.getByLabel(label)).toHaveValue('1');
  }
  await expect(page.getByRole('group', { name: 'Export as PKCS#12' }).getByRole('combobox', { name: /^Key/ })).toHaveValue('1');
  // A CSR with no key chosen by hand.
  await page.getByLabel('CSR common name (CN)').fill('defaults.example');
  await page.getByRole('button', { name: 'Create CSR' }).click();
  await expect(status).toContainText('CSR created.');

  // The CA just made becomes the issuer of the next certificate and of the CRL.
  expect(await selected(page.getByLabel('Issuing CA'))).toBe('Self-signed');
  await page.getByLabel('Certificate common name (CN)').fill('Defaults CA');
  await page.getByLabel('Certificate authority (CA)').check();
  await page.getByRole('button', { name: 'Issue certificate' }).click();
  await expect(status).toContainText('Certificate issued.');
  expect(await selected(page.getByLabel('Issuing CA'))).toBe('Defaults CA (root)');
  expect(await selected(page.getByLabel('CRL issuer'))).toBe('Defaults CA (root)');
  // The PKCS#12 export picks the key's certificate.
  expect(await selected(page.getByTestId('p12-cert'))).toContain('Defaults CA');
  await page.getByRole('button', { name: 'Issue CRL' }).click();
  await expect(status).toContainText('CRL issued.');

  // A second key: no key select switches to it.
  await page.getByRole('button', { name: 'Generate key' }).click();
  await expect(status).toContainText('Key 2 (P-256) is ready');
  await expect(page.getByLabel('Key for the CSR')).toHaveValue('1');

  // A CSR handed over from Inspect is issued by the CA just made, with no further choice.
  await page.getByRole('link', { name: 'Inspect' }).click();
  await page.getByLabel('Paste PEM bundles, base64 DER, PKCS#7, CRLs or CSRs').fill(data('csr/rsa.csr.pem'));
  await page.getByRole('button', { name: 'Load pasted text' }).click();
  await page.getByRole('button', { name: 'Sign CSR 1 in Keys & certificates' }).click();
  await expect(page.getByLabel('…or the CSR to certify (PEM)')).toHaveValue(/BEGIN CERTIFICATE REQUEST/);
  await page.getByLabel('Certificate authority (CA)').uncheck();
  expect(await selected(page.getByLabel('Issuing CA'))).toBe('Defaults CA (root)');
  await page.getByRole('button', { name: 'Issue certificate' }).click();
  await expect(status).toContainText('Certificate issued.');
});

test('the CA-sets editor fills an empty draft with the only offline version', async ({ page, request }) => {
  expect((await request.post(`${EMULATOR}/reset`, { data: {} })).ok()).toBeTruthy();
  await page.goto('/akamai/ca-sets');
  await expect(page.getByTestId('casets-status')).toHaveText('Offline workspace loaded.');
  await page.getByLabel('New CA set name').fill('only-offline');
  await page.getByRole('button', { name: 'Create CA set' }).click();
  await page.getByLabel('Version certificates (PEM)').fill(CA_A);
  await page.getByRole('button', { name: 'Create version' }).click();
  await expect(page.getByTestId('casets-status')).toHaveText('Version 1 created with 1 certificates.');
  await page.getByLabel('Akamai, through the relay').check();
  await page.getByLabel('EdgeGrid credentials (.edgerc text)').fill(EDGERC);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('casets-status')).toHaveText('Connected; CA sets listed.');
  await page.getByLabel('New CA set name').fill('from-offline');
  await page.getByRole('button', { name: 'Create CA set' }).click();
  await expect(page.getByTestId('casets-status')).toHaveText('CA set from-offline created.');
  await page.getByLabel('Version certificates (PEM)').fill('');
  await page.getByRole('button', { name: 'Use a version from the offline workspace' }).click();
  expect(await selected(page.getByLabel('Fill the draft from an offline version'))).toBe('only-offline version 1 (1 certificates)');
  await expect(page.getByLabel('Version certificates (PEM)')).toHaveValue(/BEGIN CERTIFICATE/);
});
