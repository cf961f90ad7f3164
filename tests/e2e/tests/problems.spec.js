import { test, expect } from '@playwright/test';
import { InspectPage, readVector } from './fixtures/inspect-page.js';

test('a malformed block is reported with its position while the rest load', async ({ page }) => {
  const ui = new InspectPage(page);
  await ui.goto();
  await ui.pasteText(readVector('pem/malformed-middle.pem').toString());
  await expect(ui.count).toHaveText('2');
  await expect(ui.problems).toContainText('pasted text, block 2 (line 22)');
  await expect(ui.problems).toContainText('not a valid X.509 certificate');
});

test('non-conformant certificates load with a warning on their row', async ({ page }) => {
  const ui = new InspectPage(page);
  await ui.goto();
  await ui.pasteText(readVector('odd/long-serial.pem').toString() + readVector('odd/pre1970.pem').toString());
  await expect(ui.count).toHaveText('2');
  await expect(ui.rows.nth(0)).toContainText('25 octets long');
  await expect(ui.rows.nth(1)).toContainText('before 1970');
});

test('a certificate subject containing HTML renders as text', async ({ page }) => {
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const ui = new InspectPage(page);
  await ui.goto();
  await ui.pasteText(readVector('xss/xss-subject.pem').toString());
  await expect(ui.count).toHaveText('1');
  await expect(ui.rows.nth(0)).toContainText('<img src=x onerror=alert(1)>');
  await expect(ui.detail).toContainText('<script>alert(2)</script>');
  await expect(page.locator('main img')).toHaveCount(0);
  await expect(page.locator('main script')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});
