// Key ids only increase: after the highest key is removed, a new key gets a new id, so a
// selection naming the removed key ("Key to export") never comes to point at the new key.
import { test, expect } from '@playwright/test';

test('after the highest key is removed, a new key does not take its id or its selections', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Keys & certificates' }).click();
  const status = page.getByTestId('workshop-status');
  const generate = page.getByRole('button', { name: 'Generate key' });
  await generate.click();
  await expect(status).toContainText('Key 1 (P-256) is ready');
  await generate.click();
  await expect(status).toContainText('Key 2 (P-256) is ready');

  // The user chooses key 2 for export, for the CSR and for saving, then removes it.
  const exportSelect = page.getByLabel('Key to export');
  await exportSelect.selectOption({ label: 'Key 2 (P-256)' });
  await page.getByLabel('Key for the CSR').selectOption({ label: 'Key 2 (P-256)' });
  await page.getByRole('button', { name: 'Remove Key 2 (P-256)' }).click();
  await expect(page.getByTestId('key-row')).toHaveCount(1);

  await generate.click();
  await expect(status).toContainText('Key 3 (P-256) is ready');
  await expect(page.getByTestId('key-row')).toHaveText([/Key 1 \(P-256\)/, /Key 3 \(P-256\)/]);
  // The export selection does not show the new key, and exporting does not export it.
  expect(await exportSelect.evaluate((s) => s.selectedOptions[0]?.textContent ?? '')).not.toContain('Key 3');
  await page.getByLabel('Export password').fill('a long export password');
  let downloaded = false;
  page.on('download', () => { downloaded = true; });
  await page.getByRole('button', { name: 'Download encrypted key' }).click();
  await expect(status).toHaveText('Choose the key to export.');
  // Neither does the CSR form sign with it.
  await page.getByLabel('CSR common name (CN)').fill('example.com');
  await page.getByRole('button', { name: 'Create CSR' }).click();
  await expect(page.getByRole('alert', { name: 'CSR problems' })).toContainText('choose or generate a key first');
  await page.waitForTimeout(300);
  expect(downloaded).toBe(false);

  // Key 1, still chosen where it was chosen, exports as itself.
  await exportSelect.selectOption({ label: 'Key 1 (P-256)' });
  await expect(exportSelect).toHaveValue('1');
});
