import { test, expect } from '@playwright/test';
import { InspectPage, readVector } from './fixtures/inspect-page.js';

test('a pasted bundle shows one row per certificate, and the bundle tools work', async ({ page }) => {
  const ui = new InspectPage(page);
  await ui.goto();
  await ui.pasteText(readVector('chain/bundle-shuffled.pem').toString());
  await expect(ui.count).toHaveText('4');
  await expect(ui.rows).toHaveCount(4);
  await expect(ui.rows.nth(0)).toContainText('example.com');
  await expect(ui.rows.nth(1)).toContainText('Certwright Test Root CA');

  // The first certificate opens in the detail view with every field.
  await expect(ui.detail.getByTestId('subject-dn')).toHaveText('CN=example.com,O=Certwright Test,C=US');
  await expect(ui.detail).toContainText('DNS:*.example.com');
  await expect(ui.detail).toContainText('IP Address:192.0.2.1');
  await expect(ui.detail).toContainText('serverAuth');
  await expect(ui.detail).toContainText('OCSP - URI:http://ocsp.example.com');

  // Keyboard: focus another row's button and press Enter.
  await page.getByRole('button', { name: 'Show details of certificate 2' }).focus();
  await page.keyboard.press('Enter');
  await expect(ui.detail.getByTestId('subject-dn')).toHaveText('CN=Certwright Test Root CA,O=Certwright Test,C=US');
  await expect(ui.detail).toContainText('Self-signed');

  // Fingerprint: colon form on demand.
  const sha256 = ui.detail.getByTestId('fp-sha256');
  await expect(sha256).toHaveText(/^[0-9a-f]{64}$/);
  await ui.detail.getByLabel('SHA-256 with colons').check();
  await expect(sha256).toHaveText(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

  await ui.button('Remove duplicates').click();
  await expect(ui.count).toHaveText('3');
  await ui.button('Order as chain').click();
  await expect(ui.rows.nth(0)).toContainText('example.com');
  await expect(ui.rows.nth(1)).toContainText('Certwright Test Intermediate CA');
  await expect(ui.rows.nth(2)).toContainText('Certwright Test Root CA');
  await expect(page.getByRole('list', { name: 'Chain notes' })).toContainText('The chain has 3 certificate(s)');

  // Export downloads the ordered chain as PEM.
  const [download] = await Promise.all([page.waitForEvent('download'), ui.button('Export PEM').click()]);
  expect(download.suggestedFilename()).toBe('certificates.pem');
  const exported = (await (await download.createReadStream()).toArray()).join('');
  expect(exported.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(3);
});
